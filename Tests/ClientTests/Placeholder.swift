import XCTest

final class ClientTestsPlaceholder: XCTestCase {}
