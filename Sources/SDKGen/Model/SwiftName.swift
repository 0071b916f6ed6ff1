/// A Swift identifier the translator decided (`accountNumber`, `default`, `BillStatus`), never
/// escaped. `rendered` is the one place backticks are added: template contexts (`Render/`) use it,
/// nothing else does, so no name travels with backticks added and stripped again.
public struct SwiftName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier as Swift reads it, without backticks.
    public let identifier: String

    public init(_ identifier: String) {
        self.identifier = identifier
    }

    /// The identifier as written in generated code: in backticks when it is a keyword (`Naming.keywords`).
    public var rendered: String {
        Naming.keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    public var description: String { identifier }

    public static func < (lhs: SwiftName, rhs: SwiftName) -> Bool { lhs.identifier < rhs.identifier }
}
