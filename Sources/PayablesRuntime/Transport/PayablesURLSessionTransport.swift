import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import OpenAPIRuntime

/// A `ClientTransport` over `URLSession` for the two things swift-openapi-urlsession's
/// `URLSessionTransport` does not do on every platform:
///
/// - **Redirects to another origin are refused.** `URLSession` follows a 307/308 to any host
///   with the request's headers (`Authorization` included) and, for 307/308, its body. Here a
///   redirect is followed only to the same scheme, host and port; any other is returned as
///   the 3xx response it is (the runtime never follows it either).
/// - **The response body streams, up to a limit.** `URLSessionTransport` buffers the whole
///   body on Linux before the runtime sees a byte, so `ClientOptions.maxResponseBytes` came
///   too late. Here each chunk is handed on as it arrives, and the task is cancelled as soon
///   as more than `maxResponseBytes` have arrived (`URLSession` cannot pause a download, so
///   the limit is enforced where the bytes arrive) or the body is dropped.
///
/// `ClientCore` puts one in place of a `URLSessionTransport` whose session has no delegate of
/// its own (see `ClientCore.init`), so generated clients get both by default.
public final class PayablesURLSessionTransport: ClientTransport, @unchecked Sendable {
    let session: URLSession
    private let tasks: TaskTable

    /// - Parameters:
    ///   - configuration: the session's configuration (default: `.default`).
    ///   - maxResponseBytes: a body's download is cancelled past this many bytes (the client's
    ///     `ClientOptions.maxResponseBytes`, which then refuses the response).
    public init(configuration: URLSessionConfiguration = .default, maxResponseBytes: Int = .max) {
        tasks = TaskTable()
        session = URLSession(configuration: Self.uncached(configuration), delegate: SessionDelegate(tasks: tasks, maxResponseBytes: maxResponseBytes),
                             delegateQueue: nil)
    }

    /// `configuration` without a response cache. An API client wants every answer fresh (a bill's
    /// `amountDue` read from a cache would be wrong), and on Linux the cache is what made
    /// cancelling a request trap the process: swift-corelibs-foundation looks the cache up on a
    /// background queue before the task's protocol exists, and a `cancel()` landing then reports
    /// the failure out of order with the task's removal from the session's registry ("Trying to
    /// access a behaviour for a task that in not in the registry"). Without a cache the lookup
    /// does not happen (`URLSessionCancellationTests` reproduces the trap with one).
    static func uncached(_ configuration: URLSessionConfiguration) -> URLSessionConfiguration {
        // URLSession copies its configuration; this copy keeps the caller's untouched.
        let copy = configuration.copy() as? URLSessionConfiguration ?? URLSessionConfiguration.default
        copy.urlCache = nil
        copy.requestCachePolicy = .reloadIgnoringLocalCacheData
        return copy
    }

    deinit {
        // The session holds its delegate strongly until invalidated.
        session.finishTasksAndInvalidate()
    }

    public func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        var urlRequest = URLRequest(url: try Self.url(request, baseURL: baseURL))
        urlRequest.httpMethod = request.method.rawValue
        for field in request.headerFields {
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name.rawName)
        }
        if let body { urlRequest.httpBody = try await Data(collecting: body, upTo: .max) }
        try Task.checkCancellation()

        let task = session.dataTask(with: urlRequest)
        let exchange = Exchange(task: task)
        tasks.insert(exchange, for: task.taskIdentifier)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                exchange.start(continuation)
            }
        } onCancel: {
            exchange.cancel()
        }
    }

    /// The server URL with the request's path and query appended (the path is already percent-encoded).
    static func url(_ request: HTTPRequest, baseURL: URL) throws -> URL {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false),
              let target = URLComponents(string: request.path ?? "")
        else { throw URLError(.badURL) }
        components.percentEncodedPath += target.percentEncodedPath
        components.percentEncodedQuery = target.percentEncodedQuery
        guard let url = components.url else { throw URLError(.badURL) }
        return url
    }

    /// Whether a redirect from `source` to `target` stays on the same origin (scheme, host, port).
    public static func isSameOrigin(_ source: URL?, _ target: URL?) -> Bool {
        guard let source, let target,
              let sourceScheme = source.scheme?.lowercased(), let targetScheme = target.scheme?.lowercased(),
              let sourceHost = source.host?.lowercased(), let targetHost = target.host?.lowercased()
        else { return false }
        func port(_ url: URL, _ scheme: String) -> Int? { url.port ?? ["http": 80, "https": 443][scheme] }
        return sourceScheme == targetScheme && sourceHost == targetHost && port(source, sourceScheme) == port(target, targetScheme)
    }
}

/// One request's life: the response head once, then the body's chunks.
///
/// The call ends once, whichever comes first: the answer's head, the task's completion, or the
/// caller's cancellation. A cancellation ends the call itself (it does not wait for URLSession
/// to report the cancelled task: on Linux a task cancelled at some moments is never reported,
/// and the call hung), and may come before `start` (the continuation is then resumed at once
/// and the task never resumed). A completion that comes before `start` is kept for it.
final class Exchange: @unchecked Sendable {
    let task: URLSessionDataTask
    private let lock = NSLock()
    private var head: CheckedContinuation<(HTTPResponse, HTTPBody?), any Error>?
    private var chunks: AsyncThrowingStream<ArraySlice<UInt8>, any Error>.Continuation?
    private var receivedBytes = 0
    private var started = false
    /// Why the call ended before `start` (a cancellation, or the task's completion).
    private var endedEarly: (any Error)?

    init(task: URLSessionDataTask) { self.task = task }

    func start(_ continuation: CheckedContinuation<(HTTPResponse, HTTPBody?), any Error>) {
        let early: (any Error)? = lock.withLock {
            started = true
            if let endedEarly { return endedEarly }
            head = continuation
            return nil
        }
        if let early { return continuation.resume(throwing: early) }
        task.resume()
    }

    /// The caller's task was cancelled while waiting for the head: the call ends now with
    /// `CancellationError`, and the request is cancelled. (Once the head is handed on, the body's
    /// reader sees the cancellation itself: `ResponseChunks`.)
    func cancel() {
        let waiting: CheckedContinuation<(HTTPResponse, HTTPBody?), any Error>? = lock.withLock {
            if !started, endedEarly == nil { endedEarly = CancellationError() }
            defer { head = nil }
            return head
        }
        waiting?.resume(throwing: CancellationError())
        task.cancel()
    }

    func received(_ response: URLResponse) {
        guard let http = response as? HTTPURLResponse else {
            finish(URLError(.badServerResponse))
            return
        }
        var fields = HTTPFields()
        for case let (name as String, value as String) in http.allHeaderFields {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let (stream, continuation) = AsyncThrowingStream<ArraySlice<UInt8>, any Error>.makeStream()
        let length: HTTPBody.Length = http.expectedContentLength >= 0 ? .known(http.expectedContentLength) : .unknown
        let body = HTTPBody(ResponseChunks(stream: stream, cancel: CancelOnRelease(task)), length: length, iterationBehavior: .single)
        let waiting = lock.withLock {
            chunks = continuation
            defer { head = nil }
            return head
        }
        waiting?.resume(returning: (HTTPResponse(status: .init(code: http.statusCode), headerFields: fields), body))
    }

    /// Hands the chunk on; past `limit` bytes the download stops (the reader, which counts
    /// the same bytes, has seen the limit crossed by then).
    func received(_ data: Data, limit: Int) {
        let (continuation, over) = lock.withLock {
            receivedBytes += data.count
            return (chunks, receivedBytes > limit)
        }
        continuation?.yield(ArraySlice(data))
        if over {
            task.cancel()
            // After the chunks already handed on, so a reader that counts sees the limit crossed first.
            finish(ResponseTooLargeError(limit: limit))
        }
    }

    func finish(_ error: (any Error)?) {
        let (waiting, continuation) = lock.withLock {
            if !started, endedEarly == nil { endedEarly = error ?? URLError(.badServerResponse) }
            defer { head = nil; chunks = nil }
            return (head, chunks)
        }
        if let waiting { waiting.resume(throwing: error ?? URLError(.badServerResponse)) }
        continuation?.finish(throwing: error)
    }
}

/// The body passed the transport's `maxResponseBytes`: its download was cancelled there.
public struct ResponseTooLargeError: Error, CustomStringConvertible, Sendable {
    public var limit: Int
    public var description: String { "the response body is larger than \(limit) bytes; its download was stopped" }
}

/// Cancels the task when the last holder lets go: the body was read to its end (a no-op then),
/// or dropped half-way because it passed `maxResponseBytes`.
final class CancelOnRelease: @unchecked Sendable {
    let task: URLSessionTask
    init(_ task: URLSessionTask) { self.task = task }

    deinit { task.cancel() }
}

/// The body's chunks, holding the task's `CancelOnRelease` in the sequence and in each iterator.
struct ResponseChunks: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>
    let stream: AsyncThrowingStream<ArraySlice<UInt8>, any Error>
    let cancel: CancelOnRelease

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<ArraySlice<UInt8>, any Error>.AsyncIterator
        let cancel: CancelOnRelease
        mutating func next() async throws -> ArraySlice<UInt8>? {
            guard let chunk = try await base.next() else {
                // The stream also ends (nil) when the reading task is cancelled: a body cut so
                // must not look complete.
                try Task.checkCancellation()
                return nil
            }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: stream.makeAsyncIterator(), cancel: cancel) }
}

/// The exchanges in flight, by task identifier.
final class TaskTable: @unchecked Sendable {
    private let lock = NSLock()
    private var exchanges: [Int: Exchange] = [:]

    func insert(_ exchange: Exchange, for id: Int) { lock.withLock { exchanges[id] = exchange } }
    func exchange(_ id: Int) -> Exchange? { lock.withLock { exchanges[id] } }
    func remove(_ id: Int) -> Exchange? { lock.withLock { exchanges.removeValue(forKey: id) } }
}

/// Hands the session's callbacks to the exchanges, and refuses redirects to another origin.
final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let tasks: TaskTable
    let maxResponseBytes: Int

    init(tasks: TaskTable, maxResponseBytes: Int) {
        self.tasks = tasks
        self.maxResponseBytes = maxResponseBytes
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        // nil: the 3xx response itself becomes the answer.
        completionHandler(PayablesURLSessionTransport.isSameOrigin(task.originalRequest?.url, request.url) ? request : nil)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        tasks.exchange(dataTask.taskIdentifier)?.received(response)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        tasks.exchange(dataTask.taskIdentifier)?.received(data, limit: maxResponseBytes)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        tasks.remove(task.taskIdentifier)?.finish(error)
    }
}
