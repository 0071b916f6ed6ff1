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

    /// The eight-bytes-at-a-time filter never misses a text `containsHidden` flags, nor a control
    /// byte, DEL or non-ASCII byte at any position of a word or of the tail.
    func testHiddenCharacterFilterFindsEveryByteOutsidePrintableASCII() {
        let plain = "abcdefghijklmnopqrstuvwx ~!\"{}/"
        XCTAssertFalse(Naming.mayContainHidden(plain))
        XCTAssertFalse(Naming.mayContainHidden(""))
        for odd in ["\u{7F}", "\u{1F}", "\u{0}", "\t", "é", "\u{200B}", "\u{FEFF}"] {
            for position in 0...plain.count {
                var text = plain
                text.insert(contentsOf: odd, at: text.index(text.startIndex, offsetBy: position))
                XCTAssertTrue(Naming.mayContainHidden(text), "\(odd.unicodeScalars.map(\.value)) at \(position)")
            }
        }
        for text in ["a\u{202E}b", "x\u{2028}", "12345678\u{7}"] where Naming.containsHidden(text) {
            XCTAssertTrue(Naming.mayContainHidden(text), text)
        }
        // Bytes just inside printable ASCII are no hit: space (0x20) and tilde (0x7E).
        XCTAssertFalse(Naming.mayContainHidden(String(repeating: " ~", count: 9)))
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
