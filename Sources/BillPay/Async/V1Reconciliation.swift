import CodatSyncPayablesV1
import Foundation

/// Refreshes one data type and waits for the pull operation to finish: Codat lists a record
/// written by a push only after its data type was read again from the accounting software
/// (CODAT-FACTS §2).
struct DataRefresh: Sendable {
    let client: CodatSyncPayablesV1.Client
    let companyId: String
    let clock: any PaymentClock

    func refresh(_ dataType: DataType, connectionId: String? = nil, timeout: Duration, interval: Duration) async throws {
        var pull = try await client.manageData.refreshDataType(companyId: companyId, dataType: dataType, connectionId: connectionId)
        let start = clock.now()
        while true {
            switch pull.status {
            case .complete:
                return
            case .initial, .queued, .fetching, .mapQueued, .mapping, .processingQueued, .processing, .validationQueued, .validating:
                guard clock.now() < start.adding(timeout) else { throw DataRefreshError(dataType: dataType.rawValue, status: pull.status.rawValue, timedOut: true) }
                try await clock.sleep(for: interval)
                pull = try await client.manageData.getPullOperation(companyId: companyId, datasetId: pull.id)
            default:
                throw DataRefreshError(dataType: dataType.rawValue, status: pull.status.rawValue, timedOut: false)
            }
        }
    }
}

/// A refresh did not complete.
public struct DataRefreshError: Error, Sendable, CustomStringConvertible {
    public let dataType: String
    public let status: String
    public let timedOut: Bool
    public var description: String {
        timedOut ? "the refresh of \(dataType) was still \(status) at the time limit" : "the refresh of \(dataType) ended \(status)"
    }
}

/// How the asynchronous API tells whether an intent's push was recorded (see `AtMostOnce.swift`):
/// its push operation when known, otherwise every push operation of the data type since the
/// send; then the records after a refresh, searched for the intent's exact marker.
struct V1Reconciliation: Sendable {
    let client: CodatSyncPayablesV1.Client
    let companyId: String
    let connectionId: String
    let dataType: DataType
    let policy: DeliveryPolicy
    let clock: any PaymentClock
    /// The ids of the records (as listed now) whose `note` carries the intent's exact marker.
    let findMarked: @Sendable (PaymentIntentID) async throws -> [String]

    func finding(_ entry: PaymentResumeData, requestIsOver: Bool) async throws -> Reconciliation {
        guard let attempt = entry.currentAttempt else { return .notRecorded }
        if let key = entry.pushOperationKey {
            let operation = try await settled(try await client.pushOperations.get(companyId: companyId, pushOperationKey: key))
            switch operation.status {
            case .success: return .recorded(recordId: operation.recordId)
            case .failed: return .notRecorded
            case .timedOut:
                if let reason = stillLanding(operation) { return .unknown(reason) }
            case .pending, .undocumented:
                return .unknown("push operation \(key) is still \(operation.status.rawValue)")
            }
        } else {
            // Codat's answer was lost or replayed as an error: which operation is ours is not known,
            // so every one since the send must have settled before the records can tell.
            let since = attempt.firstSentAt.adding(.zero - policy.clockSkew)
            let operations = try await client.pushOperations.listAll(companyId: companyId).collect().filter {
                $0.dataType == dataType && $0.dataConnectionKey == connectionId && ($0.requestedOnUtc.date().map { $0 >= since } ?? true)
            }
            for candidate in operations {
                var operation = candidate
                if operation.status == .pending { operation = try await settled(operation) }
                switch operation.status {
                case .pending, .undocumented:
                    return .unknown("push operation \(operation.pushOperationKey) (perhaps this payment's) is still \(operation.status.rawValue)")
                case .timedOut:
                    if let reason = stillLanding(operation) { return .unknown(reason) }
                case .success, .failed:
                    break
                }
            }
        }
        try await DataRefresh(client: client, companyId: companyId, clock: clock)
            .refresh(dataType, connectionId: connectionId, timeout: policy.refreshTimeout, interval: policy.pollInterval)
        let found = try await findMarked(entry.intentId)
        if let id = found.first { return .recorded(recordId: id) }
        return requestIsOver ? .notRecorded : .unknown("no payment carries the intent's marker after a refresh")
    }

    /// The operation once it left `Pending`, or as it is after `pushSettleTimeout`.
    private func settled(_ operation: PushOperation) async throws -> PushOperation {
        var operation = operation
        let start = clock.now()
        while operation.status == .pending, clock.now() < start.adding(policy.pushSettleTimeout) {
            try await clock.sleep(for: policy.pollInterval)
            operation = try await client.pushOperations.get(companyId: companyId, pushOperationKey: operation.pushOperationKey)
        }
        return operation
    }

    /// Why a `TimedOut` operation may still write, or nil once `timedOutSettleTime` has passed.
    private func stillLanding(_ operation: PushOperation) -> String? {
        let timedOutAt = operation.completedOnUtc?.date() ?? operation.requestedOnUtc.date() ?? clock.now()
        let settledAt = timedOutAt.adding(policy.timedOutSettleTime)
        guard clock.now() < settledAt else { return nil }
        return "push operation \(operation.pushOperationKey) (perhaps this payment's) went TimedOut at \(timedOutAt) and may still write until \(settledAt) (DeliveryPolicy.timedOutSettleTime, an assumption: Codat documents no bound)"
    }
}

/// A v1 payment's journal entry, settled by its push operation's outcome.
struct PaymentTracking: Sendable {
    let journal: PaymentJournal
    let companyId: String
    let intentId: PaymentIntentID
    let policy: DeliveryPolicy
    let report: DeliveryReport

    func settle(_ operation: PushOperation, clock: any PaymentClock) async throws {
        guard var entry = try await journal.entry(companyId: companyId, intentId: intentId),
              entry.pushOperationKey == operation.pushOperationKey else { return }
        // Settled once: a later report of the same outcome (a duplicate webhook, a poll after
        // the webhook) changes nothing.
        if entry.status == .recorded, operation.status == .success { return }
        switch operation.status {
        case .success:
            entry.status = .recorded
            entry.recordId = operation.recordId
            entry.note = "push operation \(operation.pushOperationKey) succeeded"
        case .failed:
            entry.status = .notRecorded
            entry.note = "push operation \(operation.pushOperationKey) failed: \(operation.errorMessage ?? "")"
        case .timedOut:
            entry.status = .accepted
            entry.note = "push operation \(operation.pushOperationKey) TimedOut: the write may still land"
            try await journal.save(entry)
            throw PaymentOutcomeUnknownError(
                resume: entry,
                reason: "push operation \(operation.pushOperationKey) went TimedOut: the write may still land (CODAT-FACTS §2); pay the intent again after DeliveryPolicy.timedOutSettleTime to settle it",
                report: report)
        case .pending, .undocumented:
            return
        }
        try await journal.save(entry)
    }
}

extension PushOperation {
    /// The id of the record the operation created, changed or deleted.
    var recordId: String? {
        changes?.lazy.compactMap { $0.recordRef?.id }.first
    }
}
