import BillPay
import CodatSandbox
import CodatSyncPayables
import Foundation
import Logging
import PayablesAsyncHTTPClient
import SandboxTestSupport
import XCTest

// Real HTTP over loopback to an in-process sandbox, real SQLite files, a real PostgreSQL server.
// This file names only the clients and the layer, never a generated model. PaymentRunPostgresTests
// shares it (a symbolic link), so it imports nothing of one journal module.

let runAPIKey = "payment-run-tests-key-81c2"
let runAuthHeader = "Basic " + Data(runAPIKey.utf8).base64EncodedString()

/// Waits on the sandbox clock (replay window, push delays, TimedOut all pass without waiting).
let runDelivery = sandboxDelivery(maxSendRetryInterval: .milliseconds(200))

let quietRunLogger: Logger = {
    var logger = Logger(label: "payment-run-tests")
    logger.logLevel = .warning
    return logger
}()

func startRunSandbox(_ test: XCTestCase, extraBills: Int = 300, pushDelay: Duration = .milliseconds(300),
                     configure: (inout SandboxConfiguration) -> Void = { _ in }) async throws -> CodatSandbox {
    var configuration = SandboxConfiguration(pushDelay: pushDelay, apiKey: runAPIKey, extraBills: extraBills, refreshDuration: .milliseconds(50))
    configure(&configuration)
    let sandbox = try await CodatSandbox.start(configuration)
    test.addTeardownBlock { await sandbox.stop() }
    return sandbox
}

/// A synchronous client whose requests pass `limiter` (nil: none, to test the check).
func limitedSyncClient(_ sandbox: CodatSandbox, limiter: CompanyRequestLimiter?, attemptTimeout: Duration = .seconds(5)) -> CodatSyncPayables.Client {
    CodatSyncPayables.Client(serverURL: sandbox.baseURL, authHeader: runAuthHeader, transport: PayablesAsyncHTTPClient.transport(),
                             middlewares: limiter.map { [$0] } ?? [],
                             options: ClientOptions(retry: fastRetry, attemptTimeout: attemptTimeout, logger: quietRunLogger))
}

func syncBillPay(_ sandbox: CodatSandbox, limiter: CompanyRequestLimiter?) throws -> SyncBillPay {
    SyncBillPay(client: limitedSyncClient(sandbox, limiter: limiter), company: try connection(sandbox), delivery: runDelivery,
                clock: SandboxPaymentClock(sandbox: sandbox))
}

/// A folder for one test's files, deleted at the end.
func temporaryFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("payment-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// The generated bills `gen-bill-<n>` of the sandbox's Xero company.
func generatedBillId(_ n: Int) -> String { String(format: "gen-bill-%05d", n) }

/// Ground truth: the synchronous payments the sandbox recorded, by their `reference` (the tests
/// put the intent id there).
func syncPaymentsByReference(_ sandbox: CodatSandbox, companyId: String) -> [String: Int] {
    var counts: [String: Int] = [:]
    for payment in sandbox.billPayments(companyId: companyId, api: .sync) {
        if let reference = payment["reference"]?.string { counts[reference, default: 0] += 1 }
    }
    return counts
}

/// Collects a run's events and returns them with the totals of `.finished`.
func collect(_ events: PaymentRunEvents) async throws -> (events: [PaymentRunEvent], totals: PaymentRunTotals?) {
    var seen: [PaymentRunEvent] = []
    var totals: PaymentRunTotals?
    for try await event in events {
        seen.append(event)
        if case let .finished(final) = event { totals = final }
    }
    return (seen, totals)
}

/// A journal that "dies" at a chosen step: the `crashAt`-th write (createRun, save, claim,
/// update) is made (`afterWrite`) or not (`beforeWrite`), then it and every later call throw,
/// as a killed process writes nothing more. Renewals are not counted (their timing varies).
final class CrashingJournal: PaymentRunJournal, @unchecked Sendable {
    enum Mode: String { case beforeWrite, afterWrite }
    struct Killed: Error, CustomStringConvertible { var description: String { "the process was killed (simulated)" } }

    let base: any PaymentRunJournal
    let crashAt: Int?
    let mode: Mode
    private let lock = NSLock()
    private var writes = 0
    private var dead = false

    init(_ base: any PaymentRunJournal, crashAt: Int?, mode: Mode = .afterWrite) {
        self.base = base
        self.crashAt = crashAt
        self.mode = mode
    }

    var writeCount: Int { lock.withLock { writes } }
    var isDead: Bool { lock.withLock { dead } }

    private func checkAlive() throws { if lock.withLock({ dead }) { throw Killed() } }

    /// Counts a write; runs it unless the process dies before it; dies after it when it is the chosen one.
    private func write<T>(_ body: () async throws -> T) async throws -> T {
        let (number, isDead): (Int, Bool) = lock.withLock {
            if dead { return (0, true) }
            writes += 1
            return (writes, false)
        }
        if isDead { throw Killed() }
        guard number == crashAt else { return try await body() }
        if mode == .afterWrite { _ = try await body() }
        lock.withLock { dead = true }
        throw Killed()
    }

    func load(_ key: String) async throws -> PaymentResumeData? { try checkAlive(); return try await base.load(key) }
    func save(_ entry: PaymentResumeData) async throws { try await write { try await base.save(entry) } }
    func all() async throws -> [PaymentResumeData] { try checkAlive(); return try await base.all() }
    func createRun(_ run: PaymentRunRecord, entries: [PaymentRunEntry]) async throws -> PaymentRunRecord {
        try await write { try await base.createRun(run, entries: entries) }
    }
    func run(_ runId: String) async throws -> PaymentRunRecord? { try checkAlive(); return try await base.run(runId) }
    func runs() async throws -> [PaymentRunRecord] { try checkAlive(); return try await base.runs() }
    func entries(runId: String) async throws -> [PaymentRunEntry] { try checkAlive(); return try await base.entries(runId: runId) }
    func claim(runId: String, worker: String, limit: Int, lease: Duration, excluding: Set<PaymentIntentID>, now: Date) async throws -> PaymentRunClaim {
        try await write { try await base.claim(runId: runId, worker: worker, limit: limit, lease: lease, excluding: excluding, now: now) }
    }
    func renew(runId: String, worker: String, intentIds: [PaymentIntentID], lease: Duration, now: Date) async throws -> Set<PaymentIntentID> {
        try checkAlive()
        return try await base.renew(runId: runId, worker: worker, intentIds: intentIds, lease: lease, now: now)
    }
    func update(runId: String, intentId: PaymentIntentID, worker: String, state: PaymentRunIntentState, recordId: String?,
                refusal: PaymentRefusal?, note: String?, release: Bool, now: Date) async throws {
        try await write {
            try await base.update(runId: runId, intentId: intentId, worker: worker, state: state, recordId: recordId, refusal: refusal,
                                  note: note, release: release, now: now)
        }
    }
}

extension SyncBillPaymentRequest {
    /// A payload for journal tests (never sent).
    static func testPayment(billId: String) -> SyncBillPaymentRequest {
        // Decoded, as a journal gives it back: the generated model has no public memberwise use here.
        try! PaymentJournalCoding.decode(SyncBillPaymentRequest.self,
                                         #"{"billId":"\#(billId)","isPartial":true,"payment":{"accountRef":{"id":"acc"},"amount":1,"date":"2024-06-01"}}"#)
    }
}

/// A delivery entry as the layer writes one (its memberwise init is the layer's own).
func sampleDelivery(intent: String, status: PaymentResumeData.Status) -> PaymentResumeData {
    try! PaymentJournalCoding.decode(PaymentResumeData.self, #"""
        {"intentId":"\#(intent)","api":"sync","companyId":"c","connectionId":"k","billIds":["b-1"],"amount":12.34,"payloadDigest":"p",
         "amountDueBefore":100,"attempts":[{"number":1,"idempotencyKey":"k-1","firstSentAt":"2024-06-01T10:00:00Z","sends":1}],
         "status":"\#(status.rawValue)","note":"sending"}
        """#)
}
