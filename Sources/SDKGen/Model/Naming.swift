/// Turns any spec name into a Swift identifier. Deterministic: same input, same output.
public enum Naming {
    /// Swift keywords that need backticks as member names.
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

    /// Type names the generated code or the runtime already uses.
    static let reservedTypeNames: Set<String> = [
        "String", "Int", "Int32", "Int64", "Double", "Float", "Bool", "Decimal", "Date", "Data", "URL", "UUID",
        "JSONValue", "DateTime", "Codable", "Decodable", "Encodable", "Hashable", "Sendable", "Error", "Result",
        "Optional", "Array", "Dictionary", "Set", "Type", "Self", "Any", "AnyObject", "Protocol", "CodingKeys",
        "Decoder", "Encoder", "Never", "Void", "Character", "Foundation", "PayablesRuntime",
    ]

    /// Words of a name: split at anything that is not a letter or digit, and at lower->Upper steps.
    static func words(_ text: String) -> [String] {
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

    /// Letters and digits Swift accepts in identifiers; anything else (emoji, symbols) becomes its code point.
    private static func identifierSafe(_ word: String) -> String {
        var out = ""
        for scalar in word.unicodeScalars {
            let v = scalar.value
            if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || (v > 0x7F && scalar.properties.isAlphabetic) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "U" + String(v, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// `list-bills` -> `ListBills`, `banking-accountBalances` -> `BankingAccountBalances`.
    public static func upperCamel(_ text: String) -> String {
        var words = words(text)
        if words.isEmpty {
            words = text.unicodeScalars.map { "U" + String($0.value, radix: 16, uppercase: true) }
        }
        var out = words.map { word -> String in
            let safe = identifierSafe(word)
            return safe.prefix(1).uppercased() + safe.dropFirst()
        }.joined()
        if out.isEmpty { out = "Unnamed" }
        if out.first!.isNumber { out = "_" + out }
        return out
    }

    /// `total_amount` -> `totalAmount`, `URLPath` -> `urlPath`, `self` -> `self` (escape separately).
    public static func lowerCamel(_ text: String) -> String {
        let upper = upperCamel(text)
        if upper.hasPrefix("_") { return upper }
        // Lower the leading run of capitals (`URLPath` -> `urlPath`, `ID` -> `id`).
        let chars = Array(upper)
        var i = 0
        while i < chars.count && chars[i].isUppercase { i += 1 }
        if i == 0 { return upper }
        let lowerCount = (i == 1 || i == chars.count) ? i : i - 1
        return String(chars[0..<lowerCount]).lowercased() + String(chars[lowerCount...])
    }

    /// A member name, with backticks when it is a keyword.
    public static func member(_ text: String) -> String {
        let name = lowerCamel(text)
        return keywords.contains(name) ? "`\(name)`" : name
    }

    /// The body of a Swift string literal (without quotes) that spells `text` exactly.
    public static func stringLiteralBody(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) || scalar.value == 0xFEFF {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Doc comment lines: no control characters, no byte-order marks; each line as the text
    /// after `///` (empty lines stay empty so no trailing space is written).
    public static func docLines(_ text: String) -> [String] {
        var cleaned = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFEFF, 0x200B: continue
            case 0x0A, 0x2028, 0x2029, 0x85: cleaned.unicodeScalars.append("\n")
            case 0x0D: continue
            case 0x09: cleaned.unicodeScalars.append(" ")
            case 0..<0x20, 0x7F: continue
            default: cleaned.unicodeScalars.append(scalar)
            }
        }
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

/// Hands out unique names in the order asked, suffixing 2, 3, ... on collision.
struct NameRegistry {
    private var used: Set<String>

    init(reserved: Set<String> = []) { used = reserved }

    mutating func claim(_ base: String) -> String {
        if !used.contains(base) {
            used.insert(base)
            return base
        }
        var n = 2
        while used.contains("\(base)\(n)") { n += 1 }
        used.insert("\(base)\(n)")
        return "\(base)\(n)"
    }
}
