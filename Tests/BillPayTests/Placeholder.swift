import XCTest

final class BillPayTestsPlaceholder: XCTestCase {}
