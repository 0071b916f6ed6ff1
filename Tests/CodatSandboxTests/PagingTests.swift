import CodatSandbox
import Foundation
import XCTest

final class PagingTests: XCTestCase {
    /// Follows continuation tokens to the end; every bill comes back exactly once.
    func testContinuationTokensReturnEveryBillOnce() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(extraBills: 250))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let expected = sandbox.records(.bills, companyId: xero.id).filter {
            ["Open", "PartiallyPaid"].contains($0["status"]?.string)
        }.compactMap { $0["id"]?.string }
        XCTAssertGreaterThan(expected.count, 250)

        var seen: [String] = []
        var pages: [Int] = []
        var token: String?
        repeat {
            let target = xero.payables + "/bills" + (token.map { "?continuationToken=" + encoded($0) } ?? "")
            let page = try await client.get(target)
            XCTAssertEqual(page.status, 200)
            pages.append(page.json.results.count)
            seen += page.json.results.compactMap { $0["id"]?.string }
            token = page.json["pagination"]?["continuationToken"]?.string
        } while token != nil && pages.count < 20
        XCTAssertEqual(pages.first, 100, "default page size")
        XCTAssertEqual(seen.count, Set(seen).count, "no bill twice")
        XCTAssertEqual(Set(seen), Set(expected))
        XCTAssertEqual(seen, expected, "store order")
    }

    /// Paying bills between pages takes them out of `status=Open`, yet no bill is skipped.
    func testContinuationSurvivesChangesBetweenPages() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(extraBills: 30, continuationPageSize: 7))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let query = "?query=" + encoded("status=Open&&currency=GBP")
        let expected = sandbox.records(.bills, companyId: xero.id).filter {
            $0["status"]?.string == "Open" && $0["currency"]?.string == "GBP"
        }.compactMap { $0["id"]?.string }
        var seen: [String] = []
        var token: String?
        repeat {
            let page = try await client.get(xero.payables + "/bills" + query + (token.map { "&continuationToken=" + encoded($0) } ?? ""))
            let bills = page.json.results
            XCTAssertLessThanOrEqual(bills.count, 7)
            seen += bills.compactMap { $0["id"]?.string }
            // Pay the first bill of the page in full: it leaves the filter.
            if let bill = bills.first, let id = bill["id"]?.string, let due = bill["amountDue"] {
                let paid = try await client.post(
                    xero.payables + "/bills/\(id)/payment",
                    ["amount": due, "date": "2024-05-01", "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"]])
                XCTAssertEqual(paid.status, 201)
            }
            token = page.json["pagination"]?["continuationToken"]?.string
        } while token != nil
        XCTAssertEqual(seen, expected)
    }

    func testPageSizeParameterAndBadToken() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(extraBills: 10))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let page = try await client.get(xero.payables + "/bills?pageSize=5")
        XCTAssertEqual(page.json.results.count, 5)
        XCTAssertNotNil(page.json["pagination"]?["continuationToken"]?.string)
        let bad = try await client.get(xero.payables + "/bills?continuationToken=not-a-token")
        XCTAssertEqual(bad.status, 400)
        let badQuery = try await client.get(xero.payables + "/bills?query=" + encoded("status"))
        XCTAssertEqual(badQuery.status, 400)
        XCTAssertTrue(badQuery.json["error"]?.string?.contains("Malformed query") ?? false)
    }

    /// The 100-bills-a-page benchmark setup: a company with many bills answers pages of 100 quickly.
    func testHundredBillPagesOfLargeCompany() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(extraBills: 1000))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let start = ContinuousClock.now
        let page = try await client.get(xero.data + "/bills?page=3&pageSize=100")
        XCTAssertEqual(page.json.results.count, 100)
        XCTAssertEqual(page.json["pageNumber"], 3)
        XCTAssertGreaterThan(page.json["totalResults"]?.decimal ?? 0, 1000)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
    }

    func testPageBasedListsWithQueryAndOrder() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let banks = try await client.get(xero.data + "/accounts?query=" + encoded("isBankAccount=true")).json
        XCTAssertFalse(banks.results.isEmpty)
        XCTAssertTrue(banks.results.allSatisfy { $0["isBankAccount"]?.bool == true })
        XCTAssertEqual(banks["totalResults"]?.decimal, Decimal(banks.results.count))
        let all = try await client.get(xero.data + "/accounts").json
        XCTAssertGreaterThan(all["totalResults"]?.decimal ?? 0, banks["totalResults"]?.decimal ?? 0)

        let paged = try await client.get(xero.data + "/bills?page=2&pageSize=3&orderBy=-totalAmount").json
        XCTAssertEqual(paged.results.count, 3)
        XCTAssertEqual(paged["pageNumber"], 2)
        XCTAssertEqual(paged["pageSize"], 3)
        let amounts = paged.results.compactMap { $0["totalAmount"]?.decimal }
        XCTAssertEqual(amounts, amounts.sorted(by: >))
        XCTAssertTrue(paged["_links"]?["current"]?["href"]?.string?.contains("page=2") ?? false)

        let outOfRange = try await client.get(xero.data + "/bills?pageSize=0")
        XCTAssertEqual(outOfRange.status, 400)
    }
}
