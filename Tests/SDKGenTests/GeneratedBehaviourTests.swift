import Foundation
@testable import SDKGen
import XCTest

/// Compiles generated fixture code with a small program (`Fixtures/behaviour/`) that decodes and
/// encodes real JSON, and runs it: the rules are checked by behaviour, not only by the shape of the text.
final class GeneratedBehaviourTests: XCTestCase {
    func testCompositionAndTypesBehaveAtRunTime() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sdkgen-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var sources: [String] = []
        for fixture in ["composition", "types"] {
            let output = work.appendingPathComponent(fixture)
            _ = try GoldenTests.generate(fixture, into: output)
            // Both fixtures go into one program: keep their registries apart.
            sources += try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.contains("Models") }.map { output.appendingPathComponent($0).path }
        }
        let main = work.appendingPathComponent("main.swift")
        try FileManager.default.copyItem(at: Self.program("composition-and-types"), to: main)
        // The models need only the runtime's model types (the client part needs its dependencies).
        let runtimeFolder = GoldenTests.packageRoot.appendingPathComponent("Sources/PayablesRuntime/Models")
        let runtime = try FileManager.default.contentsOfDirectory(atPath: runtimeFolder.path).filter { $0.hasSuffix(".swift") }.map { runtimeFolder.appendingPathComponent($0).path }
        try runTool(["swiftc", "-swift-version", "6", "-emit-module", "-emit-library", "-static", "-parse-as-library", "-module-name", "PayablesRuntime",
                 "-emit-module-path", work.appendingPathComponent("PayablesRuntime.swiftmodule").path,
                 "-o", work.appendingPathComponent("libPayablesRuntime.a").path] + runtime)
        let executable = work.appendingPathComponent("program").path
        try runTool(["swiftc", "-swift-version", "6", "-I", work.path, "-L", work.path, "-lPayablesRuntime", "-o", executable, main.path] + sources)
        let output = try runTool([executable])
        XCTAssertTrue(output.contains("ALL CHECKS PASSED"), output)
    }

    /// Recursive schemas of the hostile-codegen fixture, compiled and run: wrapper structs for
    /// arrays and maps that contain themselves, `Indirect` boxes for structs that hold themselves,
    /// an `indirect` one-of; each decodes, re-encodes byte for byte and keeps value semantics.
    func testRecursiveTypesRoundTripAtRunTime() throws {
        let work = try temporaryFolder()
        let output = work.appendingPathComponent("hostile-codegen")
        _ = try GoldenTests.generate("hostile-codegen", into: output)
        let sources = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.contains("Models") }.map { output.appendingPathComponent($0).path }
        let main = work.appendingPathComponent("main.swift")
        try FileManager.default.copyItem(at: Self.program("recursion"), to: main)
        let runtimeFolder = GoldenTests.packageRoot.appendingPathComponent("Sources/PayablesRuntime/Models")
        let runtime = try FileManager.default.contentsOfDirectory(atPath: runtimeFolder.path).filter { $0.hasSuffix(".swift") }.map { runtimeFolder.appendingPathComponent($0).path }
        try runTool(["swiftc", "-swift-version", "6", "-emit-module", "-emit-library", "-static", "-parse-as-library", "-module-name", "PayablesRuntime",
                     "-emit-module-path", work.appendingPathComponent("PayablesRuntime.swiftmodule").path,
                     "-o", work.appendingPathComponent("libPayablesRuntime.a").path] + runtime)
        let executable = work.appendingPathComponent("program").path
        try runTool(["swiftc", "-swift-version", "6", "-I", work.path, "-L", work.path, "-lPayablesRuntime", "-o", executable, main.path] + sources)
        let result = try runTool([executable])
        XCTAssertTrue(result.contains("ALL CHECKS PASSED"), result)
    }

    /// A program of `Fixtures/behaviour/` (Swift files outside every target, so they read as code).
    static func program(_ name: String) -> URL {
        GoldenTests.fixtures.appendingPathComponent("behaviour/\(name).swift")
    }
}
