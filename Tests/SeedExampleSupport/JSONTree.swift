import Foundation
import SDKGen

/// A JSON value for comparisons, numbers kept as exact `Decimal` (read from the number's text by
/// the generator config's reader, `LocatedJSON`, never through `Double`), compared in value: key
/// order does not matter and a `null` member counts as absent.
public enum JSONTree: Equatable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    public var description: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(d): return d.description
        case let .string(s): return "\"\(s)\""
        case let .array(a): return "[" + a.map(\.description).joined(separator: ",") + "]"
        case let .object(o):
            return "{" + o.keys.sorted().map { "\"\($0)\":\(o[$0]!.description)" }.joined(separator: ",") + "}"
        }
    }

    /// The first place where two values differ, or nil when they are equal in value.
    public static func difference(_ expected: JSONTree, _ actual: JSONTree) -> String? {
        differences(expected, actual).first
    }

    /// Every place where `actual` differs from `expected`, as `$.path: …`.
    ///
    /// An object member whose value is `null` counts as absent: `JSONEncoder` (through the
    /// synthesized `encodeIfPresent`) omits nil optionals, so an example's explicit `null`
    /// comes back as a missing key. `null` inside arrays is compared as is.
    public static func differences(_ expected: JSONTree, _ actual: JSONTree, at path: String = "$") -> [String] {
        switch (expected, actual) {
        case let (.number(a), .number(b)): return a == b ? [] : ["\(path): expected \(a), got \(b)"]
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return ["\(path): expected \(a.count) items, got \(b.count)"] }
            return zip(a, b).enumerated().flatMap { differences($1.0, $1.1, at: "\(path)[\($0)]") }
        case let (.object(a), .object(b)):
            let keys = Set(a.keys).union(b.keys).sorted()
            return keys.flatMap { key -> [String] in
                switch (a[key] ?? .null, b[key] ?? .null) {
                case (.null, .null): return []
                case let (x, .null): return ["\(path).\(key): missing after round trip (expected \(x))"]
                case let (.null, y): return ["\(path).\(key): unexpected member after round trip: \(y)"]
                case let (x, y): return differences(x, y, at: "\(path).\(key)")
                }
            }
        default:
            return expected == actual ? [] : ["\(path): expected \(expected), got \(actual)"]
        }
    }

    // MARK: Parsing

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses JSON text (the generator config's reader, which keeps each number's text);
    /// numbers become `Decimal(string:)` of their exact text.
    public static func parse(_ data: Data) throws -> JSONTree {
        let json: LocatedJSON
        do {
            json = try LocatedJSON(data: data)
        } catch {
            throw ParseError(description: "\(error.message) at \(error.position.line):\(error.position.column)")
        }
        return try JSONTree(json.root)
    }

    public static func parse(_ text: String) throws -> JSONTree { try parse(Data(text.utf8)) }

    public init(json: Data) throws { self = try JSONTree.parse(json) }

    /// The JSON value `value` encodes to (`JSONEncoder`).
    public init(encoding value: some Encodable) throws { try self.init(json: JSONEncoder().encode(value)) }

    private init(_ value: LocatedJSON.Value) throws {
        switch value {
        case .null: self = .null
        case let .bool(b): self = .bool(b)
        case let .string(s): self = .string(s)
        case let .number(text):
            guard let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { throw ParseError(description: "bad number \(text)") }
            self = .number(d)
        case let .array(items): self = .array(try items.map(JSONTree.init))
        case let .object(members):
            self = .object(Dictionary(uniqueKeysWithValues: try members.map { ($0.key, try JSONTree($0.value)) }))
        }
    }

    /// Whether `text` is a number in JSON's grammar (no space around it).
    public static func isJSONNumber(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, !first.isWhitespace, !last.isWhitespace,
              let json = try? LocatedJSON(data: Data(text.utf8)), case .number = json.root else { return false }
        return true
    }

    // MARK: Writing

    /// JSON text for this value (numbers as `Decimal.description`, which is exact).
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(d): return d.description
        case let .string(s): return JSONTree.quote(s)
        case let .array(a): return "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case let .object(o): return "{" + o.keys.sorted().map { JSONTree.quote($0) + ":" + o[$0]!.jsonText }.joined(separator: ",") + "}"
        }
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    // MARK: Editing

    /// A step of a path: an object's key or an array's index.
    public enum Step: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    /// This value with `value` at a path of object keys and array indices.
    public func replacing(_ path: [Step], with value: JSONTree) -> JSONTree {
        guard let first = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch (self, first) {
        case let (.object(o), .key(key)):
            var o = o
            o[key] = (o[key] ?? .null).replacing(rest, with: value)
            return .object(o)
        case let (.array(a), .index(index)):
            var a = a
            a[index] = a[index].replacing(rest, with: value)
            return .array(a)
        default:
            preconditionFailure("no \(first) in \(self)")
        }
    }
}
