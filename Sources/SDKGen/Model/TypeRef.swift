/// A reference to a Swift type, laid out by the `typeRef` partial. Written as Swift text only
/// when rendered (`TypeRef.context`, `Render/TemplateContext.swift`).
public indirect enum TypeRef: Hashable, Sendable {
    /// A type Swift, Foundation or PayablesRuntime provides.
    case builtin(BuiltinType)
    /// A declaration of the generated module (struct, enum, one-of, wrapper).
    case declared(SwiftName)
    /// A type the config's `typeOverrides` names, written as given.
    case custom(String)
    case array(TypeRef)
    case dictionary(TypeRef)

    /// The generated declaration this reference names directly (not through an array or map).
    public var declaredName: SwiftName? { if case let .declared(n) = self { return n } else { return nil } }

    /// `Bill` for `Bill`, `[Bill]` and `[String: Bill]`: the declaration inside, if any.
    public var innermostDeclaredName: SwiftName? {
        switch self {
        case let .declared(name): return name
        case let .array(element), let .dictionary(element): return element.innermostDeclaredName
        case .builtin, .custom: return nil
        }
    }

    public static let jsonValue = TypeRef.builtin(.jsonValue)
    public static let string = TypeRef.builtin(.string)
}

/// The types generated code uses that Swift, Foundation or PayablesRuntime declare.
public enum BuiltinType: String, CaseIterable, Hashable, Sendable {
    case string = "String", bool = "Bool", int = "Int", int32 = "Int32", int64 = "Int64"
    case double = "Double", float = "Float", decimal = "Decimal"
    case dateTime = "DateTime", jsonValue = "JSONValue", data = "Data", void = "Void"
    case multipartFile = "MultipartFile", multipartForm = "MultipartForm"

    /// The types PayablesRuntime makes `ParameterValue` (`Request/ParameterValue.swift`): the ones
    /// a path, query or header parameter or a multipart text part may have (and arrays of them in
    /// a query). Declared once here; `RuntimeContractTests` reads the runtime's conformances and
    /// checks this list against them.
    public static let parameterValues: Set<BuiltinType> = [.string, .bool, .int, .int32, .int64, .double, .float, .decimal, .dateTime]

    public var isInteger: Bool { self == .int || self == .int32 || self == .int64 }
}
