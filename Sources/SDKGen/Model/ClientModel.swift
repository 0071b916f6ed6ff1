/// The client part of `SDKModel`: one client type, its resources (from tags) and their
/// methods (from operations). Every name, type and literal is decided; `Client.mustache`
/// only lays it out.
public struct ClientDeclaration: Sendable {
    /// The client type's name in every module (`Client.mustache` declares it), so that nothing
    /// shadows the module: `<Module>.Client`, `<Module>.Bill`.
    public static let typeName = "Client"
    /// The module's name: the client type is `<name>.Client`, its error `<name>Error`.
    public var name: String
    public var doc: [String]
    /// The first `servers` entry (variables at their defaults), as a literal body.
    public var defaultServerLiteral: String
    public var credentials: [CredentialParameter]
    public var retry: RetryDefault?
    /// The error body type every documented error response decodes into.
    public var errorModel: TypeRef
    public var resources: [ResourceDeclaration]
}

public struct CredentialParameter: Sendable {
    /// The init's label (`authHeader`).
    public var label: String
    public var doc: [String]
    /// `header` or `query`.
    public var location: String
    public var nameLiteral: String
}

/// `x-speakeasy-retries`, in the runtime's units.
public struct RetryDefault: Sendable {
    public var initialMilliseconds: Int
    public var maxMilliseconds: Int
    public var maxElapsedMilliseconds: Int
    /// A Swift `Double` literal.
    public var exponent: String
    public var codes: [Int]
    public var classes: [Int]
    public var connectionErrors: Bool
}

public struct ResourceDeclaration: Sendable {
    /// The client's property (`billPayments`).
    public var property: String
    /// The nested type (`BillPaymentsResource`).
    public var typeName: String
    public var doc: [String]
    public var operations: [OperationDeclaration]
}

public struct OperationDeclaration: Sendable {
    public var methodName: String
    public var doc: [String]
    public var deprecated: Bool
    public var operationIDLiteral: String
    /// `get`, `post`, ...: a case of the runtime's `HTTPVerb`.
    public var verb: String
    public var pathTemplateLiteral: String
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
    /// The argument label (a valid identifier, backticked when a keyword).
    public var label: String
    public var nameLiteral: String
    public var location: Location
    public var type: TypeRef
    public var optional: Bool
    /// A generated enum: written through `rawValue`.
    public var isEnum: Bool
    public var doc: [String]
}

public struct BodyDeclaration: Sendable {
    public enum Kind: String, Sendable { case json, multipart, bytes }
    public var kind: Kind
    /// json: the body's type. bytes: `Data`.
    public var type: TypeRef
    public var optional: Bool
    public var contentTypeLiteral: String
    /// multipart: one parameter per part, in the schema's order.
    public var parts: [MultipartPartDeclaration]
    public var doc: [String]
}

public struct MultipartPartDeclaration: Sendable {
    public var label: String
    public var nameLiteral: String
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
    public var acceptLiteral: String
}

public struct PaginationDeclaration: Sendable {
    public enum Kind: String, Sendable { case page, token }
    public var kind: Kind
    /// The method that iterates every page (`listAll`).
    public var listAllName: String
    public var elementType: TypeRef
    /// The response's array property and whether it is optional.
    public var itemsProperty: String
    public var itemsOptional: Bool
    /// page: the page parameter's label and the response's paging properties (nil when absent).
    public var pageLabel: String
    public var pageNumberProperty: String?
    public var pageSizeProperty: String?
    public var totalResultsProperty: String?
    /// token: the token parameter's label and where the response carries the next token:
    /// `container.token`, with the container's optionality.
    public var tokenContainer: String?
    public var tokenContainerOptional: Bool
    public var tokenProperty: String?
}

// MARK: Template contexts

extension ClientDeclaration {
    var context: [String: Any] {
        [
            "name": name, "doc": doc, "defaultServer": defaultServerLiteral,
            "credentials": credentials.enumerated().map { i, c in
                ["label": c.label, "doc": c.doc, "location": c.location, "nameLiteral": c.nameLiteral, "last": i == credentials.count - 1] as [String: Any]
            },
            "hasCredentials": !credentials.isEmpty,
            "retry": retry.map { r -> [String: Any] in
                ["initial": r.initialMilliseconds, "max": r.maxMilliseconds, "maxElapsed": r.maxElapsedMilliseconds, "exponent": r.exponent,
                 "codes": r.codes.map(String.init).joined(separator: ", "), "classes": r.classes.map(String.init).joined(separator: ", "),
                 "connectionErrors": r.connectionErrors]
            } ?? false,
            "errorModel": errorModel.context,
            "resources": resources.map(\.context),
        ]
    }
}

extension ResourceDeclaration {
    var context: [String: Any] {
        ["property": property, "typeName": typeName, "doc": doc, "operations": operations.map(\.context)]
    }
}

extension OperationDeclaration {
    /// One argument of the method's signature (parameters, then the body or its parts),
    /// required ones first.
    private struct Argument {
        var label: String
        var type: TypeRef
        var optional: Bool
    }

    private var arguments: [Argument] {
        var bodyArguments: [Argument] = []
        if let body {
            switch body.kind {
            case .json, .bytes: bodyArguments = [Argument(label: "body", type: body.type, optional: body.optional)]
            case .multipart: bodyArguments = body.parts.map { Argument(label: $0.label, type: $0.type, optional: $0.optional) }
            }
        }
        let all = parameters.map { Argument(label: $0.label, type: $0.type, optional: $0.optional) } + bodyArguments
        return all.filter { !$0.optional } + all.filter(\.optional)
    }

    var context: [String: Any] {
        let arguments = self.arguments
        let pathParameters = parameters.filter { $0.location == .path }
        var c: [String: Any] = [
            "methodName": methodName, "doc": doc, "deprecated": deprecated, "operationID": operationIDLiteral, "verb": verb,
            "pathTemplate": pathTemplateLiteral,
            "arguments": arguments.map { ["label": $0.label, "type": $0.type.context, "optional": $0.optional] as [String: Any] },
            "pathParameters": pathParameters.enumerated().map { i, p in
                ["label": p.label, "nameLiteral": p.nameLiteral, "isEnum": p.isEnum, "last": i == pathParameters.count - 1] as [String: Any]
            },
            "queryParameters": parameters.filter { $0.location == .query }.map { ["label": $0.label, "nameLiteral": $0.nameLiteral] },
            "headerParameters": parameters.filter { $0.location == .header }.map { ["label": $0.label, "nameLiteral": $0.nameLiteral] },
            "jsonBody": body?.kind == .json, "bytesBody": body?.kind == .bytes,
            "multipartBody": body?.kind == .multipart,
            "bodyContentType": body?.contentTypeLiteral ?? "",
            "parts": (body?.parts ?? []).map { ["label": $0.label, "nameLiteral": $0.nameLiteral, "isFile": $0.isFile] as [String: Any] },
            "successJSON": success.kind == .json, "successBytes": success.kind == .bytes, "successEmpty": success.kind == .empty,
            "successType": success.type.context,
            "successStatuses": success.statuses.map(String.init).joined(separator: ", "),
            "accept": success.acceptLiteral,
            "errorCodes": errorCodes.map(String.init).joined(separator: ", "),
            "errorClasses": errorClasses.map(String.init).joined(separator: ", "),
            "pagination": false,
            "anonymous": anonymous,
        ]
        if let pagination {
            c["pagination"] = [
                "listAllName": pagination.listAllName, "isPage": pagination.kind == .page, "isToken": pagination.kind == .token,
                "elementType": pagination.elementType.context,
                "arguments": arguments.filter { $0.label != pagination.pageLabel }
                    .map { ["label": $0.label, "type": $0.type.context, "optional": $0.optional] as [String: Any] },
                "forward": arguments.map { ["label": $0.label, "isCursor": $0.label == pagination.pageLabel] as [String: Any] },
                "items": pagination.itemsProperty, "itemsOptional": pagination.itemsOptional,
                "pageNumber": pagination.pageNumberProperty ?? false, "pageSize": pagination.pageSizeProperty ?? false,
                "totalResults": pagination.totalResultsProperty ?? false,
                "tokenContainer": pagination.tokenContainer ?? "", "tokenContainerOptional": pagination.tokenContainerOptional,
                "tokenProperty": pagination.tokenProperty ?? "",
            ] as [String: Any]
        }
        return c
    }
}
