import CodatWebhooks
import Foundation
import XCTest

/// The webhook payload module (`CodatPlatformWebhooks`, generated through the filter from
/// `webhooks` of `Codat-Platform.yaml`) and `CodatWebhookEvent` against the document's own
/// webhook examples (CODAT-FACTS.md §4: payload schemas are the document's `webhooks`).
final class WebhookExamplesTests: XCTestCase {
    static let spec = "Codat-Platform.yaml"

    static func webhookExamples() -> [SpecExample] {
        SpecExamples.load(spec).examples.filter { $0.pointer.hasPrefix("#/webhooks/") }
    }

    /// `#/webhooks/{dataType}.write.successful/post/...` -> `{dataType}.write.successful`.
    static func webhookName(_ pointer: String) -> String {
        let token = pointer.dropFirst("#/webhooks/".count).split(separator: "/", maxSplits: 1)[0]
        return token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    func testEventEnumCoversTheDocumentsWebhooks() throws {
        let names = try XCTUnwrap(documentWebhookNames(Self.spec), "\(Self.spec) loads")
        XCTAssertEqual(names.count, 16)
        XCTAssertEqual(Set(CodatWebhookEvent.documentedEventTypes), Set(names),
                       "a webhook added to the document needs a case of CodatWebhookEvent (until then it decodes as .unknown)")
    }

    func testEveryWebhookExampleRoundTripsThroughItsGeneratedModel() {
        let examples = Self.webhookExamples()
        XCTAssertGreaterThanOrEqual(examples.count, 16, "every webhook has at least one example")
        for example in examples {
            guard let schemaPointer = example.schemaPointer else { XCTFail("no schema: \(example.pointer)"); continue }
            XCTAssertNil(ExampleRoundTripTests.failure(of: example, type: CodatPlatformWebhooksSchemas.types[schemaPointer], schemaPointer: schemaPointer),
                         example.pointer)
        }
    }

    /// Each example decodes, by its `eventType`, to the case of the webhook it illustrates.
    func testEveryWebhookExampleDecodesToItsEventCase() throws {
        for example in Self.webhookExamples() {
            let event = try CodatWebhookEvent.decode(try example.json.get())
            let name = Self.webhookName(example.pointer)
            XCTAssertEqual(event.eventType, name, example.pointer)
            if case .unknown = event { XCTFail("decoded as unknown: \(example.pointer)") }
            if name.contains(".write.") {
                let write = try XCTUnwrap(event.write, example.pointer)
                XCTAssertEqual(write.dataType, "{dataType}")
                XCTAssertEqual(write.successful, name.hasSuffix(".successful"))
                XCTAssertNotNil(write.webhook.payload?.id, "the write request (push operation) id: \(example.pointer)")
            }
        }
    }
}
