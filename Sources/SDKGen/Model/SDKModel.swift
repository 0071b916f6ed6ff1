/// Stage 4's output: everything the templates need, decided. Templates only lay it out.
///
/// Names are already valid, escaped Swift identifiers; literals are already escaped;
/// doc comment lines are already sanitised. `renderContext` turns each value into the
/// plain dictionaries and arrays swift-mustache reads fastest.
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

/// A reference to a Swift type, laid out by the `typeRef` partial.
public indirect enum TypeRef: Hashable, Sendable {
    case named(String)
    case array(TypeRef)
    case dictionary(TypeRef)

    var context: [String: Any] {
        // Every key is present so that a nested partial never finds an outer context's key.
        switch self {
        case let .named(name): return ["named": name, "array": false, "dictionary": false]
        case let .array(element): return ["named": false, "array": element.context, "dictionary": false]
        case let .dictionary(value): return ["named": false, "array": false, "dictionary": value.context]
        }
    }

    public var namedType: String? { if case let .named(n) = self { return n } else { return nil } }
}

public struct PropertyDeclaration: Sendable {
    /// Swift identifier, escaped with backticks when it is a keyword.
    public var name: String
    /// The stored property: `name`, or `_name` behind a deprecated accessor (so that the
    /// generated init and Codable conformance never touch a deprecated symbol).
    public var storageName: String
    /// The init's internal parameter name (differs from `name` only for `self`).
    public var argumentName: String
    /// The JSON key, as the body of a Swift string literal.
    public var jsonKeyLiteral: String
    public var type: TypeRef
    public var optional: Bool
    public var doc: [String]
    public var deprecated: Bool
    /// Stored in an `Indirect` box behind the public property (it holds its owner in a cycle).
    public var boxed: Bool
}

public struct StructDeclaration: Sendable {
    public var name: String
    public var doc: [String]
    public var deprecated: Bool
    public var properties: [PropertyDeclaration]
}

public struct EnumCase: Sendable {
    public var name: String
    public var rawValueLiteral: String
}

public struct EnumDeclaration: Sendable {
    public var name: String
    public var doc: [String]
    public var deprecated: Bool
    public var cases: [EnumCase]
}

public struct OneOfCase: Sendable {
    public var name: String
    public var type: TypeRef
    /// Discriminator values (as literal bodies) that select this case.
    public var discriminatorValues: [String]
}

public struct OneOfDeclaration: Sendable {
    public var name: String
    public var doc: [String]
    public var deprecated: Bool
    public var cases: [OneOfCase]
    /// The discriminating property's JSON name as a literal body, when the schema has one.
    public var discriminatorLiteral: String?
    /// `indirect enum`: a case holds, directly or through structs, this enum itself.
    public var indirect: Bool = false
}

/// An array or map schema that contains itself (`Tree: {type: array, items: {$ref: Tree}}`):
/// a struct around the value, coded as the bare value.
public struct WrapperDeclaration: Sendable {
    public var name: String
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

    public var name: String {
        switch self {
        case let .structure(d): return d.name
        case let .enumeration(d): return d.name
        case let .oneOf(d): return d.name
        case let .wrapper(d): return d.name
        }
    }
}

// MARK: Template contexts

extension TypeDeclaration {
    var context: [String: Any] {
        var c: [String: Any] = ["isStruct": false, "isEnum": false, "isOneOf": false, "isWrapper": false]
        switch self {
        case let .structure(d):
            c["isStruct"] = true
            c["name"] = d.name
            c["doc"] = d.doc
            c["deprecated"] = d.deprecated
            c["hasProperties"] = !d.properties.isEmpty
            c["properties"] = d.properties.enumerated().map { index, p -> [String: Any] in
                ["name": p.name, "storageName": p.storageName, "argumentName": p.argumentName,
                 "hasArgumentName": p.argumentName != p.name, "jsonKey": p.jsonKeyLiteral, "type": p.type.context, "optional": p.optional,
                 "doc": p.doc, "deprecated": p.deprecated, "boxed": p.boxed, "twin": p.deprecated || p.boxed,
                 "last": index == d.properties.count - 1]
            }
        case let .enumeration(d):
            c["isEnum"] = true
            c["name"] = d.name
            c["doc"] = d.doc
            c["deprecated"] = d.deprecated
            c["cases"] = d.cases.map { ["name": $0.name, "rawValue": $0.rawValueLiteral] }
        case let .oneOf(d):
            c["isOneOf"] = true
            c["name"] = d.name
            c["doc"] = d.doc
            c["deprecated"] = d.deprecated
            c["cases"] = d.cases.map { ["name": $0.name, "type": $0.type.context, "discriminatorValues": $0.discriminatorValues] as [String: Any] }
            c["discriminator"] = d.discriminatorLiteral ?? false
            c["indirect"] = d.indirect
        case let .wrapper(d):
            c["isWrapper"] = true
            c["name"] = d.name
            c["doc"] = d.doc
            c["deprecated"] = d.deprecated
            c["value"] = d.value.context
        }
        return c
    }
}
