import CodatSandbox
import Foundation
import XCTest

/// Codat's query language, without a server.
final class QueryTests: XCTestCase {
    private let bill: SandboxJSON = [
        "id": "b1", "status": "PartiallyPaid", "currency": "GBP", "amountDue": .number(Decimal(string: "135.85")!),
        "sourceModifiedDate": "2023-06-01T10:00:00", "supplierRef": ["id": "77", "supplierName": "AtoB"],
        "isBankAccount": false, "lineItems": [["accountRef": ["id": "a1"]], ["accountRef": ["id": "a2"]]], "note": nil,
    ]

    private func matches(_ text: String) throws -> Bool {
        try CodatQuery(text).matches(bill)
    }

    func testComparisons() throws {
        XCTAssertTrue(try matches("status=PartiallyPaid"))
        XCTAssertTrue(try matches("status=partiallypaid"), "equality ignores case")
        XCTAssertFalse(try matches("status=Open"))
        XCTAssertTrue(try matches("status!=Open"))
        XCTAssertTrue(try matches("amountDue>100"))
        XCTAssertTrue(try matches("amountDue>=135.85"))
        XCTAssertFalse(try matches("amountDue<135.85"))
        XCTAssertTrue(try matches("amountDue=135.850"), "numbers compare as numbers")
        XCTAssertTrue(try matches("supplierRef.id=77"))
        XCTAssertTrue(try matches("supplierRef.supplierName~tob"))
        XCTAssertTrue(try matches("isBankAccount=false"))
        XCTAssertFalse(try matches("isBankAccount=true"))
        XCTAssertTrue(try matches("lineItems.accountRef.id=a2"), "any element of an array")
        XCTAssertTrue(try matches("note=null"))
        XCTAssertTrue(try matches("missing=null"))
        XCTAssertFalse(try matches("missing=x"))
        XCTAssertTrue(try matches("supplierRef.supplierName='AtoB'"))
        XCTAssertTrue(try CodatQuery("name=EC Acquisitions (20%)").matches(["name": "EC Acquisitions (20%)"]))
    }

    func testDates() throws {
        XCTAssertTrue(try matches("sourceModifiedDate>2023-01-01"))
        XCTAssertTrue(try matches("sourceModifiedDate>2023-06-01T09:59:59Z"))
        XCTAssertFalse(try matches("sourceModifiedDate>2023-06-01T10:00:00.000Z"))
        XCTAssertTrue(try matches("sourceModifiedDate<2023-06-01T12:00:00+01:00"), "offsets are applied")
        XCTAssertFalse(try matches("sourceModifiedDate<2023-06-01T10:30:00+01:00"))
        XCTAssertTrue(try matches("sourceModifiedDate>=2023-06-01T10:00:00"))
    }

    func testCombinations() throws {
        XCTAssertTrue(try matches("status=Open||status=PartiallyPaid"))
        XCTAssertTrue(try matches("sourceModifiedDate>2023-01-01&&status=PartiallyPaid"))
        XCTAssertFalse(try matches("sourceModifiedDate>2024-01-01&&status=PartiallyPaid"))
        XCTAssertTrue(try matches("currency=USD||currency=GBP&&status=PartiallyPaid"), "&& binds tighter")
        XCTAssertFalse(try matches("{currency=USD||currency=GBP}&&status=Open"))
        XCTAssertTrue(try matches("{currency=USD||currency=GBP}&&{status=Open||status=PartiallyPaid}"))
        XCTAssertTrue(try matches(" status = PartiallyPaid && supplierRef.id = 77 "))
    }

    func testMalformedQueries() {
        for text in ["", "status", "=Open", "status=", "{status=Open", "status=Open&&", "status=Open}"] {
            XCTAssertThrowsError(try CodatQuery(text), text)
        }
    }
}
