import OpenAPIDocument

/// The stage between reading and translating: the config's `filter` applied to the resolved
/// document. What it selects stays, with every component schema that a selected thing reaches
/// through `$ref`s and subschemas; the rest of `paths`, `webhooks` and `components/schemas`
/// is dropped, so the translator (which walks only those three) generates the selection alone.
///
/// Selection:
/// - an operation of `paths` stays when it has one of `tags`, its `operationId` is in
///   `operations`, or its path template is in `paths` (the union);
/// - a webhook stays when its name is in `webhooks` (its operations' request bodies become models;
///   a webhook is never a client method);
/// - a component schema stays when it is named in `schemas` or reached from what stays.
///
/// An entry that names nothing in the document is an error located at the entry in the config
/// (a typo would otherwise quietly leave out part of the API); a tag that is declared but
/// that no operation has is a warning, and so is a filter that selects nothing at all.
public enum DocumentFilter {
    public static func apply(_ filter: GeneratorConfig.Filter, to document: OpenAPIDocument,
                             config: GeneratorConfig) -> (document: OpenAPIDocument, diagnostics: [Diagnostic]) {
        var diagnostics = check(filter, against: document, config: config)

        let tags = Set(filter.tags), operationIds = Set(filter.operations), paths = Set(filter.paths)
        func isSelected(_ operation: Operation) -> Bool {
            paths.contains(operation.path) || operation.operationId.map(operationIds.contains) == true
                || operation.tags.contains(where: tags.contains)
        }
        var result = document
        result.paths = OrderedEntries(document.paths.entries.compactMap { entry in
            var item = entry.value
            item.operations = item.operations.filter(isSelected)
            return item.operations.isEmpty ? nil : (key: entry.key, value: item)
        })
        let webhooks = Set(filter.webhooks)
        result.webhooks = OrderedEntries(document.webhooks.entries.filter { webhooks.contains($0.key) })

        var roots: [SchemaID] = result.operations.flatMap(schemas(of:))
        for operation in result.webhookOperations {
            roots += operation.requestBody.map { $0.value.content.values.compactMap(\.schema) } ?? []
        }
        let named = Set(filter.schemas)
        roots += document.components.schemas.entries.filter { named.contains($0.key) }.map(\.value)
        let needed = closure(of: roots, in: document.schemas)
        result.components.schemas = OrderedEntries(document.components.schemas.entries.filter { needed.contains($0.value) })

        if filter == GeneratorConfig.Filter() {
            diagnostics.append(Diagnostic(.warning, "the filter selects nothing (no tags, operations, paths, schemas or webhooks): only an empty client is generated",
                                          at: config.sourceLocation(of: "/filter")))
        }
        return (result, diagnostics)
    }

    /// Every entry names something of the document.
    static func check(_ filter: GeneratorConfig.Filter, against document: OpenAPIDocument, config: GeneratorConfig) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let documentName = document.files.first.map { String($0.path.split(separator: "/").last ?? "") } ?? "the document"
        func report(_ key: String, _ index: Int, _ message: String, _ severity: Diagnostic.Severity = .error) {
            diagnostics.append(Diagnostic(severity, "filter: \(message)", at: config.sourceLocation(of: "/filter/\(key)/\(index)")))
        }
        /// A short list of what the document has, for the message.
        func known(_ names: [String]) -> String {
            guard !names.isEmpty else { return "it has none" }
            let shown = names.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
            return "it has " + shown + (names.count > 12 ? " and \(names.count - 12) more" : "")
        }

        var usedTags: [String] = []
        for operation in document.operations { for tag in operation.tags where !usedTags.contains(tag) { usedTags.append(tag) } }
        let declaredTags = document.tags.map(\.name)
        for (i, tag) in filter.tags.enumerated() where !usedTags.contains(tag) {
            if declaredTags.contains(tag) {
                report("tags", i, "no operation of \(documentName) has the tag '\(tag)' (it is declared, but selects nothing)", .warning)
            } else {
                report("tags", i, "\(documentName) has no tag '\(tag)'; \(known(usedTags))")
            }
        }
        let operationIds = document.operations.compactMap(\.operationId)
        let webhookOperationIds = Set(document.webhookOperations.compactMap(\.operationId))
        for (i, id) in filter.operations.enumerated() where !operationIds.contains(id) {
            if webhookOperationIds.contains(id) {
                report("operations", i, "'\(id)' is a webhook's operation; select webhooks by name under 'webhooks'")
            } else {
                report("operations", i, "\(documentName) has no operation with operationId '\(id)'; \(known(operationIds))")
            }
        }
        for (i, path) in filter.paths.enumerated() where document.paths[path] == nil {
            report("paths", i, "\(documentName) has no path '\(path)' under 'paths'; \(known(document.paths.keys))")
        }
        for (i, name) in filter.schemas.enumerated() where document.components.schemas[name] == nil {
            report("schemas", i, "\(documentName) has no schema '\(name)' under 'components/schemas'; \(known(document.components.schemas.keys))")
        }
        for (i, name) in filter.webhooks.enumerated() where document.webhooks[name] == nil {
            report("webhooks", i, "\(documentName) has no webhook '\(name)' under 'webhooks'; \(known(document.webhooks.keys))")
        }
        return diagnostics
    }

    /// The schemas an operation's client method uses: parameters, request body, responses and their headers.
    static func schemas(of operation: Operation) -> [SchemaID] {
        var ids: [SchemaID] = []
        func add(_ content: OrderedEntries<MediaType>) { ids += content.values.compactMap(\.schema) }
        for parameter in operation.parameters {
            if let schema = parameter.value.schema { ids.append(schema) }
            add(parameter.value.content)
        }
        if let body = operation.requestBody { add(body.value.content) }
        for response in operation.responses.values {
            add(response.value.content)
            for header in response.value.headers.values {
                if let schema = header.value.schema { ids.append(schema) }
                add(header.value.content)
            }
        }
        return ids
    }

    /// `roots` and every schema they reach: `$ref` targets and every subschema keyword.
    static func closure(of roots: [SchemaID], in table: SchemaTable) -> Set<SchemaID> {
        var seen = Set<SchemaID>()
        var stack = roots
        while let id = stack.popLast() {
            guard seen.insert(id).inserted else { continue }
            let s = table[id]
            if let target = s.ref?.target { stack.append(target) }
            stack += s.allOf + s.oneOf + s.anyOf + s.prefixItems + s.properties.values + s.patternProperties.values
            stack += [s.not, s.ifSchema, s.thenSchema, s.elseSchema, s.items, s.contains, s.propertyNames].compactMap { $0 }
            if case let .schema(additional)? = s.additionalProperties { stack.append(additional) }
            if let discriminator = s.discriminator { stack += discriminator.mapping.values.compactMap(\.schema) }
        }
        return seen
    }
}
