import Foundation

/// A stable name for one intended payment: the same payment asked for twice (a retry, a second
/// run of the same payment batch) gets the same key, so the layer can tell whether it was already
/// recorded.
///
/// By default the key is derived from what the payment is (company, connection, bills, amounts,
/// date, account, reference). Two payments that are meant to be distinct but are identical in all
/// of these (the same amount of the same bill on the same day from the same account) must be
/// given distinct keys, e.g. from the caller's own payment id.
public struct PaymentKey: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The key's text: letters, digits and `-` only, so that it fits a header and a query.
    public let rawValue: String

    /// A key the caller chooses (their payment id). Characters other than letters, digits and
    /// `-` are replaced by `-`.
    public init(_ rawValue: String) {
        let allowed = rawValue.unicodeScalars.map { scalar -> Character in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-")) ? Character(scalar) : "-"
        }
        self.rawValue = String(allowed)
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// A key derived from the parts, the same in every run and on every platform: two 64-bit
    /// FNV-1a hashes of the parts (length-prefixed, so that `["ab", "c"]` and `["a", "bc"]` differ).
    public static func derived(from parts: [String]) -> PaymentKey {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x6c62_272e_07bb_0142
        for part in parts {
            for byte in Array("\(part.utf8.count):".utf8) + Array(part.utf8) {
                first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                second = second ^ (second >> 29)
            }
        }
        return PaymentKey(String(format: "%016llx%016llx", first, second))
    }

    /// A key derived from a JSON-encodable payload (keys sorted, so field order does not matter).
    static func derived(from prefix: [String], payload: some Encodable) throws -> PaymentKey {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(payload)
        return derived(from: prefix + [String(decoding: json, as: UTF8.self)])
    }

    /// The text the layer writes into a payment (its `note`) so that the payment can be found
    /// again: `billpay-key:<key>`.
    public var marker: String { "billpay-key:\(rawValue)" }

    /// The `Idempotency-Key` header value for operations that take one.
    public var idempotencyKey: String { "billpay-\(rawValue)" }

    public var description: String { rawValue }

    /// `note` with the marker appended (or the marker alone), unless it already carries it.
    func marking(_ note: String?) -> String {
        guard let note, !note.isEmpty else { return marker }
        return note.contains(marker) ? note : "\(note) [\(marker)]"
    }
}
