import Foundation
import XCTest
@testable import OpenAPIDocument

// Shared helpers for the front-end tests: parse or load inline text, find a diagnostic by
// message text and location, walk a YAML tree by pointer.

/// Parses YAML (or JSON) text with the stage-1 parser.
func parseYAML(_ text: String, file: String = "test.yaml", limits: YAMLParser.Limits = .init()) -> YAMLParser.Result {
    YAMLParser.parse(Array(text.utf8), file: file, limits: limits)
}

/// Loads an in-memory document; `files` supplies the files relative `$ref`s point into (by standardized path).
func loadDocument(_ text: String, path: String = "/spec/api.yaml", files: [String: String] = [:],
                  limits: YAMLParser.Limits = .init()) -> DocumentLoader.Result {
    loadDocument(bytes: Array(text.utf8), path: path, files: files, limits: limits)
}

func loadDocument(bytes: [UInt8], path: String = "/spec/api.yaml", files: [String: String] = [:],
                  limits: YAMLParser.Limits = .init()) -> DocumentLoader.Result {
    DocumentLoader.load(path: path, bytes: bytes, limits: limits) { requested in
        files[requested].map { Array($0.utf8) }
    }
}

func render(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.isEmpty ? "(no diagnostics)" : diagnostics.map { "    \($0)" }.joined(separator: "\n")
}

/// Asserts that exactly one diagnostic of `severity` contains `message` and sits at `line` (and
/// `column`, `pointer` when given); returns it. On failure, prints every diagnostic.
@discardableResult
func assertDiagnostic(_ diagnostics: [Diagnostic], _ message: String, severity: Diagnostic.Severity = .error,
                      line: Int, column: Int? = nil, pointer: String? = nil, file: String? = nil,
                      sourceFile: StaticString = #filePath, sourceLine: UInt = #line) -> Diagnostic? {
    let matches = diagnostics.filter { $0.severity == severity && $0.message.contains(message) }
    guard matches.count == 1, let found = matches.first else {
        XCTFail("expected one \(severity) containing \"\(message)\", found \(matches.count) in:\n\(render(diagnostics))",
                file: sourceFile, line: sourceLine)
        return nil
    }
    XCTAssertEqual(found.location.line, line, "line of: \(found)", file: sourceFile, line: sourceLine)
    if let column { XCTAssertEqual(found.location.column, column, "column of: \(found)", file: sourceFile, line: sourceLine) }
    if let pointer { XCTAssertEqual(found.location.pointer, pointer, "pointer of: \(found)", file: sourceFile, line: sourceLine) }
    if let file { XCTAssertEqual(found.location.file, file, "file of: \(found)", file: sourceFile, line: sourceLine) }
    return found
}

func assertNoErrors(_ diagnostics: [Diagnostic], sourceFile: StaticString = #filePath, sourceLine: UInt = #line) {
    let errors = diagnostics.filter { $0.severity == .error }
    XCTAssertTrue(errors.isEmpty, "unexpected errors:\n\(render(errors))", file: sourceFile, line: sourceLine)
}

func assertNoDiagnostics(_ diagnostics: [Diagnostic], sourceFile: StaticString = #filePath, sourceLine: UInt = #line) {
    XCTAssertTrue(diagnostics.isEmpty, "unexpected diagnostics:\n\(render(diagnostics))", file: sourceFile, line: sourceLine)
}

func errorCount(_ diagnostics: [Diagnostic]) -> Int { diagnostics.filter { $0.severity == .error }.count }

extension YAMLTree {
    /// The node at an (unescaped) path of mapping keys and sequence indexes, from the root.
    func node(_ path: String...) -> YAMLNodeID? {
        guard var current = root else { return nil }
        for component in path {
            switch kind(current) {
            case .mapping:
                guard let next = value(current, forKey: component) else { return nil }
                current = next
            case .sequence:
                guard let index = Int(component), index < count(current) else { return nil }
                current = Array(items(current))[index]
            case .scalar:
                return nil
            }
        }
        return current
    }

    /// The key node of a mapping entry (for locations of keys).
    func keyNode(_ mapping: YAMLNodeID, _ key: String) -> YAMLNodeID? {
        pairs(mapping).first { scalar($0.key) == key }?.key
    }
}

extension OpenAPIDocument {
    /// A component schema by name.
    func componentSchema(_ name: String) -> JSONSchema? {
        components.schemas[name].map { schemas[$0] }
    }

    func operation(_ method: HTTPMethod, _ path: String) -> APIOperation? {
        paths[path]?.operations.first { $0.method == method }
    }

    /// The string values of an `enum`.
    func enumStrings(_ schema: JSONSchema) -> [String]? {
        schema.enumValues?.map { value(of: $0).stringValue ?? "<not a string: \(value(of: $0))>" }
    }

    func line(of ref: NodeRef) -> Int { location(of: ref).line }
}

/// The package root, from this file's path (Tests/OpenAPIDocumentTests/TestSupport.swift).
let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The 1-based line of the first line of `text` containing `marker` (so expected lines follow edits).
func lineNumber(of marker: String, in text: String, occurrence: Int = 1) -> Int {
    var seen = 0
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(marker) {
        seen += 1
        if seen == occurrence { return index + 1 }
    }
    XCTFail("marker '\(marker)' not found \(occurrence) times")
    return -1
}

/// The 1-based column where `marker` starts on its line (first occurrence).
func columnNumber(of marker: String, in text: String) -> Int {
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if let range = line.range(of: marker) { return line.distance(from: line.startIndex, to: range.lowerBound) + 1 }
    }
    XCTFail("marker '\(marker)' not found")
    return -1
}
