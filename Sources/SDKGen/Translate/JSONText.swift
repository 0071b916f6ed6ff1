import OpenAPIDocument

/// Compact JSON text of a document value, for doc comments.
enum JSONText {
    static func compact(_ value: YAMLValue) -> String {
        switch value {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .integer(t), let .number(t): return t
        case let .string(s) where !s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }): return "\"" + s + "\""
        case let .string(s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case let .array(items): return "[" + items.map(compact).joined(separator: ",") + "]"
        case let .object(pairs): return "{" + pairs.map { compact(.string($0.0)) + ":" + compact($0.1) }.joined(separator: ",") + "}"
        }
    }
}
