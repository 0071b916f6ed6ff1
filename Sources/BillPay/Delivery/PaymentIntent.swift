import Foundation

/// The caller's name for one payment it means to make: its own payment id, or a UUID it stores
/// before calling `pay`. The same intent paid twice (a retry, a second run after a crash) is
/// recognised as the same payment; two intents are two payments, even when every amount, date
/// and account is the same (two equal instalments of one bill).
///
/// Allowed: 1 to 100 characters among ASCII letters, digits, `.`, `_` and `-`, so that the id fits
/// the marker a v1 payment carries in its `note` (see `marker`) and an unquoted Codat query.
public struct PaymentIntentID: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The caller's id, as given.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.init(value) }

    /// A new random intent id (a UUID): store it with the payment before calling `pay`, so that
    /// a later call after a crash names the same intent.
    public static func random() -> PaymentIntentID { PaymentIntentID(UUID().uuidString.lowercased()) }

    public var description: String { rawValue }

    // A plain JSON string (`"inv-1"`), as plan files and journals write it; `{"rawValue": …}`,
    // which journals written before payment runs hold, is still read.
    private enum CodingKeys: String, CodingKey { case rawValue }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            rawValue = text
        } else {
            rawValue = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .rawValue)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Throws `PaymentIntentError.invalidId` when the id cannot be used.
    func validated() throws -> PaymentIntentID {
        let allowed = rawValue.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
        guard (1...100).contains(rawValue.count), allowed else { throw PaymentIntentError.invalidId(rawValue) }
        return self
    }

    // MARK: Idempotency-Key

    /// The `Idempotency-Key` of send number `attempt` (1 first) of this intent for a company: a
    /// GUID, the same on every platform and in every run, different for every other intent,
    /// company or attempt. Codat wants a GUID (CODAT-FACTS §1); it is a version-8 UUID (RFC 9562)
    /// made of the first 16 bytes of SHA-256 over a namespace, the company, the intent and the
    /// attempt, with the version and variant bits set.
    ///
    /// A new attempt number is used only once the previous one is proven not recorded.
    public func idempotencyKey(companyId: String, attempt: Int) -> String {
        let name = ["codat-billpay/idempotency-key/v1", companyId, rawValue, String(attempt)].joined(separator: "\u{0}")
        var bytes = Array(SHA256.digest(Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80 // version 8
        bytes[8] = (bytes[8] & 0x3F) | 0x80 // RFC 9562 variant
        let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    // MARK: Marker (v1)

    /// The token a v1 payment carries in its `note` so that it can be found after a refresh:
    /// `[billpay-intent:<id>]`. Brackets delimit it, so `inv-1` never matches `inv-10`.
    public var marker: String { "\(Self.markerPrefix)\(rawValue)]" }

    static let markerPrefix = "[billpay-intent:"

    /// The intent ids whose markers `note` carries, in order.
    public static func intents(inNote note: String?) -> [PaymentIntentID] {
        guard let note else { return [] }
        var found: [PaymentIntentID] = []
        var rest = note[...]
        while let start = rest.range(of: markerPrefix) {
            let afterPrefix = rest[start.upperBound...]
            guard let end = afterPrefix.firstIndex(of: "]") else { break }
            found.append(PaymentIntentID(String(afterPrefix[..<end])))
            rest = afterPrefix[afterPrefix.index(after: end)...]
        }
        return found
    }

    /// Whether `note` carries exactly this intent's marker (not one that merely starts the same).
    public func isMarked(in note: String?) -> Bool {
        Self.intents(inNote: note).contains(self)
    }

    /// `note` with the marker appended (or the marker alone), unless it already carries it.
    func marking(_ note: String?) -> String {
        guard let note, !note.isEmpty else { return marker }
        return isMarked(in: note) ? note : "\(note) \(marker)"
    }
}

/// An intent that cannot be paid as asked (nothing was sent).
public enum PaymentIntentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The id is empty, too long or has characters other than ASCII letters, digits, `.`, `_`, `-`.
    case invalidId(String)
    /// The intent was paid before with another payload: an intent names one payment.
    case payloadChanged(intentId: String)
    /// The intent belongs to another API, company or connection than the one asked.
    case otherScope(intentId: String, recorded: String)
    /// (Synchronous API) another intent on the same bill has an unknown outcome: resume it first,
    /// otherwise the bill's amount due could no longer tell which payment was recorded.
    case billHasUnresolvedIntent(billId: String, intentId: String)

    public var description: String {
        switch self {
        case let .invalidId(id):
            return "payment intent id '\(id)' is not usable: 1 to 100 ASCII letters, digits, '.', '_' or '-'"
        case let .payloadChanged(id):
            return "payment intent \(id) was already sent with another payload: an intent names one payment; use a new intent id for a new payment"
        case let .otherScope(id, recorded):
            return "payment intent \(id) belongs to \(recorded)"
        case let .billHasUnresolvedIntent(billId, id):
            return "bill \(billId) has payment intent \(id) whose outcome is unknown: resume it (pay it again) before paying this bill again"
        }
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
