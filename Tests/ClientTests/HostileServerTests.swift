import CodatSandbox
import CodatSyncPayables
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LoopbackTestSupport
import NIOCore
import OpenAPIRuntime
import OpenAPIURLSession
import ServiceLifecycle
import XCTest

/// Issue 10's findings against real servers on loopback: redirects to another origin and
/// endless bodies. The clients are built as users build them (`URLSessionTransport()`).
final class HostileServerTests: XCTestCase {
    func client(_ server: URL, maxResponseBytes: Int = 256 * 1024 * 1024) -> CodatSyncPayables.Client {
        CodatSyncPayables.Client(serverURL: server, authHeader: authHeader, transport: URLSessionTransport(),
                          options: ClientOptions(attemptTimeout: .seconds(20), maxResponseBytes: maxResponseBytes))
    }

    /// Issue 10: a 307/308 to another host made URLSession send `Authorization` (and a payment body) there.
    func testARedirectToAnotherOriginCarriesNoCredentialsAndNoBody() async throws {
        let elsewhere = try await LoopbackServer.start(self) { router in
            router.on("**", method: .get) { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "{}"))) }
            router.on("**", method: .post) { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "{}"))) }
        }
        for status in [301, 302, 303, 307, 308] {
            let target = elsewhere.baseURL.absoluteString
            let api = try await LoopbackServer.start(self) { router in
                for method in [HTTPRequest.Method.get, .post] {
                    router.on("**", method: method) { request, _ in
                        Response(status: .init(code: status), headers: [.location: target + request.uri.path])
                    }
                }
            }
            let codat = client(api.baseURL)
            do {
                _ = try await codat.billPayments.create(companyId: "c", connectionId: "k", billId: "b", idempotencyKey: UUID().uuidString,
                                                        body: BillPaymentPrototype(amount: 10, date: "2024-06-01", accountRef: BillPaymentAccountRef(id: "a")))
                XCTFail("\(status): expected the redirect as an error")
            } catch let error as CodatSyncPayablesError {
                XCTAssertEqual(error.status, status, "the 3xx itself is the answer")
                XCTAssertEqual(error.attempts, 1)
                assertNoSecret([error.description, error.debugDescription])
            }
            do {
                _ = try await codat.bills.list(companyId: "c", connectionId: "k")
                XCTFail("\(status): expected the redirect as an error")
            } catch let error as CodatSyncPayablesError {
                XCTAssertEqual(error.status, status)
            }
            XCTAssertEqual(api.recorded.count, 2, "\(status): both requests reached the API's origin")
            XCTAssertEqual(api.recorded.first?.authorization, authHeader)
            XCTAssertTrue(elsewhere.recorded.isEmpty, "\(status): nothing reached the other origin: \(elsewhere.recorded)")
        }
    }

    /// Same-origin redirects are still followed, with the credentials (same server).
    func testARedirectOnTheSameOriginIsFollowed() async throws {
        let api = try await LoopbackServer.start(self) { router in
            router.on("/moved/**", method: .get) { request, _ in
                let rest = request.uri.path.dropFirst("/moved".count)
                return Response(status: .temporaryRedirect, headers: [.location: "/final" + rest])
            }
            router.on("/final/**", method: .get) { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
            }
        }
        let codat = client(api.baseURL.appendingPathComponent("moved"))
        _ = try await codat.bills.list(companyId: "c", connectionId: "k")
        XCTAssertEqual(api.recorded.map(\.path), ["/moved/companies/c/connections/k/payables/bills", "/final/companies/c/connections/k/payables/bills"])
        XCTAssertEqual(api.recorded.last?.authorization, authHeader)
    }

    /// Issue 10: `maxResponseBytes` was applied after URLSessionTransport had buffered the whole body.
    func testMaxResponseBytesStopsTheDownloadWhileStreaming() async throws {
        let written = Counter()
        let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: 64 * 1024)
        let endless = try await LoopbackServer.start(self) { router in
            router.on("**", method: .get) { _, _ in
                // 1 GiB of JSON whitespace, without a Content-Length, 64 KiB at a time.
                Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                    defer { written.finish() }
                    for _ in 0..<16_384 {
                        try await writer.write(chunk)
                        written.add(chunk.readableBytes)
                    }
                    try await writer.finish(nil)
                })
            }
        }
        let codat = client(endless.baseURL, maxResponseBytes: 1024 * 1024)
        do {
            _ = try await codat.bills.list(companyId: "c", connectionId: "k")
            XCTFail("expected the body to be refused")
        } catch let error as CodatSyncPayablesError {
            XCTAssertEqual(error.kind, .undecodableBody)
            XCTAssertEqual(error.status, 200)
            XCTAssertTrue(error.description.contains("maxResponseBytes"), error.description)
            XCTAssertEqual(error.attempts, 1, "not fetched again")
        }
        // The server stops when the client goes (the count includes what the server's own
        // buffers took): far less than the gibibyte.
        try await written.waitUntilFinished()
        XCTAssertLessThan(written.total, 1024 * 1024 * 1024, "the client closed the connection")

        // What the transport hands on: the limit and at most one chunk more, then an error.
        let transport = PayablesURLSessionTransport(maxResponseBytes: 1024 * 1024)
        let (response, body) = try await transport.send(HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/endless"), body: nil,
                                                         baseURL: endless.baseURL, operationID: "endless")
        XCTAssertEqual(response.status, .ok)
        var received = 0
        do {
            for try await chunk in try XCTUnwrap(body) { received += chunk.count }
            XCTFail("a cut body must not look complete")
        } catch let error as ResponseTooLargeError {
            XCTAssertEqual(error.limit, 1024 * 1024)
        }
        XCTAssertGreaterThan(received, 1024 * 1024)
        XCTAssertLessThan(received, 2 * 1024 * 1024, "no more than one chunk past the limit")
    }
}

/// A Hummingbird server on a free loopback port that records every request (method, path,
/// `Authorization`, body); stopped when the test ends.
final class LoopbackServer: @unchecked Sendable {
    struct Recorded: Sendable {
        var method: String
        var path: String
        var query: String?
        var authorization: String?
        var body: Data
    }

    let baseURL: URL
    private let lock = NSLock()
    private var _recorded: [Recorded] = []

    var recorded: [Recorded] { lock.withLock { _recorded } }

    private init(baseURL: URL) { self.baseURL = baseURL }

    static func start(_ test: XCTestCase, routes: (Router<BasicRequestContext>) -> Void) async throws -> LoopbackServer {
        let router = Router()
        let holder = Holder()
        router.middlewares.add(RecordingMiddleware(holder: holder))
        routes(router)
        let server = LoopbackServer(baseURL: try await startLoopbackApplication(router, label: "loopback-server", test: test))
        holder.server = server
        return server
    }

    fileprivate func record(_ request: Recorded) { lock.withLock { _recorded.append(request) } }

    final class Holder: @unchecked Sendable {
        var server: LoopbackServer?
    }

    struct RecordingMiddleware: RouterMiddleware {
        typealias Context = BasicRequestContext
        let holder: Holder

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            var request = request
            let body = try await request.collectBody(upTo: 16 * 1024 * 1024)
            holder.server?.record(Recorded(method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                                           authorization: request.headers[.authorization], body: Data(body.readableBytesView)))
            return try await next(request, context)
        }
    }
}

/// Bytes a streaming handler wrote, and whether it has ended.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var _total = 0
    private var finished = false

    var total: Int { lock.withLock { _total } }
    func add(_ count: Int) { lock.withLock { _total += count } }
    func finish() { lock.withLock { finished = true } }

    /// Polls until the handler has ended (bounded, so a broken client fails the test instead of hanging it).
    func waitUntilFinished() async throws {
        for _ in 0..<3000 {
            if lock.withLock({ finished }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTFail("the server is still writing: the client did not close the connection")
    }
}
