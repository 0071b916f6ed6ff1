import Foundation
import OpenAPIDocument

/// The two pinned Codat documents (`specs/Codat-Sync-Payables.yaml` and `-v1.yaml`, copied by
/// `bash specs/sync.sh`), read with this package's `OpenAPIDocument` reader (libyaml) and
/// compiled into checks, once per process and directory: tests start many sandboxes.
struct APIDocuments: Sendable {
    let sync: CompiledDocument
    let v1: CompiledDocument

    static let syncFile = "Codat-Sync-Payables.yaml"
    static let v1File = "Codat-Sync-Payables-v1.yaml"

    /// `specs/` of this package, found from this source file's place.
    static var defaultDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Validation
            .deletingLastPathComponent()  // CodatSandbox
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // the package
            .appendingPathComponent("specs", isDirectory: true)
    }

    func document(for api: SandboxAPI) -> CompiledDocument {
        // Companies and connections have the same paths and shapes in both documents.
        api == .v1 ? v1 : sync
    }

    private static let cache = Locked<[String: APIDocuments]>([:])

    /// The documents in `directory`, read once per process.
    static func load(directory: URL) throws -> APIDocuments {
        let key = directory.standardizedFileURL.path
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let documents = APIDocuments(
            sync: try CompiledDocument(path: directory.appendingPathComponent(syncFile).path),
            v1: try CompiledDocument(path: directory.appendingPathComponent(v1File).path))
        cache.withLock { $0[key] = documents }
        return documents
    }
}

/// The operations of one document with their parameter, body and response schemas.
struct CompiledDocument: Sendable {
    struct Parameter: Sendable {
        enum Coercion: Sendable {
            case string, integer, number, boolean
        }

        let name: String
        let location: ParameterLocation
        let required: Bool
        let schema: SchemaID?
        /// How a path, query or header text becomes a JSON value before it is checked.
        let coercion: Coercion
    }

    struct Operation: Sendable {
        let operationId: String
        let method: String
        let template: String
        let parameters: [Parameter]
        /// The `application/json` body schema, if the operation takes JSON.
        let jsonBody: SchemaID?
        let bodyRequired: Bool
        /// The JSON schema of each documented response (`200`, `4XX`, `default`); nil for a
        /// response documented without a JSON body.
        let responses: [(key: ResponseKey, schema: SchemaID?)]

        /// The documented response for a status, the exact code first, then `4XX`, then `default`.
        func response(for status: Int) -> (key: ResponseKey, schema: SchemaID?)? {
            responses.first { $0.key == .status(status) } ?? responses.first { $0.key == .range(status / 100) }
                ?? responses.first { $0.key == .default }
        }
    }

    let path: String
    let title: String
    let validator: SchemaValidator
    let operations: [Operation]
    private let byShape: [String: Int]

    init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SandboxStartError(
                message: "the Codat document \(path) is missing: run `bash specs/sync.sh` in the package (it copies the pinned documents), "
                    + "point SandboxConfiguration.documentsDirectory at a folder that has them, or turn request validation off "
                    + "(SandboxConfiguration.validatesRequests = false)")
        }
        let result = DocumentLoader.load(path: path)
        guard let document = result.document else {
            let reasons = result.diagnostics.filter { $0.severity == .error }.prefix(5).map(\.description).joined(separator: "; ")
            throw SandboxStartError(message: "the Codat document \(path) could not be read: \(reasons)")
        }
        self.path = path
        title = document.info.title
        validator = SchemaValidator(document)
        var operations: [Operation] = []
        var byShape: [String: Int] = [:]
        for pathItem in document.paths.values {
            for operation in pathItem.operations {
                let compiled = Self.compile(operation, pathParameters: pathItem.parameters, in: document)
                byShape[Self.shape(method: compiled.method, template: compiled.template)] = operations.count
                operations.append(compiled)
            }
        }
        self.operations = operations
        self.byShape = byShape
    }

    /// The operation with this method and path template (parameter names ignored).
    func operation(method: String, template: String) -> Operation? {
        byShape[Self.shape(method: method, template: template)].map { operations[$0] }
    }

    /// `GET /companies/{}/push/{}`
    static func shape(method: String, template: String) -> String {
        let segments = template.split(separator: "/").map { $0.hasPrefix("{") && $0.hasSuffix("}") ? "{}" : String($0) }
        return method.uppercased() + " /" + segments.joined(separator: "/")
    }

    private static func compile(_ operation: DocumentOperation, pathParameters: [Resolved<DocumentParameter>], in document: OpenAPIDocument)
        -> Operation
    {
        // Operation parameters override path-item ones of the same name and place.
        var parameters: [Parameter] = []
        for resolved in pathParameters + operation.parameters {
            let parameter = resolved.value
            let compiled = Parameter(
                name: parameter.name, location: parameter.location, required: parameter.required || parameter.location == .path,
                schema: parameter.schema, coercion: coercion(parameter.schema, in: document))
            parameters.removeAll { $0.name == compiled.name && $0.location == compiled.location }
            parameters.append(compiled)
        }
        let body = operation.requestBody?.value
        let json = body?.content.entries.first { $0.key.lowercased().hasPrefix("application/json") }?.value
        var responses: [(key: ResponseKey, schema: SchemaID?)] = []
        for (key, response) in operation.responses {
            guard let responseKey = ResponseKey(key) else { continue }
            let content = response.value.content.entries.first { $0.key.lowercased().hasPrefix("application/json") }?.value
            responses.append((responseKey, content?.schema))
        }
        return Operation(
            operationId: operation.operationId ?? "", method: operation.method.rawValue.uppercased(), template: operation.path,
            parameters: parameters, jsonBody: json?.schema, bodyRequired: body?.required ?? false, responses: responses)
    }

    /// The primitive type a parameter's schema asks for, following `$ref`s and `allOf`.
    private static func coercion(_ id: SchemaID?, in document: OpenAPIDocument) -> Parameter.Coercion {
        var pending = id.map { [$0] } ?? []
        var seen: Set<SchemaID> = []
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            let schema = document.schemas[next]
            if let types = schema.types {
                if types.contains(.integer) { return .integer }
                if types.contains(.number) { return .number }
                if types.contains(.boolean) { return .boolean }
                return .string
            }
            if let target = schema.ref?.target { pending.append(target) }
            pending += schema.allOf
        }
        return .string
    }
}
