import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The request context: Hummingbird's, plus the channel, which fault injection closes.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Attachments of 10 MB and more must get through.
    var maxUploadSize: Int { 256 * 1024 * 1024 }
}

/// Thrown to abandon a request whose connection a fault closed.
struct ConnectionDropped: Error {}

/// The sandbox's behaviour, independent of the server: state, faults, recordings, routes.
final class SandboxCore: Sendable {
    let configuration: SandboxConfiguration
    let store: SandboxStore
    let faults: Locked<FaultInjector>
    let recorder: Locked<RequestRecorder>
    let pushDelay: Locked<Duration>
    let clock: SandboxClock
    let idempotency: IdempotencyCache
    let rateLimiter: RateLimiter
    let connections = ConnectionTracker()
    let routes: RouteTable
    /// Requests checked against the documents (Validation/RequestValidation.swift); nil when turned off.
    let requestValidation: RequestValidation?
    /// Called with one line per request (the executable prints them).
    let log: (@Sendable (String) -> Void)?
    /// Codat's write webhooks: consumers, signed deliveries with retries, the delivery log (Webhooks/).
    let webhooks: WebhookDispatcher

    init(configuration: SandboxConfiguration) throws {
        self.configuration = configuration
        recorder = Locked(RequestRecorder(limit: configuration.recordingLimit, byteBudget: configuration.recordingByteBudget))
        let clock = SandboxClock()
        self.clock = clock
        idempotency = IdempotencyCache(window: configuration.idempotencyWindow, clock: clock)
        rateLimiter = RateLimiter(
            maxConcurrentPerCompany: configuration.maxConcurrentRequestsPerCompany, dailyQuota: configuration.dailyRequestQuota)
        let webhooks = WebhookDispatcher(
            clock: clock, timeout: configuration.webhookTimeout, logLimit: configuration.webhookLogLimit)
        self.webhooks = webhooks
        store = SandboxStore(
            seed: try SeedData.shared.storeState(configuration: configuration), configuration: configuration, clock: clock,
            writeOutcomeSink: { webhooks.record($0) })
        faults = Locked(FaultInjector(seed: configuration.faultSeed))
        pushDelay = Locked(configuration.pushDelay)
        log = configuration.requestLog
        var table = RouteTable()
        Self.registerCompanyRoutes(into: &table, store: store)
        Self.registerSyncRoutes(into: &table, store: store, pageSize: configuration.continuationPageSize)
        Self.registerV1DataRoutes(into: &table, store: store, refreshDuration: configuration.refreshDuration)
        // The push routes read the delay at request time: it can change while running.
        let delay = pushDelay
        Self.registerV1PushRoutes(into: &table, store: store) { delay.current }
        routes = table
        requestValidation = try RequestValidation(configuration: configuration, routes: table)
    }

    // MARK: The request pipeline

    /// Every request to the documents' paths (or to no known path) goes through here:
    /// record -> choose faults -> auth -> rate limits -> latency -> drop before ->
    /// idempotency -> status fault or handler (then status after processing) -> drop/truncate after.
    func handle(_ request: Request, context: SandboxRequestContext, route: RouteInfo?, handler: RouteHandler?) async throws
        -> Response
    {
        connections.begin(context.channel)
        defer { connections.end(context.channel) }
        var response = try await process(request, context: context, route: route, handler: handler)
        if faults.withLock({ $0.dropsArmed }) {
            // The next request must come on a new connection (see ConnectionTracker).
            response.headers[.connection] = "close"
        }
        return response
    }

    private func process(_ request: Request, context: SandboxRequestContext, route: RouteInfo?, handler: RouteHandler?)
        async throws -> Response
    {
        var request = request
        let target = request.head.path ?? "/"
        let path = RequestRecorder.split(target).path
        let method = request.method.rawValue
        let resolved = route ?? routes.route(method: method, path: path)

        // A declared length over the limit is refused before the body is read (and before
        // anything else costs time); a chunked body stops being read at the limit.
        if let tooLarge = Self.declaredBodyTooLarge(request.headers, limit: context.maxUploadSize) {
            return Self.response(.error(tooLarge))
        }
        let headers = request.headers.map { RecordedRequest.Header(name: $0.name.rawName, value: $0.value) }
        // A client without the key costs no body read: refused (and recorded) on its headers.
        if let failure = authenticate(request.headers) {
            let sequence = recorder.withLock {
                $0.record(method: method, target: target, headers: headers, body: Data(), operation: resolved?.qualifiedName)
            }
            return finish(sequence, method: method, target: target, .error(failure))
        }
        let body: Data
        do {
            body = Data(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        } catch {
            return Self.response(.error(SandboxError(status: 413, message: "The request body is larger than \(context.maxUploadSize) bytes.")))
        }
        let sequence = recorder.withLock {
            $0.record(method: method, target: target, headers: headers, body: body, operation: resolved?.qualifiedName)
        }

        let chosen = faults.withLock { $0.faults(method: method, path: path, route: resolved) }
        if !chosen.isEmpty {
            recorder.withLock { $0.update(sequence) { $0.faults = chosen.map(\.name) } }
        }
        let terminal = chosen.first(where: \.isTerminal)

        // Rate limits (facts §3): counted once the client is known; the company's slot is
        // held until the answer is produced, latency faults included.
        let permit: RateLimiter.Permit
        let companyId = RateLimiter.companyId(path: path)
        let facts = store.rateLimitFacts(companyId: companyId)
        switch rateLimiter.acquire(
            client: client(request.headers), companyId: facts.companyExists ? companyId : nil, now: clock.now,
            activeCompanies: facts.activeCompanies)
        {
        case .failure(let error): return finish(sequence, method: method, target: target, .error(error))
        case .success(let granted): permit = granted
        }
        defer { rateLimiter.release(permit) }

        for case .latency(let duration) in chosen {
            try await Task.sleep(for: duration)
        }
        if case .dropBeforeProcessing = terminal {
            // Never processed: no idempotency entry either.
            logLine(method: method, target: target, outcome: "dropped before processing")
            context.channel.close(promise: nil)
            throw ConnectionDropped()
        }

        var response = try await answer(
            request, body: body, method: method, target: target, path: path, route: route, handler: handler, terminal: terminal,
            context: context)
        response.headers += permit.headers
        recorder.withLock { $0.update(sequence) { $0.responseStatus = response.status } }

        switch terminal {
        case .dropAfterProcessing:
            logLine(method: method, target: target, outcome: "\(response.status), then dropped")
            context.channel.close(promise: nil)
            throw ConnectionDropped()
        case .truncateAfterProcessing:
            logLine(method: method, target: target, outcome: "\(response.status), truncated")
            return Self.truncated(response, channel: context.channel)
        default:
            return finish(sequence, method: method, target: target, response)
        }
    }

    /// The answer to an authenticated request within its limits: from the idempotency cache,
    /// or from a status fault, or from the handler (then perhaps replaced by a status fault
    /// after processing). Whatever it is, it goes into the idempotency cache (facts §1:
    /// every answer but a 429 is kept and replayed, faults included).
    private func answer(
        _ request: Request, body: Data, method: String, target: String, path: String, route: RouteInfo?, handler: RouteHandler?,
        terminal: Fault?, context: SandboxRequestContext
    ) async throws -> APIResponse {
        var ticket: IdempotencyCache.Ticket?
        if let route, handler != nil, IdempotencyCache.applies(method: method, route: route) {
            let values = request.headers[values: Self.idempotencyKey]
            if let error = IdempotencyCache.validate(values) { return .error(error) }
            if let key = values.first {
                switch idempotency.begin(client: client(request.headers), key: key, method: method, path: path, body: body) {
                case .answer(let stored): return stored
                case .proceed(let granted): ticket = granted
                }
            }
        }
        do {
            let response = try await produce(
                request, body: body, method: method, target: target, path: path, route: route, handler: handler, terminal: terminal,
                context: context)
            if let ticket { idempotency.finish(ticket, response: response) }
            return response
        } catch {
            // Cancelled before an answer was produced: the key is free again.
            if let ticket { idempotency.abandon(ticket) }
            throw error
        }
    }

    private func produce(
        _ request: Request, body: Data, method: String, target: String, path: String, route: RouteInfo?, handler: RouteHandler?,
        terminal: Fault?, context: SandboxRequestContext
    ) async throws -> APIResponse {
        if case .status(let status, let retryAfter) = terminal {
            return Self.injected(status, retryAfter: retryAfter)
        }
        guard let route, let handler else {
            return .error(unknownRoute(method: method, path: path))
        }
        if method != "GET", configuration.writeProcessingTime > .zero {
            try await Task.sleep(for: configuration.writeProcessingTime)
        }
        let apiRequest = APIRequest(
            route: route, method: method, target: target,
            parameters: Self.parameters(context.parameters), query: RequestQuery(raw: RequestRecorder.split(target).query),
            headers: request.headers, body: body)
        let response = await run(apiRequest, handler)
        if case .statusAfterProcessing(let status) = terminal {
            // The write happened; the client is told otherwise.
            return Self.injected(status, retryAfter: nil)
        }
        return response
    }

    private static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    private static func injected(_ status: Int, retryAfter: Int?) -> APIResponse {
        guard (100...599).contains(status) else {
            // `inject` from Swift does not refuse it; answering it would crash the server.
            return .error(SandboxError(status: 500, message: "The injected fault's status \(status) is not an HTTP status (100...599)."))
        }
        var error = SandboxError(status: status, message: Self.injectedMessage(status))
        if let retryAfter { error.headers.append(("Retry-After", String(retryAfter))) }
        return .error(error)
    }

    /// The client a request comes from, for idempotency keys and the daily quota: the API key.
    private func client(_ headers: HTTPFields) -> String {
        configuration.apiKey ?? headers[.authorization]?.trimmingCharacters(in: .whitespaces) ?? ""
    }

    /// The handler; a thrown `SandboxError` becomes its answer.
    private func run(_ request: APIRequest, _ handler: RouteHandler) async -> APIResponse {
        let response: APIResponse
        do {
            try requestValidation?.check(request)
            response = try await handler(request)
        } catch let error as SandboxError {
            response = .error(error)
        } catch {
            response = .error(SandboxError(status: 500, message: "The sandbox failed: \(error)"))
        }
        return response
    }

    private func finish(_ sequence: Int, method: String, target: String, _ response: APIResponse) -> Response {
        recorder.withLock { $0.update(sequence) { $0.responseStatus = response.status } }
        logLine(method: method, target: target, outcome: String(response.status))
        return Self.response(response)
    }

    private func logLine(method: String, target: String, outcome: String) {
        log?("\(method) \(target) -> \(outcome)")
    }

    static func declaredBodyTooLarge(_ headers: HTTPFields, limit: Int) -> SandboxError? {
        guard let declared = headers[.contentLength].flatMap(Int.init), declared > limit else { return nil }
        return SandboxError(status: 413, message: "The request body (\(declared) bytes) is larger than \(limit) bytes.")
    }

    /// Without an `Authorization` header: 401. With an expected key configured, the header must be
    /// the key itself, `Basic <key>`, or `Basic <base64 of key>`.
    func authenticate(_ headers: HTTPFields) -> SandboxError? {
        let value = headers[.authorization]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !value.isEmpty else {
            return SandboxError(status: 401, message: "Unauthorized: the request has no Authorization header.")
        }
        guard let key = configuration.apiKey else { return nil }
        let accepted = [key, "Basic \(key)", "Basic \(Data(key.utf8).base64EncodedString())"]
        return accepted.contains(value) ? nil : SandboxError(status: 401, message: "Unauthorized: the Authorization header is not valid.")
    }

    private func unknownRoute(method: String, path: String) -> SandboxError {
        let allowed = routes.allowedMethods(path: path)
        if !allowed.isEmpty {
            var error = SandboxError(status: 405, message: "Method \(method) is not allowed on \(path).")
            error.headers.append(("Allow", allowed.joined(separator: ", ")))
            return error
        }
        return .notFound("No route matches \(method) \(path).")
    }

    private static func injectedMessage(_ status: Int) -> String {
        switch status {
        case 429: return "Too many requests (fault injected by the sandbox)."
        case 503: return "Service unavailable (fault injected by the sandbox)."
        case 500: return "Internal server error (fault injected by the sandbox)."
        default: return "Status \(status) (fault injected by the sandbox)."
        }
    }

    static func parameters(_ parameters: Parameters) -> [String: String] {
        var decoded: [String: String] = [:]
        for (key, value) in parameters {
            decoded[String(key)] = String(value).removingPercentEncoding ?? String(value)
        }
        return decoded
    }

    // MARK: Responses

    static func response(_ response: APIResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    /// The head (with the real Content-Length) goes out; the body never does.
    private static func truncated(_ response: APIResponse, channel: any Channel) -> Response {
        var head = Self.response(response)
        let length = response.body.count
        head.body = ResponseBody(contentLength: length) { _ in
            // Let the head reach the client before the connection goes.
            try await Task.sleep(for: .milliseconds(20))
            channel.close(promise: nil)
            throw ConnectionDropped()
        }
        return head
    }
}
