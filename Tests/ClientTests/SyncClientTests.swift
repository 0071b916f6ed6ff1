import CodatSandbox
import CodatSyncPayables
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import OpenAPIURLSession
import XCTest

/// The synchronous API's generated client against the sandbox over loopback: what reached
/// the server (method, raw path, query, headers, body) and what came back.
final class SyncClientTests: XCTestCase {
    func client(_ sandbox: CodatSandbox, logs: LogCapture? = nil, retry: RetryConfiguration? = nil, key: String = authHeader) -> CodatSyncPayables.Client {
        var options = ClientOptions(retry: retry, attemptTimeout: .seconds(20))
        if let logs { options.logger = logs.logger }
        return CodatSyncPayables.Client(serverURL: sandbox.baseURL, authHeader: key, transport: URLSessionTransport(), options: options)
    }

    func testCompaniesConnectionsAndOutstandingBills() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let companies = try await codat.companies.list(pageSize: 2)
        XCTAssertEqual(companies.results?.count, 2)
        let all = try await codat.companies.listAll(pageSize: 2).collect()
        XCTAssertEqual(all.count, sandbox.companies.count)
        XCTAssertEqual(Set(all.map(\.id)).count, all.count)
        let connections = try await codat.connections.list(companyId: xero.id)
        XCTAssertEqual(connections.results?.first?.id, xero.connectionId)

        let open = try await codat.bills.list(companyId: xero.id, connectionId: xero.connectionId!, query: "status=Open")
        let listed = try XCTUnwrap(sandbox.requests("sync.list-bills").last)
        XCTAssertEqual(listed.method, "GET")
        XCTAssertEqual(listed.path, "/companies/\(xero.id)/connections/\(xero.connectionId!)/payables/bills")
        XCTAssertEqual(listed.query, "query=status%3DOpen")
        XCTAssertEqual(listed.header("Authorization"), authHeader)
        XCTAssertEqual(listed.header("Accept"), "application/json")
        XCTAssertFalse(open.results?.isEmpty ?? true)
        XCTAssertTrue(open.results!.allSatisfy { $0.status == .open })
        XCTAssertTrue(open.results!.contains { $0.amountDue == Decimal(string: "135.85") }, "135.85 stays exact")
    }

    func testListAllYieldsEveryBillOnceAcrossContinuationPages() async throws {
        let sandbox = try await startSandbox(self, SandboxConfiguration(extraBills: 250, continuationPageSize: 100))
        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let outstanding = sandbox.records(.bills, companyId: xero.id)
            .filter { ["Open", "PartiallyPaid"].contains($0["status"]?.string ?? "") }.compactMap { $0["id"]?.string }
        var ids: [String] = []
        for try await bill in codat.bills.listAll(companyId: xero.id, connectionId: xero.connectionId!) {
            ids.append(try XCTUnwrap(bill.id))
        }
        XCTAssertEqual(ids.count, outstanding.count)
        XCTAssertEqual(Set(ids), Set(outstanding))
        XCTAssertEqual(Set(ids).count, ids.count, "no bill twice")
        let pages = sandbox.requests("sync.list-bills")
        XCTAssertEqual(pages.count, (outstanding.count + 99) / 100)
        XCTAssertNil(pages[0].queryItems["continuationToken"])
        XCTAssertNotNil(pages[1].queryItems["continuationToken"])
    }

    func testCreateBillThenPayItInPartAndInFull() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let (companyId, connectionId) = (xero.id, xero.connectionId!)
        let suppliers = try await codat.suppliers.list(companyId: companyId, connectionId: connectionId)
        let supplier = try XCTUnwrap(suppliers.results?.first)
        let billOptions = try await codat.bills.getBillOptions(companyId: companyId, connectionId: connectionId)
        let expenseAccount = try XCTUnwrap(billOptions.accounts?.first?.id)

        let prototype = BillPrototype(
            reference: "INV-42", supplierRef: SupplierRef(id: supplier.id!), issueDate: "2024-05-01T00:00:00", dueDate: "2024-05-31",
            currency: "GBP",
            lineItems: [BillLineItem(description: "Paper", unitAmount: Decimal(string: "100.50"), quantity: 2, taxAmount: Decimal(string: "40.20"),
                                     accountRef: BillAccountRef(id: expenseAccount), totalAmount: Decimal(string: "241.20"))],
            status: .open)
        let billKey = UUID().uuidString
        let bill = try await codat.bills.create(companyId: companyId, connectionId: connectionId, idempotencyKey: billKey, body: prototype)
        let billId = try XCTUnwrap(bill.id)
        let created = try XCTUnwrap(sandbox.requests("sync.create-bill").last)
        XCTAssertEqual(created.method, "POST")
        XCTAssertEqual(created.header("Idempotency-Key"), billKey)
        XCTAssertEqual(created.header("Content-Type"), "application/json")
        XCTAssertEqual(try JSONDecoder().decode(BillPrototype.self, from: created.body), prototype, "the body that arrived is the one sent")
        XCTAssertEqual(bill.amountDue, Decimal(string: "241.20"))

        let paymentOptions = try await codat.billPayments.getPaymentOptions(companyId: companyId, connectionId: connectionId)
        let account = try XCTUnwrap(paymentOptions.bankAccounts?.first { $0.currency == "GBP" }?.id)
        let part = try await codat.billPayments.create(
            companyId: companyId, connectionId: connectionId, billId: billId,
            body: BillPaymentPrototype(amount: Decimal(string: "100.05")!, date: "2024-05-10", reference: "part", accountRef: BillPaymentAccountRef(id: account)))
        XCTAssertEqual(part.amount, Decimal(string: "100.05"))
        XCTAssertEqual(sandbox.bill(billId, companyId: companyId)?.status, "PartiallyPaid")
        XCTAssertEqual(sandbox.bill(billId, companyId: companyId)?.amountDue, Decimal(string: "141.15"))
        let paid = try XCTUnwrap(sandbox.requests("sync.create-bill-payment").last)
        XCTAssertEqual(paid.path, "/companies/\(companyId)/connections/\(connectionId)/payables/bills/\(billId)/payment")
        XCTAssertEqual(paid.responseStatus, 201)
        XCTAssertEqual(String(decoding: paid.body, as: UTF8.self),
                       #"{"accountRef":{"id":"\#(account)"},"amount":100.05,"date":"2024-05-10","reference":"part"}"#)

        _ = try await codat.billPayments.create(
            companyId: companyId, connectionId: connectionId, billId: billId,
            body: BillPaymentPrototype(amount: Decimal(string: "141.15")!, date: "2024-05-11", accountRef: BillPaymentAccountRef(id: account)))
        let updated = try await codat.bills.list(companyId: companyId, connectionId: connectionId, query: "status=Paid")
        XCTAssertTrue(updated.results?.contains { $0.id == billId && $0.amountDue == 0 } ?? false)

        // Paying more than is due: Codat's 400, thrown as the module's error with the decoded ErrorMessage.
        do {
            _ = try await codat.billPayments.create(
                companyId: companyId, connectionId: connectionId, billId: billId,
                body: BillPaymentPrototype(amount: 1, date: "2024-05-12", accountRef: BillPaymentAccountRef(id: account)))
            XCTFail("expected a 400")
        } catch let error as CodatSyncPayablesError {
            XCTAssertEqual(error.kind, .errorResponse)
            XCTAssertEqual(error.status, 400)
            XCTAssertEqual(error.model?.statusCode, 400)
            XCTAssertNotNil(error.model?.error)
            XCTAssertFalse(error.body.isEmpty)
            XCTAssertEqual(error.attempts, 1)
        }
    }

    func testUpdateBillSupplierAndBankAccount() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox)
        let qbo = try XCTUnwrap(sandbox.company(.quickBooksOnline))
        let (companyId, connectionId) = (qbo.id, qbo.connectionId!)
        let supplier = try await codat.suppliers.create(companyId: companyId, connectionId: connectionId, idempotencyKey: UUID().uuidString,
                                                        body: SupplierPrototype(supplierName: "Acme Paper", status: .active, defaultCurrency: "USD"))
        XCTAssertEqual(supplier.supplierName, "Acme Paper")
        var renamed = SupplierPrototype(supplierName: "Acme Paper Ltd", status: .active, defaultCurrency: "USD")
        renamed.contactName = "Ada"
        let updated = try await codat.suppliers.update(companyId: companyId, connectionId: connectionId, supplierId: supplier.id!, body: renamed)
        XCTAssertEqual(updated.supplierName, "Acme Paper Ltd")
        XCTAssertEqual(sandbox.requests("sync.update-supplier").last?.method, "PUT")

        let bankAccount = try await codat.bankAccounts.create(
            companyId: companyId, connectionId: connectionId,
            body: BankAccountPrototype(name: "Bill pay USD", accountType: .debit, accountNumber: "12345678", currency: "USD"))
        XCTAssertEqual(bankAccount.currency, "USD")
        let options = try await codat.billPayments.getPaymentOptions(companyId: companyId, connectionId: connectionId)
        XCTAssertTrue(options.bankAccounts?.contains { $0.id == bankAccount.id } ?? false, "a new bank account is a payment option")

        let bills = try await codat.bills.list(companyId: companyId, connectionId: connectionId)
        let bill = try XCTUnwrap(bills.results?.first)
        var prototype = BillPrototype(reference: "changed", supplierRef: bill.supplierRef, issueDate: bill.issueDate, dueDate: bill.dueDate,
                                      currency: bill.currency, lineItems: bill.lineItems, status: bill.status)
        prototype.currencyRate = bill.currencyRate
        let changed = try await codat.bills.update(companyId: companyId, connectionId: connectionId, billId: bill.id!, body: prototype)
        XCTAssertEqual(changed.reference, "changed")
        XCTAssertEqual(sandbox.requests("sync.update-bill").last?.method, "PUT")
    }

    /// `bankAccountPrototype` requires `name` and `accountNumber` and lets both be null
    /// (Codat-Sync-Payables.yaml): the generated init has no default for them, and nil is sent as
    /// an explicit `null`, which the sandbox's request validation (the document's schema) accepts.
    /// Leaving the member out, as the synthesized encoding did, is refused naming it.
    func testRequiredNullableMemberIsSentAsNullAndAccepted() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let account = BankAccountPrototype(name: "Bill pay GBP", accountType: .debit, accountNumber: nil, currency: "GBP")
        let created = try await codat.bankAccounts.create(companyId: xero.id, connectionId: xero.connectionId!, body: account)
        XCTAssertEqual(created.currency, "GBP")
        let sent = try XCTUnwrap(sandbox.requests("sync.create-bank-account").last)
        let members = try XCTUnwrap(JSONSerialization.jsonObject(with: sent.body) as? [String: Any])
        XCTAssertTrue(members["accountNumber"] is NSNull, "accountNumber is in the request, as null: \(String(decoding: sent.body, as: UTF8.self))")
        XCTAssertNil(members["sortCode"], "an optional member that is nil stays out")

        // The body the synthesized encoding used to send (no accountNumber) is refused, naming the member.
        var request = URLRequest(url: sandbox.baseURL.appendingPathComponent("companies/\(xero.id)/connections/\(xero.connectionId!)/payables/bankAccounts"))
        request.httpMethod = "POST"
        request.setValue(authHeader, forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"name":"Bill pay GBP","accountType":"Debit","currency":"GBP"}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        XCTAssertEqual((response as? HTTPURLResponse)?.statusCode, 400, String(decoding: body, as: UTF8.self))
        XCTAssertTrue(String(decoding: body, as: UTF8.self).contains("accountNumber"), String(decoding: body, as: UTF8.self))
    }

    func testPathParametersArriveEncoded() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let values: [(String, String)] = [("../x", "..%2Fx"), ("a/b?c#d", "a%2Fb%3Fc%23d"), ("with space", "with%20space"),
                                          ("ünïcødé", "%C3%BCn%C3%AFc%C3%B8d%C3%A9"), ("..", "%2E%2E")]
        for (value, encoded) in values {
            do {
                _ = try await codat.bills.listAttachments(companyId: xero.id, connectionId: xero.connectionId!, billId: value)
                XCTFail("expected a 404 for \(value)")
            } catch let error as CodatSyncPayablesError {
                XCTAssertEqual(error.status, 404, "\(value): \(error)")
                XCTAssertEqual(error.model?.statusCode, 404)
            }
            let request = try XCTUnwrap(sandbox.recordedRequests.last)
            XCTAssertEqual(request.path, "/companies/\(xero.id)/connections/\(xero.connectionId!)/payables/bills/\(encoded)/attachments", value)
            XCTAssertNil(request.query, value)
            XCTAssertEqual(request.operation, "sync.list-bill-attachments", "\(value) reached the intended route")
        }
    }

    func testFiveMegabyteAttachmentRoundTripsByteForByte() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let bills = try await codat.bills.list(companyId: xero.id, connectionId: xero.connectionId!)
        let billId = try XCTUnwrap(bills.results?.first?.id)
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<5 * 1024 * 1024).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("invoice-\(UUID().uuidString).pdf")
        try bytes.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let attachment = try await codat.bills.uploadAttachment(
            companyId: xero.id, connectionId: xero.connectionId!, billId: billId,
            file: MultipartFile(fileURL: file, fileName: "invoice \"5MB\".pdf", contentType: "application/pdf"))
        XCTAssertEqual(attachment.name, "invoice \"5MB\".pdf")
        XCTAssertEqual(attachment.contentType, "application/pdf")
        let upload = try XCTUnwrap(sandbox.requests("sync.upload-bill-attachment").last)
        XCTAssertTrue(upload.header("Content-Type")?.hasPrefix("multipart/form-data; boundary=") ?? false)
        XCTAssertGreaterThan(upload.body.count, bytes.count)

        let listed = try await codat.bills.listAttachments(companyId: xero.id, connectionId: xero.connectionId!, billId: billId)
        XCTAssertTrue(listed.contains { $0.id == attachment.id })
        let downloaded = try await codat.bills.downloadAttachment(companyId: xero.id, connectionId: xero.connectionId!, billId: billId,
                                                                   attachmentId: attachment.id!)
        XCTAssertEqual(downloaded.count, bytes.count)
        XCTAssertTrue(downloaded == bytes, "byte for byte")
        XCTAssertEqual(sandbox.requests("sync.download-bill-attachment").last?.header("Accept"), "application/octet-stream")

        // The same upload from memory.
        let fromMemory = try await codat.bills.uploadAttachment(companyId: xero.id, connectionId: xero.connectionId!, billId: billId,
                                                                 file: MultipartFile(fileName: "b.bin", bytes: bytes))
        let again = try await codat.bills.downloadAttachment(companyId: xero.id, connectionId: xero.connectionId!, billId: billId, attachmentId: fromMemory.id!)
        XCTAssertTrue(again == bytes)
    }

    func testBadCredentialsAndBadHeaderValues() async throws {
        let sandbox = try await startSandbox(self)
        let logs = LogCapture()
        let wrong = client(sandbox, logs: logs, key: "Basic " + Data("not-\(apiKey)".utf8).base64EncodedString())
        do {
            _ = try await wrong.companies.list()
            XCTFail("expected a 401")
        } catch let error as CodatSyncPayablesError {
            XCTAssertEqual(error.status, 401)
            XCTAssertEqual(error.model?.statusCode, 401)
            assertNoSecret([error.description, error.debugDescription, String(reflecting: error)])
        }
        assertNoSecret([wrong.description, wrong.debugDescription, String(reflecting: wrong)])

        let codat = client(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        sandbox.clearRecordedRequests()
        do {
            _ = try await codat.suppliers.create(companyId: xero.id, connectionId: xero.connectionId!, idempotencyKey: "k\r\nX-Injected: 1",
                                                 body: SupplierPrototype(supplierName: "x", status: .active))
            XCTFail("expected the header to be refused")
        } catch let error as PayablesRequestError {
            XCTAssertTrue(error.description.contains("line break"), error.description)
        }
        XCTAssertTrue(sandbox.recordedRequests.isEmpty, "nothing was sent")
    }
}
