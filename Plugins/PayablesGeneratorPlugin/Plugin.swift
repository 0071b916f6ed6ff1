import Foundation
import PackagePlugin

/// Runs `payables-gen generate` for a target whose folder holds `payables-gen.json`.
///
/// Inputs: the config, the spec and every template; outputs: the file list
/// `GeneratorConfig.outputFiles` names. So a change to any input regenerates, and a no-op
/// build does not. The templates are the config's `templates` folder over the built-in ones,
/// or, without it, the package's `Templates/` (the source of the built-in ones: an edited
/// template takes effect at once). The config is read with the generator's own
/// `GeneratorConfig` (`Shared/`, a symlink to Sources/SDKGen/Config/Shared): a bad key is
/// reported at its line.
@main
struct PayablesGeneratorPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let configURL = target.directoryURL.appending(path: "payables-gen.json")
        let config = try reportingConfigErrors { try GeneratorConfig.load(path: configURL.path) }
        let spec = try reportingConfigErrors { try config.pinnedSpec() }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        var arguments = ["generate", spec.path, "--config", configURL.path, "--output", output.path,
                         // $refs may read files anywhere in the package, nowhere else.
                         "--ref-root", context.package.directoryURL.path]
        let packageTemplates = context.package.directoryURL.appending(path: "Templates").path
        if config.templates == nil, FileManager.default.fileExists(atPath: packageTemplates) {
            arguments += ["--templates", packageTemplates]
        }
        let templateFiles = [packageTemplates, config.templates].compactMap { $0 }.flatMap(Self.templates(in:))
        return [
            .buildCommand(
                displayName: "Generating \(config.module) from \(spec.lastPathComponent)",
                executable: try context.tool(named: "payables-gen").url,
                arguments: arguments,
                inputFiles: [configURL, spec] + templateFiles,
                outputFiles: config.outputFiles.map { output.appending(path: $0) }
            ),
        ]
    }

    static func templates(in folder: String) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".mustache") }.sorted().map { URL(fileURLWithPath: folder).appending(path: $0) }
    }
}

extension GeneratorConfig {
    /// The config's `spec`, which must exist. The Codat documents are pinned, not committed:
    /// when one is missing the error says how to fetch it rather than fail in the tool.
    func pinnedSpec() throws(ConfigError) -> URL {
        guard let origin else { throw ConfigError(file: "<config>", line: 1, column: 1, message: "no config file") }
        guard let path = spec else { throw origin.error("the config names no 'spec' (the OpenAPI document)", at: "") }
        let spec = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: spec.path) else {
            let folder = spec.deletingLastPathComponent().path
            throw origin.error("""
                the pinned document '\(spec.lastPathComponent)' is missing from \(folder); \
                run `swift package --allow-writing-to-package-directory --allow-writing-to-directory \(folder) --allow-network-connections all:443 sync-codat-specs` \
                in your package (Xcode: right-click the package, sync-codat-specs), or `bash specs/sync.sh` in a clone of PayablesSDK
                """, at: "/spec")
        }
        return spec
    }
}

/// Runs `body`; a config error is reported once: a diagnostic at its file and line (Xcode shows
/// it in place) whose text is the located `file:line:column: error: ...` (SwiftPM's command line
/// prints a plugin diagnostic's text without its place). The plugin then exits with a failure
/// status instead of throwing, which would print the text a second time (SwiftPM adds nothing
/// of its own once the plugin has emitted an error).
func reportingConfigErrors<T>(_ body: () throws -> T) rethrows -> T {
    do {
        return try body()
    } catch let error as GeneratorConfig.ConfigError {
        Diagnostics.error(error.description, file: error.file, line: error.line)
        exit(1)
    }
}
