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
    public static func generate(specPath: String, config: GeneratorConfig, templatesFolder: String, outputFolder: String) throws -> Outcome {
        let (model, diagnostics) = try Generator.model(specPath: specPath, config: config)
        guard let model else { return Outcome(diagnostics: diagnostics, writtenFiles: []) }

        let renderer = try TemplateRenderer(folder: templatesFolder)
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
            try Data(file.contents.utf8).write(to: url, options: .atomic)
            written.append(url.path)
        }
        return Outcome(diagnostics: diagnostics, writtenFiles: written)
    }

    /// Stages 1-4 for one module: the checked module name, the resolved document (`$ref`s inside
    /// `config.refRoot`), the SDK model. `model` is nil when the document or its translation has
    /// errors (in `diagnostics`). Every output (Swift files, the DocC landing page) starts here.
    static func model(specPath: String, config: GeneratorConfig) throws -> (model: SDKModel?, diagnostics: [Diagnostic]) {
        let isIdentifier = config.module.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
            && config.module.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard isIdentifier else {
            throw TemplateRenderer.RenderError(description: "error: module name '\(config.module)' is not a Swift identifier")
        }
        guard !Naming.keywords.contains(config.module), !Naming.reservedTypeNames.contains(config.module) else {
            throw TemplateRenderer.RenderError(description: "error: module name '\(config.module)' is a Swift keyword or a name the generated code uses")
        }
        let loaded = DocumentLoader.load(path: specPath, refRoot: config.refRoot)
        var diagnostics = loaded.diagnostics
        guard let document = loaded.document, !loaded.hasErrors else { return (nil, diagnostics) }
        let (model, translationDiagnostics) = ModelTranslator.translate(document, config: config)
        diagnostics += translationDiagnostics
        if translationDiagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        return (model, diagnostics)
    }
}
