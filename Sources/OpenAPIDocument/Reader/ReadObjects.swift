/// Reading the OpenAPI objects (everything but schemas).
extension DocumentReader {
    func readDocument(root: NodeRef) -> OpenAPIDocument? {
        let t = tree(root)
        guard t.isMapping(root.node) else {
            error("an OpenAPI document must be a mapping at the top level, found \(describe(root))", root)
            return nil
        }
        if let swagger = t.value(root.node, forKey: "swagger") {
            error("this is a Swagger \(t.scalar(swagger) ?? "2.x") document; only OpenAPI 3.0 and 3.1 are supported", child(root, swagger))
            return nil
        }
        guard let versionNode = t.value(root.node, forKey: "openapi").map({ child(root, $0) }) else {
            error("the document has no 'openapi' field: is it an OpenAPI document?", root)
            return nil
        }
        guard let version = string(versionNode, "openapi") else { return nil }
        if version == "3.0" || version.hasPrefix("3.0.") {
            is31 = false
        } else if version == "3.1" || version.hasPrefix("3.1.") {
            is31 = true
        } else if version.hasPrefix("3.") {
            warning("OpenAPI \(version) is newer than this tool knows; read as 3.1", versionNode)
        } else {
            error("unsupported OpenAPI version '\(version)'; expected 3.0.x or 3.1.x", versionNode)
            return nil
        }

        var info: Info?
        var dialect: String?
        var servers: [Server] = []
        var paths = OrderedEntries<PathItem>()
        var webhooks = OrderedEntries<PathItem>()
        var components = Components()
        var componentsNode: NodeRef?
        var security: [SecurityRequirement]?
        var tags: [Tag] = []
        var externalDocs: ExternalDocumentation?
        var pathsNode: NodeRef?, webhooksNode: NodeRef?
        var pathsExtensions = Extensions(), webhooksExtensions = Extensions()

        // About one schema per 8 nodes in real and synthetic documents: reserving saves copying the
        // (large) schemas as the table grows; pages not reached are never touched.
        schemas.all.reserveCapacity(t.nodeCount / 8)
        // Components first: what paths refer to is then read in its own place.
        if let c = t.value(root.node, forKey: "components") {
            componentsNode = child(root, c)
            components = readComponents(child(root, c))
        }
        let extensions = object(root, "the OpenAPI object") { key, v in
            switch key {
            case "openapi": break
            case "info": info = readInfo(v)
            case "jsonSchemaDialect": dialect = string(v, key)
            case "servers": servers = list(v, key, readServer)
            case "paths":
                pathsNode = v
                paths = readPaths(v)
                pathsExtensions = extensionEntries(v)
            case "webhooks":
                if !is31 { warning("'webhooks' is an OpenAPI 3.1 field; read anyway", v) }
                webhooksNode = v
                webhooks = map(v, "webhooks", allowExtensions: true) { name, item in readPathItem(item, path: name) }
                webhooksExtensions = extensionEntries(v)
            case "components": break
            case "security": security = list(v, key, readSecurityRequirement)
            case "tags": tags = list(v, key, readTag)
            case "externalDocs": externalDocs = readExternalDocs(v)
            default: return false
            }
            return true
        } ?? Extensions()

        if info == nil { diagnostics.error("the document has no 'info' object", at: location(root)) }
        if pathsNode == nil && webhooksNode == nil && componentsNode == nil {
            let message = "the document has none of 'paths', 'webhooks' and 'components'"
            if is31 { diagnostics.error(message, at: location(root)) } else { diagnostics.error("the document has no 'paths'", at: location(root)) }
        }

        resolvePendingSchemaReferences()
        checkOperations(paths: &paths, webhooks: webhooks)
        checkSecurity(components: components, paths: paths, webhooks: webhooks)
        reportLenientReadings()

        return OpenAPIDocument(
            openapi: version,
            info: info ?? Info(title: "", version: "", extensions: []),
            jsonSchemaDialect: dialect, servers: servers, paths: paths, webhooks: webhooks,
            components: components, security: security, tags: tags, externalDocs: externalDocs,
            extensions: extensions, pathsExtensions: pathsExtensions, webhooksExtensions: webhooksExtensions,
            schemas: schemas, files: files)
    }

    /// `requireField`, but silent when the field is written with a value of the wrong type or an unknown
    /// value: that was reported at the value, and "missing the required field" would be false. A field
    /// with no value (YAML null) was read as absent, so it is missing.
    func requireValid<T>(_ value: T?, _ field: String, in typeName: String, _ n: NodeRef, severity: Diagnostic.Severity = .error) -> Bool {
        if value == nil, let written = tree(n).value(n.node, forKey: field), tree(n).scalarTag(written) != .null { return false }
        return requireField(value, field, in: typeName, n, severity: severity)
    }

    /// The key of the mapping entry whose value is `value`: problems with a key are reported there
    /// (a block mapping value starts on a later line). The value itself when no such entry is found.
    func keyNode(of value: NodeRef) -> NodeRef {
        tree(value).key(ofValue: value.node).map { child(value, $0) } ?? value
    }

    // MARK: Info, servers, tags

    func readInfo(_ n: NodeRef) -> Info? {
        var title: String?, summary: String?, description: String?, terms: String?, version: String?
        var contact: Contact?, license: License?
        guard let ext = object(n, "the Info object", { key, v in
            switch key {
            case "title": title = string(v, key)
            case "summary": summary = string(v, key)
            case "description": description = string(v, key)
            case "termsOfService": terms = string(v, key)
            case "version": version = string(v, key)
            case "contact": contact = readContact(v)
            case "license": license = readLicense(v)
            default: return false
            }
            return true
        }) else { return nil }
        _ = requireValid(title, "title", in: "the Info object", n)
        _ = requireValid(version, "version", in: "the Info object", n)
        return Info(title: title ?? "", summary: summary, description: description, termsOfService: terms,
                    contact: contact, license: license, version: version ?? "", extensions: ext)
    }

    func readContact(_ n: NodeRef) -> Contact? {
        var c = Contact(name: nil, url: nil, email: nil, extensions: [])
        guard let ext = object(n, "the Contact object", { key, v in
            switch key {
            case "name": c.name = string(v, key)
            case "url": c.url = string(v, key)
            case "email": c.email = string(v, key)
            default: return false
            }
            return true
        }) else { return nil }
        c.extensions = ext
        return c
    }

    func readLicense(_ n: NodeRef) -> License? {
        var name: String?, identifier: String?, url: String?
        guard let ext = object(n, "the License object", { key, v in
            switch key {
            case "name": name = string(v, key)
            case "identifier": identifier = string(v, key)
            case "url": url = string(v, key)
            default: return false
            }
            return true
        }) else { return nil }
        guard requireValid(name, "name", in: "the License object", n) else { return nil }
        return License(name: name!, identifier: identifier, url: url, extensions: ext)
    }

    func readServer(_ n: NodeRef) -> Server? {
        var url: String?, description: String?
        var variables = OrderedEntries<ServerVariable>()
        guard let ext = object(n, "a Server object", { key, v in
            switch key {
            case "url": url = string(v, key)
            case "description": description = string(v, key)
            case "variables": variables = map(v, "server variables") { _, value in readServerVariable(value) }
            default: return false
            }
            return true
        }) else { return nil }
        guard requireValid(url, "url", in: "a Server object", n) else { return nil }
        return Server(url: url!, description: description, variables: variables, extensions: ext)
    }

    func readServerVariable(_ n: NodeRef) -> ServerVariable? {
        var values: [String]?, defaultValue: String?, description: String?
        guard let ext = object(n, "a Server Variable object", { key, v in
            switch key {
            case "enum": values = stringList(v, key)
            case "default": defaultValue = string(v, key)
            case "description": description = string(v, key)
            default: return false
            }
            return true
        }) else { return nil }
        guard requireValid(defaultValue, "default", in: "a Server Variable object", n) else { return nil }
        if let values, values.isEmpty, let node = tree(n).value(n.node, forKey: "enum") {
            warning("the server variable's 'enum' is empty (OpenAPI wants at least one value); read as any value", child(n, node))
        }
        if let values, let defaultValue, !values.isEmpty, !values.contains(defaultValue) {
            error("the server variable's default '\(defaultValue)' is not one of its enum values", n)
        }
        return ServerVariable(enumValues: values?.isEmpty == true ? nil : values, defaultValue: defaultValue!, description: description, extensions: ext)
    }

    func readExternalDocs(_ n: NodeRef) -> ExternalDocumentation? {
        var url: String?, description: String?
        guard let ext = object(n, "an External Documentation object", { key, v in
            switch key {
            case "url": url = string(v, key)
            case "description": description = string(v, key)
            default: return false
            }
            return true
        }) else { return nil }
        guard requireValid(url, "url", in: "an External Documentation object", n) else { return nil }
        return ExternalDocumentation(url: url!, description: description, extensions: ext)
    }

    func readTag(_ n: NodeRef) -> Tag? {
        var name: String?, description: String?, docs: ExternalDocumentation?
        guard let ext = object(n, "a Tag object", { key, v in
            switch key {
            case "name": name = string(v, key)
            case "description": description = string(v, key)
            case "externalDocs": docs = readExternalDocs(v)
            default: return false
            }
            return true
        }) else { return nil }
        guard requireValid(name, "name", in: "a Tag object", n) else { return nil }
        return Tag(name: name!, description: description, externalDocs: docs, extensions: ext)
    }

    func readSecurityRequirement(_ n: NodeRef) -> SecurityRequirement? {
        guard tree(n).isMapping(n.node) else {
            error("a Security Requirement must be a mapping of scheme names to scopes, found \(describe(n))", n)
            return nil
        }
        return map(n, "a Security Requirement") { _, v in stringList(v, "scopes") }
    }

    // MARK: Paths and operations

    func readPaths(_ n: NodeRef) -> OrderedEntries<PathItem> {
        map(n, "the Paths object", allowExtensions: true) { path, item in
            if !path.hasPrefix("/") {
                error("path '\(path)' must start with '/'", keyNode(of: item))
            }
            return readPathItem(item, path: path)
        }
    }

    func readPathItem(_ n: NodeRef, path: String) -> PathItem? {
        if let refValue = refNode(n) {
            // A path item `$ref` may have siblings: the target's fields are taken, and a sibling
            // `summary` or `description` overrides the target's (other siblings are undefined by the spec).
            guard let text = string(refValue, "$ref"), let target = resolveReference(text, at: refValue) else { return nil }
            guard !inProgress.contains(target) else {
                error("$ref '\(text)' is part of a reference cycle of path items", refValue)
                return nil
            }
            inProgress.insert(target)
            defer { inProgress.remove(target) }
            guard var item = readPathItem(target, path: path) else { return nil }
            let t = tree(n)
            for (k, v) in t.pairs(n.node) {
                switch t.scalar(k) {
                case "$ref": break
                case "summary": item.summary = string(child(n, v), "summary")
                case "description": item.description = string(child(n, v), "description")
                case let key?: warning("'\(key)' beside a path item $ref is ignored; only summary and description may override", child(n, k))
                case nil: break
                }
            }
            return item
        }
        var summary: String?, description: String?, servers: [Server]?
        var parameters: [Resolved<Parameter>] = []
        var operations: [(HTTPMethod, NodeRef)] = []
        guard let ext = object(n, "a Path Item object", { key, v in
            if let method = HTTPMethod(rawValue: key) {
                operations.append((method, v))
                return true
            }
            switch key {
            case "summary": summary = string(v, key)
            case "description": description = string(v, key)
            case "servers": servers = list(v, key, readServer)
            case "parameters": parameters = readParameterList(v)
            case "$ref": break
            default: return false
            }
            return true
        }) else { return nil }
        let ops = operations.compactMap { method, node in
            operation(node, method: method, path: path, pathParameters: parameters)
        }
        return PathItem(summary: summary, description: description, operations: ops, servers: servers,
                        parameters: parameters, extensions: ext, source: n)
    }

    func readParameterList(_ n: NodeRef) -> [Resolved<Parameter>] {
        let params = list(n, "parameters") { resolvable($0, "a Parameter object", readParameter) }
        // (name, in) must be unique within one list.
        var seen: [String: Parameter] = [:]
        for p in params {
            let key = "\(p.value.location.rawValue) \(p.value.name)"
            if let first = seen[key] {
                let where1 = location(first.source)
                error("parameter '\(p.value.name)' in \(p.value.location.rawValue) is declared twice in one list; first at line \(where1.line)", p.reference?.source ?? p.value.source)
            } else {
                seen[key] = p.value
            }
        }
        return params
    }

    /// An Operation object, or a `$ref` to one: documents split into one file per operation
    /// (DigitalOcean's) write `get: {$ref: resources/droplets/list.yml}`, which OpenAPI does not
    /// allow but Redocly and swagger-parser resolve like any `$ref`. Read the same way, in the
    /// same `$ref` root; siblings of the `$ref` are ignored.
    func operation(_ n: NodeRef, method: HTTPMethod, path: String, pathParameters: [Resolved<Parameter>]) -> Operation? {
        guard let refValue = refNode(n) else {
            return readOperation(n, method: method, path: path, pathParameters: pathParameters)
        }
        lenient("$ref on an Operation object is not OpenAPI (only Path Items and components may be referenced); resolved and read as the operation, as bundlers do", refValue)
        let t = tree(n)
        for (k, _) in t.pairs(n.node) where t.scalar(k) != "$ref" {
            warning("'\(t.scalar(k) ?? "")' beside an Operation $ref is ignored", child(n, k))
        }
        // Read afresh for each use: the operation takes its path and the path item's parameters.
        return resolvable(n, "an Operation object", memoize: false) {
            readOperation($0, method: method, path: path, pathParameters: pathParameters)
        }?.value
    }

    func readOperation(_ n: NodeRef, method: HTTPMethod, path: String, pathParameters: [Resolved<Parameter>]) -> Operation? {
        var op = Operation(method: method, path: path, tags: [], summary: nil, description: nil, externalDocs: nil,
                           operationId: nil, parameters: [], requestBody: nil, responses: [], callbacks: [],
                           deprecated: false, security: nil, servers: nil, extensions: [], responsesExtensions: [], source: n)
        var own: [Resolved<Parameter>] = []
        var sawResponses = false
        guard let ext = object(n, "an Operation object", { key, v in
            switch key {
            case "tags": op.tags = stringList(v, key) ?? []
            case "summary": op.summary = string(v, key)
            case "description": op.description = string(v, key)
            case "externalDocs": op.externalDocs = readExternalDocs(v)
            case "operationId": op.operationId = string(v, key)
            case "parameters": own = readParameterList(v)
            case "requestBody": op.requestBody = resolvable(v, "a Request Body object", readRequestBody)
            case "responses":
                sawResponses = true
                op.responses = readResponses(v)
                op.responsesExtensions = extensionEntries(v)
            case "callbacks": op.callbacks = map(v, "callbacks") { _, c in resolvable(c, "a Callback object", readCallback) }
            case "deprecated": op.deprecated = bool(v, key) ?? false
            case "security": op.security = list(v, key, readSecurityRequirement)
            case "servers": op.servers = list(v, key, readServer)
            default: return false
            }
            return true
        }) else { return nil }
        op.extensions = ext
        if !sawResponses && !is31 {
            error("the Operation object is missing the required field 'responses'", n)
        }
        // Path-level parameters apply unless the operation overrides the same (name, in).
        let overridden = Set(own.map { "\($0.value.location.rawValue) \($0.value.name)" })
        op.parameters = pathParameters.filter { !overridden.contains("\($0.value.location.rawValue) \($0.value.name)") } + own
        return op
    }

    func readParameter(_ n: NodeRef) -> Parameter? {
        var name: String?, location: ParameterLocation?
        var p = Parameter(name: "", location: .query, description: nil, required: false, deprecated: false,
                          allowEmptyValue: false, style: nil, explode: nil, allowReserved: false, schema: nil,
                          content: [], example: nil, examples: [], extensions: [], source: n)
        var requiredNode: NodeRef?
        guard let ext = object(n, "a Parameter object", { key, v in
            switch key {
            case "name": name = string(v, key)
            case "in":
                if let text = string(v, key) {
                    location = ParameterLocation(rawValue: text)
                    if location == nil { error("'in' must be one of query, header, path, cookie; found '\(text)'", v) }
                }
            case "description": p.description = string(v, key)
            case "required": p.required = bool(v, key) ?? false; requiredNode = v
            case "deprecated": p.deprecated = bool(v, key) ?? false
            case "allowEmptyValue": p.allowEmptyValue = bool(v, key) ?? false
            case "style": p.style = readStyle(v)
            case "explode": p.explode = bool(v, key)
            case "allowReserved": p.allowReserved = bool(v, key) ?? false
            case "schema": p.schema = schema(v)
            case "content": p.content = readContent(v)
            case "example": p.example = v
            case "examples": p.examples = readExamples(v)
            default: return false
            }
            return true
        }) else { return nil }
        guard requireValid(name, "name", in: "a Parameter object", n), requireValid(location, "in", in: "a Parameter object", n) else { return nil }
        p.name = name!
        p.location = location!
        p.extensions = ext
        if p.location == .path && !p.required {
            // The schema of OpenAPI 3.1 does not check it for a parameter with `content`; a path
            // parameter is always sent, so the reading is not in doubt.
            lenient("a path parameter must have 'required: true'; read as required", requiredNode ?? n)
            p.required = true
        }
        if p.location != .query, let node = tree(n).value(n.node, forKey: "allowReserved") {
            warning("'allowReserved' applies only to query parameters; ignored on a \(p.location.rawValue) parameter", child(n, node))
            p.allowReserved = false
        }
        if p.example != nil && !p.examples.isEmpty {
            warning("a Parameter object must not have both 'example' and 'examples'; 'example' ignored", n)
            p.example = nil
        }
        if p.schema == nil && p.content.isEmpty {
            error("parameter '\(p.name)' has neither 'schema' nor 'content'", n)
        } else if p.schema != nil && !p.content.isEmpty {
            error("parameter '\(p.name)' has both 'schema' and 'content'; use one", n)
        }
        if p.content.count > 1 {
            error("parameter '\(p.name)': 'content' must hold exactly one media type", n)
        }
        return p
    }

    func readStyle(_ n: NodeRef) -> ParameterStyle? {
        guard let text = string(n, "style") else { return nil }
        guard let style = ParameterStyle(rawValue: text) else {
            error("unknown parameter style '\(text)'", n)
            return nil
        }
        return style
    }

    func readRequestBody(_ n: NodeRef) -> RequestBody? {
        var body = RequestBody(description: nil, content: [], required: false, extensions: [], source: n)
        var sawContent = false
        guard let ext = object(n, "a Request Body object", { key, v in
            switch key {
            case "description": body.description = string(v, key)
            case "content": sawContent = true; body.content = readContent(v)
            case "required": body.required = bool(v, key) ?? false
            default: return false
            }
            return true
        }) else { return nil }
        body.extensions = ext
        if !sawContent { error("the Request Body object is missing the required field 'content'", n) }
        return body
    }

    func readContent(_ n: NodeRef) -> OrderedEntries<MediaType> {
        map(n, "a content map") { _, v in readMediaType(v) }
    }

    func readMediaType(_ n: NodeRef) -> MediaType? {
        var m = MediaType(schema: nil, example: nil, examples: [], encoding: [], extensions: [], source: n)
        guard let ext = object(n, "a Media Type object", { key, v in
            switch key {
            case "schema": m.schema = schema(v)
            case "example": m.example = v
            case "examples": m.examples = readExamples(v)
            case "encoding": m.encoding = map(v, "an encoding map") { _, e in readEncoding(e) }
            default: return false
            }
            return true
        }) else { return nil }
        m.extensions = ext
        if m.example != nil && !m.examples.isEmpty {
            warning("a Media Type object should not have both 'example' and 'examples'", n)
        }
        return m
    }

    func readExamples(_ n: NodeRef) -> OrderedEntries<Resolved<Example>> {
        map(n, "an examples map") { _, v in resolvable(v, "an Example object", readExample) }
    }

    func readExample(_ n: NodeRef) -> Example? {
        var e = Example(summary: nil, description: nil, value: nil, externalValue: nil, extensions: [])
        guard let ext = object(n, "an Example object", { key, v in
            switch key {
            case "summary": e.summary = string(v, key)
            case "description": e.description = string(v, key)
            case "value": e.value = v
            case "externalValue": e.externalValue = string(v, key)
            default: return false
            }
            return true
        }) else { return nil }
        e.extensions = ext
        if e.value != nil && e.externalValue != nil {
            error("an Example object cannot have both 'value' and 'externalValue'", n)
        }
        return e
    }

    func readEncoding(_ n: NodeRef) -> Encoding? {
        var e = Encoding(contentType: nil, headers: [], style: nil, explode: nil, allowReserved: false, extensions: [])
        guard let ext = object(n, "an Encoding object", { key, v in
            switch key {
            case "contentType": e.contentType = string(v, key)
            case "headers": e.headers = readHeaders(v)
            case "style": e.style = readStyle(v)
            case "explode": e.explode = bool(v, key)
            case "allowReserved": e.allowReserved = bool(v, key) ?? false
            default: return false
            }
            return true
        }) else { return nil }
        e.extensions = ext
        return e
    }

    func readResponses(_ n: NodeRef) -> OrderedEntries<Resolved<Response>> {
        let t = tree(n)
        if t.isMapping(n.node) && t.count(n.node) == 0 && !is31 {
            error("'responses' must declare at least one response", n)
        }
        return map(n, "the Responses object", allowExtensions: true) { code, v in
            if ResponseKey(code) == nil {
                error("'\(code)' is not a response key: use a status code (200), a range (2XX) or 'default'", keyNode(of: v))
            }
            return resolvable(v, "a Response object", readResponse)
        }
    }

    func readResponse(_ n: NodeRef) -> Response? {
        var r = Response(description: "", headers: [], content: [], links: [], extensions: [], source: n)
        var description: String?
        guard let ext = object(n, "a Response object", { key, v in
            switch key {
            case "description": description = string(v, key)
            case "headers": r.headers = readHeaders(v)
            case "content": r.content = readContent(v)
            case "links": r.links = map(v, "a links map") { _, l in resolvable(l, "a Link object", readLink) }
            default: return false
            }
            return true
        }) else { return nil }
        _ = requireValid(description, "description", in: "a Response object", n, severity: .warning)
        r.description = description ?? ""
        r.extensions = ext
        return r
    }

    func readHeaders(_ n: NodeRef) -> OrderedEntries<Resolved<Header>> {
        map(n, "a headers map") { _, v in resolvable(v, "a Header object", readHeader) }
    }

    func readHeader(_ n: NodeRef) -> Header? {
        var h = Header(description: nil, required: false, deprecated: false, style: nil, explode: nil, schema: nil,
                       content: [], example: nil, examples: [], extensions: [])
        guard let ext = object(n, "a Header object", { key, v in
            switch key {
            case "description": h.description = string(v, key)
            case "required": h.required = bool(v, key) ?? false
            case "deprecated": h.deprecated = bool(v, key) ?? false
            case "style": h.style = readStyle(v)
            case "explode": h.explode = bool(v, key)
            case "schema": h.schema = schema(v)
            case "content": h.content = readContent(v)
            case "example": h.example = v
            case "examples": h.examples = readExamples(v)
            case "name", "in":
                error("a Header object must not have '\(key)' (the name is its key in the map)", v)
            default: return false
            }
            return true
        }) else { return nil }
        h.extensions = ext
        if h.example != nil && !h.examples.isEmpty {
            warning("a Header object must not have both 'example' and 'examples'; 'example' ignored", n)
            h.example = nil
        }
        return h
    }

    func readLink(_ n: NodeRef) -> Link? {
        var l = Link(operationRef: nil, operationId: nil, parameters: [], requestBody: nil, description: nil, server: nil, extensions: [])
        guard let ext = object(n, "a Link object", { key, v in
            switch key {
            case "operationRef": l.operationRef = string(v, key)
            case "operationId": l.operationId = string(v, key)
            case "parameters": l.parameters = map(v, "link parameters") { _, p in p }
            case "requestBody": l.requestBody = v
            case "description": l.description = string(v, key)
            case "server": l.server = readServer(v)
            default: return false
            }
            return true
        }) else { return nil }
        l.extensions = ext
        if l.operationRef != nil && l.operationId != nil {
            error("a Link object cannot have both 'operationRef' and 'operationId'", n)
        }
        return l
    }

    func readCallback(_ n: NodeRef) -> Callback? {
        guard tree(n).isMapping(n.node) else {
            error("a Callback object must be a mapping, found \(describe(n))", n)
            return nil
        }
        var extensions = Extensions()
        for (k, v) in tree(n).pairs(n.node) where tree(n).scalar(k)?.hasPrefix("x-") == true {
            extensions.append(tree(n).scalar(k)!, child(n, v))
        }
        let expressions = map(n, "a Callback object", allowExtensions: true) { expression, item in readPathItem(item, path: expression) }
        return Callback(expressions: expressions, extensions: extensions)
    }

    // MARK: Components and security

    func readComponents(_ n: NodeRef) -> Components {
        var c = Components()
        let ext = object(n, "the Components object") { key, v in
            switch key {
            case "schemas": c.schemas = component(v, key) { _, s in schema(s) }
            case "responses": c.responses = component(v, key) { _, r in resolvable(r, "a Response object", readResponse) }
            case "parameters": c.parameters = component(v, key) { _, p in resolvable(p, "a Parameter object", readParameter) }
            case "examples": c.examples = component(v, key) { _, e in resolvable(e, "an Example object", readExample) }
            case "requestBodies": c.requestBodies = component(v, key) { _, b in resolvable(b, "a Request Body object", readRequestBody) }
            case "headers": c.headers = component(v, key) { _, h in resolvable(h, "a Header object", readHeader) }
            case "securitySchemes": c.securitySchemes = component(v, key) { _, s in resolvable(s, "a Security Scheme object", readSecurityScheme) }
            case "links": c.links = component(v, key) { _, l in resolvable(l, "a Link object", readLink) }
            case "callbacks": c.callbacks = component(v, key) { _, cb in resolvable(cb, "a Callback object", readCallback) }
            case "pathItems":
                if !is31 { warning("'components/pathItems' is an OpenAPI 3.1 field; read anyway", v) }
                c.pathItems = component(v, key) { name, item in readPathItem(item, path: name) }
            default: return false
            }
            return true
        }
        c.extensions = ext ?? []
        // Component names must be usable in a $ref and as identifiers in generated code.
        let names = tree(n).isMapping(n.node) ? tree(n).pairs(n.node).compactMap { pair -> (String, NodeRef)? in
            guard let k = tree(n).scalar(pair.key), !k.hasPrefix("x-") else { return nil }
            return (k, child(n, pair.value))
        } : []
        for (_, group) in names where tree(group).isMapping(group.node) && refNode(group) == nil {
            for (k, _) in tree(group).pairs(group.node) {
                guard let name = tree(group).scalar(k) else { continue }
                if !Self.isPortableComponentName(name) {
                    warning("component name '\(name)' should match ^[a-zA-Z0-9._-]+$", child(group, k))
                }
            }
        }
        return c
    }

    /// `^[a-zA-Z0-9._-]+$`, on bytes (a non-ASCII byte is a character outside the set).
    static func isPortableComponentName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { b in
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    /// One group of components (`components/<group>`); an entry that is a remote `$ref` is left out with a warning.
    private func component<T>(_ n: NodeRef, _ group: String, _ read: (String, NodeRef) -> T?) -> OrderedEntries<T> {
        map(n, "components/\(group)") { name, v in skipsRemoteComponent(name, v) ? nil : read(name, v) }
    }

    func readSecurityScheme(_ n: NodeRef) -> SecurityScheme? {
        var kind: SecurityScheme.Kind?
        var s = SecurityScheme(kind: .http, description: nil, name: nil, location: nil, scheme: nil, bearerFormat: nil,
                               flows: nil, openIdConnectUrl: nil, extensions: [])
        guard let ext = object(n, "a Security Scheme object", { key, v in
            switch key {
            case "type":
                if let text = string(v, key) {
                    kind = SecurityScheme.Kind(rawValue: text)
                    if kind == nil { error("unknown security scheme type '\(text)'", v) }
                }
            case "description": s.description = string(v, key)
            case "name": s.name = string(v, key)
            case "in":
                if let text = string(v, key) {
                    s.location = ParameterLocation(rawValue: text)
                    if s.location == nil || s.location == .path { error("an apiKey goes in query, header or cookie; found '\(text)'", v) }
                }
            case "scheme": s.scheme = string(v, key)
            case "bearerFormat": s.bearerFormat = string(v, key)
            case "flows": s.flows = readFlows(v)
            case "openIdConnectUrl": s.openIdConnectUrl = string(v, key)
            default: return false
            }
            return true
        }) else { return nil }
        guard requireValid(kind, "type", in: "a Security Scheme object", n) else { return nil }
        s.kind = kind!
        s.extensions = ext
        switch s.kind {
        case .apiKey:
            _ = requireValid(s.name, "name", in: "an apiKey Security Scheme", n)
            _ = requireValid(s.location, "in", in: "an apiKey Security Scheme", n)
        case .http: _ = requireValid(s.scheme, "scheme", in: "an http Security Scheme", n)
        case .oauth2: _ = requireValid(s.flows, "flows", in: "an oauth2 Security Scheme", n)
        case .openIdConnect: _ = requireValid(s.openIdConnectUrl, "openIdConnectUrl", in: "an openIdConnect Security Scheme", n)
        case .mutualTLS: break
        }
        return s
    }

    func readFlows(_ n: NodeRef) -> OAuthFlows? {
        var f = OAuthFlows(implicit: nil, password: nil, clientCredentials: nil, authorizationCode: nil, extensions: [])
        guard let ext = object(n, "an OAuth Flows object", { key, v in
            switch key {
            case "implicit": f.implicit = readFlow(v)
            case "password": f.password = readFlow(v)
            case "clientCredentials": f.clientCredentials = readFlow(v)
            case "authorizationCode": f.authorizationCode = readFlow(v)
            default: return false
            }
            return true
        }) else { return nil }
        f.extensions = ext
        return f
    }

    func readFlow(_ n: NodeRef) -> OAuthFlow? {
        var f = OAuthFlow(authorizationUrl: nil, tokenUrl: nil, refreshUrl: nil, scopes: [], extensions: [])
        guard let ext = object(n, "an OAuth Flow object", { key, v in
            switch key {
            case "authorizationUrl": f.authorizationUrl = string(v, key)
            case "tokenUrl": f.tokenUrl = string(v, key)
            case "refreshUrl": f.refreshUrl = string(v, key)
            case "scopes": f.scopes = map(v, "scopes") { _, d in string(d, "scope description") }
            default: return false
            }
            return true
        }) else { return nil }
        f.extensions = ext
        return f
    }

    // MARK: Whole-document checks

    /// Unique operationIds; every `{name}` in a path template has a path parameter and back.
    /// A mismatch is read the way generators read it (the OpenAPI schema cannot check it, and its
    /// own examples have one): a `{name}` with no parameter becomes a required string path
    /// parameter, a path parameter not in the template is left out.
    func checkOperations(paths: inout OrderedEntries<PathItem>, webhooks: OrderedEntries<PathItem>) {
        var ids: [String: NodeRef] = [:]
        for item in paths.values + webhooks.values {
            for op in item.operations {
                if let id = op.operationId {
                    // Point at the `operationId` values themselves, not at the operations' first lines.
                    let idNode = tree(op.source).value(op.source.node, forKey: "operationId").map { child(op.source, $0) } ?? op.source
                    if let first = ids[id] {
                        error("operationId '\(id)' is used twice; first at line \(location(first).line)", idNode)
                    } else {
                        ids[id] = idNode
                    }
                }
            }
        }
        for index in paths.entries.indices {
            let path = paths.entries[index].key
            let templated = Self.templateNames(path)
            for opIndex in paths.entries[index].value.operations.indices {
                var op = paths.entries[index].value.operations[opIndex]
                let declared = op.parameters.filter { $0.value.location == .path }.map(\.value.name)
                for name in templated where !declared.contains(name) {
                    warning("\(op.method.rawValue.uppercased()) \(path): the path template names '{\(name)}' but no path parameter '\(name)' is declared; read as a required string path parameter", op.source)
                    op.parameters.append(Resolved(syntheticPathParameter(name, op.source)))
                }
                op.parameters.removeAll { p in
                    guard p.value.location == .path && !templated.contains(p.value.name) else { return false }
                    warning("\(op.method.rawValue.uppercased()) \(path): path parameter '\(p.value.name)' does not appear in the path template; left out", p.reference?.source ?? p.value.source)
                    return true
                }
                paths.entries[index].value.operations[opIndex] = op
            }
        }
    }

    /// `{name}` of a path template that no parameter declares: a required string, located at the operation.
    private func syntheticPathParameter(_ name: String, _ operation: NodeRef) -> Parameter {
        var schema = JSONSchema(source: operation)
        schema.types = .string
        let id = SchemaID(Int32(schemas.all.count))
        schemas.all.append(schema)
        return Parameter(name: name, location: .path, description: nil, required: true, deprecated: false, allowEmptyValue: false,
                         style: nil, explode: nil, allowReserved: false, schema: id, content: [], example: nil, examples: [],
                         extensions: [], source: operation)
    }

    static func templateNames(_ path: String) -> [String] {
        var names: [String] = []
        var current: String?
        for c in path {
            if c == "{" { current = "" } else if c == "}" { if let n = current { names.append(n) }; current = nil } else { current?.append(c) }
        }
        return names
    }

    func checkSecurity(components: Components, paths: OrderedEntries<PathItem>, webhooks: OrderedEntries<PathItem>) {
        let known = Set(components.securitySchemes.keys)
        /// Checks the `security` list of the mapping `holder` (the document or an operation), reporting at the unknown name.
        func check(holder n: NodeRef) {
            let t = tree(n)
            guard t.isMapping(n.node), let list = t.value(n.node, forKey: "security") else { return }
            for requirement in t.items(list) where t.isMapping(requirement) {
                for (k, _) in t.pairs(requirement) {
                    guard let name = t.scalar(k), !known.contains(name) else { continue }
                    warning("security requirement names '\(name)', which is not in components/securitySchemes; ignored", child(n, k))
                }
            }
        }
        if let root = files.first?.tree.root { check(holder: NodeRef(file: 0, node: root)) }
        for item in paths.values + webhooks.values { for op in item.operations { check(holder: op.source) } }
    }
}
