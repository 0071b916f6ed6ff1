import Foundation
import XCTest
@testable import OpenAPIDocument

/// `$ref` resolution: pointer escapes, nested pointers, other files.
final class ReferenceTests: XCTestCase {
    func testPointerEscapesTildeSlashAndPercent() throws {
        let text = """
        openapi: 3.1.0
        info: {title: t, version: v}
        paths:
          /pets/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string, description: the id}}
            get:
              responses: {'200': {description: ok}}
        components:
          schemas:
            a/b: {type: string, description: slash}
            m~n: {type: string, description: tilde}
            with space: {type: string, description: space}
            ünï: {type: string, description: unicode}
            ~1: {type: string, description: literal tilde-one}
            Refs:
              type: object
              properties:
                slash: {$ref: '#/components/schemas/a~1b'}
                tilde: {$ref: '#/components/schemas/m~0n'}
                space: {$ref: '#/components/schemas/with%20space'}
                unicode: {$ref: '#/components/schemas/%C3%BCn%C3%AF'}
                tildeOne: {$ref: '#/components/schemas/~01'}
                pathParameterSchema: {$ref: '#/paths/~1pets~1%7Bid%7D/parameters/0/schema'}
        """
        let result = loadDocument(text)
        let document = try XCTUnwrap(result.document)
        assertNoErrors(result.diagnostics)
        // Names that need escaping are legal but not portable.
        for (name, line) in [("a/b", 11), ("m~n", 12), ("with space", 13), ("ünï", 14), ("~1", 15)] {
            assertDiagnostic(result.diagnostics, "component name '\(name)' should match ^[a-zA-Z0-9._-]+$", severity: .warning,
                             line: line, column: 5)
        }
        XCTAssertEqual(result.diagnostics.count, 5, render(result.diagnostics))

        let refs = try XCTUnwrap(document.componentSchema("Refs"))
        let expected = [("slash", "slash"), ("tilde", "tilde"), ("space", "space"), ("unicode", "unicode"),
                        ("tildeOne", "literal tilde-one"), ("pathParameterSchema", "the id")]
        for (property, description) in expected {
            let id = try XCTUnwrap(refs.properties[property], property)
            let target = document.schemas[document.schemas.resolved(id)]
            XCTAssertEqual(target.description, description, property)
        }
        XCTAssertEqual(document.schemas[try XCTUnwrap(refs.properties["slash"])].ref?.target, document.components.schemas["a/b"])
    }

    func testNestedPointersIntoDefinitionsPropertiesAndSequences() throws {
        let text = """
        openapi: 3.1.0
        info: {title: t, version: v}
        components:
          schemas:
            Supplier:
              type: object
              properties:
                status: {$ref: '#/components/schemas/Supplier/definitions/supplierStatus'}
              definitions:
                supplierStatus:
                  description: Status of the supplier.
                  type: string
                  enum: [Unknown, Active, Archived]
            Connection:
              type: object
              properties:
                lastSync: {$ref: '#/components/schemas/Connection/properties/created'}
                created:
                  title: Date time
                  type: string
            Union:
              oneOf: [{type: string}, {type: integer, description: second}]
            Second: {$ref: '#/components/schemas/Union/oneOf/1'}
            Defs:
              $defs:
                inner: {type: boolean}
            Inner: {$ref: '#/components/schemas/Defs/$defs/inner'}
        """
        let result = loadDocument(text)
        assertNoDiagnostics(result.diagnostics)
        let document = try XCTUnwrap(result.document)

        let supplier = try XCTUnwrap(document.componentSchema("Supplier"))
        let statusDefinition = try XCTUnwrap(supplier.definitions["supplierStatus"])
        let statusRef = document.schemas[try XCTUnwrap(supplier.properties["status"])]
        XCTAssertEqual(statusRef.ref?.target, statusDefinition, "the definition is read once, where it is written")
        XCTAssertEqual(document.enumStrings(document.schemas[statusDefinition]), ["Unknown", "Active", "Archived"])
        XCTAssertEqual(document.line(of: document.schemas[statusDefinition].source), 11)

        let connection = try XCTUnwrap(document.componentSchema("Connection"))
        let lastSync = document.schemas[try XCTUnwrap(connection.properties["lastSync"])]
        XCTAssertEqual(lastSync.ref?.target, connection.properties["created"])
        XCTAssertEqual(document.schemas[try XCTUnwrap(lastSync.ref?.target)].title, "Date time")

        let second = try XCTUnwrap(document.componentSchema("Second"))
        XCTAssertEqual(second.ref?.target, document.componentSchema("Union")?.oneOf[1])
        XCTAssertEqual(document.schemas[try XCTUnwrap(second.ref?.target)].description, "second")
        let inner = try XCTUnwrap(document.componentSchema("Inner"))
        XCTAssertEqual(document.schemas[try XCTUnwrap(inner.ref?.target)].types, .boolean)
    }

    func testNonSchemaReferencesRememberHowTheyWereReached() throws {
        let text = """
        openapi: 3.0.3
        info: {title: t, version: v}
        paths:
          /a:
            get:
              parameters:
                - $ref: '#/components/parameters/Alias'
              responses:
                '200': {$ref: '#/components/responses/Ok'}
        components:
          parameters:
            Alias: {$ref: '#/components/parameters/Limit'}
            Limit: {name: limit, in: query, schema: {type: integer}}
          responses:
            Ok: {description: fine}
        """
        let result = loadDocument(text)
        assertNoDiagnostics(result.diagnostics)
        let document = try XCTUnwrap(result.document)
        let get = try XCTUnwrap(document.operation(.get, "/a"))
        let parameter = try XCTUnwrap(get.parameters.first)
        XCTAssertEqual(parameter.value.name, "limit", "a chain of references is followed to the end")
        XCTAssertEqual(parameter.reference?.ref, "#/components/parameters/Alias")
        XCTAssertEqual(parameter.componentName, "Alias")
        XCTAssertEqual(document.location(of: try XCTUnwrap(parameter.reference?.source)).line, 7)
        XCTAssertEqual(document.location(of: parameter.value.source).line, 13)
        XCTAssertEqual(get.response(for: .status(200))?.componentName, "Ok")
    }

    private static let rootInMemory = """
    openapi: 3.1.0
    info: {title: t, version: v}
    paths:
      /bills:
        get:
          parameters:
            - $ref: 'shared/parameters.yaml#/Limit'
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema: {$ref: 'schemas/money.yaml#/Money'}
    components:
      schemas:
        Bill:
          properties:
            total: {$ref: 'schemas/money.yaml#/Money'}
            note: {$ref: 'schemas/note.yaml'}
            back: {$ref: 'schemas/money.yaml#/Back'}
    """

    private static let filesInMemory = [
        "/spec/schemas/money.yaml": """
        Money:
          type: object
          properties:
            amount: {type: number}
            currency: {$ref: '#/Currency'}
        Currency:
          type: string
          enum: [GBP, EUR]
        Back:
          $ref: '../api.yaml#/components/schemas/Bill'
        """,
        "/spec/schemas/note.yaml": "type: string\nmaxLength: 140\n",
        "/spec/shared/parameters.yaml": "Limit: {name: limit, in: query, schema: {type: integer}}\n",
    ]

    func testRelativeReferencesIntoOtherFilesInMemory() throws {
        var requested: [String] = []
        let result = DocumentLoader.load(path: "/spec/api.yaml", bytes: Array(Self.rootInMemory.utf8)) { path in
            requested.append(path)
            return Self.filesInMemory[path].map { Array($0.utf8) }
        }
        assertNoDiagnostics(result.diagnostics)
        let document = try XCTUnwrap(result.document)
        // Each file is read once; `../api.yaml` from schemas/ is the root file again.
        XCTAssertEqual(Set(requested), ["/spec/schemas/money.yaml", "/spec/schemas/note.yaml", "/spec/shared/parameters.yaml"])
        XCTAssertEqual(requested.count, 3)
        XCTAssertEqual(document.files.count, 4)
        XCTAssertEqual(document.files[0].path, "/spec/api.yaml")

        let limit = try XCTUnwrap(document.operation(.get, "/bills")?.parameters.first)
        XCTAssertEqual(limit.value.name, "limit")
        XCTAssertEqual(document.location(of: limit.value.source).file, "/spec/shared/parameters.yaml")
        XCTAssertEqual(document.location(of: limit.value.source).line, 1)

        let bill = try XCTUnwrap(document.componentSchema("Bill"))
        let money = document.schemas[document.schemas.resolved(try XCTUnwrap(bill.properties["total"]))]
        XCTAssertEqual(document.location(of: money.source).file, "/spec/schemas/money.yaml")
        XCTAssertEqual(money.properties.keys, ["amount", "currency"])
        // A same-file `#/...` inside the other file stays in that file.
        let currency = document.schemas[document.schemas.resolved(try XCTUnwrap(money.properties["currency"]))]
        XCTAssertEqual(document.enumStrings(currency), ["GBP", "EUR"])
        XCTAssertEqual(document.location(of: currency.source).line, 7)
        // A whole-file reference.
        let note = document.schemas[document.schemas.resolved(try XCTUnwrap(bill.properties["note"]))]
        XCTAssertEqual(note.maxLength, 140)
        // Back into the root file: the same schema id as Bill.
        XCTAssertEqual(document.schemas.resolved(try XCTUnwrap(bill.properties["back"])), document.components.schemas["Bill"])
        // Both uses of Money are one schema.
        let responseSchema = try XCTUnwrap(document.operation(.get, "/bills")?.response(for: .status(200))?.value.content["application/json"]?.schema)
        XCTAssertEqual(document.schemas.resolved(responseSchema), document.schemas.resolved(try XCTUnwrap(bill.properties["total"])))
    }

    func testProblemsInAReferencedFileAreReportedInThatFile() throws {
        var files = Self.filesInMemory
        files["/spec/schemas/money.yaml"] = """
        Money:
          type: object
          properties:
            amount: {type: number}
            currency: {$ref: '#/Curency'}
        Back: {type: object}
        """
        let result = loadDocument(Self.rootInMemory, files: files)
        assertDiagnostic(result.diagnostics, "$ref '#/Curency' points to nothing: 'Curency' is not found under '#' in /spec/schemas/money.yaml",
                         line: 5, column: 22, pointer: "/Money/properties/currency/$ref", file: "/spec/schemas/money.yaml")
        XCTAssertEqual(errorCount(result.diagnostics), 1, render(result.diagnostics))
        XCTAssertEqual("\(try XCTUnwrap(result.diagnostics.first))",
                       "/spec/schemas/money.yaml:5:22: error: $ref '#/Curency' points to nothing: 'Curency' is not found under '#' in /spec/schemas/money.yaml (at #/Money/properties/currency/$ref)")
    }

    func testRelativeReferencesBetweenFixtureFiles() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "api", withExtension: "yaml", subdirectory: "Fixtures/MultiFile"),
                                "Fixtures/MultiFile/api.yaml is not in the test bundle")
        // Symlinks resolved, so that `../api.yaml` from schemas/ spells the same path as the root.
        let path = url.resolvingSymlinksInPath().path
        let result = DocumentLoader.load(path: path)
        assertNoDiagnostics(result.diagnostics)
        let document = try XCTUnwrap(result.document)
        XCTAssertEqual(document.files.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted(),
                       ["api.yaml", "money.yaml", "note.yaml", "parameters.yaml"])
        let limit = try XCTUnwrap(document.operation(.get, "/bills")?.parameters.first).value
        XCTAssertEqual(limit.name, "limit")
        XCTAssertEqual(limit.description, "Page size")
        XCTAssertEqual(document.schemas[try XCTUnwrap(limit.schema)].maximum, "100")
        let bill = try XCTUnwrap(document.componentSchema("Bill"))
        let currency = document.schemas[document.schemas.resolved(try XCTUnwrap(bill.properties["currency"]))]
        XCTAssertEqual(currency.description, "ISO 4217 code")
        XCTAssertEqual(document.enumStrings(currency), ["GBP", "EUR", "USD"])
        XCTAssertTrue(document.location(of: currency.source).file.hasSuffix("/Fixtures/MultiFile/schemas/money.yaml"))
        XCTAssertEqual(document.location(of: currency.source).line, 7)
        // `./schemas/money.yaml` and `schemas/money.yaml` are one file (listed once above), so one Currency schema.
        let money = document.schemas[document.schemas.resolved(try XCTUnwrap(bill.properties["total"]))]
        XCTAssertEqual(document.schemas.resolved(try XCTUnwrap(money.properties["currency"])),
                       document.schemas.resolved(try XCTUnwrap(bill.properties["currency"])))
        XCTAssertEqual(document.schemas.resolved(try XCTUnwrap(bill.properties["again"])), document.components.schemas["Bill"])
        XCTAssertEqual(document.schemas[document.schemas.resolved(try XCTUnwrap(bill.properties["note"]))].maxLength, 140)
    }

    func testRemoteReferencesAreRefused() {
        let text = """
        openapi: 3.1.0
        info: {title: t, version: v}
        components:
          schemas:
            A: {$ref: 'https://example.com/schemas.yaml#/A'}
            B: {properties: {a: {$ref: '#/components/schemas/A'}}}
        """
        let result = loadDocument(text)
        // The component alone is left out with a warning (LenientReadingTests); a use of it fails.
        assertDiagnostic(result.diagnostics, "$ref 'https://example.com/schemas.yaml#/A' points to a remote document; only files beside the spec can be referenced",
                         line: 5, column: 15)
        XCTAssertEqual(result.diagnostics.count, 2, render(result.diagnostics))
    }
}
