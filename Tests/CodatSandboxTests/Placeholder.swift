import CodatSandbox
import XCTest

final class CodatSandboxTestsPlaceholder: XCTestCase {}
