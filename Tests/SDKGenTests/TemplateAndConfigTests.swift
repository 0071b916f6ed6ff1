import Foundation
import OpenAPIDocument
@testable import SDKGen
import XCTest

/// The built-in templates and their overrides, the config's located errors, and the built
/// `payables-gen` run from a folder that is not the package.
final class TemplateAndConfigTests: XCTestCase {
    // MARK: Built-in templates

    /// What payables-gen has compiled in (Render/BuiltInTemplates.swift) is `Templates/`, every file, byte for byte.
    func testBuiltInTemplatesAreTheTemplatesFolderByteForByte() throws {
        let folder = GoldenTests.packageRoot.appendingPathComponent("Templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        let rewrite = "run `swift run payables-embed-templates Sources/SDKGen/Render/BuiltInTemplates.swift Templates/*.mustache`"
        XCTAssertEqual(Set(BuiltInTemplates.texts.keys), Set(files.map { String($0.dropLast(".mustache".count)) }), rewrite)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            XCTAssertEqual(BuiltInTemplates.texts[String(file.dropLast(".mustache".count))], text, "Templates/\(file) changed: \(rewrite)")
        }
        XCTAssertEqual(Set(TemplateRenderer.requiredTemplates).subtracting(BuiltInTemplates.texts.keys), [])
    }

    /// A folder holding only `struct.mustache` changes the structs and nothing else; the other
    /// templates (the `doc` partial that struct uses among them) fall back to the built-in ones.
    func testAnOverrideFolderReplacesTemplatesFileByFile() throws {
        let overrides = try temporaryFolder()
        try Self.markedStruct("custom").write(to: overrides.appendingPathComponent("struct.mustache"))
        let builtIn = try temporaryFolder(), custom = try temporaryFolder()
        let fixture = GoldenTests.fixtures.appendingPathComponent("client")
        let config = try GeneratorConfig.load(path: fixture.appendingPathComponent("config.json").path)
        let spec = fixture.appendingPathComponent("spec.yaml").path
        _ = try Generator.generate(specPath: spec, config: config, outputFolder: builtIn.path)
        _ = try Generator.generate(specPath: spec, config: config, templatesFolder: overrides.path, outputFolder: custom.path)
        let before = try String(contentsOf: builtIn.appendingPathComponent("ShopModels0.swift"), encoding: .utf8)
        let after = try String(contentsOf: custom.appendingPathComponent("ShopModels0.swift"), encoding: .utf8)
        XCTAssertTrue(after.contains("// [custom]\n"), after)
        XCTAssertEqual(after.replacingOccurrences(of: "// [custom]\n", with: ""), before, "only the marker lines differ")
        try typeCheck(custom)
    }

    /// The built-in `struct.mustache` with a `// [marker]` line before each struct.
    static func markedStruct(_ marker: String) -> Data {
        Data(("// [\(marker)]\n" + BuiltInTemplates.texts["struct"]!).utf8)
    }

    /// A Mustache syntax error in an override is reported at its file, line and column.
    func testAMustacheSyntaxErrorIsLocatedInTheTemplateFile() throws {
        let overrides = try temporaryFolder()
        let path = overrides.appendingPathComponent("struct.mustache").path
        try Data("public struct {{{name}}} {\n{{#properties}}\n    var {{{name}}}: Int\n{{/propertys}}\n}\n".utf8).write(to: URL(fileURLWithPath: path))
        // Line 4 holds the mismatched closing tag (the column and wording are the Mustache engine's).
        XCTAssertThrowsError(try TemplateRenderer(overrides: overrides.path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path):4:"), "\(error)")
            XCTAssertTrue("\(error)".contains(": error: invalid Mustache template: "), "\(error)")
            XCTAssertTrue((error as? TemplateRenderer.TemplateError)?.diagnostic.severity == .error, "\(error)")
        }
        let unclosed = overrides.appendingPathComponent("struct.mustache")
        try Data("public struct {{{name}}} {\n  {{#properties}}\n".utf8).write(to: unclosed)
        XCTAssertThrowsError(try TemplateRenderer(overrides: overrides.path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path):"), "\(error)")
            XCTAssertTrue("\(error)".contains(": error: invalid Mustache template: "), "\(error)")
        }
    }

    func testAnUnreadableOverrideFolderIsAnError() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-templates-\(UUID().uuidString)").path
        XCTAssertThrowsError(try TemplateRenderer(overrides: missing)) { error in
            XCTAssertEqual("\(error)", "\(missing):1:1: error: cannot read the template folder")
        }
    }

    // MARK: Config errors, located

    /// Each mistake in a config: the message and the line and column of the key or value at fault.
    func testConfigErrorsAreLocatedAtTheKeyOrValue() throws {
        let cases: [(text: String, expected: String)] = [
            ("{\n  \"module\": \"Shop\",\n  \"fitler\": {}\n}\n", "3:3: error: unknown key 'fitler' in the generator config (known: module, spec, typeOverrides, templates, modelFiles, refRoot, filter)"),
            ("{\"module\": \"Shop\", \"modelFiles\": 0}", "1:20: error: 'modelFiles' must be a whole number from 1 to 64"),
            ("{\"module\": \"Shop\", \"modelFiles\": 2.5}", "1:20: error: 'modelFiles' must be a whole number from 1 to 64"),
            ("{\"module\": \"Sh op\"}", "1:2: error: module name 'Sh op' is not a Swift identifier (ASCII letters, digits and _)"),
            ("{\"spec\": \"a.yaml\"}", "1:1: error: the generator config names no 'module' (the Swift module name)"),
            ("{\"module\": 7}", "1:2: error: 'module' must be a non-empty string, not a number"),
            ("[]", "1:1: error: the generator config must be a JSON object, not an array"),
            ("{\"module\": \"Shop\",\n \"filter\": {\"tag\": [\"Bills\"]}}", "2:13: error: unknown key 'tag' in 'filter' (known: tags, operations, paths, schemas, webhooks)"),
            ("{\"module\": \"Shop\",\n \"filter\": {\"tags\": \"Bills\"}}", "2:13: error: 'filter.tags' must be an array of strings, not a string"),
            ("{\"module\": \"Shop\",\n \"filter\": {\"tags\": [\"Bills\", 3]}}", "2:31: error: 'filter.tags' must hold non-empty strings, not a number"),
            ("{\"module\": \"Shop\", \"filter\": [\"Bills\"]}", "1:20: error: 'filter' must be an object with any of tags, operations, paths, schemas, webhooks, not an array"),
            ("{\"module\": \"Shop\",\n \"typeOverrides\": {\"#/components/schemas/A\": 1}}", "2:20: error: the type override for '#/components/schemas/A' must be a Swift type name in a string, not a number"),
            ("{\"module\": \"Shop\",\n \"module\": \"Other\"}", "2:2: error: the generator config is not valid JSON: the key 'module' is written twice in this object"),
            ("{\"module\": \"Shop\",\n  \"spec\": \"a.yaml\",\n}", "3:1: error: the generator config is not valid JSON: expected a key in double quotes"),
            ("{\"module\": \"Shöp\" \"spec\": 1}", "1:19: error: the generator config is not valid JSON: expected ',' or '}'"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try GeneratorConfig(json: Data(text.utf8), file: "cfg.json"), text) { error in
                XCTAssertEqual("\(error)", "cfg.json:" + expected, text)
            }
        }
    }

    func testAConfigIsReadWithItsPathsMadeAbsolute() throws {
        let text = ##"{"module": "Shop", "spec": "../specs/a.yaml", "templates": "/abs/t", "refRoot": "..", "modelFiles": 3, "##
            + ##""typeOverrides": {"#/components/schemas/A": "DateTime"}, "filter": {"tags": ["Bills"], "webhooks": ["a.b"]}}"##
        let config = try GeneratorConfig(json: Data(text.utf8), file: "/work/pkg/Generated/Shop/payables-gen.json")
        XCTAssertEqual(config.spec, "/work/pkg/Generated/specs/a.yaml")
        XCTAssertEqual(config.templates, "/abs/t")
        XCTAssertEqual(config.refRoot, "/work/pkg/Generated")
        XCTAssertEqual(config.modelFiles, 3)
        XCTAssertEqual(config.typeOverrides, ["#/components/schemas/A": "DateTime"])
        XCTAssertEqual(config.filter, GeneratorConfig.Filter(tags: ["Bills"], webhooks: ["a.b"]))
        XCTAssertEqual(config.outputFiles, ["ShopModels0.swift", "ShopModels1.swift", "ShopModels2.swift", "ShopSchemas.swift", "ShopClient.swift"])
    }

    /// A type override naming no schema is an error at the override's key in the config.
    func testATypeOverrideNamingNoSchemaIsLocatedInTheConfig() throws {
        let folder = try temporaryFolder()
        let spec = GoldenTests.fixtures.appendingPathComponent("client/spec.yaml").path
        let configPath = folder.appendingPathComponent("payables-gen.json").path
        try Data("{\n  \"module\": \"Shop\",\n  \"typeOverrides\": {\n    \"#/components/schemas/Nope\": \"DateTime\"\n  }\n}\n".utf8)
            .write(to: URL(fileURLWithPath: configPath))
        let outcome = try Generator.generate(specPath: spec, config: try GeneratorConfig.load(path: configPath), outputFolder: folder.appendingPathComponent("out").path)
        XCTAssertEqual(outcome.diagnostics.filter { $0.severity == .error }.map(\.description),
                       ["\(configPath):4:5: error: type override: no schema at '#/components/schemas/Nope' in \(spec)"])
    }

    /// Lines and columns count Unicode scalars; keys with `/` and `~` get RFC 6901 pointers.
    func testLocatedJSONPositionsAndValues() throws {
        let text = "{\"ä/b\": [1, {\"c~d\": \"\\u00e9\\n\"}],\n  \"e\": [true, null, -1.5e3]}"
        let json = try LocatedJSON(data: Data(text.utf8))
        XCTAssertEqual(json.position(of: "/ä~1b"), .init(line: 1, column: 2))
        XCTAssertEqual(json.position(of: "/ä~1b/1/c~0d"), .init(line: 1, column: 14))
        XCTAssertEqual(json.position(of: "/e/2"), .init(line: 2, column: 21))
        XCTAssertEqual(json.position(of: "/e/7/x"), .init(line: 2, column: 3), "an absent pointer: its closest written parent")
        XCTAssertEqual(json.valuePosition(of: "/ä~1b"), .init(line: 1, column: 9), "a member's value, not its key")
        XCTAssertEqual(json.valuePosition(of: "/e/7/x"), .init(line: 2, column: 8))
        XCTAssertEqual(json.valuePosition(of: ""), .init(line: 1, column: 1))
        // A JSON Lines line numbers from its own line; a surrogate pair is one scalar, a lone half U+FFFD.
        let line = try LocatedJSON(data: Data("  {\"a\": \"\\ud83d\\ude00 \\ud83d\"}".utf8), firstLine: 7)
        XCTAssertEqual(line.root, .object([.init(key: "a", value: .string("😀 \u{FFFD}"))]))
        XCTAssertEqual(line.position(of: "/a"), .init(line: 7, column: 4))
        XCTAssertEqual(json.root, .object([
            .init(key: "ä/b", value: .array([.number("1"), .object([.init(key: "c~d", value: .string("é\n"))])])),
            .init(key: "e", value: .array([.bool(true), .null, .number("-1.5e3")])),
        ]))
        for (bad, position) in [("{\"a\": tru}", (1, 10)), ("[1,\n 2", (2, 3)), ("\"\u{1}\"", (1, 2)), ("{} x", (1, 4)), ("[01]", (1, 3)), ("[1.]", (1, 4))] {
            XCTAssertThrowsError(try LocatedJSON(data: Data(bad.utf8)), bad) { error in
                let error = error as! LocatedJSON.SyntaxError
                XCTAssertEqual([error.position.line, error.position.column], [position.0, position.1], "\(bad): \(error.message)")
            }
        }
    }

    /// Both plugins compile the generator's own config files through symlinks and decode no
    /// config of their own; the shared files need nothing but Foundation (all a plugin has);
    /// `billpay` compiles the JSON reader through a symlink too.
    func testThePluginsReadTheConfigWithTheGeneratorsOwnType() throws {
        let root = GoldenTests.packageRoot
        let shared = root.appendingPathComponent("Sources/SDKGen/Config/Shared")
        for plugin in ["PayablesGeneratorPlugin", "GenerateSDKCommand"] {
            let link = root.appendingPathComponent("Plugins/\(plugin)/Shared")
            XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "../../Sources/SDKGen/Config/Shared", plugin)
            XCTAssertEqual(link.resolvingSymlinksInPath().path, shared.resolvingSymlinksInPath().path, plugin)
            let source = try String(contentsOf: root.appendingPathComponent("Plugins/\(plugin)/Plugin.swift"), encoding: .utf8)
            XCTAssertTrue(source.contains("GeneratorConfig.load(path:"), plugin)
            XCTAssertFalse(source.contains("Decodable") || source.contains("JSONDecoder"), "\(plugin) reads no config of its own")
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: shared.path) {
            let text = try String(contentsOf: shared.appendingPathComponent(file), encoding: .utf8)
            let imports = text.split(separator: "\n").filter { $0.hasPrefix("import ") }
            XCTAssertEqual(imports, ["import Foundation"], file)
        }
        // `billpay` reads payment plans with the same reader (an executable cannot depend on SDKGen).
        let planReader = root.appendingPathComponent("Sources/billpay/Run/LocatedJSON.swift")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: planReader.path), "../../SDKGen/Config/Shared/LocatedJSON.swift")
    }

    // MARK: The built binary

    /// Run from an empty folder (no Templates/ there), with relative paths: the built-in templates.
    func testTheToolRunsFromAnyFolder() throws {
        let work = try temporaryFolder()
        let fixture = GoldenTests.fixtures.appendingPathComponent("client")
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("spec.yaml"), to: work.appendingPathComponent("spec.yaml"))
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("config.json"), to: work.appendingPathComponent("payables-gen.json"))
        let result = try runGenerator(["generate", "spec.yaml", "--config", "payables-gen.json", "--output", "out"], in: work)
        XCTAssertEqual(result.status, 0, result.output)
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture.appendingPathComponent("expected").path) {
            XCTAssertEqual(try String(contentsOf: work.appendingPathComponent("out/\(name)"), encoding: .utf8),
                           try String(contentsOf: fixture.appendingPathComponent("expected/\(name)"), encoding: .utf8), name)
        }
        let docs = try runGenerator(["docs", "--config", "payables-gen.json", "--spec", "spec.yaml", "--output", "Shop.md"], in: work)
        XCTAssertEqual(docs.status, 0, docs.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("Shop.md").path))
    }

    /// `--templates` wins over the config's `templates`, file by file over the built-in ones.
    func testTheTemplatesFlagWinsOverTheConfig() throws {
        let work = try temporaryFolder()
        for (folder, marker) in [("from-config", "config"), ("from-flag", "flag")] {
            try FileManager.default.createDirectory(at: work.appendingPathComponent(folder), withIntermediateDirectories: true)
            try Self.markedStruct(marker).write(to: work.appendingPathComponent("\(folder)/struct.mustache"))
        }
        let spec = GoldenTests.fixtures.appendingPathComponent("client/spec.yaml").path
        try Data(#"{"module": "Shop", "modelFiles": 1, "templates": "from-config"}"#.utf8).write(to: work.appendingPathComponent("payables-gen.json"))
        let viaConfig = try runGenerator(["generate", spec, "--config", "payables-gen.json", "--output", "a"], in: work)
        XCTAssertEqual(viaConfig.status, 0, viaConfig.output)
        XCTAssertTrue(try String(contentsOf: work.appendingPathComponent("a/ShopModels0.swift"), encoding: .utf8).contains("// [config]\n"))
        let viaFlag = try runGenerator(["generate", spec, "--config", "payables-gen.json", "--templates", "from-flag", "--output", "b"], in: work)
        XCTAssertEqual(viaFlag.status, 0, viaFlag.output)
        let code = try String(contentsOf: work.appendingPathComponent("b/ShopModels0.swift"), encoding: .utf8)
        XCTAssertTrue(code.contains("// [flag]\n") && !code.contains("[config]"), code)
    }

    /// The binary prints config and filter errors located in the config, and exits 1 writing nothing.
    func testTheToolReportsConfigAndFilterErrorsAtTheirLines() throws {
        let work = try temporaryFolder()
        let spec = GoldenTests.fixtures.appendingPathComponent("client/spec.yaml").path
        try Data("{\n  \"module\": \"Shop\",\n  \"modelfiles\": 2\n}\n".utf8).write(to: work.appendingPathComponent("bad-key.json"))
        let badKey = try runGenerator(["generate", spec, "--config", "bad-key.json", "--output", "out"], in: work)
        XCTAssertEqual(badKey.status, 1)
        XCTAssertEqual(badKey.output, "bad-key.json:3:3: error: unknown key 'modelfiles' in the generator config (known: module, spec, typeOverrides, templates, modelFiles, refRoot, filter)\n")
        try Data("{\n  \"module\": \"Shop\",\n  \"filter\": {\"tags\": [\"Orders\", \"Order\"]}\n}\n".utf8).write(to: work.appendingPathComponent("bad-tag.json"))
        let badTag = try runGenerator(["generate", spec, "--config", "bad-tag.json", "--output", "out"], in: work)
        XCTAssertEqual(badTag.status, 1)
        XCTAssertTrue(badTag.output.hasPrefix("bad-tag.json:3:33: error: filter: spec.yaml has no tag 'Order'; it has "), badTag.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("out").path), "nothing written")
    }

    /// Runs the built `payables-gen` with `folder` as its working directory.
    func runGenerator(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = GoldenTests.builtModules.deletingLastPathComponent().appendingPathComponent("payables-gen")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
