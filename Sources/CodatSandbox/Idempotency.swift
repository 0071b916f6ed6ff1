import Foundation

/// `Idempotency-Key` as Codat documents it (CODAT-FACTS.md §1,
/// docs/using-the-api/write-data/idempotency.md):
///
/// - accepted on every `POST` and `PATCH` of both APIs, declared in the document or not;
/// - the key must be a GUID (anything else: 400 naming the header);
/// - the first answer for a key is kept for 90 minutes of sandbox time and every later
///   request with the key gets it back, whatever its status: 400, 409, 422 and 5xx included,
///   injected faults included;
/// - except 429, which releases the key (a retry after `Retry-After` is a fresh attempt);
/// - the same key while the first request is still being processed: 409;
/// - the same key with a different request (body, or method and path): 422.
///
/// Keys belong to a client (the `Authorization` value): the same key sent to another
/// company's path is still the same key, and another client's identical key is not.
final class IdempotencyCache: Sendable {
    enum Decision: Sendable {
        /// The first request with the key: process it, then `finish`.
        case proceed(Ticket)
        /// The answer to give instead of processing (a replay, a 409 or a 422).
        case answer(APIResponse)
    }

    /// Names the entry a `proceed` reserved.
    struct Ticket: Sendable, Hashable {
        fileprivate let scopedKey: String
    }

    private struct Entry: Sendable {
        let method: String
        let path: String
        let body: Data
        /// nil while the first request is being processed.
        var response: APIResponse?
        var storedAt: Date?
    }

    /// How long an answer is kept (Codat: 90 minutes).
    let window: Duration
    private let clock: SandboxClock
    private struct Table: Sendable {
        var entries: [String: Entry] = [:]
        /// The size at which expired answers are swept out next.
        var sweepAt = 1024
    }

    private let table = Locked(Table())

    init(window: Duration, clock: SandboxClock) {
        self.window = window
        self.clock = clock
    }

    /// Whether a request takes part: POST and PATCH always (facts §1), and the operations the
    /// synchronous document declares the header on whatever their method (`update-bill` is a PUT).
    static func applies(method: String, route: RouteInfo?) -> Bool {
        method == "POST" || method == "PATCH" || route?.idempotent == true
    }

    /// A 400 when the header is there but not a GUID, or given more than once.
    static func validate(_ values: [String]) -> SandboxError? {
        guard values.count <= 1 else {
            return .badRequest(
                "The Idempotency-Key header was sent \(values.count) times; send it once.",
                validation: [.init(itemId: "Idempotency-Key", message: "only one Idempotency-Key header is allowed", validatorName: "IdempotencyKey")])
        }
        guard let value = values.first, UUID(uuidString: value.trimmingCharacters(in: .whitespaces)) == nil else { return nil }
        return .badRequest(
            "The Idempotency-Key header must be a GUID; got '\(value)'.",
            validation: [.init(itemId: "Idempotency-Key", message: "the value is not a GUID", validatorName: "IdempotencyKey")])
    }

    func begin(client: String, key: String, method: String, path: String, body: Data) -> Decision {
        let now = clock.now
        let scoped = client + "\u{0}" + key.lowercased().trimmingCharacters(in: .whitespaces)
        return table.withLock { table in
            if let entry = table.entries[scoped], let storedAt = entry.storedAt, now >= storedAt.adding(window) {
                table.entries[scoped] = nil
            }
            guard let entry = table.entries[scoped] else {
                Self.expire(&table, now: now, window: window)
                table.entries[scoped] = Entry(method: method, path: path, body: body)
                return .proceed(Ticket(scopedKey: scoped))
            }
            guard entry.method == method, entry.path == path, entry.body == body else {
                let error = SandboxError(
                    status: 422,
                    message:
                        "Idempotency-Key '\(key)' was already used for a different request (\(entry.method) \(entry.path)); use a new GUID for each request.")
                return .answer(.error(error))
            }
            guard var response = entry.response else {
                return .answer(.error(.conflict("A request with Idempotency-Key '\(key)' is still being processed.")))
            }
            // Not a Codat header (Codat documents none); it lets tests see a replay.
            response.headers.append(("Idempotent-Replayed", "true"))
            return .answer(response)
        }
    }

    /// Keeps the first answer for the key; a 429 releases the key instead (facts §1).
    func finish(_ ticket: Ticket, response: APIResponse) {
        let now = clock.now
        table.withLock { table in
            if response.status == 429 {
                table.entries[ticket.scopedKey] = nil
            } else {
                table.entries[ticket.scopedKey]?.response = response
                table.entries[ticket.scopedKey]?.storedAt = now
            }
        }
    }

    /// Forgets a key whose request never got processed (a connection dropped before processing).
    func abandon(_ ticket: Ticket) {
        table.withLock { $0.entries[ticket.scopedKey] = nil }
    }

    /// Keys kept now (answers and requests in progress), for tests of the bounded memory.
    var count: Int {
        table.withLock { $0.entries.count }
    }

    func clear() {
        table.withLock { $0 = Table() }
    }

    /// Drops answers older than the window, so that the cache does not grow without bound.
    private static func expire(_ table: inout Table, now: Date, window: Duration) {
        // Amortised: a sweep each time the table has doubled since the last one.
        guard table.entries.count >= table.sweepAt else { return }
        table.entries = table.entries.filter { _, entry in
            guard let storedAt = entry.storedAt else { return true }
            return now < storedAt.adding(window)
        }
        table.sweepAt = max(1024, table.entries.count * 2)
    }

    /// Sweeps expired answers now (tests of bounded memory, and `advanceClock`).
    func expire() {
        let now = clock.now
        table.withLock { table in
            table.sweepAt = 0
            Self.expire(&table, now: now, window: window)
        }
    }
}
