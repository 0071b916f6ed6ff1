import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Logging
import OpenAPIRuntime

/// A response as generated code decodes it.
public struct ResponseParts: Sendable {
    public var status: Int
    public var headers: HTTPFields
    public var body: Data

    /// Decodes the body as JSON into the documented type.
    public func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONCoding.decoder.decode(T.self, from: body)
    }
}

/// What every generated client holds: server, credentials, transport and middlewares,
/// options; and the one `send` that runs an operation with retries, timeouts and logging.
public struct ClientCore: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let serverURL: URL
    public let options: ClientOptions
    let credentials: [Credential]
    let transport: any ClientTransport
    let middlewares: [any ClientMiddleware]
    /// The document's retry policy, used unless the options or the call replace it.
    let documentRetry: RetryConfiguration

    public init(serverURL: URL, credentials: [Credential], transport: any ClientTransport, middlewares: [any ClientMiddleware],
                options: ClientOptions, documentRetry: RetryConfiguration) {
        self.serverURL = serverURL
        self.credentials = credentials
        self.transport = transport
        self.middlewares = middlewares
        self.options = options
        self.documentRetry = documentRetry
    }

    public var description: String {
        "client for \(serverURL.absoluteString) (credentials: \(credentials.map { "\($0.name): <redacted>" }.joined(separator: ", ")); retries: \(options.retry ?? documentRetry))"
    }

    public var debugDescription: String { description }

    private var secrets: [String] { credentials.map(\.value) }

    /// Sends `request` and decodes the response. `decode` returns nil for a status the
    /// operation does not document as a success.
    public func send<Success: Sendable, ErrorModel: Decodable & Sendable>(
        _ request: OperationRequest,
        call: CallOptions,
        documentedErrors: StatusSet,
        errorModel: ErrorModel.Type,
        decode: @Sendable (ResponseParts) throws -> Success?
    ) async throws -> Success {
        let (response, attempts) = try await execute(request, call: call, errorModel: errorModel)
        func failure(_ kind: PayablesError<ErrorModel>.Kind, model: ErrorModel? = nil, decoding: DecodingError? = nil) -> PayablesError<ErrorModel> {
            let summary = decoding?.summary
            return PayablesError(kind: kind, operationID: request.operationID, method: request.method.rawValue, path: logPath(request),
                                 status: response.status, headers: response.headers, body: response.body, model: model,
                                 decodingFailure: summary.map { Redaction.scrub($0.message, secrets: secrets) }, codingPath: summary?.codingPath,
                                 attempts: attempts, secrets: secrets)
        }
        if documentedErrors.contains(response.status) {
            throw failure(.errorResponse, model: try? response.json(ErrorModel.self))
        }
        let decoded: Success?
        do {
            decoded = try decode(response)
        } catch let error as DecodingError {
            throw failure(.undecodableBody, decoding: error)
        }
        guard let decoded else { throw failure(.undocumentedStatus, model: try? response.json(ErrorModel.self)) }
        return decoded
    }

    /// Runs the attempts: one per loop, until a response that is not retried, an error that
    /// is not retried, the retry policy's end, the call's deadline or cancellation.
    private func execute<ErrorModel: Sendable>(_ request: OperationRequest, call: CallOptions, errorModel: ErrorModel.Type) async throws -> (ResponseParts, Int) {
        let retry = call.retry ?? options.retry ?? documentRetry
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = (call.timeout ?? options.callTimeout).map { start + $0 }
        // A repeat is harmless when the method is idempotent, the server deduplicates it, or the caller says so.
        let repeatable = request.method.isIdempotent || request.hasIdempotencyKey || call.retryUnsafeRequests
        let path = logPath(request)
        var attempt = 0
        var jitter = SystemRandomNumberGenerator()

        func connectionFailure(_ kind: PayablesError<ErrorModel>.Kind, _ message: String, sent: Bool) -> PayablesError<ErrorModel> {
            PayablesError(kind: kind, operationID: request.operationID, method: request.method.rawValue, path: path,
                          underlying: Redaction.scrub(message, secrets: secrets), outcomeUnknown: sent, attempts: attempt)
        }

        while true {
            attempt += 1
            try Task.checkCancellation()
            let attemptStart = clock.now
            var limit = call.attemptTimeout ?? options.attemptTimeout
            if let deadline {
                let left = deadline - attemptStart
                if left <= .zero { throw connectionFailure(.timedOut, "the call's time limit was reached", sent: false) }
                limit = limit.map { min($0, left) } ?? left
            }

            // One attempt: a response, or why there is none.
            let outcome: Result<ResponseParts, AttemptFailure>
            do {
                outcome = .success(try await withTimeLimit(limit) { try await self.attempt(request, call: call) })
            } catch let error as AttemptFailure {
                outcome = .failure(error)
            } catch {
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                if error is PayablesRequestError { throw error }
                outcome = .failure(AttemptFailure(kind: .connection, sent: TransportErrors.mayHaveBeenSent(error), message: "\(error)"))
            }
            let elapsedMS = (clock.now - attemptStart).seconds * 1000

            // Decide whether to try again, and after how long.
            let wait: Duration
            let reason: String
            switch outcome {
            case let .success(response):
                log(options.requestLogLevel, "\(request.method.rawValue) \(path) -> \(response.status) in \(format(elapsedMS)) ms (attempt \(attempt))", request)
                // 408, 429 and 503 say the server did not act on the request; other statuses may follow a change.
                let notActedOn = [408, 429, 503].contains(response.status)
                guard retry.statuses.contains(response.status), notActedOn || repeatable else { return (response, attempt) }
                if let retryAfter = RetryAfter.parse(response.headers[.retryAfter]) {
                    (wait, reason) = (retryAfter, "status \(response.status) (Retry-After)")
                } else {
                    (wait, reason) = (jittered(retry.backoffInterval(retry: attempt), &jitter), "status \(response.status)")
                }
                if !shouldRetry(retry, attempt: attempt, wait: wait, start: start, deadline: deadline, clock: clock) { return (response, attempt) }
            case let .failure(failure):
                log(options.requestLogLevel, "\(request.method.rawValue) \(path) -> \(failure.kind == .timedOut ? "timed out" : "connection error") after \(format(elapsedMS)) ms (attempt \(attempt)): \(failure.message)", request)
                let error = connectionFailure(failure.kind, failure.message, sent: failure.sent)
                guard retry.retryConnectionErrors, !failure.sent || repeatable else { throw error }
                (wait, reason) = (jittered(retry.backoffInterval(retry: attempt), &jitter), failure.kind == .timedOut ? "a timeout" : "a connection error")
                if !shouldRetry(retry, attempt: attempt, wait: wait, start: start, deadline: deadline, clock: clock) { throw error }
            }
            log(.notice, "\(request.method.rawValue) \(path): retry \(attempt) in \(format(wait.seconds * 1000)) ms after \(reason)", request)
            try await Task.sleep(for: wait)
        }
    }

    private func shouldRetry(_ retry: RetryConfiguration, attempt: Int, wait: Duration, start: ContinuousClock.Instant,
                             deadline: ContinuousClock.Instant?, clock: ContinuousClock) -> Bool {
        guard case let .backoff(_, _, maxElapsed, _) = retry.strategy else { return false }
        if let maxAttempts = retry.maxAttempts, attempt >= maxAttempts { return false }
        let resume = clock.now + wait
        if resume - start > maxElapsed { return false }
        if let deadline, resume >= deadline { return false }
        return true
    }

    private func jittered(_ interval: Duration, _ generator: inout SystemRandomNumberGenerator) -> Duration {
        interval * Double.random(in: 0.75...1.0, using: &generator)
    }

    /// One attempt through the middlewares and the transport, with the credentials added.
    private func attempt(_ request: OperationRequest, call: CallOptions) async throws -> ResponseParts {
        var fields = HTTPFields()
        fields[.accept] = request.accept
        for header in request.headers { try fields.append(field(header.name, header.value, request)) }
        for (name, value) in call.headers.sorted(by: { $0.key < $1.key }) {
            if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                throw PayablesRequestError(operationID: request.operationID, message: "header '\(name)' contains a line break or NUL and was not sent")
            }
            try fields.append(field(name, value, request))
        }
        var query = request.encodedQuery
        for credential in credentials where request.authenticated {
            switch credential.location {
            case .header: fields[try field(credential.name, credential.value, request).name] = credential.value
            case .query: query.append(PercentEncoding.encode(credential.name) + "=" + PercentEncoding.encode(credential.value))
            }
        }
        let body: HTTPBody?
        switch request.body {
        case nil:
            body = nil
        case let .data(data, contentType):
            fields[.contentType] = contentType
            body = HTTPBody(data)
        case let .multipart(form):
            fields[.contentType] = form.contentType
            body = try form.httpBody()
        }
        let path = request.path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let httpRequest = HTTPRequest(method: HTTPRequest.Method(request.method.rawValue)!, scheme: nil, authority: nil, path: path, headerFields: fields)

        let operationID = request.operationID
        let transport = self.transport
        var next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?) = {
            try await transport.send($0, body: $1, baseURL: $2, operationID: operationID)
        }
        for middleware in middlewares.reversed() {
            let inner = next
            next = { try await middleware.intercept($0, body: $1, baseURL: $2, operationID: operationID, next: inner) }
        }
        let (response, responseBody) = try await next(httpRequest, body, serverURL)
        let data: Data
        do {
            if let responseBody {
                data = try await Data(collecting: responseBody, upTo: options.maxResponseBytes)
            } else {
                data = Data()
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            // The head arrived, so the server received the request.
            throw AttemptFailure(kind: .connection, sent: true, message: "the response body was not received: \(error)")
        }
        return ResponseParts(status: response.status.code, headers: response.headerFields, body: data)
    }

    private func field(_ name: String, _ value: String, _ request: OperationRequest) throws -> HTTPField {
        guard let fieldName = HTTPField.Name(name) else {
            throw PayablesRequestError(operationID: request.operationID, message: "'\(name)' is not a valid header name")
        }
        return HTTPField(name: fieldName, value: value)
    }

    /// The path and query as logs and errors show them (credentials sent in the query are left out).
    private func logPath(_ request: OperationRequest) -> String {
        Redaction.scrub(request.path + (request.encodedQuery.isEmpty ? "" : "?" + request.encodedQuery.joined(separator: "&")), secrets: secrets)
    }

    private func log(_ level: Logger.Level, _ message: String, _ request: OperationRequest) {
        options.logger.log(level: level, "\(Redaction.scrub(message, secrets: secrets))", metadata: ["operation": "\(request.operationID)"])
    }

    private func format(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }
}

/// Why an attempt produced no response.
struct AttemptFailure: Error {
    var kind: PayablesErrorKind
    /// Whether the request may have reached the server.
    var sent: Bool
    var message: String
}

/// Runs `operation`, failing with a timeout `AttemptFailure` after `limit` (the request may have been sent).
func withTimeLimit<T: Sendable>(_ limit: Duration?, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let limit else { return try await operation() }
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw AttemptFailure(kind: .timedOut, sent: true, message: "no response within \(limit)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Tells a failure to connect (nothing sent) from a failure after the request may have left.
public enum TransportErrors {
    public static func mayHaveBeenSent(_ error: any Error) -> Bool {
        if let error = error as? URLError {
            switch error.code {
            case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
                 .badURL, .unsupportedURL, .secureConnectionFailed, .serverCertificateUntrusted,
                 .serverCertificateHasBadDate, .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
                return false
            default:
                return true
            }
        }
        // Other transports (AsyncHTTPClient, NIO): a refused or timed-out connect is recognisable by name.
        let text = String(reflecting: error).lowercased()
        return !(text.contains("connectionrefused") || text.contains("connection refused") || text.contains("connecttimeout"))
    }
}
