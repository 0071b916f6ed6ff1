import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Logging
import OpenAPIRuntime
import PayablesRuntime

/// A `ClientTransport` that answers from a script, one step per attempt, and records what it was sent.
final class ScriptedTransport: ClientTransport, @unchecked Sendable {
    enum Step {
        case respond(Int, headers: [String: String] = [:], body: String = "")
        case fail(URLError.Code)
        /// Sleeps (cancellably) before answering 200.
        case hang(Duration)
        /// Answers the status and head, then loses the connection after `body`.
        case truncated(Int, body: String)
        /// Streams `chunks` chunks of `size` bytes, counting what the client pulled in `pulled`.
        case stream(Int, chunks: Int, size: Int)
    }

    struct Sent {
        var request: HTTPRequest
        var body: Data
        var at: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var steps: [Step]
    private var _sent: [Sent] = []
    private var _pulled = 0

    /// Bytes of `.stream` bodies the client has read.
    var pulled: Int { lock.withLock { _pulled } }

    init(_ steps: [Step]) { self.steps = steps }

    var sent: [Sent] { lock.withLock { _sent } }

    fileprivate func lockedAddPulled(_ count: Int) { lock.withLock { _pulled += count } }

    func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        var data = Data()
        if let body { data = try await Data(collecting: body, upTo: 64 * 1024 * 1024) }
        let step: Step = lock.withLock {
            _sent.append(Sent(request: request, body: data, at: ContinuousClock.now))
            return steps.isEmpty ? .respond(200, body: "{}") : steps.removeFirst()
        }
        switch step {
        case let .respond(status, headers, body):
            var fields = HTTPFields()
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            return (HTTPResponse(status: .init(code: status), headerFields: fields), HTTPBody(body))
        case let .fail(code):
            throw URLError(code)
        case let .hang(duration):
            try await Task.sleep(for: duration)
            return (HTTPResponse(status: .ok), HTTPBody("{}"))
        case let .truncated(status, body):
            let stream = AsyncThrowingStream<ArraySlice<UInt8>, any Error> { continuation in
                continuation.yield(ArraySlice(body.utf8))
                continuation.finish(throwing: URLError(.networkConnectionLost))
            }
            return (HTTPResponse(status: .init(code: status)), HTTPBody(stream, length: .unknown))
        case let .stream(status, chunks, size):
            let sequence = ChunkSequence(chunks: chunks, size: size, transport: self)
            return (HTTPResponse(status: .init(code: status)), HTTPBody(sequence, length: .unknown, iterationBehavior: .single))
        }
    }
}

/// Chunks made on demand, so a test sees how much of a body the client read.
struct ChunkSequence: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>
    let chunks: Int
    let size: Int
    let transport: ScriptedTransport

    struct AsyncIterator: AsyncIteratorProtocol {
        var left: Int
        let size: Int
        let transport: ScriptedTransport
        mutating func next() async throws -> ArraySlice<UInt8>? {
            guard left > 0 else { return nil }
            left -= 1
            transport.didPull(size)
            return ArraySlice(repeating: UInt8(ascii: "a"), count: size)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(left: chunks, size: size, transport: transport) }
}

extension ScriptedTransport {
    func didPull(_ count: Int) { lockedAddPulled(count) }
}

/// Collects every log line, for checks that no credential is ever logged.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []

    var lines: [String] { lock.withLock { _lines } }

    func append(_ line: String) { lock.withLock { _lines.append(line) } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
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
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append("\(event.level) \(event.message) \(merged)")
        }
    }
}

struct TestError: Codable, Sendable, Equatable {
    var statusCode: Int?
    var error: String?
}

/// A client core over `transport`, with short retry intervals so the tests run fast.
func makeCore(_ transport: ScriptedTransport, retry: RetryConfiguration = fastRetry, logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
              attemptTimeout: Duration? = .seconds(10), server: String = "https://api.example.test",
              allowsCredentialsOverPlainHTTP: Bool = false) -> ClientCore {
    ClientCore(serverURL: URL(string: server)!,
               credentials: [Credential(location: .header, name: "Authorization", value: "Basic c2VjcmV0LWFwaS1rZXk=")],
               transport: transport, middlewares: [],
               options: ClientOptions(attemptTimeout: attemptTimeout, logger: logger, requestLogLevel: .debug,
                                      allowsCredentialsOverPlainHTTP: allowsCredentialsOverPlainHTTP),
               documentRetry: retry)
}

let fastRetry = RetryConfiguration(
    strategy: .backoff(initialInterval: .milliseconds(10), maxInterval: .milliseconds(50), maxElapsedTime: .seconds(30), exponent: 1.5),
    statuses: StatusSet(codes: [408, 429], classes: [5]), retryConnectionErrors: true)

/// Sends `request` and decodes a 200 body as `[String: String]`.
func call(_ core: ClientCore, _ request: OperationRequest, options: CallOptions = CallOptions()) async throws -> [String: String] {
    try await core.send(request, call: options, documentedErrors: StatusSet(codes: [400, 401, 404, 429, 500, 503]), errorModel: TestError.self) { response in
        response.status == 200 || response.status == 201 ? try response.json([String: String].self) : nil
    }
}
