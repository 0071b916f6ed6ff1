import CodatWebhooks
import Foundation

/// Signed Codat messages for the delivery tests: a fixed clock, one secret, write events.
struct TestMessages {
    let secret = WebhookSecret.generate()
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    var verifier: WebhookVerifier {
        let now = self.now
        return WebhookVerifier(secret: secret, now: { now })
    }

    /// A `{dataType}.write.successful/unsuccessful` body as Codat sends it (CODAT-FACTS.md §4).
    static func writeEvent(_ eventType: String, pushOperationID: String, recordID: String? = nil, status: String = "Success") -> Data {
        let record = recordID.map { #","record":{"id":"\#($0)"}"# } ?? ""
        return Data("""
            {"id":"evt-\(pushOperationID)","eventType":"\(eventType)","generatedDate":"2026-11-30T00:20:07Z",\
            "payload":{"id":"\(pushOperationID)","type":"Create","referenceCompany":{"id":"company-1","name":"Fenwick Ltd"},\
            "connectionId":"connection-1","requestedOnDate":"2026-11-30T00:20:00Z","completedOnDate":"2026-11-30T00:20:07Z",\
            "status":"\(status)"\(record)}}
            """.utf8)
    }

    /// The three headers for `body` signed with our secret (`timestampOffset` seconds from `now`).
    func headers(id: String, body: Data, timestampOffset: TimeInterval = 0) -> [String: String] {
        WebhookSigner(secret: secret).headers(id: id, timestamp: now.addingTimeInterval(timestampOffset), body: body)
    }
}

/// Collects what a handler was handed, in order.
actor Handled {
    private(set) var deliveries: [WebhookDelivery] = []
    func append(_ delivery: WebhookDelivery) { deliveries.append(delivery) }
    var ids: [String] { deliveries.map(\.webhook.id) }
}
