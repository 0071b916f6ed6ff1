import BillPay
import BillPayPostgres
import CodatSandbox
import CodatWebhooks
import Foundation
import XCTest

/// The PostgreSQL journal against a real server: claims under `FOR UPDATE SKIP LOCKED`, leases
/// taken over once they run out, and several workers sharing one run.
final class PostgresJournalTests: XCTestCase {
    func entries(runId: String, count: Int) -> [PaymentRunEntry] {
        (0..<count).map { n in
            let intent = PaymentRunIntent(id: PaymentIntentID("p-\(n)"), billId: "bill-\(n)", amount: 1, accountId: "acc", date: "2024-06-01")
            let request = SyncBillPaymentRequest.testPayment(billId: "bill-\(n)")
            return PaymentRunEntry(runId: runId, position: n, intent: intent, payment: .sync(request), updatedAt: Date())
        }
    }

    /// Two journal clients (two workers): claims never overlap; a lease that ran out is taken
    /// over; the first worker's late write is refused (`leaseLost`); its renewal of a lost
    /// lease keeps nothing.
    func testTwoJournalClientsClaimApartAndTakeOverAnExpiredLease() async throws {
        let server = try PostgresServer.start(self)
        let a = try await server.journal(), b = try await server.journal()
        defer { a.shutdown(); b.shutdown() }
        let run = PaymentRunRecord(runId: "leases", api: .sync, companyId: "c", connectionId: "k", planDigest: "d", intentCount: 6, createdAt: Date())
        let created = try await a.createRun(run, entries: entries(runId: "leases", count: 6))
        XCTAssertEqual(created.planDigest, "d")
        // Creating it again (another worker planning the same run) returns the stored one and writes nothing.
        var other = run
        other.planDigest = "other"
        let again = try await b.createRun(other, entries: entries(runId: "leases", count: 2))
        XCTAssertEqual(again.planDigest, "d")
        let allEntries = try await b.entries(runId: "leases")
        XCTAssertEqual(allEntries.count, 6)

        let claimA = try await a.claim(runId: "leases", worker: "A", limit: 4, lease: .seconds(1), excluding: [], now: Date())
        let claimB = try await b.claim(runId: "leases", worker: "B", limit: 4, lease: .seconds(30), excluding: [], now: Date())
        XCTAssertEqual(claimA.entries.map(\.intentId.rawValue), ["p-0", "p-1", "p-2", "p-3"])
        XCTAssertEqual(claimB.entries.map(\.intentId.rawValue), ["p-4", "p-5"])
        XCTAssertEqual(claimB.leasedElsewhere, 4)
        XCTAssertNotNil(claimB.nextLeaseExpiry)
        try await a.update(runId: "leases", intentId: "p-0", worker: "A", state: .recorded, recordId: "pay-0", refusal: nil, note: nil, release: true, now: Date())

        // A stops renewing (crashed); after its lease, B takes over the three A still held.
        try await Task.sleep(for: .milliseconds(1300))
        let takeover = try await b.claim(runId: "leases", worker: "B", limit: 10, lease: .seconds(30), excluding: [], now: Date())
        XCTAssertEqual(Set(takeover.entries.map(\.intentId.rawValue)), ["p-1", "p-2", "p-3", "p-4", "p-5"])
        XCTAssertEqual(takeover.entries.first { $0.intentId == "p-1" }?.claims, 2, "claimed by A, then by B")
        do {
            try await a.update(runId: "leases", intentId: "p-1", worker: "A", state: .recorded, recordId: nil, refusal: nil, note: nil, release: true, now: Date())
            XCTFail("a write after the lease was taken over")
        } catch let error as PaymentRunJournalError {
            XCTAssertEqual(error, .leaseLost(runId: "leases", intentId: "p-1", holder: "B"))
        }
        let renewed = try await a.renew(runId: "leases", worker: "A", intentIds: ["p-1", "p-2"], lease: .seconds(30), now: Date())
        XCTAssertTrue(renewed.isEmpty)
        let stored = try await a.entries(runId: "leases")
        XCTAssertEqual(stored.first?.state, .recorded)
        XCTAssertEqual(stored.first?.recordId, "pay-0")
        XCTAssertEqual(stored.dropFirst().map(\.worker), Array(repeating: "B", count: 5))
    }

    /// `runs()` lists every run, the oldest first, to every client.
    func testRunsListsEveryRunOldestFirst() async throws {
        let server = try PostgresServer.start(self)
        let a = try await server.journal(), b = try await server.journal()
        defer { a.shutdown(); b.shutdown() }
        let none = try await b.runs()
        XCTAssertTrue(none.isEmpty)
        for id in ["week-24", "week-23"] {
            let record = PaymentRunRecord(runId: id, api: .sync, companyId: "c", connectionId: "k", planDigest: "d-\(id)", intentCount: 2, createdAt: Date())
            _ = try await a.createRun(record, entries: entries(runId: id, count: 2))
        }
        let listed = try await b.runs()
        XCTAssertEqual(listed.map(\.runId), ["week-24", "week-23"], "in the order written")
        XCTAssertEqual(listed.map(\.planDigest), ["d-week-24", "d-week-23"])
    }

    /// As `WebhookDeduplication`: two clients (two receiver processes) share claims; when both
    /// claim one id at once exactly one wins; a claim ends after the retention (server clock).
    func testWebhookClaimsAreSharedAndHaveOneWinner() async throws {
        let server = try PostgresServer.start(self)
        let a = try await server.journal(), b = try await server.journal()
        defer { a.shutdown(); b.shutdown() }
        XCTAssertEqual(a.webhookRetention, InMemoryWebhookDeduplication.defaultRetention)
        try await checkClaimsHoldAcrossConnections(a, b)
        try await checkConcurrentClaimsHaveOneWinner(a, b)
        let short = try await PostgresPaymentRunJournal.connect(host: "127.0.0.1", port: server.port, username: "billpay", database: "billpay",
                                                                webhookRetention: .milliseconds(500), logger: quietRunLogger)
        defer { short.shutdown() }
        try await checkClaimsEndAfterTheRetention(short, retention: .milliseconds(500))
    }

    /// The delivery entries (`PaymentJournalStorage`) round-trip through the server.
    func testDeliveryEntriesRoundTrip() async throws {
        let server = try PostgresServer.start(self)
        let journal = try await server.journal()
        defer { journal.shutdown() }
        var entry = sampleDelivery(intent: "i-1", status: .sent)
        try await journal.save(entry)
        entry.status = .recorded
        entry.recordId = "pay-1"
        try await journal.save(entry)
        let loaded = try await journal.load(entry.journalKey)
        XCTAssertEqual(loaded, entry)
        let all = try await journal.all()
        XCTAssertEqual(all, [entry])
    }
}
