import CodatSyncPayablesV1
import Foundation

/// How a `PushHandle` polls its push operation: backoff from `initialInterval`, multiplied by
/// `multiplier` after each poll up to `maxInterval`, for at most `timeout`. With a
/// `PushEventInbox` polling is the fallback beside Codat's write webhooks; `enabled: false`
/// leaves the webhooks alone to settle handles (`timeout` still bounds the wait).
public struct PushPolling: Sendable, Hashable {
    /// The wait before the first poll.
    public var initialInterval: Duration
    /// How much longer each wait is than the one before.
    public var multiplier: Double
    /// The longest wait between two polls.
    public var maxInterval: Duration
    /// How long `wait()` waits by default before it throws `PushWaitTimeoutError`.
    public var timeout: Duration
    /// Whether `wait()` polls at all; off, only a write webhook (`PushEventInbox`) settles a handle.
    public var enabled: Bool

    /// Polls after 0.1 s, then 1.5 times longer each time up to 5 s apart, for 2 minutes by default.
    public init(initialInterval: Duration = .milliseconds(100), multiplier: Double = 1.5,
                maxInterval: Duration = .seconds(5), timeout: Duration = .seconds(120), enabled: Bool = true) {
        self.initialInterval = initialInterval
        self.multiplier = multiplier
        self.maxInterval = maxInterval
        self.timeout = timeout
        self.enabled = enabled
    }
}

/// A push sent to the asynchronous API (`POST …/push/…`, `DELETE …/push/…`): Codat answers with a
/// push operation at once (usually `Pending`) and applies the change later. `wait()` waits until
/// it settles, from the operation's write webhook (with a `PushEventInbox`) or by polling,
/// whichever tells first, and returns its outcome: the record's id (`recordId`, from the
/// event's `record.id` or the operation's `changes`), without reading the record. Codat lists a written record only after
/// the data type was refreshed (CODAT-FACTS §2); reading it is a separate step,
/// `PushCompletion.fetchRecord()`.
///
/// A handle is a value: it can be kept, passed to another task and waited on again.
public struct PushHandle<Record: Sendable>: Sendable {
    /// The company the push was made for.
    public let companyId: String
    /// The operation's key; nil when the layer found the payment already recorded (after a lost
    /// answer, or in an earlier call) without knowing its operation.
    public var pushOperationKey: String? { submitted?.pushOperationKey }
    /// The push operation as Codat answered it (`Pending`, or already settled); nil when the
    /// payment was found recorded.
    public var submitted: PushOperation? {
        if case let .operation(operation) = source { return operation }
        return nil
    }
    /// How the intent was delivered (payments only).
    public let delivery: DeliveryReport?

    enum Source: Sendable {
        /// The operation the push answered.
        case operation(PushOperation)
        /// The payment was found recorded (by its marker after a refresh, or in the journal).
        case recorded(recordId: String?)
    }

    let source: Source
    let client: CodatSyncPayablesV1.Client
    let polling: PushPolling
    let clock: any PaymentClock
    /// The data type to refresh before reading the record.
    let dataType: DataType?
    /// Reads the record by id (after a refresh).
    let fetch: @Sendable (String) async throws -> Record
    /// For a payment: the journal entry that the operation's outcome settles.
    let tracking: PaymentTracking?
    /// Codat's write webhooks, when the application receives them.
    let events: PushEventInbox?

    init(companyId: String, source: Source, delivery: DeliveryReport?, client: CodatSyncPayablesV1.Client, polling: PushPolling,
         clock: any PaymentClock, dataType: DataType?, tracking: PaymentTracking? = nil, events: PushEventInbox? = nil,
         fetch: @escaping @Sendable (String) async throws -> Record) {
        self.companyId = companyId
        self.source = source
        self.delivery = delivery
        self.client = client
        self.polling = polling
        self.clock = clock
        self.dataType = dataType
        self.tracking = tracking
        self.events = events
        self.fetch = fetch
    }

    /// The push operation as it stands now (one GET); nil when no operation is known.
    public func status() async throws -> PushOperation? {
        guard let key = pushOperationKey else { return nil }
        return try await client.pushOperations.get(companyId: companyId, pushOperationKey: key)
    }

    /// Waits until the push operation is no longer `Pending`, and returns its outcome: from its
    /// write webhook when a `PushEventInbox` is attached (an event that arrived before the wait
    /// counts), and by polling unless `polling.enabled` is false, whichever settles first.
    ///
    /// A `Success` event settles with the event's `record.id`; a `Failed` or `TimedOut` event
    /// costs one GET of the operation for the details a webhook does not carry (its validation
    /// errors); when that GET fails, the event's own outcome is reported.
    ///
    /// - Parameter timeout: How long to wait (default: the polling's `timeout`).
    /// - Throws: `PushOperationFailedError` when Codat rejected the push (with its validation
    ///   errors); for a `TimedOut` operation, whose write may still land (CODAT-FACTS §2),
    ///   `PaymentOutcomeUnknownError` (payments: resume by paying the intent again later) or
    ///   `PushOutcomeUnknownError`; `PushWaitTimeoutError` when it is still pending at the end
    ///   (the handle can be waited on again); `PushWaitNotPossibleError` with polling off and no
    ///   inbox; `CancellationError` when the task is cancelled.
    public func wait(timeout: Duration? = nil) async throws -> PushCompletion<Record> {
        let submitted: PushOperation
        switch source {
        case let .recorded(recordId):
            return PushCompletion(recordId: recordId, operation: nil, polls: 0, read: reader)
        case let .operation(operation): submitted = operation
        }
        var settled = Settled(operation: submitted, polls: 0, event: nil)
        if !submitted.status.isFinal {
            settled = try await settle(submitted, limit: timeout ?? polling.timeout)
        }
        let operation = settled.operation
        switch operation.status {
        case .success:
            try await tracking?.settle(operation, clock: clock)
            return PushCompletion(recordId: operation.recordId, operation: operation, polls: settled.polls,
                                  webhookEventId: settled.event?.eventId, read: reader)
        case .failed:
            try await tracking?.settle(operation, clock: clock)
            throw PushOperationFailedError(operation: operation)
        case .timedOut:
            if let tracking { try await tracking.settle(operation, clock: clock) }
            throw PushOutcomeUnknownError(operation: operation)
        case .pending, .undocumented:
            throw PushWaitTimeoutError(pushOperationKey: operation.pushOperationKey, lastStatus: operation.status.rawValue, waited: .zero)
        }
    }

    /// How a pending operation settled.
    struct Settled: Sendable {
        var operation: PushOperation
        var polls: Int
        var event: PushWriteEvent?
    }

    /// The first of: the operation's webhook, polling (unless off), the end of `limit`.
    private func settle(_ submitted: PushOperation, limit: Duration) async throws -> Settled {
        guard let events else {
            guard polling.enabled else { throw PushWaitNotPossibleError(pushOperationKey: submitted.pushOperationKey) }
            return try await poll(submitted, limit: limit)
        }
        return try await withThrowingTaskGroup(of: Settled.self) { group in
            group.addTask {
                let event = try await events.outcome(pushOperationKey: submitted.pushOperationKey)
                return Settled(operation: try await operation(from: event), polls: 0, event: event)
            }
            group.addTask {
                if polling.enabled { return try await poll(submitted, limit: limit) }
                // Webhooks only: wait out the limit in steps on the payment clock.
                let start = clock.now()
                while true {
                    let waited = Duration.seconds(clock.now().timeIntervalSince(start))
                    guard waited < limit else {
                        throw PushWaitTimeoutError(pushOperationKey: submitted.pushOperationKey, lastStatus: submitted.status.rawValue,
                                                   waited: waited)
                    }
                    try await clock.sleep(for: min(polling.maxInterval, limit - waited))
                }
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// The settled operation an event reports; for an unsuccessful one, read once for its details.
    private func operation(from event: PushWriteEvent) async throws -> PushOperation {
        let fromEvent = event.operation(companyId: companyId)
        guard event.status != .success else { return fromEvent }
        guard let read = try? await client.pushOperations.get(companyId: companyId, pushOperationKey: event.pushOperationKey),
              read.status == event.status else { return fromEvent }
        return read
    }

    /// Polls until the operation is no longer `Pending`.
    private func poll(_ submitted: PushOperation, limit: Duration) async throws -> Settled {
        let start = clock.now()
        var operation = submitted
        var interval = polling.initialInterval
        var polls = 0
        while !operation.status.isFinal {
            let waited = Duration.seconds(clock.now().timeIntervalSince(start))
            guard waited + interval <= limit else {
                throw PushWaitTimeoutError(pushOperationKey: operation.pushOperationKey, lastStatus: operation.status.rawValue, waited: waited)
            }
            try await clock.sleep(for: interval)
            interval = min(interval * polling.multiplier, polling.maxInterval)
            operation = try await client.pushOperations.get(companyId: companyId, pushOperationKey: operation.pushOperationKey)
            polls += 1
        }
        return Settled(operation: operation, polls: polls, event: nil)
    }

    /// Refreshes the data type, then reads the record by id.
    private var reader: RecordReader<Record> {
        RecordReader(client: client, companyId: companyId, dataType: dataType, polling: polling, clock: clock, fetch: fetch)
    }
}

extension PushOperationStatus {
    /// Success, Failed or TimedOut: nothing more will happen to the operation's status.
    var isFinal: Bool {
        switch self {
        case .success, .failed, .timedOut: return true
        case .pending, .undocumented: return false
        }
    }
}

/// Reads a written record: Codat lists it only once its data type was refreshed (CODAT-FACTS §2).
struct RecordReader<Record: Sendable>: Sendable {
    let client: CodatSyncPayablesV1.Client
    let companyId: String
    let dataType: DataType?
    let polling: PushPolling
    let clock: any PaymentClock
    let fetch: @Sendable (String) async throws -> Record

    func read(_ id: String, refresh: Bool) async throws -> Record {
        if refresh, let dataType {
            try await DataRefresh(client: client, companyId: companyId, clock: clock)
                .refresh(dataType, timeout: polling.timeout, interval: polling.initialInterval)
        }
        return try await fetch(id)
    }
}

/// A settled push: its outcome and the id of the record it wrote.
public struct PushCompletion<Record: Sendable>: Sendable {
    /// The id of the record created, changed or deleted (`changes[].recordRef.id`); for a
    /// payment found by its marker, that payment's id.
    public let recordId: String?
    /// The operation in its final state; nil when the payment was found recorded without it.
    public let operation: PushOperation?
    /// Polls made.
    public let polls: Int
    /// The write webhook (its event `id`) that settled the operation; nil when polling did or
    /// the operation was settled already.
    public let webhookEventId: String?
    let read: RecordReader<Record>

    init(recordId: String?, operation: PushOperation?, polls: Int, webhookEventId: String? = nil, read: RecordReader<Record>) {
        self.recordId = recordId
        self.operation = operation
        self.polls = polls
        self.webhookEventId = webhookEventId
        self.read = read
    }

    /// Reads the record: refreshes its data type (and waits for the refresh), then gets it by
    /// id. `refresh: false` skips the refresh (when one has happened since the push).
    ///
    /// - Throws: `PushRecordUnknownError` when the operation named no record.
    public func fetchRecord(refresh: Bool = true) async throws -> Record {
        guard let recordId else { throw PushRecordUnknownError(pushOperationKey: operation?.pushOperationKey) }
        return try await read.read(recordId, refresh: refresh)
    }
}

/// A deleted record, as its push operation reports it.
public struct DeletedRecord: Hashable, Sendable {
    /// The deleted record's id.
    public let id: String
    /// Its data type (`bills`, `billPayments`).
    public let dataType: String?
}

/// Nothing can settle the handle: polling is switched off (`PushPolling.enabled`) and no
/// `PushEventInbox` receives Codat's write webhooks.
public struct PushWaitNotPossibleError: Error, Sendable, CustomStringConvertible {
    public let pushOperationKey: String
    public var description: String {
        "push operation \(pushOperationKey) is pending, polling is switched off and no PushEventInbox receives write webhooks: nothing can settle it"
    }
}

/// The push operation went `TimedOut`: Codat stopped waiting, but the write may still happen
/// (CODAT-FACTS §2). Its outcome is unknown; look at the data after a refresh later.
public struct PushOutcomeUnknownError: Error, Sendable, CustomStringConvertible {
    public let operation: PushOperation
    public var description: String {
        "push operation \(operation.pushOperationKey) TimedOut: the write may still happen; its outcome is unknown"
    }
}

/// The settled operation names no record to read.
public struct PushRecordUnknownError: Error, Sendable, CustomStringConvertible {
    public let pushOperationKey: String?
    public var description: String {
        "push operation \(pushOperationKey ?? "(none)") names no record (no changes[].recordRef.id)"
    }
}

/// Codat did not apply a push: it failed (its validation errors say why).
public struct PushOperationFailedError: Error, Sendable, CustomStringConvertible {
    /// The operation in its final state.
    public let operation: PushOperation

    /// The operation's key.
    public var pushOperationKey: String { operation.pushOperationKey }
    /// `Failed`.
    public var status: PushOperationStatus { operation.status }
    /// Codat's summary of what went wrong.
    public var errorMessage: String? { operation.errorMessage }
    /// Codat's validation errors: what is wrong, and where (`itemId`), by which validator.
    public var validationErrors: [ValidationItem] { operation.validation?.errors ?? [] }
    /// Codat's validation warnings.
    public var validationWarnings: [ValidationItem] { operation.validation?.warnings ?? [] }

    public var description: String {
        var text = "push operation \(pushOperationKey) \(status.rawValue)"
        if let errorMessage { text += ": \(errorMessage)" }
        for item in validationErrors {
            text += "\n  - [\(item.validatorName ?? "validation")] \(item.itemId.map { "\($0): " } ?? "")\(item.message ?? "")"
        }
        return text
    }
}

/// A push operation was still pending when `wait()` gave up; wait on the handle again later.
public struct PushWaitTimeoutError: Error, Sendable, CustomStringConvertible {
    /// The operation still pending.
    public let pushOperationKey: String
    /// Its status at the last poll (`Pending`).
    public let lastStatus: String
    /// How long `wait()` waited.
    public let waited: Duration

    public var description: String {
        "push operation \(pushOperationKey) is still \(lastStatus) after \(waited)"
    }
}

/// The push operation inside the push endpoints' answers (`Create…Response`: the operation and
/// the pushed data).
protocol PushOperationAnswer: Sendable {
    var changes: [PushOperationChange]? { get }
    var dataType: DataType? { get }
    var companyId: String { get }
    var pushOperationKey: String { get }
    var dataConnectionKey: String { get }
    var requestedOnUtc: DateTime { get }
    var completedOnUtc: DateTime? { get }
    var timeoutInMinutes: Int32? { get }
    var status: PushOperationStatus { get }
    var errorMessage: String? { get }
    var validation: Validation? { get }
    var statusCode: Int { get }
}

extension PushOperationAnswer {
    var operation: PushOperation {
        PushOperation(changes: changes, dataType: dataType, companyId: companyId, pushOperationKey: pushOperationKey,
                      dataConnectionKey: dataConnectionKey, requestedOnUtc: requestedOnUtc, completedOnUtc: completedOnUtc,
                      timeoutInMinutes: timeoutInMinutes, status: status, errorMessage: errorMessage,
                      validation: validation, statusCode: statusCode)
    }
}

extension CreateBillPaymentResponse: PushOperationAnswer {}
extension CreateBillCreditNoteResponse: PushOperationAnswer {}
extension CreateAccountResponse: PushOperationAnswer {}
extension BankAccountCreateResponse: PushOperationAnswer {}
extension CreateBillResponse: PushOperationAnswer {}

extension PushHandle {
    /// `wait()`, then `fetchRecord()` on its completion: the record after a refresh.
    public func waitForRecord(timeout: Duration? = nil) async throws -> Record {
        try await wait(timeout: timeout).fetchRecord()
    }
}
