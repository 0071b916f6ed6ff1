import CodatWebhooks
import Foundation
import XCTest

/// `InMemoryWebhookDeduplication`: claims once, forgets after the retention or beyond capacity.
final class WebhookDeduplicationTests: XCTestCase {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value = Date(timeIntervalSince1970: 1_796_000_000)
        var now: Date { lock.withLock { value } }
        func advance(_ seconds: TimeInterval) { lock.withLock { value += seconds } }
    }

    func testClaimsOnceUntilTheRetentionEnds() async {
        let clock = Clock()
        let store = InMemoryWebhookDeduplication(retention: .seconds(3600), now: { clock.now })
        let first = await store.claim("msg_1"), second = await store.claim("msg_1")
        XCTAssertTrue(first)
        XCTAssertFalse(second)
        clock.advance(3599)
        let beforeExpiry = await store.claim("msg_1")
        XCTAssertFalse(beforeExpiry)
        clock.advance(1)
        let afterExpiry = await store.claim("msg_1")
        XCTAssertTrue(afterExpiry, "forgotten after the retention")
        let count = await store.count
        XCTAssertEqual(count, 1)
    }

    /// The default outlasts Codat's retry schedule (28 h in all, CODAT-FACTS.md §4).
    func testDefaultRetentionOutlastsCodatsRetries() {
        XCTAssertGreaterThan(InMemoryWebhookDeduplication.defaultRetention, .seconds(28 * 3600 + 300))
    }

    func testReleaseLetsTheNextDeliveryBeHandled() async {
        let store = InMemoryWebhookDeduplication(now: { Date(timeIntervalSince1970: 0) })
        _ = await store.claim("msg_1")
        await store.release("msg_1")
        let again = await store.claim("msg_1"), duplicate = await store.claim("msg_1")
        XCTAssertTrue(again)
        XCTAssertFalse(duplicate, "the stale entry of the released claim does not end the new one")
    }

    func testCapacityForgetsTheOldestFirst() async {
        let store = InMemoryWebhookDeduplication(capacity: 3)
        for id in ["a", "b", "c", "d"] { _ = await store.claim(id) }
        let count = await store.count
        XCTAssertEqual(count, 3)
        let a = await store.claim("a"), d = await store.claim("d")
        XCTAssertTrue(a, "the oldest was forgotten")
        XCTAssertFalse(d)
    }

    func testConcurrentDeliveriesOfOneIDGetOneClaim() async {
        let store = InMemoryWebhookDeduplication()
        let granted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { await store.claim("msg_same") } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        XCTAssertEqual(granted, 1)
    }
}
