import CodatSandbox
import Foundation
import XCTest

/// Body validation, idempotency, attachments, recording.
final class RequestHandlingTests: XCTestCase {
    func testUndecodableBodiesAre400NamingTheCodingPath() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let bill: SandboxJSON = [
            "supplierRef": ["id": "dec56ceb-65e9-43b3-ac98-7fe09eb37e31"], "issueDate": "2024-01-01", "dueDate": "2024-02-01",
            "currency": "GBP", "status": "Open", "lineItems": [["unitAmount": "lots", "quantity": 1]],
        ]
        let wrongType = try await client.post(xero.payables + "/bills", bill)
        XCTAssertEqual(wrongType.status, 400)
        let message = try XCTUnwrap(wrongType.json["error"]?.string)
        XCTAssertTrue(message.contains("BillPrototype"), message)
        XCTAssertTrue(message.contains("$.lineItems[0].unitAmount"), message)
        XCTAssertEqual(wrongType.json["validation"]?["errors"]?[0]?["itemId"]?.string, "$.lineItems[0].unitAmount")

        var missing = bill
        missing["supplierRef"] = nil
        missing["lineItems"] = []
        let missingKey = try await client.post(xero.payables + "/bills", missing)
        XCTAssertEqual(missingKey.status, 400)
        XCTAssertTrue(missingKey.json["error"]?.string?.contains("$.supplierRef") ?? false, "\(missingKey.json)")

        let notJSON = try await client.send("POST", xero.push + "/billPayments", body: Data("{not json".utf8))
        XCTAssertEqual(notJSON.status, 400)
        XCTAssertTrue(notJSON.json["error"]?.string?.contains("BillPayment") ?? false)

        let v1 = try await client.post(xero.push + "/billPayments", ["date": "2024-01-01", "lines": [["links": []]]])
        XCTAssertEqual(v1.status, 400)
        XCTAssertTrue(v1.json["error"]?.string?.contains("$.lines[0].amount") ?? false, "\(v1.json)")

        let empty = try await client.send("POST", xero.payables + "/suppliers")
        XCTAssertEqual(empty.status, 400)
    }

    /// CODAT-FACTS.md §1: the first answer for a GUID key is replayed; a different body is 422;
    /// a rejected request keeps its key too (its 400 is replayed).
    func testIdempotencyKeyReplaysTheStoredResponse() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let billId = "59978bef-af2f-4a7e-9728-4997597c0980"
        let path = xero.payables + "/bills/\(billId)/payment"
        let payment: SandboxJSON = ["amount": 30, "date": "2024-05-01", "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"]]
        let key1 = UUID().uuidString, key2 = UUID().uuidString, key3 = UUID().uuidString

        let first = try await client.post(path, payment, headers: ["Idempotency-Key": key1])
        XCTAssertEqual(first.status, 201)
        let replay = try await client.post(path, payment, headers: ["Idempotency-Key": key1])
        XCTAssertEqual(replay.status, 201)
        XCTAssertEqual(replay.body, first.body, "the stored response, byte for byte")
        XCTAssertEqual(replay.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("105.85"), "paid once")
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .sync).count, 1)

        var different = payment
        different["amount"] = 31
        let reused = try await client.post(path, different, headers: ["Idempotency-Key": key1])
        XCTAssertEqual(reused.status, 422, "same key, different body (facts §1)")
        XCTAssertEqual(reused.json["statusCode"], 422)
        XCTAssertNotNil(reused.json["correlationId"]?.string)

        // A rejected request keeps its key: its 400 is the answer for 90 minutes (facts §1).
        var tooMuch = payment
        tooMuch["amount"] = 1000
        let rejected = try await client.post(path, tooMuch, headers: ["Idempotency-Key": key2])
        XCTAssertEqual(rejected.status, 400)
        let rejectedAgain = try await client.post(path, tooMuch, headers: ["Idempotency-Key": key2])
        XCTAssertEqual(rejectedAgain.status, 400)
        XCTAssertEqual(rejectedAgain.body, rejected.body)
        let corrected = try await client.post(path, different, headers: ["Idempotency-Key": key2])
        XCTAssertEqual(corrected.status, 422, "a corrected request needs a new key")

        // A lost response (dropped after processing) is recovered by retrying with the key.
        sandbox.inject(.dropAfterProcessing, on: .operation("create-bill-payment"), times: 1)
        do {
            _ = try await client.post(path, payment, headers: ["Idempotency-Key": key3])
            XCTFail("expected the connection to drop")
        } catch {}
        let retried = try await client.post(path, payment, headers: ["Idempotency-Key": key3])
        XCTAssertEqual(retried.status, 201)
        XCTAssertEqual(retried.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .sync).count, 2)
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("75.85"))
    }

    func testAttachmentsUploadListAndDownloadByteForByte() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(pushDelay: .zero))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let billId = "59978bef-af2f-4a7e-9728-4997597c0980"
        // 10 MB of every byte value, CRLFs and boundary-like text included.
        var file = Data(count: 10 * 1024 * 1024)
        for index in file.indices { file[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 11) }
        file.replaceSubrange(1000..<1040, with: Data("\r\n--not-the-boundary\r\n\r\n".utf8) + Data(count: 16))
        let boundary = "sandbox-boundary-7d1f"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"invoice scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
        body += file
        body += Data("\r\n--\(boundary)--\r\n".utf8)

        let uploaded = try await client.send(
            "POST", xero.payables + "/bills/\(billId)/attachments", body: body,
            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        XCTAssertEqual(uploaded.status, 201, "\(uploaded.json)")
        XCTAssertEqual(uploaded.json["name"]?.string, "invoice scan.pdf")
        XCTAssertEqual(uploaded.json["contentType"]?.string, "application/pdf")
        XCTAssertEqual(uploaded.json["fileSize"]?.decimal, Decimal(file.count))
        let attachmentId = try XCTUnwrap(uploaded.json["id"]?.string)

        let list = try await client.get(xero.payables + "/bills/\(billId)/attachments").json
        XCTAssertEqual(list.array?.compactMap { $0["id"]?.string }, [attachmentId])
        let download = try await client.get(xero.payables + "/bills/\(billId)/attachments/\(attachmentId)/download")
        XCTAssertEqual(download.status, 200)
        XCTAssertEqual(download.header("Content-Type"), "application/octet-stream")
        XCTAssertTrue(download.body == file, "downloaded bytes differ")

        // The same file through the v1 API.
        let v1List = try await client.get("/companies/\(xero.id)/connections/\(xero.connectionId!)/data/bills/\(billId)/attachments").json
        XCTAssertEqual(v1List["attachments"]?.array?.count, 1)
        let v1Download = try await client.get("/companies/\(xero.id)/connections/\(xero.connectionId!)/data/bills/\(billId)/attachments/\(attachmentId)/download")
        XCTAssertTrue(v1Download.body == file)
        // Upload through a v1 push: stored when the operation completes (no delay here).
        let small = Data("receipt".utf8)
        var smallBody = Data("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"receipt.txt\"\r\nContent-Type: text/plain\r\n\r\n".utf8)
        smallBody += small + Data("\r\n--b--\r\n".utf8)
        let pushed = try await client.send(
            "POST", xero.push + "/bills/\(billId)/attachments", body: smallBody, headers: ["Content-Type": "multipart/form-data; boundary=b"])
        XCTAssertEqual(pushed.json["status"]?.string, "Success")
        XCTAssertEqual(pushed.json["changes"]?[0]?["type"]?.string, "AttachmentUploaded")
        let uploadedNames = sandbox.attachments(billId: billId, companyId: xero.id).map(\.fileName)
        XCTAssertEqual(uploadedNames, ["invoice scan.pdf", "receipt.txt"])
        XCTAssertEqual(sandbox.attachments(billId: billId, companyId: xero.id).last?.data, small)

        let deleted = try await client.send("DELETE", xero.push + "/bills/\(billId)/attachments/\(attachmentId)")
        XCTAssertEqual(deleted.json["status"]?.string, "Success")
        XCTAssertEqual(sandbox.attachments(billId: billId, companyId: xero.id).map(\.fileName), ["receipt.txt"])

        let noFile = try await client.send(
            "POST", xero.payables + "/bills/\(billId)/attachments",
            body: Data("--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n".utf8),
            headers: ["Content-Type": "multipart/form-data; boundary=b"])
        XCTAssertEqual(noFile.status, 400)
        let unknownBill = try await client.send(
            "POST", xero.payables + "/bills/nope/attachments", body: body, headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        XCTAssertEqual(unknownBill.status, 404)
    }

    func testRecordingKeepsTheRequestAsSent() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let target = xero.payables + "/bills?query=" + encoded("status=Open&&currency=GBP") + "&continuationToken="
        _ = try await client.send("GET", target, headers: ["X-Custom-Header": "Value 1"])
        let body = Data(#"{"supplierName":"Caf\u00e9 Ltd","status":"Active"}"#.utf8)
        _ = try await client.send("POST", xero.payables + "/suppliers", body: body, headers: ["Content-Type": "application/json"])
        _ = try await client.get("/companies/\(xero.id)/data/bills/a%2Fb%20c")

        let recorded = sandbox.recordedRequests
        XCTAssertEqual(recorded.count, 3)
        XCTAssertEqual(recorded[0].method, "GET")
        XCTAssertEqual(recorded[0].target, target)
        XCTAssertEqual(recorded[0].query, "query=status%3DOpen%26%26currency%3DGBP&continuationToken=")
        XCTAssertEqual(recorded[0].queryItems["query"], "status=Open&&currency=GBP")
        XCTAssertEqual(recorded[0].header("x-custom-header"), "Value 1")
        XCTAssertEqual(recorded[0].header("Authorization"), "Basic dGVzdC1rZXk=")
        XCTAssertEqual(recorded[0].operation, "sync.list-bills")
        XCTAssertEqual(recorded[0].responseStatus, 200)
        XCTAssertEqual(recorded[1].body, body)
        XCTAssertEqual(recorded[1].json?["supplierName"]?.string, "Café Ltd")
        XCTAssertEqual(recorded[2].path, "/companies/\(xero.id)/data/bills/a%2Fb%20c", "percent-encoding intact")
        XCTAssertEqual(recorded[2].responseStatus, 404)
        XCTAssertEqual(recorded.map(\.sequence), [1, 2, 3])
        sandbox.clearRecordedRequests()
        XCTAssertTrue(sandbox.recordedRequests.isEmpty)
    }

    func testSeveralSandboxesRunAtOnceWithTheirOwnState() async throws {
        async let first = CodatSandbox.start()
        async let second = CodatSandbox.start()
        let (a, b) = try await (first, second)
        defer { Task { await a.stop(); await b.stop() } }
        XCTAssertNotEqual(a.port, b.port)
        let xero = try XCTUnwrap(a.company(.xero))
        let paid = try await TestClient(a).post(
            xero.payables + "/bills/2175c381-d323-4e20-8c94-7680ea7f85d3/payment",
            ["amount": 8, "date": "2024-05-01", "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"]])
        XCTAssertEqual(paid.status, 201)
        XCTAssertEqual(a.bill("2175c381-d323-4e20-8c94-7680ea7f85d3", companyId: xero.id)?.amountDue, dec("100.6"))
        XCTAssertEqual(b.bill("2175c381-d323-4e20-8c94-7680ea7f85d3", companyId: xero.id)?.amountDue, dec("108.6"))
        XCTAssertTrue(b.recordedRequests.isEmpty)
        await a.stop()
        await b.stop()
    }

    func testStopReleasesThePort() async throws {
        let sandbox = try await CodatSandbox.start()
        let port = sandbox.port
        _ = try await TestClient(sandbox).get("/companies")
        await sandbox.stop()
        let again = try await CodatSandbox.start(SandboxConfiguration(port: port))
        XCTAssertEqual(again.port, port)
        await again.stop()
    }

    func testStartFailsOnABusyPort() async throws {
        let first = try await startSandbox()
        do {
            let second = try await CodatSandbox.start(SandboxConfiguration(port: first.port))
            await second.stop()
            XCTFail("a second sandbox started on a port in use")
        } catch let error as SandboxStartError {
            XCTAssertTrue(error.message.contains(String(first.port)), error.message)
        }
    }

    func testResetBringsTheSeedBack() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let billId = "2175c381-d323-4e20-8c94-7680ea7f85d3"
        _ = try await client.post(
            xero.payables + "/bills/\(billId)/payment", ["amount": 8, "date": "2024-05-01", "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"]])
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("100.6"))
        let result1 = try await client.send("POST", "/_sandbox/reset")
        XCTAssertEqual(result1.status, 204)
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("108.6"))
    }
}
