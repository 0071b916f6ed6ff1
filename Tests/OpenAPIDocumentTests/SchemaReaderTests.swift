import XCTest
@testable import OpenAPIDocument

/// JSON Schema reading, 3.0 and 3.1 dialects.
final class SchemaReaderTests: XCTestCase {
    /// A 3.1 document whose component schemas are `schemas` (indented as under `components/schemas`).
    private func document31(_ schemas: String, version: String = "3.1.0", file: StaticString = #filePath, line: UInt = #line) throws -> (OpenAPIDocument, [Diagnostic], String) {
        let text = "openapi: \(version)\ninfo: {title: t, version: v}\ncomponents:\n  schemas:\n" + schemas
        let result = loadDocument(text)
        return (try XCTUnwrap(result.document, render(result.diagnostics), file: file, line: line), result.diagnostics, text)
    }

    private func schema(_ document: OpenAPIDocument, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> JSONSchema {
        try XCTUnwrap(document.componentSchema(name), "no component schema \(name)", file: file, line: line)
    }

    func testTypeAsAStringOrAnArrayWithNull() throws {
        let (document, diagnostics, _) = try document31("""
            Name: {type: string}
            MaybeName: {type: [string, "null"]}
            Number: {type: [integer, number]}
            Null: {type: 'null'}
            Untyped: {description: anything}
        """)
        assertNoDiagnostics(diagnostics)
        XCTAssertEqual(try schema(document, "Name").types, .string)
        XCTAssertFalse(try schema(document, "Name").nullable)
        let maybe = try schema(document, "MaybeName")
        XCTAssertEqual(maybe.types, [.string, .null])
        XCTAssertTrue(maybe.nullable)
        XCTAssertFalse(maybe.usesNullableKeyword)
        XCTAssertEqual(try schema(document, "Number").types, [.integer, .number])
        XCTAssertEqual(try schema(document, "Null").types, .null)
        XCTAssertNil(try schema(document, "Untyped").types)
        XCTAssertEqual(JSONTypeSet([.string, .null]).description, "null, string")
    }

    func testTypeArrayIn30IsAWarningAndTypeNullAnError() throws {
        let (document, diagnostics, _) = try document31("""
            A: {type: [string, "null"]}
            B: {type: 'null'}
            C: {type: strnig}
        """, version: "3.0.3")
        assertDiagnostic(diagnostics, "'type' as a sequence is OpenAPI 3.1; read anyway", severity: .warning, line: 5, column: 15,
                         pointer: "/components/schemas/A/type")
        assertDiagnostic(diagnostics, "'type: null' is not OpenAPI 3.0; use 'nullable: true'", line: 6, column: 15)
        assertDiagnostic(diagnostics, "unknown type 'strnig'; expected one of null, boolean, object, array, number, string, integer",
                         line: 7, column: 15)
        XCTAssertEqual(diagnostics.count, 3, render(diagnostics))
        XCTAssertEqual(try schema(document, "A").types, [.string, .null])
        XCTAssertNil(try schema(document, "C").types)
    }

    func testNullableIn30() throws {
        let (document, diagnostics, _) = try document31("""
            A: {type: string, nullable: true}
            B: {type: string, nullable: false}
        """, version: "3.0.1")
        assertNoDiagnostics(diagnostics)
        XCTAssertTrue(try schema(document, "A").nullable)
        XCTAssertTrue(try schema(document, "A").usesNullableKeyword)
        XCTAssertFalse(try schema(document, "B").nullable)
        XCTAssertTrue(try schema(document, "B").usesNullableKeyword)
    }

    func testNullableIn31IsOneSummaryWarningCountingEveryUse() throws {
        let text = """
        openapi: 3.1.0
        info: {title: t, version: v}
        paths:
          /a:
            get:
              parameters:
                - name: q
                  in: query
                  schema: {type: string, nullable: true}
              responses:
                '200': {description: ok}
        components:
          schemas:
            A: {type: string, nullable: true}
            B:
              type: object
              properties:
                c: {type: integer, nullable: false}
                d: {$ref: '#/components/schemas/A', nullable: true}
        """
        let result = loadDocument(text)
        let document = try XCTUnwrap(result.document)
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
        // "first here" is the first use in the file, not the first one read (components are read before paths).
        assertDiagnostic(result.diagnostics, "'nullable' is an OpenAPI 3.0 keyword, not part of 3.1's JSON Schema; read as type [..., \"null\"]; write `type: [T, \"null\"]` instead (4 times in this document; first here)",
                         severity: .warning, line: 9, column: 44, pointer: "/paths/~1a/get/parameters/0/schema/nullable")
        XCTAssertTrue(try schema(document, "A").nullable)
        let c = document.schemas[try XCTUnwrap(try schema(document, "B").properties["c"])]
        XCTAssertFalse(c.nullable)
        XCTAssertTrue(c.usesNullableKeyword)
    }

    func testFormatEnumConstDefault() throws {
        let (document, diagnostics, _) = try document31("""
            Status:
              type: string
              format: custom-status
              enum: [active, 'off', NO, "1.0", 1.0, null]
              default: active
            Version:
              const: 2
            Price:
              type: number
              format: decimal
              default: 135.85
        """)
        assertNoDiagnostics(diagnostics)
        let status = try schema(document, "Status")
        XCTAssertEqual(status.format, "custom-status")
        XCTAssertEqual(try XCTUnwrap(status.enumValues).map { document.value(of: $0) },
                       [.string("active"), .string("off"), .string("NO"), .string("1.0"), .number("1.0"), .null])
        XCTAssertEqual(document.value(of: try XCTUnwrap(status.defaultValue)), .string("active"))
        XCTAssertEqual(document.value(of: try XCTUnwrap(try schema(document, "Version").constValue)), .integer("2"))
        XCTAssertEqual(document.value(of: try XCTUnwrap(try schema(document, "Price").defaultValue)), .number("135.85"))
    }

    func testCompositionKeywords() throws {
        let (document, diagnostics, _) = try document31("""
            Base: {type: object, properties: {id: {type: string}}}
            All:
              allOf:
                - $ref: '#/components/schemas/Base'
                - type: object
                  properties: {extra: {type: integer}}
            One:
              oneOf: [{type: string}, {type: integer}]
            Any:
              anyOf: [{$ref: '#/components/schemas/Base'}, {type: 'null'}]
            Not:
              not: {type: string}
            Conditional:
              if: {properties: {kind: {const: a}}}
              then: {required: [a]}
              else: {required: [b]}
        """)
        assertNoDiagnostics(diagnostics)
        let all = try schema(document, "All")
        XCTAssertEqual(all.allOf.count, 2)
        XCTAssertEqual(document.schemas[all.allOf[0]].ref?.target, document.components.schemas["Base"])
        XCTAssertEqual(document.schemas.resolved(all.allOf[0]), document.components.schemas["Base"])
        XCTAssertEqual(document.schemas[all.allOf[1]].properties.keys, ["extra"])
        XCTAssertEqual(try schema(document, "One").oneOf.map { document.schemas[$0].types }, [.string, .integer])
        XCTAssertEqual(try schema(document, "Any").anyOf.count, 2)
        XCTAssertEqual(document.schemas[try XCTUnwrap(try schema(document, "Not").not)].types, .string)
        let conditional = try schema(document, "Conditional")
        XCTAssertEqual(document.schemas[try XCTUnwrap(conditional.thenSchema)].required, ["a"])
        XCTAssertEqual(document.schemas[try XCTUnwrap(conditional.elseSchema)].required, ["b"])
        XCTAssertEqual(document.schemas[try XCTUnwrap(conditional.ifSchema)].properties.keys, ["kind"])
    }

    func testDiscriminatorMappingIsResolvedToSchemaIDs() throws {
        let (document, diagnostics, _) = try document31("""
            Pet:
              oneOf:
                - $ref: '#/components/schemas/Cat'
                - $ref: '#/components/schemas/Dog'
              discriminator:
                propertyName: kind
                mapping:
                  cat: '#/components/schemas/Cat'
                  dog: Dog
                  lizard: '#/components/schemas/Pet/$defs/Lizard'
                x-discriminator-extension: 1
              $defs:
                Lizard: {type: object}
            Cat: {type: object, properties: {kind: {type: string}}}
            Dog: {type: object, properties: {kind: {type: string}}}
            Plain:
              discriminator: {propertyName: kind}
        """)
        assertNoDiagnostics(diagnostics)
        let discriminator = try XCTUnwrap(try schema(document, "Pet").discriminator)
        XCTAssertEqual(discriminator.propertyName, "kind")
        XCTAssertEqual(discriminator.mapping.keys, ["cat", "dog", "lizard"])
        XCTAssertEqual(discriminator.mapping["cat"]?.ref, "#/components/schemas/Cat")
        XCTAssertEqual(discriminator.mapping["cat"]?.schema, document.components.schemas["Cat"])
        XCTAssertEqual(discriminator.mapping["dog"]?.ref, "Dog", "kept as written")
        XCTAssertEqual(discriminator.mapping["dog"]?.schema, document.components.schemas["Dog"], "a bare name is a component schema")
        XCTAssertEqual(discriminator.mapping["lizard"]?.schema, try schema(document, "Pet").definitions["Lizard"])
        XCTAssertEqual(discriminator.extensions.keys, ["x-discriminator-extension"])
        XCTAssertTrue(try XCTUnwrap(try schema(document, "Plain").discriminator).mapping.isEmpty)
    }

    func testDiscriminatorMappingToNothingIsAnError() throws {
        let (_, diagnostics, _) = try document31("""
            Pet:
              discriminator:
                propertyName: kind
                mapping:
                  cow: Cow
        """)
        assertDiagnostic(diagnostics, "$ref '#/components/schemas/Cow' points to nothing: 'Cow' is not found under '#/components/schemas'",
                         line: 9, column: 16, pointer: "/components/schemas/Pet/discriminator/mapping/cow")
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
    }

    func testPropertiesRequiredAndAdditionalProperties() throws {
        let (document, diagnostics, _) = try document31("""
            Closed:
              type: object
              required: [id]
              properties:
                id: {type: string}
                name: {type: string}
              additionalProperties: false
            Open:
              type: object
              additionalProperties: true
            Map:
              type: object
              additionalProperties: {type: integer}
            MapOfRefs:
              additionalProperties: {$ref: '#/components/schemas/Closed'}
            Unset: {type: object}
            Patterns:
              patternProperties: {'^x-': {type: string}}
              propertyNames: {pattern: '^[a-z]+$'}
              minProperties: 1
              maxProperties: 5
        """)
        assertNoDiagnostics(diagnostics)
        let closed = try schema(document, "Closed")
        XCTAssertEqual(closed.properties.keys, ["id", "name"])
        XCTAssertEqual(closed.required, ["id"])
        XCTAssertEqual(closed.additionalProperties, .allowed(false))
        XCTAssertEqual(try schema(document, "Open").additionalProperties, .allowed(true))
        guard case let .schema(valueSchema)? = try schema(document, "Map").additionalProperties else { return XCTFail("not a schema") }
        XCTAssertEqual(document.schemas[valueSchema].types, .integer)
        guard case let .schema(refSchema)? = try schema(document, "MapOfRefs").additionalProperties else { return XCTFail("not a schema") }
        XCTAssertEqual(document.schemas.resolved(refSchema), document.components.schemas["Closed"])
        XCTAssertNil(try schema(document, "Unset").additionalProperties)
        let patterns = try schema(document, "Patterns")
        XCTAssertEqual(patterns.patternProperties.keys, ["^x-"])
        XCTAssertEqual(document.schemas[try XCTUnwrap(patterns.propertyNames)].pattern, "^[a-z]+$")
        XCTAssertEqual(patterns.minProperties, 1)
        XCTAssertEqual(patterns.maxProperties, 5)
    }

    func testRequiredPropertyMissingFromPropertiesIsAWarning() throws {
        let (_, diagnostics, _) = try document31("""
            A:
              required: [id, nmae]
              properties:
                id: {type: string}
                name: {type: string}
        """)
        assertDiagnostic(diagnostics, "'nmae' is required but not among the schema's properties", severity: .warning, line: 6, column: 7,
                         pointer: "/components/schemas/A")
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
    }

    func testItemsAndPrefixItems() throws {
        let (document, diagnostics, _) = try document31("""
            List:
              type: array
              items: {type: string}
              minItems: 1
              maxItems: 10
              uniqueItems: true
              contains: {const: x}
            Tuple:
              type: array
              prefixItems: [{type: string}, {type: integer}]
              items: false
            OldTuple:
              type: array
              items: [{type: string}, {type: boolean}]
        """)
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
        assertDiagnostic(diagnostics, "'items' as a sequence is the old tuple form; read as 'prefixItems'", severity: .warning, line: 18, column: 14)
        let list = try schema(document, "List")
        XCTAssertEqual(document.schemas[try XCTUnwrap(list.items)].types, .string)
        XCTAssertEqual(list.minItems, 1)
        XCTAssertEqual(list.maxItems, 10)
        XCTAssertTrue(list.uniqueItems)
        XCTAssertNotNil(list.contains)
        let tuple = try schema(document, "Tuple")
        XCTAssertEqual(tuple.prefixItems.map { document.schemas[$0].types }, [.string, .integer])
        XCTAssertEqual(document.schemas[try XCTUnwrap(tuple.items)].booleanSchema, false)
        let old = try schema(document, "OldTuple")
        XCTAssertEqual(old.prefixItems.map { document.schemas[$0].types }, [.string, .boolean])
        XCTAssertNil(old.items)
    }

    func testAnnotations() throws {
        let (document, diagnostics, _) = try document31("""
            Account:
              title: Account
              description: |-
                A ledger account.
                Second line.
              deprecated: true
              properties:
                id: {type: string, readOnly: true}
                password: {type: string, writeOnly: true}
              example: {id: a1}
              examples:
                - {id: a2}
                - {id: a3}
        """)
        assertNoDiagnostics(diagnostics)
        let account = try schema(document, "Account")
        XCTAssertEqual(account.title, "Account")
        XCTAssertEqual(account.description, "A ledger account.\nSecond line.")
        XCTAssertTrue(account.deprecated)
        XCTAssertFalse(account.readOnly)
        let id = document.schemas[try XCTUnwrap(account.properties["id"])]
        XCTAssertTrue(id.readOnly)
        XCTAssertFalse(id.writeOnly)
        let password = document.schemas[try XCTUnwrap(account.properties["password"])]
        XCTAssertTrue(password.writeOnly)
        XCTAssertEqual(document.value(of: try XCTUnwrap(account.example)), .object([("id", .string("a1"))]))
        XCTAssertEqual(account.examples.map { document.value(of: $0) }, [.object([("id", .string("a2"))]), .object([("id", .string("a3"))])])
    }

    func testNumericAndStringLimitsKeepTheirText() throws {
        let (document, diagnostics, _) = try document31("""
            Amount:
              type: number
              minimum: 0
              maximum: 99999999999999999999.99
              exclusiveMinimum: 0
              exclusiveMaximum: 1e9
              multipleOf: 0.01
            Code:
              type: string
              minLength: 3
              maxLength: 3
              pattern: '^[A-Z]{3}$'
        """)
        assertNoDiagnostics(diagnostics)
        let amount = try schema(document, "Amount")
        XCTAssertEqual(amount.minimum, "0")
        XCTAssertEqual(amount.maximum, "99999999999999999999.99")
        XCTAssertEqual(amount.exclusiveMinimum, .value("0"))
        XCTAssertEqual(amount.exclusiveMaximum, .value("1e9"))
        XCTAssertEqual(amount.multipleOf, "0.01")
        let code = try schema(document, "Code")
        XCTAssertEqual(code.minLength, 3)
        XCTAssertEqual(code.maxLength, 3)
        XCTAssertEqual(code.pattern, "^[A-Z]{3}$")
    }


    func testBadLimitsAreErrors() throws {
        let (_, diagnostics, _) = try document31("""
            A: {type: string, minLength: 5, maxLength: 2}
            B: {type: array, minItems: -1}
            C: {type: string, maxLength: ten}
            D: {type: number, minimum: '5'}
        """)
        assertDiagnostic(diagnostics, "minLength 5 is greater than maxLength 2", line: 5, column: 8, pointer: "/components/schemas/A")
        assertDiagnostic(diagnostics, "'minItems' must not be negative", line: 6, column: 32)
        assertDiagnostic(diagnostics, "'maxLength' must be an integer, found a string", line: 7, column: 34)
        assertDiagnostic(diagnostics, "'minimum' must be a number, found a string", line: 8, column: 32)
        XCTAssertEqual(diagnostics.count, 4, render(diagnostics))
    }

    func testUnknownKeywordsAreKeptInOtherKeywords() throws {
        let (document, diagnostics, _) = try document31("""
            A:
              $id: https://example.com/a
              $comment: kept
              contentMediaType: image/png
              unevaluatedProperties: false
              x-vendor: {a: 1}
        """)
        assertNoDiagnostics(diagnostics)
        let a = try schema(document, "A")
        XCTAssertEqual(a.otherKeywords.keys, ["$id", "$comment", "contentMediaType", "unevaluatedProperties"])
        XCTAssertEqual(document.value(of: try XCTUnwrap(a.otherKeywords["$comment"])), .string("kept"))
        XCTAssertEqual(document.value(of: try XCTUnwrap(a.otherKeywords["unevaluatedProperties"])), .bool(false))
        XCTAssertEqual(a.extensions.keys, ["x-vendor"])
    }

    func testPropertiesNamedLikeKeywordsAreProperties() throws {
        let (document, diagnostics, _) = try document31("""
            Odd:
              type: object
              properties:
                additionalProperties: {type: boolean}
                type: {type: string, enum: [a, b]}
                $ref: {type: integer}
                properties: {type: array, items: {type: string}}
              required: [type]
        """)
        assertNoDiagnostics(diagnostics)
        let odd = try schema(document, "Odd")
        XCTAssertEqual(odd.types, .object)
        XCTAssertNil(odd.additionalProperties)
        XCTAssertNil(odd.ref)
        XCTAssertEqual(odd.properties.keys, ["additionalProperties", "type", "$ref", "properties"])
        XCTAssertEqual(document.schemas[try XCTUnwrap(odd.properties["additionalProperties"])].types, .boolean)
        XCTAssertEqual(document.schemas[try XCTUnwrap(odd.properties["type"])].types, .string)
        XCTAssertEqual(document.schemas[try XCTUnwrap(odd.properties["$ref"])].types, .integer)
        XCTAssertEqual(document.schemas[try XCTUnwrap(odd.properties["properties"])].types, .array)
        XCTAssertEqual(odd.required, ["type"])
    }

    func testBooleanSchemas() throws {
        let (document, diagnostics, _) = try document31("""
            Anything: true
            Nothing: false
        """)
        assertNoDiagnostics(diagnostics)
        XCTAssertEqual(try schema(document, "Anything").booleanSchema, true)
        XCTAssertEqual(try schema(document, "Nothing").booleanSchema, false)
        let (_, diagnostics30, _) = try document31("    Anything: true\n", version: "3.0.3")
        assertDiagnostic(diagnostics30, "a schema must be a mapping in OpenAPI 3.0 (boolean schemas are 3.1)", line: 5, column: 15)
    }

    func testRecursiveSchemasAreCyclesOfIDs() throws {
        let (document, diagnostics, _) = try document31("""
            Node:
              type: object
              properties:
                value: {type: string}
                children:
                  type: array
                  items: {$ref: '#/components/schemas/Node'}
                parent: {$ref: '#/components/schemas/Node'}
            Even:
              type: object
              properties: {next: {$ref: '#/components/schemas/Odd'}}
            Odd:
              type: object
              properties: {next: {$ref: '#/components/schemas/Even'}}
        """)
        assertNoDiagnostics(diagnostics)
        let nodeID = try XCTUnwrap(document.components.schemas["Node"])
        let node = document.schemas[nodeID]
        let items = document.schemas[try XCTUnwrap(node.properties["children"])].items
        XCTAssertEqual(document.schemas[try XCTUnwrap(items)].ref?.target, nodeID)
        XCTAssertEqual(document.schemas[try XCTUnwrap(node.properties["parent"])].ref?.target, nodeID)
        let even = try XCTUnwrap(document.components.schemas["Even"]), odd = try XCTUnwrap(document.components.schemas["Odd"])
        XCTAssertEqual(document.schemas.resolved(try XCTUnwrap(document.schemas[even].properties["next"])), odd)
        XCTAssertEqual(document.schemas.resolved(try XCTUnwrap(document.schemas[odd].properties["next"])), even)
    }

    func testSchemaReferencedTwiceIsOneID() throws {
        let (document, diagnostics, _) = try document31("""
            A: {type: string}
            B: {$ref: '#/components/schemas/A'}
            C: {$ref: '#/components/schemas/A'}
            D: {$ref: '#/components/schemas/B'}
        """)
        assertNoDiagnostics(diagnostics)
        let a = try XCTUnwrap(document.components.schemas["A"])
        XCTAssertEqual(try schema(document, "B").ref?.target, a)
        XCTAssertEqual(try schema(document, "C").ref?.target, a)
        XCTAssertEqual(try schema(document, "D").ref?.target, document.components.schemas["B"])
        XCTAssertEqual(document.schemas.resolved(try XCTUnwrap(document.components.schemas["D"])), a)
        XCTAssertEqual(document.schemas.count, 4)
    }

    func testRefWithSiblingsKeepsBoth() throws {
        let (document, diagnostics, _) = try document31("""
            A: {type: string}
            B:
              $ref: '#/components/schemas/A'
              description: An A, described here
        """)
        assertNoDiagnostics(diagnostics)
        let b = try schema(document, "B")
        XCTAssertEqual(b.ref?.ref, "#/components/schemas/A")
        XCTAssertEqual(b.ref?.target, document.components.schemas["A"])
        XCTAssertEqual(b.description, "An A, described here")
    }

    func testExamplesHoldingRefAndTypeAreNotReadAsSchemas() throws {
        let plain = """
            A:
              type: object
              properties:
                kind: {type: string}
        """
        let withExamples = """
            A:
              type: object
              properties:
                kind: {type: string}
              example:
                $ref: '#/components/schemas/Nowhere'
                type: object
                properties: {x: {type: string}}
              examples:
                - {$ref: '#/nothing/here', type: string, items: {type: integer}}
              default: {$ref: '#/components/schemas/Gone', type: array}
              enum: [{$ref: '#/x'}, {type: string}]
              const: {$ref: '#/y', allOf: [{type: string}]}
              x-example: {$ref: '#/z', type: object}
        """
        let (base, baseDiagnostics, _) = try document31(plain)
        let (document, diagnostics, _) = try document31(withExamples)
        assertNoDiagnostics(baseDiagnostics)
        assertNoDiagnostics(diagnostics)
        XCTAssertEqual(base.schemas.count, 2)
        XCTAssertEqual(document.schemas.count, base.schemas.count, "data is never read as a schema")
        let a = try schema(document, "A")
        XCTAssertEqual(document.value(of: try XCTUnwrap(a.example)),
                       .object([("$ref", .string("#/components/schemas/Nowhere")), ("type", .string("object")),
                                ("properties", .object([("x", .object([("type", .string("string"))]))]))]))
        XCTAssertNil(document.schemas.id(at: try XCTUnwrap(a.example)))
    }

    func testExamplesElsewhereHoldingRefAreNotReadAsSchemas() throws {
        let text = """
        openapi: 3.1.0
        info: {title: t, version: v}
        paths:
          /a:
            get:
              parameters:
                - name: q
                  in: query
                  schema: {type: string}
                  example: {$ref: '#/components/schemas/Missing', type: object}
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {type: object}
                      example: {$ref: '#/missing', type: string}
                      examples:
                        one: {value: {$ref: '#/components/schemas/Missing', type: object}}
        components:
          examples:
            Shared: {value: {$ref: '#/missing', properties: {a: {type: string}}}}
        """
        let result = loadDocument(text)
        // The only finding is about having both forms, not about anything inside the data.
        assertDiagnostic(result.diagnostics, "a Media Type object should not have both 'example' and 'examples'", severity: .warning,
                         line: 16, column: 15, pointer: "/paths/~1a/get/responses/200/content/application~1json")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
        XCTAssertEqual(try XCTUnwrap(result.document).schemas.count, 2)
    }
}
