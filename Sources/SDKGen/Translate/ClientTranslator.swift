import Foundation
import OpenAPIDocument

/// Stage 4, client half: operations -> one client type with a resource per tag and a method
/// per operation. Runs inside `ModelTranslator` so that inline parameter and body schemas
/// are declared with the models. One file per concern: this one (resources, names, the
/// client-wide values, an operation put together), `+Parameters`, `+Bodies`, `+Responses`,
/// `+Pagination`.
extension ModelTranslator {
    mutating func translateClient() -> ClientDeclaration {
        let errorModel = mostCommonErrorModel()
        var resourceNames = NameRegistry(reserved: ["core", "init", "description", "debugDescription", "defaultServerURL", "defaultRetry"])
        var resources: [ResourceDeclaration] = []
        var resourceIndex: [String: Int] = [:]
        var methodNames: [NameRegistry] = []

        for op in operations {
            let tag = op.tags.first ?? "General"
            if resourceIndex[tag] == nil {
                resourceIndex[tag] = resources.count
                let typeName = claimTypeName(Naming.upperCamel(tag) + "Resource")
                let doc = document.tags.first { $0.name == tag }.map { Naming.docLines($0.description ?? $0.name) } ?? Naming.docLines(tag)
                resources.append(ResourceDeclaration(property: SwiftName(resourceNames.claim(Naming.lowerCamel(tag))), typeName: typeName, doc: doc, operations: []))
                methodNames.append(NameRegistry(reserved: ["core", "init", "self", "Self", "super"]))
            }
            let index = resourceIndex[tag]!
            let wanted = methodName(for: op)
            let name = methodNames[index].claim(wanted)
            if name != wanted {
                warn("two operations of '\(tag)' are both named '\(wanted)'; \(op.operationId ?? op.path) becomes '\(name)'", op.source)
            }
            resources[index].operations.append(operation(op, methodName: SwiftName(name)))
        }
        return ClientDeclaration(
            name: config.module, doc: Naming.docLines([document.info.title, document.info.description ?? ""].filter { !$0.isEmpty }.joined(separator: "\n\n")),
            defaultServer: defaultServer(), credentials: credentials(), retry: extensions.retry, errorModel: errorModel, resources: resources)
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
        // The init's other parameters and `core` (assigned in it); keywords, so that a label is
        // the same text in the signature, the docs and the DocC page.
        var labels = NameRegistry(reserved: Naming.keywords.union(["serverURL", "transport", "middlewares", "options", "core"]))
        for requirement in (document.security ?? []).prefix(1) {
            for (schemeName, _) in requirement {
                guard let scheme = document.components.securitySchemes[schemeName]?.value else { continue }
                switch (scheme.kind, scheme.location) {
                case (.apiKey, .header?), (.apiKey, .query?):
                    let location: CredentialParameter.Location = scheme.location == .header ? .header : .query, name = scheme.name ?? schemeName
                    // Without a description the init's `- label:` doc line would be empty.
                    var doc = Naming.docLines(scheme.description ?? "")
                    if doc.isEmpty { doc = Naming.docLines("The API key of the security scheme `\(schemeName)`, sent in the \(location.rawValue) `\(name)`.") }
                    out.append(CredentialParameter(label: SwiftName(labels.claim(Naming.lowerCamel(schemeName))), doc: doc, location: location, name: name))
                default:
                    warnAtTop("security scheme '\(schemeName)' (\(scheme.kind.rawValue)) is not generated: add its credential with a ClientMiddleware")
                }
            }
        }
        return out
    }

    /// The method's name: the operation's `x-speakeasy-name-override`, else the last top-level
    /// override whose pattern matches its id, else its id.
    private func methodName(for op: SpecOperation) -> String {
        let id = operationID(op)
        return Naming.lowerCamel(extensions.methodNameOverride(for: op, id: id) ?? id)
    }

    /// The operation's id, or `METHOD /path` when it has none.
    func operationID(_ op: SpecOperation) -> String {
        op.operationId ?? "\(op.method.rawValue) \(op.path)"
    }

    // MARK: Operations

    /// One method: its arguments (`+Parameters`, `+Bodies`), what it answers (`+Responses`) and
    /// its doc comment. Pagination is added once every type is declared (`+Pagination`).
    private mutating func operation(_ op: SpecOperation, methodName: SwiftName) -> OperationDeclaration {
        let base = Naming.upperCamel(operationID(op))
        var labels = NameRegistry(reserved: Naming.methodLocals)
        let parameters = self.parameters(of: op, base: base, labels: &labels)
        let body = requestBody(op, base: base, labels: &labels)
        let responses = self.responses(of: op, base: base)
        var doc = operationDoc(op, parameters: parameters, body: body)
        if !responses.success.emptyStatuses.isEmpty {
            let statuses = responses.success.emptyStatuses.map(String.init).joined(separator: ", ")
            doc.append(" - Returns: The response body; nil when the server answers \(statuses), documented without a body.")
        }
        return OperationDeclaration(
            methodName: methodName, doc: doc, deprecated: op.deprecated,
            operationID: operationID(op), verb: op.method.rawValue.lowercased(), pathTemplate: op.path,
            parameters: parameters, body: body, success: responses.success, errorCodes: responses.errorCodes, errorClasses: responses.errorClasses,
            pagination: nil, anonymous: op.security?.isEmpty == true)
    }

    /// Summary and description, then one `- Parameter` line per argument: DocC wants every
    /// parameter of a method documented once one is (the body or its parts, then `options`), with
    /// a plain description where the document has none.
    private func operationDoc(_ op: SpecOperation, parameters: [ParameterDeclaration], body: BodyDeclaration?) -> [String] {
        var doc = Naming.docLines([op.summary ?? "", op.description ?? ""].filter { !$0.isEmpty }.joined(separator: "\n\n"))
        func parameterDoc(_ label: SwiftName, _ lines: [String], otherwise: String) -> String {
            " - Parameter \(label.identifier):" + (lines.isEmpty ? " " + otherwise : lines.joined(separator: " "))
        }
        for p in parameters {
            doc.append(parameterDoc(p.label, p.doc, otherwise: "The \(p.location.rawValue) parameter `\(Naming.stringLiteralBody(p.name))`."))
        }
        if let body {
            switch body.kind {
            case .json, .bytes: doc.append(parameterDoc(SwiftName("body"), body.doc, otherwise: "The request body."))
            case .multipart: doc += body.parts.map { parameterDoc($0.label, $0.doc, otherwise: "The form part `\(Naming.stringLiteralBody($0.name))`.") }
            }
        }
        doc.append(" - Parameter options: Retries, time limits and extra headers for this call.")
        return doc
    }

    /// An argument label; one that would shadow what the method itself uses (`core`, `request`,
    /// `form`, ...) is renamed with a warning.
    mutating func claimLabel(_ labels: inout NameRegistry, _ wanted: String, for what: String, at node: NodeRef) -> SwiftName {
        let label = labels.claim(wanted)
        if label != wanted, labels.isReserved(wanted) {
            warn("\(what) would be the argument '\(wanted)', a name the generated method uses itself; it is '\(label)'", node)
        }
        return SwiftName(label)
    }
}
