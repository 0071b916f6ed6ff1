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

        try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        let folder = URL(fileURLWithPath: outputFolder).standardizedFileURL
        var written: [String] = []
        for file in files {
            let url = folder.appendingPathComponent(file.name).standardizedFileURL
            // Output names are fixed by the config; this guards against a module name that escapes the folder.
            guard url.deletingLastPathComponent().path == folder.path else {
                throw TemplateRenderer.RenderError(description: "error: refusing to write '\(file.name)' outside \(folder.path)")
            }
            // An unchanged file keeps its date, so a build does not recompile it (a new payables-gen
            // reruns the build plugin, and most of its output is the same).
            let data = Data(file.contents.utf8)
            if FileManager.default.contents(atPath: url.path) != data { try data.write(to: url, options: .atomic) }
            written.append(url.path)
        }
        return Outcome(diagnostics: diagnostics, writtenFiles: written)
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
        diagnostics += translationDiagnostics
        if translationDiagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        return (model, diagnostics)
    }
}
