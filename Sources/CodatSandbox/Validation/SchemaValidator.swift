import Foundation
import OpenAPIDocument

/// One broken rule of a schema: where (a JSON path such as `$.lineItems[0].unitAmount`)
/// and what.
struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    var path: String
    var message: String
    /// The keyword broken (`type`, `enum`, `required`, `maxLength`, `format`...).
    var keyword: String

    var description: String { "\(path): \(message)" }
}

/// The schemas of one OpenAPI document, compiled once into checks of `SandboxJSON` values.
///
/// What is checked is what the document writes: `type` (with `nullable` and 3.1 `"null"`),
/// `enum`, `const`, `required`, `properties`, `additionalProperties`, `propertyNames`,
/// `min/maxProperties`, `items`, `min/maxItems`, `uniqueItems`, `minimum`/`maximum` (and
/// their exclusive forms), `multipleOf`, `min/maxLength`, `pattern`, `allOf`/`anyOf`/`oneOf`/`not`,
/// and the formats the Codat documents use (`ISO4217`, `int32`, `int64`, `uuid`, `uri`, `url`,
/// `uri-reference`, `date`, `date-time`). Codat's "Date time" schema has no `format` but says in
/// its description that dates are ISO 8601 strings; that schema is checked as such.
///
/// `readOnly` members are not required in requests, `writeOnly` ones not in responses
/// (OpenAPI 3.x).
struct SchemaValidator: Sendable {
    enum Direction: Sendable {
        case request, response
    }

    private enum Additional: Sendable {
        case allowed(Bool)
        case schema(Int)
    }

    /// A schema ready to check values; children are indexes into `nodes`.
    private struct Node: Sendable {
        var ref: Int?
        var booleanSchema: Bool?
        var types: JSONTypeSet?
        var nullable = false
        var format: String?
        var isCodatDateTime = false
        var readOnly = false
        var writeOnly = false
        var enumValues: [SandboxJSON]?
        var constValue: SandboxJSON?
        var allOf: [Int] = []
        var anyOf: [Int] = []
        var oneOf: [Int] = []
        var not: Int?
        var properties: [String: Int] = [:]
        var required: [String] = []
        var additional: Additional?
        var propertyNames: Int?
        var minProperties: Int?
        var maxProperties: Int?
        var items: Int?
        var minItems: Int?
        var maxItems: Int?
        var uniqueItems = false
        var minimum: Decimal?
        var maximum: Decimal?
        var exclusiveMinimum: Decimal?
        var exclusiveMaximum: Decimal?
        var multipleOf: Decimal?
        var minLength: Int?
        var maxLength: Int?
        var pattern: Pattern?
    }

    /// `NSRegularExpression` is immutable and documented thread-safe.
    private final class Pattern: @unchecked Sendable {
        let source: String
        let regex: NSRegularExpression?
        init(_ source: String) {
            self.source = source
            regex = try? NSRegularExpression(pattern: source)
        }
        func matches(_ text: String) -> Bool {
            guard let regex else { return true }
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    private let nodes: [Node]
    /// At most this many violations are reported for one value.
    static let reportLimit = 25

    /// Compiles every schema of the document.
    init(_ document: OpenAPIDocument) {
        let table = document.schemas
        var nodes: [Node] = []
        nodes.reserveCapacity(table.count)
        for schema in table.all {
            nodes.append(Self.compile(schema, in: document))
        }
        self.nodes = nodes
    }

    private static func compile(_ schema: JSONSchema, in document: OpenAPIDocument) -> Node {
        func index(_ id: SchemaID?) -> Int? { id.map { Int($0.index) } }
        func number(_ text: String?) -> Decimal? { text.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) } }
        var node = Node()
        node.ref = index(schema.ref?.target)
        node.booleanSchema = schema.booleanSchema
        node.types = schema.types
        node.nullable = schema.nullable
        node.format = schema.format
        // Codat's `Date time` (`Connection.created` and everything that refers to it): "dates
        // and times are represented using the ISO 8601 standard ... formatted as strings".
        node.isCodatDateTime = schema.title == "Date time" && (schema.description?.contains("ISO 8601") ?? false)
        node.readOnly = schema.readOnly
        node.writeOnly = schema.writeOnly
        node.enumValues = schema.enumValues.map { $0.map { SandboxJSON(document.value(of: $0)) } }
        node.constValue = schema.constValue.map { SandboxJSON(document.value(of: $0)) }
        node.allOf = schema.allOf.map { Int($0.index) }
        node.anyOf = schema.anyOf.map { Int($0.index) }
        node.oneOf = schema.oneOf.map { Int($0.index) }
        node.not = index(schema.not)
        for (name, id) in schema.properties { node.properties[name] = Int(id.index) }
        node.required = schema.required
        switch schema.additionalProperties {
        case .allowed(let allowed): node.additional = .allowed(allowed)
        case .schema(let id): node.additional = .schema(Int(id.index))
        case nil: break
        }
        node.propertyNames = index(schema.propertyNames)
        node.minProperties = schema.minProperties
        node.maxProperties = schema.maxProperties
        node.items = index(schema.items)
        node.minItems = schema.minItems
        node.maxItems = schema.maxItems
        node.uniqueItems = schema.uniqueItems
        node.minimum = number(schema.minimum)
        node.maximum = number(schema.maximum)
        switch schema.exclusiveMinimum {
        case .flag(true): node.exclusiveMinimum = node.minimum; node.minimum = nil
        case .value(let text): node.exclusiveMinimum = number(text)
        default: break
        }
        switch schema.exclusiveMaximum {
        case .flag(true): node.exclusiveMaximum = node.maximum; node.maximum = nil
        case .value(let text): node.exclusiveMaximum = number(text)
        default: break
        }
        node.multipleOf = number(schema.multipleOf)
        node.minLength = schema.minLength
        node.maxLength = schema.maxLength
        node.pattern = schema.pattern.map(Pattern.init)
        return node
    }

    // MARK: Checking

    /// Every violation of `schema` by `value` (at most `reportLimit`), `path` naming the value.
    func violations(of value: SandboxJSON, against schema: SchemaID, at path: String = "$", direction: Direction)
        -> [SchemaViolation]
    {
        var found: [SchemaViolation] = []
        check(value, Int(schema.index), path, direction, &found, depth: 0)
        return Array(found.prefix(Self.reportLimit))
    }

    /// Whether the value fits (stops at the first violation).
    func accepts(_ value: SandboxJSON, _ schema: Int, _ direction: Direction, depth: Int) -> Bool {
        var found: [SchemaViolation] = []
        check(value, schema, "$", direction, &found, depth: depth, stopEarly: true)
        return found.isEmpty
    }

    private func check(
        _ value: SandboxJSON, _ index: Int, _ path: String, _ direction: Direction, _ found: inout [SchemaViolation],
        depth: Int, stopEarly: Bool = false
    ) {
        // Codat's schemas are trees with shared parts; a value deeper than this is refused, not walked.
        guard depth < 64 else {
            found.append(SchemaViolation(path: path, message: "the value is nested too deeply", keyword: "depth"))
            return
        }
        guard found.count < Self.reportLimit, !(stopEarly && !found.isEmpty) else { return }
        let node = nodes[index]
        func fail(_ message: String, _ keyword: String) {
            found.append(SchemaViolation(path: path, message: message, keyword: keyword))
        }
        if let allowed = node.booleanSchema {
            if !allowed { fail("no value is allowed here", "false") }
            return
        }
        // `nullable` beside a `$ref` or an `allOf` is how the Codat documents make a shared schema optional.
        if value == .null, node.nullable { return }
        if let ref = node.ref {
            check(value, ref, path, direction, &found, depth: depth + 1, stopEarly: stopEarly)
        }
        for part in node.allOf {
            check(value, part, path, direction, &found, depth: depth + 1, stopEarly: stopEarly)
        }

        if let types = node.types, !Self.value(value, hasOneOf: types) {
            fail("expected \(Self.describe(types)) but found \(Self.describe(value))", "type")
            return
        }
        if let values = node.enumValues, !values.contains(where: { Self.equal($0, value) }) {
            let listed = values.prefix(12).map(\.description).joined(separator: ", ")
            fail("\(value.description) is not one of the allowed values: \(listed)\(values.count > 12 ? ", ..." : "")", "enum")
        }
        if let constant = node.constValue, !Self.equal(constant, value) {
            fail("expected \(constant.description)", "const")
        }
        if !node.anyOf.isEmpty, !node.anyOf.contains(where: { accepts(value, $0, direction, depth: depth + 1) }) {
            fail("the value matches none of the schemas of anyOf", "anyOf")
        }
        if !node.oneOf.isEmpty {
            let matching = node.oneOf.filter { accepts(value, $0, direction, depth: depth + 1) }.count
            if matching != 1 { fail("the value matches \(matching) of the schemas of oneOf, not exactly one", "oneOf") }
        }
        if let not = node.not, accepts(value, not, direction, depth: depth + 1) {
            fail("the value matches a schema it must not match", "not")
        }

        switch value {
        case .string(let text):
            checkString(text, node, fail)
        case .number(let number):
            checkNumber(number, node, fail)
        case .array(let elements):
            if let minimum = node.minItems, elements.count < minimum { fail("expected at least \(minimum) items, found \(elements.count)", "minItems") }
            if let maximum = node.maxItems, elements.count > maximum { fail("expected at most \(maximum) items, found \(elements.count)", "maxItems") }
            if node.uniqueItems, Set(elements).count != elements.count { fail("the items must be unique", "uniqueItems") }
            if let items = node.items {
                for (position, element) in elements.enumerated() {
                    check(element, items, path + "[\(position)]", direction, &found, depth: depth + 1, stopEarly: stopEarly)
                }
            }
        case .object(let members):
            if let minimum = node.minProperties, members.count < minimum { fail("expected at least \(minimum) members, found \(members.count)", "minProperties") }
            if let maximum = node.maxProperties, members.count > maximum { fail("expected at most \(maximum) members, found \(members.count)", "maxProperties") }
            for name in node.required where members[name] == nil {
                if let property = node.properties[name], skipsRequired(property, direction) { continue }
                found.append(SchemaViolation(path: Self.member(path, name), message: "the required member '\(name)' is missing", keyword: "required"))
            }
            for name in members.keys.sorted() {
                let member = members[name]!
                let memberPath = Self.member(path, name)
                if let names = node.propertyNames {
                    check(.string(name), names, memberPath, direction, &found, depth: depth + 1, stopEarly: stopEarly)
                }
                if let property = node.properties[name] {
                    check(member, property, memberPath, direction, &found, depth: depth + 1, stopEarly: stopEarly)
                } else {
                    switch node.additional {
                    case .allowed(false):
                        found.append(SchemaViolation(path: memberPath, message: "the member '\(name)' is not allowed here", keyword: "additionalProperties"))
                    case .schema(let schema):
                        check(member, schema, memberPath, direction, &found, depth: depth + 1, stopEarly: stopEarly)
                    default:
                        break
                    }
                }
            }
        default:
            break
        }
    }

    /// `readOnly` members are sent by the server only, `writeOnly` ones by the client only.
    private func skipsRequired(_ index: Int, _ direction: Direction) -> Bool {
        var current = index
        var steps = 0
        while steps < 16 {
            let node = nodes[current]
            if direction == .request, node.readOnly { return true }
            if direction == .response, node.writeOnly { return true }
            guard let next = node.ref else { return false }
            current = next
            steps += 1
        }
        return false
    }

    private func checkString(_ text: String, _ node: Node, _ fail: (String, String) -> Void) {
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum { fail("expected at least \(minimum) characters, found \(length)", "minLength") }
            if let maximum = node.maxLength, length > maximum { fail("expected at most \(maximum) characters, found \(length)", "maxLength") }
        }
        if let pattern = node.pattern, !pattern.matches(text) {
            fail("'\(Self.shortened(text))' does not match the pattern \(pattern.source)", "pattern")
        }
        if let format = node.format, let problem = StringFormats.problem(text, format: format) {
            fail(problem, "format")
        } else if node.isCodatDateTime, !StringFormats.isISO8601(text) {
            fail("'\(Self.shortened(text))' is not an ISO 8601 date or date and time (2021-11-15, 2021-11-15T06:00:00Z)", "format")
        }
    }

    private func checkNumber(_ number: Decimal, _ node: Node, _ fail: (String, String) -> Void) {
        if let minimum = node.minimum, number < minimum { fail("\(number) is less than the minimum \(minimum)", "minimum") }
        if let maximum = node.maximum, number > maximum { fail("\(number) is more than the maximum \(maximum)", "maximum") }
        if let bound = node.exclusiveMinimum, number <= bound { fail("\(number) must be more than \(bound)", "exclusiveMinimum") }
        if let bound = node.exclusiveMaximum, number >= bound { fail("\(number) must be less than \(bound)", "exclusiveMaximum") }
        if let step = node.multipleOf, step != 0, !Self.isIntegral(number / step) { fail("\(number) is not a multiple of \(step)", "multipleOf") }
        switch node.format {
        case "int32":
            if !Self.isIntegral(number) || number < Decimal(Int32.min) || number > Decimal(Int32.max) {
                fail("\(number) is not a 32-bit integer", "format")
            }
        case "int64":
            if !Self.isIntegral(number) || number < Decimal(Int64.min) || number > Decimal(Int64.max) {
                fail("\(number) is not a 64-bit integer", "format")
            }
        default:
            break
        }
    }

    // MARK: Helpers

    static func value(_ value: SandboxJSON, hasOneOf types: JSONTypeSet) -> Bool {
        switch value {
        case .null: return types.contains(.null)
        case .bool: return types.contains(.boolean)
        case .string: return types.contains(.string)
        case .array: return types.contains(.array)
        case .object: return types.contains(.object)
        case .number(let number): return types.contains(.number) || (types.contains(.integer) && isIntegral(number))
        }
    }

    static func isIntegral(_ number: Decimal) -> Bool {
        guard number.isFinite else { return false }
        var value = number
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return rounded == number
    }

    /// JSON equality: numbers by value (1 == 1.0).
    static func equal(_ a: SandboxJSON, _ b: SandboxJSON) -> Bool {
        a == b
    }

    private static func describe(_ types: JSONTypeSet) -> String {
        let names = JSONTypeSet.names.filter { types.contains($0.1) }.map { ($0.0 == "integer" || $0.0 == "array" || $0.0 == "object") ? "an \($0.0)" : "a \($0.0)" }
        return names.joined(separator: " or ").replacingOccurrences(of: "a null", with: "null")
    }

    private static func describe(_ value: SandboxJSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "the boolean \(flag)"
        case .number(let number): return "the number \(number)"
        case .string(let text): return "the string '\(shortened(text))'"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    static func shortened(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    /// `$.name`, or `$['odd name']` when the name is not a plain identifier.
    static func member(_ path: String, _ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
        return plain ? "\(path).\(name)" : "\(path)['\(name.replacingOccurrences(of: "'", with: "\\'"))']"
    }
}

extension SandboxJSON {
    /// A value written in the document (`enum`, `const`); numbers keep their exact value.
    init(_ value: YAMLValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let text), .number(let text):
            self = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")).map(SandboxJSON.number) ?? .string(text)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(SandboxJSON.init))
        case .object(let pairs): self = .object(Dictionary(pairs.map { ($0.0, SandboxJSON($0.1)) }, uniquingKeysWith: { first, _ in first }))
        }
    }
}

/// The string formats the Codat documents use.
enum StringFormats {
    /// Nil when `text` is valid for `format`; unknown formats are not checked (JSON Schema:
    /// formats are annotations unless known).
    static func problem(_ text: String, format: String) -> String? {
        switch format {
        case "ISO4217":
            // "The currency data type in Codat is the ISO 4217 currency code, e.g. GBP."
            return isCurrencyCode(text) ? nil : "'\(SchemaValidator.shortened(text))' is not an ISO 4217 currency code (three capital letters, such as GBP)"
        case "uuid":
            return UUID(uuidString: text) != nil ? nil : "'\(SchemaValidator.shortened(text))' is not a UUID"
        case "uri", "url":
            return isURI(text, absolute: true) ? nil : "'\(SchemaValidator.shortened(text))' is not an absolute URI"
        case "uri-reference":
            return isURI(text, absolute: false) ? nil : "'\(SchemaValidator.shortened(text))' is not a URI reference (RFC 3986)"
        case "date-time", "date":
            return isISO8601(text) ? nil : "'\(SchemaValidator.shortened(text))' is not an ISO 8601 \(format)"
        default:
            return nil
        }
    }

    static func isCurrencyCode(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    /// RFC 3986: unreserved and reserved characters, and `%` followed by two hex digits.
    static func isURI(_ text: String, absolute: Bool) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHex(bytes[index + 1]), isHex(bytes[index + 2]) else { return false }
                index += 3
                continue
            }
            guard uriCharacters.contains(byte) else { return false }
            index += 1
        }
        guard absolute else { return true }
        // scheme ":" with scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, isLetter(bytes[0]) else { return false }
        return bytes[..<colon].allSatisfy { isLetter($0) || isDigit($0) || "+-.".utf8.contains($0) }
    }

    private static let uriCharacters: Set<UInt8> = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=".utf8)

    private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// The forms Codat's "Date time" description lists: `2021-11-15`, `2021-11-15T06:00:00Z`,
    /// `2021-11-15T01:00:00` (local), `2021-11-15T01:00:00-05:00`, with optional fractions of seconds.
    static func isISO8601(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + count)] {
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard digits(4) != nil, expect("-"), let month = digits(2), expect("-"), let day = digits(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return false }
        if index == bytes.count { return true }
        guard expect("T") || expect("t") || expect(" "), let hour = digits(2), expect(":"), let minute = digits(2),
            hour < 24, minute < 60
        else { return false }
        if expect(":") {
            guard let second = digits(2), second < 61 else { return false }
            if expect(".") {
                let start = index
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
                guard index > start else { return false }
            }
        }
        if index == bytes.count { return true }
        if expect("Z") || expect("z") { return index == bytes.count }
        guard expect("+") || expect("-"), let offsetHours = digits(2), offsetHours < 24 else { return false }
        _ = expect(":")
        guard let offsetMinutes = digits(2), offsetMinutes < 60 else { return false }
        return index == bytes.count
    }
}
