import Foundation
import XCTest
@testable import OpenAPIDocument

/// The two real Codat documents (fetched by specs/sync.sh), checked against their own text.
final class CodatSpecTests: XCTestCase {
    static let syncFile = "Codat-Sync-Payables.yaml"
    static let v1File = "Codat-Sync-Payables-v1.yaml"

    struct Loaded {
        var path: String
        var text: String
        var lines: [Substring]
        var result: DocumentLoader.Result
    }

    /// Each document is loaded once for the whole class.
    nonisolated(unsafe) private static var cache: [String: Loaded] = [:]

    private func load(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Loaded {
        if let loaded = Self.cache[name] { return loaded }
        let path = packageRoot.appendingPathComponent("specs").appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path) else {
            XCTFail("\(path) is missing: run specs/sync.sh", file: file, line: line)
            throw XCTSkip("missing \(name)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let loaded = Loaded(path: path, text: text, lines: text.split(separator: "\n", omittingEmptySubsequences: false),
                            result: DocumentLoader.load(path: path))
        Self.cache[name] = loaded
        return loaded
    }

    private func document(_ loaded: Loaded, file: StaticString = #filePath, line: UInt = #line) throws -> OpenAPIDocument {
        try XCTUnwrap(loaded.result.document, render(loaded.result.diagnostics), file: file, line: line)
    }

    // MARK: Reading the text without the parser

    /// A block found by indentation alone: the 1-based line of its key and its body lines
    /// (the value written on the key's line, if any, is `inline`).
    struct Block {
        var keyLine: Int
        var inline: String
        var body: [Substring]
        var bodyStart: Int

        /// `key: value` directly in this block (first level only).
        func scalar(_ key: String) -> String? {
            let indent = childIndent
            for line in body where Self.indent(line) == indent {
                let text = line.dropFirst(indent)
                if text.hasPrefix(key + ":") { return String(text.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }

        /// The items `- x` of a block sequence under `key`.
        func sequence(_ key: String) -> [String]? {
            guard let sub = child(key) else { return nil }
            return sub.body.compactMap { line in
                let text = line.trimmingCharacters(in: .whitespaces)
                return text.hasPrefix("- ") ? String(text.dropFirst(2)) : nil
            }
        }

        /// The text of a `|-` literal block scalar under `key`.
        func literal(_ key: String) -> String? {
            guard let sub = child(key), sub.inline == "|-" else { return nil }
            let indent = sub.childIndent
            var lines = sub.body.map { $0.count >= indent ? String($0.dropFirst(indent)) : "" }
            while lines.last == "" { lines.removeLast() }
            return lines.joined(separator: "\n")
        }

        var childIndent: Int { body.first { !$0.allSatisfy { $0 == " " } }.map(Self.indent) ?? 0 }

        func child(_ key: String) -> Block? { Block.find(key, in: body, startLine: bodyStart, indent: childIndent) }

        static func indent(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }

        static func find(_ key: String, in lines: [Substring], startLine: Int, indent: Int) -> Block? {
            for (i, line) in lines.enumerated() where Self.indent(line) == indent {
                let text = line.dropFirst(indent)
                guard text.hasPrefix(key + ":") else { continue }
                var body: [Substring] = []
                for next in lines[(i + 1)...] {
                    if next.allSatisfy({ $0 == " " }) || Self.indent(next) > indent { body.append(next) } else { break }
                }
                return Block(keyLine: startLine + i, inline: String(text.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces),
                             body: body, bodyStart: startLine + i + 1)
            }
            return nil
        }
    }

    private func block(_ loaded: Loaded, _ path: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Block {
        var current = Block(keyLine: 0, inline: "", body: loaded.lines[...].map { $0 }, bodyStart: 1)
        for key in path {
            current = try XCTUnwrap(current.child(key), "no '\(key)' in the text on the way to \(path.joined(separator: "/"))", file: file, line: line)
        }
        return current
    }

    private func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first { return String(text.dropFirst().dropLast()) }
        return text
    }

    /// The schema a pointer leads to, through the reader's own `$ref` resolution.
    private func schema(at pointer: String, in document: OpenAPIDocument, file: StaticString = #filePath, line: UInt = #line) throws -> (SchemaID, JSONSchema) {
        // A schema elsewhere that refers to the pointer, or the node itself when it was read as a schema.
        if let referring = document.schemas.all.first(where: { $0.ref?.ref == pointer }), let target = referring.ref?.target {
            return (target, document.schemas[target])
        }
        let tree = document.files[0].tree
        var node = try XCTUnwrap(tree.root, file: file, line: line)
        for component in try JSONPointer.components(ofFragment: String(pointer.dropFirst())) {
            node = try XCTUnwrap(tree.value(node, forKey: component), "no \(component) in \(pointer)", file: file, line: line)
        }
        let id = try XCTUnwrap(document.schemas.id(at: NodeRef(file: 0, node: node)), "\(pointer) was not read as a schema", file: file, line: line)
        return (id, document.schemas[id])
    }

    // MARK: Tests

    func testBothDocumentsReadWithoutErrors() throws {
        for name in [Self.syncFile, Self.v1File] {
            let loaded = try load(name)
            XCTAssertEqual(errorCount(loaded.result.diagnostics), 0, "\(name):\n" + render(loaded.result.diagnostics))
            let document = try document(loaded)
            XCTAssertEqual(document.openapi, "3.1.0", name)
            XCTAssertEqual(document.files.count, 1, name)
        }
    }

    func testOperationCounts() throws {
        for (name, expected) in [(Self.syncFile, 25), (Self.v1File, 63)] {
            let loaded = try load(name)
            let document = try document(loaded)
            XCTAssertEqual(document.operations.count, expected, name)
            // The same count from the text: method keys at the operation level of `paths`.
            let paths = try block(loaded, ["paths"])
            let methods = Set(HTTPMethod.allCases.map { $0.rawValue + ":" })
            let textCount = paths.body.filter { Block.indent($0) == 4 && methods.contains($0.trimmingCharacters(in: .whitespaces)) }.count
            XCTAssertEqual(textCount, expected, name)
            // Path keys, in order (some are quoted in the text).
            let pathKeys = paths.body.filter { Block.indent($0) == 2 }.map { unquote(String($0.trimmingCharacters(in: .whitespaces).dropLast())) }
            XCTAssertEqual(document.paths.keys, pathKeys, name)
            // operationIds are unique (the reader would have reported a duplicate).
            let ids = document.operations.compactMap(\.operationId)
            XCTAssertEqual(Set(ids).count, ids.count, name)
        }
    }

    func testSupplierStatusDefinitionMatchesTheText() throws {
        for name in [Self.syncFile, Self.v1File] {
            let loaded = try load(name)
            let document = try document(loaded)
            let pointer = "#/components/schemas/Supplier/definitions/supplierStatus"
            let (id, schema) = try schema(at: pointer, in: document)
            let text = try block(loaded, ["components", "schemas", "Supplier", "definitions", "supplierStatus"])

            XCTAssertEqual(text.scalar("description"), "Status of the supplier.", name)
            XCTAssertEqual(schema.description, text.scalar("description"), name)
            XCTAssertEqual(schema.types, JSONTypeSet(name: try XCTUnwrap(text.scalar("type"))), name)
            XCTAssertEqual(schema.types, .string, name)
            let values = try XCTUnwrap(text.sequence("enum"), name)
            XCTAssertEqual(values, ["Unknown", "Active", "Archived"], name)
            XCTAssertEqual(document.enumStrings(schema), values, name)
            // Read where it is written: the line after its key, the same id as the definition.
            XCTAssertEqual(document.line(of: schema.source), text.keyLine + 1, name)
            XCTAssertEqual(document.componentSchema("Supplier")?.definitions["supplierStatus"], id, name)
            XCTAssertEqual(document.location(of: schema.source).pointer, "/components/schemas/Supplier/definitions/supplierStatus", name)
        }
    }

    func testConnectionCreatedPropertyMatchesTheText() throws {
        for name in [Self.syncFile, Self.v1File] {
            let loaded = try load(name)
            let document = try document(loaded)
            let (id, schema) = try schema(at: "#/components/schemas/Connection/properties/created", in: document)
            let text = try block(loaded, ["components", "schemas", "Connection", "properties", "created"])

            XCTAssertEqual(schema.title, text.scalar("title"), name)
            XCTAssertEqual(schema.title, "Date time", name)
            XCTAssertEqual(schema.types, JSONTypeSet(name: try XCTUnwrap(text.scalar("type"))), name)
            let description = try XCTUnwrap(text.literal("description"), name)
            XCTAssertTrue(description.hasPrefix("In Codat's data model, dates and times are represented using the"), name)
            XCTAssertEqual(schema.description, description, name)
            let examples = try XCTUnwrap(text.sequence("examples")).map(unquote)
            XCTAssertEqual(examples, ["2022-10-23T00:00:00Z", "2022-10-23"], name)
            XCTAssertEqual(schema.examples.map { document.value(of: $0) }, examples.map { .string($0) }, name)
            XCTAssertEqual(document.line(of: schema.source), text.keyLine + 1, name)
            // `lastSync` refers to it (with a sibling `nullable`).
            let connection = try XCTUnwrap(document.componentSchema("Connection"))
            XCTAssertEqual(connection.properties["created"], id, name)
            let lastSync = document.schemas[try XCTUnwrap(connection.properties["lastSync"], name)]
            XCTAssertEqual(lastSync.ref?.target, id, name)
            XCTAssertTrue(lastSync.nullable, name)
        }
    }

    func testBillsDefinitionMatchesTheText() throws {
        let loaded = try load(Self.syncFile)
        let document = try document(loaded)
        let (id, schema) = try schema(at: "#/components/schemas/Bill/definitions/bills", in: document)
        let text = try block(loaded, ["components", "schemas", "Bill", "definitions", "bills"])

        XCTAssertEqual(schema.title, text.scalar("title"))
        XCTAssertEqual(schema.title, "Bills")
        XCTAssertEqual(schema.types, JSONTypeSet(name: try XCTUnwrap(text.scalar("type"))))
        XCTAssertEqual(schema.types, .object)
        let propertyNames = try XCTUnwrap(text.child("properties")).body.compactMap { line -> String? in
            guard Block.indent(line) == text.childIndent + 2 else { return nil }
            return String(line.trimmingCharacters(in: .whitespaces).dropLast())
        }
        XCTAssertEqual(propertyNames, ["results", "pagination"])
        XCTAssertEqual(schema.properties.keys, propertyNames)

        let resultsText = try XCTUnwrap(text.child("properties")?.child("results"))
        XCTAssertEqual(resultsText.scalar("type"), "array")
        let itemsRef = unquote(try XCTUnwrap(resultsText.child("items")?.scalar("$ref")))
        XCTAssertEqual(itemsRef, "#/components/schemas/Bill")
        let results = document.schemas[try XCTUnwrap(schema.properties["results"])]
        XCTAssertEqual(results.types, .array)
        let items = document.schemas[try XCTUnwrap(results.items)]
        XCTAssertEqual(items.ref?.ref, itemsRef)
        XCTAssertEqual(items.ref?.target, document.components.schemas["Bill"], "recursive: the list of bills holds Bill")

        let paginationRef = unquote(try XCTUnwrap(text.child("properties")?.child("pagination")?.scalar("$ref")))
        let pagination = document.schemas[try XCTUnwrap(schema.properties["pagination"])]
        XCTAssertEqual(pagination.ref?.ref, paginationRef)
        XCTAssertEqual(pagination.ref?.target, document.components.schemas["Pagination"])
        XCTAssertEqual(document.line(of: schema.source), text.keyLine + 1)
        XCTAssertEqual(document.componentSchema("Bill")?.definitions["bills"], id)
    }

    func testTheOnlyWarningIsTheNullableSummary() throws {
        for name in [Self.syncFile, Self.v1File] {
            let loaded = try load(name)
            let warnings = loaded.result.diagnostics.filter { $0.severity == .warning }
            XCTAssertEqual(warnings.count, 1, "\(name):\n" + render(warnings))
            XCTAssertEqual(loaded.result.diagnostics.count, 1, "\(name):\n" + render(loaded.result.diagnostics))
            // Every `nullable:` in the text is a schema keyword here; the summary counts them all and points at the first.
            let uses = loaded.lines.enumerated().filter { $0.element.trimmingCharacters(in: .whitespaces).hasPrefix("nullable:") }
            XCTAssertGreaterThan(uses.count, 0, name)
            let first = try XCTUnwrap(uses.first)
            assertDiagnostic(warnings, "'nullable' is an OpenAPI 3.0 keyword, not part of 3.1's JSON Schema; read as type [..., \"null\"]; write `type: [T, \"null\"]` instead (\(uses.count) times in this document; first here)",
                             severity: .warning, line: first.offset + 1, column: Block.indent(first.element) + 1 + "nullable: ".count,
                             file: loaded.path)
        }
        XCTAssertEqual(try load(Self.syncFile).lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("nullable:") }.count, 73)
        XCTAssertEqual(try load(Self.v1File).lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("nullable:") }.count, 208)
    }
}
