import Foundation
import OpenAPIDocument

/// Checks each request against its operation in the document before the handler runs, as
/// Codat does: a path or query parameter, or a JSON body member, that breaks the schema
/// (wrong type, outside an `enum`, beyond `maxLength`, a required member missing...) is refused
/// with 400 and `validation.errors[]` naming each member by its JSON path; nothing is stored.
///
/// Built once per sandbox from its route table: each route is paired with its operation at
/// start-up, so a request costs a dictionary lookup and the walk of its own values.
struct RequestValidation: Sendable {
    private struct Entry: Sendable {
        let document: CompiledDocument
        let operation: CompiledDocument.Operation
        /// The document's path parameter names by the route's names (they may be spelled differently).
        let pathNames: [String: String]
    }

    let documents: APIDocuments
    private let entries: [String: Entry]
    /// Routes no operation of the documents describes (none today); they go unchecked.
    let unmatched: [RouteInfo]

    init(documents: APIDocuments, routes: [RouteInfo]) {
        self.documents = documents
        var entries: [String: Entry] = [:]
        var unmatched: [RouteInfo] = []
        for route in routes {
            let document = documents.document(for: route.api)
            guard let operation = document.operation(method: route.method, template: route.template) else {
                unmatched.append(route)
                continue
            }
            var names: [String: String] = [:]
            for (ours, theirs) in zip(Self.parameterNames(route.template), Self.parameterNames(operation.template)) {
                names[ours] = theirs
            }
            entries[Self.key(route)] = Entry(document: document, operation: operation, pathNames: names)
        }
        self.entries = entries
        self.unmatched = unmatched
    }

    /// The sandbox's validation: nil when the configuration turns it off; throws when the documents are missing.
    init?(configuration: SandboxConfiguration, routes: RouteTable) throws {
        guard configuration.validatesRequests else { return nil }
        self.init(documents: try APIDocuments.load(directory: configuration.documentsDirectory), routes: routes.routes.map(\.info))
    }

    /// The document operation of a route.
    func operation(for route: RouteInfo) -> CompiledDocument.Operation? {
        entries[Self.key(route)]?.operation
    }

    // MARK: Requests

    /// Throws a 400 `SandboxError` listing every violation of the request.
    func check(_ request: APIRequest) throws {
        guard let entry = entries[Self.key(request.route)] else { return }
        var violations: [SchemaViolation] = []
        let validator = entry.document.validator
        let pathValues = Dictionary(
            request.parameters.map { (entry.pathNames[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        for parameter in entry.operation.parameters {
            let text: String?
            let place: String
            switch parameter.location {
            case .path:
                text = pathValues[parameter.name]
                place = "path"
            case .query:
                text = request.query.values[parameter.name]
                place = "query"
            case .header:
                text = request.header(parameter.name)
                place = "header"
            case .cookie:
                continue
            }
            let path = "\(place).\(parameter.name)"
            guard let text else {
                if parameter.required {
                    violations.append(SchemaViolation(path: path, message: "the required \(place) parameter '\(parameter.name)' is missing", keyword: "required"))
                }
                continue
            }
            guard let schema = parameter.schema else { continue }
            switch Self.coerce(text, parameter.coercion) {
            case .success(let value):
                violations += validator.violations(of: value, against: schema, at: path, direction: .request)
            case .failure(let problem):
                violations.append(SchemaViolation(path: path, message: problem.message, keyword: "type"))
            }
        }

        if let schema = entry.operation.jsonBody {
            if request.body.isEmpty {
                if entry.operation.bodyRequired {
                    violations.append(SchemaViolation(path: "$", message: "a JSON body is required", keyword: "required"))
                }
            } else {
                do {
                    let body = try SandboxJSON(data: request.body)
                    violations += validator.violations(of: body, against: schema, direction: .request)
                } catch {
                    violations.append(SchemaViolation(path: "$", message: "the body is not valid JSON", keyword: "json"))
                }
            }
        }

        violations.removeAll { Self.documentedLeniency($0, operationId: entry.operation.operationId) }
        guard !violations.isEmpty else { return }
        let shown = violations.prefix(5).map(\.description).joined(separator: "; ")
        let more = violations.count > 5 ? " (and \(violations.count - 5) more)" : ""
        throw SandboxError.badRequest(
            "The request does not match the \(entry.operation.operationId) operation of \(entry.document.title): \(shown)\(more).",
            validation: violations.map { SandboxError.Item(itemId: $0.path, message: $0.message, validatorName: $0.keyword) })
    }

    /// Violations the document itself says Codat does not refuse. create-company: "If forbidden
    /// characters (see `name` pattern) are present in the request, a company will be created with
    /// the forbidden characters removed" (the handlers remove them; replace and update too).
    private static func documentedLeniency(_ violation: SchemaViolation, operationId: String) -> Bool {
        violation.keyword == "pattern" && violation.path == "$.name"
            && ["create-company", "replace-company", "update-company"].contains(operationId)
    }

    // MARK: Responses

    /// What is wrong with an answer, by the document's response schema for its status;
    /// nil when the document documents no such status for the operation.
    func responseViolations(route: RouteInfo, status: Int, body: Data, contentType: String?) -> [SchemaViolation]? {
        guard let entry = entries[Self.key(route)] else { return nil }
        guard let documented = entry.operation.response(for: status) else { return nil }
        guard let schema = documented.schema else { return [] }
        guard contentType?.lowercased().hasPrefix("application/json") ?? false else {
            return [SchemaViolation(path: "$", message: "expected a JSON body, Content-Type is \(contentType ?? "absent")", keyword: "content")]
        }
        guard let value = try? SandboxJSON(data: body) else {
            return [SchemaViolation(path: "$", message: "the body is not valid JSON", keyword: "json")]
        }
        return entry.document.validator.violations(of: value, against: schema, direction: .response)
    }

    // MARK: Helpers

    private static func key(_ route: RouteInfo) -> String {
        "\(route.api.rawValue) \(route.method) \(route.template)"
    }

    private static func parameterNames(_ template: String) -> [String] {
        template.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    /// Parameters travel as text; the schema's type says how to read them.
    private static func coerce(_ text: String, _ coercion: CompiledDocument.Parameter.Coercion) -> Result<SandboxJSON, CoercionProblem> {
        switch coercion {
        case .string:
            return .success(.string(text))
        case .integer, .number:
            guard let number = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), number.isFinite,
                text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) })
            else {
                return .failure(CoercionProblem("'\(SchemaValidator.shortened(text))' is not a\(coercion == .integer ? "n integer" : " number")"))
            }
            if coercion == .integer, !SchemaValidator.isIntegral(number) {
                return .failure(CoercionProblem("'\(text)' is not an integer"))
            }
            return .success(.number(number))
        case .boolean:
            switch text.lowercased() {
            case "true": return .success(.bool(true))
            case "false": return .success(.bool(false))
            default: return .failure(CoercionProblem("'\(SchemaValidator.shortened(text))' is not a boolean (true or false)"))
            }
        }
    }

    private struct CoercionProblem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
