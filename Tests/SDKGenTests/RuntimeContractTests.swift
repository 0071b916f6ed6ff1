import Foundation
@testable import SDKGen
import XCTest

/// What the generator assumes about PayablesRuntime, checked against the runtime's sources.
final class RuntimeContractTests: XCTestCase {
    private func runtimeSources() throws -> String {
        let runtime = GoldenTests.packageRoot.appendingPathComponent("Sources/PayablesRuntime")
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: runtime.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        return try files.map { try String(contentsOf: runtime.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
    }

    /// `BuiltinType.parameterValues` (the types a parameter or a multipart text part may have) is
    /// exactly the generator's types the runtime makes `ParameterValue`: one the runtime added is
    /// used, one it dropped is not.
    func testParameterValueTypesAreTheRuntimesConformances() throws {
        let text = try runtimeSources()
        let conformance = try NSRegularExpression(pattern: #"^extension ([A-Za-z_][A-Za-z0-9_]*): ParameterValue\b"#, options: .anchorsMatchLines)
        let conforming = Set(conformance.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) })
        XCTAssertTrue(conforming.contains("String") && conforming.contains("DateTime"), "found \(conforming.sorted())")
        let generated = Set(BuiltinType.allCases.map(\.rawValue))
        XCTAssertEqual(Set(BuiltinType.parameterValues.map(\.rawValue)), conforming.intersection(generated))
    }

    /// The runtime declares every builtin type that is not Swift's or Foundation's.
    func testRuntimeDeclaresTheBuiltinTypesItProvides() throws {
        let text = try runtimeSources()
        let swiftOrFoundation: Set<String> = ["String", "Bool", "Int", "Int32", "Int64", "Double", "Float", "Decimal", "Data", "Void"]
        for type in BuiltinType.allCases where !swiftOrFoundation.contains(type.rawValue) {
            XCTAssertNotNil(text.range(of: #"public (?:final )?(?:struct|enum|class) \#(type.rawValue)\b"#, options: .regularExpression), type.rawValue)
        }
    }
}
