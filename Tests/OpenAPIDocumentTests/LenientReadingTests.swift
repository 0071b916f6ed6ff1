import Foundation
import XCTest
@testable import OpenAPIDocument

/// Defects real documents carry, read the way the major tools (OpenAPIKit, Redocly, swagger-parser)
/// read them: a located warning that names the defect and the reading, and the reading itself.
/// One fixture per category; the OpenAPI Initiative's own test documents are run by
/// Benchmarks/real-world.sh.
final class LenientReadingTests: XCTestCase {
    private let head = "openapi: 3.1.0\ninfo: {title: t, version: v}\n"

    private func load(_ text: String, files: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> (OpenAPIDocument, [Diagnostic]) {
        let result = loadDocument(text, files: files)
        assertNoErrors(result.diagnostics, sourceFile: file, sourceLine: line)
        return (try XCTUnwrap(result.document, render(result.diagnostics), file: file, line: line), result.diagnostics)
    }

    // MARK: YAML's null where OpenAPI wants a name or a value

    /// `type: [string, null]` unquoted is YAML's null, not the type name; read as "null", whether written `null` or `~`.
    func testBareNullInATypeListIsTheNullType() throws {
        let text = head + """
        components:
          schemas:
            A: {type: [string, null]}
            B:
              type:
                - integer
                - ~
            C: {type: [string, "null"]}
        """
        let (document, diagnostics) = try load(text)
        assertDiagnostic(diagnostics, "'type' lists YAML's null (unquoted null or ~), not the type name \"null\"; read as \"null\" (2 times in this document; first here)",
                         severity: .warning, line: 5, column: 24, pointer: "/components/schemas/A/type/1")
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
        for (name, type) in [("A", JSONTypeSet.string), ("B", .integer), ("C", .string)] {
            let schema = try XCTUnwrap(document.componentSchema(name))
            XCTAssertEqual(schema.types, [type, .null], name)
            XCTAssertTrue(schema.nullable, name)
        }
    }

    /// `type: null` in 3.1 is the null type; `type:` with nothing is no type at all.
    func testBareNullAsTheTypeItself() throws {
        let text = head + """
        components:
          schemas:
            Nothing: {type: null}
            Untyped:
              type:
              description: anything
        """
        let (document, diagnostics) = try load(text)
        assertDiagnostic(diagnostics, "'type: null' unquoted is YAML's null, not the type name \"null\"; read as \"null\"", severity: .warning, line: 5, column: 21)
        assertDiagnostic(diagnostics, "'type' has no value (YAML null); read as if it were absent", severity: .warning, line: 7, column: 12)
        XCTAssertEqual(diagnostics.count, 2, render(diagnostics))
        XCTAssertEqual(document.componentSchema("Nothing")?.types, .null)
        XCTAssertNil(document.componentSchema("Untyped")?.types)
        XCTAssertEqual(document.componentSchema("Untyped")?.description, "anything")
    }

    /// `parameters:` with no value (a template left half filled in): no parameters, as OpenAPIKit decodes it.
    func testFieldsWithNoValueAreAbsent() throws {
        let text = head + """
        paths:
          /bills:
            parameters:
            get:
              operationId: listBills
              description:
              parameters:
              responses:
                '200': {description: ok}
        """
        let (document, diagnostics) = try load(text)
        assertDiagnostic(diagnostics, "'parameters' has no value (YAML null); read as if it were absent (2 times in this document; first here)",
                         severity: .warning, line: 5, column: 16, pointer: "/paths/~1bills/parameters")
        assertDiagnostic(diagnostics, "'description' has no value (YAML null); read as if it were absent", severity: .warning, line: 8, column: 19)
        XCTAssertEqual(diagnostics.count, 2, render(diagnostics))
        let operation = try XCTUnwrap(document.operation(.get, "/bills"))
        XCTAssertEqual(operation.operationId, "listBills")
        XCTAssertTrue(operation.parameters.isEmpty)
        XCTAssertNil(operation.description)
    }

    /// Null stays a value where the field is data (an example, a default).
    func testNullIsKeptWhereItIsData() throws {
        let (document, diagnostics) = try load(head + "components:\n  schemas:\n    A: {type: [string, 'null'], default: null, example: ~}\n")
        assertNoDiagnostics(diagnostics)
        let a = try XCTUnwrap(document.componentSchema("A"))
        XCTAssertNotNil(a.defaultValue)
        XCTAssertNotNil(a.example)
    }

    // MARK: The other version's form

    /// `required: true` on a property (Swagger 2's habit): ignored, as swagger-parser does; the parent's list decides.
    func testRequiredAsABooleanInASchema() throws {
        let (document, diagnostics) = try load(head + "components:\n  schemas:\n    A:\n      properties:\n        id: {type: string, required: true}\n")
        assertDiagnostic(diagnostics, "'required: true' in a schema is the draft 3 form (JSON Schema lists required properties in the parent's 'required'); ignored",
                         severity: .warning, line: 7, column: 38, pointer: "/components/schemas/A/properties/id/required")
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
        XCTAssertEqual(document.componentSchema("A")?.required, [])
    }

    /// 3.0's boolean `exclusiveMinimum` in a 3.1 document, and 3.1's number in a 3.0 one: read as meant.
    func testExclusiveBoundsOfTheOtherVersion() throws {
        let (document31, diagnostics31) = try load(head + "components:\n  schemas:\n    A: {minimum: 1, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false}\n")
        assertDiagnostic(diagnostics31, "'exclusiveMinimum: true' is the OpenAPI 3.0 form (3.1 writes the bound itself); read as 'minimum' being exclusive",
                         severity: .warning, line: 5, column: 39, pointer: "/components/schemas/A/exclusiveMinimum")
        assertDiagnostic(diagnostics31, "'exclusiveMaximum: false' is the OpenAPI 3.0 form (3.1 writes the bound itself); read as 'maximum' being inclusive",
                         severity: .warning, line: 5, column: 75)
        XCTAssertEqual(diagnostics31.count, 2, render(diagnostics31))
        XCTAssertEqual(document31.componentSchema("A")?.exclusiveMinimum, .flag(true))
        XCTAssertEqual(document31.componentSchema("A")?.exclusiveMaximum, .flag(false))

        let text30 = head.replacingOccurrences(of: "3.1.0", with: "3.0.3") + "components:\n  schemas:\n    A: {exclusiveMaximum: 5}\n"
        let (document30, diagnostics30) = try load(text30)
        assertDiagnostic(diagnostics30, "a number in 'exclusiveMaximum' is the OpenAPI 3.1 form (3.0 writes a boolean beside 'maximum'); read as an exclusive maximum",
                         severity: .warning, line: 5, column: 27)
        XCTAssertEqual(document30.componentSchema("A")?.exclusiveMaximum, .value("5"))
    }

    // MARK: $ref where OpenAPI does not allow one

    /// A document split into one file per operation (DigitalOcean's layout): `get: {$ref: ...}` is
    /// read as the operation in that file, whose own `$ref`s are relative to it.
    func testOperationReference() throws {
        let root = head + """
        paths:
          /droplets:
            get:
              $ref: 'resources/droplets/list.yml'
            post:
              $ref: 'resources/droplets/create.yml'
              summary: ignored
        """
        let list = """
        operationId: listDroplets
        parameters:
          - $ref: '../../shared/parameters.yml#/per_page'
        responses:
          '200':
            description: ok
            content:
              application/json:
                schema: {$ref: 'models/droplet.yml'}
        """
        let files = [
            "/spec/resources/droplets/list.yml": list,
            "/spec/resources/droplets/create.yml": "operationId: createDroplet\nresponses: {'202': {description: accepted}}\n",
            "/spec/resources/droplets/models/droplet.yml": "type: object\nproperties: {id: {type: integer}}\n",
            "/spec/shared/parameters.yml": "per_page: {name: per_page, in: query, schema: {type: integer}}\n",
        ]
        let (document, diagnostics) = try load(root, files: files)
        assertDiagnostic(diagnostics, "$ref on an Operation object is not OpenAPI (only Path Items and components may be referenced); resolved and read as the operation, as bundlers do (2 times in this document; first here)",
                         severity: .warning, line: 6, column: 13, pointer: "/paths/~1droplets/get/$ref", file: "/spec/api.yaml")
        assertDiagnostic(diagnostics, "'summary' beside an Operation $ref is ignored", severity: .warning, line: 9, column: 7)
        XCTAssertEqual(diagnostics.count, 2, render(diagnostics))
        let get = try XCTUnwrap(document.operation(.get, "/droplets"))
        XCTAssertEqual(get.operationId, "listDroplets")
        XCTAssertEqual(get.parameters.map(\.value.name), ["per_page"])
        XCTAssertEqual(document.location(of: get.source).file, "/spec/resources/droplets/list.yml")
        let schema = document.schemas[document.schemas.resolved(try XCTUnwrap(get.response(for: .status(200))?.value.content["application/json"]?.schema))]
        XCTAssertEqual(schema.types, .object)
        XCTAssertEqual(document.operation(.post, "/droplets")?.operationId, "createDroplet")
        XCTAssertNil(document.operation(.post, "/droplets")?.summary)
    }

    /// The operation file is read inside the `$ref` root like any other, and a broken one is an error at the `$ref`.
    func testOperationReferenceStaysInsideTheReferenceRoot() {
        let result = loadDocument(head + "paths:\n  /a:\n    get: {$ref: '../elsewhere/op.yml'}\n    put: {$ref: 'missing.yml'}\n")
        assertDiagnostic(result.diagnostics, "$ref '../elsewhere/op.yml' points outside the folder $refs may read (/spec)", line: 5, column: 17)
        assertDiagnostic(result.diagnostics, "cannot read the file '/spec/missing.yml' that this $ref points into", line: 6, column: 17)
        XCTAssertNil(result.document?.operation(.get, "/a"))
    }

    /// `description: {$ref: description.yml#/introduction}` (DigitalOcean's tags): the text it points to.
    func testReferenceInPlaceOfAString() throws {
        let root = head + """
        tags:
          - name: Intro
            description:
              $ref: 'description.yml#/introduction'
        paths: {}
        """
        let (document, diagnostics) = try load(root, files: ["/spec/description.yml": "introduction: |\n  Hello.\n"])
        assertDiagnostic(diagnostics, "$ref in place of a string ('description') is not OpenAPI; resolved and read as the text it points to, as bundlers do",
                         severity: .warning, line: 6, column: 13, pointer: "/tags/0/description/$ref")
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
        XCTAssertEqual(document.tags.first?.description, "Hello.\n")

        let broken = loadDocument(head + "tags:\n  - name: A\n    description: {$ref: '#/tags'}\npaths: {}\n")
        assertDiagnostic(broken.diagnostics, "'description' is a $ref to a sequence; it must lead to a string", line: 5, column: 25)
    }

    /// SendGrid's split document: `components: {schemas: {$ref: ./spec/components/schemas.json}}`, and a
    /// parameter list replaced by a `$ref`: read as their targets.
    func testReferenceInPlaceOfAMapOrAList() throws {
        let root = head + """
        paths:
          /mail:
            post:
              parameters: {$ref: 'spec/common.json#/parameters'}
              responses: {'200': {description: ok, content: {application/json: {schema: {$ref: 'spec/schemas.json#/Mail'}}}}}
        components:
          schemas:
            $ref: './spec/schemas.json'
        """
        let files = [
            "/spec/spec/schemas.json": ##"{"Mail": {"type": "object", "properties": {"to": {"$ref": "#/Address"}}}, "Address": {"type": "string"}}"##,
            "/spec/spec/common.json": #"{"parameters": [{"name": "on-behalf-of", "in": "header", "schema": {"type": "string"}}]}"#,
        ]
        let (document, diagnostics) = try load(root, files: files)
        assertDiagnostic(diagnostics, "$ref in place of 'parameters' is not OpenAPI; resolved and read as its target, as bundlers do", severity: .warning, line: 6, column: 26)
        assertDiagnostic(diagnostics, "$ref in place of components/schemas is not OpenAPI; resolved and read as its target, as bundlers do", severity: .warning, line: 10, column: 11)
        XCTAssertEqual(diagnostics.count, 2, render(diagnostics))
        XCTAssertEqual(document.components.schemas.keys, ["Mail", "Address"])
        XCTAssertEqual(document.operation(.post, "/mail")?.parameters.map(\.value.name), ["on-behalf-of"])
        let mail = try XCTUnwrap(document.componentSchema("Mail"))
        XCTAssertEqual(document.schemas.resolved(try XCTUnwrap(mail.properties["to"])), document.components.schemas["Address"])
    }

    /// A `$ref` in place of an object that leads back into itself is a cycle error, never a hang or a crash.
    func testReferenceInPlaceOfAnObjectThatLoops() {
        let text = """
        openapi: 3.1.0
        info: {$ref: '#/info'}
        components:
          requestBodies:
            B:
              content:
                application/json:
                  encoding:
                    a:
                      headers:
                        H:
                          content:
                            text/plain: {$ref: '#/components/requestBodies/B/content/application~1json'}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "$ref '#/info' is part of a reference cycle that never reaches the Info object", line: 2, column: 14)
        assertDiagnostic(result.diagnostics, "$ref '#/components/requestBodies/B/content/application~1json' is part of a reference cycle", line: 13, column: 40)
    }

    /// Redocly's `split` writes `paths/flows_{flowID}#clone+json.yaml`: the `#` is part of the file name.
    /// A percent-encoded file name is decoded.
    func testHashAndPercentEncodingInAFileName() throws {
        let root = head + """
        paths:
          /flows/{flowID}#clone:
            $ref: 'paths/flows_{flowID}#clone+json.yaml'
          /flows/{flowID}:
            $ref: 'paths/flows_%7BflowID%7D.yaml#/item'
        """
        let item = "get:\n  operationId: OPERATION\n  parameters: [{name: flowID, in: path, required: true, schema: {type: string}}]\n  responses: {'200': {description: ok}}\n"
        let files = [
            "/spec/paths/flows_{flowID}#clone+json.yaml": item.replacingOccurrences(of: "OPERATION", with: "cloneFlow"),
            "/spec/paths/flows_{flowID}.yaml": "item:\n" + item.replacingOccurrences(of: "OPERATION", with: "getFlow").split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"),
        ]
        let (document, diagnostics) = try load(root, files: files)
        assertDiagnostic(diagnostics, "'#' in a $ref's file name should be written %23 (a '#' starts the fragment); read as part of the file name",
                         severity: .warning, line: 5, column: 11)
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
        XCTAssertEqual(document.operation(.get, "/flows/{flowID}#clone")?.operationId, "cloneFlow")
        XCTAssertEqual(document.operation(.get, "/flows/{flowID}")?.operationId, "getFlow")
    }

    /// A component that is a remote `$ref` (the OAI's security scheme example) is left out; a use of it is an error.
    func testRemoteComponentIsLeftOut() throws {
        let text = head + """
        components:
          securitySchemes:
            external:
              $ref: 'https://example.com/api/openapi.json#/components/securitySchemes/Key'
          schemas:
            Remote: {$ref: 'https://example.com/schemas.yaml#/A'}
            User: {properties: {remote: {$ref: '#/components/schemas/Remote'}}}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "component 'external' is a $ref to the remote document 'https://example.com/api/openapi.json#/components/securitySchemes/Key', which this tool does not fetch; left out (a use of it is an error)",
                         severity: .warning, line: 6, column: 7)
        assertDiagnostic(result.diagnostics, "component 'Remote' is a $ref to the remote document", severity: .warning, line: 8, column: 13)
        assertDiagnostic(result.diagnostics, "$ref 'https://example.com/schemas.yaml#/A' points to a remote document", line: 8, column: 20)
        XCTAssertEqual(result.diagnostics.count, 3, render(result.diagnostics))
        XCTAssertEqual(result.document?.components.securitySchemes.keys, [])
        XCTAssertEqual(result.document?.components.schemas.keys, ["User"])
    }

    // MARK: Rules the OpenAPI schema does not check (its own pass examples break them)

    /// A `{name}` with no parameter becomes a required string path parameter; a path parameter
    /// outside the template is left out (the OAI's operation-object-example).
    func testPathTemplateMismatch() throws {
        let text = head + """
        paths:
          /pets/{id}:
            put:
              parameters:
                - {name: petId, in: path, required: true, schema: {type: string}}
              responses: {'200': {description: ok}}
        """
        let (document, diagnostics) = try load(text)
        assertDiagnostic(diagnostics, "PUT /pets/{id}: the path template names '{id}' but no path parameter 'id' is declared; read as a required string path parameter",
                         severity: .warning, line: 6, column: 7, pointer: "/paths/~1pets~1{id}/put")
        assertDiagnostic(diagnostics, "PUT /pets/{id}: path parameter 'petId' does not appear in the path template; left out", severity: .warning, line: 7, column: 11)
        XCTAssertEqual(diagnostics.count, 2, render(diagnostics))
        let put = try XCTUnwrap(document.operation(.put, "/pets/{id}"))
        XCTAssertEqual(put.parameters.map(\.value.name), ["id"])
        let id = try XCTUnwrap(put.parameters.first?.value)
        XCTAssertTrue(id.required)
        XCTAssertEqual(id.location, .path)
        XCTAssertEqual(document.schemas[try XCTUnwrap(id.schema)].types, .string)
    }

    /// A path parameter without `required: true` (the OAI's style-defaults): read as required.
    func testPathParameterNotMarkedRequired() throws {
        let text = head + """
        paths:
          /a/{id}:
            get:
              parameters:
                - {name: id, in: path, content: {text/plain: {schema: {type: string}}}}
              responses: {'200': {description: ok}}
        """
        let (document, diagnostics) = try load(text)
        assertDiagnostic(diagnostics, "a path parameter must have 'required: true'; read as required", severity: .warning, line: 7, column: 11)
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
        XCTAssertEqual(document.operation(.get, "/a/{id}")?.parameters.first?.value.required, true)
    }

    /// `webhooks: {}` alone is a complete 3.1 document (the OAI's minimal_hooks).
    func testEmptyWebhooksIsEnough() throws {
        let (document, diagnostics) = try load(head + "webhooks: {}\n")
        assertNoDiagnostics(diagnostics)
        XCTAssertTrue(document.webhooks.isEmpty)
    }

    /// A requirement naming a scheme that is not declared: warned and ignored (no credential is generated for it).
    func testUnknownSecuritySchemeIsIgnored() throws {
        let (_, diagnostics) = try load(head + "security:\n  - petstore_auth: [write:pets]\npaths: {}\n")
        assertDiagnostic(diagnostics, "security requirement names 'petstore_auth', which is not in components/securitySchemes; ignored",
                         severity: .warning, line: 4, column: 5, pointer: "/security/0/petstore_auth")
    }

    // MARK: Invalid documents the OAI's fail tests hold: flagged, read the obvious way

    func testAllowReservedOutsideQuery() throws {
        let text = head + """
        components:
          parameters:
            header: {name: h, in: header, allowReserved: true, schema: {}}
            query: {name: q, in: query, allowReserved: true, schema: {}}
        """
        let (document, diagnostics) = try load(text)
        assertDiagnostic(diagnostics, "'allowReserved' applies only to query parameters; ignored on a header parameter", severity: .warning, line: 5, column: 50)
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
        XCTAssertEqual(document.components.parameters["header"]?.value.allowReserved, false)
        XCTAssertEqual(document.components.parameters["query"]?.value.allowReserved, true)
    }

    func testExampleAndExamplesTogether() throws {
        let text = head + """
        components:
          parameters:
            animal:
              name: animal
              in: header
              schema: {}
              example: bear
              examples: {mammal: {value: bear}}
          headers:
            Tag: {schema: {}, example: a, examples: {b: {value: b}}}
        """
        let (document, diagnostics) = try load(text)
        assertDiagnostic(diagnostics, "a Parameter object must not have both 'example' and 'examples'; 'example' ignored", severity: .warning, line: 6, column: 7)
        assertDiagnostic(diagnostics, "a Header object must not have both 'example' and 'examples'; 'example' ignored", severity: .warning, line: 12, column: 10)
        XCTAssertEqual(diagnostics.count, 2, render(diagnostics))
        XCTAssertNil(document.components.parameters["animal"]?.value.example)
        XCTAssertEqual(document.components.parameters["animal"]?.value.examples.keys, ["mammal"])
    }

    func testEmptyServerVariableEnum() throws {
        let text = head + "servers:\n  - url: https://example.com/{var}\n    variables:\n      var: {enum: [], default: a}\ncomponents: {}\n"
        let (document, diagnostics) = try load(text)
        assertDiagnostic(diagnostics, "the server variable's 'enum' is empty (OpenAPI wants at least one value); read as any value",
                         severity: .warning, line: 6, column: 19)
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
        XCTAssertNil(document.servers.first?.variables["var"]?.enumValues)
    }
}
