/// A node in one of the loaded files: raw data such as examples, defaults and
/// extension values stay as nodes (never read as schemas) and are read on demand.
public struct NodeRef: Hashable, Sendable {
    public let file: Int32
    public let node: YAMLNodeID

    public init(file: Int32, node: YAMLNodeID) {
        self.file = file
        self.node = node
    }
}

/// A file the document was read from (the root document and any file a `$ref` points into).
public struct SourceFile: Sendable {
    public let path: String
    public let tree: YAMLTree
}

/// Ordered key/value entries, as written in the document.
public struct OrderedEntries<Value: Sendable>: Sendable, Sequence, ExpressibleByArrayLiteral {
    public var entries: [(key: String, value: Value)]

    public init(_ entries: [(key: String, value: Value)] = []) { self.entries = entries }
    public init(arrayLiteral elements: (String, Value)...) { entries = elements.map { (key: $0.0, value: $0.1) } }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }
    public var values: [Value] { entries.map(\.value) }

    public subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }

    public mutating func append(_ key: String, _ value: Value) { entries.append((key: key, value: value)) }

    public func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> { entries.makeIterator() }
}

/// `x-` extensions, kept as raw nodes for the stages that give them meaning.
public typealias Extensions = OrderedEntries<NodeRef>

/// A `$ref` as written, and where it led.
public struct Reference: Hashable, Sendable {
    /// The `$ref` text as written, e.g. `#/components/schemas/Bill`.
    public let ref: String
    /// The `$ref` node itself (for diagnostics).
    public let source: NodeRef
    /// The node the reference resolved to.
    public let target: NodeRef
}

/// A value that may have been written in place or reached through `$ref`.
/// The resolved document always holds the value; `reference` says how it was reached.
public struct Resolved<Value: Sendable>: Sendable {
    public var value: Value
    public var reference: Reference?

    public init(_ value: Value, reference: Reference? = nil) {
        self.value = value
        self.reference = reference
    }

    /// The component name when the reference points at `#/components/<kind>/<name>`.
    public var componentName: String? {
        guard let ref = reference?.ref, let hash = ref.firstIndex(of: "#") else { return nil }
        let parts = ref[ref.index(after: hash)...].split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[1] == "components" ? String(parts[3]) : nil
    }
}
