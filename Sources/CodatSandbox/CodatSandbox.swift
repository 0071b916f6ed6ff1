import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle

/// An in-memory, stateful fake of the Codat endpoints that Bill Pay uses, for both the
/// synchronous document (`Codat-Sync-Payables.yaml`) and the asynchronous one
/// (`Codat-Sync-Payables-v1.yaml`), listening on loopback.
///
/// ```swift
/// let sandbox = try await CodatSandbox.start(SandboxConfiguration(pushDelay: .milliseconds(300)))
/// // v1 writes reach v1 reads only after a refresh (CODAT-FACTS.md §2):
/// try sandbox.refresh(companyId: id, dataType: "billPayments", immediately: true)
/// sandbox.advanceClock(by: .seconds(90 * 60))  // idempotency answers expire
/// let xero = sandbox.company(.xero)!
/// sandbox.inject(.status(429, retryAfter: 1), on: .init(method: "GET", path: "/companies/*/connections/*/payables/bills"), times: 2)
/// // ... point a client at sandbox.baseURL ...
/// sandbox.recordedRequests
/// await sandbox.stop()
/// ```
///
/// Several sandboxes can run at once (each on its own port, with its own state).
public final class CodatSandbox: Sendable {
    /// `http://127.0.0.1:PORT`
    public let baseURL: URL
    public let port: Int
    public let configuration: SandboxConfiguration

    let core: SandboxCore
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, Never>

    private init(core: SandboxCore, port: Int, serviceGroup: ServiceGroup, runTask: Task<Void, Never>) {
        self.core = core
        self.port = port
        self.configuration = core.configuration
        self.serviceGroup = serviceGroup
        self.runTask = runTask
        let host = core.configuration.host.contains(":") ? "[\(core.configuration.host)]" : core.configuration.host
        baseURL = URL(string: "http://\(host):\(port)")!
    }

    // MARK: Starting and stopping

    /// Starts a sandbox and returns once it listens.
    public static func start(_ configuration: SandboxConfiguration = SandboxConfiguration()) async throws -> CodatSandbox {
        let core = try SandboxCore(configuration: configuration)
        let router = Router(context: SandboxRequestContext.self)
        // Added first so that it wraps every route and the not-found responder.
        router.add(middleware: UnroutedRequests(core: core))
        for route in core.routes.routes {
            guard let method = HTTPRequest.Method(route.info.method) else { continue }
            router.on(RouterPath(route.info.template), method: method) { request, context in
                try await core.handle(request, context: context, route: route.info, handler: route.handler)
            }
        }
        for route in core.controlRoutes().routes {
            guard let method = HTTPRequest.Method(route.info.method) else { continue }
            router.on(RouterPath(route.info.template), method: method) { request, context in
                try await core.handleControl(request, context: context, route: route.info, handler: route.handler)
            }
        }

        var logger = Logger(label: "codat-sandbox")
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
            },
            logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(services: [app], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(2)
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        let failure = Locked<(any Error)?>(nil)
        let runTask = Task {
            do {
                try await serviceGroup.run()
            } catch {
                failure.withLock { $0 = error }
            }
            portContinuation.finish()
        }
        for await port in ports {
            return CodatSandbox(core: core, port: port, serviceGroup: serviceGroup, runTask: runTask)
        }
        throw SandboxStartError(
            message: "the sandbox did not start on \(configuration.host):\(configuration.port): \(failure.current.map { "\($0)" } ?? "no reason given")")
    }

    /// Shuts the server down: open connections are closed, the port is released.
    public func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        await runTask.value
    }

    // MARK: Faults

    /// Applies `fault` to the requests `matcher` picks: for the next `times` of them (nil: until
    /// removed), each with chance `probability` (nil: always; drawn from the seeded generator).
    @discardableResult
    ///
    /// A fault that drops connections also closes the idle kept-alive connections, and while it
    /// is in force responses carry `Connection: close`: the dropped request then always comes
    /// on a fresh connection, which libcurl (URLSession on Linux) does not silently resend.
    public func inject(_ fault: Fault, on matcher: RouteMatcher = .any, times: Int? = nil, probability: Double? = nil) -> FaultRule {
        core.inject(fault, on: matcher, times: times, probability: probability)
    }

    /// The rules in force, with how often each fired.
    public var faultRules: [FaultRule] {
        core.faults.withLock { $0.rules }
    }

    public func removeFault(_ id: Int) {
        _ = core.faults.withLock { $0.remove(id: id) }
    }

    public func clearFaults() {
        core.faults.withLock { $0.removeAll() }
    }

    // MARK: Recording

    /// Every request received (except the `/_sandbox` control API), in order.
    public var recordedRequests: [RecordedRequest] {
        core.recorder.withLock { $0.requests }
    }

    public func clearRecordedRequests() {
        core.recorder.withLock { $0.clear() }
    }

    // MARK: Push delay

    /// How long v1 push operations stay Pending.
    public var pushDelay: Duration {
        get { core.pushDelay.current }
    }

    public func setPushDelay(_ delay: Duration) {
        core.pushDelay.withLock { $0 = delay }
    }

    // MARK: Clock (CODAT-FACTS.md §1-3 timings are measured on it)

    /// Sandbox time: the wall clock plus every `advanceClock(by:)` so far.
    public var now: Date {
        core.clock.now
    }

    /// Moves sandbox time forward by `duration` and applies what falls due meanwhile, in order:
    /// push outcomes, `timeoutInMinutes`, late landings of timed-out writes, refreshes, the
    /// scheduled sync; idempotency answers older than the window expire; the daily quota
    /// resets at 00:00 UTC. `POST /_sandbox/clock {"advanceSeconds": 5400}` does the same.
    public func advanceClock(by duration: Duration) {
        core.advanceClock(by: duration)
    }

    /// `Idempotency-Key`s whose answers (or requests in progress) are held now; answers
    /// older than `configuration.idempotencyWindow` go when the clock is advanced.
    public var idempotencyKeysHeld: Int {
        core.idempotency.count
    }

    // MARK: Rate limits (CODAT-FACTS.md §3)

    /// The most requests a company had in progress at once (refused ones not counted).
    public func maxConcurrentRequests(companyId: String) -> Int {
        core.rateLimiter.maxConcurrentRequests(companyId: companyId)
    }

    /// Requests of a company refused with 429 because it already had the most in progress
    /// (`configuration.maxConcurrentRequestsPerCompany`): zero for a client that keeps to the limit.
    public func requestsRefusedForConcurrency(companyId: String) -> Int {
        core.rateLimiter.refusedForConcurrency(companyId: companyId)
    }

    // MARK: Codat's cache (CODAT-FACTS.md §2)

    /// Queues a refresh of `dataType` (`bills`, `billPayments` ...; nil: every data type the
    /// sandbox holds), as `refresh-data-type` / `refresh-all-data-types` do; it completes
    /// after `configuration.refreshDuration` of sandbox time (advance the clock), or at once
    /// with `immediately`. Returns the pull operations.
    @discardableResult
    public func refresh(companyId: String, dataType: String? = nil, immediately: Bool = false) throws -> [SandboxJSON] {
        let queued = try core.store.withCompany(companyId) { state in
            try (dataType.map { [$0] } ?? CodatDataType.all).map {
                try state.queueRefresh($0, now: core.clock.now, duration: immediately ? .zero : configuration.refreshDuration)
            }
        }
        let ids = queued.compactMap { $0["id"]?.string }
        return try core.store.withCompany(companyId) { state in ids.compactMap(state.pullOperation) }
    }

    /// The company's pull operations (refreshes and scheduled syncs), oldest first.
    public func pullOperations(companyId: String) -> [SandboxJSON] {
        (try? core.store.withCompany(companyId) { $0.pullOperations.map(\.json) }) ?? []
    }

    /// Records as the v1 data endpoints show them: Codat's cache, as the last refresh left it.
    public func cachedRecords(_ collection: SandboxCollection, companyId: String) -> [SandboxJSON] {
        (try? core.store.withCompany(companyId) { $0.cached(collection).all }) ?? []
    }

    /// A bill as the v1 data endpoints show it (Codat's cache).
    public func cachedBill(_ id: String, companyId: String) -> BillSnapshot? {
        ((try? core.store.withCompany(companyId) { $0.cached(.bills)[id] }) ?? nil).map(BillSnapshot.init)
    }

    // MARK: State (the accounting software: ground truth)

    /// The companies, seeded ones first.
    public var companies: [SandboxCompany] {
        core.store.withState { $0.orderedCompanies.map(\.summary) }
    }

    /// The seeded company connected to an integration.
    public func company(_ integration: SandboxIntegration) -> SandboxCompany? {
        companies.first { $0.integration == integration }
    }

    /// The records in the company's accounting software (ground truth: every write applied so
    /// far, whether or not Codat's cache has seen it), as stored: every field of both documents.
    public func records(_ collection: SandboxCollection, companyId: String) -> [SandboxJSON] {
        (try? core.store.withCompany(companyId) { $0[collection].all }) ?? []
    }

    public func record(_ collection: SandboxCollection, id: String, companyId: String) -> SandboxJSON? {
        (try? core.store.withCompany(companyId) { $0[collection][id] }) ?? nil
    }

    /// A bill's amounts and status in the accounting software (ground truth).
    public func bill(_ id: String, companyId: String) -> BillSnapshot? {
        record(.bills, id: id, companyId: companyId).map(BillSnapshot.init)
    }

    /// Bill payments recorded in the accounting software (ground truth) through one API (`.sync`
    /// for `POST .../bills/{billId}/payment`, `.v1` for pushes, timed-out ones that landed included).
    public func billPayments(companyId: String, api: SandboxPaymentAPI) -> [SandboxJSON] {
        records(api == .sync ? .syncBillPayments : .billPayments, companyId: companyId)
    }

    /// The v1 push operations of a company, oldest first, as `GET /companies/{companyId}/push/{key}` reports them.
    public func pushOperations(companyId: String) -> [SandboxJSON] {
        (try? core.store.withCompany(companyId) { $0.pushOperations.map(\.json) }) ?? []
    }

    /// Keys of the push operations that timed out and whose write still reached the
    /// accounting software afterwards (their status stays `TimedOut`, CODAT-FACTS.md §2).
    public func timedOutPushesThatLanded(companyId: String) -> [String] {
        (try? core.store.withCompany(companyId) { $0.pushOperations.filter(\.landedAfterTimeout).map(\.key) }) ?? []
    }

    /// Files uploaded against a bill.
    public func attachments(billId: String, companyId: String) -> [SandboxAttachment] {
        (try? core.store.withCompany(companyId) { $0.attachments.filter { $0.billId == billId } }) ?? []
    }

    /// Back to the seed data; idempotency keys and rate-limit counts are forgotten (faults,
    /// recordings and the clock stay).
    public func reset() {
        core.reset()
    }
}

/// Which API a bill payment went through.
public enum SandboxPaymentAPI: Sendable {
    case sync, v1
}

/// A bill's state, for assertions.
public struct BillSnapshot: Sendable, Hashable {
    public let id: String
    public let status: String?
    public let amountDue: Decimal?
    public let totalAmount: Decimal?
    public let currency: String?
    public let supplierId: String?

    init(_ json: SandboxJSON) {
        id = json.id ?? ""
        status = json["status"]?.string
        amountDue = json["amountDue"]?.decimal
        totalAmount = json["totalAmount"]?.decimal
        currency = json["currency"]?.string
        supplierId = json["supplierRef"]?["id"]?.string
    }
}

public struct SandboxStartError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Sends requests no route matched through the same pipeline (recording, auth, faults,
/// then a 404 or 405 in Codat's error shape).
struct UnroutedRequests: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let core: SandboxCore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.endpointPath == nil else { return try await next(request, context) }
        return try await core.handle(request, context: context, route: nil, handler: nil)
    }
}
