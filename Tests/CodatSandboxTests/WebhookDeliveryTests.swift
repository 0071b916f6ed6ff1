import CodatSandbox
import Foundation
import XCTest

/// CODAT-FACTS.md §4 (docs/using-the-api/webhooks/: event-types.md, create-consumer.md,
/// troubleshooting.md; `webhooks` of Codat-Platform.yaml): push outcomes become signed
/// `{dataType}.write.successful` / `.unsuccessful` events, delivered at least once, in no
/// guaranteed order, retried on Codat's schedule while the consumer does not answer 2xx within
/// 15 seconds. Every delivery here is real HTTP to a consumer on loopback.
final class WebhookDeliveryTests: XCTestCase {
    /// A 10.00 payment of Xero bill 59978bef… (135.85 due).
    private func xeroPayment(_ amount: Decimal = 10) -> SandboxJSON {
        [
            "supplierRef": ["id": "dec56ceb-65e9-43b3-ac98-7fe09eb37e31"], "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"],
            "totalAmount": .number(amount), "currency": "GBP", "date": "2024-05-01",
            "lines": [["amount": .number(amount), "links": [["type": "Bill", "id": "59978bef-af2f-4a7e-9728-4997597c0980", "amount": .number(-amount)]]]],
        ]
    }

    /// Waits until the consumer has `count` requests (the pump delivers within milliseconds).
    private func received(_ consumer: LoopbackConsumer, count: Int, _ sandbox: CodatSandbox) async throws -> [LoopbackConsumer.Received] {
        let arrived = try await eventually(timeout: .seconds(10)) {
            await sandbox.deliverDueWebhooks()
            return consumer.received.count >= count
        }
        XCTAssertTrue(arrived, "the consumer got \(consumer.received.count) of \(count) deliveries")
        return consumer.received
    }

    // MARK: Events (facts §4: event types and the DataTypeWriteWebhook payload)

    func testWebhooks_EveryPushOutcomeIsASignedWriteEventInCodatsShape() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .seconds(30)))
        let client = TestClient(sandbox)
        let consumer = try await LoopbackConsumer.start(self)
        let registered = try await client.post("/_sandbox/webhooks/consumers", ["url": .string(consumer.url.absoluteString)])
        XCTAssertEqual(registered.status, 201)
        let secret = try XCTUnwrap(registered.json["secret"]?.string)
        XCTAssertTrue(secret.hasPrefix("whsec_"))
        let xero = try XCTUnwrap(sandbox.company(.xero))

        // Success, Failed (Xero refuses credit bank accounts) and TimedOut.
        let paid = try await client.post(xero.push + "/billPayments", xeroPayment()).json
        let refused = try await client.post(xero.push + "/bankAccounts", ["accountName": "Card", "accountType": "Credit", "currency": "GBP"]).json
        let slow = try await client.post(xero.push + "/billPayments?timeoutInMinutes=1", xeroPayment(1), headers: ["X-Sandbox-Push-Delay-Ms": "600000"]).json
        XCTAssertTrue(consumer.received.isEmpty, "nothing is sent while the operations are Pending")
        sandbox.advanceClock(by: .seconds(61))
        let events = try await received(consumer, count: 3, sandbox)
        XCTAssertEqual(events.count, 3, "one event per outcome")

        let byOperation = Dictionary(uniqueKeysWithValues: events.map { ($0.payload["id"] as? String ?? "", $0) })
        let success = try XCTUnwrap(byOperation[try XCTUnwrap(paid["pushOperationKey"]?.string)])
        XCTAssertEqual(success.eventType, "billPayments.write.successful")
        XCTAssertEqual(success.payload["status"] as? String, "Success")
        XCTAssertEqual(success.payload["type"] as? String, "Create")
        XCTAssertEqual(success.payload["connectionId"] as? String, xero.connectionId)
        XCTAssertEqual((success.payload["referenceCompany"] as? [String: Any])?["id"] as? String, xero.id)
        XCTAssertNotNil(success.payload["requestedOnDate"] as? String)
        XCTAssertNotNil(success.payload["completedOnDate"] as? String)
        XCTAssertNotNil(success.json["generatedDate"] as? String)
        let operation = try await client.get("/companies/\(xero.id)/push/\(paid["pushOperationKey"]?.string ?? "")").json
        XCTAssertEqual((success.payload["record"] as? [String: Any])?["id"] as? String,
                       operation["changes"]?[0]?["recordRef"]?["id"]?.string, "record.id names the record written")

        let failure = try XCTUnwrap(byOperation[try XCTUnwrap(refused["pushOperationKey"]?.string)])
        XCTAssertEqual(failure.eventType, "bankAccounts.write.unsuccessful")
        XCTAssertEqual(failure.payload["status"] as? String, "Failed")
        let timedOut = try XCTUnwrap(byOperation[try XCTUnwrap(slow["pushOperationKey"]?.string)])
        XCTAssertEqual(timedOut.eventType, "billPayments.write.unsuccessful")
        XCTAssertEqual(timedOut.payload["status"] as? String, "TimedOut")

        for event in events {
            XCTAssertEqual(event.webhookId?.hasPrefix("msg_"), true)
            XCTAssertNotNil(event.json["id"] as? String)
            XCTAssertNil(try verificationFailure(event, secret: secret), "signed with the consumer's secret")
            XCTAssertNotNil(try verificationFailure(event, secret: sandboxTestOtherSecret), "and only with it")
        }
        // The delivery log through the control API.
        let log = try await client.get("/_sandbox/webhooks/messages").json.array ?? []
        XCTAssertEqual(log.count, 3)
        XCTAssertEqual(Set(log.compactMap { $0["status"]?.string }), ["delivered"])
        XCTAssertEqual(log.compactMap { $0["attempts"]?.array?.count }, [1, 1, 1])
    }

    func testWebhooks_AConsumerGetsOnlyTheEventTypesItSubscribedTo() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let consumer = try await LoopbackConsumer.start(self)
        try sandbox.addWebhookConsumer(url: consumer.url, eventTypes: ["bankAccounts.write.successful"])
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = try await client.post(xero.push + "/bankAccounts", ["accountName": "Card", "accountType": "Credit", "currency": "GBP"])
        _ = try await client.post(xero.push + "/bankAccounts", ["accountName": "USD", "accountType": "Debit", "currency": "USD"])
        let events = try await received(consumer, count: 1, sandbox)
        await sandbox.deliverDueWebhooks()
        XCTAssertEqual(events.map(\.eventType), ["bankAccounts.write.successful"])
        XCTAssertEqual(sandbox.webhookMessages.count, 1, "no message for the unsubscribed event type")
    }

    func testWebhooks_ATimedOutWriteThatLandsLaterSendsNoSecondEvent() async throws {
        // Codat documents no event for it: the payload's status is the operation's, still TimedOut (facts §2, §4).
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .seconds(600), timedOutWritesLandingShare: 1))
        let client = TestClient(sandbox)
        let consumer = try await LoopbackConsumer.start(self)
        try sandbox.addWebhookConsumer(url: consumer.url)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = try await client.post(xero.push + "/billPayments?timeoutInMinutes=1", xeroPayment())
        sandbox.advanceClock(by: .seconds(3600))
        _ = try await received(consumer, count: 1, sandbox)
        XCTAssertEqual(sandbox.timedOutPushesThatLanded(companyId: xero.id).count, 1, "the write landed")
        await sandbox.deliverDueWebhooks()
        XCTAssertEqual(consumer.received.map { $0.payload["status"] as? String }, ["TimedOut"])
    }

    // MARK: Retries (facts §4: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)

    func testWebhooks_FailedDeliveriesAreRetriedOnCodatsScheduleOnTheSandboxClock() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let consumer = try await LoopbackConsumer.start(self) { _, _ in (500, .zero) }
        try sandbox.addWebhookConsumer(url: consumer.url)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = try await client.post(xero.push + "/billPayments", xeroPayment())
        _ = try await received(consumer, count: 1, sandbox)

        let schedule: [Duration] = [.seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18_000), .seconds(36_000), .seconds(36_000)]
        for (index, wait) in schedule.enumerated() {
            // Early (by more than the wall time the test itself takes): nothing; on time: the next attempt.
            let early = Duration.milliseconds(2500)
            sandbox.advanceClock(by: wait - early)
            await sandbox.deliverDueWebhooks()
            XCTAssertEqual(consumer.received.count, index + 1, "attempt \(index + 2) not before its time")
            sandbox.advanceClock(by: early)
            _ = try await received(consumer, count: index + 2, sandbox)
        }
        let message = try XCTUnwrap(sandbox.webhookMessages.first)
        XCTAssertEqual(message.attempts.count, 8)
        XCTAssertEqual(message.status, .failed, "given up after the eighth attempt")
        XCTAssertNil(message.nextAttemptAt)
        XCTAssertEqual(message.attempts.map(\.statusCode), Array(repeating: 500, count: 8))
        // Gaps on the sandbox clock follow the schedule (28 hours in all).
        let gaps = zip(message.attempts.dropFirst(), message.attempts).map { $0.sentAt.timeIntervalSince($1.sentAt) }
        for (gap, expected) in zip(gaps, schedule) {
            XCTAssertEqual(gap, expected.seconds, accuracy: 2, "plus the wall time the test took")
        }
        sandbox.advanceClock(by: .seconds(100_000))
        await sandbox.deliverDueWebhooks()
        XCTAssertEqual(consumer.received.count, 8)
        XCTAssertEqual(Set(consumer.received.map(\.webhookId)).count, 1, "every attempt carries the same webhook-id")
    }

    func testWebhooks_ADeliveryThatSucceedsOnARetryIsDone() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let consumer = try await LoopbackConsumer.start(self) { index, _ in (index < 2 ? 503 : 204, .zero) }
        try sandbox.addWebhookConsumer(url: consumer.url)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = try await client.post(xero.push + "/billPayments", xeroPayment())
        _ = try await received(consumer, count: 1, sandbox)
        sandbox.advanceClock(by: .seconds(5))
        _ = try await received(consumer, count: 2, sandbox)
        sandbox.advanceClock(by: .seconds(300))
        _ = try await received(consumer, count: 3, sandbox)
        sandbox.advanceClock(by: .seconds(100_000))
        await sandbox.deliverDueWebhooks()
        XCTAssertEqual(consumer.received.count, 3, "nothing after the 2xx")
        let message = try XCTUnwrap(sandbox.webhookMessages.first)
        XCTAssertEqual(message.status, .delivered)
        XCTAssertEqual(message.attempts.map(\.statusCode), [503, 503, 204])
    }

    func testWebhooks_ASlowConsumerCountsAsFailedAndIsRetried() async throws {
        // Codat: 2xx within 15 seconds. The sandbox's limit is shortened to 300 ms here.
        var configuration = SandboxConfiguration(pushDelay: .zero)
        configuration.webhookTimeout = .milliseconds(300)
        let sandbox = try await startSandbox(configuration)
        let client = TestClient(sandbox)
        let consumer = try await LoopbackConsumer.start(self) { index, _ in (200, index == 0 ? .seconds(2) : .zero) }
        try sandbox.addWebhookConsumer(url: consumer.url)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = try await client.post(xero.push + "/billPayments", xeroPayment())
        _ = try await received(consumer, count: 1, sandbox)
        await sandbox.deliverDueWebhooks()
        var message = try XCTUnwrap(sandbox.webhookMessages.first)
        XCTAssertEqual(message.status, .pending)
        XCTAssertNil(message.attempts.first?.statusCode)
        XCTAssertEqual(message.attempts.first?.error?.contains("no answer within"), true, message.attempts.first?.error ?? "")
        sandbox.advanceClock(by: .seconds(5))
        _ = try await received(consumer, count: 2, sandbox)
        await sandbox.deliverDueWebhooks()
        message = try XCTUnwrap(sandbox.webhookMessages.first)
        XCTAssertEqual(message.status, .delivered)
        XCTAssertEqual(message.attempts.count, 2)
    }

    // MARK: Faults (facts §4: at least once, no order, signatures and timestamps checked by the consumer)

    func testWebhooks_ADuplicateIsTheSameMessageTwice() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let consumer = try await LoopbackConsumer.start(self)
        let secret = try sandbox.addWebhookConsumer(url: consumer.url).secret
        let fault = try await client.post("/_sandbox/webhooks/faults", ["fault": ["type": "duplicate"], "remaining": 1])
        XCTAssertEqual(fault.status, 201)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = try await client.post(xero.push + "/billPayments", xeroPayment())
        let copies = try await received(consumer, count: 2, sandbox)
        XCTAssertEqual(copies.count, 2)
        XCTAssertEqual(copies[0].webhookId, copies[1].webhookId)
        XCTAssertEqual(copies[0].body, copies[1].body)
        XCTAssertEqual(copies[0].header("webhook-signature"), copies[1].header("webhook-signature"))
        XCTAssertNil(try verificationFailure(copies[1], secret: secret))
        XCTAssertEqual(sandbox.webhookMessages.first?.attempts.map(\.faults), [[], ["duplicate"]])
        XCTAssertTrue(sandbox.webhookFaultRules.isEmpty, "the rule ran out")
    }

    func testWebhooks_ReorderingDeliversALaterEventFirst() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let consumer = try await LoopbackConsumer.start(self)
        try sandbox.addWebhookConsumer(url: consumer.url)
        sandbox.injectWebhookFault(.reorder(delay: .seconds(60)), eventType: "billPayments.write.successful", times: 1)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let first = try await client.post(xero.push + "/billPayments", xeroPayment(1)).json["pushOperationKey"]?.string
        let second = try await client.post(xero.push + "/billPayments", xeroPayment(2)).json["pushOperationKey"]?.string
        _ = try await received(consumer, count: 1, sandbox)
        XCTAssertEqual(consumer.received.map { $0.payload["id"] as? String }, [second], "the later event overtook the held one")
        sandbox.advanceClock(by: .seconds(60))
        _ = try await received(consumer, count: 2, sandbox)
        XCTAssertEqual(consumer.received.map { $0.payload["id"] as? String }, [second, first])
        XCTAssertEqual(sandbox.webhookMessages.first?.faults, ["reorder 60.0 seconds"])
    }

    func testWebhooks_ABadSignatureAndAStaleTimestampAreRefusedThenRetriedCorrectly() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let secretBox = LockedBox<String>("")
        let reasons = LockedBox<[String]>([])
        // A consumer that verifies (facts §4) and answers 401 to what fails verification.
        let consumer = try await LoopbackConsumer.start(self) { _, request in
            guard let failure = try? verificationFailure(request, secret: secretBox.value) else { return (200, .zero) }
            reasons.update { $0.append(failure) }
            return (401, .zero)
        }
        secretBox.update { $0 = (try? sandbox.addWebhookConsumer(url: consumer.url).secret) ?? "" }
        sandbox.injectWebhookFault(.badSignature, times: 1)
        let stale = try await client.post("/_sandbox/webhooks/faults", ["fault": ["type": "staleTimestamp", "seconds": 600], "remaining": 1])
        XCTAssertEqual(stale.status, 201)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = try await client.post(xero.push + "/billPayments", xeroPayment())
        _ = try await received(consumer, count: 1, sandbox)
        sandbox.advanceClock(by: .seconds(5))
        _ = try await received(consumer, count: 2, sandbox)
        let message = try XCTUnwrap(sandbox.webhookMessages.first)
        XCTAssertEqual(message.attempts.map(\.statusCode), [401, 200])
        XCTAssertEqual(message.attempts[0].faults, ["badSignature", "staleTimestamp 600.0 seconds"])
        XCTAssertEqual(message.status, .delivered)
        XCTAssertEqual(reasons.value.count, 1)
        let stamp = try XCTUnwrap(Int(consumer.received[0].header("webhook-timestamp") ?? ""))
        XCTAssertLessThan(stamp, Int(Date().timeIntervalSince1970) - 590, "ten minutes old")
    }

    // MARK: Control API

    func testWebhooks_TheControlAPIRefusesBadInputWithAClearError() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let noURL = try await client.post("/_sandbox/webhooks/consumers", ["url": "ftp://example.com/hook"])
        XCTAssertEqual(noURL.status, 400)
        XCTAssertEqual(noURL.json["error"]?.string?.contains("http or https"), true, noURL.json["error"]?.string ?? "")
        let badSecret = try await client.post("/_sandbox/webhooks/consumers", ["url": "http://127.0.0.1:9/hook", "secret": "hunter2"])
        XCTAssertEqual(badSecret.status, 400)
        XCTAssertEqual(badSecret.json["error"]?.string?.contains("whsec_"), true)
        let badFault = try await client.post("/_sandbox/webhooks/faults", ["fault": ["type": "scramble"]])
        XCTAssertEqual(badFault.status, 400)
        let badDelay = try await client.post("/_sandbox/webhooks/faults", ["fault": ["type": "reorder", "seconds": 0]])
        XCTAssertEqual(badDelay.status, 400)
        let missing = try await client.send("DELETE", "/_sandbox/webhooks/consumers/consumer-99")
        XCTAssertEqual(missing.status, 404)

        let added = try await client.post("/_sandbox/webhooks/consumers", [
            "url": "http://127.0.0.1:9/hook", "secret": .string(sandboxTestOtherSecret), "eventTypes": ["billPayments.write.successful"],
        ])
        XCTAssertEqual(added.status, 201)
        let listed = try await client.get("/_sandbox/webhooks/consumers").json.array ?? []
        XCTAssertEqual(listed.count, 1)
        XCTAssertEqual(listed.first?["eventTypes"], ["billPayments.write.successful"])
        let removed = try await client.send("DELETE", "/_sandbox/webhooks/consumers/\(added.json["id"]?.string ?? "")")
        XCTAssertEqual(removed.status, 204)
        XCTAssertTrue(sandbox.webhookConsumers.isEmpty)
    }
}

/// A valid secret no consumer uses.
let sandboxTestOtherSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
