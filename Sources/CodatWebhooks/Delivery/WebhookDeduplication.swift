import Foundation

/// Remembers which messages (`webhook-id`) were taken in, so that Codat's retries and replays
/// of one message are handled once (delivery is at least once, CODAT-FACTS.md §4).
///
/// The default is `InMemoryWebhookDeduplication`; stores that survive restarts implement the
/// same two calls: the payment-run journals `SQLitePaymentRunJournal` (module `BillPaySQLite`)
/// and `PostgresPaymentRunJournal` (`BillPayPostgres`), or any table with a unique key.
public protocol WebhookDeduplication: Sendable {
    /// Claims `webhookID` for handling. `true`: first time, handle it; `false`: already claimed
    /// (a retry or replay), acknowledge without handling again. Must be atomic: two concurrent
    /// deliveries of one id get one `true`.
    func claim(_ webhookID: String) async throws -> Bool
    /// Gives a claim back because the message was not taken in after all (the queue was full):
    /// Codat's next retry of it is then handled.
    func release(_ webhookID: String) async throws
}

/// Claims kept in memory for `retention` (by default 30 hours: longer than Codat's 28-hour
/// retry schedule), at most `capacity` of them (the oldest forgotten first). A replay
/// requested after the retention, or a process restart, hands a message over again, so
/// handlers must be idempotent all the same (a push handle settles once).
public actor InMemoryWebhookDeduplication: WebhookDeduplication {
    public static let defaultRetention: Duration = .seconds(30 * 3600)

    public let retention: Duration
    public let capacity: Int
    private let now: @Sendable () -> Date
    /// The live claims: id -> the serial of its entry in `order`.
    private var claims: [String: Int] = [:]
    /// Claims in the order made, which is expiry order as the retention is fixed. Entries
    /// before `head` are gone; an entry whose serial is not its id's live claim was released.
    private var order: [(id: String, expiry: Date, serial: Int)] = []
    private var head = 0
    private var nextSerial = 0

    public init(retention: Duration = defaultRetention, capacity: Int = 100_000, now: @escaping @Sendable () -> Date = { Date() }) {
        self.retention = retention
        self.capacity = max(1, capacity)
        self.now = now
    }

    public func claim(_ webhookID: String) -> Bool {
        let current = now()
        forgetExpired(at: current)
        if claims[webhookID] != nil { return false }
        let expiry = current.addingTimeInterval(TimeInterval(retention.components.seconds))
        claims[webhookID] = nextSerial
        order.append((webhookID, expiry, nextSerial))
        nextSerial += 1
        while claims.count > capacity { dropOldest() }
        return true
    }

    public func release(_ webhookID: String) {
        claims[webhookID] = nil  // its entry in `order` is skipped when reached
    }

    /// How many ids are remembered now.
    public var count: Int {
        forgetExpired(at: now())
        return claims.count
    }

    private func forgetExpired(at date: Date) {
        while head < order.count, order[head].expiry <= date { dropOldest() }
    }

    private func dropOldest() {
        guard head < order.count else { return }
        let entry = order[head]
        head += 1
        if claims[entry.id] == entry.serial { claims[entry.id] = nil }
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
