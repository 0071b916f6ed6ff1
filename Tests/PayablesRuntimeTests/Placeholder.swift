import XCTest

final class PayablesRuntimeTestsPlaceholder: XCTestCase {}
