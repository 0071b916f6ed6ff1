import Foundation
import PackagePlugin

/// Puts the pinned Codat documents where the build plugin reads them, in every package of the
/// graph that pins some (`specs/pins.tsv`): this one, or the checkout of it that a package
/// depending on it by URL gets (`.build/checkouts/PayablesSDK`, or Xcode's `SourcePackages`).
///
///     swift package --allow-writing-to-package-directory --allow-network-connections all:443 sync-codat-specs
///     ... sync-codat-specs --from FOLDER   # offline: copies from FOLDER instead of downloading
///
/// With a build folder outside the package (`--scratch-path`), add
/// `--allow-writing-to-directory <checkout>/specs`; the build plugin's error prints the exact line.
///
/// The documents are not committed (the project pins and copies them); each package's own
/// `specs/sync.sh` does the work, so the sha256 check lives in one place.
@main
struct SyncSpecsCommand: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let from = extractor.extractOption(named: "from").last
        guard extractor.remainingArguments.isEmpty else {
            throw SyncSpecsError("usage: sync-codat-specs [--from FOLDER]; unexpected \(extractor.remainingArguments)")
        }
        let packages = Self.packagesWithPins(context.package)
        guard !packages.isEmpty else { throw SyncSpecsError("no package in the graph has specs/pins.tsv") }
        let fromFolder = from.map {
            URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
        }
        for package in packages {
            let script = package.directoryURL.appending(path: "specs/sync.sh")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [script.path]
            var environment = ProcessInfo.processInfo.environment
            // Without --from, sync.sh downloads from the pinned commit (it copies only from a folder that exists).
            environment["PAYABLES_SHARED_SPECS"] = fromFolder ?? "/nonexistent-use-download"
            process.environment = environment
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw SyncSpecsError("\(script.path) failed for \(package.displayName) (exit \(process.terminationStatus)); see the lines above")
            }
            print("sync-codat-specs: \(package.displayName): pinned documents in \(package.directoryURL.appending(path: "specs").path)")
        }
    }

    /// The root package and its dependencies, each once, that carry `specs/pins.tsv`.
    static func packagesWithPins(_ root: Package) -> [Package] {
        var seen = Set<String>()
        var result: [Package] = []
        var queue = [root]
        while let package = queue.popLast() {
            guard seen.insert(package.id).inserted else { continue }
            if FileManager.default.fileExists(atPath: package.directoryURL.appending(path: "specs/pins.tsv").path) {
                result.append(package)
            }
            queue += package.dependencies.map(\.package)
        }
        return result
    }
}

struct SyncSpecsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
