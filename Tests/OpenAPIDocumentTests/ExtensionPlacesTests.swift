@testable import OpenAPIDocument
import XCTest

/// `x-` entries in the objects whose other keys are names (Paths, Responses, webhooks)
/// are kept too, and path item `$ref` siblings behave as the spec says.
final class ExtensionPlacesTests: XCTestCase {
    func testExtensionsBesideNamesAreKept() throws {
        let result = loadDocument("""
        openapi: 3.1.0
        info: {title: t, version: v}
        paths:
          x-paths-note: {a: 1}
          /a:
            get:
              responses:
                x-responses-note: [1, 2]
                '200': {description: OK}
        webhooks:
          x-webhooks-note: hello
          Ping:
            post:
              responses:
                '200': {description: OK}
        """)
        XCTAssertEqual(result.diagnostics.count, 0, render(result.diagnostics))
        let document = try XCTUnwrap(result.document)
        XCTAssertEqual(document.pathsExtensions.keys, ["x-paths-note"])
        XCTAssertEqual(document.value(of: document.pathsExtensions["x-paths-note"]!), .object([("a", .integer("1"))]))
        XCTAssertEqual(document.webhooksExtensions.keys, ["x-webhooks-note"])
        XCTAssertEqual(document.operations.first?.responsesExtensions.keys, ["x-responses-note"])
        XCTAssertEqual(document.paths.keys, ["/a"], "extensions are not paths")
        XCTAssertEqual(document.webhookOperations.count, 1)
    }

    func testPathItemReferenceSiblingsOverrideSummaryAndWarnOtherwise() throws {
        let result = loadDocument("""
        openapi: 3.1.0
        info: {title: t, version: v}
        paths:
          /a:
            $ref: '#/components/pathItems/A'
            summary: Overridden
            get: {responses: {'200': {description: OK}}}
        components:
          pathItems:
            A:
              summary: Original
              get: {responses: {'200': {description: OK}}}
        """)
        let document = try XCTUnwrap(result.document)
        XCTAssertEqual(document.paths["/a"]?.summary, "Overridden")
        assertDiagnostic(result.diagnostics, "'get' beside a path item $ref is ignored; only summary and description may override",
                         severity: .warning, line: 7, column: 5)
    }
}
