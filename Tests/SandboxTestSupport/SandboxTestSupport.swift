import BillPay
import CodatSandbox
import Foundation
import PayablesRuntime
import XCTest

// What the Bill Pay layer needs to run against an in-process sandbox in tests (BillPayTests,
// PaymentRunTests, PaymentRunPostgresTests). Names no generated model: those modules declare
// common type names, and each test file imports only the ones it uses.

/// Retries fast enough for tests that inject many faults (the document's policy waits 500 ms first).
public let fastRetry = RetryConfiguration(
    strategy: .backoff(initialInterval: .milliseconds(5), maxInterval: .milliseconds(50), maxElapsedTime: .seconds(30), exponent: 2),
    statuses: StatusSet(codes: [408, 429], classes: [5]),
    retryConnectionErrors: true
)

/// The payment layer's clock on the sandbox's: waiting moves sandbox time forward (push delays,
/// `TimedOut`, refreshes and the 90-minute idempotency window are all measured on it), so tests
/// never wait Codat's durations for real.
public struct SandboxPaymentClock: PaymentClock {
    public let sandbox: CodatSandbox

    public init(sandbox: CodatSandbox) { self.sandbox = sandbox }

    public func now() -> Date { sandbox.now }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        sandbox.advanceClock(by: duration)
        // Lets the server and the other tasks run, as a real wait would.
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// Short waits, on the sandbox's clock; `TimedOut` pushes settle after 5 minutes of sandbox time
/// (the sandbox lands a timed-out write at most `timedOutWriteLandingDelay`, 2 minutes, later).
/// A 429 is resent after at most `maxSendRetryInterval`.
public func sandboxDelivery(maxSendRetryInterval: Duration = .milliseconds(50)) -> DeliveryPolicy {
    DeliveryPolicy(
        maxAttempts: 3, replayInterval: .seconds(1), inFlightInterval: .seconds(1), inFlightMaxWait: .seconds(60),
        pushSettleTimeout: .seconds(600), timedOutSettleTime: .seconds(300), refreshTimeout: .seconds(120), clockSkew: .seconds(5),
        pollInterval: .milliseconds(200),
        sendRetry: RetryConfiguration(strategy: .backoff(initialInterval: .milliseconds(5), maxInterval: maxSendRetryInterval, maxElapsedTime: .seconds(30), exponent: 2),
                                      statuses: StatusSet(codes: [429]), retryConnectionErrors: false, keyInProgressWait: .zero))
}

/// Push polling for the sandbox clock.
public let sandboxPolling = PushPolling(initialInterval: .milliseconds(200), multiplier: 1.5, maxInterval: .seconds(5), timeout: .seconds(3600))

/// The seeded company of an integration, as a workflow's `CompanyConnection`.
public func connection(_ sandbox: CodatSandbox, _ integration: SandboxIntegration = .xero) throws -> CompanyConnection {
    let company = try XCTUnwrap(sandbox.company(integration), "no seeded \(integration) company")
    return CompanyConnection(companyId: company.id, companyName: company.name, connectionId: try XCTUnwrap(company.connectionId),
                             platformName: integration.platformName)
}
