import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PayablesRuntime
import XCTest

final class RetryTests: XCTestCase {
    private func request(_ method: HTTPVerb, idempotencyKey: String? = nil) throws -> OperationRequest {
        var request = try OperationRequest(operationID: "op", method: method, pathTemplate: "/bills")
        try request.addHeader("Idempotency-Key", idempotencyKey)
        return request
    }

    func testBackoffFollowsTheDocumentsPolicy() {
        let codat = RetryConfiguration(
            strategy: .backoff(initialInterval: .milliseconds(500), maxInterval: .seconds(60), maxElapsedTime: .seconds(3600), exponent: 1.5),
            statuses: StatusSet(codes: [408, 429], classes: [5]), retryConnectionErrors: true)
        XCTAssertEqual(codat.backoffInterval(retry: 1), .milliseconds(500))
        XCTAssertEqual(codat.backoffInterval(retry: 2), .milliseconds(750))
        XCTAssertEqual(codat.backoffInterval(retry: 3), .milliseconds(1125))
        XCTAssertEqual(codat.backoffInterval(retry: 30), .seconds(60))
        XCTAssertTrue(codat.statuses.contains(503) && codat.statuses.contains(429) && !codat.statuses.contains(404))
    }

    func testRetryAfterIsHonoured() async throws {
        let transport = ScriptedTransport([.respond(429, headers: ["Retry-After": "1"]), .respond(503, headers: ["Retry-After": "0.3"]), .respond(200, body: "{}")])
        let start = ContinuousClock.now
        _ = try await call(makeCore(transport), request(.get))
        let sent = transport.sent
        XCTAssertEqual(sent.count, 3)
        XCTAssertGreaterThanOrEqual(sent[1].at - sent[0].at, .seconds(1))
        XCTAssertGreaterThanOrEqual(sent[2].at - sent[1].at, .milliseconds(300))
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(1300))
    }

    func testAServerErrorOnAPostIsNotRetriedUnlessMarkedSafe() async throws {
        let transport = ScriptedTransport([.respond(500, body: #"{"statusCode":500,"error":"boom"}"#), .respond(200, body: "{}")])
        do {
            _ = try await call(makeCore(transport), request(.post))
            XCTFail("expected an error")
        } catch let error as PayablesError<TestError> {
            XCTAssertEqual(error.kind, .errorResponse)
            XCTAssertEqual(error.status, 500)
            XCTAssertEqual(error.model, TestError(statusCode: 500, error: "boom"))
            XCTAssertEqual(error.attempts, 1)
        }
        XCTAssertEqual(transport.sent.count, 1)

        let safe = ScriptedTransport([.respond(500), .respond(200, body: "{}")])
        _ = try await call(makeCore(safe), request(.post), options: CallOptions(retryUnsafeRequests: true))
        XCTAssertEqual(safe.sent.count, 2)

        let get = ScriptedTransport([.respond(500), .respond(502), .respond(200, body: "{}")])
        _ = try await call(makeCore(get), request(.get))
        XCTAssertEqual(get.sent.count, 3)
    }

    func testALostConnectionOnAPostIsNotResentAndTheOutcomeIsUnknown() async throws {
        let transport = ScriptedTransport([.fail(.networkConnectionLost), .respond(200, body: "{}")])
        do {
            _ = try await call(makeCore(transport), request(.post))
            XCTFail("expected an error")
        } catch let error as PayablesError<TestError> {
            XCTAssertEqual(error.kind, .connection)
            XCTAssertTrue(error.outcomeUnknown)
            XCTAssertTrue(error.description.contains("outcome is unknown"), error.description)
        }
        XCTAssertEqual(transport.sent.count, 1)

        // Not sent at all (connection refused): safe to try again.
        let refused = ScriptedTransport([.fail(.cannotConnectToHost), .respond(200, body: "{}")])
        _ = try await call(makeCore(refused), request(.post))
        XCTAssertEqual(refused.sent.count, 2)

        // With an Idempotency-Key too: the caller decides whether to resend that key (CODAT-FACTS §1).
        let keyed = ScriptedTransport([.fail(.networkConnectionLost), .respond(200, body: "{}")])
        let key = UUID().uuidString
        do {
            _ = try await call(makeCore(keyed), request(.post, idempotencyKey: key))
            XCTFail("expected an error")
        } catch let error as PayablesError<TestError> {
            XCTAssertTrue(error.outcomeUnknown)
            XCTAssertEqual(error.idempotencyKey, key)
        }
        XCTAssertEqual(keyed.sent.count, 1)

        // Idempotent methods are retried.
        let get = ScriptedTransport([.fail(.networkConnectionLost), .fail(.timedOut), .respond(200, body: "{}")])
        _ = try await call(makeCore(get), request(.get))
        XCTAssertEqual(get.sent.count, 3)
    }

    func testCancellationStopsRetriesAtOnce() async throws {
        let transport = ScriptedTransport([.respond(503, headers: ["Retry-After": "10"]), .respond(200, body: "{}")])
        let core = makeCore(transport)
        let req = try request(.get)
        let task = Task { try await call(core, req) }
        try await Task.sleep(for: .milliseconds(200))
        let cancelled = ContinuousClock.now
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - cancelled, .seconds(1))
        XCTAssertEqual(transport.sent.count, 1)
    }

    func testAttemptAndCallTimeouts() async throws {
        // A hung GET times out per attempt and is retried.
        let transport = ScriptedTransport([.hang(.seconds(5)), .respond(200, body: "{}")])
        _ = try await call(makeCore(transport, attemptTimeout: .milliseconds(200)), request(.get))
        XCTAssertEqual(transport.sent.count, 2)

        // A hung POST times out and is not resent: its outcome is unknown.
        let post = ScriptedTransport([.hang(.seconds(5)), .respond(200, body: "{}")])
        do {
            _ = try await call(makeCore(post, attemptTimeout: .milliseconds(200)), request(.post))
            XCTFail("expected a timeout")
        } catch let error as PayablesError<TestError> {
            XCTAssertEqual(error.kind, .timedOut)
            XCTAssertTrue(error.outcomeUnknown)
        }
        XCTAssertEqual(post.sent.count, 1)

        // The whole call's limit bounds the retries.
        let slow = ScriptedTransport(Array(repeating: .respond(503, headers: ["Retry-After": "1"]), count: 10))
        let start = ContinuousClock.now
        do {
            _ = try await call(makeCore(slow), request(.get), options: CallOptions(timeout: .milliseconds(1500)))
            XCTFail("expected an error")
        } catch let error as PayablesError<TestError> {
            XCTAssertEqual(error.status, 503)
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
        XCTAssertEqual(slow.sent.count, 2)
    }

    func testRetriesCanBeTurnedOffPerCall() async throws {
        let transport = ScriptedTransport([.respond(503), .respond(200, body: "{}")])
        do {
            _ = try await call(makeCore(transport), request(.get), options: CallOptions(retry: .never))
            XCTFail("expected an error")
        } catch let error as PayablesError<TestError> {
            XCTAssertEqual(error.status, 503)
        }
        XCTAssertEqual(transport.sent.count, 1)
    }

    func testTheCredentialAppearsInNoLogLineAndNoErrorText() async throws {
        let logs = LogCapture()
        // The server echoes the credential back in its body: it is scrubbed from the error too.
        let transport = ScriptedTransport([.respond(503), .respond(401, headers: ["Set-Cookie": "session=abc"],
                                                                  body: #"{"error":"bad key Basic c2VjcmV0LWFwaS1rZXk="}"#)])
        do {
            _ = try await call(makeCore(transport, logger: logs.logger), request(.get))
            XCTFail("expected an error")
        } catch let error as PayablesError<TestError> {
            for text in [error.description, error.debugDescription, "\(error)", String(reflecting: error)] {
                XCTAssertFalse(text.contains("c2VjcmV0LWFwaS1rZXk="), text)
                XCTAssertFalse(text.contains("session=abc"), text)
            }
        }
        XCTAssertEqual(logs.lines.count, 3, "one line per request, one per retry: \(logs.lines)")
        XCTAssertTrue(logs.lines.allSatisfy { !$0.contains("c2VjcmV0LWFwaS1rZXk=") }, "\(logs.lines)")
        XCTAssertFalse("\(makeCore(transport))".contains("c2VjcmV0"))
    }
}
