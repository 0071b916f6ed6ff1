import OpenAPIDocument

/// Stage 4: resolved document -> `SDKModel` (names, Swift types, doc comments).
///
/// Types are declared once per schema (`SchemaID`), however many places use them.
/// Names come from where a schema is written: a component's name, a definition's
/// name, or the owning type plus the property. Traversal order is the document's
/// order, so the same input always gives byte-identical output.
public struct ModelTranslator {
    let document: OpenAPIDocument
    /// `document.schemas.all`, read by id through `[JSONSchema].subscript(id:)` (below).
    let schemas: [JSONSchema]
    /// `document.operations`, collected once: the document computes it anew on every read
    /// (a flatMap over all paths), and translation walks it four times.
    let operations: [SpecOperation]
    let config: GeneratorConfig
    /// Answers worked out once per schema (`shape`), kept by reference so that the non-mutating
    /// readers can fill it.
    private let memo: Memo
    var diagnostics: [Diagnostic] = []

    private var names: NameRegistry
    private var declaredNames: [SchemaID: SwiftName] = [:]
    /// Array and map schemas that contain themselves (`Tree: {items: {$ref: Tree}}`): a Swift
    /// type alias cannot be recursive, so each becomes a wrapper struct with this name.
    private var wrapperNames: [SchemaID: SwiftName] = [:]
    /// Array and map schemas whose Swift type is being worked out (to see them recur).
    private var resolving: Set<SchemaID> = []
    /// How deep `typeRef` calls nest (array of map of array ... through `$ref`s).
    private var typeDepth = 0
    static let maxTypeDepth = 500
    /// Path-level parameters by path.
    var pathItemsByPath: [String: [Parameter]] = [:]
    /// Names of the string enums declared (or queued), for parameters written through `rawValue`.
    private var enumNames: Set<SwiftName> = []
    /// Declarations by name, once all are built (for pagination).
    private var declarationIndex: [SwiftName: Int] = [:]
    /// Whether some property is stored in an `Indirect` box (the models then declare it).
    private var usesIndirectBox = false
    private var declarations: [TypeDeclaration] = []
    private var overrides: [SchemaID: String] = [:]
    /// Named schemas waiting for their declaration to be built (named first, so a recursive schema can refer to itself).
    private var queue: [(SchemaID, SwiftName)] = []
    /// The vendor extensions the generator reads, as typed values (`VendorExtensions`).
    var extensions = VendorExtensions()

    public init(document: OpenAPIDocument, config: GeneratorConfig) {
        self.document = document
        schemas = document.schemas.all
        operations = document.operations
        memo = Memo(schemaCount: schemas.count)
        self.config = config
        names = NameRegistry(reserved: Naming.reservedTypeNames.union(Naming.keywords).union(Naming.moduleTypeNames(config.module)))
    }

    public static func translate(_ document: OpenAPIDocument, config: GeneratorConfig) -> (SDKModel, [Diagnostic]) {
        var translator = ModelTranslator(document: document, config: config)
        let model = translator.run()
        return (model, translator.diagnostics)
    }

    mutating func run() -> SDKModel {
        warnAboutHiddenCharacters()
        let (extensions, extensionDiagnostics) = VendorExtensions.read(document, operations: operations)
        self.extensions = extensions
        diagnostics += extensionDiagnostics
        for (pointer, swiftType) in config.typeOverrides.sorted(by: { $0.key < $1.key }) {
            guard let node = document.node(atPointer: pointer), let id = document.schemas.id(at: node) else {
                diagnostics.append(Diagnostic(.error, "type override: no schema at '\(pointer)' in \(document.files[0].path)",
                                              at: config.sourceLocation(of: "/typeOverrides/" + LocatedJSON.escape(pointer))))
                continue
            }
            overrides[id] = swiftType
        }
        // By the pointer of each schema (a component's name, else where the schema is written),
        // worked out once per node: shared responses and bodies are met once per operation.
        var schemaTypes: [(String, TypeRef)] = []
        var pointers: [NodeRef: String] = [:]
        func schemaPointer(_ id: SchemaID) -> String {
            let source = schemas[id].source
            if let known = pointers[source] { return known }
            let text = pointer(of: id)
            pointers[source] = text
            return text
        }
        // Component schemas first, in written order: they claim their own names.
        for (name, id) in document.components.schemas {
            if needsDeclaration(id) { _ = declare(id, preferredName: Naming.upperCamel(name)) }
        }
        // A component that is a `$ref` to a schema of its own file names it (over the file's name).
        for (name, id) in document.components.schemas where schemas[id].ref != nil {
            let target = schemas.resolved(id)
            if declaredNames[target] == nil, needsDeclaration(target), fileName(target) != nil { _ = declare(target, preferredName: Naming.upperCamel(name)) }
        }
        for (name, id) in document.components.schemas {
            schemaTypes.append(("#/components/schemas/\(JSONPointer.escape(name))", typeRef(id, hint: Naming.upperCamel(name)).type))
        }
        // Webhook payloads and operation bodies written inline.
        for (name, item) in document.webhooks {
            for op in item.operations {
                if let body = op.requestBody?.value, let schema = body.content.entries.first?.value.schema {
                    let type = typeRef(schema, hint: Naming.upperCamel(name) + "Payload").type
                    schemaTypes.append((schemaPointer(schema), type))
                }
            }
        }
        for op in operations {
            let base = Naming.upperCamel(op.operationId ?? "\(op.method.rawValue) \(op.path)")
            if let body = op.requestBody?.value {
                for (_, media) in body.content.entries { if let s = media.schema { schemaTypes.append((schemaPointer(s), typeRef(s, hint: base + "Request").type)) } }
            }
            for (code, response) in op.responses {
                for (_, media) in response.value.content.entries {
                    if let s = media.schema {
                        schemaTypes.append((schemaPointer(s), typeRef(s, hint: base + (code.hasPrefix("2") ? "Response" : "Error")).type))
                    }
                }
            }
        }
        var client = translateClient()
        drainQueue()
        // Every declaration's name was claimed from `names`: one index serves the cycle check and pagination.
        declarationIndex.reserveCapacity(declarations.count)
        for (i, d) in declarations.enumerated() where declarationIndex[d.name] == nil { declarationIndex[d.name] = i }
        breakContainmentCycles()
        addPagination(&client)
        var seen = Set<String>()
        let uniqueSchemaTypes = schemaTypes.filter { seen.insert($0.0).inserted }
        return SDKModel(moduleName: config.module, title: document.info.title, types: declarations, declaresIndirectBox: usesIndirectBox,
                        schemaTypes: uniqueSchemaTypes.map { (pointer: $0.0, type: $0.1) }, client: client)
    }

    private func pointer(of id: SchemaID) -> String {
        "#" + jsonPointer(of: schemas[id].source)
    }

    /// `document.location(of:).pointer` without the rest of a location (the file's path, line and
    /// column), its keys escaped on bytes where they are ASCII (`JSONPointer.escape` reads
    /// `Character`s: path keys, full of `/`, showed in profiles). A node in a sequence, or under a
    /// key that is no scalar, is left to `YAMLTree.pointer`.
    private func jsonPointer(of node: NodeRef) -> String {
        let tree = document.files[Int(node.file)].tree
        var components: [String] = []
        var current = node.node
        while let parent = tree.parent(current) {
            guard let key = tree.key(ofValue: current), let text = tree.scalar(key) else { return tree.pointer(node.node) }
            components.append(Self.escapedPointerComponent(text))
            current = parent
        }
        return components.isEmpty ? "" : "/" + components.reversed().joined(separator: "/")
    }

    /// The keys from the root down to a node, as written (not escaped): `jsonPointer` without
    /// escaping, joining and splitting again, for readers that want the keys. Nil when the node
    /// or an ancestor is no mapping value under a scalar key (in a sequence).
    private func keyPath(of node: NodeRef) -> [String]? {
        let tree = document.files[Int(node.file)].tree
        var keys: [String] = []
        var current = node.node
        while let parent = tree.parent(current) {
            guard let key = tree.key(ofValue: current), let text = tree.scalar(key) else { return nil }
            keys.append(text)
            current = parent
        }
        return keys.reversed()
    }

    /// `JSONPointer.escape`, on bytes for ASCII text (where every `Character` but CR LF is one byte).
    static func escapedPointerComponent(_ text: String) -> String {
        guard Naming.isASCII(text) else { return JSONPointer.escape(text) }
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "~"): out += [UInt8(ascii: "~"), UInt8(ascii: "0")]
            case UInt8(ascii: "/"): out += [UInt8(ascii: "~"), UInt8(ascii: "1")]
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Types

    /// Whether a schema becomes a named declaration (struct, enum or one-of).
    private func needsDeclaration(_ id: SchemaID) -> Bool {
        if overrides[id] != nil { return false }
        if schemas[id].ref != nil { return false }
        return shape(id) != nil
    }

    enum Shape: UInt8 { case object, stringEnum, oneOf, mergedAllOf }

    /// What a schema declares, worked out once per schema (`memo`): asked several times each.
    func shape(_ id: SchemaID) -> Shape? {
        let known = memo.shapes[Int(id.index)]
        if known != Memo.unknownShape { return Shape(rawValue: known) }
        let shape = workOutShape(id)
        memo.shapes[Int(id.index)] = shape?.rawValue ?? Memo.noShape
        return shape
    }

    /// Schemas are read field by field (`schemas[id].oneOf`) here and below, never bound or passed
    /// whole: a `JSONSchema` value is a copy of about twenty reference-counted fields.
    private func workOutShape(_ id: SchemaID) -> Shape? {
        if let values = schemas[id].enumValues, !values.isEmpty, values.allSatisfy({ isStringOrNull($0) }),
           schemas[id].types.map({ $0.subtracting(.null) == .string || $0.subtracting(.null).isEmpty }) ?? true {
            return .stringEnum
        }
        if !schemas[id].oneOf.isEmpty || !schemas[id].anyOf.isEmpty {
            return nullableWrapper(id) == nil ? .oneOf : nil
        }
        if !schemas[id].allOf.isEmpty {
            return singleStructuralMember(id) == nil ? .mergedAllOf : nil
        }
        if !schemas[id].properties.isEmpty { return .object }
        return nil
    }

    private func isStringOrNull(_ ref: NodeRef) -> Bool {
        switch document.value(of: ref) {
        case .string, .null: return true
        default: return false
        }
    }

    /// `anyOf/oneOf: [X, {type: null}]` is just a nullable X.
    private func nullableWrapper(_ id: SchemaID) -> SchemaID? {
        let members = schemas[id].oneOf.isEmpty ? schemas[id].anyOf : schemas[id].oneOf
        let nonNull = members.filter { schemas[schemas.resolved($0)].types != .null }
        return members.count == 2 && nonNull.count == 1 ? nonNull[0] : nil
    }

    /// The keywords that give a schema structure (anything beyond annotations).
    private func isAnnotationOnly(_ id: SchemaID) -> Bool {
        schemas[id].ref == nil && schemas[id].types.map { $0.subtracting(.null).isEmpty } ?? true && schemas[id].properties.isEmpty
            && schemas[id].allOf.isEmpty && schemas[id].oneOf.isEmpty && schemas[id].anyOf.isEmpty && schemas[id].items == nil
            && schemas[id].enumValues == nil && schemas[id].additionalProperties == nil && schemas[id].format == nil
            && schemas[id].constValue == nil
    }

    /// An `allOf` that only adds a description or nullability to one schema is that schema.
    private func singleStructuralMember(_ id: SchemaID) -> SchemaID? {
        let structural = schemas[id].allOf.filter { !isAnnotationOnly($0) }
        guard structural.count == 1, schemas[id].properties.isEmpty else { return nil }
        return structural[0]
    }

    struct TypeInfo {
        var type: TypeRef
        var nullable: Bool
    }

    /// The Swift type for a schema; declares named types on first use. `hint` (the name for an
    /// inline schema) is worked out only when a new type is named: most schemas are primitives or
    /// declared already. Schema fields are read through the table's borrowing subscript, never by
    /// copying a whole `JSONSchema` (about twenty reference-counted fields) per call.
    mutating func typeRef(_ id: SchemaID, hint: @autoclosure () -> String) -> TypeInfo {
        var current = id
        var nullable = schemas[id].nullable
        // Schemas passed through by `allOf`/`anyOf` wrapping (not `$ref`): a wrapper written as a
        // definition (`taxRateMappingOption: {allOf: [{...}]}`) lends its name to the inline schema inside.
        var wrappers: [SchemaID] = []
        // Follow references and annotation-only wrappers, collecting nullability.
        var steps = 0
        while steps < 1000 {
            steps += 1
            if let name = overrides[current] { return TypeInfo(type: overrideType(name), nullable: nullable) }
            if let target = schemas[current].ref?.target {
                current = target
            } else if schemas[current].ref == nil, let member = singleStructuralMember(current), shape(current) == nil {
                for m in schemas[current].allOf where isAnnotationOnly(m) { nullable = nullable || schemas[m].nullable }
                wrappers.append(current)
                current = member
            } else if schemas[current].ref == nil, !schemas[current].oneOf.isEmpty || !schemas[current].anyOf.isEmpty,
                      let inner = nullableWrapper(current) {
                nullable = true
                wrappers.append(current)
                current = inner
            } else {
                break
            }
            nullable = nullable || schemas[current].nullable
        }
        if let name = overrides[current] { return TypeInfo(type: overrideType(name), nullable: nullable) }
        if schemas[current].ref != nil { return TypeInfo(type: .jsonValue, nullable: nullable) } // unresolved (already an error)

        if shape(current) != nil {
            let name = declaredNames[current] ?? declare(current, preferredName: preferredName(current, wrappers: wrappers, hint: hint()))
            return TypeInfo(type: .declared(name), nullable: nullable)
        }
        if let b = schemas[current].booleanSchema { return TypeInfo(type: .jsonValue, nullable: nullable || b) }
        if let wrapper = wrapperNames[current] { return TypeInfo(type: .declared(wrapper), nullable: nullable) }
        if resolving.contains(current) {
            // The array or map contains itself: it becomes a named wrapper, finished below when
            // the outer call for it returns.
            let name = SwiftName(names.claim(preferredName(current, wrappers: wrappers, hint: hint())))
            wrapperNames[current] = name
            return TypeInfo(type: .declared(name), nullable: nullable)
        }
        if typeDepth >= Self.maxTypeDepth {
            diagnostics.append(Diagnostic(.error, "types nest more than \(Self.maxTypeDepth) levels deep here (arrays and maps through $refs)",
                                          at: document.location(of: schemas[current].source)))
            return TypeInfo(type: .jsonValue, nullable: nullable)
        }
        resolving.insert(current)
        typeDepth += 1
        let info = structuralType(current, hint: hint(), nullable: nullable)
        typeDepth -= 1
        resolving.remove(current)
        if let wrapper = wrapperNames[current] {
            declarations.append(.wrapper(WrapperDeclaration(name: wrapper, doc: docComment(current), deprecated: schemas[current].deprecated,
                                                            value: info.type)))
            return TypeInfo(type: .declared(wrapper), nullable: nullable)
        }
        return info
    }

    /// A `typeOverrides` type: one the generator knows (`DateTime`) is that type, so that it is
    /// treated as such (a parameter, a page number); any other is written as given.
    private func overrideType(_ name: String) -> TypeRef {
        BuiltinType(rawValue: name).map(TypeRef.builtin) ?? .custom(name)
    }

    /// The Swift type of a schema that is no named declaration: a primitive, an array or a map.
    private mutating func structuralType(_ id: SchemaID, hint: @autoclosure () -> String, nullable: Bool) -> TypeInfo {
        let types = schemas[id].types?.subtracting(.null) ?? []
        if types.isEmpty {
            if !schemas[id].properties.isEmpty || schemas[id].additionalProperties != nil {
                return objectType(schemas[id].additionalProperties, hint: hint(), nullable: nullable)
            }
            if let items = schemas[id].items { return arrayType(items, hint: hint(), nullable: nullable) }
            if let values = schemas[id].enumValues, !values.isEmpty, values.allSatisfy({ isStringOrNull($0) }) {
                return TypeInfo(type: .string, nullable: nullable)
            }
            return TypeInfo(type: .jsonValue, nullable: nullable)
        }
        if types.rawValue.nonzeroBitCount > 1 {
            if types == [.integer, .number] { return TypeInfo(type: .builtin(numberType(schemas[id].format)), nullable: nullable) }
            warn("a schema with several types (\(types)) has no single Swift type; it becomes JSONValue", schemas[id].source)
            return TypeInfo(type: .jsonValue, nullable: nullable)
        }
        switch types {
        case .string: return TypeInfo(type: .builtin(stringType(schemas[id].format)), nullable: nullable)
        case .integer:
            switch schemas[id].format {
            case "int32": return TypeInfo(type: .builtin(.int32), nullable: nullable)
            case "int64": return TypeInfo(type: .builtin(.int64), nullable: nullable)
            default: return TypeInfo(type: .builtin(.int), nullable: nullable)
            }
        case .number: return TypeInfo(type: .builtin(numberType(schemas[id].format)), nullable: nullable)
        case .boolean: return TypeInfo(type: .builtin(.bool), nullable: nullable)
        case .array: return arrayType(schemas[id].items, hint: hint(), nullable: nullable)
        case .object: return objectType(schemas[id].additionalProperties, hint: hint(), nullable: nullable)
        default: return TypeInfo(type: .jsonValue, nullable: nullable)
        }
    }

    private func numberType(_ format: String?) -> BuiltinType {
        switch format {
        case "decimal": return .decimal
        case "float": return .float
        default: return .double
        }
    }

    /// date-time and date: `DateTime` (tolerant, keeps the text); uuid, uri, byte and binary
    /// stay `String` inside JSON (exact round trip of ids and links; JSON cannot carry raw bytes).
    private func stringType(_ format: String?) -> BuiltinType {
        switch format {
        case "date-time", "date": return .dateTime
        default: return .string
        }
    }

    private mutating func arrayType(_ items: SchemaID?, hint: @autoclosure () -> String, nullable: Bool) -> TypeInfo {
        guard let items else { return TypeInfo(type: .array(.jsonValue), nullable: nullable) }
        let element = typeRef(items, hint: hint() + "Item")
        return TypeInfo(type: .array(element.type), nullable: nullable)
    }

    private mutating func objectType(_ additionalProperties: AdditionalProperties?, hint: @autoclosure () -> String, nullable: Bool) -> TypeInfo {
        switch additionalProperties {
        case let .schema(valueSchema):
            return TypeInfo(type: .dictionary(typeRef(valueSchema, hint: hint() + "Value").type), nullable: nullable)
        default:
            return TypeInfo(type: .dictionary(.jsonValue), nullable: nullable)
        }
    }

    // MARK: Names

    /// Definitions keep their own name (`supplierStatus` -> `SupplierStatus`); inline schemas
    /// are named after their owner and place (`Bill` + `lineItems` -> `BillLineItems`).
    private func preferredName(_ id: SchemaID, wrappers: [SchemaID], hint: String) -> String {
        for candidate in [id] + wrappers.reversed() {
            if let name = placeName(candidate) { return name }
        }
        return hint
    }

    /// The name of a schema written as a component or a definition, or in a file of its own
    /// (`fileName`); nil for inline schemas.
    private func placeName(_ id: SchemaID) -> String? {
        let source = schemas[id].source
        let parts = keyPath(of: source) ?? jsonPointer(of: source).split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { unescape(String($0)) }
        if parts.count >= 3, parts[0] == "components", parts[1] == "schemas" {
            if parts.count == 3 { return Naming.upperCamel(parts[2]) }
            if parts.count >= 2, parts[parts.count - 2] == "definitions" || parts[parts.count - 2] == "$defs" {
                return Naming.upperCamel(parts[parts.count - 1])
            }
        }
        return fileName(id)
    }

    /// A schema at the root of a file other than the document's (`$ref: ./schemas/Pet.yaml`) is
    /// named after the file (`Pet`); one at the top of such a file (`models/vpc.yml#/vpc`) after
    /// its key (`Vpc`). Nil for any other schema.
    private func fileName(_ id: SchemaID) -> String? {
        let source = schemas[id].source
        guard source.file != 0 else { return nil }
        let pointer = document.location(of: source).pointer
        let parts = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let name: String
        switch parts.count {
        case 0:
            let file = document.files[Int(source.file)].path.split(separator: "/").last.map(String.init) ?? ""
            name = file.lastIndex(of: ".").map { String(file[..<$0]) } ?? file
        case 1: name = unescape(String(parts[parts.startIndex]))
        default: return nil
        }
        let swiftName = Naming.upperCamel(name)
        return swiftName.isEmpty ? nil : swiftName
    }

    private func unescape(_ component: String) -> String {
        guard component.utf8.contains(UInt8(ascii: "~")) else { return component }
        return component.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    // MARK: Declarations

    private mutating func declare(_ id: SchemaID, preferredName: String) -> SwiftName {
        if let name = declaredNames[id] { return name }
        let claimed = names.claim(preferredName)
        let name = SwiftName(claimed)
        if shape(id) == .stringEnum { enumNames.insert(name) }
        if claimed != preferredName, names.isReserved(preferredName) {
            warn("the type name '\(preferredName)' is taken by Swift, the runtime or the module's own declarations; this schema's type is '\(claimed)'",
                 schemas[id].source)
        }
        declaredNames[id] = name
        queue.append((id, name))
        return name
    }

    /// Builds queued declarations; building one may queue more (its nested types).
    private mutating func drainQueue() {
        var index = 0
        while index < queue.count {
            let (id, name) = queue[index]
            index += 1
            if let declaration = buildDeclaration(id, name: name) { declarations.append(declaration) }
        }
    }

    private mutating func buildDeclaration(_ id: SchemaID, name: SwiftName) -> TypeDeclaration? {
        let doc = docComment(id)
        switch shape(id) {
        case .stringEnum:
            var caseNames = NameRegistry(reserved: Naming.enumMembers, capacity: schemas[id].enumValues?.count ?? 0)
            var cases: [EnumCase] = []
            var seenValues = Set<String>()
            for value in schemas[id].enumValues ?? [] {
                guard case let .string(text) = document.value(of: value), seenValues.insert(text).inserted else { continue }
                let caseName = Naming.lowerCamel(text.isEmpty ? "empty" : text)
                let claimed = caseNames.claim(caseName)
                if claimed != caseName, caseNames.isReserved(caseName) {
                    warn("enum value '\(text)' would be the case '\(caseName)', a member every generated enum has; the case is '\(claimed)'", value)
                }
                cases.append(EnumCase(name: SwiftName(claimed), rawValue: text))
            }
            return .enumeration(EnumDeclaration(name: name, doc: doc, deprecated: schemas[id].deprecated, cases: cases))
        case .object, .mergedAllOf:
            let properties = properties(of: id, owner: name)
            return .structure(StructDeclaration(name: name, doc: doc, deprecated: schemas[id].deprecated, properties: properties,
                                                additionalProperties: additionalProperties(of: id, owner: name, besides: properties)))
        case .oneOf:
            return .oneOf(oneOfDeclaration(id, name: name, doc: doc))
        case nil:
            return nil
        }
    }

    // MARK: Recursion

    /// A struct cannot hold itself, directly or through other structs and one-of enums, except
    /// through an array or a map. Where the declarations hold each other in a cycle, one-of enums
    /// become `indirect` and, if a cycle of structs remains, the properties along it are stored in
    /// an `Indirect` box (a private twin behind the public property, as for deprecated ones).
    private mutating func breakContainmentCycles() {
        let index = declarationIndex
        // Each declaration's edges, looked up by name once (Tarjan's algorithm asks for them more than once).
        let allEdges: [[Int]] = declarations.map {
            switch $0 {
            case let .structure(d): return d.properties.compactMap { $0.type.declaredName.flatMap { index[$0] } }
            case let .oneOf(d): return d.cases.compactMap { $0.type.declaredName.flatMap { index[$0] } }
            case .enumeration, .wrapper: return []
            }
        }
        func edges(_ i: Int, skippingOneOf: Bool) -> [Int] {
            if skippingOneOf, case .oneOf = declarations[i] { return [] }
            return allEdges[i]
        }
        let first = Self.cyclicComponents(count: declarations.count) { edges($0, skippingOneOf: false) }
        guard first.contains(where: { $0 >= 0 }) else { return }
        for i in declarations.indices where first[i] >= 0 {
            if case var .oneOf(d) = declarations[i] {
                d.indirect = true
                declarations[i] = .oneOf(d)
            }
        }
        let second = Self.cyclicComponents(count: declarations.count) { edges($0, skippingOneOf: true) }
        for i in declarations.indices where second[i] >= 0 {
            guard case var .structure(d) = declarations[i] else { continue }
            for p in d.properties.indices {
                guard let target = d.properties[p].type.declaredName.flatMap({ index[$0] }), second[target] == second[i] else { continue }
                d.properties[p].boxed = true
                d.properties[p].storageName = SwiftName("_" + d.properties[p].name.identifier)
            }
            declarations[i] = .structure(d)
        }
        usesIndirectBox = declarations.contains {
            if case let .structure(d) = $0 { return d.properties.contains { $0.boxed } } else { return false }
        }
    }

    /// For each node, the id of the strongly connected component it is in when that component
    /// has a cycle (two nodes or more, or a node with an edge to itself); -1 otherwise.
    /// Tarjan's algorithm with an explicit stack (declarations can be many and chains long).
    static func cyclicComponents(count: Int, edges: (Int) -> [Int]) -> [Int] {
        var indexOf = [Int](repeating: -1, count: count), low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count), stack: [Int] = []
        var component = [Int](repeating: -1, count: count)
        var next = 0, components = 0
        for root in 0..<count where indexOf[root] < 0 {
            var work: [(node: Int, edges: [Int], position: Int)] = [(root, edges(root), 0)]
            indexOf[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while !work.isEmpty {
                let top = work.count - 1
                let v = work[top].node
                if work[top].position < work[top].edges.count {
                    let w = work[top].edges[work[top].position]
                    work[top].position += 1
                    if indexOf[w] < 0 {
                        indexOf[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, edges(w), 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], indexOf[w])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.node { low[parent] = min(low[parent], low[v]) }
                guard low[v] == indexOf[v] else { continue }
                var members: [Int] = []
                while let w = stack.popLast() {
                    onStack[w] = false
                    members.append(w)
                    if w == v { break }
                }
                if members.count > 1 || edges(v).contains(v) {
                    for m in members { component[m] = components }
                    components += 1
                }
            }
        }
        return component
    }

    // MARK: Hidden characters

    /// Every scalar of the document with a control, bidi or invisible character gets one warning:
    /// generated code escapes such characters in literals and comments and drops them from docs.
    /// A byte-order mark (U+FEFF) alone is escaped or dropped without a warning: it is a common
    /// copy-and-paste leftover (Codat's documents have 30) and changes nothing a reader sees.
    private mutating func warnAboutHiddenCharacters() {
        var found = 0
        for (fileIndex, file) in document.files.enumerated() {
            let tree = file.tree
            for i in 0..<tree.nodeCount {
                let id = YAMLNodeID(Int32(i))
                guard let text = tree.scalar(id), Naming.mayContainHidden(text),
                      let scalar = text.unicodeScalars.first(where: { Naming.isHidden($0) && $0 != "\u{FEFF}" }) else { continue }
                found += 1
                if found <= 20 {
                    let code = "U+" + String(scalar.value, radix: 16, uppercase: true)
                    warn("this text holds \(code), a control, bidi or invisible character: generated code escapes it in literals and comments and drops it from docs",
                         NodeRef(file: Int32(fileIndex), node: id))
                }
            }
        }
        if found > 20 { warnAtTop("\(found - 20) more texts hold control, bidi or invisible characters") }
    }

    /// Properties of an object, or of an `allOf` merged into one (members in order, later ones win).
    private mutating func properties(of id: SchemaID, owner: SwiftName) -> [PropertyDeclaration] {
        var collected: [(String, SchemaID)] = []
        var required = Set<String>()
        var visited = Set<SchemaID>()
        var tooDeep: NodeRef?
        var positions: [String: Int] = [:]
        func collect(_ id: SchemaID, depth: Int, into list: inout [(String, SchemaID)], required: inout Set<String>, translator: ModelTranslator) {
            let resolved = translator.schemas.resolved(id)
            guard visited.insert(resolved).inserted else { return }
            // Fields read through the table's borrowing subscript: `let s = ...[resolved]` would
            // copy a whole JSONSchema (about twenty reference-counted fields) per object.
            let schemas = translator.schemas
            guard depth < Self.maxTypeDepth else {
                tooDeep = schemas[resolved].source
                return
            }
            for member in schemas[resolved].allOf { collect(member, depth: depth + 1, into: &list, required: &required, translator: translator) }
            for (name, schema) in schemas[resolved].properties {
                if let i = positions[name] { list[i].1 = schema } else { positions[name] = list.count; list.append((name, schema)) }
            }
            required.formUnion(schemas[resolved].required)
        }
        collect(id, depth: 0, into: &collected, required: &required, translator: self)
        if let tooDeep {
            diagnostics.append(Diagnostic(.error, "allOf nests more than \(Self.maxTypeDepth) levels deep here", at: document.location(of: tooDeep)))
        }
        var memberNames = NameRegistry(reserved: Naming.structMembers, capacity: collected.count)
        var out: [PropertyDeclaration] = []
        for (jsonName, schemaID) in collected {
            let info = typeRef(schemaID, hint: owner.identifier + Naming.upperCamel(jsonName))
            // One field read, not a copy of the property's JSONSchema per property.
            let deprecated = schemas[schemaID].deprecated
            let isRequired = required.contains(jsonName)
            let wanted = Naming.lowerCamel(jsonName)
            let plainName = memberNames.claim(wanted)
            if plainName != wanted, memberNames.isReserved(wanted) {
                warn("property '\(jsonName)' would be '\(wanted)', a member every generated struct has; it is '\(plainName)'", schemas[schemaID].source)
            }
            let name = SwiftName(plainName)
            // A parameter called `self` would shadow `self` inside the init.
            let argumentName = plainName == "self" ? SwiftName(memberNames.claim("selfValue")) : name
            out.append(PropertyDeclaration(
                name: name, storageName: deprecated ? SwiftName("_" + plainName) : name, argumentName: argumentName,
                jsonName: jsonName, type: info.type, required: isRequired, nullable: info.nullable,
                doc: propertyDoc(schemaID), deprecated: deprecated, boxed: false))
        }
        return out
    }

    /// `additionalProperties` (a schema, or `true`: any value) beside properties: a member that
    /// holds the other keys, named so that it is no property's name.
    private mutating func additionalProperties(of id: SchemaID, owner: SwiftName, besides properties: [PropertyDeclaration]) -> AdditionalPropertiesDeclaration? {
        guard !properties.isEmpty else { return nil }
        let valueType: TypeRef
        switch schemas[id].additionalProperties {
        case let .schema(schema): valueType = typeRef(schema, hint: owner.identifier + "AdditionalProperty").type
        case .allowed(true): valueType = .jsonValue
        case .allowed(false), nil: return nil
        }
        var memberNames = NameRegistry(reserved: Naming.structMembers.union(properties.map(\.name.identifier)))
        return AdditionalPropertiesDeclaration(name: SwiftName(memberNames.claim("additionalProperties")), valueType: valueType)
    }

    private mutating func oneOfDeclaration(_ id: SchemaID, name: SwiftName, doc: [String]) -> OneOfDeclaration {
        let members = schemas[id].oneOf.isEmpty ? schemas[id].anyOf : schemas[id].oneOf
        var caseNames = NameRegistry(reserved: Naming.oneOfMembers)
        var cases: [OneOfCase] = []
        for (index, member) in members.enumerated() {
            let info = typeRef(member, hint: name.identifier + "Option\(index + 1)")
            let base: String
            switch info.type {
            case let .declared(n): base = Naming.lowerCamel(n.identifier)
            case let .builtin(b): base = Naming.lowerCamel(b.rawValue)
            case let .custom(text): base = Naming.lowerCamel(text)
            case .array: base = "array"
            case .dictionary: base = "object"
            }
            var values: [String] = []
            if let discriminator = schemas[id].discriminator {
                let resolved = schemas.resolved(member)
                values = discriminator.mapping.entries.filter { $0.value.schema.map(schemas.resolved) == resolved }.map(\.key)
                if values.isEmpty, let ref = schemas[member].ref?.ref, let last = ref.split(separator: "/").last {
                    values = [String(last)] // implicit mapping: the schema's name
                }
            }
            cases.append(OneOfCase(name: SwiftName(caseNames.claim(base)), type: info.type, discriminatorValues: values))
        }
        return OneOfDeclaration(name: name, doc: doc, deprecated: schemas[id].deprecated, cases: cases, discriminator: schemas[id].discriminator?.propertyName)
    }

    // MARK: Docs and diagnostics

    /// A property's own description, else that of the schema it refers to.
    private func propertyDoc(_ id: SchemaID) -> [String] {
        let own = docComment(id)
        return own.isEmpty ? docComment(schemas.resolved(id)) : own
    }

    func docComment(_ id: SchemaID) -> [String] {
        var text = ""
        let title = schemas[id].title
        if let title, !title.isEmpty { text += title }
        if let description = schemas[id].description, !description.isEmpty, description != title {
            text += text.isEmpty ? description : "\n\n" + description
        }
        if let example = schemas[id].example {
            text += (text.isEmpty ? "" : "\n\n") + "Example: `" + JSONText.compact(document.value(of: example)) + "`"
        }
        return Naming.docLines(text)
    }

    mutating func warn(_ message: String, _ node: NodeRef) {
        diagnostics.append(Diagnostic(.warning, message, at: document.location(of: node)))
    }

    /// For document-wide findings with no better place: the document's first line.
    mutating func warnAtTop(_ message: String) {
        diagnostics.append(Diagnostic(.warning, message, at: SourceLocation(file: document.files[0].path, line: 1, column: 1)))
    }

    /// A type name no model uses (the client's resource types live beside the models).
    mutating func claimTypeName(_ base: String) -> SwiftName { SwiftName(names.claim(base)) }

    /// Whether the type is a generated string enum (declared or queued).
    func isDeclaredEnum(_ type: TypeRef) -> Bool {
        type.declaredName.map(enumNames.contains) ?? false
    }

    func declaration(named name: SwiftName) -> TypeDeclaration? {
        declarationIndex[name].map { declarations[$0] }
    }

    /// A declared struct's property by its JSON name (as written in the document).
    func declaredProperty(_ typeName: SwiftName, jsonName: String) -> PropertyDeclaration? {
        guard case let .structure(s)? = declaration(named: typeName) else { return nil }
        return s.properties.first { $0.jsonName == jsonName }
    }
}

extension ModelTranslator {
    /// `ModelTranslator`'s answers per schema (see `memo`). They depend on the
    /// document alone, so a copy of the translator may share them.
    final class Memo {
        static let unknownShape: UInt8 = .max
        static let noShape: UInt8 = .max - 1
        /// `Shape.rawValue` by schema index, `noShape` for none, `unknownShape` before it is asked.
        var shapes: [UInt8]

        init(schemaCount: Int) { shapes = Array(repeating: Self.unknownShape, count: schemaCount) }
    }
}

extension Array where Element == JSONSchema {
    /// A schema by id, read in place. `SchemaTable`'s subscript lives in another module and yields
    /// a copy of the whole `JSONSchema` (Array's getter), about twenty retains and releases per
    /// field read; inlined here, a field read is one load.
    subscript(id: SchemaID) -> JSONSchema { self[Int(id.index)] }

    /// `SchemaTable.resolved` on these reads: `$ref`s followed to the schema that says something
    /// (loops, reported when the document was read, just stop).
    func resolved(_ id: SchemaID) -> SchemaID {
        var current = id
        var steps = 0
        while let target = self[current].ref?.target, steps < count {
            current = target
            steps += 1
        }
        return current
    }
}

/// The document's operation type, named apart from Foundation's `Operation` (this file does not import Foundation).
typealias SpecOperation = Operation
