import XCTest
@testable import OpenAPIDocument

/// Stage 2 on small inline documents: every OpenAPI object (schemas are in `SchemaReaderTests`).
final class OpenAPIReaderTests: XCTestCase {
    static let petStore31 = """
    openapi: 3.1.0
    info:
      title: Pet API
      summary: Pets in one place
      description: All about pets
      termsOfService: https://example.com/terms
      contact: {name: Ann, url: https://example.com, email: ann@example.com}
      license: {name: MIT, identifier: MIT}
      version: 2.0.0
      x-audience: public
    jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base
    servers:
      - url: https://{region}.example.com/{base}
        description: Regional
        variables:
          region:
            enum: [eu, us]
            default: eu
            description: Where the data lives
          base:
            default: v2
      - url: /relative
    security:
      - apiKey: []
      - oauth: [pets:read, pets:write]
    tags:
      - name: pets
        description: Pet operations
        externalDocs: {url: https://example.com/docs}
      - name: admin
    externalDocs: {url: https://example.com, description: Docs}
    x-root-extension:
      nested: [1, two]
    paths:
      /pets/{petId}:
        summary: One pet
        description: A pet by id
        x-path-item-extension: true
        parameters:
          - name: petId
            in: path
            required: true
            schema: {type: string}
          - name: verbose
            in: query
            description: path-level query
            schema: {type: boolean}
          - name: verbose
            in: header
            description: path-level header
            schema: {type: boolean}
          - $ref: '#/components/parameters/TraceId'
        get:
          operationId: getPet
          summary: Get a pet
          description: Reads one pet
          tags: [pets]
          deprecated: true
          externalDocs: {url: https://example.com/get}
          x-operation-extension: {retries: 3}
          parameters:
            - name: verbose
              in: query
              description: operation-level query
              schema: {type: integer}
            - name: fields
              in: query
              style: form
              explode: false
              required: true
              allowReserved: true
              schema: {type: array, items: {type: string}}
            - name: filter
              in: query
              content:
                application/json:
                  schema: {type: object}
            - name: X-Flags
              in: header
              style: simple
              schema: {type: array, items: {type: string}}
            - name: session
              in: cookie
              deprecated: true
              allowEmptyValue: true
              example: abc
              schema: {type: string}
            - name: point
              in: query
              style: deepObject
              explode: true
              examples:
                origin: {value: {x: 0, y: 0}}
              schema: {type: object}
          responses:
            '200':
              description: The pet
              headers:
                X-Rate-Limit:
                  description: calls left
                  required: true
                  schema: {type: integer}
                X-Trace:
                  $ref: '#/components/headers/Trace'
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Pet'}
                  example: {id: 1, name: Rex, price: 135.85}
                application/xml:
                  schema: {$ref: '#/components/schemas/Pet'}
                  examples:
                    rex: {summary: Rex, description: A dog, value: {id: 1, name: Rex}}
                    shared: {$ref: '#/components/examples/Cat'}
                    remote: {externalValue: https://example.com/rex.json}
              links:
                owner: {$ref: '#/components/links/Owner'}
                inline: {operationId: getPet, parameters: {petId: $response.body#/id}}
              x-response-extension: 1
            '404': {$ref: '#/components/responses/NotFound'}
            5XX: {description: Server trouble}
            default: {description: Anything else}
        put:
          operationId: putPet
          security: []
          requestBody:
            description: The new pet
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Pet'}
              multipart/form-data:
                schema:
                  type: object
                  properties:
                    photo: {type: string, contentEncoding: base64}
                encoding:
                  photo:
                    contentType: image/png
                    style: form
                    explode: true
                    allowReserved: false
                    headers:
                      X-Photo-Id: {schema: {type: string}}
          responses:
            '204': {description: Stored}
        post:
          operationId: postPet
          security: [{bearer: []}]
          servers: [{url: https://upload.example.com}]
          requestBody: {$ref: '#/components/requestBodies/PetBody'}
          callbacks:
            inline:
              '{$request.body#/callbackUrl}':
                post:
                  requestBody: {content: {application/json: {schema: {type: string}}}}
                  responses: {'200': {description: received}}
            shared: {$ref: '#/components/callbacks/Event'}
          responses:
            '201': {description: Created}
      /all:
        get: {operationId: m1, responses: {'200': {description: ok}}}
        put: {operationId: m2, responses: {'200': {description: ok}}}
        post: {operationId: m3, responses: {'200': {description: ok}}}
        delete: {operationId: m4, responses: {'200': {description: ok}}}
        options: {operationId: m5, responses: {'200': {description: ok}}}
        head: {operationId: m6, responses: {'200': {description: ok}}}
        patch: {operationId: m7, responses: {'200': {description: ok}}}
        trace: {operationId: m8, responses: {'200': {description: ok}}}
      /shared:
        $ref: '#/components/pathItems/Shared'
      x-paths-extension: ignored
    webhooks:
      newPet:
        post:
          operationId: newPetHook
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Pet'}
          responses:
            '200': {description: Thanks}
    components:
      schemas:
        Pet:
          type: object
          required: [id, name]
          properties:
            id: {type: integer, format: int64}
            name: {type: string}
            price: {type: number}
      responses:
        NotFound:
          description: No such pet
          content:
            application/problem+json:
              schema: {type: object}
      parameters:
        TraceId:
          name: X-Trace-Id
          in: header
          schema: {type: string, format: uuid}
      examples:
        Cat:
          summary: A cat
          value: {id: 2, name: Tom}
      requestBodies:
        PetBody:
          required: true
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
      headers:
        Trace:
          description: Trace header
          deprecated: true
          style: simple
          explode: false
          schema: {type: string}
          example: abc-123
      securitySchemes:
        apiKey: {type: apiKey, name: X-API-Key, in: header, description: Key}
        bearer: {type: http, scheme: bearer, bearerFormat: JWT}
        oauth:
          type: oauth2
          flows:
            authorizationCode:
              authorizationUrl: https://example.com/authorize
              tokenUrl: https://example.com/token
              refreshUrl: https://example.com/refresh
              scopes:
                pets:read: Read pets
                pets:write: Write pets
            clientCredentials:
              tokenUrl: https://example.com/token
              scopes: {}
        oidc: {type: openIdConnect, openIdConnectUrl: https://example.com/.well-known/openid-configuration}
        mtls: {type: mutualTLS}
      links:
        Owner:
          operationId: getPet
          parameters: {petId: $response.body#/ownerId}
          description: The owner
      callbacks:
        Event:
          '{$request.body#/eventUrl}':
            post:
              responses: {'200': {description: ok}}
          x-callback-extension: yes
      pathItems:
        Shared:
          get:
            operationId: getShared
            responses: {'200': {description: shared}}
      x-components-extension: {a: 1}
    """

    private var document: OpenAPIDocument!
    private var diagnostics: [Diagnostic] = []

    override func setUpWithError() throws {
        let result = loadDocument(Self.petStore31)
        diagnostics = result.diagnostics
        document = try XCTUnwrap(result.document, render(result.diagnostics))
    }

    func testTheDocumentReadsWithoutDiagnostics() {
        assertNoDiagnostics(diagnostics)
        XCTAssertEqual(document.openapi, "3.1.0")
        XCTAssertTrue(document.isVersion31)
        XCTAssertEqual(document.jsonSchemaDialect, "https://spec.openapis.org/oas/3.1/dialect/base")
        XCTAssertEqual(document.files.map(\.path), ["/spec/api.yaml"])
    }

    func testInfo() throws {
        let info = document.info
        XCTAssertEqual(info.title, "Pet API")
        XCTAssertEqual(info.summary, "Pets in one place")
        XCTAssertEqual(info.description, "All about pets")
        XCTAssertEqual(info.termsOfService, "https://example.com/terms")
        XCTAssertEqual(info.version, "2.0.0")
        XCTAssertEqual(info.contact?.name, "Ann")
        XCTAssertEqual(info.contact?.url, "https://example.com")
        XCTAssertEqual(info.contact?.email, "ann@example.com")
        XCTAssertEqual(info.license?.name, "MIT")
        XCTAssertEqual(info.license?.identifier, "MIT")
        XCTAssertNil(info.license?.url)
        XCTAssertEqual(info.extensions.keys, ["x-audience"])
        XCTAssertEqual(document.value(of: try XCTUnwrap(info.extensions["x-audience"])), .string("public"))
        XCTAssertEqual(document.externalDocs?.url, "https://example.com")
        XCTAssertEqual(document.externalDocs?.description, "Docs")
    }

    func testServersWithVariables() throws {
        XCTAssertEqual(document.servers.map(\.url), ["https://{region}.example.com/{base}", "/relative"])
        let server = document.servers[0]
        XCTAssertEqual(server.description, "Regional")
        XCTAssertEqual(server.variables.keys, ["region", "base"])
        let region = try XCTUnwrap(server.variables["region"])
        XCTAssertEqual(region.enumValues, ["eu", "us"])
        XCTAssertEqual(region.defaultValue, "eu")
        XCTAssertEqual(region.description, "Where the data lives")
        let base = try XCTUnwrap(server.variables["base"])
        XCTAssertNil(base.enumValues)
        XCTAssertEqual(base.defaultValue, "v2")
        XCTAssertTrue(document.servers[1].variables.isEmpty)
        XCTAssertEqual(document.operation(.post, "/pets/{petId}")?.servers?.map(\.url), ["https://upload.example.com"])
    }

    func testPathLevelParametersAreMergedIntoOperations() throws {
        let item = try XCTUnwrap(document.paths["/pets/{petId}"])
        XCTAssertEqual(item.summary, "One pet")
        XCTAssertEqual(item.description, "A pet by id")
        XCTAssertEqual(item.parameters.map { "\($0.value.location.rawValue) \($0.value.name)" },
                       ["path petId", "query verbose", "header verbose", "header X-Trace-Id"])

        let get = try XCTUnwrap(document.operation(.get, "/pets/{petId}"))
        // The operation's own `verbose` in query replaces the path-level one; the header of the same name stays.
        XCTAssertEqual(get.parameters.map { "\($0.value.location.rawValue) \($0.value.name)" },
                       ["path petId", "header verbose", "header X-Trace-Id",
                        "query verbose", "query fields", "query filter", "header X-Flags", "cookie session", "query point"])
        let verboseQuery = try XCTUnwrap(get.parameters.first { $0.value.name == "verbose" && $0.value.location == .query })
        XCTAssertEqual(verboseQuery.value.description, "operation-level query")
        XCTAssertEqual(document.schemas[try XCTUnwrap(verboseQuery.value.schema)].types, .integer)
        let verboseHeader = try XCTUnwrap(get.parameters.first { $0.value.name == "verbose" && $0.value.location == .header })
        XCTAssertEqual(verboseHeader.value.description, "path-level header")

        // Operations without their own parameters get the path-level ones unchanged.
        let put = try XCTUnwrap(document.operation(.put, "/pets/{petId}"))
        XCTAssertEqual(put.parameters.map(\.value.name), ["petId", "verbose", "verbose", "X-Trace-Id"])
        XCTAssertEqual(put.parameters[1].value.description, "path-level query")
        // The referenced one remembers how it was reached.
        XCTAssertEqual(put.parameters[3].reference?.ref, "#/components/parameters/TraceId")
        XCTAssertEqual(put.parameters[3].componentName, "TraceId")
        XCTAssertNil(put.parameters[0].reference)
    }

    func testEveryHTTPMethod() throws {
        let all = try XCTUnwrap(document.paths["/all"])
        XCTAssertEqual(all.operations.map(\.method), [.get, .put, .post, .delete, .options, .head, .patch, .trace])
        XCTAssertEqual(Set(all.operations.map(\.method)), Set(HTTPMethod.allCases))
        XCTAssertEqual(all.operations.map(\.operationId), ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"])
        XCTAssertTrue(all.operations.allSatisfy { $0.path == "/all" })
        XCTAssertEqual(document.paths.keys, ["/pets/{petId}", "/all", "/shared"], "x- keys of Paths are not paths")
        XCTAssertEqual(document.operations.count, 3 + 8 + 1, "operations of paths (webhooks are separate)")
        XCTAssertEqual(document.operations.compactMap(\.operationId),
                       ["getPet", "putPet", "postPet", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "getShared"])
    }

    func testOperationFields() throws {
        let get = try XCTUnwrap(document.operation(.get, "/pets/{petId}"))
        XCTAssertEqual(get.operationId, "getPet")
        XCTAssertEqual(get.summary, "Get a pet")
        XCTAssertEqual(get.description, "Reads one pet")
        XCTAssertEqual(get.tags, ["pets"])
        XCTAssertTrue(get.deprecated)
        XCTAssertEqual(get.externalDocs?.url, "https://example.com/get")
        XCTAssertEqual(get.path, "/pets/{petId}")
        XCTAssertNil(get.security, "no security field: the document's applies")
        XCTAssertEqual(document.location(of: get.source).line, lineNumber(of: "operationId: getPet", in: Self.petStore31))
        XCTAssertFalse(try XCTUnwrap(document.operation(.put, "/pets/{petId}")).deprecated)
    }

    func testParameters() throws {
        let get = try XCTUnwrap(document.operation(.get, "/pets/{petId}"))
        func parameter(_ name: String) throws -> Parameter { try XCTUnwrap(get.parameters.first { $0.value.name == name }?.value, name) }

        let petId = try parameter("petId")
        XCTAssertEqual(petId.location, .path)
        XCTAssertTrue(petId.required)
        XCTAssertNil(petId.style)
        XCTAssertEqual(petId.effectiveStyle, .simple)
        XCTAssertFalse(petId.effectiveExplode)

        let fields = try parameter("fields")
        XCTAssertEqual(fields.location, .query)
        XCTAssertEqual(fields.style, .form)
        XCTAssertEqual(fields.explode, false)
        XCTAssertFalse(fields.effectiveExplode)
        XCTAssertTrue(fields.required)
        XCTAssertTrue(fields.allowReserved)
        let fieldsSchema = document.schemas[try XCTUnwrap(fields.schema)]
        XCTAssertEqual(fieldsSchema.types, .array)
        XCTAssertEqual(document.schemas[try XCTUnwrap(fieldsSchema.items)].types, .string)

        let filter = try parameter("filter")
        XCTAssertNil(filter.schema)
        XCTAssertEqual(filter.content.keys, ["application/json"])
        XCTAssertEqual(document.schemas[try XCTUnwrap(filter.content["application/json"]?.schema)].types, .object)
        XCTAssertEqual(filter.effectiveStyle, .form)
        XCTAssertTrue(filter.effectiveExplode)

        let flags = try parameter("X-Flags")
        XCTAssertEqual(flags.location, .header)
        XCTAssertEqual(flags.style, .simple)
        XCTAssertFalse(flags.required)

        let session = try parameter("session")
        XCTAssertEqual(session.location, .cookie)
        XCTAssertTrue(session.deprecated)
        XCTAssertTrue(session.allowEmptyValue)
        XCTAssertEqual(session.effectiveStyle, .form)
        XCTAssertEqual(document.value(of: try XCTUnwrap(session.example)), .string("abc"))

        let point = try parameter("point")
        XCTAssertEqual(point.style, .deepObject)
        XCTAssertEqual(point.explode, true)
        XCTAssertEqual(point.examples.keys, ["origin"])
        XCTAssertEqual(document.value(of: try XCTUnwrap(point.examples["origin"]?.value.value)),
                       .object([("x", .integer("0")), ("y", .integer("0"))]))
        XCTAssertEqual(document.location(of: point.source).line, lineNumber(of: "- name: point", in: Self.petStore31))
    }

    func testRequestBodies() throws {
        let put = try XCTUnwrap(document.operation(.put, "/pets/{petId}"))
        let body = try XCTUnwrap(put.requestBody)
        XCTAssertNil(body.reference)
        XCTAssertEqual(body.value.description, "The new pet")
        XCTAssertTrue(body.value.required)
        XCTAssertEqual(body.value.content.keys, ["application/json", "multipart/form-data"])
        let json = try XCTUnwrap(body.value.content["application/json"])
        XCTAssertEqual(document.schemas[try XCTUnwrap(json.schema)].ref?.ref, "#/components/schemas/Pet")
        XCTAssertEqual(document.schemas[try XCTUnwrap(json.schema)].ref?.target, document.components.schemas["Pet"])
        let multipart = try XCTUnwrap(body.value.content["multipart/form-data"])
        let photo = try XCTUnwrap(multipart.encoding["photo"])
        XCTAssertEqual(photo.contentType, "image/png")
        XCTAssertEqual(photo.style, .form)
        XCTAssertEqual(photo.explode, true)
        XCTAssertFalse(photo.allowReserved)
        XCTAssertEqual(photo.headers.keys, ["X-Photo-Id"])

        let post = try XCTUnwrap(document.operation(.post, "/pets/{petId}"))
        let shared = try XCTUnwrap(post.requestBody)
        XCTAssertEqual(shared.reference?.ref, "#/components/requestBodies/PetBody")
        XCTAssertEqual(shared.componentName, "PetBody")
        XCTAssertTrue(shared.value.required)
        XCTAssertEqual(shared.value.content.keys, ["application/json"])
        XCTAssertNil(try XCTUnwrap(document.operation(.get, "/pets/{petId}")).requestBody)
    }

    func testResponsesIncludingRangesAndDefault() throws {
        let get = try XCTUnwrap(document.operation(.get, "/pets/{petId}"))
        XCTAssertEqual(get.responses.keys, ["200", "404", "5XX", "default"])
        XCTAssertEqual(get.response(for: .status(200))?.value.description, "The pet")
        XCTAssertEqual(get.response(for: .range(5))?.value.description, "Server trouble")
        XCTAssertEqual(get.response(for: .default)?.value.description, "Anything else")
        XCTAssertNil(get.response(for: .status(500)), "5XX is a range, not the status 500")
        let notFound = try XCTUnwrap(get.response(for: .status(404)))
        XCTAssertEqual(notFound.componentName, "NotFound")
        XCTAssertEqual(notFound.value.description, "No such pet")
        XCTAssertEqual(notFound.value.content.keys, ["application/problem+json"])
        XCTAssertEqual(ResponseKey("2XX"), .range(2))
        XCTAssertEqual(ResponseKey("default"), .default)
        XCTAssertEqual(ResponseKey("418"), .status(418))
        XCTAssertNil(ResponseKey("abc"))
        XCTAssertNil(ResponseKey("600"))
        XCTAssertNil(ResponseKey("2xx"))

        let ok = try XCTUnwrap(get.response(for: .status(200))).value
        XCTAssertEqual(ok.links.keys, ["owner", "inline"])
        XCTAssertEqual(ok.links["owner"]?.value.operationId, "getPet")
        XCTAssertEqual(ok.links["owner"]?.value.description, "The owner")
        XCTAssertEqual(ok.links["inline"]?.value.parameters.keys, ["petId"])
        XCTAssertEqual(document.value(of: try XCTUnwrap(ok.links["inline"]?.value.parameters["petId"])), .string("$response.body#/id"))
        XCTAssertEqual(ok.extensions.keys, ["x-response-extension"])
    }

    func testHeaders() throws {
        let ok = try XCTUnwrap(document.operation(.get, "/pets/{petId}")?.response(for: .status(200))).value
        XCTAssertEqual(ok.headers.keys, ["X-Rate-Limit", "X-Trace"])
        let limit = try XCTUnwrap(ok.headers["X-Rate-Limit"])
        XCTAssertNil(limit.reference)
        XCTAssertEqual(limit.value.description, "calls left")
        XCTAssertTrue(limit.value.required)
        XCTAssertEqual(document.schemas[try XCTUnwrap(limit.value.schema)].types, .integer)
        let trace = try XCTUnwrap(ok.headers["X-Trace"])
        XCTAssertEqual(trace.componentName, "Trace")
        XCTAssertEqual(trace.value.description, "Trace header")
        XCTAssertTrue(trace.value.deprecated)
        XCTAssertEqual(trace.value.style, .simple)
        XCTAssertEqual(trace.value.explode, false)
        XCTAssertEqual(document.value(of: try XCTUnwrap(trace.value.example)), .string("abc-123"))
    }

    func testMediaTypeExamples() throws {
        let ok = try XCTUnwrap(document.operation(.get, "/pets/{petId}")?.response(for: .status(200))).value
        let json = try XCTUnwrap(ok.content["application/json"])
        // Numbers keep their text.
        XCTAssertEqual(document.value(of: try XCTUnwrap(json.example)),
                       .object([("id", .integer("1")), ("name", .string("Rex")), ("price", .number("135.85"))]))
        XCTAssertTrue(json.examples.isEmpty)
        let xml = try XCTUnwrap(ok.content["application/xml"])
        XCTAssertNil(xml.example)
        XCTAssertEqual(xml.examples.keys, ["rex", "shared", "remote"])
        let rex = try XCTUnwrap(xml.examples["rex"]).value
        XCTAssertEqual(rex.summary, "Rex")
        XCTAssertEqual(rex.description, "A dog")
        XCTAssertEqual(document.value(of: try XCTUnwrap(rex.value)), .object([("id", .integer("1")), ("name", .string("Rex"))]))
        let shared = try XCTUnwrap(xml.examples["shared"])
        XCTAssertEqual(shared.componentName, "Cat")
        XCTAssertEqual(document.value(of: try XCTUnwrap(shared.value.value)), .object([("id", .integer("2")), ("name", .string("Tom"))]))
        XCTAssertEqual(xml.examples["remote"]?.value.externalValue, "https://example.com/rex.json")
        XCTAssertNil(xml.examples["remote"]?.value.value)
    }

    func testEveryComponentKind() throws {
        let c = document.components
        XCTAssertEqual(c.schemas.keys, ["Pet"])
        XCTAssertEqual(c.responses.keys, ["NotFound"])
        XCTAssertEqual(c.parameters.keys, ["TraceId"])
        XCTAssertEqual(c.parameters["TraceId"]?.value.location, .header)
        XCTAssertEqual(c.examples.keys, ["Cat"])
        XCTAssertEqual(c.examples["Cat"]?.value.summary, "A cat")
        XCTAssertEqual(c.requestBodies.keys, ["PetBody"])
        XCTAssertEqual(c.headers.keys, ["Trace"])
        XCTAssertEqual(c.securitySchemes.keys, ["apiKey", "bearer", "oauth", "oidc", "mtls"])
        XCTAssertEqual(c.links.keys, ["Owner"])
        XCTAssertEqual(c.callbacks.keys, ["Event"])
        let event = try XCTUnwrap(c.callbacks["Event"]).value
        XCTAssertEqual(event.expressions.keys, ["{$request.body#/eventUrl}"])
        XCTAssertEqual(event.extensions.keys, ["x-callback-extension"])
        XCTAssertEqual(c.pathItems.keys, ["Shared"])
        XCTAssertEqual(c.pathItems["Shared"]?.operations.first?.operationId, "getShared")
        XCTAssertEqual(c.extensions.keys, ["x-components-extension"])
        // A path item reached through $ref.
        let shared = try XCTUnwrap(document.paths["/shared"])
        XCTAssertEqual(shared.operations.map(\.operationId), ["getShared"])
        XCTAssertEqual(shared.operations.first?.path, "/shared")
    }

    func testCallbacks() throws {
        let post = try XCTUnwrap(document.operation(.post, "/pets/{petId}"))
        XCTAssertEqual(post.callbacks.keys, ["inline", "shared"])
        let inline = try XCTUnwrap(post.callbacks["inline"]).value
        let item = try XCTUnwrap(inline.expressions["{$request.body#/callbackUrl}"])
        XCTAssertEqual(item.operations.map(\.method), [.post])
        XCTAssertEqual(item.operations.first?.responses.keys, ["200"])
        XCTAssertEqual(post.callbacks["shared"]?.componentName, "Event")
    }

    func testSecuritySchemesAndRequirements() throws {
        let schemes = document.components.securitySchemes
        let apiKey = try XCTUnwrap(schemes["apiKey"]).value
        XCTAssertEqual(apiKey.kind, .apiKey)
        XCTAssertEqual(apiKey.name, "X-API-Key")
        XCTAssertEqual(apiKey.location, .header)
        XCTAssertEqual(apiKey.description, "Key")
        let bearer = try XCTUnwrap(schemes["bearer"]).value
        XCTAssertEqual(bearer.kind, .http)
        XCTAssertEqual(bearer.scheme, "bearer")
        XCTAssertEqual(bearer.bearerFormat, "JWT")
        let oauth = try XCTUnwrap(schemes["oauth"]).value
        XCTAssertEqual(oauth.kind, .oauth2)
        let code = try XCTUnwrap(oauth.flows?.authorizationCode)
        XCTAssertEqual(code.authorizationUrl, "https://example.com/authorize")
        XCTAssertEqual(code.tokenUrl, "https://example.com/token")
        XCTAssertEqual(code.refreshUrl, "https://example.com/refresh")
        XCTAssertEqual(code.scopes.keys, ["pets:read", "pets:write"])
        XCTAssertEqual(code.scopes["pets:write"], "Write pets")
        XCTAssertEqual(oauth.flows?.clientCredentials?.scopes.count, 0)
        XCTAssertNil(oauth.flows?.implicit)
        XCTAssertNil(oauth.flows?.password)
        XCTAssertEqual(schemes["oidc"]?.value.kind, .openIdConnect)
        XCTAssertEqual(schemes["oidc"]?.value.openIdConnectUrl, "https://example.com/.well-known/openid-configuration")
        XCTAssertEqual(schemes["mtls"]?.value.kind, .mutualTLS)

        // Requirements: alternatives in order, scopes per scheme.
        let security = try XCTUnwrap(document.security)
        XCTAssertEqual(security.map(\.keys), [["apiKey"], ["oauth"]])
        XCTAssertEqual(security[1]["oauth"], ["pets:read", "pets:write"])
        XCTAssertEqual(security[0]["apiKey"], [])
        // `security: []` turns security off for one operation; nil means "inherit".
        XCTAssertEqual(document.operation(.put, "/pets/{petId}")?.security?.count, 0)
        XCTAssertEqual(document.operation(.post, "/pets/{petId}")?.security?.map(\.keys), [["bearer"]])
        XCTAssertNil(document.operation(.get, "/pets/{petId}")?.security)
    }

    func testTags() {
        XCTAssertEqual(document.tags.map(\.name), ["pets", "admin"])
        XCTAssertEqual(document.tags[0].description, "Pet operations")
        XCTAssertEqual(document.tags[0].externalDocs?.url, "https://example.com/docs")
        XCTAssertNil(document.tags[1].description)
    }

    func testWebhooks() throws {
        XCTAssertEqual(document.webhooks.keys, ["newPet"])
        let hook = try XCTUnwrap(document.webhooks["newPet"]?.operations.first)
        XCTAssertEqual(hook.method, .post)
        XCTAssertEqual(hook.path, "newPet")
        XCTAssertEqual(hook.operationId, "newPetHook")
        let schema = try XCTUnwrap(hook.requestBody?.value.content["application/json"]?.schema)
        XCTAssertEqual(document.schemas[schema].ref?.target, document.components.schemas["Pet"])
        XCTAssertFalse(document.operations.contains { $0.operationId == "newPetHook" })
    }

    func testExtensionsAreKeptAsRawNodes() throws {
        XCTAssertEqual(document.extensions.keys, ["x-root-extension"])
        let root = try XCTUnwrap(document.extensions["x-root-extension"])
        XCTAssertEqual(document.value(of: root), .object([("nested", .array([.integer("1"), .string("two")]))]))
        XCTAssertEqual(document.location(of: root).line, lineNumber(of: "nested: [1, two]", in: Self.petStore31))
        XCTAssertEqual(document.location(of: root).pointer, "/x-root-extension")

        let get = try XCTUnwrap(document.operation(.get, "/pets/{petId}"))
        XCTAssertEqual(get.extensions.keys, ["x-operation-extension"])
        XCTAssertEqual(document.value(of: try XCTUnwrap(get.extensions["x-operation-extension"])), .object([("retries", .integer("3"))]))
        XCTAssertEqual(document.paths["/pets/{petId}"]?.extensions.keys, ["x-path-item-extension"])
        XCTAssertEqual(document.value(of: try XCTUnwrap(document.paths["/pets/{petId}"]?.extensions["x-path-item-extension"])), .bool(true))
        // In a raw node, `yes` stays a string (YAML 1.2).
        let callbackExtension = try XCTUnwrap(document.components.callbacks["Event"]?.value.extensions["x-callback-extension"])
        XCTAssertEqual(document.value(of: callbackExtension), .string("yes"))
    }

    func testOpenAPI30Document() throws {
        let text = """
        openapi: 3.0.3
        info: {title: Old, version: '1'}
        paths:
          /items:
            get:
              parameters:
                - name: limit
                  in: query
                  schema: {type: integer, minimum: 1, exclusiveMinimum: true}
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema:
                        type: array
                        items: {$ref: '#/components/schemas/Item'}
        components:
          schemas:
            Item:
              type: object
              properties:
                note: {type: string, nullable: true}
        """
        let result = loadDocument(text)
        assertNoDiagnostics(result.diagnostics)
        let document = try XCTUnwrap(result.document)
        XCTAssertEqual(document.openapi, "3.0.3")
        XCTAssertFalse(document.isVersion31)
        let limit = try XCTUnwrap(document.operation(.get, "/items")?.parameters.first?.value)
        let schema = document.schemas[try XCTUnwrap(limit.schema)]
        XCTAssertEqual(schema.minimum, "1")
        XCTAssertEqual(schema.exclusiveMinimum, .flag(true))
        let item = try XCTUnwrap(document.componentSchema("Item"))
        let note = document.schemas[try XCTUnwrap(item.properties["note"])]
        XCTAssertTrue(note.nullable)
        XCTAssertTrue(note.usesNullableKeyword)
        XCTAssertEqual(note.types, .string, "3.0's nullable does not add null to the types")
    }

    func testOpenAPI30RequiresResponses() {
        let text = """
        openapi: 3.0.0
        info: {title: Old, version: '1'}
        paths:
          /a:
            get:
              operationId: a
          /b:
            get:
              responses: {}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "the Operation object is missing the required field 'responses'", line: 6, column: 7,
                         pointer: "/paths/~1a/get")
        assertDiagnostic(result.diagnostics, "'responses' must declare at least one response", line: 9, column: 18,
                         pointer: "/paths/~1b/get/responses")
        XCTAssertEqual(result.diagnostics.count, 2, render(result.diagnostics))
        // 3.1 makes `responses` optional.
        let result31 = loadDocument(text.replacingOccurrences(of: "3.0.0", with: "3.1.0"))
        assertNoDiagnostics(result31.diagnostics)
    }

    func testNewerMinorVersionIsReadAs31WithAWarning() throws {
        let result = loadDocument("openapi: 3.2.0\ninfo: {title: t, version: v}\npaths: {}\n")
        assertDiagnostic(result.diagnostics, "OpenAPI 3.2.0 is newer than this tool knows; read as 3.1", severity: .warning,
                         line: 1, column: 10, pointer: "/openapi")
        XCTAssertEqual(try XCTUnwrap(result.document).openapi, "3.2.0")
    }

    func testJSONDocumentReadsLikeYAML() throws {
        let json = """
        {
          "openapi": "3.1.0",
          "info": {"title": "J", "version": "1"},
          "paths": {
            "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}
          }
        }
        """
        let result = loadDocument(json, path: "/spec/api.json")
        assertNoDiagnostics(result.diagnostics)
        let document = try XCTUnwrap(result.document)
        XCTAssertEqual(document.operations.map(\.operationId), ["a"])
        XCTAssertEqual(document.location(of: try XCTUnwrap(document.operations.first?.source)).line, 5)
    }
}
