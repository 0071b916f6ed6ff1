import Foundation

/// A generated module's config (`Generated/<Module>/payables-gen.json`).
///
/// ```json
/// {
///   "module": "CodatSyncPayables",
///   "spec": "../../specs/Codat-Sync-Payables.yaml",
///   "typeOverrides": { "#/components/schemas/Connection/properties/created": "DateTime" },
///   "templates": "../../Templates",
///   "modelFiles": 4,
///   "refRoot": "../.."
/// }
/// ```
/// Relative paths are relative to the config file's folder.
public struct GeneratorConfig: Codable, Sendable, Equatable {
    /// The Swift module (and the client type) name.
    public var module: String
    /// The OpenAPI document.
    public var spec: String?
    /// JSON pointer of a schema -> the Swift type to use wherever that schema appears.
    public var typeOverrides: [String: String]
    /// A template folder to use instead of the package's `Templates/`.
    public var templates: String?
    /// How many files the models are split into (rendered and compiled in parallel).
    public var modelFiles: Int
    /// The folder whose files the spec's `$ref`s may read (default: the spec's folder).
    public var refRoot: String?

    public init(module: String, spec: String? = nil, typeOverrides: [String: String] = [:], templates: String? = nil, modelFiles: Int = 4,
                refRoot: String? = nil) {
        self.module = module
        self.spec = spec
        self.typeOverrides = typeOverrides
        self.templates = templates
        self.modelFiles = modelFiles
        self.refRoot = refRoot
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        module = try c.decode(String.self, forKey: .module)
        spec = try c.decodeIfPresent(String.self, forKey: .spec)
        typeOverrides = try c.decodeIfPresent([String: String].self, forKey: .typeOverrides) ?? [:]
        templates = try c.decodeIfPresent(String.self, forKey: .templates)
        modelFiles = try c.decodeIfPresent(Int.self, forKey: .modelFiles) ?? 4
        refRoot = try c.decodeIfPresent(String.self, forKey: .refRoot)
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a config; relative paths in it are made absolute against the config's folder.
    public static func load(path: String) throws -> GeneratorConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "\(path): error: cannot read the generator config")
        }
        var config: GeneratorConfig
        do {
            config = try JSONDecoder().decode(GeneratorConfig.self, from: data)
        } catch {
            throw LoadError(description: "\(path):1:1: error: invalid generator config: \(error)")
        }
        guard config.modelFiles >= 1 && config.modelFiles <= 64 else {
            throw LoadError(description: "\(path):1:1: error: 'modelFiles' must be between 1 and 64")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func absolute(_ p: String?) -> String? {
            guard let p else { return nil }
            return p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardizedFileURL.path
        }
        config.spec = absolute(config.spec)
        config.templates = absolute(config.templates)
        config.refRoot = absolute(config.refRoot)
        return config
    }

    /// The files `generate` writes for this config, in a fixed order: the build plugin
    /// declares exactly these as outputs.
    public var outputFiles: [String] {
        (0..<modelFiles).map { "\(module)Models\($0).swift" } + ["\(module)Schemas.swift", "\(module)Client.swift"]
    }
}
