/// Codat's synchronous Bill Pay API (`specs/Codat-Sync-Payables.yaml`).
///
/// The client (`CodatSyncPayables`, one resource per tag), the models and the schema registry of this
/// module are generated at build time by the `PayablesGeneratorPlugin` from the spec,
/// `payables-gen.json` beside this file and the templates in `Templates/`. The client's
/// type has the module's name: in a file that also imports the other module, name a model
/// with a module selector (`CodatSyncPayables::Bill`).
/// This file is the module's only hand-written source: SwiftPM drops a target with none.
@_exported import PayablesRuntime
