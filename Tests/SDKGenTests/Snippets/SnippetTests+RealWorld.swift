import Foundation
import XCTest

/// Translation rules for constructs met in public API documents (`Benchmarks/real-world.sh`):
/// split documents, query arrays, bodiless successes, open objects, undescribed credentials.
final class RealWorldSnippetTests: XCTestCase {
    /// A schema at the root of a file of its own is named after the file, one at the top of a
    /// file after its key, each unique as any other name; a component that is a `$ref` to such a
    /// file names the schema itself.
    func testSchemaInAFileOfItsOwnIsNamedAfterTheFile() throws {
        try assertSchemas(#"""
        Kennel:
          type: object
          properties:
            resident: {$ref: './schemas/Pet.yaml'}
            peering: {$ref: './schemas/models.yaml#/vpc_peering'}
            annex: {$ref: './schemas/kennel.yaml'}
        Animal:
          $ref: './schemas/animal-record.yaml'
        """#, files: [
            "schemas/Pet.yaml": "type: object\nproperties: {name: {type: string}}\n",
            "schemas/models.yaml": "vpc_peering:\n  type: object\n  properties: {id: {type: string}}\n",
            "schemas/kennel.yaml": "type: object\nproperties: {rooms: {type: integer}}\n",
            "schemas/animal-record.yaml": "type: object\nproperties: {legs: {type: integer}}\n",
        ], #"""
        public struct Kennel: Codable, Hashable, Sendable {
            public var resident: Pet?
            public var peering: VpcPeering?
            public var annex: Kennel2?

            public init(resident: Pet? = nil, peering: VpcPeering? = nil, annex: Kennel2? = nil) {
                self.resident = resident
                self.peering = peering
                self.annex = annex
            }

            enum CodingKeys: String, CodingKey {
                case resident = "resident"
                case peering = "peering"
                case annex = "annex"
            }
        }

        public struct Animal: Codable, Hashable, Sendable {
            public var legs: Int?

            public init(legs: Int? = nil) {
                self.legs = legs
            }

            enum CodingKeys: String, CodingKey {
                case legs = "legs"
            }
        }

        public struct Pet: Codable, Hashable, Sendable {
            public var name: String?

            public init(name: String? = nil) {
                self.name = name
            }

            enum CodingKeys: String, CodingKey {
                case name = "name"
            }
        }

        public struct VpcPeering: Codable, Hashable, Sendable {
            public var id: String?

            public init(id: String? = nil) {
                self.id = id
            }

            enum CodingKeys: String, CodingKey {
                case id = "id"
            }
        }

        public struct Kennel2: Codable, Hashable, Sendable {
            public var rooms: Int?

            public init(rooms: Int? = nil) {
                self.rooms = rooms
            }

            enum CodingKeys: String, CodingKey {
                case rooms = "rooms"
            }
        }
        """#)
    }

    /// Query arrays are `[Element]` (scalars and generated enums), written as the parameter's
    /// `style` and `explode` say; a style that does not apply to arrays warns.
    func testQueryArraysFollowStyleAndExplode() throws {
        try assertPaths(#"""
        /pets:
          get:
            operationId: listPets
            tags: [Pets]
            parameters:
              - {name: tags, in: query, schema: {type: array, items: {type: string}}}
              - {name: ids, in: query, explode: false, schema: {type: array, items: {type: integer}}}
              - {name: kinds, in: query, required: true, schema: {type: array, items: {type: string, enum: [cat, dog]}}}
              - {name: sizes, in: query, style: pipeDelimited, schema: {type: array, items: {type: number}}}
              - {name: colours, in: query, style: spaceDelimited, schema: {type: array, items: {type: string}}}
              - {name: nested, in: query, style: deepObject, schema: {type: array, items: {type: string}}}
            responses:
              '204': {description: Listed.}
        """#, #"""
        extension Client {
            /// Pets
            public struct PetsResource: Sendable {
                let core: ClientCore

                /// - Parameter kinds: The query parameter `kinds`.
                /// - Parameter tags: The query parameter `tags`.
                /// - Parameter ids: The query parameter `ids`.
                /// - Parameter sizes: The query parameter `sizes`.
                /// - Parameter colours: The query parameter `colours`.
                /// - Parameter nested: The query parameter `nested`.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                public func listPets(kinds: [ListPetsKindsItem], tags: [String]? = nil, ids: [Int]? = nil, sizes: [Double]? = nil, colours: [String]? = nil, nested: [String]? = nil, options: CallOptions = CallOptions()) async throws {
                    var request = try OperationRequest(
                        operationID: "listPets", method: .get, pathTemplate: "/pets",
                        pathParameters: []
                    )
                    request.accept = "application/json"
                    request.addQuery("kinds", kinds)
                    request.addQuery("tags", tags)
                    request.addQuery("ids", ids, style: .commaDelimited)
                    request.addQuery("sizes", sizes, style: .pipeDelimited)
                    request.addQuery("colours", colours, style: .spaceDelimited)
                    request.addQuery("nested", nested)
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
            "warning: query parameter 'nested': style 'deepObject' does not apply to an array; it is sent as name=a&name=b (at #/paths/~1pets/get/parameters/5)",
        ])
    }

    /// A success without a body beside one with a body: the method returns an Optional, nil for
    /// the bodiless statuses, and says so in its doc comment. No warning.
    func testBodilessSuccessBesideABodyMakesTheResultOptional() throws {
        try assertPaths(#"""
        /pets/{id}:
          put:
            operationId: updatePet
            tags: [Pets]
            parameters:
              - {name: id, in: path, required: true, schema: {type: string}}
            responses:
              '200':
                description: Updated.
                content:
                  application/json:
                    schema: {type: object, properties: {name: {type: string}}}
              '204': {description: Nothing changed.}
          get:
            operationId: getPetPhoto
            tags: [Pets]
            parameters:
              - {name: id, in: path, required: true, schema: {type: string}}
            responses:
              '204': {description: No photo.}
              '200':
                description: The photo.
                content:
                  image/png: {}
        """#, #"""
        extension Client {
            /// Pets
            public struct PetsResource: Sendable {
                let core: ClientCore

                /// - Parameter id: The path parameter `id`.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                /// - Returns: The response body; nil when the server answers 204, documented without a body.
                public func updatePet(id: String, options: CallOptions = CallOptions()) async throws -> UpdatePetResponse? {
                    var request = try OperationRequest(
                        operationID: "updatePet", method: .put, pathTemplate: "/pets/{id}",
                        pathParameters: [("id", id.parameterText)]
                    )
                    request.accept = "application/json"
                    return try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 200: return try response.json(UpdatePetResponse.self)
                        case 204: return .some(nil)
                        default: return nil
                        }
                    }
                }

                /// - Parameter id: The path parameter `id`.
                /// - Parameter options: Retries, time limits and extra headers for this call.
                /// - Returns: The response body; nil when the server answers 204, documented without a body.
                public func getPetPhoto(id: String, options: CallOptions = CallOptions()) async throws -> Data? {
                    var request = try OperationRequest(
                        operationID: "getPetPhoto", method: .get, pathTemplate: "/pets/{id}",
                        pathParameters: [("id", id.parameterText)]
                    )
                    request.accept = "image/png"
                    return try await core.send(
                        request, call: options, documentedErrors: StatusSet(codes: [], classes: []),
                        errorModel: JSONValue.self
                    ) { response in
                        switch response.status {
                        case 200: return response.body
                        case 204: return .some(nil)
                        default: return nil
                        }
                    }
                }
            }
        }
        """#)
    }

    /// `additionalProperties: true` beside properties: the other keys as `JSONValue`s, in a
    /// member named apart from a property called `additionalProperties`.
    func testAdditionalPropertiesTrueBesidePropertiesNamedApart() throws {
        try assertSchemas(#"""
        Labels:
          type: object
          required: [id]
          properties:
            id: {type: string}
            additionalProperties: {type: string}
          additionalProperties: true
        """#, #"""
        public struct Labels: Codable, Hashable, Sendable {
            public var id: String
            public var additionalProperties: String?
            /// The object's other members (the schema's `additionalProperties`), by JSON key.
            public var additionalProperties2: [String: JSONValue]

            public init(id: String, additionalProperties: String? = nil, additionalProperties2: [String: JSONValue] = [:]) {
                self.id = id
                self.additionalProperties = additionalProperties
                self.additionalProperties2 = additionalProperties2
            }

            enum CodingKeys: String, CodingKey, CaseIterable {
                case id = "id"
                case additionalProperties = "additionalProperties"
            }

            /// Decodes the members the schema names as the synthesized conformance would, and the
            /// object's other keys into `additionalProperties2`.
            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                self.id = try container.decode(String.self, forKey: .id)
                self.additionalProperties = try container.decodeIfPresent(String.self, forKey: .additionalProperties)
                self.additionalProperties2 = try AnyCodingKey.additionalMembers(JSONValue.self, in: decoder, skipping: CodingKeys.self)
            }

            /// Writes the members the schema names as the synthesized conformance would, then the others.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(self.id, forKey: .id)
                try container.encodeIfPresent(self.additionalProperties, forKey: .additionalProperties)
                try AnyCodingKey.encodeAdditionalMembers(self.additionalProperties2, to: encoder, skipping: CodingKeys.self)
            }
        }
        """#)
    }

    /// A credential without a description is documented as what it is and where it goes.
    func testCredentialWithoutDescriptionIsDocumented() throws {
        try assertClientType(topLevel: #"""
        security: [{key: [], token: []}]
        components:
          securitySchemes:
            key: {type: apiKey, in: header, name: X-Api-Key, description: Your account's key.}
            token: {type: apiKey, in: query, name: token}
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
            ///   - key: Your account's key.
            ///   - token: The API key of the security scheme `token`, sent in the query `token`.
            ///   - transport: Sends the requests: `URLSessionTransport()`, `AsyncHTTPClientTransport()` or your own.
            ///   - middlewares: Run around every attempt, in order.
            ///   - options: Retries, timeouts, logging.
            public init(serverURL: URL = Client.defaultServerURL, key: String, token: String, transport: any ClientTransport,
                        middlewares: [any ClientMiddleware] = [], options: ClientOptions = ClientOptions()) {
                core = ClientCore(
                    serverURL: serverURL,
                    credentials: [Credential(location: .header, name: "X-Api-Key", value: key), Credential(location: .query, name: "token", value: token)],
                    transport: transport, middlewares: middlewares, options: options, documentRetry: Self.defaultRetry
                )
            }

            public var description: String { "Snippet.Client " + core.description }
            public var debugDescription: String { description }
        }
        """#)
    }
}
