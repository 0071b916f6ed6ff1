import Foundation
import XCTest

/// `Benchmarks/api-diff.sh` on two versions of a small document (`Fixtures/api-diff`): the new one
/// removes `Bill.note`, retypes `Bill.amountDue` (decimal -> string), adds a required query
/// parameter to `list-bills` and removes the enum case `Void`; it also adds a property, which
/// breaks nobody. The script generates, compiles and compares both with swift-api-digester,
/// using this build's payables-gen and runtime modules (a few seconds).
final class APIDiffTests: XCTestCase {
    func testReportListsEachBreakingChangeAndNothingElse() throws {
        let modules = GoldenTests.builtModules
        let generator = modules.deletingLastPathComponent().appendingPathComponent("payables-gen")
        guard FileManager.default.isExecutableFile(atPath: generator.path) else {
            return XCTFail("no payables-gen beside \(modules.path): build the package (swift build) first")
        }
        let fixtures = GoldenTests.fixtures.appendingPathComponent("api-diff")
        let report = try runScript(old: fixtures.appendingPathComponent("old.yaml"), new: fixtures.appendingPathComponent("new.yaml"),
                                   environment: ["PAYABLES_GEN": generator.path, "RUNTIME_MODULES": modules.path])

        let lines = report.split(separator: "\n").map(String.init)
        func assertListed(_ fragments: [String], _ what: String, line: UInt = #line) {
            XCTAssertTrue(lines.contains { l in fragments.allSatisfy { l.contains($0) } },
                          "\(what) is not reported (a line with \(fragments)):\n\(report)", line: line)
        }
        assertListed(["Var Bill.note", "removed"], "the removed property")
        assertListed(["Var Bill.amountDue", "type change", "Decimal", "String"], "the retyped property")
        assertListed(["listBills(companyId:options:)", "renamed", "listBills(companyId:connectionId:options:)"], "the new required parameter")
        assertListed(["EnumElement BillStatus.void", "removed"], "the removed enum case")
        XCTAssertFalse(report.contains("supplierName"), "an added optional property breaks nobody:\n\(report)")
    }

    func testAVersionThatIsNeitherAFileNorACommitIsAnErrorThatSaysSo() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [GoldenTests.packageRoot.appendingPathComponent("Benchmarks/api-diff.sh").path, "no-such-file.yaml", "other.yaml"]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertTrue(output.contains("'no-such-file.yaml' is neither a file nor a commit id"), output)
    }

    private func runScript(old: URL, new: URL, environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [GoldenTests.packageRoot.appendingPathComponent("Benchmarks/api-diff.sh").path, old.path, new.path,
                             "--module", "DiffFixture"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = ReadInBackground(err)
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "api-diff.sh failed:\n\(errors.text)\n\(output)")
        return output
    }
}

/// Drains a pipe on another thread, so that a child filling it never blocks.
private final class ReadInBackground: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        DispatchQueue.global().async {
            self.data = pipe.fileHandleForReading.readDataToEndOfFile()
            self.done.signal()
        }
    }

    var text: String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
