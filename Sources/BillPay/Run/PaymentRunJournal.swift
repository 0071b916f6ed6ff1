import Foundation

/// Where an intent of a payment run stands. The run writes it before and after every send (the
/// delivery's own `PaymentResumeData`, in the same journal, says which key was sent and when).
public enum PaymentRunIntentState: String, Codable, Hashable, Sendable, CaseIterable {
    /// Validated with the whole plan; nothing sent yet (or: proven not recorded, to send again).
    case planned
    /// A worker is delivering it: a request may be on its way. Resuming looks before sending.
    case sending
    /// (v1) Codat accepted the push; its operation has not settled yet.
    case sent
    /// Recorded: Codat answered with the payment (`recordId`) or a push that succeeded.
    case recorded
    /// Codat refused it, or a check before sending did (`refusal` says what): nothing recorded,
    /// nothing more is sent for it.
    case refused
    /// It may or may not have been recorded and the layer could not find out yet; the resume
    /// data is in the journal. A later start looks again (never resends blind).
    case unknown
    /// It was in flight or unknown and was found recorded by reconciliation (by replaying its key
    /// or from state): paid once.
    case resolved

    /// Nothing more will be done for it.
    public var isFinal: Bool { self == .recorded || self == .refused || self == .resolved }
    /// Paid (recorded or resolved).
    public var isPaid: Bool { self == .recorded || self == .resolved }
}

/// Why an intent was refused: Codat's validation errors (`itemId`, `message`, `validatorName`,
/// CODAT-FACTS §5), its error message, or a check the layer made before sending.
public struct PaymentRefusal: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Who refused.
    public enum Source: String, Codable, Hashable, Sendable {
        /// Codat (an error answer or a failed push operation).
        case codat
        /// A check before sending (plan validation, the bill as it stands, the validator).
        case validation
    }

    /// One validation error.
    public struct Item: Codable, Hashable, Sendable, CustomStringConvertible {
        public var itemId: String?
        public var message: String
        public var validatorName: String?
        public init(itemId: String? = nil, message: String, validatorName: String? = nil) {
            self.itemId = itemId
            self.message = message
            self.validatorName = validatorName
        }
        public var description: String {
            (validatorName.map { "[\($0)] " } ?? "") + (itemId.map { "\($0): " } ?? "") + message
        }
    }

    public var source: Source
    /// The summary (Codat's `errorMessage` or error text, or the check's message).
    public var message: String
    /// The HTTP status of Codat's answer, when it was one.
    public var status: Int?
    public var errors: [Item]

    public init(source: Source, message: String, status: Int? = nil, errors: [Item] = []) {
        self.source = source
        self.message = message
        self.status = status
        self.errors = errors
    }

    public var description: String {
        ([message] + errors.map { "  - \($0)" }).joined(separator: "\n")
    }
}

/// A run as the journal keeps it.
public struct PaymentRunRecord: Codable, Hashable, Sendable {
    public var runId: String
    public var api: PaymentResumeData.API
    public var companyId: String
    public var connectionId: String
    /// SHA-256 of the planned intents: planning the same run again must plan the same payments.
    public var planDigest: String
    public var intentCount: Int
    public var createdAt: Date

    public init(runId: String, api: PaymentResumeData.API, companyId: String, connectionId: String, planDigest: String,
                intentCount: Int, createdAt: Date) {
        self.runId = runId
        self.api = api
        self.companyId = companyId
        self.connectionId = connectionId
        self.planDigest = planDigest
        self.intentCount = intentCount
        self.createdAt = createdAt
    }
}

/// One intent of a run in the journal: what was planned, where it stands, and who works on it.
public struct PaymentRunEntry: Codable, Hashable, Sendable {
    public var runId: String
    /// Its place in the plan (0 first): runs work in plan order.
    public var position: Int
    /// The intent as planned (amounts resolved).
    public var intent: PaymentRunIntent
    /// The payload it sends, fixed at planning.
    public var payment: PlannedPayment
    public var state: PaymentRunIntentState
    /// The recorded payment's id, when Codat named it.
    public var recordId: String?
    /// Why it was refused.
    public var refusal: PaymentRefusal?
    /// The last thing that happened, for people reading the journal.
    public var note: String?
    /// Times a worker took it up.
    public var claims: Int
    /// The worker whose lease it is under, until `leaseExpiresAt` (nil: free).
    public var worker: String?
    public var leaseExpiresAt: Date?
    public var updatedAt: Date

    public init(runId: String, position: Int, intent: PaymentRunIntent, payment: PlannedPayment, state: PaymentRunIntentState = .planned,
                recordId: String? = nil, refusal: PaymentRefusal? = nil, note: String? = nil, claims: Int = 0, worker: String? = nil,
                leaseExpiresAt: Date? = nil, updatedAt: Date) {
        self.runId = runId
        self.position = position
        self.intent = intent
        self.payment = payment
        self.state = state
        self.recordId = recordId
        self.refusal = refusal
        self.note = note
        self.claims = claims
        self.worker = worker
        self.leaseExpiresAt = leaseExpiresAt
        self.updatedAt = updatedAt
    }

    public var intentId: PaymentIntentID { intent.id }
}

/// What a worker got from `claim`.
public struct PaymentRunClaim: Sendable {
    /// The intents now leased to the worker (state unchanged: the worker moves them on).
    public var entries: [PaymentRunEntry]
    /// Intents not final, not excluded, that other workers hold under a lease still running.
    public var leasedElsewhere: Int
    /// When the first of those leases runs out.
    public var nextLeaseExpiry: Date?

    public init(entries: [PaymentRunEntry], leasedElsewhere: Int, nextLeaseExpiry: Date?) {
        self.entries = entries
        self.leasedElsewhere = leasedElsewhere
        self.nextLeaseExpiry = nextLeaseExpiry
    }
}

/// The durable journal of payment runs: the runs and their intents' states, and, as a
/// `PaymentJournalStorage`, each intent's delivery (`PaymentResumeData`: keys, send times, push
/// operation) that the Bill Pay layer writes before every send and after every answer. One
/// store, so that a run killed at any instant leaves everything a resume needs.
///
/// Writes must be durable when they return. Implementations: `SQLitePaymentRunJournal`
/// (module `BillPaySQLite`, one file, the default), `PostgresPaymentRunJournal` (module
/// `BillPayPostgres`, several worker processes), `InMemoryPaymentRunJournal` (tests).
///
/// Leases: a worker claims intents for a time and renews the claim while it works; once a lease
/// has run out, another worker may claim the intent, and resumes it from its delivery entry
/// (reconciling, never sending blind).
public protocol PaymentRunJournal: PaymentJournalStorage {
    /// Writes the run and its intents (all `planned`) in one transaction, unless a run with this
    /// id exists: then returns that run (the caller compares `planDigest`) and writes nothing.
    func createRun(_ run: PaymentRunRecord, entries: [PaymentRunEntry]) async throws -> PaymentRunRecord
    /// The run, if it exists.
    func run(_ runId: String) async throws -> PaymentRunRecord?
    /// Every run in the journal, the oldest first (then by `runId`).
    func runs() async throws -> [PaymentRunRecord]
    /// Every intent of the run, in plan order.
    func entries(runId: String) async throws -> [PaymentRunEntry]
    /// Leases up to `limit` intents that are not final, not in `excluding`, and free (no lease or
    /// an expired one), in plan order, to `worker` until `now + lease`.
    func claim(runId: String, worker: String, limit: Int, lease: Duration, excluding: Set<PaymentIntentID>, now: Date) async throws -> PaymentRunClaim
    /// Extends `worker`'s leases on these intents; returns the ids it still holds (a lease that
    /// ran out and was taken by another worker is not renewed).
    func renew(runId: String, worker: String, intentIds: [PaymentIntentID], lease: Duration, now: Date) async throws -> Set<PaymentIntentID>
    /// Writes the intent's state (and recordId, refusal, note), and ends `worker`'s lease on it
    /// when `release`. Throws `PaymentRunJournalError.leaseLost` when another worker holds it now.
    func update(runId: String, intentId: PaymentIntentID, worker: String, state: PaymentRunIntentState, recordId: String?,
                refusal: PaymentRefusal?, note: String?, release: Bool, now: Date) async throws
}

public enum PaymentRunJournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The intent's lease ran out and another worker holds it now.
    case leaseLost(runId: String, intentId: String, holder: String?)
    /// The run or the intent is not in the journal.
    case notFound(runId: String, intentId: String?)
    /// The journal's storage failed or holds something unreadable.
    case storage(String)

    public var description: String {
        switch self {
        case let .leaseLost(runId, intentId, holder):
            return "run \(runId): the lease on intent \(intentId) ran out and \(holder.map { "worker \($0)" } ?? "another worker") holds it now"
        case let .notFound(runId, intentId):
            return "run \(runId)\(intentId.map { ", intent \($0)," } ?? "") is not in the journal"
        case let .storage(message):
            return "payment run journal: \(message)"
        }
    }
}

/// The journal in memory: for tests, and to see the protocol's semantics in one place.
public actor InMemoryPaymentRunJournal: PaymentRunJournal {
    private var deliveries: [String: PaymentResumeData] = [:]
    private var records: [String: PaymentRunRecord] = [:]
    private var intents: [String: [PaymentRunEntry]] = [:]

    public init() {}

    public func load(_ key: String) -> PaymentResumeData? { deliveries[key] }
    public func save(_ entry: PaymentResumeData) { deliveries[entry.journalKey] = entry }
    public func all() -> [PaymentResumeData] { Array(deliveries.values) }

    public func createRun(_ run: PaymentRunRecord, entries: [PaymentRunEntry]) -> PaymentRunRecord {
        if let existing = records[run.runId] { return existing }
        records[run.runId] = run
        intents[run.runId] = entries.sorted { $0.position < $1.position }
        return run
    }

    public func run(_ runId: String) -> PaymentRunRecord? { records[runId] }

    public func runs() -> [PaymentRunRecord] {
        records.values.sorted { ($0.createdAt, $0.runId) < ($1.createdAt, $1.runId) }
    }

    public func entries(runId: String) -> [PaymentRunEntry] { intents[runId] ?? [] }

    public func claim(runId: String, worker: String, limit: Int, lease: Duration, excluding: Set<PaymentIntentID>, now: Date) -> PaymentRunClaim {
        var list = intents[runId] ?? []
        var claimed: [PaymentRunEntry] = []
        var elsewhere = 0
        var nextExpiry: Date?
        for index in list.indices where !list[index].state.isFinal && !excluding.contains(list[index].intentId) {
            if let expiry = list[index].leaseExpiresAt, expiry > now, list[index].worker != worker {
                elsewhere += 1
                nextExpiry = min(nextExpiry ?? expiry, expiry)
                continue
            }
            guard claimed.count < limit else { continue }
            list[index].worker = worker
            list[index].leaseExpiresAt = now.adding(lease)
            list[index].claims += 1
            list[index].updatedAt = now
            claimed.append(list[index])
        }
        intents[runId] = list
        return PaymentRunClaim(entries: claimed, leasedElsewhere: elsewhere, nextLeaseExpiry: nextExpiry)
    }

    public func renew(runId: String, worker: String, intentIds: [PaymentIntentID], lease: Duration, now: Date) -> Set<PaymentIntentID> {
        let wanted = Set(intentIds)
        var held = Set<PaymentIntentID>()
        var list = intents[runId] ?? []
        for index in list.indices where wanted.contains(list[index].intentId) && list[index].worker == worker {
            list[index].leaseExpiresAt = now.adding(lease)
            held.insert(list[index].intentId)
        }
        intents[runId] = list
        return held
    }

    public func update(runId: String, intentId: PaymentIntentID, worker: String, state: PaymentRunIntentState, recordId: String?,
                       refusal: PaymentRefusal?, note: String?, release: Bool, now: Date) throws {
        guard var list = intents[runId], let index = list.firstIndex(where: { $0.intentId == intentId }) else {
            throw PaymentRunJournalError.notFound(runId: runId, intentId: intentId.rawValue)
        }
        if let holder = list[index].worker, holder != worker, let expiry = list[index].leaseExpiresAt, expiry > now {
            throw PaymentRunJournalError.leaseLost(runId: runId, intentId: intentId.rawValue, holder: holder)
        }
        list[index].state = state
        list[index].recordId = recordId ?? list[index].recordId
        list[index].refusal = refusal
        list[index].note = note
        list[index].updatedAt = now
        if release {
            list[index].worker = nil
            list[index].leaseExpiresAt = nil
        }
        intents[runId] = list
    }
}

/// How journals store their values as text (JSON, sorted keys, ISO 8601 dates), so that every
/// implementation writes and reads the same form.
public enum PaymentJournalCoding {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw PaymentRunJournalError.storage("a stored \(T.self) cannot be read: \(error)")
        }
    }
}
