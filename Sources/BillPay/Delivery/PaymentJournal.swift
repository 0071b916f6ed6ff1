import PayablesRuntime
import Foundation

/// What the layer knows about one payment intent, written down before every send and after
/// every answer: the intent id, the `Idempotency-Key` of each attempt and when it was first
/// sent, the push operation (v1), the bill's amount due before sending (synchronous API).
///
/// It is the resume data of `PaymentOutcomeUnknownError`, and what a `PaymentJournal` keeps, so
/// that a later call (in this process or after a restart) resumes the intent instead of paying
/// it again.
public struct PaymentResumeData: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Which API the intent is paid through.
    public enum API: String, Codable, Sendable, Hashable {
        case sync, v1
    }

    /// Where the intent stands.
    public enum Status: String, Codable, Sendable, Hashable {
        /// The last attempt was sent and its outcome is not known yet.
        case sent
        /// (v1) Codat answered the push with an operation that has not settled (Pending, or
        /// TimedOut: the write may still land).
        case accepted
        /// Recorded once: nothing more is ever sent for the intent.
        case recorded
        /// Proven not recorded (refused, failed, or found absent): a later call sends a new attempt.
        case notRecorded
    }

    /// One `Idempotency-Key` of the intent and what is known of it.
    public struct Attempt: Codable, Sendable, Hashable {
        /// 1 for the first key; a new number only after the previous one was proven not recorded.
        public var number: Int
        /// The `Idempotency-Key` sent (`PaymentIntentID.idempotencyKey(companyId:attempt:)`).
        public var idempotencyKey: String
        /// When the key was first sent: Codat replays its first answer for 90 minutes from then.
        public var firstSentAt: Date
        /// Requests sent with this key.
        public var sends: Int
        /// The status of a final answer Codat keeps replaying for the key (a 5XX), if one came.
        public var replayedStatus: Int?
    }

    public var intentId: PaymentIntentID
    public var api: API
    public var companyId: String
    public var connectionId: String
    /// The bills the payment pays.
    public var billIds: [String]
    /// The amount paid (synchronous: in the bill's currency; v1: `totalAmount`).
    public var amount: Decimal
    /// SHA-256 (hex) of the JSON body as sent: a later call must ask for the same payment.
    public var payloadDigest: String
    /// (Synchronous) the bill's `amountDue` read just before the first send.
    public var amountDueBefore: Decimal?
    public var attempts: [Attempt]
    /// (v1) The push operation Codat answered, once one answer arrived.
    public var pushOperationKey: String?
    /// The recorded payment's id, once known.
    public var recordId: String?
    public var status: Status
    /// The last thing that happened, for people reading the journal.
    public var note: String?

    /// The attempt in progress (the last one).
    public var currentAttempt: Attempt? { attempts.last }
    /// Every key sent for the intent, first first.
    public var idempotencyKeys: [String] { attempts.map(\.idempotencyKey) }
    /// When the intent was first sent.
    public var firstSentAt: Date? { attempts.first?.firstSentAt }

    public var description: String {
        "intent \(intentId) (\(api), company \(companyId)): \(status.rawValue), keys \(idempotencyKeys.joined(separator: ", "))"
            + (pushOperationKey.map { ", push operation \($0)" } ?? "") + (firstSentAt.map { ", first sent \($0)" } ?? "")
            + (note.map { ": \($0)" } ?? "")
    }

    /// The journal's name for the intent (`PaymentJournalStorage.load` takes it): `<company>/<intent>`.
    public var journalKey: String { Self.journalKey(companyId: companyId, intentId: intentId) }
    public static func journalKey(companyId: String, intentId: PaymentIntentID) -> String { "\(companyId)/\(intentId.rawValue)" }

    static func digest(of body: some Encodable) throws -> String {
        let json = try JSONCoding.encoder.encode(body)
        return SHA256.digest(Array(json)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

/// Where a `PaymentJournal` keeps its entries. Writes must be durable when `save` returns for
/// the guarantee to survive a crash (`PaymentJournalFiles` is; `InMemoryPaymentJournalStorage`
/// survives only as long as the process).
public protocol PaymentJournalStorage: Sendable {
    func load(_ key: String) async throws -> PaymentResumeData?
    func save(_ entry: PaymentResumeData) async throws
    func all() async throws -> [PaymentResumeData]
}

/// Entries in memory: for tests, and for a process that keeps resume data itself.
public actor InMemoryPaymentJournalStorage: PaymentJournalStorage {
    private var entries: [String: PaymentResumeData] = [:]
    public init() {}
    public func load(_ key: String) -> PaymentResumeData? { entries[key] }
    public func save(_ entry: PaymentResumeData) { entries[entry.journalKey] = entry }
    public func all() -> [PaymentResumeData] { Array(entries.values) }
}

/// One JSON file per intent in a directory, replaced atomically on every change.
public actor PaymentJournalFiles: PaymentJournalStorage {
    public let directory: URL
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
    private let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Creates the directory if needed.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func file(_ key: String) -> URL {
        // The key holds a company id and an intent id: hashed, so that any id makes a file name.
        let name = SHA256.digest(Array(key.utf8)).prefix(16).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        return directory.appendingPathComponent("intent-\(name).json")
    }

    public func load(_ key: String) throws -> PaymentResumeData? {
        let url = file(key)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try decoder.decode(PaymentResumeData.self, from: Data(contentsOf: url))
        } catch {
            throw PaymentJournalError.unreadable(path: url.path, reason: "\(error)")
        }
    }

    public func save(_ entry: PaymentResumeData) throws {
        try encoder.encode(entry).write(to: file(entry.journalKey), options: .atomic)
    }

    public func all() throws -> [PaymentResumeData] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("intent-") && $0.pathExtension == "json" }
        return try files.map { url in
            do {
                return try decoder.decode(PaymentResumeData.self, from: Data(contentsOf: url))
            } catch {
                throw PaymentJournalError.unreadable(path: url.path, reason: "\(error)")
            }
        }
    }
}

public enum PaymentJournalError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "payment journal entry \(path) cannot be read: \(reason)"
        }
    }
}

/// The payment intents of a process: their resume data (in a `PaymentJournalStorage`) and who
/// is working on what right now. Share one journal between every `SyncBillPay` and
/// `AsyncBillPay` of a process: it lets one call at a time work on an intent (a second,
/// concurrent call of the same intent gets the first one's result, and sends nothing), and one
/// synchronous payment at a time work on a bill (its amount due then tells whose payment landed).
public final class PaymentJournal: Sendable {
    public let storage: any PaymentJournalStorage
    private let running = Locked<[String: Task<any Sendable, any Error>]>([:])
    private let bills = KeyedMutex()
    /// Synchronous intents whose outcome is not settled, by company and bill (loaded once from
    /// the storage, then kept up to date by `save`).
    private let unsettled = Locked<[String: Set<PaymentIntentID>]?>(nil)

    public init(storage: any PaymentJournalStorage = InMemoryPaymentJournalStorage()) {
        self.storage = storage
    }

    /// A journal kept in files under `directory` (survives a restart).
    public static func files(in directory: URL) throws -> PaymentJournal {
        PaymentJournal(storage: try PaymentJournalFiles(directory: directory))
    }

    /// The process-wide journal the layers use unless given one (in memory).
    public static let shared = PaymentJournal()

    /// The entry of an intent, if it was ever sent.
    public func entry(companyId: String, intentId: PaymentIntentID) async throws -> PaymentResumeData? {
        try await storage.load(PaymentResumeData.journalKey(companyId: companyId, intentId: intentId))
    }

    func save(_ entry: PaymentResumeData) async throws {
        try await storage.save(entry)
        guard entry.api == .sync else { return }
        let open = entry.status == .sent || entry.status == .accepted
        unsettled.withLock { index in
            guard index != nil else { return }
            for billId in entry.billIds {
                let key = "\(entry.companyId)/\(billId)"
                if open { index![key, default: []].insert(entry.intentId) } else { index![key]?.remove(entry.intentId) }
            }
        }
    }

    /// Runs `work` for an intent unless it already runs in this process; then waits for that run
    /// and returns its result (or its error) instead: one send in flight per intent.
    func joining<Result: Sendable>(_ key: String, _ work: @escaping @Sendable () async throws -> Result) async throws -> (Result, joined: Bool) {
        let (task, joined): (Task<any Sendable, any Error>, Bool) = running.withLock { running in
            if let task = running[key] { return (task, true) }
            let task = Task<any Sendable, any Error> { try await work() }
            running[key] = task
            return (task, false)
        }
        defer { if !joined { running.withLock { _ = $0.removeValue(forKey: key) } } }
        // The caller's cancellation reaches the run it started (not one it joined).
        let value = try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            if !joined { task.cancel() }
        }
        guard let result = value as? Result else { throw CancellationError() }
        return (result, joined)
    }

    /// Runs `work` while holding the bill (synchronous payments, one at a time per bill).
    func holdingBill<Result: Sendable>(_ key: String, _ work: () async throws -> Result) async throws -> Result {
        await bills.lock(key)
        defer { bills.unlock(key) }
        try Task.checkCancellation()
        return try await work()
    }

    /// The intents of a company whose outcome is not settled, for a bill (synchronous API).
    func unresolved(companyId: String, billId: String, except intentId: PaymentIntentID) async throws -> PaymentIntentID? {
        if unsettled.withLock({ $0 == nil }) {
            var index: [String: Set<PaymentIntentID>] = [:]
            for entry in try await storage.all() where entry.api == .sync && (entry.status == .sent || entry.status == .accepted) {
                for billId in entry.billIds { index["\(entry.companyId)/\(billId)", default: []].insert(entry.intentId) }
            }
            unsettled.withLock { if $0 == nil { $0 = index } }
        }
        return unsettled.withLock { $0?["\(companyId)/\(billId)"]?.first { $0 != intentId } }
    }
}

/// A mutex per key, waiters served in order.
final class KeyedMutex: Sendable {
    private let state = Locked<[String: [CheckedContinuation<Void, Never>]]>([:])

    func lock(_ key: String) async {
        await withCheckedContinuation { continuation in
            let acquired: Bool = state.withLock { state in
                if var waiters = state[key] {
                    waiters.append(continuation)
                    state[key] = waiters
                    return false
                }
                state[key] = []
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    func unlock(_ key: String) {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard var waiters = state[key] else { return nil }
            if waiters.isEmpty {
                state[key] = nil
                return nil
            }
            let first = waiters.removeFirst()
            state[key] = waiters
            return first
        }
        next?.resume()
    }
}

/// A value behind a lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
