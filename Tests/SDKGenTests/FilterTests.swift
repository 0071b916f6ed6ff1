import Foundation
import OpenAPIDocument
@testable import SDKGen
import XCTest

/// The config's `filter`: a small document in, the declared types and client methods out
/// (read from the generated Swift), and the diagnostics a filter entry gets.
final class FilterTests: XCTestCase {
    /// Two tags' operations, two webhooks, a discriminated one-of and schemas nothing uses.
    static let document = """
        openapi: 3.1.0
        info: {title: Shop, version: '1'}
        servers: [{url: 'https://shop.example'}]
        tags:
          - name: Bills
          - name: Unused
        paths:
          /bills:
            get:
              operationId: list-bills
              tags: [Bills]
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Bills'}}}}
          /bills/{billId}:
            parameters: [{name: billId, in: path, required: true, schema: {$ref: '#/components/schemas/BillId'}}]
            get:
              operationId: get-bill
              tags: [Bills]
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Bill'}}}}
          /suppliers:
            post:
              operationId: create-supplier
              tags: [Suppliers]
              requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Supplier'}}}}
              responses: {'200': {description: ok}}
        webhooks:
          bill.paid:
            post:
              operationId: on-bill-paid
              requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/BillPaidEvent'}}}}
              responses: {'200': {description: ok}}
          supplier.created:
            post:
              requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/SupplierCreatedEvent'}}}}
              responses: {'200': {description: ok}}
        components:
          schemas:
            BillId: {type: string, enum: [b1, b2]}
            Bills: {type: object, properties: {results: {type: array, items: {$ref: '#/components/schemas/Bill'}}}}
            Bill:
              type: object
              properties:
                id: {type: string}
                status: {$ref: '#/components/schemas/BillStatus'}
                supplier: {$ref: '#/components/schemas/SupplierRef'}
            BillStatus: {type: string, enum: [Open, Paid]}
            SupplierRef: {type: object, properties: {id: {type: string}}}
            Supplier: {type: object, properties: {name: {type: string}, address: {$ref: '#/components/schemas/Address'}}}
            Address: {type: object, properties: {line1: {type: string}}}
            BillPaidEvent: {type: object, properties: {eventType: {type: string}, payload: {$ref: '#/components/schemas/Bill'}}}
            SupplierCreatedEvent: {type: object, properties: {payload: {$ref: '#/components/schemas/Supplier'}}}
            Unrelated: {type: object, properties: {x: {type: string}}}
            Pet:
              oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
              discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
            Cat: {type: object, properties: {kind: {type: string}, meow: {type: boolean}}}
            Dog: {type: object, properties: {kind: {type: string}, bark: {type: boolean}}}

        """

    static let billTypes: Set<String> = ["Bills", "Bill", "BillId", "BillStatus", "SupplierRef"]

    func testNoFilterGeneratesEverything() throws {
        let out = try generate(filter: nil)
        XCTAssertEqual(out.types, Self.billTypes.union(["Supplier", "Address", "BillPaidEvent", "SupplierCreatedEvent", "Unrelated", "Pet", "Cat", "Dog"]))
        XCTAssertEqual(out.methods, ["listBills", "getBill", "createSupplier"].sorted())
    }

    func testTagsSelectTheirOperationsAndTheSchemasThoseNeed() throws {
        let out = try generate(filter: #"{"tags": ["Bills"]}"#)
        XCTAssertEqual(out.types, Self.billTypes, "the tag's operations, their parameter and response schemas, what those reference; no webhooks")
        XCTAssertEqual(out.methods, ["getBill", "listBills"])
        XCTAssertEqual(out.diagnostics, [])
    }

    func testOperationsSelectByOperationId() throws {
        let out = try generate(filter: #"{"operations": ["create-supplier"]}"#)
        XCTAssertEqual(out.types, ["Supplier", "Address"])
        XCTAssertEqual(out.methods, ["createSupplier"])
    }

    func testPathsSelectEveryOperationOfThePath() throws {
        let out = try generate(filter: #"{"paths": ["/bills/{billId}"]}"#)
        XCTAssertEqual(out.types, ["Bill", "BillId", "BillStatus", "SupplierRef"], "the path-level parameter's schema too")
        XCTAssertEqual(out.methods, ["getBill"])
    }

    /// What the webhooks helper needs: only the webhooks' payloads and the schemas they reach.
    func testWebhooksSelectTheirPayloadsAsModelsAndNoClientMethod() throws {
        let out = try generate(filter: #"{"webhooks": ["bill.paid"]}"#, typeCheck: true)
        XCTAssertEqual(out.types, ["BillPaidEvent", "Bill", "BillStatus", "SupplierRef"])
        XCTAssertEqual(out.methods, [])
        XCTAssertTrue(out.schemas.contains("#/components/schemas/BillPaidEvent"), out.schemas)
        XCTAssertFalse(out.schemas.contains("#/components/schemas/Unrelated"), out.schemas)
    }

    func testSchemasSelectThemselvesAndWhatTheyReach() throws {
        let out = try generate(filter: #"{"schemas": ["Pet"]}"#, typeCheck: true)
        XCTAssertEqual(out.types, ["Pet", "Cat", "Dog"], "a one-of's members (and its discriminator mapping)")
        XCTAssertEqual(out.methods, [])
    }

    func testSelectionsAddUp() throws {
        let out = try generate(filter: #"{"tags": ["Bills"], "webhooks": ["supplier.created"], "schemas": ["Unrelated"]}"#, typeCheck: true)
        XCTAssertEqual(out.types, Self.billTypes.union(["SupplierCreatedEvent", "Supplier", "Address", "Unrelated"]))
        XCTAssertEqual(out.methods, ["getBill", "listBills"])
    }

    /// Unfiltered output is unchanged by the stage: the same bytes with and without an all-selecting filter.
    func testAFilterSelectingEverythingChangesNothing() throws {
        let all = #"{"paths": ["/bills", "/bills/{billId}", "/suppliers"], "webhooks": ["bill.paid", "supplier.created"], "#
            + #""schemas": ["BillId", "Bills", "Bill", "BillStatus", "SupplierRef", "Supplier", "Address", "BillPaidEvent", "SupplierCreatedEvent", "Unrelated", "Pet", "Cat", "Dog"]}"#
        XCTAssertEqual(try generate(filter: all).files, try generate(filter: nil).files)
    }

    // MARK: Entries that name nothing

    /// A tag the document does not have is an error at the entry, and nothing is written.
    func testAnUnknownTagIsALocatedErrorAndNothingIsGenerated() throws {
        let out = try generate(filter: """
            {
              "filter": {
                "tags": ["Bills", "Bils"]
              }
            }
            """, wholeConfig: true)
        XCTAssertEqual(out.diagnostics, ["\(out.config):4:23: error: filter: spec.yaml has no tag 'Bils'; it has 'Bills', 'Suppliers'"])
        XCTAssertEqual(out.files, [:], "nothing is written")
    }

    func testADeclaredTagNoOperationHasIsAWarning() throws {
        let out = try generate(filter: #"{"tags": ["Unused", "Bills"]}"#)
        XCTAssertEqual(out.diagnostics, ["\(out.config):1:40: warning: filter: no operation of spec.yaml has the tag 'Unused' (it is declared, but selects nothing)"])
        XCTAssertEqual(out.types, Self.billTypes)
    }

    func testUnknownOperationsPathsSchemasAndWebhooksAreLocatedErrors() throws {
        let out = try generate(filter: """
            {"module": "Shop", "filter": {
              "operations": ["list-bills", "listBills", "on-bill-paid"],
              "paths": ["/bills/{id}"],
              "schemas": ["bill"],
              "webhooks": ["bill.created"]
            }}
            """, wholeConfig: true, addModule: false)
        XCTAssertEqual(out.diagnostics, [
            "\(out.config):2:32: error: filter: spec.yaml has no operation with operationId 'listBills'; it has 'list-bills', 'get-bill', 'create-supplier'",
            "\(out.config):2:45: error: filter: 'on-bill-paid' is a webhook's operation; select webhooks by name under 'webhooks'",
            "\(out.config):3:13: error: filter: spec.yaml has no path '/bills/{id}' under 'paths'; it has '/bills', '/bills/{billId}', '/suppliers'",
            "\(out.config):4:15: error: filter: spec.yaml has no schema 'bill' under 'components/schemas'; it has 'BillId', 'Bills', 'Bill', 'BillStatus', "
                + "'SupplierRef', 'Supplier', 'Address', 'BillPaidEvent', 'SupplierCreatedEvent', 'Unrelated', 'Pet', 'Cat' and 1 more",
            "\(out.config):5:16: error: filter: spec.yaml has no webhook 'bill.created' under 'webhooks'; it has 'bill.paid', 'supplier.created'",
        ])
    }

    func testAnEmptyFilterWarnsThatItSelectsNothing() throws {
        let out = try generate(filter: "{}")
        XCTAssertEqual(out.diagnostics, ["\(out.config):1:20: warning: the filter selects nothing (no tags, operations, paths, schemas or webhooks): only an empty client is generated"])
        XCTAssertEqual(out.types, [])
        XCTAssertEqual(out.methods, [])
    }

    // MARK: Helpers

    struct Output {
        var config: String
        var types: Set<String>
        var methods: [String]
        var schemas: String
        var diagnostics: [String]
        var files: [String: String]
    }

    /// Writes the document and a config (`{"module": "Shop", "filter": FILTER}` on one line, or
    /// `filter` as the whole config), generates, and reads the declarations back from the files.
    func generate(filter: String?, wholeConfig: Bool = false, addModule: Bool = true, typeCheck: Bool = false,
                  file: StaticString = #filePath, line: UInt = #line) throws -> Output {
        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("spec.yaml")
        try Data(Self.document.utf8).write(to: spec)
        var configText = #"{"module": "Shop"}"#
        if let filter {
            configText = wholeConfig ? filter : #"{"module": "Shop", "filter": "# + filter + "}"
        }
        if wholeConfig && addModule {
            configText = configText.replacingOccurrences(of: "{\n", with: "{\n  \"module\": \"Shop\",\n", options: [], range: configText.range(of: "{\n"))
        }
        let configURL = folder.appendingPathComponent("payables-gen.json")
        try Data(configText.utf8).write(to: configURL)
        let config = try GeneratorConfig.load(path: configURL.path)
        let output = folder.appendingPathComponent("out")
        let outcome = try Generator.generate(specPath: spec.path, config: config, outputFolder: output.path)
        var files: [String: String] = [:]
        for path in outcome.writtenFiles {
            files[URL(fileURLWithPath: path).lastPathComponent] = try String(contentsOfFile: path, encoding: .utf8)
        }
        let models = files.filter { $0.key.hasPrefix("ShopModels") }.values.joined()
        let types = Set(matches(of: #"(?m)^public (?:struct|enum|indirect enum) (\w+)"#, in: models))
        let methods = matches(of: #"(?m)^        public func (\w+)\("#, in: files["ShopClient.swift"] ?? "").sorted()
        if typeCheck, !outcome.hasErrors { try self.typeCheck(output, file: file, line: line) }
        return Output(config: configURL.path, types: types, methods: methods, schemas: files["ShopSchemas.swift"] ?? "",
                      diagnostics: Diagnostics.sortedByLocation(outcome.diagnostics).map(\.description), files: files)
    }

    private func matches(of pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
