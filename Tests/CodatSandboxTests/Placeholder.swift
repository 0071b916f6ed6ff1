import XCTest

final class CodatSandboxTestsPlaceholder: XCTestCase {}
