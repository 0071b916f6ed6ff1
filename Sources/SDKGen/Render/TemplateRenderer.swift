import Foundation
import OpenAPIDocument

/// Stage 5: `SDKModel` -> file contents, through the Mustache templates.
/// Files are rendered in parallel; each gets the context `Render/` builds for its template.
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
            } catch let error as MustacheError {
                throw TemplateError(diagnostic: Diagnostic(
                    .error, "invalid Mustache template: \(error.message)", at: SourceLocation(file: source.path, line: error.line, column: error.column)))
            } catch {
                throw TemplateError(diagnostic: Diagnostic(.error, "invalid Mustache template: \(error)", at: SourceLocation(file: source.path, line: 1, column: 1)))
            }
        }
        let missing = Self.requiredTemplates.filter { !library.hasTemplate(named: $0) }
        if !missing.isEmpty {
            // Only a package built without some of Templates/ gets here: overrides cannot remove one.
            throw RenderError(description: "error: the built-in templates lack \(missing.map { $0 + ".mustache" }.joined(separator: ", "))")
        }
        self.library = library
    }

    /// Template names the renderer uses (every one is built in).
    public static let requiredTemplates = ["Models", "Schemas", "Client", "struct", "enum", "oneOf", "wrapper", "typeRef", "doc", CatalogRenderer.templateName]

    /// Renders the module's files: `fileNames` in `GeneratorConfig.outputFiles` order.
    public func render(_ model: SDKModel, config: GeneratorConfig, specFileName: String) throws -> [(name: String, contents: String)] {
        let shards = config.modelFiles
        let types = model.types
        // Each job builds its context, renders and drops it on its own thread: building and
        // freeing the contexts costs about as much as rendering. `capacity`: a guess of the
        // file's size, so that its buffer rarely grows (about 2 KB of Swift a declaration).
        var jobs: [(template: String, context: @Sendable () -> TemplateContext, capacity: Int)] = []
        let header = HeaderContext.make(module: model.moduleName, specFileName: specFileName, title: model.title)
        for shard in 0..<shards {
            let lower = types.count * shard / shards, upper = types.count * (shard + 1) / shards
            let declaresIndirectBox = shard == 0 && model.declaresIndirectBox
            jobs.append(("Models", { ModelContexts.modelsFile(header: header, types: types[lower..<upper], declaresIndirectBox: declaresIndirectBox) },
                         (upper - lower) * 2048))
        }
        let schemaTypes = model.schemaTypes, client = model.client
        jobs.append(("Schemas", { ModelContexts.schemasFile(header: header, schemaTypes: schemaTypes) }, schemaTypes.count * 128))
        let operationCount = client.resources.reduce(0) { $0 + $1.operations.count }
        jobs.append(("Client", { ClientContext.file(header: header, client: client) }, operationCount * 4096))

        let results = RenderResults(count: jobs.count)
        let library = self.library
        let renderJobs = jobs
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let job = renderJobs[i]
            results.set(i, library.render(.object(job.context()), withTemplate: job.template, capacity: max(job.capacity, 1 << 16)))
        }
        let names = config.outputFiles
        return try (0..<jobs.count).map { i in
            guard let text = results.get(i) else { throw RenderError(description: "error: template '\(jobs[i].template)' failed to render") }
            return (names[i], text)
        }
    }
}

private final class RenderResults: @unchecked Sendable {
    private var values: [String?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: String?) { lock.lock(); values[i] = value; lock.unlock() }
    func get(_ i: Int) -> String? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
