/// A Swift identifier the translator decided (`accountNumber`, `default`, `BillStatus`), never
/// escaped. `rendered` is the one place backticks are added: template contexts (`Render/`) use it,
/// nothing else does, so no name travels with backticks added and stripped again.
public struct SwiftName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier as Swift reads it, without backticks.
    public let identifier: String
    /// The identifier as written in generated code: in backticks when it is a keyword (`Naming.keywords`).
    /// Worked out once here: templates read it several times per property.
    public let rendered: String

    public init(_ identifier: String) {
        self.identifier = identifier
        rendered = Naming.keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    public var description: String { identifier }

    // Equality and hashing by `identifier` alone: `rendered` follows from it.
    public static func == (lhs: SwiftName, rhs: SwiftName) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    public static func < (lhs: SwiftName, rhs: SwiftName) -> Bool { lhs.identifier < rhs.identifier }
}
