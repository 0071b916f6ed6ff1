import Foundation
import SeedExampleSupport
import OpenAPIDocument

// Collects the request and response examples of a document. This file imports only
// OpenAPIDocument (its `MediaType`, `Example`, ... would clash with generated names).

/// One example, attached to a media type whose schema the generated registry should know.
struct SpecExample {
    /// The example value's own pointer (`#/paths/…/examples/Name/value`, `…/example`, or
    /// `#/components/examples/Name/value` when reached through `$ref`): the known-bad key.
    var pointer: String
    /// The media type's schema node pointer: the key of `<Module>Schemas.types`.
    var schemaPointer: String?
    /// Where the example was met, for messages (`POST /companies request`).
    var usage: String
    /// The example as JSON text: numbers written from their exact YAML text.
    var json: Result<Data, ExampleConversionError>
    /// The example as a comparable tree (the expected value of the round trip).
    var expected: Result<JSONTree, ExampleConversionError>
}

struct ExampleConversionError: Error, CustomStringConvertible {
    var description: String
}

struct SpecExamples {
    var examples: [SpecExample]
    var diagnostics: [String]

    /// Loads `specs/<fileName>` and lists every media-type `example` and `examples` entry value of
    /// every operation's request body and responses (paths, then webhooks), once per
    /// (example, schema) pair: shared components (`#/components/responses/Unauthorized`) are met
    /// by many operations but are one example.
    static func load(_ fileName: String) -> SpecExamples {
        let path = packageRoot.appendingPathComponent("specs").appendingPathComponent(fileName).path
        let result = DocumentLoader.load(path: path)
        let errors = result.diagnostics.filter { $0.severity == .error }.map { "\($0)" }
        guard let document = result.document else { return SpecExamples(examples: [], diagnostics: ["cannot load \(path)"] + errors) }
        var out: [SpecExample] = []
        var seen = Set<String>()

        func pointer(_ ref: NodeRef) -> String {
            let p = "#" + document.location(of: ref).pointer
            return ref.file == 0 ? p : document.files[Int(ref.file)].path + p
        }

        func add(_ media: MediaType, usage: String) {
            let schemaPointer = media.schema.map { pointer(document.schemas[$0].source) }
            var values: [NodeRef] = []
            if let e = media.example { values.append(e) }
            for (_, example) in media.examples { if let v = example.value.value { values.append(v) } }
            for node in values {
                let p = pointer(node)
                guard seen.insert(p + "\u{0}" + (schemaPointer ?? "")).inserted else { continue }
                let value = document.value(of: node)
                out.append(SpecExample(pointer: p, schemaPointer: schemaPointer, usage: usage,
                                       json: Result { () throws(ExampleConversionError) -> Data in Data(try jsonText(value).utf8) },
                                       expected: Result { () throws(ExampleConversionError) -> JSONTree in try tree(value) }))
            }
        }

        let operations = document.operations + document.webhooks.values.flatMap(\.operations)
        for op in operations {
            let name = "\(op.method.rawValue.uppercased()) \(op.path)"
            if let body = op.requestBody?.value {
                for (type, media) in body.content { add(media, usage: "\(name) request \(type)") }
            }
            for (code, response) in op.responses {
                for (type, media) in response.value.content { add(media, usage: "\(name) \(code) \(type)") }
            }
        }
        return SpecExamples(examples: out, diagnostics: errors)
    }
}

/// YAML number text as JSON number text; YAML forms JSON lacks (`.5`, `+1`, `0x1F`, `.inf`) are an error.
private func numberText(_ text: String) throws(ExampleConversionError) -> String {
    guard JSONTree.isJSONNumber(text) else { throw ExampleConversionError(description: "number '\(text)' is not JSON") }
    return text
}

/// Writes a YAML value as JSON text. Numbers are written from the document's exact text, never
/// through `Double`, so `135.85` reaches the decoder as the characters `135.85`.
func jsonText(_ value: YAMLValue) throws(ExampleConversionError) -> String {
    switch value {
    case .null: return "null"
    case let .bool(b): return b ? "true" : "false"
    case let .integer(text), let .number(text): return try numberText(text)
    case let .string(s): return JSONTree.quote(s)
    case let .array(items):
        var parts: [String] = []
        for item in items { parts.append(try jsonText(item)) }
        return "[" + parts.joined(separator: ",") + "]"
    case let .object(pairs):
        var parts: [String] = []
        for (key, item) in pairs { parts.append(JSONTree.quote(key) + ":" + (try jsonText(item))) }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

/// A YAML value as a comparable tree (numbers as `Decimal` of their exact text).
func tree(_ value: YAMLValue) throws(ExampleConversionError) -> JSONTree {
    switch value {
    case .null: return .null
    case let .bool(b): return .bool(b)
    case let .integer(text), let .number(text):
        let t = try numberText(text)
        guard let d = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")) else {
            throw ExampleConversionError(description: "number '\(text)' is not a Decimal")
        }
        return .number(d)
    case let .string(s): return .string(s)
    case let .array(items):
        var out: [JSONTree] = []
        for item in items { out.append(try tree(item)) }
        return .array(out)
    case let .object(pairs):
        var out: [String: JSONTree] = [:]
        for (key, item) in pairs { out[key] = try tree(item) }
        return .object(out)
    }
}
