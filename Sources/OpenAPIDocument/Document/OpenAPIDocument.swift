/// Stage 2's output: a typed, resolved OpenAPI 3.0 / 3.1 document.
///
/// Every `$ref` has been followed: non-schema objects hold their target's value
/// (`Resolved`), schemas live in `schemas` and point at each other by `SchemaID`,
/// so recursive schemas are plain cycles of ids.
public struct OpenAPIDocument: Sendable {
    /// The `openapi` field as written, e.g. `3.1.0`.
    public var openapi: String
    public var info: Info
    public var jsonSchemaDialect: String?
    public var servers: [Server]
    public var paths: OrderedEntries<PathItem>
    public var webhooks: OrderedEntries<PathItem>
    public var components: Components
    public var security: [SecurityRequirement]?
    public var tags: [Tag]
    public var externalDocs: ExternalDocumentation?
    public var extensions: Extensions
    /// `x-` entries written in the Paths object and in `webhooks`.
    public var pathsExtensions: Extensions
    public var webhooksExtensions: Extensions
    /// Every schema of the document, reachable by id.
    public var schemas: SchemaTable
    /// The root file first, then files reached through `$ref`.
    public var files: [SourceFile]

    public var isVersion31: Bool { openapi.hasPrefix("3.1") }

    /// Every operation of `paths`, in path order (webhooks are in `webhookOperations`).
    public var operations: [Operation] { paths.values.flatMap(\.operations) }

    /// Every operation of `webhooks`: what the API sends, not what a client calls.
    public var webhookOperations: [Operation] { webhooks.values.flatMap(\.operations) }

    public func tree(of ref: NodeRef) -> YAMLTree { files[Int(ref.file)].tree }

    /// Plain data for a raw node (an example, a default, an extension value).
    public func value(of ref: NodeRef) -> YAMLValue { tree(of: ref).value(ref.node) }

    public func location(of ref: NodeRef) -> SourceLocation {
        let file = files[Int(ref.file)]
        return SourceLocation(file: file.path, line: file.tree.line(ref.node), column: file.tree.column(ref.node),
                              pointer: file.tree.pointer(ref.node))
    }
}

public struct Info: Sendable {
    public var title: String
    public var summary: String?
    public var description: String?
    public var termsOfService: String?
    public var contact: Contact?
    public var license: License?
    public var version: String
    public var extensions: Extensions
}

public struct Contact: Sendable {
    public var name: String?
    public var url: String?
    public var email: String?
    public var extensions: Extensions
}

public struct License: Sendable {
    public var name: String
    public var identifier: String?
    public var url: String?
    public var extensions: Extensions
}

public struct Server: Sendable {
    public var url: String
    public var description: String?
    public var variables: OrderedEntries<ServerVariable>
    public var extensions: Extensions
}

public struct ServerVariable: Sendable {
    public var enumValues: [String]?
    public var defaultValue: String
    public var description: String?
    public var extensions: Extensions
}

public struct ExternalDocumentation: Sendable {
    public var url: String
    public var description: String?
    public var extensions: Extensions
}

public struct Tag: Sendable {
    public var name: String
    public var description: String?
    public var externalDocs: ExternalDocumentation?
    public var extensions: Extensions
}

public enum HTTPMethod: String, Sendable, CaseIterable {
    case get, put, post, delete, options, head, patch, trace
}

public struct PathItem: Sendable {
    public var summary: String?
    public var description: String?
    public var operations: [Operation]
    public var servers: [Server]?
    /// Parameters declared for every operation of the path (each operation's `parameters` already includes them).
    public var parameters: [Resolved<Parameter>]
    public var extensions: Extensions
    public var source: NodeRef
}

public struct Operation: Sendable {
    public var method: HTTPMethod
    /// The path template (or webhook name) the operation belongs to.
    public var path: String
    public var tags: [String]
    public var summary: String?
    public var description: String?
    public var externalDocs: ExternalDocumentation?
    public var operationId: String?
    /// The operation's own parameters plus the path item's, an operation's own winning on (name, in).
    public var parameters: [Resolved<Parameter>]
    public var requestBody: Resolved<RequestBody>?
    public var responses: OrderedEntries<Resolved<Response>>
    public var callbacks: OrderedEntries<Resolved<Callback>>
    public var deprecated: Bool
    public var security: [SecurityRequirement]?
    public var servers: [Server]?
    public var extensions: Extensions
    /// `x-` entries written in the Responses object.
    public var responsesExtensions: Extensions
    public var source: NodeRef

    /// Responses keyed by status: `200`, `5XX`, `default`.
    public func response(for key: ResponseKey) -> Resolved<Response>? {
        responses.entries.first { ResponseKey($0.key) == key }?.value
    }
}

/// A key of a `responses` object.
public enum ResponseKey: Hashable, Sendable {
    case status(Int)
    /// `1XX` ... `5XX`: the first digit.
    case range(Int)
    case `default`

    public init?(_ text: String) {
        if text == "default" { self = .default; return }
        let utf8 = Array(text.utf8)
        guard utf8.count == 3, let first = utf8.first, (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(first) else { return nil }
        if utf8[1] == UInt8(ascii: "X"), utf8[2] == UInt8(ascii: "X") { self = .range(Int(first - 48)); return }
        guard let code = Int(text) else { return nil }
        self = .status(code)
    }
}

public enum ParameterLocation: String, Sendable {
    case query, header, path, cookie
}

public enum ParameterStyle: String, Sendable {
    case matrix, label, form, simple, spaceDelimited, pipeDelimited, deepObject
}

public struct Parameter: Sendable {
    public var name: String
    public var location: ParameterLocation
    public var description: String?
    public var required: Bool
    public var deprecated: Bool
    public var allowEmptyValue: Bool
    /// As written; `effectiveStyle` gives the default for the location.
    public var style: ParameterStyle?
    public var explode: Bool?
    public var allowReserved: Bool
    public var schema: SchemaID?
    public var content: OrderedEntries<MediaType>
    public var example: NodeRef?
    public var examples: OrderedEntries<Resolved<Example>>
    public var extensions: Extensions
    public var source: NodeRef

    public var effectiveStyle: ParameterStyle {
        style ?? (location == .query || location == .cookie ? .form : .simple)
    }

    public var effectiveExplode: Bool { explode ?? (effectiveStyle == .form) }
}

public struct RequestBody: Sendable {
    public var description: String?
    public var content: OrderedEntries<MediaType>
    public var required: Bool
    public var extensions: Extensions
    public var source: NodeRef
}

public struct MediaType: Sendable {
    public var schema: SchemaID?
    public var example: NodeRef?
    public var examples: OrderedEntries<Resolved<Example>>
    public var encoding: OrderedEntries<Encoding>
    public var extensions: Extensions
    public var source: NodeRef
}

public struct Encoding: Sendable {
    public var contentType: String?
    public var headers: OrderedEntries<Resolved<Header>>
    public var style: ParameterStyle?
    public var explode: Bool?
    public var allowReserved: Bool
    public var extensions: Extensions
}

public struct Response: Sendable {
    public var description: String
    public var headers: OrderedEntries<Resolved<Header>>
    public var content: OrderedEntries<MediaType>
    public var links: OrderedEntries<Resolved<Link>>
    public var extensions: Extensions
    public var source: NodeRef
}

public struct Header: Sendable {
    public var description: String?
    public var required: Bool
    public var deprecated: Bool
    public var style: ParameterStyle?
    public var explode: Bool?
    public var schema: SchemaID?
    public var content: OrderedEntries<MediaType>
    public var example: NodeRef?
    public var examples: OrderedEntries<Resolved<Example>>
    public var extensions: Extensions
}

public struct Example: Sendable {
    public var summary: String?
    public var description: String?
    /// Arbitrary data: never read as a schema.
    public var value: NodeRef?
    public var externalValue: String?
    public var extensions: Extensions
}

public struct Link: Sendable {
    public var operationRef: String?
    public var operationId: String?
    public var parameters: OrderedEntries<NodeRef>
    public var requestBody: NodeRef?
    public var description: String?
    public var server: Server?
    public var extensions: Extensions
}

/// Runtime expression -> path item.
public struct Callback: Sendable {
    public var expressions: OrderedEntries<PathItem>
    public var extensions: Extensions
}

public struct Components: Sendable {
    public var schemas: OrderedEntries<SchemaID> = []
    public var responses: OrderedEntries<Resolved<Response>> = []
    public var parameters: OrderedEntries<Resolved<Parameter>> = []
    public var examples: OrderedEntries<Resolved<Example>> = []
    public var requestBodies: OrderedEntries<Resolved<RequestBody>> = []
    public var headers: OrderedEntries<Resolved<Header>> = []
    public var securitySchemes: OrderedEntries<Resolved<SecurityScheme>> = []
    public var links: OrderedEntries<Resolved<Link>> = []
    public var callbacks: OrderedEntries<Resolved<Callback>> = []
    public var pathItems: OrderedEntries<PathItem> = []
    public var extensions: Extensions = []

    public init() {}
}

public struct SecurityScheme: Sendable {
    public enum Kind: String, Sendable {
        case apiKey, http, mutualTLS, oauth2, openIdConnect
    }

    public var kind: Kind
    public var description: String?
    /// apiKey: the header, query or cookie name.
    public var name: String?
    /// apiKey: where the key goes.
    public var location: ParameterLocation?
    /// http: `basic`, `bearer`, ...
    public var scheme: String?
    public var bearerFormat: String?
    public var flows: OAuthFlows?
    public var openIdConnectUrl: String?
    public var extensions: Extensions
}

public struct OAuthFlows: Sendable {
    public var implicit: OAuthFlow?
    public var password: OAuthFlow?
    public var clientCredentials: OAuthFlow?
    public var authorizationCode: OAuthFlow?
    public var extensions: Extensions
}

public struct OAuthFlow: Sendable {
    public var authorizationUrl: String?
    public var tokenUrl: String?
    public var refreshUrl: String?
    public var scopes: OrderedEntries<String>
    public var extensions: Extensions
}

/// Scheme name -> required scopes.
public typealias SecurityRequirement = OrderedEntries<[String]>

extension OpenAPIDocument {
    /// The node a JSON pointer (`#/components/schemas/Bill` or `/components/...`) names in the root file.
    public func node(atPointer pointer: String) -> NodeRef? {
        let fragment = pointer.hasPrefix("#") ? String(pointer.dropFirst()) : pointer
        guard let components = try? JSONPointer.components(ofFragment: fragment), let root = files.first?.tree.root else { return nil }
        let tree = files[0].tree
        guard let target = tree.descend(from: root, through: components, lookup: { tree.value($0, forKey: $1) }) else { return nil }
        return NodeRef(file: 0, node: target)
    }
}
