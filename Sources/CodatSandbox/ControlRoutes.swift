import Foundation
import Hummingbird

/// The control API under `/_sandbox`, for a sandbox started apart (`codat-sandbox`):
/// faults, recorded requests, push delay, state. Not recorded, not authenticated, never faulted.
///
/// - `GET /_sandbox` – companies and their connections
/// - `GET|POST|DELETE /_sandbox/faults`, `DELETE /_sandbox/faults/{id}` – rules; POST takes
///   `{"fault": {"type": "status", "status": 429, "retryAfter": 1}, "method": "GET",
///   "path": "/companies/*/connections/*/payables/bills", "operation": "sync.list-bills",
///   "remaining": 2, "probability": 0.5}` (fault types: status, latency with `milliseconds`,
///   dropBeforeProcessing, dropAfterProcessing, truncateAfterProcessing)
/// - `GET|DELETE /_sandbox/requests` – recorded requests (bodies in base64)
/// - `GET|PUT /_sandbox/push-delay` – `{"milliseconds": 300}`
/// - `POST /_sandbox/reset` – the seed data back, idempotency keys forgotten
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
            .json(try Self.encode(core.recorder.withLock { $0.requests }))
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

    /// Control requests skip recording, auth and faults.
    func handleControl(_ request: Request, context: SandboxRequestContext, route: RouteInfo, handler: RouteHandler)
        async throws -> Response
    {
        // Busy while it runs, so that injecting a drop does not close this very connection.
        connections.begin(context.channel)
        defer { connections.end(context.channel) }
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
