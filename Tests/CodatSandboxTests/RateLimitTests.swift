import CodatSandbox
import Foundation
import XCTest

/// CODAT-FACTS.md §3 (docs/using-the-api/rate-limits.md).
final class RateLimitTests: XCTestCase {
    func testRateLimit_TheEleventhConcurrentRequestOfACompanyIs429() async throws {
        let sandbox = try await startSandbox()
        let xero = try XCTUnwrap(sandbox.company(.xero))
        // Slow answers, so that eleven requests are in progress together.
        sandbox.inject(.latency(.milliseconds(1500)), on: .operation("v1.list-bills"))
        let results = try await withThrowingTaskGroup(of: HTTPResult.self) { group in
            for _ in 0..<11 {
                // One session each: a shared session might queue requests on a few connections.
                group.addTask { try await TestClient(sandbox).get(xero.data + "/bills") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let limited = results.filter { $0.status == 429 }
        XCTAssertEqual(results.filter { $0.status == 200 }.count, 10)
        XCTAssertEqual(limited.count, 1)
        XCTAssertEqual(limited.first?.header("Retry-After"), "1")
        XCTAssertEqual(limited.first?.json["statusCode"], 429)
        XCTAssertNotNil(limited.first?.json["error"]?.string)
        XCTAssertEqual(sandbox.maxConcurrentRequests(companyId: xero.id), 10)

        // Another company has its own ten.
        let qbo = try XCTUnwrap(sandbox.company(.quickBooksOnline))
        let answer1 = try await TestClient(sandbox).get(qbo.payables + "/suppliers").status
        XCTAssertEqual(answer1, 200)
        XCTAssertEqual(sandbox.maxConcurrentRequests(companyId: qbo.id), 1)
    }

    func testRateLimit_DailyQuotaResetsAtMidnightUTC() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(dailyRequestQuota: 3))
        let client = TestClient(sandbox)
        for remaining in [2, 1, 0] {
            let answer = try await client.get("/companies")
            XCTAssertEqual(answer.status, 200)
            XCTAssertEqual(answer.header("X-Rate-Limit-Limit"), "3")
            XCTAssertEqual(answer.header("X-Rate-Limit-Remaining"), String(remaining))
        }
        let over = try await client.get("/companies")
        XCTAssertEqual(over.status, 429)
        XCTAssertEqual(over.json["statusCode"], 429)
        let retryAfter = try XCTUnwrap(over.header("Retry-After").flatMap(Int.init))
        let midnight = Date(timeIntervalSince1970: (sandbox.now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 86_400)
        XCTAssertEqual(Double(retryAfter), midnight.timeIntervalSince(sandbox.now), accuracy: 2)
        XCTAssertEqual(over.header("X-Rate-Limit-Reset"), ISO8601DateFormatter().string(from: midnight))

        sandbox.advanceClock(by: .seconds(Int64(retryAfter)))
        let nextDay = try await client.get("/companies")
        XCTAssertEqual(nextDay.status, 200)
        XCTAssertEqual(nextDay.header("X-Rate-Limit-Remaining"), "2")
    }

    func testRateLimit_HeadersOnEveryAnswerWithCodatsDefaultQuota() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        // 1,000 × (1 + 5 linked companies).
        for target in ["/companies", "/companies/no-such-company", "/no/such/route"] {
            let answer = try await client.get(target)
            XCTAssertEqual(answer.header("X-Rate-Limit-Limit"), "6000", target)
            XCTAssertNotNil(answer.header("X-Rate-Limit-Remaining"), target)
            XCTAssertNotNil(answer.header("X-Rate-Limit-Reset"), target)
        }
    }
}
