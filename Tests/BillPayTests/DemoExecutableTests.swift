import CodatSandbox
import Foundation
import SandboxTestSupport
import XCTest

/// `billpay demo`, the built binary run as a person would (`swift build --product billpay`
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

    static func run(_ arguments: [String], binary: URL? = nil) throws -> BillPayBinary.Result {
        try BillPayBinary.run(["demo"] + arguments, binary: binary)
    }

    static func binary() throws -> URL { try BillPayBinary.url() }
}
