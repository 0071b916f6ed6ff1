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
    /// Response statuses that are retried (for POST and PATCH only 429, see `ClientCore`).
    public var statuses: StatusSet
    /// Whether an attempt that failed to connect or lost its connection is retried.
    public var retryConnectionErrors: Bool
    /// Upper bound on the number of attempts, whatever the elapsed time (nil: time only).
    public var maxAttempts: Int?
    /// How long a request with an `Idempotency-Key` answered 409 (Codat: the first request
    /// with this key is still in progress) keeps being resent with the same key, counted
    /// from the first 409. Zero: a 409 is returned at once.
    public var keyInProgressWait: Duration

    /// The attempt cap unless one is given: a server answering `Retry-After: 0` forever
    /// gets 20 requests, not one per millisecond until `maxElapsedTime` (with Codat's policy,
    /// 20 attempts span about 10 minutes of backoff).
    public static let defaultMaxAttempts = 20
    /// The longest wait the runtime computes with: a larger `Retry-After` or backoff is cut
    /// to this before any `Duration` arithmetic (about 31 years, so "never" in practice).
    public static let longestWait = Duration.seconds(1_000_000_000)

    public init(strategy: Strategy, statuses: StatusSet, retryConnectionErrors: Bool, maxAttempts: Int? = defaultMaxAttempts,
                keyInProgressWait: Duration = .seconds(60)) {
        self.strategy = strategy
        self.statuses = statuses
        self.retryConnectionErrors = retryConnectionErrors
        self.maxAttempts = maxAttempts
        self.keyInProgressWait = keyInProgressWait
    }

    /// No retries at all.
    public static let never = RetryConfiguration(strategy: .none, statuses: StatusSet(), retryConnectionErrors: false)

    public var description: String {
        switch strategy {
        case .none: return "no retries"
        case let .backoff(initial, max, elapsed, exponent):
            return "backoff \(initial) x\(exponent) up to \(max), for at most \(elapsed)\(maxAttempts.map { " and \($0) attempts" } ?? ""), on \(statuses)\(retryConnectionErrors ? " and connection errors" : "")"
        }
    }

    /// The wait before retry number `retry` (1-based), before jitter: never more than
    /// `maxInterval` (nor `longestWait`), whatever the exponent and the number of retries.
    public func backoffInterval(retry: Int) -> Duration {
        guard case let .backoff(initial, maxInterval, _, exponent) = strategy else { return .zero }
        let cap = min(maxInterval, Self.longestWait)
        // In Double first: `initial * exponent^n` overflows to infinity long before it is compared.
        let seconds = initial.seconds * pow(exponent, Double(max(0, retry - 1)))
        guard seconds.isFinite, seconds < cap.seconds else { return max(cap, .zero) }
        return .seconds(max(0, seconds))
    }

    /// The shortest wait between two attempts, whatever `Retry-After` says: the backoff's
    /// initial interval (`Retry-After: 0` or a date in the past would otherwise mean no wait at all).
    public var minimumWait: Duration {
        guard case let .backoff(initial, _, _, _) = strategy else { return .zero }
        return max(.zero, min(initial, Self.longestWait))
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
    /// Allows resending this POST or PATCH after a status of the retry policy or a lost answer
    /// (an earlier attempt may have reached the server): only for requests that are harmless
    /// to repeat. Never applies to a status answered to a request with an `Idempotency-Key`
    /// (Codat would replay it). See `ResendRule` in `ClientCore.swift`.
    public var retryUnsafeRequests: Bool
    /// The whole call's time limit, retries and waits included (nil: the client's).
    public var timeout: Duration?
    /// One attempt's time limit (nil: the client's).
    public var attemptTimeout: Duration?
    /// Extra header fields for this call (checked like header parameters).
    public var headers: [String: String]
    /// Sent as `Idempotency-Key` (Codat accepts it on every POST and PATCH, declared by the
    /// document or not): a GUID, one per intended write, reused only to resend that same
    /// request. The same header given as the operation's `idempotencyKey:` argument or in
    /// `headers` must have the same value, or the call is refused before sending.
    public var idempotencyKey: String?

    public init(retry: RetryConfiguration? = nil, retryUnsafeRequests: Bool = false, timeout: Duration? = nil,
                attemptTimeout: Duration? = nil, headers: [String: String] = [:], idempotencyKey: String? = nil) {
        self.retry = retry
        self.retryUnsafeRequests = retryUnsafeRequests
        self.timeout = timeout
        self.attemptTimeout = attemptTimeout
        self.headers = headers
        self.idempotencyKey = idempotencyKey
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
/// The result lies in `0...RetryConfiguration.longestWait`: `1e21`, `0x1p80` or the year 9999
/// become the longest wait (never waited for in practice), a date in the past becomes zero.
enum RetryAfter {
    static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let seconds: Double
        if let number = Double(value) {
            guard !number.isNaN else { return nil }
            seconds = number
        } else {
            guard let date = HTTPDate.parse(value) else { return nil }
            seconds = date.timeIntervalSince(now)
        }
        return clamped(seconds)
    }

    static func clamped(_ seconds: Double) -> Duration {
        let longest = RetryConfiguration.longestWait
        guard seconds > 0 else { return .zero }
        guard seconds < longest.seconds else { return longest }
        return .seconds(seconds)
    }
}

/// The IMF-fixdate of RFC 9110 §5.6.7 (`Sun, 06 Nov 1994 08:49:37 GMT`).
enum HTTPDate {
    static func parse(_ value: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value)
    }
}
