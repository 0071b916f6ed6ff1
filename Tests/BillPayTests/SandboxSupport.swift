import BillPay
import CodatSandbox
import CodatSyncPayables
import CodatSyncPayablesV1
import Foundation
import Logging
import OpenAPIURLSession
import XCTest

// Real HTTP over loopback: each test starts its own sandbox and stops it at the end.
// This file names only the two client types, never a model, so it can import both modules.

/// The API key the tests use; it must never be printed.
let sandboxAPIKey = "billpay-tests-key-3f9a"
let sandboxAuthHeader = "Basic " + Data(sandboxAPIKey.utf8).base64EncodedString()

/// Retries fast enough for tests that inject many faults (the document's policy waits 500 ms first).
let fastRetry = RetryConfiguration(
    strategy: .backoff(initialInterval: .milliseconds(5), maxInterval: .milliseconds(50), maxElapsedTime: .seconds(30), exponent: 2),
    statuses: StatusSet(codes: [408, 429], classes: [5]),
    retryConnectionErrors: true
)

/// Starts a sandbox for one test and stops it when the test ends.
func startSandbox(_ test: XCTestCase, pushDelay: Duration = .milliseconds(300), extraBills: Int = 0,
                  faultSeed: UInt64 = 0x5EED, writeProcessingTime: Duration = .zero) async throws -> CodatSandbox {
    // Refreshes take 50 ms of sandbox time (Codat: seconds to minutes), so that tests that read
    // what a push wrote (after a refresh, CODAT-FACTS §2) stay fast.
    let sandbox = try await CodatSandbox.start(SandboxConfiguration(
        pushDelay: pushDelay, apiKey: sandboxAPIKey, extraBills: extraBills, faultSeed: faultSeed, writeProcessingTime: writeProcessingTime,
        refreshDuration: .milliseconds(50)))
    test.addTeardownBlock { await sandbox.stop() }
    return sandbox
}

/// Retry notices stay out of the test output (warnings and errors still show).
let quietLogger: Logger = {
    var logger = Logger(label: "billpay-tests")
    logger.logLevel = .warning
    return logger
}()

func syncClient(_ sandbox: CodatSandbox, retry: RetryConfiguration? = nil, attemptTimeout: Duration = .seconds(20)) -> CodatSyncPayables.Client {
    CodatSyncPayables.Client(serverURL: sandbox.baseURL, authHeader: sandboxAuthHeader, transport: URLSessionTransport(),
                      options: ClientOptions(retry: retry, attemptTimeout: attemptTimeout, logger: quietLogger))
}

func v1Client(_ sandbox: CodatSandbox, retry: RetryConfiguration? = nil, attemptTimeout: Duration = .seconds(20)) -> CodatSyncPayablesV1.Client {
    CodatSyncPayablesV1.Client(serverURL: sandbox.baseURL, authHeader: sandboxAuthHeader, transport: URLSessionTransport(),
                        options: ClientOptions(retry: retry, attemptTimeout: attemptTimeout, logger: quietLogger))
}

/// The seeded company of an integration, as a workflow's `CompanyConnection`.
func connection(_ sandbox: CodatSandbox, _ integration: SandboxIntegration) throws -> CompanyConnection {
    let company = try XCTUnwrap(sandbox.company(integration), "no seeded \(integration) company")
    return CompanyConnection(companyId: company.id, companyName: company.name, connectionId: try XCTUnwrap(company.connectionId),
                             platformName: integration.platformName)
}

/// Polling fast enough for short push delays.
let fastPolling = PushPolling(initialInterval: .milliseconds(20), multiplier: 1.5, maxInterval: .milliseconds(200), timeout: .seconds(30))

extension CodatSandbox {
    /// Requests that reached an operation (`sync.create-bill-payment`, `v1.create-account`).
    func requests(_ operation: String) -> [RecordedRequest] {
        recordedRequests.filter { $0.operation == operation }
    }
}

/// Today as `yyyy-MM-dd`.
var today: String {
    String(DateTime(Date()).text.prefix(10))
}

/// The payment layer's clock on the sandbox's: waiting moves sandbox time forward (push delays,
/// `TimedOut`, refreshes and the 90-minute idempotency window are all measured on it), so tests
/// never wait Codat's durations for real.
struct SandboxPaymentClock: PaymentClock {
    let sandbox: CodatSandbox
    func now() -> Date { sandbox.now }
    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        sandbox.advanceClock(by: duration)
        // Lets the server and the other tasks run, as a real wait would.
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// Short waits, on the sandbox's clock; `TimedOut` pushes settle after 5 minutes of sandbox time
/// (the sandbox lands a timed-out write at most `timedOutWriteLandingDelay`, 2 minutes, later).
let testDelivery = DeliveryPolicy(
    maxAttempts: 3, replayInterval: .seconds(1), inFlightInterval: .seconds(1), inFlightMaxWait: .seconds(60),
    pushSettleTimeout: .seconds(600), timedOutSettleTime: .seconds(300), refreshTimeout: .seconds(120), clockSkew: .seconds(5),
    pollInterval: .milliseconds(200),
    sendRetry: RetryConfiguration(strategy: .backoff(initialInterval: .milliseconds(5), maxInterval: .milliseconds(50), maxElapsedTime: .seconds(30), exponent: 2),
                                  statuses: StatusSet(codes: [429]), retryConnectionErrors: false, keyInProgressWait: .zero))

/// Push polling for the sandbox clock.
let sandboxPolling = PushPolling(initialInterval: .milliseconds(200), multiplier: 1.5, maxInterval: .seconds(5), timeout: .seconds(3600))
