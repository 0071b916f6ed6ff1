import Crypto
import Foundation

/// An endpoint's signing secret: `whsec_` followed by the base64 of the key bytes
/// (CODAT-FACTS.md §4). The key is the decoded bytes, not the text.
///
/// `description` never shows the key, so a secret can be logged or interpolated by mistake
/// without leaking; `stringValue` is the one way to get the text back.
public struct WebhookSecret: Sendable, Hashable, CustomStringConvertible {
    public static let prefix = "whsec_"

    /// The decoded key bytes (HMAC-SHA256 accepts any length; Svix makes 24).
    public let keyBytes: [UInt8]

    /// Parses `whsec_<base64>`. Base64 without its `=` padding is accepted, as Svix's
    /// libraries accept it; surrounding whitespace (a copied line) is ignored.
    public init(_ text: String) throws(WebhookSecretError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix(Self.prefix) else { throw .missingPrefix }
        var encoded = String(trimmed.dropFirst(Self.prefix.count))
        guard !encoded.isEmpty else { throw .emptyKey }
        if encoded.count % 4 != 0 { encoded += String(repeating: "=", count: 4 - encoded.count % 4) }
        guard let bytes = Data(base64Encoded: encoded) else { throw .notBase64 }
        guard !bytes.isEmpty else { throw .emptyKey }
        keyBytes = Array(bytes)
    }

    /// A secret over the given key bytes (which must not be empty: an empty HMAC key
    /// would let anyone sign).
    public init(keyBytes: [UInt8]) throws(WebhookSecretError) {
        guard !keyBytes.isEmpty else { throw .emptyKey }
        self.keyBytes = keyBytes
    }

    /// A new random secret of `byteCount` bytes from the system's secure generator
    /// (24 bytes, like the secrets Svix issues).
    public static func generate(byteCount: Int = 24) -> WebhookSecret {
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: max(1, byteCount) * 8))
        return WebhookSecret(checkedKeyBytes: key.withUnsafeBytes { Array($0) })
    }

    private init(checkedKeyBytes: [UInt8]) { keyBytes = checkedKeyBytes }

    /// `whsec_` + padded base64: what a consumer registration hands out and `init(_:)` reads.
    public var stringValue: String { Self.prefix + Data(keyBytes).base64EncodedString() }

    public var description: String { "whsec_… (\(keyBytes.count)-byte key, redacted)" }

    var symmetricKey: SymmetricKey { SymmetricKey(data: keyBytes) }
}

/// Why a text is not a webhook secret. Never quotes the text: it may be most of a real secret.
public enum WebhookSecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingPrefix
    case notBase64
    case emptyKey

    public var description: String {
        switch self {
        case .missingPrefix: "a webhook secret starts with `\(WebhookSecret.prefix)` followed by base64 (the secret shown when the consumer was created)"
        case .notBase64: "the part of the webhook secret after `\(WebhookSecret.prefix)` is not valid base64"
        case .emptyKey: "the webhook secret has an empty key"
        }
    }
}
