import Crypto
import Foundation

/// Signs webhook messages the way Codat (Svix) does: HMAC-SHA256 over `id.timestamp.body`
/// with each secret, one `v1,<base64>` entry per secret in the `webhook-signature` header
/// (several while a secret is being rotated). Used by the sandbox to send events and by tests.
public struct WebhookSigner: Sendable {
    public let secrets: [WebhookSecret]

    public init(secret: WebhookSecret) { secrets = [secret] }

    /// Signs with every secret (rotation: the receiver accepts the message if any one matches).
    /// An empty list signs nothing and yields an empty header, which every verifier refuses.
    public init(secrets: [WebhookSecret]) { self.secrets = secrets }

    /// The `webhook-signature` header value for this message.
    /// - Parameters:
    ///   - timestamp: seconds since 1970 (UTC), exactly as sent in `webhook-timestamp`.
    ///   - body: the raw body bytes as they go on the wire.
    public func signature(id: String, timestamp: Int64, body: some DataProtocol) -> String {
        secrets.map { "v1," + Data(Self.mac(id: id, timestamp: timestamp, body: body, key: $0.symmetricKey)).base64EncodedString() }
            .joined(separator: " ")
    }

    /// All three headers for a message signed now (`timestamp` whole seconds, rounded down).
    public func headers(id: String, timestamp: Date = Date(), body: some DataProtocol) -> [String: String] {
        let seconds = Self.seconds(timestamp)
        return [
            WebhookHeader.id: id,
            WebhookHeader.timestamp: String(seconds),
            WebhookHeader.signature: signature(id: id, timestamp: seconds, body: body),
        ]
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// HMAC-SHA256 of `id.timestamp.body`; the body goes in untouched (never re-encoded).
    static func mac(id: String, timestamp: Int64, body: some DataProtocol, key: SymmetricKey) -> HashedAuthenticationCode<SHA256> {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Array("\(id).\(timestamp).".utf8))
        hmac.update(data: body)
        return hmac.finalize()
    }
}
