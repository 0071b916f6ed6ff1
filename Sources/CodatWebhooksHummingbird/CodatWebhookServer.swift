import CodatWebhooks
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// A ready-made webhook endpoint: an `Application` with the route at `path` and the receiver's
/// handler loop, in one service group. For an application that has its own Hummingbird server,
/// add the route (`addCodatWebhooks`) and a `WebhookReceiverService` to it instead.
public final class CodatWebhookServer: Sendable {
    /// The port it listens on (the one chosen by the system when started with port 0).
    public let port: Int
    public let host: String
    public let path: String
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, Never>

    private init(host: String, port: Int, path: String, serviceGroup: ServiceGroup, runTask: Task<Void, Never>) {
        self.host = host
        self.port = port
        self.path = path
        self.serviceGroup = serviceGroup
        self.runTask = runTask
    }

    /// The URL to register as the consumer's endpoint.
    public var url: URL {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return URL(string: "http://\(hostPart):\(port)\(path)")!
    }

    /// Starts listening and returns once the port is bound.
    /// - Parameters:
    ///   - shutdownSignals: signals that stop the server gracefully (a command passes SIGINT, SIGTERM).
    ///   - onReceipt: sees every delivery's outcome, refusals included.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        path: String = "/webhooks/codat",
        receiver: WebhookReceiver,
        maximumBodySize: Int = CodatWebhookRoute.defaultMaximumBodySize,
        shutdownSignals: [UnixSignal] = [],
        logger: Logger = CodatWebhookServer.quietLogger,
        onReceipt: (@Sendable (WebhookReceipt) -> Void)? = nil
    ) async throws -> CodatWebhookServer {
        let router = Router()
        router.addCodatWebhooks(RouterPath(path), receiver: receiver, maximumBodySize: maximumBodySize, onReceipt: onReceipt)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) },
            logger: logger)
        // The receiver first: services stop in reverse order, so the server stops taking
        // requests before the receiver drains what it accepted.
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: WebhookReceiverService(receiver: receiver)), .init(service: app)],
            gracefulShutdownSignals: shutdownSignals,
            logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: configuration)
        let failure = LockedError()
        let runTask = Task {
            do { try await group.run() } catch { failure.set(error) }
            portContinuation.finish()
        }
        for await bound in ports {
            return CodatWebhookServer(host: host, port: bound, path: path.hasPrefix("/") ? path : "/" + path,
                                      serviceGroup: group, runTask: runTask)
        }
        throw CodatWebhookServerError(description: "the webhook server did not start on \(host):\(port): \(failure.value.map { "\($0)" } ?? "no reason given")")
    }

    /// Stops taking requests, lets the handler finish what was accepted, releases the port.
    public func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        await runTask.value
    }

    /// Returns when the server has stopped (a shutdown signal, or `stop()`).
    public func waitUntilStopped() async {
        await runTask.value
    }

    public static let quietLogger: Logger = {
        var logger = Logger(label: "codat-webhooks")
        logger.logLevel = .critical
        return logger
    }()
}

public struct CodatWebhookServerError: Error, CustomStringConvertible {
    public let description: String
}

private final class LockedError: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ error: any Error) { lock.withLock { self.error = error } }
    var value: (any Error)? { lock.withLock { error } }
}
