import BillPay
import BillPaySQLite
import CodatSandbox
import Foundation
import SandboxTestSupport
import XCTest

/// CODAT-FACTS §1 and §3: a 429 is Codat's answer before it acts; it is not cached and releases
/// the `Idempotency-Key`, so a payment refused with 429 wrote nothing and may be sent again. A run
/// takes such an intent up again in the same start after `Retry-After` (bounded by
/// `PaymentRunOptions.rateLimitRetakes`), against the sandbox's injected 429s.
final class RateLimitRetakeTests: XCTestCase {
    /// The layer gives up on a 429 at once: no runtime retries, one resend of the refused key,
    /// so one take of an intent uses two 429s.
    static let impatientDelivery: DeliveryPolicy = {
        var policy = runDelivery
        policy.maxReplays = 1
        policy.sendRetry = .never
        return policy
    }()

    func billPay(_ sandbox: CodatSandbox, limiter: CompanyRequestLimiter) throws -> SyncBillPay {
        SyncBillPay(client: limitedSyncClient(sandbox, limiter: limiter), company: try connection(sandbox), delivery: Self.impatientDelivery,
                    clock: SandboxPaymentClock(sandbox: sandbox))
    }

    func plan(_ billPay: SyncBillPay, bills: [Int], prefix: String) async throws -> [PaymentRunIntent] {
        let accounts = try await billPay.paymentAccounts()
        let first = try await billPay.bill(id: generatedBillId(bills[0]))
        let currency = try XCTUnwrap(first?.currency)
        let account = try XCTUnwrap(SyncBillPay.paymentAccount(in: currency, among: accounts)?.id)
        return bills.map { n in
            PaymentRunIntent(id: PaymentIntentID("\(prefix)-\(n)"), billId: generatedBillId(n), amount: 10, accountId: account, date: "2024-06-01",
                             reference: "\(prefix)-\(n)")
        }
    }

    /// The synchronous create-bill-payment requests of one generated bill.
    static func payments(ofBill n: Int) -> RouteMatcher {
        RouteMatcher(method: "POST", path: "/companies/*/connections/*/payables/bills/\(generatedBillId(n))/payment")
    }

    static func deferrals(_ events: [PaymentRunEvent]) -> [PaymentIntentID] {
        events.compactMap { if case let .deferredForRateLimit(id, _, _) = $0 { return id }; return nil }
    }

    /// Every intent's first take ends in 429s (two per intent: its bill's payments are refused
    /// twice); each is taken up again in the same start after `Retry-After` and paid once: the
    /// start settles the run (`billpay run` exits 0, not 3).
    func testIntentRefusedWith429IsTakenUpAgainInTheSameStart() async throws {
        let sandbox = try await startRunSandbox(self, extraBills: 20)
        let limiter = CompanyRequestLimiter()
        let billPay = try billPay(sandbox, limiter: limiter)
        let intents = try await plan(billPay, bills: [1, 3, 5], prefix: "rl")
        let journal = try SQLitePaymentRunJournal(path: try temporaryFolder(self).appendingPathComponent("j.sqlite").path)
        let run = PaymentRun(id: "retake", billPay: billPay, journal: journal, limiter: limiter)
        try await run.plan(intents)
        for n in [1, 3, 5] { sandbox.inject(.status(429, retryAfter: 1), on: Self.payments(ofBill: n), times: 2) }

        let (events, totals) = try await collect(run.start())

        XCTAssertTrue(sandbox.faultRules.isEmpty, "every injected 429 was answered: \(sandbox.faultRules)")
        let final = try XCTUnwrap(totals)
        XCTAssertTrue(final.isSettled, "one start settles the run: \(final)")
        XCTAssertEqual(final.recorded, 3)
        XCTAssertEqual(final.workedOn, 3, "a retake is not counted as another intent worked on")
        XCTAssertEqual(Self.deferrals(events).sorted { $0.rawValue < $1.rawValue }, intents.map(\.id), "each intent deferred once")
        for intent in intents {
            // deferred, then sending again, then recorded: never reported not recorded.
            let deferred = events.firstIndex { if case let .deferredForRateLimit(id, retryAfter, _) = $0 { return id == intent.id && retryAfter == .seconds(1) }; return false }
            let recorded = events.firstIndex { if case let .recorded(id, _) = $0 { return id == intent.id }; return false }
            let sendings = events.indices.filter { if case let .sending(id) = events[$0] { return id == intent.id }; return false }
            XCTAssertEqual(sendings.count, 2, "\(intent.id) taken up twice")
            XCTAssertLessThan(deferred ?? .max, sendings.last ?? -1)
            XCTAssertLessThan(sendings.last ?? .max, recorded ?? -1)
            XCTAssertFalse(events.contains { if case let .notRecorded(id, _) = $0 { return id == intent.id }; return false })
        }
        let payments = syncPaymentsByReference(sandbox, companyId: billPay.company.companyId)
        for intent in intents { XCTAssertEqual(payments[intent.id.rawValue], 1, "payments of \(intent.id)") }
        // Two refused sends and one that landed per intent.
        XCTAssertEqual(sandbox.requests(operation: "sync.create-bill-payment").count, 9)
        let entries = try await journal.entries(runId: "retake")
        XCTAssertEqual(entries.map(\.claims), [2, 2, 2], "each intent claimed twice in the journal")
    }

    /// Bounded: while Codat keeps answering 429, an intent is taken up `rateLimitRetakes` more
    /// times and the start ends with it not recorded (nothing paid, nothing lost); once the
    /// 429s stop, the next start pays it once.
    func testRetakesAreBoundedAndTheNextStartPays() async throws {
        let sandbox = try await startRunSandbox(self, extraBills: 20)
        let limiter = CompanyRequestLimiter()
        let billPay = try billPay(sandbox, limiter: limiter)
        let intents = try await plan(billPay, bills: [7, 9], prefix: "rb")
        let journal = try SQLitePaymentRunJournal(path: try temporaryFolder(self).appendingPathComponent("j.sqlite").path)
        let run = PaymentRun(id: "bounded", billPay: billPay, journal: journal, limiter: limiter,
                             options: PaymentRunOptions(maxConcurrentIntents: 2, rateLimitRetakes: 2))
        try await run.plan(intents)
        // Only bill 7's payments are refused, for as long as the rule stands.
        let rule = sandbox.inject(.status(429, retryAfter: 1), on: Self.payments(ofBill: 7))

        let (events, totals) = try await collect(run.start())

        let final = try XCTUnwrap(totals)
        XCTAssertFalse(final.isSettled, "\(final)")
        XCTAssertEqual(final.recorded, 1)
        XCTAssertEqual(final.planned, 1)
        XCTAssertEqual(Self.deferrals(events), [intents[0].id, intents[0].id], "two retakes, then no more")
        guard case .notRecorded(intents[0].id, let reason)? = events.last(where: { if case .notRecorded = $0 { return true }; return false }) else {
            return XCTFail("the last take ends not recorded: \(events)")
        }
        XCTAssertTrue(reason.contains("429"), reason)
        XCTAssertEqual(sandbox.faultRules.first { $0.id == rule.id }?.fired, 6, "three takes of two sends each")
        var payments = syncPaymentsByReference(sandbox, companyId: billPay.company.companyId)
        XCTAssertNil(payments[intents[0].id.rawValue])
        let entry = try await journal.entries(runId: "bounded").first
        XCTAssertEqual(entry?.state, .planned)
        let delivery = try await journal.load(PaymentResumeData.journalKey(companyId: billPay.company.companyId, intentId: intents[0].id))
        XCTAssertEqual(delivery?.status, .notRecorded, "the journal says nothing of it can have landed")

        sandbox.removeFault(rule.id)
        let second = try await collect(run.start())
        XCTAssertTrue(second.totals?.isSettled ?? false, "\(String(describing: second.totals))")
        payments = syncPaymentsByReference(sandbox, companyId: billPay.company.companyId)
        for intent in intents { XCTAssertEqual(payments[intent.id.rawValue], 1, "payments of \(intent.id)") }
    }

    /// A `Retry-After` beyond `rateLimitRetakeMaxWait` (Codat's daily quota resets at midnight
    /// UTC) is not waited for within the start: the intent ends it not recorded at once.
    func testLongRetryAfterIsLeftToALaterStart() async throws {
        let sandbox = try await startRunSandbox(self, extraBills: 20)
        let limiter = CompanyRequestLimiter()
        let billPay = try billPay(sandbox, limiter: limiter)
        let intents = try await plan(billPay, bills: [11], prefix: "rm")
        let run = PaymentRun(id: "long-wait", billPay: billPay, journal: InMemoryPaymentRunJournal(), limiter: limiter,
                             options: PaymentRunOptions(rateLimitRetakeMaxWait: .seconds(1)))
        try await run.plan(intents)
        _ = sandbox.inject(.status(429, retryAfter: 2), on: .operation("sync.create-bill-payment"), times: 2)
        let (events, totals) = try await collect(run.start())
        XCTAssertEqual(totals?.planned, 1)
        XCTAssertTrue(Self.deferrals(events).isEmpty, "\(events)")
        XCTAssertTrue(events.contains { if case .notRecorded(intents[0].id, _) = $0 { return true }; return false })
        XCTAssertTrue(syncPaymentsByReference(sandbox, companyId: billPay.company.companyId).isEmpty)
    }
}
