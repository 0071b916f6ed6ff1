import CodatWebhooks
import Foundation
import Hummingbird
import LoopbackTestSupport
import NIOCore
import XCTest

/// A webhook consumer on loopback for the sandbox's deliveries: it keeps every request it
/// gets (headers and raw body) and answers as `answer` says for the n-th request (0-based):
/// a status, after a delay.
final class LoopbackConsumer: Sendable {
    struct Received: Sendable {
        let headers: [String: String]
        let body: Data

        func header(_ name: String) -> String? { headers[name.lowercased()] }
        var webhookId: String? { header("webhook-id") }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var eventType: String? { json["eventType"] as? String }
        var payload: [String: Any] { json["payload"] as? [String: Any] ?? [:] }
    }

    typealias Answer = @Sendable (_ index: Int, _ request: Received) -> (status: Int, delay: Duration)

    let url: URL
    private let state: LockedBox<[Received]>

    var received: [Received] { state.value }

    private init(url: URL, state: LockedBox<[Received]>) {
        self.url = url
        self.state = state
    }

    static func start(_ test: XCTestCase, answer: @escaping Answer = { _, _ in (200, .zero) }) async throws -> LoopbackConsumer {
        let state = LockedBox<[Received]>([])
        let router = Router()
        router.post("/webhooks") { request, _ -> Response in
            var request = request
            let body = Data(buffer: try await request.collectBody(upTo: 1 << 20))
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = Received(headers: headers, body: body)
            let index = state.update { list -> Int in
                list.append(received)
                return list.count - 1
            }
            let (status, delay) = answer(index, received)
            if delay > .zero { try await Task.sleep(for: delay) }
            return Response(status: .init(code: status))
        }
        let base = try await startLoopbackApplication(router, label: "webhook-consumer", test: test)
        return LoopbackConsumer(url: base.appendingPathComponent("webhooks"), state: state)
    }
}

/// A value behind a lock, for the consumer's handlers.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) {
        stored = value
    }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func update<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&stored)
    }
}

/// Why `WebhookVerifier` (CodatWebhooks, the consumer's side of facts §4) refuses the
/// delivery under `secret`, or nil when it accepts it.
func verificationFailure(_ received: LoopbackConsumer.Received, secret: String) throws -> String? {
    let verifier = WebhookVerifier(secret: try WebhookSecret(secret))
    do {
        _ = try verifier.verify(body: received.body, headers: received.headers)
        return nil
    } catch {
        return error.description
    }
}
