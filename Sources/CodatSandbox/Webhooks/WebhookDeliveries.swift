import Foundation

// Codat's webhook delivery as CODAT-FACTS.md §4 describes it (Svix underneath): consumers
// subscribe a URL to event types; each message is attempted at once and, while attempts fail
// (no 2xx within 15 seconds), again after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, each
// period counted from the failure before it. Delivery is at least once and in no guaranteed
// order. This file is the bookkeeping (consumers, messages, attempts, faults) on the sandbox
// clock; `WebhookDispatcher` sends over HTTP.

/// A webhook consumer: where Codat sends the events it subscribes to, and the endpoint secret
/// that signs them (`whsec_` + base64 key).
public struct WebhookConsumer: Sendable, Hashable, Codable, Identifiable {
    public let id: String
    /// `http://127.0.0.1:PORT/webhooks`
    public var url: URL
    /// The endpoint's signing secret, `whsec_…`.
    public var secret: String
    /// The event types sent (`billPayments.write.successful`); empty: every event type.
    public var eventTypes: [String]

    func subscribes(to eventType: String) -> Bool {
        eventTypes.isEmpty || eventTypes.contains(eventType)
    }
}

/// What the sandbox does to a webhook message a fault rule picks. A slow consumer needs no
/// fault: an attempt not answered within `SandboxConfiguration.webhookTimeout` fails (facts §4).
public enum WebhookFault: Sendable, Hashable {
    /// The attempt is sent twice, both copies alike (same `webhook-id`, body and signature):
    /// Codat delivers at least once (facts §4).
    case duplicate
    /// The message's first attempt waits `delay` of sandbox time, so that messages generated
    /// after it are delivered first: Codat guarantees no order (facts §4).
    case reorder(delay: Duration)
    /// The attempt is signed with another secret (the consumer must refuse it; the retry is
    /// signed correctly).
    case badSignature
    /// The attempt's `webhook-timestamp` is `age` older than the send (past the 5 minutes a
    /// verifier tolerates by default).
    case staleTimestamp(age: Duration)

    var name: String {
        switch self {
        case .duplicate: return "duplicate"
        case .reorder(let delay): return "reorder \(delay)"
        case .badSignature: return "badSignature"
        case .staleTimestamp(let age): return "staleTimestamp \(age)"
        }
    }

    /// Whether the fault applies when the message is created (rather than to an attempt).
    var appliesToMessage: Bool {
        if case .reorder = self { return true }
        return false
    }
}

/// A webhook fault and the messages it applies to.
public struct WebhookFaultRule: Sendable, Hashable, Identifiable {
    public let id: Int
    public let fault: WebhookFault
    /// Only messages of this event type; nil: every message.
    public let eventType: String?
    /// How many more times the rule may fire; nil for no limit.
    public internal(set) var remaining: Int?
    /// How many times the rule fired.
    public internal(set) var fired: Int = 0
}

/// One HTTP request of a delivery attempt, as the delivery log shows it.
public struct WebhookAttempt: Sendable, Hashable, Codable {
    /// 1 for the first attempt, up to `WebhookDeliveries.retrySchedule.count`.
    public let attempt: Int
    /// Sandbox time the request was sent.
    public let sentAt: Date
    /// The `webhook-timestamp` header sent (Unix seconds, wall clock: what a verifier checks).
    public let webhookTimestamp: Int
    /// The consumer's status; nil when it gave none (refused connection, timeout).
    public let statusCode: Int?
    /// Why the attempt failed without a status.
    public let error: String?
    /// Wall-clock milliseconds until the answer (or the failure).
    public let milliseconds: Int
    /// Faults applied to this request (`duplicate`, `badSignature` ...).
    public let faults: [String]
    /// A 2xx within the timeout.
    public let succeeded: Bool
}

/// A message: one event for one consumer, with its attempts so far.
public struct WebhookMessage: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Not yet delivered; `nextAttemptAt` says when it is tried next.
        case pending
        /// A 2xx came back.
        case delivered
        /// Every attempt of the schedule failed.
        case failed
    }

    /// The `webhook-id` header: the same on every attempt and copy (consumers deduplicate on it).
    public let webhookId: String
    /// The event's `id` in the body.
    public let eventId: String
    public let eventType: String
    public let consumerId: String
    public let companyId: String
    /// The write request the event reports (`payload.id`).
    public let pushOperationKey: String
    /// The body as sent (JSON).
    public let body: String
    /// Sandbox time the event was generated.
    public let createdAt: Date
    public internal(set) var status: Status
    public internal(set) var attempts: [WebhookAttempt]
    /// Sandbox time of the next attempt while pending.
    public internal(set) var nextAttemptAt: Date?
    /// Faults applied to the message itself (`reorder`).
    public internal(set) var faults: [String]
}

/// An attempt to send now: the message, where, and the faults drawn for it.
struct WebhookJob: Sendable {
    let sequence: Int
    let attempt: Int
    let consumer: WebhookConsumer
    let webhookId: String
    let body: Data
    let faults: [WebhookFault]
}

/// Consumers, messages and fault rules; every time is sandbox time.
struct WebhookDeliveries: Sendable {
    /// Codat's schedule (facts §4; Svix's): attempt *n* is made `retrySchedule[n - 1]` after
    /// attempt *n - 1* failed (the first one at once), eight attempts over about 28 hours.
    static let retrySchedule: [Duration] = [
        .zero, .seconds(5), .seconds(5 * 60), .seconds(30 * 60), .seconds(2 * 3600), .seconds(5 * 3600),
        .seconds(10 * 3600), .seconds(10 * 3600),
    ]

    private(set) var consumers: [WebhookConsumer] = []
    /// Messages by sequence, oldest first.
    private(set) var messages: [Int: WebhookMessage] = [:]
    private var order: [Int] = []
    private var nextSequence = 1
    private var inFlight: Set<Int> = []
    private(set) var rules: [WebhookFaultRule] = []
    private var nextRuleId = 1
    private var nextConsumerId = 1
    /// Messages kept in the log; beyond it the oldest settled ones go (pending ones stay).
    let logLimit: Int

    init(logLimit: Int) {
        self.logLimit = logLimit
    }

    // MARK: Consumers

    mutating func addConsumer(url: URL, secret: String, eventTypes: [String]) -> WebhookConsumer {
        let consumer = WebhookConsumer(id: "consumer-\(nextConsumerId)", url: url, secret: secret, eventTypes: eventTypes)
        nextConsumerId += 1
        consumers.append(consumer)
        return consumer
    }

    /// Removes the consumer; its pending messages are dropped (Codat stops sending to a deleted endpoint).
    mutating func removeConsumer(id: String) -> Bool {
        guard consumers.contains(where: { $0.id == id }) else { return false }
        consumers.removeAll { $0.id == id }
        for sequence in order where messages[sequence]?.consumerId == id && messages[sequence]?.status == .pending {
            messages[sequence]?.status = .failed
            messages[sequence]?.nextAttemptAt = nil
        }
        return true
    }

    // MARK: Messages

    /// One message per subscribed consumer for each outcome, first attempt due at the outcome.
    mutating func record(_ outcomes: [WriteOutcome]) {
        guard !consumers.isEmpty else { return }
        for outcome in outcomes {
            let eventId = UUID().uuidString.lowercased()
            let body = outcome.event(id: eventId).data()
            // Svix message ids: `msg_` and a unique token, the same for every consumer.
            let webhookId = "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            for consumer in consumers where consumer.subscribes(to: outcome.eventType) {
                var message = WebhookMessage(
                    webhookId: webhookId, eventId: eventId, eventType: outcome.eventType, consumerId: consumer.id,
                    companyId: outcome.companyId, pushOperationKey: outcome.pushOperationKey,
                    body: String(decoding: body, as: UTF8.self), createdAt: outcome.completedOn, status: .pending,
                    attempts: [], nextAttemptAt: outcome.completedOn, faults: [])
                for fault in drawFaults(eventType: outcome.eventType, message: true) {
                    if case .reorder(let delay) = fault { message.nextAttemptAt = outcome.completedOn.adding(delay) }
                    message.faults.append(fault.name)
                }
                messages[nextSequence] = message
                order.append(nextSequence)
                nextSequence += 1
            }
        }
        trim()
    }

    /// The messages in the log, oldest first.
    var log: [WebhookMessage] {
        order.compactMap { messages[$0] }
    }

    mutating func clearLog() {
        order = order.filter { messages[$0]?.status == .pending || inFlight.contains($0) }
        messages = messages.filter { order.contains($0.key) }
    }

    /// Attempts due at `now` and not in flight, in due order; marked in flight.
    mutating func takeDue(now: Date) -> [WebhookJob] {
        let due = order.filter { sequence in
            guard !inFlight.contains(sequence), let message = messages[sequence], message.status == .pending,
                  let at = message.nextAttemptAt else { return false }
            return at <= now
        }.sorted { (messages[$0]!.nextAttemptAt!, $0) < (messages[$1]!.nextAttemptAt!, $1) }
        return due.compactMap { sequence in
            guard let message = messages[sequence],
                  let consumer = consumers.first(where: { $0.id == message.consumerId }) else { return nil }
            inFlight.insert(sequence)
            return WebhookJob(
                sequence: sequence, attempt: message.attempts.count + 1, consumer: consumer, webhookId: message.webhookId,
                body: Data(message.body.utf8), faults: drawFaults(eventType: message.eventType, message: false))
        }
    }

    /// Records an attempt's requests (two for a duplicate); when none succeeded, schedules the
    /// next attempt from `now`, or gives up after the last one.
    mutating func finish(_ job: WebhookJob, attempts: [WebhookAttempt], now: Date) {
        inFlight.remove(job.sequence)
        guard var message = messages[job.sequence] else { return }
        message.attempts += attempts
        if attempts.contains(where: \.succeeded) {
            message.status = .delivered
            message.nextAttemptAt = nil
        } else if message.status == .pending, job.attempt < Self.retrySchedule.count {
            message.nextAttemptAt = now.adding(Self.retrySchedule[job.attempt])
        } else {
            message.status = .failed
            message.nextAttemptAt = nil
        }
        messages[job.sequence] = message
    }

    /// Sandbox time of the earliest pending attempt not in flight.
    var nextDue: Date? {
        order.lazy.filter { !inFlight.contains($0) }.compactMap { self.messages[$0]?.nextAttemptAt }.min()
    }

    private mutating func trim() {
        var excess = order.count - logLimit
        guard excess > 0 else { return }
        order.removeAll { sequence in
            guard excess > 0, let message = messages[sequence], message.status != .pending, !inFlight.contains(sequence) else { return false }
            messages[sequence] = nil
            excess -= 1
            return true
        }
    }

    // MARK: Faults

    mutating func addRule(_ fault: WebhookFault, eventType: String?, times: Int?) -> WebhookFaultRule {
        let rule = WebhookFaultRule(id: nextRuleId, fault: fault, eventType: eventType, remaining: times)
        nextRuleId += 1
        rules.append(rule)
        return rule
    }

    mutating func removeRule(id: Int) -> Bool {
        let before = rules.count
        rules.removeAll { $0.id == id }
        return rules.count != before
    }

    mutating func removeAllRules() {
        rules.removeAll()
    }

    /// The faults for a message (when created) or an attempt, one per kind; rules that run out go.
    private mutating func drawFaults(eventType: String, message: Bool) -> [WebhookFault] {
        var chosen: [WebhookFault] = []
        for index in rules.indices {
            let rule = rules[index]
            guard rule.fault.appliesToMessage == message, rule.eventType == nil || rule.eventType == eventType,
                  !chosen.contains(where: { $0.name == rule.fault.name }) else { continue }
            rules[index].fired += 1
            if let remaining = rule.remaining { rules[index].remaining = remaining - 1 }
            chosen.append(rule.fault)
        }
        rules.removeAll { ($0.remaining ?? 1) <= 0 }
        return chosen
    }
}

// MARK: - JSON form, for the control API

extension WebhookFault: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, seconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "duplicate": self = .duplicate
        case "reorder": self = .reorder(delay: try Self.seconds(in: container, default: 60))
        case "badSignature": self = .badSignature
        case "staleTimestamp": self = .staleTimestamp(age: try Self.seconds(in: container, default: 600))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown webhook fault type '\(type)' (duplicate, reorder, badSignature, staleTimestamp)")
        }
    }

    /// `seconds`, from 0 to a year (a larger number would not fit a duration).
    private static func seconds(in container: KeyedDecodingContainer<CodingKeys>, default value: Double) throws -> Duration {
        let seconds = try container.decodeIfPresent(Double.self, forKey: .seconds) ?? value
        guard seconds.isFinite, seconds >= 0, seconds <= 365 * 86_400 else {
            throw DecodingError.dataCorruptedError(
                forKey: .seconds, in: container, debugDescription: "seconds must be from 0 to a year of seconds; got \(seconds)")
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .duplicate: try container.encode("duplicate", forKey: .type)
        case .reorder(let delay):
            try container.encode("reorder", forKey: .type)
            try container.encode(delay.seconds, forKey: .seconds)
        case .badSignature: try container.encode("badSignature", forKey: .type)
        case .staleTimestamp(let age):
            try container.encode("staleTimestamp", forKey: .type)
            try container.encode(age.seconds, forKey: .seconds)
        }
    }

    /// Why the fault cannot be applied, or nil.
    var problem: String? {
        switch self {
        case .reorder(let delay) where delay <= .zero: return "reorder needs a positive delay (seconds); got \(delay)"
        case .staleTimestamp(let age) where age <= .zero: return "staleTimestamp needs a positive age (seconds); got \(age)"
        default: return nil
        }
    }
}

extension WebhookFaultRule: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, fault, eventType, remaining, fired
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int.self, forKey: .id) ?? 0
        fault = try container.decode(WebhookFault.self, forKey: .fault)
        eventType = try container.decodeIfPresent(String.self, forKey: .eventType)
        remaining = try container.decodeIfPresent(Int.self, forKey: .remaining)
        fired = try container.decodeIfPresent(Int.self, forKey: .fired) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(fault, forKey: .fault)
        try container.encodeIfPresent(eventType, forKey: .eventType)
        try container.encodeIfPresent(remaining, forKey: .remaining)
        try container.encode(fired, forKey: .fired)
    }
}
