import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import PayablesRuntime
import XCTest

/// Issue 10's runtime findings, one regression test each (named after the finding).
/// The API key behind the test credential `Basic c2VjcmV0LWFwaS1rZXk=` is `secret-api-key`.
final class HardeningTests: XCTestCase {
    private func get() throws -> OperationRequest { try OperationRequest(operationID: "list-bills", method: .get, pathTemplate: "/bills") }

    /// `Retry-After: 1e21` (or `0x1p80`) trapped on Duration overflow.
    func testRetryAfterOf1e21Or0x1p80DoesNotTrap() async throws {
        for value in ["1e21", "0x1p80", "inf", "1e400", "Fri, 31 Dec 9999 23:59:59 GMT", "-5", "nan"] {
            let transport = ScriptedTransport([.respond(503, headers: ["Retry-After": value]), .respond(200, body: "{}")])
            do {
                _ = try await call(makeCore(transport), get())
                if !["-5", "nan"].contains(value) { XCTFail("\(value): a wait past the retry budget is not waited for") }
            } catch let error as PayablesError<TestError> {
                XCTAssertEqual(error.status, 503)
                XCTAssertEqual(error.retryAfter, RetryConfiguration.longestWait, value)
                XCTAssertEqual(transport.sent.count, 1, value)
            }
        }
    }

    /// Large backoff exponents trapped the same way.
    func testLargeBackoffExponentsDoNotTrap() {
        let huge = RetryConfiguration(strategy: .backoff(initialInterval: .seconds(1), maxInterval: .seconds(Int64.max), maxElapsedTime: .seconds(3600), exponent: 1e300),
                                      statuses: StatusSet(classes: [5]), retryConnectionErrors: true)
        XCTAssertEqual(huge.backoffInterval(retry: 1), .seconds(1))
        XCTAssertEqual(huge.backoffInterval(retry: 3), RetryConfiguration.longestWait)
        XCTAssertEqual(huge.backoffInterval(retry: Int.max), RetryConfiguration.longestWait)
        for exponent in [Double.nan, -3, .infinity, 0] {
            let odd = RetryConfiguration(strategy: .backoff(initialInterval: .milliseconds(500), maxInterval: .seconds(60), maxElapsedTime: .seconds(3600), exponent: exponent),
                                         statuses: StatusSet(classes: [5]), retryConnectionErrors: true)
            for retry in [1, 2, 3, 1000, Int.max] {
                let wait = odd.backoffInterval(retry: retry)
                XCTAssertTrue(wait >= .zero && wait <= .seconds(60), "exponent \(exponent), retry \(retry): \(wait)")
            }
        }
    }

    /// `Retry-After: 0` or a date in the past meant no wait and no cap (about 1,000 requests a
    /// second until the hour's budget ran out).
    func testRetryAfterZeroOrInThePastHasAMinimumWaitAndAnAttemptCap() async throws {
        for value in ["0", "Sun, 06 Nov 1994 08:49:37 GMT"] {
            let transport = ScriptedTransport(Array(repeating: .respond(429, headers: ["Retry-After": value]), count: 1000))
            do {
                _ = try await call(makeCore(transport), get())
                XCTFail("expected the last 429")
            } catch let error as PayablesError<TestError> {
                XCTAssertEqual(error.status, 429)
                XCTAssertEqual(error.attempts, RetryConfiguration.defaultMaxAttempts)
            }
            let sent = transport.sent
            XCTAssertEqual(sent.count, RetryConfiguration.defaultMaxAttempts, value)
            for (earlier, later) in zip(sent, sent.dropFirst()) {
                XCTAssertGreaterThanOrEqual(later.at - earlier.at, fastRetry.minimumWait, "\(value): never less than the initial interval apart")
            }
        }
        XCTAssertEqual(RetryConfiguration(strategy: .none, statuses: StatusSet(), retryConnectionErrors: false).maxAttempts, 20)
    }

    /// Credentials are not sent over plain http except to loopback, unless the caller opts in.
    func testCredentialsAreNotSentOverPlainHTTPExceptToLoopback() async throws {
        let refused = ScriptedTransport([])
        for server in ["http://api.example.test", "http://10.0.0.1:8080", "HTTP://127.0.0.1.example.test"] {
            do {
                _ = try await call(makeCore(refused, server: server), get())
                XCTFail("\(server): expected a refusal")
            } catch let error as PayablesRequestError {
                XCTAssertTrue(error.description.contains("plain http"), error.description)
            }
        }
        XCTAssertTrue(refused.sent.isEmpty)

        let allowed = ScriptedTransport([])
        for server in ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://api.example.test"] {
            _ = try await call(makeCore(allowed, server: server), get())
        }
        _ = try await call(makeCore(allowed, server: "http://api.example.test", allowsCredentialsOverPlainHTTP: true), get())
        var anonymous = try get()
        anonymous.authenticated = false
        _ = try await call(makeCore(allowed, server: "http://api.example.test"), anonymous)
        XCTAssertEqual(allowed.sent.count, 6)
    }

    /// `debugDescription` printed response header values unscrubbed, and scrubbing matched only
    /// the whole `Basic <b64>` string.
    func testErrorAndDebugTextsScrubTheBareKeyAndCredentialHeaders() async throws {
        let logs = LogCapture()
        let headers = [
            "X-Echo": "you sent Basic c2VjcmV0LWFwaS1rZXk=", "X-Key-Echo": "secret-api-key", "X-Api-Key": "another-credential",
            "X-Auth-Token": "tok-123456", "X-Unpadded": "c2VjcmV0LWFwaS1rZXk", "Idempotency-Key": "5B1E8C3A-0000-4000-8000-000000000001",
        ]
        let body = #"{"error":"key secret-api-key (c2VjcmV0LWFwaS1rZXk) is not valid","correlationId":"abc"}"#
        let transport = ScriptedTransport([.respond(401, headers: headers, body: body)])
        do {
            _ = try await call(makeCore(transport, logger: logs.logger), get())
            XCTFail("expected the 401")
        } catch let error as PayablesError<TestError> {
            for text in [error.description, error.debugDescription, "\(error)", String(reflecting: error)] {
                for secret in ["secret-api-key", "c2VjcmV0LWFwaS1rZXk", "another-credential", "tok-123456"] {
                    XCTAssertFalse(text.contains(secret), "\(secret) in: \(text)")
                }
            }
            XCTAssertEqual(error.headers[HTTPField.Name("X-Api-Key")!], "<redacted>")
            XCTAssertEqual(error.headers[HTTPField.Name("Idempotency-Key")!], "5B1E8C3A-0000-4000-8000-000000000001", "not a credential")
            XCTAssertTrue(error.debugDescription.contains("X-Echo: you sent <redacted>"), error.debugDescription)
        }
        XCTAssertFalse(logs.lines.isEmpty)
        XCTAssertTrue(logs.lines.allSatisfy { !$0.contains("secret-api-key") && !$0.contains("c2VjcmV0LWFwaS1rZXk") }, "\(logs.lines)")
    }

    func testTheFormsOfACredential() {
        XCTAssertEqual(Set(Redaction.secretForms(of: "Basic c2VjcmV0LWFwaS1rZXk=")),
                       ["Basic c2VjcmV0LWFwaS1rZXk=", "Basic c2VjcmV0LWFwaS1rZXk", "c2VjcmV0LWFwaS1rZXk=", "c2VjcmV0LWFwaS1rZXk", "secret-api-key"])
        // user:password (base64 of "ada:pa55word"): both halves and the pair.
        XCTAssertTrue(Set(Redaction.secretForms(of: "Basic YWRhOnBhNTV3b3Jk")).isSuperset(of: ["ada:pa55word", "pa55word"]))
        XCTAssertTrue(Redaction.secretForms(of: "Bearer abc.def.ghi").contains("abc.def.ghi"))
    }

    func testSameOrigin() {
        func same(_ a: String, _ b: String) -> Bool { PayablesURLSessionTransport.isSameOrigin(URL(string: a), URL(string: b)) }
        XCTAssertTrue(same("https://api.codat.io/companies", "https://API.codat.io:443/other"))
        XCTAssertTrue(same("http://127.0.0.1:8080/a", "http://127.0.0.1:8080/b"))
        XCTAssertFalse(same("https://api.codat.io/a", "https://evil.example/a"))
        XCTAssertFalse(same("https://api.codat.io/a", "http://api.codat.io/a"))
        XCTAssertFalse(same("http://127.0.0.1:8080/a", "http://127.0.0.1:8081/a"))
        XCTAssertFalse(same("https://api.codat.io/a", "https://sub.api.codat.io/a"))
    }

    /// The body is read chunk by chunk and reading stops at `maxResponseBytes`.
    func testMaxResponseBytesStopsReadingAtTheLimit() async throws {
        let transport = ScriptedTransport([.stream(200, chunks: 10_000, size: 64 * 1024)])
        let core = ClientCore(serverURL: URL(string: "https://api.example.test")!, credentials: [], transport: transport, middlewares: [],
                              options: ClientOptions(maxResponseBytes: 1024 * 1024), documentRetry: fastRetry)
        do {
            _ = try await call(core, get())
            XCTFail("expected the body to be refused")
        } catch let error as PayablesError<TestError> {
            XCTAssertEqual(error.kind, .undecodableBody)
            XCTAssertTrue(error.description.contains("maxResponseBytes"), error.description)
            XCTAssertEqual(error.attempts, 1)
        }
        XCTAssertLessThanOrEqual(transport.pulled, 1024 * 1024 + 64 * 1024, "no chunk read past the one that crossed the limit")
    }
}
