// The module `OpenAPIDocument` has a struct of the same name, so `OpenAPIDocument.Operation`
// names a (missing) member of the struct; and Foundation has its own `Operation`. This file
// imports only the reader's module, so the plain names are its types.
import OpenAPIDocument

typealias DocumentOperation = Operation
typealias DocumentParameter = Parameter
