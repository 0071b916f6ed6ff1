import CodatSandbox
import Foundation
import XCTest

/// CODAT-FACTS.md §1 (docs/using-the-api/write-data/idempotency.md), one test per fact,
/// against a payment of the synchronous API unless said otherwise.
final class IdempotencyTests: XCTestCase {
    private let billId = "59978bef-af2f-4a7e-9728-4997597c0980"  // Xero, 135.85 due
    private let payment: SandboxJSON = ["amount": 30, "date": "2024-05-01", "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"]]

    private func paymentPath(_ sandbox: CodatSandbox) throws -> String {
        try XCTUnwrap(sandbox.company(.xero)).payables + "/bills/\(billId)/payment"
    }

    private func payments(_ sandbox: CodatSandbox) -> Int {
        sandbox.billPayments(companyId: sandbox.company(.xero)!.id, api: .sync).count
    }

    func testIdempotency_KeyMustBeAGUID() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let answer = try await client.post(try paymentPath(sandbox), payment, headers: ["Idempotency-Key": "billpay-pay-1"])
        XCTAssertEqual(answer.status, 400)
        XCTAssertTrue(answer.json["error"]?.string?.contains("Idempotency-Key") ?? false, "\(answer.json)")
        XCTAssertEqual(answer.json["validation"]?["errors"]?[0]?["itemId"]?.string, "Idempotency-Key")
        XCTAssertEqual(payments(sandbox), 0, "nothing processed")
        // Upper or lower case, a GUID is accepted.
        let accepted = try await client.post(try paymentPath(sandbox), payment, headers: ["Idempotency-Key": UUID().uuidString.lowercased()])
        XCTAssertEqual(accepted.status, 201)
    }

    func testIdempotency_5xxIsCachedAndReplayedFor90Minutes() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let path = try paymentPath(sandbox)
        let key = UUID().uuidString
        sandbox.inject(.status(503), on: .operation("sync.create-bill-payment"), times: 1)
        let first = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(first.status, 503)

        let again = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(again.status, 503, "the fault is gone, but the key replays its first answer")
        XCTAssertEqual(again.body, first.body)
        XCTAssertEqual(again.header("Idempotent-Replayed"), "true")
        sandbox.advanceClock(by: .seconds(89 * 60))
        let at89 = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(at89.status, 503, "still within 90 minutes")
        XCTAssertEqual(payments(sandbox), 0, "the 503 came before processing: nothing written")

        sandbox.advanceClock(by: .seconds(61))
        let after = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(after.status, 201, "after 90 minutes the key is a fresh one")
        XCTAssertNil(after.header("Idempotent-Replayed"))
        XCTAssertEqual(payments(sandbox), 1)
    }

    func testIdempotency_500AfterTheWriteIsReplayedAndTheWriteHappenedOnce() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let path = try paymentPath(sandbox)
        let key = UUID().uuidString
        sandbox.inject(.statusAfterProcessing(500), on: .operation("sync.create-bill-payment"), times: 1)
        let first = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(first.status, 500)
        XCTAssertEqual(payments(sandbox), 1, "the write was applied before the 500")
        XCTAssertEqual(sandbox.bill(billId, companyId: sandbox.company(.xero)!.id)?.amountDue, dec("105.85"))

        // The resend never tells that the write happened (facts §1): it gets the same 500.
        let resent = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(resent.status, 500)
        XCTAssertEqual(resent.body, first.body)
        XCTAssertEqual(payments(sandbox), 1)
    }

    func testIdempotency_429ReleasesTheKey() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let path = try paymentPath(sandbox)
        let key = UUID().uuidString
        sandbox.inject(.status(429, retryAfter: 1), on: .operation("sync.create-bill-payment"), times: 1)
        let limited = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.header("Retry-After"), "1")

        let retried = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(retried.status, 201, "a fresh attempt")
        XCTAssertNil(retried.header("Idempotent-Replayed"))
        let protected = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(protected.status, 201)
        XCTAssertEqual(protected.header("Idempotent-Replayed"), "true", "and stays protected")
        XCTAssertEqual(payments(sandbox), 1)
    }

    func testIdempotency_DroppedOrTruncatedAnswerReplaysTheRealFirstAnswer() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let path = try paymentPath(sandbox)
        for fault in [Fault.dropAfterProcessing, .truncateAfterProcessing] {
            let key = UUID().uuidString
            sandbox.inject(fault, on: .operation("sync.create-bill-payment"), times: 1)
            do {
                let lost = try await client.post(path, payment, headers: ["Idempotency-Key": key])
                XCTAssertNotEqual(lost.status, 201, "\(fault): the answer must not arrive whole")
            } catch {}
            let resent = try await client.post(path, payment, headers: ["Idempotency-Key": key])
            XCTAssertEqual(resent.status, 201, "\(fault)")
            XCTAssertEqual(resent.header("Idempotent-Replayed"), "true", "\(fault)")
            XCTAssertNotNil(resent.json["id"]?.string)
        }
        XCTAssertEqual(payments(sandbox), 2, "each key paid once")
    }

    func testIdempotency_DropBeforeProcessingLeavesNoEntry() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let path = try paymentPath(sandbox)
        let key = UUID().uuidString
        sandbox.inject(.dropBeforeProcessing, on: .operation("sync.create-bill-payment"), times: 1)
        do {
            _ = try await client.post(path, payment, headers: ["Idempotency-Key": key])
            XCTFail("expected the connection to drop")
        } catch {}
        XCTAssertEqual(payments(sandbox), 0)
        let resent = try await client.post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(resent.status, 201)
        XCTAssertNil(resent.header("Idempotent-Replayed"), "processed for the first time")
        XCTAssertEqual(payments(sandbox), 1)
    }

    func testIdempotency_SameKeyWhileInProgressIs409() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(writeProcessingTime: .milliseconds(600)))
        let path = try paymentPath(sandbox)
        let key = UUID().uuidString
        let body = payment
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<2 {
                group.addTask {
                    // The second one starts while the first is being processed.
                    try await Task.sleep(for: .milliseconds(200 * index))
                    return try await TestClient(sandbox).post(path, body, headers: ["Idempotency-Key": key]).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses.sorted(), [201, 409])
        XCTAssertEqual(payments(sandbox), 1)
        let later = try await TestClient(sandbox).post(path, payment, headers: ["Idempotency-Key": key])
        XCTAssertEqual(later.status, 201)
        XCTAssertEqual(later.header("Idempotent-Replayed"), "true")
    }

    func testIdempotency_SameKeyDifferentBodyIs422() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let path = try paymentPath(sandbox)
        let key = UUID().uuidString
        let answer1 = try await client.post(path, payment, headers: ["Idempotency-Key": key]).status
        XCTAssertEqual(answer1, 201)
        var other = payment
        other["amount"] = 31
        let reused = try await client.post(path, other, headers: ["Idempotency-Key": key])
        XCTAssertEqual(reused.status, 422)
        XCTAssertEqual(payments(sandbox), 1)
    }

    func testIdempotency_KeysBelongToTheClientAcrossCompanyPaths() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let key = UUID().uuidString
        let answer2 = try await client.post(try paymentPath(sandbox), payment, headers: ["Idempotency-Key": key]).status
        XCTAssertEqual(answer2, 201)

        // The same client, the same key, another company's path: the same key, another request.
        let qbo = try XCTUnwrap(sandbox.company(.quickBooksOnline))
        let supplier: SandboxJSON = ["supplierName": "Key reuse Ltd", "status": "Active"]
        let elsewhere = try await client.post(qbo.payables + "/suppliers", supplier, headers: ["Idempotency-Key": key])
        XCTAssertEqual(elsewhere.status, 422)
        // Another client's identical key is its own.
        let other = TestClient(sandbox, authorization: "Basic b3RoZXIta2V5")
        let own = try await other.post(qbo.payables + "/suppliers", supplier, headers: ["Idempotency-Key": key])
        XCTAssertEqual(own.status, 201)
    }

    func testIdempotency_AcceptedOnEveryPostAndPatchOfBothAPIs() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .seconds(60)))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        // v1 push: the document declares no Idempotency-Key; Codat accepts it on every POST.
        let push: SandboxJSON = [
            "supplierRef": ["id": "dec56ceb-65e9-43b3-ac98-7fe09eb37e31"], "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"],
            "totalAmount": 10, "currency": "GBP", "date": "2024-05-01",
            "lines": [["amount": 10, "links": [["type": "Bill", "id": .string(billId), "amount": -10]]]],
        ]
        let key = UUID().uuidString
        let first = try await client.post(xero.push + "/billPayments", push, headers: ["Idempotency-Key": key])
        XCTAssertEqual(first.json["status"]?.string, "Pending")
        let again = try await client.post(xero.push + "/billPayments", push, headers: ["Idempotency-Key": key])
        XCTAssertEqual(again.json["pushOperationKey"], first.json["pushOperationKey"], "one push operation")
        XCTAssertEqual(sandbox.pushOperations(companyId: xero.id).count, 1)
        let bad = try await client.post(xero.push + "/billPayments", push, headers: ["Idempotency-Key": "not-a-guid"])
        XCTAssertEqual(bad.status, 400)

        // PATCH (update-company) takes part too.
        let patchKey = UUID().uuidString
        let patched = try await client.send("PATCH", "/companies/\(xero.id)", json: ["name": "Renamed"], headers: ["Idempotency-Key": patchKey])
        XCTAssertEqual(patched.status, 200)
        let patchedAgain = try await client.send("PATCH", "/companies/\(xero.id)", json: ["name": "Renamed"], headers: ["Idempotency-Key": patchKey])
        XCTAssertEqual(patchedAgain.header("Idempotent-Replayed"), "true")
        // A GET ignores the header.
        let answer3 = try await client.send("GET", "/companies", headers: ["Idempotency-Key": "whatever"]).status
        XCTAssertEqual(answer3, 200)
    }

    func testIdempotency_ExpiredAnswersAreSweptOut() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        for _ in 0..<3 {
            _ = try await client.send("POST", "/companies", json: ["name": "Swept"], headers: ["Idempotency-Key": UUID().uuidString])
        }
        XCTAssertEqual(sandbox.idempotencyKeysHeld, 3)
        sandbox.advanceClock(by: .seconds(91 * 60))
        XCTAssertEqual(sandbox.idempotencyKeysHeld, 0, "bounded memory: nothing outlives the window")
    }
}
