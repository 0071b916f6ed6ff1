@testable import CodatSandbox
import Foundation
import XCTest

/// Every answer of the sandbox fits the response schema its document gives for the status,
/// checked with the same validator that checks requests: every operation of both documents
/// that the sandbox serves is called (successes and a few errors) and each answer is checked.
final class ResponseConformanceTests: XCTestCase {
    /// Sends requests, checks each answer against the document, notes which operations answered 2xx.
    private final class Checker: @unchecked Sendable {
        let sandbox: CodatSandbox
        let client: TestClient
        let validation: RequestValidation
        var covered: Set<String> = []
        var failures: [String] = []

        init(_ sandbox: CodatSandbox) throws {
            self.sandbox = sandbox
            client = TestClient(sandbox)
            validation = try XCTUnwrap(sandbox.core.requestValidation)
        }

        @discardableResult
        func send(_ method: String, _ target: String, json: SandboxJSON? = nil, body: Data? = nil, headers: [String: String] = [:])
            async throws -> HTTPResult
        {
            let result = try await client.send(method, target, json: json, body: body, headers: headers)
            let path = String(target.split(separator: "?", maxSplits: 1)[0])
            guard let route = sandbox.core.routes.route(method: method, path: path) else {
                failures.append("\(method) \(target): no route")
                return result
            }
            guard let violations = validation.responseViolations(route: route, status: result.status, body: result.body, contentType: result.header("Content-Type")) else {
                failures.append("\(route.qualifiedName) answered \(result.status), a status its document does not give")
                return result
            }
            if !violations.isEmpty {
                failures.append("\(route.qualifiedName) \(result.status): \(violations.map(\.description).joined(separator: "; "))")
            }
            if (200..<300).contains(result.status) { covered.insert(route.qualifiedName) }
            return result
        }
    }

    func testEveryBillPayOperationAnswersAsItsResponseSchemaSays() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero, refreshDuration: .zero))
        let check = try Checker(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let connection = try XCTUnwrap(xero.connectionId)
        let bill = "59978bef-af2f-4a7e-9728-4997597c0980"
        let supplier = "dec56ceb-65e9-43b3-ac98-7fe09eb37e31"
        let account = "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"
        let creditNote = "ee8bec08-2be8-40ba-acd0-d53d5df11235"

        // Companies and connections (both documents).
        try await check.send("GET", "/companies?page=1&pageSize=2&query=\(encoded("name!=nobody"))&orderBy=-name")
        let created = try await check.send("POST", "/companies", json: ["name": "Conformance Ltd", "tags": ["region": "uk"]])
        let companyId = try XCTUnwrap(created.json["id"]?.string)
        try await check.send("GET", "/companies/\(companyId)")
        try await check.send("PUT", "/companies/\(companyId)", json: ["name": "Conformance Limited"])
        try await check.send("PATCH", "/companies/\(companyId)", json: ["description": "checked"])
        let newConnection = try await check.send("POST", "/companies/\(companyId)/connections", json: ["platformKey": "gbol"])
        let newConnectionId = try XCTUnwrap(newConnection.json["id"]?.string, "\(newConnection.json)")
        try await check.send("GET", "/companies/\(companyId)/connections?pageSize=1")
        try await check.send("GET", "/companies/\(companyId)/connections/\(newConnectionId)")
        try await check.send("PATCH", "/companies/\(companyId)/connections/\(newConnectionId)", json: ["status": "Unlinked"])
        try await check.send("DELETE", "/companies/\(companyId)/connections/\(newConnectionId)")
        try await check.send("DELETE", "/companies/\(companyId)")

        // Synchronous API.
        let payables = xero.payables
        try await check.send("GET", payables + "/info")
        try await check.send("GET", payables + "/mappingOptions/bills")
        try await check.send("GET", payables + "/mappingOptions/payments")
        try await check.send("GET", payables + "/bills?query=\(encoded("status=Open"))")
        try await check.send("GET", payables + "/suppliers")
        let newSupplier = try await check.send("POST", payables + "/suppliers", json: ["supplierName": "Conformance Supplies", "status": "Active"])
        let newSupplierId = try XCTUnwrap(newSupplier.json["id"]?.string, "\(newSupplier.json)")
        try await check.send("PUT", payables + "/suppliers/\(newSupplierId)", json: ["supplierName": "Conformance Supplies Ltd", "status": "Active"])
        let expense = "46f9461e-788b-4906-8b74-d1ea17f6dc10"
        let prototype: SandboxJSON = [
            "supplierRef": ["id": .string(newSupplierId)], "issueDate": "2024-05-01", "dueDate": "2024-05-31", "currency": "GBP", "status": "Open",
            "lineItems": [["description": "Paper", "unitAmount": 10, "quantity": 2, "taxAmount": 4, "accountRef": ["id": .string(expense)]]],
        ]
        let newBill = try await check.send("POST", payables + "/bills", json: prototype)
        let newBillId = try XCTUnwrap(newBill.json["id"]?.string, "\(newBill.json)")
        try await check.send("PUT", payables + "/bills/\(newBillId)", json: prototype)
        try await check.send("POST", payables + "/bankAccounts", json: ["name": "Payables", "accountNumber": "1", "currency": "GBP", "accountType": "Debit"])
        try await check.send("POST", payables + "/bills/\(bill)/payment", json: ["amount": 5, "date": "2024-05-01", "accountRef": ["id": .string(account)]])
        let upload = try await check.send("POST", payables + "/bills/\(bill)/attachments", body: multipart("scan.pdf"), headers: ["Content-Type": "multipart/form-data; boundary=b"])
        let attachmentId = try XCTUnwrap(upload.json["id"]?.string, "\(upload.json)")
        try await check.send("GET", payables + "/bills/\(bill)/attachments")
        try await check.send("GET", payables + "/bills/\(bill)/attachments/\(attachmentId)/download")

        // Asynchronous API: data.
        let data = xero.data
        let lists: [(String, String)] = [
            ("accounts", account), ("billCreditNotes", creditNote), ("bills", bill), ("suppliers", supplier),
            ("paymentMethods", ""), ("taxRates", ""), ("trackingCategories", ""),
        ]
        for (collection, knownId) in lists {
            // The first seeded company that has such records (Xero has no payment methods).
            let kind = try XCTUnwrap(SandboxCollection(rawValue: collection))
            let owner = try XCTUnwrap(sandbox.companies.first { !sandbox.records(kind, companyId: $0.id).isEmpty }, collection)
            let list = try await check.send("GET", owner.data + "/\(collection)?page=1&pageSize=2&orderBy=-modifiedDate&query=\(encoded("id!=x && id!=\"a b\""))")
            let one = knownId.isEmpty ? try XCTUnwrap(list.json.results.first?["id"]?.string, "\(list.json)") : knownId
            try await check.send("GET", owner.data + "/\(collection)/\(encoded(one))")
        }
        try await check.send("GET", data + "/info")
        try await check.send("GET", data + "/billPayments")
        for option in ["chartOfAccounts", "bankAccounts", "billCreditNotes", "billPayments", "bills", "suppliers"] {
            try await check.send("GET", "/companies/\(xero.id)/connections/\(connection)/options/\(option)")
        }

        // Asynchronous API: pushes (no delay: each ends before it is answered).
        let push = xero.push
        try await check.send("POST", push + "/accounts", json: ["name": "Stationery", "fullyQualifiedCategory": "Expense.Office", "type": "Expense", "currency": "GBP"])
        try await check.send("POST", push + "/bankAccounts", json: ["accountName": "Payables", "accountType": "Debit", "currency": "GBP"])
        let v1Supplier = try await check.send("POST", push + "/suppliers", json: ["supplierName": "V1 Supplies", "status": "Active"])
        let v1SupplierId = try XCTUnwrap(v1Supplier.json["changes"]?[0]?["recordRef"]?["id"]?.string, "\(v1Supplier.json)")
        try await check.send("PUT", push + "/suppliers/\(v1SupplierId)", json: ["supplierName": "V1 Supplies Ltd", "status": "Active"])
        let v1Bill: SandboxJSON = [
            "supplierRef": ["id": .string(v1SupplierId)], "issueDate": "2024-05-01", "dueDate": "2024-05-31", "currency": "GBP", "status": "Open",
            "subTotal": 20, "taxAmount": 0, "totalAmount": 20,
            "lineItems": [["description": "Paper", "unitAmount": 20, "quantity": 1, "taxAmount": 0, "totalAmount": 20, "accountRef": ["id": .string(expense)]]],
        ]
        let pushedBill = try await check.send("POST", push + "/bills", json: v1Bill)
        let v1BillId = try XCTUnwrap(pushedBill.json["changes"]?[0]?["recordRef"]?["id"]?.string, "\(pushedBill.json)")
        try await check.send("PUT", push + "/bills/\(v1BillId)", json: v1Bill)
        let note: SandboxJSON = [
            "supplierRef": ["id": .string(v1SupplierId)], "totalAmount": 5, "totalDiscount": 0, "subTotal": 5, "totalTaxAmount": 0,
            "discountPercentage": 0, "status": "Submitted", "currency": "GBP", "issueDate": "2024-05-02",
        ]
        let pushedNote = try await check.send("POST", push + "/billCreditNotes", json: note)
        let noteId = try XCTUnwrap(pushedNote.json["changes"]?[0]?["recordRef"]?["id"]?.string, "\(pushedNote.json)")
        try await check.send("PUT", push + "/billCreditNotes/\(noteId)", json: note)
        let payment: SandboxJSON = [
            "supplierRef": ["id": .string(v1SupplierId)], "accountRef": ["id": .string(account)], "totalAmount": 20, "currency": "GBP", "date": "2024-05-03",
            "lines": [["amount": 20, "links": [["type": "Bill", "id": .string(v1BillId), "amount": -20]]]],
        ]
        let paid = try await check.send("POST", push + "/billPayments", json: payment)
        let paymentId = try XCTUnwrap(paid.json["changes"]?[0]?["recordRef"]?["id"]?.string, "\(paid.json)")
        // Codat's cache shows the payment after a refresh (facts §2); a zero refresh duration completes it at once.
        let refresh = try await check.send("POST", "/companies/\(xero.id)/data/queue/billPayments")
        let datasetId = try XCTUnwrap(refresh.json["id"]?.string, "\(refresh.json)")
        try await check.send("GET", data + "/billPayments/\(paymentId)")
        try await check.send("GET", "/companies/\(xero.id)/dataStatus")
        try await check.send("GET", "/companies/\(xero.id)/data/history?page=1&pageSize=5")
        try await check.send("GET", "/companies/\(xero.id)/data/history/\(datasetId)")
        try await check.send("POST", "/companies/\(xero.id)/data/all")
        let pushUpload = try await check.send("POST", push + "/bills/\(v1BillId)/attachments", body: multipart("receipt.txt"), headers: ["Content-Type": "multipart/form-data; boundary=b"])
        XCTAssertEqual(pushUpload.json["status"]?.string, "Success", "\(pushUpload.json)")
        let v1Attachments = "/companies/\(xero.id)/connections/\(connection)/data/bills/\(v1BillId)/attachments"
        let attachments = try await check.send("GET", v1Attachments)
        let v1AttachmentId = try XCTUnwrap(attachments.json["attachments"]?[0]?["id"]?.string, "\(attachments.json)")
        try await check.send("GET", v1Attachments + "/\(v1AttachmentId)")
        try await check.send("GET", v1Attachments + "/\(v1AttachmentId)/download")
        try await check.send("DELETE", push + "/bills/\(v1BillId)/attachments/\(v1AttachmentId)")
        try await check.send("DELETE", push + "/billPayments/\(paymentId)")
        try await check.send("DELETE", push + "/bills/\(v1BillId)")
        let operations = try await check.send("GET", "/companies/\(xero.id)/push?page=1&pageSize=3&query=\(encoded("status=Success"))&orderBy=-requestedOnDate")
        let key = try XCTUnwrap(operations.json.results.first?["pushOperationKey"]?.string, "\(operations.json)")
        try await check.send("GET", "/companies/\(xero.id)/push/\(key)")

        // Errors fit the documents' ErrorMessage too.
        try await check.send("GET", "/companies/\(UUID().uuidString.lowercased())")
        try await check.send("POST", payables + "/bankAccounts", json: ["accountType": "Sideways"])
        try await check.send("GET", data + "/bills?pageSize=0")

        XCTAssertEqual(check.failures, [], check.failures.joined(separator: "\n"))
        let served = Set(sandbox.core.routes.routes.map(\.info.qualifiedName))
        XCTAssertEqual(served.subtracting(check.covered).sorted(), [], "operations this test did not reach")
        print("ResponseConformanceTests: \(check.covered.count) operations answered 2xx, every answer checked against its schema")
    }

    /// The check fails where it should: hrefs with raw query text, a wrong type, a value outside an enum.
    func testTheResponseCheckFindsWhatBreaksTheSchema() async throws {
        let sandbox = try await startSandbox()
        let validation = try XCTUnwrap(sandbox.core.requestValidation)
        let route = try XCTUnwrap(sandbox.core.routes.route(method: "GET", path: "/companies/x/data/bills"))
        let bad: SandboxJSON = [
            "results": [["id": "b1", "status": "NotAStatus", "amountDue": "ten"]],
            "pageNumber": 1, "pageSize": 1, "totalResults": 1,
            "_links": ["self": ["href": "/companies/x/data/bills"], "current": ["href": "/companies/x/data/bills?query=status = Open"]],
        ]
        let violations = try XCTUnwrap(
            validation.responseViolations(route: route, status: 200, body: bad.data(), contentType: "application/json"))
        let paths = Set(violations.map(\.path))
        XCTAssertTrue(paths.contains("$._links.current.href"), "\(violations)")
        XCTAssertTrue(paths.contains("$.results[0].status"), "\(violations)")
        XCTAssertTrue(paths.contains("$.results[0].amountDue"), "\(violations)")
        XCTAssertNil(validation.responseViolations(route: route, status: 418, body: Data(), contentType: nil), "418 is not documented")
    }

    /// `_links` hrefs are percent-encoded `uri-reference`s, whatever the query and order held.
    func testLinksArePercentEncodedURIReferences() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let page = try await client.get(xero.data + "/bills?page=1&pageSize=1&query=\(encoded("currency = GBP && status != \"Void\""))&orderBy=\(encoded("-issueDate"))")
        XCTAssertEqual(page.status, 200)
        let next = try XCTUnwrap(page.json["_links"]?["next"]?["href"]?.string)
        XCTAssertTrue(StringFormats.isURI(next, absolute: false), next)
        XCTAssertFalse(next.contains(" "), next)
        let followed = try await client.get(next)
        XCTAssertEqual(followed.status, 200, "the next link works as given: \(followed.json)")
        XCTAssertEqual(followed.json["pageNumber"], 2)
    }

    private func multipart(_ name: String) -> Data {
        Data("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n".utf8)
    }
}
