// No Foundation here, so `Operation` is the OpenAPI one (Foundation has its own).
@testable import OpenAPIDocument

typealias APIOperation = Operation
