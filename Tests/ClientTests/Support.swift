import CodatSandbox
import Foundation
import Logging
import XCTest

/// The API key the tests use: it must appear in no log line and no error text.
let apiKey = "test-api-key-7d1c2f"
let authHeader = "Basic " + Data(apiKey.utf8).base64EncodedString()

/// Starts a sandbox for one test and stops it when the test ends.
func startSandbox(_ test: XCTestCase, _ configuration: SandboxConfiguration = SandboxConfiguration(apiKey: apiKey)) async throws -> CodatSandbox {
    var configuration = configuration
    if configuration.apiKey == nil { configuration.apiKey = apiKey }
    let sandbox = try await CodatSandbox.start(configuration)
    test.addTeardownBlock { await sandbox.stop() }
    return sandbox
}

/// Every log line the clients write: as text (for the redaction checks) and as entries with
/// their metadata (for the correlation-id checks).
final class LogCapture: @unchecked Sendable {
    struct Entry { var level: Logger.Level; var message: String; var metadata: [String: String] }
    private let lock = NSLock()
    private var _entries: [Entry] = []

    var entries: [Entry] { lock.withLock { _entries } }
    var lines: [String] { entries.map { "\($0.level) \($0.message) \($0.metadata)" } }

    var logger: Logger {
        var logger = Logger(label: "client-tests") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues { "\($0)" }
            capture.lock.withLock { capture._entries.append(Entry(level: event.level, message: "\(event.message)", metadata: merged)) }
        }
    }
}

/// Fails when a text shows the API key in any form.
func assertNoSecret(_ texts: [String], file: StaticString = #filePath, line: UInt = #line) {
    for text in texts {
        XCTAssertFalse(text.contains(apiKey), "API key in: \(text)", file: file, line: line)
        XCTAssertFalse(text.contains(Data(apiKey.utf8).base64EncodedString()), "encoded API key in: \(text)", file: file, line: line)
    }
}

extension CodatSandbox {
    /// Requests that reached an operation (`sync.create-bill-payment`).
    func requests(_ operation: String) -> [RecordedRequest] {
        recordedRequests.filter { $0.operation == operation }
    }
}
