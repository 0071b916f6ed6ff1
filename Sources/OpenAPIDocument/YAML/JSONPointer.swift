/// RFC 6901 JSON pointers, as written in `$ref` fragments (percent-encoded per RFC 3986).
public enum JSONPointer {
    public static func escape(_ component: String) -> String {
        guard component.contains(where: { $0 == "~" || $0 == "/" }) else { return component }
        var out = ""
        for c in component {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case notAbsolute(String)
        case badEscape(String)
        case badPercentEncoding(String)

        public var description: String {
            switch self {
            case let .notAbsolute(p): return "JSON pointer '\(p)' must be empty or start with '/'"
            case let .badEscape(c): return "JSON pointer component '\(c)' has a '~' not followed by 0 or 1"
            case let .badPercentEncoding(c): return "JSON pointer component '\(c)' has invalid percent-encoding"
            }
        }
    }

    /// Splits a fragment (the part after `#`) into unescaped components.
    public static func components(ofFragment fragment: String) throws(ParseError) -> [String] {
        if let components = plainASCIIComponents(fragment) { return components }
        let decoded = try percentDecode(fragment)
        if decoded.isEmpty { return [] }
        guard decoded.first == "/" else { throw .notAbsolute(decoded) }
        return try decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { raw throws(ParseError) in
            guard raw.contains("~") else { return String(raw) }
            var out = ""
            var iterator = raw.makeIterator()
            while let c = iterator.next() {
                if c == "~" {
                    switch iterator.next() {
                    case "0": out.append("~")
                    case "1": out.append("/")
                    default: throw .badEscape(String(raw))
                    }
                } else {
                    out.append(c)
                }
            }
            return out
        }
    }

    /// The common case (`/components/schemas/Bill`) split on bytes: an absolute pointer in ASCII
    /// with no `%` or `~`. Nil for anything else, which the general path above reads (non-ASCII text
    /// is split by Character there, where a combining mark can join a `/`).
    private static func plainASCIIComponents(_ fragment: String) -> [String]? {
        var fragment = fragment
        return fragment.withUTF8 { bytes -> [String]? in
            guard !bytes.isEmpty else { return [] }
            guard bytes[0] == UInt8(ascii: "/") else { return nil }
            var components: [String] = []
            var start = 1
            var i = 1
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x80 || b == UInt8(ascii: "%") || b == UInt8(ascii: "~") { return nil }
                if b == UInt8(ascii: "/") {
                    components.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                    start = i + 1
                }
                i += 1
            }
            components.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), as: UTF8.self))
            return components
        }
    }

    static func percentDecode(_ text: String) throws(ParseError) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var utf8 = Array(text.utf8)[...]
        while let b = utf8.popFirst() {
            if b == UInt8(ascii: "%") {
                guard utf8.count >= 2, let hi = hexValue(utf8[utf8.startIndex]), let lo = hexValue(utf8[utf8.startIndex + 1]) else {
                    throw .badPercentEncoding(text)
                }
                bytes.append(hi << 4 | lo)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .badPercentEncoding(text) }
        return decoded
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
