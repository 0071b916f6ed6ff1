import Foundation
@testable import SDKGen
import XCTest

/// The templates read only keys of their own context: every `{{key}}` and `{{#key}}` inside a
/// section over a context (a dictionary, or an item of a list) is a key of that context, never one
/// Mustache would find further out. Sections over a true Bool or a text keep the context they are
/// in (the usual `{{#flag}}...{{/flag}}`). Walked over the contexts `Render/` builds for the
/// `contexts`, `client` and `hostile-codegen` fixtures, through the partials.
final class TemplateScopeTests: XCTestCase {
    func testTemplatesReadOnlyTheirOwnContextsKeys() throws {
        let templates = try Self.loadTemplates()
        var models: [SDKModel] = [try ContextSnapshotTests.model()]
        for name in ["client", "hostile-codegen"] {
            let folder = GoldenTests.fixtures.appendingPathComponent(name)
            let config = try GeneratorConfig.load(path: folder.appendingPathComponent("config.json").path)
            models.append(try XCTUnwrap(try Generator.model(specPath: folder.appendingPathComponent("spec.yaml").path, config: config).model))
        }
        var outerLookups = Set<String>()
        for model in models {
            let header = HeaderContext.make(module: model.moduleName, specFileName: "spec.yaml", title: model.title)
            let jobs: [(String, TemplateContext)] = [
                ("Models", ModelContexts.modelsFile(header: header, types: model.types[...], declaresIndirectBox: model.declaresIndirectBox)),
                ("Schemas", ModelContexts.schemasFile(header: header, schemaTypes: model.schemaTypes)),
                ("Client", ClientContext.file(header: header, client: model.client)),
                ("Catalog.md", CatalogContext.make(model, specFileName: "spec.yaml")),
            ]
            for (template, context) in jobs {
                var walker = Walker(templates: templates)
                try walker.walk(XCTUnwrap(templates[template]), stack: [context.jsonObject], place: template)
                outerLookups.formUnion(walker.outerLookups)
            }
        }
        XCTAssertEqual(outerLookups.sorted(), [], "keys looked up outside their context")
    }

    /// The walker itself finds an outer lookup (so the test above can fail).
    func testWalkerFindsAnOuterLookup() throws {
        let template = try Self.parse("{{#items}}{{{name}}}: {{{shared}}}{{/items}}")
        var walker = Walker(templates: [:])
        try walker.walk(template, stack: [["shared": "x", "items": [["name": "a"]]] as [String: Any]], place: "t")
        XCTAssertEqual(walker.outerLookups, ["t > items: shared"])
    }

    // MARK: A Mustache reader just large enough for our templates

    indirect enum Node {
        case text
        case variable(String)
        case section(String, inverted: Bool, [Node])
        case partial(String)
    }

    static func loadTemplates() throws -> [String: [Node]] {
        var out: [String: [Node]] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: GoldenTests.templates) where file.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: GoldenTests.templates + "/" + file, encoding: .utf8)
            out[String(file.dropLast(".mustache".count))] = try parse(text)
        }
        return out
    }

    static func parse(_ text: String) throws -> [Node] {
        var stack: [(name: String, inverted: Bool, nodes: [Node])] = [("", false, [])]
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { stack[stack.count - 1].nodes.append(.text) }
            let triple = rest[open.upperBound...].hasPrefix("{")
            let closing = triple ? "}}}" : "}}"
            let start = triple ? rest.index(after: open.upperBound) : open.upperBound
            guard let close = rest[start...].range(of: closing) else { throw TemplateRenderer.RenderError(description: "unclosed tag") }
            let tag = rest[start..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            switch tag.first {
            case "#", "^": stack.append((String(tag.dropFirst()).trimmingCharacters(in: .whitespaces), tag.first == "^", []))
            case "/":
                let section = stack.removeLast()
                stack[stack.count - 1].nodes.append(.section(section.name, inverted: section.inverted, section.nodes))
            case ">": stack[stack.count - 1].nodes.append(.partial(String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)))
            case "!": continue
            default: stack[stack.count - 1].nodes.append(.variable(tag))
            }
        }
        return stack[0].nodes
    }

    struct Walker {
        let templates: [String: [Node]]
        var outerLookups: Set<String> = []

        /// The innermost context that is a dictionary (Bools and texts keep the one they are in).
        /// Contexts are walked as their `jsonObject` (dictionaries, arrays, strings, Bools, numbers).
        private func lookup(_ key: String, in stack: [Any], place: String) -> (value: Any?, outer: Bool) {
            guard let innermost = stack.last(where: { $0 is [String: Any] }) as? [String: Any] else { return (nil, true) }
            if let value = innermost[key] { return (value, false) }
            for context in stack.reversed() { if let dictionary = context as? [String: Any], let value = dictionary[key] { return (value, true) } }
            return (nil, true)
        }

        private func isTruthy(_ value: Any?) -> Bool {
            switch value {
            case nil: return false
            case let b as Bool: return b
            case let a as [Any]: return !a.isEmpty
            case let s as String: return !s.isEmpty
            default: return true
            }
        }

        mutating func walk(_ nodes: [Node], stack: [Any], place: String) throws {
            for node in nodes {
                switch node {
                case .text: continue
                case let .variable(key):
                    guard key != "." else { continue }
                    if lookup(key, in: stack, place: place).outer { outerLookups.insert("\(place): \(key)") }
                case let .partial(name):
                    try walk(XCTUnwrap(templates[name], "partial \(name)"), stack: stack, place: place)
                case let .section(key, inverted, body):
                    let (value, outer) = lookup(key, in: stack, place: place)
                    if outer { outerLookups.insert("\(place): \(key)") }
                    if inverted {
                        if !isTruthy(value) { try walk(body, stack: stack, place: place + " > ^" + key) }
                    } else if let items = value as? [Any] {
                        for item in items { try walk(body, stack: stack + [item], place: place + " > " + key) }
                    } else if isTruthy(value) {
                        try walk(body, stack: stack + [value!], place: place + " > " + key)
                    }
                }
            }
        }
    }
}
