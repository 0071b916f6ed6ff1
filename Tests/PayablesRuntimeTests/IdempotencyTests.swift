import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import PayablesRuntime
import XCTest

/// What the runtime does with a request that carries an `Idempotency-Key`, by CODAT-FACTS §1:
/// Codat caches every answer for the key except 429, answers 409 while the first request with
/// the key is in progress, and replays a cached 5xx for 90 minutes.
final class IdempotencyTests: XCTestCase {
    private func post(key: String? = nil, method: HTTPVerb = .post) throws -> OperationRequest {
        var request = try OperationRequest(operationID: "create-bill-payment", method: method, pathTemplate: "/bills/{id}/payments",
                                           pathParameters: [("id", "b-1")])
        try request.addHeader("Idempotency-Key", key)
        try request.setJSONBody(["amount": "10"])
        return request
    }

    private func keys(_ transport: ScriptedTransport) -> [String?] {
        transport.sent.map { $0.request.headerFields[HTTPField.Name("Idempotency-Key")!] }
    }

    func testAKeyedWriteIsResentWithTheSameKeyAfter429AtRetryAfter() async throws {
        for method in [HTTPVerb.post, .patch] {
            let key = UUID().uuidString
            let transport = ScriptedTransport([.respond(429, headers: ["Retry-After": "0.2"]), .respond(201, body: "{}")])
            _ = try await call(makeCore(transport), post(key: key, method: method))
            XCTAssertEqual(keys(transport), [key, key])
            XCTAssertEqual(transport.sent.map(\.body), Array(repeating: transport.sent[0].body, count: 2), "the same body")
            XCTAssertGreaterThanOrEqual(transport.sent[1].at - transport.sent[0].at, .milliseconds(200))
        }
    }

    func testAKeyedWriteIsResentWithTheSameKeyWhileTheFirstIsInProgress() async throws {
        let key = UUID().uuidString
        let transport = ScriptedTransport([.respond(409), .respond(409), .respond(201, body: #"{"id":"p-1"}"#)])
        let created = try await call(makeCore(transport), post(key: key))
        XCTAssertEqual(created, ["id": "p-1"])
        XCTAssertEqual(keys(transport), [key, key, key])
    }

    func testTheWaitForAKeyInProgressIsBounded() async throws {
        let key = UUID().uuidString
        var retry = fastRetry
        retry.keyInProgressWait = .milliseconds(100)
        retry.maxAttempts = nil
        let transport = ScriptedTransport(Array(repeating: .respond(409, body: #"{"statusCode":409}"#), count: 1000))
        do {
            _ = try await call(makeCore(transport, retry: retry), post(key: key))
            XCTFail("expected the 409")
        } catch let error as PayablesError<TestError> {
            XCTAssertEqual(error.status, 409)
            XCTAssertEqual(error.attempts, transport.sent.count)
            XCTAssertEqual(error.idempotencyKey, key)
        }
        XCTAssertGreaterThan(transport.sent.count, 1, "resent while in progress")
        XCTAssertLessThan(transport.sent.count, 1000, "and stopped at keyInProgressWait")
        // The budget starts with the first attempt, a little before the transport sees its request.
        XCTAssertGreaterThanOrEqual(transport.sent.last!.at - transport.sent[0].at, .milliseconds(90), "one last try at the budget's end")

        // Zero: the first 409 is returned.
        retry.keyInProgressWait = .zero
        let once = ScriptedTransport([.respond(409), .respond(201, body: "{}")])
        await XCTAssertThrowsErrorAsync(try await call(makeCore(once, retry: retry), post(key: key)))
        XCTAssertEqual(once.sent.count, 1)
    }

    func testA409WithoutAKeyIsAConflictNotAWait() async throws {
        let transport = ScriptedTransport([.respond(409), .respond(201, body: "{}")])
        await XCTAssertThrowsErrorAsync(try await call(makeCore(transport), post()))
        XCTAssertEqual(transport.sent.count, 1)
    }

    func testAKeyedWriteIsNeverResentAfterAnotherStatus() async throws {
        // Codat caches these answers for the key and would replay them (5xx included).
        for status in [400, 401, 404, 408, 422, 500, 502, 503, 504] {
            for unsafe in [false, true] {
                let transport = ScriptedTransport([.respond(status, headers: ["Retry-After": "0"]), .respond(201, body: "{}")])
                do {
                    _ = try await call(makeCore(transport), post(key: UUID().uuidString), options: CallOptions(retryUnsafeRequests: unsafe))
                    XCTFail("expected \(status)")
                } catch let error as PayablesError<TestError> {
                    XCTAssertEqual(error.status, status)
                    XCTAssertFalse(error.outcomeUnknown, "an answer arrived")
                }
                XCTAssertEqual(transport.sent.count, 1, "\(status), retryUnsafeRequests \(unsafe)")
            }
        }
    }

    /// `update-bill` is a PUT that declares the key: its answers are cached for the key too.
    func testAKeyedPutIsNotResentAfterA5xxButAnUnkeyedOneIs() async throws {
        let keyed = ScriptedTransport([.respond(503), .respond(200, body: "{}")])
        await XCTAssertThrowsErrorAsync(try await call(makeCore(keyed), post(key: UUID().uuidString, method: .put)))
        XCTAssertEqual(keyed.sent.count, 1)
        let plain = ScriptedTransport([.respond(503), .respond(200, body: "{}")])
        _ = try await call(makeCore(plain), post(method: .put))
        XCTAssertEqual(plain.sent.count, 2)
    }

    func testAnUnkeyedWriteIsResentOnlyAfter429() async throws {
        for status in [408, 500, 503] {
            let transport = ScriptedTransport([.respond(status), .respond(201, body: "{}")])
            await XCTAssertThrowsErrorAsync(try await call(makeCore(transport), post()))
            XCTAssertEqual(transport.sent.count, 1, "\(status): a 5xx does not say whether the write happened")
        }
        let limited = ScriptedTransport([.respond(429, headers: ["Retry-After": "0"]), .respond(201, body: "{}")])
        _ = try await call(makeCore(limited), post())
        XCTAssertEqual(limited.sent.count, 2)
    }

    func testAKeyedWriteWhoseAnswerWasLostIsNotResent() async throws {
        let cases: [(ScriptedTransport.Step, PayablesErrorKind)] = [
            (.fail(.networkConnectionLost), .connection), (.fail(.timedOut), .connection),
            (.truncated(201, body: #"{"id":"#), .connection), (.hang(.seconds(5)), .timedOut),
        ]
        for (step, kind) in cases {
            let key = UUID().uuidString
            let transport = ScriptedTransport([step, .respond(201, body: "{}")])
            do {
                _ = try await call(makeCore(transport, attemptTimeout: .milliseconds(200)), post(key: key))
                XCTFail("expected an unknown outcome for \(step)")
            } catch let error as PayablesError<TestError> {
                XCTAssertEqual(error.kind, kind)
                XCTAssertTrue(error.outcomeUnknown, "\(step)")
                XCTAssertEqual(error.idempotencyKey, key, "the key to resend with")
                XCTAssertTrue(error.description.contains(key), error.description)
            }
            XCTAssertEqual(transport.sent.count, 1, "\(step)")
        }
    }

    func testAKeyedWriteThatCouldNotConnectIsResentWithTheSameKey() async throws {
        let key = UUID().uuidString
        let transport = ScriptedTransport([.fail(.cannotConnectToHost), .fail(.cannotFindHost), .respond(201, body: "{}")])
        _ = try await call(makeCore(transport), post(key: key))
        XCTAssertEqual(keys(transport), [key, key, key])
    }

    func testCallOptionsIdempotencyKeyIsSentOnAnyPostOrPatch() async throws {
        let key = UUID().uuidString
        let transport = ScriptedTransport([.respond(201, body: "{}"), .respond(201, body: "{}"), .respond(429), .respond(201, body: "{}")])
        // Not declared by the operation: the option sets the header, once.
        _ = try await call(makeCore(transport), post(), options: CallOptions(idempotencyKey: key))
        // Declared and given the same value in both places: one header.
        _ = try await call(makeCore(transport), post(key: key), options: CallOptions(headers: ["idempotency-key": key], idempotencyKey: key))
        // The option's key is kept across a 429.
        _ = try await call(makeCore(transport), post(method: .patch), options: CallOptions(idempotencyKey: key))
        XCTAssertEqual(keys(transport), [key, key, key, key])
        for sent in transport.sent {
            XCTAssertEqual(sent.request.headerFields[values: HTTPField.Name("Idempotency-Key")!].count, 1)
        }
    }

    func testConflictingOrMalformedKeysAreRefusedBeforeSending() async throws {
        let transport = ScriptedTransport([])
        let cases: [(OperationRequest, CallOptions, String)] = [
            (try post(key: UUID().uuidString), CallOptions(idempotencyKey: UUID().uuidString), "two different"),
            (try post(), CallOptions(headers: ["Idempotency-Key": UUID().uuidString], idempotencyKey: UUID().uuidString), "two different"),
            (try post(), CallOptions(idempotencyKey: "payment-1"), "not a GUID"),
            (try post(key: ""), CallOptions(), "not a GUID"),
        ]
        for (request, options, message) in cases {
            do {
                _ = try await call(makeCore(transport), request, options: options)
                XCTFail("expected a refusal")
            } catch let error as PayablesRequestError {
                XCTAssertTrue(error.description.contains(message), error.description)
            }
        }
        XCTAssertTrue(transport.sent.isEmpty)
    }

    func testTheErrorCarriesCodatsErrorFieldsAndTheRateLimit() async throws {
        let body = #"{"statusCode":429,"service":"PublicApi","error":"Too many","correlationId":"7b1e2c","canBeRetried":"True","detailedErrorCode":42901}"#
        let headers = ["Retry-After": "30", "X-Rate-Limit-Limit": "3000", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "Mon, 01 Jun 2026 00:00:00 GMT"]
        let logs = LogCapture()
        let key = UUID().uuidString
        var retry = fastRetry
        retry.maxAttempts = 1
        let transport = ScriptedTransport([.respond(429, headers: headers, body: body)])
        do {
            _ = try await call(makeCore(transport, retry: retry, logger: logs.logger), post(), options: CallOptions(idempotencyKey: key))
            XCTFail("expected the 429")
        } catch let error as PayablesError<TestError> {
            XCTAssertEqual(error.correlationId, "7b1e2c")
            XCTAssertEqual(error.canBeRetried, true)
            XCTAssertEqual(error.detailedErrorCode, 42901)
            XCTAssertEqual(error.retryAfter, .seconds(30))
            XCTAssertEqual(error.idempotencyKey, key)
            XCTAssertEqual(error.rateLimit?.limit, 3000)
            XCTAssertEqual(error.rateLimit?.remaining, 0)
            XCTAssertEqual(error.rateLimit?.resetDate, Date(timeIntervalSince1970: 1_780_272_000))
            XCTAssertTrue(error.description.contains("correlationId 7b1e2c"), error.description)
        }
        XCTAssertTrue(logs.lines.contains { $0.contains("-> 429") && $0.contains("correlationId 7b1e2c") }, "\(logs.lines)")

        // "False", a JSON boolean, an unknown word; Unix seconds for the reset.
        for (value, expected) in [(#""False""#, false), ("true", true), (#""Unknown""#, nil)] as [(String, Bool?)] {
            let transport = ScriptedTransport([.respond(400, headers: ["X-Rate-Limit-Reset": "1780272000"], body: #"{"canBeRetried":\#(value)}"#)])
            do {
                _ = try await call(makeCore(transport), post())
            } catch let error as PayablesError<TestError> {
                XCTAssertEqual(error.canBeRetried, expected, value)
                XCTAssertNil(error.correlationId)
                XCTAssertEqual(error.rateLimit, RateLimit(reset: "1780272000"))
                XCTAssertEqual(error.rateLimit?.resetDate, Date(timeIntervalSince1970: 1_780_272_000))
            }
        }
    }
}

func XCTAssertThrowsErrorAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
    } catch {}
}
