/// Stage 4's output: everything the templates need, decided. Templates only lay it out.
///
/// Names are `SwiftName`s and types `TypeRef`s, never escaped; texts from the document (JSON keys,
/// enum values, parameter names) are kept as written. `Render/` escapes both when it builds the
/// template contexts. Doc comment lines are already sanitised (`Naming.docLines`).
public struct SDKModel: Sendable {
    public var moduleName: String
    public var title: String
    public var types: [TypeDeclaration]
    /// Some property is stored in an `Indirect` box (a cycle of structs): the models declare it.
    public var declaresIndirectBox: Bool
    /// JSON pointer of a schema (`#/components/schemas/Bill`) -> the Swift type that represents it.
    public var schemaTypes: [(pointer: String, type: TypeRef)]
    /// The API client: one type with a resource per tag.
    public var client: ClientDeclaration
}

public struct PropertyDeclaration: Sendable {
    public var name: SwiftName
    /// The stored property: `name`, or `_name` behind a deprecated accessor (so that the
    /// generated init and Codable conformance never touch a deprecated symbol).
    public var storageName: SwiftName
    /// The init's internal parameter name (differs from `name` only for `self`).
    public var argumentName: SwiftName
    /// The JSON key, as written in the document.
    public var jsonName: String
    public var type: TypeRef
    /// In the schema's `required`: the member is always in the JSON.
    public var required: Bool
    /// `null` is a valid value (`nullable: true`, `type: [X, null]`, `anyOf: [X, {type: null}]`).
    public var nullable: Bool
    public var doc: [String]
    public var deprecated: Bool
    /// Stored in an `Indirect` box behind the public property (it holds its owner in a cycle).
    public var boxed: Bool

    /// A Swift `Optional`: absent or null is allowed.
    public var optional: Bool { !required || nullable }
    /// Required and nullable: encoded as an explicit `null` when nil, and the memberwise init has
    /// no default for it (a caller must say it).
    public var encodesNull: Bool { required && nullable }
}

public struct StructDeclaration: Sendable {
    public var name: SwiftName
    public var doc: [String]
    public var deprecated: Bool
    public var properties: [PropertyDeclaration]
    /// The schema's `additionalProperties` beside its properties (nil: none, or `false`).
    public var additionalProperties: AdditionalPropertiesDeclaration? = nil
}

/// The keys of an object its schema does not name, kept in a `[String: valueType]` member:
/// decoded from the JSON and written back after the named ones.
public struct AdditionalPropertiesDeclaration: Sendable {
    public var name: SwiftName
    public var valueType: TypeRef
}

public struct EnumCase: Sendable {
    public var name: SwiftName
    /// The value as written in the document.
    public var rawValue: String
}

public struct EnumDeclaration: Sendable {
    public var name: SwiftName
    public var doc: [String]
    public var deprecated: Bool
    public var cases: [EnumCase]
}

public struct OneOfCase: Sendable {
    public var name: SwiftName
    public var type: TypeRef
    /// Discriminator values (as written) that select this case.
    public var discriminatorValues: [String]
}

public struct OneOfDeclaration: Sendable {
    public var name: SwiftName
    public var doc: [String]
    public var deprecated: Bool
    public var cases: [OneOfCase]
    /// The discriminating property's JSON name, when the schema has one.
    public var discriminator: String?
    /// `indirect enum`: a case holds, directly or through structs, this enum itself.
    public var indirect: Bool = false
}

/// An array or map schema that contains itself (`Tree: {type: array, items: {$ref: Tree}}`):
/// a struct around the value, coded as the bare value.
public struct WrapperDeclaration: Sendable {
    public var name: SwiftName
    public var doc: [String]
    public var deprecated: Bool
    /// An array or a dictionary type that mentions `name`.
    public var value: TypeRef
}

public enum TypeDeclaration: Sendable {
    case structure(StructDeclaration)
    case enumeration(EnumDeclaration)
    case oneOf(OneOfDeclaration)
    case wrapper(WrapperDeclaration)

    public var name: SwiftName {
        switch self {
        case let .structure(d): return d.name
        case let .enumeration(d): return d.name
        case let .oneOf(d): return d.name
        case let .wrapper(d): return d.name
        }
    }
}
