import Foundation
@testable import SDKGen
import XCTest

/// The generated modules' DocC landing pages (`Generated/<Module>/<Module>.docc/<Module>.md`)
/// are committed, because SwiftPM reads a catalog before any build plugin runs; these tests
/// keep them equal to what `payables-gen docs` renders now from the pinned documents.
final class CatalogTests: XCTestCase {
    func testCommittedLandingPagesAreWhatTheGeneratorRendersNow() throws {
        let generated = GoldenTests.packageRoot.appendingPathComponent("Generated")
        let modules = try FileManager.default.contentsOfDirectory(atPath: generated.path).sorted()
            .filter { FileManager.default.fileExists(atPath: generated.appendingPathComponent("\($0)/payables-gen.json").path) }
        XCTAssertEqual(modules, ["CodatPlatformWebhooks", "CodatSyncPayables", "CodatSyncPayablesV1"])
        for module in modules {
            let configPath = generated.appendingPathComponent("\(module)/payables-gen.json").path
            let config = try GeneratorConfig.load(path: configPath)
            let spec = try XCTUnwrap(config.spec)
            guard FileManager.default.fileExists(atPath: spec) else {
                return XCTFail("\(spec) is missing: run `bash specs/sync.sh`")
            }
            let (text, diagnostics) = try CatalogRenderer.render(specPath: spec, config: config, templatesFolder: config.templates)
            let rendered = try XCTUnwrap(text, diagnostics.map(\.description).joined(separator: "\n"))
            let path = CatalogRenderer.defaultOutputPath(configFolder: generated.appendingPathComponent(module).path, module: module)
            let committed = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(committed == rendered,
                          "\(path) differs from what the generator renders now: run `swift run payables-gen docs --config Generated/\(module)/payables-gen.json`")
        }
    }

    /// The `client` fixture: resources Orders and Files, models from bodies, responses and pages.
    func testLandingPageListsTheClientItsResourcesAndTheMainModels() throws {
        let folder = GoldenTests.fixtures.appendingPathComponent("client")
        let config = try GeneratorConfig.load(path: folder.appendingPathComponent("config.json").path)
        let (text, diagnostics) = try CatalogRenderer.render(specPath: folder.appendingPathComponent("spec.yaml").path, config: config,
                                                            templatesFolder: GoldenTests.templates)
        let page = try XCTUnwrap(text, diagnostics.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(page.hasPrefix("# ``Shop``\n"), "the page is the module's: \(page.prefix(80))")
        for link in ["``Shop/Client``", "``Shop/ShopError``", "``Shop/ShopSchemas``",
                     "``Shop/Client/orders``", "``Shop/Client/OrdersResource``", "``Shop/Client/files``", "``Shop/Client/FilesResource``",
                     "``Shop/Order``"] {
            XCTAssertTrue(page.contains(link), "\(link) missing from:\n\(page)")
        }
        XCTAssertTrue(page.contains("``Shop/Client/orders``: Orders placed in the shop. (`list`, `createOrder`, `get`, `cancel`)"),
                      "a resource with its summary and its methods, in order:\n\(page)")
        XCTAssertTrue(page.contains("let client = Shop.Client(apiKey: \"…\", transport: URLSessionTransport())"),
                      "a client made with the document's credentials:\n\(page)")
    }

    /// A module with webhooks and no operations (as `CodatPlatformWebhooks`): the page is its
    /// models, lists the webhooks' payloads, and mentions no client.
    func testWebhooksOnlyPageHasNoClient() throws {
        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("hooks.yaml")
        try Data("""
            openapi: 3.1.0
            info: {title: Hooks, version: '1'}
            security: [{auth: []}]
            components:
              securitySchemes:
                auth: {type: apiKey, in: header, name: Authorization}
              schemas:
                Company:
                  type: object
                  properties: {id: {type: string}}
            webhooks:
              company.created:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/Company'}
                  responses: {'200': {description: Received.}}
            """.utf8).write(to: spec)
        let (text, diagnostics) = try CatalogRenderer.render(specPath: spec.path, config: GeneratorConfig(module: "Hooks"))
        let page = try XCTUnwrap(text, diagnostics.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(page.contains("The models of Hooks, generated from `hooks.yaml`."), page)
        XCTAssertTrue(page.contains("### Webhook payloads\n\n- ``Hooks/Company``\n"), page)
        XCTAssertTrue(page.contains("``Hooks/HooksSchemas``"), page)
        for text in ["Client", "HooksError", "### Resources", "URLSessionTransport"] {
            XCTAssertFalse(page.contains(text), "\(text) in:\n\(page)")
        }
    }
}
