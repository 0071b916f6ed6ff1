import CodatSandbox
import Foundation
import XCTest

/// The seed data: enough to demonstrate payments, and every record fits both documents' models.
final class SeedTests: XCTestCase {
    func testEveryCompanyHasOutstandingBillsInSeveralCurrenciesAndSuppliers() async throws {
        let sandbox = try await startSandbox()
        XCTAssertEqual(sandbox.companies.map(\.integration), SandboxIntegration.allCases)
        for company in sandbox.companies {
            let outstanding = sandbox.records(.bills, companyId: company.id).filter {
                ["Open", "PartiallyPaid"].contains($0["status"]?.string)
            }
            XCTAssertGreaterThanOrEqual(outstanding.filter { $0["status"]?.string == "Open" }.count, 4, company.name)
            XCTAssertGreaterThanOrEqual(outstanding.filter { $0["status"]?.string == "PartiallyPaid" }.count, 2, company.name)
            XCTAssertGreaterThanOrEqual(Set(outstanding.compactMap { $0["currency"]?.string }).count, 2, company.name)
            XCTAssertGreaterThanOrEqual(Set(outstanding.compactMap { $0["supplierRef"]?["id"]?.string }).count, 3, company.name)
            for bill in outstanding {
                let total = try XCTUnwrap(bill["totalAmount"]?.decimal)
                let due = try XCTUnwrap(bill["amountDue"]?.decimal)
                XCTAssertTrue(due > 0 && due <= total, "\(company.name) \(bill["id"]?.string ?? "")")
            }
        }
    }

    /// Every stored record goes out through the generated models of both documents (a
    /// record that does not fit would answer 500).
    func testEverySeededRecordProjectsThroughBothAPIs() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(extraBills: 5))
        let client = TestClient(sandbox)
        for company in sandbox.companies {
            let all = encoded("status!=nothing")
            let bills = try await client.get(company.payables + "/bills?pageSize=5000&query=" + all)
            XCTAssertEqual(bills.status, 200, "\(company.name): \(bills.json)")
            XCTAssertEqual(bills.json.results.count, sandbox.records(.bills, companyId: company.id).count)
            let suppliers = try await client.get(company.payables + "/suppliers?pageSize=5000")
            XCTAssertEqual(suppliers.status, 200, "\(company.name): \(suppliers.json)")
            for kind in ["bills", "suppliers", "accounts", "billCreditNotes", "billPayments", "paymentMethods", "taxRates", "trackingCategories"] {
                let list = try await client.get(company.data + "/\(kind)?pageSize=5000")
                XCTAssertEqual(list.status, 200, "\(company.name) \(kind): \(list.json)")
            }
            for kind in ["bills", "payments"] {
                let options = try await client.get(company.payables + "/mappingOptions/\(kind)")
                XCTAssertEqual(options.status, 200, "\(company.name) \(kind): \(options.json)")
            }
        }
    }

    /// The guides' payment payloads name bills, accounts and credit notes that exist, with
    /// amounts that make the valid ones succeed.
    func testTheGuidesPaymentsSucceedAgainstTheSeed() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let cases: [(SandboxIntegration, SandboxJSON)] = [
            (.xero, ["supplierRef": ["id": "dec56ceb-65e9-43b3-ac98-7fe09eb37e31"], "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"],
                     "totalAmount": .number(dec("244.45")), "currency": "GBP", "date": "2023-04-17T00:00:00",
                     "lines": [["amount": .number(dec("135.85")), "links": [["type": "Bill", "id": "59978bef-af2f-4a7e-9728-4997597c0980", "amount": .number(dec("-135.85"))]]],
                               ["amount": .number(dec("108.6")), "links": [["type": "Bill", "id": "2175c381-d323-4e20-8c94-7680ea7f85d3", "amount": .number(dec("-108.6"))]]]]]),
            (.xero, ["accountRef": ["id": "d96ffd74-2394-4666-81c4-eebb76e51e21"], "totalAmount": 6, "date": "2022-09-06T00:00:00",
                     "lines": [["amount": 1, "links": [["type": "Bill", "id": "0394819c-b784-454d-991c-c4711b9aca12", "amount": -1]]],
                               ["amount": 2, "links": [["type": "Bill", "id": "428e3e38-e8fb-4c56-91b5-dd09dc2e6505", "amount": -2]]],
                               ["amount": 3, "links": [["type": "Bill", "id": "76129542-2b2f-482f-b2b3-e612d9c1ba08", "amount": -3]]]]]),
            (.quickBooksOnline, ["supplierRef": ["id": "87"], "accountRef": ["id": "35"], "totalAmount": 0, "currency": "GBP", "date": "2023-05-09T00:00:00",
                                 "lines": [["amount": 0, "links": [["type": "Bill", "id": "328", "amount": -100], ["type": "CreditNote", "id": "308", "amount": 100]]]]]),
            (.netSuite, ["supplierRef": ["id": "727"], "accountRef": ["id": "854"], "totalAmount": 2, "currency": "GBP", "date": "2023-04-17T00:00:00", "reference": "location-5",
                         "lines": [["amount": 2, "links": [["type": "Bill", "id": "288274", "amount": -1], ["type": "Bill", "id": "287594", "amount": -1]]]]]),
            (.sageIntacct, ["supplierRef": ["id": "3"], "accountRef": ["id": "360"], "totalAmount": 45, "currency": "USD", "date": "2023-05-09T00:00:00",
                            "paymentMethodRef": ["id": "6", "name": "Cash"],
                            "lines": [["amount": 45, "links": [["type": "Bill", "id": "26572", "amount": -405], ["type": "CreditNote", "id": "26573", "amount": 360]]]]]),
            (.myob, ["supplierRef": ["id": "0749b9a9-4fd1-4d5e-ae5f-7de3887c933a"], "accountRef": ["id": "161904cc-c2be-4cd7-afbd-ccd304473216"],
                     "totalAmount": 105, "currency": "AUD", "date": "2023-04-17T00:00:00",
                     "lines": [["amount": 5, "links": [["type": "Bill", "id": "cd5029ae-5548-4bd0-ae9e-bb572d40349d", "amount": -5]]],
                               ["amount": 100, "links": [["type": "Bill", "id": "edaff6be-43c2-4f1d-9511-11605ae310f0", "amount": -100]]]]]),
        ]
        for (integration, payment) in cases {
            let company = try XCTUnwrap(sandbox.company(integration))
            let pushed = try await client.post(company.push + "/billPayments", payment)
            XCTAssertEqual(pushed.json["status"]?.string, "Success", "\(integration): \(pushed.json["validation"] ?? .null)")
        }
    }
}
