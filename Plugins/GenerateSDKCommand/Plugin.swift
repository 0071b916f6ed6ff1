import Foundation
import PackagePlugin

/// Writes a generated module's code into a folder, for reading or vendoring:
///
///     swift package --allow-writing-to-directory OUT generate-sdk --target CodatSyncPayables --output OUT
///
/// Without `--target`, every target with a `payables-gen.json` is generated into `OUT/<Target>/`.
/// The config is read with the generator's own `GeneratorConfig` (`Shared/`, a symlink to
/// Sources/SDKGen/Config/Shared), the same type the CLI and the build plugin use.
@main
struct GenerateSDKCommand: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let targetNames = extractor.extractOption(named: "target")
        guard let output = extractor.extractOption(named: "output").last, extractor.remainingArguments.isEmpty else {
            throw CommandError("usage: generate-sdk [--target NAME]... --output FOLDER")
        }
        let outputURL = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let tool = try context.tool(named: "payables-gen").url
        let targets = context.package.targets.compactMap { $0 as? SourceModuleTarget }.filter { target in
            FileManager.default.fileExists(atPath: target.directoryURL.appending(path: "payables-gen.json").path)
                && (targetNames.isEmpty || targetNames.contains(target.name))
        }
        guard !targets.isEmpty else { throw CommandError("no target with a payables-gen.json matches \(targetNames)") }
        for target in targets {
            let configPath = target.directoryURL.appending(path: "payables-gen.json").path
            let config: GeneratorConfig
            do {
                config = try GeneratorConfig.load(path: configPath)
            } catch {
                stop(error)
            }
            guard let spec = config.spec else {
                stop(config.origin!.error("the config names no 'spec' (the OpenAPI document)", at: ""))
            }
            let destination = targets.count == 1 ? outputURL : outputURL.appending(path: target.name)
            let process = Process()
            process.executableURL = tool
            process.arguments = ["generate", "--config", configPath, "--output", destination.path,
                                 "--ref-root", context.package.directoryURL.path, spec]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CommandError("payables-gen failed for \(target.name) (its errors are above)") }
            print("generated \(target.name) into \(destination.path): \(config.outputFiles.joined(separator: ", "))")
        }
    }
}

/// Reports a config error once: a diagnostic at its file and line whose text is the located
/// `file:line:column: error: ...` (SwiftPM's command line prints a plugin diagnostic's text
/// without its place); then exits with a failure status, as a thrown error's text would be
/// printed a second time (SwiftPM adds nothing of its own once the plugin has emitted an error).
func stop(_ error: GeneratorConfig.ConfigError) -> Never {
    Diagnostics.error(error.description, file: error.file, line: error.line)
    exit(1)
}

struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
