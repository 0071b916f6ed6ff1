import Foundation

/// How a sandbox starts. The defaults follow CODAT-FACTS.md: writes in the v1 API are
/// asynchronous and invisible to reads until a refresh, idempotency answers are kept for
/// 90 minutes, 10 concurrent requests per company and a daily quota. Every duration below
/// is sandbox time (`CodatSandbox.now`, advanced by `advanceClock(by:)`) unless it says wall clock.
public struct SandboxConfiguration: Sendable {
    /// The address to listen on; loopback by default.
    public var host: String
    /// 0 picks a free port (read it from `CodatSandbox.port`).
    public var port: Int
    /// How long a v1 push operation stays `Pending` before it succeeds or fails (facts §2: seconds
    /// to minutes at Codat; short by default so that tests run fast). A request can override
    /// it with the `X-Sandbox-Push-Delay-Ms` header; zero settles the operation before the
    /// push request is answered.
    public var pushDelay: Duration
    /// When set, the only accepted `Authorization` values are this key, `Basic <key>` and
    /// `Basic <base64 of key>`, and the `/_sandbox` control API asks for it too. When nil,
    /// any non-empty `Authorization` header is accepted (each value is its own client).
    public var apiKey: String?
    /// Open bills added to one company (`gen-bill-00001`...), for paging tests and benchmarks.
    public var extraBills: Int
    /// The company that gets the extra bills.
    public var extraBillsIntegration: SandboxIntegration
    /// Page size of the synchronous API's continuation-token lists (a request's own
    /// `pageSize` query parameter, not in the document, overrides it).
    public var continuationPageSize: Int
    /// Seed of the random numbers that probability faults and late-landing timed-out writes draw.
    public var faultSeed: UInt64
    /// Receives one line per request (`GET /companies -> 200`).
    public var requestLog: (@Sendable (String) -> Void)?
    /// How many requests `recordedRequests` keeps (the latest ones).
    public var recordingLimit: Int
    /// Bytes of request bodies `recordedRequests` keeps at most (older requests go first).
    public var recordingByteBudget: Int
    /// Bytes of attachments one company may hold (memory stays bounded); over it, 413.
    public var attachmentQuotaBytes: Int

    // MARK: Idempotency (facts §1)

    /// How long the first answer for an `Idempotency-Key` is kept and replayed (Codat: 90 minutes).
    public var idempotencyWindow: Duration
    /// Wall-clock time every write (POST, PUT, PATCH, DELETE) spends being processed, so that
    /// a duplicate sent meanwhile overlaps it (and gets 409 with the same key). Zero by default.
    public var writeProcessingTime: Duration

    // MARK: Codat's cache (facts §2)

    /// Whether v1 reads (`list-bills`, `get-bill-payments` ...) show Codat's cache, which only a
    /// refresh updates (facts §2: "Codat does not store written records in its cache"). On by
    /// default: that is how Codat behaves. Off, v1 reads show the accounting software at once
    /// (the sandbox's old behaviour, for tests about something else).
    public var refreshLag: Bool
    /// How long a refresh (`refresh-data-type`, `refresh-all-data-types`, the scheduled sync)
    /// takes; its pull operation is `Queued` meanwhile. The cache shows the accounting
    /// software as it was when the refresh completed.
    public var refreshDuration: Duration
    /// How often every data type of every company is refreshed on its own (Codat's sync
    /// schedule; our default of a day is a choice, the interval is per client at Codat).
    /// nil: never.
    public var scheduledSyncInterval: Duration?
    /// The share (0...1, drawn from the seeded generator) of writes that time out
    /// (`timeoutInMinutes`) and still reach the accounting software afterwards (facts §2:
    /// "`TimedOut` means unknown, never not written").
    public var timedOutWritesLandingShare: Double
    /// How long after its timeout such a write lands.
    public var timedOutWriteLandingDelay: Duration

    // MARK: Rate limits (facts §3)

    /// Concurrent requests allowed per company (Codat: 10); one more gets 429 with `Retry-After`.
    public var maxConcurrentRequestsPerCompany: Int
    /// Requests a client may make per day (reset at 00:00 UTC, sandbox time). nil: Codat's
    /// formula, 1,000 × (1 + active connected companies); `Int.max` for no daily limit.
    public var dailyRequestQuota: Int?

    // MARK: Webhooks (facts §4)

    /// How long a webhook consumer has to answer 2xx before the attempt counts as failed
    /// (Codat: 15 seconds), wall clock.
    public var webhookTimeout: Duration = .seconds(15)
    /// Webhook messages the delivery log keeps (the latest; pending ones always stay).
    public var webhookLogLimit: Int = 10_000

    // MARK: Request validation (Validation/RequestValidation.swift)

    /// Whether requests are checked against the Codat documents as Codat checks them (400
    /// naming each member that breaks the schema). Off: the documents are not read at all.
    public var validatesRequests = true
    /// The folder with `Codat-Sync-Payables.yaml` and `Codat-Sync-Payables-v1.yaml`: this
    /// package's `specs/` by default (`bash specs/sync.sh` copies the pinned documents there).
    /// Without them, and with `validatesRequests`, the sandbox does not start.
    public var documentsDirectory: URL = APIDocuments.defaultDirectory

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        pushDelay: Duration = .milliseconds(300),
        apiKey: String? = nil,
        extraBills: Int = 0,
        extraBillsIntegration: SandboxIntegration = .xero,
        continuationPageSize: Int = 100,
        faultSeed: UInt64 = 0x5EED,
        requestLog: (@Sendable (String) -> Void)? = nil,
        recordingLimit: Int = 10_000,
        recordingByteBudget: Int = 64 * 1024 * 1024,
        attachmentQuotaBytes: Int = 64 * 1024 * 1024,
        idempotencyWindow: Duration = .seconds(90 * 60),
        writeProcessingTime: Duration = .zero,
        refreshLag: Bool = true,
        refreshDuration: Duration = .seconds(30),
        scheduledSyncInterval: Duration? = .seconds(24 * 3600),
        timedOutWritesLandingShare: Double = 0.5,
        timedOutWriteLandingDelay: Duration = .seconds(120),
        maxConcurrentRequestsPerCompany: Int = 10,
        dailyRequestQuota: Int? = nil
    ) {
        self.host = host
        self.port = port
        self.pushDelay = pushDelay
        self.apiKey = apiKey
        self.extraBills = extraBills
        self.extraBillsIntegration = extraBillsIntegration
        self.continuationPageSize = continuationPageSize
        self.faultSeed = faultSeed
        self.requestLog = requestLog
        self.recordingLimit = recordingLimit
        self.recordingByteBudget = recordingByteBudget
        self.attachmentQuotaBytes = attachmentQuotaBytes
        self.idempotencyWindow = idempotencyWindow
        self.writeProcessingTime = writeProcessingTime
        self.refreshLag = refreshLag
        self.refreshDuration = refreshDuration
        self.scheduledSyncInterval = scheduledSyncInterval
        self.timedOutWritesLandingShare = timedOutWritesLandingShare
        self.timedOutWriteLandingDelay = timedOutWriteLandingDelay
        self.maxConcurrentRequestsPerCompany = maxConcurrentRequestsPerCompany
        self.dailyRequestQuota = dailyRequestQuota
    }
}
