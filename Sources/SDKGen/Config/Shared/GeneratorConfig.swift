import Foundation

// Shared with the plugins through symlinks (Plugins/*/Shared): Foundation only. The CLI, the
// build plugin and the generate-sdk command read a config with this one type, and take the
// output file names from `outputFiles`.

/// A generated module's config (`Generated/<Module>/payables-gen.json`).
///
/// ```json
/// {
///   "module": "CodatSyncPayables",
///   "spec": "../../specs/Codat-Sync-Payables.yaml",
///   "typeOverrides": { "#/components/schemas/Connection/properties/created": "DateTime" },
///   "templates": "MyTemplates",
///   "modelFiles": 4,
///   "refRoot": "../..",
///   "filter": { "tags": ["Bills"], "operations": ["get-bill"], "paths": ["/companies/{companyId}/bills"],
///               "schemas": ["Bill"], "webhooks": ["company.created"] }
/// }
/// ```
/// Relative paths are relative to the config file's folder. A key the generator does not know,
/// or a value of the wrong kind, is an error located at the key (`file:line:column: error: ...`).
public struct GeneratorConfig: Sendable, Equatable {
    /// The Swift module (and the client type) name.
    public var module: String
    /// The OpenAPI document.
    public var spec: String?
    /// JSON pointer of a schema -> the Swift type to use wherever that schema appears.
    public var typeOverrides: [String: String]
    /// A folder of templates that replace the built-in ones file by file (`struct.mustache` there
    /// replaces the built-in `struct.mustache`; the others stay built in).
    public var templates: String?
    /// How many files the models are split into (rendered and compiled in parallel).
    public var modelFiles: Int
    /// The folder whose files the spec's `$ref`s may read (default: the spec's folder).
    public var refRoot: String?
    /// Generate only part of the document; nil: all of it.
    public var filter: Filter?
    /// The file the config was read from and where its keys are; nil for a config made in code.
    public var origin: Origin?

    /// What to generate of the document: the operations selected by tag, operationId or path,
    /// the webhooks selected by name, the component schemas selected by name, and every schema
    /// these need (the `$ref` closure). With a filter, what it does not select is not generated.
    public struct Filter: Sendable, Equatable {
        /// Operations with any of these tags (their first tag or another).
        public var tags: [String]
        /// Operations with these `operationId`s.
        public var operations: [String]
        /// Every operation of these path templates, as written under `paths` (`/bills/{billId}`).
        public var paths: [String]
        /// Component schemas (names under `components/schemas`) generated whether or not an operation uses them.
        public var schemas: [String]
        /// Webhooks (names under `webhooks`): their request-body schemas become models; no client method.
        public var webhooks: [String]

        public init(tags: [String] = [], operations: [String] = [], paths: [String] = [], schemas: [String] = [], webhooks: [String] = []) {
            self.tags = tags
            self.operations = operations
            self.paths = paths
            self.schemas = schemas
            self.webhooks = webhooks
        }

        /// The config keys of a filter, in the order they are documented.
        public static let keys = ["tags", "operations", "paths", "schemas", "webhooks"]
    }

    public struct Origin: Sendable, Equatable {
        public var file: String
        public var json: LocatedJSON

        /// Where the key or value at `pointer` (`/filter/tags/0`) is written, else its closest parent.
        public func position(of pointer: String) -> LocatedJSON.Position { json.position(of: pointer) }
    }

    /// A config that cannot be used: what is wrong and where (`file:line:column: error: message`).
    public struct ConfigError: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var line: Int
        public var column: Int
        public var message: String

        public init(file: String, line: Int, column: Int, message: String) {
            self.file = file
            self.line = line
            self.column = column
            self.message = message
        }

        public var description: String { "\(file):\(line):\(column): error: \(message)" }
    }

    /// The config keys, in the order they are documented.
    public static let keys = ["module", "spec", "typeOverrides", "templates", "modelFiles", "refRoot", "filter"]
    public static let modelFilesRange = 1...64

    public init(module: String, spec: String? = nil, typeOverrides: [String: String] = [:], templates: String? = nil, modelFiles: Int = 4,
                refRoot: String? = nil, filter: Filter? = nil) {
        self.module = module
        self.spec = spec
        self.typeOverrides = typeOverrides
        self.templates = templates
        self.modelFiles = modelFiles
        self.refRoot = refRoot
        self.filter = filter
    }

    /// Reads a config; relative paths in it are made absolute against the config's folder.
    public static func load(path: String) throws(ConfigError) -> GeneratorConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: 1, column: 1, message: "cannot read the generator config")
        }
        return try GeneratorConfig(json: data, file: path)
    }

    /// Reads a config's text; `file` is where it was read from (for error locations and relative paths).
    public init(json data: Data, file: String) throws(ConfigError) {
        let json: LocatedJSON
        do {
            json = try LocatedJSON(data: data)
        } catch {
            throw ConfigError(file: file, line: error.position.line, column: error.position.column,
                              message: "the generator config is not valid JSON: \(error.message)")
        }
        let origin = Origin(file: file, json: json)
        func fail(_ pointer: String, _ message: String) -> ConfigError { origin.error(message, at: pointer) }

        guard case let .object(members) = json.root else { throw fail("", "the generator config must be a JSON object, not \(json.root.kindName)") }
        var values: [String: LocatedJSON.Value] = [:]
        for member in members {
            guard Self.keys.contains(member.key) else {
                throw fail("/" + LocatedJSON.escape(member.key), "unknown key '\(member.key)' in the generator config (known: \(Self.keys.joined(separator: ", ")))")
            }
            values[member.key] = member.value
        }
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let value = values[key] else { return nil }
            guard case let .string(text) = value, !text.isEmpty else { throw fail("/\(key)", "'\(key)' must be a non-empty string, not \(value.kindName)") }
            return text
        }
        guard let module = try string("module") else { throw fail("", "the generator config names no 'module' (the Swift module name)") }
        let isIdentifier = module.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
            && module.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard isIdentifier else { throw fail("/module", "module name '\(module)' is not a Swift identifier (ASCII letters, digits and _)") }
        self.init(module: module)
        self.origin = origin

        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        func absolute(_ path: String?) -> String? {
            guard let path else { return nil }
            return path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
        }
        spec = absolute(try string("spec"))
        templates = absolute(try string("templates"))
        refRoot = absolute(try string("refRoot"))

        if let value = values["typeOverrides"] {
            guard case let .object(entries) = value else { throw fail("/typeOverrides", "'typeOverrides' must be an object (schema pointer -> Swift type), not \(value.kindName)") }
            for entry in entries {
                guard case let .string(type) = entry.value, !type.isEmpty else {
                    throw fail("/typeOverrides/" + LocatedJSON.escape(entry.key), "the type override for '\(entry.key)' must be a Swift type name in a string, not \(entry.value.kindName)")
                }
                typeOverrides[entry.key] = type
            }
        }
        if let value = values["modelFiles"] {
            guard case let .number(text) = value, let count = Int(text), Self.modelFilesRange.contains(count) else {
                throw fail("/modelFiles", "'modelFiles' must be a whole number from \(Self.modelFilesRange.lowerBound) to \(Self.modelFilesRange.upperBound)")
            }
            modelFiles = count
        }
        if let value = values["filter"] {
            filter = try Filter(value, origin: origin)
        }
    }

    /// The files `generate` writes for this config, in a fixed order: the build plugin declares
    /// exactly these as outputs, the renderer writes them, the command plugin reports them.
    public var outputFiles: [String] {
        (0..<modelFiles).map { "\(module)Models\($0).swift" } + ["\(module)Schemas.swift", "\(module)Client.swift"]
    }
}

extension GeneratorConfig.Origin {
    /// An error located at the key or value `pointer` names.
    public func error(_ message: String, at pointer: String) -> GeneratorConfig.ConfigError {
        let position = position(of: pointer)
        return GeneratorConfig.ConfigError(file: file, line: position.line, column: position.column, message: message)
    }
}

extension GeneratorConfig.Filter {
    init(_ value: LocatedJSON.Value, origin: GeneratorConfig.Origin) throws(GeneratorConfig.ConfigError) {
        guard case let .object(members) = value else {
            throw origin.error("'filter' must be an object with any of \(Self.keys.joined(separator: ", ")), not \(value.kindName)", at: "/filter")
        }
        self.init()
        for member in members {
            let pointer = "/filter/" + LocatedJSON.escape(member.key)
            guard Self.keys.contains(member.key) else {
                throw origin.error("unknown key '\(member.key)' in 'filter' (known: \(Self.keys.joined(separator: ", ")))", at: pointer)
            }
            guard case let .array(elements) = member.value else {
                throw origin.error("'filter.\(member.key)' must be an array of strings, not \(member.value.kindName)", at: pointer)
            }
            var names: [String] = []
            for (i, element) in elements.enumerated() {
                guard case let .string(name) = element, !name.isEmpty else {
                    throw origin.error("'filter.\(member.key)' must hold non-empty strings, not \(element.kindName)", at: "\(pointer)/\(i)")
                }
                names.append(name)
            }
            switch member.key {
            case "tags": tags = names
            case "operations": operations = names
            case "paths": paths = names
            case "schemas": schemas = names
            default: webhooks = names
            }
        }
    }
}
