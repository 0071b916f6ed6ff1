/// Index of a node inside one `YAMLTree`.
public struct YAMLNodeID: Hashable, Sendable, Comparable {
    public let index: Int32
    public init(_ index: Int32) { self.index = index }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.index < rhs.index }
}

/// What a scalar means under the YAML 1.2 core schema (the reading OpenAPI documents intend).
/// `NO`, `yes`, `on`, `off` are strings; quoted scalars are always strings.
public enum ScalarTag: UInt8, Sendable {
    case null, bool, int, float, string
}

public enum ScalarStyle: UInt8, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

public enum YAMLNodeKind: UInt8, Sendable {
    case scalar, sequence, mapping
}

/// A parsed YAML (or JSON) document as flat arrays: nodes are indexes, children are
/// contiguous runs in one array, scalars are strings in another, each distinct text once
/// (`ScalarTable`), so that keys compare as integers. Aliases are shared node indexes (no
/// copies), which keeps a billion-laughs document small while the parser bounds how far it
/// would expand.
public struct YAMLTree: Sendable {
    struct Record: Sendable {
        var kind: YAMLNodeKind
        var style: ScalarStyle
        var tag: ScalarTag
        var line: UInt32
        var column: UInt32
        /// Scalar: index into `scalars`. Collection: start index into `children`.
        var first: Int32
        /// Collection: number of entries in `children` (a mapping stores key, value, key, value...).
        var count: Int32
        /// The collection this node was written in (-1 for the root).
        var parent: Int32
        /// Index in the parent's run of children (a mapping's key at even, its value at odd
        /// indexes); -1 when not stored there (a merge key's entry, the root).
        var position: Int32 = -1
    }

    /// What the parser fills in.
    struct Parts {
        var records: [Record] = []
        /// Scalar texts, each distinct one once: two scalars have the same text exactly when they
        /// have the same index (`Record.first`).
        var scalars = ScalarTable()
        var children: [Int32] = []
        var root: YAMLNodeID?

        mutating func setRoot(_ id: YAMLNodeID) { root = id }
    }

    /// The finished tree is immutable and shared: a copy of a `YAMLTree` is one reference, which
    /// matters because the reader takes a file's tree for every node it reads.
    final class Storage: Sendable {
        let records: [Record]
        let scalars: ScalarTable
        let children: [Int32]
        let root: YAMLNodeID?
        /// The scalar index of the text `$ref` (-1 when no scalar in the file is `$ref`).
        let refKey: Int32

        init(_ parts: Parts) {
            records = parts.records
            scalars = parts.scalars
            children = parts.children
            root = parts.root
            refKey = parts.scalars.index(of: "$ref") ?? -1
        }
    }

    let storage: Storage

    init(_ parts: Parts) { storage = Storage(parts) }

    @inline(__always) var records: [Record] { storage.records }
    @inline(__always) var scalars: ScalarTable { storage.scalars }
    @inline(__always) var children: [Int32] { storage.children }
    @inline(__always) var refKey: Int32 { storage.refKey }
    public var root: YAMLNodeID? { storage.root }

    public var nodeCount: Int { records.count }

    @inline(__always) public func kind(_ id: YAMLNodeID) -> YAMLNodeKind { records[Int(id.index)].kind }
    @inline(__always) public func line(_ id: YAMLNodeID) -> Int { Int(records[Int(id.index)].line) }
    @inline(__always) public func column(_ id: YAMLNodeID) -> Int { Int(records[Int(id.index)].column) }
    @inline(__always) public func isScalar(_ id: YAMLNodeID) -> Bool { records[Int(id.index)].kind == .scalar }
    @inline(__always) public func isMapping(_ id: YAMLNodeID) -> Bool { records[Int(id.index)].kind == .mapping }
    @inline(__always) public func isSequence(_ id: YAMLNodeID) -> Bool { records[Int(id.index)].kind == .sequence }

    /// The scalar's text exactly as written (after YAML unescaping), or nil for a collection.
    @inline(__always) public func scalar(_ id: YAMLNodeID) -> String? {
        let r = records[Int(id.index)]
        return r.kind == .scalar ? scalars.strings[Int(r.first)] : nil
    }

    /// The `ScalarTable` index of a scalar's text (equal texts, equal indexes), or nil for a collection.
    @inline(__always) func scalarIndex(_ id: YAMLNodeID) -> Int32? {
        let r = records[Int(id.index)]
        return r.kind == .scalar ? r.first : nil
    }

    /// The `ScalarTable` index of `text` when some scalar of this tree has that text.
    func scalarIndex(of text: String) -> Int32? { scalars.index(of: text) }

    /// How many distinct scalar texts the tree holds (scalar indexes are below it).
    var distinctScalarCount: Int { scalars.count }

    public func scalarTag(_ id: YAMLNodeID) -> ScalarTag? {
        let r = records[Int(id.index)]
        return r.kind == .scalar ? r.tag : nil
    }

    public func scalarStyle(_ id: YAMLNodeID) -> ScalarStyle? {
        let r = records[Int(id.index)]
        return r.kind == .scalar ? r.style : nil
    }

    /// Number of items (sequence) or pairs (mapping); 0 for scalars.
    public func count(_ id: YAMLNodeID) -> Int {
        let r = records[Int(id.index)]
        switch r.kind {
        case .scalar: return 0
        case .sequence: return Int(r.count)
        case .mapping: return Int(r.count) / 2
        }
    }

    /// Items of a sequence (empty for other kinds).
    public func items(_ id: YAMLNodeID) -> LazyMapSequence<ArraySlice<Int32>, YAMLNodeID> {
        let r = records[Int(id.index)]
        guard r.kind == .sequence else { return children[0..<0].lazy.map(YAMLNodeID.init) }
        return children[Int(r.first)..<Int(r.first + r.count)].lazy.map(YAMLNodeID.init)
    }

    /// Key/value pairs of a mapping in written order (empty for other kinds).
    public func pairs(_ id: YAMLNodeID) -> MappingPairs {
        let r = records[Int(id.index)]
        guard r.kind == .mapping else { return MappingPairs(children: children[0..<0]) }
        return MappingPairs(children: children[Int(r.first)..<Int(r.first + r.count)])
    }

    /// The value for a scalar key (compared by text), or nil.
    public func value(_ id: YAMLNodeID, forKey key: String) -> YAMLNodeID? {
        guard records[Int(id.index)].kind == .mapping, let index = scalars.index(of: key) else { return nil }
        return value(id, forKeyScalar: index)
    }

    /// The value for the first key whose text is the scalar `index` (see `ScalarTable`), or nil.
    func value(_ id: YAMLNodeID, forKeyScalar index: Int32) -> YAMLNodeID? {
        let r = records[Int(id.index)]
        guard r.kind == .mapping, index >= 0 else { return nil }
        var i = Int(r.first)
        let end = i + Int(r.count)
        while i < end {
            let key = records[Int(children[i])]
            if key.first == index && key.kind == .scalar { return YAMLNodeID(children[i + 1]) }
            i += 2
        }
        return nil
    }

    /// The value of a mapping's `$ref` key, or nil.
    @inline(__always) func refValue(_ id: YAMLNodeID) -> YAMLNodeID? { value(id, forKeyScalar: refKey) }

    /// Follows unescaped JSON pointer components from `start`. `lookup` finds a mapping's value
    /// for a key (callers may index big mappings); sequence indexes must be canonical (`1`, not `01`).
    public func descend(from start: YAMLNodeID, through components: [String],
                        lookup: (YAMLNodeID, String) -> YAMLNodeID?) -> YAMLNodeID? {
        var current = start
        for component in components {
            switch kind(current) {
            case .mapping:
                guard let next = lookup(current, component) else { return nil }
                current = next
            case .sequence:
                guard let index = Int(component), index >= 0, index < count(current), String(index) == component else { return nil }
                current = YAMLNodeID(children[Int(records[Int(current.index)].first) + index])
            case .scalar:
                return nil
            }
        }
        return current
    }

    public func parent(_ id: YAMLNodeID) -> YAMLNodeID? {
        let p = records[Int(id.index)].parent
        return p < 0 ? nil : YAMLNodeID(p)
    }

    /// The RFC 6901 pointer of a node, from where it is written in the file. Linear in the
    /// pointer's length: each node knows its index in its parent.
    public func pointer(_ id: YAMLNodeID) -> String {
        var components: [String] = []
        var current = id
        while let parent = parent(current) {
            let r = records[Int(parent.index)]
            let position = Int(records[Int(current.index)].position)
            if position >= 0 {
                if r.kind == .sequence {
                    components.append(String(position))
                } else {
                    // The node may be a key or a value; either way its pointer component is the key.
                    components.append(JSONPointer.escape(scalar(YAMLNodeID(children[Int(r.first) + (position & ~1)])) ?? "?"))
                }
            }
            current = parent
        }
        return components.isEmpty ? "" : "/" + components.reversed().joined(separator: "/")
    }

    /// The key of the mapping entry a value is written in; nil when `id` is not such a value.
    public func key(ofValue id: YAMLNodeID) -> YAMLNodeID? {
        guard let parent = parent(id), records[Int(parent.index)].kind == .mapping else { return nil }
        let position = Int(records[Int(id.index)].position)
        guard position >= 0, position & 1 == 1 else { return nil }
        return YAMLNodeID(children[Int(records[Int(parent.index)].first) + position - 1])
    }

    /// The value as plain data (for examples, defaults and extension values).
    public func value(_ id: YAMLNodeID) -> YAMLValue {
        // Recursion is safe: the parser bounds nesting depth and alias expansion.
        let r = records[Int(id.index)]
        switch r.kind {
        case .scalar:
            let text = scalars.strings[Int(r.first)]
            switch r.tag {
            case .null: return .null
            case .bool: return .bool(text.first == "t" || text.first == "T")
            case .int: return .integer(text)
            case .float: return .number(text)
            case .string: return .string(text)
            }
        case .sequence:
            return .array(items(id).map { value($0) })
        case .mapping:
            return .object(pairs(id).map { (scalar($0.key) ?? "", value($0.value)) })
        }
    }
}

/// The distinct scalar texts of a tree, each stored once as a `String` and as bytes, found by
/// their bytes through an open-addressing hash table: a document repeats a few hundred keys
/// and values (`type`, `$ref`, `string`, ...) across most of its scalars, so most scalars need
/// no new `String`, and equal texts get equal indexes.
struct ScalarTable: Sendable {
    private(set) var strings: [String] = []
    /// The bytes of every string, back to back; string `i` is `bytes[starts[i]..<starts[i + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int32] = [0]
    /// Power-of-two sized; each slot holds a string's hash (high 32 bits) and index + 1 (low
    /// 32 bits), or 0: one load per probe, since the table is too big to stay in cache.
    private var slots: [UInt64] = []

    var count: Int { strings.count }

    mutating func reserveCapacity(_ distinct: Int) {
        let capacity = max(64, distinct)
        strings.reserveCapacity(capacity)
        starts.reserveCapacity(capacity + 1)
        var size = 128
        while size < capacity * 2 { size <<= 1 }
        if slots.count < size { rehash(size) }
    }

    /// The index of `text`, adding it when new.
    mutating func intern(_ text: UnsafeBufferPointer<UInt8>) -> Int32 {
        if slots.isEmpty { rehash(128) }
        let hash = Self.hash(text)
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let index = Int32(truncatingIfNeeded: entry) - 1
                if equals(Int(index), text) { return index }
            }
            slot = (slot + 1) & mask
        }
        let index = Int32(strings.count)
        strings.append(String(decoding: text, as: UTF8.self))
        bytes.append(contentsOf: text)
        starts.append(Int32(bytes.count))
        slots[slot] = UInt64(hash) << 32 | UInt64(UInt32(index + 1))
        if strings.count * 2 > slots.count { rehash(slots.count * 2) }
        return index
    }

    /// The index of `text` when some scalar has that text.
    func index(of text: String) -> Int32? {
        guard !slots.isEmpty else { return nil }
        var text = text
        return text.withUTF8 { utf8 in
            let hash = Self.hash(utf8)
            let mask = slots.count - 1
            var slot = Int(hash) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { return nil }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let index = Int32(truncatingIfNeeded: entry) - 1
                    if equals(Int(index), utf8) { return index }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private func equals(_ index: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[index]), end = Int(starts[index + 1])
        guard end - start == text.count else { return false }
        if text.isEmpty { return true }
        return bytes.withUnsafeBytes { stored in
            let a = stored.baseAddress! + start, b = UnsafeRawPointer(text.baseAddress!)
            var i = 0
            while i + 8 <= text.count {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            while i < text.count {
                if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
                i += 1
            }
            return true
        }
    }

    private mutating func rehash(_ size: Int) {
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for entry in old where entry != 0 {
            var slot = Int(truncatingIfNeeded: entry >> 32) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// FNV-1a over 8-byte words, then mixed: fast, and good enough for a table that compares bytes.
    private static func hash(_ text: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(text.count)
        guard let base = text.baseAddress else { return UInt32(truncatingIfNeeded: h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= text.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            h ^= h >> 29
            i += 8
        }
        while i < text.count {
            h = (h ^ UInt64(text[i])) &* 0x0000_0100_0000_01b3
            i += 1
        }
        h ^= h >> 32
        h = h &* 0x9e37_79b9_7f4a_7c15
        return UInt32(truncatingIfNeeded: h >> 32)
    }
}

/// Key/value pairs of a mapping, iterated without allocating.
public struct MappingPairs: Sequence {
    let children: ArraySlice<Int32>

    public var count: Int { children.count / 2 }
    public var isEmpty: Bool { children.isEmpty }

    public struct Iterator: IteratorProtocol {
        var index: Int
        let end: Int
        let children: ArraySlice<Int32>
        public mutating func next() -> (key: YAMLNodeID, value: YAMLNodeID)? {
            guard index < end else { return nil }
            defer { index += 2 }
            return (YAMLNodeID(children[index]), YAMLNodeID(children[index + 1]))
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(index: children.startIndex, end: children.endIndex, children: children)
    }
}

/// Plain data from the document, numbers kept as their exact text.
public indirect enum YAMLValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(String)
    case number(String)
    case string(String)
    case array([YAMLValue])
    case object([(String, YAMLValue)])

    public static func == (lhs: YAMLValue, rhs: YAMLValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)), let (.number(a), .number(b)), let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case let .bool(b): hasher.combine(b)
        case let .integer(s), let .number(s), let .string(s): hasher.combine(s)
        case let .array(a): hasher.combine(a)
        case let .object(o):
            hasher.combine(o.count)
            for (k, v) in o { hasher.combine(k); hasher.combine(v) }
        }
    }

    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
}
