@testable import BillPay
import CodatSandbox
import CodatSyncPayables
import Foundation
import SandboxTestSupport
import XCTest

/// The synchronous solution end to end, against a sandbox over loopback.
final class SyncWorkflowTests: XCTestCase {
    func billPay(_ sandbox: CodatSandbox, _ integration: SandboxIntegration = .xero, delivery: DeliveryPolicy = DeliveryPolicy(),
                 attemptTimeout: Duration = .seconds(20)) throws -> SyncBillPay {
        SyncBillPay(client: syncClient(sandbox, attemptTimeout: attemptTimeout), company: try connection(sandbox, integration), delivery: delivery,
                    journal: PaymentJournal())
    }

    func testConnectTakesTheFirstCompanyAndItsFirstConnection() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try await SyncBillPay.connect(client: syncClient(sandbox))
        let first = try XCTUnwrap(sandbox.companies.first)
        XCTAssertEqual(billPay.company.companyId, first.id)
        XCTAssertEqual(billPay.company.connectionId, first.connectionId)
        XCTAssertEqual(billPay.company.integration, .xero)

        let netSuite = try XCTUnwrap(sandbox.company(.netSuite))
        let chosen = try await SyncBillPay.connect(client: syncClient(sandbox), companyId: netSuite.id)
        XCTAssertEqual(chosen.company.integration, .netSuite)
        XCTAssertEqual(chosen.company.connectionId, netSuite.connectionId)
        do {
            _ = try await SyncBillPay.connect(client: syncClient(sandbox), companyId: netSuite.id, connectionId: "nope")
            XCTFail("an unknown connection is refused")
        } catch let error as CompanySelectionError {
            XCTAssertEqual(error, .connectionNotFound(companyId: netSuite.id, connectionId: "nope"))
        }
    }

    func testOutstandingBillsAreOpenOrPartiallyPaidAndAQueryWidensThem() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let outstanding = try await billPay.outstandingBills()
        XCTAssertFalse(outstanding.isEmpty)
        XCTAssertEqual(Set(outstanding.map(\.status)), [.open, .partiallyPaid])
        XCTAssertTrue(outstanding.allSatisfy { ($0.amountDue ?? 0) > 0 })

        let widened = try await billPay.bills(statuses: [.open, .partiallyPaid, .paid])
        XCTAssertEqual(Set(widened.map(\.status)), [.open, .partiallyPaid, .paid])
        XCTAssertEqual(widened.count, outstanding.count + 2, "the two paid Xero bills")
        XCTAssertEqual(sandbox.requests("sync.list-bills").last?.queryItems["query"], "status=Open||status=PartiallyPaid||status=Paid")

        let bill = try await billPay.bill(id: "3945273c-cc04-479f-a4b5-1e3dc7a55ed1")
        XCTAssertEqual(bill?.status, .paid, "one bill by id, whatever its status")
    }

    func testABillIsCheckedBeforeItIsCreated() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let options = try await billPay.billMappingOptions()
        let expense = try XCTUnwrap(options.accounts?.first { $0.name == "Office expenses" }?.id)
        let taxRate = try XCTUnwrap(options.taxRates?.first?.id)
        let line = BillLineItem(description: "Toner", unitAmount: 100, quantity: 1, taxAmount: 20,
                                accountRef: BillAccountRef(id: expense), totalAmount: 120, taxRateRef: BillTaxRateRef(id: taxRate))

        var bill = BillPrototype(reference: "CHK-1", supplierRef: SupplierRef(id: "no-such-supplier"), issueDate: "2024-06-01",
                                 dueDate: "2024-07-01", currency: "GBP", lineItems: [line, BillLineItem(description: "Unmapped", unitAmount: 5, quantity: 1)],
                                 status: .open)
        do {
            _ = try await billPay.createBill(bill)
            XCTFail("an unknown supplier and an unmapped line are refused")
        } catch let error as BillCreationError {
            XCTAssertEqual(error.problems, [.supplierNotFound(supplierId: "no-such-supplier"), .lineWithoutAccountOrTaxRate(lineIndex: 1)])
        }
        XCTAssertTrue(sandbox.requests("sync.create-bill").isEmpty, "nothing sent")

        bill.supplierRef = SupplierRef(id: "dec56ceb-65e9-43b3-ac98-7fe09eb37e31")
        bill.lineItems = [line]
        let created = try await billPay.createBill(bill)
        XCTAssertEqual(created.totalAmount, 120)
        XCTAssertEqual(created.amountDue, 120)
        XCTAssertEqual(created.status, .open)
        let listed = try await billPay.outstandingBills()
        XCTAssertTrue(listed.contains { $0.id == created.id })
        XCTAssertNotNil(sandbox.requests("sync.create-bill").first?.header("Idempotency-Key"))
    }

    func testAttachmentsAreUploadedListedAndDownloaded() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let billId = "59978bef-af2f-4a7e-9728-4997597c0980"
        let bytes = Data("%PDF-1.4 invoice RPT445-1\n".utf8) + Data((0...255).map(UInt8.init))
        let uploaded = try await billPay.uploadAttachment(billId: billId, fileName: "RPT445-1.pdf", contentType: "application/pdf", data: bytes)
        let id = try XCTUnwrap(uploaded.id)
        XCTAssertEqual(uploaded.name, "RPT445-1.pdf")

        let listed = try await billPay.attachments(billId: billId)
        XCTAssertEqual(listed.map(\.id), [id])
        let downloaded = try await billPay.downloadAttachment(billId: billId, attachmentId: id)
        XCTAssertEqual(downloaded, bytes)
    }

    func testPaymentAccountsAndBankAccountCreation() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let accounts = try await billPay.paymentAccounts()
        XCTAssertTrue(accounts.contains { $0.name == "Business Bank Account" })
        XCTAssertNil(accounts.first { $0.name == "Office expenses" }, "bank accounts only")
        XCTAssertEqual(SyncBillPay.paymentAccount(in: "EUR", among: accounts)?.name, "Euro Business Account")

        let created = try await billPay.createBankAccount(for: .bacs, name: "Supplier payments", currency: "GBP",
                                                          accountNumber: "12345678", sortCode: "40-11-62")
        XCTAssertEqual(created.accountType, .debit)
        let after = try await billPay.paymentAccounts()
        XCTAssertTrue(after.contains { $0.id == created.id }, "a new payment account")

        do {
            _ = try await billPay.createBankAccount(for: .corporateCard, name: "Card", currency: "GBP", accountNumber: nil)
            XCTFail("Xero cannot create credit accounts")
        } catch let error as PaymentAccountError {
            XCTAssertEqual(error, .creditAccountsNotSupported(.xero))
        }
        XCTAssertEqual(sandbox.requests("sync.create-bank-account").count, 1, "the refused one was not sent")
    }

    func testPayingABillInFullMarksItPaid() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let bill = try await XCTUnwrapAsync(await billPay.bill(id: "59978bef-af2f-4a7e-9728-4997597c0980"))
        let account = try await XCTUnwrapAsync(SyncBillPay.paymentAccount(in: "GBP", among: await billPay.paymentAccounts()))
        let receipt = try await billPay.payBill(bill, from: account, date: DateTime(today), reference: "RPT445-1", intent: "pay-rpt445")
        XCTAssertEqual(receipt.payment?.amount, Decimal(string: "135.85"))
        XCTAssertEqual(receipt.delivery.sends, 1)
        XCTAssertEqual(receipt.delivery.ambiguousSends, 0)

        let after = try await billPay.bill(id: "59978bef-af2f-4a7e-9728-4997597c0980")
        XCTAssertEqual(after?.status, .paid)
        XCTAssertEqual(after?.amountDue, 0)
        XCTAssertEqual(sandbox.billPayments(companyId: billPay.company.companyId, api: .sync).count, 1)

        // Paying it again is refused before anything is sent.
        do {
            _ = try await billPay.payBill(bill, from: account, date: DateTime(today), intent: "pay-rpt445-again")
            XCTFail("a paid bill cannot be paid")
        } catch let error as SyncPaymentError {
            XCTAssertEqual(error, .billNotPayable(billId: "59978bef-af2f-4a7e-9728-4997597c0980", status: "Paid"))
        }
        XCTAssertEqual(sandbox.requests("sync.create-bill-payment").count, 1)
    }

    func testPayingPartOfABillLeavesItPartiallyPaid() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox, .quickBooksOnline)
        let bill = try await XCTUnwrapAsync(await billPay.bill(id: "302"))
        let account = try await XCTUnwrapAsync(SyncBillPay.paymentAccount(in: "USD", among: await billPay.paymentAccounts()))
        let receipt = try await billPay.payBill(bill, amount: 200, from: account, date: DateTime(today), intent: "pay-302-part")
        XCTAssertTrue(receipt.request.isPartial)
        let after = try await XCTUnwrapAsync(await billPay.bill(id: "302"))
        XCTAssertEqual(after.status, .partiallyPaid)
        XCTAssertEqual(after.amountDue, 1000)
        XCTAssertEqual(sandbox.bill("302", companyId: billPay.company.companyId)?.amountDue, 1000)
    }

    func testAForeignCurrencyBillIsConvertedOrPaidFromAnAccountInItsCurrency() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let euroBill = try await XCTUnwrapAsync(await billPay.bill(id: "27cdf81f-c8f0-5dfe-be82-00704fbd28e7"))
        let accounts = try await billPay.paymentAccounts()
        let sterling = try XCTUnwrap(SyncBillPay.paymentAccount(in: "GBP", among: accounts))
        do {
            _ = try await billPay.payBill(euroBill, from: sterling, date: DateTime(today), intent: "eur-from-gbp")
            XCTFail("a EUR bill from a GBP account needs a conversion")
        } catch let error as SyncPaymentError {
            guard case .foreignCurrency = error else { return XCTFail("\(error)") }
            XCTAssertTrue(error.description.contains("give the currencyRate from EUR to GBP"), error.description)
            XCTAssertTrue(error.description.contains("create a bank account in EUR"), error.description)
        }
        XCTAssertTrue(sandbox.requests("sync.create-bill-payment").isEmpty)

        // Converted: the amount in EUR, the bill's currency (CODAT-FACTS §6), with the rate to GBP.
        let converted = try await billPay.payBill(euroBill, amount: 100, from: sterling, date: DateTime(today), currencyRate: Decimal(string: "0.85"),
                                                  intent: "eur-100-from-gbp")
        XCTAssertEqual(converted.payment?.currencyRate, Decimal(string: "0.85"))
        XCTAssertEqual(sandbox.requests("sync.create-bill-payment").last?.json?["amount"]?.decimal, 100, "sent in EUR")
        // Or from the EUR account, in full.
        let rest = try await XCTUnwrapAsync(await billPay.bill(id: "27cdf81f-c8f0-5dfe-be82-00704fbd28e7"))
        XCTAssertEqual(rest.amountDue, 399, "the bill owes 100 EUR less")
        let euro = try XCTUnwrap(SyncBillPay.paymentAccount(in: "EUR", among: accounts))
        let receipt = try await billPay.payBill(rest, from: euro, date: DateTime(today), intent: "eur-rest")
        XCTAssertEqual(receipt.amount, 399)
        let after = try await billPay.bill(id: "27cdf81f-c8f0-5dfe-be82-00704fbd28e7")
        XCTAssertEqual(after?.status, .paid)
    }
}
/// `XCTUnwrap` for an async expression's value.
func XCTUnwrapAsync<T>(_ value: @autoclosure () async throws -> T?, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    let resolved = try await value()
    return try XCTUnwrap(resolved, message, file: file, line: line)
}
