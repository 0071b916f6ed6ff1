import Foundation
import HTTPTypes
import OpenAPIRuntime
import PayablesRuntime

/// Keeps a process within Codat's rate limits for each company (CODAT-FACTS §3): at most
/// `maxConcurrentPerCompany` requests in flight for a company (Codat: 10), reads included; after
/// a 429 every request of the company waits for its `Retry-After`; when `X-Rate-Limit-Remaining`
/// runs low, requests are spaced so that the quota lasts until `X-Rate-Limit-Reset`.
///
/// It is a client middleware: give the same limiter (`shared`) to every client of the process,
/// and every run, workflow and read of a company shares its limit:
///
/// ```swift
/// let codat = CodatSyncPayables.Client(serverURL: url, authHeader: auth, transport: transport,
///                                      middlewares: [CompanyRequestLimiter.shared])
/// ```
///
/// A request holds its place from before it is sent until its answer's body has arrived (the
/// body is read here), so Codat never sees more at once. Requests outside a company
/// (`/companies` itself) are not limited.
public final class CompanyRequestLimiter: ClientMiddleware, Sendable {
    /// The limiter of the process: `PaymentRun` checks its client goes through it.
    public static let shared = CompanyRequestLimiter()

    /// Requests in flight per company at most.
    public let maxConcurrentPerCompany: Int
    /// Below this many requests left in the daily quota, requests are spaced out.
    public let slowDownBelowRemaining: Int
    /// The longest space put between two requests of a company when the quota runs low.
    public let maxSpacing: Duration

    private struct Company {
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// No request starts before this (a 429's `Retry-After`).
        var pausedUntil: ContinuousClock.Instant?
        /// Space between request starts while the quota runs low, and the next start allowed.
        var spacing: Duration = .zero
        var nextStart: ContinuousClock.Instant?
        var requests = 0
        var maxInFlight = 0
        var tooManyRequests = 0
        var lastQuotaNotice: ContinuousClock.Instant?
    }

    private struct State {
        var companies: [String: Company] = [:]
        var subscribers: [UUID: AsyncStream<RateLimitNotice>.Continuation] = [:]
    }

    private let state = Locked(State())
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - maxConcurrentPerCompany: Codat allows 10.
    ///   - slowDownBelowRemaining: requests left in the quota under which they are spaced out.
    ///   - maxSpacing: the longest space between two requests of a company.
    public init(maxConcurrentPerCompany: Int = 10, slowDownBelowRemaining: Int = 100, maxSpacing: Duration = .seconds(5)) {
        self.maxConcurrentPerCompany = max(1, maxConcurrentPerCompany)
        self.slowDownBelowRemaining = slowDownBelowRemaining
        self.maxSpacing = maxSpacing
    }

    // MARK: Figures

    /// What the limiter saw of a company's requests.
    public struct Statistics: Sendable, Hashable {
        /// Requests let through (each attempt counts).
        public var requests: Int
        /// The most in flight at once.
        public var maxInFlight: Int
        /// In flight now.
        public var inFlight: Int
        /// Answers with status 429.
        public var tooManyRequests: Int
    }

    public func statistics(companyId: String) -> Statistics {
        state.withLock { state in
            let company = state.companies[companyId] ?? Company()
            return Statistics(requests: company.requests, maxInFlight: company.maxInFlight, inFlight: company.inFlight,
                              tooManyRequests: company.tooManyRequests)
        }
    }

    /// Every 429 and every slow-down from now on, for any company, until the stream is dropped.
    public func notices() -> AsyncStream<RateLimitNotice> {
        let (stream, continuation) = AsyncStream<RateLimitNotice>.makeStream(bufferingPolicy: .bufferingNewest(100))
        let id = UUID()
        state.withLock { $0.subscribers[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    // MARK: The middleware

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                          next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        guard let companyId = Self.companyId(inPath: request.path) else {
            return try await next(request, body, baseURL)
        }
        await acquire(companyId)
        defer { release(companyId) }
        try await waitForTurn(companyId)
        let (response, responseBody) = try await next(request, body, baseURL)
        // The answer is over for Codat only once its body has arrived: read it while holding the place.
        var buffered: HTTPBody?
        if let responseBody { buffered = HTTPBody(try await Data(collecting: responseBody, upTo: .max)) }
        observe(response, companyId: companyId)
        return (response, buffered)
    }

    /// The company of a Codat path: the segment after `companies`.
    static func companyId(inPath path: String?) -> String? {
        guard let path else { return nil }
        let segments = path.split(separator: "?", maxSplits: 1).first?.split(separator: "/") ?? []
        guard let index = segments.firstIndex(of: "companies"), index + 1 < segments.count else { return nil }
        return String(segments[index + 1]).removingPercentEncoding ?? String(segments[index + 1])
    }

    private func acquire(_ companyId: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted: Bool = state.withLock { state in
                var company = state.companies[companyId] ?? Company()
                defer { state.companies[companyId] = company }
                guard company.inFlight < maxConcurrentPerCompany else {
                    company.waiters.append(continuation)
                    return false
                }
                company.inFlight += 1
                company.requests += 1
                company.maxInFlight = max(company.maxInFlight, company.inFlight)
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    private func release(_ companyId: String) {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard var company = state.companies[companyId] else { return nil }
            defer { state.companies[companyId] = company }
            guard !company.waiters.isEmpty else {
                company.inFlight -= 1
                return nil
            }
            // The place passes to the first waiter: in flight stays the same.
            company.requests += 1
            return company.waiters.removeFirst()
        }
        next?.resume()
    }

    /// Waits out a `Retry-After` and the spacing of a low quota (holding the place: nothing is sent meanwhile).
    private func waitForTurn(_ companyId: String) async throws {
        while true {
            let now = clock.now
            let until: ContinuousClock.Instant? = state.withLock { state in
                var company = state.companies[companyId] ?? Company()
                defer { state.companies[companyId] = company }
                if let paused = company.pausedUntil, paused > now { return paused }
                if company.spacing > .zero {
                    if let next = company.nextStart, next > now { 
                        company.nextStart = next + company.spacing
                        return next
                    }
                    company.nextStart = now + company.spacing
                }
                return nil
            }
            guard let until else { return }
            try await Task.sleep(until: until, clock: clock)
            // A spaced start was booked above; a pause is checked again (it may have grown).
            if state.withLock({ $0.companies[companyId]?.pausedUntil.map { $0 > clock.now } ?? false }) { continue }
            return
        }
    }

    private func observe(_ response: HTTPResponse, companyId: String) {
        let now = clock.now
        var notices: [RateLimitNotice] = []
        let quota = RateLimit(response.headerFields)
        state.withLock { state in
            var company = state.companies[companyId] ?? Company()
            defer { state.companies[companyId] = company }
            if response.status.code == 429 {
                company.tooManyRequests += 1
                let header = response.headerFields[HTTPField.Name("Retry-After")!]
                let wait = Self.retryAfter(header) ?? .seconds(1)
                let until = now + wait
                if company.pausedUntil.map({ $0 < until }) ?? true { company.pausedUntil = until }
                notices.append(RateLimitNotice(companyId: companyId, kind: .tooManyRequests, retryAfter: wait,
                                               remaining: quota?.remaining, limit: quota?.limit, resetsAt: quota?.resetDate))
            }
            if let remaining = quota?.remaining {
                let spacing: Duration
                if remaining < slowDownBelowRemaining {
                    let untilReset = quota?.resetDate.map { max($0.timeIntervalSinceNow, 0) } ?? maxSpacing.seconds
                    spacing = min(maxSpacing, .seconds(untilReset / Double(max(remaining, 1))))
                } else {
                    spacing = .zero
                }
                let wasSpaced = company.spacing > .zero
                company.spacing = spacing
                if spacing > .zero, !wasSpaced || company.lastQuotaNotice.map({ now - $0 > .seconds(1) }) ?? true {
                    company.lastQuotaNotice = now
                    notices.append(RateLimitNotice(companyId: companyId, kind: .quotaLow(spacing: spacing), retryAfter: nil,
                                                   remaining: remaining, limit: quota?.limit, resetsAt: quota?.resetDate))
                }
            }
        }
        guard !notices.isEmpty else { return }
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for notice in notices { for subscriber in subscribers { subscriber.yield(notice) } }
    }

    /// `Retry-After`: seconds, or an HTTP date.
    static func retryAfter(_ value: String?) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite { return .seconds(min(max(seconds, 0), 24 * 3600)) }
        guard let date = RateLimit(reset: value).resetDate else { return nil }
        return .seconds(min(max(date.timeIntervalSinceNow, 0), 24 * 3600))
    }
}

/// Codat asked a company's requests to slow down.
public struct RateLimitNotice: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A 429: requests of the company wait `retryAfter`.
        case tooManyRequests
        /// `X-Rate-Limit-Remaining` is low: requests start `spacing` apart until the reset.
        case quotaLow(spacing: Duration)
    }

    public var companyId: String
    public var kind: Kind
    public var retryAfter: Duration?
    /// The rate-limit headers of the answer.
    public var remaining: Int?
    public var limit: Int?
    public var resetsAt: Date?

    public var description: String {
        switch kind {
        case .tooManyRequests:
            return "company \(companyId): 429, waiting \(retryAfter.map { "\($0)" } ?? "a moment")"
                + (remaining.map { " (\($0) requests left today)" } ?? "")
        case let .quotaLow(spacing):
            return "company \(companyId): \(remaining.map(String.init) ?? "few") requests left in the quota, one every \(spacing)"
        }
    }
}
