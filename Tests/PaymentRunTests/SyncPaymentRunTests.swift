import BillPay
import BillPaySQLite
import CodatSandbox
import Foundation
import XCTest

/// Payment runs through the synchronous API against the sandbox, journaled in real SQLite files.
final class SyncPaymentRunTests: XCTestCase {
    /// Intents paying `amount` of generated bills `first..<first+count`, their reference = their id.
    func intents(_ range: Range<Int>, amount: Decimal = 10, account: String, prefix: String) -> [PaymentRunIntent] {
        range.map { n in
            let id = "\(prefix)-\(n)"
            return PaymentRunIntent(id: PaymentIntentID(id), billId: generatedBillId(n), amount: amount, accountId: account, date: "2024-06-01",
                                    reference: id)
        }
    }

    /// The payment account in the company's base currency (generated bills alternate GBP/USD:
    /// odd ones are in the base currency).
    func baseAccount(_ billPay: SyncBillPay) async throws -> String {
        let accounts = try await billPay.paymentAccounts()
        let first = try await billPay.bill(id: generatedBillId(1))
        let currency = try XCTUnwrap(first?.currency)
        return try XCTUnwrap(SyncBillPay.paymentAccount(in: currency, among: accounts)?.id)
    }

    func oddBills(_ count: Int, from first: Int) -> Range<Int> { first..<(first + count) }

    /// CODAT-FACTS §3: at most 10 concurrent requests per company. A run of 60 intents at 20
    /// intents at once, with reads of its own: the limiter and the sandbox (which counts) never
    /// see more than 10; every intent is recorded once, its events in order.
    func testRunPaysEveryIntentOnceWithinTenConcurrentRequests() async throws {
        let sandbox = try await startRunSandbox(self)
        let limiter = CompanyRequestLimiter()
        let billPay = try syncBillPay(sandbox, limiter: limiter)
        let account = try await baseAccount(billPay)
        let folder = try temporaryFolder(self)
        let journal = try SQLitePaymentRunJournal(path: folder.appendingPathComponent("journal.sqlite").path)
        let plan = stride(from: 1, to: 121, by: 2).map { n in
            PaymentRunIntent(id: PaymentIntentID("c-\(n)"), billId: generatedBillId(n), amount: 10, accountId: account, date: "2024-06-01", reference: "c-\(n)")
        }
        let run = PaymentRun(id: "concurrency", billPay: billPay, journal: journal, limiter: limiter,
                             options: PaymentRunOptions(maxConcurrentIntents: 20))
        try await run.plan(plan)
        let (events, totals) = try await collect(run.start())

        let final = try XCTUnwrap(totals)
        XCTAssertEqual(final.intents, 60)
        XCTAssertTrue(final.isSettled, "\(final)")
        XCTAssertEqual(final.paid, 60)
        XCTAssertEqual(final.amountPaid, 600)
        let companyId = billPay.company.companyId
        XCTAssertLessThanOrEqual(sandbox.maxConcurrentRequests(companyId: companyId), 10)
        XCTAssertLessThanOrEqual(limiter.statistics(companyId: companyId).maxInFlight, 10)
        XCTAssertGreaterThan(limiter.statistics(companyId: companyId).maxInFlight, 1, "the run ran requests concurrently")
        let payments = syncPaymentsByReference(sandbox, companyId: companyId)
        for intent in plan { XCTAssertEqual(payments[intent.id.rawValue], 1, "payments of \(intent.id)") }
        // Events: planned first, finished last, each intent sending then recorded.
        guard case .planned(60, 60, 0)? = events.first else { return XCTFail("first event: \(String(describing: events.first))") }
        guard case .finished? = events.last else { return XCTFail("last event: \(String(describing: events.last))") }
        for intent in plan {
            let sending = events.firstIndex { if case let .sending(id) = $0 { return id == intent.id }; return false }
            let recorded = events.firstIndex { if case let .recorded(id, _) = $0 { return id == intent.id }; return false }
            XCTAssertNotNil(sending, "\(intent.id) sending")
            XCTAssertLessThan(sending ?? .max, recorded ?? -1, "\(intent.id): sending before recorded")
        }
        // The journal agrees, and says so to a new reader of the file.
        let reopened = try SQLitePaymentRunJournal(path: journal.path)
        let entries = try await reopened.entries(runId: "concurrency")
        XCTAssertEqual(entries.map(\.state), Array(repeating: .recorded, count: 60))
        XCTAssertTrue(entries.allSatisfy { $0.recordId != nil && $0.worker == nil })
    }

    /// A refused plan sends nothing, writes nothing, and names each intent and why.
    func testRefusedPlanSendsNothingAndSaysWhichIntentsAndWhy() async throws {
        let sandbox = try await startRunSandbox(self)
        let limiter = CompanyRequestLimiter()
        let billPay = try syncBillPay(sandbox, limiter: limiter)
        let account = try await baseAccount(billPay)
        let journal = try SQLitePaymentRunJournal(path: try temporaryFolder(self).appendingPathComponent("j.sqlite").path)
        let third = try await billPay.bill(id: generatedBillId(3))
        let due = try XCTUnwrap(third?.amountDue)
        let plan = [
            PaymentRunIntent(id: "ok-1", billId: generatedBillId(1), amount: 5, accountId: account, date: "2024-06-01"),
            PaymentRunIntent(id: "no-bill", billId: "no-such-bill", amount: 5, accountId: account, date: "2024-06-01"),
            PaymentRunIntent(id: "too-much", billId: generatedBillId(5), amount: 1_000_000, accountId: account, date: "2024-06-01"),
            PaymentRunIntent(id: "half-a", billId: generatedBillId(3), amount: due / 2 + 1, accountId: account, date: "2024-06-01"),
            PaymentRunIntent(id: "half-b", billId: generatedBillId(3), amount: due / 2 + 1, accountId: account, date: "2024-06-01"),
            PaymentRunIntent(id: "dup", billId: generatedBillId(7), amount: 1, accountId: account, date: "2024-06-01"),
            PaymentRunIntent(id: "dup", billId: generatedBillId(9), amount: 1, accountId: account, date: "2024-06-01"),
            PaymentRunIntent(id: "bad-account", billId: generatedBillId(11), amount: 1, accountId: "nope", date: "2024-06-01"),
            PaymentRunIntent(id: "bad date", billId: generatedBillId(13), amount: 1, accountId: account, date: "June"),
        ]
        let run = PaymentRun(id: "refused", billPay: billPay, journal: journal, limiter: limiter)
        do {
            try await run.plan(plan)
            XCTFail("the plan was accepted")
        } catch let refused as PaymentPlanRefusedError {
            let byId = Dictionary(grouping: refused.refusals, by: { $0.intentId?.rawValue ?? "" })
            XCTAssertNil(byId["ok-1"], "a valid intent is not refused")
            XCTAssertTrue(byId["no-bill"]?.first?.reasons.contains { $0.contains("no-such-bill") && $0.contains("not found") } ?? false, "\(refused)")
            XCTAssertTrue(byId["too-much"]?.first?.reasons.contains { $0.contains("amountDue") } ?? false, "\(refused)")
            XCTAssertTrue(byId["half-a"]?.first?.reasons.contains { $0.contains("half-a, half-b") && $0.contains("amountDue") } ?? false, "\(refused)")
            XCTAssertTrue(byId["half-b"] != nil)
            XCTAssertEqual(byId["dup"]?.count, 2, "both rows of a repeated id")
            XCTAssertTrue(byId["bad-account"]?.first?.reasons.contains { $0.contains("payment account nope") } ?? false, "\(refused)")
            XCTAssertTrue(byId["bad date"]?.first?.reasons.contains { $0.contains("not usable") } ?? false, "\(refused)")
            XCTAssertTrue(byId["bad date"]?.first?.reasons.contains { $0.contains("\"June\"") } ?? false, "\(refused)")
            XCTAssertTrue(refused.description.contains("row 2"), refused.description)
        }
        XCTAssertTrue(sandbox.requests(operation: "sync.create-bill-payment").isEmpty, "nothing was sent")
        let stored = try await journal.run("refused")
        XCTAssertNil(stored, "nothing was written")
    }

    /// The run refuses a client whose requests do not pass the limiter (it could not keep
    /// Codat's concurrency limit), before sending anything.
    func testClientWithoutLimiterIsRefused() async throws {
        let sandbox = try await startRunSandbox(self, extraBills: 10)
        let billPay = try syncBillPay(sandbox, limiter: nil)
        let run = PaymentRun(id: "unlimited", billPay: billPay, journal: InMemoryPaymentRunJournal(), limiter: CompanyRequestLimiter())
        do {
            try await run.plan([PaymentRunIntent(id: "x", billId: generatedBillId(1), amount: 1, accountId: "a", date: "2024-06-01")])
            XCTFail("planned without a limiter")
        } catch let error as PaymentRunError {
            XCTAssertEqual(error, .clientWithoutRequestLimiter(companyId: billPay.company.companyId))
        }
    }

    /// CODAT-FACTS §3: a 429 carries `Retry-After`. Bursts of 429 on payments: the run reports
    /// them (`rateLimited`), waits, and still pays every intent once.
    func testRunFinishesDespite429Bursts() async throws {
        let sandbox = try await startRunSandbox(self)
        let limiter = CompanyRequestLimiter()
        let billPay = try syncBillPay(sandbox, limiter: limiter)
        let account = try await baseAccount(billPay)
        _ = sandbox.inject(.status(429, retryAfter: 1), on: .operation("sync.create-bill-payment"), times: 12)
        let plan = stride(from: 1, to: 41, by: 2).map { n in
            PaymentRunIntent(id: PaymentIntentID("r-\(n)"), billId: generatedBillId(n), amount: 10, accountId: account, date: "2024-06-01", reference: "r-\(n)")
        }
        let run = PaymentRun(id: "bursts", billPay: billPay, journal: InMemoryPaymentRunJournal(), limiter: limiter)
        try await run.plan(plan)
        // An intent whose 429s outlasted the layer's retries is taken up again in the same start
        // (RateLimitRetakeTests): one start settles the run.
        let (events, totals) = try await collect(run.start())
        let final = try XCTUnwrap(totals)
        XCTAssertTrue(final.isSettled, "\(final)")
        XCTAssertEqual(final.paid, 20)
        XCTAssertTrue(events.contains { if case .rateLimited = $0 { return true }; return false }, "rateLimited reported")
        XCTAssertGreaterThanOrEqual(limiter.statistics(companyId: billPay.company.companyId).tooManyRequests, 12)
        let payments = syncPaymentsByReference(sandbox, companyId: billPay.company.companyId)
        for intent in plan { XCTAssertEqual(payments[intent.id.rawValue], 1, "payments of \(intent.id)") }
    }
}

extension CodatSandbox {
    func requests(operation: String) -> [RecordedRequest] { recordedRequests.filter { $0.operation == operation } }
}
