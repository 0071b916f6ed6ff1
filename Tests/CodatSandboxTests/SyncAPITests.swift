import CodatSandbox
import Foundation
import XCTest

/// The synchronous API over real HTTP.
final class SyncAPITests: XCTestCase {
    func testRequestsWithoutAuthorizationAre401InErrorMessageShape() async throws {
        let sandbox = try await startSandbox()
        let anonymous = TestClient(sandbox, authorization: nil)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        for target in ["/companies", xero.payables + "/bills", xero.data + "/bills", "/no/such/route"] {
            let response = try await anonymous.get(target)
            XCTAssertEqual(response.status, 401, target)
            let error = response.json
            XCTAssertEqual(error["statusCode"], 401)
            XCTAssertEqual(error["service"]?.string, "PublicApi")
            XCTAssertNotNil(error["error"]?.string)
            XCTAssertFalse(error["correlationId"]?.string?.isEmpty ?? true)
            XCTAssertEqual(error["canBeRetried"]?.string, "False")
            XCTAssertNotNil(error["detailedErrorCode"]?.decimal)
        }
    }

    func testConfiguredKeyAcceptsOnlyThatKey() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(apiKey: "secret-key"))
        let encodedKey = Data("secret-key".utf8).base64EncodedString()
        for (header, expected) in [
            ("Basic \(encodedKey)", 200), ("Basic secret-key", 200), ("secret-key", 200), ("Basic other", 401), ("Bearer x", 401),
        ] {
            let status = try await TestClient(sandbox, authorization: header).get("/companies").status
            XCTAssertEqual(status, expected, header)
        }
    }

    func testSeededCompaniesNameTheirIntegration() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let companies = try await client.get("/companies").json
        XCTAssertEqual(companies["totalResults"], 5)
        let platforms = companies.results.compactMap { $0["dataConnections"]?[0]?["platformName"]?.string }
        XCTAssertEqual(platforms, ["Xero", "QuickBooks Online", "Oracle NetSuite", "Sage Intacct", "MYOB AccountRight and Essentials"])
        for integration in SandboxIntegration.allCases {
            let company = try XCTUnwrap(sandbox.company(integration))
            let connection = try await client.get("/companies/\(company.id)/connections/\(company.connectionId!)").json
            XCTAssertEqual(connection["platformName"]?.string, integration.platformName)
            XCTAssertEqual(connection["integrationKey"]?.string, integration.platformKey)
            XCTAssertEqual(connection["sourceType"]?.string, "Accounting")
        }
        let page = try await client.get("/companies?page=2&pageSize=2").json
        XCTAssertEqual(page["pageNumber"], 2)
        XCTAssertEqual(page.results.count, 2)
        XCTAssertNotNil(page["_links"]?["next"]?["href"]?.string)
        XCTAssertNotNil(page["_links"]?["previous"]?["href"]?.string)
    }

    func testUnknownCompanyConnectionAndRecordAre404AndWrongMethodIs405() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let unknownCompany = try await client.get("/companies/00000000-0000-0000-0000-000000000000/data/bills")
        XCTAssertEqual(unknownCompany.status, 404)
        XCTAssertEqual(unknownCompany.json["statusCode"], 404)
        let unknownConnection = try await client.get("/companies/\(xero.id)/connections/nope/payables/bills")
        XCTAssertEqual(unknownConnection.status, 404)
        let response1 = try await client.get(xero.data + "/bills/no-such-bill")
        XCTAssertEqual(response1.status, 404)
        let response2 = try await client.get("/no/such/route")
        XCTAssertEqual(response2.status, 404)
        let wrongMethod = try await client.send("DELETE", xero.payables + "/bills")
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.header("Allow"), "GET, POST")
    }

    func testListCreateAndPayFlow() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))

        // Outstanding bills only, by default.
        let outstanding = try await client.get(xero.payables + "/bills").json.results
        XCTAssertFalse(outstanding.isEmpty)
        XCTAssertTrue(outstanding.allSatisfy { ["Open", "PartiallyPaid"].contains($0["status"]?.string) })
        XCTAssertGreaterThan(Set(outstanding.compactMap { $0["currency"]?.string }).count, 1)
        XCTAssertGreaterThan(Set(outstanding.compactMap { $0["supplierRef"]?["id"]?.string }).count, 2)
        let paid = try await client.get(xero.payables + "/bills?query=" + encoded("status=Paid")).json.results
        XCTAssertFalse(paid.isEmpty)
        XCTAssertTrue(paid.allSatisfy { $0["status"]?.string == "Paid" })

        // The document's own create-bill example: its supplier, accounts and tax rate exist in the Xero company.
        let prototype: SandboxJSON = [
            "reference": "bill_b8qmmj4ksf1suax",
            "supplierRef": ["id": "1262c350-fe0f-40ec-aeff-41c95b4a45af", "supplierName": "DIISR - Small Business Services"],
            "issueDate": "2023-04-23T00:00:00", "dueDate": "2023-04-23T00:00:00", "currency": "GBP", "currencyRate": 1,
            "lineItems": [
                [
                    "description": "Half day training - Microsoft Office", "unitAmount": 1800, "quantity": 1, "taxAmount": 360,
                    "totalAmount": 2160, "accountRef": ["id": "46f9461e-788b-4906-8b74-d1ea17f6dc10"], "taxRateRef": ["id": "INPUT2"],
                ],
                [
                    "description": "Stationery charges", "unitAmount": 32, "quantity": 8, "taxAmount": .number(dec("51.2")),
                    "totalAmount": .number(dec("307.2")), "accountRef": ["id": "cba6527d-f102-4538-b421-e483233e9d5a"],
                    "taxRateRef": ["id": "INPUT2"],
                ],
            ],
            "status": "Open",
        ]
        let created = try await client.post(xero.payables + "/bills", prototype)
        XCTAssertEqual(created.status, 201)
        let billId = try XCTUnwrap(created.json["id"]?.string)
        XCTAssertEqual(created.json["totalAmount"]?.decimal, dec("2467.2"))
        XCTAssertEqual(created.json["amountDue"]?.decimal, dec("2467.2"))

        let payment: SandboxJSON = [
            "amount": .number(dec("1000.10")), "date": "2023-05-01T00:00:00",
            "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"], "reference": "part 1",
        ]
        let first = try await client.post(xero.payables + "/bills/\(billId)/payment", payment)
        XCTAssertEqual(first.status, 201)
        XCTAssertEqual(first.json["amount"]?.decimal, dec("1000.1"))
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.status, "PartiallyPaid")
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("1467.1"))

        // More than due, nothing, a negative amount, an unknown bill: 400, nothing changes.
        var tooMuch = payment
        tooMuch["amount"] = .number(dec("1467.11"))
        let response3 = try await client.post(xero.payables + "/bills/\(billId)/payment", tooMuch)
        XCTAssertEqual(response3.status, 400)
        var zero = payment
        zero["amount"] = 0
        let response4 = try await client.post(xero.payables + "/bills/\(billId)/payment", zero)
        XCTAssertEqual(response4.status, 400)
        var negative = payment
        negative["amount"] = -5
        let response5 = try await client.post(xero.payables + "/bills/\(billId)/payment", negative)
        XCTAssertEqual(response5.status, 400)
        let response6 = try await client.post(xero.payables + "/bills/no-such-bill/payment", payment)
        XCTAssertEqual(response6.status, 400)
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("1467.1"))

        // An account in another currency needs a currencyRate.
        var euro = payment
        euro["amount"] = 100
        let eurId = try await eurAccount(client, xero)
        euro["accountRef"] = ["id": .string(eurId)]
        let noRate = try await client.post(xero.payables + "/bills/\(billId)/payment", euro)
        XCTAssertEqual(noRate.status, 400)
        XCTAssertTrue(noRate.json["error"]?.string?.contains("currencyRate") ?? false)
        euro["currencyRate"] = .number(dec("1.17"))
        let response7 = try await client.post(xero.payables + "/bills/\(billId)/payment", euro)
        XCTAssertEqual(response7.status, 201)

        // The rest: Paid, and no longer listed as outstanding.
        var rest = payment
        rest["amount"] = .number(dec("1367.1"))
        let response8 = try await client.post(xero.payables + "/bills/\(billId)/payment", rest)
        XCTAssertEqual(response8.status, 201)
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.status, "Paid")
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, 0)
        let after = try await client.get(xero.payables + "/bills").json.results
        XCTAssertFalse(after.contains { $0["id"]?.string == billId })
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .sync).count, 3)
        // The v1 API reads Codat's cache: the bill made through the sync API is there after a
        // refresh of bills (CODAT-FACTS.md §2), and then shows its payments.
        let answer1 = try await client.get(xero.data + "/bills/\(billId)").status
        XCTAssertEqual(answer1, 404)
        try sandbox.refresh(companyId: xero.id, dataType: "bills", immediately: true)
        let response9 = try await client.get(xero.data + "/bills/\(billId)")
        XCTAssertEqual(response9.json["status"]?.string, "Paid")
    }

    func testCreateBillNeedsAnExistingSupplierAndAccounts() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let qbo = try XCTUnwrap(sandbox.company(.quickBooksOnline))
        var bill: SandboxJSON = [
            "supplierRef": ["id": "no-such-supplier"], "issueDate": "2024-01-01", "dueDate": "2024-02-01", "currency": "USD",
            "lineItems": [["unitAmount": 10, "quantity": 2, "taxAmount": 0, "accountRef": ["id": "7"]]], "status": "Open",
        ]
        let response10 = try await client.post(qbo.payables + "/bills", bill)
        XCTAssertEqual(response10.status, 400)
        let supplier = try await client.post(qbo.payables + "/suppliers", ["supplierName": "New Supplier", "status": "Active", "defaultCurrency": "USD"])
        XCTAssertEqual(supplier.status, 201)
        bill["supplierRef"] = ["id": supplier.json["id"] ?? .null]
        bill["lineItems"] = [["unitAmount": 10, "quantity": 2, "taxAmount": 0, "accountRef": ["id": "999"]]]
        let unknownAccount = try await client.post(qbo.payables + "/bills", bill)
        XCTAssertEqual(unknownAccount.status, 400)
        XCTAssertEqual(unknownAccount.json["validation"]?["errors"]?[0]?["itemId"]?.string, "lineItems[0].accountRef.id")
        bill["lineItems"] = [["unitAmount": 10, "quantity": 2, "taxAmount": 0, "accountRef": ["id": "7"]]]
        let created = try await client.post(qbo.payables + "/bills", bill)
        XCTAssertEqual(created.status, 201)
        XCTAssertEqual(created.json["totalAmount"], 20)
        XCTAssertEqual(created.json["supplierRef"]?["supplierName"]?.string, "New Supplier")

        // Update keeps the id; the supplier list pages by continuation token too.
        bill["reference"] = "updated"
        let id = try XCTUnwrap(created.json["id"]?.string)
        let updated = try await client.send("PUT", qbo.payables + "/bills/\(id)", json: bill)
        XCTAssertEqual(updated.status, 200)
        XCTAssertEqual(updated.json["reference"]?.string, "updated")
        let response11 = try await client.send("PUT", qbo.payables + "/bills/nope", json: bill)
        XCTAssertEqual(response11.status, 404)
        let suppliers = try await client.get(qbo.payables + "/suppliers?query=" + encoded("supplierName=New Supplier")).json.results
        XCTAssertEqual(suppliers.count, 1)
    }

    func testMappingOptionsAndBankAccounts() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        for integration in SandboxIntegration.allCases {
            let company = try XCTUnwrap(sandbox.company(integration))
            let payments = try await client.get(company.payables + "/mappingOptions/payments").json
            let banks = payments["bankAccounts"]?.array ?? []
            XCTAssertGreaterThan(Set(banks.compactMap { $0["currency"]?.string }).count, 1, "\(integration): payment accounts in several currencies")
            XCTAssertTrue(banks.allSatisfy { $0["accountType"]?.string != nil }, "\(integration)")
            let bills = try await client.get(company.payables + "/mappingOptions/bills").json
            XCTAssertFalse(bills["accounts"]?.array?.isEmpty ?? true, "\(integration)")
            XCTAssertTrue(bills["accounts"]?.array?.allSatisfy { $0["type"]?.string != nil } ?? false, "\(integration)")
        }
        let sage = try XCTUnwrap(sandbox.company(.sageIntacct))
        let created = try await client.post(
            sage.payables + "/bankAccounts",
            ["name": "Payables EUR", "accountType": "Debit", "currency": "EUR", "nominalCode": "1099", "accountNumber": "123", "sortCode": "40-00-00"])
        XCTAssertEqual(created.status, 201)
        XCTAssertEqual(created.json["status"]?.string, "Active")
        let banks = try await client.get(sage.payables + "/mappingOptions/payments").json["bankAccounts"]?.array ?? []
        XCTAssertTrue(banks.contains { $0["id"] == created.json["id"] && $0["currency"]?.string == "EUR" })
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let response12 = try await client.post(xero.payables + "/bankAccounts", ["name": "Card", "accountType": "Credit", "currency": "GBP"])
        XCTAssertEqual(response12.status, 400)
        let info = try await client.get(xero.payables + "/info").json
        XCTAssertEqual(info["baseCurrency"]?.string, "GBP")
    }

    private func eurAccount(_ client: TestClient, _ company: SandboxCompany) async throws -> String {
        let banks = try await client.get(company.payables + "/mappingOptions/payments").json["bankAccounts"]?.array ?? []
        return try XCTUnwrap(banks.first { $0["currency"]?.string == "EUR" }?["id"]?.string)
    }
}

/// Companies and connections (the same in both documents) and the control API.
final class CompanyAndControlTests: XCTestCase {
    func testCreateCompanyAndConnection() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let created = try await client.post("/companies", ["name": "Toft (stores)", "description": "New customer", "tags": ["region": "uk"]])
        XCTAssertEqual(created.status, 200)
        let companyId = try XCTUnwrap(created.json["id"]?.string)
        XCTAssertEqual(created.json["name"]?.string, "Toft stores", "forbidden characters removed")
        XCTAssertEqual(created.json["dataConnections"]?.array?.count, 0)

        let connection = try await client.post("/companies/\(companyId)/connections", ["platformKey": "gbol"])
        XCTAssertEqual(connection.status, 200)
        XCTAssertEqual(connection.json["platformName"]?.string, "Xero")
        XCTAssertEqual(connection.json["status"]?.string, "PendingAuth")
        let connectionId = try XCTUnwrap(connection.json["id"]?.string)
        let listed = try await client.get("/companies/\(companyId)/connections").json
        XCTAssertEqual(listed.results.compactMap { $0["id"]?.string }, [connectionId])
        let unlinked = try await client.send("PATCH", "/companies/\(companyId)/connections/\(connectionId)", json: ["status": "Unlinked"])
        XCTAssertEqual(unlinked.json["status"]?.string, "Unlinked")

        // An empty company still takes suppliers and bills.
        let payables = "/companies/\(companyId)/connections/\(connectionId)/payables"
        let supplier = try await client.post(payables + "/suppliers", ["supplierName": "First", "status": "Active"])
        XCTAssertEqual(supplier.status, 201)
        let bills = try await client.get(payables + "/bills").json
        XCTAssertEqual(bills.results.count, 0)

        let renamed = try await client.send("PATCH", "/companies/\(companyId)", json: ["name": "Toft stores UK"])
        XCTAssertEqual(renamed.json["name"]?.string, "Toft stores UK")
        let replaced = try await client.send("PUT", "/companies/\(companyId)", json: ["name": "Toft"])
        XCTAssertEqual(replaced.json["name"]?.string, "Toft")
        XCTAssertEqual(sandbox.companies.count, 6)
        let deleted = try await client.send("DELETE", "/companies/\(companyId)")
        XCTAssertEqual(deleted.status, 204)
        let gone = try await client.get("/companies/\(companyId)")
        XCTAssertEqual(gone.status, 404)
        let badKey = try await client.post("/companies/\(sandbox.company(.xero)!.id)/connections", ["platformKey": "x"])
        XCTAssertEqual(badKey.status, 400)
    }

    func testControlAPI() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox, authorization: nil)
        let info = try await client.get("/_sandbox").json
        XCTAssertEqual(info["companies"]?.array?.count, 5)
        XCTAssertEqual(info["companies"]?[0]?["platformName"]?.string, "Xero")

        let delay = try await client.send("PUT", "/_sandbox/push-delay", json: ["milliseconds": 25])
        XCTAssertEqual(delay.status, 200)
        XCTAssertEqual(sandbox.pushDelay, .milliseconds(25))
        let result1 = try await client.get("/_sandbox/push-delay")
        XCTAssertEqual(result1.json["milliseconds"], 25)

        let xero = try XCTUnwrap(sandbox.company(.xero))
        let bills = try await client.get("/_sandbox/companies/\(xero.id)/bills").json
        XCTAssertEqual(bills.array?.count, sandbox.records(.bills, companyId: xero.id).count)
        let bill = try await client.get("/_sandbox/companies/\(xero.id)/bills/59978bef-af2f-4a7e-9728-4997597c0980").json
        XCTAssertEqual(bill["amountDue"]?.decimal, dec("135.85"))
        let result2 = try await client.get("/_sandbox/companies/\(xero.id)/nothing")
        XCTAssertEqual(result2.status, 404)
        XCTAssertTrue(sandbox.recordedRequests.isEmpty, "the control API is not recorded")
    }
}
