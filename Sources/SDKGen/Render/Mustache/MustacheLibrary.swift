import Foundation

/// Named templates (partials find each other by name) and their rendering over the plain contexts
/// `Render/` builds: `[String: Any]` dictionaries, arrays, strings, bools and numbers.
///
/// Why not swift-mustache, whose output this matches byte for byte: it looks every name up through
/// dynamic casts to its protocols (six to eight a tag) and returns a new string from every tag,
/// which made rendering most of the generator's time (issue 14: 8 MB of Swift from a 3 MB
/// document took 8 s). Here the common context types are recognised by their exact type, names
/// are split once when parsed, and everything is written into one byte buffer.
struct MustacheLibrary: Sendable {
    private var templates: [String: MustacheTemplate] = [:]

    init() {}

    mutating func register(_ text: String, named name: String) throws {
        templates[name] = try MustacheTemplate(text)
    }

    func getTemplate(named name: String) -> MustacheTemplate? { templates[name] }

    /// The template `name` rendered with `context` at the bottom of the context stack; nil when
    /// there is no such template.
    func render(_ context: Any, withTemplate name: String) -> String? {
        guard let template = templates[name] else { return nil }
        var renderer = MustacheRenderer(templates: templates, root: context)
        renderer.render(template.tokens, indentation: nil)
        return String(decoding: renderer.output, as: UTF8.self)
    }
}

/// The types contexts are made of, compared by identity (no protocol lookups).
private enum ContextType {
    static let dictionary = ObjectIdentifier([String: Any].self)
    static let string = ObjectIdentifier(String.self)
    static let bool = ObjectIdentifier(Bool.self)
    static let dictionaries = ObjectIdentifier([[String: Any]].self)
    static let strings = ObjectIdentifier([String].self)
    static let anys = ObjectIdentifier([Any].self)
}

/// One entry of the context stack.
private enum Frame {
    case dictionary([String: Any])
    case value(Any)

    init(_ value: Any) {
        let type = ObjectIdentifier(type(of: value))
        if type == ContextType.dictionary {
            self = .dictionary(value as! [String: Any])
        } else if type == ContextType.string || type == ContextType.bool {
            self = .value(value)
        } else if let dictionary = value as? [String: Any] {
            self = .dictionary(dictionary)
        } else {
            self = .value(value)
        }
    }

    var value: Any {
        switch self {
        case let .dictionary(d): return d
        case let .value(v): return v
        }
    }

    /// The value for `key` in this entry, as swift-mustache finds it: a dictionary's entry, else a
    /// stored property of a struct or class (by reflection).
    func child(_ key: String) -> Any? {
        switch self {
        case let .dictionary(d): return d[key]
        case let .value(v): return reflectedChild(of: v, key)
        }
    }
}

private func reflectedChild(of value: Any, _ key: String) -> Any? {
    let type = ObjectIdentifier(type(of: value))
    if type == ContextType.dictionary { return (value as! [String: Any])[key] }
    if type == ContextType.string || type == ContextType.bool { return nil }
    if let dictionary = value as? [String: Any] { return dictionary[key] }
    guard let match = Mirror(reflecting: value).children.first(where: { $0.label == key }) else { return nil }
    return unwrapped(match.value)
}

/// An optional's wrapped value, nil for `nil`; any other value as it is.
private func unwrapped(_ value: Any) -> Any? {
    let mirror = Mirror(reflecting: value)
    guard mirror.displayStyle == .optional else { return value }
    return mirror.children.first?.value
}

/// What a value is to a section.
private enum SectionValue {
    case list([Any])
    case dictionaries([[String: Any]])
    case strings([String])
    case bool(Bool)
    /// `nil`, `NSNull`.
    case null
    case other(Any)

    init(_ value: Any) {
        switch ObjectIdentifier(type(of: value)) {
        case ContextType.bool: self = .bool(value as! Bool)
        case ContextType.dictionaries: self = .dictionaries(value as! [[String: Any]])
        case ContextType.strings: self = .strings(value as! [String])
        case ContextType.anys: self = .list(value as! [Any])
        case ContextType.dictionary, ContextType.string: self = .other(value)
        default:
            if value is NSNull {
                self = .null
                return
            }
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                if let wrapped = mirror.children.first?.value { self = SectionValue(wrapped) } else { self = .null }
            case .collection?, .set?:
                self = .list(mirror.children.map(\.value))
            default:
                if let bool = value as? Bool { self = .bool(bool) } else { self = .other(value) }
            }
        }
    }
}

private struct MustacheRenderer {
    let templates: [String: MustacheTemplate]
    var stack: [Frame]
    var output: [UInt8] = []

    init(templates: [String: MustacheTemplate], root: Any) {
        self.templates = templates
        stack = [Frame(root)]
        output.reserveCapacity(1 << 16)
    }

    /// swift-mustache's rule for partials: inside an indented standalone partial, a token's
    /// non-empty output that starts a new line (after text this call wrote) gets the indentation.
    mutating func render(_ tokens: [MustacheToken], indentation: [UInt8]?) {
        guard let indentation, !indentation.isEmpty else {
            for token in tokens { render(token, indentation: indentation) }
            return
        }
        let start = output.count
        for token in tokens {
            if endsWithLineFeed(since: start) {
                output.append(contentsOf: indentation)
                let mark = output.count
                render(token, indentation: indentation)
                if output.count == mark { output.removeLast(indentation.count) }
            } else {
                render(token, indentation: indentation)
            }
        }
    }

    /// Whether the text written since `start` ends with a line feed that is a line of its own
    /// (a `\r\n` pair is one character, which is not "\n").
    private func endsWithLineFeed(since start: Int) -> Bool {
        let count = output.count - start
        guard count > 0, output[output.count - 1] == 0x0A else { return false }
        return count < 2 || output[output.count - 2] != 0x0D
    }

    private mutating func render(_ token: MustacheToken, indentation: [UInt8]?) {
        switch token {
        case let .text(bytes):
            output.append(contentsOf: bytes)
        case let .variable(name, escaped):
            guard let value = lookup(name) else { return }
            if ObjectIdentifier(type(of: value)) == ContextType.string {
                write(value as! String, escaped: escaped)
            } else {
                write(describe(value), escaped: escaped)
            }
        case let .section(name, inverted, body):
            let value = lookup(name)
            if inverted {
                renderInverted(value, body, indentation)
            } else if let value {
                renderSection(value, body, indentation)
            }
        case let .partial(name, partialIndentation):
            guard let template = templates[name] else { return }
            let combined = partialIndentation.map { (indentation ?? []) + $0 } ?? indentation
            render(template.tokens, indentation: combined)
        }
    }

    private mutating func renderSection(_ value: Any, _ body: [MustacheToken], _ indentation: [UInt8]?) {
        switch SectionValue(value) {
        case let .dictionaries(items):
            for item in items { renderPushed(.dictionary(item), body, indentation) }
        case let .strings(items):
            for item in items { renderPushed(.value(item), body, indentation) }
        case let .list(items):
            for item in items { renderPushed(Frame(item), body, indentation) }
        case let .bool(flag):
            if flag { render(body, indentation: indentation) }
        case .null:
            break
        case let .other(item):
            renderPushed(Frame(item), body, indentation)
        }
    }

    private mutating func renderInverted(_ value: Any?, _ body: [MustacheToken], _ indentation: [UInt8]?) {
        guard let value else { return render(body, indentation: indentation) }
        switch SectionValue(value) {
        case let .dictionaries(items): if items.isEmpty { renderPushed(.value(value), body, indentation) }
        case let .strings(items): if items.isEmpty { renderPushed(.value(value), body, indentation) }
        case let .list(items): if items.isEmpty { renderPushed(.value(value), body, indentation) }
        case let .bool(flag): if !flag { render(body, indentation: indentation) }
        case .null: render(body, indentation: indentation)
        case .other: break
        }
    }

    private mutating func renderPushed(_ frame: Frame, _ body: [MustacheToken], _ indentation: [UInt8]?) {
        stack.append(frame)
        render(body, indentation: indentation)
        stack.removeLast()
    }

    /// `.` is the current item; `a.b` finds `a` in the nearest item that has it, then `b` in it;
    /// `.a` looks in the current item only.
    private func lookup(_ name: MustacheName) -> Any? {
        if name.isCurrent { return stack[stack.count - 1].value }
        guard let first = name.components.first else { return stack[stack.count - 1].value }
        var found: Any?
        if name.isLocal {
            found = stack[stack.count - 1].child(first)
        } else {
            var i = stack.count - 1
            while i >= 0 {
                if let value = stack[i].child(first) {
                    found = value
                    break
                }
                i -= 1
            }
        }
        guard var value = found else { return nil }
        for component in name.components.dropFirst() {
            guard let next = reflectedChild(of: value, component) else { return nil }
            value = next
        }
        return value
    }

    private func describe(_ value: Any) -> String {
        if ObjectIdentifier(type(of: value)) == ContextType.bool { return (value as! Bool) ? "true" : "false" }
        guard let unwrapped = unwrapped(value) else { return String(describing: value) }
        return String(describing: unwrapped)
    }

    private mutating func write(_ text: String, escaped: Bool) {
        guard escaped else {
            output.append(contentsOf: text.utf8)
            return
        }
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
            default: output.append(b)
            }
        }
    }
}
