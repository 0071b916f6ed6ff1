import CodatWebhooks
import Foundation
import XCTest

/// Our verifier and signer against signatures computed by the Python `svix` package over our
/// own messages (`Fixtures/svix-signatures.json`, written by `make_svix_fixtures.py`):
/// the Standard Webhooks scheme Codat uses (CODAT-FACTS.md §4).
final class WebhookVerifierSvixTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String, secret: String, id: String, timestamp: Int64, body: String, signature: String
        }
        struct Rotation: Decodable {
            let oldSecret: String, newSecret: String, unrelatedSecret: String
            let id: String, timestamp: Int64, body: String, signature: String
        }
        let cases: [Case]
        let rotation: Rotation
    }

    static func fixture() throws -> Fixture {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "svix-signatures", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// A verifier whose clock reads `timestamp + offset` seconds.
    static func verifier(_ secrets: [WebhookSecret], at timestamp: Int64, offset: Int64 = 0) -> WebhookVerifier {
        let now = Date(timeIntervalSince1970: TimeInterval(timestamp + offset))
        return WebhookVerifier(secret: secrets[0], previousSecrets: Array(secrets.dropFirst()), now: { now })
    }

    func testEverySvixSignatureVerifies() throws {
        let fixture = try Self.fixture()
        XCTAssertGreaterThanOrEqual(fixture.cases.count, 6)
        for item in fixture.cases {
            let secret = try WebhookSecret(item.secret)
            let verified = try Self.verifier([secret], at: item.timestamp, offset: 30).verify(
                id: item.id, timestamp: String(item.timestamp), signature: item.signature, body: Data(item.body.utf8))
            XCTAssertEqual(verified.id, item.id, item.name)
            XCTAssertEqual(verified.timestamp, item.timestamp, item.name)
            XCTAssertEqual(verified.body, Data(item.body.utf8), item.name)
        }
    }

    func testOurSignerWritesSvixsHeaderValues() throws {
        for item in try Self.fixture().cases {
            let signer = WebhookSigner(secret: try WebhookSecret(item.secret))
            XCTAssertEqual(signer.signature(id: item.id, timestamp: item.timestamp, body: Data(item.body.utf8)), item.signature, item.name)
        }
    }

    /// Changing any one of body, secret, id or timestamp breaks the signature.
    func testAnyChangeIsRefusedAsNoMatchingSignature() throws {
        for item in try Self.fixture().cases {
            let secret = try WebhookSecret(item.secret)
            let body = Data(item.body.utf8)
            func refusal(secret: WebhookSecret, id: String, timestamp: Int64, body: Data) -> WebhookVerificationError? {
                do {
                    _ = try Self.verifier([secret], at: item.timestamp).verify(
                        id: id, timestamp: String(timestamp), signature: item.signature, body: body)
                    return nil
                } catch { return error }
            }
            var flipped = Array(body.isEmpty ? Data(" ".utf8) : body)
            flipped[flipped.count / 2] ^= 0x01
            var otherKey = secret.keyBytes
            otherKey[0] ^= 0x80
            let expected = WebhookVerificationError.noMatchingSignature(signatures: 1, secrets: 1)
            XCTAssertEqual(refusal(secret: secret, id: item.id, timestamp: item.timestamp, body: Data(flipped)), expected, "body: \(item.name)")
            XCTAssertEqual(refusal(secret: secret, id: item.id, timestamp: item.timestamp, body: body + Data(" ".utf8)), expected, "body + space: \(item.name)")
            XCTAssertEqual(refusal(secret: try WebhookSecret(keyBytes: otherKey), id: item.id, timestamp: item.timestamp, body: body), expected, "secret: \(item.name)")
            XCTAssertEqual(refusal(secret: secret, id: item.id + "x", timestamp: item.timestamp, body: body), expected, "id: \(item.name)")
            XCTAssertEqual(refusal(secret: secret, id: item.id, timestamp: item.timestamp + 1, body: body), expected, "timestamp: \(item.name)")
            // And unchanged, the same call accepts: the refusals above are the changes' doing.
            XCTAssertNil(refusal(secret: secret, id: item.id, timestamp: item.timestamp, body: body), item.name)
        }
    }

    /// Svix puts one `v1,` entry per active secret in the header; a receiver holding any one of
    /// them accepts, one holding neither refuses and says how many entries it tried.
    func testRotationSeveralSignaturesInOneHeader() throws {
        let rotation = try Self.fixture().rotation
        let old = try WebhookSecret(rotation.oldSecret), new = try WebhookSecret(rotation.newSecret)
        let unrelated = try WebhookSecret(rotation.unrelatedSecret)
        let body = Data(rotation.body.utf8)
        for secrets in [[old], [new], [unrelated, old], [unrelated, new]] {
            XCTAssertNoThrow(try Self.verifier(secrets, at: rotation.timestamp).verify(
                id: rotation.id, timestamp: String(rotation.timestamp), signature: rotation.signature, body: body))
        }
        XCTAssertThrowsError(try Self.verifier([unrelated], at: rotation.timestamp).verify(
            id: rotation.id, timestamp: String(rotation.timestamp), signature: rotation.signature, body: body)) {
            XCTAssertEqual($0 as? WebhookVerificationError, .noMatchingSignature(signatures: 2, secrets: 1))
        }
        XCTAssertEqual(
            WebhookSigner(secrets: [new, old]).signature(id: rotation.id, timestamp: rotation.timestamp, body: body),
            rotation.signature)
    }
}
