import CodatSyncPayables
import CodatSyncPayablesV1
import Foundation
import SeedExampleSupport
import XCTest

/// Every request and response example of both documents decodes into the type the generated
/// registry (`<Module>Schemas.types`) gives its media type's schema, and re-encodes to JSON equal
/// in value to the example.
///
/// "Equal in value": both sides are parsed into `JSONTree`, numbers compared as exact `Decimal`
/// (never `Double`), object member order ignored, and an object member that is `null` is equal to
/// a missing one, because `JSONEncoder` omits nil optionals: an example's explicit `null` comes
/// back as an absent key.
///
/// Examples that fail must be listed below, by the example's pointer, with the reason; the test
/// fails when an unlisted example fails and when a listed one passes (or no longer exists).
final class ExampleRoundTripTests: XCTestCase {
    /// Company examples, the same in both documents, carry `platform`, which the Company schema does not declare.
    static let companyExamplesWithPlatform: [String: KnownBad] = [
        "#/paths/~1companies/get/responses/200/content/application~1json/examples/One company/value":
            KnownBad("the example has a member `platform` that the Company schema does not declare; the model drops it",
                     failure: "$.results[0].platform: missing after round trip"),
        "#/paths/~1companies/get/responses/200/content/application~1json/examples/List of Companies/value":
            KnownBad("the example has a member `platform` that the Company schema does not declare; the model drops it",
                     failure: "$.results[0].platform: missing after round trip"),
        "#/paths/~1companies/post/responses/200/content/application~1json/examples/With no description/value":
            KnownBad("the example has a member `platform` that the Company schema does not declare; the model drops it",
                     failure: "$.platform: missing after round trip"),
        "#/paths/~1companies/post/responses/200/content/application~1json/examples/With a description/value":
            KnownBad("the example has a member `platform` that the Company schema does not declare; the model drops it",
                     failure: "$.platform: missing after round trip"),
        "#/paths/~1companies/post/responses/200/content/application~1json/examples/With a tag/value":
            KnownBad("the example has a member `platform` that the Company schema does not declare; the model drops it",
                     failure: "$.platform: missing after round trip"),
        "#/paths/~1companies~1{companyId}/get/responses/200/content/application~1json/examples/Simple company/value":
            KnownBad("the example has a member `platform` that the Company schema does not declare; the model drops it",
                     failure: "$.platform: missing after round trip"),
        "#/paths/~1companies~1{companyId}/get/responses/200/content/application~1json/examples/Parent multi-entity company/value":
            KnownBad("the example has a member `platform` that the Company schema does not declare; the model drops it",
                     failure: "$.platform: missing after round trip"),
        "#/paths/~1companies~1{companyId}/get/responses/200/content/application~1json/examples/Subsidiary multi-entity company/value":
            KnownBad("the example has a member `platform` that the Company schema does not declare; the model drops it",
                     failure: "$.platform: missing after round trip"),
    ]

    /// Examples of `specs/Codat-Sync-Payables.yaml` that break their own schema.
    static let knownBadSync: [String: KnownBad] = companyExamplesWithPlatform.merging([
        "#/paths/~1companies~1{companyId}~1connections~1{connectionId}~1payables~1mappingOptions~1bills/get/responses/200/content/application~1json/examples/Mapping options/value":
            KnownBad("taxRates[0].sourceModifiedDate is not declared by BillMappingOptions/definitions/taxRateMappingOption (unlike accountMappingOption, it does not include BankAccount/allOf/1); the model drops it",
                     failure: "$.taxRates[0].sourceModifiedDate: missing after round trip"),
        "#/paths/~1companies~1{companyId}~1connections~1{connectionId}~1payables~1bills/get/responses/200/content/application~1json/examples/Bills/value":
            KnownBad(#"results[0].currencyRate is the string "1,"; the schema says type number, format decimal"#,
                     failure: "$.results[0].currencyRate: type mismatch, expected Decimal"),
    ]) { first, _ in first }

    /// Examples of `specs/Codat-Sync-Payables-v1.yaml` that break their own schema.
    static let knownBadV1: [String: KnownBad] = companyExamplesWithPlatform.merging([
        "#/paths/~1companies~1{companyId}~1data~1taxRates/get/responses/200/content/application~1json/examples/Clear Books/value":
            KnownBad("results[1] has members temp_IsAutomaticRate and temp_IsTaxable that the TaxRate schema does not declare; the model drops them",
                     failure: "$.results[1].temp_IsAutomaticRate: missing after round trip"),
        "#/paths/~1companies~1{companyId}~1data~1taxRates/get/responses/200/content/application~1json/examples/QuickBooks Desktop/value":
            KnownBad("results[0] and results[1] have a member temp_IsTaxable that the TaxRate schema does not declare; the model drops it",
                     failure: "$.results[0].temp_IsTaxable: missing after round trip"),
        "#/paths/~1companies~1{companyId}~1data~1taxRates~1{taxRateId}/get/responses/200/content/application~1json/examples/QuickBooks Desktop/value":
            KnownBad("the example has a member temp_IsTaxable that the TaxRate schema does not declare; the model drops it",
                     failure: "$.temp_IsTaxable: missing after round trip"),
    ]) { first, _ in first }

    func testSyncPayablesExamplesRoundTrip() throws {
        try checkExamples("Codat-Sync-Payables.yaml", types: CodatSyncPayablesSchemas.types, knownBad: Self.knownBadSync)
    }

    func testSyncPayablesV1ExamplesRoundTrip() throws {
        try checkExamples("Codat-Sync-Payables-v1.yaml", types: CodatSyncPayablesV1Schemas.types, knownBad: Self.knownBadV1)
    }

    // MARK: Machinery

    /// Why an example is expected to fail, and a fragment of the failure message it must produce
    /// (so a listed example that starts failing for another reason is reported too).
    struct KnownBad {
        var reason: String
        var failure: String
        init(_ reason: String, failure: String) {
            self.reason = reason
            self.failure = failure
        }
    }

    private func checkExamples(_ spec: String, types: [String: any (Codable & Sendable).Type], knownBad: [String: KnownBad],
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let loaded = SpecExamples.load(spec)
        XCTAssertEqual(loaded.diagnostics, [], "\(spec) loads without errors", file: file, line: line)
        XCTAssertFalse(loaded.examples.isEmpty, "\(spec) has examples", file: file, line: line)

        var passed = 0, knownBadFailed = 0, skipped = 0
        var met = Set<String>()
        for example in loaded.examples {
            met.insert(example.pointer)
            guard let schemaPointer = example.schemaPointer else {
                skipped += 1 // a media type with an example and no schema: nothing to decode into
                print("  skipped (no schema): \(example.pointer) [\(example.usage)]")
                continue
            }
            let failure = Self.failure(of: example, type: types[schemaPointer], schemaPointer: schemaPointer)
            switch (failure, knownBad[example.pointer]) {
            case (nil, nil):
                passed += 1
            case let (nil, known?):
                XCTFail("\(spec): known-bad example now round-trips; remove it from the list: \(example.pointer) (listed as: \(known.reason))",
                        file: file, line: line)
            case let (message?, known?):
                knownBadFailed += 1
                if !message.contains(known.failure) {
                    XCTFail("\(spec): known-bad example fails differently than listed: \(example.pointer): \(message) (listed as: \(known.reason); expected a failure mentioning \"\(known.failure)\")",
                            file: file, line: line)
                }
            case let (message?, nil):
                XCTFail("\(spec): \(example.pointer) [\(example.usage)] -> \(schemaPointer): \(message)", file: file, line: line)
            }
        }
        for pointer in knownBad.keys.sorted() where !met.contains(pointer) {
            XCTFail("\(spec): known-bad entry names no example of the document: \(pointer)", file: file, line: line)
        }
        print("\(spec): \(loaded.examples.count) examples: passed \(passed), known bad \(knownBadFailed)"
            + (skipped > 0 ? ", skipped (no schema) \(skipped)" : ""))
    }

    /// Why an example does not round-trip through `type`, or nil when it does.
    static func failure(of example: SpecExample, type: (any (Codable & Sendable).Type)?, schemaPointer: String) -> String? {
        let input: Data, expected: JSONTree
        do {
            input = try example.json.get()
            expected = try example.expected.get()
        } catch {
            return "example is not JSON: \(error)"
        }
        guard let type else { return "no type registered for \(schemaPointer)" }
        let output: Data
        do {
            output = try roundTrip(type, input)
        } catch {
            return "\(type) does not decode it: \(describe(error))"
        }
        let actual: JSONTree
        do {
            actual = try JSONTree.parse(output)
        } catch {
            return "re-encoded \(type) is not JSON (\(error)): \(String(decoding: output, as: UTF8.self))"
        }
        return JSONTree.difference(expected, actual).map { "\(type) re-encodes differently: \($0)" }
    }
}

/// Decodes `data` as `T` and encodes the result again.
func roundTrip<T: Codable>(_ type: T.Type, _ data: Data) throws -> Data {
    let value = try JSONDecoder().decode(T.self, from: data)
    return try JSONEncoder().encode(value)
}

/// A decoding error with the JSON path it happened at.
func describe(_ error: any Error) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        "$" + keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case let .typeMismatch(type, context): return "\(path(context.codingPath)): type mismatch, expected \(type): \(context.debugDescription)"
    case let .valueNotFound(type, context): return "\(path(context.codingPath)): value not found, expected \(type): \(context.debugDescription)"
    case let .keyNotFound(key, context): return "\(path(context.codingPath + [key])): required key missing: \(context.debugDescription)"
    case let .dataCorrupted(context): return "\(path(context.codingPath)): data corrupted: \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
}
