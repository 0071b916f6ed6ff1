import Foundation
import OpenAPIDocument

/// The whole pipeline for one module: spec -> resolved document -> SDK model -> files in one folder.
public enum Generator {
    public struct Outcome: Sendable {
        public var diagnostics: [Diagnostic]
        public var writtenFiles: [String]
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Generates into `outputFolder` (and nowhere else). Nothing is written when the spec has errors.
    /// `templatesFolder`: templates that replace the built-in ones file by file (nil: the built-in ones).
    public static func generate(specPath: String, config: GeneratorConfig, templatesFolder: String? = nil, outputFolder: String) throws -> Outcome {
        let (model, diagnostics) = try Generator.model(specPath: specPath, config: config)
        guard let model else { return Outcome(diagnostics: diagnostics, writtenFiles: []) }

        let renderer = try TemplateRenderer(overrides: templatesFolder)
        let files = try renderer.render(model, config: config, specFileName: URL(fileURLWithPath: specPath).lastPathComponent)
        LaterRelease.release(consume model)

        try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        let folder = URL(fileURLWithPath: outputFolder).standardizedFileURL
        let urls = try files.map { file in
            let url = folder.appendingPathComponent(file.name).standardizedFileURL
            // Output names are fixed by the config; this guards against a module name that escapes the folder.
            guard url.deletingLastPathComponent().path == folder.path else {
                throw TemplateRenderer.RenderError(description: "error: refusing to write '\(file.name)' outside \(folder.path)")
            }
            return url
        }
        // Each file is compared and written on its own thread (the model files are the large ones).
        let failures = WriteFailures()
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            // An unchanged file keeps its date, so a build does not recompile it (a new payables-gen
            // reruns the build plugin, and most of its output is the same).
            let data = Data(files[index].contents.utf8)
            guard FileManager.default.contents(atPath: urls[index].path) != data else { return }
            do { try data.write(to: urls[index], options: .atomic) } catch { failures.add(index, error) }
        }
        if let (_, error) = failures.first { throw error }
        return Outcome(diagnostics: diagnostics, writtenFiles: urls.map(\.path))
    }

    /// Stages 1-4 for one module: the checked module name, the resolved document (`$ref`s inside
    /// `config.refRoot`), the part of it the config's `filter` selects, the SDK model. `model` is
    /// nil when the config, the document, the filter or the translation has errors (in
    /// `diagnostics`). Every output (Swift files, the DocC landing page) starts here.
    static func model(specPath: String, config: GeneratorConfig) throws -> (model: SDKModel?, diagnostics: [Diagnostic]) {
        // A config read from a file was checked as it was read; one made in code (or a --module) is checked here.
        let isIdentifier = config.module.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
            && config.module.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard isIdentifier else {
            return (nil, [Diagnostic(.error, "module name '\(config.module)' is not a Swift identifier", at: config.sourceLocation(of: "/module"))])
        }
        guard !Naming.keywords.contains(config.module), !Naming.reservedTypeNames.contains(config.module) else {
            return (nil, [Diagnostic(.error, "module name '\(config.module)' is a Swift keyword or a name the generated code uses",
                                     at: config.sourceLocation(of: "/module"))])
        }
        let loaded = DocumentLoader.load(path: specPath, refRoot: config.refRoot)
        var diagnostics = loaded.diagnostics
        guard var document = loaded.document, !loaded.hasErrors else { return (nil, diagnostics) }
        if let filter = config.filter {
            let filtered = DocumentFilter.apply(filter, to: document, config: config)
            diagnostics += filtered.diagnostics
            if filtered.diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
            document = filtered.document
        }
        let (model, translationDiagnostics) = ModelTranslator.translate(document, config: config)
        LaterRelease.release((consume loaded, consume document))
        diagnostics += translationDiagnostics
        if translationDiagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        return (model, diagnostics)
    }
}

/// The first write error by file order (files are written concurrently).
private final class WriteFailures: @unchecked Sendable {
    private var errors: [(Int, any Error)] = []
    private let lock = NSLock()
    func add(_ index: Int, _ error: any Error) { lock.lock(); errors.append((index, error)); lock.unlock() }
    var first: (Int, any Error)? { lock.lock(); defer { lock.unlock() }; return errors.min { $0.0 < $1.0 } }
}

/// Frees what a generation built and no longer needs (the YAML tree, the typed document, the
/// model: hundreds of thousands of small objects, tens of milliseconds for a large document) on
/// a background thread, so that the files are written sooner. `payables-gen` and the build
/// plugin exit right after generating; a process that generates in a loop gets the memory back
/// moments later.
enum LaterRelease {
    private static let queue = DispatchQueue(label: "payables-gen.later-release", qos: .utility)
    private static let pending = PendingValues()

    static func release<T>(_ value: consuming T) {
        // Kept by the list (not captured by the closure), so that the last reference is dropped
        // on the queue even when the queue runs before this function returns.
        pending.append(consume value)
        queue.async { pending.removeAll() }
    }

    private final class PendingValues: @unchecked Sendable {
        private var values: [Any] = []
        private let lock = NSLock()
        func append(_ value: consuming Any) { lock.lock(); values.append(value); lock.unlock() }
        func removeAll() {
            lock.lock()
            let released = values
            values = []
            lock.unlock()
            _ = consume released
        }
    }
}
