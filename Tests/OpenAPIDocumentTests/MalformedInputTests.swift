import Foundation
import XCTest
@testable import OpenAPIDocument

/// Broken input: every problem is a diagnostic with the right text and place, nothing traps.
final class MalformedInputTests: XCTestCase {
    private let head = "openapi: 3.1.0\ninfo: {title: t, version: v}\n"

    /// Loads text that must not produce a document at all (the YAML stage failed).
    private func loadUnreadable(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [Diagnostic] {
        loadUnreadable(bytes: Array(text.utf8), file: file, line: line)
    }

    private func loadUnreadable(bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [Diagnostic] {
        let result = loadDocument(bytes: bytes)
        XCTAssertNil(result.document, "a document was read from broken input", file: file, line: line)
        XCTAssertTrue(result.hasErrors, file: file, line: line)
        return result.diagnostics
    }

    // MARK: Broken YAML and JSON

    func testBadIndentation() {
        let diagnostics = loadUnreadable(head + "paths:\n  /a:\n    get: {}\n   post: {}\n")
        assertDiagnostic(diagnostics, "YAML syntax error: did not find expected key (while parsing a block mapping, from line 4, column 3)",
                         line: 6, column: 4)
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
    }

    func testMappingValueWhereNoneIsAllowed() {
        let result = parseYAML("a:\n  b: 1\n   c: 2\n")
        XCTAssertFalse(result.complete)
        assertDiagnostic(result.diagnostics, "YAML syntax error: mapping values are not allowed in this context", line: 3, column: 5)
    }

    func testUnclosedQuote() {
        let diagnostics = loadUnreadable("openapi: 3.1.0\ninfo:\n  title: \"Unclosed\n  version: v\npaths: {}\n")
        assertDiagnostic(diagnostics, "YAML syntax error: found unexpected end of stream (while scanning a quoted scalar, from line 3, column 10)",
                         line: 6, column: 1)
    }

    func testUnclosedFlowSequence() {
        let diagnostics = loadUnreadable(head + "tags: [{name: a}, {name: b}\npaths: {}\n")
        assertDiagnostic(diagnostics, "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence, from line 3, column 7)",
                         line: 4, column: 1)
    }

    func testTabIndentation() {
        let diagnostics = loadUnreadable(head + "paths:\n\t/a: {}\n")
        assertDiagnostic(diagnostics, "YAML syntax error: found character that cannot start any token (while scanning for the next token, from line 4, column 1)",
                         line: 4, column: 1)
    }

    func testJSONMissingClosingBrace() {
        let json = """
        {
          "openapi": "3.1.0",
          "info": {"title": "t", "version": "v"},
          "paths": {
            "/a": {}
        }
        """
        let diagnostics = loadUnreadable(json)
        // libyaml places the end of the stream at the start of the line after the last one.
        assertDiagnostic(diagnostics, "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping, from line 1, column 1)",
                         line: 7, column: 1)
    }

    func testJSONMissingComma() {
        let diagnostics = loadUnreadable("{\n  \"openapi\": \"3.1.0\"\n  \"info\": {}\n}\n")
        assertDiagnostic(diagnostics, "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping, from line 1, column 1)",
                         line: 3, column: 3)
    }

    func testJSONTrailingCommaIsAcceptedAsYAMLFlowSyntax() throws {
        // JSON is read as YAML 1.2, whose flow collections allow one trailing comma: not an error (see the report).
        let result = loadDocument("{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"v\",}, \"tags\": [{\"name\": \"a\"},], \"paths\": {},}")
        assertNoDiagnostics(result.diagnostics)
        XCTAssertEqual(try XCTUnwrap(result.document).tags.map(\.name), ["a"])
        // Two commas in a row are an error.
        let broken = loadUnreadable("{\"openapi\": \"3.1.0\",,\n \"paths\": {}}")
        assertDiagnostic(broken, "YAML syntax error: did not find expected node content (while parsing a flow node, from line 1, column 21)", line: 1, column: 21)
    }

    func testBinaryGarbageWithNULs() {
        var generator = SplitMix64(seed: 0x5EED)
        var bytes = Array("openapi: 3.1.0\n".utf8)
        for _ in 0..<4096 { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
        bytes[20] = 0
        let diagnostics = loadUnreadable(bytes: bytes)
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
        let diagnostic = diagnostics.first
        XCTAssertTrue(diagnostic?.message.hasPrefix("invalid input: ") == true, render(diagnostics))
        XCTAssertEqual(diagnostic?.location.line, 2, render(diagnostics))

        // A NUL in otherwise clean text is located exactly.
        let nul = loadUnreadable(bytes: Array("openapi: 3.1.0\ninfo: x\u{0}y\n".utf8))
        assertDiagnostic(nul, "invalid input: control characters are not allowed (byte 0x0 at offset 22)", line: 2, column: 8)

        // Random bytes, many seeds: never a trap, always an error.
        for seed in 1...50 {
            var g = SplitMix64(seed: UInt64(seed))
            let random = (0..<512).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            let result = loadDocument(bytes: random)
            XCTAssertTrue(result.hasErrors, "seed \(seed)")
            XCTAssertTrue(result.diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 }, "seed \(seed)")
        }
    }

    func testInvalidUTF8() {
        let bytes = Array("openapi: 3.1.0\ninfo:\n  title: caf".utf8) + [0xC3, 0x28] + Array("\n  version: v\n".utf8)
        let diagnostics = loadUnreadable(bytes: bytes)
        assertDiagnostic(diagnostics, "invalid input: invalid trailing UTF-8 octet (byte 0x28 at offset 34)", line: 3, column: 14)
        let lone = loadUnreadable(bytes: Array("openapi: 3.1.0\n".utf8) + [0xFF, 0xFE])
        assertDiagnostic(lone, "invalid input: invalid leading UTF-8 octet (byte 0xff at offset 15)", line: 2, column: 1)
    }

    func testEmptyFile() {
        let diagnostics = loadUnreadable("")
        assertDiagnostic(diagnostics, "the file is empty: it holds no YAML or JSON document", line: 1, column: 1)
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertEqual("\(diagnostics[0])", "/spec/api.yaml:1:1: error: the file is empty: it holds no YAML or JSON document")
        let spaces = loadUnreadable("   \n\n  \n")
        assertDiagnostic(spaces, "the file is empty", line: 1, column: 1)
    }

    func testFileWithOnlyAComment() {
        let diagnostics = loadUnreadable("# openapi: 3.1.0\n# nothing else\n")
        assertDiagnostic(diagnostics, "the file is empty: it holds no YAML or JSON document", line: 1, column: 1)
        XCTAssertEqual(diagnostics.count, 1)
    }

    func testTwoDocumentsInOneStream() {
        let diagnostics = loadUnreadable(head + "paths: {}\n---\nopenapi: 3.0.0\n")
        assertDiagnostic(diagnostics, "the file holds more than one YAML document; an OpenAPI document must be a single document",
                         line: 4, column: 1)
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
    }

    func testDuplicateKeysGiveBothLocations() throws {
        let result = loadDocument(head + "paths:\n  /a:\n    get:\n      responses: {}\n    get:\n      responses: {}\n")
        assertDiagnostic(result.diagnostics, "duplicate key 'get' in a mapping; first defined at line 5, column 5", line: 7, column: 5)
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
        let top = loadDocument(head + "info: {title: again, version: v}\npaths: {}\n")
        assertDiagnostic(top.diagnostics, "duplicate key 'info' in a mapping; first defined at line 2, column 1", line: 3, column: 1)
    }

    // MARK: Aliases

    func testUndefinedAlias() {
        let result = loadDocument(head + "paths:\n  /a: *missing\n")
        assertDiagnostic(result.diagnostics, "alias '*missing' refers to no anchor defined before it", line: 4, column: 7)
        // An anchor defined after its use does not count either.
        let later = parseYAML("a: *x\nb: &x 1\n")
        assertDiagnostic(later.diagnostics, "alias '*x' refers to no anchor defined before it", line: 1, column: 4)
    }

    func testRecursiveAlias() {
        let diagnostics = loadUnreadable(head + "components:\n  schemas:\n    Node: &node\n      properties:\n        child: *node\n")
        assertDiagnostic(diagnostics, "alias '*node' refers to a collection that contains it; recursive aliases are not allowed",
                         line: 7, column: 16)
        XCTAssertEqual(diagnostics.count, 1, render(diagnostics))
    }

    func testBillionLaughsStopsQuicklyWithASmallTree() {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        let text = lines.joined(separator: "\n") + "\n"
        let clock = ContinuousClock()
        var result: YAMLParser.Result!
        let elapsed = clock.measure { result = parseYAML(text) }
        XCTAssertLessThan(elapsed, .seconds(2))
        XCTAssertFalse(result.complete)
        assertDiagnostic(result.diagnostics, "aliases expand this document to more than 1000000 nodes (an alias bomb?); stopped at alias '*a4'",
                         line: 6, column: 45)
        XCTAssertLessThan(result.tree.nodeCount, 100)
        // Through the loader: no document, same single error.
        let loaded = loadUnreadable(text)
        XCTAssertEqual(loaded.count, 1, render(loaded))
        // A lower limit stops earlier.
        let small = parseYAML(text, limits: .init(maxAliasExpansion: 50))
        assertDiagnostic(small.diagnostics, "aliases expand this document to more than 50 nodes (an alias bomb?); stopped at alias '*a0'",
                         line: 2, column: 30)
    }

    // MARK: Deep nesting

    func testTenThousandLevelsOfFlowSequences() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        let result = parseYAML(text)
        XCTAssertFalse(result.complete)
        assertDiagnostic(result.diagnostics, "nesting is deeper than 256 levels", line: 1, column: 257)
        XCTAssertEqual(result.diagnostics.count, 1)
        XCTAssertLessThanOrEqual(result.tree.nodeCount, 256)

        // Inside a document, on a later line.
        let diagnostics = loadUnreadable(head + "x-deep: " + text)
        assertDiagnostic(diagnostics, "nesting is deeper than 256 levels", line: 3, column: 264)
    }

    func testTenThousandLevelsOfBlockMappings() {
        // Each level one space deeper than the last: level n is written on line n.
        // (About 50 MB: filled with spaces in one go, then the keys written in place.)
        let levels = 10_000
        var bytes = [UInt8](repeating: UInt8(ascii: " "), count: levels * (levels - 1) / 2 + 3 * levels + levels + 5)
        var offset = 0
        for level in 0..<levels {
            offset += level
            bytes[offset] = UInt8(ascii: "k"); bytes[offset + 1] = UInt8(ascii: ":"); bytes[offset + 2] = UInt8(ascii: "\n")
            offset += 3
        }
        offset += levels
        for (i, b) in "leaf\n".utf8.enumerated() { bytes[offset + i] = b }
        XCTAssertEqual(offset + 5, bytes.count)
        let result = YAMLParser.parse(bytes, file: "deep.yaml")
        XCTAssertFalse(result.complete)
        assertDiagnostic(result.diagnostics, "nesting is deeper than 256 levels", line: 257, column: 257)
        XCTAssertEqual(result.diagnostics.count, 1)
        XCTAssertLessThanOrEqual(result.tree.nodeCount, 2 * 256)
        let loaded = loadDocument(bytes: bytes)
        XCTAssertNil(loaded.document)
        assertDiagnostic(loaded.diagnostics, "nesting is deeper than 256 levels", line: 257, column: 257)
    }

    func testDeepNestingWithARaisedLimitIsParsedWithoutRecursion() throws {
        let depth = 10_000
        let text = String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth) + "\n"
        let result = parseYAML(text, limits: .init(maxDepth: depth + 1))
        assertNoDiagnostics(result.diagnostics)
        XCTAssertTrue(result.complete)
        XCTAssertEqual(result.tree.nodeCount, depth + 1)
        var node = try XCTUnwrap(result.tree.root)
        while result.tree.isSequence(node) { node = try XCTUnwrap(result.tree.items(node).first) }
        XCTAssertEqual(result.tree.scalar(node), "x")
        XCTAssertEqual(result.tree.column(node), depth + 1)
        XCTAssertEqual(result.tree.pointer(node), String(repeating: "/0", count: depth))
    }

    func testNestingJustUnderTheLimitIsReadWithoutCrashing() throws {
        // root, components, schemas, Deep: 4 levels, then one per `items`.
        let levels = 252
        let schema = String(repeating: "{items: ", count: levels) + "{type: string}" + String(repeating: "}", count: levels)
        let result = loadDocument(head + "components:\n  schemas:\n    Deep: " + schema + "\n")
        assertNoDiagnostics(result.diagnostics)
        let document = try XCTUnwrap(result.document)
        XCTAssertEqual(document.schemas.count, levels + 1)
        var id = try XCTUnwrap(document.components.schemas["Deep"])
        var depth = 0
        while let next = document.schemas[id].items { id = next; depth += 1 }
        XCTAssertEqual(depth, levels)
        XCTAssertEqual(document.schemas[id].types, .string)
        // One level more is over the limit.
        let over = String(repeating: "{items: ", count: levels + 1) + "{type: string}" + String(repeating: "}", count: levels + 1)
        let diagnostics = loadUnreadable(head + "components:\n  schemas:\n    Deep: " + over + "\n")
        assertDiagnostic(diagnostics, "nesting is deeper than 256 levels", line: 5, column: 11 + 8 * (levels + 1))
    }

    // MARK: Not an OpenAPI 3 document

    func testMissingOpenAPIField() {
        let result = loadDocument("info: {title: t, version: v}\npaths: {}\n")
        XCTAssertNil(result.document)
        assertDiagnostic(result.diagnostics, "the document has no 'openapi' field: is it an OpenAPI document?", line: 1, column: 1, pointer: "")
        XCTAssertEqual(result.diagnostics.count, 1)
    }

    func testSwagger20() {
        let result = loadDocument("swagger: \"2.0\"\ninfo: {title: t, version: v}\npaths: {}\n")
        XCTAssertNil(result.document)
        assertDiagnostic(result.diagnostics, "this is a Swagger 2.0 document; only OpenAPI 3.0 and 3.1 are supported",
                         line: 1, column: 10, pointer: "/swagger")
        XCTAssertEqual(result.diagnostics.count, 1)
    }

    func testUnsupportedVersion() {
        let result = loadDocument("openapi: 2.5.0\ninfo: {title: t, version: v}\npaths: {}\n")
        XCTAssertNil(result.document)
        assertDiagnostic(result.diagnostics, "unsupported OpenAPI version '2.5.0'; expected 3.0.x or 3.1.x", line: 1, column: 10, pointer: "/openapi")
        let numeric = loadDocument("info: {title: t, version: v}\nopenapi: 4\n")
        assertDiagnostic(numeric.diagnostics, "unsupported OpenAPI version '4'; expected 3.0.x or 3.1.x", line: 2, column: 10)
        let null = loadDocument("openapi:\ninfo: {title: t, version: v}\n")
        assertDiagnostic(null.diagnostics, "'openapi' must be a string, found null", line: 1, column: 9)
    }

    func testTopLevelIsNotAMapping() {
        let result = loadDocument("- openapi: 3.1.0\n")
        XCTAssertNil(result.document)
        assertDiagnostic(result.diagnostics, "an OpenAPI document must be a mapping at the top level, found a sequence", line: 1, column: 1)
    }

    func testMissingInfoAndPaths() {
        let result = loadDocument("openapi: 3.0.3\n")
        assertDiagnostic(result.diagnostics, "the document has no 'info' object", line: 1, column: 1)
        assertDiagnostic(result.diagnostics, "the document has no 'paths'", line: 1, column: 1)
        XCTAssertEqual(result.diagnostics.count, 2, render(result.diagnostics))
        let result31 = loadDocument("openapi: 3.1.0\ninfo: {title: t}\n")
        assertDiagnostic(result31.diagnostics, "the document has none of 'paths', 'webhooks' and 'components'", line: 1, column: 1)
        assertDiagnostic(result31.diagnostics, "the Info object is missing the required field 'version'", line: 2, column: 7, pointer: "/info")
        XCTAssertEqual(result31.diagnostics.count, 2, render(result31.diagnostics))
    }

    // MARK: Wrong types for OpenAPI fields

    func testPathsIsASequence() {
        let result = loadDocument(head + "paths: []\n")
        assertDiagnostic(result.diagnostics, "the Paths object must be a mapping, found a sequence", line: 3, column: 8, pointer: "/paths")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testParametersIsAMapping() {
        let result = loadDocument(head + "paths:\n  /a:\n    get:\n      parameters: {}\n")
        assertDiagnostic(result.diagnostics, "'parameters' must be a sequence, found a mapping", line: 6, column: 19,
                         pointer: "/paths/~1a/get/parameters")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testParameterRequiredIsAString() {
        let result = loadDocument(head + "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, required: \"yes\", schema: {type: string}}\n")
        assertDiagnostic(result.diagnostics, "'required' must be true or false, found a string", line: 7, column: 42,
                         pointer: "/paths/~1a/get/parameters/0/required")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
        // Plain `yes` is a string under YAML 1.2, so it is an error too.
        let plain = loadDocument(head + "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, required: yes, schema: {type: string}}\n")
        assertDiagnostic(plain.diagnostics, "'required' must be true or false, found a string", line: 7, column: 42)
    }

    func testSchemaRequiredIsAString() {
        let result = loadDocument(head + "components:\n  schemas:\n    A:\n      type: object\n      required: \"yes\"\n")
        assertDiagnostic(result.diagnostics, "'required' in a schema must be a sequence of property names, found a string", line: 7, column: 17,
                         pointer: "/components/schemas/A/required")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testOperationIdIsASequence() {
        let result = loadDocument(head + "paths:\n  /a:\n    get:\n      operationId: [a]\n")
        assertDiagnostic(result.diagnostics, "'operationId' must be a string, found a sequence", line: 6, column: 20,
                         pointer: "/paths/~1a/get/operationId")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testWrongTypeDoesNotAlsoClaimTheFieldIsMissing() {
        let result = loadDocument("openapi: 3.1.0\ninfo: {title: [a], version: v}\npaths: {}\ntags:\n  - name: 7.5\n  - name: ~\n")
        assertDiagnostic(result.diagnostics, "'title' must be a string, found a sequence", line: 2, column: 15)
        // A required field with no value is read as absent (LenientReadingTests), so it is missing.
        assertDiagnostic(result.diagnostics, "'name' has no value (YAML null); read as if it were absent", severity: .warning, line: 6, column: 11)
        assertDiagnostic(result.diagnostics, "a Tag object is missing the required field 'name'", line: 6, column: 5)
        XCTAssertEqual(result.diagnostics.count, 3, render(result.diagnostics))
        XCTAssertEqual(result.document?.tags.map(\.name), ["7.5"], "a number is fine as a string")
    }

    // MARK: References

    func testDanglingSchemaReference() {
        let result = loadDocument(head + "components:\n  schemas:\n    A:\n      properties:\n        b:\n          $ref: '#/components/schemas/Bee'\n")
        assertDiagnostic(result.diagnostics, "$ref '#/components/schemas/Bee' points to nothing: 'Bee' is not found under '#/components/schemas' in /spec/api.yaml",
                         line: 8, column: 17, pointer: "/components/schemas/A/properties/b/$ref")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testDanglingNestedReferenceNamesTheMissingPart() {
        let text = head + """
        components:
          schemas:
            Supplier:
              definitions:
                supplierStatus: {type: string}
            Other: {$ref: '#/components/schemas/Supplier/definitions/supplierStatuses/items'}
            Third: {$ref: '#/components/schemas/Supplier/definitons/supplierStatus'}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "'supplierStatuses' is not found under '#/components/schemas/Supplier/definitions'", line: 8, column: 19)
        assertDiagnostic(result.diagnostics, "'definitons' is not found under '#/components/schemas/Supplier'", line: 9, column: 19)
        XCTAssertEqual(result.diagnostics.count, 2, render(result.diagnostics))
    }

    func testDanglingReferencesToOtherObjects() {
        let text = head + """
        paths:
          /a:
            get:
              parameters:
                - $ref: '#/components/parameters/Limit'
              responses:
                '200': {$ref: '#/components/responses/Ok'}
        components:
          parameters:
            Limti: {name: limit, in: query, schema: {type: integer}}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "$ref '#/components/parameters/Limit' points to nothing: 'Limit' is not found under '#/components/parameters'",
                         line: 7, column: 17)
        assertDiagnostic(result.diagnostics, "$ref '#/components/responses/Ok' points to nothing: 'responses' is not found under '#/components'",
                         line: 9, column: 23)
        XCTAssertEqual(result.diagnostics.count, 2, render(result.diagnostics))
    }

    func testSchemaReferenceLoopOfTwo() {
        let text = head + "components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n"
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "$ref loop that never reaches a schema: #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B",
                         line: 6, column: 13, pointer: "/components/schemas/A/$ref")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
        // Following the loop terminates.
        let document = result.document!
        let a = document.components.schemas["A"]!
        XCTAssertNotNil(document.schemas[document.schemas.resolved(a)].ref)
    }

    func testSchemaReferenceToItself() {
        let result = loadDocument(head + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/A'}\n")
        assertDiagnostic(result.diagnostics, "$ref loop that never reaches a schema: #/components/schemas/A -> #/components/schemas/A",
                         line: 5, column: 15, pointer: "/components/schemas/A/$ref")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testParameterReferenceLoop() {
        let text = head + """
        paths: {}
        components:
          parameters:
            P1: {$ref: '#/components/parameters/P2'}
            P2: {$ref: '#/components/parameters/P1'}
            P3: {$ref: '#/components/parameters/P3'}
        """
        let result = loadDocument(text)
        // One loop, one error: once P1 -> P2 -> P1 is reported, reading P2 on its own does not report it again.
        assertDiagnostic(result.diagnostics, "$ref '#/components/parameters/P2' is part of a reference cycle that never reaches a Parameter object",
                         line: 6, column: 16)
        assertDiagnostic(result.diagnostics, "$ref '#/components/parameters/P3' is part of a reference cycle that never reaches a Parameter object",
                         line: 8, column: 16)
        XCTAssertEqual(result.diagnostics.count, 2, render(result.diagnostics))
    }

    func testPathItemReferenceLoop() {
        let result = loadDocument(head + "paths:\n  /a: {$ref: '#/paths/~1b'}\n  /b: {$ref: '#/paths/~1a'}\n")
        XCTAssertEqual(errorCount(result.diagnostics), 2, render(result.diagnostics))
        assertDiagnostic(result.diagnostics, "$ref '#/paths/~1b' is part of a reference cycle of path items", line: 4, column: 14)
        assertDiagnostic(result.diagnostics, "$ref '#/paths/~1a' is part of a reference cycle of path items", line: 5, column: 14)
    }

    func testInvalidPointerEscape() {
        let result = loadDocument(head + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/a~2b'}\n")
        assertDiagnostic(result.diagnostics, "$ref '#/components/schemas/a~2b' is not a valid JSON pointer: JSON pointer component 'a~2b' has a '~' not followed by 0 or 1",
                         line: 5, column: 15)
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
        let trailing = loadDocument(head + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/a~'}\n")
        assertDiagnostic(trailing.diagnostics, "JSON pointer component 'a~' has a '~' not followed by 0 or 1", line: 5, column: 15)
    }

    func testPointerThatIsNotAbsoluteOrBadlyPercentEncoded() {
        let relative = loadDocument(head + "components:\n  schemas:\n    A: {$ref: '#components/schemas/B'}\n    B: {}\n")
        assertDiagnostic(relative.diagnostics, "$ref '#components/schemas/B' is not a valid JSON pointer: JSON pointer 'components/schemas/B' must be empty or start with '/'",
                         line: 5, column: 15)
        let percent = loadDocument(head + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/%G1'}\n")
        assertDiagnostic(percent.diagnostics, "JSON pointer component '/components/schemas/%G1' has invalid percent-encoding", line: 5, column: 15)
    }

    func testReferenceIntoAMissingFile() {
        let result = loadDocument(head + "components:\n  schemas:\n    A:\n      $ref: 'schemas/missing.yaml#/A'\n")
        assertDiagnostic(result.diagnostics, "cannot read the file '/spec/schemas/missing.yaml' that this $ref points into", line: 6, column: 13,
                         pointer: "/components/schemas/A/$ref")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testReferenceIntoABrokenFile() {
        let result = loadDocument(head + "components:\n  schemas:\n    A: {$ref: 'other.yaml#/A'}\n    B: {$ref: 'other.yaml#/B'}\n",
                                  files: ["/spec/other.yaml": "A: {type: string\nB: 1\n"])
        // A file that fails to parse is reported once, however many $refs point into it.
        assertDiagnostic(result.diagnostics, "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping, from line 1, column 4)",
                         line: 2, column: 2, file: "/spec/other.yaml")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testDotDotInARelativeReferenceReachesTheSameFile() {
        // api.yaml -> sub/b.yaml -> ../common.yaml must be the file api.yaml reaches as common.yaml.
        let result = loadDocument(head + "components:\n  schemas:\n    A: {$ref: 'sub/b.yaml#/B'}\n    C: {$ref: 'common.yaml#/C'}\n",
                                  files: ["/spec/sub/b.yaml": "B: {$ref: '../common.yaml#/C'}\n", "/spec/common.yaml": "C: {type: string}\n"])
        XCTAssertEqual(result.diagnostics.count, 0, render(result.diagnostics))
        let document = try! XCTUnwrap(result.document)
        XCTAssertEqual(document.files.map(\.path).sorted(), ["/spec/api.yaml", "/spec/common.yaml", "/spec/sub/b.yaml"])
        let a = document.schemas.resolved(document.components.schemas["A"]!)
        let c = document.schemas.resolved(document.components.schemas["C"]!)
        XCTAssertEqual(a, c, "one file, one schema id")
    }

    // MARK: Semantic checks

    func testDuplicateOperationId() {
        let text = head + """
        paths:
          /a:
            get:
              summary: first
              operationId: fetch
            post:
              summary: second
              operationId: fetch
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "operationId 'fetch' is used twice; first at line 7", line: 10, column: 20,
                         pointer: "/paths/~1a/post/operationId")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testPathTemplateParameterNotDeclared() {
        let text = head + """
        paths:
          /bills/{billId}/payments/{paymentId}:
            parameters:
              - {name: billId, in: path, required: true, schema: {type: string}}
            get:
              responses: {'200': {description: ok}}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "GET /bills/{billId}/payments/{paymentId}: the path template names '{paymentId}' but no path parameter 'paymentId' is declared; read as a required string path parameter",
                         severity: .warning, line: 8, column: 7, pointer: "/paths/~1bills~1{billId}~1payments~1{paymentId}/get")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testPathParameterNotInTheTemplate() {
        let text = head + """
        paths:
          /bills:
            get:
              parameters:
                - {name: billId, in: path, required: true, schema: {type: string}}
              responses: {'200': {description: ok}}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "GET /bills: path parameter 'billId' does not appear in the path template; left out", severity: .warning, line: 7, column: 11)
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testPathParameterNotRequired() {
        let text = head + """
        paths:
          /a/{id}:
            get:
              parameters:
                - name: id
                  in: path
                  required: false
                  schema: {type: string}
                - name: other
                  in: path
                  schema: {type: string}
              responses: {'200': {description: ok}}
        """
        let result = loadDocument(text.replacingOccurrences(of: "/a/{id}", with: "/a/{id}/{other}"))
        // Read as required (the OAI's own pass examples have one), reported once with the count at the first.
        assertDiagnostic(result.diagnostics, "a path parameter must have 'required: true'; read as required (2 times in this document; first here)",
                         severity: .warning, line: 9, column: 21, pointer: "/paths/~1a~1{id}~1{other}/get/parameters/0/required")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
        XCTAssertEqual(result.document?.operation(.get, "/a/{id}/{other}")?.parameters.map(\.value.required), [true, true])
    }

    func testUnknownParameterLocation() {
        let text = head + """
        paths:
          /a:
            post:
              parameters:
                - name: payload
                  in: body
                  schema: {type: object}
              responses: {'200': {description: ok}}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "'in' must be one of query, header, path, cookie; found 'body'", line: 8, column: 15,
                         pointer: "/paths/~1a/post/parameters/0/in")
        XCTAssertEqual(result.diagnostics.count, 1, "no second, false 'missing the required field' error:\n" + render(result.diagnostics))
        XCTAssertEqual(result.document?.operation(.post, "/a")?.parameters.count, 0)
    }

    func testParameterWithoutSchemaOrContentOrName() {
        let text = head + """
        paths:
          /a:
            get:
              parameters:
                - {name: q, in: query}
                - {in: query, schema: {type: string}}
                - {name: r, in: query, schema: {type: string}, content: {text/plain: {}}}
                - {name: q, in: query, schema: {type: string}}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "parameter 'q' has neither 'schema' nor 'content'", line: 7, column: 11)
        assertDiagnostic(result.diagnostics, "a Parameter object is missing the required field 'name'", line: 8, column: 11)
        assertDiagnostic(result.diagnostics, "parameter 'r' has both 'schema' and 'content'; use one", line: 9, column: 11)
        assertDiagnostic(result.diagnostics, "parameter 'q' in query is declared twice in one list; first at line 7", line: 10, column: 11)
        XCTAssertEqual(result.diagnostics.count, 4, render(result.diagnostics))
    }

    func testBadResponseKey() {
        let text = head + """
        paths:
          /a:
            get:
              responses:
                abc:
                  description: what
                2xx:
                  description: lower case
                '200': {description: ok}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "'abc' is not a response key: use a status code (200), a range (2XX) or 'default'", line: 7, column: 9,
                         pointer: "/paths/~1a/get/responses/abc")
        assertDiagnostic(result.diagnostics, "'2xx' is not a response key", line: 9, column: 9)
        XCTAssertEqual(result.diagnostics.count, 2, render(result.diagnostics))
    }

    func testPathMustStartWithASlash() {
        let result = loadDocument(head + "paths:\n  bills:\n    get:\n      responses: {'200': {description: ok}}\n")
        assertDiagnostic(result.diagnostics, "path 'bills' must start with '/'", line: 4, column: 3, pointer: "/paths/bills")
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testUnknownSecuritySchemeAndRequirement() {
        let text = head + """
        security:
          - basic: []
        paths:
          /a:
            get:
              security: [{key: []}, {oauth: [read]}]
        webhooks:
          hook:
            post:
              security:
                - bearer: []
                  cookie: []
        components:
          securitySchemes:
            basic: {type: basic}
            key: {type: apiKey, name: k, in: path}
            bearer: {type: http}
        """
        let result = loadDocument(text)
        assertDiagnostic(result.diagnostics, "unknown security scheme type 'basic'", line: 17, column: 19)
        assertDiagnostic(result.diagnostics, "an apiKey goes in query, header or cookie; found 'path'", line: 18, column: 38)
        assertDiagnostic(result.diagnostics, "an http Security Scheme is missing the required field 'scheme'", line: 19, column: 13)
        // Unknown names are reported where they are written: at the document, an operation and a webhook.
        assertDiagnostic(result.diagnostics, "security requirement names 'basic', which is not in components/securitySchemes; ignored", severity: .warning, line: 4, column: 5,
                         pointer: "/security/0/basic")
        assertDiagnostic(result.diagnostics, "security requirement names 'oauth', which is not in components/securitySchemes; ignored", severity: .warning, line: 8, column: 30,
                         pointer: "/paths/~1a/get/security/1/oauth")
        assertDiagnostic(result.diagnostics, "security requirement names 'cookie', which is not in components/securitySchemes; ignored", severity: .warning, line: 14, column: 11,
                         pointer: "/webhooks/hook/post/security/0/cookie")
        XCTAssertEqual(result.diagnostics.count, 6, render(result.diagnostics))
    }

    func testUnknownFieldIsAWarning() {
        let result = loadDocument(head + "paths:\n  /a:\n    get:\n      operationID: a\n      responses: {}\n")
        assertDiagnostic(result.diagnostics, "unknown field 'operationID' in an Operation object; ignored", severity: .warning, line: 6, column: 7)
        XCTAssertEqual(result.diagnostics.count, 1, render(result.diagnostics))
    }

    func testSeveralIndependentErrorsAreAllReported() throws {
        let text = """
        openapi: 3.0.3
        info:
          title: Many problems
          version: '1'
          version: '2'
        paths:
          /bills/{billId}:
            get:
              operationId: getBill
              parameters:
                - {name: limit, in: querry, schema: {type: integer}}
                - {name: billId, in: path, schema: {type: string}}
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Bil'}
                oops: {description: bad key}
          /suppliers:
            get:
              operationId: getBill
              tags: urgent
              responses: {'200': {description: ok}}
        components:
          schemas:
            Loop: {$ref: '#/components/schemas/Loop'}
            Bounds: {type: string, minLength: 3, maxLength: 1}
        """
        let result = loadDocument(text)
        let document = try XCTUnwrap(result.document, "one bad part does not stop the rest from being read")
        let diagnostics = result.diagnostics
        assertDiagnostic(diagnostics, "duplicate key 'version' in a mapping; first defined at line 4, column 3", line: 5, column: 3)
        assertDiagnostic(diagnostics, "'in' must be one of query, header, path, cookie; found 'querry'", line: 11, column: 29)
        assertDiagnostic(diagnostics, "a path parameter must have 'required: true'; read as required", severity: .warning, line: 12, column: 11)
        assertDiagnostic(diagnostics, "$ref '#/components/schemas/Bil' points to nothing: 'Bil' is not found under '#/components/schemas'",
                         line: 18, column: 30)
        assertDiagnostic(diagnostics, "'oops' is not a response key", line: 19, column: 9)
        assertDiagnostic(diagnostics, "operationId 'getBill' is used twice; first at line 9", line: 22, column: 20)
        assertDiagnostic(diagnostics, "'tags' must be a sequence of strings, found a string", line: 23, column: 13)
        assertDiagnostic(diagnostics, "$ref loop that never reaches a schema: #/components/schemas/Loop -> #/components/schemas/Loop",
                         line: 27, column: 18)
        assertDiagnostic(diagnostics, "minLength 3 is greater than maxLength 1", line: 28, column: 13)
        XCTAssertEqual(errorCount(diagnostics), 8, render(diagnostics))
        XCTAssertEqual(diagnostics.count, 9, render(diagnostics))
        // Sorted for display: by line.
        XCTAssertEqual(Diagnostics.sortedByLocation(diagnostics).map(\.location.line), [5, 11, 12, 18, 19, 22, 23, 27, 28])
        XCTAssertEqual(document.operations.count, 2)
    }
}

/// A small deterministic generator for the random-bytes tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
