import Foundation

// Foundation only: shared through symlinks with the plugins (Plugins/*/Shared, the generator
// config) and with `billpay` (Sources/billpay/Run/LocatedJSON.swift, payment plan files).

/// A JSON file read into plain values, with where each key and value is written (by JSON
/// pointer), so that an error about the file's content can say `file:line:column`. Numbers keep
/// their text, so an amount becomes a `Decimal` exactly (never through a `Double`). A syntax
/// error (or a key written twice in one object) says where the text goes wrong.
public struct LocatedJSON: Sendable, Equatable {
    /// One JSON value; objects keep their written order.
    public indirect enum Value: Sendable, Equatable {
        case object([Member])
        case array([Value])
        case string(String)
        /// The number as written.
        case number(String)
        case bool(Bool)
        case null

        /// What a config error calls this kind of value.
        public var kindName: String {
            switch self {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }
    }

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: Value
    }

    /// The file's value.
    public private(set) var root: Value = .null

    public struct Position: Sendable, Equatable {
        /// 1-based; the column counts Unicode scalars.
        public var line: Int
        public var column: Int
    }

    /// Where each object member's key is written, by the member's pointer.
    public private(set) var keyPositions: [String: Position] = [:]
    /// Where each value starts (the root's pointer is ""), by pointer.
    public private(set) var valuePositions: [String: Position] = [:]

    /// Where `pointer` is written (an object member: its key; an array element or the root: its
    /// value), else its closest written parent, else 1:1.
    public func position(of pointer: String) -> Position {
        var current = pointer
        while true {
            if let position = keyPositions[current] ?? valuePositions[current] { return position }
            guard let slash = current.lastIndex(of: "/") else { return Position(line: 1, column: 1) }
            current = String(current[..<slash])
        }
    }

    /// Where the value at `pointer` starts, else its closest written parent, else 1:1.
    public func valuePosition(of pointer: String) -> Position {
        var current = pointer
        while true {
            if let position = valuePositions[current] { return position }
            guard let slash = current.lastIndex(of: "/") else { return Position(line: 1, column: 1) }
            current = String(current[..<slash])
        }
    }

    /// `/` and `~` in a key, escaped for a JSON pointer (RFC 6901).
    public static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public struct SyntaxError: Error, Equatable {
        public var message: String
        public var position: Position
    }

    /// Reads `data` as one JSON value (RFC 8259); `firstLine` numbers its first line (a line of
    /// a JSON Lines file).
    public init(data: Data, firstLine: Int = 1) throws(SyntaxError) {
        var scanner = Scanner(bytes: Array(data), line: firstLine)
        scanner.skipByteOrderMark()
        scanner.skipWhitespace()
        let value = try scanner.value(at: "", into: &self)
        root = value
        scanner.skipWhitespace()
        if !scanner.atEnd { throw scanner.error("unexpected text after the JSON value") }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line: Int
        var column = 1
        var depth = 0

        init(bytes: [UInt8], line: Int) {
            self.bytes = bytes
            self.line = line
        }

        var atEnd: Bool { index >= bytes.count }
        var position: Position { Position(line: line, column: column) }

        func error(_ message: String) -> SyntaxError { SyntaxError(message: message, position: position) }

        mutating func advance() {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1 // not a UTF-8 continuation byte: one more scalar
            }
        }

        mutating func skipByteOrderMark() {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        mutating func skipWhitespace() {
            while !atEnd, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[index]) { advance() }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
            guard !atEnd, bytes[index] == byte else { throw error("expected \(what)") }
            advance()
        }

        mutating func value(at pointer: String, into map: inout LocatedJSON) throws(SyntaxError) -> Value {
            guard !atEnd else { throw error("expected a value, found the end of the file") }
            map.valuePositions[pointer] = position
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(at: pointer, into: &map)
            case UInt8(ascii: "["): return try array(at: pointer, into: &map)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("expected a value (an object, array, string, number, true, false or null)")
            }
        }

        mutating func object(at pointer: String, into map: inout LocatedJSON) throws(SyntaxError) -> Value {
            depth += 1
            guard depth < 200 else { throw error("nested more than 200 levels deep") }
            advance()
            var members: [Member] = []
            var seen = Set<String>()
            skipWhitespace()
            if !atEnd, bytes[index] == UInt8(ascii: "}") { advance(); depth -= 1; return .object([]) }
            while true {
                skipWhitespace()
                let keyPosition = position
                guard !atEnd, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
                let key = try string()
                guard seen.insert(key).inserted else {
                    throw SyntaxError(message: "the key '\(key)' is written twice in this object", position: keyPosition)
                }
                let member = pointer + "/" + LocatedJSON.escape(key)
                map.keyPositions[member] = keyPosition
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':' after the member name \"\(key)\"")
                skipWhitespace()
                members.append(Member(key: key, value: try value(at: member, into: &map)))
                skipWhitespace()
                guard !atEnd else { throw error("expected ',' or '}', found the end of the file") }
                if bytes[index] == UInt8(ascii: ",") { advance(); continue }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                depth -= 1
                return .object(members)
            }
        }

        mutating func array(at pointer: String, into map: inout LocatedJSON) throws(SyntaxError) -> Value {
            depth += 1
            guard depth < 200 else { throw error("nested more than 200 levels deep") }
            advance()
            var elements: [Value] = []
            skipWhitespace()
            if !atEnd, bytes[index] == UInt8(ascii: "]") { advance(); depth -= 1; return .array([]) }
            while true {
                skipWhitespace()
                elements.append(try value(at: pointer + "/\(elements.count)", into: &map))
                skipWhitespace()
                guard !atEnd else { throw error("expected ',' or ']', found the end of the file") }
                if bytes[index] == UInt8(ascii: ",") { advance(); continue }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                depth -= 1
                return .array(elements)
            }
        }

        /// A string's text (escapes decoded), the scanner past its closing quote.
        mutating func string() throws(SyntaxError) -> String {
            advance()
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw.removeAll() }
            while true {
                guard !atEnd else { throw error("unterminated string") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { advance(); break }
                if byte < 0x20 { throw error("a control character in a string (write it as an escape)") }
                if byte != UInt8(ascii: "\\") { raw.append(byte); advance(); continue }
                flush()
                advance()
                guard !atEnd else { throw error("unterminated string") }
                let escaped = bytes[index]
                advance()
                switch escaped {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let code = try hexQuad()
                    // A surrogate pair (`\ud83d\ude00`) is one scalar; a lone half reads as U+FFFD.
                    if (0xD800...0xDBFF).contains(code), bytes[index...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) {
                        var after = self
                        after.advance()
                        after.advance()
                        if let low = try? after.hexQuad(), (0xDC00...0xDFFF).contains(low) {
                            self = after
                            scalars.append(Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}")
                            continue
                        }
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: throw error("unknown escape in a string")
                }
            }
            flush()
            return String(scalars)
        }

        /// The four hex digits after `\u`, the scanner past them.
        mutating func hexQuad() throws(SyntaxError) -> UInt32 {
            var code: UInt32 = 0
            for _ in 0..<4 {
                guard !atEnd, let digit = Self.hexValue(bytes[index]) else { throw error("expected four hex digits after \\u") }
                code = code * 16 + digit
                advance()
            }
            return code
        }

        static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            for byte in word.utf8 {
                guard !atEnd, bytes[index] == byte else { throw error("expected '\(word)'") }
                advance()
            }
        }

        /// The number's text as written.
        mutating func number() throws(SyntaxError) -> String {
            let start = index
            func digits() -> Int {
                var count = 0
                while !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { advance(); count += 1 }
                return count
            }
            if bytes[index] == UInt8(ascii: "-") { advance() }
            guard !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { throw error("expected a digit") }
            if bytes[index] == UInt8(ascii: "0") {
                advance()
                if !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { throw error("a number cannot start with 0") }
            } else {
                _ = digits()
            }
            if !atEnd, bytes[index] == UInt8(ascii: ".") {
                advance()
                guard digits() > 0 else { throw error("expected a digit after '.'") }
            }
            if !atEnd, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                advance()
                if !atEnd, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { advance() }
                guard digits() > 0 else { throw error("expected a digit in the exponent") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }
}
