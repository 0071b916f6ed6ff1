import CodatSandbox
import Foundation
import XCTest

/// CODAT-FACTS.md §2 (docs/using-the-api/push.md, blog/231002-stop-returning-data-on-push.md)
/// and §6: writes of the v1 API are push operations; Codat's cache, which v1 reads show,
/// only changes with a refresh; the synchronous API reads the accounting software live.
final class AsyncWriteTests: XCTestCase {
    /// The guides' QuickBooks Online payment of bills 302 (1,200) and 303 (1,300).
    private let qboPayment: SandboxJSON = [
        "supplierRef": ["id": "77", "supplierName": "AtoB"], "accountRef": ["id": "122"], "totalAmount": 2500,
        "currency": "USD", "currencyRate": 1, "date": "2023-04-17T00:00:00", "reference": "1",
        "lines": [["amount": 2500, "links": [["type": "Bill", "id": "302", "amount": -1200], ["type": "Bill", "id": "303", "amount": -1300]]]],
    ]

    /// A 10.00 payment of Xero bill 59978bef… (135.85 due).
    private func xeroPayment(_ amount: Decimal = 10) -> SandboxJSON {
        [
            "supplierRef": ["id": "dec56ceb-65e9-43b3-ac98-7fe09eb37e31"], "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"],
            "totalAmount": .number(amount), "currency": "GBP", "date": "2024-05-01",
            "lines": [["amount": .number(amount), "links": [["type": "Bill", "id": "59978bef-af2f-4a7e-9728-4997597c0980", "amount": .number(-amount)]]]],
        ]
    }

    func testAsyncWrite_PushIsPendingThenSuccessWithRecordRefAndNoData() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .seconds(30)))
        let client = TestClient(sandbox)
        let qbo = try XCTUnwrap(sandbox.company(.quickBooksOnline))
        let seeded = sandbox.billPayments(companyId: qbo.id, api: .v1).count
        let pushed = try await client.post(qbo.push + "/billPayments", qboPayment)
        XCTAssertEqual(pushed.json["status"]?.string, "Pending")
        XCTAssertNil(pushed.json["data"], "no data since 2024-01-10")
        let key = try XCTUnwrap(pushed.json["pushOperationKey"]?.string)
        XCTAssertEqual(sandbox.billPayments(companyId: qbo.id, api: .v1).count, seeded, "not in the accounting software while Pending")

        sandbox.advanceClock(by: .seconds(30))
        let done = try await client.get("/companies/\(qbo.id)/push/\(key)").json
        XCTAssertEqual(done["status"]?.string, "Success")
        XCTAssertNil(done["data"])
        XCTAssertEqual(done["changes"]?[0]?["type"]?.string, "Created")
        XCTAssertEqual(done["changes"]?[0]?["recordRef"]?["dataType"]?.string, "billPayments")
        let paymentId = try XCTUnwrap(done["changes"]?[0]?["recordRef"]?["id"]?.string)
        XCTAssertTrue(sandbox.billPayments(companyId: qbo.id, api: .v1).contains { $0.id == paymentId }, "in the accounting software")
        let requested = try XCTUnwrap(done["requestedOnUtc"]?.string)
        let completed = try XCTUnwrap(done["completedOnUtc"]?.string)
        XCTAssertLessThan(requested, completed, "completed 30 s of sandbox time later")
    }

    func testAsyncWrite_WrittenRecordsAreInvisibleToV1ReadsUntilRefreshed() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero, refreshDuration: .seconds(20)))
        let client = TestClient(sandbox)
        let qbo = try XCTUnwrap(sandbox.company(.quickBooksOnline))
        let pushed = try await client.post(qbo.push + "/billPayments", qboPayment)
        XCTAssertEqual(pushed.json["status"]?.string, "Success")
        let paymentId = try XCTUnwrap(pushed.json["changes"]?[0]?["recordRef"]?["id"]?.string)

        // Ground truth changed at once; Codat's cache did not.
        XCTAssertEqual(sandbox.bill("302", companyId: qbo.id)?.status, "Paid")
        let answer1 = try await client.get(qbo.data + "/billPayments/\(paymentId)").status
        XCTAssertEqual(answer1, 404)
        let staleBill = try await client.get(qbo.data + "/bills/302").json
        XCTAssertEqual(staleBill["amountDue"], 1200, "the bill's amountDue is the cached one")
        XCTAssertEqual(staleBill["status"]?.string, "Open")
        // The synchronous API is a pass-through: it sees the accounting software (facts §6).
        let live = try await client.get(qbo.payables + "/bills?query=" + encoded("id=302")).json
        XCTAssertEqual(live.results.first?["status"]?.string, "Paid")

        // refresh-data-type: a pull operation, Queued for the refresh duration.
        let queued = try await client.send("POST", "/companies/\(qbo.id)/data/queue/billPayments")
        XCTAssertEqual(queued.status, 200)
        XCTAssertEqual(queued.json["status"]?.string, "Queued")
        XCTAssertEqual(queued.json["dataType"]?.string, "billPayments")
        let pullId = try XCTUnwrap(queued.json["id"]?.string)
        let answer2 = try await client.get(qbo.data + "/billPayments/\(paymentId)").status
        XCTAssertEqual(answer2, 404, "not yet")
        sandbox.advanceClock(by: .seconds(20))
        let pull = try await client.get("/companies/\(qbo.id)/data/history/\(pullId)").json
        XCTAssertEqual(pull["status"]?.string, "Complete")
        XCTAssertEqual(pull["isCompleted"]?.bool, true)
        let read = try await client.get(qbo.data + "/billPayments/\(paymentId)")
        XCTAssertEqual(read.status, 200)
        XCTAssertEqual(read.json["totalAmount"], 2500)
        // Only billPayments were refreshed: the bills are still stale until their own refresh.
        let answer3 = try await client.get(qbo.data + "/bills/302").json["amountDue"]
        XCTAssertEqual(answer3, 1200)
        let answer4 = try await client.send("POST", "/companies/\(qbo.id)/data/all").status
        XCTAssertEqual(answer4, 204)
        sandbox.advanceClock(by: .seconds(20))
        let fresh = try await client.get(qbo.data + "/bills/302").json
        XCTAssertEqual(fresh["amountDue"], 0)
        XCTAssertEqual(fresh["status"]?.string, "Paid")
        let status = try await client.get("/companies/\(qbo.id)/dataStatus").json
        XCTAssertEqual(status["bills"]?["currentStatus"]?.string, "Complete")
        XCTAssertNotNil(status["bills"]?["lastSuccessfulSync"]?.string)
        let history = try await client.get("/companies/\(qbo.id)/data/history?pageSize=100").json
        XCTAssertEqual(history["totalResults"]?.decimal, Decimal(1 + 9), "one billPayments refresh, then every data type")
    }

    func testAsyncWrite_CreditNotesRemainingCreditChangesOnlyAfterRefresh() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let netsuite = try XCTUnwrap(sandbox.company(.netSuite))
        let payment: SandboxJSON = [
            "supplierRef": ["id": "727"], "accountRef": ["id": "854"], "totalAmount": 110, "currency": "GBP", "date": "2023-05-09T00:00:00",
            "lines": [["amount": 110, "links": [["type": "Bill", "id": "8", "amount": -120], ["type": "CreditNote", "id": "462792", "amount": 10]]]],
        ]
        let answer5 = try await client.post(netsuite.push + "/billPayments", payment).json["status"]?.string
        XCTAssertEqual(answer5, "Success")
        let answer6 = try await client.get(netsuite.data + "/billCreditNotes/462792").json["remainingCredit"]
        XCTAssertEqual(answer6, 10)
        try sandbox.refresh(companyId: netsuite.id, dataType: "billCreditNotes", immediately: true)
        let answer7 = try await client.get(netsuite.data + "/billCreditNotes/462792").json["remainingCredit"]
        XCTAssertEqual(answer7, 0)
        XCTAssertEqual(sandbox.cachedBill("8", companyId: netsuite.id)?.status, "Open", "bills not refreshed")
        XCTAssertEqual(sandbox.bill("8", companyId: netsuite.id)?.status, "Paid")
    }

    func testAsyncWrite_RefreshShowsTheAccountingSoftwareAsOfItsCompletion() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .seconds(10), refreshDuration: .seconds(30)))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        // The refresh is queued first; the write lands (at 10 s) before it completes (at 30 s).
        try sandbox.refresh(companyId: xero.id, dataType: "billPayments")
        let pushed = try await client.post(xero.push + "/billPayments", xeroPayment())
        let key = try XCTUnwrap(pushed.json["pushOperationKey"]?.string)
        sandbox.advanceClock(by: .seconds(60))
        let operation = try await client.get("/companies/\(xero.id)/push/\(key)").json
        let paymentId = try XCTUnwrap(operation["changes"]?[0]?["recordRef"]?["id"]?.string)
        let answer8 = try await client.get(xero.data + "/billPayments/\(paymentId)").status
        XCTAssertEqual(answer8, 200)

        // A refresh that completed before the write landed does not show it.
        let late = try await client.post(xero.push + "/billPayments", xeroPayment(5))
        let lateKey = try XCTUnwrap(late.json["pushOperationKey"]?.string)
        try sandbox.refresh(companyId: xero.id, dataType: "billPayments", immediately: true)
        sandbox.advanceClock(by: .seconds(10))
        let lateOperation = try await client.get("/companies/\(xero.id)/push/\(lateKey)").json
        let lateId = try XCTUnwrap(lateOperation["changes"]?[0]?["recordRef"]?["id"]?.string)
        let answer9 = try await client.get(xero.data + "/billPayments/\(lateId)").status
        XCTAssertEqual(answer9, 404)
        XCTAssertTrue(sandbox.billPayments(companyId: xero.id, api: .v1).contains { $0.id == lateId })
    }

    func testAsyncWrite_TimeoutInMinutesMovesAPendingPushToTimedOut_AndTheWriteMayStillLand() async throws {
        let sandbox = try await startSandbox(
            SandboxConfiguration(
                pushDelay: .seconds(600), timedOutWritesLandingShare: 1, timedOutWriteLandingDelay: .seconds(300)))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let pushed = try await client.post(xero.push + "/billPayments?timeoutInMinutes=1", xeroPayment())
        XCTAssertEqual(pushed.json["timeoutInMinutes"], 1)
        let key = try XCTUnwrap(pushed.json["pushOperationKey"]?.string)
        let before = sandbox.billPayments(companyId: xero.id, api: .v1).count

        sandbox.advanceClock(by: .seconds(61))
        let timedOut = try await client.get("/companies/\(xero.id)/push/\(key)").json
        XCTAssertEqual(timedOut["status"]?.string, "TimedOut")
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .v1).count, before, "not written yet")

        // TimedOut means unknown, never not written: this one lands later.
        sandbox.advanceClock(by: .seconds(600))
        let answer10 = try await client.get("/companies/\(xero.id)/push/\(key)").json["status"]?.string
        XCTAssertEqual(answer10, "TimedOut")
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .v1).count, before + 1, "landed after the timeout")
        XCTAssertEqual(sandbox.timedOutPushesThatLanded(companyId: xero.id), [key])
        XCTAssertEqual(sandbox.bill("59978bef-af2f-4a7e-9728-4997597c0980", companyId: xero.id)?.amountDue, dec("125.85"))
        try sandbox.refresh(companyId: xero.id, immediately: true)
        XCTAssertEqual(sandbox.cachedRecords(.billPayments, companyId: xero.id).count, before + 1, "and after a refresh, in reads")
    }

    func testAsyncWrite_ASeededShareOfTimedOutWritesLands() async throws {
        /// How many of 12 timed-out payments land, in a fresh sandbox.
        func landed() async throws -> Int {
            let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .seconds(600), timedOutWritesLandingShare: 0.5))
            let client = TestClient(sandbox)
            let xero = try XCTUnwrap(sandbox.company(.xero))
            let before = sandbox.billPayments(companyId: xero.id, api: .v1).count
            for _ in 0..<12 {
                _ = try await client.post(xero.push + "/billPayments?timeoutInMinutes=1", xeroPayment(1))
            }
            sandbox.advanceClock(by: .seconds(3600))
            let statuses = sandbox.pushOperations(companyId: xero.id).map { $0["status"]?.string }
            XCTAssertEqual(statuses, Array(repeating: "TimedOut", count: 12), "the status stays TimedOut")
            return sandbox.billPayments(companyId: xero.id, api: .v1).count - before
        }
        let first = try await landed()
        XCTAssertGreaterThan(first, 0)
        XCTAssertLessThan(first, 12)
        let second = try await landed()
        XCTAssertEqual(second, first, "the same seed, the same writes land")
    }

    func testAsyncWrite_PushOperationsListByStatusDataTypeAndDateWithPaging() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .seconds(60)))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = try await client.post(xero.push + "/billPayments", xeroPayment(1))
        _ = try await client.post(xero.push + "/suppliers", ["supplierName": "Listed", "status": "Active"])
        sandbox.advanceClock(by: .seconds(120))
        let cutoff = ISO8601DateFormatter().string(from: sandbox.now)
        sandbox.advanceClock(by: .seconds(1))
        _ = try await client.post(xero.push + "/billPayments", xeroPayment(2))
        _ = try await client.post(xero.push + "/billPayments", xeroPayment(3))

        let pending = try await client.get("/companies/\(xero.id)/push?query=" + encoded("status=Pending")).json
        XCTAssertEqual(pending["totalResults"]?.decimal, 2)
        let payments = try await client.get("/companies/\(xero.id)/push?query=" + encoded("dataType=billPayments")).json
        XCTAssertEqual(payments["totalResults"]?.decimal, 3)
        let recent = try await client.get("/companies/\(xero.id)/push?query=" + encoded("requestedOnUtc>\(cutoff)") + "&pageSize=1").json
        XCTAssertEqual(recent["totalResults"]?.decimal, 2)
        XCTAssertEqual(recent.results.count, 1)
        XCTAssertNotNil(recent["_links"]?["next"])
        XCTAssertEqual(sandbox.pushOperations(companyId: xero.id).count, 4)
    }

    func testAsyncWrite_TheScheduledSyncRefreshesTheCache() async throws {
        let sandbox = try await startSandbox(
            SandboxConfiguration(pushDelay: .zero, refreshDuration: .seconds(30), scheduledSyncInterval: .seconds(3600)))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let pushed = try await client.post(xero.push + "/billPayments", xeroPayment())
        let paymentId = try XCTUnwrap(pushed.json["changes"]?[0]?["recordRef"]?["id"]?.string)
        let answer11 = try await client.get(xero.data + "/billPayments/\(paymentId)").status
        XCTAssertEqual(answer11, 404)
        sandbox.advanceClock(by: .seconds(3600 + 30))
        let answer12 = try await client.get(xero.data + "/billPayments/\(paymentId)").status
        XCTAssertEqual(answer12, 200)
        XCTAssertEqual(sandbox.pullOperations(companyId: xero.id).count, 9, "one sync: every data type once")

        // A year with nothing else happening: the syncs in between read the same records, so
        // only the last one is kept (memory and time stay bounded).
        sandbox.advanceClock(by: .seconds(365 * 86_400))
        XCTAssertEqual(sandbox.pullOperations(companyId: xero.id).count, 18)
        XCTAssertTrue(sandbox.pullOperations(companyId: xero.id).allSatisfy { $0["status"]?.string == "Complete" })
    }

    func testAsyncWrite_WithoutRefreshLagV1ReadsAreLive() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero, refreshLag: false))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let pushed = try await client.post(xero.push + "/billPayments", xeroPayment())
        let paymentId = try XCTUnwrap(pushed.json["changes"]?[0]?["recordRef"]?["id"]?.string)
        let answer13 = try await client.get(xero.data + "/billPayments/\(paymentId)").status
        XCTAssertEqual(answer13, 200)
    }

    func testClock_ControlAPIAdvancesSandboxTime() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .seconds(5400)))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let pushed = try await client.post(xero.push + "/billPayments", xeroPayment())
        let key = try XCTUnwrap(pushed.json["pushOperationKey"]?.string)
        let before = sandbox.now
        let advanced = try await client.post("/_sandbox/clock", ["advanceSeconds": 5400])
        XCTAssertEqual(advanced.status, 200)
        XCTAssertGreaterThanOrEqual(sandbox.now.timeIntervalSince(before), 5400)
        XCTAssertEqual(sandbox.pushOperations(companyId: xero.id).first?["status"]?.string, "Success")
        let answer14 = try await client.get("/companies/\(xero.id)/push/\(key)").json["status"]?.string
        XCTAssertEqual(answer14, "Success")
        let refused = try await client.post("/_sandbox/clock", ["advanceSeconds": -1])
        XCTAssertEqual(refused.status, 400)
    }
}
