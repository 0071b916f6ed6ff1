import Foundation
import OpenAPIDocument

/// Stage 4, client half: operations -> one client type with a resource per tag and a method
/// per operation. Runs inside `ModelTranslator` so that inline parameter and body schemas
/// are declared with the models.
extension ModelTranslator {
    mutating func translateClient() -> ClientDeclaration {
        let errorModel = mostCommonErrorModel()
        let overrides = nameOverrides()
        var resourceNames = NameRegistry(reserved: ["core", "init", "description", "debugDescription", "defaultServerURL", "defaultRetry"])
        var resources: [ResourceDeclaration] = []
        var resourceIndex: [String: Int] = [:]
        var methodNames: [NameRegistry] = []

        for op in document.operations {
            let tag = op.tags.first ?? "General"
            if resourceIndex[tag] == nil {
                resourceIndex[tag] = resources.count
                let typeName = claimTypeName(Naming.upperCamel(tag) + "Resource")
                let doc = document.tags.first { $0.name == tag }.map { Naming.docLines($0.description ?? $0.name) } ?? Naming.docLines(tag)
                resources.append(ResourceDeclaration(property: resourceNames.claim(Naming.member(tag)), typeName: typeName, doc: doc, operations: []))
                methodNames.append(NameRegistry(reserved: ["core", "init", "self", "Self", "super"]))
            }
            let index = resourceIndex[tag]!
            let wanted = methodName(for: op, overrides: overrides)
            let name = methodNames[index].claim(wanted)
            if name != wanted {
                warn("two operations of '\(tag)' are both named '\(wanted)'; \(op.operationId ?? op.path) becomes '\(name)'", op.source)
            }
            if let declaration = operation(op, methodName: name, errorModel: errorModel) {
                resources[index].operations.append(declaration)
            }
        }
        return ClientDeclaration(
            name: config.module, doc: Naming.docLines([document.info.title, document.info.description ?? ""].filter { !$0.isEmpty }.joined(separator: "\n\n")),
            defaultServerLiteral: Naming.stringLiteralBody(defaultServer()), credentials: credentials(),
            retry: retryDefault(document.extensions["x-speakeasy-retries"]), errorModel: errorModel, resources: resources)
    }

    // MARK: Client-wide

    private mutating func defaultServer() -> String {
        guard let server = document.servers.first else {
            warnAtTop("the document names no server; the client's default server is http://localhost")
            return "http://localhost"
        }
        var url = server.url
        for (name, variable) in server.variables { url = url.replacingOccurrences(of: "{\(name)}", with: variable.defaultValue) }
        // The client writes `URL(string: "...")!`: a text Foundation does not take would trap at run time.
        let place = document.node(atPointer: "/servers/0/url").map { document.location(of: $0) }
            ?? SourceLocation(file: document.files[0].path, line: 1, column: 1)
        guard let parsed = URL(string: url) else {
            diagnostics.append(Diagnostic(.error, "the first server's URL '\(url)' is not a URL Foundation can read; the client needs it as its default server", at: place))
            return "http://localhost"
        }
        if parsed.scheme == nil || parsed.host == nil {
            diagnostics.append(Diagnostic(.warning, "the first server's URL '\(url)' is relative: pass the full server URL when creating the client", at: place))
        }
        return url
    }

    private mutating func credentials() -> [CredentialParameter] {
        var out: [CredentialParameter] = []
        // Keywords and `core` (assigned in the init) would not compile as the init's parameter names.
        var labels = NameRegistry(reserved: Naming.keywords.union(["serverURL", "transport", "middlewares", "options", "core"]))
        for requirement in (document.security ?? []).prefix(1) {
            for (schemeName, _) in requirement {
                guard let scheme = document.components.securitySchemes[schemeName]?.value else { continue }
                switch (scheme.kind, scheme.location) {
                case (.apiKey, .header?), (.apiKey, .query?):
                    out.append(CredentialParameter(label: labels.claim(Naming.lowerCamel(schemeName)), doc: Naming.docLines(scheme.description ?? ""),
                                                   location: scheme.location == .header ? "header" : "query",
                                                   nameLiteral: Naming.stringLiteralBody(scheme.name ?? schemeName)))
                default:
                    warnAtTop("security scheme '\(schemeName)' (\(scheme.kind.rawValue)) is not generated: add its credential with a ClientMiddleware")
                }
            }
        }
        return out
    }

    /// `x-speakeasy-retries: {strategy: backoff, backoff: {...}, statusCodes: [...], retryConnectionErrors}`.
    private mutating func retryDefault(_ node: NodeRef?) -> RetryDefault? {
        guard let node else { return nil }
        guard case let .object(entries) = document.value(of: node) else {
            warn("x-speakeasy-retries is not an object; the client does not retry by default", node)
            return nil
        }
        let fields = Dictionary(entries, uniquingKeysWith: { a, _ in a })
        guard case .string("backoff")? = fields["strategy"], case let .object(backoffEntries)? = fields["backoff"] else {
            warn("x-speakeasy-retries: only the 'backoff' strategy is supported; the client does not retry by default", node)
            return nil
        }
        let backoff = Dictionary(backoffEntries, uniquingKeysWith: { a, _ in a })
        func integer(_ key: String, _ fallback: Int) -> Int {
            guard let written = backoff[key] else { return fallback }
            // Milliseconds up to a day: `.milliseconds(n)` with a negative or huge n would trap or overflow.
            if case let .integer(text) = written, let value = Int(text), value >= 0, value <= 86_400_000 { return value }
            warn("x-speakeasy-retries: \(key) is not a whole number of milliseconds from 0 to 86400000; \(fallback) is used", node)
            return fallback
        }
        var exponent = "1.5"
        switch backoff["exponent"] {
        case let .number(text)?, let .integer(text)?:
            // Written as a Swift Double literal: `inf` or `nan` would not compile.
            if let value = Double(text), value.isFinite, value >= 1, value <= 100 {
                exponent = "\(value)"
            } else {
                warn("x-speakeasy-retries: exponent \(text) is not a number from 1 to 100; 1.5 is used", node)
            }
        default: break
        }
        var codes: [Int] = [], classes: [Int] = []
        if case let .array(values)? = fields["statusCodes"] {
            for value in values {
                switch value {
                case let .integer(text): if let code = Int(text) { codes.append(code) }
                case let .string(text):
                    if let code = Int(text) { codes.append(code) } else if text.count == 3, text.uppercased().hasSuffix("XX"), let first = Int(text.prefix(1)) { classes.append(first) }
                    else { warn("x-speakeasy-retries: status '\(text)' is not a code or a class like 5XX; ignored", node) }
                default: warn("x-speakeasy-retries: a status code that is not a number or a string; ignored", node)
                }
            }
        }
        var connectionErrors = false
        if case let .bool(flag)? = fields["retryConnectionErrors"] { connectionErrors = flag }
        return RetryDefault(initialMilliseconds: integer("initialInterval", 500), maxMilliseconds: integer("maxInterval", 60_000),
                            maxElapsedMilliseconds: integer("maxElapsedTime", 3_600_000), exponent: exponent,
                            codes: codes, classes: classes, connectionErrors: connectionErrors)
    }

    /// The error body type most error responses share (Codat: `ErrorMessage`).
    private mutating func mostCommonErrorModel() -> TypeRef {
        var counts: [TypeRef: Int] = [:]
        var order: [TypeRef] = []
        for op in document.operations {
            for (code, response) in op.responses where !code.hasPrefix("2") {
                guard let schema = response.value.content["application/json"]?.schema else { continue }
                let type = typeRef(schema, hint: "ErrorBody").type
                if counts[type] == nil { order.append(type) }
                counts[type, default: 0] += 1
            }
        }
        return order.max { counts[$0]! < counts[$1]! } ?? .named("JSONValue")
    }

    /// `x-speakeasy-name-override` at the document's top: `[{operationId: regex, methodNameOverride: name}]`;
    /// the last matching entry wins (the list goes from general to specific).
    private mutating func nameOverrides() -> [(NSRegularExpression, String)] {
        guard let node = document.extensions["x-speakeasy-name-override"] else { return [] }
        guard case let .array(items) = document.value(of: node) else {
            warn("x-speakeasy-name-override is not a list; ignored", node)
            return []
        }
        var out: [(NSRegularExpression, String)] = []
        for item in items {
            guard case let .object(entries) = item,
                  case let .string(pattern)? = entries.first(where: { $0.0 == "operationId" })?.1,
                  case let .string(name)? = entries.first(where: { $0.0 == "methodNameOverride" })?.1 else {
                warn("x-speakeasy-name-override: an entry without 'operationId' and 'methodNameOverride' strings; ignored", node)
                continue
            }
            guard let regex = try? NSRegularExpression(pattern: pattern) else {
                warn("x-speakeasy-name-override: '\(pattern)' is not a valid regular expression; ignored", node)
                continue
            }
            out.append((regex, name))
        }
        return out
    }

    private func methodName(for op: SpecOperation, overrides: [(NSRegularExpression, String)]) -> String {
        if let node = op.extensions["x-speakeasy-name-override"], case let .string(name) = document.value(of: node) {
            return Naming.lowerCamel(name)
        }
        let id = op.operationId ?? "\(op.method.rawValue) \(op.path)"
        let range = NSRange(id.startIndex..., in: id)
        if let match = overrides.last(where: { $0.0.firstMatch(in: id, range: range) != nil }) {
            return Naming.lowerCamel(match.1)
        }
        return Naming.lowerCamel(id)
    }

    // MARK: Operations

    private mutating func operation(_ op: SpecOperation, methodName: String, errorModel: TypeRef) -> OperationDeclaration? {
        let base = Naming.upperCamel(op.operationId ?? "\(op.method.rawValue) \(op.path)")
        var labels = NameRegistry(reserved: Naming.methodLocals)

        // Path-item parameters, replaced by the operation's own of the same name and place.
        var merged: [Parameter] = []
        var positions: [String: Int] = [:]
        let declared = pathItemParameters(op) + op.parameters.map(\.value)
        for p in declared {
            let key = "\(p.location)\u{0}\(p.name)"
            if let i = positions[key] { merged[i] = p } else { positions[key] = merged.count; merged.append(p) }
        }
        var parameters: [ParameterDeclaration] = []
        for p in merged {
            let location: ParameterDeclaration.Location
            switch p.location {
            case .path: location = .path
            case .query: location = .query
            case .header: location = .header
            case .cookie:
                warn("cookie parameter '\(p.name)' is not generated: set it with a ClientMiddleware", p.source)
                continue
            }
            if location == .header, ["accept", "content-type", "authorization"].contains(p.name.lowercased()) {
                warn("header parameter '\(p.name)' is set by the client itself; not generated", p.source)
                continue
            }
            var type = TypeRef.named("String")
            var isEnum = false
            if let schema = p.schema {
                let info = typeRef(schema, hint: base + Naming.upperCamel(p.name))
                if isParameterType(info.type) {
                    type = info.type
                    isEnum = info.type.namedType.map(isDeclaredEnum) ?? false
                } else {
                    warn("parameter '\(p.name)' has a type that cannot be written as text in \(location.rawValue); it is taken as a String", p.source)
                }
            }
            let label = claimLabel(&labels, Naming.lowerCamel(p.name), for: "parameter '\(p.name)'", at: p.source)
            parameters.append(ParameterDeclaration(
                label: Naming.keywords.contains(label) ? "`\(label)`" : label, nameLiteral: Naming.stringLiteralBody(p.name),
                location: location, type: type, optional: !(p.required || location == .path), isEnum: isEnum,
                doc: Naming.docLines(p.description ?? "")))
        }
        let body = requestBody(op, base: base, labels: &labels)
        // Required arguments first, in the document's order; then optional ones.
        let ordered = parameters.filter { !$0.optional } + parameters.filter(\.optional)

        var success: SuccessDeclaration?
        var errorCodes: [Int] = [], errorClasses: [Int] = []
        for (code, response) in op.responses {
            if code == "default" {
                errorClasses = [1, 3, 4, 5]
                continue
            }
            if code.hasPrefix("2") {
                guard let status = Int(code) else {
                    warn("response '\(code)': a success range is not generated; only explicit success codes are", response.value.source)
                    continue
                }
                let this = successShape(response.value, base: base, status: status)
                if success == nil {
                    success = this
                } else if success!.kind == this.kind && success!.type == this.type {
                    success!.statuses.append(status)
                } else {
                    warn("response \(code) has another body type than the first success response; it is reported as undocumented", response.value.source)
                }
            } else if let status = Int(code) {
                errorCodes.append(status)
            } else if let first = Int(code.prefix(1)) {
                errorClasses.append(first)
            }
        }
        let successDeclaration = success ?? SuccessDeclaration(kind: .empty, type: .named("Void"), statuses: Array(200...299), acceptLiteral: "*/*")

        var doc = Naming.docLines([op.summary ?? "", op.description ?? ""].filter { !$0.isEmpty }.joined(separator: "\n\n"))
        // DocC wants every parameter of a method documented once one is: each argument, the body
        // (or its parts), then `options`, with a plain description where the document has none.
        func parameterDoc(_ label: String, _ lines: [String], otherwise: String) -> String {
            " - Parameter \(label.replacingOccurrences(of: "`", with: "")):" + (lines.isEmpty ? " " + otherwise : lines.joined(separator: " "))
        }
        for p in ordered {
            doc.append(parameterDoc(p.label, p.doc, otherwise: "The \(p.location.rawValue) parameter `\(p.nameLiteral)`."))
        }
        if let body {
            switch body.kind {
            case .json, .bytes: doc.append(parameterDoc("body", body.doc, otherwise: "The request body."))
            case .multipart: doc += body.parts.map { parameterDoc($0.label, $0.doc, otherwise: "The form part `\($0.nameLiteral)`.") }
            }
        }
        doc.append(" - Parameter options: Retries, time limits and extra headers for this call.")
        return OperationDeclaration(
            methodName: Naming.keywords.contains(methodName) ? "`\(methodName)`" : methodName, doc: doc, deprecated: op.deprecated,
            operationIDLiteral: Naming.stringLiteralBody(op.operationId ?? "\(op.method.rawValue) \(op.path)"),
            verb: op.method.rawValue.lowercased(), pathTemplateLiteral: Naming.stringLiteralBody(op.path),
            parameters: ordered, body: body, success: successDeclaration, errorCodes: errorCodes, errorClasses: errorClasses,
            pagination: nil, anonymous: op.security?.isEmpty == true)
    }

    /// The parameters of the path item an operation belongs to (looked up by path once per document).
    private mutating func pathItemParameters(_ op: SpecOperation) -> [Parameter] {
        if pathItemsByPath.isEmpty && !document.paths.isEmpty {
            for (path, item) in document.paths where pathItemsByPath[path] == nil { pathItemsByPath[path] = item.parameters.map(\.value) }
        }
        return pathItemsByPath[op.path] ?? []
    }

    /// An argument label; one that would shadow what the method itself uses (`core`, `request`,
    /// `form`, ...) is renamed with a warning.
    private mutating func claimLabel(_ labels: inout NameRegistry, _ wanted: String, for what: String, at node: NodeRef) -> String {
        let label = labels.claim(wanted)
        if label != wanted, labels.isReserved(wanted) {
            warn("\(what) would be the argument '\(wanted)', a name the generated method uses itself; it is '\(label)'", node)
        }
        return label
    }

    private mutating func requestBody(_ op: SpecOperation, base: String, labels: inout NameRegistry) -> BodyDeclaration? {
        guard let resolved = op.requestBody else { return nil }
        let body = resolved.value
        let doc = Naming.docLines(body.description ?? "")
        if let media = body.content.entries.first(where: { isJSON($0.key) }) {
            let type = media.value.schema.map { typeRef($0, hint: base + "Request").type } ?? .named("JSONValue")
            return BodyDeclaration(kind: .json, type: type, optional: !body.required, contentTypeLiteral: Naming.stringLiteralBody(media.key), parts: [], doc: doc)
        }
        if let media = body.content.entries.first(where: { $0.key.lowercased().hasPrefix("multipart/form-data") }) {
            var parts: [MultipartPartDeclaration] = []
            if let schemaID = media.value.schema {
                let schema = document.schemas[document.schemas.resolved(schemaID)]
                for (name, property) in schema.properties {
                    let binary = isBinary(property)
                    var type = TypeRef.named("MultipartFile")
                    if !binary {
                        let info = typeRef(property, hint: base + Naming.upperCamel(name))
                        if isParameterType(info.type), !(info.type.namedType.map(isDeclaredEnum) ?? false) { type = info.type } else {
                            warn("multipart part '\(name)' is not text or a file; it is sent as text", document.schemas[property].source)
                            type = .named("String")
                        }
                    }
                    let label = claimLabel(&labels, Naming.lowerCamel(name), for: "multipart part '\(name)'", at: document.schemas[property].source)
                    parts.append(MultipartPartDeclaration(
                        label: Naming.keywords.contains(label) ? "`\(label)`" : label, nameLiteral: Naming.stringLiteralBody(name), isFile: binary, type: type,
                        optional: !body.required || !schema.required.contains(name), doc: Naming.docLines(document.schemas[document.schemas.resolved(property)].description ?? "")))
                }
            }
            return BodyDeclaration(kind: .multipart, type: .named("MultipartForm"), optional: !body.required, contentTypeLiteral: "multipart/form-data", parts: parts, doc: doc)
        }
        guard let media = body.content.entries.first else { return nil }
        if body.content.count > 1 {
            warn("request body: only its first media type (\(media.key)) is generated", body.source)
        }
        return BodyDeclaration(kind: .bytes, type: .named("Data"), optional: !body.required, contentTypeLiteral: Naming.stringLiteralBody(media.key), parts: [], doc: doc)
    }

    private mutating func successShape(_ response: Response, base: String, status: Int) -> SuccessDeclaration {
        if let media = response.content.entries.first(where: { isJSON($0.key) }) {
            let type = media.value.schema.map { typeRef($0, hint: base + "Response").type } ?? .named("JSONValue")
            return SuccessDeclaration(kind: .json, type: type, statuses: [status], acceptLiteral: Naming.stringLiteralBody(media.key))
        }
        if let media = response.content.entries.first {
            return SuccessDeclaration(kind: .bytes, type: .named("Data"), statuses: [status], acceptLiteral: Naming.stringLiteralBody(media.key))
        }
        return SuccessDeclaration(kind: .empty, type: .named("Void"), statuses: [status], acceptLiteral: "application/json")
    }

    /// Adds `listAll` to list operations, once the response types are declared. Page-based when the
    /// operation takes the document's page parameter (`x-codat-speakeasy-pagination` inputs, else `page`)
    /// and answers an object with a `results` array; continuation-token based when it takes
    /// `continuationToken` and its response carries `<object>.continuationToken` beside the results.
    func addPagination(_ client: inout ClientDeclaration) {
        let pageParameter = Naming.stringLiteralBody(pageInputName())
        for r in client.resources.indices {
            var methodNames = NameRegistry(reserved: Set(client.resources[r].operations.map(\.methodName)).union(["core", "init"]))
            for o in client.resources[r].operations.indices {
                let op = client.resources[r].operations[o]
                guard var pagination = paginationShape(op, pageParameter: pageParameter) else { continue }
                let bare = op.methodName.replacingOccurrences(of: "`", with: "")
                pagination.listAllName = methodNames.claim(bare == "list" ? "listAll" : bare + "All")
                client.resources[r].operations[o].pagination = pagination
            }
        }
    }

    private func paginationShape(_ op: OperationDeclaration, pageParameter: String) -> PaginationDeclaration? {
        guard op.success.kind == .json, let typeName = op.success.type.namedType,
              let results = declaredProperty(typeName, "results"), case let .array(element) = results.type else { return nil }
        if let page = op.parameters.first(where: { $0.location == .query && $0.nameLiteral == pageParameter }), isInteger(page.type) {
            func property(_ name: String) -> String? {
                guard let p = declaredProperty(typeName, name), isInteger(p.type) else { return nil }
                return p.name
            }
            return PaginationDeclaration(kind: .page, listAllName: "", elementType: element, itemsProperty: results.name, itemsOptional: results.optional,
                                         pageLabel: page.label, pageNumberProperty: property("pageNumber"), pageSizeProperty: property("pageSize"),
                                         totalResultsProperty: property("totalResults"), tokenContainer: nil, tokenContainerOptional: false, tokenProperty: nil)
        }
        if let token = op.parameters.first(where: { $0.location == .query && $0.nameLiteral == "continuationToken" }),
           case let .structure(declaration)? = declaration(named: typeName) {
            for container in declaration.properties {
                guard let containerType = container.type.namedType,
                      let tokenProperty = declaredProperty(containerType, "continuationToken"), tokenProperty.type == .named("String") else { continue }
                return PaginationDeclaration(kind: .token, listAllName: "", elementType: element, itemsProperty: results.name, itemsOptional: results.optional,
                                             pageLabel: token.label, pageNumberProperty: nil, pageSizeProperty: nil, totalResultsProperty: nil,
                                             tokenContainer: container.name, tokenContainerOptional: container.optional, tokenProperty: tokenProperty.name)
            }
        }
        return nil
    }

    /// The page input's name from `x-codat-speakeasy-pagination` (`inputs: [{name: page, type: page}]`), else `page`.
    private func pageInputName() -> String {
        guard let node = document.extensions["x-codat-speakeasy-pagination"], case let .object(entries) = document.value(of: node),
              case let .array(inputs)? = entries.first(where: { $0.0 == "inputs" })?.1 else { return "page" }
        for input in inputs {
            if case let .object(fields) = input, case .string("page")? = fields.first(where: { $0.0 == "type" })?.1,
               case let .string(name)? = fields.first(where: { $0.0 == "name" })?.1 {
                return name
            }
        }
        return "page"
    }

    // MARK: Helpers

    private func isJSON(_ mediaType: String) -> Bool {
        let lower = mediaType.lowercased()
        return lower.hasPrefix("application/json") || lower.hasSuffix("+json")
    }

    private func isBinary(_ id: SchemaID) -> Bool {
        let s = document.schemas[document.schemas.resolved(id)]
        return s.format == "binary" || s.otherKeywords["contentMediaType"] != nil || s.otherKeywords["contentEncoding"] != nil
    }

    private func isInteger(_ type: TypeRef) -> Bool {
        ["Int", "Int32", "Int64"].contains(type.namedType ?? "")
    }

    /// Types the runtime can write as parameter text (`ParameterValue`, or a string enum).
    private func isParameterType(_ type: TypeRef) -> Bool {
        switch type {
        case let .named(name):
            return ["String", "Bool", "Int", "Int32", "Int64", "Double", "Float", "Decimal", "DateTime"].contains(name) || isDeclaredEnum(name)
        case let .array(element):
            if case let .named(name) = element { return ["String", "Bool", "Int", "Int32", "Int64", "Double", "Float", "Decimal"].contains(name) }
            return false
        case .dictionary:
            return false
        }
    }
}
