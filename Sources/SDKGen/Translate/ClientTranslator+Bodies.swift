import OpenAPIDocument

/// Request bodies: JSON (one typed argument), multipart forms (one argument per part) and any
/// other media type (bytes).
extension ModelTranslator {
    mutating func requestBody(_ op: SpecOperation, base: String, labels: inout NameRegistry) -> BodyDeclaration? {
        guard let resolved = op.requestBody else { return nil }
        let body = resolved.value
        let doc = Naming.docLines(body.description ?? "")
        if let media = body.content.entries.first(where: { isJSON($0.key) }) {
            let type = media.value.schema.map { typeRef($0, hint: base + "Request").type } ?? .jsonValue
            return BodyDeclaration(kind: .json, type: type, optional: !body.required, contentType: media.key, parts: [], doc: doc)
        }
        if let media = body.content.entries.first(where: { $0.key.lowercased().hasPrefix("multipart/form-data") }) {
            let parts = media.value.schema.map { multipartParts($0, bodyRequired: body.required, base: base, labels: &labels) } ?? []
            return BodyDeclaration(kind: .multipart, type: .builtin(.multipartForm), optional: !body.required, contentType: "multipart/form-data", parts: parts, doc: doc)
        }
        guard let media = body.content.entries.first else { return nil }
        if body.content.count > 1 {
            warn("request body: only its first media type (\(media.key)) is generated", body.source)
        }
        return BodyDeclaration(kind: .bytes, type: .builtin(.data), optional: !body.required, contentType: media.key, parts: [], doc: doc)
    }

    /// One part per property of the form's schema: binary ones take a `MultipartFile`, the others
    /// a `ParameterValue` (anything else is sent as text, with a warning).
    private mutating func multipartParts(_ schemaID: SchemaID, bodyRequired: Bool, base: String, labels: inout NameRegistry) -> [MultipartPartDeclaration] {
        let schema = schemas[schemas.resolved(schemaID)]
        var parts: [MultipartPartDeclaration] = []
        for (name, property) in schema.properties {
            let binary = isBinary(property)
            var type = TypeRef.builtin(.multipartFile)
            if !binary {
                let info = typeRef(property, hint: base + Naming.upperCamel(name))
                if case let .builtin(builtin) = info.type, BuiltinType.parameterValues.contains(builtin) {
                    type = info.type
                } else {
                    warn("multipart part '\(name)' is not text or a file; it is sent as text", schemas[property].source)
                    type = .string
                }
            }
            let label = claimLabel(&labels, Naming.lowerCamel(name), for: "multipart part '\(name)'", at: schemas[property].source)
            parts.append(MultipartPartDeclaration(
                label: label, name: name, isFile: binary, type: type, optional: !bodyRequired || !schema.required.contains(name),
                doc: Naming.docLines(schemas[schemas.resolved(property)].description ?? "")))
        }
        return parts
    }

    func isJSON(_ mediaType: String) -> Bool {
        let lower = mediaType.lowercased()
        return lower.hasPrefix("application/json") || lower.hasSuffix("+json")
    }

    private func isBinary(_ id: SchemaID) -> Bool {
        let s = schemas[schemas.resolved(id)]
        return s.format == "binary" || s.otherKeywords["contentMediaType"] != nil || s.otherKeywords["contentEncoding"] != nil
    }
}
