import Foundation
import OpenAPIDocument

/// A generated module's DocC landing page (`Generated/<Module>/<Module>.docc/<Module>.md`),
/// rendered from `Catalog.md.mustache` with the same `SDKModel` the Swift files come from.
///
/// SwiftPM reads a target's `.docc` catalog from its sources when the package loads, before any
/// build plugin runs, so the page is written by `payables-gen docs` and committed; a test
/// renders it again and compares (it cannot drift from the document or the templates).
public enum CatalogRenderer {
    /// The template (in the template folder) the landing page is rendered from.
    public static let templateName = "Catalog.md"

    /// Reads and translates the document exactly as `Generator.generate` does, and renders the
    /// page (`templatesFolder`: overrides of the built-in templates, as for `generate`). `text`
    /// is nil when the document or its translation has errors (see `diagnostics`).
    public static func render(specPath: String, config: GeneratorConfig, templatesFolder: String? = nil) throws -> (text: String?, diagnostics: [Diagnostic]) {
        let (model, diagnostics) = try Generator.model(specPath: specPath, config: config)
        guard let model else { return (nil, diagnostics) }
        let renderer = try TemplateRenderer(overrides: templatesFolder)
        return (try renderer.renderCatalog(model, specFileName: URL(fileURLWithPath: specPath).lastPathComponent), diagnostics)
    }

    /// Where `payables-gen docs` writes the page for a module whose config is in `configFolder`.
    public static func defaultOutputPath(configFolder: String, module: String) -> String {
        URL(fileURLWithPath: configFolder).appendingPathComponent("\(module).docc/\(module).md").path
    }
}

extension TemplateRenderer {
    /// Renders the landing page from `Catalog.md.mustache`.
    public func renderCatalog(_ model: SDKModel, specFileName: String) throws -> String {
        guard let text = library.render(.object(CatalogContext.make(model, specFileName: specFileName)), withTemplate: CatalogRenderer.templateName) else {
            throw RenderError(description: "error: template '\(CatalogRenderer.templateName)' failed to render")
        }
        return text
    }
}

extension SDKModel {
    /// The models a caller meets first: request bodies, responses and the elements of paged
    /// lists, in the order the client's resources use them (declared types only, each once).
    public var mainModels: [SwiftName] {
        let declared = Set(types.map(\.name))
        var seen = Set<SwiftName>(), ordered: [SwiftName] = []
        for resource in client.resources {
            for operation in resource.operations {
                var refs: [TypeRef] = []
                if let body = operation.body, body.kind == .json { refs.append(body.type) }
                if operation.success.kind == .json { refs.append(operation.success.type) }
                if let pagination = operation.pagination { refs.append(pagination.elementType) }
                for ref in refs {
                    guard let name = ref.innermostDeclaredName, declared.contains(name), seen.insert(name).inserted else { continue }
                    ordered.append(name)
                }
            }
        }
        return ordered
    }

    /// The declared types of the webhooks' payloads, in the document's order, but the main models.
    public var webhookModels: [SwiftName] {
        let declared = Set(types.map(\.name))
        var seen = Set(mainModels), ordered: [SwiftName] = []
        for (pointer, type) in schemaTypes where pointer.hasPrefix("#/webhooks/") {
            guard let name = type.innermostDeclaredName, declared.contains(name), seen.insert(name).inserted else { continue }
            ordered.append(name)
        }
        return ordered
    }
}

/// The context of `Catalog.md.mustache` (keys: `Templates/README.md`). Names are identifiers
/// without backticks: DocC links and code spans take them as they are.
enum CatalogContext {
    static func make(_ model: SDKModel, specFileName: String) -> TemplateContext {
        let summary = { (lines: [String]) -> String in
            // The first paragraph, on one line: a list item cannot span the document's line breaks.
            lines.prefix { !$0.isEmpty }.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        }
        return [
            .module: .string(model.moduleName), .spec: .string(specFileName), .title: .string(model.title),
            .client: .string(ClientDeclaration.typeName),
            .credentials: .strings(model.client.credentials.map(\.label.identifier)),
            .resources: .objects(model.client.resources.map { resource -> TemplateContext in
                // `module` and `client` again: the resource's lines link through them.
                [.module: .string(model.moduleName), .client: .string(ClientDeclaration.typeName),
                 .property: .string(resource.property.identifier), .typeName: .string(resource.typeName.identifier), .summary: .string(summary(resource.doc)),
                 .methods: .string(resource.operations.map(\.methodName.identifier).joined(separator: "`, `"))]
            }),
            .models: .strings(model.mainModels.map(\.identifier)),
            // A module without operations (only webhooks) has a `Client` with nothing to call: the page leaves it out.
            .hasClient: .bool(!model.client.resources.isEmpty),
            .webhookModels: .strings(model.webhookModels.map(\.identifier)), .hasWebhookModels: .bool(!model.webhookModels.isEmpty),
        ]
    }
}
