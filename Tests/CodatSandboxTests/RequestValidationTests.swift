@testable import CodatSandbox
import Foundation
import XCTest

/// Requests are checked against the pinned documents as Codat checks them: a member or
/// parameter that breaks its schema is refused with 400 naming it, and nothing is stored.
final class RequestValidationTests: XCTestCase {
    private func itemIds(_ result: HTTPResult) -> [String] {
        (result.json["validation"]?["errors"]?.array ?? []).compactMap { $0["itemId"]?.string }
    }

    func testValueOutsideTheEnumIsRefusedNamingTheMemberAndNothingIsStored() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let before = sandbox.records(.accounts, companyId: xero.id).count
        let account: SandboxJSON = [
            "name": "Payables account", "accountNumber": "0120 0440", "currency": "Infinity", "accountType": "__not_in_enum__",
        ]
        let refused = try await client.post(xero.payables + "/bankAccounts", account)
        XCTAssertEqual(refused.status, 400, "\(refused.json)")
        XCTAssertEqual(Set(itemIds(refused)), ["$.accountType", "$.currency"], "\(refused.json)")
        let validators = (refused.json["validation"]?["errors"]?.array ?? []).compactMap { $0["validatorName"]?.string }
        XCTAssertEqual(Set(validators), ["enum", "format"])
        let message = try XCTUnwrap(refused.json["error"]?.string)
        XCTAssertTrue(message.contains("create-bank-account"), message)
        XCTAssertTrue(message.contains("__not_in_enum__"), message)
        XCTAssertEqual(sandbox.records(.accounts, companyId: xero.id).count, before, "a refused request stores nothing")

        // The document's own example is accepted.
        let example: SandboxJSON = [
            "nominalCode": "22", "name": "Plutus - Payables - Bank Account 12", "accountNumber": "0120 0440", "sortCode": "50-50-50",
            "currency": "GBP", "accountType": "Debit",
        ]
        let created = try await client.post(xero.payables + "/bankAccounts", example)
        XCTAssertEqual(created.status, 201, "\(created.json)")
        XCTAssertEqual(sandbox.records(.accounts, companyId: xero.id).count, before + 1)
    }

    func testCurrencyThatIsNotAnISO4217CodeIsRefusedInTheAsynchronousAPIAtOnce() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let myob = try XCTUnwrap(sandbox.company(.myob))
        let refused = try await client.post(myob.push + "/bankAccounts", ["accountName": "Cards", "accountType": "Credit", "currency": "Infinity"])
        XCTAssertEqual(refused.status, 400, "refused before any push operation: \(refused.json)")
        XCTAssertEqual(itemIds(refused), ["$.currency"])
        XCTAssertTrue(sandbox.pushOperations(companyId: myob.id).isEmpty)
    }

    func testWrongTypeIsRefusedNamingTheMember() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let billId = "59978bef-af2f-4a7e-9728-4997597c0980"
        let refused = try await client.post(
            xero.payables + "/bills/\(billId)/payment",
            ["amount": "lots", "date": "2024-05-01", "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"]])
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(itemIds(refused), ["$.amount"])
        XCTAssertTrue(refused.json["error"]?.string?.contains("expected a number but found the string 'lots'") ?? false, "\(refused.json)")
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .sync).count, 0)
        XCTAssertEqual(sandbox.bill(billId, companyId: xero.id)?.amountDue, dec("135.85"))
    }

    func testMissingRequiredMembersAreRefusedNamingEach() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let refused = try await client.post(xero.payables + "/bills/59978bef-af2f-4a7e-9728-4997597c0980/payment", ["amount": 10])
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(Set(itemIds(refused)), ["$.date", "$.accountRef"])
        let nested = try await client.post(
            xero.payables + "/bills/59978bef-af2f-4a7e-9728-4997597c0980/payment", ["amount": 10, "date": "2024-05-01", "accountRef": [:]])
        XCTAssertEqual(itemIds(nested), ["$.accountRef.id"])
    }

    func testDatesThatAreNotISO8601AreRefused() async throws {
        // Codat's "Date time" schema: "dates and times are represented using the ISO 8601 standard".
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let refused = try await client.post(
            xero.payables + "/bills/59978bef-af2f-4a7e-9728-4997597c0980/payment",
            ["amount": 10, "date": "next Tuesday", "accountRef": ["id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"]])
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(itemIds(refused), ["$.date"])
        for date in ["2024-05-01", "2024-05-01T00:00:00", "2024-05-01T06:00:00Z", "2024-05-01T01:00:00-05:00", "2024-05-01T01:00:00.123Z"] {
            XCTAssertTrue(StringFormats.isISO8601(date), date)
        }
    }

    func testMaxLengthMaxPropertiesAndMinLengthAreEnforcedAndForbiddenNameCharactersRemoved() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let long = String(repeating: "x", count: 101)
        let tagTooLong = try await client.post("/companies", ["name": "Bank of Dave", "tags": ["region": .string(long)]])
        XCTAssertEqual(tagTooLong.status, 400)
        XCTAssertEqual(itemIds(tagTooLong), ["$.tags.region"])
        XCTAssertTrue(tagTooLong.json["error"]?.string?.contains("at most 100 characters") ?? false)

        var elevenTags: [String: SandboxJSON] = [:]
        for index in 0..<11 { elevenTags["t\(index)"] = "v" }
        let tooMany = try await client.post("/companies", ["name": "Bank of Dave", "tags": .object(elevenTags)])
        XCTAssertEqual(itemIds(tooMany), ["$.tags"])

        // create-company: "If forbidden characters (see `name` pattern) are present in the
        // request, a company will be created with the forbidden characters removed."
        let forbidden = try await client.post("/companies", ["name": "Company (Codat[1])"])
        XCTAssertEqual(forbidden.status, 200, "\(forbidden.json)")
        XCTAssertEqual(forbidden.json["name"]?.string, "Company Codat1")
        let notAString = try await client.post("/companies", ["name": 42])
        XCTAssertEqual(itemIds(notAString), ["$.name"])

        // The documents give the company name a pattern and minLength 1, no maxLength: a long
        // name that fits the pattern is what Codat's document accepts.
        let longName = try await client.post("/companies", ["name": .string(String(repeating: "a", count: 300))])
        XCTAssertEqual(longName.status, 200, "\(longName.json)")
        let empty = try await client.post("/companies", ["name": ""])
        XCTAssertEqual(itemIds(empty).first, "$.name")

        // platformKey: minLength 4, maxLength 4, pattern [a-z]{4}.
        let company = try XCTUnwrap(sandbox.company(.xero))
        let platformKey = try await client.post("/companies/\(company.id)/connections", ["platformKey": "gbolx"])
        XCTAssertEqual(platformKey.status, 400)
        XCTAssertEqual(itemIds(platformKey), ["$.platformKey"])
    }

    func testQueryParametersAreCheckedAgainstTheirSchemas() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let zero = try await client.get(xero.data + "/bills?pageSize=0")
        XCTAssertEqual(zero.status, 400)
        XCTAssertEqual(itemIds(zero), ["query.pageSize"])
        let tooBig = try await client.get(xero.data + "/bills?pageSize=5001")
        XCTAssertEqual(itemIds(tooBig), ["query.pageSize"])
        let notANumber = try await client.get(xero.data + "/bills?page=first")
        XCTAssertEqual(itemIds(notANumber), ["query.page"])
        XCTAssertTrue(notANumber.json["error"]?.string?.contains("is not an integer") ?? false)
        let timeout = try await client.post(xero.push + "/bills?timeoutInMinutes=soon", [:])
        XCTAssertEqual(timeout.status, 400)
        XCTAssertTrue(itemIds(timeout).contains("query.timeoutInMinutes"), "\(timeout.json)")
        let fine = try await client.get(xero.data + "/bills?page=1&pageSize=5000")
        XCTAssertEqual(fine.status, 200)
        XCTAssertEqual(fine.json["pageSize"], 2000, "PagingInfo.pageSize has maximum 2000 in the documents")
    }

    func testPathParametersAreCheckedAgainstTheirSchemas() async throws {
        let sandbox = try await startSandbox()
        let client = TestClient(sandbox)
        // companyId: `format: uuid` in both documents.
        let notAUUID = try await client.get("/companies/not-a-company/data/bills")
        XCTAssertEqual(notAUUID.status, 400)
        XCTAssertEqual(itemIds(notAUUID), ["path.companyId"])
        let unknown = try await client.get("/companies/\(UUID().uuidString.lowercased())/data/bills")
        XCTAssertEqual(unknown.status, 404, "a well-formed id of no company is not found")
    }

    func testEveryServedOperationIsCheckedAgainstItsOperationInTheDocuments() async throws {
        let sandbox = try await startSandbox()
        let validation = try XCTUnwrap(sandbox.core.requestValidation)
        XCTAssertEqual(validation.unmatched.map(\.qualifiedName), [], "routes no document operation describes")
        for route in sandbox.core.routes.routes.map(\.info) {
            XCTAssertEqual(validation.operation(for: route)?.operationId, route.operationId, route.qualifiedName)
        }
    }

    func testMissingDocumentsStopTheSandboxFromStartingWithAClearError() async throws {
        var configuration = SandboxConfiguration()
        configuration.documentsDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("no-specs-\(UUID().uuidString)")
        do {
            let sandbox = try await CodatSandbox.start(configuration)
            await sandbox.stop()
            XCTFail("started without the documents")
        } catch {
            let message = "\(error)"
            XCTAssertTrue(message.contains("specs/sync.sh"), message)
            XCTAssertTrue(message.contains("Codat-Sync-Payables.yaml"), message)
        }
    }

    func testValidationTurnedOffNeedsNoDocumentsAndChecksNothing() async throws {
        var configuration = SandboxConfiguration()
        configuration.validatesRequests = false
        configuration.documentsDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("no-specs-\(UUID().uuidString)")
        let sandbox = try await startSandbox(configuration)
        let client = TestClient(sandbox)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let accepted = try await client.post(
            xero.payables + "/bankAccounts", ["name": "Loose", "accountNumber": "1", "currency": "GBP", "accountType": "__not_in_enum__"])
        XCTAssertEqual(accepted.status, 201, "no schema check: \(accepted.json)")
    }
}
