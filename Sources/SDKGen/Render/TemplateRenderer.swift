import Foundation

/// Stage 5: `SDKModel` -> file contents, through the Mustache templates of one folder.
/// Files are rendered in parallel; each gets the context `Render/` builds for its template.
public struct TemplateRenderer: Sendable {
    public struct RenderError: Error, CustomStringConvertible {
        public var description: String
    }

    let library: MustacheLibrary

    /// Loads every `*.mustache` file of `folder` (the name without extension is the template's name)
    /// and checks that every template the model needs is there.
    public init(folder: String) throws {
        let url = URL(fileURLWithPath: folder)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw RenderError(description: "\(folder): error: cannot read the template folder")
        }
        var library = MustacheLibrary()
        for entry in entries.sorted() where entry.hasSuffix(".mustache") {
            let path = url.appendingPathComponent(entry).path
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw RenderError(description: "\(path): error: cannot read the template")
            }
            do {
                try library.register(text, named: String(entry.dropLast(".mustache".count)))
            } catch {
                throw RenderError(description: "\(path): error: invalid Mustache template: \(error)")
            }
        }
        let missing = Self.requiredTemplates.filter { library.getTemplate(named: $0) == nil }
        if !missing.isEmpty {
            throw RenderError(description: "\(folder): error: the template folder lacks \(missing.map { $0 + ".mustache" }.joined(separator: ", "))")
        }
        self.library = library
    }

    /// Template names every template folder must provide.
    public static let requiredTemplates = ["Models", "Schemas", "Client", "struct", "enum", "oneOf", "wrapper", "typeRef", "doc"]

    /// Renders the module's files: `fileNames` in `GeneratorConfig.outputFiles` order.
    public func render(_ model: SDKModel, config: GeneratorConfig, specFileName: String) throws -> [(name: String, contents: String)] {
        let shards = config.modelFiles
        let types = model.types
        var jobs: [(template: String, context: TemplateContext)] = []
        let header = HeaderContext.make(module: model.moduleName, specFileName: specFileName, title: model.title)
        for shard in 0..<shards {
            let lower = types.count * shard / shards, upper = types.count * (shard + 1) / shards
            jobs.append(("Models", ModelContexts.modelsFile(header: header, types: types[lower..<upper],
                                                            declaresIndirectBox: shard == 0 && model.declaresIndirectBox)))
        }
        jobs.append(("Schemas", ModelContexts.schemasFile(header: header, schemaTypes: model.schemaTypes)))
        jobs.append(("Client", ClientContext.file(header: header, client: model.client)))

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
