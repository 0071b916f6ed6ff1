import Foundation
import OpenAPIDocument
@testable import SDKGen
import XCTest

/// Golden (snapshot) tests: each folder under Fixtures/ holds `spec.yaml`, `config.json`
/// and `expected/` with the files the generator must write, byte for byte.
/// Run with `UPDATE_GOLDENS=1` to rewrite `expected/` after an intended change.
final class GoldenTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/SDKGenTests/Fixtures")
    static let templates = packageRoot.appendingPathComponent("Templates").path

    static func generate(_ name: String, into output: URL) throws -> Generator.Outcome {
        let folder = Self.fixtures.appendingPathComponent(name)
        let config = try GeneratorConfig.load(path: folder.appendingPathComponent("config.json").path)
        // The built-in templates (compiled in from Templates/), as a user gets them.
        return try Generator.generate(specPath: folder.appendingPathComponent("spec.yaml").path, config: config, outputFolder: output.path)
    }

    func testTypesGolden() throws { try checkGolden("types") }
    func testCompositionGolden() throws { try checkGolden("composition") }
    func testNestedRefsGolden() throws { try checkGolden("nested-refs") }
    func testHostileGolden() throws { try checkGolden("hostile") }
    func testClientGolden() throws { try checkGolden("client") }

    /// Same input, byte-identical output (names, order, file split).
    func testDeterministic() throws {
        let a = try temporaryFolder(), b = try temporaryFolder()
        _ = try Self.generate("hostile", into: a)
        _ = try Self.generate("hostile", into: b)
        for name in try FileManager.default.contentsOfDirectory(atPath: a.path) {
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(name)), try Data(contentsOf: b.appendingPathComponent(name)))
        }
    }

    /// The hostile spec (`../` in names, keywords, emoji, `*/` and `"""` in docs, collisions)
    /// writes only the declared files, only inside the output folder, and the code type-checks
    /// in Swift 6 mode with warnings as errors.
    func testHostileSpecWritesOnlyInsideOutputAndCompiles() throws {
        let sandbox = try temporaryFolder()
        let output = sandbox.appendingPathComponent("out")
        let outcome = try Self.generate("hostile", into: output)
        XCTAssertFalse(outcome.hasErrors)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.path), ["out"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted(), ["HostileClient.swift", "HostileModels0.swift", "HostileSchemas.swift"])
        let code = try String(contentsOf: output.appendingPathComponent("HostileModels0.swift"), encoding: .utf8)
        XCTAssertTrue(code.contains("public struct EtcPasswd"), "../../etc/passwd becomes an identifier")
        XCTAssertTrue(code.contains("public struct BillItem:") && code.contains("public struct BillItem2:"), "collision after camel-casing")
        XCTAssertTrue(code.contains("public struct String2:"), "a schema named String does not shadow Swift.String")
        XCTAssertTrue(code.contains("case `self` = \"self\""))
        XCTAssertFalse(code.contains("\u{FEFF}"), "byte-order mark removed")
        try typeCheck(output)
    }

    func testEveryFixtureCompiles() throws {
        for name in ["types", "composition", "nested-refs", "client"] {
            let output = try temporaryFolder()
            _ = try Self.generate(name, into: output)
            try typeCheck(output)
        }
    }

    /// The modules `swift build` made for this package: the test binary sits in the same build folder
    /// (`.build/<triple>/debug/Modules`, or under `--scratch-path`).
    static var builtModules: URL {
        let starts = [URL(fileURLWithPath: CommandLine.arguments[0]), Bundle.main.bundleURL, Bundle(for: GoldenTests.self).bundleURL]
        for start in starts {
            var folder = start.resolvingSymlinksInPath()
            while folder.path != "/" {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Modules/PayablesRuntime.swiftmodule").path) {
                    return folder.appendingPathComponent("Modules")
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        return packageRoot.appendingPathComponent(".build/debug/Modules")
    }
}

/// Shared by every generator test: temporary folders, golden comparison, type-checking.
extension XCTestCase {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sdkgen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func checkGolden(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let output = try temporaryFolder().appendingPathComponent("out")
        let outcome = try GoldenTests.generate(name, into: output)
        XCTAssertFalse(outcome.hasErrors, outcome.diagnostics.map(\.description).joined(separator: "\n"), file: file, line: line)
        let expected = GoldenTests.fixtures.appendingPathComponent(name).appendingPathComponent("expected")
        let produced = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try? FileManager.default.removeItem(at: expected)
            try FileManager.default.copyItem(at: output, to: expected)
            return
        }
        let wanted = (try? FileManager.default.contentsOfDirectory(atPath: expected.path).sorted()) ?? []
        XCTAssertEqual(produced, wanted, "file list", file: file, line: line)
        for fileName in produced where wanted.contains(fileName) {
            let a = try String(contentsOf: output.appendingPathComponent(fileName), encoding: .utf8)
            let b = try String(contentsOf: expected.appendingPathComponent(fileName), encoding: .utf8)
            if a != b {
                let firstDifference = zip(a.split(separator: "\n", omittingEmptySubsequences: false), b.split(separator: "\n", omittingEmptySubsequences: false))
                    .enumerated().first { $0.element.0 != $0.element.1 }
                XCTFail("\(name)/\(fileName) differs from the golden file at line \((firstDifference?.offset ?? 0) + 1):\n got: \(firstDifference?.element.0 ?? "")\nwant: \(firstDifference?.element.1 ?? "")", file: file, line: line)
            }
        }
    }

    /// Type-checks generated files against the built PayablesRuntime (and the swift-openapi-runtime
    /// the client imports) with `swiftc -swift-version 6 -warnings-as-errors`.
    func typeCheck(_ folder: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let generated = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
            .map { folder.appendingPathComponent($0).path }
        try runTool(["swiftc", "-typecheck", "-parse-as-library", "-swift-version", "6", "-warnings-as-errors",
                     "-I", GoldenTests.builtModules.path] + generated, file: file, line: line)
    }
}
