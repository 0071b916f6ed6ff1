import Foundation

/// One message taken in: verified, decoded, claimed; handed to the handler once.
public struct WebhookDelivery: Sendable {
    public let webhook: VerifiedWebhook
    public let event: CodatWebhookEvent
}

/// What became of one HTTP delivery, and the status to answer Codat with.
public enum WebhookReceipt: Sendable, Equatable, CustomStringConvertible {
    /// Queued for the handler (2xx).
    case accepted(webhookID: String, eventType: String)
    /// Already claimed: a retry or replay, acknowledged without handling again (2xx).
    case duplicate(webhookID: String)
    /// Not signed by Codat with our secret, or stale (401).
    case refused(WebhookVerificationError)
    /// Signed, but the body does not decode (400). Not claimed: a fixed retry is handled.
    case undecodable(webhookID: String, WebhookDecodingError)
    /// Signed and decoded but not taken in, with why: the queue is full, the receiver is
    /// shutting down, or the deduplication store failed (503). Nothing is claimed, so
    /// Codat's retry (5 s, 5 min, 30 min, ... later) is handled like a first delivery.
    case unavailable(webhookID: String, reason: String)

    public var httpStatus: Int {
        switch self {
        case .accepted, .duplicate: 200
        case .refused: 401
        case .undecodable: 400
        case .unavailable: 503
        }
    }

    public var description: String {
        switch self {
        case .accepted(let id, let eventType): "\(httpStatus) accepted \(eventType) \(id)"
        case .duplicate(let id): "\(httpStatus) duplicate \(id), already handled"
        case .refused(let error): "\(httpStatus) \(error)"
        case .undecodable(let id, let error): "\(httpStatus) \(id): \(error)"
        case .unavailable(let id, let reason): "\(httpStatus) \(id) not taken in: \(reason)"
        }
    }
}

/// Takes Codat's deliveries in and hands each message to `handler` once, off the request:
/// `receive` verifies, decodes, claims the `webhook-id` and queues, so the answer goes back
/// well within Codat's 15 seconds whatever the handler does (CODAT-FACTS.md §4).
///
/// - Deduplication: on `webhook-id` through `WebhookDeduplication` (retries, replays and
///   duplicated deliveries are acknowledged without handling again).
/// - Order: none assumed. Messages are handed over in arrival order, whatever their
///   `webhook-timestamp` or `generatedDate`; a late older message is handled, not dropped.
/// - Back-pressure: at most `queueCapacity` messages wait for the handler. When the queue is
///   full the delivery is answered 503 and its claim given back, so Codat delivers it again
///   on its retry schedule: nothing accepted is dropped, nothing is accepted that cannot wait.
///   Accepted messages live in memory until handled: a crash loses them (Codat will not
///   resend what it saw acknowledged), which is why push handles keep polling as a fallback.
public final class WebhookReceiver: Sendable {
    public static let defaultQueueCapacity = 1000

    public let verifier: WebhookVerifier
    public let deduplication: any WebhookDeduplication
    public let queueCapacity: Int
    private let handler: @Sendable (WebhookDelivery) async -> Void
    private let queue: AsyncStream<WebhookDelivery>
    private let continuation: AsyncStream<WebhookDelivery>.Continuation
    private let runs = RunOnce()

    /// - Parameter handler: called once per message, one message at a time, from `run()`.
    public init(
        verifier: WebhookVerifier,
        deduplication: any WebhookDeduplication = InMemoryWebhookDeduplication(),
        queueCapacity: Int = defaultQueueCapacity,
        handler: @escaping @Sendable (WebhookDelivery) async -> Void
    ) {
        self.verifier = verifier
        self.deduplication = deduplication
        self.queueCapacity = max(1, queueCapacity)
        self.handler = handler
        (queue, continuation) = AsyncStream.makeStream(of: WebhookDelivery.self, bufferingPolicy: .bufferingOldest(self.queueCapacity))
    }

    /// Takes one HTTP delivery in: `body` the raw bytes, `header` a case-insensitive lookup.
    public func receive(body: some DataProtocol, header: (String) -> String?) async -> WebhookReceipt {
        let webhook: VerifiedWebhook
        do {
            webhook = try verifier.verify(body: body, header: header)
        } catch {
            return .refused(error)
        }
        let event: CodatWebhookEvent
        do {
            event = try CodatWebhookEvent.decode(webhook.body)
        } catch {
            return .undecodable(webhookID: webhook.id, error)
        }
        do {
            guard try await deduplication.claim(webhook.id) else { return .duplicate(webhookID: webhook.id) }
        } catch {
            return .unavailable(webhookID: webhook.id, reason: "the deduplication store failed: \(error)")
        }
        switch continuation.yield(WebhookDelivery(webhook: webhook, event: event)) {
        case .enqueued:
            return .accepted(webhookID: webhook.id, eventType: event.eventType)
        case .dropped:
            try? await deduplication.release(webhook.id)
            return .unavailable(webhookID: webhook.id, reason: "the handler queue is full (\(queueCapacity) waiting)")
        case .terminated:
            try? await deduplication.release(webhook.id)
            return .unavailable(webhookID: webhook.id, reason: "the receiver is shutting down")
        @unknown default:
            try? await deduplication.release(webhook.id)
            return .unavailable(webhookID: webhook.id, reason: "the handler queue refused it")
        }
    }

    /// Hands queued messages to the handler one at a time, until `finish()` has been called
    /// and the queue is drained. Call once (a second call returns at once).
    public func run() async {
        guard runs.start() else { return }
        for await delivery in queue { await handler(delivery) }
    }

    /// Stops taking messages in (later deliveries get 503); `run()` returns once the
    /// messages already accepted are handled.
    public func finish() {
        continuation.finish()
    }
}

/// A flag set once, safely from any thread.
private final class RunOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var started = false

    func start() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if started { return false }
        started = true
        return true
    }
}
