@testable import BillPay
import CodatSandbox
import CodatSyncPayablesV1
import CodatWebhooks
import CodatWebhooksHummingbird
import Foundation
import SandboxTestSupport
import XCTest

/// Push handles settled by Codat's write webhooks (CODAT-FACTS §4: `{dataType}.write.successful`
/// / `.unsuccessful`, signed, at least once, in no order) with polling switched off: the sandbox
/// sends signed deliveries over loopback to a real consumer, which verifies them with
/// `WebhookVerifier` and hands them to a `PushEventInbox`.
final class WebhookSettlementTests: XCTestCase {
    let billId = "0394819c-b784-454d-991c-c4711b9aca12" // Xero, GBP 120 due
    let accountId = "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"
    /// Handles wait on webhooks only.
    let webhooksOnly = PushPolling(maxInterval: .milliseconds(200), timeout: .seconds(60), enabled: false)

    /// What the consumer made of each delivery: the receiver's receipt (verification and
    /// `webhook-id` deduplication, CodatWebhooks) and, for the ones handled, the inbox's.
    final class Deliveries: @unchecked Sendable {
        private let lock = NSLock()
        private var receiptList: [WebhookReceipt] = []
        private var inboxList: [PushEventInbox.Receipt] = []
        func add(_ receipt: WebhookReceipt) {
            lock.lock(); defer { lock.unlock() }
            receiptList.append(receipt)
        }
        func add(_ receipt: PushEventInbox.Receipt) {
            lock.lock(); defer { lock.unlock() }
            inboxList.append(receipt)
        }
        var receipts: [WebhookReceipt] {
            lock.lock(); defer { lock.unlock() }
            return receiptList
        }
        var inbox: [PushEventInbox.Receipt] {
            lock.lock(); defer { lock.unlock() }
            return inboxList
        }
    }

    /// A webhook endpoint on loopback, as an application would run one: `CodatWebhookServer`
    /// (CodatWebhooksHummingbird's route and `WebhookReceiver`: verify, 401 when it fails; decode;
    /// deduplicate on `webhook-id`; answer at once), whose handler hands write events to the inbox.
    func startConsumer(secret: WebhookSecret, inbox: PushEventInbox, deliveries: Deliveries) async throws -> URL {
        let receiver = WebhookReceiver(verifier: WebhookVerifier(secret: secret)) { delivery in
            guard let write = delivery.event.write, let event = PushWriteEvent(write.webhook) else { return }
            deliveries.add(await inbox.receive(event))
        }
        let server = try await CodatWebhookServer.start(path: "/codat/webhooks", receiver: receiver) { deliveries.add($0) }
        addTeardownBlock { await server.stop() }
        return server.url
    }

    /// A sandbox (pushes settle after 300 ms), a consumer subscribed to it, and the Bill Pay layer
    /// with polling off and the consumer's inbox; the wall clock (the sandbox's moves with it).
    func startWebhookSetup() async throws -> (CodatSandbox, AsyncBillPay, PushEventInbox, Deliveries, PaymentJournal) {
        let sandbox = try await startSandbox(self)
        let secret = WebhookSecret.generate()
        let inbox = PushEventInbox()
        let deliveries = Deliveries()
        let url = try await startConsumer(secret: secret, inbox: inbox, deliveries: deliveries)
        try sandbox.addWebhookConsumer(url: url, secret: secret.stringValue)
        let journal = PaymentJournal()
        let billPay = AsyncBillPay(client: v1Client(sandbox), company: try connection(sandbox, .xero), polling: webhooksOnly,
                                   delivery: testDelivery, journal: journal, pushEvents: inbox)
        return (sandbox, billPay, inbox, deliveries, journal)
    }

    func payment(_ billPay: AsyncBillPay, amount: Decimal) async throws -> BillPaymentRequest {
        try billPay.builder.payBill(try await billPay.bill(id: billId), amount: amount,
                                    details: PaymentDetails(account: AccountRef(id: accountId), date: "2024-06-01"))
    }

    func testAV1PaymentIsSettledByItsWebhookWithPollingOffAndDuplicatedReorderedDeliveriesCountOnce() async throws {
        let (sandbox, billPay, inbox, deliveries, journal) = try await startWebhookSetup()
        // Every delivery twice; the first payment's event held back 60 s of sandbox time so the
        // second one's arrives first (facts §4: at least once, no order).
        sandbox.injectWebhookFault(.duplicate, times: nil)
        sandbox.injectWebhookFault(.reorder(delay: .seconds(60)), eventType: "billPayments.write.successful", times: 1)

        let first = try await billPay.pay(try await payment(billPay, amount: 20), intent: "webhook-first")
        let second = try await billPay.pay(try await payment(billPay, amount: 30), intent: "webhook-second")
        let firstWait = Task { try await first.wait() }
        let secondDone = try await second.wait()
        XCTAssertEqual(secondDone.polls, 0)
        XCTAssertNotNil(secondDone.webhookEventId, "settled by its webhook")
        let secondEntry = try await journal.entry(companyId: billPay.company.companyId, intentId: "webhook-second")
        XCTAssertEqual(secondEntry?.status, .recorded)
        XCTAssertEqual(secondEntry?.recordId, secondDone.recordId, "the journal keeps the event's record.id")

        // The first is still pending until its held-back event is delivered.
        sandbox.advanceClock(by: .seconds(60))
        let firstDone = try await firstWait.value
        XCTAssertNotNil(firstDone.webhookEventId)
        XCTAssertEqual(firstDone.polls, 0)

        // record.id is the payment the sandbox wrote, one per intent.
        let written = sandbox.billPayments(companyId: billPay.company.companyId, api: .v1)
        for (intent, done) in [("webhook-first", firstDone), ("webhook-second", secondDone)] {
            let matching = written.filter { PaymentIntentID(intent).isMarked(in: $0["note"]?.string) }
            XCTAssertEqual(matching.count, 1, intent)
            XCTAssertEqual(matching.first?.id, done.recordId, intent)
        }
        XCTAssertTrue(sandbox.requests("v1.get-push-operation").isEmpty, "polling was off: no GET of a push operation")

        // Delivered in the order second, first; each twice: the copy is acknowledged as a
        // duplicate of its webhook-id, and each operation settles once.
        await sandbox.deliverDueWebhooks()
        let receipts = deliveries.receipts
        XCTAssertEqual(receipts.count, 4)
        XCTAssertEqual(receipts.filter { if case .accepted = $0 { return true } else { return false } }.count, 2)
        XCTAssertEqual(receipts.filter { if case .duplicate = $0 { return true } else { return false } }.count, 2)
        XCTAssertEqual(deliveries.inbox, [.accepted, .accepted])
        let order = sandbox.webhookMessages.sorted { ($0.attempts.first?.sentAt ?? .distantFuture) < ($1.attempts.first?.sentAt ?? .distantFuture) }
        XCTAssertEqual(order.map(\.pushOperationKey), [second.pushOperationKey, first.pushOperationKey])

        // A Success arriving again for an intent already recorded changes nothing.
        let before = try await journal.entry(companyId: billPay.company.companyId, intentId: "webhook-first")
        let firstKey = try XCTUnwrap(first.pushOperationKey)
        let firstEventId = try XCTUnwrap(firstDone.webhookEventId)
        let again = await inbox.receive(PushWriteEvent(eventId: "another-delivery", eventType: "billPayments.write.successful",
                                                       pushOperationKey: firstKey, status: .success, recordId: "some-other-id"))
        XCTAssertEqual(again, .duplicate(firstEventId: firstEventId))
        let rewaited = try await first.wait()
        XCTAssertEqual(rewaited.recordId, firstDone.recordId)
        let after = try await journal.entry(companyId: billPay.company.companyId, intentId: "webhook-first")
        XCTAssertEqual(after, before)
    }

    func testAnUnsuccessfulWriteEventReportsTheFailureWithItsDetails() async throws {
        let (sandbox, billPay, _, deliveries, _) = try await startWebhookSetup()
        let handle = try await billPay.deleteBillPayment(id: "no-such-payment")
        do {
            _ = try await handle.wait()
            XCTFail("the delete cannot succeed")
        } catch let error as PushOperationFailedError {
            XCTAssertEqual(error.status, .failed)
            XCTAssertEqual(error.errorMessage, "Bill payment 'no-such-payment' was not found.")
            XCTAssertEqual(error.validationErrors.first?.itemId, "no-such-payment", "the details a webhook does not carry, read once")
        }
        XCTAssertEqual(sandbox.requests("v1.get-push-operation").count, 1, "one read for the details, no polling")
        XCTAssertEqual(deliveries.inbox, [.accepted])
        XCTAssertEqual(sandbox.webhookMessages.first?.eventType, "billPayments.write.unsuccessful")
    }

    func testARefusedDeliveryIsRetriedAndStillSettlesTheHandle() async throws {
        let (sandbox, billPay, _, deliveries, _) = try await startWebhookSetup()
        // The first attempt carries a bad signature: the consumer answers 401, the sandbox
        // retries after 5 s of sandbox time (facts §4 schedule).
        sandbox.injectWebhookFault(.badSignature, times: 1)
        let handle = try await billPay.pay(try await payment(billPay, amount: 10), intent: "webhook-retried")
        let waiting = Task { try await handle.wait() }
        let refused = try await eventually { deliveries.receipts.contains { $0.httpStatus == 401 } }
        XCTAssertTrue(refused)
        sandbox.advanceClock(by: .seconds(5))
        let done = try await waiting.value
        XCTAssertNotNil(done.webhookEventId)
        XCTAssertEqual(deliveries.receipts.first?.description.contains("signature"), true, deliveries.receipts.first?.description ?? "")
        // The handle settles as soon as the consumer has the event; the sandbox logs the attempt
        // when the consumer's 200 reaches it, a moment later.
        let logged = try await eventually { sandbox.webhookMessages.first?.attempts.count == 2 }
        XCTAssertTrue(logged)
        XCTAssertEqual(sandbox.webhookMessages.first?.attempts.map(\.statusCode), [401, 200])
    }

    func testWithPollingOffAndNoInboxWaitingSaysWhyItCannot() async throws {
        let sandbox = try await startSandbox(self)
        let billPay = AsyncBillPay(client: v1Client(sandbox), company: try connection(sandbox, .xero), polling: webhooksOnly,
                                   delivery: testDelivery, journal: PaymentJournal())
        let handle = try await billPay.deleteBillPayment(id: "no-such-payment")
        do {
            _ = try await handle.wait()
            XCTFail("nothing can settle it")
        } catch let error as PushWaitNotPossibleError {
            XCTAssertTrue(error.description.contains("polling is switched off"))
        }
    }

    func testTheInboxKeepsTheFirstEventOfAnOperationWhetherItCameBeforeOrDuringTheWait() async throws {
        let inbox = PushEventInbox()
        func event(_ id: String, _ key: String, _ status: PushOperationStatus, record: String? = nil) -> PushWriteEvent {
            PushWriteEvent(eventId: id, eventType: "billPayments.write.successful", pushOperationKey: key, status: status, recordId: record)
        }
        // Before the wait.
        let early = await inbox.receive(event("e1", "op-1", .success, record: "pay-1"))
        XCTAssertEqual(early, .accepted)
        let found = try await inbox.outcome(pushOperationKey: "op-1")
        XCTAssertEqual(found.recordId, "pay-1")
        // During the wait.
        let waiting = Task { try await inbox.outcome(pushOperationKey: "op-2") }
        try await Task.sleep(for: .milliseconds(20))
        let pending = await inbox.receive(event("e2", "op-2", .pending))
        XCTAssertEqual(pending, .ignored, "not an outcome")
        let failed = await inbox.receive(event("e3", "op-2", .failed))
        XCTAssertEqual(failed, .accepted)
        let woken = try await waiting.value
        XCTAssertEqual(woken.eventId, "e3")
        // A second event of an operation changes nothing.
        let again = await inbox.receive(event("e4", "op-1", .success, record: "pay-other"))
        XCTAssertEqual(again, .duplicate(firstEventId: "e1"))
        let kept = await inbox.event(pushOperationKey: "op-1")
        XCTAssertEqual(kept?.recordId, "pay-1")
        // A cancelled wait ends with CancellationError.
        let cancelled = Task { try await inbox.outcome(pushOperationKey: "op-never") }
        try await Task.sleep(for: .milliseconds(20))
        cancelled.cancel()
        do {
            _ = try await cancelled.value
            XCTFail("cancelled")
        } catch is CancellationError {}
    }

    func testAWriteEventComesFromCodatsExampleBodyAsCodatWebhooksDecodesIt() throws {
        // The `Record` example of `{dataType}.write.successful` in Codat-Platform.yaml.
        let body = Data("""
        {"id": "bae71d36-ff47-420a-b4a6-f8c9ddf41140", "eventType": "bills.write.successful", "generatedDate": "2023-05-03T10:00:23Z",
         "payload": {"id": "a9367074-b5c3-42c4-9be4-be129f43577e", "type": "Create",
          "referenceCompany": {"id": "70af3071-65d9-4ec3-b3cb-5283e8d55dac", "name": "Toft stores", "description": "cust_1MtJUT2eZvKYlo2CNaw2HvEv"},
          "connectionId": "12571faf-0898-47e7-afdd-0fe9eb0a9bf5", "requestedOnDate": "2023-05-03T10:00:00Z",
          "completedOnDate": "2023-05-03T10:00:23Z", "status": "Success", "record": {"id": "bil_1Nispe2eZvKYlo2Cd31jOCgZ"}}}
        """.utf8)
        let write = try XCTUnwrap(try CodatWebhookEvent.decode(body).write)
        let event = try XCTUnwrap(PushWriteEvent(write.webhook))
        XCTAssertEqual(event.pushOperationKey, "a9367074-b5c3-42c4-9be4-be129f43577e")
        XCTAssertEqual(event.status, .success)
        XCTAssertEqual(event.recordId, "bil_1Nispe2eZvKYlo2Cd31jOCgZ")
        XCTAssertEqual(event.dataType, "bills")
        XCTAssertEqual(event.companyId, "70af3071-65d9-4ec3-b3cb-5283e8d55dac")
        let operation = event.operation(companyId: "unused")
        XCTAssertEqual(operation.recordId, "bil_1Nispe2eZvKYlo2Cd31jOCgZ")
        XCTAssertEqual(operation.changes?.first?.type, .created)
    }

    /// Polls until `condition` holds or 10 seconds pass.
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }
}
