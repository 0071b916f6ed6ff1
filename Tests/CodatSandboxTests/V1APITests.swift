import CodatSandbox
import Foundation
import XCTest

/// The asynchronous API: data endpoints, options, push operations.
final class V1APITests: XCTestCase {
    func testPushIsPendingThenSucceedsAndChangesTheBills() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .milliseconds(400)))
        let client = TestClient(sandbox)
        let qbo = try XCTUnwrap(sandbox.company(.quickBooksOnline))
        // The guides' QuickBooks Online payment of bills 302 and 303 (one line, two links).
        let payment: SandboxJSON = [
            "supplierRef": ["id": "77", "supplierName": "AtoB"], "accountRef": ["id": "122"], "totalAmount": 2500,
            "currency": "USD", "currencyRate": 1, "date": "2023-04-17T00:00:00", "reference": "1",
            "lines": [
                [
                    "amount": 2500,
                    "links": [
                        ["type": "Bill", "id": "302", "amount": -1200, "currencyRate": 1],
                        ["type": "Bill", "id": "303", "amount": -1300, "currencyRate": 1],
                    ],
                ]
            ],
        ]
        let pushed = try await client.post(qbo.push + "/billPayments", payment)
        XCTAssertEqual(pushed.status, 200)
        XCTAssertEqual(pushed.json["status"]?.string, "Pending")
        XCTAssertEqual(pushed.json["dataType"]?.string, "billPayments")
        XCTAssertEqual(pushed.json["companyId"]?.string, qbo.id)
        XCTAssertEqual(pushed.json["dataConnectionKey"]?.string, qbo.connectionId)
        XCTAssertNotNil(pushed.json["requestedOnUtc"]?.string)
        XCTAssertNil(pushed.json["data"], "no data on push operations since 2024-01-10 (CODAT-FACTS.md §2)")
        let key = try XCTUnwrap(pushed.json["pushOperationKey"]?.string)

        // Still pending: nothing changed yet.
        let pending = try await client.get("/companies/\(qbo.id)/push/\(key)").json
        XCTAssertEqual(pending["status"]?.string, "Pending")
        XCTAssertEqual(sandbox.bill("302", companyId: qbo.id)?.amountDue, 1200)

        let succeeded = try await eventually {
            try await client.get("/companies/\(qbo.id)/push/\(key)").json["status"]?.string == "Success"
        }
        XCTAssertTrue(succeeded)
        let done = try await client.get("/companies/\(qbo.id)/push/\(key)").json
        XCTAssertEqual(done["statusCode"], 200)
        XCTAssertNotNil(done["completedOnUtc"]?.string)
        let paymentId = try XCTUnwrap(done["changes"]?[0]?["recordRef"]?["id"]?.string)
        XCTAssertEqual(done["changes"]?[0]?["type"]?.string, "Created")

        // v1 reads show Codat's cache: the payment and its effect appear after a refresh (facts §2).
        let answer1 = try await client.get(qbo.data + "/billPayments/\(paymentId)").status
        XCTAssertEqual(answer1, 404)
        let answer2 = try await client.get(qbo.data + "/bills/302").json["status"]?.string
        XCTAssertEqual(answer2, "Open")
        try sandbox.refresh(companyId: qbo.id, immediately: true)
        for id in ["302", "303"] {
            let bill = try await client.get(qbo.data + "/bills/\(id)").json
            XCTAssertEqual(bill["status"]?.string, "Paid", id)
            XCTAssertEqual(bill["amountDue"], 0, id)
        }
        let stored = try await client.get(qbo.data + "/billPayments/\(paymentId)")
        XCTAssertEqual(stored.status, 200)
        XCTAssertEqual(stored.json["totalAmount"], 2500)
        XCTAssertTrue(sandbox.billPayments(companyId: qbo.id, api: .v1).contains { $0["id"]?.string == paymentId })

        let list = try await client.get("/companies/\(qbo.id)/push?query=" + encoded("status=Success")).json
        XCTAssertTrue(list.results.contains { $0["pushOperationKey"]?.string == key })

        // Deleting the payment gives the amounts back.
        let deleted = try await client.send("DELETE", qbo.push + "/billPayments/\(paymentId)", headers: ["X-Sandbox-Push-Delay-Ms": "0"])
        XCTAssertEqual(deleted.json["status"]?.string, "Success")
        XCTAssertEqual(sandbox.bill("302", companyId: qbo.id)?.amountDue, 1200)
        XCTAssertEqual(sandbox.bill("302", companyId: qbo.id)?.status, "Open")
    }

    func testCreditNoteAllocationLowersRemainingCreditAndPartialPayment() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let netsuite = try XCTUnwrap(sandbox.company(.netSuite))
        // The guides' NetSuite allocation: bill 8 (120) paid with credit note 462792 (10) and 110 of money.
        let payment: SandboxJSON = [
            "supplierRef": ["id": "727"], "accountRef": ["id": "854"], "totalAmount": 110, "currency": "GBP",
            "date": "2023-05-09T00:00:00",
            "lines": [["amount": 110, "links": [["type": "Bill", "id": "8", "amount": -120], ["type": "CreditNote", "id": "462792", "amount": 10]]]],
        ]
        let pushed = try await client.post(netsuite.push + "/billPayments", payment)
        XCTAssertEqual(pushed.json["status"]?.string, "Success", "\(pushed.json)")
        XCTAssertEqual(sandbox.bill("8", companyId: netsuite.id)?.status, "Paid")
        // Read through v1 after a refresh (CODAT-FACTS.md §2).
        try sandbox.refresh(companyId: netsuite.id, dataType: "billCreditNotes", immediately: true)
        let note = try await client.get(netsuite.data + "/billCreditNotes/462792").json
        XCTAssertEqual(note["remainingCredit"], 0)
        XCTAssertEqual(note["status"]?.string, "Paid")

        // A partial payment leaves the bill PartiallyPaid.
        let partial: SandboxJSON = [
            "supplierRef": ["id": "727"], "accountRef": ["id": "854"], "totalAmount": 20, "currency": "GBP", "date": "2023-05-10",
            "lines": [["amount": 20, "links": [["type": "Bill", "id": "288274", "amount": -20]]]],
        ]
        let partialPush = try await client.post(netsuite.push + "/billPayments", partial)
        XCTAssertEqual(partialPush.json["status"]?.string, "Success")
        XCTAssertEqual(sandbox.bill("288274", companyId: netsuite.id)?.status, "PartiallyPaid")
        XCTAssertEqual(sandbox.bill("288274", companyId: netsuite.id)?.amountDue, 28)
    }

    func testFailedPushReportsValidationErrors() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .milliseconds(50)))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        // The guides' Xero allocation example: totalAmount 0, a line of 45 whose links sum to 0.
        let example: SandboxJSON = [
            "supplierRef": ["id": "3a0d40a2-2698-4cf5-b7b2-30133c632ab6"], "accountRef": ["id": "94b02f61-f95f-4873-b5b7-651ff9707325"],
            "totalAmount": 0, "currency": "GBP", "date": "2023-05-09T00:00:00",
            "lines": [
                [
                    "amount": 45,
                    "links": [
                        ["type": "Bill", "id": "8e65df54-4bbd-41f3-b241-8da2588be341", "amount": .number(dec("-25.44"))],
                        ["type": "CreditNote", "id": "ee8bec08-2be8-40ba-acd0-d53d5df11235", "amount": .number(dec("25.44"))],
                    ],
                ]
            ],
        ]
        let pushed = try await client.post(xero.push + "/billPayments", example)
        XCTAssertEqual(pushed.json["status"]?.string, "Pending")
        let key = try XCTUnwrap(pushed.json["pushOperationKey"]?.string)
        let failed = try await eventually { try await client.get("/companies/\(xero.id)/push/\(key)").json["status"]?.string == "Failed" }
        XCTAssertTrue(failed)
        let operation = try await client.get("/companies/\(xero.id)/push/\(key)").json
        XCTAssertEqual(operation["statusCode"], 400)
        XCTAssertNotNil(operation["errorMessage"]?.string)
        let errors = operation["validation"]?["errors"]?.array ?? []
        XCTAssertEqual(Set(errors.compactMap { $0["itemId"]?.string }), ["totalAmount", "lines[0].amount"])
        XCTAssertEqual(sandbox.bill("8e65df54-4bbd-41f3-b241-8da2588be341", companyId: xero.id)?.amountDue, dec("70.44"))

        // Fixed as the rules want (credit note 25.44 and 45 of money for the 70.44 bill): Success.
        var fixed = example
        fixed["totalAmount"] = 45
        fixed["lines"] = [
            [
                "amount": 45,
                "links": [
                    ["type": "Bill", "id": "8e65df54-4bbd-41f3-b241-8da2588be341", "amount": .number(dec("-70.44"))],
                    ["type": "CreditNote", "id": "ee8bec08-2be8-40ba-acd0-d53d5df11235", "amount": .number(dec("25.44"))],
                ],
            ]
        ]
        let fixedPush = try await client.send("POST", xero.push + "/billPayments", json: fixed, headers: ["X-Sandbox-Push-Delay-Ms": "0"])
        XCTAssertEqual(fixedPush.json["status"]?.string, "Success", "\(fixedPush.json)")
        XCTAssertEqual(sandbox.bill("8e65df54-4bbd-41f3-b241-8da2588be341", companyId: xero.id)?.status, "Paid")

        // Unknown bill, paying more than due.
        let unknown: SandboxJSON = [
            "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"], "totalAmount": 5, "date": "2023-05-09",
            "lines": [["amount": 5, "links": [["type": "Bill", "id": "no-such-bill", "amount": -5]]]],
        ]
        let unknownPush = try await client.send("POST", xero.push + "/billPayments", json: unknown, headers: ["X-Sandbox-Push-Delay-Ms": "0"])
        XCTAssertEqual(unknownPush.json["status"]?.string, "Failed")
        XCTAssertEqual(unknownPush.json["validation"]?["errors"]?[0]?["validatorName"]?.string, "BillExists")
        let tooMuch: SandboxJSON = [
            "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"], "totalAmount": 200, "date": "2023-05-09",
            "supplierRef": ["id": "dec56ceb-65e9-43b3-ac98-7fe09eb37e31"],
            "lines": [["amount": 200, "links": [["type": "Bill", "id": "59978bef-af2f-4a7e-9728-4997597c0980", "amount": -200]]]],
        ]
        let tooMuchPush = try await client.send("POST", xero.push + "/billPayments", json: tooMuch, headers: ["X-Sandbox-Push-Delay-Ms": "0"])
        XCTAssertEqual(tooMuchPush.json["status"]?.string, "Failed")
        XCTAssertEqual(tooMuchPush.json["validation"]?["errors"]?[0]?["validatorName"]?.string, "AmountDue")
    }

    func testIntegrationLimits() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        // Sage Intacct needs a payment method.
        let sage = try XCTUnwrap(sandbox.company(.sageIntacct))
        var sagePayment: SandboxJSON = [
            "supplierRef": ["id": "15"], "accountRef": ["id": "84"], "totalAmount": 30000, "currency": "USD", "date": "2023-04-17",
            "lines": [
                ["amount": 15000, "links": [["type": "Bill", "id": "26492", "amount": -15000]]],
                ["amount": 15000, "links": [["type": "Bill", "id": "26493", "amount": -15000]]],
            ],
        ]
        let noMethod = try await client.post(sage.push + "/billPayments", sagePayment)
        XCTAssertEqual(noMethod.json["status"]?.string, "Failed")
        sagePayment["paymentMethodRef"] = ["id": "6"]
        let withMethod = try await client.post(sage.push + "/billPayments", sagePayment)
        XCTAssertEqual(withMethod.json["status"]?.string, "Success", "\(withMethod.json)")

        // QuickBooks Online allocates credit notes in full only.
        let qbo = try XCTUnwrap(sandbox.company(.quickBooksOnline))
        let partialCredit: SandboxJSON = [
            "supplierRef": ["id": "87"], "accountRef": ["id": "35"], "totalAmount": 0, "currency": "GBP", "date": "2023-05-09",
            "lines": [["amount": 0, "links": [["type": "Bill", "id": "328", "amount": -60], ["type": "CreditNote", "id": "308", "amount": 60]]]],
        ]
        let partial = try await client.post(qbo.push + "/billPayments", partialCredit)
        XCTAssertEqual(partial.json["status"]?.string, "Failed")
        XCTAssertEqual(partial.json["validation"]?["errors"]?[0]?["validatorName"]?.string, "IntegrationLimit")

        // Xero cannot create credit bank accounts; Sage Intacct creates bank accounts through create-account.
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let card = try await client.post(xero.push + "/bankAccounts", ["accountName": "Card", "accountType": "Credit", "currency": "GBP"])
        XCTAssertEqual(card.json["status"]?.string, "Failed")
        let debit = try await client.post(xero.push + "/bankAccounts", ["accountName": "Payables USD", "accountType": "Debit", "currency": "USD"])
        XCTAssertEqual(debit.json["status"]?.string, "Success")
        let accountId = try XCTUnwrap(debit.json["changes"]?[0]?["recordRef"]?["id"]?.string)
        try sandbox.refresh(companyId: xero.id, dataType: "bankAccounts", immediately: true)  // CODAT-FACTS.md §2
        let account = try await client.get(xero.data + "/accounts/\(accountId)").json
        XCTAssertEqual(account["isBankAccount"]?.bool, true)
        XCTAssertEqual(account["currency"]?.string, "USD")
        let sageAccount = try await client.post(
            sage.push + "/accounts",
            ["name": "Payables clearing", "type": "Asset", "currency": "USD", "isBankAccount": true, "status": "Active"])
        XCTAssertEqual(sageAccount.json["status"]?.string, "Success")
    }

    func testBillsCreditNotesAndSuppliersThroughPush() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let myob = try XCTUnwrap(sandbox.company(.myob))
        let supplier = try await client.post(myob.push + "/suppliers", ["supplierName": "Wattle Paper", "status": "Active", "defaultCurrency": "AUD"])
        let supplierId = try XCTUnwrap(supplier.json["changes"]?[0]?["recordRef"]?["id"]?.string)
        let bill: SandboxJSON = [
            "supplierRef": ["id": .string(supplierId)], "issueDate": "2024-03-01T00:00:00", "dueDate": "2024-03-31T00:00:00",
            "currency": "AUD", "status": "Open", "subTotal": 100, "taxAmount": 10, "totalAmount": 110,
            "lineItems": [["description": "Paper", "unitAmount": 100, "quantity": 1, "taxAmount": 10, "totalAmount": 110, "accountRef": ["id": "f04d046b-0137-4d95-8af7-ed9fef1a4ba3"]]],
        ]
        let created = try await client.post(myob.push + "/bills", bill)
        XCTAssertEqual(created.json["status"]?.string, "Success", "\(created.json)")
        let billId = try XCTUnwrap(created.json["changes"]?[0]?["recordRef"]?["id"]?.string)
        XCTAssertNil(created.json["data"], "CODAT-FACTS.md §2: no data on push operations")
        // Not in Codat's cache until bills are refreshed (facts §2).
        let answer3 = try await client.get(myob.data + "/bills/\(billId)").status
        XCTAssertEqual(answer3, 404)
        try sandbox.refresh(companyId: myob.id, dataType: "bills", immediately: true)
        let stored = try await client.get(myob.data + "/bills/\(billId)").json
        XCTAssertEqual(stored["amountDue"], 110)
        // The same bill through the synchronous API.
        let syncList = try await client.get(myob.payables + "/bills?query=" + encoded("supplierRef.id=\(supplierId)")).json
        XCTAssertEqual(syncList.results.map { $0["id"]?.string }, [billId])

        var updated = bill
        updated["reference"] = "PAPER-1"
        let update = try await client.send("PUT", myob.push + "/bills/\(billId)", json: updated)
        XCTAssertEqual(update.json["status"]?.string, "Success")
        XCTAssertEqual(sandbox.record(.bills, id: billId, companyId: myob.id)?["reference"]?.string, "PAPER-1")

        let note: SandboxJSON = [
            "supplierRef": ["id": .string(supplierId)], "totalAmount": 20, "totalDiscount": 0, "subTotal": 20, "totalTaxAmount": 0,
            "discountPercentage": 0, "status": "Submitted", "currency": "AUD", "issueDate": "2024-03-02",
        ]
        let createdNote = try await client.post(myob.push + "/billCreditNotes", note)
        XCTAssertEqual(createdNote.json["status"]?.string, "Success")
        let noteId = try XCTUnwrap(createdNote.json["changes"]?[0]?["recordRef"]?["id"]?.string)
        try sandbox.refresh(companyId: myob.id, dataType: "billCreditNotes", immediately: true)
        let result1 = try await client.get(myob.data + "/billCreditNotes/\(noteId)")
        XCTAssertEqual(result1.json["remainingCredit"], 20)
        // MYOB cannot allocate credit notes yet.
        let allocation: SandboxJSON = [
            "supplierRef": ["id": .string(supplierId)], "accountRef": ["id": "161904cc-c2be-4cd7-afbd-ccd304473216"], "totalAmount": 90,
            "currency": "AUD", "date": "2024-03-05",
            "lines": [["amount": 90, "links": [["type": "Bill", "id": .string(billId), "amount": -110], ["type": "CreditNote", "id": .string(noteId), "amount": 20]]]],
        ]
        let allocated = try await client.post(myob.push + "/billPayments", allocation)
        XCTAssertEqual(allocated.json["status"]?.string, "Failed")

        let deleted = try await client.send("DELETE", myob.push + "/bills/\(billId)")
        XCTAssertEqual(deleted.json["status"]?.string, "Success")
        let answer4 = try await client.get(myob.data + "/bills/\(billId)").status
        XCTAssertEqual(answer4, 200, "still cached")
        try sandbox.refresh(companyId: myob.id, dataType: "bills", immediately: true)
        let result2 = try await client.get(myob.data + "/bills/\(billId)")
        XCTAssertEqual(result2.status, 404)
        let deletedAgain = try await client.send("DELETE", myob.push + "/bills/\(billId)")
        XCTAssertEqual(deletedAgain.json["status"]?.string, "Failed")
    }

    func testDataEndpointsOptionsAndCompanyInfo() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        for integration in SandboxIntegration.allCases {
            let company = try XCTUnwrap(sandbox.company(integration))
            for kind in ["bills", "suppliers", "accounts", "billCreditNotes", "billPayments", "paymentMethods", "taxRates", "trackingCategories"] {
                let list = try await client.get(company.data + "/\(kind)?pageSize=5000")
                XCTAssertEqual(list.status, 200, "\(integration) \(kind): \(list.json)")
                for record in list.json.results.prefix(3) {
                    let id = try XCTUnwrap(record["id"]?.string)
                    let one = try await client.get(company.data + "/\(kind)/\(encoded(id))")
                    XCTAssertEqual(one.status, 200, "\(integration) \(kind) \(id)")
                    XCTAssertEqual(one.json["id"]?.string, id)
                }
            }
            let connection = "/companies/\(company.id)/connections/\(company.connectionId!)/options"
            for kind in ["bills", "billPayments", "billCreditNotes", "suppliers", "chartOfAccounts", "bankAccounts"] {
                let option = try await client.get(connection + "/\(kind)")
                XCTAssertEqual(option.status, 200, "\(integration) \(kind)")
                XCTAssertNotNil(option.json["displayName"]?.string)
                XCTAssertNotNil(option.json["type"]?.string)
            }
            let info = try await client.get(company.data + "/info").json
            XCTAssertEqual(info["baseCurrency"]?.string, company.baseCurrency)
        }
    }
}
