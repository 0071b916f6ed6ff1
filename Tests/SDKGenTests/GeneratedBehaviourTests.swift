import Foundation
@testable import SDKGen
import XCTest

/// Compiles generated fixture code with a small program that decodes and encodes real JSON,
/// and runs it: the rules are checked by behaviour, not only by the shape of the text.
final class GeneratedBehaviourTests: XCTestCase {
    func testCompositionAndTypesBehaveAtRunTime() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sdkgen-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var sources: [String] = []
        for fixture in ["composition", "types"] {
            let output = work.appendingPathComponent(fixture)
            _ = try GoldenTests.generate(fixture, into: output)
            // Both fixtures go into one program: keep their registries apart.
            sources += try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.contains("Models") }.map { output.appendingPathComponent($0).path }
        }
        let main = work.appendingPathComponent("main.swift")
        try Data(Self.program.utf8).write(to: main)
        // The models need only the runtime's model types (the client part needs its dependencies).
        let runtimeFolder = GoldenTests.packageRoot.appendingPathComponent("Sources/PayablesRuntime/Models")
        let runtime = try FileManager.default.contentsOfDirectory(atPath: runtimeFolder.path).filter { $0.hasSuffix(".swift") }.map { runtimeFolder.appendingPathComponent($0).path }
        try runTool(["swiftc", "-swift-version", "6", "-emit-module", "-emit-library", "-static", "-parse-as-library", "-module-name", "PayablesRuntime",
                 "-emit-module-path", work.appendingPathComponent("PayablesRuntime.swiftmodule").path,
                 "-o", work.appendingPathComponent("libPayablesRuntime.a").path] + runtime)
        let executable = work.appendingPathComponent("program").path
        try runTool(["swiftc", "-swift-version", "6", "-I", work.path, "-L", work.path, "-lPayablesRuntime", "-o", executable, main.path] + sources)
        let output = try runTool([executable])
        XCTAssertTrue(output.contains("ALL CHECKS PASSED"), output)
    }

    /// Recursive schemas of the hostile-codegen fixture, compiled and run: wrapper structs for
    /// arrays and maps that contain themselves, `Indirect` boxes for structs that hold themselves,
    /// an `indirect` one-of; each decodes, re-encodes byte for byte and keeps value semantics.
    func testRecursiveTypesRoundTripAtRunTime() throws {
        let work = try temporaryFolder()
        let output = work.appendingPathComponent("hostile-codegen")
        _ = try GoldenTests.generate("hostile-codegen", into: output)
        let sources = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.contains("Models") }.map { output.appendingPathComponent($0).path }
        let main = work.appendingPathComponent("main.swift")
        try Data(Self.recursionProgram.utf8).write(to: main)
        let runtimeFolder = GoldenTests.packageRoot.appendingPathComponent("Sources/PayablesRuntime/Models")
        let runtime = try FileManager.default.contentsOfDirectory(atPath: runtimeFolder.path).filter { $0.hasSuffix(".swift") }.map { runtimeFolder.appendingPathComponent($0).path }
        try runTool(["swiftc", "-swift-version", "6", "-emit-module", "-emit-library", "-static", "-parse-as-library", "-module-name", "PayablesRuntime",
                     "-emit-module-path", work.appendingPathComponent("PayablesRuntime.swiftmodule").path,
                     "-o", work.appendingPathComponent("libPayablesRuntime.a").path] + runtime)
        let executable = work.appendingPathComponent("program").path
        try runTool(["swiftc", "-swift-version", "6", "-I", work.path, "-L", work.path, "-lPayablesRuntime", "-o", executable, main.path] + sources)
        let result = try runTool([executable])
        XCTAssertTrue(result.contains("ALL CHECKS PASSED"), result)
    }

    static let recursionProgram = #"""
    import Foundation
    import PayablesRuntime

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }
    func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    func check(_ condition: Bool, _ message: String) { if !condition { print("FAILED: \(message)"); exit(1) } }

    let tree = try decode(Tree.self, "[[],[[]]]")
    check(tree.value.count == 2 && tree.value[1].value.count == 1, "Tree is an array of trees")
    check(try encode(tree) == "[[],[[]]]", "Tree encodes as the bare array")
    let forest = try decode(Forest.self, #"{"a":{"b":{}}}"#)
    check(forest.value["a"]?.value["b"]?.value.isEmpty == true, "Forest is a map of forests")
    check(try encode(forest) == #"{"a":{"b":{}}}"#, "Forest encodes as the bare map")
    let mixed = try decode(Mixed.self, #"[{"k":[]}]"#)
    check(mixed.value.first?["k"]?.value.isEmpty == true, "array of maps of itself")

    let json = #"{"children":[{"id":"c"}],"id":"1","next":{"id":"2","next":{"id":"3"}}}"#
    let node = try decode(Node.self, json)
    check(node.next?.next?.id == "3" && node.next?.next?.next == nil, "Node.next chain through the box")
    check(try encode(node) == json, "Node re-encodes byte for byte: \(try encode(node))")
    var copy = node
    copy.next?.id = "changed"
    check(node.next?.id == "2" && copy.next?.id == "changed", "boxed properties keep value semantics")
    let again = try decode(Node.self, json)
    check(copy != node && node == again && node.hashValue == again.hashValue, "Equatable and Hashable through the box")
    check(try encode(Node(id: "n")) == #"{"id":"n"}"#, "a nil boxed property is omitted")

    let ping = try decode(Ping.self, #"{"pong":{"ping":{"pong":{}}}}"#)
    check(ping.pong.ping?.pong.ping == nil, "a cycle of two structs (Ping.pong is required)")
    check((try? decode(Ping.self, #"{}"#)) == nil, "a required boxed property is required")

    guard case .sum(let sum) = try decode(Expr.self, #"{"left":"a","right":{"left":"b"}}"#) else { fatalError("sum") }
    guard case .string("a")? = sum.left, case .sum(let inner)? = sum.right, case .string("b")? = inner.left else { fatalError("nested sum") }
    print("ALL CHECKS PASSED")
    """#

    static let program = #"""
    import Foundation
    import PayablesRuntime

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }
    func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    func check(_ condition: Bool, _ message: String) { if !condition { print("FAILED: \(message)"); exit(1) } }

    // oneOf with a discriminator (mapping by ref and by bare name), and an unknown branch.
    guard case .dog(let dog) = try decode(Pet.self, #"{"kind":"dog","barks":true}"#) else { fatalError("dog") }
    check(dog.barks == true, "dog barks")
    guard case .cat = try decode(Pet.self, #"{"kind":"cat","meows":false}"#) else { fatalError("cat") }
    let bird = try decode(Pet.self, #"{"kind":"bird","wings":2}"#)
    // No discriminator match: the first branch that decodes wins (Cat has only optional fields).
    guard case .cat = bird else { fatalError("fallback branch: \(bird)") }
    // anyOf without a discriminator: each branch in order.
    guard case .string("x") = try decode(StringOrNumber.self, #""x""#) else { fatalError("string") }
    guard case .decimal(let n) = try decode(StringOrNumber.self, "135.85") else { fatalError("decimal") }
    check(n == Decimal(string: "135.85")!, "decimal branch exact")
    guard case .array(let a) = try decode(StringOrNumber.self, #"["a","b"]"#) else { fatalError("array") }
    check(a == ["a", "b"], "array branch")
    guard case .undocumented(let other) = try decode(StringOrNumber.self, "true") else { fatalError("undocumented") }
    check(other == .bool(true), "undocumented keeps the value")
    check(try encode(StringOrNumber.decimal(Decimal(string: "135.85")!)) == "135.85", "oneOf encodes its branch")

    // allOf with a description is the referenced type; anyOf [X, null] is an optional X.
    let described = try decode(Described.self, #"{"base":{"id":"b1"},"maybeBase":null}"#)
    check(described.base?.id == "b1" && described.maybeBase == nil, "allOf wrapper and nullable anyOf")
    // allOf of objects merges properties, required from every member.
    check(try decode(Merged.self, #"{"id":"m","extra":3}"#).extra == 3, "merged allOf")
    check((try? decode(Merged.self, #"{"id":"m"}"#)) == nil, "merged allOf keeps required")

    // Primitive mapping, optionals, exact decimals, enums that Codat extends later.
    let json = #"{"requiredString":"s","requiredNullable":null,"money":135.85,"int32":7,"int64":9007199254740993,"status":"Refunded","created":"2021-11-15T01:00:00","tags":["a"],"counts":{"x":1},"anything":{"k":[1,"two",null]}}"#
    let everything = try decode(Everything.self, json)
    check(everything.money == Decimal(string: "135.85")!, "money is an exact Decimal")
    check(everything.int64 == 9007199254740993, "int64 keeps every digit")
    check(everything.status == .undocumented("Refunded"), "unknown enum value decodes")
    check(everything.requiredNullable == nil && everything.optionalString == nil, "nullable and optional")
    check(everything.created?.text == "2021-11-15T01:00:00", "date-time keeps its text")
    let again = try encode(everything)
    check(again.contains(#""money":135.85"#), "135.85 stays 135.85 on the wire: \(again)")
    check(again.contains(#""status":"Refunded""#), "unknown enum value re-encodes unchanged")
    check(!again.contains("optionalString"), "nil optionals are omitted")
    check((try? decode(Everything.self, #"{"requiredNullable":null,"money":1}"#)) == nil, "a missing required property fails decoding")
    print("ALL CHECKS PASSED")
    """#
}
