import Crypto
import Foundation

/// Checks that a delivery was signed by Codat with one of our secrets, recently
/// (Standard Webhooks / Svix, CODAT-FACTS.md §4):
/// - the three `webhook-*` headers are present and well formed;
/// - `webhook-timestamp` is within `tolerance` of now, either way (a replayed old message
///   or a clock far ahead is refused);
/// - some `v1,` entry of `webhook-signature` equals HMAC-SHA256(`id.timestamp.body`) under
///   some secret, compared in constant time. Entries of other versions are skipped.
///
/// The body must be the raw bytes received: a body decoded and re-encoded (key order,
/// spacing, escapes) no longer matches its signature.
///
/// A refusal (`WebhookVerificationError`) says which check failed, never which byte of a
/// signature differed nor anything about the expected signature.
public struct WebhookVerifier: Sendable {
    /// Five minutes, as Svix's libraries use.
    public static let defaultTolerance: Duration = .seconds(300)

    /// Every secret accepted: the current one first, then those still valid during a rotation.
    public let secrets: [WebhookSecret]
    public let tolerance: Duration
    private let now: @Sendable () -> Date
    private let keys: [SymmetricKey]

    /// - Parameters:
    ///   - secret: the endpoint's current secret.
    ///   - previousSecrets: secrets being rotated out, still accepted.
    ///   - tolerance: how far `webhook-timestamp` may be from `now()`, before or after.
    ///   - now: the clock (injectable for tests and the sandbox clock).
    public init(
        secret: WebhookSecret,
        previousSecrets: [WebhookSecret] = [],
        tolerance: Duration = defaultTolerance,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        secrets = [secret] + previousSecrets
        self.tolerance = tolerance < .zero ? .zero : tolerance
        self.now = now
        keys = secrets.map(\.symmetricKey)
    }

    /// Verifies one delivery. `header` looks a header up by its lowercase name
    /// (`WebhookHeader`), case-insensitively on the caller's side.
    public func verify(
        body: some DataProtocol,
        header: (String) -> String?
    ) throws(WebhookVerificationError) -> VerifiedWebhook {
        try verify(
            id: header(WebhookHeader.id),
            timestamp: header(WebhookHeader.timestamp),
            signature: header(WebhookHeader.signature),
            body: body
        )
    }

    /// Verifies one delivery given its headers as a dictionary (names in any case).
    public func verify(body: some DataProtocol, headers: [String: String]) throws(WebhookVerificationError) -> VerifiedWebhook {
        let lowercased = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        return try verify(body: body) { lowercased[$0] }
    }

    /// Verifies one delivery from the three header values (nil: the header was absent).
    public func verify(
        id rawID: String?,
        timestamp rawTimestamp: String?,
        signature rawSignature: String?,
        body: some DataProtocol
    ) throws(WebhookVerificationError) -> VerifiedWebhook {
        let id = try Self.present(rawID, WebhookHeader.id)
        let timestampText = try Self.present(rawTimestamp, WebhookHeader.timestamp)
        let signatureText = try Self.present(rawSignature, WebhookHeader.signature)

        guard let timestamp = Self.seconds(timestampText) else {
            throw .malformedHeader(name: WebhookHeader.timestamp, problem: "not a whole number of seconds since 1970")
        }
        let nowSeconds = WebhookSigner.seconds(now())
        let toleranceSeconds = tolerance.components.seconds
        if timestamp < nowSeconds - toleranceSeconds {
            throw .timestampTooOld(timestamp: timestamp, now: nowSeconds, tolerance: tolerance)
        }
        if timestamp > nowSeconds + toleranceSeconds {
            throw .timestampInFuture(timestamp: timestamp, now: nowSeconds, tolerance: tolerance)
        }

        let candidates = try Self.v1Signatures(signatureText)
        for key in keys {
            let expected = WebhookSigner.mac(id: id, timestamp: timestamp, body: body, key: key)
            // `==` against bytes is swift-crypto's constant-time comparison (safeCompare).
            if candidates.contains(where: { expected == $0 }) {
                return VerifiedWebhook(id: id, timestamp: timestamp, body: Data(body))
            }
        }
        throw .noMatchingSignature(signatures: candidates.count, secrets: keys.count)
    }

    private static func present(_ value: String?, _ name: String) throws(WebhookVerificationError) -> String {
        guard let value else { throw .missingHeader(name: name) }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .malformedHeader(name: name, problem: "empty") }
        return trimmed
    }

    /// Decimal digits only (at most 18: no overflow), as Standard Webhooks specifies.
    private static func seconds(_ text: String) -> Int64? {
        guard text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int64(text)
    }

    /// The decoded `v1` entries. An entry without a comma is malformed; entries of other
    /// versions are skipped (a future scheme); no usable `v1` entry at all is malformed.
    private static func v1Signatures(_ text: String) throws(WebhookVerificationError) -> [Data] {
        let entries = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var signatures: [Data] = []
        for (index, entry) in entries.enumerated() {
            guard let comma = entry.firstIndex(of: ",") else {
                throw .malformedHeader(name: WebhookHeader.signature, problem: "entry \(index + 1) of \(entries.count) is not `<version>,<base64>`")
            }
            guard entry[..<comma] == "v1" else { continue }
            guard let bytes = Data(base64Encoded: String(entry[entry.index(after: comma)...])) else {
                throw .malformedHeader(name: WebhookHeader.signature, problem: "entry \(index + 1) of \(entries.count) is `v1,` followed by something that is not base64")
            }
            signatures.append(bytes)
        }
        guard !signatures.isEmpty else {
            throw .malformedHeader(name: WebhookHeader.signature, problem: "no `v1,<base64>` entry among \(entries.count)")
        }
        return signatures
    }
}

/// A delivery whose signature and timestamp checked out: only now is the body worth decoding.
public struct VerifiedWebhook: Sendable, Hashable {
    /// `webhook-id`: the same on every retry of the message (the deduplication key).
    public let id: String
    /// `webhook-timestamp`, seconds since 1970.
    public let timestamp: Int64
    /// The raw body, as signed.
    public let body: Data

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(timestamp)) }
}

/// Why a delivery was refused. Each case names the check that failed; none says which byte
/// of a signature differed or what the expected signature was.
public enum WebhookVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingHeader(name: String)
    case malformedHeader(name: String, problem: String)
    /// Older than `now - tolerance`: a replay, or a retry delivered late.
    case timestampTooOld(timestamp: Int64, now: Int64, tolerance: Duration)
    /// Newer than `now + tolerance`: the sender's clock or ours is off.
    case timestampInFuture(timestamp: Int64, now: Int64, tolerance: Duration)
    /// None of the `signatures` `v1` entries matched under any of the `secrets`.
    case noMatchingSignature(signatures: Int, secrets: Int)

    public var description: String {
        switch self {
        case .missingHeader(let name):
            "webhook refused: header `\(name)` is missing"
        case .malformedHeader(let name, let problem):
            "webhook refused: header `\(name)` is malformed: \(problem)"
        case .timestampTooOld(let timestamp, let now, let tolerance):
            "webhook refused: `\(WebhookHeader.timestamp)` \(timestamp) is \(now - timestamp) s old, more than the \(tolerance.components.seconds) s tolerated"
        case .timestampInFuture(let timestamp, let now, let tolerance):
            "webhook refused: `\(WebhookHeader.timestamp)` \(timestamp) is \(timestamp - now) s in the future, more than the \(tolerance.components.seconds) s tolerated"
        case .noMatchingSignature(let signatures, let secrets):
            "webhook refused: none of the \(signatures) `v1` signature(s) in `\(WebhookHeader.signature)` matches the body under the \(secrets) secret(s) configured"
        }
    }
}
