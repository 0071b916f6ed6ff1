import Foundation
import OpenAPIDocument
@testable import SDKGen
import XCTest

/// Snippet tests (apple/swift-openapi-generator's `SnippetBasedReferenceTests` are the model): a
/// fragment of a document in, the Swift the templates make of it and the diagnostics out. Each
/// test is one translation rule; the whole-file goldens (`GoldenTests`) stay for whole files.
///
/// The fragment is placed in a minimal document (`openapi`, `info`, one server); diagnostics are
/// compared as `severity: message (at #/pointer)`, the pointer saying where in the fragment.
extension XCTestCase {
    /// `components.schemas` (the YAML of the map's entries) -> the declarations they become, as
    /// `Models.mustache` writes them (after the file's header and imports).
    /// `files`: other files beside the document (path relative to it -> text), for `$ref`s to them.
    func assertSchemas(_ schemasYAML: String, files: [String: String] = [:], _ expectedSwift: String, diagnostics expected: [String] = [], openapi: String = "3.1.0",
                       file: StaticString = #filePath, line: UInt = #line, function: String = #function) throws {
        let document = "components:\n  schemas:\n" + indented(schemasYAML, by: 4)
        let (model, diagnostics) = try translate(document, openapi: openapi, files: files, file: file, line: line)
        XCTAssertEqual(diagnostics, expected, "diagnostics", file: file, line: line)
        guard let model else { return }
        let header = HeaderContext.make(module: "Snippet", specFileName: "snippet.yaml", title: "Snippet")
        let context = ModelContexts.modelsFile(header: header, types: model.types[...], declaresIndirectBox: model.declaresIndirectBox)
        let text = try render("Models", context)
        assertSwift(body(of: text, after: "import PayablesRuntime\n"), expectedSwift, test: function, file: file, line: line)
    }

    /// `paths` (and optionally `components` and top-level extensions, as YAML) -> the client's
    /// resources as `Client.mustache` writes them (from the first `extension Client`).
    func assertPaths(_ pathsYAML: String, components: String = "", topLevel: String = "", _ expectedSwift: String,
                     diagnostics expected: [String] = [], openapi: String = "3.1.0", file: StaticString = #filePath, line: UInt = #line, function: String = #function) throws {
        var document = topLevel.isEmpty ? "" : topLevel + "\n"
        document += "paths:\n" + indented(pathsYAML, by: 2)
        if !components.isEmpty { document += "components:\n" + indented(components, by: 2) }
        let (model, diagnostics) = try translate(document, openapi: openapi, file: file, line: line)
        XCTAssertEqual(diagnostics, expected, "diagnostics", file: file, line: line)
        guard let model else { return }
        let header = HeaderContext.make(module: "Snippet", specFileName: "snippet.yaml", title: "Snippet")
        let text = try render("Client", ClientContext.file(header: header, client: model.client))
        guard let start = text.range(of: "\nextension Client {\n") else {
            XCTFail("no resource in:\n\(text)", file: file, line: line)
            return
        }
        assertSwift(String(text[text.index(after: start.lowerBound)...]), expectedSwift, test: function, file: file, line: line)
    }

    /// The client type itself (`public struct Client` up to its resources' extensions).
    func assertClientType(topLevel: String, _ expectedSwift: String, diagnostics expected: [String] = [],
                          file: StaticString = #filePath, line: UInt = #line, function: String = #function) throws {
        let (model, diagnostics) = try translate(topLevel + "\npaths: {}\n", openapi: "3.1.0", file: file, line: line)
        XCTAssertEqual(diagnostics, expected, "diagnostics", file: file, line: line)
        guard let model else { return }
        let header = HeaderContext.make(module: "Snippet", specFileName: "snippet.yaml", title: "Snippet")
        let text = try render("Client", ClientContext.file(header: header, client: model.client))
        guard let start = text.range(of: "public struct Client") else {
            XCTFail("no client in:\n\(text)", file: file, line: line)
            return
        }
        assertSwift(String(text[start.lowerBound...]), expectedSwift, test: function, file: file, line: line)
    }

    // MARK: Support

    private func translate(_ fragment: String, openapi: String, files: [String: String] = [:], file: StaticString, line: UInt) throws -> (SDKModel?, [String]) {
        let folder = try temporaryFolder()
        for (relativePath, text) in files {
            let url = folder.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let path = folder.appendingPathComponent("snippet.yaml").path
        let text = "openapi: \(openapi)\ninfo: {title: Snippet, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n" + fragment
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let (model, diagnostics) = try Generator.model(specPath: path, config: GeneratorConfig(module: "Snippet"))
        let described = diagnostics.map { d -> String in
            "\(d.severity.rawValue): \(d.message)" + (d.location.pointer.isEmpty ? "" : " (at #\(d.location.pointer))")
        }
        if model == nil { XCTFail("the snippet has errors:\n" + described.joined(separator: "\n"), file: file, line: line) }
        return (model, described)
    }

    private func render(_ template: String, _ context: TemplateContext) throws -> String {
        let renderer = try TemplateRenderer()
        return try XCTUnwrap(renderer.library.render(.object(context), withTemplate: template))
    }

    private func body(of text: String, after marker: String) -> String {
        guard let range = text.range(of: marker) else { return text }
        return String(text[range.upperBound...])
    }

    private func indented(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n") + "\n"
    }

    /// Compares without leading and trailing blank lines; on a difference, shows both whole and
    /// the first line that differs.
    private func assertSwift(_ actual: String, _ expected: String, test: String, file: StaticString, line: UInt) {
        let trim = { (text: String) in text.trimmingCharacters(in: .newlines) }
        let a = trim(actual), b = trim(expected)
        guard a != b else { return }
        let aLines = a.split(separator: "\n", omittingEmptySubsequences: false), bLines = b.split(separator: "\n", omittingEmptySubsequences: false)
        let index = zip(aLines, bLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(aLines.count, bLines.count)
        let got = index < aLines.count ? String(aLines[index]) : "(end)", want = index < bLines.count ? String(bLines[index]) : "(end)"
        if let folder = ProcessInfo.processInfo.environment["SNIPPET_ACTUAL"] {
            try? Data(a.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent("\(test.replacingOccurrences(of: "()", with: "")).swift"))
        }
        XCTFail("line \(index + 1) differs\n got: \(got)\nwant: \(want)\n--- got:\n\(a)\n--- want:\n\(b)", file: file, line: line)
    }
}
