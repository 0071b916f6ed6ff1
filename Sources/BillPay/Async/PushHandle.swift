import CodatSyncPayablesV1
import Foundation

/// How a `PushHandle` polls its push operation: backoff from `initialInterval`, multiplied by
/// `multiplier` after each poll up to `maxInterval`, for at most `timeout`.
public struct PushPolling: Sendable, Hashable {
    /// The wait before the first poll.
    public var initialInterval: Duration
    /// How much longer each wait is than the one before.
    public var multiplier: Double
    /// The longest wait between two polls.
    public var maxInterval: Duration
    /// How long `wait()` waits by default before it throws `PushWaitTimeoutError`.
    public var timeout: Duration

    /// Polls after 0.1 s, then 1.5 times longer each time up to 5 s apart, for 2 minutes by default.
    public init(initialInterval: Duration = .milliseconds(100), multiplier: Double = 1.5,
                maxInterval: Duration = .seconds(5), timeout: Duration = .seconds(120)) {
        self.initialInterval = initialInterval
        self.multiplier = multiplier
        self.maxInterval = maxInterval
        self.timeout = timeout
    }
}

/// A push sent to the asynchronous API (`POST …/push/…`, `DELETE …/push/…`): Codat answers with a
/// push operation at once (usually `Pending`) and applies the change later. `wait()` polls the
/// operation until it finishes and returns the record it created, changed or deleted, or throws
/// Codat's validation errors as `PushOperationFailedError`.
///
/// A handle is a value: it can be kept, passed to another task and waited on again.
public struct PushHandle<Record: Sendable>: Sendable {
    /// The company the push was made for.
    public let companyId: String
    /// The operation's key; nil when the layer found the record already created after an
    /// ambiguous failure (its push operation is not known then).
    public var pushOperationKey: String? { submitted?.pushOperationKey }
    /// The push operation as the push request answered it (`Pending`, or already settled); nil
    /// when the record was found after an ambiguous failure.
    public var submitted: PushOperation? {
        if case let .operation(operation) = source { return operation }
        return nil
    }
    /// How the push was delivered (payments and credit notes only).
    public let delivery: DeliveryReport?

    enum Source: Sendable {
        /// The operation the push answered.
        case operation(PushOperation)
        /// The record, found by the at-most-once check after the answer was lost.
        case found(Record)
    }

    let source: Source
    let client: CodatSyncPayablesV1.Client
    let polling: PushPolling
    /// Reads the record once the operation succeeded (its `changes` name the record).
    let fetch: @Sendable (PushOperation) async throws -> Record

    init(companyId: String, source: Source, delivery: DeliveryReport?, client: CodatSyncPayablesV1.Client,
         polling: PushPolling, fetch: @escaping @Sendable (PushOperation) async throws -> Record) {
        self.companyId = companyId
        self.source = source
        self.delivery = delivery
        self.client = client
        self.polling = polling
        self.fetch = fetch
    }

    /// The push operation as it stands now (one GET); nil when no operation is known.
    public func status() async throws -> PushOperation? {
        guard let key = pushOperationKey else { return nil }
        return try await client.pushOperations.get(companyId: companyId, pushOperationKey: key)
    }

    /// Polls the push operation until it is no longer `Pending`, then returns the record.
    ///
    /// - Parameter timeout: How long to wait (default: the polling's `timeout`).
    /// - Throws: `PushOperationFailedError` when Codat rejected the push (with its validation
    ///   errors) or timed it out; `PushWaitTimeoutError` when it is still pending at the end
    ///   (the handle can be waited on again); `CancellationError` when the task is cancelled.
    public func wait(timeout: Duration? = nil) async throws -> PushCompletion<Record> {
        let submitted: PushOperation
        switch source {
        case let .found(record): return PushCompletion(record: record, operation: nil, polls: 0)
        case let .operation(operation): submitted = operation
        }
        let clock = ContinuousClock()
        let start = clock.now
        let limit = timeout ?? polling.timeout
        var operation = submitted
        var interval = polling.initialInterval
        var polls = 0
        while true {
            switch operation.status {
            case .success:
                return PushCompletion(record: try await fetch(operation), operation: operation, polls: polls)
            case .failed, .timedOut:
                throw PushOperationFailedError(operation: operation)
            case .pending, .undocumented:
                let waited = clock.now - start
                guard waited + interval <= limit else {
                    throw PushWaitTimeoutError(pushOperationKey: operation.pushOperationKey, lastStatus: operation.status.rawValue, waited: waited)
                }
                try await Task.sleep(for: interval)
                interval = min(interval * polling.multiplier, polling.maxInterval)
                operation = try await client.pushOperations.get(companyId: companyId, pushOperationKey: operation.pushOperationKey)
                polls += 1
            }
        }
    }
}

/// A finished push: the record and the operation that made it.
public struct PushCompletion<Record: Sendable>: Sendable {
    /// The record created or changed (for a deletion: what was deleted).
    public let record: Record
    /// The operation in its final state; nil when the record was found after an ambiguous failure.
    public let operation: PushOperation?
    /// Polls made.
    public let polls: Int
}

/// A deleted record, as its push operation reports it.
public struct DeletedRecord: Hashable, Sendable {
    /// The deleted record's id.
    public let id: String
    /// Its data type (`bills`, `billPayments`).
    public let dataType: String?
}

/// Codat did not apply a push: it failed (its validation errors say why) or timed out.
public struct PushOperationFailedError: Error, Sendable, CustomStringConvertible {
    /// The operation in its final state.
    public let operation: PushOperation

    /// The operation's key.
    public var pushOperationKey: String { operation.pushOperationKey }
    /// `Failed` or `TimedOut`.
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

extension PushOperation {
    /// The id of the record the operation created, changed or deleted.
    var recordId: String? {
        changes?.lazy.compactMap { $0.recordRef?.id }.first
    }
}
