/// The client part of `SDKModel`: one client type, its resources (from tags) and their
/// methods (from operations). Every name and type is decided; `Render/ClientContext` escapes
/// them and `Client.mustache` only lays them out.
public struct ClientDeclaration: Sendable {
    /// The client type's name in every module (`Client.mustache` declares it), so that nothing
    /// shadows the module: `<Module>.Client`, `<Module>.Bill`.
    public static let typeName = "Client"
    /// The module's name: the client type is `<name>.Client`, its error `<name>Error`.
    public var name: String
    public var doc: [String]
    /// The first `servers` entry (variables at their defaults).
    public var defaultServer: String
    public var credentials: [CredentialParameter]
    public var retry: RetryPolicy?
    /// The error body type every documented error response decodes into.
    public var errorModel: TypeRef
    public var resources: [ResourceDeclaration]
}

public struct CredentialParameter: Sendable {
    public enum Location: String, Sendable { case header, query }
    /// The init's label (`authHeader`).
    public var label: SwiftName
    public var doc: [String]
    public var location: Location
    /// The header or query parameter's name, as written.
    public var name: String
}

public struct ResourceDeclaration: Sendable {
    /// The client's property (`billPayments`).
    public var property: SwiftName
    /// The nested type (`BillPaymentsResource`).
    public var typeName: SwiftName
    public var doc: [String]
    public var operations: [OperationDeclaration]
}

public struct OperationDeclaration: Sendable {
    public var methodName: SwiftName
    public var doc: [String]
    public var deprecated: Bool
    /// The operation's id as written (or `METHOD /path` when it has none).
    public var operationID: String
    /// `get`, `post`, ...: a case of the runtime's `HTTPVerb`.
    public var verb: String
    public var pathTemplate: String
    /// In signature order: required ones first.
    public var parameters: [ParameterDeclaration]
    public var body: BodyDeclaration?
    public var success: SuccessDeclaration
    public var errorCodes: [Int]
    public var errorClasses: [Int]
    public var pagination: PaginationDeclaration?
    /// `security: []`: the operation is called without credentials.
    public var anonymous: Bool
}

public struct ParameterDeclaration: Sendable {
    public enum Location: String, Sendable { case path, query, header }
    /// The argument label.
    public var label: SwiftName
    /// The parameter's name, as written.
    public var name: String
    public var location: Location
    public var type: TypeRef
    public var optional: Bool
    /// A generated enum: written through `rawValue`.
    public var isEnum: Bool
    public var doc: [String]
    /// A query array written otherwise than `name=a&name=b` (the document's `style` and
    /// `explode`): a case of the runtime's `QueryArrayStyle`. Nil for every other parameter.
    public var arrayStyle: ArrayStyle? = nil

    public enum ArrayStyle: String, Sendable { case commaDelimited, spaceDelimited, pipeDelimited }
}

public struct BodyDeclaration: Sendable {
    public enum Kind: String, Sendable { case json, multipart, bytes }
    public var kind: Kind
    /// json: the body's type. bytes: `Data`. multipart: `MultipartForm`.
    public var type: TypeRef
    public var optional: Bool
    public var contentType: String
    /// multipart: one parameter per part, in the schema's order.
    public var parts: [MultipartPartDeclaration]
    public var doc: [String]
}

public struct MultipartPartDeclaration: Sendable {
    public var label: SwiftName
    /// The part's name, as written.
    public var name: String
    /// Binary parts take a `MultipartFile`; others a text value.
    public var isFile: Bool
    public var type: TypeRef
    public var optional: Bool
    public var doc: [String]
}

public struct SuccessDeclaration: Sendable {
    public enum Kind: String, Sendable { case json, bytes, empty }
    public var kind: Kind
    /// json: the decoded type; bytes: `Data`; empty: `Void`.
    public var type: TypeRef
    public var statuses: [Int]
    public var accept: String
    /// json and bytes: success statuses documented without a body (a 204 beside a 200). The
    /// method then returns `type?`, nil for these.
    public var emptyStatuses: [Int] = []
}

public struct PaginationDeclaration: Sendable {
    public enum Kind: String, Sendable { case page, token }
    public var kind: Kind
    /// The method that iterates every page (`listAll`).
    public var listAllName: SwiftName
    public var elementType: TypeRef
    /// The response's array property and whether it is optional.
    public var itemsProperty: SwiftName
    public var itemsOptional: Bool
    /// The argument the cursor fills: the page number or the continuation token.
    public var cursorLabel: SwiftName
    /// page: the response's paging properties (nil when absent).
    public var pageNumberProperty: SwiftName?
    public var pageSizeProperty: SwiftName?
    public var totalResultsProperty: SwiftName?
    /// token: where the response carries the next token: `container.token`, with the container's optionality.
    public var tokenContainer: SwiftName?
    public var tokenContainerOptional: Bool
    public var tokenProperty: SwiftName?
}

/// The client's default retries (`x-speakeasy-retries`), in the runtime's units.
public struct RetryPolicy: Sendable, Equatable {
    public var initialMilliseconds: Int
    public var maxMilliseconds: Int
    public var maxElapsedMilliseconds: Int
    public var exponent: Double
    public var codes: [Int]
    /// Status classes: 5 for `5XX`.
    public var classes: [Int]
    public var connectionErrors: Bool
}
