import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import XCTest

/// Serves `router` on a free loopback port until `test` ends; returns the base URL. For the small
/// servers of the tests: hostile ones (redirects, endless bodies, lost answers) and webhook
/// consumers that record what the sandbox delivers.
public func startLoopbackApplication<Context: RequestContext>(
    _ router: Router<Context>, label: String, test: XCTestCase
) async throws -> URL where Context.Source == ApplicationRequestContextSource {
    var logger = Logger(label: label)
    logger.logLevel = .critical
    let (ports, portContinuation) = AsyncStream<Int>.makeStream()
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
    var configuration = ServiceGroupConfiguration(services: [app], logger: logger)
    configuration.maximumGracefulShutdownDuration = .seconds(2)
    let group = ServiceGroup(configuration: configuration)
    let runTask = Task {
        try? await group.run()
        portContinuation.finish()
    }
    test.addTeardownBlock {
        await group.triggerGracefulShutdown()
        await runTask.value
    }
    var port: Int?
    for await value in ports {
        port = value
        break
    }
    return URL(string: "http://127.0.0.1:\(try XCTUnwrap(port))")!
}
