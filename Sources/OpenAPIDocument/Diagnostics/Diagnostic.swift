/// A place in a source file: 1-based line and column, plus the JSON pointer of
/// the node there (empty when the problem is not tied to a node, e.g. a YAML syntax error).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var pointer: String

    public init(file: String, line: Int, column: Int, pointer: String = "") {
        self.file = file
        self.line = line
        self.column = column
        self.pointer = pointer
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One finding of a pipeline stage. Stages collect these as values and go on;
/// nothing in the front end throws for a problem in the input.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case note, warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation

    public init(_ severity: Severity, _ message: String, at location: SourceLocation) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    /// `file:line:column: error: message (at #/json/pointer)`, the form SwiftPM and Xcode show in place.
    /// One line whatever the spec holds: line breaks, controls and bidi or invisible characters
    /// in the file name, message or pointer are written as `\u{...}`, so spec text cannot forge
    /// another diagnostic line or reorder what a reader sees.
    public var description: String {
        var text = "\(Self.oneLine(location.file)):\(location.line):\(location.column): \(severity.rawValue): \(Self.oneLine(message))"
        if !location.pointer.isEmpty { text += " (at #\(Self.oneLine(location.pointer)))" }
        return text
    }

    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHidden) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isHidden(scalar) { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// Controls (tab included), format characters (bidi, zero-width), line and paragraph separators,
    /// default-ignorable code points.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isDefaultIgnorableCodePoint
        }
    }
}

/// Collects diagnostics in the order they were found.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func append(contentsOf other: [Diagnostic]) { all.append(contentsOf: other) }

    public mutating func error(_ message: String, at location: SourceLocation) {
        all.append(Diagnostic(.error, message, at: location))
    }

    public mutating func warning(_ message: String, at location: SourceLocation) {
        all.append(Diagnostic(.warning, message, at: location))
    }

    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// Sorted by file, line, column, keeping discovery order for ties.
    public var sorted: [Diagnostic] { Self.sortedByLocation(all) }

    public static func sortedByLocation(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let l = a.element.location, r = b.element.location
            if l.file != r.file { return l.file < r.file }
            if l.line != r.line { return l.line < r.line }
            if l.column != r.column { return l.column < r.column }
            return a.offset < b.offset
        }.map(\.element)
    }
}
