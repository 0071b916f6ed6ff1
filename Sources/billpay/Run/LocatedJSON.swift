import Foundation

/// A JSON value with the line and column it starts at, so that a plan file's errors can say
/// where. Numbers keep their text (an amount becomes a `Decimal` exactly, never a `Double`).
indirect enum LocatedJSON {
    case object([(key: String, value: LocatedJSON, line: Int, column: Int)], line: Int, column: Int)
    case array([LocatedJSON], line: Int, column: Int)
    case string(String, line: Int, column: Int)
    case number(String, line: Int, column: Int)
    case bool(Bool, line: Int, column: Int)
    case null(line: Int, column: Int)

    var line: Int {
        switch self {
        case let .object(_, line, _), let .array(_, line, _), let .string(_, line, _), let .number(_, line, _),
             let .bool(_, line, _), let .null(line, _):
            return line
        }
    }

    var column: Int {
        switch self {
        case let .object(_, _, column), let .array(_, _, column), let .string(_, _, column), let .number(_, _, column),
             let .bool(_, _, column), let .null(_, column):
            return column
        }
    }

    /// What the value is, for messages ("a number", "an object").
    var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// Parses one JSON text (RFC 8259); `startLine` numbers the first line (JSON Lines).
    static func parse(_ text: String, startLine: Int = 1) throws -> LocatedJSON {
        var parser = Parser(scalars: Array(text.unicodeScalars), line: startLine)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.index < parser.scalars.count { throw parser.error("unexpected '\(parser.scalars[parser.index])' after the JSON value") }
        return value
    }

    struct SyntaxError: Error {
        let line: Int
        let column: Int
        let message: String
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var line: Int
        var lineStart = 0

        init(scalars: [Unicode.Scalar], line: Int) {
            self.scalars = scalars
            self.line = line
        }

        var column: Int { index - lineStart + 1 }

        func error(_ message: String) -> SyntaxError { SyntaxError(line: line, column: column, message: message) }

        mutating func skipSpace() {
            while index < scalars.count {
                switch scalars[index] {
                case "\n":
                    index += 1
                    line += 1
                    lineStart = index
                case " ", "\t", "\r":
                    index += 1
                default:
                    return
                }
            }
        }

        mutating func value(depth: Int) throws -> LocatedJSON {
            guard depth < 64 else { throw error("nested more than 64 levels deep") }
            guard index < scalars.count else { throw error("the file ends where a value was expected") }
            let (startLine, startColumn) = (line, column)
            switch scalars[index] {
            case "{":
                index += 1
                var members: [(key: String, value: LocatedJSON, line: Int, column: Int)] = []
                skipSpace()
                if index < scalars.count, scalars[index] == "}" {
                    index += 1
                    return .object(members, line: startLine, column: startColumn)
                }
                while true {
                    skipSpace()
                    let (keyLine, keyColumn) = (line, column)
                    guard index < scalars.count, scalars[index] == "\"" else { throw error("expected a member name in double quotes") }
                    let key = try string()
                    skipSpace()
                    guard index < scalars.count, scalars[index] == ":" else { throw error("expected ':' after the member name \"\(key)\"") }
                    index += 1
                    skipSpace()
                    members.append((key, try value(depth: depth + 1), keyLine, keyColumn))
                    skipSpace()
                    guard index < scalars.count else { throw error("the file ends inside an object (missing '}')") }
                    if scalars[index] == "," { index += 1; continue }
                    if scalars[index] == "}" { index += 1; return .object(members, line: startLine, column: startColumn) }
                    throw error("expected ',' or '}' in the object, found '\(scalars[index])'")
                }
            case "[":
                index += 1
                var elements: [LocatedJSON] = []
                skipSpace()
                if index < scalars.count, scalars[index] == "]" {
                    index += 1
                    return .array(elements, line: startLine, column: startColumn)
                }
                while true {
                    skipSpace()
                    elements.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < scalars.count else { throw error("the file ends inside an array (missing ']')") }
                    if scalars[index] == "," { index += 1; continue }
                    if scalars[index] == "]" { index += 1; return .array(elements, line: startLine, column: startColumn) }
                    throw error("expected ',' or ']' in the array, found '\(scalars[index])'")
                }
            case "\"":
                return .string(try string(), line: startLine, column: startColumn)
            case "-", "0"..."9":
                return .number(try number(), line: startLine, column: startColumn)
            default:
                for (word, value) in [("true", LocatedJSON.bool(true, line: startLine, column: startColumn)),
                                      ("false", .bool(false, line: startLine, column: startColumn)), ("null", .null(line: startLine, column: startColumn))]
                    where matches(word) {
                    index += word.unicodeScalars.count
                    return value
                }
                throw error("unexpected '\(scalars[index])' where a value was expected")
            }
        }

        func matches(_ word: String) -> Bool {
            let word = Array(word.unicodeScalars)
            return index + word.count <= scalars.count && Array(scalars[index..<index + word.count]) == word
        }

        mutating func string() throws -> String {
            index += 1 // the opening quote
            var result = String.UnicodeScalarView()
            while index < scalars.count {
                let scalar = scalars[index]
                index += 1
                switch scalar {
                case "\"":
                    return String(result)
                case "\\":
                    guard index < scalars.count else { break }
                    let escaped = scalars[index]
                    index += 1
                    switch escaped {
                    case "\"": result.append("\"")
                    case "\\": result.append("\\")
                    case "/": result.append("/")
                    case "b": result.append("\u{08}")
                    case "f": result.append("\u{0C}")
                    case "n": result.append("\n")
                    case "r": result.append("\r")
                    case "t": result.append("\t")
                    case "u":
                        guard index + 4 <= scalars.count, let code = UInt32(String(String.UnicodeScalarView(scalars[index..<index + 4])), radix: 16) else {
                            throw error("'\\u' must be followed by four hex digits")
                        }
                        index += 4
                        // A surrogate pair (or a lone surrogate, replaced).
                        if (0xD800...0xDBFF).contains(code), matches("\\u"),
                           let low = UInt32(String(String.UnicodeScalarView(scalars[(index + 2)..<min(index + 6, scalars.count)])), radix: 16),
                           (0xDC00...0xDFFF).contains(low) {
                            index += 6
                            result.append(Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}")
                        } else {
                            result.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                        }
                    default:
                        throw error("unknown escape '\\\(escaped)' in a string")
                    }
                case "\n":
                    throw error("a string must not span lines (missing closing '\"')")
                default:
                    if scalar.value < 0x20 { throw error("a control character must be escaped in a string") }
                    result.append(scalar)
                }
            }
            throw error("the file ends inside a string (missing closing '\"')")
        }

        mutating func number() throws -> String {
            let start = index
            if scalars[index] == "-" { index += 1 }
            func digits() -> Int {
                let from = index
                while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
                return index - from
            }
            guard digits() > 0 else { throw error("a number needs digits after '-'") }
            if index < scalars.count, scalars[index] == "." {
                index += 1
                guard digits() > 0 else { throw error("a number needs digits after '.'") }
            }
            if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
                index += 1
                if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" { index += 1 }
                guard digits() > 0 else { throw error("a number needs digits in its exponent") }
            }
            return String(String.UnicodeScalarView(scalars[start..<index]))
        }
    }
}
