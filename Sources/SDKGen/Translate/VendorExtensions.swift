import Foundation
import OpenAPIDocument

/// The vendor extensions (`x-...`) the generator gives meaning to, read into typed values in one
/// place, each malformed one with a located warning and the reading used instead. The translators
/// use these values and never look at an extension's YAML.
///
/// - `x-speakeasy-retries` (top level): the client's default retries.
/// - `x-speakeasy-name-override` (top level): `[{operationId: regex, methodNameOverride: name}]`;
///   on an operation: the method's name.
/// - `x-codat-speakeasy-pagination` (top level): `inputs: [{name: page, type: page}]`, the name of
///   the page parameter of list operations.
struct VendorExtensions {
    struct MethodNameOverride {
        var operationID: NSRegularExpression
        var methodName: String
    }

    var retry: RetryPolicy?
    /// Top-level overrides in the document's order (the last that matches wins: the list goes
    /// from general to specific).
    var methodNameOverrides: [MethodNameOverride] = []
    /// Operation-level `x-speakeasy-name-override`, by the operation's node.
    var operationMethodNames: [NodeRef: String] = [:]
    /// The JSON name of the page parameter (`page` unless the pagination extension names another).
    var pageParameterName = "page"

    /// The method name an operation asks for (its own override, else the last top-level pattern that
    /// matches its id), as written; nil when none does.
    func methodNameOverride(for op: SpecOperation, id: String) -> String? {
        if let own = operationMethodNames[op.source] { return own }
        if methodNameOverrides.isEmpty { return nil }
        let range = NSRange(id.startIndex..., in: id)
        return methodNameOverrides.last { $0.operationID.firstMatch(in: id, range: range) != nil }?.methodName
    }

    /// `operations` is `document.operations`, passed in so it is collected once per translation.
    static func read(_ document: OpenAPIDocument, operations: [SpecOperation]) -> (VendorExtensions, [Diagnostic]) {
        var reader = Reader(document: document)
        var result = VendorExtensions()
        result.retry = document.extensions["x-speakeasy-retries"].flatMap { reader.retry($0) }
        if let node = document.extensions["x-speakeasy-name-override"] { result.methodNameOverrides = reader.nameOverrides(node) }
        for op in operations {
            guard let node = op.extensions["x-speakeasy-name-override"] else { continue }
            if case let .string(name) = document.value(of: node) {
                result.operationMethodNames[op.source] = name
            } else {
                reader.warn("x-speakeasy-name-override on an operation is not a string; the method is named after the operation", node)
            }
        }
        if let node = document.extensions["x-codat-speakeasy-pagination"], let name = reader.pageParameterName(node) {
            result.pageParameterName = name
        }
        return (result, reader.diagnostics)
    }

    private struct Reader {
        let document: OpenAPIDocument
        var diagnostics: [Diagnostic] = []

        mutating func warn(_ message: String, _ node: NodeRef) {
            diagnostics.append(Diagnostic(.warning, message, at: document.location(of: node)))
        }

        /// `{strategy: backoff, backoff: {initialInterval, maxInterval, maxElapsedTime, exponent}, statusCodes: [...], retryConnectionErrors}`.
        mutating func retry(_ node: NodeRef) -> RetryPolicy? {
            guard case let .object(entries) = document.value(of: node) else {
                warn("x-speakeasy-retries is not an object; the client does not retry by default", node)
                return nil
            }
            let fields = Dictionary(entries, uniquingKeysWith: { a, _ in a })
            guard case .string("backoff")? = fields["strategy"], case let .object(backoffEntries)? = fields["backoff"] else {
                warn("x-speakeasy-retries: only the 'backoff' strategy is supported; the client does not retry by default", node)
                return nil
            }
            let backoff = Dictionary(backoffEntries, uniquingKeysWith: { a, _ in a })
            func milliseconds(_ key: String, _ fallback: Int) -> Int {
                guard let written = backoff[key] else { return fallback }
                // Milliseconds up to a day: `.milliseconds(n)` with a negative or huge n would trap or overflow.
                if case let .integer(text) = written, let value = Int(text), value >= 0, value <= 86_400_000 { return value }
                warn("x-speakeasy-retries: \(key) is not a whole number of milliseconds from 0 to 86400000; \(fallback) is used", node)
                return fallback
            }
            var exponent = 1.5
            switch backoff["exponent"] {
            case let .number(text)?, let .integer(text)?:
                // Written as a Swift Double literal: `inf` or `nan` would not compile.
                if let value = Double(text), value.isFinite, value >= 1, value <= 100 {
                    exponent = value
                } else {
                    warn("x-speakeasy-retries: exponent \(text) is not a number from 1 to 100; 1.5 is used", node)
                }
            default: break
            }
            var codes: [Int] = [], classes: [Int] = []
            if case let .array(values)? = fields["statusCodes"] {
                for value in values {
                    switch value {
                    case let .integer(text): if let code = Int(text) { codes.append(code) }
                    case let .string(text):
                        if let code = Int(text) {
                            codes.append(code)
                        } else if text.count == 3, text.uppercased().hasSuffix("XX"), let first = Int(text.prefix(1)) {
                            classes.append(first)
                        } else {
                            warn("x-speakeasy-retries: status '\(text)' is not a code or a class like 5XX; ignored", node)
                        }
                    default: warn("x-speakeasy-retries: a status code that is not a number or a string; ignored", node)
                    }
                }
            }
            var connectionErrors = false
            if case let .bool(flag)? = fields["retryConnectionErrors"] { connectionErrors = flag }
            return RetryPolicy(initialMilliseconds: milliseconds("initialInterval", 500), maxMilliseconds: milliseconds("maxInterval", 60_000),
                               maxElapsedMilliseconds: milliseconds("maxElapsedTime", 3_600_000), exponent: exponent,
                               codes: codes, classes: classes, connectionErrors: connectionErrors)
        }

        mutating func nameOverrides(_ node: NodeRef) -> [MethodNameOverride] {
            guard case let .array(items) = document.value(of: node) else {
                warn("x-speakeasy-name-override is not a list; ignored", node)
                return []
            }
            var out: [MethodNameOverride] = []
            for item in items {
                guard case let .object(entries) = item,
                      case let .string(pattern)? = entries.first(where: { $0.0 == "operationId" })?.1,
                      case let .string(name)? = entries.first(where: { $0.0 == "methodNameOverride" })?.1 else {
                    warn("x-speakeasy-name-override: an entry without 'operationId' and 'methodNameOverride' strings; ignored", node)
                    continue
                }
                guard let regex = try? NSRegularExpression(pattern: pattern) else {
                    warn("x-speakeasy-name-override: '\(pattern)' is not a valid regular expression; ignored", node)
                    continue
                }
                out.append(MethodNameOverride(operationID: regex, methodName: name))
            }
            return out
        }

        /// The `name` of the first input of type `page`; nil (with a warning) when the extension has none.
        mutating func pageParameterName(_ node: NodeRef) -> String? {
            guard case let .object(entries) = document.value(of: node), case let .array(inputs)? = entries.first(where: { $0.0 == "inputs" })?.1 else {
                warn("x-codat-speakeasy-pagination has no 'inputs' list; the page parameter is 'page'", node)
                return nil
            }
            for input in inputs {
                if case let .object(fields) = input, case .string("page")? = fields.first(where: { $0.0 == "type" })?.1,
                   case let .string(name)? = fields.first(where: { $0.0 == "name" })?.1 {
                    return name
                }
            }
            warn("x-codat-speakeasy-pagination names no input of type 'page'; the page parameter is 'page'", node)
            return nil
        }
    }
}
