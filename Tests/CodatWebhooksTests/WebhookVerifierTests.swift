import CodatWebhooks
import Foundation
import XCTest

/// The refusals, each saying why; the secret's parsing; the clock window.
final class WebhookVerifierTests: XCTestCase {
    let secret = WebhookSecret.generate()
    let body = Data(#"{"eventType":"bills.write.successful"}"#.utf8)
    let sentAt: Int64 = 1_796_000_000

    func verifier(clockOffset: Int64, tolerance: Duration = WebhookVerifier.defaultTolerance) -> WebhookVerifier {
        let now = Date(timeIntervalSince1970: TimeInterval(sentAt + clockOffset))
        return WebhookVerifier(secret: secret, tolerance: tolerance, now: { now })
    }

    func refusal(_ verifier: WebhookVerifier, headers: [String: String], body: Data? = nil) -> WebhookVerificationError? {
        do { _ = try verifier.verify(body: body ?? self.body, headers: headers); return nil } catch { return error }
    }

    var signedHeaders: [String: String] {
        WebhookSigner(secret: secret).headers(id: "msg_1", timestamp: Date(timeIntervalSince1970: TimeInterval(sentAt)), body: body)
    }

    func testMissingHeadersAreNamed() {
        for name in WebhookHeader.all {
            var headers = signedHeaders
            headers[name] = nil
            XCTAssertEqual(refusal(verifier(clockOffset: 0), headers: headers), .missingHeader(name: name))
        }
    }

    func testHeaderNamesAreCaseInsensitive() {
        let upper = Dictionary(uniqueKeysWithValues: signedHeaders.map { ($0.key.uppercased(), $0.value) })
        XCTAssertNil(refusal(verifier(clockOffset: 0), headers: upper))
    }

    func testMalformedHeadersSayWhatIsWrong() {
        let cases: [(String, String, String)] = [
            (WebhookHeader.timestamp, "1796000000.5", "not a whole number of seconds since 1970"),
            (WebhookHeader.timestamp, "-5", "not a whole number of seconds since 1970"),
            (WebhookHeader.timestamp, "9999999999999999999999", "not a whole number of seconds since 1970"),
            (WebhookHeader.id, "  ", "empty"),
            (WebhookHeader.signature, "v1", "entry 1 of 1 is not `<version>,<base64>`"),
            (WebhookHeader.signature, "v1,***", "entry 1 of 1 is `v1,` followed by something that is not base64"),
            (WebhookHeader.signature, "v2,AAAA v1a,AAAA", "no `v1,<base64>` entry among 2"),
        ]
        for (name, value, problem) in cases {
            var headers = signedHeaders
            headers[name] = value
            let error = refusal(verifier(clockOffset: 0), headers: headers)
            XCTAssertEqual(error, .malformedHeader(name: name, problem: problem), "\(name): \(value)")
            XCTAssertTrue(error?.description.contains(name) ?? false)
        }
    }

    func testOtherVersionsAreSkippedBesideAMatchingV1() {
        var headers = signedHeaders
        headers[WebhookHeader.signature] = "v2,Zm9v  v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \(headers[WebhookHeader.signature]!)"
        XCTAssertNil(refusal(verifier(clockOffset: 0), headers: headers))
    }

    func testTimestampWindowIsFiveMinutesEitherWayByDefault() {
        XCTAssertNil(refusal(verifier(clockOffset: 300), headers: signedHeaders))
        XCTAssertNil(refusal(verifier(clockOffset: -300), headers: signedHeaders))
        XCTAssertEqual(refusal(verifier(clockOffset: 301), headers: signedHeaders),
                       .timestampTooOld(timestamp: sentAt, now: sentAt + 301, tolerance: .seconds(300)))
        XCTAssertEqual(refusal(verifier(clockOffset: -301), headers: signedHeaders),
                       .timestampInFuture(timestamp: sentAt, now: sentAt - 301, tolerance: .seconds(300)))
        XCTAssertEqual(refusal(verifier(clockOffset: 301), headers: signedHeaders)?.description,
                       "webhook refused: `webhook-timestamp` 1796000000 is 301 s old, more than the 300 s tolerated")
    }

    func testToleranceIsConfigurable() {
        XCTAssertNil(refusal(verifier(clockOffset: 3600, tolerance: .seconds(3600)), headers: signedHeaders))
        XCTAssertEqual(refusal(verifier(clockOffset: 11, tolerance: .seconds(10)), headers: signedHeaders),
                       .timestampTooOld(timestamp: sentAt, now: sentAt + 11, tolerance: .seconds(10)))
    }

    /// A stale message is refused for its age even with a valid signature (a replay).
    func testReplayOfAValidMessageIsRefusedForItsAge() {
        XCTAssertNil(refusal(verifier(clockOffset: 0), headers: signedHeaders))
        XCTAssertEqual(refusal(verifier(clockOffset: 3600), headers: signedHeaders),
                       .timestampTooOld(timestamp: sentAt, now: sentAt + 3600, tolerance: .seconds(300)))
    }

    func testNoMatchingSignatureSaysNothingAboutTheExpectedOne() throws {
        let error = try XCTUnwrap(refusal(verifier(clockOffset: 0), headers: signedHeaders, body: body + Data("x".utf8)))
        XCTAssertEqual(error, .noMatchingSignature(signatures: 1, secrets: 1))
        let expected = WebhookSigner(secret: secret).signature(id: "msg_1", timestamp: sentAt, body: body + Data("x".utf8))
        XCTAssertFalse(error.description.contains(String(expected.dropFirst(3).prefix(8))))
        XCTAssertFalse(error.description.contains(secret.stringValue.dropFirst(6).prefix(8)))
    }

    func testPreviousSecretsStillVerify() {
        let next = WebhookSecret.generate()
        let now = Date(timeIntervalSince1970: TimeInterval(sentAt))
        let rotating = WebhookVerifier(secret: next, previousSecrets: [secret], now: { now })
        XCTAssertNil(refusal(rotating, headers: signedHeaders))
        XCTAssertEqual(rotating.secrets, [next, secret])
    }

    func testSecretParsing() throws {
        let secret = try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        XCTAssertEqual(secret.keyBytes.count, 24)
        XCTAssertEqual(secret.stringValue, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        XCTAssertEqual(try WebhookSecret("  whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"), secret)
        XCTAssertEqual(try WebhookSecret(secret.stringValue), secret)
        XCTAssertEqual(try WebhookSecret("whsec_AAAAAAA").keyBytes, [0, 0, 0, 0, 0])  // unpadded, as Svix accepts
        XCTAssertThrowsError(try WebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")) { XCTAssertEqual($0 as? WebhookSecretError, .missingPrefix) }
        XCTAssertThrowsError(try WebhookSecret("whsec_not base64!")) { XCTAssertEqual($0 as? WebhookSecretError, .notBase64) }
        XCTAssertThrowsError(try WebhookSecret("whsec_")) { XCTAssertEqual($0 as? WebhookSecretError, .emptyKey) }
        XCTAssertThrowsError(try WebhookSecret(keyBytes: [])) { XCTAssertEqual($0 as? WebhookSecretError, .emptyKey) }
        XCTAssertFalse("\(secret)".contains("MfKQ9r8G"), "description redacts the key")
        XCTAssertNotEqual(WebhookSecret.generate(), WebhookSecret.generate())
    }

    func testAnEmptySignerIsRefused() {
        var headers = signedHeaders
        headers[WebhookHeader.signature] = WebhookSigner(secrets: []).signature(id: "msg_1", timestamp: sentAt, body: body)
        XCTAssertEqual(refusal(verifier(clockOffset: 0), headers: headers), .malformedHeader(name: WebhookHeader.signature, problem: "empty"))
    }
}
