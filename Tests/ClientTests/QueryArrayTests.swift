import Foundation
import Hummingbird
import NIOCore
import OpenAPIURLSession
import PayablesRuntime
import XCTest

/// Query arrays (`in: query`, `type: array`) as generated methods send them: through
/// `OperationRequest.addQuery(_:_:style:)` and `ClientCore`, over real HTTP on loopback with the
/// transport users pass (`URLSessionTransport()`). The server sees the query OpenAPI's style
/// table describes: `a=1&a=2` when exploded, `a=1,2` when not.
final class QueryArrayTests: XCTestCase {
    func testQueryArraysReachTheServerAsTheirStyleSays() async throws {
        let server = try await LoopbackServer.start(self) { router in
            router.on("**", method: .get) { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "{}"))) }
        }
        let core = ClientCore(serverURL: server.baseURL, credentials: [], transport: URLSessionTransport(), middlewares: [],
                              options: ClientOptions(attemptTimeout: .seconds(20)), documentRetry: .never)
        enum Status: String, Sendable { case open = "Open", paid = "Paid" }
        var request = try OperationRequest(operationID: "list-pets", method: .get, pathTemplate: "/pets")
        request.addQuery("status", [Status.open, .paid])
        request.addQuery("id", [3, 4], style: .commaDelimited)
        request.addQuery("tag", ["a,b", "c d"], style: .commaDelimited)
        let answer: [String: String] = try await core.send(request, call: CallOptions(), documentedErrors: StatusSet(codes: []),
                                                           errorModel: [String: String].self) { response in
            response.status == 200 ? try response.json([String: String].self) : nil
        }
        XCTAssertEqual(answer, [:])
        let recorded = try XCTUnwrap(server.recorded.first)
        XCTAssertEqual(recorded.path, "/pets")
        XCTAssertEqual(recorded.query, "status=Open&status=Paid&id=3,4&tag=a%2Cb,c%20d")
    }
}
