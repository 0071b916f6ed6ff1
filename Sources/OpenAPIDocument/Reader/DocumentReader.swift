import Foundation

/// Stage 2: located YAML nodes -> typed, resolved `OpenAPIDocument`.
///
/// The reader walks the tree once, reporting every problem it meets and carrying on
/// with the most faithful reading. Non-schema `$ref`s are followed as they are met
/// (memoised by target node); schema `$ref`s are queued and resolved after the walk,
/// so that recursion depth follows the document's nesting, never its reference graph.
final class DocumentReader {
    var files: [SourceFile] = []
    private var fileIndexByPath: [String: Int32] = [:]
    /// Files that could not be read or parsed: reported once, however many `$ref`s point into them.
    private var failedPaths: Set<String> = []
    var diagnostics = Diagnostics()
    var schemas = SchemaTable()
    let limits: YAMLParser.Limits
    let referenceRoot: ReferenceRoot
    let readFile: (String) -> DocumentLoader.FileContents
    var is31 = true

    /// Schema `$ref`s waiting for resolution: the referring schema and the `$ref` value node.
    var pendingSchemaRefs: [(schema: SchemaID, refNode: NodeRef, ref: String)] = []
    /// Discriminator mapping entries waiting for resolution, by their index in the mapping.
    var pendingDiscriminators: [(schema: SchemaID, index: Int, refNode: NodeRef)] = []
    /// Objects already read at a `$ref` target, so each is read (and diagnosed) once.
    var memo: [NodeRef: any Sendable] = [:]
    /// A `$ref` holder -> the object its chain of `$ref`s ends at, so a chain is walked once.
    var chainEnds: [NodeRef: NodeRef] = [:]
    /// Targets being read right now, to catch `$ref` cycles between non-schema objects.
    var inProgress: Set<NodeRef> = []
    /// How many objects reached through `$ref` are being read inside one another.
    var referenceNesting = 0
    /// Objects whose reading failed (already reported), so a second use does not report again.
    var failedReads: Set<NodeRef> = []
    private var pointerCache: [String: NodeRef?] = [:]
    /// `#/...` references by file and text: most `$ref`s, so that each distinct one is parsed once.
    private var localReferenceCache: [LocalReference: NodeRef?] = [:]
    private struct LocalReference: Hashable {
        let file: Int32
        let text: String
    }
    private var keyIndexes: [NodeRef: [String: YAMLNodeID]] = [:]
    /// Per file, the schema keyword each scalar index spells, if any (see `schemaKeywords(inFile:)`).
    var schemaKeywordTables: [[SchemaKeyword?]] = []
    /// Defects read leniently (see Leniency.swift): message -> how often, and the first place in file order.
    var lenientReadings: [String: (count: Int, first: NodeRef)] = [:]

    init(limits: YAMLParser.Limits, referenceRoot: ReferenceRoot, readFile: @escaping (String) -> DocumentLoader.FileContents) {
        self.limits = limits
        self.referenceRoot = referenceRoot
        self.readFile = readFile
    }

    // MARK: Files

    /// Parses a file into the file list (once per path); nil when it could not be read or parsed at all.
    func loadFile(_ path: String, bytes: [UInt8]? = nil, requestedAt: NodeRef? = nil) -> Int32? {
        if let index = fileIndexByPath[path] { return index }
        if failedPaths.contains(path) { return nil }
        let contents = bytes.map { $0.count > limits.maxFileBytes ? .tooLarge : .bytes($0) } ?? readFile(path)
        guard case let .bytes(data) = contents else {
            let tooLarge = if case .tooLarge = contents { true } else { false }
            if let requestedAt {
                error(tooLarge ? "the file '\(path)' that this $ref points into is larger than \(limits.maxFileBytes) bytes"
                               : "cannot read the file '\(path)' that this $ref points into", requestedAt)
            } else {
                diagnostics.error(tooLarge ? "the file is larger than \(limits.maxFileBytes) bytes" : "cannot read the file",
                                  at: SourceLocation(file: path, line: 1, column: 1))
            }
            failedPaths.insert(path)
            return nil
        }
        let result = YAMLParser.parse(data, file: path, limits: limits)
        diagnostics.append(contentsOf: result.diagnostics)
        guard result.complete, result.tree.root != nil else {
            failedPaths.insert(path)
            return nil
        }
        let index = Int32(files.count)
        files.append(SourceFile(path: path, tree: result.tree))
        fileIndexByPath[path] = index
        return index
    }

    // MARK: Node access

    @inline(__always) func tree(_ n: NodeRef) -> YAMLTree { files[Int(n.file)].tree }

    func location(_ n: NodeRef) -> SourceLocation {
        let file = files[Int(n.file)]
        return SourceLocation(file: file.path, line: file.tree.line(n.node), column: file.tree.column(n.node), pointer: file.tree.pointer(n.node))
    }

    func error(_ message: String, _ n: NodeRef) { diagnostics.error(message, at: location(n)) }
    func warning(_ message: String, _ n: NodeRef) { diagnostics.warning(message, at: location(n)) }

    func describe(_ n: NodeRef) -> String {
        let t = tree(n)
        switch t.kind(n.node) {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .scalar:
            switch t.scalarTag(n.node)! {
            case .null: return "null"
            case .bool: return "a boolean"
            case .int, .float: return "a number"
            case .string: return "a string"
            }
        }
    }

    func child(_ parent: NodeRef, _ id: YAMLNodeID) -> NodeRef { NodeRef(file: parent.file, node: id) }

    // MARK: Typed scalars (each reports a wrong type at the node and returns nil)

    func string(_ n: NodeRef, _ field: String) -> String? {
        let t = tree(n)
        if field != "$ref", let refValue = refNode(n) { return referencedString(n, refValue, field) }
        guard let text = t.scalar(n.node), t.scalarTag(n.node) != .null else {
            error("'\(field)' must be a string, found \(describe(n))", n)
            return nil
        }
        return text
    }

    func bool(_ n: NodeRef, _ field: String) -> Bool? {
        let t = tree(n)
        guard t.scalarTag(n.node) == .bool, let text = t.scalar(n.node) else {
            error("'\(field)' must be true or false, found \(describe(n))", n)
            return nil
        }
        return text.first == "t" || text.first == "T"
    }

    func int(_ n: NodeRef, _ field: String) -> Int? {
        let t = tree(n)
        guard t.scalarTag(n.node) == .int, let text = t.scalar(n.node), let value = Int(text) else {
            error("'\(field)' must be an integer, found \(describe(n))", n)
            return nil
        }
        return value
    }

    /// A number's exact text.
    func number(_ n: NodeRef, _ field: String) -> String? {
        let t = tree(n)
        guard let tag = t.scalarTag(n.node), tag == .int || tag == .float, let text = t.scalar(n.node) else {
            error("'\(field)' must be a number, found \(describe(n))", n)
            return nil
        }
        return text
    }

    func stringList(_ n: NodeRef, _ field: String) -> [String]? {
        guard tree(n).isSequence(n.node) else {
            error("'\(field)' must be a sequence of strings, found \(describe(n))", n)
            return nil
        }
        return tree(n).items(n.node).compactMap { string(child(n, $0), field) }
    }

    /// Reads a mapping's fields: `body` handles the keys it knows and returns false for others;
    /// `x-` keys become extensions and any other key is a warning. Nil when `n` is not a mapping.
    /// A field written with no value (YAML null) is read as absent, with a warning, unless it is
    /// data or named in `nullIsRead` (then `body` sees the null).
    func object(_ n: NodeRef, _ typeName: String, nullIsRead: Set<String> = [], _ body: (String, NodeRef) -> Bool) -> Extensions? {
        object(n, typeName, nullIsRead: nullIsRead) { key, _, value in body(key, value) }
    }

    /// `object`, whose `body` also gets each key's scalar index (see `ScalarTable`), so that a
    /// reader with many keywords can switch on an integer instead of comparing strings.
    func object(_ n: NodeRef, _ typeName: String, nullIsRead: Set<String> = [], _ body: (String, Int32, NodeRef) -> Bool) -> Extensions? {
        if refNode(n) != nil && !Self.readersOfReferences.contains(typeName) {
            return readReferenced(n, typeName) { object($0, typeName, nullIsRead: nullIsRead, body) }
        }
        let t = tree(n)
        guard t.isMapping(n.node) else {
            error("\(typeName) must be a mapping, found \(describe(n))", n)
            return nil
        }
        var extensions = Extensions()
        for (k, v) in t.pairs(n.node) {
            guard let key = t.scalar(k), let keyIndex = t.scalarIndex(k) else {
                error("keys of \(typeName) must be strings", child(n, k))
                continue
            }
            let value = child(n, v)
            if t.scalarTag(v) == .null && !nullIsRead.contains(key) && isNullReadAsAbsent(key, value) { continue }
            if body(key, keyIndex, value) { continue }
            if key.hasPrefix("x-") {
                extensions.append(key, value)
            } else {
                warning("unknown field '\(key)' in \(typeName); ignored", child(n, k))
            }
        }
        return extensions
    }

    /// A mapping of names to values (`components/schemas`, `responses`, ...), in written order.
    func map<T>(_ n: NodeRef, _ typeName: String, allowExtensions: Bool = false, _ read: (String, NodeRef) -> T?) -> OrderedEntries<T> {
        if let refValue = refNode(n), tree(refValue).isScalar(refValue.node), !Self.mapsNamingReferences.contains(typeName) {
            return readReferenced(n, typeName) { map($0, typeName, allowExtensions: allowExtensions, read) } ?? []
        }
        let t = tree(n)
        guard t.isMapping(n.node) else {
            error("\(typeName) must be a mapping, found \(describe(n))", n)
            return []
        }
        var out = OrderedEntries<T>()
        out.entries.reserveCapacity(t.count(n.node))
        for (k, v) in t.pairs(n.node) {
            guard let key = t.scalar(k) else {
                error("keys of \(typeName) must be strings", child(n, k))
                continue
            }
            if allowExtensions && key.hasPrefix("x-") { continue }
            if let value = read(key, child(n, v)) { out.append(key, value) }
        }
        return out
    }

    /// The `x-` entries of a mapping whose other keys are names (Paths, Responses, Callbacks, webhooks).
    func extensionEntries(_ n: NodeRef) -> Extensions {
        let t = tree(n)
        var out = Extensions()
        for (k, v) in t.pairs(n.node) {
            if let key = t.scalar(k), key.hasPrefix("x-") { out.append(key, child(n, v)) }
        }
        return out
    }

    func list<T>(_ n: NodeRef, _ field: String, _ read: (NodeRef) -> T?) -> [T] {
        if refNode(n) != nil {
            return readReferenced(n, "'\(field)'") { list($0, field, read) } ?? []
        }
        let t = tree(n)
        guard t.isSequence(n.node) else {
            error("'\(field)' must be a sequence, found \(describe(n))", n)
            return []
        }
        return t.items(n.node).compactMap { read(child(n, $0)) }
    }

    func requireField<T>(_ value: T?, _ field: String, in typeName: String, _ n: NodeRef, severity: Diagnostic.Severity = .error) -> Bool {
        if value != nil { return true }
        diagnostics.append(Diagnostic(severity, "\(typeName) is missing the required field '\(field)'", at: location(n)))
        return false
    }

    // MARK: References

    /// The `$ref` value node of a mapping, if it has one.
    func refNode(_ n: NodeRef) -> NodeRef? {
        let t = tree(n)
        guard let v = t.refValue(n.node) else { return nil }
        return child(n, v)
    }

    /// Reads an object that may be a `$ref`. Chains of `$ref`s are followed in a loop (not by
    /// recursion), at most `maxReferenceChain` long, and remembered, so each is walked once.
    /// `memoize: false` reads the target afresh at each use (an operation, whose value depends on its path).
    func resolvable<T: Sendable>(_ n: NodeRef, _ typeName: String, memoize: Bool = true, _ read: (NodeRef) -> T?) -> Resolved<T>? {
        guard !failedReads.contains(n) else { return nil }
        guard let firstRefNode = refNode(n) else {
            return memoize ? readOnce(n, read).map { Resolved($0) } : read(n).map { Resolved($0) }
        }
        guard let firstText = string(firstRefNode, "$ref"), let firstTarget = resolveReference(firstText, at: firstRefNode) else {
            failedReads.insert(n)
            return nil
        }
        var holders: [NodeRef] = [n]
        // A target met twice is a cycle: reported at the `$ref` that leads to it the second time.
        var targets: [NodeRef] = [firstTarget]
        var current = firstTarget
        var lastRef = (text: firstText, node: firstRefNode)
        func fail() -> Resolved<T>? {
            failedReads.formUnion(holders)
            return nil
        }
        while true {
            if let end = chainEnds[current] { current = end; break }
            if failedReads.contains(current) { return fail() }
            guard let next = refNode(current) else { break }
            if holders.count >= limits.maxReferenceChain {
                error("$ref '\(firstText)' starts a chain of more than \(limits.maxReferenceChain) $refs", firstRefNode)
                return fail()
            }
            holders.append(current)
            guard let text = string(next, "$ref"), let target = resolveReference(text, at: next) else { return fail() }
            guard !targets.contains(target) else {
                error("$ref '\(text)' is part of a reference cycle that never reaches \(typeName)", next)
                return fail()
            }
            targets.append(target)
            lastRef = (text, next)
            current = target
        }
        for holder in holders { chainEnds[holder] = current }
        if inProgress.contains(current) {
            error("$ref '\(lastRef.text)' is part of a reference cycle that never reaches \(typeName)", lastRef.node)
            return fail()
        }
        if referenceNesting >= limits.maxReferenceNesting {
            error("objects reached through $ref nest more than \(limits.maxReferenceNesting) levels deep here", lastRef.node)
            return fail()
        }
        inProgress.insert(current)
        referenceNesting += 1
        defer {
            inProgress.remove(current)
            referenceNesting -= 1
        }
        guard let value = memoize ? readOnce(current, read) : read(current) else { return fail() }
        return Resolved(value, reference: Reference(ref: firstText, source: firstRefNode, target: firstTarget))
    }

    /// Reads the object at `n` once (later uses get the same value, or nil when it failed).
    private func readOnce<T: Sendable>(_ n: NodeRef, _ read: (NodeRef) -> T?) -> T? {
        if failedReads.contains(n) { return nil }
        if let cached = memo[n] as? T { return cached }
        guard let value = read(n) else {
            failedReads.insert(n)
            return nil
        }
        memo[n] = value
        return value
    }

    /// Resolves `file#/json/pointer` (either part optional) relative to the file holding `at`.
    /// Reports a problem at the `$ref` and returns nil when it leads nowhere.
    func resolveReference(_ text: String, at: NodeRef) -> NodeRef? {
        // `#...` (with '#' its own Character): a fragment of this file, with no file part that could
        // warn or fail; the answer then depends on the file and the text alone.
        let utf8 = text.utf8
        if utf8.first == UInt8(ascii: "#"), utf8.count == 1 || utf8[utf8.index(after: utf8.startIndex)] < 0x80 {
            let key = LocalReference(file: at.file, text: text)
            let result: NodeRef?
            if let cached = localReferenceCache[key] {
                result = cached
            } else {
                result = walk(fragment: String(text.dropFirst()), file: at.file)
                localReferenceCache[key] = result
            }
            if result == nil { reportUnresolved(text, fragment: String(text.dropFirst()), file: at.file, at: at) }
            return result
        }
        let hash = fragmentStart(text, at: at)
        var filePart = String(text[..<(hash ?? text.endIndex)])
        let fragment = hash.map { String(text[text.index(after: $0)...]) } ?? ""
        var file = at.file
        if !filePart.isEmpty {
            if filePart.contains("://") {
                error("$ref '\(text)' points to a remote document; only files beside the spec can be referenced", at)
                return nil
            }
            // A URI reference: `%7B` is `{` (file names are compared decoded).
            if filePart.contains("%"), let decoded = filePart.removingPercentEncoding { filePart = decoded }
            let base = (files[Int(at.file)].path as NSString).deletingLastPathComponent
            let path = Self.normalize(filePart.hasPrefix("/") || base.isEmpty ? filePart : base + "/" + filePart)
            // The same words whether the file exists or not: the answer must not reveal what is outside.
            guard referenceRoot.admits(ReferenceRoot.absolute(path)) else {
                error("$ref '\(text)' points outside the folder $refs may read (\(referenceRoot.folder)); widen it with --ref-root or the config's \"refRoot\"", at)
                return nil
            }
            guard let index = loadFile(path, requestedAt: at) else { return nil }
            file = index
        }
        let cacheKey = "\(file)#\(fragment)"
        if let cached = pointerCache[cacheKey] {
            if cached == nil { reportUnresolved(text, fragment: fragment, file: file, at: at) }
            return cached
        }
        let result = walk(fragment: fragment, file: file)
        pointerCache[cacheKey] = result
        if result == nil { reportUnresolved(text, fragment: fragment, file: file, at: at) }
        return result
    }

    /// Where the fragment of a `$ref` starts: at the first `#` followed by nothing or a JSON pointer.
    /// A `#` followed by anything else is part of a file name (Redocly's `split` writes
    /// `paths/flows_{flowID}#clone+json.yaml`, and its `bundle` reads it back), with a warning.
    private func fragmentStart(_ text: String, at: NodeRef) -> String.Index? {
        var searchFrom = text.startIndex
        while let hash = text[searchFrom...].firstIndex(of: "#") {
            let rest = text[text.index(after: hash)...]
            if rest.isEmpty || rest.hasPrefix("/") || hash == text.startIndex { return hash }
            if !text[..<hash].contains("://") {
                lenient("'#' in a $ref's file name should be written %23 (a '#' starts the fragment); read as part of the file name", at)
            }
            searchFrom = text.index(after: hash)
        }
        return nil
    }

    /// Folds `.` and `..` in a relative or absolute path, so one file is one entry whatever way it is reached.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    private func walk(fragment: String, file: Int32) -> NodeRef? {
        guard let components = try? JSONPointer.components(ofFragment: fragment) else { return nil }
        let t = files[Int(file)].tree
        guard let root = t.root,
              let target = t.descend(from: root, through: components, lookup: { lookup($1, in: NodeRef(file: file, node: $0)) })
        else { return nil }
        return NodeRef(file: file, node: target)
    }

    /// Key lookup that indexes big mappings (such as `components/schemas`) on first use.
    private func lookup(_ key: String, in mapping: NodeRef) -> YAMLNodeID? {
        let t = tree(mapping)
        if t.count(mapping.node) < 24 { return t.value(mapping.node, forKey: key) }
        if let index = keyIndexes[mapping] { return index[key] }
        var index: [String: YAMLNodeID] = [:]
        for (k, v) in t.pairs(mapping.node) {
            if let text = t.scalar(k), index[text] == nil { index[text] = v }
        }
        keyIndexes[mapping] = index
        return index[key]
    }

    private func reportUnresolved(_ text: String, fragment: String, file: Int32, at: NodeRef) {
        let components: [String]
        do {
            components = try JSONPointer.components(ofFragment: fragment)
        } catch {
            self.error("$ref '\(text)' is not a valid JSON pointer: \(error)", at)
            return
        }
        // Name the deepest part that exists, to make the typo easy to find (one walk down).
        let t = files[Int(file)].tree
        var found = 0
        if var current = t.root {
            while found < components.count,
                  let next = t.descend(from: current, through: [components[found]], lookup: { lookup($1, in: NodeRef(file: file, node: $0)) }) {
                current = next
                found += 1
            }
        }
        let missing = found < components.count ? components[found] : ""
        let existing = components.prefix(found).map { "/" + JSONPointer.escape($0) }.joined()
        error("$ref '\(text)' points to nothing: '\(missing)' is not found under '#\(existing)' in \(files[Int(file)].path)", at)
    }
}
