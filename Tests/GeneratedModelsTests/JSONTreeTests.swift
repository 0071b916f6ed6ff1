import Foundation
import SeedExampleSupport
import XCTest

/// The comparison the round-trip tests rely on is exact and has the documented leniencies only.
final class JSONTreeTests: XCTestCase {
    func testNumbersCompareAsExactDecimals() throws {
        XCTAssertNil(JSONTree.difference(try JSONTree.parse("135.85"), try JSONTree.parse("135.85")))
        XCTAssertNil(JSONTree.difference(try JSONTree.parse("1"), try JSONTree.parse("1.0")), "same value, other spelling")
        XCTAssertNil(JSONTree.difference(try JSONTree.parse("1.5e2"), try JSONTree.parse("150")))
        // What a trip through Double would produce is a difference.
        XCTAssertNotNil(JSONTree.difference(try JSONTree.parse("135.85"), try JSONTree.parse("135.84999999999999")))
        XCTAssertNotNil(JSONTree.difference(try JSONTree.parse("12345678901234567.89"), try JSONTree.parse("12345678901234568")))
        XCTAssertNotNil(JSONTree.difference(try JSONTree.parse("1"), try JSONTree.parse("\"1\"")))
        XCTAssertNotNil(JSONTree.difference(try JSONTree.parse("0"), try JSONTree.parse("false")))
    }

    func testNullMemberEqualsMissingMemberOnly() throws {
        XCTAssertNil(JSONTree.difference(try JSONTree.parse(#"{"a":1,"b":null}"#), try JSONTree.parse(#"{"a":1}"#)))
        XCTAssertNil(JSONTree.difference(try JSONTree.parse(#"{"b":1,"a":2}"#), try JSONTree.parse(#"{"a":2,"b":1}"#)))
        XCTAssertNotNil(JSONTree.difference(try JSONTree.parse(#"{"a":1,"b":2}"#), try JSONTree.parse(#"{"a":1}"#)))
        XCTAssertNotNil(JSONTree.difference(try JSONTree.parse(#"{"a":1}"#), try JSONTree.parse(#"{"a":1,"b":2}"#)))
        XCTAssertNotNil(JSONTree.difference(try JSONTree.parse("[1,null]"), try JSONTree.parse("[1]")))
        XCTAssertNotNil(JSONTree.difference(try JSONTree.parse(#"{"a":""}"#), try JSONTree.parse(#"{}"#)))
    }

    func testStringsAndWriting() throws {
        let text = #"{"s":"a\"b\\c\u00e9\ud83d\ude00\n","n":-0.5}"#
        let tree = try JSONTree.parse(text)
        XCTAssertEqual(tree, .object(["s": .string("a\"b\\cé😀\n"), "n": .number(Decimal(string: "-0.5")!)]))
        XCTAssertEqual(try JSONTree.parse(tree.jsonText), tree)
        XCTAssertTrue(JSONTree.isJSONNumber("-1.25e+3"))
        XCTAssertFalse(JSONTree.isJSONNumber(".5"))
        XCTAssertFalse(JSONTree.isJSONNumber("+1"))
        XCTAssertFalse(JSONTree.isJSONNumber("01"))
        XCTAssertThrowsError(try JSONTree.parse("[1,]"))
    }
}
