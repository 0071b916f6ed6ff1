import CodatSyncPayablesV1
import Foundation

/// A push operation's outcome as Codat's `{dataType}.write.successful` / `.unsuccessful`
/// webhook reports it (CODAT-FACTS §4; `DataTypeWriteWebhook` of `Codat-Platform.yaml`): hand
/// verified events to a `PushEventInbox`, and the push handles waiting on those operations settle.
/// `PushWriteEvent(_:)` takes the event as `CodatWebhooks` decodes it (`CodatWebhookEvent.write`).
public struct PushWriteEvent: Sendable, Hashable {
    /// The event's `id`.
    public var eventId: String
    /// `billPayments.write.successful`, `billPayments.write.unsuccessful` ...
    public var eventType: String
    /// The write request (push operation) the event reports: `payload.id`.
    public var pushOperationKey: String
    /// `payload.status`, the operation's status: `Success`, `Failed` or `TimedOut`.
    public var status: PushOperationStatus
    /// `payload.record.id`: the record created, changed or deleted.
    public var recordId: String?
    /// `payload.attachmentId`, for an uploaded attachment.
    public var attachmentId: String?
    /// `payload.type`: Create, Update, Delete, UploadAttachment.
    public var writeType: String?
    /// `payload.referenceCompany.id`.
    public var companyId: String?
    /// `payload.connectionId`.
    public var connectionId: String?
    /// `payload.requestedOnDate`, `payload.completedOnDate`.
    public var requestedOn: String?
    public var completedOn: String?

    public init(eventId: String, eventType: String, pushOperationKey: String, status: PushOperationStatus, recordId: String? = nil,
                attachmentId: String? = nil, writeType: String? = nil, companyId: String? = nil, connectionId: String? = nil,
                requestedOn: String? = nil, completedOn: String? = nil) {
        self.eventId = eventId
        self.eventType = eventType
        self.pushOperationKey = pushOperationKey
        self.status = status
        self.recordId = recordId
        self.attachmentId = attachmentId
        self.writeType = writeType
        self.companyId = companyId
        self.connectionId = connectionId
        self.requestedOn = requestedOn
        self.completedOn = completedOn
    }

    /// `billPayments` of `billPayments.write.successful`.
    public var dataType: String? {
        eventType.range(of: ".write.").map { String(eventType[..<$0.lowerBound]) }
    }

    /// The operation as far as the event tells it (a webhook carries no validation errors).
    func operation(companyId fallbackCompanyId: String) -> PushOperation {
        let changeType: PushChangeType? = switch writeType ?? "" {
        case "Create": .created
        case "Update": .modified
        case "Delete": .deleted
        case "UploadAttachment": .attachmentUploaded
        default: nil
        }
        let dataType = self.dataType.map(DataType.init(rawValue:))
        let changes = recordId.map {
            [PushOperationChange(type: changeType, recordRef: PushOperationRef(id: $0, dataType: dataType), attachmentId: attachmentId)]
        }
        return PushOperation(
            changes: changes, dataType: dataType, companyId: companyId ?? fallbackCompanyId, pushOperationKey: pushOperationKey,
            dataConnectionKey: connectionId ?? "", requestedOnUtc: DateTime(requestedOn ?? completedOn ?? ""),
            completedOnUtc: completedOn.map { DateTime($0) }, status: status, statusCode: status == .success ? 200 : 400)
    }
}

/// Where verified write webhooks meet the push handles waiting on their operations.
///
/// Give it to `AsyncBillPay(pushEvents:)` and feed it from the webhook endpoint
/// (`receive(_:)`): a handle waiting on an operation settles from its event as soon as it
/// arrives, whether it arrived before the wait began or after. Codat delivers at least once and
/// in no guaranteed order (CODAT-FACTS §4): the first event of an operation counts, any later one
/// for it (a duplicate, or a copy delivered late) changes nothing. Events are kept for `retention`
/// (by default Codat's whole retry schedule, 28 hours, and a margin) so that a handle waited on
/// late still finds its event.
public actor PushEventInbox {
    /// What `receive(_:)` made of an event.
    public enum Receipt: Sendable, Hashable {
        /// The first event of its operation: waiting handles settle from it.
        case accepted
        /// The operation already had an event (`firstEventId`): nothing changes.
        case duplicate(firstEventId: String)
        /// Not a final outcome (`Pending`): ignored.
        case ignored
    }

    private struct Kept {
        let event: PushWriteEvent
        let receivedAt: Date
    }

    private var events: [String: Kept] = [:]
    private var waiters: [String: [UUID: CheckedContinuation<PushWriteEvent, any Error>]] = [:]
    private let retention: Duration
    private let clock: any PaymentClock

    public init(retention: Duration = .seconds(30 * 3600), clock: any PaymentClock = SystemPaymentClock()) {
        self.retention = retention
        self.clock = clock
    }

    /// Takes a verified write event (after the webhook's signature was checked).
    @discardableResult
    public func receive(_ event: PushWriteEvent) -> Receipt {
        expire()
        switch event.status {
        case .pending, .undocumented: return .ignored
        case .success, .failed, .timedOut: break
        }
        if let first = events[event.pushOperationKey] { return .duplicate(firstEventId: first.event.eventId) }
        events[event.pushOperationKey] = Kept(event: event, receivedAt: clock.now())
        for (_, waiter) in waiters.removeValue(forKey: event.pushOperationKey) ?? [:] { waiter.resume(returning: event) }
        return .accepted
    }

    /// The event received for the operation, if any.
    public func event(pushOperationKey: String) -> PushWriteEvent? {
        events[pushOperationKey]?.event
    }

    /// Waits for the operation's event (returns at once when it has arrived already).
    func outcome(pushOperationKey key: String) async throws -> PushWriteEvent {
        let id = UUID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if let kept = events[key] {
                    continuation.resume(returning: kept.event)
                } else if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[key, default: [:]][id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(key, id) }
        }
    }

    private func cancel(_ key: String, _ id: UUID) {
        waiters[key]?.removeValue(forKey: id)?.resume(throwing: CancellationError())
        if waiters[key]?.isEmpty == true { waiters[key] = nil }
    }

    private func expire() {
        let cutoff = clock.now().addingTimeInterval(-retention.seconds)
        events = events.filter { $0.value.receivedAt >= cutoff }
    }
}
