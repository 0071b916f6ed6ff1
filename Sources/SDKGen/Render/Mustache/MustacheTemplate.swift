/// A parsed Mustache template: the Mustache spec's interpolation (`{{x}}` HTML-escaped,
/// `{{{x}}}` and `{{&x}}` as they are), dotted names and `{{.}}`, sections, inverted sections,
/// comments, partials (a standalone partial indents every line it renders) and set delimiters.
/// Whitespace follows swift-mustache 2.x, the engine the templates were written for, so its
/// output is byte for byte the same: a line holding only a section, closing, comment, partial or
/// delimiter tag (and spaces or tabs) is left out, and text is kept as one token per line.
/// swift-mustache's own extensions (transforms `f(x)`, blocks `{{$x}}`, parents `{{<x}}`, dynamic
/// partials, `{{%pragmas}}`) are refused with their place in the template.
struct MustacheTemplate: Sendable {
    let tokens: [MustacheToken]

    init(_ text: String) throws {
        var parser = MustacheParser(Array(text.utf8))
        tokens = try parser.parse(section: nil, newLine: true)
    }
}

enum MustacheToken: Sendable {
    /// Text up to and including a line end, or up to a tag.
    case text([UInt8])
    case variable(MustacheName, escaped: Bool)
    case section(MustacheName, inverted: Bool, body: [MustacheToken])
    /// The partial's name as a key (the library finds templates by key);
    /// `indentation`: the spaces before a standalone partial tag (nil when the tag shares its line).
    case partial(TemplateKey, indentation: [UInt8]?)
}

/// A tag's name, split at dots and resolved to keys once, when parsed.
struct MustacheName: Sendable, Equatable {
    /// `{{.}}`: the current item.
    let isCurrent: Bool
    /// `{{.name}}`: looked up in the current item only, not in the items around it.
    let isLocal: Bool
    let keys: [TemplateKey]

    init(_ text: String) {
        isCurrent = text == "."
        isLocal = !isCurrent && text.first == "."
        keys = text.split(separator: ".").map { TemplateKey(String($0)) }
    }
}

public struct MustacheError: Error, CustomStringConvertible, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "line \(line), column \(column): \(message)" }
}

private let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

private struct MustacheParser {
    let bytes: [UInt8]
    var position = 0
    var open: [UInt8] = Array("{{".utf8)
    var close: [UInt8] = Array("}}".utf8)

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }

    /// Tokens up to the closing tag of `section` (consumed), or to the end of the text.
    /// `newLine`: the parser is at the start of a line (where a standalone tag may stand).
    mutating func parse(section: String?, newLine startsLine: Bool) throws -> [MustacheToken] {
        var tokens: [MustacheToken] = []
        var newLine = startsLine
        var whiteSpaceBefore: ArraySlice<UInt8> = []
        while !atEnd {
            if newLine { whiteSpaceBefore = readSpacesAndTabs() }
            let (text, stop) = try readText()
            if case .lineEnd = stop {
                let end = position + lineEndLength(at: position)
                tokens.append(.text(Array(whiteSpaceBefore) + text + bytes[position..<end]))
                position = end
                newLine = true
                continue
            }
            if !text.isEmpty {
                tokens.append(.text(Array(whiteSpaceBefore) + text))
                whiteSpaceBefore = []
                newLine = false
            }
            if case .end = stop { break }
            // After an opening delimiter.
            let tagStart = position - open.count
            guard !atEnd else { throw error("the tag is not closed", at: tagStart) }
            var setNewLine = false
            switch bytes[position] {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = bytes[position] == UInt8(ascii: "^")
                position += 1
                let name = try readName(tagStart)
                if isStandalone(newLine) {
                    setNewLine = true
                } else if !whiteSpaceBefore.isEmpty {
                    tokens.append(.text(Array(whiteSpaceBefore)))
                    whiteSpaceBefore = []
                }
                let body = try parse(section: name, newLine: setNewLine && newLine)
                tokens.append(.section(MustacheName(name), inverted: inverted, body: body))
            case UInt8(ascii: "/"):
                position += 1
                let name = try readName(tagStart)
                guard name == section else {
                    throw error(section.map { "'{{/\(name)}}' closes no open section; '{{#\($0)}}' is open" } ?? "'{{/\(name)}}' closes no open section", at: tagStart)
                }
                if !isStandalone(newLine), !whiteSpaceBefore.isEmpty { tokens.append(.text(Array(whiteSpaceBefore))) }
                return tokens
            case UInt8(ascii: "!"):
                position += 1
                guard let end = find(close, from: position) else { throw error("the comment is not closed", at: tagStart) }
                position = end + close.count
                setNewLine = isStandalone(newLine)
            case UInt8(ascii: "{"), UInt8(ascii: "&"):
                let triple = bytes[position] == UInt8(ascii: "{")
                if !whiteSpaceBefore.isEmpty {
                    tokens.append(.text(Array(whiteSpaceBefore)))
                    whiteSpaceBefore = []
                }
                position += 1
                let name = try readName(tagStart)
                if triple {
                    guard !atEnd, bytes[position] == UInt8(ascii: "}") else { throw error("'{{{' needs '}}}'", at: tagStart) }
                    position += 1
                }
                tokens.append(.variable(MustacheName(name), escaped: false))
            case UInt8(ascii: ">"):
                position += 1
                skipWhitespace()
                if !atEnd, bytes[position] == UInt8(ascii: "*") { throw error("dynamic partials ('{{>*name}}') are not supported", at: tagStart) }
                let name = read(while: Self.isPartialNameByte)
                skipWhitespace()
                guard startsWith(close) else { throw error("the partial tag is not closed with '\(String(decoding: close, as: UTF8.self))'", at: tagStart) }
                position += close.count
                if !whiteSpaceBefore.isEmpty { tokens.append(.text(Array(whiteSpaceBefore))) }
                if isStandalone(newLine) {
                    setNewLine = true
                    tokens.append(.partial(TemplateKey(name), indentation: Array(whiteSpaceBefore)))
                } else {
                    tokens.append(.partial(TemplateKey(name), indentation: nil))
                }
                whiteSpaceBefore = []
            case UInt8(ascii: "="):
                position += 1
                try setDelimiters(tagStart)
                setNewLine = isStandalone(newLine)
            case UInt8(ascii: "$"), UInt8(ascii: "<"), UInt8(ascii: "%"):
                throw error("'\(Character(Unicode.Scalar(bytes[position])))' tags (swift-mustache blocks, parents and pragmas) are not supported", at: tagStart)
            default:
                if !whiteSpaceBefore.isEmpty {
                    tokens.append(.text(Array(whiteSpaceBefore)))
                    whiteSpaceBefore = []
                }
                tokens.append(.variable(MustacheName(try readName(tagStart)), escaped: true))
            }
            newLine = setNewLine
        }
        if let section { throw error("'{{#\(section)}}' is not closed", at: bytes.count) }
        return tokens
    }

    private enum Stop { case lineEnd, tag, end }

    /// Text up to a line end (not consumed), an opening delimiter (consumed) or the end.
    private mutating func readText() throws -> ([UInt8], Stop) {
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            if b == lineFeed || (b == carriageReturn && position + 1 < bytes.count && bytes[position + 1] == lineFeed) {
                return (Array(bytes[start..<position]), .lineEnd)
            }
            if b == open[0], startsWith(open) {
                let text = Array(bytes[start..<position])
                position += open.count
                return (text, .tag)
            }
            position += 1
        }
        return (Array(bytes[start..<position]), .end)
    }

    private func lineEndLength(at index: Int) -> Int { bytes[index] == carriageReturn ? 2 : 1 }

    /// A name, the spaces around it and the closing delimiter.
    private mutating func readName(_ tagStart: Int) throws -> String {
        skipWhitespace()
        let name = read(while: Self.isNameByte)
        skipWhitespace()
        if !atEnd, bytes[position] == UInt8(ascii: "(") || bytes[position] == UInt8(ascii: ")") {
            throw error("transforms ('name(...)') are not supported", at: tagStart)
        }
        guard startsWith(close) else {
            throw error("the tag '\(name)' is not closed with '\(String(decoding: close, as: UTF8.self))'", at: tagStart)
        }
        guard !name.isEmpty else { throw error("the tag has no name", at: tagStart) }
        position += close.count
        return name
    }

    /// `{{=<% %>=}}`.
    private mutating func setDelimiters(_ tagStart: Int) throws {
        skipWhitespace()
        let newOpen = readUntil { $0 == space || $0 == tab || $0 == lineFeed || $0 == carriageReturn }
        skipWhitespace()
        let newClose = readUntil { $0 == UInt8(ascii: "=") || $0 == space || $0 == tab || $0 == lineFeed || $0 == carriageReturn }
        skipWhitespace()
        guard !newOpen.isEmpty, !newClose.isEmpty, !atEnd, bytes[position] == UInt8(ascii: "=") else {
            throw error("a delimiter tag is written '{{=<% %>=}}'", at: tagStart)
        }
        position += 1
        guard startsWith(close) else { throw error("a delimiter tag is written '{{=<% %>=}}'", at: tagStart) }
        position += close.count
        open = newOpen
        close = newClose
    }

    /// At the start of a line, a tag alone on it: consumes the rest of the line (spaces, tabs and
    /// the line end) and returns true.
    private mutating func isStandalone(_ newLine: Bool) -> Bool {
        guard newLine else { return false }
        if atEnd { return true }
        var i = position
        while i < bytes.count, bytes[i] == space || bytes[i] == tab { i += 1 }
        guard i < bytes.count, bytes[i] == lineFeed || (bytes[i] == carriageReturn && i + 1 < bytes.count && bytes[i + 1] == lineFeed) else {
            return false
        }
        position = i + lineEndLength(at: i)
        return true
    }

    private mutating func readSpacesAndTabs() -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count, bytes[position] == space || bytes[position] == tab { position += 1 }
        return bytes[start..<position]
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, bytes[position] == space || bytes[position] == tab || bytes[position] == lineFeed || bytes[position] == carriageReturn {
            position += 1
        }
    }

    private mutating func read(while predicate: (UInt8) -> Bool) -> String {
        let start = position
        while position < bytes.count, predicate(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func readUntil(_ stop: (UInt8) -> Bool) -> [UInt8] {
        let start = position
        while position < bytes.count, !stop(bytes[position]) { position += 1 }
        return Array(bytes[start..<position])
    }

    private func startsWith(_ delimiter: [UInt8]) -> Bool {
        guard position + delimiter.count <= bytes.count else { return false }
        for (k, b) in delimiter.enumerated() where bytes[position + k] != b { return false }
        return true
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: "?") || b == UInt8(ascii: "*")
    }

    private static func isPartialNameByte(_ b: UInt8) -> Bool { isNameByte(b) || b == UInt8(ascii: "/") }

    private func error(_ message: String, at offset: Int) -> MustacheError {
        var line = 1, column = 1
        for b in bytes[0..<min(offset, bytes.count)] {
            if b == lineFeed { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return MustacheError(line: line, column: column, message: message)
    }
}
