import BillPay
import BillPaySQLite
import CodatWebhooks
import Foundation
import XCTest

/// The SQLite journal as a file: what it keeps survives closing it, claims and leases work
/// across two connections to one file (two processes would open it so).
final class SQLiteJournalTests: XCTestCase {
    func testRunsDeliveriesAndLeasesSurviveReopeningTheFile() async throws {
        let path = try temporaryFolder(self).appendingPathComponent("journal.sqlite").path
        let first = try SQLitePaymentRunJournal(path: path)
        let entries = (0..<3).map { n in
            PaymentRunEntry(runId: "r", position: n, intent: PaymentRunIntent(id: PaymentIntentID("i-\(n)"), billId: "b-\(n)", amount: Decimal(string: "0.1")! * Decimal(n + 1),
                                                                              accountId: "a", date: "2024-06-01"),
                            payment: .sync(.testPayment(billId: "b-\(n)")), updatedAt: Date())
        }
        let record = PaymentRunRecord(runId: "r", api: .sync, companyId: "c", connectionId: "k", planDigest: "d", intentCount: 3, createdAt: Date())
        _ = try await first.createRun(record, entries: entries)
        let claim = try await first.claim(runId: "r", worker: "A", limit: 2, lease: .milliseconds(300), excluding: [], now: Date())
        XCTAssertEqual(claim.entries.map(\.intentId), ["i-0", "i-1"])
        try await first.update(runId: "r", intentId: "i-0", worker: "A", state: .refused, recordId: nil,
                               refusal: PaymentRefusal(source: .codat, message: "no", status: 400, errors: [.init(itemId: "x", message: "bad", validatorName: "v")]),
                               note: "refused by Codat", release: true, now: Date())
        let delivery = sampleDelivery(intent: "i-1", status: .sent)
        try await first.save(delivery)

        // A second connection (another process) sees it all; A's lease on i-1 holds until it runs out.
        let second = try SQLitePaymentRunJournal(path: path)
        let stored = try await second.entries(runId: "r")
        XCTAssertEqual(stored.map(\.state), [.refused, .planned, .planned])
        XCTAssertEqual(stored[0].refusal?.errors.first?.validatorName, "v")
        XCTAssertEqual(stored.map(\.intent.amount), [Decimal(string: "0.1"), Decimal(string: "0.2"), Decimal(string: "0.3")])
        let loaded = try await second.load(delivery.journalKey)
        XCTAssertEqual(loaded, delivery)
        let early = try await second.claim(runId: "r", worker: "B", limit: 5, lease: .seconds(30), excluding: [], now: Date())
        XCTAssertEqual(early.entries.map(\.intentId), ["i-2"])
        XCTAssertEqual(early.leasedElsewhere, 1)
        try await Task.sleep(for: .milliseconds(400))
        let late = try await second.claim(runId: "r", worker: "B", limit: 5, lease: .seconds(30), excluding: ["i-2"], now: Date())
        XCTAssertEqual(late.entries.map(\.intentId), ["i-1"], "taken over after the lease ran out")
        do {
            try await first.update(runId: "r", intentId: "i-1", worker: "A", state: .recorded, recordId: "x", refusal: nil, note: nil, release: true, now: Date())
            XCTFail("A wrote after its lease was taken over")
        } catch let error as PaymentRunJournalError {
            XCTAssertEqual(error, .leaseLost(runId: "r", intentId: "i-1", holder: "B"))
        }
        // The file is in WAL mode.
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"), "WAL journal file")
    }

    /// As `WebhookDeduplication`: a claim holds across two connections to the file (two
    /// processes, or a restart), one winner when both claim at once, forgotten after the
    /// retention (30 hours by default: Codat retries for 28, CODAT-FACTS §4).
    func testWebhookClaimsSurviveARestartAndHaveOneWinner() async throws {
        let path = try temporaryFolder(self).appendingPathComponent("journal.sqlite").path
        let first = try SQLitePaymentRunJournal(path: path)
        XCTAssertEqual(first.webhookRetention, InMemoryWebhookDeduplication.defaultRetention)
        let second = try SQLitePaymentRunJournal(path: path)
        try await checkClaimsHoldAcrossConnections(first, second)
        try await checkConcurrentClaimsHaveOneWinner(first, second)
        try await checkClaimsEndAfterTheRetention(try SQLitePaymentRunJournal(path: path, webhookRetention: .milliseconds(500)), retention: .milliseconds(500))
    }

    /// `runs()` lists every run of the file, the oldest first, to any connection (`billpay status`
    /// and `resume` pick the only one, or list them).
    func testRunsListsEveryRunOldestFirst() async throws {
        let path = try temporaryFolder(self).appendingPathComponent("journal.sqlite").path
        let journal = try SQLitePaymentRunJournal(path: path)
        let none = try await journal.runs()
        XCTAssertTrue(none.isEmpty)
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        for (offset, id) in ["week-24", "week-23", "a-later"].enumerated() {
            let record = PaymentRunRecord(runId: id, api: offset == 2 ? .v1 : .sync, companyId: "c", connectionId: "k", planDigest: "d-\(id)",
                                          intentCount: offset + 1, createdAt: start.addingTimeInterval(Double([10, 0, 20][offset])))
            _ = try await journal.createRun(record, entries: [])
        }
        let listed = try await SQLitePaymentRunJournal(path: path).runs()
        XCTAssertEqual(listed.map(\.runId), ["week-23", "week-24", "a-later"])
        XCTAssertEqual(listed.map(\.intentCount), [2, 1, 3])
        XCTAssertEqual(listed.last?.api, .v1)
        XCTAssertEqual(listed.first?.createdAt, start)
    }
}
