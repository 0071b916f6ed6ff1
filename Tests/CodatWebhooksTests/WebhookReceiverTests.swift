import CodatWebhooks
import Foundation
import XCTest

/// The receiver without HTTP: verification, decoding, deduplication, order, the hand-off queue.
final class WebhookReceiverTests: XCTestCase {
    let messages = TestMessages()

    func receive(_ receiver: WebhookReceiver, id: String, body: Data, timestampOffset: TimeInterval = 0) async -> WebhookReceipt {
        let headers = messages.headers(id: id, body: body, timestampOffset: timestampOffset)
        return await receiver.receive(body: body) { headers[$0] }
    }

    /// Retries and duplicates (same `webhook-id`) handled once; messages handed over in arrival
    /// order whatever their timestamps (delivery is at least once, in no order: CODAT-FACTS.md §4).
    func testDuplicatedAndReorderedDeliveriesAreHandledOnceEach() async {
        let handled = Handled()
        let receiver = WebhookReceiver(verifier: messages.verifier) { await handled.append($0) }
        let run = Task { await receiver.run() }
        let first = TestMessages.writeEvent("bills.write.successful", pushOperationID: "push-1", recordID: "bill-1")
        let second = TestMessages.writeEvent("billPayments.write.unsuccessful", pushOperationID: "push-2", status: "Failed")
        // The later message first; then the earlier one, signed 60 s before; then retries of both.
        let receipts = [
            await receive(receiver, id: "msg_2", body: second),
            await receive(receiver, id: "msg_1", body: first, timestampOffset: -60),
            await receive(receiver, id: "msg_2", body: second, timestampOffset: 5),
            await receive(receiver, id: "msg_1", body: first, timestampOffset: 10),
        ]
        XCTAssertEqual(receipts, [
            .accepted(webhookID: "msg_2", eventType: "billPayments.write.unsuccessful"),
            .accepted(webhookID: "msg_1", eventType: "bills.write.successful"),
            .duplicate(webhookID: "msg_2"),
            .duplicate(webhookID: "msg_1"),
        ])
        XCTAssertEqual(receipts.map(\.httpStatus), [200, 200, 200, 200])
        receiver.finish()
        await run.value
        let ids = await handled.ids
        XCTAssertEqual(ids, ["msg_2", "msg_1"])
        let events = await handled.deliveries.map(\.event.eventType)
        XCTAssertEqual(events, ["billPayments.write.unsuccessful", "bills.write.successful"])
    }

    func testRefusalsAndUndecodableBodiesAreNotClaimed() async {
        let store = InMemoryWebhookDeduplication()
        let receiver = WebhookReceiver(verifier: messages.verifier, deduplication: store) { _ in }
        let body = TestMessages.writeEvent("bills.write.successful", pushOperationID: "push-1")
        var headers = messages.headers(id: "msg_1", body: body)
        headers[WebhookHeader.signature] = WebhookSigner(secret: .generate()).signature(id: "msg_1", timestamp: 1_796_000_000, body: body)
        let forged = await receiver.receive(body: body) { headers[$0] }
        XCTAssertEqual(forged, .refused(.noMatchingSignature(signatures: 1, secrets: 1)))
        XCTAssertEqual(forged.httpStatus, 401)
        let stale = await receive(receiver, id: "msg_1", body: body, timestampOffset: -301)
        XCTAssertEqual(stale.httpStatus, 401)
        let garbage = await receive(receiver, id: "msg_1", body: Data("{}".utf8))
        XCTAssertEqual(garbage, .undecodable(webhookID: "msg_1", WebhookDecodingError(eventType: nil, problem: "no `eventType` in the message")))
        XCTAssertEqual(garbage.httpStatus, 400)
        let count = await store.count
        XCTAssertEqual(count, 0)
        let good = await receive(receiver, id: "msg_1", body: body)
        XCTAssertEqual(good.httpStatus, 200)
    }

    /// The answer does not wait for the handler: with the handler stuck, deliveries are still
    /// answered at once until the queue is full; then 503 and the claim given back, so Codat's
    /// retry of that message is taken in once there is room.
    func testAFullQueueAnswers503AndTheRetryIsTakenInLater() async throws {
        let gate = Gate()
        let handled = Handled()
        let receiver = WebhookReceiver(verifier: messages.verifier, queueCapacity: 2) { delivery in
            await gate.wait()
            await handled.append(delivery)
        }
        let run = Task { await receiver.run() }
        let bodies = (1...4).map { TestMessages.writeEvent("bills.write.successful", pushOperationID: "push-\($0)") }
        var receipts: [WebhookReceipt] = []
        for (index, body) in bodies.enumerated() {
            receipts.append(await receive(receiver, id: "msg_\(index + 1)", body: body))
            if index == 0 { try await gate.waitUntilEntered(1) }  // msg_1 is in the (stuck) handler, out of the queue
        }
        XCTAssertEqual(receipts.map(\.httpStatus), [200, 200, 200, 503])
        XCTAssertEqual(receipts[3], .unavailable(webhookID: "msg_4", reason: "the handler queue is full (2 waiting)"))
        await gate.open()
        // Codat's retry of msg_4, signed anew 5 s later.
        var retry = await receive(receiver, id: "msg_4", body: bodies[3], timestampOffset: 5)
        for _ in 0..<50 where retry.httpStatus == 503 {
            try await Task.sleep(for: .milliseconds(20))
            retry = await receive(receiver, id: "msg_4", body: bodies[3], timestampOffset: 5)
        }
        XCTAssertEqual(retry, .accepted(webhookID: "msg_4", eventType: "bills.write.successful"))
        receiver.finish()
        await run.value
        let ids = await handled.ids
        XCTAssertEqual(ids, ["msg_1", "msg_2", "msg_3", "msg_4"])
    }

    func testAfterFinishDeliveriesAre503AndNotClaimed() async {
        let store = InMemoryWebhookDeduplication()
        let receiver = WebhookReceiver(verifier: messages.verifier, deduplication: store) { _ in }
        receiver.finish()
        let receipt = await receive(receiver, id: "msg_1", body: TestMessages.writeEvent("bills.write.successful", pushOperationID: "p"))
        XCTAssertEqual(receipt, .unavailable(webhookID: "msg_1", reason: "the receiver is shutting down"))
        let claimed = await store.claim("msg_1")
        XCTAssertTrue(claimed)
    }

    struct BrokenStore: WebhookDeduplication {
        struct Down: Error, CustomStringConvertible { var description: String { "journal unreachable" } }
        func claim(_ webhookID: String) async throws -> Bool { throw Down() }
        func release(_ webhookID: String) async throws {}
    }

    func testAFailingDeduplicationStoreAnswers503() async {
        let receiver = WebhookReceiver(verifier: messages.verifier, deduplication: BrokenStore()) { _ in }
        let receipt = await receive(receiver, id: "msg_1", body: TestMessages.writeEvent("bills.write.successful", pushOperationID: "p"))
        XCTAssertEqual(receipt, .unavailable(webhookID: "msg_1", reason: "the deduplication store failed: journal unreachable"))
    }
}

/// Holds handlers until opened.
actor Gate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private(set) var entered = 0
    func wait() async {
        entered += 1
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }
    /// Waits (up to 10 s) until `count` handlers have reached the gate.
    func waitUntilEntered(_ count: Int) async throws {
        for _ in 0..<1000 where entered < count { try await Task.sleep(for: .milliseconds(10)) }
        if entered < count { throw CancellationError() }
    }
    func open() {
        isOpen = true
        waiting.forEach { $0.resume() }
        waiting.removeAll()
    }
}
