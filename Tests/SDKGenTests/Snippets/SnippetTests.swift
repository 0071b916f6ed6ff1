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
        public struct Pet: Codable, Hashable, Sendable {
            public var name: String
            /// A free label.
            public var tag: String?

            public init(name: String, tag: String? = nil) {
                self.name = name
                self.tag = tag
            }

            enum CodingKeys: String, CodingKey {
                case name = "name"
                case tag = "tag"
            }
        }
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
        public struct Account: Codable, Hashable, Sendable {
            public var name: String
            public var number: String?
            public var note: String?

            public init(name: String, number: String?, note: String? = nil) {
                self.name = name
                self.number = number
                self.note = note
            }

            enum CodingKeys: String, CodingKey {
                case name = "name"
                case number = "number"
                case note = "note"
            }

            /// Required and nullable members are written as `null` when nil (the synthesized
            /// conformance would leave them out); the others as the synthesized conformance does.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(self.name, forKey: .name)
                try container.encode(self.number, forKey: .number)
                try container.encodeIfPresent(self.note, forKey: .note)
            }
        }
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
        public struct Account: Codable, Hashable, Sendable {
            public var number: String?

            public init(number: String?) {
                self.number = number
            }

            enum CodingKeys: String, CodingKey {
                case number = "number"
            }

            /// Required and nullable members are written as `null` when nil (the synthesized
            /// conformance would leave them out); the others as the synthesized conformance does.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(self.number, forKey: .number)
            }
        }
        """#, openapi: "3.0.3")
    }

    /// A string enum keeps values it does not list (`undocumented`); a keyword value is a case in backticks, a value that would be one of the enum's own members is renamed with a warning.
    func testStringEnumKeepsUnknownValuesAndEscapesKeywords() throws {
        try assertSchemas(#"""
        Status:
          type: string
          enum: [Open, default, rawValue]
        """#, #"""
        public enum Status: Codable, Hashable, Sendable, RawRepresentable {
            case open
            case `default`
            case rawValue2
            /// A value this version of the API does not document, kept as received.
            case undocumented(String)

            /// The values the API documents.
            public static let documentedCases: [Status] = [.open, .`default`, .rawValue2, ]

            public init(rawValue: String) {
                switch rawValue {
                case "Open": self = .open
                case "default": self = .`default`
                case "rawValue": self = .rawValue2
                default: self = .undocumented(rawValue)
                }
            }

            public var rawValue: String {
                switch self {
                case .open: return "Open"
                case .`default`: return "default"
                case .rawValue2: return "rawValue"
                case let .undocumented(value): return value
                }
            }

            public init(from decoder: any Decoder) throws {
                self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
            }

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(rawValue)
            }
        }
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
        public struct Cat: Codable, Hashable, Sendable {
            public var meows: Bool?

            public init(meows: Bool? = nil) {
                self.meows = meows
            }

            enum CodingKeys: String, CodingKey {
                case meows = "meows"
            }
        }

        public struct Dog: Codable, Hashable, Sendable {
            public var barks: Bool?

            public init(barks: Bool? = nil) {
                self.barks = barks
            }

            enum CodingKeys: String, CodingKey {
                case barks = "barks"
            }
        }

        public enum Pet: Codable, Hashable, Sendable {
            case cat(Cat)
            case dog(Dog)
            /// A value that matches none of the documented shapes, kept as received.
            case undocumented(JSONValue)

            public init(from decoder: any Decoder) throws {
                // Through a single-value container, so that JSONDecoder's own handling of Decimal,
                // Date and friends applies (their `init(from:)` alone would read a keyed form).
                let container = try decoder.singleValueContainer()
                switch AnyCodingKey.string("kind", in: decoder) {
                case "kitty": self = .cat(try container.decode(Cat.self)); return
                case "Dog": self = .dog(try container.decode(Dog.self)); return
                default: break
                }
                if let value = try? container.decode(Cat.self) {
                    self = .cat(value)
                    return
                }
                if let value = try? container.decode(Dog.self) {
                    self = .dog(value)
                    return
                }
                self = .undocumented(try container.decode(JSONValue.self))
            }

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case let .cat(value): try container.encode(value)
                case let .dog(value): try container.encode(value)
                case let .undocumented(value): try container.encode(value)
                }
            }
        }
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
        public struct Base: Codable, Hashable, Sendable {
            public var id: String?

            public init(id: String? = nil) {
                self.id = id
            }

            enum CodingKeys: String, CodingKey {
                case id = "id"
            }
        }

        public struct Holder: Codable, Hashable, Sendable {
            public var base: Base?

            public init(base: Base?) {
                self.base = base
            }

            enum CodingKeys: String, CodingKey {
                case base = "base"
            }

            /// Required and nullable members are written as `null` when nil (the synthesized
            /// conformance would leave them out); the others as the synthesized conformance does.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(self.base, forKey: .base)
            }
        }
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
        public struct Base: Codable, Hashable, Sendable {
            public var id: String

            public init(id: String) {
                self.id = id
            }

            enum CodingKeys: String, CodingKey {
                case id = "id"
            }
        }

        public struct Extended: Codable, Hashable, Sendable {
            public var id: String
            public var extra: Int

            public init(id: String, extra: Int) {
                self.id = id
                self.extra = extra
            }

            enum CodingKeys: String, CodingKey {
                case id = "id"
                case extra = "extra"
            }
        }
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
        public struct Base: Codable, Hashable, Sendable {
            public var id: String?

            public init(id: String? = nil) {
                self.id = id
            }

            enum CodingKeys: String, CodingKey {
                case id = "id"
            }
        }

        public struct Holder: Codable, Hashable, Sendable {
            public var base: Base?

            public init(base: Base? = nil) {
                self.base = base
            }

            enum CodingKeys: String, CodingKey {
                case base = "base"
            }
        }
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
        public struct Everything: Codable, Hashable, Sendable {
            public var money: Decimal?
            public var ratio: Double?
            public var small: Int32?
            public var big: Int64?
            public var created: DateTime?
            public var tags: [String]?
            public var counts: [String: Int]?
            public var anything: JSONValue?

            public init(money: Decimal? = nil, ratio: Double? = nil, small: Int32? = nil, big: Int64? = nil, created: DateTime? = nil, tags: [String]? = nil, counts: [String: Int]? = nil, anything: JSONValue? = nil) {
                self.money = money
                self.ratio = ratio
                self.small = small
                self.big = big
                self.created = created
                self.tags = tags
                self.counts = counts
                self.anything = anything
            }

            enum CodingKeys: String, CodingKey {
                case money = "money"
                case ratio = "ratio"
                case small = "small"
                case big = "big"
                case created = "created"
                case tags = "tags"
                case counts = "counts"
                case anything = "anything"
            }
        }
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
        public struct Loose: Codable, Hashable, Sendable {
            public var value: JSONValue?

            public init(value: JSONValue? = nil) {
                self.value = value
            }

            enum CodingKeys: String, CodingKey {
                case value = "value"
            }
        }
        """#, diagnostics: [
            "warning: a schema with several types (boolean, string) has no single Swift type; it becomes JSONValue (at #/components/schemas/Loose/properties/value)",
        ])
    }

    /// Properties and additionalProperties together: a struct with the properties and a map of
    /// the other keys, which it decodes and writes back itself.
    func testPropertiesWithAdditionalPropertiesKeepTheOtherKeys() throws {
        try assertSchemas(#"""
        Mixed:
          type: object
          properties: {id: {type: string}}
          additionalProperties: {type: string}
        """#, #"""
        public struct Mixed: Codable, Hashable, Sendable {
            public var id: String?
            /// The object's other members (the schema's `additionalProperties`), by JSON key.
            public var additionalProperties: [String: String]

            public init(id: String? = nil, additionalProperties: [String: String] = [:]) {
                self.id = id
                self.additionalProperties = additionalProperties
            }

            enum CodingKeys: String, CodingKey, CaseIterable {
                case id = "id"
            }

            /// Decodes the members the schema names as the synthesized conformance would, and the
            /// object's other keys into `additionalProperties`.
            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                self.id = try container.decodeIfPresent(String.self, forKey: .id)
                self.additionalProperties = try AnyCodingKey.additionalMembers(String.self, in: decoder, skipping: CodingKeys.self)
            }

            /// Writes the members the schema names as the synthesized conformance would, then the others.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encodeIfPresent(self.id, forKey: .id)
                try AnyCodingKey.encodeAdditionalMembers(self.additionalProperties, to: encoder, skipping: CodingKeys.self)
            }
        }
        """#)
    }

    /// A schema called `String` would shadow Swift's: its type is `String2`, with a warning.
    func testSchemaNamedAfterASwiftTypeIsRenamedWithAWarning() throws {
        try assertSchemas(#"""
        String:
          type: object
          properties: {text: {type: string}}
        """#, #"""
        public struct String2: Codable, Hashable, Sendable {
            public var text: String?

            public init(text: String? = nil) {
                self.text = text
            }

            enum CodingKeys: String, CodingKey {
                case text = "text"
            }
        }
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
        public struct Thing: Codable, Hashable, Sendable {
            public var hashValue2: String?

            public init(hashValue2: String? = nil) {
                self.hashValue2 = hashValue2
            }

            enum CodingKeys: String, CodingKey {
                case hashValue2 = "hashValue"
            }
        }
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
        public struct Keywords: Codable, Hashable, Sendable {
            public var `default`: String
            public var `self`: String?

            public init(`default`: String, `self` selfValue: String? = nil) {
                self.`default` = `default`
                self.`self` = selfValue
            }

            enum CodingKeys: String, CodingKey {
                case `default` = "default"
                case `self` = "self"
            }
        }
        """#)
    }

    /// An array schema that contains itself is a struct around the array (a type alias cannot recur).
    func testArrayThatContainsItselfIsAWrapperStruct() throws {
        try assertSchemas(#"""
        Tree:
          type: array
          items: {$ref: '#/components/schemas/Tree'}
        """#, #"""
        public struct Tree: Codable, Hashable, Sendable {
            /// The document's array or map; a struct because Swift type aliases cannot contain themselves.
            public var value: [Tree]

            public init(_ value: [Tree]) {
                self.value = value
            }

            public init(from decoder: any Decoder) throws {
                value = try decoder.singleValueContainer().decode([Tree].self)
            }

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(value)
            }
        }
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
        public struct Old: Codable, Hashable, Sendable {
            @available(*, deprecated)
            public var legacy: String? {
                get { _legacy }
                set { _legacy = newValue }
            }
            private var _legacy: String?

            public init(legacy: String? = nil) {
                self._legacy = legacy
            }

            enum CodingKeys: String, CodingKey {
                case _legacy = "legacy"
            }
        }
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
        extension Client {
            /// General
            public struct GeneralResource: Sendable {
                let core: ClientCore

                /// - Parameter itemId: The path parameter `itemId`.
                /// - Parameter xTrace: The header parameter `X-Trace`.
                /// - Parameter status: The query parameter `status`.
                /// - Parameter ids: The query parameter `ids`.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func getItem(itemId: String, xTrace: String, status: Status? = nil, ids: [Int]? = nil, options: CallOptions = CallOptions()) async throws {
                    var request = try OperationRequest(
                        operationID: "get-item", method: .get, pathTemplate: "/items/{itemId}",
                        pathParameters: [("itemId", itemId.parameterText)]
                    )
                    request.accept = "application/json"
                    request.addQuery("status", status)
                    request.addQuery("ids", ids)
                    try request.addHeader("X-Trace", xTrace)
                    try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 204: return ()
                        default: return nil
                        }
                    }
                }
            }
        }
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
        extension Client {
            /// General
            public struct GeneralResource: Sendable {
                let core: ClientCore

                /// - Parameter filter: The query parameter `filter`.
                /// - Parameter ids: The header parameter `ids`.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func search(filter: String? = nil, ids: String? = nil, options: CallOptions = CallOptions()) async throws {
                    var request = try OperationRequest(
                        operationID: "search", method: .get, pathTemplate: "/search",
                        pathParameters: []
                    )
                    request.accept = "application/json"
                    request.addQuery("filter", filter)
                    try request.addHeader("ids", ids)
                    try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 204: return ()
                        default: return nil
                        }
                    }
                }
            }
        }
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
        extension Client {
            /// General
            public struct GeneralResource: Sendable {
                let core: ClientCore

                /// - Parameter body: The request body.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func createItem(body: Item, options: CallOptions = CallOptions()) async throws -> Item {
                    var request = try OperationRequest(
                        operationID: "create-item", method: .post, pathTemplate: "/items",
                        pathParameters: []
                    )
                    request.accept = "application/json"
                    try request.setJSONBody(body)
                    return try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [404], classes: [5]),
                        errorModel: Problem.self
                    ) { response in
                        switch response.status {
                        case 200, 201: return try response.json(Item.self)
                        default: return nil
                        }
                    }
                }
            }
        }
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
        extension Client {
            /// General
            public struct GeneralResource: Sendable {
                let core: ClientCore

                /// - Parameter file: The form part `file`.
                /// - Parameter note: The form part `note`.
                /// - Parameter meta: The form part `meta`.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func upload(file: MultipartFile, note: String? = nil, meta: String? = nil, options: CallOptions = CallOptions()) async throws {
                    var request = try OperationRequest(
                        operationID: "upload", method: .post, pathTemplate: "/files",
                        pathParameters: []
                    )
                    request.accept = "application/json"
                    var form = MultipartForm()
                    form.append("file", file: file)
                    form.append("note", text: note)
                    form.append("meta", text: meta)
                    request.setMultipartBody(form.parts.isEmpty ? nil : form)
                    try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 204: return ()
                        default: return nil
                        }
                    }
                }
            }
        }
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
        extension Client {
            /// General
            public struct GeneralResource: Sendable {
                let core: ClientCore

                /// - Parameter pageNo: The query parameter `pageNo`.
                /// - Parameter pageSize: The query parameter `pageSize`.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func listItems(pageNo: Int? = nil, pageSize: Int? = nil, options: CallOptions = CallOptions()) async throws -> Items {
                    var request = try OperationRequest(
                        operationID: "list-items", method: .get, pathTemplate: "/items",
                        pathParameters: []
                    )
                    request.accept = "application/json"
                    request.addQuery("pageNo", pageNo)
                    request.addQuery("pageSize", pageSize)
                    return try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 200: return try response.json(Items.self)
                        default: return nil
                        }
                    }
                }

                /// Every item of `listItems` across pages. A page is fetched only when the previous one has been consumed.
                public func listItemsAll(pageSize: Int? = nil, options: CallOptions = CallOptions()) -> Paginated<String> {
                    Paginated(first: .page(1)) { cursor in
                        let response = try await self.listItems(pageNo: cursor.pageNumber(), pageSize: pageSize, options: options)
                        let items = response.results ?? []
                        return (items, cursor.nextPage(
                            pageNumber: response.pageNumber,
                            pageSize: response.pageSize,
                            totalResults: response.totalResults,
                            received: items.count
                        ))
                    }
                }
            }
        }
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
        extension Client {
            /// General
            public struct GeneralResource: Sendable {
                let core: ClientCore

                /// - Parameter continuationToken: The query parameter `continuationToken`.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func listEvents(continuationToken: String? = nil, options: CallOptions = CallOptions()) async throws -> ListEventsResponse {
                    var request = try OperationRequest(
                        operationID: "list-events", method: .get, pathTemplate: "/events",
                        pathParameters: []
                    )
                    request.accept = "application/json"
                    request.addQuery("continuationToken", continuationToken)
                    return try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 200: return try response.json(ListEventsResponse.self)
                        default: return nil
                        }
                    }
                }

                /// Every item of `listEvents` across pages. A page is fetched only when the previous one has been consumed.
                public func listEventsAll(options: CallOptions = CallOptions()) -> Paginated<String> {
                    Paginated(first: .token(nil)) { cursor in
                        let response = try await self.listEvents(continuationToken: cursor.continuationToken, options: options)
                        let items = response.results ?? []
                        return (items, PageCursor.nextToken(response.paging?.continuationToken))
                    }
                }
            }
        }
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
        extension Client {
            /// General
            public struct GeneralResource: Sendable {
                let core: ClientCore

                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func ping(options: CallOptions = CallOptions()) async throws {
                    var request = try OperationRequest(
                        operationID: "ping", method: .get, pathTemplate: "/ping",
                        pathParameters: []
                    )
                    request.accept = "*/*"
                    try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256, 257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270, 271, 272, 273, 274, 275, 276, 277, 278, 279, 280, 281, 282, 283, 284, 285, 286, 287, 288, 289, 290, 291, 292, 293, 294, 295, 296, 297, 298, 299: return ()
                        default: return nil
                        }
                    }
                }
            }
        }
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
        extension Client {
            /// General
            public struct GeneralResource: Sendable {
                let core: ClientCore

                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func list(options: CallOptions = CallOptions()) async throws {
                    var request = try OperationRequest(
                        operationID: "list-things", method: .get, pathTemplate: "/a",
                        pathParameters: []
                    )
                    request.accept = "application/json"
                    try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 204: return ()
                        default: return nil
                        }
                    }
                }

                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func fetch(options: CallOptions = CallOptions()) async throws {
                    var request = try OperationRequest(
                        operationID: "get-thing", method: .get, pathTemplate: "/b",
                        pathParameters: []
                    )
                    request.accept = "application/json"
                    try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 204: return ()
                        default: return nil
                        }
                    }
                }
            }
        }
        """#)
    }

    /// A pagination extension that names no page input: a warning, and the page parameter is `page`.
    func testPaginationExtensionWithoutAPageInputWarns() throws {
        try assertPaths(#"""
        /items:
          get:
            operationId: list-items
            parameters:
              - {name: page, in: query, schema: {type: integer}}
            responses:
              '200':
                description: a page
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        results: {type: array, items: {type: string}}
        """#, topLevel: #"""
        x-codat-speakeasy-pagination:
          inputs:
            - {name: cursor, in: parameters, type: cursor}
        """#, #"""
        extension Client {
            /// General
            public struct GeneralResource: Sendable {
                let core: ClientCore

                /// - Parameter page: The query parameter `page`.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func listItems(page: Int? = nil, options: CallOptions = CallOptions()) async throws -> ListItemsResponse {
                    var request = try OperationRequest(
                        operationID: "list-items", method: .get, pathTemplate: "/items",
                        pathParameters: []
                    )
                    request.accept = "application/json"
                    request.addQuery("page", page)
                    return try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 200: return try response.json(ListItemsResponse.self)
                        default: return nil
                        }
                    }
                }

                /// Every item of `listItems` across pages. A page is fetched only when the previous one has been consumed.
                public func listItemsAll(options: CallOptions = CallOptions()) -> Paginated<String> {
                    Paginated(first: .page(1)) { cursor in
                        let response = try await self.listItems(page: cursor.pageNumber(), options: options)
                        let items = response.results ?? []
                        return (items, cursor.nextPage(
                            pageNumber: Int?.none,
                            pageSize: Int?.none,
                            totalResults: Int?.none,
                            received: items.count
                        ))
                    }
                }
            }
        }
        """#, diagnostics: [
            "warning: x-codat-speakeasy-pagination names no input of type 'page'; the page parameter is 'page' (at #/x-codat-speakeasy-pagination)",
        ])
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
        public struct Client: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
            /// The document's first server.
            public static let defaultServerURL = URL(string: "https://api.example.com")!

            /// The document's `x-speakeasy-retries`: backoff from 500 ms (x1.5, at most 60000 ms apart,
            /// 3600000 ms in all) on 429 and 5XX and connection errors.
            public static let defaultRetry = RetryConfiguration(
                strategy: .backoff(initialInterval: .milliseconds(500), maxInterval: .milliseconds(60000), maxElapsedTime: .milliseconds(3600000), exponent: 1.5),
                statuses: StatusSet(codes: [429], classes: [5]),
                retryConnectionErrors: true
            )

            let core: ClientCore

            /// Creates a client.
            /// - Parameters:
            ///   - serverURL: The API's base URL (default: the document's first server).
            ///   - auth: The API key of the security scheme `auth`, sent in the header `Authorization`.
            ///   - transport: Sends the requests: `URLSessionTransport()`, `AsyncHTTPClientTransport()` or your own.
            ///   - middlewares: Run around every attempt, in order.
            ///   - options: Retries, timeouts, logging.
            public init(serverURL: URL = Client.defaultServerURL, auth: String, transport: any ClientTransport,
                        middlewares: [any ClientMiddleware] = [], options: ClientOptions = ClientOptions()) {
                core = ClientCore(
                    serverURL: serverURL,
                    credentials: [Credential(location: .header, name: "Authorization", value: auth)],
                    transport: transport, middlewares: middlewares, options: options, documentRetry: Self.defaultRetry
                )
            }

            public var description: String { "Snippet.Client " + core.description }
            public var debugDescription: String { description }
        }
        """#)
    }

    /// A retry extension with another strategy is not read: a warning, and no default retries.
    func testMalformedRetriesWarnAndAreIgnored() throws {
        try assertClientType(topLevel: #"""
        x-speakeasy-retries:
          strategy: linear
        """#, #"""
        public struct Client: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
            /// The document's first server.
            public static let defaultServerURL = URL(string: "https://api.example.com")!

            /// The document declares no retries.
            public static let defaultRetry = RetryConfiguration.never

            let core: ClientCore

            /// Creates a client.
            /// - Parameters:
            ///   - serverURL: The API's base URL (default: the document's first server).
            ///   - transport: Sends the requests: `URLSessionTransport()`, `AsyncHTTPClientTransport()` or your own.
            ///   - middlewares: Run around every attempt, in order.
            ///   - options: Retries, timeouts, logging.
            public init(serverURL: URL = Client.defaultServerURL, transport: any ClientTransport,
                        middlewares: [any ClientMiddleware] = [], options: ClientOptions = ClientOptions()) {
                core = ClientCore(
                    serverURL: serverURL,
                    credentials: [],
                    transport: transport, middlewares: middlewares, options: options, documentRetry: Self.defaultRetry
                )
            }

            public var description: String { "Snippet.Client " + core.description }
            public var debugDescription: String { description }
        }
        """#, diagnostics: [
            "warning: x-speakeasy-retries: only the 'backoff' strategy is supported; the client does not retry by default (at #/x-speakeasy-retries)",
        ])
    }
}
