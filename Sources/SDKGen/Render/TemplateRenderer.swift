import Foundation
import Mustache
import OpenAPIDocument

/// Stage 5: `SDKModel` -> file contents, through the Mustache templates.
/// Files are rendered in parallel; each gets plain dictionaries and arrays.
///
/// The templates are built in (`Templates/*.mustache`, written into `BuiltInTemplates.swift`
/// by payables-embed-templates); a folder of overrides replaces them file by file.
public struct TemplateRenderer: Sendable {
    public struct RenderError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A template that cannot be read or parsed, located in its file (`path:line:column: error: ...`).
    public struct TemplateError: Error, CustomStringConvertible {
        public var diagnostic: Diagnostic
        public var description: String { diagnostic.description }
    }

    let library: MustacheLibrary

    /// The built-in templates, each replaced by the file of the same name in `overrides`
    /// (`struct.mustache` there replaces `struct`; a new name adds a partial). Every template
    /// is parsed here: a syntax error is reported at its line and column.
    public init(overrides folder: String? = nil) throws {
        var sources: [String: (text: String, path: String)] = [:]
        for (name, text) in BuiltInTemplates.texts { sources[name] = (text, "Templates/\(name).mustache") }
        if let folder {
            let url = URL(fileURLWithPath: folder)
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                throw TemplateError(diagnostic: Diagnostic(.error, "cannot read the template folder", at: SourceLocation(file: folder, line: 1, column: 1)))
            }
            for entry in entries.sorted() where entry.hasSuffix(".mustache") {
                let path = url.appendingPathComponent(entry).path
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw TemplateError(diagnostic: Diagnostic(.error, "cannot read the template (UTF-8 text)", at: SourceLocation(file: path, line: 1, column: 1)))
                }
                sources[String(entry.dropLast(".mustache".count))] = (text, path)
            }
        }
        var library = MustacheLibrary()
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(source.text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(diagnostic: Diagnostic(
                    .error, "invalid Mustache template: \(Self.describe(error.error))",
                    at: SourceLocation(file: source.path, line: error.context.lineNumber, column: error.context.columnNumber)))
            } catch {
                throw TemplateError(diagnostic: Diagnostic(.error, "invalid Mustache template: \(error)", at: SourceLocation(file: source.path, line: 1, column: 1)))
            }
        }
        let missing = Self.requiredTemplates.filter { library.getTemplate(named: $0) == nil }
        if !missing.isEmpty {
            // Only a package built without some of Templates/ gets here: overrides cannot remove one.
            throw RenderError(description: "error: the built-in templates lack \(missing.map { $0 + ".mustache" }.joined(separator: ", "))")
        }
        self.library = library
    }

    /// What a swift-mustache parse error means, in words.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed ({{/...}}) with a name other than the one it was opened with"
        case .unfinishedName: return "a tag is not finished (no closing }})"
        case .expectedSectionEnd: return "a section is opened ({{#...}} or {{^...}}) and never closed"
        case .invalidSetDelimiter: return "a set-delimiter tag ({{=...=}}) is malformed"
        case .transformAppliedToInheritanceSection: return "a transform is applied to an inheritance section"
        case .illegalTokenInsideInheritSection: return "an inheritance section holds a tag it cannot hold"
        case .textInsideInheritSection: return "an inheritance section holds text"
        case .invalidConfigVariableSyntax: return "a configuration tag ({{% ...}}) is malformed"
        case .unrecognisedConfigVariable: return "a configuration tag ({{% ...}}) names an unknown setting"
        }
    }

    /// Template names the renderer uses (every one is built in).
    public static let requiredTemplates = ["Models", "Schemas", "Client", "struct", "enum", "oneOf", "wrapper", "typeRef", "doc", CatalogRenderer.templateName]

    /// Renders the module's files: `fileNames` in `GeneratorConfig.outputFiles` order.
    public func render(_ model: SDKModel, config: GeneratorConfig, specFileName: String) throws -> [(name: String, contents: String)] {
        let shards = config.modelFiles
        let types = model.types
        var jobs: [(template: String, context: [String: Any])] = []
        // The header is a `//` comment: the title and the file name are spec text, escaped for it.
        let header: [String: Any] = ["module": model.moduleName, "spec": Naming.lineComment(specFileName), "title": Naming.lineComment(model.title)]
        for shard in 0..<shards {
            let lower = types.count * shard / shards, upper = types.count * (shard + 1) / shards
            var context = header
            context["types"] = types[lower..<upper].map(\.context)
            context["declaresIndirectBox"] = shard == 0 && model.declaresIndirectBox
            jobs.append(("Models", context))
        }
        var schemas = header
        schemas["schemas"] = model.schemaTypes.map { ["pointer": Naming.stringLiteralBody($0.pointer), "type": $0.type.context] as [String: Any] }
        jobs.append(("Schemas", schemas))
        var client = header
        client["client"] = model.client.context
        jobs.append(("Client", client))

        let results = RenderResults(count: jobs.count)
        let library = self.library
        let sendableJobs = UncheckedSendable(jobs)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let job = sendableJobs.value[i]
            results.set(i, library.render(job.context, withTemplate: job.template))
        }
        let names = config.outputFiles
        return try (0..<jobs.count).map { i in
            guard let text = results.get(i) else { throw RenderError(description: "error: template '\(jobs[i].template)' failed to render") }
            return (names[i], text)
        }
    }
}

/// The contexts are dictionaries of plain values (strings, bools, arrays, dictionaries) built
/// before rendering and only read during it.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

private final class RenderResults: @unchecked Sendable {
    private var values: [String?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: String?) { lock.lock(); values[i] = value; lock.unlock() }
    func get(_ i: Int) -> String? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
