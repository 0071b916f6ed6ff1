import Foundation

/// Codat's query language, as its `query` parameters take it:
/// `status=Open`, `sourceModifiedDate>2023-01-01`, `supplierRef.id=77`,
/// `isBankAccount=true`, `name~Bank`, combined with `&&` and `||` (`&&` binds tighter),
/// grouped with `{ }` or `( )`. Values may be quoted with `'` or `"`.
///
/// Comparisons follow the record's value: numbers compare as decimals, booleans as
/// `true`/`false`, strings that both read as dates compare as instants (a date without a
/// zone is taken as UTC), other strings compare without regard to case. A field missing
/// from a record equals `null` and nothing else. Array fields match when any element does.
public struct CodatQuery: Sendable, Hashable, CustomStringConvertible {
    indirect enum Node: Sendable, Hashable {
        case comparison(field: String, op: Operator, value: String)
        case and([Node])
        case or([Node])
    }

    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case notEqual = "!="
        case greaterOrEqual = ">="
        case lessOrEqual = "<="
        case equal = "="
        case greater = ">"
        case less = "<"
        case contains = "~"
    }

    public struct SyntaxError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    let root: Node
    public let description: String

    public init(_ text: String) throws {
        var parser = Parser(text: Array(text.unicodeScalars))
        root = try parser.parseQuery()
        description = text
    }

    /// Whether the record satisfies the query.
    public func matches(_ record: SandboxJSON) -> Bool {
        Self.evaluate(root, record)
    }

    private static func evaluate(_ node: Node, _ record: SandboxJSON) -> Bool {
        switch node {
        case .and(let nodes): return nodes.allSatisfy { evaluate($0, record) }
        case .or(let nodes): return nodes.contains { evaluate($0, record) }
        case .comparison(let field, let op, let value):
            let found = values(at: field.split(separator: ".").map(String.init), in: record)
            if found.isEmpty {
                // Missing: equal to null only.
                let isNull = value.lowercased() == "null"
                switch op {
                case .equal: return isNull
                case .notEqual: return !isNull
                default: return false
                }
            }
            if op == .notEqual {
                return !found.contains { compare($0, .equal, value) }
            }
            return found.contains { compare($0, op, value) }
        }
    }

    /// Every value reached by the path, stepping into arrays.
    private static func values(at path: [String], in value: SandboxJSON) -> [SandboxJSON] {
        if case .array(let elements) = value {
            return elements.flatMap { values(at: path, in: $0) }
        }
        guard let first = path.first else { return [value] }
        guard let next = value[first] else { return [] }
        return values(at: Array(path.dropFirst()), in: next)
    }

    private static func compare(_ actual: SandboxJSON, _ op: Operator, _ expected: String) -> Bool {
        if expected.lowercased() == "null" {
            return op == .equal ? actual.isNull : false
        }
        switch actual {
        case .null:
            return false
        case .bool(let flag):
            guard let wanted = Bool(expected.lowercased()) else { return false }
            return op == .equal && flag == wanted
        case .number(let number):
            guard let wanted = Decimal(string: expected, locale: Locale(identifier: "en_US_POSIX")) else {
                return op == .contains && "\(number)".contains(expected)
            }
            return order(op, number < wanted ? .orderedAscending : number > wanted ? .orderedDescending : .orderedSame)
        case .string(let text):
            if op == .contains {
                return text.range(of: expected, options: .caseInsensitive) != nil
            }
            if let lhs = CodatDate.instant(text), let rhs = CodatDate.instant(expected) {
                return order(op, lhs < rhs ? .orderedAscending : lhs > rhs ? .orderedDescending : .orderedSame)
            }
            return order(op, text.caseInsensitiveCompare(expected))
        case .array, .object:
            return false
        }
    }

    private static func order(_ op: Operator, _ result: ComparisonResult) -> Bool {
        switch op {
        case .equal: return result == .orderedSame
        case .notEqual: return result != .orderedSame
        case .greater: return result == .orderedDescending
        case .greaterOrEqual: return result != .orderedAscending
        case .less: return result == .orderedAscending
        case .lessOrEqual: return result != .orderedDescending
        case .contains: return false
        }
    }

    // MARK: Parser

    private struct Parser {
        static let maximumDepth = 32
        let text: [Unicode.Scalar]
        var index = 0
        var depth = 0

        mutating func parseQuery() throws -> Node {
            skipSpaces()
            guard index < text.count else { throw SyntaxError(message: "empty query") }
            let node = try parseOr()
            skipSpaces()
            if index < text.count {
                throw SyntaxError(message: "unexpected '\(String(text[index]))' at offset \(index)")
            }
            return node
        }

        mutating func parseOr() throws -> Node {
            var nodes = [try parseAnd()]
            while consume("||") { nodes.append(try parseAnd()) }
            return nodes.count == 1 ? nodes[0] : .or(nodes)
        }

        mutating func parseAnd() throws -> Node {
            var nodes = [try parsePrimary()]
            while consume("&&") { nodes.append(try parsePrimary()) }
            return nodes.count == 1 ? nodes[0] : .and(nodes)
        }

        mutating func parsePrimary() throws -> Node {
            let close: String
            if consume("{") {
                close = "}"
            } else if consume("(") {
                close = ")"
            } else {
                return try parseComparison()
            }
            depth += 1
            // Recursion is bounded: 10,000 `(` must be a 400, not a stack overflow.
            guard depth <= Parser.maximumDepth else {
                throw SyntaxError(message: "groups nested more than \(Parser.maximumDepth) deep at offset \(index)")
            }
            let node = try parseOr()
            guard consume(close) else { throw SyntaxError(message: "missing '\(close)' at offset \(index)") }
            depth -= 1
            return node
        }

        mutating func parseComparison() throws -> Node {
            skipSpaces()
            let start = index
            while index < text.count, isFieldCharacter(text[index]) { index += 1 }
            let field = String(String.UnicodeScalarView(text[start..<index]))
            guard !field.isEmpty else {
                throw SyntaxError(message: "expected a field name at offset \(start)")
            }
            skipSpaces()
            guard let op = Operator.allCases.first(where: { consume($0.rawValue) }) else {
                throw SyntaxError(message: "expected an operator (=, !=, >, >=, <, <=, ~) after '\(field)'")
            }
            skipSpaces()
            return .comparison(field: field, op: op, value: try parseValue())
        }

        mutating func parseValue() throws -> String {
            if index < text.count, text[index] == "'" || text[index] == "\"" {
                let quote = text[index]
                index += 1
                let start = index
                while index < text.count, text[index] != quote { index += 1 }
                guard index < text.count else { throw SyntaxError(message: "unterminated quoted value") }
                let value = String(String.UnicodeScalarView(text[start..<index]))
                index += 1
                return value
            }
            // An unquoted value runs to the next && or ||, or to a closing brace (an unbalanced
            // one is then reported), or to the parenthesis closing a group. Parentheses outside
            // a group belong to the value: `name=EC Acquisitions (20%)`.
            let start = index
            while index < text.count {
                if looking(at: "&&") || looking(at: "||") || text[index] == "}" { break }
                if depth > 0, text[index] == ")" { break }
                index += 1
            }
            let value = String(String.UnicodeScalarView(text[start..<index])).trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { throw SyntaxError(message: "missing value at offset \(start)") }
            return value
        }

        func isFieldCharacter(_ c: Unicode.Scalar) -> Bool {
            CharacterSet.alphanumerics.contains(c) || c == "." || c == "_"
        }

        func looking(at token: String) -> Bool {
            let scalars = Array(token.unicodeScalars)
            guard index + scalars.count <= text.count else { return false }
            return Array(text[index..<(index + scalars.count)]) == scalars
        }

        mutating func consume(_ token: String) -> Bool {
            skipSpaces()
            guard looking(at: token) else { return false }
            index += token.unicodeScalars.count
            return true
        }

        mutating func skipSpaces() {
            while index < text.count, text[index] == " " { index += 1 }
        }
    }
}

/// `orderBy` as Codat takes it: a field name, `-` in front for descending.
struct CodatOrder: Sendable {
    let field: String
    let descending: Bool

    init?(_ text: String?) {
        guard var text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        descending = text.hasPrefix("-")
        if descending { text.removeFirst() }
        field = text
    }

    func sorted(_ records: [SandboxJSON]) -> [SandboxJSON] {
        // A stable sort, so that equal keys keep the store's order.
        let keyed = records.enumerated().map { ($0.offset, $0.element, $0.element.value(at: field)) }
        return keyed.sorted { a, b in
            let result = Self.compare(a.2, b.2)
            if result == .orderedSame { return a.0 < b.0 }
            return descending ? result == .orderedDescending : result == .orderedAscending
        }.map(\.1)
    }

    private static func compare(_ a: SandboxJSON?, _ b: SandboxJSON?) -> ComparisonResult {
        switch (a, b) {
        case (.number(let x)?, .number(let y)?):
            return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.string(let x)?, .string(let y)?):
            if let dx = CodatDate.instant(x), let dy = CodatDate.instant(y) {
                return dx < dy ? .orderedAscending : dx > dy ? .orderedDescending : .orderedSame
            }
            return x.caseInsensitiveCompare(y)
        case (nil, nil), (.null?, .null?), (nil, .null?), (.null?, nil): return .orderedSame
        case (nil, _), (.null?, _): return .orderedAscending
        case (_, nil), (_, .null?): return .orderedDescending
        default: return .orderedSame
        }
    }
}

/// The date forms Codat writes: `2023-01-01`, `2023-01-01T00:00:00`, with fractional
/// seconds, with `Z` or `±hh:mm`. A form without a zone is read as UTC.
enum CodatDate {
    /// Seconds since 1970, or nil when the text is not one of the forms.
    static func instant(_ text: String) -> Double? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for k in i..<(i + count) {
                guard (48...57).contains(b[k]) else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            i += count
            return value
        }
        func take(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), take(45), let month = number(2), take(45), let day = number(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = Double(daysFromCivil(year, month, day)) * 86_400
        if i == b.count { return seconds }
        guard take(84) || take(32), let hour = number(2), take(58), let minute = number(2) else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        if take(58) {
            guard let second = number(2) else { return nil }
            seconds += Double(second)
            if take(46) {
                var scale = 0.1
                while i < b.count, (48...57).contains(b[i]) {
                    seconds += Double(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
            }
        }
        if i == b.count || take(90) { return i == b.count ? seconds : nil }
        let sign: Double
        if take(43) { sign = 1 } else if take(45) { sign = -1 } else { return nil }
        guard let offsetHours = number(2) else { return nil }
        _ = take(58)
        let offsetMinutes = number(2) ?? 0
        guard i == b.count else { return nil }
        return seconds - sign * Double(offsetHours * 3600 + offsetMinutes * 60)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Now, as Codat writes it (`2024-05-01T10:11:12Z`): sandbox time when the store is
    /// working for a sandbox (`SandboxClock.current`), the wall clock otherwise.
    static func now() -> String {
        format(SandboxClock.current?.now ?? Date())
    }

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0)
    }
}
