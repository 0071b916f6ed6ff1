@testable import CodatSandbox
import Foundation
import OpenAPIDocument
import XCTest

/// Every error body has the fields of the documents' `ErrorMessage` (CODAT-FACTS.md §5):
/// `statusCode`, `service`, `error`, `correlationId` (fresh per error), `canBeRetried` (a string,
/// "True" for transient errors), `detailedErrorCode` (an integer), and `validation.errors[]`
/// for rule breaks; and it fits that schema.
final class ErrorShapeTests: XCTestCase {
    func testEveryErrorCarriesTheFieldsOfCodatsErrorMessage() async throws {
        let sandbox = try await startSandbox(SandboxConfiguration(apiKey: "test-key"))
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        sandbox.inject(.status(503), on: .init(method: "GET", path: "/companies/*/data/suppliers"), times: 1)
        sandbox.inject(.status(429, retryAfter: 1), on: .init(method: "GET", path: "/companies/*/data/accounts"), times: 1)

        let errors: [(HTTPResult, Int, String)] = [
            (try await TestClient(sandbox, authorization: nil).get("/companies"), 401, "False"),
            (try await client.get("/companies/\(UUID().uuidString.lowercased())"), 404, "False"),
            (try await client.post(xero.payables + "/bankAccounts", ["name": "x"]), 400, "False"),
            (try await client.send("DELETE", xero.payables + "/bills"), 405, "False"),
            (try await client.get(xero.data + "/suppliers"), 503, "True"),
            (try await client.get(xero.data + "/accounts"), 429, "True"),
        ]
        let schema = try errorMessageSchema(sandbox)
        var correlationIds: Set<String> = []
        for (result, status, retriable) in errors {
            let body = result.json
            XCTAssertEqual(result.status, status)
            XCTAssertEqual(body["statusCode"], .number(Decimal(status)), "\(body)")
            XCTAssertEqual(body["service"]?.string?.isEmpty, false)
            XCTAssertEqual(body["error"]?.string?.isEmpty, false)
            XCTAssertEqual(body["canBeRetried"], .string(retriable), "a string, True for transient errors: \(body)")
            let code = try XCTUnwrap(body["detailedErrorCode"]?.decimal, "\(body)")
            XCTAssertTrue(SchemaValidator.isIntegral(code))
            let correlationId = try XCTUnwrap(body["correlationId"]?.string)
            XCTAssertFalse(correlationId.isEmpty)
            correlationIds.insert(correlationId)
            XCTAssertEqual(schema.validator.violations(of: body, against: schema.id, direction: .response), [], "\(body)")
        }
        XCTAssertEqual(correlationIds.count, errors.count, "a fresh correlationId per error")
    }

    func testCanBeRetriedIsTrueForTransientErrorsOnly() {
        for status in [408, 429, 500, 502, 503, 504] {
            XCTAssertEqual(SandboxError(status: status, message: "x").json["canBeRetried"], "True", "\(status)")
        }
        for status in [400, 401, 403, 404, 405, 409, 413, 422, 501] {
            XCTAssertEqual(SandboxError(status: status, message: "x").json["canBeRetried"], "False", "\(status)")
        }
    }

    func testRuleBreaksListValidationErrorsWithItemIdMessageAndValidatorName() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let refused = try await client.post(
            xero.payables + "/bills/59978bef-af2f-4a7e-9728-4997597c0980/payment",
            ["amount": 1000, "date": "2024-05-01", "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"]])
        XCTAssertEqual(refused.status, 400)
        let item = try XCTUnwrap(refused.json["validation"]?["errors"]?[0])
        XCTAssertEqual(item["itemId"]?.string, "amount")
        XCTAssertEqual(item["validatorName"]?.string, "AmountDue")
        XCTAssertTrue(item["message"]?.string?.contains("135.85") ?? false, "\(item)")
        XCTAssertEqual(refused.json["validation"]?["warnings"], [])
    }

    /// `ErrorMessage` of the synchronous document, compiled by the sandbox itself.
    private func errorMessageSchema(_ sandbox: CodatSandbox) throws -> (validator: SchemaValidator, id: SchemaID) {
        let documents = try XCTUnwrap(sandbox.core.requestValidation?.documents)
        let operation = try XCTUnwrap(documents.sync.operation(method: "GET", template: "/companies/{companyId}"))
        let schema = try XCTUnwrap(operation.response(for: 404)?.schema)
        return (documents.sync.validator, schema)
    }
}
