import Foundation

/// A value that can be written into a path, query or header parameter as text.
///
/// Generated enums are covered by the `RawRepresentable` overloads of `OperationRequest`,
/// so this protocol only lists the scalar types the generator maps parameters to.
public protocol ParameterValue: Sendable {
    var parameterText: String { get }
}

extension String: ParameterValue { public var parameterText: String { self } }
extension Bool: ParameterValue { public var parameterText: String { self ? "true" : "false" } }
extension Int: ParameterValue { public var parameterText: String { String(self) } }
extension Int32: ParameterValue { public var parameterText: String { String(self) } }
extension Int64: ParameterValue { public var parameterText: String { String(self) } }
extension Double: ParameterValue { public var parameterText: String { String(self) } }
extension Float: ParameterValue { public var parameterText: String { String(self) } }
extension Decimal: ParameterValue { public var parameterText: String { "\(self)" } }
extension UUID: ParameterValue { public var parameterText: String { uuidString.lowercased() } }
extension DateTime: ParameterValue { public var parameterText: String { text } }

/// Percent-encoding per RFC 3986 for the two places a parameter's text lands.
public enum PercentEncoding {
    /// Unreserved characters (ALPHA / DIGIT / "-" / "." / "_" / "~"): the only bytes left as they are.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Encodes every byte that is not unreserved, so `/`, `?`, `#`, `%`, spaces and non-ASCII
    /// characters can never change the URL's structure.
    public static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A path segment: as `encode`, and a value made only of dots (`.`, `..`) has its dots
    /// encoded too, so it cannot be read as a dot segment that climbs the path.
    public static func encodePathSegment(_ text: String) -> String {
        if !text.isEmpty && text.utf8.allSatisfy({ $0 == UInt8(ascii: ".") }) {
            return String(repeating: "%2E", count: text.utf8.count)
        }
        return encode(text)
    }
}
