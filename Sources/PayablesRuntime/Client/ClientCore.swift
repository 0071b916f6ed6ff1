import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Logging
import OpenAPIRuntime
import OpenAPIURLSession

/// A response as generated code decodes it.
public struct ResponseParts: Sendable {
    public var status: Int
    public var headers: HTTPFields
    public var body: Data
    /// Set when the body passed `maxResponseBytes` (the limit): reading stopped, `body` is empty.
    var bodyLimitExceeded: Int?

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
    /// Every form a credential can take in a text (see `Redaction.secretForms`), longest first.
    let secrets: [String]

    /// A `URLSessionTransport` whose session has no delegate of its own is replaced by a
    /// `PayablesURLSessionTransport` over the same session configuration (one session per
    /// client, released with it): it refuses redirects to another origin (`URLSession` would
    /// send `Authorization` and the body there) and stops a download at `maxResponseBytes`.
    /// A session with a delegate is kept as given: its delegate decides about redirects.
    public init(serverURL: URL, credentials: [Credential], transport: any ClientTransport, middlewares: [any ClientMiddleware],
                options: ClientOptions, documentRetry: RetryConfiguration) {
        self.serverURL = serverURL
        self.credentials = credentials
        if let given = transport as? URLSessionTransport, given.configuration.session.delegate == nil {
            self.transport = PayablesURLSessionTransport(configuration: given.configuration.session.configuration,
                                                         maxResponseBytes: options.maxResponseBytes)
        } else {
            self.transport = transport
        }
        self.middlewares = middlewares
        self.options = options
        self.documentRetry = documentRetry
        secrets = Array(Set(credentials.flatMap { Redaction.secretForms(of: $0.value) })).sorted { $0.count > $1.count }
    }

    public var description: String {
        "client for \(Redaction.scrub(serverURL.absoluteString, secrets: secrets)) (credentials: \(credentials.map { "\($0.name): <redacted>" }.joined(separator: ", ")); retries: \(options.retry ?? documentRetry))"
    }

    public var debugDescription: String { description }

    /// Sends `request` and decodes the response. `decode` returns nil for a status the
    /// operation does not document as a success. One span and the metrics per attempt
    /// (`PayablesTelemetry`) wrap the call.
    public func send<Success: Sendable, ErrorModel: Decodable & Sendable>(
        _ request: OperationRequest,
        call: CallOptions,
        documentedErrors: StatusSet,
        errorModel: ErrorModel.Type,
        decode: @Sendable (ResponseParts) throws -> Success?
    ) async throws -> Success {
        try await CallTelemetry.observe(request) { telemetry in
            try await send(request, call: call, documentedErrors: documentedErrors, errorModel: errorModel, decode: decode, telemetry: telemetry)
        }
    }

    private func send<Success: Sendable, ErrorModel: Decodable & Sendable>(
        _ request: OperationRequest,
        call: CallOptions,
        documentedErrors: StatusSet,
        errorModel: ErrorModel.Type,
        decode: @Sendable (ResponseParts) throws -> Success?,
        telemetry: CallTelemetry
    ) async throws -> Success {
        let key = try idempotencyKey(request, call)
        try checkScheme(request)
        let exchange = try await execute(request, call: call, key: key, errorModel: errorModel, telemetry: telemetry)
        let response = exchange.response
        func failure(_ kind: PayablesError<ErrorModel>.Kind, model: ErrorModel? = nil, decoding: DecodingError? = nil) -> PayablesError<ErrorModel> {
            let summary = decoding?.summary
            return PayablesError(kind: kind, operationID: request.operationID, method: request.method.rawValue, path: logPath(request),
                                 status: response.status, headers: response.headers, body: response.body, model: model,
                                 decodingFailure: summary.map { Redaction.scrub($0.message, secrets: secrets) }, codingPath: summary.map { Redaction.scrub($0.codingPath, secrets: secrets) },
                                 attempts: exchange.attempts, secrets: secrets, idempotencyKey: key,
                                 retryAfter: RetryAfter.parse(response.headers[.retryAfter]))
        }
        if let limit = response.bodyLimitExceeded {
            var error = failure(.undecodableBody)
            error.decodingFailure = "the response body is larger than maxResponseBytes (\(limit) bytes); reading stopped there"
            throw error
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

    /// The one `Idempotency-Key` the request carries: the operation's declared parameter,
    /// `CallOptions.idempotencyKey` or `CallOptions.headers`, which must agree, and a GUID
    /// (CODAT-FACTS §1: "the key must be a unique GUID").
    private func idempotencyKey(_ request: OperationRequest, _ call: CallOptions) throws -> String? {
        let given = request.headers.filter { $0.name.lowercased() == Self.idempotencyKeyName }.map(\.value)
            + call.headers.filter { $0.key.lowercased() == Self.idempotencyKeyName }.map(\.value)
            + [call.idempotencyKey].compactMap { $0 }
        guard let key = given.first else { return nil }
        guard given.allSatisfy({ $0 == key }) else {
            throw PayablesRequestError(operationID: request.operationID,
                                       message: "the call gives two different Idempotency-Key values (argument, CallOptions.idempotencyKey or headers); one request has one key")
        }
        guard UUID(uuidString: key) != nil else {
            throw PayablesRequestError(operationID: request.operationID,
                                       message: "Idempotency-Key '\(key)' is not a GUID (Codat requires one, e.g. UUID().uuidString)")
        }
        return key
    }

    static let idempotencyKeyName = "idempotency-key"

    /// Credentials go over plain `http` only to loopback, unless the options allow it.
    private func checkScheme(_ request: OperationRequest) throws {
        guard request.authenticated, !credentials.isEmpty, !options.allowsCredentialsOverPlainHTTP,
              serverURL.scheme?.lowercased() == "http", !Self.isLoopback(serverURL.host) else { return }
        throw PayablesRequestError(operationID: request.operationID,
                                   message: "credentials are not sent over plain http to \(serverURL.host ?? "?") (use https, or set ClientOptions.allowsCredentialsOverPlainHTTP)")
    }

    static func isLoopback(_ host: String?) -> Bool {
        guard let host = host?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]")) else { return false }
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// What the attempts ended with.
    private struct Exchange {
        var response: ResponseParts
        var attempts: Int
    }

    /// Runs the attempts: one per loop, until a response that is not retried, an error that
    /// is not retried, the retry policy's end, the call's deadline or cancellation.
    private func execute<ErrorModel: Sendable>(_ request: OperationRequest, call: CallOptions, key: String?,
                                               errorModel: ErrorModel.Type, telemetry: CallTelemetry) async throws -> Exchange {
        let retry = call.retry ?? options.retry ?? documentRetry
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = (call.timeout ?? options.callTimeout).map { start + $0 }
        let resends = ResendRule(method: request.method, idempotencyKey: key, retryUnsafeRequests: call.retryUnsafeRequests, retry: retry)
        let path = logPath(request)
        var attempt = 0
        var firstInProgress: ContinuousClock.Instant?
        var jitter = SystemRandomNumberGenerator()

        func connectionFailure(_ kind: PayablesError<ErrorModel>.Kind, _ message: String, sent: Bool) -> PayablesError<ErrorModel> {
            PayablesError(kind: kind, operationID: request.operationID, method: request.method.rawValue, path: path,
                          underlying: Redaction.scrub(message, secrets: secrets), outcomeUnknown: sent, attempts: attempt,
                          secrets: secrets, idempotencyKey: key)
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
                outcome = .success(try await withTimeLimit(limit) { try await self.attempt(request, call: call, key: key) })
            } catch let error as AttemptFailure {
                outcome = .failure(error)
            } catch {
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                if error is PayablesRequestError { throw error }
                outcome = .failure(AttemptFailure(kind: .connection, sent: TransportErrors.mayHaveBeenSent(error), message: "\(error)"))
            }
            let elapsedMS = (clock.now - attemptStart).seconds * 1000
            telemetry.attemptEnded(outcome, duration: clock.now - attemptStart)

            // Decide whether to try again, and after how long.
            var wait: Duration
            let reason: String
            switch outcome {
            case let .success(response) where response.bodyLimitExceeded != nil:
                log(options.requestLogLevel, "\(request.method.rawValue) \(path) -> \(response.status) in \(format(elapsedMS)) ms (attempt \(attempt)), body over maxResponseBytes", request)
                return Exchange(response: response, attempts: attempt)
            case let .success(response):
                let correlationId = response.status >= 400 ? CodatErrorFields(response.body).correlationId : nil
                let correlation = correlationId.map { ", correlationId \($0)" } ?? ""
                log(options.requestLogLevel, "\(request.method.rawValue) \(path) -> \(response.status) in \(format(elapsedMS)) ms (attempt \(attempt)\(correlation))", request,
                    correlationId: correlationId)
                guard let resend = resends.afterStatus(response.status) else { return Exchange(response: response, attempts: attempt) }
                if resend == .keyInProgress {
                    let first = firstInProgress ?? attemptStart
                    firstInProgress = first
                    if clock.now - first >= retry.keyInProgressWait { return Exchange(response: response, attempts: attempt) }
                }
                if let retryAfter = RetryAfter.parse(response.headers[.retryAfter]) {
                    (wait, reason) = (retryAfter, "status \(response.status) (Retry-After)")
                } else {
                    (wait, reason) = (jittered(retry.backoffInterval(retry: attempt), &jitter), "status \(response.status)")
                }
                if resend == .keyInProgress, let first = firstInProgress {
                    // Never wait past the in-progress budget, and try once at its end.
                    wait = min(wait, retry.keyInProgressWait - (clock.now - first))
                }
                wait = max(wait, retry.minimumWait)
                if !shouldRetry(retry, attempt: attempt, wait: wait, start: start, deadline: deadline, clock: clock) {
                    return Exchange(response: response, attempts: attempt)
                }
            case let .failure(failure):
                log(options.requestLogLevel, "\(request.method.rawValue) \(path) -> \(failure.kind == .timedOut ? "timed out" : "connection error") after \(format(elapsedMS)) ms (attempt \(attempt)): \(failure.message)", request)
                let error = connectionFailure(failure.kind, failure.message, sent: failure.sent)
                guard resends.afterFailure(sent: failure.sent) else { throw error }
                (wait, reason) = (max(jittered(retry.backoffInterval(retry: attempt), &jitter), retry.minimumWait), failure.kind == .timedOut ? "a timeout" : "a connection error")
                if !shouldRetry(retry, attempt: attempt, wait: wait, start: start, deadline: deadline, clock: clock) { throw error }
            }
            telemetry.retrying(wait: wait)
            log(.notice, "\(request.method.rawValue) \(path): retry \(attempt) in \(format(wait.seconds * 1000)) ms after \(reason)\(key == nil ? "" : " (same Idempotency-Key)")", request)
            try await Task.sleep(for: wait)
        }
    }

    private func shouldRetry(_ retry: RetryConfiguration, attempt: Int, wait: Duration, start: ContinuousClock.Instant,
                             deadline: ContinuousClock.Instant?, clock: ContinuousClock) -> Bool {
        guard case let .backoff(_, _, maxElapsed, _) = retry.strategy else { return false }
        if let maxAttempts = retry.maxAttempts, attempt >= maxAttempts { return false }
        // `wait` is at most `RetryConfiguration.longestWait`, so this sum cannot overflow.
        let resume = clock.now + wait
        if resume - start > maxElapsed { return false }
        if let deadline, resume >= deadline { return false }
        return true
    }

    private func jittered(_ interval: Duration, _ generator: inout SystemRandomNumberGenerator) -> Duration {
        interval * Double.random(in: 0.75...1.0, using: &generator)
    }

    /// One attempt through the middlewares and the transport, with the credentials added.
    private func attempt(_ request: OperationRequest, call: CallOptions, key: String?) async throws -> ResponseParts {
        var fields = HTTPFields()
        fields[.accept] = request.accept
        for header in request.headers where header.name.lowercased() != Self.idempotencyKeyName {
            try fields.append(field(header.name, header.value, request))
        }
        for (name, value) in call.headers.sorted(by: { $0.key < $1.key }) where name.lowercased() != Self.idempotencyKeyName {
            if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                throw PayablesRequestError(operationID: request.operationID, message: "header '\(name)' contains a line break or NUL and was not sent")
            }
            try fields.append(field(name, value, request))
        }
        // The same key on every attempt: Codat recognises the resend (CODAT-FACTS §1).
        if let key { try fields.append(field("Idempotency-Key", key, request)) }
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
        var data = Data()
        if let responseBody {
            let limit = options.maxResponseBytes
            let tooLarge = ResponseParts(status: response.status.code, headers: response.headerFields, body: Data(), bodyLimitExceeded: limit)
            if case let .known(length) = responseBody.length, length > Int64(limit) { return tooLarge }
            do {
                // Chunk by chunk: with a streaming transport the download stops here at the limit
                // (dropping the body cancels it).
                for try await chunk in responseBody {
                    guard chunk.count <= limit - data.count else { return tooLarge }
                    data.append(contentsOf: chunk)
                }
            } catch let error as ResponseTooLargeError {
                var refused = tooLarge
                refused.bodyLimitExceeded = error.limit
                return refused
            } catch {
                if Task.isCancelled { throw CancellationError() }
                // The head arrived, so the server received the request.
                throw AttemptFailure(kind: .connection, sent: true, message: "the response body was not received: \(error)")
            }
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

    /// `correlationId` (Codat's, from an error body) goes into the metadata too, for log search.
    private func log(_ level: Logger.Level, _ message: String, _ request: OperationRequest, correlationId: String? = nil) {
        var metadata: Logger.Metadata = ["operation": "\(request.operationID)"]
        if let correlationId { metadata["correlationId"] = "\(Redaction.scrub(correlationId, secrets: secrets))" }
        options.logger.log(level: level, "\(Redaction.scrub(message, secrets: secrets))", metadata: metadata)
    }

    private func format(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }
}

/// Which answers and failures a request may be sent again after, by what Codat documents
/// (CODAT-FACTS §1, §3). GET, PUT, DELETE and the other idempotent methods without a key: every
/// status of the retry policy and every connection failure (if the policy retries them). POST,
/// PATCH and any request with an `Idempotency-Key` (statuses; a keyed PUT's lost answer is still
/// resent, which is harmless):
/// - 429, which Codat answers before doing anything and does not cache (the key is released):
///   resent at `Retry-After`, with the same key if there is one.
/// - 409 to a request with an `Idempotency-Key`: the first request with this key is still in
///   progress; resent with the same key, with backoff, for at most `keyInProgressWait`.
/// - Any other status is final: with a key Codat caches it (5xx included) and would only replay
///   it; without one, a 5xx does not say whether the write happened.
/// - A failure to connect (nothing sent) is retried; a lost answer (the request may have
///   arrived) is not: the error says `outcomeUnknown`, and the caller decides (with a key,
///   resending that same key is how to find out).
/// `retryUnsafeRequests` lifts the last two rules for requests the caller knows are safe to
/// repeat, except that a keyed request is never resent after a cached status (pointless).
struct ResendRule {
    enum Resend: Equatable { case retry, keyInProgress }

    var method: HTTPVerb
    var idempotencyKey: String?
    var retryUnsafeRequests: Bool
    var retry: RetryConfiguration

    func afterStatus(_ status: Int) -> Resend? {
        if status == 429, idempotencyKey != nil || !method.isIdempotent { return retry.statuses.contains(429) ? .retry : nil }
        // Whatever the method (`update-bill` is a keyed PUT): the server answers the key from its cache.
        if idempotencyKey != nil { return status == 409 && retry.keyInProgressWait > .zero ? .keyInProgress : nil }
        if method.isIdempotent { return retry.statuses.contains(status) ? .retry : nil }
        return retryUnsafeRequests && retry.statuses.contains(status) ? .retry : nil
    }

    func afterFailure(sent: Bool) -> Bool {
        guard retry.retryConnectionErrors else { return false }
        return !sent || method.isIdempotent || retryUnsafeRequests
    }
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
