/// Reading JSON Schemas (OpenAPI 3.0's dialect and 3.1's JSON Schema 2020-12).
extension DocumentReader {
    /// The schema written at `n`, read once however many places use it.
    func schema(_ n: NodeRef) -> SchemaID {
        if let id = schemas.id(at: n) { return id }
        let id = SchemaID(Int32(schemas.all.count))
        schemas.all.append(JSONSchema(source: n))
        schemas.setID(id, at: n, nodeCount: tree(n).nodeCount)
        readSchemaBody(n, id: id)
        return id
    }

    /// Reads the schema at `n` into `schemas.all[id]`, its placeholder until then.
    private func readSchemaBody(_ n: NodeRef, id: SchemaID) {
        var s = JSONSchema(source: n)
        // Swapped in, not returned and assigned: `s` is captured by the closures below, so
        // returning it would copy the large value (and destroy two), once per schema.
        defer { swap(&s, &schemas.all[Int(id.index)]) }
        let t = tree(n)
        if t.scalarTag(n.node) == .bool {
            s.booleanSchema = t.scalar(n.node)!.first == "t"
            if !is31 { error("a schema must be a mapping in OpenAPI 3.0 (boolean schemas are 3.1)", n) }
            return
        }
        var nullableNode: NodeRef?
        let keywords = schemaKeywords(inFile: n.file)
        let ext = object(n, "a Schema object", nullIsRead: Self.schemaFieldsReadWhenNull) { key, keyIndex, v in
            switch keywords[Int(keyIndex)] {
            case .ref:
                if let text = string(v, key) {
                    s.ref = SchemaReference(ref: text, target: nil)
                    pendingSchemaRefs.append((id, v, text))
                }
            case .type: s.types = readTypes(v)
            case .nullable:
                s.nullable = bool(v, key) ?? false
                s.usesNullableKeyword = true
                nullableNode = v
            case .format: s.format = string(v, key)
            case .title: s.title = string(v, key)
            case .description: s.description = string(v, key)
            case .deprecated: s.deprecated = bool(v, key) ?? false
            case .readOnly: s.readOnly = bool(v, key) ?? false
            case .writeOnly: s.writeOnly = bool(v, key) ?? false
            // Data, never schemas.
            case .`enum`:
                if t.isSequence(v.node) {
                    s.enumValues = t.items(v.node).map { child(n, $0) }
                    if s.enumValues!.isEmpty { warning("'enum' is empty: no value can match", v) }
                } else {
                    error("'enum' must be a sequence, found \(describe(v))", v)
                }
            case .const: s.constValue = v
            case .default: s.defaultValue = v
            case .example: s.example = v
            case .examples:
                if t.isSequence(v.node) {
                    s.examples = t.items(v.node).map { child(n, $0) }
                } else {
                    warning("a schema's 'examples' must be a sequence of values, found \(describe(v)); kept as a single example", v)
                    s.examples = [v]
                }
            // Subschemas.
            case .allOf: s.allOf = schemaList(v, key)
            case .oneOf: s.oneOf = schemaList(v, key)
            case .anyOf: s.anyOf = schemaList(v, key)
            case .not: s.not = schema(v)
            case .`if`: s.ifSchema = schema(v)
            case .then: s.thenSchema = schema(v)
            case .`else`: s.elseSchema = schema(v)
            case .discriminator: s.discriminator = readDiscriminator(v, schema: id)
            case .properties: s.properties = schemaMap(v, "properties")
            case .required:
                if t.isSequence(v.node) {
                    s.required = stringList(v, key) ?? []
                } else if t.scalarTag(v.node) == .bool {
                    // Swagger 2's and JSON Schema draft 3's habit; swagger-parser ignores it too.
                    lenient("'required: \(t.scalar(v.node) ?? "")' in a schema is the draft 3 form (JSON Schema lists required properties in the parent's 'required'); ignored", v)
                } else {
                    error("'required' in a schema must be a sequence of property names, found \(describe(v))", v)
                }
            case .additionalProperties:
                if t.scalarTag(v.node) == .bool {
                    s.additionalProperties = .allowed(bool(v, key)!)
                } else {
                    s.additionalProperties = .schema(schema(v))
                }
            case .patternProperties: s.patternProperties = schemaMap(v, "patternProperties")
            case .propertyNames: s.propertyNames = schema(v)
            case .minProperties: s.minProperties = nonNegative(v, key)
            case .maxProperties: s.maxProperties = nonNegative(v, key)
            case .definitions, .defs: s.definitions.entries += schemaMap(v, key).entries
            case .items:
                if t.isSequence(v.node) {
                    // Draft 4-7 tuple form; 2020-12 calls it prefixItems.
                    warning("'items' as a sequence is the old tuple form; read as 'prefixItems'", v)
                    s.prefixItems = schemaList(v, key)
                } else {
                    s.items = schema(v)
                }
            case .prefixItems: s.prefixItems = schemaList(v, key)
            case .contains: s.contains = schema(v)
            case .minItems: s.minItems = nonNegative(v, key)
            case .maxItems: s.maxItems = nonNegative(v, key)
            case .uniqueItems: s.uniqueItems = bool(v, key) ?? false
            case .minimum: s.minimum = number(v, key)
            case .maximum: s.maximum = number(v, key)
            case .exclusiveMinimum: s.exclusiveMinimum = exclusiveBound(v, key)
            case .exclusiveMaximum: s.exclusiveMaximum = exclusiveBound(v, key)
            case .multipleOf: s.multipleOf = number(v, key)
            case .minLength: s.minLength = nonNegative(v, key)
            case .maxLength: s.maxLength = nonNegative(v, key)
            case .pattern: s.pattern = string(v, key)
            default:
                if !key.hasPrefix("x-") {
                    // Other JSON Schema keywords ($id, $comment, contentMediaType, ...) are kept as written.
                    s.otherKeywords.append(key, v)
                    return true
                }
                return false
            }
            return true
        }
        s.extensions = ext ?? []

        if s.usesNullableKeyword, is31, let nullableNode {
            lenient("'nullable' is an OpenAPI 3.0 keyword, not part of 3.1's JSON Schema; read as type [..., \"null\"]; write `type: [T, \"null\"]` instead", nullableNode)
        }
        if s.types?.contains(.null) == true { s.nullable = true }
        if let min = s.minLength, let max = s.maxLength, min > max {
            error("minLength \(min) is greater than maxLength \(max)", n)
        }
        if let min = s.minItems, let max = s.maxItems, min > max {
            error("minItems \(min) is greater than maxItems \(max)", n)
        }
        if !s.properties.isEmpty && s.allOf.isEmpty && s.additionalProperties == nil {
            let names = Set(s.properties.keys)
            for name in s.required where !names.contains(name) {
                warning("'\(name)' is required but not among the schema's properties", n)
            }
        }
    }

    /// The schema keyword each scalar index of the file spells (nil: none), built once per file:
    /// each mapping entry is then one array load, not a chain of string comparisons.
    func schemaKeywords(inFile file: Int32) -> [SchemaKeyword?] {
        while schemaKeywordTables.count <= Int(file) { schemaKeywordTables.append([]) }
        let t = files[Int(file)].tree
        if schemaKeywordTables[Int(file)].count != t.distinctScalarCount {
            var table = [SchemaKeyword?](repeating: nil, count: t.distinctScalarCount)
            for keyword in SchemaKeyword.allCases {
                if let index = t.scalarIndex(of: keyword.rawValue) { table[Int(index)] = keyword }
            }
            schemaKeywordTables[Int(file)] = table
        }
        return schemaKeywordTables[Int(file)]
    }

    /// `type: null` is read by `readTypes` (3.1's null type, or a lenient reading).
    static let schemaFieldsReadWhenNull: Set<String> = ["type"]

    private func readTypes(_ v: NodeRef) -> JSONTypeSet? {
        let t = tree(v)
        if t.isSequence(v.node) {
            if !is31 { warning("'type' as a sequence is OpenAPI 3.1; read anyway", v) }
            var set: JSONTypeSet = []
            for item in t.items(v.node) {
                let n = child(v, item)
                if t.scalarTag(n.node) == .null {
                    // `type: [string, null]`: OpenAPIKit and Redocly take it for the type name.
                    lenient("'type' lists YAML's null (unquoted null or ~), not the type name \"null\"; read as \"null\"", n)
                    set.insert(.null)
                    continue
                }
                guard let name = string(n, "type") else { continue }
                guard let type = JSONTypeSet(name: name) else {
                    error("unknown type '\(name)'; expected one of null, boolean, object, array, number, string, integer", n)
                    continue
                }
                set.insert(type)
            }
            return set
        }
        if t.scalarTag(v.node) == .null {
            if is31, t.scalar(v.node)?.isEmpty == false {
                lenient("'type: null' unquoted is YAML's null, not the type name \"null\"; read as \"null\"", v)
                return .null
            }
            lenient("'type' has no value (YAML null); read as if it were absent", v)
            return nil
        }
        guard let name = string(v, "type") else { return nil }
        guard let type = JSONTypeSet(name: name) else {
            error("unknown type '\(name)'; expected one of null, boolean, object, array, number, string, integer", v)
            return nil
        }
        if type == .null && !is31 { error("'type: null' is not OpenAPI 3.0; use 'nullable: true'", v) }
        return type
    }

    private func schemaList(_ v: NodeRef, _ key: String) -> [SchemaID] {
        let t = tree(v)
        guard t.isSequence(v.node) else {
            error("'\(key)' must be a sequence of schemas, found \(describe(v))", v)
            return []
        }
        if t.count(v.node) == 0 { warning("'\(key)' is empty", v) }
        return t.items(v.node).map { schema(child(v, $0)) }
    }

    private func schemaMap(_ v: NodeRef, _ key: String) -> OrderedEntries<SchemaID> {
        // Keys here are names, so a property literally called `type` or `additionalProperties` is a property.
        map(v, "'\(key)'") { _, s in schema(s) }
    }

    private func nonNegative(_ v: NodeRef, _ key: String) -> Int? {
        guard let value = int(v, key) else { return nil }
        if value < 0 {
            error("'\(key)' must not be negative", v)
            return nil
        }
        return value
    }

    /// 3.0 writes `exclusiveMinimum: true` beside `minimum`; 3.1 writes the bound itself. Either
    /// form in the other version is unambiguous, so it is read as written, with a warning.
    private func exclusiveBound(_ v: NodeRef, _ key: String) -> ExclusiveBound? {
        let bound = key == "exclusiveMinimum" ? "minimum" : "maximum"
        if tree(v).scalarTag(v.node) == .bool {
            let flag = bool(v, key)!
            if is31 {
                lenient("'\(key): \(flag)' is the OpenAPI 3.0 form (3.1 writes the bound itself); read as '\(bound)' being \(flag ? "exclusive" : "inclusive")", v)
            }
            return .flag(flag)
        }
        guard let value = number(v, key) else { return nil }
        if !is31 {
            lenient("a number in '\(key)' is the OpenAPI 3.1 form (3.0 writes a boolean beside '\(bound)'); read as an exclusive \(bound)", v)
        }
        return .value(value)
    }

    private func readDiscriminator(_ v: NodeRef, schema: SchemaID) -> Discriminator? {
        var propertyName: String?
        var mapping = OrderedEntries<DiscriminatorTarget>()
        guard let ext = object(v, "a Discriminator object", { key, value in
            switch key {
            case "propertyName": propertyName = string(value, key)
            case "mapping":
                var position = 0
                mapping = map(value, "the discriminator mapping") { name, target in
                    guard let ref = string(target, "mapping value") else { return nil }
                    pendingDiscriminators.append((schema, position, target))
                    position += 1
                    return DiscriminatorTarget(ref: ref, schema: nil)
                }
            default: return false
            }
            return true
        }) else { return nil }
        guard requireValid(propertyName, "propertyName", in: "a Discriminator object", v) else { return nil }
        return Discriminator(propertyName: propertyName!, mapping: mapping, extensions: ext)
    }

    /// Resolves queued schema `$ref`s (reading their targets, which may queue more), then
    /// discriminator mappings, then reports chains of `$ref` that loop without reaching a schema.
    func resolvePendingSchemaReferences() {
        while let pending = pendingSchemaRefs.popLast() {
            guard let target = resolveReference(pending.ref, at: pending.refNode) else { continue }
            let targetID = schema(target)
            schemas.all[Int(pending.schema.index)].ref?.target = targetID
        }
        for pending in pendingDiscriminators {
            guard var discriminator = schemas.all[Int(pending.schema.index)].discriminator,
                  discriminator.mapping.entries.indices.contains(pending.index) else { continue }
            let index = pending.index
            let text = discriminator.mapping.entries[index].value.ref
            // A bare name means a component schema.
            let ref = text.contains("#") || text.contains("/") || text.hasSuffix(".yaml") || text.hasSuffix(".json") ? text : "#/components/schemas/\(text)"
            guard let target = resolveReference(ref, at: pending.refNode) else { continue }
            discriminator.mapping.entries[index].value.schema = schema(target)
            schemas.all[Int(pending.schema.index)].discriminator = discriminator
        }
        // Reading the discriminator targets may have queued more references.
        while let pending = pendingSchemaRefs.popLast() {
            guard let target = resolveReference(pending.ref, at: pending.refNode) else { continue }
            schemas.all[Int(pending.schema.index)].ref?.target = schema(target)
        }
        reportReferenceLoops()
    }

    private func reportReferenceLoops() {
        // Each schema's `$ref` target (-1: none), read once without copying the (large) schemas.
        let targets = schemas.all.withUnsafeBufferPointer { all in all.map { $0.ref?.target?.index ?? -1 } }
        // 0 = unvisited, 1 = on the current chain, 2 = done.
        var state = [UInt8](repeating: 0, count: targets.count)
        var chain: [Int] = []
        for start in targets.indices where state[start] == 0 && targets[start] >= 0 {
            chain.removeAll(keepingCapacity: true)
            var current = start
            var reachedSchema = false
            while state[current] == 0 {
                state[current] = 1
                chain.append(current)
                let next = targets[current]
                guard next >= 0 else { reachedSchema = true; break }
                current = Int(next)
            }
            if !reachedSchema && state[current] == 1 {
                // `current` is on this chain: everything from it on is a loop.
                let loop = chain[chain.firstIndex(of: current)!...]
                let refs = loop.map { schemas.all[$0].ref!.ref }
                let first = schemas.all[current]
                let refNode = tree(first.source).value(first.source.node, forKey: "$ref").map { child(first.source, $0) } ?? first.source
                error("$ref loop that never reaches a schema: " + (refs + [refs[0]]).joined(separator: " -> "), refNode)
            }
            for i in chain { state[i] = 2 }
        }
    }
}

/// The keywords `readSchemaBody` reads, by their text (`x-` and other keys are not among them).
enum SchemaKeyword: String, CaseIterable {
    case ref = "$ref"
    case type
    case nullable
    case format
    case title
    case description
    case deprecated
    case readOnly
    case writeOnly
    case `enum`
    case const
    case `default`
    case example
    case examples
    case allOf
    case oneOf
    case anyOf
    case not
    case `if`
    case then
    case `else`
    case discriminator
    case properties
    case required
    case additionalProperties
    case patternProperties
    case propertyNames
    case minProperties
    case maxProperties
    case definitions
    case defs = "$defs"
    case items
    case prefixItems
    case contains
    case minItems
    case maxItems
    case uniqueItems
    case minimum
    case maximum
    case exclusiveMinimum
    case exclusiveMaximum
    case multipleOf
    case minLength
    case maxLength
    case pattern
}
