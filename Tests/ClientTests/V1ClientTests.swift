import CodatSandbox
import CodatSyncPayablesV1
import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession
import XCTest

/// The asynchronous API's generated client against the sandbox: page-based lists, data
/// endpoints, push endpoints and a push operation's life.
final class V1ClientTests: XCTestCase {
    func client(_ sandbox: CodatSandbox) -> CodatSyncPayablesV1.Client {
        CodatSyncPayablesV1.Client(serverURL: sandbox.baseURL, authHeader: authHeader, transport: URLSessionTransport(),
                            options: ClientOptions(attemptTimeout: .seconds(20)))
    }

    func testPageBasedListAllYieldsEveryItemOnce() async throws {
        let sandbox = try await startSandbox(self, SandboxConfiguration(extraBills: 57))
        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let expected = sandbox.records(.bills, companyId: xero.id).compactMap { $0["id"]?.string }
        var ids: [String] = []
        for try await bill in codat.bills.listAll(companyId: xero.id, pageSize: 10) { ids.append(try XCTUnwrap(bill.id)) }
        XCTAssertEqual(ids.count, expected.count)
        XCTAssertEqual(Set(ids), Set(expected))
        let pages = sandbox.requests("v1.list-bills")
        XCTAssertEqual(pages.count, (expected.count + 9) / 10, "no page fetched past totalResults")
        XCTAssertEqual(pages.map { $0.queryItems["page"] }, (1...pages.count).map { "\($0)" })
        XCTAssertTrue(pages.allSatisfy { $0.queryItems["pageSize"] == "10" })

        let page = try await codat.bills.list(companyId: xero.id, page: 2, pageSize: 10, query: "status=Open", orderBy: "-issueDate")
        XCTAssertEqual(page.pageNumber, 2)
        XCTAssertEqual(page.pageSize, 10)
        let request = try XCTUnwrap(sandbox.requests("v1.list-bills").last)
        XCTAssertEqual(request.path, "/companies/\(xero.id)/data/bills")
        XCTAssertEqual(request.query, "page=2&pageSize=10&query=status%3DOpen&orderBy=-issueDate")
        XCTAssertTrue((page.results ?? []).allSatisfy { $0.status == .open })
    }

    func testBankAccountsSuppliersAndOptions() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox)
        let netSuite = try XCTUnwrap(sandbox.company(.netSuite))
        let banks = try await codat.accounts.list(companyId: netSuite.id, query: "isBankAccount=true")
        XCTAssertFalse(banks.results?.isEmpty ?? true)
        XCTAssertTrue((banks.results ?? []).allSatisfy { $0.isBankAccount == true })
        XCTAssertEqual(sandbox.requests("v1.list-accounts").last?.query, "query=isBankAccount%3Dtrue")
        let suppliers = try await codat.suppliers.listAll(companyId: netSuite.id).collect()
        XCTAssertFalse(suppliers.isEmpty)
        let methods = try await codat.paymentMethods.list(companyId: netSuite.id)
        XCTAssertNotNil(methods.results)
        let categories = try await codat.trackingCategories.list(companyId: netSuite.id)
        XCTAssertNotNil(categories.results)
        let options = try await codat.billPayments.getCreateModel(companyId: netSuite.id, connectionId: netSuite.connectionId!)
        XCTAssertNotNil(options.type)
        XCTAssertEqual(sandbox.requests("v1.get-create-billPayment-model").last?.path,
                       "/companies/\(netSuite.id)/connections/\(netSuite.connectionId!)/options/billPayments")
    }

    func testAPaymentPushFromPendingToSuccessChangesTheBill() async throws {
        let sandbox = try await startSandbox(self, SandboxConfiguration(pushDelay: .milliseconds(400)))
        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let bills = try await codat.bills.list(companyId: xero.id, query: "status=Open")
        let bill = try XCTUnwrap(bills.results?.first { $0.amountDue == Decimal(string: "135.85") })
        let banks = try await codat.accounts.list(companyId: xero.id, query: "isBankAccount=true")
        let account = try XCTUnwrap(banks.results?.first { $0.currency == bill.currency })
        let payment = BillPayment(
            supplierRef: bill.supplierRef, accountRef: AccountRef(id: account.id), totalAmount: Decimal(string: "135.85"), currency: bill.currency,
            currencyRate: 1, date: "2024-06-01T00:00:00",
            lines: [BillPaymentLine(amount: Decimal(string: "135.85")!, links: [BillPaymentLineLink(type: .bill, id: bill.id, amount: Decimal(string: "-135.85"))])],
            reference: "pay-135.85")

        // The v1 document declares no Idempotency-Key; Codat accepts one on every POST (CODAT-FACTS §1).
        let key = UUID().uuidString
        let pushed = try await codat.billPayments.create(companyId: xero.id, connectionId: xero.connectionId!, timeoutInMinutes: 5, body: payment,
                                                         options: CallOptions(idempotencyKey: key))
        XCTAssertEqual(pushed.status, .pending)
        let request = try XCTUnwrap(sandbox.requests("v1.create-bill-payment").last)
        XCTAssertEqual(request.header("Idempotency-Key"), key)
        XCTAssertEqual(request.path, "/companies/\(xero.id)/connections/\(xero.connectionId!)/push/billPayments")
        XCTAssertEqual(request.query, "timeoutInMinutes=5")
        XCTAssertEqual(try JSONDecoder().decode(BillPayment.self, from: request.body), payment)
        XCTAssertTrue(String(decoding: request.body, as: UTF8.self).contains(#""amount":-135.85"#), "money exact on the wire")

        var operation = try await codat.pushOperations.get(companyId: xero.id, pushOperationKey: pushed.pushOperationKey)
        XCTAssertEqual(operation.status, .pending)
        let deadline = ContinuousClock.now + .seconds(10)
        while operation.status == .pending, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            operation = try await codat.pushOperations.get(companyId: xero.id, pushOperationKey: pushed.pushOperationKey)
        }
        XCTAssertEqual(operation.status, .success)
        // v1 reads come from Codat's cache: the payment shows after a refresh (CODAT-FACTS §2).
        let stale = try await codat.bills.get(companyId: xero.id, billId: bill.id!)
        XCTAssertEqual(stale.amountDue, Decimal(string: "135.85"), "not in Codat's cache before a refresh")
        _ = try sandbox.refresh(companyId: xero.id, immediately: true)
        let paid = try await codat.bills.get(companyId: xero.id, billId: bill.id!)
        XCTAssertEqual(paid.amountDue, 0)
        XCTAssertEqual(paid.status, .paid)
        let payments = try await codat.billPayments.listAll(companyId: xero.id).collect()
        XCTAssertTrue(payments.contains { $0.reference == "pay-135.85" })
        let operations = try await codat.pushOperations.list(companyId: xero.id)
        XCTAssertTrue(operations.results?.contains { $0.pushOperationKey == pushed.pushOperationKey } ?? false)

        // Deleting the payment is a push too.
        let recorded = try XCTUnwrap(payments.first { $0.reference == "pay-135.85" }?.id)
        let deletion = try await codat.billPayments.delete(companyId: xero.id, connectionId: xero.connectionId!, billPaymentId: recorded)
        XCTAssertEqual(sandbox.requests("v1.delete-billPayment").last?.method, "DELETE")
        XCTAssertFalse(deletion.pushOperationKey.isEmpty)
    }

    func testAPushThatBreaksTheRulesFailsWithValidationErrors() async throws {
        let sandbox = try await startSandbox(self, SandboxConfiguration(pushDelay: .zero))
        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let open = try await codat.bills.list(companyId: xero.id, query: "status=Open")
        let bill = try XCTUnwrap(open.results?.first)
        // The line says 50 but its link pays 40: the sandbox fails the push, as Codat would.
        let payment = BillPayment(supplierRef: bill.supplierRef, accountRef: AccountRef(id: "unknown-account"), totalAmount: 50, currency: bill.currency,
                                  date: "2024-06-01", lines: [BillPaymentLine(amount: 50, links: [BillPaymentLineLink(type: .bill, id: bill.id, amount: -40)])])
        let pushed = try await codat.billPayments.create(companyId: xero.id, connectionId: xero.connectionId!, body: payment)
        let operation = try await codat.pushOperations.get(companyId: xero.id, pushOperationKey: pushed.pushOperationKey)
        XCTAssertEqual(operation.status, .failed)
        XCTAssertFalse(operation.validation?.errors?.isEmpty ?? true, "\(String(describing: operation.validation))")
        let after = try await codat.bills.get(companyId: xero.id, billId: bill.id!)
        XCTAssertEqual(after.amountDue, bill.amountDue, "nothing changed")
    }

    /// Breaks one amount in every response body, as a server bug would.
    struct CorruptingMiddleware: ClientMiddleware {
        func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                       next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
            let (response, responseBody) = try await next(request, body, baseURL)
            var text = ""
            if let responseBody { text = String(decoding: try await Data(collecting: responseBody, upTo: 10_000_000), as: UTF8.self) }
            let broken = text.replacingOccurrences(of: #""amountDue":135.85"#, with: #""amountDue":"lots""#)
            return (response, HTTPBody(broken))
        }
    }

    func testAnUndecodableBodyAndAnUndocumentedStatusThrowTheModulesError() async throws {
        let sandbox = try await startSandbox(self)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let codat = CodatSyncPayablesV1.Client(serverURL: sandbox.baseURL, authHeader: authHeader, transport: URLSessionTransport(),
                                        middlewares: [CorruptingMiddleware()])
        do {
            _ = try await codat.bills.list(companyId: xero.id, pageSize: 100)
            XCTFail("expected a decoding failure")
        } catch let error as CodatSyncPayablesV1Error {
            XCTAssertEqual(error.kind, .undecodableBody)
            XCTAssertEqual(error.status, 200)
            let path = try XCTUnwrap(error.codingPath)
            XCTAssertTrue(path.hasPrefix("results[") && path.hasSuffix("].amountDue"), path)
            XCTAssertTrue(String(decoding: error.body, as: UTF8.self).contains(#""lots""#), "the raw body is kept")
        }

        _ = sandbox.inject(.status(418), on: .operation("v1.list-suppliers"), times: 1)
        do {
            _ = try await client(sandbox).suppliers.list(companyId: xero.id)
            XCTFail("expected an undocumented status")
        } catch let error as CodatSyncPayablesV1Error {
            XCTAssertEqual(error.kind, .undocumentedStatus)
            XCTAssertEqual(error.status, 418)
            XCTAssertEqual(error.model?.statusCode, 418, "the body still decodes as ErrorMessage")
        }
    }
}
