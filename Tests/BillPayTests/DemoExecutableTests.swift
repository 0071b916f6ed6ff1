import CodatSandbox
import Foundation
import XCTest

/// The built `billpay-demo` binary, run as a person would (`swift build --product billpay-demo`
/// with the same scratch path first; skipped when it is not there).
final class DemoExecutableTests: XCTestCase {
    func testWithNoArgumentsItRunsTheWholeFlowAgainstItsOwnSandbox() throws {
        let result = try Self.run([])
        XCTAssertEqual(result.status, 0, "exit status; stderr: \(result.stderr)")
        let output = result.stdout
        for line in [
            "Bill Pay demo against the in-process sandbox",
            "== Synchronous Bill Pay (CodatSyncPayables) ==",
            "12 bills owed: EUR 1549.00 + GBP 4690.89",
            "chosen for GBP payments: Business Bank Account",
            "created: BillPay demo ACH",
            "attachment downloaded: 58 bytes, identical to the upload",
            "(the sandbox will record this payment, then drop the connection: the answer is lost)",
            "2 sends with Idempotency-Key",
            "1 ambiguous, resolved by replay (the same key again: Codat answered with the first outcome)",
            "of this bill: paid once",
            "payment sent in full: 135.85",
            "bill now: Paid, GBP 0.00 due",
            "bill now: PartiallyPaid, GBP 65.16 due",
            "refused before sending: bill 27cdf81f-c8f0-5dfe-be82-00704fbd28e7 is in EUR",
            "== Asynchronous Bill Pay (CodatSyncPayablesV1) ==",
            "chosen for the payments below: BillPay demo BACS",
            "multipleBills: totalAmount GBP 1510.44",
            "batchPayment: totalAmount GBP 576.00, supplierRef none",
            "creditNoteAllocation: totalAmount GBP 0.00",
            "bill DEMO-5 now: PartiallyPaid, GBP 1462.50 due",
            "bill 7E-0822 now: Open, GBP 240.00 due",
            "the bill is no longer listed (404)",
            "3 synchronous and 6 asynchronous payments sent, each recorded once",
            "Bill Pay demo finished",
        ] {
            XCTAssertTrue(output.contains(line), "missing: \(line)\n--- output ---\n\(output)")
        }
        XCTAssertGreaterThanOrEqual(output.components(separatedBy: "operation Success").count - 1, 8, "each push waited for")
        XCTAssertNil(output.range(of: #"demo-[0-9a-f]{8}-"#, options: .regularExpression), "the run's API key is never printed")
        XCTAssertFalse(output.contains("Basic "))
        XCTAssertEqual(result.stderr, "")
    }

    func testAgainstAnotherServerItOnlyReadsUnlessCommitIsGiven() async throws {
        let binary = try Self.binary()
        let sandbox = try await startSandbox(self)
        let xero = try connection(sandbox, .xero)
        let result = try Self.run(["--server", sandbox.baseURL.absoluteString, "--api-key", sandboxAPIKey], binary: binary)
        XCTAssertEqual(result.status, 0, "stderr: \(result.stderr)")
        XCTAssertTrue(result.stdout.contains("(read-only: payments are printed, not sent)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("would pay GBP 135.85 in full"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"note\" : \"[billpay-intent:demo."), "the v1 payloads as they would be sent, with the intent's marker")
        XCTAssertTrue(result.stdout.contains("3 synchronous and 6 asynchronous payments printed (read-only: none sent)"), result.stdout)
        XCTAssertTrue(sandbox.recordedRequests.allSatisfy { $0.method == "GET" }, "only reads: \(Set(sandbox.recordedRequests.map(\.method)))")
        XCTAssertEqual(sandbox.billPayments(companyId: xero.companyId, api: .sync).count, 0)
        XCTAssertFalse(result.stdout.contains(sandboxAPIKey) || result.stderr.contains(sandboxAPIKey))

        let refused = try Self.run(["--server", sandbox.baseURL.absoluteString, "--api-key", "not-the-key-9d2e"], binary: binary)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("the server refused the API key"), refused.stderr)
        XCTAssertFalse(refused.stdout.contains("not-the-key-9d2e") || refused.stderr.contains("not-the-key-9d2e"))

        let netSuite = try connection(sandbox, .netSuite)
        let chosen = try Self.run(["--server", sandbox.baseURL.absoluteString, "--api-key", sandboxAPIKey, "--company", netSuite.companyId], binary: binary)
        XCTAssertEqual(chosen.status, 0, "stderr: \(chosen.stderr)")
        XCTAssertTrue(chosen.stdout.contains("connection \(netSuite.connectionId), Oracle NetSuite"), chosen.stdout)
    }

    // MARK: Running the binary

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `billpay-demo` next to the test bundle.
    static func binary() throws -> URL {
        var folders = [Bundle.main.bundleURL, Bundle(for: DemoExecutableTests.self).bundleURL.deletingLastPathComponent()]
        if let argument = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: argument).deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent("billpay-demo")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw XCTSkip("billpay-demo is not built next to the tests (looked in \(folders.map(\.path))); "
                      + "run `swift build --product billpay-demo` with the same --scratch-path first")
    }

    /// Runs the demo to its end (at most two minutes), output in temporary files so that no pipe fills.
    static func run(_ arguments: [String], binary: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = try binary ?? Self.binary()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CODAT_API_KEY"] = nil
        process.environment = environment
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("billpay-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("billpay-demo \(arguments.joined(separator: " ")) did not finish within two minutes")
        }
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
