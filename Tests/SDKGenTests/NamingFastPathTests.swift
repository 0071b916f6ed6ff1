import OpenAPIDocument
@testable import SDKGen
import XCTest

/// The byte-level paths the translator takes for ASCII text (names, doc lines, pointer escapes,
/// name registries): the results the `Character`-level rules give. The goldens check them on
/// whole documents; these pin the edge cases (separators only, leading digits, runs of capitals,
/// blank and space-padded lines, `~` and `/` in keys).
final class NamingFastPathTests: XCTestCase {
    func testUpperAndLowerCamelOnASCII() {
        XCTAssertEqual(Naming.upperCamel("list-bills"), "ListBills")
        XCTAssertEqual(Naming.upperCamel("banking-accountBalances"), "BankingAccountBalances")
        XCTAssertEqual(Naming.upperCamel("3dSecure"), "_3dSecure")
        XCTAssertEqual(Naming.upperCamel("---"), "U2DU2DU2D")
        XCTAssertEqual(Naming.upperCamel(""), "Unnamed")
        XCTAssertEqual(Naming.lowerCamel("URLPath"), "urlPath")
        XCTAssertEqual(Naming.lowerCamel("ID"), "id")
        XCTAssertEqual(Naming.lowerCamel("total_amount"), "totalAmount")
        XCTAssertEqual(Naming.lowerCamel("2fa"), "_2fa")
        // The same words with a non-ASCII letter go through the Unicode path and agree.
        XCTAssertEqual(Naming.upperCamel("list-bills-é"), "ListBillsÉ")
        XCTAssertEqual(Naming.lowerCamel("URLPath é"), "urlPathÉ")
    }

    func testDocLinesTrimAndDropBlankEnds() {
        XCTAssertEqual(Naming.docLines(""), [])
        XCTAssertEqual(Naming.docLines("One line."), [" One line."])
        XCTAssertEqual(Naming.docLines("\n\n  a  \n\n b \n"), ["   a", "", "  b"])
        XCTAssertEqual(Naming.docLines("   \n  "), [])
        XCTAssertEqual(Naming.docLines("tab\there\r\nnext"), [" tab here", " next"])
        XCTAssertEqual(Naming.docLines("é \nx"), [" é", " x"])
    }

    func testPointerComponentsEscapeLikeJSONPointer() {
        for key in ["/entities/{id}", "a~b", "plain", "~/~/", "é/x", "", "application/json"] {
            XCTAssertEqual(ModelTranslator.escapedPointerComponent(key), JSONPointer.escape(key), key)
        }
        XCTAssertEqual(ModelTranslator.escapedPointerComponent("/entities/{id}"), "~1entities~1{id}")
    }

    func testNameRegistryKeepsReservedNamesApartFromClaimedOnes() {
        var names = NameRegistry(reserved: ["hashValue"], capacity: 4)
        XCTAssertEqual(names.claim("hashValue"), "hashValue2")
        XCTAssertEqual(names.claim("id"), "id")
        XCTAssertEqual(names.claim("id"), "id2")
        XCTAssertEqual(names.claim("id2"), "id22")
        XCTAssertTrue(names.isReserved("hashValue"))
        XCTAssertFalse(names.isReserved("id"))
    }
}
