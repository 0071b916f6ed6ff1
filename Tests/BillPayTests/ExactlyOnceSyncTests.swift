@testable import BillPay
import CodatSandbox
import CodatSyncPayables
import Foundation
import SandboxTestSupport
import XCTest

/// The rules of `AtMostOnce.swift` one by one, through the synchronous API, against the sandbox
/// (which follows CODAT-FACTS §1: every non-429 answer replayed for the key for 90 minutes, 409
/// while the key's first request is in flight).
final class ExactlyOnceSyncTests: XCTestCase {
    let billId = "0394819c-b784-454d-991c-c4711b9aca12" // Xero, GBP 120 due

    func billPay(_ sandbox: CodatSandbox, journal: PaymentJournal = PaymentJournal()) throws -> SyncBillPay {
        SyncBillPay(client: syncClient(sandbox, attemptTimeout: .seconds(2)), company: try connection(sandbox, .xero),
                    delivery: testDelivery, journal: journal, clock: SandboxPaymentClock(sandbox: sandbox))
    }

    func request(_ billPay: SyncBillPay, amount: Decimal = 20) async throws -> SyncBillPaymentRequest {
        let bill = try await XCTUnwrapAsync(await billPay.bill(id: billId))
        let account = try await XCTUnwrapAsync(SyncBillPay.paymentAccount(in: "GBP", among: await billPay.paymentAccounts()))
        return try SyncBillPaymentRequest.payBill(bill, amount: amount, from: account, date: "2024-06-01")
    }

    func recorded(_ sandbox: CodatSandbox, _ billPay: SyncBillPay) -> Int {
        sandbox.billPayments(companyId: billPay.company.companyId, api: .sync).filter { $0["billId"]?.string == billId }.count
    }

    // MARK: Keys and markers

    func testTheSameIntentAlwaysSendsTheSameGUIDAndNoTwoIntentsShareOne() {
        XCTAssertEqual(SHA256.digest(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined(),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "FIPS 180-4 test vector")
        let intent: PaymentIntentID = "invoice-4711.instalment-1"
        let key = intent.idempotencyKey(companyId: "c1", attempt: 1)
        XCTAssertEqual(key, intent.idempotencyKey(companyId: "c1", attempt: 1), "deterministic")
        XCTAssertEqual(key, "8a0c960c-b144-8505-b89c-adaf87dbf0f7", "the same on every platform and in every run (checked with Python hashlib)")
        XCTAssertNotNil(key.range(of: #"^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#, options: .regularExpression),
                        "a GUID (RFC 9562 version 8): \(key)")
        XCTAssertNotNil(UUID(uuidString: key))
        let others = [PaymentIntentID("invoice-4711.instalment-2").idempotencyKey(companyId: "c1", attempt: 1),
                      intent.idempotencyKey(companyId: "c1", attempt: 2), intent.idempotencyKey(companyId: "c2", attempt: 1)]
        XCTAssertEqual(Set(others + [key]).count, 4, "another intent, attempt or company: another key")
        let many = (0..<10_000).map { PaymentIntentID("p-\($0)").idempotencyKey(companyId: "c", attempt: 1) }
        XCTAssertEqual(Set(many).count, many.count)

        XCTAssertThrowsError(try PaymentIntentID("").validated())
        XCTAssertThrowsError(try PaymentIntentID("has space").validated()) { XCTAssertTrue("\($0)".contains("not usable"), "\($0)") }
        XCTAssertThrowsError(try PaymentIntentID("run:7").validated())
        XCTAssertNoThrow(try PaymentIntentID("run-7_bill.3").validated())
    }

    func testAMarkerMatchesItsExactTokenOnly() {
        let one: PaymentIntentID = "inv-1", ten: PaymentIntentID = "inv-10"
        XCTAssertEqual(one.marking("Paid by BillPay"), "Paid by BillPay [billpay-intent:inv-1]")
        XCTAssertEqual(one.marking(one.marking(nil)), one.marker)
        XCTAssertTrue(one.isMarked(in: "x [billpay-intent:inv-1] y"))
        XCTAssertFalse(one.isMarked(in: ten.marker), "inv-1 does not match inv-10")
        XCTAssertFalse(ten.isMarked(in: one.marker))
        XCTAssertFalse(one.isMarked(in: "[billpay-intent:inv-1"), "unterminated")
        XCTAssertEqual(PaymentIntentID.intents(inNote: "a [billpay-intent:inv-10] b [billpay-intent:inv-1]"), [ten, one])
    }

    // MARK: Against the sandbox

    func testTwoIdenticalInstalmentsAreTwoRecords() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let first = try await billPay.pay(try await request(billPay), intent: "bill-0394-instalment-1")
        let second = try await billPay.pay(try await request(billPay), intent: "bill-0394-instalment-2")
        XCTAssertEqual(first.request.payment, second.request.payment, "the same payload")
        XCTAssertNotEqual(first.delivery.idempotencyKeys, second.delivery.idempotencyKeys)
        XCTAssertEqual(recorded(sandbox, billPay), 2, "two intents, two records")
        XCTAssertEqual(sandbox.bill(billId, companyId: billPay.company.companyId)?.amountDue, 80)

        // Paying an intent again sends nothing: it is recorded.
        let again = try await billPay.pay(try await request(billPay), intent: "bill-0394-instalment-1")
        XCTAssertTrue(again.delivery.alreadyRecorded)
        XCTAssertEqual(again.delivery.sends, 0)
        XCTAssertEqual(recorded(sandbox, billPay), 2)
        XCTAssertEqual(sandbox.requests("sync.create-bill-payment").count, 2)
        // ...and an intent is one payment: another payload under its id is refused.
        do {
            _ = try await billPay.pay(try await request(billPay, amount: 5), intent: "bill-0394-instalment-1")
            XCTFail("another payload under a paid intent")
        } catch let error as PaymentIntentError {
            XCTAssertEqual(error, .payloadChanged(intentId: "bill-0394-instalment-1"))
        }
    }

    func testALostAnswerIsResolvedByResendingTheSameKey() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        sandbox.inject(.dropAfterProcessing, on: .operation("sync.create-bill-payment"), times: 1)
        let receipt = try await billPay.pay(try await request(billPay), intent: "lost-answer")
        XCTAssertEqual(receipt.delivery.sends, 2)
        XCTAssertEqual(receipt.delivery.resolvedByReplay, 1)
        XCTAssertEqual(receipt.delivery.idempotencyKeys.count, 1, "the same key")
        let keys = sandbox.requests("sync.create-bill-payment").compactMap { $0.header("Idempotency-Key") }
        XCTAssertEqual(keys, [receipt.delivery.idempotencyKeys[0], receipt.delivery.idempotencyKeys[0]])
        XCTAssertNotNil(receipt.payment, "Codat replayed the first answer")
        XCTAssertEqual(recorded(sandbox, billPay), 1)
    }

    func testA409IsWaitedForThenReplayed() async throws {
        // Each write takes 300 ms; a second process (its own journal) pays the same intent meanwhile.
        let sandbox = try await startSandbox(self, writeProcessingTime: .milliseconds(300))
        let one = try billPay(sandbox), other = try billPay(sandbox)
        let payment = try await request(one)
        async let first = one.pay(payment, intent: "paid-by-two-processes")
        try await Task.sleep(for: .milliseconds(100))
        let second = try await other.pay(payment, intent: "paid-by-two-processes")
        let firstReceipt = try await first
        XCTAssertEqual(recorded(sandbox, one), 1, "one record")
        XCTAssertEqual(firstReceipt.delivery.sends, 1)
        XCTAssertGreaterThanOrEqual(second.delivery.ambiguousSends, 1, "409 while the first was in flight")
        XCTAssertEqual(second.delivery.resolvedByReplay, 1, "then the first answer, replayed")
        XCTAssertEqual(second.payment?.id, firstReceipt.payment?.id)
        XCTAssertTrue(sandbox.recordedRequests.contains { $0.operation == "sync.create-bill-payment" && $0.responseStatus == 409 })
    }

    func testAReplayed5xxIsReconciledFromTheBillsAmountDue() async throws {
        // After the write: the amount due went down by the payment; nothing is sent again.
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        sandbox.inject(.statusAfterProcessing(502), on: .operation("sync.create-bill-payment"), times: 1)
        let written = try await billPay.pay(try await request(billPay), intent: "5xx-after-write")
        XCTAssertEqual(written.delivery.sends, 1, "a 5XX is replayed for the key: resending it would tell nothing")
        XCTAssertEqual(written.delivery.resolvedByReconciliation, 1)
        XCTAssertNil(written.payment)
        XCTAssertEqual(recorded(sandbox, billPay), 1)

        // Before the write: unchanged, so proven not recorded, and sent again under the next key.
        sandbox.inject(.status(500), on: .operation("sync.create-bill-payment"), times: 1)
        let retried = try await billPay.pay(try await request(billPay), intent: "5xx-before-write")
        XCTAssertEqual(retried.delivery.sends, 2)
        XCTAssertEqual(retried.delivery.provenNotRecorded, 1)
        XCTAssertEqual(retried.delivery.idempotencyKeys, [PaymentIntentID("5xx-before-write").idempotencyKey(companyId: billPay.company.companyId, attempt: 1),
                                                          PaymentIntentID("5xx-before-write").idempotencyKey(companyId: billPay.company.companyId, attempt: 2)])
        XCTAssertEqual(recorded(sandbox, billPay), 2)
        XCTAssertEqual(sandbox.bill(billId, companyId: billPay.company.companyId)?.amountDue, 80)
    }

    func testConcurrentCallsOfOneIntentSendOnce() async throws {
        let sandbox = try await startSandbox(self, writeProcessingTime: .milliseconds(100))
        let billPay = try billPay(sandbox)
        let payment = try await request(billPay)
        let receipts = try await withThrowingTaskGroup(of: SyncPaymentReceipt.self) { group in
            for _ in 0..<5 { group.addTask { try await billPay.pay(payment, intent: "pressed-five-times") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(sandbox.requests("sync.create-bill-payment").count, 1, "one send")
        XCTAssertEqual(receipts.filter { !$0.delivery.joined && !$0.delivery.alreadyRecorded }.count, 1)
        XCTAssertEqual(Set(receipts.map(\.recordId)).count, 1)
        XCTAssertEqual(recorded(sandbox, billPay), 1)
    }

    func testCancellationAfterTheSendIsAnUnknownOutcomeWithResumeData() async throws {
        let sandbox = try await startSandbox(self, writeProcessingTime: .milliseconds(500))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("billpay-journal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let billPay = try billPay(sandbox, journal: try .files(in: directory))
        let payment = try await request(billPay)
        let task = Task { try await billPay.pay(payment, intent: "cancelled-in-flight") }
        try await Task.sleep(for: .milliseconds(150))
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("cancelled after the send")
        } catch let error as PaymentOutcomeUnknownError {
            XCTAssertEqual(error.resume.intentId, "cancelled-in-flight")
            XCTAssertEqual(error.resume.idempotencyKeys.count, 1)
            XCTAssertEqual(error.resume.status, .sent)
            XCTAssertNotNil(error.resume.firstSentAt)
            XCTAssertEqual(error.resume.amountDueBefore, 120)
        }
        // Another process (a new journal over the same files) resumes it: the same key again.
        try await Task.sleep(for: .milliseconds(500))
        let resumed = try await self.billPay(sandbox, journal: try .files(in: directory)).pay(payment, intent: "cancelled-in-flight")
        XCTAssertTrue(resumed.delivery.resumed)
        XCTAssertEqual(resumed.delivery.resolvedByReplay, 1)
        XCTAssertEqual(recorded(sandbox, billPay), 1)
    }

    func testLostAnswersBeyondTheReplayBudgetAreFoundByTheAmountDueOrReportedUnknownWithResumeData() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let payment = try await request(billPay)
        // The send and its three replays all lose their answer; the first was recorded: the
        // bill's amount due proves it (a positive proof needs no final answer).
        sandbox.inject(.dropAfterProcessing, on: .operation("sync.create-bill-payment"), times: 4)
        let found = try await billPay.pay(payment, intent: "answers-lost")
        XCTAssertEqual(found.delivery.sends, 4, "the same key, never a new one")
        XCTAssertEqual(found.delivery.resolvedByReconciliation, 1)
        XCTAssertEqual(recorded(sandbox, billPay), 1)

        // Nothing arrives, and nothing says so: the amount due is unchanged, but the request may
        // still be on its way (the window is open), so the outcome is unknown, not "not recorded".
        sandbox.inject(.dropBeforeProcessing, on: .operation("sync.create-bill-payment"), times: 4)
        let unknown: PaymentOutcomeUnknownError
        do {
            _ = try await billPay.pay(payment, intent: "nothing-arrived")
            return XCTFail("the outcome cannot be known yet")
        } catch let error as PaymentOutcomeUnknownError {
            unknown = error
        }
        XCTAssertEqual(unknown.resume.idempotencyKeys.count, 1, "no second key without a proof")
        XCTAssertEqual(recorded(sandbox, billPay), 1)

        // Another process, with only the resume data: the same key again.
        let elsewhere = try self.billPay(sandbox, journal: PaymentJournal())
        let receipt = try await elsewhere.pay(payment, intent: "nothing-arrived", resume: unknown.resume)
        XCTAssertTrue(receipt.delivery.resumed)
        XCTAssertEqual(receipt.delivery.idempotencyKeys, unknown.resume.idempotencyKeys)
        XCTAssertEqual(recorded(sandbox, billPay), 2)
    }

    func testAForeignCurrencyPaymentIsInTheBillsCurrencyAndCheckedAgainstItsAmountDue() throws {
        let bill = Bill(id: "eur-bill", supplierRef: SupplierRef(id: "s"), issueDate: "2024-01-01", dueDate: "2024-01-31", currency: "EUR",
                        status: .open, totalAmount: 499, amountDue: 499)
        let sterling = BankAccountMappingOption(id: "gbp-account", currency: "GBP")
        let request = try SyncBillPaymentRequest.payBill(bill, amount: 100, from: sterling, date: "2024-06-01", currencyRate: Decimal(string: "0.85"))
        XCTAssertEqual(request.payment.amount, 100, "EUR, the bill's currency (CODAT-FACTS §6)")
        XCTAssertEqual(request.payment.currencyRate, Decimal(string: "0.85"), "EUR to GBP")
        XCTAssertTrue(request.isPartial)
        XCTAssertThrowsError(try SyncBillPaymentRequest.payBill(bill, amount: 500, from: sterling, date: "2024-06-01", currencyRate: 1)) {
            XCTAssertEqual($0 as? SyncPaymentError, .amountExceedsAmountDue(billId: "eur-bill", amount: 500, amountDue: 499), "checked with a rate too")
        }
        XCTAssertThrowsError(try request.check(against: Bill(id: "eur-bill", supplierRef: SupplierRef(id: "s"), issueDate: "2024-01-01",
                                                              dueDate: "2024-01-31", currency: "EUR", status: .partiallyPaid, totalAmount: 499, amountDue: 50)))
        let full = try SyncBillPaymentRequest.payBill(bill, from: sterling, date: "2024-06-01", currencyRate: Decimal(string: "0.85"))
        XCTAssertEqual(full.payment.amount, 499, "in full: the amount due, in EUR")
    }
}
