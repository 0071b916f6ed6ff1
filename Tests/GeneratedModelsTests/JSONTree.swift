import Foundation
import SDKGen

// A JSON value for comparisons, numbers kept as exact `Decimal` (parsed from the number's
// text, never through `Double`). Only Foundation and SDKGen (for `LocatedJSON`) here: the
// generated modules and OpenAPIDocument both declare common type names, so each test file
// imports only what it uses.

enum JSONTree: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    var description: String {
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
    ///
    /// An object member whose value is `null` counts as absent: `JSONEncoder` (through the
    /// synthesized `encodeIfPresent`) omits nil optionals, so an example's explicit `null`
    /// comes back as a missing key. `null` inside arrays is compared as is.
    static func difference(_ expected: JSONTree, _ actual: JSONTree, at path: String = "$") -> String? {
        switch (expected, actual) {
        case (.null, .null): return nil
        case let (.bool(a), .bool(b)): return a == b ? nil : "\(path): expected \(a), got \(b)"
        case let (.number(a), .number(b)): return a == b ? nil : "\(path): expected number \(a), got \(b)"
        case let (.string(a), .string(b)): return a == b ? nil : "\(path): expected \"\(a)\", got \"\(b)\""
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return "\(path): expected \(a.count) items, got \(b.count)" }
            for (i, (x, y)) in zip(a, b).enumerated() {
                if let d = difference(x, y, at: "\(path)[\(i)]") { return d }
            }
            return nil
        case let (.object(a), .object(b)):
            let aa = a.filter { $0.value != .null }, bb = b.filter { $0.value != .null }
            for key in aa.keys.sorted() {
                guard let y = bb[key] else { return "\(path).\(key): missing after round trip (expected \(aa[key]!))" }
                if let d = difference(aa[key]!, y, at: "\(path).\(key)") { return d }
            }
            for key in bb.keys.sorted() where aa[key] == nil {
                return "\(path).\(key): unexpected member after round trip: \(bb[key]!)"
            }
            return nil
        default:
            return "\(path): expected \(expected), got \(actual)"
        }
    }

    // MARK: Parsing

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses JSON text (the generator config's reader, which keeps each number's text);
    /// numbers become `Decimal(string:)` of their exact text.
    static func parse(_ data: Data) throws -> JSONTree {
        let json: LocatedJSON
        do {
            json = try LocatedJSON(data: data)
        } catch {
            throw ParseError(description: "\(error.message) at \(error.position.line):\(error.position.column)")
        }
        return try JSONTree(json.root)
    }

    static func parse(_ text: String) throws -> JSONTree { try parse(Data(text.utf8)) }

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
    static func isJSONNumber(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, !first.isWhitespace, !last.isWhitespace,
              let json = try? LocatedJSON(data: Data(text.utf8)), case .number = json.root else { return false }
        return true
    }

    // MARK: Writing

    /// JSON text for this value (numbers as `Decimal.description`, which is exact).
    var jsonText: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(d): return d.description
        case let .string(s): return JSONTree.quote(s)
        case let .array(a): return "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case let .object(o): return "{" + o.keys.sorted().map { JSONTree.quote($0) + ":" + o[$0]!.jsonText }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
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
}

/// `<package root>`, from this file's path (`<root>/Tests/GeneratedModelsTests/…`).
let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
