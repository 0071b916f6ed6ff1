import Foundation
import SeedExampleSupport
import XCTest

/// A `Decimal` from its text: a `Double` literal would not be exact (135.85 is not a binary fraction).
func dec(_ text: String) -> Decimal {
    guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
        preconditionFailure("not a number: \(text)")
    }
    return value
}

/// Asserts that a built value encodes to the same JSON value as the expected one.
func XCTAssertSameJSON(_ expected: JSONTree, _ built: some Encodable, _ message: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
    let differences = JSONTree.differences(expected, try JSONTree(encoding: built))
    XCTAssert(differences.isEmpty, "\(message):\n  " + differences.joined(separator: "\n  "), file: file, line: line)
}
