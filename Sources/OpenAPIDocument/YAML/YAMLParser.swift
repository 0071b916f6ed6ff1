import CYAML

/// Stage 1: bytes -> `YAMLTree`, through libyaml's event parser.
///
/// Everything that can go wrong is a `Diagnostic` with a line and column; the parser
/// never traps on input. Limits keep hostile input cheap: nesting depth (so that no
/// later, recursive stage can overflow the stack) and alias expansion (billion laughs).
public struct YAMLParser {
    public struct Limits: Sendable {
        /// Deepest allowed nesting of collections.
        public var maxDepth: Int
        /// Most nodes that aliases may add to the document when expanded.
        public var maxAliasExpansion: Int

        /// Largest file read (the spec or a file a `$ref` points into).
        public var maxFileBytes: Int
        /// Most `$ref`s followed from one place before reaching an object (`A -> B -> C ...`).
        public var maxReferenceChain: Int
        /// Deepest nesting of objects read through `$ref`s inside objects read through `$ref`s
        /// (callbacks holding callbacks ...): each hop restarts the YAML nesting count.
        public var maxReferenceNesting: Int

        public init(maxDepth: Int = 256, maxAliasExpansion: Int = 1_000_000, maxFileBytes: Int = 64 << 20,
                    maxReferenceChain: Int = 100, maxReferenceNesting: Int = 64) {
            self.maxDepth = maxDepth
            self.maxAliasExpansion = maxAliasExpansion
            self.maxFileBytes = maxFileBytes
            self.maxReferenceChain = maxReferenceChain
            self.maxReferenceNesting = maxReferenceNesting
        }
    }

    public struct Result: Sendable {
        public var tree: YAMLTree
        public var diagnostics: [Diagnostic]
        /// False when parsing stopped early: the tree then holds what was read before the problem.
        public var complete: Bool
    }

    public static func parse(_ bytes: [UInt8], file: String, limits: Limits = Limits()) -> Result {
        bytes.withUnsafeBufferPointer { buffer in
            var builder = TreeBuilder(file: file, limits: limits, input: buffer)
            builder.run()
            return Result(tree: YAMLTree(builder.tree), diagnostics: builder.diagnostics, complete: builder.complete)
        }
    }
}

/// Builds the flat tree from libyaml events with an explicit stack (no recursion).
private struct TreeBuilder {
    struct Frame {
        var node: Int32
        var childStart: Int
        var expandedSize: Int
        /// Levels of collections from this one down (1 while it has no collection inside).
        var height: Int
    }

    struct Anchor {
        var node: Int32
        /// -1 while the anchored collection is still open (an alias to it then would be a cycle).
        var expandedSize: Int
        /// Levels of collections the anchored node spans (0 for a scalar): an alias adds them where it is used.
        var height: Int
    }

    let file: String
    let limits: YAMLParser.Limits
    let input: UnsafeBufferPointer<UInt8>
    var tree = YAMLTree.Parts()
    var diagnostics: [Diagnostic] = []
    var complete = true

    private var frames: [Frame] = []
    private var pending: [Int32] = []
    private var anchors: [String: Anchor] = [:]
    private var aliasExpansion = 0
    private var documents = 0
    /// Per scalar text: the mapping (by `mappingStamp`) in which a key last had it, and that key.
    private var keyStamps: [Int32] = []
    private var firstKeys: [Int32] = []
    private var mappingStamp: Int32 = 0
    /// The scalar index of `<<` once a scalar has that text.
    private var mergeKey: Int32 = -1

    init(file: String, limits: YAMLParser.Limits, input: UnsafeBufferPointer<UInt8>) {
        self.file = file
        self.limits = limits
        self.input = input
        tree.records.reserveCapacity(input.count / 20)
        tree.scalars.reserveCapacity(input.count / 256)
        tree.children.reserveCapacity(input.count / 20)
    }

    mutating func run() {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) != 0 else {
            fail("libyaml could not initialise a parser (out of memory)", line: 1, column: 1)
            return
        }
        defer { yaml_parser_delete(parser) }
        if let base = input.baseAddress {
            yaml_parser_set_input_string(parser, base, input.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(parser, &empty, 0)
        }

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) != 0 else {
                reportLibYAMLError(parser.pointee)
                return
            }
            let keepGoing = handle(&event)
            let isEnd = event.type == YAML_STREAM_END_EVENT
            yaml_event_delete(&event)
            if !keepGoing || isEnd { break }
        }
        if documents == 0 && complete {
            fail("the file is empty: it holds no YAML or JSON document", line: 1, column: 1)
        }
    }

    /// Returns false to stop parsing.
    private mutating func handle(_ event: inout yaml_event_t) -> Bool {
        let line = UInt32(truncatingIfNeeded: event.start_mark.line + 1)
        let column = UInt32(truncatingIfNeeded: event.start_mark.column + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                fail("the file holds more than one YAML document; an OpenAPI document must be a single document", line: Int(line), column: Int(column))
                return false
            }
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let value = UnsafeBufferPointer(start: data.value, count: Int(data.length))
            let style = Self.style(data.style)
            let tag = Self.resolveTag(data.tag, plain: style == .plain, value: value)
            let id = appendRecord(.init(kind: .scalar, style: style, tag: tag, line: line, column: column,
                                        first: intern(value), count: 0, parent: currentParent))
            if let anchor = data.anchor { registerAnchor(anchor, node: id, size: 1, height: 0) }
            return attach(id, expandedSize: 1, height: 0, line: line, column: column)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if frames.count >= limits.maxDepth {
                fail("nesting is deeper than \(limits.maxDepth) levels", line: Int(line), column: Int(column))
                return false
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let id = appendRecord(.init(kind: isMapping ? .mapping : .sequence, style: .plain, tag: .string, line: line, column: column,
                                        first: 0, count: 0, parent: currentParent))
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            if let anchor { registerAnchor(anchor, node: id, size: -1, height: 1) }
            frames.append(Frame(node: id, childStart: pending.count, expandedSize: 1, height: 1))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = frames.removeLast()
            if tree.records[Int(frame.node)].kind == .mapping {
                finishMapping(frame)
            } else {
                tree.records[Int(frame.node)].first = Int32(tree.children.count)
                tree.records[Int(frame.node)].count = Int32(pending.count - frame.childStart)
                tree.children.append(contentsOf: pending[frame.childStart...])
            }
            pending.removeSubrange(frame.childStart...)
            recordPositions(of: frame.node)
            if let name = anchorName(of: frame.node) {
                anchors[name]?.expandedSize = frame.expandedSize
                anchors[name]?.height = frame.height
            }
            return attach(frame.node, expandedSize: frame.expandedSize, height: frame.height, line: line, column: column)
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let anchor = anchors[name] else {
                diagnostics.append(Diagnostic(.error, "alias '*\(name)' refers to no anchor defined before it", at: location(Int(line), Int(column))))
                let id = appendNull(line: line, column: column)
                return attach(id, expandedSize: 1, height: 0, line: line, column: column)
            }
            guard anchor.expandedSize >= 0 else {
                fail("alias '*\(name)' refers to a collection that contains it; recursive aliases are not allowed", line: Int(line), column: Int(column))
                return false
            }
            aliasExpansion += anchor.expandedSize
            if aliasExpansion > limits.maxAliasExpansion {
                fail("aliases expand this document to more than \(limits.maxAliasExpansion) nodes (an alias bomb?); stopped at alias '*\(name)'", line: Int(line), column: Int(column))
                return false
            }
            return attach(anchor.node, expandedSize: anchor.expandedSize, height: anchor.height, line: line, column: column)
        default:
            break
        }
        return true
    }

    private var currentParent: Int32 { frames.last?.node ?? -1 }

    private mutating func appendRecord(_ record: YAMLTree.Record) -> Int32 {
        tree.records.append(record)
        return Int32(tree.records.count - 1)
    }

    private mutating func appendNull(line: UInt32, column: UInt32) -> Int32 {
        let empty = intern(UnsafeBufferPointer(start: nil, count: 0))
        return appendRecord(.init(kind: .scalar, style: .plain, tag: .null, line: line, column: column,
                                  first: empty, count: 0, parent: currentParent))
    }

    /// The scalar index of a text (see `ScalarTable`), growing the per-text state of duplicate-key checks.
    private mutating func intern(_ text: UnsafeBufferPointer<UInt8>) -> Int32 {
        let index = tree.scalars.intern(text)
        if Int(index) == keyStamps.count {
            keyStamps.append(0)
            firstKeys.append(-1)
            if mergeKey < 0, text.count == 2, text[0] == UInt8(ascii: "<"), text[1] == UInt8(ascii: "<") { mergeKey = index }
        }
        return index
    }

    /// Adds a finished node to the open collection, or makes it the root. The nesting limit is
    /// checked here too, so that an alias to a deep anchor cannot add depth unnoticed.
    private mutating func attach(_ id: Int32, expandedSize: Int, height: Int, line: UInt32, column: UInt32) -> Bool {
        if frames.isEmpty {
            tree.setRoot(YAMLNodeID(id))
        } else {
            if frames.count + height > limits.maxDepth {
                fail("nesting is deeper than \(limits.maxDepth) levels (counting what aliases bring in)", line: Int(line), column: Int(column))
                return false
            }
            pending.append(id)
            frames[frames.count - 1].expandedSize += expandedSize
            frames[frames.count - 1].height = max(frames[frames.count - 1].height, height + 1)
        }
        return true
    }

    /// Stores, in each child written inside `node`, its index in `node`'s final run of children,
    /// so that a node's JSON pointer is found without scanning its siblings.
    private mutating func recordPositions(of node: Int32) {
        let r = tree.records[Int(node)]
        var i = Int(r.first)
        let end = i + Int(r.count)
        while i < end {
            let child = Int(tree.children[i])
            // The first occurrence is where the child is written; later ones are aliases to it.
            if tree.records[child].parent == node && tree.records[child].position < 0 { tree.records[child].position = Int32(i - Int(r.first)) }
            i += 1
        }
    }

    // Anchored nodes by index, to record their expanded size when they close.
    private var anchorNames: [Int32: String] = [:]

    private mutating func registerAnchor(_ anchor: UnsafeMutablePointer<UInt8>, node: Int32, size: Int, height: Int) {
        let name = String(cString: anchor)
        anchors[name] = Anchor(node: node, expandedSize: size, height: height)
        anchorNames[node] = name
    }

    private func anchorName(of node: Int32) -> String? {
        anchorNames.isEmpty ? nil : anchorNames[node]
    }

    /// Applies merge keys (`<<`), reports duplicate keys with both locations, and stores the pairs.
    private mutating func finishMapping(_ frame: Frame) {
        if (pending.count - frame.childStart) % 2 == 1 {
            pending.append(appendNull(line: tree.records[Int(frame.node)].line, column: tree.records[Int(frame.node)].column))
        }
        if !hasMergeKey(pending[frame.childStart...]) {
            // The common case: the pairs are stored as written.
            reportDuplicateKeys(pending[frame.childStart...])
            tree.records[Int(frame.node)].first = Int32(tree.children.count)
            tree.records[Int(frame.node)].count = Int32(pending.count - frame.childStart)
            tree.children.append(contentsOf: pending[frame.childStart...])
            return
        }
        let entries = Array(pending[frame.childStart...])

        var explicit: [Int32] = []
        var merged: [Int32] = []
        var hasMerge = false
        var i = 0
        while i < entries.count {
            let key = entries[i], value = entries[i + 1]
            let record = tree.records[Int(key)]
            if isMergeKey(record) {
                hasMerge = true
                merged.append(contentsOf: mergeSources(value))
            } else {
                explicit.append(key)
                explicit.append(value)
            }
            i += 2
        }

        reportDuplicateKeys(explicit[...])
        var result = explicit
        if hasMerge {
            var seen = Set<String>()
            var j = 0
            while j < explicit.count {
                if let text = scalarText(explicit[j]) { seen.insert(text) }
                j += 2
            }
            j = 0
            while j < merged.count {
                if let text = scalarText(merged[j]) {
                    if !seen.contains(text) { seen.insert(text); result.append(merged[j]); result.append(merged[j + 1]) }
                } else {
                    result.append(merged[j]); result.append(merged[j + 1])
                }
                j += 2
            }
        }
        tree.records[Int(frame.node)].first = Int32(tree.children.count)
        tree.records[Int(frame.node)].count = Int32(result.count)
        tree.children.append(contentsOf: result)
    }

    /// The pairs a merge key brings in: a mapping, or a sequence of mappings (earlier ones win).
    private mutating func mergeSources(_ value: Int32) -> [Int32] {
        let record = tree.records[Int(value)]
        var sources: [Int32] = []
        switch record.kind {
        case .mapping: sources = [value]
        case .sequence: sources = Array(tree.children[Int(record.first)..<Int(record.first + record.count)])
        case .scalar: break
        }
        var pairs: [Int32] = []
        for source in sources {
            let r = tree.records[Int(source)]
            guard r.kind == .mapping else {
                diagnostics.append(Diagnostic(.error, "a merge key '<<' takes a mapping or a sequence of mappings", at: location(Int(r.line), Int(r.column))))
                continue
            }
            pairs.append(contentsOf: tree.children[Int(r.first)..<Int(r.first + r.count)])
        }
        if record.kind == .scalar {
            diagnostics.append(Diagnostic(.error, "a merge key '<<' takes a mapping or a sequence of mappings", at: location(Int(record.line), Int(record.column))))
        }
        return pairs
    }

    private func scalarText(_ node: Int32) -> String? {
        let r = tree.records[Int(node)]
        return r.kind == .scalar ? tree.scalars.strings[Int(r.first)] : nil
    }

    /// A plain `<<` key.
    private func isMergeKey(_ record: YAMLTree.Record) -> Bool {
        record.kind == .scalar && record.first == mergeKey && record.style == .plain
    }

    private func hasMergeKey(_ entries: ArraySlice<Int32>) -> Bool {
        guard mergeKey >= 0 else { return false }
        var i = entries.startIndex
        while i < entries.endIndex {
            if isMergeKey(tree.records[Int(entries[i])]) { return true }
            i += 2
        }
        return false
    }

    /// Reports each scalar key whose text an earlier key of the same mapping has, against the first
    /// such key. Equal texts are equal scalar indexes; `keyStamps` marks the texts seen in this mapping.
    private mutating func reportDuplicateKeys(_ entries: ArraySlice<Int32>) {
        guard entries.count > 2 else { return }
        mappingStamp += 1
        var i = entries.startIndex
        while i < entries.endIndex {
            let key = entries[i]
            let r = tree.records[Int(key)]
            if r.kind == .scalar {
                let text = Int(r.first)
                if keyStamps[text] == mappingStamp {
                    reportDuplicate(tree.scalars.strings[text], first: firstKeys[text], second: key)
                } else {
                    keyStamps[text] = mappingStamp
                    firstKeys[text] = key
                }
            }
            i += 2
        }
    }

    private mutating func reportDuplicate(_ key: String, first: Int32, second: Int32) {
        let a = tree.records[Int(first)], b = tree.records[Int(second)]
        diagnostics.append(Diagnostic(.error, "duplicate key '\(key)' in a mapping; first defined at line \(a.line), column \(a.column)",
                                      at: location(Int(b.line), Int(b.column))))
    }

    // MARK: Errors

    private func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    private mutating func fail(_ message: String, line: Int, column: Int) {
        complete = false
        diagnostics.append(Diagnostic(.error, message, at: location(line, column)))
    }

    private mutating func reportLibYAMLError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        switch parser.error {
        case YAML_READER_ERROR:
            // libyaml gives reader errors (bad UTF-8, control characters) as a byte offset only.
            let (line, column) = lineAndColumn(ofByteOffset: Int(parser.problem_offset))
            var message = "invalid input: \(problem)"
            if parser.problem_value != -1 { message += " (byte 0x\(String(UInt8(truncatingIfNeeded: parser.problem_value), radix: 16)) at offset \(parser.problem_offset))" }
            fail(message, line: line, column: column)
        case YAML_MEMORY_ERROR:
            fail("libyaml ran out of memory", line: 1, column: 1)
        default:
            var message = "YAML syntax error: \(problem)"
            if let context = parser.context {
                message += " (\(String(cString: context)), from line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
            }
            fail(message, line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        }
    }

    private func lineAndColumn(ofByteOffset offset: Int) -> (Int, Int) {
        var line = 1, column = 1
        var i = 0
        let end = min(offset, input.count)
        while i < end {
            let b = input[i]
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }

    // MARK: Scalars

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    private static func resolveTag(_ tag: UnsafeMutablePointer<UInt8>?, plain: Bool, value: UnsafeBufferPointer<UInt8>) -> ScalarTag {
        if let tag {
            let name = String(cString: tag)
            switch name {
            case "tag:yaml.org,2002:str", "!": return .string
            case "tag:yaml.org,2002:int": return .int
            case "tag:yaml.org,2002:float": return .float
            case "tag:yaml.org,2002:bool": return .bool
            case "tag:yaml.org,2002:null": return .null
            default: break
            }
        }
        return plain ? CoreSchema.resolve(value) : .string
    }
}

/// YAML 1.2 core schema resolution of plain scalars, on the raw bytes.
enum CoreSchema {
    static func resolve(_ v: UnsafeBufferPointer<UInt8>) -> ScalarTag {
        let n = v.count
        if n == 0 { return .null }
        let c0 = v[0]
        // Fast exit for the common case: words that cannot be null, bool or a number.
        switch c0 {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
             UInt8(ascii: "f"), UInt8(ascii: "F"):
            break
        default:
            return .string
        }
        if n <= 5 {
            if matches(v, "~") || matches(v, "null") || matches(v, "Null") || matches(v, "NULL") { return .null }
            if matches(v, "true") || matches(v, "True") || matches(v, "TRUE") || matches(v, "false") || matches(v, "False") || matches(v, "FALSE") { return .bool }
        }
        if isInteger(v) { return .int }
        if isFloat(v) { return .float }
        return .string
    }

    private static func matches(_ v: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard v.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<v.count where v[i] != w[i] { return false }
        return true
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func isInteger(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if v.count > 2, v[0] == UInt8(ascii: "0"), v[1] == UInt8(ascii: "o") {
            return v[2...].allSatisfy { $0 >= 0x30 && $0 <= 0x37 }
        }
        if v.count > 2, v[0] == UInt8(ascii: "0"), v[1] == UInt8(ascii: "x") {
            return v[2...].allSatisfy { isDigit($0) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
        }
        if v[0] == UInt8(ascii: "-") || v[0] == UInt8(ascii: "+") { i = 1 }
        guard i < v.count else { return false }
        while i < v.count { if !isDigit(v[i]) { return false }; i += 1 }
        return true
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?.inf`, `.nan` (and their case variants).
    private static func isFloat(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = v.count
        if v[0] == UInt8(ascii: "-") || v[0] == UInt8(ascii: "+") { i = 1 }
        let rest = UnsafeBufferPointer(rebasing: v[i...])
        if matches(rest, ".inf") || matches(rest, ".Inf") || matches(rest, ".INF") { return true }
        if i == 0, matches(v, ".nan") || matches(v, ".NaN") || matches(v, ".NAN") { return true }
        var digits = 0
        while i < n, isDigit(v[i]) { i += 1; digits += 1 }
        if i < n, v[i] == UInt8(ascii: ".") {
            i += 1
            var fraction = 0
            while i < n, isDigit(v[i]) { i += 1; fraction += 1 }
            if digits == 0 && fraction == 0 { return false }
        } else if digits == 0 {
            return false
        }
        if i < n, v[i] == UInt8(ascii: "e") || v[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, v[i] == UInt8(ascii: "-") || v[i] == UInt8(ascii: "+") { i += 1 }
            var exponent = 0
            while i < n, isDigit(v[i]) { i += 1; exponent += 1 }
            if exponent == 0 { return false }
        }
        return i == n
    }
}
