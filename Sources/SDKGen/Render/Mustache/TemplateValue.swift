import Foundation

/// A name a template looks up, interned to a small integer: the engine resolves each tag's name
/// to its key once, when the template is parsed, and a context holds its values by key, so a
/// lookup compares integers (no string hashing, no casts while rendering).
///
/// The keys of the built-in contexts are static members (`TemplateKey.name`, in
/// `Render/TemplateContext.swift`); a user template's unknown name gets a key no context has.
struct TemplateKey: Hashable, Sendable, CustomStringConvertible {
    let id: Int

    /// The key of `text` (the same key for the same text, in the whole process).
    init(_ text: String) { id = KeyTable.shared.intern(text) }

    /// The name as written in templates.
    var text: String { KeyTable.shared.text(of: id) }
    var description: String { text }
}

/// Every name interned so far. Interning happens when a template is parsed and when a static
/// key is first used; rendering only compares ids.
private final class KeyTable: @unchecked Sendable {
    static let shared = KeyTable()
    private let lock = NSLock()
    private var ids: [String: Int] = [:]
    private var texts: [String] = []

    func intern(_ text: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[text] { return id }
        texts.append(text)
        ids[text] = texts.count - 1
        return texts.count - 1
    }

    func text(of id: Int) -> String {
        lock.lock()
        defer { lock.unlock() }
        return texts[id]
    }
}

/// A value of a template context: what the engine renders, walked without casts. `strings` and
/// `objects` are lists too, kept as the arrays the builders have (no conversion).
enum TemplateValue: Sendable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case list([TemplateValue])
    case strings([String])
    case objects([TemplateObject])
    case object(TemplateObject)

    /// An optional value as a Mustache section: the value, or `false`.
    static func optional(_ value: TemplateValue?) -> TemplateValue { value ?? .bool(false) }

    /// The value of `key` when this is an object.
    @inline(__always)
    func child(_ key: TemplateKey) -> TemplateValue? {
        if case let .object(object) = self { return object[key] }
        return nil
    }

    /// The value as Foundation JSON values (String, Bool, Int, arrays, `[String: Any]`), the form
    /// `ContextSnapshotTests` records.
    var jsonObject: Any {
        switch self {
        case let .string(text): return text
        case let .bool(flag): return flag
        case let .int(number): return number
        case let .list(items): return items.map(\.jsonObject)
        case let .strings(items): return items
        case let .objects(items): return items.map(\.jsonObject)
        case let .object(object): return object.jsonObject
        }
    }
}

/// A context: values by key. Contexts have a few dozen keys at most, so they are a list searched
/// in order (comparing integers), which beats hashing.
struct TemplateObject: Sendable {
    /// Keys and values, as the literal that built the context has them (its storage is reused).
    private var entries: [(TemplateKey, TemplateValue)]

    init() { entries = [] }

    /// The value of `key`; setting replaces it, or adds it.
    subscript(key: TemplateKey) -> TemplateValue? {
        get {
            // Through the buffer: only keys are read until one matches (no copies of values).
            entries.withUnsafeBufferPointer { buffer in
                for i in buffer.indices where buffer[i].0 == key { return buffer[i].1 }
                return nil
            }
        }
        set {
            let index = entries.firstIndex { $0.0 == key }
            switch (index, newValue) {
            case let (index?, value?): entries[index].1 = value
            case let (index?, nil): entries.remove(at: index)
            case let (nil, value?): entries.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// The value of `key`, tried first at `slot` (where the caller found it in a context of the same
    /// layout); `slot` is updated when the key is elsewhere.
    @inline(__always)
    func value(_ key: TemplateKey, slot: inout Int32) -> TemplateValue? {
        entries.withUnsafeBufferPointer { buffer in
            let guess = Int(slot)
            if guess < buffer.count, buffer[guess].0 == key { return buffer[guess].1 }
            for i in buffer.indices where buffer[i].0 == key {
                slot = Int32(i)
                return buffer[i].1
            }
            return nil
        }
    }

    /// Room for `count` more keys, set without growing the storage again.
    mutating func reserveCapacity(adding count: Int) { entries.reserveCapacity(entries.count + count) }

    /// The context as a `[String: Any]` of Foundation JSON values.
    var jsonObject: [String: Any] {
        Dictionary(entries.map { ($0.0.text, $0.1.jsonObject) }, uniquingKeysWith: { $1 })
    }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
    /// `[.name: .string(d.name.rendered), .deprecated: .bool(d.deprecated)]`: keys are static
    /// `TemplateKey`s (no lookup of their text); the literal's array is the context's storage.
    init(dictionaryLiteral elements: (TemplateKey, TemplateValue)...) {
        assert(Set(elements.map(\.0)).count == elements.count, "a context literal repeats a key")
        entries = elements
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral {
    init(stringLiteral value: String) { self = .string(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(integerLiteral value: Int) { self = .int(value) }
}
