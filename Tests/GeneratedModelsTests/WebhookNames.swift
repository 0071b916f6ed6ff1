import Foundation
import OpenAPIDocument

// Imports only OpenAPIDocument (its names would clash with generated ones), like SpecExamples.

/// The names under `webhooks` of `specs/<fileName>`, in document order; nil if it does not load.
func documentWebhookNames(_ fileName: String) -> [String]? {
    let path = packageRoot.appendingPathComponent("specs").appendingPathComponent(fileName).path
    return DocumentLoader.load(path: path).document?.webhooks.keys
}
