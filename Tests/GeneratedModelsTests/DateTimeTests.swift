import CodatSyncPayablesV1 // re-exports PayablesRuntime's DateTime
import Foundation
import SeedExampleSupport
import XCTest

/// `DateTime` keeps Codat's text exactly and gives the instant it names.
final class DateTimeTests: XCTestCase {
    static let utc = TimeZone(identifier: "UTC")!
    static let eastern = TimeZone(secondsFromGMT: -5 * 3600)! // New York in mid-November (EST)
    static let tokyo = TimeZone(secondsFromGMT: 9 * 3600)!

    /// text -> expected epoch seconds, assuming UTC and assuming UTC-05:00 for text without a zone.
    static let cases: [(text: String, utc: TimeInterval, eastern: TimeInterval)] = [
        ("2021-11-15T06:00:00Z", 1_636_956_000, 1_636_956_000), // zone in the text wins
        ("2021-11-15T01:00:00", 1_636_938_000, 1_636_956_000), // no zone: the assumed one
        ("2021-11-15T01:00:00-05:00", 1_636_956_000, 1_636_956_000), // = 06:00Z
        ("2021-11-15", 1_636_934_400, 1_636_952_400), // midnight in the assumed zone
    ]

    func testDecodesReencodesAndResolves() throws {
        for (text, utc, eastern) in Self.cases {
            let json = Data("\"\(text)\"".utf8)
            let value = try JSONDecoder().decode(DateTime.self, from: json)
            XCTAssertEqual(value.text, text)
            XCTAssertEqual(try JSONEncoder().encode(value), json, "\(text) re-encodes byte-identical")
            XCTAssertEqual(value.date(assuming: Self.utc)?.timeIntervalSince1970, utc, text)
            XCTAssertEqual(value.date()?.timeIntervalSince1970, utc, "\(text): UTC is the default")
            XCTAssertEqual(value.date(assuming: Self.eastern)?.timeIntervalSince1970, eastern, text)
            // Inside a model, too.
            let bill = try JSONDecoder().decode(Bill.self, from: Data("""
                {"issueDate":"\(text)","status":"Open","subTotal":0,"taxAmount":0,"totalAmount":0}
                """.utf8))
            XCTAssertEqual(bill.issueDate.text, text)
            XCTAssertTrue(String(decoding: try JSONEncoder().encode(bill), as: UTF8.self).contains("\"issueDate\":\"\(text)\""))
        }
    }

    func testTextOffsetWinsOverAssumedZone() throws {
        let value = try JSONDecoder().decode(DateTime.self, from: Data("\"2021-11-15T01:00:00-05:00\"".utf8))
        XCTAssertEqual(value.date(assuming: Self.tokyo)?.timeIntervalSince1970, 1_636_956_000)
        XCTAssertTrue(value.hasTimeZone)
        let local = try JSONDecoder().decode(DateTime.self, from: Data("\"2021-11-15T01:00:00\"".utf8))
        XCTAssertEqual(local.date(assuming: Self.tokyo)?.timeIntervalSince1970, 1_636_905_600) // 2021-11-14T16:00:00Z
        XCTAssertFalse(local.hasTimeZone)
        XCTAssertTrue(try JSONDecoder().decode(DateTime.self, from: Data("\"2021-11-15\"".utf8)).isDateOnly)
    }

    func testGarbageIsKeptButHasNoDate() throws {
        for text in ["not a date", "", "2021-13-45", "2021-11-15T25:00:00Z", "15.11.2021", "2021-11-15T06:00:00Zjunk"] {
            let json = Data(JSONTree.quote(text).utf8)
            let value = try JSONDecoder().decode(DateTime.self, from: json)
            XCTAssertEqual(value.text, text)
            XCTAssertNil(value.date(assuming: Self.utc), "'\(text)' names no instant")
            XCTAssertEqual(try JSONEncoder().encode(value), json, "'\(text)' re-encodes byte-identical")
        }
    }
}
