import CodatWebhooks
import Foundation
import XCTest

/// Decoding by `eventType` (the document's own examples are in GeneratedModelsTests/WebhookExamplesTests).
final class WebhookEventTests: XCTestCase {
    func testWriteEventsKeepTheirDataType() throws {
        let body = TestMessages.writeEvent("billPayments.write.successful", pushOperationID: "push-1", recordID: "bill-payment-9")
        let event = try CodatWebhookEvent.decode(body)
        guard case .writeSuccessful(let dataType, let webhook) = event else { return XCTFail("\(event)") }
        XCTAssertEqual(dataType, "billPayments")
        XCTAssertEqual(webhook.payload?.id, "push-1")
        XCTAssertEqual(webhook.payload?.record?.id, "bill-payment-9")
        XCTAssertEqual(webhook.payload?.status, .success)
        XCTAssertEqual(webhook.generatedDate?.text, "2026-11-30T00:20:07Z")
        XCTAssertEqual(event.eventType, "billPayments.write.successful")

        let failed = try CodatWebhookEvent.decode(TestMessages.writeEvent("bills.write.unsuccessful", pushOperationID: "push-2", status: "TimedOut"))
        XCTAssertEqual(failed.write?.dataType, "bills")
        XCTAssertEqual(failed.write?.successful, false)
        XCTAssertEqual(failed.write?.webhook.payload?.status, .timedOut)
        XCTAssertNil(failed.write?.webhook.payload?.record)
    }

    /// A type Codat adds later is kept whole, not refused: a consumer subscribed to all keeps working.
    func testUnknownEventTypesKeepTheRawJSON() throws {
        let body = Data(#"{"id":"e1","eventType":"bankFeeds.something.new","payload":{"amount":12.30}}"#.utf8)
        XCTAssertEqual(try CodatWebhookEvent.decode(body), .unknown(eventType: "bankFeeds.something.new", json: body))
        // `.write.successful` alone names no data type.
        XCTAssertEqual(try CodatWebhookEvent.decode(Data(#"{"eventType":".write.successful"}"#.utf8)).eventType, ".write.successful")
        if case .unknown = try CodatWebhookEvent.decode(Data(#"{"eventType":".write.successful"}"#.utf8)) {} else { XCTFail() }
    }

    func testUndecodableBodiesSayWhere() {
        func problem(_ text: String) -> WebhookDecodingError? {
            do { _ = try CodatWebhookEvent.decode(Data(text.utf8)); return nil } catch { return error }
        }
        XCTAssertEqual(problem(#"{"id":"e1"}"#), WebhookDecodingError(eventType: nil, problem: "no `eventType` in the message"))
        XCTAssertTrue(problem("not json")?.problem.hasPrefix("the body is not JSON") ?? false)
        XCTAssertEqual(problem(#"{"eventType":7}"#)?.eventType, nil)
        let mismatch = problem(#"{"eventType":"bills.write.successful","payload":{"id":5}}"#)
        XCTAssertEqual(mismatch?.eventType, "bills.write.successful")
        XCTAssertTrue(mismatch?.problem.hasPrefix("`payload.id`:") ?? false, "\(String(describing: mismatch))")
        XCTAssertEqual(mismatch?.description.hasPrefix("webhook body does not decode as `bills.write.successful`: `payload.id`"), true)
    }
}
