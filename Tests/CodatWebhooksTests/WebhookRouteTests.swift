import AsyncHTTPClient
import CodatWebhooks
import CodatWebhooksHummingbird
import Foundation
import NIOCore
import XCTest

/// The Hummingbird endpoint over real loopback HTTP: what Codat's delivery gets back.
final class WebhookRouteTests: XCTestCase {
    let messages = TestMessages()

    struct Answer {
        let status: Int
        let text: String
        let retryAfter: String?
    }

    func post(_ url: URL, body: Data, headers: [String: String]) async throws -> Answer {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return Answer(status: Int(response.status.code), text: text, retryAfter: response.headers.first(name: "Retry-After"))
    }

    func startServer(queueCapacity: Int = 100, handler: @escaping @Sendable (WebhookDelivery) async -> Void) async throws -> (CodatWebhookServer, Receipts) {
        let receipts = Receipts()
        let receiver = WebhookReceiver(verifier: messages.verifier, queueCapacity: queueCapacity, handler: handler)
        let server = try await CodatWebhookServer.start(receiver: receiver, maximumBodySize: 64 * 1024) { receipts.append($0) }
        return (server, receipts)
    }

    func testStatusesOverHTTP() async throws {
        let handled = Handled()
        let (server, receipts) = try await startServer { await handled.append($0) }
        let body = TestMessages.writeEvent("billPayments.write.successful", pushOperationID: "push-1", recordID: "bp-1")
        let headers = messages.headers(id: "msg_1", body: body)

        let ok = try await post(server.url, body: body, headers: headers)
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(ok.text, "")
        let duplicate = try await post(server.url, body: body, headers: headers)
        XCTAssertEqual(duplicate.status, 200, "a retry is acknowledged")

        var tampered = body
        tampered[tampered.count - 3] = UInt8(ascii: "X")
        let forged = try await post(server.url, body: tampered, headers: headers)
        XCTAssertEqual(forged.status, 401)
        XCTAssertEqual(forged.text, "401 webhook refused: none of the 1 `v1` signature(s) in `webhook-signature` matches the body under the 1 secret(s) configured\n")

        var noSignature = headers
        noSignature[WebhookHeader.signature] = nil
        let missing = try await post(server.url, body: body, headers: noSignature)
        XCTAssertEqual(missing.status, 401)
        XCTAssertEqual(missing.text, "401 webhook refused: header `webhook-signature` is missing\n")

        let staleBody = TestMessages.writeEvent("bills.write.successful", pushOperationID: "push-2")
        let stale = try await post(server.url, body: staleBody, headers: messages.headers(id: "msg_2", body: staleBody, timestampOffset: -600))
        XCTAssertEqual(stale.status, 401)
        XCTAssertTrue(stale.text.contains("is 600 s old"), stale.text)

        let garbage = Data(#"{"eventType":"bills.write.successful","payload":[]}"#.utf8)
        let undecodable = try await post(server.url, body: garbage, headers: messages.headers(id: "msg_3", body: garbage))
        XCTAssertEqual(undecodable.status, 400)
        XCTAssertTrue(undecodable.text.hasPrefix("400 msg_3: webhook body does not decode as `bills.write.successful`: `payload`"), undecodable.text)

        let huge = Data(repeating: UInt8(ascii: " "), count: 64 * 1024 + 1)
        let tooLarge = try await post(server.url, body: huge, headers: messages.headers(id: "msg_4", body: huge))
        XCTAssertEqual(tooLarge.status, 413)

        await server.stop()  // drains the handler
        let ids = await handled.ids
        XCTAssertEqual(ids, ["msg_1"])
        let write = await handled.deliveries.first?.event.write
        XCTAssertEqual(write?.webhook.payload?.record?.id, "bp-1")
        XCTAssertEqual(receipts.all.map(\.httpStatus), [200, 200, 401, 401, 401, 400])
    }

    func testFullQueueAnswers503WithRetryAfter() async throws {
        let gate = Gate()
        let (server, _) = try await startServer(queueCapacity: 1) { _ in await gate.wait() }
        var statuses: [Int] = []
        var last: Answer?
        for index in 1...3 {
            let body = TestMessages.writeEvent("bills.write.successful", pushOperationID: "push-\(index)")
            last = try await post(server.url, body: body, headers: messages.headers(id: "msg_\(index)", body: body))
            statuses.append(last!.status)
            if index == 1 { try await gate.waitUntilEntered(1) }
        }
        XCTAssertEqual(statuses, [200, 200, 503])
        XCTAssertEqual(last?.retryAfter, "5")
        XCTAssertEqual(last?.text, "503 msg_3 not taken in: the handler queue is full (1 waiting)\n")
        await gate.open()
        await server.stop()
    }

    /// Graceful stop: accepted messages are handled before `stop()` returns.
    func testStopDrainsAcceptedMessages() async throws {
        let gate = Gate()
        let handled = Handled()
        let (server, _) = try await startServer { delivery in
            await gate.wait()
            await handled.append(delivery)
        }
        for index in 1...3 {
            let body = TestMessages.writeEvent("bills.write.successful", pushOperationID: "push-\(index)")
            let answer = try await post(server.url, body: body, headers: messages.headers(id: "msg_\(index)", body: body))
            XCTAssertEqual(answer.status, 200)
        }
        let stopping = Task { await server.stop() }
        try await Task.sleep(for: .milliseconds(50))
        await gate.open()
        await stopping.value
        let ids = await handled.ids
        XCTAssertEqual(ids, ["msg_1", "msg_2", "msg_3"])
    }
}

/// Receipts seen by `onReceipt`, in order.
final class Receipts: @unchecked Sendable {
    private let lock = NSLock()
    private var receipts: [WebhookReceipt] = []
    func append(_ receipt: WebhookReceipt) { lock.withLock { receipts.append(receipt) } }
    var all: [WebhookReceipt] { lock.withLock { receipts } }
}
