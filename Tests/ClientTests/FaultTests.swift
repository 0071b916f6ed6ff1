import CodatSandbox
import CodatSyncPayables
import Foundation
import OpenAPIURLSession
import XCTest

/// Retries, unknown outcomes, cancellation and redaction against faults the sandbox injects.
/// The client runs with the document's own retry policy (`x-speakeasy-retries`).
final class FaultTests: XCTestCase {
    func client(_ sandbox: CodatSandbox, logs: LogCapture) -> CodatSyncPayables.Client {
        CodatSyncPayables.Client(serverURL: sandbox.baseURL, authHeader: authHeader, transport: URLSessionTransport(),
                          options: ClientOptions(attemptTimeout: .seconds(20), logger: logs.logger))
    }

    func testTooManyRequestsThenSuccessWaitsRetryAfter() async throws {
        let sandbox = try await startSandbox(self)
        let logs = LogCapture()
        let codat = client(sandbox, logs: logs)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = sandbox.inject(.status(429, retryAfter: 1), on: .operation("sync.list-bills"), times: 2)
        let bills = try await codat.bills.list(companyId: xero.id, connectionId: xero.connectionId!)
        XCTAssertFalse(bills.results?.isEmpty ?? true)
        let attempts = sandbox.requests("sync.list-bills")
        XCTAssertEqual(attempts.map(\.responseStatus), [429, 429, 200])
        for (earlier, later) in zip(attempts, attempts.dropFirst()) {
            XCTAssertGreaterThanOrEqual(later.receivedAt.timeIntervalSince(earlier.receivedAt), 0.99, "waited at least Retry-After")
        }
        XCTAssertEqual(logs.lines.filter { $0.contains("retry") }.count, 2, "one line per retry: \(logs.lines)")
        XCTAssertEqual(logs.lines.filter { $0.contains("-> ") }.count, 3, "one line per request: \(logs.lines)")
        assertNoSecret(logs.lines)
    }

    /// CODAT-FACTS §1, §3: a 429 is not cached, the key is released; a retry after
    /// `Retry-After` with the same key is a fresh attempt.
    func testTooManyRequestsOnAKeyedPaymentIsResentWithTheSameKeyAndRecordedOnce() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox, logs: LogCapture())
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let (bill, account) = try await payableBill(codat, xero)
        _ = sandbox.inject(.status(429, retryAfter: 1), on: .operation("sync.create-bill-payment"), times: 1)
        let before = sandbox.billPayments(companyId: xero.id, api: .sync).count
        let key = UUID().uuidString
        _ = try await codat.billPayments.create(companyId: xero.id, connectionId: xero.connectionId!, billId: bill, idempotencyKey: key,
                                                body: BillPaymentPrototype(amount: 10, date: "2024-06-01", accountRef: BillPaymentAccountRef(id: account)))
        let attempts = sandbox.requests("sync.create-bill-payment")
        XCTAssertEqual(attempts.map(\.responseStatus), [429, 201])
        XCTAssertEqual(attempts.map { $0.header("Idempotency-Key") }, [key, key], "the same key on the resend")
        XCTAssertGreaterThanOrEqual(attempts[1].receivedAt.timeIntervalSince(attempts[0].receivedAt), 0.99)
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .sync).count, before + 1)
    }

    /// CODAT-FACTS §1: every non-429 answer is cached for the key (5xx included) and would only be
    /// replayed, and without a key a 5xx does not say whether the payment was made: never resent.
    func testServiceUnavailableOnAPaymentIsNotResentWithOrWithoutAKey() async throws {
        let sandbox = try await startSandbox(self)
        let logs = LogCapture()
        let codat = client(sandbox, logs: logs)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let (bill, account) = try await payableBill(codat, xero)
        for key in [UUID().uuidString, nil] {
            sandbox.clearRecordedRequests()
            _ = sandbox.inject(.status(503, retryAfter: 0), on: .operation("sync.create-bill-payment"), times: 1)
            do {
                _ = try await codat.billPayments.create(companyId: xero.id, connectionId: xero.connectionId!, billId: bill, idempotencyKey: key,
                                                        body: BillPaymentPrototype(amount: 10, date: "2024-06-01", accountRef: BillPaymentAccountRef(id: account)))
                XCTFail("expected the 503")
            } catch let error as CodatSyncPayablesError {
                XCTAssertEqual(error.status, 503)
                XCTAssertEqual(error.attempts, 1)
                XCTAssertEqual(error.idempotencyKey, key)
                XCTAssertEqual(error.canBeRetried, true, "Codat says transient, yet a keyed resend would replay it")
                XCTAssertNotNil(error.correlationId)
                XCTAssertEqual(error.model?.correlationId, error.correlationId)
                let correlationId = try XCTUnwrap(error.correlationId)
                XCTAssertTrue(logs.lines.contains { $0.contains("-> 503") && $0.contains("correlationId \(correlationId)") }, "\(logs.lines)")
            }
            XCTAssertEqual(sandbox.requests("sync.create-bill-payment").map(\.responseStatus), [503], "key \(key ?? "none")")
        }
    }

    func testAPaymentWhoseConnectionDroppedAfterProcessingIsNotResent() async throws {
        for fault in [Fault.dropAfterProcessing, .truncateAfterProcessing] {
            let sandbox = try await startSandbox(self)
            let logs = LogCapture()
            let codat = client(sandbox, logs: logs)
            let xero = try XCTUnwrap(sandbox.company(.xero))
            let (bill, account) = try await payableBill(codat, xero)
            let before = sandbox.billPayments(companyId: xero.id, api: .sync).count
            _ = sandbox.inject(fault, on: .operation("sync.create-bill-payment"), times: 1)
            do {
                _ = try await codat.billPayments.create(companyId: xero.id, connectionId: xero.connectionId!, billId: bill,
                                                        body: BillPaymentPrototype(amount: 10, date: "2024-06-01", accountRef: BillPaymentAccountRef(id: account)))
                XCTFail("expected an error for \(fault)")
            } catch let error as CodatSyncPayablesError {
                XCTAssertTrue(error.outcomeUnknown, "\(fault): \(error)")
                XCTAssertTrue(error.description.contains("outcome is unknown"), error.description)
                XCTAssertEqual(error.attempts, 1)
                assertNoSecret([error.description, error.debugDescription])
            }
            XCTAssertEqual(sandbox.requests("sync.create-bill-payment").count, 1, "\(fault): sent once, never again")
            XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .sync).count, before + 1, "\(fault): the server did record it")
            assertNoSecret(logs.lines)

            // A read dropped the same way is retried: GET is idempotent.
            _ = sandbox.inject(fault, on: .operation("sync.list-bills"), times: 1)
            _ = try await codat.bills.list(companyId: xero.id, connectionId: xero.connectionId!)
            XCTAssertEqual(sandbox.requests("sync.list-bills").suffix(2).map(\.faults.isEmpty), [false, true])
            await sandbox.stop()
        }
    }

    /// Why a 5xx on a keyed payment is never resent: the payment may have been made (here it
    /// was), and Codat replays the cached 5xx for the key for 90 minutes (CODAT-FACTS §1).
    func testA5xxAfterTheWriteWasMadeIsNotResentAndTheKeyReplaysIt() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox, logs: LogCapture())
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let (bill, account) = try await payableBill(codat, xero)
        let before = sandbox.billPayments(companyId: xero.id, api: .sync).count
        _ = sandbox.inject(.statusAfterProcessing(502), on: .operation("sync.create-bill-payment"), times: 1)
        let key = UUID().uuidString
        let payment = BillPaymentPrototype(amount: 10, date: "2024-06-01", accountRef: BillPaymentAccountRef(id: account))
        for attempt in 1...2 {
            do {
                _ = try await codat.billPayments.create(companyId: xero.id, connectionId: xero.connectionId!, billId: bill, idempotencyKey: key, body: payment)
                XCTFail("expected the 502")
            } catch let error as CodatSyncPayablesError {
                XCTAssertEqual(error.status, 502, "call \(attempt)")
                XCTAssertEqual(error.attempts, 1, "call \(attempt): not resent by the runtime")
            }
        }
        XCTAssertEqual(sandbox.requests("sync.create-bill-payment").map(\.responseStatus), [502, 502], "the second call got the cached answer")
        XCTAssertEqual(sandbox.billPayments(companyId: xero.id, api: .sync).count, before + 1, "the payment was made once")
    }

    /// A lost answer stays unknown even with a key: the runtime does not resend, the caller
    /// does, with the same key (CODAT-FACTS §1), and the server records the write once.
    func testALostAnswerToAKeyedWriteIsNotResentAndTheCallerResendsTheSameKey() async throws {
        for fault in [Fault.dropBeforeProcessing, .dropAfterProcessing, .truncateAfterProcessing] {
            let sandbox = try await startSandbox(self)
            let codat = client(sandbox, logs: LogCapture())
            let xero = try XCTUnwrap(sandbox.company(.xero))
            let suppliersBefore = sandbox.records(.suppliers, companyId: xero.id).count
            _ = sandbox.inject(fault, on: .operation("sync.create-supplier"), times: 1)
            let key = UUID().uuidString
            let prototype = SupplierPrototype(supplierName: "Retry Ltd", status: .active)
            do {
                _ = try await codat.suppliers.create(companyId: xero.id, connectionId: xero.connectionId!, idempotencyKey: key, body: prototype)
                XCTFail("expected an unknown outcome for \(fault)")
            } catch let error as CodatSyncPayablesError {
                XCTAssertTrue(error.outcomeUnknown, "\(fault): \(error)")
                XCTAssertEqual(error.idempotencyKey, key)
                XCTAssertEqual(error.attempts, 1)
            }
            XCTAssertEqual(sandbox.requests("sync.create-supplier").count, 1, "\(fault): not resent by the runtime")

            // The caller resends the same request with the same key: one supplier, whatever happened.
            let supplier = try await codat.suppliers.create(companyId: xero.id, connectionId: xero.connectionId!, idempotencyKey: key, body: prototype)
            XCTAssertEqual(supplier.supplierName, "Retry Ltd")
            XCTAssertEqual(sandbox.requests("sync.create-supplier").map { $0.header("Idempotency-Key") }, [key, key])
            XCTAssertEqual(sandbox.records(.suppliers, companyId: xero.id).count, suppliersBefore + 1, "\(fault): recorded once")
            await sandbox.stop()
        }
    }

    /// CODAT-FACTS §1: the same key while the first request is in progress gets 409; the runtime
    /// waits (backoff, bounded by `keyInProgressWait`) and resends the same key, then gets the
    /// first request's answer replayed. One supplier.
    func testASecondRequestWithAKeyInProgressWaitsForTheFirstsAnswer() async throws {
        var configuration = SandboxConfiguration(apiKey: apiKey)
        configuration.writeProcessingTime = .milliseconds(1500)
        let sandbox = try await startSandbox(self, configuration)
        let codat = client(sandbox, logs: LogCapture())
        let xero = try XCTUnwrap(sandbox.company(.xero))
        let suppliersBefore = sandbox.records(.suppliers, companyId: xero.id).count
        let key = UUID().uuidString
        let prototype = SupplierPrototype(supplierName: "In Progress Ltd", status: .active)
        let first = Task { try await codat.suppliers.create(companyId: xero.id, connectionId: xero.connectionId!, idempotencyKey: key, body: prototype) }
        while sandbox.requests("sync.create-supplier").isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let second = try await codat.suppliers.create(companyId: xero.id, connectionId: xero.connectionId!, idempotencyKey: key, body: prototype)
        let original = try await first.value
        XCTAssertEqual(second.id, original.id, "the first request's answer, replayed")
        let sent = sandbox.requests("sync.create-supplier")
        XCTAssertTrue(sent.allSatisfy { $0.header("Idempotency-Key") == key })
        XCTAssertTrue(sent.contains { $0.responseStatus == 409 }, "the second met the first in progress: \(sent.map(\.responseStatus))")
        XCTAssertEqual(sandbox.records(.suppliers, companyId: xero.id).count, suppliersBefore + 1)
    }

    /// A failure to connect (nothing was sent) is retried, for a POST too, with the same key.
    func testAPaymentThatCouldNotConnectIsRetriedAndNotUnknown() async throws {
        let closed = try await startSandbox(self)
        let url = closed.baseURL
        await closed.stop()
        let retry = RetryConfiguration(strategy: .backoff(initialInterval: .milliseconds(10), maxInterval: .milliseconds(20), maxElapsedTime: .seconds(30), exponent: 1.5),
                                       statuses: StatusSet(codes: [429]), retryConnectionErrors: true, maxAttempts: 3)
        let logs = LogCapture()
        let codat = CodatSyncPayables.Client(serverURL: url, authHeader: authHeader, transport: URLSessionTransport(),
                                      options: ClientOptions(retry: retry, attemptTimeout: .seconds(20), logger: logs.logger))
        let key = UUID().uuidString
        do {
            _ = try await codat.billPayments.create(companyId: "c", connectionId: "k", billId: "b", idempotencyKey: key,
                                                    body: BillPaymentPrototype(amount: 10, date: "2024-06-01", accountRef: BillPaymentAccountRef(id: "a")))
            XCTFail("expected a connection error")
        } catch let error as CodatSyncPayablesError {
            XCTAssertEqual(error.kind, .connection)
            XCTAssertFalse(error.outcomeUnknown, "nothing was sent: \(error)")
            XCTAssertEqual(error.attempts, 3)
            XCTAssertEqual(error.idempotencyKey, key)
        }
        XCTAssertEqual(logs.lines.filter { $0.contains("retry") && $0.contains("same Idempotency-Key") }.count, 2, "\(logs.lines)")
    }

    func testCancellationStopsRetriesAtOnce() async throws {
        let sandbox = try await startSandbox(self)
        let codat = client(sandbox, logs: LogCapture())
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = sandbox.inject(.status(503, retryAfter: 30), on: .operation("sync.list-bills"))
        let task = Task { try await codat.bills.list(companyId: xero.id, connectionId: xero.connectionId!) }
        while sandbox.requests("sync.list-bills").isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(100))
        let cancelledAt = ContinuousClock.now
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - cancelledAt, .milliseconds(500))
        XCTAssertEqual(sandbox.requests("sync.list-bills").count, 1)
    }

    func testTheAPIKeyAppearsInNoLogLineAndNoErrorDescription() async throws {
        let sandbox = try await startSandbox(self)
        let logs = LogCapture()
        let codat = client(sandbox, logs: logs)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = sandbox.inject(.status(500), on: .operation("sync.list-bills"), times: 1)
        _ = try await codat.bills.list(companyId: xero.id, connectionId: xero.connectionId!)
        var texts: [String] = []
        do {
            _ = try await codat.bills.listAttachments(companyId: xero.id, connectionId: xero.connectionId!, billId: "missing")
        } catch {
            texts += ["\(error)", String(reflecting: error), error.localizedDescription]
        }
        texts += [codat.description, codat.debugDescription, String(reflecting: codat)]
        XCTAssertFalse(logs.lines.isEmpty)
        assertNoSecret(logs.lines + texts)
        // The key did reach the server, in the header only.
        XCTAssertEqual(sandbox.recordedRequests.last?.header("Authorization"), authHeader)
    }
}
