import Foundation

/// Any JSON value, for schemas that truly say nothing about their data.
/// Numbers keep full precision as `Decimal`.
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }
}

/// A coding key made from any string, for members read by name: a discriminator, the members a
/// schema does not name (`additionalProperties` beside `properties`).
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int?

    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }

    /// Reads `key` as a string from a JSON object, or nil when the value is not an object or has no such string.
    public static func string(_ key: String, in decoder: any Decoder) -> String? {
        guard let container = try? decoder.container(keyedBy: AnyCodingKey.self) else { return nil }
        return try? container.decodeIfPresent(String.self, forKey: AnyCodingKey(key))
    }

    /// The members of a JSON object whose keys are not among `known` (a struct's `CodingKeys`):
    /// a schema's `additionalProperties` beside its `properties`.
    public static func additionalMembers<Value: Decodable, Known: CodingKey & CaseIterable>(
        _ type: Value.Type, in decoder: any Decoder, skipping known: Known.Type
    ) throws -> [String: Value] {
        let names = Set(Known.allCases.map(\.stringValue))
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        var members: [String: Value] = [:]
        for key in container.allKeys where !names.contains(key.stringValue) {
            members[key.stringValue] = try container.decode(Value.self, forKey: key)
        }
        return members
    }

    /// Writes `members` into the object `encoder` holds, but a key among `known` (the struct's
    /// own member is written instead).
    public static func encodeAdditionalMembers<Value: Encodable, Known: CodingKey & CaseIterable>(
        _ members: [String: Value], to encoder: any Encoder, skipping known: Known.Type
    ) throws {
        let names = Set(Known.allCases.map(\.stringValue))
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, value) in members where !names.contains(key) {
            try container.encode(value, forKey: AnyCodingKey(key))
        }
    }
}
