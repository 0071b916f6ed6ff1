import Foundation
import XCTest

// The guides' payloads (`<shared>/fixtures/seed-examples`, listed by `index.json`) and a JSON
// comparison in value. Foundation only: each test file imports the one generated module it uses.

/// One entry of `index.json`: where a payload comes from in the guides.
struct SeedExample: Decodable {
    var file: String
    var seed: String
    var line: Int
    var section: String
    var tabs: [String]
    var title: String

    /// What the payload is, from its file name.
    enum Kind: String {
        case billToPay, paySingleBill, payMultipleBills, batchPayment, createCreditNote, allocateCreditNote
    }

    var kind: Kind? {
        let table: [(String, Kind)] = [
            ("-bill-to-pay-", .billToPay), ("-pay-single-bill-", .paySingleBill),
            ("-pay-multiple-bills-", .payMultipleBills), ("-batch-payment-", .batchPayment),
            ("-create-credit-note-", .createCreditNote), ("-allocate-credit-note-", .allocateCreditNote),
        ]
        return table.first { file.contains($0.0) }?.1
    }

    /// "seed:line, section / tabs", for failure messages.
    var origin: String {
        "\(file) (\(seed):\(line), \(section)\(tabs.isEmpty ? "" : " / " + tabs.joined(separator: " / ")))"
    }

    /// `$PAYABLES_SHARED`, else `../shared` beside the package root.
    static var sharedFolder: URL {
        if let shared = ProcessInfo.processInfo.environment["PAYABLES_SHARED"], !shared.isEmpty {
            return URL(fileURLWithPath: shared, isDirectory: true)
        }
        let packageRoot = URL(fileURLWithPath: #filePath) // <root>/Tests/BillPayTests/SeedExamples.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared", isDirectory: true)
    }

    static var folder: URL {
        sharedFolder.appendingPathComponent("fixtures/seed-examples", isDirectory: true)
    }

    static func index() throws -> [SeedExample] {
        let url = folder.appendingPathComponent("index.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingExamples(description: "no seed examples at \(url.path): set PAYABLES_SHARED to the shared folder")
        }
        return try JSONDecoder().decode([SeedExample].self, from: Data(contentsOf: url))
    }

    static func payload(_ file: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(file))
    }
}

struct MissingExamples: Error, CustomStringConvertible {
    var description: String
}

/// A JSON value whose numbers are exact `Decimal`s (JSONDecoder reads a `Decimal` from the
/// number's text, never through `Double`), compared in value: key order does not matter and a
/// `null` member counts as absent (`JSONEncoder` omits nil optionals).
enum JSONTree: Decodable, Equatable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONTree].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONTree].self))
        }
    }

    init(json: Data) throws { self = try JSONDecoder().decode(JSONTree.self, from: json) }

    init(encoding value: some Encodable) throws { try self.init(json: JSONEncoder().encode(value)) }

    var description: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return "\(b)"
        case let .number(d): return d.description
        case let .string(s): return "\"\(s)\""
        case let .array(a): return "[" + a.map(\.description).joined(separator: ",") + "]"
        case let .object(o): return "{" + o.keys.sorted().map { "\"\($0)\":\(o[$0]!)" }.joined(separator: ",") + "}"
        }
    }

    /// Every place where `actual` differs from `expected`, as `$.path: …`.
    static func differences(_ expected: JSONTree, _ actual: JSONTree, at path: String = "$") -> [String] {
        switch (expected, actual) {
        case let (.number(a), .number(b)): return a == b ? [] : ["\(path): expected \(a), built \(b)"]
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return ["\(path): expected \(a.count) items, built \(b.count)"] }
            return zip(a, b).enumerated().flatMap { differences($1.0, $1.1, at: "\(path)[\($0)]") }
        case let (.object(a), .object(b)):
            let keys = Set(a.keys).union(b.keys).sorted()
            return keys.flatMap { key -> [String] in
                switch (a[key] ?? .null, b[key] ?? .null) {
                case (.null, .null): return []
                case let (x, .null): return ["\(path).\(key): expected \(x), built nothing"]
                case let (.null, y): return ["\(path).\(key): not expected, built \(y)"]
                case let (x, y): return differences(x, y, at: "\(path).\(key)")
                }
            }
        default:
            return expected == actual ? [] : ["\(path): expected \(expected), built \(actual)"]
        }
    }

    /// A step of a path: an object's key or an array's index.
    enum Step: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        init(stringLiteral value: String) { self = .key(value) }
        init(integerLiteral value: Int) { self = .index(value) }
    }

    /// This value with `value` at a path of object keys and array indices.
    func replacing(_ path: [Step], with value: JSONTree) -> JSONTree {
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

/// A `Decimal` from its text: a `Double` literal would not be exact (135.85 is not a binary fraction).
func dec(_ text: String) -> Decimal {
    guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
        preconditionFailure("not a number: \(text)")
    }
    return value
}

/// Asserts that a built value encodes to the same JSON value as the expected one.
func XCTAssertSameJSON(_ expected: JSONTree, _ built: some Encodable, _ message: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
    let differences = JSONTree.differences(expected, try JSONTree(encoding: built))
    XCTAssert(differences.isEmpty, "\(message):\n  " + differences.joined(separator: "\n  "), file: file, line: line)
}
