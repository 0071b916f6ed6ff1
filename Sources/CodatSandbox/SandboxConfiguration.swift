import Foundation

/// How a sandbox starts.
public struct SandboxConfiguration: Sendable {
    /// The address to listen on; loopback by default.
    public var host: String
    /// 0 picks a free port (read it from `CodatSandbox.port`).
    public var port: Int
    /// How long a v1 push operation stays `Pending` before it succeeds or fails. A request
    /// can override it with the `X-Sandbox-Push-Delay-Ms` header; zero settles the
    /// operation before the push request is answered.
    public var pushDelay: Duration
    /// When set, the only accepted `Authorization` values are this key, `Basic <key>` and
    /// `Basic <base64 of key>`. When nil, any non-empty `Authorization` header is accepted.
    public var apiKey: String?
    /// Open bills added to one company (`gen-bill-00001`...), for paging tests and benchmarks.
    public var extraBills: Int
    /// The company that gets the extra bills.
    public var extraBillsIntegration: SandboxIntegration
    /// Page size of the synchronous API's continuation-token lists (a request's own
    /// `pageSize` query parameter, not in the document, overrides it).
    public var continuationPageSize: Int
    /// Seed of the random numbers that probability faults draw.
    public var faultSeed: UInt64
    /// Receives one line per request (`GET /companies -> 200`).
    public var requestLog: (@Sendable (String) -> Void)?
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
        requestLog: (@Sendable (String) -> Void)? = nil
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
    }
}
