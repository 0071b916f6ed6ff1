import Foundation
import Logging

/// Client-wide settings a generated client takes besides its server, credentials and transport.
public struct ClientOptions: Sendable {
    /// Replaces the document's retry policy (nil: the document's `x-speakeasy-retries`).
    public var retry: RetryConfiguration?
    /// One attempt's time limit.
    public var attemptTimeout: Duration?
    /// A whole call's time limit, retries and waits included.
    public var callTimeout: Duration?
    /// Receives one line per request and one per retry; never a credential.
    public var logger: Logger
    /// The level of the per-request lines (retries are logged at `.notice`).
    public var requestLogLevel: Logger.Level
    /// Responses larger than this are refused (attachments included): reading stops at the
    /// limit, and the call throws `PayablesError` (`.undecodableBody`, "larger than ...").
    /// With a streaming transport (`PayablesURLSessionTransport`, AsyncHTTPClient) no more than
    /// the limit is held in memory; a buffering transport has read it all before the runtime sees it.
    public var maxResponseBytes: Int
    /// Sends credentials over plain `http` to a host other than loopback (`localhost`,
    /// `127.0.0.0/8`, `::1`). Off: such a call is refused before anything is sent.
    public var allowsCredentialsOverPlainHTTP: Bool

    public init(retry: RetryConfiguration? = nil, attemptTimeout: Duration? = .seconds(60), callTimeout: Duration? = nil,
                logger: Logger = Logger(label: "codat.payables"), requestLogLevel: Logger.Level = .debug,
                maxResponseBytes: Int = 256 * 1024 * 1024, allowsCredentialsOverPlainHTTP: Bool = false) {
        self.retry = retry
        self.attemptTimeout = attemptTimeout
        self.callTimeout = callTimeout
        self.logger = logger
        self.requestLogLevel = requestLogLevel
        self.maxResponseBytes = maxResponseBytes
        self.allowsCredentialsOverPlainHTTP = allowsCredentialsOverPlainHTTP
    }
}

/// A credential the document's `securitySchemes` ask for, and where it goes.
public struct Credential: Sendable {
    public enum Location: Sendable { case header, query }

    public var location: Location
    public var name: String
    public var value: String

    public init(location: Location, name: String, value: String) {
        self.location = location
        self.name = name
        self.value = value
    }
}
