import Foundation
import PackagePlugin

/// Runs `payables-gen generate` for a target whose folder holds `payables-gen.json`.
///
/// Inputs: the config, the spec and every template; outputs: the fixed file list the
/// generator writes. So a change to any input regenerates, and a no-op build does not.
@main
struct PayablesGeneratorPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let configURL = target.directoryURL.appending(path: "payables-gen.json")
        let config = try PluginConfig(url: configURL)
        let templates = config.templates ?? context.package.directoryURL.appending(path: "Templates")
        let templateFiles = ((try? FileManager.default.contentsOfDirectory(atPath: templates.path)) ?? [])
            .filter { $0.hasSuffix(".mustache") }.sorted().map { templates.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        return [
            .buildCommand(
                displayName: "Generating \(config.module) from \(config.spec.lastPathComponent)",
                executable: try context.tool(named: "payables-gen").url,
                arguments: ["generate", config.spec.path, "--config", configURL.path, "--templates", templates.path, "--output", output.path,
                            // $refs may read files anywhere in the package, nowhere else.
                            "--ref-root", context.package.directoryURL.path],
                inputFiles: [configURL, config.spec] + templateFiles,
                outputFiles: config.outputFiles.map { output.appending(path: $0) }
            ),
        ]
    }
}

/// The part of `GeneratorConfig` (Sources/SDKGen/Config) the plugin needs. Plugins cannot
/// depend on library targets, so this mirrors it; keep `outputFiles` in step with it.
struct PluginConfig: Decodable {
    var module: String
    var spec: URL
    var templates: URL?
    var modelFiles: Int

    enum CodingKeys: String, CodingKey { case module, spec, templates, modelFiles }

    init(url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PluginError("\(url.path): error: cannot read the generator config")
        }
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        let base = url.deletingLastPathComponent()
        module = raw.module
        guard let spec = raw.spec else { throw PluginError("\(url.path):1:1: error: the config names no 'spec'") }
        self.spec = spec.hasPrefix("/") ? URL(fileURLWithPath: spec) : base.appending(path: spec).standardizedFileURL
        // The documents are pinned, not committed: say how to fetch them rather than fail in the tool.
        guard FileManager.default.fileExists(atPath: self.spec.path) else {
            let folder = self.spec.deletingLastPathComponent().path
            throw PluginError("""
                \(url.path):1:1: error: the pinned document '\(self.spec.lastPathComponent)' is missing from \(folder); \
                run `swift package --allow-writing-to-package-directory --allow-writing-to-directory \(folder) --allow-network-connections all:443 sync-codat-specs` \
                in your package (Xcode: right-click the package, sync-codat-specs), or `bash specs/sync.sh` in a clone of PayablesSDK
                """)
        }
        templates = raw.templates.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : base.appending(path: $0).standardizedFileURL }
        modelFiles = raw.modelFiles ?? 4
    }

    private struct Raw: Decodable {
        var module: String
        var spec: String?
        var templates: String?
        var modelFiles: Int?
    }

    var outputFiles: [String] {
        (0..<modelFiles).map { "\(module)Models\($0).swift" } + ["\(module)Schemas.swift", "\(module)Client.swift"]
    }
}

struct PluginError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
