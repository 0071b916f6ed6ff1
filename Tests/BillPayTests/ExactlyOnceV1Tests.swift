@testable import BillPay
import CodatSandbox
import CodatSyncPayablesV1
import Foundation
import SandboxTestSupport
import XCTest

/// The rules of `AtMostOnce.swift` through the asynchronous API, against the sandbox (which
/// follows CODAT-FACTS §2: written records listed only after a refresh, `TimedOut` writes that
/// may still land).
final class ExactlyOnceV1Tests: XCTestCase {
    let billId = "0394819c-b784-454d-991c-c4711b9aca12" // Xero, GBP 120 due
    let accountId = "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"

    func billPay(_ sandbox: CodatSandbox, delivery: DeliveryPolicy = testDelivery, journal: PaymentJournal = PaymentJournal()) throws -> AsyncBillPay {
        AsyncBillPay(client: v1Client(sandbox, attemptTimeout: .seconds(2)), company: try connection(sandbox, .xero), polling: sandboxPolling,
                     delivery: delivery, journal: journal, clock: SandboxPaymentClock(sandbox: sandbox))
    }

    func request(_ billPay: AsyncBillPay, amount: Decimal = 20) async throws -> BillPaymentRequest {
        try billPay.builder.payBill(try await billPay.bill(id: billId), amount: amount,
                                    details: PaymentDetails(account: AccountRef(id: accountId), date: "2024-06-01"))
    }

    /// The intents each ground-truth payment of the company carries (its marker).
    func recorded(_ sandbox: CodatSandbox, _ billPay: AsyncBillPay) -> [PaymentIntentID: Int] {
        var counts: [PaymentIntentID: Int] = [:]
        for payment in sandbox.billPayments(companyId: billPay.company.companyId, api: .v1) {
            for intent in PaymentIntentID.intents(inNote: payment["note"]?.string) { counts[intent, default: 0] += 1 }
        }
        return counts
    }

    func testTwoIdenticalInstalmentsAreTwoRecordsAndTheRecordIsReadAfterARefresh() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        let first = try await billPay.pay(try await request(billPay), intent: "v1-instalment-1").wait()
        let second = try await billPay.pay(try await request(billPay), intent: "v1-instalment-2").wait()
        XCTAssertNotNil(first.recordId, "the outcome names the record without reading it")
        XCTAssertNotEqual(first.recordId, second.recordId)
        XCTAssertEqual(recorded(sandbox, billPay), ["v1-instalment-1": 1, "v1-instalment-2": 1])
        // Codat lists a written record only after a refresh (CODAT-FACTS §2): fetchRecord refreshes first.
        XCTAssertNil(sandbox.cachedRecords(.billPayments, companyId: billPay.company.companyId).first { $0.id == first.recordId })
        let record = try await first.fetchRecord()
        XCTAssertEqual(record.id, first.recordId)
        XCTAssertTrue(PaymentIntentID("v1-instalment-1").isMarked(in: record.note))
        let keys = sandbox.requests("v1.create-bill-payment").compactMap { $0.header("Idempotency-Key") }
        XCTAssertEqual(keys.count, 2, "the asynchronous API carries the key too")
        XCTAssertEqual(Set(keys).count, 2)
    }

    func testALostAnswerIsReplayedAndAReplayed5xxIsReconciledAfterARefresh() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = try billPay(sandbox)
        sandbox.inject(.dropAfterProcessing, on: .operation("v1.create-bill-payment"), times: 1)
        let lost = try await billPay.pay(try await request(billPay), intent: "v1-lost-answer")
        XCTAssertEqual(lost.delivery?.resolvedByReplay, 1)
        XCTAssertNotNil(lost.pushOperationKey, "the replayed answer names the push operation")
        _ = try await lost.wait()

        sandbox.inject(.statusAfterProcessing(502), on: .operation("v1.create-bill-payment"), times: 1)
        let hidden = try await billPay.pay(try await request(billPay), intent: "v1-5xx-after-write")
        XCTAssertEqual(hidden.delivery?.sends, 1, "never resent: the 502 is replayed for the key")
        XCTAssertEqual(hidden.delivery?.resolvedByReconciliation, 1, "found by its marker after a refresh")
        let hiddenDone = try await hidden.wait()
        XCTAssertNotNil(hiddenDone.recordId)

        sandbox.inject(.status(503), on: .operation("v1.create-bill-payment"), times: 1)
        let refused = try await billPay.pay(try await request(billPay), intent: "v1-5xx-before-write")
        XCTAssertEqual(refused.delivery?.provenNotRecorded, 1, "no operation since, no marker after a refresh: not recorded")
        XCTAssertEqual(refused.delivery?.idempotencyKeys.count, 2)
        _ = try await refused.wait()
        XCTAssertEqual(recorded(sandbox, billPay), ["v1-lost-answer": 1, "v1-5xx-after-write": 1, "v1-5xx-before-write": 1])
    }

    func testATimedOutPushIsUnknownUntilItSettlesThenResolved() async throws {
        // A slow connector: pushes stay Pending 10 minutes, and time out after 1.
        let sandbox = try await startSandbox(self, pushDelay: .seconds(600), faultSeed: 0x71ED)
        var delivery = testDelivery
        delivery.pushTimeoutInMinutes = 1
        delivery.timedOutSettleTime = .seconds(3600)
        let billPay = try billPay(sandbox, delivery: delivery)
        let intents = (1...6).map { PaymentIntentID("v1-timed-out-\($0)") }
        for intent in intents {
            let handle = try await billPay.pay(try await request(billPay, amount: 5), intent: intent)
            do {
                _ = try await handle.wait()
                XCTFail("the push times out")
            } catch let error as PaymentOutcomeUnknownError {
                XCTAssertEqual(error.resume.status, .accepted, "TimedOut is unknown, not failed")
                XCTAssertEqual(error.resume.pushOperationKey, handle.pushOperationKey)
            }
        }
        // Paying again before the settle time sends nothing and stays unknown.
        do {
            _ = try await billPay.pay(try await request(billPay, amount: 5), intent: intents[5])
            XCTFail("still unknown")
        } catch is PaymentOutcomeUnknownError {}
        XCTAssertEqual(sandbox.requests("v1.create-bill-payment").count, 6)

        // After the settle time: found landed (the sandbox lands about half), or proven absent and sent again.
        sandbox.setPushDelay(.milliseconds(300))
        sandbox.advanceClock(by: .seconds(3600))
        var landed = 0
        for intent in intents {
            let handle = try await billPay.pay(try await request(billPay, amount: 5), intent: intent)
            if handle.delivery?.provenNotRecorded == 0 { landed += 1 }
            _ = try await handle.wait()
        }
        XCTAssertEqual(recorded(sandbox, billPay), Dictionary(uniqueKeysWithValues: intents.map { ($0, 1) }), "each intent once")
        XCTAssertGreaterThan(landed, 0, "some timed-out writes landed and were found")
        XCTAssertLessThan(landed, intents.count, "some did not and were sent again")
    }
}
