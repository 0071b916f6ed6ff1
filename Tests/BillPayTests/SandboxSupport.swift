import BillPay
import CodatSandbox
import CodatSyncPayables
import CodatSyncPayablesV1
import Foundation
import Logging
import OpenAPIURLSession
import SandboxTestSupport
import XCTest

// Real HTTP over loopback: each test starts its own sandbox and stops it at the end.
// This file names only the two client types, never a model, so it can import both modules.

/// The API key the tests use; it must never be printed.
let sandboxAPIKey = "billpay-tests-key-3f9a"
let sandboxAuthHeader = "Basic " + Data(sandboxAPIKey.utf8).base64EncodedString()

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

/// Short waits on the sandbox's clock.
let testDelivery = sandboxDelivery()
