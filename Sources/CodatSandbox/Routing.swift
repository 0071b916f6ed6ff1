import Foundation
import HTTPTypes

/// Which document a route comes from.
enum SandboxAPI: String, Sendable {
    /// Companies and connections: the same paths and shapes in both documents.
    case shared
    /// `Codat-Sync-Payables.yaml`.
    case sync
    /// `Codat-Sync-Payables-v1.yaml`.
    case v1
}

/// One operation of a document: method, path template and operationId.
struct RouteInfo: Sendable, Hashable {
    let api: SandboxAPI
    let operationId: String
    let method: String
    /// The document's path template, `{name}` for parameters.
    let template: String
    /// Whether the operation declares an `Idempotency-Key` header.
    let idempotent: Bool

    /// `sync.create-bill-payment`, `v1.list-bills`, `shared.list-companies`.
    var qualifiedName: String { "\(api.rawValue).\(operationId)" }

    var segments: [Substring] { RouteMatcher.segments(template) }

    /// Whether a raw path fits the template (used to tell 405 from 404).
    func fits(path: String) -> Bool {
        RouteMatcher.match(pattern: segments, path: RouteMatcher.segments(path))
    }
}

/// A request as route handlers see it: body collected, parameters decoded.
struct APIRequest: Sendable {
    let route: RouteInfo
    let method: String
    /// Path and query as sent.
    let target: String
    /// Path parameters, percent-decoded.
    let parameters: [String: String]
    let query: RequestQuery
    let headers: HTTPFields
    let body: Data

    func parameter(_ name: String) -> String {
        parameters[name] ?? ""
    }

    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }

    /// The path without the query, as sent.
    var path: String { RequestRecorder.split(target).path }

    /// An integer query parameter; 400 when present but not an integer in range.
    func integer(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = query[name], !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw SandboxError.badRequest(
                "Query parameter '\(name)' must be an integer from \(range.lowerBound) to \(range.upperBound); got '\(text)'.")
        }
        return number
    }

    /// The `query` parameter, parsed; 400 when malformed.
    func codatQuery(_ name: String = "query") throws -> CodatQuery? {
        guard let text = query[name], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        do {
            return try CodatQuery(text)
        } catch {
            throw SandboxError.badRequest("Malformed query '\(text)': \(error)")
        }
    }

    /// Decodes the JSON body as `T`; 400 naming the coding path when it does not decode.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard !body.isEmpty else {
            throw SandboxError.badRequest(
                "The request body is empty; a \(T.self) was expected.",
                validation: [.init(itemId: "$", message: "a JSON body is required", validatorName: "RequestBody")])
        }
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw SandboxError.undecodable(error, as: String(describing: T.self))
        }
    }
}

/// What a handler answers.
struct APIResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: Data

    static func json(_ data: Data, status: Int = 200) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "application/json")], body: data)
    }

    static func json(_ value: SandboxJSON, status: Int = 200) -> APIResponse {
        .json(value.data(), status: status)
    }

    static func empty(status: Int) -> APIResponse {
        APIResponse(status: status, body: Data())
    }

    static func error(_ error: SandboxError) -> APIResponse {
        var response = APIResponse.json(error.json, status: error.status)
        response.headers += error.headers
        return response
    }
}

typealias RouteHandler = @Sendable (APIRequest) async throws -> APIResponse

/// The routes of both documents, as registered.
struct RouteTable: Sendable {
    private(set) var routes: [(info: RouteInfo, handler: RouteHandler)] = []

    mutating func add(
        _ api: SandboxAPI, _ method: String, _ template: String, _ operationId: String, idempotent: Bool = false,
        _ handler: @escaping RouteHandler
    ) {
        routes.append((RouteInfo(api: api, operationId: operationId, method: method, template: template, idempotent: idempotent), handler))
    }

    func info(method: String, template: String) -> RouteInfo? {
        routes.first { $0.info.method == method && $0.info.template == template }?.info
    }

    /// The methods the path allows, when the path is known.
    func allowedMethods(path: String) -> [String] {
        Array(Set(routes.filter { $0.info.fits(path: path) }.map(\.info.method))).sorted()
    }

    /// The route whose template fits the path and method (for fault matching on unrouted requests).
    func route(method: String, path: String) -> RouteInfo? {
        routes.first { $0.info.method == method && $0.info.fits(path: path) }?.info
    }
}
