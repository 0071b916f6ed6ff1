import Foundation
import PayablesRuntime

/// A JSON value whose numbers are `Decimal`, so that money read from a request or a seed
/// file is stored and written back exactly (135.85 stays 135.85): the runtime's `JSONValue`.
///
/// The sandbox keeps every record in this form: one record can then be shown through the
/// model of either document (a bill is the same bill in the synchronous and the v1 API),
/// and the query language can walk any record by dotted field names.
public typealias SandboxJSON = JSONValue

// MARK: - Reading

extension SandboxJSON {
    public subscript(key: String) -> SandboxJSON? {
        get {
            guard case .object(let object) = self else { return nil }
            return object[key]
        }
        set {
            guard case .object(var object) = self else { return }
            object[key] = newValue
            self = .object(object)
        }
    }

    public subscript(index: Int) -> SandboxJSON? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var decimal: Decimal? {
        switch self {
        case .number(let value): return value
        // Codat examples sometimes quote numbers; a quoted number still reads as one.
        case .string(let value): return Decimal(string: value, locale: Locale(identifier: "en_US_POSIX"))
        default: return nil
        }
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var array: [SandboxJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var object: [String: SandboxJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The value at a dotted path (`supplierRef.id`); nil when any step is missing.
    public func value(at path: String) -> SandboxJSON? {
        var current: SandboxJSON? = self
        for key in path.split(separator: ".") {
            current = current?[String(key)]
        }
        return current
    }

    /// The `id` field, the key of every stored record.
    public var id: String? { self["id"]?.string }
}

// MARK: - Converting

extension SandboxJSON {
    /// The JSON a `Codable` value encodes to.
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONDecoder().decode(SandboxJSON.self, from: JSONEncoder().encode(value))
    }

    /// Parses JSON text.
    public init(data: Data) throws {
        self = try JSONDecoder().decode(SandboxJSON.self, from: data)
    }

    /// Decodes the value as `T` (for instance one of the generated models).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: data())
    }
}
