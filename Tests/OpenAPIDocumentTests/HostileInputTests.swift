import Foundation
import XCTest
@testable import OpenAPIDocument

/// Input written to hurt the front end (issue 10): each test is named after the attack and
/// checks that it ends in a clear diagnostic, never a crash or a read outside the allowed folder.
final class HostileInputTests: XCTestCase {
    private let head = "openapi: 3.1.0\ninfo: {title: t, version: v}\n"

    // MARK: Aliases and nesting

    /// An anchor 200 levels deep used 100 levels down: 300 levels once expanded, over the limit of 256,
    /// although no collection is written deeper than 200.
    func testAliasCannotBypassTheNestingLimit() {
        let deep = String(repeating: "[", count: 200) + "x" + String(repeating: "]", count: 200)
        let text = "anchor: &deep " + deep + "\nuse: " + String(repeating: "[", count: 100) + "*deep" + String(repeating: "]", count: 100) + "\n"
        let result = parseYAML(text)
        XCTAssertFalse(result.complete)
        assertDiagnostic(result.diagnostics, "nesting is deeper than 256 levels (counting what aliases bring in)", line: 2, column: 106)
    }

    /// Each anchor holds the previous one: 1,000 levels reached through 1,000 short lines.
    func testChainOfAliasesCannotBuildDeepNesting() {
        var text = "a0: &a0 [x]\n"
        for i in 1..<1_000 { text += "a\(i): &a\(i) [*a\(i - 1)]\n" }
        let result = parseYAML(text)
        assertDiagnostic(result.diagnostics, "nesting is deeper than 256 levels (counting what aliases bring in)", line: 256, column: 14)
        // Under the limit, the same construction is read in full and every pointer is right.
        let small = parseYAML("a0: &a0 [x]\na1: &a1 [*a0]\na2: [*a1, *a1]\n")
        assertNoDiagnostics(small.diagnostics)
        let tree = small.tree
        XCTAssertEqual(tree.value(tree.node("a2")!), .array([.array([.array([.string("x")])]), .array([.array([.string("x")])])]))
        XCTAssertEqual(tree.pointer(tree.node("a2", "0", "0", "0")!), "/a0/0", "an aliased node's pointer is where it is written")
    }

    // MARK: Chains of $ref

    /// 5,000 parameters, each a `$ref` to the next: followed in a loop, stopped at 100 links
    /// with one error per chain start that crosses the limit, no stack overflow.
    func testLongChainOfNonSchemaReferencesIsCutAtTheLimit() throws {
        var text = head + "paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/P0'}]\n      responses: {'200': {description: ok}}\ncomponents:\n  parameters:\n"
        let count = 5_000
        for i in 0..<count { text += "    P\(i): {$ref: '#/components/parameters/P\(i + 1)'}\n" }
        text += "    P\(count): {name: q, in: query, schema: {type: string}}\n"
        let result = loadDocument(text)
        let chainErrors = result.diagnostics.filter { $0.message.contains("starts a chain of more than 100 $refs") }
        XCTAssertFalse(chainErrors.isEmpty, render(result.diagnostics))
        XCTAssertEqual(chainErrors.first?.message, "$ref '#/components/parameters/P1' starts a chain of more than 100 $refs")
        XCTAssertEqual(result.diagnostics.count, chainErrors.count, "nothing but the chain errors")
    }

    /// A chain under the limit, used by 2,000 operations: resolved (and walked) once.
    func testChainUnderTheLimitIsResolvedOnceForEveryUse() throws {
        var text = head + "paths:\n"
        for i in 0..<2_000 { text += "  /p\(i):\n    get:\n      parameters: [{$ref: '#/components/parameters/P0'}]\n      responses: {'200': {description: ok}}\n" }
        text += "components:\n  parameters:\n"
        for i in 0..<90 { text += "    P\(i): {$ref: '#/components/parameters/P\(i + 1)'}\n" }
        text += "    P90: {name: q, in: query, schema: {type: string}}\n"
        let result = loadDocument(text)
        assertNoDiagnostics(result.diagnostics)
        let document = try XCTUnwrap(result.document)
        XCTAssertEqual(document.operations.count, 2_000)
        XCTAssertTrue(document.operations.allSatisfy { $0.parameters.first?.value.name == "q" })
        XCTAssertEqual(document.operations[0].parameters.first?.reference?.ref, "#/components/parameters/P0")
    }

    /// Callbacks holding callbacks through `$ref`: each hop restarts the YAML depth count, so the
    /// number of objects read inside one another through `$ref`s is limited too.
    func testCallbacksNestedThroughReferencesAreLimited() {
        var text = head + "paths:\n  /a:\n    post:\n      callbacks: {c: {$ref: '#/components/callbacks/C0'}}\n      responses: {'200': {description: ok}}\ncomponents:\n  callbacks:\n"
        for i in 0..<200 {
            text += "    C\(i): {'{$request.body#/u}': {post: {callbacks: {c: {$ref: '#/components/callbacks/C\(i + 1)'}}, responses: {'200': {description: ok}}}}}\n"
        }
        text += "    C200: {'{$request.body#/u}': {post: {responses: {'200': {description: ok}}}}}\n"
        let result = loadDocument(text)
        XCTAssertTrue(result.diagnostics.contains { $0.message == "objects reached through $ref nest more than 64 levels deep here" }, render(result.diagnostics))
    }

    // MARK: Diagnostics on wide mappings

    /// 20,000 sibling schemas, each with an error: every diagnostic has its pointer (found from
    /// the node's index in its parent, not by scanning the siblings).
    func testEveryErrorOfAWideMappingHasItsPointer() {
        var text = head + "components:\n  schemas:\n"
        for i in 0..<20_000 { text += "    S\(i): {type: bogus}\n" }
        let result = loadDocument(text)
        XCTAssertEqual(errorCount(result.diagnostics), 20_000)
        for (i, diagnostic) in result.diagnostics.enumerated() {
            XCTAssertEqual(diagnostic.location.pointer, "/components/schemas/S\(i)/type")
            XCTAssertEqual(diagnostic.location.line, 5 + i)
        }
    }

    // MARK: Files a $ref may read

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// `../`, absolute paths and symlinks out of the spec's folder are refused with the same words
    /// whether the file exists or not; inside the folder (or a wider --ref-root) they are read.
    func testReferencesOutsideTheRootFolderAreRefusedAlike() throws {
        let base = try temporaryFolder()
        let spec = base.appendingPathComponent("api/spec.yaml")
        try write("A: {type: string}\n", to: base.appendingPathComponent("secret.yaml"))
        try write("A: {type: string}\n", to: base.appendingPathComponent("api/schemas/inside.yaml"))
        try FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent("api/link.yaml").path,
                                                   withDestinationPath: base.appendingPathComponent("secret.yaml").path)
        let refs = ["../secret.yaml#/A", "../missing.yaml#/A", base.path + "/secret.yaml#/A", base.path + "/missing.yaml#/A",
                    "/etc/passwd#/A", "/etc/no-such-file#/A", "link.yaml#/A", "schemas/../../secret.yaml#/A"]
        var text = head + "components:\n  schemas:\n"
        for (i, ref) in refs.enumerated() { text += "    R\(i): {$ref: '\(ref)'}\n" }
        text += "    Inside: {$ref: 'schemas/inside.yaml#/A'}\n"
        try write(text, to: spec)

        let result = DocumentLoader.load(path: spec.path)
        let root = base.appendingPathComponent("api").path
        for (i, ref) in refs.enumerated() {
            assertDiagnostic(result.diagnostics, "$ref '\(ref)' points outside the folder $refs may read (\(root)); widen it with --ref-root or the config's \"refRoot\"",
                             line: 5 + i, pointer: "/components/schemas/R\(i)/$ref")
        }
        XCTAssertEqual(result.diagnostics.count, refs.count, render(result.diagnostics))
        let document = try XCTUnwrap(result.document)
        XCTAssertEqual(document.files.count, 2, "the spec and schemas/inside.yaml, nothing else was read")

        // Widened to the parent folder: ../secret.yaml and the symlink are read; missing files are "cannot read".
        let widened = DocumentLoader.load(path: spec.path, refRoot: base.path)
        XCTAssertFalse(widened.diagnostics.contains { $0.message.contains("points outside") && $0.message.contains("secret.yaml") && !$0.message.contains("/etc") },
                       render(widened.diagnostics))
        // `../missing.yaml` and its absolute spelling are one file, reported once (at the first $ref resolved).
        XCTAssertEqual(widened.diagnostics.filter { $0.message == "cannot read the file '\(base.path)/missing.yaml' that this $ref points into" }.count, 1,
                       render(widened.diagnostics))
    }

    /// Files over the size limit are not read (the spec itself, and a file a $ref points into);
    /// folders and other non-regular files cannot be read as documents.
    func testOversizedAndNonRegularFilesAreRefused() throws {
        let base = try temporaryFolder()
        let spec = base.appendingPathComponent("spec.yaml")
        try write(String(repeating: "# padding\n", count: 200) + "A: {type: string}\n", to: base.appendingPathComponent("big.yaml"))
        try FileManager.default.createDirectory(at: base.appendingPathComponent("folder.yaml"), withIntermediateDirectories: true)
        try write(head + "components:\n  schemas:\n    Big: {$ref: 'big.yaml#/A'}\n    Folder: {$ref: 'folder.yaml#/A'}\n", to: spec)
        let limits = YAMLParser.Limits(maxFileBytes: 1_000)
        let result = DocumentLoader.load(path: spec.path, limits: limits)
        assertDiagnostic(result.diagnostics, "the file '\(base.path)/big.yaml' that this $ref points into is larger than 1000 bytes", line: 5)
        assertDiagnostic(result.diagnostics, "cannot read the file '\(base.path)/folder.yaml' that this $ref points into", line: 6)
        let tooBig = DocumentLoader.load(path: base.appendingPathComponent("big.yaml").path, limits: limits)
        assertDiagnostic(tooBig.diagnostics, "the file is larger than 1000 bytes", line: 1, column: 1)
        XCTAssertNil(tooBig.document)
    }

    // MARK: Diagnostics stay one line

    /// A key with a line break and a right-to-left override: the printed diagnostic is one line
    /// with the characters escaped, so spec text cannot forge a diagnostic or reorder one.
    func testDiagnosticTextCannotForgeLinesOrReorderThem() {
        let result = loadDocument(head + "paths: {}\ncomponents:\n  schemas:\n    \"S\\nspec.yaml:1:1: error: forged\\u202E\": {type: bogus}\n")
        let printed = result.diagnostics.map(\.description)
        XCTAssertEqual(printed.count, 2, printed.joined(separator: "\n"))
        for line in printed {
            XCTAssertFalse(line.contains("\n") || line.unicodeScalars.contains("\u{202E}"), line)
        }
        XCTAssertTrue(printed.contains { $0.hasSuffix("(at #/components/schemas/S\\u{a}spec.yaml:1:1: error: forged\\u{202e}/type)") }, printed.joined(separator: "\n"))
    }
}
