import CodatWebhooks
import Foundation

/// How the sandbox signs its webhook messages: `CodatWebhooks.WebhookSigner` (Standard Webhooks /
/// Svix, CODAT-FACTS.md §4), the same code a consumer's `WebhookVerifier` checks against.
enum WebhookSigning {
    static let idHeader = WebhookHeader.id
    static let timestampHeader = WebhookHeader.timestamp
    static let signatureHeader = WebhookHeader.signature

    /// The `webhook-signature` value for the message under `secret` (`whsec_…`).
    static func signature(secret: String, webhookId: String, timestamp: Int, body: Data) throws -> String {
        WebhookSigner(secret: try WebhookSecret(secret)).signature(id: webhookId, timestamp: Int64(timestamp), body: body)
    }

    /// Why `secret` is not an endpoint secret, or nil.
    static func problem(secret: String) -> String? {
        do {
            _ = try WebhookSecret(secret)
            return nil
        } catch {
            return error.description
        }
    }

    /// A secret that is not `secret` (for the `badSignature` fault).
    static func otherSecret(than secret: String) -> String {
        newSecret()
    }

    /// A new endpoint secret (24 random bytes, as Svix issues).
    static func newSecret() -> String {
        WebhookSecret.generate().stringValue
    }
}
