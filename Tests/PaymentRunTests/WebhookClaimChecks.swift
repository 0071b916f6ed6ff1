import BillPay
import CodatWebhooks
import Foundation
import XCTest

// Checks of a journal as `WebhookDeduplication` (CODAT-FACTS §4: delivery is at least once,
// consumers deduplicate on `webhook-id`), shared by the SQLite and PostgreSQL tests
// (PaymentRunPostgresTests links this file). `first` and `second` are two connections to one
// store (two processes, or one process before and after a restart).

/// A signed `billPayments.write.successful` delivery, as Codat's consumer endpoint receives it.
struct SignedWebhook {
    static let secret = WebhookSecret.generate()
    let id: String
    let body: Data
    let headers: [String: String]

    init(id: String) {
        self.id = id
        body = Data("""
            {"id":"evt-\(id)","eventType":"billPayments.write.successful","generatedDate":"2026-11-30T00:20:07Z",\
            "payload":{"id":"push-\(id)","type":"Create","referenceCompany":{"id":"company-1","name":"Fenwick Ltd"},\
            "connectionId":"connection-1","requestedOnDate":"2026-11-30T00:20:00Z","completedOnDate":"2026-11-30T00:20:07Z",\
            "status":"Success","record":{"id":"payment-\(id)"}}}
            """.utf8)
        headers = WebhookSigner(secret: Self.secret).headers(id: id, body: body)
    }

    func deliver(to receiver: WebhookReceiver) async -> WebhookReceipt {
        let headers = self.headers
        return await receiver.receive(body: body) { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value }
    }
}

/// A receiver using `deduplication`, with a handler that does nothing.
func webhookReceiver(_ deduplication: any WebhookDeduplication) -> WebhookReceiver {
    WebhookReceiver(verifier: WebhookVerifier(secret: SignedWebhook.secret), deduplication: deduplication) { _ in }
}

/// Claims once; the claim holds for every connection (and after a restart) until released.
func checkClaimsHoldAcrossConnections(_ first: any WebhookDeduplication, _ second: any WebhookDeduplication,
                                      file: StaticString = #filePath, line: UInt = #line) async throws {
    let claimed = try await first.claim("msg_1")
    let again = try await first.claim("msg_1")
    let elsewhere = try await second.claim("msg_1")
    XCTAssertTrue(claimed, file: file, line: line)
    XCTAssertFalse(again, "a retry on the same connection", file: file, line: line)
    XCTAssertFalse(elsewhere, "a retry seen by another connection", file: file, line: line)
    try await second.release("msg_1")
    let afterRelease = try await first.claim("msg_1")
    XCTAssertTrue(afterRelease, "released (not taken in): the next delivery is handled", file: file, line: line)

    // Through receivers, as Codat delivers: the first accepts, a receiver started after a
    // restart (the other connection) acknowledges the retry as a duplicate.
    let message = SignedWebhook(id: "msg_\(UUID().uuidString)")
    let accepted = await message.deliver(to: webhookReceiver(first))
    XCTAssertEqual(accepted, .accepted(webhookID: message.id, eventType: "billPayments.write.successful"), file: file, line: line)
    let retried = await message.deliver(to: webhookReceiver(second))
    XCTAssertEqual(retried, .duplicate(webhookID: message.id), file: file, line: line)
}

/// Both connections claim the same ids at once: each id has exactly one winner.
func checkConcurrentClaimsHaveOneWinner(_ first: any WebhookDeduplication, _ second: any WebhookDeduplication, ids: Int = 100,
                                        file: StaticString = #filePath, line: UInt = #line) async throws {
    let names = (0..<ids).map { "race-\($0)" }
    let wins = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
        for name in names {
            group.addTask { (name, try await first.claim(name)) }
            group.addTask { (name, try await second.claim(name)) }
        }
        var wins: [String: Int] = [:]
        for try await (name, won) in group where won { wins[name, default: 0] += 1 }
        return wins
    }
    XCTAssertEqual(wins.count, ids, "every id claimed", file: file, line: line)
    XCTAssertTrue(wins.values.allSatisfy { $0 == 1 }, "one winner per id: \(wins.filter { $0.value != 1 })", file: file, line: line)
}

/// After the retention a claim is forgotten (a replay requested later is handled again).
func checkClaimsEndAfterTheRetention(_ store: any WebhookDeduplication, retention: Duration,
                                     file: StaticString = #filePath, line: UInt = #line) async throws {
    let claimed = try await store.claim("msg_retained")
    let within = try await store.claim("msg_retained")
    XCTAssertTrue(claimed, file: file, line: line)
    XCTAssertFalse(within, file: file, line: line)
    try await Task.sleep(for: retention + .milliseconds(300))
    let after = try await store.claim("msg_retained")
    XCTAssertTrue(after, "forgotten after the retention", file: file, line: line)
}
