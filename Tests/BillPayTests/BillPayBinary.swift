import Foundation
import XCTest

/// The built `billpay` binary, run as a person would (`swift build --product billpay` with the
/// same scratch path first; tests that need it are skipped when it is not there).
enum BillPayBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Standard output's lines that are JSON objects, decoded.
        var jsonLines: [[String: Any]] {
            stdout.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
        }
    }

    /// `billpay` next to the test bundle.
    static func url() throws -> URL {
        var folders = [Bundle.main.bundleURL, Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()]
        if let argument = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: argument).deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent("billpay")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw XCTSkip("billpay is not built next to the tests (looked in \(folders.map(\.path))); "
                      + "run `swift build --product billpay` with the same --scratch-path first")
    }

    private final class Marker {}

    /// Runs `billpay` to its end (at most two minutes), output in temporary files so that no pipe
    /// fills; `CODAT_API_KEY` is removed from its environment unless given in `environment`.
    static func run(_ arguments: [String], binary: URL? = nil, environment extra: [String: String] = [:],
                    directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = try binary ?? url()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CODAT_API_KEY"] = nil
        environment.merge(extra) { $1 }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("billpay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("billpay \(arguments.joined(separator: " ")) did not finish within two minutes")
        }
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
