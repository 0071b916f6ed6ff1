import CodatSandbox
import Foundation
import XCTest

/// The payment checks Codat makes (Validation/PaymentRules.swift), one test per rule, named
/// after it; each comment gives the source ([doc] the documents, [000]-[004] the guides).
final class PaymentRuleTests: XCTestCase {
    // Xero seed (base GBP): an Open GBP bill of supplier dec56ceb... with 135.85 due.
    private let bill = "59978bef-af2f-4a7e-9728-4997597c0980"
    private let supplier = "dec56ceb-65e9-43b3-ac98-7fe09eb37e31"
    private let gbpAccount = "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"
    private let usdAccount = "37c0d04b-3255-53bf-b260-20c977263232"
    private let eurAccount = "51c54e41-2bd2-5878-8bee-722ee5c51590"
    private let eurBill = "27cdf81f-c8f0-5dfe-be82-00704fbd28e7"
    private let paidBill = "3945273c-cc04-479f-a4b5-1e3dc7a55ed1"

    private func validators(_ result: HTTPResult) -> [String] {
        (result.json["validation"]?["errors"]?.array ?? []).compactMap { $0["validatorName"]?.string }
    }

    // MARK: Synchronous API

    private func paySync(_ client: TestClient, _ company: SandboxCompany, bill: String, amount: Decimal, account: String, rate: Decimal? = nil)
        async throws -> HTTPResult
    {
        var body: SandboxJSON = ["amount": .number(amount), "date": "2024-05-01", "accountRef": ["id": .string(account)]]
        if let rate { body["currencyRate"] = .number(rate) }
        return try await client.post(company.payables + "/bills/\(bill)/payment", body)
    }

    /// [001] a payment pays the bill in full or in part: more than zero, at most the amount due.
    func testSyncPaymentIsMoreThanZeroAndAtMostTheAmountDue() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let zero = try await paySync(client, xero, bill: bill, amount: 0, account: gbpAccount)
        XCTAssertEqual(validators(zero), ["Amount"])
        let tooMuch = try await paySync(client, xero, bill: bill, amount: dec("135.86"), account: gbpAccount)
        XCTAssertEqual(validators(tooMuch), ["AmountDue"])
        let part = try await paySync(client, xero, bill: bill, amount: 100, account: gbpAccount)
        XCTAssertEqual(part.status, 201)
        let rest = try await paySync(client, xero, bill: bill, amount: dec("35.85"), account: gbpAccount)
        XCTAssertEqual(rest.status, 201)
        XCTAssertEqual(sandbox.bill(bill, companyId: xero.id)?.status, "Paid")
    }

    /// [000] only outstanding bills (Open, PartiallyPaid) are paid.
    func testSyncPaymentOfABillThatIsNotOutstandingIsRefused() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let paid = try await paySync(client, xero, bill: paidBill, amount: 1, account: gbpAccount)
        XCTAssertEqual(paid.status, 400)
        XCTAssertEqual(validators(paid), ["BillStatus"])
    }

    /// [001]/[doc] accountRef is a payment account of the company.
    func testSyncPaymentFromAnUnknownAccountIsRefused() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let unknown = try await paySync(client, xero, bill: bill, amount: 1, account: "no-such-account")
        XCTAssertEqual(validators(unknown), ["AccountExists"])
    }

    /// [doc] currencyRate: "not possible ... with two or more non-base currencies".
    func testSyncPaymentInTwoNonBaseCurrenciesIsRefused() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let usdForEur = try await paySync(client, xero, bill: eurBill, amount: 10, account: usdAccount, rate: dec("1.08"))
        XCTAssertEqual(usdForEur.status, 400)
        XCTAssertEqual(validators(usdForEur), ["Currency"])
        let gbpForEur = try await paySync(client, xero, bill: eurBill, amount: 10, account: gbpAccount, rate: dec("0.85"))
        XCTAssertEqual(gbpForEur.status, 201, "the base currency is allowed: \(gbpForEur.json)")
        let eurForEur = try await paySync(client, xero, bill: eurBill, amount: 10, account: eurAccount)
        XCTAssertEqual(eurForEur.status, 201, "the bill's currency needs no rate")
    }

    /// [001] from an account in another currency, convert: the rate is needed; [doc] QBO uses 1 when it is left null.
    func testSyncForeignCurrencyPaymentNeedsARateExceptOnQuickBooksOnline() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let noRate = try await paySync(client, xero, bill: eurBill, amount: 10, account: gbpAccount)
        XCTAssertEqual(validators(noRate), ["Currency"])
        // QuickBooks Online (base USD): a GBP bill paid from a USD account with no rate is taken (QBO uses 1).
        let qbo = try XCTUnwrap(sandbox.company(.quickBooksOnline))
        let qboNoRate = try await paySync(client, qbo, bill: "403", amount: 10, account: "122")
        XCTAssertEqual(qboNoRate.status, 201, "\(qboNoRate.json)")
    }

    // MARK: Asynchronous API

    private var payment: SandboxJSON {
        [
            "supplierRef": ["id": .string(supplier)], "accountRef": ["id": .string(gbpAccount)], "totalAmount": 100, "currency": "GBP",
            "date": "2024-05-01", "lines": [["amount": 100, "links": [["type": "Bill", "id": .string(bill), "amount": -100]]]],
        ]
    }

    private func pushPayment(_ client: TestClient, _ company: SandboxCompany, _ body: SandboxJSON) async throws -> HTTPResult {
        try await client.send("POST", company.push + "/billPayments", json: body, headers: ["X-Sandbox-Push-Delay-Ms": "0"])
    }

    private func assertFails(_ body: SandboxJSON, with validator: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let result = try await pushPayment(client, xero, body)
        XCTAssertEqual(result.json["status"]?.string, "Failed", "\(result.json)", file: file, line: line)
        XCTAssertEqual(validators(result), [validator], "\(result.json)", file: file, line: line)
        XCTAssertEqual(sandbox.bill(bill, companyId: xero.id)?.amountDue, dec("135.85"), "nothing paid", file: file, line: line)
    }

    func testV1ValidPaymentSucceeds() async throws {
        let sandbox = try await startSandbox()
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let result = try await pushPayment(TestClient(sandbox), xero, payment)
        XCTAssertEqual(result.json["status"]?.string, "Success", "\(result.json)")
        XCTAssertEqual(sandbox.bill(bill, companyId: xero.id)?.amountDue, dec("35.85"))
    }

    /// [doc] "A totalAmount indicating the amount of the bill that was paid. This is always positive."
    func testV1TotalAmountIsNeverNegative() async throws {
        var body = payment
        body["totalAmount"] = -100
        body["lines"] = [["amount": -100, "links": [["type": "Bill", "id": .string(bill), "amount": 100]]]]
        let sandbox = try await startSandbox()
        let result = try await pushPayment(TestClient(sandbox), try XCTUnwrap(sandbox.company(.xero)), body)
        XCTAssertTrue(validators(result).contains("BillPaymentTotal"), "\(result.json)")
        XCTAssertTrue(validators(result).contains("BillPaymentLink"), "\(result.json)")
    }

    /// [doc] the lines' amounts add up to totalAmount.
    func testV1TotalAmountIsTheSumOfTheLines() async throws {
        var body = payment
        body["totalAmount"] = 90
        try await assertFails(body, with: "BillPaymentTotal")
    }

    /// [doc] a line's amount is minus the sum of its links' amounts.
    func testV1LineAmountIsMinusTheSumOfItsLinks() async throws {
        var body = payment
        body["lines"] = [["amount": 100, "links": [["type": "Bill", "id": .string(bill), "amount": -90]]]]
        try await assertFails(body, with: "BillPaymentLine")
    }

    /// [002] "supplierRef.id is the same id as the supplierRef.id of the bill".
    func testV1BillBelongsToThePaymentsSupplier() async throws {
        var body = payment
        body["supplierRef"] = ["id": "e4c9d0e2-c285-4e85-b579-6d28b180c730"]
        try await assertFails(body, with: "SupplierMatch")
    }

    /// [002] a batch payment across suppliers leaves supplierRef out.
    func testV1BatchPaymentWithoutSupplierRefSucceeds() async throws {
        var body = payment
        body["supplierRef"] = nil
        let sandbox = try await startSandbox()
        let result = try await pushPayment(TestClient(sandbox), try XCTUnwrap(sandbox.company(.xero)), body)
        XCTAssertEqual(result.json["status"]?.string, "Success", "\(result.json)")
    }

    /// [001]/[002] never more than the amount due.
    func testV1AllocationIsAtMostTheAmountDue() async throws {
        var body = payment
        body["totalAmount"] = 200
        body["lines"] = [["amount": 200, "links": [["type": "Bill", "id": .string(bill), "amount": -200]]]]
        try await assertFails(body, with: "AmountDue")
    }

    /// [doc] billPaymentLine.allocatedOnDate "must ... be later than the issue date of the bill".
    func testV1AllocationDateIsNotBeforeTheBillsIssueDate() async throws {
        var body = payment
        body["lines"] = [["amount": 100, "allocatedOnDate": "2023-01-01", "links": [["type": "Bill", "id": .string(bill), "amount": -100]]]]
        try await assertFails(body, with: "AllocatedOnDate")
    }

    /// [doc] currencyRate: the payment is in the bill's currency or the base currency.
    func testV1PaymentInTwoNonBaseCurrenciesIsRefused() async throws {
        var body = payment
        body["supplierRef"] = nil
        body["currency"] = "USD"
        body["currencyRate"] = .number(dec("1.2"))
        body["accountRef"] = ["id": .string(usdAccount)]
        body["lines"] = [["amount": 100, "links": [["type": "Bill", "id": .string(eurBill), "amount": -100]]]]
        let sandbox = try await startSandbox()
        let result = try await pushPayment(TestClient(sandbox), try XCTUnwrap(sandbox.company(.xero)), body)
        XCTAssertEqual(validators(result), ["Currency"], "\(result.json)")
    }

    /// [002] Xero: a credit note is allocated to a bill in full only.
    func testV1XeroAllocatesACreditNoteInFullOnly() async throws {
        let body: SandboxJSON = [
            "supplierRef": ["id": "3a0d40a2-2698-4cf5-b7b2-30133c632ab6"], "accountRef": ["id": .string(gbpAccount)], "totalAmount": 0,
            "currency": "GBP", "date": "2024-05-01",
            "lines": [["amount": 0, "links": [["type": "CreditNote", "id": "ee8bec08-2be8-40ba-acd0-d53d5df11235", "amount": 10], ["type": "Bill", "id": "no-bill", "amount": -10]]]],
        ]
        let sandbox = try await startSandbox()
        let result = try await pushPayment(TestClient(sandbox), try XCTUnwrap(sandbox.company(.xero)), body)
        XCTAssertEqual(Set(validators(result)), ["BillExists", "IntegrationLimit"], "\(result.json)")
    }
}
