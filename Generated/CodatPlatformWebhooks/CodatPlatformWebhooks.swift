/// The payloads of Codat's webhooks (`webhooks` of `specs/Codat-Platform.yaml`): the models of
/// the webhooks' request bodies and the schemas they need, nothing else of the document.
///
/// Generated at build time by the `PayablesGeneratorPlugin` from the spec, `payables-gen.json`
/// beside this file (its `filter` selects the webhooks) and the templates in `Templates/`.
/// `CodatWebhooks` decodes a message into these types by its `eventType` (`CodatWebhookEvent`).
/// This file is the module's only hand-written source: SwiftPM drops a target with none.
@_exported import PayablesRuntime
