import CodatSandbox
import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `codat-sandbox` executable, run as a process.
final class ExecutableTests: XCTestCase {
    func testFirstLineIsTheListeningAddress() async throws {
        let binary = try Self.executable()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--port", "0", "--push-delay-ms", "50", "--extra-bills", "3"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }

        let line = try await Self.firstLine(of: output.fileHandleForReading, timeout: .seconds(30))
        let pattern = try NSRegularExpression(pattern: #"^listening on http://127\.0\.0\.1:([0-9]{1,5})$"#)
        let match = try XCTUnwrap(pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), "first line: \(line)")
        let port = try XCTUnwrap(Int((line as NSString).substring(with: match.range(at: 1))))
        XCTAssertGreaterThan(port, 0)

        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/companies")!)
        request.setValue("Basic a2V5", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        XCTAssertEqual((response as? HTTPURLResponse)?.statusCode, 200)
        XCTAssertEqual(try SandboxJSON(data: data)["totalResults"], 5)

        process.terminate()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, "stops cleanly on SIGTERM")
        let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(rest.contains("GET /companies -> 200"), rest)
    }

    /// The built binary next to the test bundle (`swift build --product codat-sandbox` first).
    static func executable() throws -> URL {
        var folders = [Bundle.main.bundleURL, Bundle(for: ExecutableTests.self).bundleURL.deletingLastPathComponent()]
        if let argument = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: argument).deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent("codat-sandbox")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw XCTSkip(
            "codat-sandbox is not built next to the tests (looked in \(folders.map(\.path))); run `swift build --product codat-sandbox` with the same scratch path first")
    }

    /// Reads up to the first newline, without waiting for more.
    static func firstLine(of handle: FileHandle, timeout: Duration) async throws -> String {
        try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask {
                var bytes = Data()
                while true {
                    let chunk = try handle.read(upToCount: 1) ?? Data()
                    if chunk.isEmpty || chunk == Data([10]) { break }
                    bytes += chunk
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw CancellationError()
            }
            let line = try await group.next() ?? ""
            group.cancelAll()
            return line
        }
    }
}
