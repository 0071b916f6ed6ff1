import XCTest
@testable import OpenAPIDocument
