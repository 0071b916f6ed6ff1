import CodatSandbox
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Regression tests for the sandbox findings of issue 10, one per finding.
final class HardeningTests: XCTestCase {
    func testFinding_ControlAPIRequiresTheAPIKeyWhenOneIsSet() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(apiKey: "control-key"))
        let anonymous = TestClient(sandbox, authorization: nil)
        let answer1 = try await anonymous.get("/_sandbox/requests").status
        XCTAssertEqual(answer1, 401)
        let answer2 = try await anonymous.post("/_sandbox/faults", ["fault": ["type": "status", "status": 500]]).status
        XCTAssertEqual(answer2, 401)
        XCTAssertTrue(sandbox.faultRules.isEmpty)
        let wrong = TestClient(sandbox, authorization: "other-key")
        let answer3 = try await wrong.get("/_sandbox").status
        XCTAssertEqual(answer3, 401)
        let owner = TestClient(sandbox, authorization: "control-key")
        let answer4 = try await owner.get("/_sandbox").status
        XCTAssertEqual(answer4, 200)
    }

    func testFinding_AuthorizationIsRedactedInRecordingsOverHTTP() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox, authorization: "Basic c2VjcmV0LWtleQ==")
        _ = try await client.get("/companies")
        let recorded = try await client.get("/_sandbox/requests")
        let text = String(decoding: recorded.body, as: UTF8.self)
        XCTAssertFalse(text.contains("c2VjcmV0LWtleQ=="), "the key must not leave over HTTP")
        XCTAssertTrue(text.contains("REDACTED"))
        XCTAssertEqual(sandbox.recordedRequests.first?.header("Authorization"), "Basic c2VjcmV0LWtleQ==", "in-process tests still see it")
    }

    func testFinding_OversizedDeclaredBodyIs413BeforeReadingItOrAuthenticating() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(apiKey: "key"))
        // Declares 100 GB and sends none of it, without credentials: answered at once.
        let head = "POST /companies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n"
        let answer = try rawExchange(port: sandbox.port, head)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 413"), answer)
        XCTAssertTrue(sandbox.recordedRequests.isEmpty)
    }

    func testFinding_FaultWithStatus1000IsRefusedNotACrash() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let refused = try await client.post("/_sandbox/faults", ["fault": ["type": "status", "status": 1000]])
        XCTAssertEqual(refused.status, 400)
        XCTAssertTrue(refused.json["error"]?.string?.contains("1000") ?? false)
        let badProbability = try await client.post(
            "/_sandbox/faults", ["fault": ["type": "statusAfterProcessing", "status": 500], "probability": .number(dec("1.5"))])
        XCTAssertEqual(badProbability.status, 400)
        XCTAssertTrue(sandbox.faultRules.isEmpty)
        // From Swift the rule is taken, and fires as a 500 that says why.
        sandbox.inject(.status(1000), on: .operation("list-companies"), times: 1)
        let fired = try await client.get("/companies")
        XCTAssertEqual(fired.status, 500)
        let answer5 = try await client.get("/companies").status
        XCTAssertEqual(answer5, 200, "still serving")
    }

    func testFinding_TenThousandOpeningParenthesesIs400NotACrash() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let deep = String(repeating: "(", count: 10_000) + "status=Open" + String(repeating: ")", count: 10_000)
        let answer = try await client.get(xero.data + "/bills?query=" + encoded(deep))
        XCTAssertEqual(answer.status, 400)
        XCTAssertTrue(answer.json["error"]?.string?.contains("nested") ?? false, "\(answer.json)")
        let fine = try await client.get(xero.data + "/bills?query=" + encoded("((status=Open))"))
        XCTAssertEqual(fine.status, 200)
    }

    func testFinding_DoubleStarFaultPatternsMatchWithoutExponentialBacktracking() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        // 40 `**` against a 60-segment path that does not match: exponential with a
        // recursive matcher (and under the fault lock), immediate now.
        let pattern = "/" + Array(repeating: "**/a", count: 40).joined(separator: "/") + "/never"
        sandbox.inject(.status(500), on: RouteMatcher(path: pattern))
        let path = "/" + Array(repeating: "a", count: 60).joined(separator: "/")
        let answer = try await client.get(path)
        XCTAssertEqual(answer.status, 404, "the rule does not match")
        sandbox.inject(.status(503), on: RouteMatcher(path: "/**/a/**/a/**"), times: 1)
        let answer6 = try await client.get(path).status
        XCTAssertEqual(answer6, 503, "and `**` still matches")
    }

    func testFinding_RecordingsAreARingBuffer() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(recordingLimit: 5))
        let client = TestClient(sandbox)
        for _ in 0..<8 {
            _ = try await client.get("/companies")
        }
        let recorded = sandbox.recordedRequests
        XCTAssertEqual(recorded.map(\.sequence), [4, 5, 6, 7, 8])
        XCTAssertEqual(recorded.map(\.responseStatus), Array(repeating: 200, count: 5), "status updates reach the right slot")
    }

    func testFinding_RecordedBodiesHaveAByteBudget() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(recordingByteBudget: 1000))
        let client = TestClient(sandbox)
        let text = String(repeating: "x", count: 300)
        for _ in 0..<10 {
            _ = try await client.post("/companies", ["name": .string(text)])
        }
        let recorded = sandbox.recordedRequests
        XCTAssertLessThanOrEqual(recorded.reduce(0) { $0 + $1.body.count }, 1000, "older bodies go first")
        XCTAssertEqual(recorded.last?.sequence, 10, "the newest request is kept")
        XCTAssertEqual(recorded.map(\.sequence), Array((11 - recorded.count)...10), "oldest first, consecutive")
        XCTAssertEqual(recorded.last?.responseStatus, 200, "status updates reach the right slot")
    }

    func testFinding_UnauthenticatedBodiesAreNotRead() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(apiKey: "key"))
        let anonymous = TestClient(sandbox, authorization: nil)
        let answer = try await anonymous.post("/companies", ["name": .string(String(repeating: "y", count: 100_000))]).status
        XCTAssertEqual(answer, 401)
        XCTAssertEqual(sandbox.recordedRequests.last?.body.count, 0, "refused on its headers: the body was neither read nor kept")
    }

    func testFinding_AttachmentsHaveAQuota() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(attachmentQuotaBytes: 16))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        func upload(_ text: String) async throws -> Int {
            let body = Data("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n\r\n\(text)\r\n--b--\r\n".utf8)
            return try await client.send(
                "POST", xero.payables + "/bills/59978bef-af2f-4a7e-9728-4997597c0980/attachments", body: body,
                headers: ["Content-Type": "multipart/form-data; boundary=b"]
            ).status
        }
        let answer7 = try await upload("0123456789")
        XCTAssertEqual(answer7, 201)
        let answer8 = try await upload("0123456789")
        XCTAssertEqual(answer8, 413, "20 bytes would be over the 16-byte quota")
    }

    /// Writes `text` on a fresh loopback connection and returns what comes back first.
    private func rawExchange(port: Int, _ text: String) throws -> String {
        #if canImport(Glibc)
        let streamType = Int32(SOCK_STREAM.rawValue)
        #else
        let streamType = SOCK_STREAM
        #endif
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = text.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }
}
