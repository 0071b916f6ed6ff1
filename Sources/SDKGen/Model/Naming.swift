/// Turns any spec name into a Swift identifier. Deterministic: same input, same output.
public enum Naming {
    /// Swift keywords: the one rule for backticks (`SwiftName.rendered`); type names never take one.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as",
        "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "_", "Type", "Protocol",
        "some", "any", "discard", "borrowing", "consuming",
    ]
    // Contextual keywords that are plain identifiers wherever generated code uses names
    // (`open`, `package`, `actor`, `macro`, `each`, `copy`, `consume`) are left out on purpose:
    // `BillStatus.open` reads better than `.openValue` and compiles in Swift 6.

    /// Type names the generated code or the modules it imports already use: Swift's, Foundation's
    /// and swift-openapi-runtime's names that generated code writes, and every top-level public
    /// type of PayablesRuntime (`RuntimeNamesTests` checks that list against the runtime's sources).
    /// A schema with one of these names gets a suffix and a warning.
    static let reservedTypeNames: Set<String> = [
        // Swift and Foundation.
        "String", "Int", "Int32", "Int64", "Double", "Float", "Bool", "Decimal", "Date", "Data", "URL", "UUID",
        "Codable", "Decodable", "Encodable", "Hashable", "Sendable", "Error", "Result",
        "Optional", "Array", "Dictionary", "Set", "Type", "Self", "Any", "AnyObject", "Protocol", "CodingKeys",
        "CodingKey", "Decoder", "Encoder", "Never", "Void", "Character", "RawRepresentable", "CustomStringConvertible",
        "CustomDebugStringConvertible", "Equatable", "Duration", "Swift", "Foundation",
        // swift-openapi-runtime.
        "OpenAPIRuntime", "ClientTransport", "ClientMiddleware",
        // PayablesRuntime.
        "PayablesRuntime", "AnyCodingKey", "CallOptions", "ClientCore", "ClientOptions", "Credential", "DateTime", "HTTPVerb",
        "JSONCoding", "JSONValue", "MultipartFile", "MultipartForm", "OperationRequest", "PageCursor", "Paginated",
        "ParameterValue", "PayablesError", "PayablesErrorKind", "PayablesRequestError", "PercentEncoding", "QueryArrayStyle", "Redaction",
        "RequestBody", "ResponseParts", "RetryConfiguration", "StatusSet", "TransportErrors",
        "PaginationError", "PayablesTelemetry", "PayablesURLSessionTransport", "RateLimit", "ResponseTooLargeError",
        // Declared by the templates.
        "Indirect",
    ]

    /// Type names a module declares besides its models: the client (`Client`), its error alias, the
    /// schema table; and the module's own name, which a type must not shadow (`Module.Bill` must
    /// name the model).
    static func moduleTypeNames(_ module: String) -> Set<String> {
        [module, ClientDeclaration.typeName, module + "Error", module + "Schemas"]
    }

    /// Members every generated string enum declares (a case must not take one of these names).
    static let enumMembers: Set<String> = ["undocumented", "rawValue", "init", "allCases", "documentedCases", "hashValue", "hash", "encode"]
    /// Members every generated one-of enum declares.
    static let oneOfMembers: Set<String> = ["undocumented", "init", "hashValue", "hash", "encode"]
    /// Members every generated struct declares besides its properties.
    static let structMembers: Set<String> = ["hashValue"]
    /// Names a generated client method uses for itself (its resource's `core`, its locals):
    /// an argument with one of these names would shadow them.
    static let methodLocals: Set<String> = ["options", "body", "core", "request", "form", "response", "cursor", "items", "self", "Self", "super"]

    /// Words of a name: split at anything that is not a letter or digit, and at lower->Upper steps.
    static func words(_ text: String) -> [String] {
        if isASCII(text) { return asciiWords(text) }
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for ch in text {
            if ch.isLetter || ch.isNumber {
                if ch.isUppercase && previousWasLower && !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(ch)
                previousWasLower = ch.isLowercase || ch.isNumber
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `words` for ASCII text, on bytes (the same split: `Character`'s letter and case tests agree
    /// with these ranges on ASCII), without the Unicode property lookups that made naming slow.
    private static func asciiWords(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var previousWasLower = false
        for b in text.utf8 {
            let isUpper = b >= 0x41 && b <= 0x5A, isLower = b >= 0x61 && b <= 0x7A, isDigit = b >= 0x30 && b <= 0x39
            if isUpper || isLower || isDigit {
                if isUpper && previousWasLower && !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
                current.append(b)
                previousWasLower = isLower || isDigit
            } else {
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
                previousWasLower = false
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// Letters and digits Swift accepts in identifiers; anything else (emoji, symbols, letters
    /// outside Swift's identifier ranges, invisible characters) becomes its code point.
    private static func identifierSafe(_ word: String) -> String {
        var out = ""
        for scalar in word.unicodeScalars {
            let v = scalar.value
            if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                || (v > 0x7F && scalar.properties.isAlphabetic && isIdentifierCharacter(scalar)) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "U" + String(v, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Swift's identifier grammar (the lexer's ranges, C11 N1518) minus every invisible or
    /// direction-changing character the grammar would allow (U+200B-200D, U+202A-202E, U+2060-206F).
    static func isIdentifierCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let c = scalar.value
        if c < 0x80 {
            return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        if isHidden(scalar) { return false }
        switch c {
        case 0xA8, 0xAA, 0xAD, 0xAF, 0xB2...0xB5, 0xB7...0xBA, 0xBC...0xBE, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0xFF,
             0x100...0x167F, 0x1681...0x180D, 0x180F...0x1FFF, 0x203F...0x2040, 0x2054, 0x2070...0x218F, 0x2460...0x24FF,
             0x2776...0x2793, 0x2C00...0x2DFF, 0x2E80...0x2FFF, 0x3004...0x3007, 0x3021...0x302F, 0x3031...0x303F,
             0x3040...0xD7FF, 0xF900...0xFD3D, 0xFD40...0xFDCF, 0xFDF0...0xFE44, 0xFE47...0xFFF8:
            return true
        case 0x10000...0xEFFFD:
            return c & 0xFFFF < 0xFFFE
        default:
            return false
        }
    }

    /// Whether an identifier may start with this character (combining marks may not).
    static func isIdentifierHead(_ scalar: Unicode.Scalar) -> Bool {
        let c = scalar.value
        if c >= 0x30 && c <= 0x39 { return false }
        if (0x300...0x36F).contains(c) || (0x1DC0...0x1DFF).contains(c) || (0x20D0...0x20FF).contains(c) || (0xFE20...0xFE2F).contains(c) {
            return false
        }
        return isIdentifierCharacter(scalar)
    }

    /// Characters a reader cannot see or that reorder what they see: controls (but tab, line feed,
    /// carriage return), format characters (bidi embeddings, overrides and isolates, zero-width
    /// characters, byte-order marks), line and paragraph separators, and default-ignorable code points.
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII, without the Unicode property tables: only controls are hidden there.
        if scalar.value < 0x80 { return scalar.value == 0x7F || (scalar.value < 0x20 && scalar.value != 0x09 && scalar.value != 0x0A && scalar.value != 0x0D) }
        switch scalar.properties.generalCategory {
        case .control: return !(scalar == "\t" || scalar == "\n" || scalar == "\r")
        case .format, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    /// Whether every UTF-8 byte of the text passes `test`, read from the string's own storage:
    /// `String.UTF8View.allSatisfy` steps index by index, which showed in translator profiles.
    @inline(__always) static func allBytes(of text: String, are test: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(test) } ?? text.utf8.allSatisfy(test)
    }

    /// Whether the text is ASCII only (the byte-level naming paths apply).
    @inline(__always) static func isASCII(_ text: String) -> Bool { allBytes(of: text, are: { $0 < 0x80 }) }

    /// Whether text holds a character `isHidden` would escape or drop.
    public static func containsHidden(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isHidden)
    }

    /// Whether some byte of the text is a control byte, DEL or part of a non-ASCII scalar: only
    /// such a text can hold a character `isHidden` finds (it may still hold none: a tab, `é`).
    /// A cheap filter before `containsHidden`, reading eight bytes at a time, as the translator
    /// checks every scalar of the document and nearly all are printable ASCII.
    static func mayContainHidden(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080, del = ones &* 0x7F
            var i = 0
            while i + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                // Per byte: high bit set, or below 0x20, or equal to 0x7F (the "has less than" and
                // "has zero byte" tricks: never a miss; a false hit only costs the exact check).
                let below = (word &- ones &* 0x20) & ~word
                let xored = word ^ del
                let isDel = (xored &- ones) & ~xored
                if (word | below | isDel) & high != 0 { return true }
                i += 8
            }
            while i < bytes.count {
                if base[i] < 0x20 || base[i] >= 0x7F { return true }
                i += 1
            }
            return false
        }
    }

    /// `list-bills` -> `ListBills`, `banking-accountBalances` -> `BankingAccountBalances`.
    public static func upperCamel(_ text: String) -> String {
        if isASCII(text) { return asciiUpperCamel(text) }
        var words = words(text)
        if words.isEmpty {
            words = text.unicodeScalars.map { "U" + String($0.value, radix: 16, uppercase: true) }
        }
        var out = words.map { word -> String in
            let safe = identifierSafe(word)
            // Upper-casing can give characters outside the identifier ranges: checked again below.
            return safe.prefix(1).uppercased() + safe.dropFirst()
        }.joined()
        out = identifierSafe(out)
        if out.isEmpty { out = "Unnamed" }
        if let first = out.unicodeScalars.first, !isIdentifierHead(first) { out = "_" + out }
        return out
    }

    /// `total_amount` -> `totalAmount`, `URLPath` -> `urlPath`, `self` -> `self` (`SwiftName.rendered` escapes it).
    public static func lowerCamel(_ text: String) -> String {
        if isASCII(text) {
            let upper = asciiUpperCamel(text)
            return upper.utf8.first == UInt8(ascii: "_") ? upper : asciiLowerLeadingCapitals(upper)
        }
        let upper = upperCamel(text)
        if upper.hasPrefix("_") { return upper }
        // Lower the leading run of capitals (`URLPath` -> `urlPath`, `ID` -> `id`).
        if isASCII(upper) { return asciiLowerLeadingCapitals(upper) }
        let chars = Array(upper)
        var i = 0
        while i < chars.count && chars[i].isUppercase { i += 1 }
        if i == 0 { return upper }
        let lowerCount = (i == 1 || i == chars.count) ? i : i - 1
        return String(chars[0..<lowerCount]).lowercased() + String(chars[lowerCount...])
    }

    /// `upperCamel` for ASCII text, in one pass over its bytes (the split of `words`, each word's
    /// first letter raised): its words are letters and digits already, nothing for
    /// `identifierSafe` to replace, and no word is made as a string of its own.
    private static func asciiUpperCamel(_ text: String) -> String {
        let out = String(unsafeUninitializedCapacity: text.utf8.count + 1) { buffer in
            var count = 0
            var inWord = false
            for b in text.utf8 {
                let isUpper = b >= 0x41 && b <= 0x5A, isLower = b >= 0x61 && b <= 0x7A, isDigit = b >= 0x30 && b <= 0x39
                guard isUpper || isLower || isDigit else {
                    inWord = false
                    continue
                }
                // A word starts after a separator (its first letter is raised) or at a lower->Upper
                // step (a capital already).
                if count == 0 && isDigit {
                    buffer[0] = UInt8(ascii: "_")
                    count = 1
                }
                buffer[count] = !inWord && isLower ? b - 0x20 : b
                count += 1
                inWord = true
            }
            return count
        }
        if !out.isEmpty { return out }
        // No letter or digit at all: the code points (`U2D` for `-`), or `Unnamed` for nothing.
        return text.isEmpty ? "Unnamed" : text.unicodeScalars.map { "U" + String($0.value, radix: 16, uppercase: true) }.joined()
    }

    /// `lowerCamel`'s last step for ASCII text: the leading capitals lowered, but the last of a
    /// run when more letters follow (`URLPath` -> `urlPath`).
    private static func asciiLowerLeadingCapitals(_ upper: String) -> String {
        String(unsafeUninitializedCapacity: upper.utf8.count) { buffer in
            var count = 0
            for b in upper.utf8 {
                buffer[count] = b
                count += 1
            }
            var i = 0
            while i < count && buffer[i] >= 0x41 && buffer[i] <= 0x5A { i += 1 }
            let lowerCount = (i <= 1 || i == count) ? i : i - 1
            for k in 0..<lowerCount { buffer[k] += 0x20 }
            return count
        }
    }

    /// The body of a Swift string literal (without quotes) that spells `text` exactly: quotes,
    /// backslashes, controls and hidden characters (`isHidden`) are written as escapes.
    public static func stringLiteralBody(_ text: String) -> String {
        // Most texts need no escape: printable ASCII without quotes or backslashes.
        if allBytes(of: text, are: { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || isHidden(scalar) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Text for a `//` comment: one line, with line breaks, controls and hidden characters
    /// written as visible `\u{...}` escapes (so nothing after it can leave the comment).
    public static func lineComment(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || isHidden(scalar) || scalar == "\u{85}" {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Line breaks as line feeds, tabs as spaces, controls and hidden characters dropped.
    private static func docText(_ text: String) -> String {
        var cleaned = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x2028, 0x2029, 0x85: cleaned.unicodeScalars.append("\n")
            case 0x09: cleaned.unicodeScalars.append(" ")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || isHidden(scalar) { continue }
                cleaned.unicodeScalars.append(scalar)
            }
        }
        return cleaned
    }

    /// Doc comment lines: line breaks split lines; tabs become spaces; controls and hidden
    /// characters (`isHidden`) are dropped. Each line is the text after `///` (empty lines stay
    /// empty so no trailing space is written).
    public static func docLines(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        // ASCII text without controls but line feeds needs no cleaning.
        let cleaned = allBytes(of: text, are: { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A }) ? text : docText(text)
        if isASCII(cleaned) { return asciiDocLines(cleaned) }
        var lines = cleaned.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String(line)
            while l.last == " " { l.removeLast() }
            return l.isEmpty ? "" : " " + l
        }
        while lines.first == "" { lines.removeFirst() }
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}

extension Naming {
    /// `docLines` for cleaned ASCII text (no controls but line feeds), on bytes: the same lines
    /// without splitting into substrings and trimming `Character` by `Character` (the slow part
    /// of translating a large document). In ASCII without carriage returns a byte is a `Character`.
    private static func asciiDocLines(_ cleaned: String) -> [String] {
        var lines: [String] = []
        var text = cleaned
        text.withUTF8 { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                let next = end + 1
                while end > start && bytes[end - 1] == 0x20 { end -= 1 }
                if end == start {
                    lines.append("")
                } else {
                    let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    lines.append(String(unsafeUninitializedCapacity: line.count + 1) { out in
                        out[0] = 0x20
                        _ = UnsafeMutableBufferPointer(rebasing: out[1...]).initialize(from: line)
                        return line.count + 1
                    })
                }
                start = next
            }
        }
        while lines.first == "" { lines.removeFirst() }
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// Hands out unique names in the order asked, suffixing 2, 3, ... on collision.
struct NameRegistry {
    /// The names handed out. The reserved ones are looked up apart: a registry (one per struct,
    /// enum and method) then never copies its reserved set to add to it.
    private var used: Set<String> = []
    private let reserved: Set<String>

    /// `capacity`: about how many names will be claimed (room made once, not grown step by step).
    init(reserved: Set<String> = [], capacity: Int = 0) {
        self.reserved = reserved
        used.reserveCapacity(capacity)
    }

    /// Whether `name` is one of the names this registry started with (not one it handed out).
    func isReserved(_ name: String) -> Bool { reserved.contains(name) }

    private func isTaken(_ name: String) -> Bool { used.contains(name) || reserved.contains(name) }

    mutating func claim(_ base: String) -> String {
        if !isTaken(base) {
            used.insert(base)
            return base
        }
        var n = 2
        while isTaken("\(base)\(n)") { n += 1 }
        used.insert("\(base)\(n)")
        return "\(base)\(n)"
    }
}
