import Foundation
import XCTest

/// One test per translation rule: a document fragment, the Swift it becomes, its diagnostics
/// (helpers in `SnippetSupport.swift`). Run with `SNIPPET_ACTUAL=<folder>` to write what each
/// failing test got, for review.
final class SnippetTests: XCTestCase {
    /// An object is a struct: required properties are plain, the others optional with a `nil` default and left out of the JSON when nil.
    func testObjectRequiredAndOptionalProperties() throws {
        try assertSchemas(#"""
        Pet:
          type: object
          required: [name]
          properties:
            name: {type: string}
            tag: {type: string, description: A free label.}
        """#, #"""

        """#)
    }

    /// Required and nullable: an `Optional` without a default (the caller must say it), written as `null` when nil.
    func testRequiredNullablePropertyIsAlwaysEncodedAndHasNoDefault() throws {
        try assertSchemas(#"""
        Account:
          type: object
          required: [name, number]
          properties:
            name: {type: string}
            number: {type: [string, 'null']}
            note: {type: [string, 'null']}
        """#, #"""

        """#)
    }

    /// The same rule for an OpenAPI 3.0 `nullable: true` reached through a `$ref`.
    func testRequiredNullableIn30Document() throws {
        try assertSchemas(#"""
        Number:
          type: string
          nullable: true
        Account:
          type: object
          required: [number]
          properties:
            number: {$ref: '#/components/schemas/Number'}
        """#, #"""

        """#, openapi: "3.0.3")
    }

    /// A string enum keeps values it does not list (`undocumented`); a keyword value is a case in backticks, a value that would be one of the enum's own members is renamed with a warning.
    func testStringEnumKeepsUnknownValuesAndEscapesKeywords() throws {
        try assertSchemas(#"""
        Status:
          type: string
          enum: [Open, default, rawValue]
        """#, #"""

        """#, diagnostics: [
            "warning: enum value 'rawValue' would be the case 'rawValue', a member every generated enum has; the case is 'rawValue2' (at #/components/schemas/Status/enum/2)",
        ])
    }

    /// A one-of with a discriminator: its mapping (and a member's schema name) pick the case before trying each in order.
    func testOneOfWithDiscriminator() throws {
        try assertSchemas(#"""
        Cat:
          type: object
          properties: {meows: {type: boolean}}
        Dog:
          type: object
          properties: {barks: {type: boolean}}
        Pet:
          oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
          discriminator:
            propertyName: kind
            mapping: {kitty: '#/components/schemas/Cat'}
        """#, #"""

        """#)
    }

    /// `anyOf: [X, {type: null}]` is an optional X, not a one-of.
    func testAnyOfWithNullIsAnOptional() throws {
        try assertSchemas(#"""
        Base:
          type: object
          properties: {id: {type: string}}
        Holder:
          type: object
          required: [base]
          properties:
            base:
              anyOf: [{$ref: '#/components/schemas/Base'}, {type: 'null'}]
        """#, #"""

        """#)
    }

    /// `allOf` of objects is one struct: properties in order, `required` from every member.
    func testAllOfOfObjectsMergesProperties() throws {
        try assertSchemas(#"""
        Base:
          type: object
          required: [id]
          properties: {id: {type: string}}
        Extended:
          allOf:
            - $ref: '#/components/schemas/Base'
            - type: object
              required: [extra]
              properties: {extra: {type: integer}}
        """#, #"""

        """#)
    }

    /// An `allOf` with one structural member and a description is that member's type.
    func testAllOfThatOnlyDescribesIsTheReferencedType() throws {
        try assertSchemas(#"""
        Base:
          type: object
          properties: {id: {type: string}}
        Holder:
          type: object
          properties:
            base:
              allOf:
                - $ref: '#/components/schemas/Base'
                - description: The holder's base.
        """#, #"""

        """#)
    }

    /// Formats choose the Swift type: `decimal` money is `Decimal`, `int32`/`int64` sized integers, `date-time` and `date` the runtime's `DateTime`, arrays and maps of them.
    func testPrimitiveFormats() throws {
        try assertSchemas(#"""
        Everything:
          type: object
          properties:
            money: {type: number, format: decimal}
            ratio: {type: number}
            small: {type: integer, format: int32}
            big: {type: integer, format: int64}
            created: {type: string, format: date-time}
            tags: {type: array, items: {type: string}}
            counts: {type: object, additionalProperties: {type: integer}}
            anything: {}
        """#, #"""

        """#)
    }

    /// A schema with several types has no single Swift type: `JSONValue`, and a warning that says so.
    func testSeveralTypesBecomeJSONValueWithAWarning() throws {
        try assertSchemas(#"""
        Loose:
          type: object
          properties:
            value: {type: [string, boolean]}
        """#, #"""

        """#, diagnostics: [
            "warning: a schema with several types (string, boolean) has no single Swift type; it becomes JSONValue (at #/components/schemas/Loose/properties/value)",
        ])
    }

    /// Properties and additionalProperties together: the properties are modelled, and a warning says the rest is not.
    func testPropertiesWithAdditionalPropertiesWarn() throws {
        try assertSchemas(#"""
        Mixed:
          type: object
          properties: {id: {type: string}}
          additionalProperties: {type: string}
        """#, #"""

        """#, diagnostics: [
            "warning: an object with both properties and additionalProperties: the additional properties are not modelled (decoding ignores them) (at #/components/schemas/Mixed)",
        ])
    }

    /// A schema called `String` would shadow Swift's: its type is `String2`, with a warning.
    func testSchemaNamedAfterASwiftTypeIsRenamedWithAWarning() throws {
        try assertSchemas(#"""
        String:
          type: object
          properties: {text: {type: string}}
        """#, #"""

        """#, diagnostics: [
            "warning: the type name 'String' is taken by Swift, the runtime or the module's own declarations; this schema's type is 'String2' (at #/components/schemas/String)",
        ])
    }

    /// A property called `hashValue` would clash with `Hashable`: it is `hashValue2`, with a warning; its JSON key stays.
    func testPropertyNamedAfterAStructMemberIsRenamedWithAWarning() throws {
        try assertSchemas(#"""
        Thing:
          type: object
          properties: {hashValue: {type: string}}
        """#, #"""

        """#, diagnostics: [
            "warning: property 'hashValue' would be 'hashValue', a member every generated struct has; it is 'hashValue2' (at #/components/schemas/Thing/properties/hashValue)",
        ])
    }

    /// A property named after a keyword is a plain identifier in the model and in backticks in the code; `self` also gets another argument name in the init.
    func testKeywordPropertyIsEscapedWhenRendered() throws {
        try assertSchemas(#"""
        Keywords:
          type: object
          required: [default]
          properties:
            default: {type: string}
            self: {type: string}
        """#, #"""

        """#)
    }

    /// An array schema that contains itself is a struct around the array (a type alias cannot recur).
    func testArrayThatContainsItselfIsAWrapperStruct() throws {
        try assertSchemas(#"""
        Tree:
          type: array
          items: {$ref: '#/components/schemas/Tree'}
        """#, #"""

        """#)
    }

    /// A deprecated property is an accessor over a private twin, so the init and the coding keys never touch the deprecated symbol.
    func testDeprecatedPropertyHasAPrivateTwin() throws {
        try assertSchemas(#"""
        Old:
          type: object
          properties:
            legacy: {type: string, deprecated: true}
        """#, #"""

        """#)
    }

    /// Path, query and header parameters: required ones first; an enum written through `rawValue`; a cookie and the `Authorization` header are left to middleware, with warnings.
    func testParametersInSignatureOrderAndPlace() throws {
        try assertPaths(#"""
        /items/{itemId}:
          get:
            operationId: get-item
            parameters:
              - {name: itemId, in: path, required: true, schema: {type: string}}
              - {name: status, in: query, schema: {$ref: '#/components/schemas/Status'}}
              - {name: X-Trace, in: header, required: true, schema: {type: string}}
              - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
              - {name: session, in: cookie, schema: {type: string}}
              - {name: Authorization, in: header, schema: {type: string}}
            responses:
              '204': {description: done}
        """#, components: #"""
        schemas:
          Status: {type: string, enum: [open, closed]}
        """#, #"""

        """#, diagnostics: [
            "warning: cookie parameter 'session' is not generated: set it with a ClientMiddleware (at #/paths/~1items~1{itemId}/get/parameters/4)",
            "warning: header parameter 'Authorization' is set by the client itself; not generated (at #/paths/~1items~1{itemId}/get/parameters/5)",
        ])
    }

    /// A parameter whose type cannot be written as text (an object) is taken as a `String`, with a warning.
    func testObjectParameterIsTakenAsStringWithAWarning() throws {
        try assertPaths(#"""
        /search:
          get:
            operationId: search
            parameters:
              - {name: filter, in: query, schema: {type: object, properties: {q: {type: string}}}}
              - {name: ids, in: header, schema: {type: array, items: {type: string}}}
            responses:
              '204': {description: done}
        """#, #"""

        """#, diagnostics: [
            "warning: parameter 'filter' has a type that cannot be written as text in query; it is taken as a String (at #/paths/~1search/get/parameters/0)",
            "warning: parameter 'ids' has a type that cannot be written as text in header; it is taken as a String (at #/paths/~1search/get/parameters/1)",
        ])
    }

    /// A JSON body is the `body` argument; the first success response is the return type; error statuses and classes are documented errors decoded into the error model.
    func testJSONBodySuccessAndDocumentedErrors() throws {
        try assertPaths(#"""
        /items:
          post:
            operationId: create-item
            requestBody:
              required: true
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Item'}
            responses:
              '200':
                description: created
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Item'}
              '201':
                description: created too
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Item'}
              '404':
                description: missing
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Problem'}
              5XX: {description: server}
        """#, components: #"""
        schemas:
          Item:
            type: object
            properties: {id: {type: string}}
          Problem:
            type: object
            properties: {message: {type: string}}
        """#, #"""

        """#)
    }

    /// A multipart body: one argument per part, binary parts as `MultipartFile`, others as text; a part that is not text or a file is sent as text with a warning.
    func testMultipartBodyPartsAreArguments() throws {
        try assertPaths(#"""
        /files:
          post:
            operationId: upload
            requestBody:
              required: true
              content:
                multipart/form-data:
                  schema:
                    type: object
                    required: [file]
                    properties:
                      file: {type: string, format: binary}
                      note: {type: string}
                      meta: {type: object, properties: {a: {type: string}}}
            responses:
              '204': {description: done}
        """#, #"""

        """#, diagnostics: [
            "warning: multipart part 'meta' is not text or a file; it is sent as text (at #/paths/~1files/post/requestBody/content/multipart~1form-data/schema/properties/meta)",
        ])
    }

    /// A list operation taking the page parameter that `x-codat-speakeasy-pagination` names and answering `results` gets a `listAll` that walks the pages (decided on JSON names).
    func testPagePaginationFromTheVendorExtensionsPageInput() throws {
        try assertPaths(#"""
        /items:
          get:
            operationId: list-items
            parameters:
              - {name: pageNo, in: query, schema: {type: integer}}
              - {name: pageSize, in: query, schema: {type: integer}}
            responses:
              '200':
                description: a page
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Items'}
        """#, components: #"""
        schemas:
          Items:
            type: object
            properties:
              results: {type: array, items: {type: string}}
              pageNumber: {type: integer}
              pageSize: {type: integer}
              totalResults: {type: integer}
        """#, topLevel: #"""
        x-codat-speakeasy-pagination:
          type: offsetLimit
          inputs:
            - {name: pageNo, in: parameters, type: page}
        """#, #"""

        """#)
    }

    /// A list operation taking `continuationToken` whose response carries `<object>.continuationToken` gets a `listAll` that follows the token.
    func testTokenPagination() throws {
        try assertPaths(#"""
        /events:
          get:
            operationId: list-events
            parameters:
              - {name: continuationToken, in: query, schema: {type: string}}
            responses:
              '200':
                description: events
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        results: {type: array, items: {type: string}}
                        paging:
                          type: object
                          properties: {continuationToken: {type: string}}
        """#, #"""

        """#)
    }

    /// A success range (`2XX`) is not a status the method can match: a warning, and the method answers nothing.
    func testSuccessRangeIsNotGeneratedWithAWarning() throws {
        try assertPaths(#"""
        /ping:
          get:
            operationId: ping
            responses:
              2XX: {description: fine}
        """#, #"""

        """#, diagnostics: [
            "warning: response '2XX': a success range is not generated; only explicit success codes are (at #/paths/~1ping/get/responses/2XX)",
        ])
    }

    /// `x-speakeasy-name-override`: on an operation it names the method; at the top, the last pattern that matches the operation id does.
    func testNameOverridesChooseMethodNames() throws {
        try assertPaths(#"""
        /a:
          get:
            operationId: list-things
            responses: {'204': {description: done}}
        /b:
          get:
            operationId: get-thing
            x-speakeasy-name-override: fetch
            responses: {'204': {description: done}}
        """#, topLevel: #"""
        x-speakeasy-name-override:
          - {operationId: '^list-.*', methodNameOverride: list}
        """#, #"""

        """#)
    }

    /// `x-speakeasy-retries` is the client's default retry, in milliseconds.
    func testRetriesFromTheVendorExtension() throws {
        try assertClientType(topLevel: #"""
        security: [{auth: []}]
        components:
          securitySchemes:
            auth: {type: apiKey, in: header, name: Authorization}
        x-speakeasy-retries:
          strategy: backoff
          backoff: {initialInterval: 500, maxInterval: 60000, maxElapsedTime: 3600000, exponent: 1.5}
          statusCodes: [429, 5XX]
          retryConnectionErrors: true
        """#, #"""

        """#)
    }

    /// A retry extension with another strategy is not read: a warning, and no default retries.
    func testMalformedRetriesWarnAndAreIgnored() throws {
        try assertClientType(topLevel: #"""
        x-speakeasy-retries:
          strategy: linear
        """#, #"""

        """#, diagnostics: [
            "warning: x-speakeasy-retries: only the 'backoff' strategy is supported; the client does not retry by default (at #/x-speakeasy-retries)",
        ])
    }
}
