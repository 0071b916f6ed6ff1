import BillPay
import CodatSandbox
import CodatSyncPayablesV1
import Foundation
import SandboxTestSupport
import XCTest

/// The asynchronous solution end to end, against a sandbox over loopback: every change is a
/// push whose operation is `Pending` for the sandbox's push delay, then `Success` or `Failed`.
final class AsyncWorkflowTests: XCTestCase {
    func billPay(_ sandbox: CodatSandbox, _ integration: SandboxIntegration = .xero,
                 delivery: DeliveryPolicy = DeliveryPolicy(), attemptTimeout: Duration = .seconds(20)) throws -> AsyncBillPay {
        AsyncBillPay(client: v1Client(sandbox, attemptTimeout: attemptTimeout), company: try connection(sandbox, integration),
                     polling: fastPolling, delivery: delivery, journal: PaymentJournal())
    }

    func details(_ accountId: String, paymentMethod: String? = nil) -> PaymentDetails {
        PaymentDetails(account: AccountRef(id: accountId), date: DateTime(today), paymentMethod: paymentMethod.map { PaymentMethodRef(id: $0) })
    }

    func payments(_ sandbox: CodatSandbox, _ billPay: AsyncBillPay) -> Int {
        sandbox.billPayments(companyId: billPay.company.companyId, api: .v1).count
    }

    // MARK: Accounts

    func testBankAccountsAreTheChartOfAccountsBankAccounts() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let accounts = try await billPay.bankAccounts()
        XCTAssertTrue(accounts.allSatisfy { $0.isBankAccount == true })
        XCTAssertTrue(accounts.contains { $0.name == "Business Bank Account" })
        XCTAssertEqual(sandbox.requests("v1.list-accounts").last?.queryItems["query"], "isBankAccount=true")
    }

    func testAPaymentAccountIsCreatedWhereTheIntegrationTakesIt() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(50))

        // Sage Intacct: create-account, a chart-of-accounts entry.
        let intacct = try billPay(sandbox, .sageIntacct)
        let ledgerAccount = try await intacct.createPaymentAccount(for: .ach, name: "ACH payments", currency: "USD").waitForRecord()
        XCTAssertEqual(ledgerAccount.name, "ACH payments")
        XCTAssertEqual(ledgerAccount.type, .asset, "Debit: money leaves a bank account")
        XCTAssertEqual(sandbox.requests("v1.create-account").count, 1)

        // MYOB, Xero, QuickBooks Online, NetSuite: create-bank-account.
        for integration in [SandboxIntegration.myob, .xero, .quickBooksOnline, .netSuite] {
            let billPay = try billPay(sandbox, integration)
            let handle = try await billPay.createPaymentAccount(for: .wireTransfer, name: "Wires \(integration)", currency: "USD")
            let account = try await handle.waitForRecord()
            XCTAssertEqual(account.name, "Wires \(integration)")
            XCTAssertEqual(account.isBankAccount, true)
            let listed = try await billPay.bankAccounts()
            XCTAssertTrue(listed.contains { $0.id == account.id }, "\(integration): listed with the bank accounts")
        }
        XCTAssertEqual(sandbox.requests("v1.create-bank-account").count, 4)
        XCTAssertEqual(sandbox.requests("v1.create-bank-account").compactMap { $0.json?["accountType"]?.string }, Array(repeating: "Debit", count: 4))

        // Credit for card and BNPL, except on Xero.
        let card = try await billPay(sandbox, .quickBooksOnline).createPaymentAccount(for: .corporateCard, name: "Amex", currency: "USD")
        _ = try await card.wait()
        XCTAssertEqual(sandbox.requests("v1.create-bank-account").last?.json?["accountType"]?.string, "Credit")
        do {
            _ = try await billPay(sandbox, .xero).createPaymentAccount(for: .buyNowPayLater, name: "BNPL", currency: "GBP")
            XCTFail("Xero cannot create credit accounts")
        } catch let error as PaymentAccountError {
            XCTAssertEqual(error, .creditAccountsNotSupported(.xero))
        }
        XCTAssertEqual(sandbox.requests("v1.create-bank-account").count, 5, "refused before sending")
    }

    // MARK: Payments and their push operations

    func testAPushOperationGoesFromPendingToSuccessAndTheBillIsPaid() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(400))
        let billPay = try billPay(sandbox)
        let bill = try await billPay.bill(id: "8e65df54-4bbd-41f3-b241-8da2588be341")
        let handle = try await billPay.payBill(bill, details: details("bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"), intent: "async-workflow-1")

        XCTAssertEqual(handle.submitted?.status, .pending)
        let key = try XCTUnwrap(handle.pushOperationKey)
        let now = try await handle.status()
        XCTAssertEqual(now?.status, .pending, "still pending within the push delay")
        let read1 = try await billPay.bill(id: bill.id!)
        XCTAssertEqual(read1.status, .open, "nothing applied yet")

        let done = try await handle.wait()
        XCTAssertEqual(done.operation?.status, .success)
        XCTAssertEqual(done.operation?.pushOperationKey, key)
        XCTAssertGreaterThan(done.polls, 0)
        XCTAssertNotNil(done.recordId, "the operation names the record, without reading it")
        let record = try await done.fetchRecord()
        XCTAssertEqual(record.id, done.recordId)
        XCTAssertEqual(record.totalAmount, Decimal(string: "70.44"))
        XCTAssertEqual(record.supplierRef?.id, "3a0d40a2-2698-4cf5-b7b2-30133c632ab6")
        XCTAssertEqual(record.lines?.first?.links?.first?.amount, Decimal(string: "-70.44"))
        XCTAssertTrue(PaymentIntentID("async-workflow-1").isMarked(in: record.note), "the marker the layer finds it by")

        try await billPay.refresh(.bills)  // Codat shows what a push changed after a refresh (CODAT-FACTS §2)
        let paid = try await billPay.bill(id: bill.id!)
        XCTAssertEqual(paid.status, .paid)
        XCTAssertEqual(paid.amountDue, 0)
    }

    func testAFailedPushSurfacesCodatsValidationErrors() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(100))
        let billPay = try billPay(sandbox)
        let bill = try await billPay.bill(id: "8e65df54-4bbd-41f3-b241-8da2588be341")
        // Passes the layer's rules (it cannot know the account), fails Codat's.
        let handle = try await billPay.payBill(bill, details: details("no-such-account"), intent: "async-workflow-2")
        XCTAssertEqual(handle.submitted?.status, .pending)
        do {
            _ = try await handle.wait()
            XCTFail("the push fails")
        } catch let error as PushOperationFailedError {
            XCTAssertEqual(error.status, .failed)
            XCTAssertEqual(error.pushOperationKey, handle.pushOperationKey)
            XCTAssertEqual(error.validationErrors.map(\.validatorName), ["AccountExists"])
            XCTAssertEqual(error.validationErrors.first?.itemId, "accountRef.id")
            XCTAssertTrue(error.description.contains("Account 'no-such-account' was not found."), error.description)
        }
        let read2 = try await billPay.bill(id: bill.id!)
        XCTAssertEqual(read2.amountDue, Decimal(string: "70.44"), "nothing paid")
    }

    func testThePaymentValidatorRunsBeforeEverySend() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(50))
        let billPay = try billPay(sandbox, .sageIntacct)
        let bill = try await billPay.bill(id: "26572")
        do {
            _ = try await billPay.payBill(bill, details: details("84"), intent: "async-workflow-3")
            XCTFail("Sage Intacct needs a payment method")
        } catch let error as PaymentValidationError {
            XCTAssertEqual(error.rules, [.paymentMethodRequired])
        }
        do {
            _ = try await billPay.payBill(bill, amount: 500, details: details("84", paymentMethod: "12"), intent: "async-workflow-4")
            XCTFail("more than the amount due")
        } catch let error as PaymentValidationError {
            XCTAssertEqual(error.rules, [.withinAmountDue])
            XCTAssertTrue(error.description.contains("allocated 500 but its amountDue is 405"), error.description)
        }
        XCTAssertTrue(sandbox.requests("v1.create-bill-payment").isEmpty, "nothing sent")

        let paid = try await billPay.payBill(bill, details: details("84", paymentMethod: "12"), intent: "async-workflow-5").wait()
        let paidRecord = try await paid.fetchRecord()
        XCTAssertEqual(paidRecord.paymentMethodRef?.id, "12")
        try await billPay.refresh(.bills)
        let read3 = try await billPay.bill(id: "26572")
        XCTAssertEqual(read3.status, .paid)
    }

    func testAPartialPaymentLeavesTheBillPartiallyPaid() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(50))
        let billPay = try billPay(sandbox, .myob)
        let bill = try await billPay.bill(id: "edaff6be-43c2-4f1d-9511-11605ae310f0")
        let done = try await billPay.payBill(bill, amount: 40, details: details("161904cc-c2be-4cd7-afbd-ccd304473216"), intent: "async-workflow-6").wait()
        let partRecord = try await done.fetchRecord()
        XCTAssertEqual(partRecord.totalAmount, 40)
        try await billPay.refresh(.bills)
        let after = try await billPay.bill(id: bill.id!)
        XCTAssertEqual(after.status, .partiallyPaid)
        XCTAssertEqual(after.amountDue, 60)
    }

    func testSeveralBillsOfOneSupplierInOnePayment() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(50))

        // QuickBooks Online: one line with a link per bill.
        let qbo = try billPay(sandbox, .quickBooksOnline)
        let atob = try await [qbo.bill(id: "302"), qbo.bill(id: "303")]
        let qboPayment = try await qbo.payBills(atob.map { BillAllocation(bill: $0) }, details: details("122"), intent: "async-workflow-7").waitForRecord()
        XCTAssertEqual(qboPayment.totalAmount, 2500)
        XCTAssertEqual(qboPayment.supplierRef?.id, "77")
        XCTAssertEqual(qboPayment.lines?.count, 1)
        XCTAssertEqual(qboPayment.lines?.first?.links?.compactMap(\.amount), [-1200, -1300])
        try await qbo.refresh(.bills)
        for id in ["302", "303"] {
            let bill = try await qbo.bill(id: id)
            XCTAssertEqual(bill.status, .paid, id)
        }

        // Xero: one line per bill, the second bill in part.
        let xero = try billPay(sandbox, .xero)
        let powerDirect = try await [xero.bill(id: "59978bef-af2f-4a7e-9728-4997597c0980"), xero.bill(id: "2175c381-d323-4e20-8c94-7680ea7f85d3")]
        let xeroPayment = try await xero.payBills([BillAllocation(bill: powerDirect[0]), BillAllocation(bill: powerDirect[1], amount: Decimal(string: "8.6")!)],
                                                  details: details("bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"), intent: "async-workflow-8").waitForRecord()
        XCTAssertEqual(xeroPayment.lines?.map(\.amount), [Decimal(string: "135.85")!, Decimal(string: "8.6")!])
        try await xero.refresh(.bills)
        let read4 = try await xero.bill(id: "59978bef-af2f-4a7e-9728-4997597c0980")
        XCTAssertEqual(read4.status, .paid)
        let second = try await xero.bill(id: "2175c381-d323-4e20-8c94-7680ea7f85d3")
        XCTAssertEqual(second.status, .partiallyPaid)
        XCTAssertEqual(second.amountDue, 100)
    }

    func testABatchPaymentAcrossSuppliers() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(50))
        let billPay = try billPay(sandbox, .xero)
        let bills = try await [billPay.bill(id: "0394819c-b784-454d-991c-c4711b9aca12"), billPay.bill(id: "428e3e38-e8fb-4c56-91b5-dd09dc2e6505")]
        XCTAssertNotEqual(bills[0].supplierRef?.id, bills[1].supplierRef?.id)
        let done = try await billPay.batchPayment(bills.map { BillAllocation(bill: $0) }, details: details("d96ffd74-2394-4666-81c4-eebb76e51e21"), intent: "async-workflow-9").wait()
        let batch = try await done.fetchRecord()
        XCTAssertNil(batch.supplierRef, "a batch leaves supplierRef out")
        XCTAssertEqual(batch.totalAmount, 360)
        XCTAssertEqual(sandbox.requests("v1.create-bill-payment").last?.json?["supplierRef"], nil)
        try await billPay.refresh(.bills)
        for bill in bills {
            let read5 = try await billPay.bill(id: bill.id!)
            XCTAssertEqual(read5.status, .paid)
        }
    }

    // MARK: Credit notes

    func testACreditNoteIsCreatedThenAllocatedAloneInFull() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(50))
        let billPay = try billPay(sandbox, .xero)
        let swanston = SupplierRef(id: "3a0d40a2-2698-4cf5-b7b2-30133c632ab6")
        let draft = BillCreditNote.toCreate(number: "CN-T1", supplier: swanston, issueDate: DateTime(today), currency: "GBP",
                                            lines: [BillCreditNoteLineItem(description: "Returned camera", unitAmount: 50, quantity: 1, taxAmount: 10, totalAmount: 60)])
        let created = try await billPay.createCreditNote(draft, intent: "async-workflow-10").waitForRecord()
        let noteId = try XCTUnwrap(created.id)
        XCTAssertEqual(created.totalAmount, 60)
        XCTAssertEqual(created.availableCredit, 60)

        let bill = try await billPay.bill(id: "d3db09cd-a246-599e-ba9a-a6d084a352d3")
        let allocation = try await billPay.allocateCreditNote(created, to: bill, details: details("bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"), intent: "async-workflow-11").waitForRecord()
        XCTAssertEqual(allocation.totalAmount, 0, "no money paid")
        XCTAssertEqual(allocation.lines?.first?.links?.map(\.amount), [-60, 60])

        try await billPay.refresh(.bills)
        let after = try await billPay.bill(id: bill.id!)
        XCTAssertEqual(after.amountDue, 1380)
        XCTAssertEqual(after.status, .partiallyPaid)
        try await billPay.refresh(.billCreditNotes)
        let note = try await billPay.client.billCreditNotes.get(companyId: billPay.company.companyId, billCreditNoteId: noteId)
        XCTAssertEqual(note.remainingCredit, 0)

        // With a payment in the same bill payment: refused on Xero, before anything is sent.
        let sent = sandbox.requests("v1.create-bill-payment").count
        do {
            _ = try await billPay.allocateCreditNote(created, to: bill, partialPayment: 100, details: details("bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"), intent: "async-workflow-12")
            XCTFail("Xero allocates credit notes in full and alone")
        } catch let error as PaymentValidationError {
            XCTAssertTrue(error.rules.contains(.creditNoteInFullOnly), "\(error)")
        }
        XCTAssertEqual(sandbox.requests("v1.create-bill-payment").count, sent)
    }

    func testACreditNoteWithAPartialPaymentIsOnePaymentOrTwoAsTheIntegrationAllows() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(50))

        // NetSuite: one bill payment with the bill, the credit note and the money.
        let netSuite = try billPay(sandbox, .netSuite)
        let note = try await netSuite.client.billCreditNotes.get(companyId: netSuite.company.companyId, billCreditNoteId: "1781")
        let bill = try await netSuite.bill(id: "9003")
        let one = try await netSuite.settleBill(bill, creditNote: note, payment: 100, details: details("855"), intent: "async-workflow-13")
        XCTAssertEqual(one.count, 1)
        let settled = try await one[0].fetchRecord()
        XCTAssertEqual(settled.totalAmount, 100)
        XCTAssertEqual(settled.lines?.first?.links?.map(\.amount), [Decimal(string: "-274.6")!, Decimal(string: "174.6")!])
        try await netSuite.refresh(.bills)
        let read6 = try await netSuite.bill(id: "9003")
        XCTAssertEqual(read6.amountDue, Decimal(string: "224.4"))

        // Xero: the credit note alone in full, then the payment.
        let xero = try billPay(sandbox, .xero)
        let swanston = SupplierRef(id: "3a0d40a2-2698-4cf5-b7b2-30133c632ab6")
        let credit = try await xero.availableCreditNotes(supplierId: swanston.id)
        XCTAssertEqual(credit.map(\.id), ["ee8bec08-2be8-40ba-acd0-d53d5df11235"])
        let xeroBill = try await xero.bill(id: "8e65df54-4bbd-41f3-b241-8da2588be341")
        let two = try await xero.settleBill(xeroBill, creditNote: credit[0], payment: 20, details: details("bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"), intent: "async-workflow-14")
        let twoRecords = [try await two[0].fetchRecord(), try await two[1].fetchRecord()]
        XCTAssertEqual(twoRecords.map(\.totalAmount), [0, 20])
        try await xero.refresh(.bills)
        let after = try await xero.bill(id: xeroBill.id!)
        XCTAssertEqual(after.amountDue, Decimal(string: "25"), "70.44 - 25.44 credit - 20 paid")
        XCTAssertEqual(after.status, .partiallyPaid)
    }

    // MARK: Deleting

    func testDeletingABillPaymentAndABill() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(50))
        let billPay = try billPay(sandbox, .xero)
        let bill = try await billPay.bill(id: "76129542-2b2f-482f-b2b3-e612d9c1ba08")
        let payment = try await billPay.payBill(bill, amount: 60, details: details("bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"), intent: "async-workflow-15").waitForRecord()
        try await billPay.refresh(.bills)
        let read7 = try await billPay.bill(id: bill.id!)
        XCTAssertEqual(read7.amountDue, 300)

        let deleted = try await billPay.deleteBillPayment(id: try XCTUnwrap(payment.id)).wait()
        XCTAssertEqual(deleted.recordId, payment.id)
        XCTAssertEqual(deleted.operation?.status, .success)
        try await billPay.refresh(.bills)
        let restored = try await billPay.bill(id: bill.id!)
        XCTAssertEqual(restored.amountDue, 360)
        XCTAssertEqual(restored.status, .open)

        let gone = try await billPay.deleteBill(id: bill.id!).wait()
        XCTAssertEqual(gone.recordId, bill.id)
        try await billPay.refresh(.bills)
        do {
            _ = try await billPay.bill(id: bill.id!)
            XCTFail("the bill is deleted")
        } catch let error as CodatSyncPayablesV1Error {
            XCTAssertEqual(error.status, 404)
        }
    }

    // MARK: Waiting

    func testWaitingTimesOutAndCanBeCancelled() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .seconds(30))
        let billPay = try billPay(sandbox, .xero)
        let bill = try await billPay.bill(id: "8e65df54-4bbd-41f3-b241-8da2588be341")
        let handle = try await billPay.payBill(bill, details: details("bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"), intent: "async-workflow-16")
        do {
            _ = try await handle.wait(timeout: .milliseconds(300))
            XCTFail("still pending")
        } catch let error as PushWaitTimeoutError {
            XCTAssertEqual(error.pushOperationKey, handle.pushOperationKey)
            XCTAssertEqual(error.lastStatus, "Pending")
        }

        let waiting = Task { try await handle.wait() }
        try await Task.sleep(for: .milliseconds(150))
        waiting.cancel()
        let result = await waiting.result
        XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
    }
}
