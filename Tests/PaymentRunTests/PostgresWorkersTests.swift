import BillPay
import BillPayPostgres
import CodatSandbox
import Foundation
import XCTest

/// Several workers share one run in one PostgreSQL journal, each with a journal client of its
/// own (as worker processes would): every intent paid once, each worker's share, and a crashed
/// worker's claims taken over once its leases run out (reconciled, never resent blind).
final class PostgresWorkersTests: XCTestCase {
    func testTwoWorkersShareARunAndTakeOverACrashedWorkersIntents() async throws {
        let server = try PostgresServer.start(self)
        let sandbox = try await startRunSandbox(self)
        let limiter = CompanyRequestLimiter()
        let billPay = try syncBillPay(sandbox, limiter: limiter)
        let companyId = billPay.company.companyId
        let currency = try XCTUnwrap(billPay.bill(id: generatedBillId(1))?.currency)
        let account = try XCTUnwrap(SyncBillPay.paymentAccount(in: currency, among: try await billPay.paymentAccounts())?.id)
        let plan = stride(from: 1, to: 121, by: 2).map { n in
            PaymentRunIntent(id: PaymentIntentID("w-\(n)"), billId: generatedBillId(n), amount: 10, accountId: account, date: "2024-06-01", reference: "w-\(n)")
        }
        // A fault after the write: the crashed worker leaves intents whose answer it never saw.
        _ = sandbox.inject(.dropAfterProcessing, on: .operation("sync.create-bill-payment"), times: 3)

        let journals = [try await server.journal(), try await server.journal(), try await server.journal()]
        defer { journals.forEach { $0.shutdown() } }
        func worker(_ name: String, _ journal: any PaymentRunJournal) -> PaymentRun {
            PaymentRun(id: "shared", billPay: billPay, journal: journal, limiter: limiter,
                       options: PaymentRunOptions(maxConcurrentIntents: 4, worker: name, lease: .seconds(1), pollInterval: .milliseconds(100)))
        }
        try await worker("planner", journals[0]).plan(plan)
        // Worker C dies at its 20th journal write (claims and sends under way).
        let dying = CrashingJournal(journals[2], crashAt: 20)
        async let a = collect(worker("A", journals[0]).start())
        async let b = collect(worker("B", journals[1]).start())
        async let c: Void = { do { _ = try await collect(worker("C", dying).start()) } catch is CrashingJournal.Killed {} }()
        let (resultA, resultB, _) = try await (a, b, c)
        XCTAssertTrue(dying.isDead, "worker C was killed")

        let entries = try await journals[0].entries(runId: "shared")
        let totals = PaymentRunTotals(entries)
        XCTAssertTrue(totals.isSettled, "\(totals)")
        XCTAssertEqual(totals.paid, 60)
        let payments = syncPaymentsByReference(sandbox, companyId: companyId)
        let duplicates = plan.filter { (payments[$0.id.rawValue] ?? 0) > 1 }.count
        let lost = plan.filter { (payments[$0.id.rawValue] ?? 0) == 0 }.count
        let takenOver = entries.filter { $0.claims > 1 }.count
        let shareA = resultA.totals?.workedOn ?? 0, shareB = resultB.totals?.workedOn ?? 0
        print("postgres workers: 60 intents, A worked on \(shareA), B on \(shareB), C crashed; taken over \(takenOver); duplicates \(duplicates), lost \(lost)")
        XCTAssertEqual(duplicates, 0)
        XCTAssertEqual(lost, 0)
        XCTAssertGreaterThan(shareA, 0)
        XCTAssertGreaterThan(shareB, 0)
        XCTAssertGreaterThan(takenOver, 0, "the crashed worker's claims were taken over")
        XCTAssertLessThanOrEqual(sandbox.maxConcurrentRequests(companyId: companyId), 10)
    }
}
