import ArgumentParser
import Foundation
import OpenAPIDocument
import SDKGen

/// `payables-gen docs`: a generated module's DocC landing page, rendered from
/// `Catalog.md.mustache` with the model the Swift files come from.
struct Docs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Writes a generated module's DocC landing page (<Module>.docc/<Module>.md beside its config).",
        discussion: "With --check nothing is written: exit 1 when the file differs from what would be written."
    )

    @Option(help: "The module's generator config (payables-gen.json); its 'spec' is the document.")
    var config: String

    @Option(help: "The OpenAPI document (default: the config's 'spec').")
    var spec: String?

    @Option(help: "The file to write (default: <config folder>/<Module>.docc/<Module>.md).")
    var output: String?

    @Option(help: "A folder of templates that replace the built-in ones file by file (default: the config's 'templates').")
    var templates: String?

    @Flag(help: "Compare with the file instead of writing it.")
    var check = false

    func run() throws {
        let generatorConfig: GeneratorConfig
        do {
            generatorConfig = try GeneratorConfig.load(path: config)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        guard let specPath = spec ?? generatorConfig.spec else {
            throw ValidationError("\(config) names no 'spec'; give --spec")
        }
        // The command line wins over the config; without either, the built-in templates.
        let templateFolder = templates ?? generatorConfig.templates
        let configFolder = URL(fileURLWithPath: config).deletingLastPathComponent().path
        let path = output ?? CatalogRenderer.defaultOutputPath(configFolder: configFolder, module: generatorConfig.module)
        do {
            let (text, diagnostics) = try CatalogRenderer.render(specPath: specPath, config: generatorConfig, templatesFolder: templateFolder)
            for diagnostic in Diagnostics.sortedByLocation(diagnostics) where diagnostic.severity == .error {
                FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
            }
            guard let text else { throw ExitCode(1) }
            let current = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            if check {
                guard current == text else {
                    FileHandle.standardError.write(Data("\(path): error: differs from what payables-gen docs renders now; run `payables-gen docs --config \(config)`\n".utf8))
                    throw ExitCode(1)
                }
                return
            }
            guard current != text else { return }
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                    withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            print("wrote \(path)")
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
