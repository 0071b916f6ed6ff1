import OpenAPIDocument

/// Path, query and header parameters of an operation.
extension ModelTranslator {
    /// The operation's parameters in signature order (required ones first, each group in the
    /// document's order): the path item's, replaced by the operation's own of the same name and place.
    mutating func parameters(of op: SpecOperation, base: String, labels: inout NameRegistry) -> [ParameterDeclaration] {
        var merged: [Parameter] = []
        var positions: [String: Int] = [:]
        for p in pathItemParameters(op) + op.parameters.map({ $0.value }) {
            let key = p.location.rawValue + "\u{0}" + p.name
            if let i = positions[key] { merged[i] = p } else { positions[key] = merged.count; merged.append(p) }
        }
        let parameters = merged.compactMap { parameter($0, base: base, labels: &labels) }
        return parameters.filter { !$0.optional } + parameters.filter(\.optional)
    }

    private mutating func parameter(_ p: Parameter, base: String, labels: inout NameRegistry) -> ParameterDeclaration? {
        let location: ParameterDeclaration.Location
        switch p.location {
        case .path: location = .path
        case .query: location = .query
        case .header: location = .header
        case .cookie:
            warn("cookie parameter '\(p.name)' is not generated: set it with a ClientMiddleware", p.source)
            return nil
        }
        if location == .header, ["accept", "content-type", "authorization"].contains(p.name.lowercased()) {
            warn("header parameter '\(p.name)' is set by the client itself; not generated", p.source)
            return nil
        }
        var type = TypeRef.string
        if let schema = p.schema {
            let info = typeRef(schema, hint: base + Naming.upperCamel(p.name))
            if isParameterType(info.type, location: location) {
                type = info.type
            } else {
                warn("parameter '\(p.name)' has a type that cannot be written as text in \(location.rawValue); it is taken as a String", p.source)
            }
        }
        let label = claimLabel(&labels, Naming.lowerCamel(p.name), for: "parameter '\(p.name)'", at: p.source)
        var declaration = ParameterDeclaration(label: label, name: p.name, location: location, type: type, optional: !(p.required || location == .path),
                                               isEnum: isDeclaredEnum(type), doc: Naming.docLines(p.description ?? ""))
        if case .array = type { declaration.arrayStyle = arrayStyle(p) }
        return declaration
    }

    /// How a query array is written (OpenAPI's style table): `form` and `explode: true`, and the
    /// delimited styles exploded, as `name=a&name=b` (nil); else joined by the style's delimiter.
    private mutating func arrayStyle(_ p: Parameter) -> ParameterDeclaration.ArrayStyle? {
        switch (p.effectiveStyle, p.effectiveExplode) {
        case (_, true): return nil
        case (.form, false): return .commaDelimited
        case (.spaceDelimited, false): return .spaceDelimited
        case (.pipeDelimited, false): return .pipeDelimited
        default:
            warn("query parameter '\(p.name)': style '\(p.effectiveStyle.rawValue)' does not apply to an array; it is sent as name=a&name=b", p.source)
            return nil
        }
    }

    /// The parameters of the path item an operation belongs to (looked up by path once per document).
    private mutating func pathItemParameters(_ op: SpecOperation) -> [Parameter] {
        if pathItemsByPath.isEmpty && !document.paths.isEmpty {
            for (path, item) in document.paths where pathItemsByPath[path] == nil { pathItemsByPath[path] = item.parameters.map(\.value) }
        }
        return pathItemsByPath[op.path] ?? []
    }

    /// Types the runtime writes as parameter text: its `ParameterValue` types
    /// (`BuiltinType.parameterValues`) and generated string enums (its `RawRepresentable`
    /// overloads); in a query, arrays of those too (`arrayStyle`).
    func isParameterType(_ type: TypeRef, location: ParameterDeclaration.Location) -> Bool {
        switch type {
        case let .builtin(builtin): return BuiltinType.parameterValues.contains(builtin)
        case .declared: return isDeclaredEnum(type)
        case let .array(element):
            if case .array = element { return false }
            return location == .query && isParameterType(element, location: location)
        case .custom, .dictionary: return false
        }
    }
}
