import Foundation
import OpenAPIDocument
@testable import SDKGen
import XCTest

/// A document split over files with the defects real documents carry (Fixtures/lenient): it
/// generates, each defect is one located warning naming the reading, the code follows the reading,
/// and it type-checks in Swift 6 mode. The reader's side of each reading is in LenientReadingTests.
final class LenientGenerationTests: XCTestCase {
    private func generate() throws -> (diagnostics: [String], code: String, output: URL) {
        let output = try temporaryFolder()
        let outcome = try GoldenTests.generate("lenient", into: output)
        XCTAssertFalse(outcome.hasErrors, outcome.diagnostics.map(\.description).joined(separator: "\n"))
        let folder = GoldenTests.fixtures.appendingPathComponent("lenient").path + "/"
        let diagnostics = Diagnostics.sortedByLocation(outcome.diagnostics).map {
            "\($0.location.file.replacingOccurrences(of: folder, with: "")):\($0.location.line):\($0.location.column): \($0.severity): \($0.message)"
        }
        var code = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() {
            code += try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
        }
        return (diagnostics, code, output)
    }

    func testEachDefectIsOneLocatedWarning() throws {
        let (diagnostics, _, _) = try generate()
        XCTAssertEqual(diagnostics, [
            "operations/list-pets.yaml:5:59: warning: 'exclusiveMinimum: true' is the OpenAPI 3.0 form (3.1 writes the bound itself); read as 'minimum' being exclusive",
            "schemas/pet.yaml:5:29: warning: 'type' lists YAML's null (unquoted null or ~), not the type name \"null\"; read as \"null\" (2 times in this document; first here)",
            "schemas/pet.yaml:12:17: warning: 'description' has no value (YAML null); read as if it were absent",
            "spec.yaml:1:1: warning: the document names no server; the client's default server is http://localhost",
            "spec.yaml:6:11: warning: $ref in place of a string ('description') is not OpenAPI; resolved and read as the text it points to, as bundlers do",
            "spec.yaml:8:5: warning: security requirement names 'petstore_auth', which is not in components/securitySchemes; ignored",
            "spec.yaml:11:16: warning: 'parameters' has no value (YAML null); read as if it were absent",
            "spec.yaml:13:13: warning: $ref on an Operation object is not OpenAPI (only Path Items and components may be referenced); resolved and read as the operation, as bundlers do",
            "spec.yaml:16:7: warning: PUT /pets/{id}: the path template names '{id}' but no path parameter 'id' is declared; read as a required string path parameter",
            "spec.yaml:18:11: warning: PUT /pets/{id}: path parameter 'petId' does not appear in the path template; left out",
        ])
    }

    /// The code follows each reading, and compiles.
    func testTheCodeFollowsTheReadings() throws {
        let (_, code, output) = try generate()
        let lines = code.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func line(_ parts: String...) -> String? { lines.first { line in parts.allSatisfy(line.contains) } }
        // `$ref` on the operation: the operation in operations/list-pets.yaml, its schema from ../schemas/pet.yaml.
        XCTAssertNotNil(line("func listPets(limit:", "-> [Pet]"), code)
        // `type: [string, null]` and `[integer, ~]`: optional members.
        XCTAssertNotNil(line("var nickname:", "String?"), code)
        XCTAssertNotNil(line("var age:", "Int?"), code)
        // `{id}` with no declared parameter: a required string argument; `petId` (not in the path) is gone.
        XCTAssertNotNil(line("func updatePet(id:", "String", "body: Pet"), code)
        XCTAssertNil(line("petId"), code)
        // The description reached through `$ref` is the module's documentation.
        XCTAssertTrue(code.contains("Pets, written the way real documents are."), code)
        try typeCheck(output)
    }
}
