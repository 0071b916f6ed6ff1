import BillPay
import BillPaySQLite
import CodatSandbox
import CodatSyncPayablesV1
import Foundation
import PayablesAsyncHTTPClient
import SandboxTestSupport
import XCTest

/// Payment runs through the asynchronous API: several bills of one supplier, a batch across
/// suppliers and a single bill in one run; pushes answered `Pending`, then settled
/// (CODAT-FACTS §2); journaled in SQLite.
final class V1PaymentRunTests: XCTestCase {
    func v1BillPay(_ sandbox: CodatSandbox, limiter: CompanyRequestLimiter) throws -> AsyncBillPay {
        let client = CodatSyncPayablesV1.Client(serverURL: sandbox.baseURL, authHeader: runAuthHeader, transport: PayablesAsyncHTTPClient.transport(),
                                                middlewares: [limiter],
                                                options: ClientOptions(retry: fastRetry, attemptTimeout: .seconds(5), logger: quietRunLogger))
        return AsyncBillPay(client: client, company: try connection(sandbox, .xero), polling: sandboxPolling, delivery: runDelivery,
                            clock: SandboxPaymentClock(sandbox: sandbox))
    }

    func testRunPaysSeveralBillsOfASupplierABatchAndOneBillOnce() async throws {
        let sandbox = try await startRunSandbox(self, extraBills: 10, pushDelay: .seconds(2))
        let limiter = CompanyRequestLimiter()
        let billPay = try v1BillPay(sandbox, limiter: limiter)
        let account = "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"
        let plan = [
            PaymentRunIntent(id: "v1-multi", bills: [.init(billId: "59978bef-af2f-4a7e-9728-4997597c0980"),
                                                     .init(billId: "2175c381-d323-4e20-8c94-7680ea7f85d3", amount: Decimal(string: "8.6")!)],
                             accountId: account, date: "2024-06-01"),
            PaymentRunIntent(id: "v1-batch", bills: [.init(billId: "0394819c-b784-454d-991c-c4711b9aca12"),
                                                     .init(billId: "428e3e38-e8fb-4c56-91b5-dd09dc2e6505")],
                             accountId: "d96ffd74-2394-4666-81c4-eebb76e51e21", date: "2024-06-01", batch: true),
            PaymentRunIntent(id: "v1-one", billId: generatedBillId(1), amount: 10, accountId: account, date: "2024-06-01"),
        ]
        // The first push's answer is lost after Codat recorded it: the run finds it, never pays it twice.
        _ = sandbox.inject(.dropAfterProcessing, on: .operation("v1.create-bill-payment"), times: 1)
        let journal = try SQLitePaymentRunJournal(path: try temporaryFolder(self).appendingPathComponent("v1.sqlite").path)
        let run = PaymentRun(id: "v1-run", billPay: billPay, journal: journal, limiter: limiter)
        try await run.plan(plan)
        let planned = try await run.status().entries
        XCTAssertEqual(planned.map(\.intent.amount), [Decimal(string: "144.45")!, 360, 10], "amounts fixed at planning")
        var totals = try await collect(run.start()).totals
        for _ in 0..<2 where totals?.isSettled == false { totals = try await collect(run.start()).totals }
        let final = try XCTUnwrap(totals)
        XCTAssertTrue(final.isSettled, "\(final)")
        XCTAssertEqual(final.paid, 3)

        let payments = sandbox.billPayments(companyId: billPay.company.companyId, api: .v1)
        for intent in plan {
            let marked = payments.filter { intent.id.isMarked(in: $0["note"]?.string) }
            XCTAssertEqual(marked.count, 1, "payments of \(intent.id)")
        }
        let batch = payments.first { PaymentIntentID("v1-batch").isMarked(in: $0["note"]?.string) }
        XCTAssertNil(batch?["supplierRef"]?.string, "a batch has no supplierRef")
        XCTAssertLessThanOrEqual(sandbox.maxConcurrentRequests(companyId: billPay.company.companyId), 10)
    }

    /// The validator's rules refuse the whole plan before anything is pushed.
    func testPlanBrokenByTheValidatorIsRefused() async throws {
        let sandbox = try await startRunSandbox(self, extraBills: 10)
        let limiter = CompanyRequestLimiter()
        let billPay = try v1BillPay(sandbox, limiter: limiter)
        let plan = [
            PaymentRunIntent(id: "fine", billId: generatedBillId(1), amount: 10, accountId: "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4", date: "2024-06-01"),
            // Bills of two suppliers as one supplier's payment.
            PaymentRunIntent(id: "two-suppliers", bills: [.init(billId: "0394819c-b784-454d-991c-c4711b9aca12"),
                                                          .init(billId: "428e3e38-e8fb-4c56-91b5-dd09dc2e6505")],
                             accountId: "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4", date: "2024-06-01"),
            PaymentRunIntent(id: "credit-note-missing", bills: [.init(billId: generatedBillId(3))], creditNotes: [.init(creditNoteId: "no-such-note")],
                             accountId: "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4", date: "2024-06-01"),
        ]
        let run = PaymentRun(id: "v1-refused", billPay: billPay, journal: InMemoryPaymentRunJournal(), limiter: limiter)
        do {
            try await run.plan(plan)
            XCTFail("planned")
        } catch let refused as PaymentPlanRefusedError {
            XCTAssertEqual(refused.refusals.map(\.intentId), ["two-suppliers", "credit-note-missing"])
            XCTAssertTrue(refused.refusals[0].reasons.contains { $0.contains("singleSupplier") }, "\(refused)")
            XCTAssertTrue(refused.refusals[1].reasons.contains { $0.contains("no-such-note") }, "\(refused)")
        }
        XCTAssertTrue(sandbox.requests(operation: "v1.create-bill-payment").isEmpty)
    }
}
