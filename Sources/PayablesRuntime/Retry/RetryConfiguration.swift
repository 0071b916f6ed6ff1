import Foundation

/// When and how often a failed attempt is repeated. The generated client's default comes from
/// the document's `x-speakeasy-retries`; a client and each call can replace it.
public struct RetryConfiguration: Sendable, Hashable, CustomStringConvertible {
    public enum Strategy: Sendable, Hashable {
        /// Never retry.
        case none
        /// Exponential backoff: `initialInterval * exponent^(retry - 1)`, capped at `maxInterval`,
        /// with up to 25% random jitter; no attempt starts after `maxElapsedTime` since the first.
        case backoff(initialInterval: Duration, maxInterval: Duration, maxElapsedTime: Duration, exponent: Double)
    }

    public var strategy: Strategy
    /// Response statuses that are retried.
    public var statuses: StatusSet
    /// Whether an attempt that failed to connect or lost its connection is retried.
    public var retryConnectionErrors: Bool
    /// Upper bound on the number of attempts, whatever the elapsed time (nil: time only).
    public var maxAttempts: Int?

    public init(strategy: Strategy, statuses: StatusSet, retryConnectionErrors: Bool, maxAttempts: Int? = nil) {
        self.strategy = strategy
        self.statuses = statuses
        self.retryConnectionErrors = retryConnectionErrors
        self.maxAttempts = maxAttempts
    }

    /// No retries at all.
    public static let never = RetryConfiguration(strategy: .none, statuses: StatusSet(), retryConnectionErrors: false)

    public var description: String {
        switch strategy {
        case .none: return "no retries"
        case let .backoff(initial, max, elapsed, exponent):
            return "backoff \(initial) x\(exponent) up to \(max), for at most \(elapsed), on \(statuses)\(retryConnectionErrors ? " and connection errors" : "")"
        }
    }

    /// The wait before retry number `retry` (1-based), before jitter.
    public func backoffInterval(retry: Int) -> Duration {
        guard case let .backoff(initial, maxInterval, _, exponent) = strategy else { return .zero }
        let seconds = initial.seconds * pow(exponent, Double(retry - 1))
        return min(.seconds(seconds), maxInterval)
    }
}

/// A set of HTTP statuses: single codes and whole classes (`5XX`).
public struct StatusSet: Sendable, Hashable, CustomStringConvertible {
    public var codes: Set<Int>
    /// Classes by their first digit: 5 for `5XX`.
    public var classes: Set<Int>

    public init(codes: Set<Int> = [], classes: Set<Int> = []) {
        self.codes = codes
        self.classes = classes
    }

    public func contains(_ status: Int) -> Bool {
        codes.contains(status) || classes.contains(status / 100)
    }

    public var description: String {
        (codes.sorted().map(String.init) + classes.sorted().map { "\($0)XX" }).joined(separator: ", ")
    }
}

/// Per-call settings, the last argument of every generated method.
public struct CallOptions: Sendable {
    /// Replaces the client's retry configuration for this call.
    public var retry: RetryConfiguration?
    /// Allows retrying this call even when it is not idempotent (POST, PATCH) and an earlier
    /// attempt may have reached the server: only for requests the server deduplicates.
    public var retryUnsafeRequests: Bool
    /// The whole call's time limit, retries and waits included (nil: the client's).
    public var timeout: Duration?
    /// One attempt's time limit (nil: the client's).
    public var attemptTimeout: Duration?
    /// Extra header fields for this call (checked like header parameters).
    public var headers: [String: String]

    public init(retry: RetryConfiguration? = nil, retryUnsafeRequests: Bool = false, timeout: Duration? = nil,
                attemptTimeout: Duration? = nil, headers: [String: String] = [:]) {
        self.retry = retry
        self.retryUnsafeRequests = retryUnsafeRequests
        self.timeout = timeout
        self.attemptTimeout = attemptTimeout
        self.headers = headers
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}

/// Reads `Retry-After` (RFC 9110 §10.2.3): a number of seconds or an HTTP date.
enum RetryAfter {
    static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0, seconds.isFinite { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(max(0, date.timeIntervalSince(now)))
    }
}
