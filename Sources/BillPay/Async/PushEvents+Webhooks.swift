import CodatPlatformWebhooks
import CodatSyncPayablesV1

extension PushWriteEvent {
    /// A write webhook as `CodatWebhooks` decodes it (`CodatWebhookEvent.write?.webhook`, after
    /// `WebhookVerifier` accepted the delivery); nil when it names no write request
    /// (`payload.id`), no status or no event id.
    public init?(_ webhook: CodatPlatformWebhooks.DataTypeWriteWebhook) {
        guard let id = webhook.id, let eventType = webhook.eventType, let payload = webhook.payload,
              let key = payload.id, let status = payload.status else { return nil }
        self.init(
            eventId: id, eventType: eventType, pushOperationKey: key, status: PushOperationStatus(rawValue: status.rawValue),
            recordId: payload.record?.id, attachmentId: payload.attachmentId, writeType: payload.type?.rawValue,
            companyId: payload.referenceCompany?.id, connectionId: payload.connectionId,
            requestedOn: payload.requestedOnDate?.text, completedOn: payload.completedOnDate?.text)
    }
}
