import ArgumentParser
import Foundation
import OpenAPIDocument
import SDKGen

@main
struct PayablesGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payables-gen",
        abstract: "Reads OpenAPI 3.0/3.1 documents and generates Swift SDK modules.",
        subcommands: [Lint.self, Generate.self, Docs.self]
    )
}

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reads, resolves and checks OpenAPI documents; prints diagnostics as file:line:column: severity: message."
    )

    @Argument(help: "OpenAPI documents (YAML or JSON).")
    var specs: [String]

    @Flag(name: .long, help: "Print only the summary lines, not each diagnostic.")
    var quiet = false

    @Option(name: .customLong("ref-root"), help: "The folder whose files $refs may read (default: each document's folder).")
    var refRoot: String?

    func run() throws {
        var failed = false
        for spec in specs {
            let start = ContinuousClock.now
            let result = DocumentLoader.load(path: spec, refRoot: refRoot)
            let elapsed = ContinuousClock.now - start
            let diagnostics = result.diagnostics
            if !quiet {
                for diagnostic in Diagnostics.sortedByLocation(diagnostics) {
                    FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
                }
            }
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.filter { $0.severity == .warning }.count
            if errors > 0 { failed = true }
            let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            if let document = result.document {
                let operations = document.operations.count
                print("\(spec): OpenAPI \(document.openapi), \(operations) operations, \(document.components.schemas.count) component schemas (\(document.schemas.count) schema nodes), \(warnings) warnings, \(errors) errors, \(String(format: "%.1f", ms)) ms")
            } else {
                print("\(spec): not read, \(warnings) warnings, \(errors) errors, \(String(format: "%.1f", ms)) ms")
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generates a Swift module's files from an OpenAPI document into one folder."
    )

    @Argument(help: "The OpenAPI document (YAML or JSON).")
    var spec: String

    @Option(help: "The Swift module name (default: the config's 'module').")
    var module: String?

    @Option(help: "The folder to write into; nothing is written elsewhere.")
    var output: String

    @Option(help: "The module's generator config (payables-gen.json).")
    var config: String?

    @Option(help: "A folder of templates that replace the built-in ones file by file (default: the config's 'templates').")
    var templates: String?

    @Option(name: .customLong("ref-root"), help: "The folder whose files $refs may read (default: the config's 'refRoot', else the document's folder).")
    var refRoot: String?

    func run() throws {
        var generatorConfig: GeneratorConfig
        do {
            generatorConfig = try config.map(GeneratorConfig.load(path:)) ?? GeneratorConfig(module: module ?? "")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        if let module { generatorConfig.module = module }
        if let refRoot { generatorConfig.refRoot = refRoot }
        guard !generatorConfig.module.isEmpty else {
            throw ValidationError("give --module or a --config that names the module")
        }
        // The command line wins over the config; without either, the built-in templates.
        let templateFolder = templates ?? generatorConfig.templates
        do {
            let outcome = try Generator.generate(specPath: spec, config: generatorConfig, templatesFolder: templateFolder, outputFolder: output)
            for diagnostic in Diagnostics.sortedByLocation(outcome.diagnostics) {
                FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
            }
            if outcome.hasErrors { throw ExitCode(1) }
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
