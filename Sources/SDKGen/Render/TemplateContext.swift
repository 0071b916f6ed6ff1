/// What a template reads: typed contexts (`TemplateObject`: values by `TemplateKey`), the form
/// the Mustache engine (`Render/Mustache`) walks without hashing or casts. Every context of every
/// template is built in `Render/` from the typed model, by the builders below and in
/// `ModelContexts`, `ClientContext` and `CatalogContext`; `Templates/README.md` lists their keys.
///
/// Rules every builder keeps, so that a user's template can rely on them:
/// - Names are rendered (`SwiftName.rendered`: backticks on keywords), texts from the document
///   are string-literal bodies (`Naming.stringLiteralBody`), doc lines are ready to follow `///`.
/// - A key that may be absent is present as `false` (never missing), so that a section never
///   finds the key in an outer context.
/// - Lists are arrays of contexts; where a template needs separators, each item has `last`.
typealias TemplateContext = TemplateObject

/// The keys of the built-in contexts (`Templates/README.md`), each interned once.
extension TemplateKey {
    // Header and files.
    static let module = TemplateKey("module"), spec = TemplateKey("spec"), title = TemplateKey("title")
    static let types = TemplateKey("types"), declaresIndirectBox = TemplateKey("declaresIndirectBox")
    static let schemas = TemplateKey("schemas"), pointer = TemplateKey("pointer")
    // Declarations.
    static let isStruct = TemplateKey("isStruct"), isEnum = TemplateKey("isEnum"), isOneOf = TemplateKey("isOneOf"), isWrapper = TemplateKey("isWrapper")
    static let name = TemplateKey("name"), doc = TemplateKey("doc"), deprecated = TemplateKey("deprecated")
    static let hasProperties = TemplateKey("hasProperties"), encodesNull = TemplateKey("encodesNull"), properties = TemplateKey("properties")
    static let storageName = TemplateKey("storageName"), argumentName = TemplateKey("argumentName"), hasArgumentName = TemplateKey("hasArgumentName")
    static let jsonKey = TemplateKey("jsonKey"), type = TemplateKey("type"), optional = TemplateKey("optional"), hasDefault = TemplateKey("hasDefault")
    static let boxed = TemplateKey("boxed"), twin = TemplateKey("twin"), cases = TemplateKey("cases"), rawValue = TemplateKey("rawValue")
    static let indirect = TemplateKey("indirect"), discriminator = TemplateKey("discriminator"), discriminatorValues = TemplateKey("discriminatorValues")
    static let value = TemplateKey("value"), last = TemplateKey("last")
    static let additionalProperties = TemplateKey("additionalProperties"), hasAdditionalProperties = TemplateKey("hasAdditionalProperties")
    static let ownsEncode = TemplateKey("ownsEncode"), valueType = TemplateKey("valueType")
    // typeRef.
    static let named = TemplateKey("named"), array = TemplateKey("array"), dictionary = TemplateKey("dictionary")
    // Client.
    static let client = TemplateKey("client"), defaultServer = TemplateKey("defaultServer"), credentials = TemplateKey("credentials")
    static let hasCredentials = TemplateKey("hasCredentials"), retry = TemplateKey("retry"), errorModel = TemplateKey("errorModel"), resources = TemplateKey("resources")
    static let label = TemplateKey("label"), location = TemplateKey("location"), nameLiteral = TemplateKey("nameLiteral")
    static let initial = TemplateKey("initial"), max = TemplateKey("max"), maxElapsed = TemplateKey("maxElapsed"), exponent = TemplateKey("exponent")
    static let codes = TemplateKey("codes"), classes = TemplateKey("classes"), connectionErrors = TemplateKey("connectionErrors")
    static let property = TemplateKey("property"), typeName = TemplateKey("typeName"), operations = TemplateKey("operations")
    static let methodName = TemplateKey("methodName"), operationID = TemplateKey("operationID"), verb = TemplateKey("verb"), pathTemplate = TemplateKey("pathTemplate")
    static let arguments = TemplateKey("arguments"), pathParameters = TemplateKey("pathParameters"), queryParameters = TemplateKey("queryParameters")
    static let headerParameters = TemplateKey("headerParameters"), jsonBody = TemplateKey("jsonBody"), bytesBody = TemplateKey("bytesBody")
    static let multipartBody = TemplateKey("multipartBody"), bodyContentType = TemplateKey("bodyContentType"), parts = TemplateKey("parts"), isFile = TemplateKey("isFile")
    static let successJSON = TemplateKey("successJSON"), successBytes = TemplateKey("successBytes"), successEmpty = TemplateKey("successEmpty")
    static let successType = TemplateKey("successType"), successStatuses = TemplateKey("successStatuses"), accept = TemplateKey("accept")
    static let errorCodes = TemplateKey("errorCodes"), errorClasses = TemplateKey("errorClasses"), anonymous = TemplateKey("anonymous"), pagination = TemplateKey("pagination")
    static let listAllName = TemplateKey("listAllName"), isPage = TemplateKey("isPage"), isToken = TemplateKey("isToken"), elementType = TemplateKey("elementType")
    static let forward = TemplateKey("forward"), isCursor = TemplateKey("isCursor"), isPageCursor = TemplateKey("isPageCursor"), isTokenCursor = TemplateKey("isTokenCursor")
    static let items = TemplateKey("items"), itemsOptional = TemplateKey("itemsOptional"), pageNumber = TemplateKey("pageNumber"), pageSize = TemplateKey("pageSize")
    static let totalResults = TemplateKey("totalResults"), tokenContainer = TemplateKey("tokenContainer"), tokenContainerOptional = TemplateKey("tokenContainerOptional")
    static let tokenProperty = TemplateKey("tokenProperty"), arrayStyle = TemplateKey("arrayStyle")
    static let successOptional = TemplateKey("successOptional"), emptyStatuses = TemplateKey("emptyStatuses")
    // Catalog.
    static let summary = TemplateKey("summary"), methods = TemplateKey("methods"), models = TemplateKey("models")
    static let hasClient = TemplateKey("hasClient"), webhookModels = TemplateKey("webhookModels"), hasWebhookModels = TemplateKey("hasWebhookModels")
}

enum ContextValue {
    /// Numbers joined for a Swift array literal's body (`400, 404`).
    static func list(_ numbers: [Int]) -> String { numbers.map(String.init).joined(separator: ", ") }

    /// Items with `last` set on the final one.
    static func withLast(_ items: consuming [TemplateContext]) -> [TemplateContext] {
        // Consumed, so each item is set in place (not copied).
        for index in items.indices { items[index][.last] = .bool(index == items.count - 1) }
        return items
    }
}

extension TypeRef {
    /// The `typeRef` partial's context: exactly one of `named` (the type's name), `array` (the
    /// element's context) and `dictionary` (the value's context) is set, the others are `false`.
    var context: TemplateContext {
        switch self {
        case let .builtin(builtin): return [.named: .string(builtin.rawValue), .array: false, .dictionary: false]
        case let .declared(name): return [.named: .string(name.rendered), .array: false, .dictionary: false]
        case let .custom(text): return [.named: .string(text), .array: false, .dictionary: false]
        case let .array(element): return [.named: false, .array: .object(element.context), .dictionary: false]
        case let .dictionary(value): return [.named: false, .array: false, .dictionary: .object(value.context)]
        }
    }
}

/// The keys every file template gets at its top: `module`, `spec` (the document's file name) and
/// `title` (`info.title`), the last two escaped for a `//` comment.
enum HeaderContext {
    static func make(module: String, specFileName: String, title: String) -> TemplateContext {
        [.module: .string(module), .spec: .string(Naming.lineComment(specFileName)), .title: .string(Naming.lineComment(title))]
    }
}
