import CodatSandbox
import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fault injection, seen from a URLSession client.
final class FaultTests: XCTestCase {
    private let billsPath = "/companies/*/connections/*/payables/bills"

    func testStatus429WithRetryAfterForTheNextTwoRequests() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        sandbox.inject(.status(429, retryAfter: 1), on: RouteMatcher(method: "GET", path: billsPath), times: 2)

        for _ in 0..<2 {
            let limited = try await client.get(xero.payables + "/bills")
            XCTAssertEqual(limited.status, 429)
            XCTAssertEqual(limited.header("Retry-After"), "1")
            XCTAssertEqual(limited.json["statusCode"], 429)
            XCTAssertEqual(limited.json["canBeRetried"]?.string, "True")
        }
        let third = try await client.get(xero.payables + "/bills")
        XCTAssertEqual(third.status, 200)
        // Other routes were never affected.
        let suppliers = try await client.get(xero.payables + "/suppliers")
        XCTAssertEqual(suppliers.status, 200)
        XCTAssertTrue(sandbox.faultRules.isEmpty)
        XCTAssertEqual(sandbox.recordedRequests.map(\.responseStatus), [429, 429, 200, 200])
        XCTAssertEqual(sandbox.recordedRequests[0].faults, ["status 429"])
    }

    func testStatus503ByOperationNameAndProbability() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(faultSeed: 7))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        sandbox.inject(.status(503), on: .operation("v1.list-bills"), times: 1)
        let unavailable = try await client.get(xero.data + "/bills")
        XCTAssertEqual(unavailable.status, 503)
        XCTAssertEqual(unavailable.json["canBeRetried"]?.string, "True")
        let sync = try await client.get(xero.payables + "/bills")
        XCTAssertEqual(sync.status, 200, "the sync API's list-bills is another operation")

        // Half of the requests, drawn from the seeded generator: the same every run.
        sandbox.inject(.status(500), on: .operation("list-suppliers"), probability: 0.5)
        var statuses: [Int] = []
        for _ in 0..<20 {
            statuses.append(try await client.get(xero.payables + "/suppliers").status)
        }
        let failures = statuses.filter { $0 == 500 }.count
        XCTAssertGreaterThan(failures, 3)
        XCTAssertLessThan(failures, 17)
        XCTAssertEqual(Set(statuses), [200, 500])
    }

    func testLatency() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        sandbox.inject(.latency(.milliseconds(400)), on: RouteMatcher(path: "/companies/{companyId}/data/**"), times: 1)
        let start = ContinuousClock.now
        let slow = try await client.get(xero.data + "/bills")
        let elapsed = ContinuousClock.now - start
        XCTAssertEqual(slow.status, 200)
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(400))
        let fastStart = ContinuousClock.now
        _ = try await client.get(xero.data + "/bills")
        XCTAssertLessThan(ContinuousClock.now - fastStart, .milliseconds(400))
    }

    /// The connection closes before the request is processed: the client gets an error and
    /// nothing changes. URLSession on Linux reports "Empty reply from server".
    func testDropBeforeProcessing() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let billId = "2175c381-d323-4e20-8c94-7680ea7f85d3"
        // A kept-alive connection first: injecting the drop closes it, so the drop is seen
        // instead of being resent by libcurl.
        _ = try await client.get("/companies")
        sandbox.inject(.dropBeforeProcessing, on: .operation("sync.create-bill-payment"), times: 1)
        let start = ContinuousClock.now
        let error = await requestError {
            try await client.post(xero.payables + "/bills/\(billId)/payment", self.payment(10))
        }
        XCTAssertEqual(error?.code, .badServerResponse, "\(String(describing: error))")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("108.6"))
        XCTAssertTrue(sandbox.billPayments(companyId: xero.id, api: .sync).isEmpty)
        XCTAssertEqual(sandbox.recordedRequests.last?.faults, ["dropBeforeProcessing"])
        XCTAssertNil(sandbox.recordedRequests.last?.responseStatus)

        // The next request works (the rule is used up).
        let retried = try await client.post(xero.payables + "/bills/\(billId)/payment", payment(10))
        XCTAssertEqual(retried.status, 201)
    }

    /// A dropped GET on a warm session is reported too, not silently resent.
    func testDropBeforeProcessingOfAGetOnAWarmSession() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = try await client.get(xero.payables + "/bills")
        sandbox.inject(.dropBeforeProcessing, on: .operation("sync.list-bills"), times: 1)
        let error = await requestError { try await client.get(xero.payables + "/bills") }
        XCTAssertEqual(error?.code, .badServerResponse)
        XCTAssertEqual(sandbox.recordedRequests.filter { $0.operation == "sync.list-bills" }.count, 2)
    }

    /// The request is processed, then the connection closes with nothing written: the client
    /// gets the same error as for a drop before processing, although the payment was made.
    func testDropAfterProcessing() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let billId = "2175c381-d323-4e20-8c94-7680ea7f85d3"
        _ = try await client.get("/companies")
        sandbox.inject(.dropAfterProcessing, on: .operation("create-bill-payment"), times: 1)
        let error = await requestError {
            try await client.post(xero.payables + "/bills/\(billId)/payment", self.payment(10))
        }
        XCTAssertEqual(error?.code, .badServerResponse, "\(String(describing: error))")
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("98.6"))
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .sync).count, 1)
        XCTAssertEqual(sandbox.recordedRequests.last?.responseStatus, 201)
    }

    /// The request is processed and the head (with Content-Length) is sent, then the
    /// connection closes before the body: URLSession on Linux reports URLError.unknown,
    /// "transfer closed with N bytes remaining to read".
    func testTruncateAfterProcessing() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let billId = "2175c381-d323-4e20-8c94-7680ea7f85d3"
        sandbox.inject(.truncateAfterProcessing, on: .operation("create-bill-payment"), times: 1)
        let error = await requestError {
            try await client.post(xero.payables + "/bills/\(billId)/payment", self.payment(10))
        }
        XCTAssertEqual(error?.code, .unknown, "\(String(describing: error))")
        XCTAssertTrue(error?.localizedDescription.contains("remaining to read") ?? false, "\(String(describing: error))")
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("98.6"))
    }

    /// A fault for a sandbox started apart: the same rules over HTTP.
    func testFaultsOverTheControlAPI() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let added = try await client.post(
            "/_sandbox/faults",
            ["fault": ["type": "status", "status": 429, "retryAfter": 2], "method": "GET", "path": .string(billsPath), "remaining": 1])
        XCTAssertEqual(added.status, 201)
        XCTAssertEqual(added.json["id"], 1)
        let listed = try await client.get("/_sandbox/faults").json
        XCTAssertEqual(listed.array?.count, 1)
        let limited = try await client.get(xero.payables + "/bills")
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.header("Retry-After"), "2")
        let result1 = try await client.get(xero.payables + "/bills")
        XCTAssertEqual(result1.status, 200)

        _ = try await client.post("/_sandbox/faults", ["fault": ["type": "latency", "milliseconds": 10], "operation": "list-bills"])
        XCTAssertEqual(sandbox.faultRules.count, 1)
        let result2 = try await client.send("DELETE", "/_sandbox/faults")
        XCTAssertEqual(result2.status, 204)
        XCTAssertTrue(sandbox.faultRules.isEmpty)
        let bad = try await client.post("/_sandbox/faults", ["fault": ["type": "explode"]])
        XCTAssertEqual(bad.status, 400)

        let requests = try await client.get("/_sandbox/requests").json.array ?? []
        XCTAssertEqual(requests.count, 2, "control requests are not recorded")
        XCTAssertEqual(requests.first?["responseStatus"], 429)
        let result3 = try await client.send("DELETE", "/_sandbox/requests")
        XCTAssertEqual(result3.status, 204)
        XCTAssertTrue(sandbox.recordedRequests.isEmpty)
    }

    /// The write is applied, then the status answered: the 5xx that hides a payment.
    func testStatusAfterProcessingAppliesTheWriteThenAnswersTheStatus() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let added = try await client.post(
            "/_sandbox/faults", ["fault": ["type": "statusAfterProcessing", "status": 502], "operation": "sync.create-bill-payment", "remaining": 1])
        XCTAssertEqual(added.status, 201)
        XCTAssertEqual(added.json["fault"]?["type"]?.string, "statusAfterProcessing")
        let answer = try await client.post(xero.payables + "/bills/59978bef-af2f-4a7e-9728-4997597c0980/payment", payment(30))
        XCTAssertEqual(answer.status, 502)
        XCTAssertEqual(answer.json["statusCode"], 502)
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .sync).count, 1, "the payment was made")
        XCTAssertEqual(sandbox.bill("59978bef-af2f-4a7e-9728-4997597c0980", companyId: xero.id)?.amountDue, dec("105.85"))
        XCTAssertEqual(sandbox.recordedRequests.last?.faults, ["statusAfterProcessing 502"])
    }

    // MARK: Helpers

    private func payment(_ amount: Int) -> SandboxJSON {
        ["amount": .number(Decimal(amount)), "date": "2024-05-01", "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"]]
    }

    /// The URLError a request ends with; nil (and a failure) if it succeeded.
    private func requestError(_ body: () async throws -> HTTPResult, file: StaticString = #filePath, line: UInt = #line) async -> URLError? {
        do {
            let result = try await body()
            XCTFail("expected the connection to drop, got \(result.status)", file: file, line: line)
            return nil
        } catch let error as URLError {
            return error
        } catch {
            XCTFail("expected a URLError, got \(error)", file: file, line: line)
            return nil
        }
    }
}
