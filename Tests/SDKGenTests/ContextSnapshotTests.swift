import Foundation
import OpenAPIDocument
@testable import SDKGen
import XCTest

/// What each template is given, as built by `Render/` from `Fixtures/contexts/spec.yaml` (one of
/// each construct): a snapshot per template context in `Fixtures/contexts/*.json`, the keys
/// `Templates/README.md` documents. `UPDATE_GOLDENS=1` rewrites them after an intended change
/// (then update the README). `TemplateScopeTests` checks the templates read only these keys.
final class ContextSnapshotTests: XCTestCase {
    static func model() throws -> SDKModel {
        let folder = GoldenTests.fixtures.appendingPathComponent("contexts")
        let config = try GeneratorConfig.load(path: folder.appendingPathComponent("config.json").path)
        let (model, diagnostics) = try Generator.model(specPath: folder.appendingPathComponent("spec.yaml").path, config: config)
        return try XCTUnwrap(model, diagnostics.map(\.description).joined(separator: "\n"))
    }

    static var header: TemplateContext { HeaderContext.make(module: "Contexts", specFileName: "spec.yaml", title: "Contexts") }

    func testModelsContext() throws {
        let model = try Self.model()
        try checkSnapshot("Models", ModelContexts.modelsFile(header: Self.header, types: model.types[...], declaresIndirectBox: model.declaresIndirectBox))
    }

    func testSchemasContext() throws {
        try checkSnapshot("Schemas", ModelContexts.schemasFile(header: Self.header, schemaTypes: try Self.model().schemaTypes))
    }

    func testClientContext() throws {
        try checkSnapshot("Client", ClientContext.file(header: Self.header, client: try Self.model().client))
    }

    func testCatalogContext() throws {
        try checkSnapshot("Catalog.md", CatalogContext.make(try Self.model(), specFileName: "spec.yaml"))
    }

    /// Every kind of declaration and every optional key is in the fixture (a snapshot without them
    /// would not show their keys).
    func testFixtureHasEveryConstruct() throws {
        let model = try Self.model()
        let kinds = Set(model.types.map { declaration -> String in
            switch declaration {
            case .structure: return "struct"
            case .enumeration: return "enum"
            case .oneOf: return "oneOf"
            case .wrapper: return "wrapper"
            }
        })
        XCTAssertEqual(kinds, ["struct", "enum", "oneOf", "wrapper"])
        let operations = model.client.resources.flatMap(\.operations)
        XCTAssertEqual(Set(operations.compactMap(\.body?.kind.rawValue)), ["json", "multipart"])
        XCTAssertEqual(Set(operations.map(\.success.kind.rawValue)), ["json", "bytes", "empty"])
        XCTAssertNotNil(operations.first { $0.pagination != nil })
        XCTAssertNotNil(model.client.retry)
        let properties = model.types.compactMap { if case let .structure(s) = $0 { return s } else { return nil } }.flatMap(\.properties)
        XCTAssertTrue(properties.contains(where: \.encodesNull) && properties.contains(where: \.deprecated) && properties.contains(where: \.boxed))
        XCTAssertTrue(model.types.contains { if case let .structure(s) = $0 { return s.additionalProperties != nil } else { return false } })
        XCTAssertTrue(operations.contains { !$0.success.emptyStatuses.isEmpty } && operations.flatMap(\.parameters).contains { $0.arrayStyle != nil })
    }

    /// Compares (or, with `UPDATE_GOLDENS=1`, writes) `Fixtures/contexts/<name>.json`: the context as
    /// JSON with sorted keys, so a difference names the key.
    private func checkSnapshot(_ name: String, _ context: TemplateContext, file: StaticString = #filePath, line: UInt = #line) throws {
        let data = try JSONSerialization.data(withJSONObject: context.jsonObject, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        let text = String(decoding: data, as: UTF8.self) + "\n"
        let url = GoldenTests.fixtures.appendingPathComponent("contexts/\(name).json")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if text != expected {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false), want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let index = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            XCTFail("\(name).json differs at line \(index + 1):\n got: \(index < got.count ? got[index] : "(end)")\nwant: \(index < want.count ? want[index] : "(end)")",
                    file: file, line: line)
        }
    }
}
