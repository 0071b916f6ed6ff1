/// Index of a schema in the document's `SchemaTable`.
public struct SchemaID: Hashable, Sendable, Comparable {
    public let index: Int32
    public init(_ index: Int32) { self.index = index }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.index < rhs.index }
}

/// JSON Schema primitive types, as a set (`type: [string, "null"]`).
public struct JSONTypeSet: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let null = JSONTypeSet(rawValue: 1 << 0)
    public static let boolean = JSONTypeSet(rawValue: 1 << 1)
    public static let object = JSONTypeSet(rawValue: 1 << 2)
    public static let array = JSONTypeSet(rawValue: 1 << 3)
    public static let number = JSONTypeSet(rawValue: 1 << 4)
    public static let string = JSONTypeSet(rawValue: 1 << 5)
    public static let integer = JSONTypeSet(rawValue: 1 << 6)

    public static let names: [(String, JSONTypeSet)] = [
        ("null", .null), ("boolean", .boolean), ("object", .object), ("array", .array),
        ("number", .number), ("string", .string), ("integer", .integer),
    ]

    public init?(name: String) {
        guard let match = Self.names.first(where: { $0.0 == name }) else { return nil }
        self = match.1
    }

    public var description: String {
        Self.names.filter { contains($0.1) }.map(\.0).joined(separator: ", ")
    }
}

public enum AdditionalProperties: Sendable, Equatable {
    case allowed(Bool)
    case schema(SchemaID)
}

public struct Discriminator: Sendable {
    public var propertyName: String
    /// Value -> `$ref` text as written in the mapping, and the schema it resolves to.
    public var mapping: OrderedEntries<DiscriminatorTarget>
    public var extensions: Extensions
}

public struct DiscriminatorTarget: Sendable {
    public var ref: String
    public var schema: SchemaID?
}

/// One JSON Schema (3.0 and 3.1 dialects). Keywords not modelled here are kept in
/// `otherKeywords`; `x-` keywords in `extensions`.
public struct JSONSchema: Sendable {
    /// Where the schema is written.
    public var source: NodeRef
    /// A `$ref` in this schema (3.1 allows siblings such as `description`).
    public var ref: SchemaReference?
    /// Boolean schema: `true` (anything) or `false` (nothing).
    public var booleanSchema: Bool?

    public var types: JSONTypeSet?
    /// `nullable: true` (3.0, or a 3.0 habit inside a 3.1 document) or `"null"` among the types.
    public var nullable: Bool
    /// Whether `nullable` was written (as opposed to `type: [..., "null"]`).
    public var usesNullableKeyword: Bool
    public var format: String?
    public var title: String?
    public var description: String?
    public var deprecated: Bool
    public var readOnly: Bool
    public var writeOnly: Bool

    public var enumValues: [NodeRef]?
    public var constValue: NodeRef?
    public var defaultValue: NodeRef?
    public var example: NodeRef?
    public var examples: [NodeRef]

    public var allOf: [SchemaID]
    public var oneOf: [SchemaID]
    public var anyOf: [SchemaID]
    public var not: SchemaID?
    public var ifSchema: SchemaID?
    public var thenSchema: SchemaID?
    public var elseSchema: SchemaID?
    public var discriminator: Discriminator?

    public var properties: OrderedEntries<SchemaID>
    public var required: [String]
    public var additionalProperties: AdditionalProperties?
    public var patternProperties: OrderedEntries<SchemaID>
    public var propertyNames: SchemaID?
    public var minProperties: Int?
    public var maxProperties: Int?
    /// `definitions` and `$defs`: schemas kept beside this one (Codat's nested refs point here).
    public var definitions: OrderedEntries<SchemaID>

    public var items: SchemaID?
    public var prefixItems: [SchemaID]
    public var contains: SchemaID?
    public var minItems: Int?
    public var maxItems: Int?
    public var uniqueItems: Bool

    /// Numbers keep their exact text.
    public var minimum: String?
    public var maximum: String?
    /// 3.1 form (a number) or 3.0 form (`true` turns `minimum` exclusive).
    public var exclusiveMinimum: ExclusiveBound?
    public var exclusiveMaximum: ExclusiveBound?
    public var multipleOf: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?

    public var otherKeywords: OrderedEntries<NodeRef>
    public var extensions: Extensions

    init(source: NodeRef) {
        self.source = source
        nullable = false
        usesNullableKeyword = false
        deprecated = false
        readOnly = false
        writeOnly = false
        examples = []
        allOf = []
        oneOf = []
        anyOf = []
        properties = OrderedEntries()
        required = []
        patternProperties = OrderedEntries()
        definitions = OrderedEntries()
        prefixItems = []
        uniqueItems = false
        otherKeywords = OrderedEntries()
        extensions = Extensions()
    }
}

public enum ExclusiveBound: Sendable, Equatable {
    /// 3.0: `exclusiveMinimum: true` makes `minimum` exclusive.
    case flag(Bool)
    /// 3.1: the bound itself.
    case value(String)
}

public struct SchemaReference: Sendable {
    public var ref: String
    /// The schema the reference leads to; nil only when resolution failed (an error was reported).
    public var target: SchemaID?
}

/// Every schema of a document. Schemas are created once per node, so a schema
/// referenced from many places is one id.
public struct SchemaTable: Sendable {
    public internal(set) var all: [JSONSchema] = []
    /// Per file, per node index: the schema's index, or -1. Dense arrays, not a dictionary: every
    /// schema node and every `$ref` target is looked up here, and hashing showed in profiles.
    var idsByFile: [[Int32]] = []

    /// Borrowed, not copied: `schemas[id].ref` reads one field of a large struct.
    public subscript(id: SchemaID) -> JSONSchema {
        _read { yield all[Int(id.index)] }
    }

    public var count: Int { all.count }

    /// The schema written at a node, if that node was read as a schema.
    public func id(at node: NodeRef) -> SchemaID? {
        let file = Int(node.file), index = Int(node.node.index)
        guard file >= 0, file < idsByFile.count, index >= 0, index < idsByFile[file].count else { return nil }
        let id = idsByFile[file][index]
        return id < 0 ? nil : SchemaID(id)
    }

    /// Records that the schema `id` is written at `node`, in a file of `nodeCount` nodes.
    mutating func setID(_ id: SchemaID, at node: NodeRef, nodeCount: Int) {
        let file = Int(node.file)
        while idsByFile.count <= file { idsByFile.append([]) }
        if idsByFile[file].isEmpty { idsByFile[file] = [Int32](repeating: -1, count: nodeCount) }
        idsByFile[file][Int(node.node.index)] = id.index
    }

    /// Follows `$ref`s (a schema that is only a reference) to the schema that says something.
    /// Loops were reported when the document was read; here they just stop.
    public func resolved(_ id: SchemaID) -> SchemaID {
        var current = id
        var steps = 0
        while let target = self[current].ref?.target, steps < all.count {
            current = target
            steps += 1
        }
        return current
    }
}
