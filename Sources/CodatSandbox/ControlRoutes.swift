import Foundation
import Hummingbird

/// The control API under `/_sandbox`, for a sandbox started apart (`codat-sandbox`):
/// faults, recorded requests, push delay, state. Not recorded, never faulted; with an API key
/// configured it needs the key like any request.
///
/// - `GET /_sandbox` – companies and their connections
/// - `GET|POST|DELETE /_sandbox/faults`, `DELETE /_sandbox/faults/{id}` – rules; POST takes
///   `{"fault": {"type": "status", "status": 429, "retryAfter": 1}, "method": "GET",
///   "path": "/companies/*/connections/*/payables/bills", "operation": "sync.list-bills",
///   "remaining": 2, "probability": 0.5}` (fault types: status, latency with `milliseconds`,
///   dropBeforeProcessing, dropAfterProcessing, truncateAfterProcessing, statusAfterProcessing with `status`)
/// - `GET|DELETE /_sandbox/requests` – recorded requests (bodies in base64)
/// - `GET|PUT /_sandbox/push-delay` – `{"milliseconds": 300}`
/// - `GET /_sandbox/clock`, `POST /_sandbox/clock` `{"advanceSeconds": 5400}` – sandbox time
/// - `POST /_sandbox/companies/{companyId}/refresh` – Codat's cache takes the accounting software's records now
/// - `POST /_sandbox/reset` – the seed data back, idempotency keys forgotten
/// - `GET /_sandbox/rate-limits` – per company: the most requests in progress at once
///   (`maxConcurrentRequests`, refused ones not counted) and `refusedForConcurrency` (429s
///   because the company was at the limit), with the limit (`maxConcurrentRequestsPerCompany`)
/// - `GET /_sandbox/companies/{companyId}/{collection}[/{id}]` – stored records, unprojected
extension SandboxCore {
    static let controlPrefix = "/_sandbox"

    func controlRoutes() -> RouteTable {
        var table = RouteTable()
        let core = self
        let p = Self.controlPrefix

        table.add(.shared, "GET", p, "sandbox-info") { _ in
            let companies = core.store.withState { state in
                state.orderedCompanies.map { company -> SandboxJSON in
                    [
                        "id": .string(company.id), "name": company.company["name"] ?? .null,
                        "integration": company.integration.map { .string($0.rawValue) } ?? .null,
                        "platformName": company.connections.first?["platformName"] ?? .null,
                        "connectionId": company.connections.first?["id"] ?? .null,
                        "baseCurrency": .string(company.baseCurrency),
                    ]
                }
            }
            return .json(["companies": .array(companies)])
        }

        table.add(.shared, "GET", p + "/faults", "list-faults") { _ in
            .json(try Self.encode(core.faults.withLock { $0.rules }))
        }
        table.add(.shared, "POST", p + "/faults", "add-fault") { request in
            let rule = try request.decode(FaultRule.self)
            if let problem = rule.fault.problem { throw SandboxError.badRequest("The fault cannot be applied: \(problem).") }
            if let probability = rule.probability, !(0...1).contains(probability) {
                throw SandboxError.badRequest("probability must be from 0 to 1; got \(probability).")
            }
            if let remaining = rule.remaining, remaining < 1 {
                throw SandboxError.badRequest("remaining must be at least 1 (leave it out for no limit); got \(remaining).")
            }
            let added = core.inject(rule.fault, on: rule.matcher, times: rule.remaining, probability: rule.probability)
            return .json(try Self.encode(added), status: 201)
        }
        table.add(.shared, "DELETE", p + "/faults", "clear-faults") { _ in
            core.faults.withLock { $0.removeAll() }
            return .empty(status: 204)
        }
        table.add(.shared, "DELETE", p + "/faults/{id}", "remove-fault") { request in
            guard let id = Int(request.parameter("id")), core.faults.withLock({ $0.remove(id: id) }) else {
                throw SandboxError.notFound("No fault rule '\(request.parameter("id"))'.")
            }
            return .empty(status: 204)
        }

        table.add(.shared, "GET", p + "/requests", "list-requests") { _ in
            // Credentials never leave over HTTP (the Swift API keeps them for in-process tests).
            .json(try Self.encode(core.recorder.withLock { $0.requests }.map(\.redacted)))
        }
        table.add(.shared, "DELETE", p + "/requests", "clear-requests") { _ in
            core.recorder.withLock { $0.clear() }
            return .empty(status: 204)
        }

        table.add(.shared, "GET", p + "/push-delay", "get-push-delay") { _ in
            .json(["milliseconds": .number(Decimal(Self.milliseconds(core.pushDelay.current)))])
        }
        table.add(.shared, "PUT", p + "/push-delay", "set-push-delay") { request in
            struct Body: Decodable { var milliseconds: Int }
            let body = try request.decode(Body.self)
            core.pushDelay.withLock { $0 = .milliseconds(body.milliseconds) }
            return .json(["milliseconds": .number(Decimal(body.milliseconds))])
        }

        table.add(.shared, "GET", p + "/clock", "get-clock") { _ in
            .json(["now": .string(CodatDate.format(core.clock.now))])
        }
        table.add(.shared, "POST", p + "/clock", "advance-clock") { request in
            struct Body: Decodable { var advanceSeconds: Double }
            let body = try request.decode(Body.self)
            guard body.advanceSeconds.isFinite, body.advanceSeconds >= 0, body.advanceSeconds <= 10 * 365 * 86_400 else {
                throw SandboxError.badRequest("advanceSeconds must be from 0 to ten years of seconds; got \(body.advanceSeconds).")
            }
            core.advanceClock(by: .milliseconds(Int64(body.advanceSeconds * 1000)))
            return .json(["now": .string(CodatDate.format(core.clock.now))])
        }

        table.add(.shared, "POST", p + "/companies/{companyId}/refresh", "refresh-now") { request in
            // Completes at once: Codat's cache takes the accounting software's records (every data type).
            let operations = try core.store.withCompany(request.parameter("companyId")) { state in
                try CodatDataType.all.map { try state.queueRefresh($0, now: core.clock.now, duration: .zero) }
            }
            core.store.settleAll()
            return .json(["pullOperations": .number(Decimal(operations.count))])
        }

        table.add(.shared, "GET", p + "/rate-limits", "rate-limits") { _ in
            let companies = core.rateLimiter.concurrency().mapValues { counts -> SandboxJSON in
                ["maxConcurrentRequests": .number(Decimal(counts.maxConcurrent)), "refusedForConcurrency": .number(Decimal(counts.refused))]
            }
            return .json([
                "maxConcurrentRequestsPerCompany": .number(Decimal(core.rateLimiter.maxConcurrentPerCompany)),
                "companies": .object(companies),
            ])
        }

        table.add(.shared, "POST", p + "/reset", "reset") { _ in
            core.reset()
            return .empty(status: 204)
        }

        table.add(.shared, "GET", p + "/companies/{companyId}/{collection}", "list-records") { request in
            let collection = try Self.collection(request)
            return .json(.array(try core.store.withCompany(request.parameter("companyId")) { $0[collection].all }))
        }
        table.add(.shared, "GET", p + "/companies/{companyId}/{collection}/{id}", "get-record") { request in
            let collection = try Self.collection(request)
            let id = request.parameter("id")
            guard let record = try core.store.withCompany(request.parameter("companyId"), { $0[collection][id] }) else {
                throw SandboxError.notFound("No \(collection.rawValue) record '\(id)'.")
            }
            return .json(record)
        }
        return table
    }

    func inject(_ fault: Fault, on matcher: RouteMatcher, times: Int?, probability: Double?) -> FaultRule {
        let rule = faults.withLock { $0.add(fault, on: matcher, times: times, probability: probability) }
        if fault.dropsConnection { connections.closeIdle() }
        return rule
    }

    func reset() {
        store.reset()
        idempotency.clear()
        rateLimiter.reset()
    }

    func advanceClock(by duration: Duration) {
        clock.advance(by: duration)
        store.settleAll()
        idempotency.expire()
    }

    private static func collection(_ request: APIRequest) throws -> SandboxCollection {
        guard let collection = SandboxCollection(rawValue: request.parameter("collection")) else {
            let names = SandboxCollection.allCases.map(\.rawValue).joined(separator: ", ")
            throw SandboxError.notFound("Unknown collection '\(request.parameter("collection"))' (\(names)).")
        }
        return collection
    }

    private static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    /// Control requests skip recording, rate limits and faults; with an API key configured
    /// they need it like any request (the control API can change every record).
    func handleControl(_ request: Request, context: SandboxRequestContext, route: RouteInfo, handler: RouteHandler)
        async throws -> Response
    {
        // Busy while it runs, so that injecting a drop does not close this very connection.
        connections.begin(context.channel)
        defer { connections.end(context.channel) }
        if let tooLarge = Self.declaredBodyTooLarge(request.headers, limit: context.maxUploadSize) {
            return Self.response(.error(tooLarge))
        }
        if configuration.apiKey != nil, let failure = authenticate(request.headers) {
            return Self.response(.error(failure))
        }
        var request = request
        let body = Data(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        let target = request.head.path ?? "/"
        let apiRequest = APIRequest(
            route: route, method: request.method.rawValue, target: target,
            parameters: Self.parameters(context.parameters),
            query: RequestQuery(raw: RequestRecorder.split(target).query), headers: request.headers, body: body)
        do {
            return Self.response(try await handler(apiRequest))
        } catch let error as SandboxError {
            return Self.response(.error(error))
        }
    }
}
