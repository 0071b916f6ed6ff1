import Foundation
import PackagePlugin

/// Writes a generated module's code into a folder, for reading or vendoring:
///
///     swift package --allow-writing-to-directory OUT generate-sdk --target CodatSyncPayables --output OUT
///
/// Without `--target`, every target with a `payables-gen.json` is generated into `OUT/<Target>/`.
@main
struct GenerateSDKCommand: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let targetNames = extractor.extractOption(named: "target")
        guard let output = extractor.extractOption(named: "output").last else {
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
            let destination = targets.count == 1 ? outputURL : outputURL.appending(path: target.name)
            let process = Process()
            process.executableURL = tool
            process.arguments = [
                "generate", "--config", target.directoryURL.appending(path: "payables-gen.json").path,
                "--templates", context.package.directoryURL.appending(path: "Templates").path,
                "--output", destination.path, "--ref-root", context.package.directoryURL.path, specPath(target),
            ]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CommandError("payables-gen failed for \(target.name)") }
            print("generated \(target.name) into \(destination.path)")
        }
    }

    /// The spec named by the target's config, relative to the config's folder.
    private func specPath(_ target: SourceModuleTarget) -> String {
        let config = target.directoryURL.appending(path: "payables-gen.json")
        struct Raw: Decodable { var spec: String? }
        guard let data = FileManager.default.contents(atPath: config.path),
              let spec = (try? JSONDecoder().decode(Raw.self, from: data))?.spec else { return "" }
        return spec.hasPrefix("/") ? spec : config.deletingLastPathComponent().appending(path: spec).standardizedFileURL.path
    }
}

struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
