/// Codat's asynchronous Bill Pay API, "Sync for Payables" v1 (`specs/Codat-Sync-Payables-v1.yaml`).
///
/// The models of this module are generated at build time by the `PayablesGeneratorPlugin`
/// from the spec, `payables-gen.json` beside this file and the templates in `Templates/`.
/// This file is the module's only hand-written source: SwiftPM drops a target with none.
@_exported import PayablesRuntime
