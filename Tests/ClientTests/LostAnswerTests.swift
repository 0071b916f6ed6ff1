import CodatSyncPayables
import Foundation
import Hummingbird
import Logging
import LoopbackTestSupport
import NIOCore
import ServiceLifecycle
import XCTest

/// The proxy: the answer to a payment POST is lost on a connection the transport had
/// already used (keep-alive), as a proxy or load balancer that drops a pooled connection does.
/// The sandbox cannot show this (while a drop is armed it closes every connection after one
/// answer), so a small server here answers a GET, keeps the connection open, and closes it
/// without answering the first POST it reads on it. Every POST that arrives is counted.
final class LostAnswerTests: XCTestCase {
    func testALostAnswerOnAReusedConnectionIsNotResentByTheTransport() async throws {
        for kind in TransportKind.allCases {
            let server = try await DroppingServer.start(self)
            let codat = CodatSyncPayables.Client(serverURL: server.baseURL, authHeader: authHeader, transport: kind.make(self),
                                          options: ClientOptions(attemptTimeout: .seconds(5), logger: LogCapture().logger))
            _ = try await codat.bills.list(companyId: "c", connectionId: "k")
            let started = ContinuousClock.now
            var reported = "success"
            var outcomeUnknown = false
            do {
                _ = try await codat.billPayments.create(companyId: "c", connectionId: "k", billId: "b",
                                                        body: BillPaymentPrototype(amount: 10, date: "2024-06-01", accountRef: BillPaymentAccountRef(id: "a")))
            } catch let error as CodatSyncPayablesError {
                outcomeUnknown = error.outcomeUnknown
                reported = "\(error.kind), outcomeUnknown: \(error.outcomeUnknown), attempts: \(error.attempts)"
                XCTAssertEqual(error.attempts, 1, "\(kind): the runtime does not resend a payment whose answer was lost")
            }
            let elapsed = ContinuousClock.now - started
            let posts = server.posts
            print("""
                lost answer on a reused connection: \(kind.rawValue): \(posts.count) POST(s) reached the server \
                (on connections \(posts.map(\.connection)), body bytes \(posts.map(\.bodyBytes)), GET first on connection \(server.getConnections)); \
                the SDK reported: \(reported) after \(elapsed)
                """)
            XCTAssertEqual(posts.first?.connection, server.getConnections.first, "\(kind): the POST went on the GET's connection (reused)")
            switch kind {
            case .asyncHTTPClient:
                XCTAssertEqual(posts.count, 1, "\(kind): no silent resend of the POST by the transport")
                XCTAssertTrue(outcomeUnknown, "\(kind): \(reported)")
            case .urlSession:
                if posts.count > 1 {
                    // libcurl (URLSession on Linux) sends the POST again on a new connection by itself.
                    print("lost answer on a reused connection: URLSession resent the POST by itself \(posts.count - 1) time(s)")
                    XCTAssertNotEqual(posts[1].connection, posts[0].connection)
                }
                XCTAssertTrue(outcomeUnknown || posts.count > 1, "\(kind): \(reported)")
                if !outcomeUnknown { print("lost answer on a reused connection: URLSession's own resend was answered: the SDK saw a success") }
            }
        }
    }
}

/// A loopback server: `GET` answers `{}` and keeps the connection; the first `POST` is read
/// (headers and as much body as arrives within a second) and its connection closed unanswered;
/// later POSTs are answered `{}` once their body has arrived.
/// A TCP connection's name as the server sees it: the client's address and port.
private func connectionName(_ channel: any Channel) -> String {
    channel.remoteAddress.map { "\($0)" } ?? "unknown"
}

final class DroppingServer: @unchecked Sendable {
    struct Post: Sendable {
        /// The client's address and port: a closed channel's memory can be reused by the next one,
        /// so its ObjectIdentifier does not tell two connections apart.
        var connection: String
        var bodyBytes: Int
    }

    struct Context: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel
        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
    }

    struct Dropped: Error {}

    let baseURL: URL
    private let lock = NSLock()
    private var _posts: [Post] = []
    private var _getConnections: [String] = []
    var posts: [Post] { lock.withLock { _posts } }
    var getConnections: [String] { lock.withLock { _getConnections } }

    private init(baseURL: URL) { self.baseURL = baseURL }

    static func start(_ test: XCTestCase) async throws -> DroppingServer {
        let box = Box()
        let router = Router(context: Context.self)
        router.on("**", method: .get) { _, context in
            box.server?.lock.withLock { box.server?._getConnections.append(connectionName(context.channel)) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        }
        router.on("**", method: .post) { request, context in
            guard let server = box.server else { throw Dropped() }
            let first = server.lock.withLock { server._posts.isEmpty }
            let index = server.lock.withLock {
                server._posts.append(Post(connection: connectionName(context.channel), bodyBytes: 0))
                return server._posts.count - 1
            }
            let body = try? await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask {
                    var request = request
                    return try await request.collectBody(upTo: 1024 * 1024)
                }
                group.addTask { try await Task.sleep(for: .seconds(first ? 1 : 10)); return nil }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            server.lock.withLock { server._posts[index].bodyBytes = body?.readableBytes ?? 0 }
            if first || body == nil {
                context.channel.close(promise: nil)
                throw Dropped()
            }
            return Response(status: .created, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        }
        let server = DroppingServer(baseURL: try await startLoopbackApplication(router, label: "dropping-server", test: test))
        box.server = server
        return server
    }

    final class Box: @unchecked Sendable {
        var server: DroppingServer?
    }
}
