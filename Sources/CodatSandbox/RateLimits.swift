import Foundation

/// Codat's rate limits (CODAT-FACTS.md §3, docs/using-the-api/rate-limits.md):
///
/// - at most 10 concurrent requests per company (configurable): one more gets 429 with
///   `Retry-After` and Codat's error body;
/// - a daily quota per client, 1,000 × (1 + active connected companies) unless configured,
///   reset at 00:00 UTC of sandbox time: over it, 429 with `Retry-After` until the reset;
/// - `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` on every answer.
///
/// Codat's DoS limit (1,000 requests a minute per IP address) is not modelled: every
/// client of a sandbox shares 127.0.0.1.
final class RateLimiter: Sendable {
    /// A request let through; give it back to `release`.
    struct Permit: Sendable {
        let companyId: String?
        /// The rate-limit headers for the answer.
        let headers: [(String, String)]
    }

    private struct State: Sendable {
        var inFlight: [String: Int] = [:]
        var maxSeen: [String: Int] = [:]
        /// Requests refused because the company already had the most in progress.
        var refusedForConcurrency: [String: Int] = [:]
        /// Requests per client on `day` (the midnight the count started after).
        var used: [String: (resetAt: Date, count: Int)] = [:]
    }

    private let state = Locked(State())
    let maxConcurrentPerCompany: Int
    let configuredQuota: Int?

    init(maxConcurrentPerCompany: Int, dailyQuota: Int?) {
        self.maxConcurrentPerCompany = maxConcurrentPerCompany
        configuredQuota = dailyQuota
    }

    /// The daily quota with `activeCompanies` active connected companies.
    func quota(activeCompanies: Int) -> Int {
        configuredQuota ?? 1000 * (1 + activeCompanies)
    }

    /// Counts the request against the client's quota and the company's concurrency (pass the
    /// company only when it exists, so that made-up ids take no memory); the 429 to answer
    /// when over either.
    func acquire(client: String, companyId: String?, now: Date, activeCompanies: Int) -> Result<Permit, SandboxError> {
        let limit = quota(activeCompanies: activeCompanies)
        let resetAt = now.nextMidnightUTC
        return state.withLock { state in
            if state.used.count >= 10_000 {
                // Yesterday's counts are of no use; keep the table small.
                state.used = state.used.filter { $0.value.resetAt == resetAt }
            }
            var usage = state.used[client] ?? (resetAt, 0)
            if usage.resetAt != resetAt { usage = (resetAt, 0) }
            func headers(remaining: Int) -> [(String, String)] {
                [
                    ("X-Rate-Limit-Limit", String(limit)), ("X-Rate-Limit-Remaining", String(max(remaining, 0))),
                    ("X-Rate-Limit-Reset", CodatDate.format(resetAt)),
                ]
            }
            guard usage.count < limit else {
                state.used[client] = usage
                var error = SandboxError(
                    status: 429, message: "Too many requests: the daily quota of \(limit) requests is used up; it resets at \(CodatDate.format(resetAt)).")
                error.headers = headers(remaining: 0) + [("Retry-After", String(max(Int(resetAt.timeIntervalSince(now).rounded(.up)), 1)))]
                return .failure(error)
            }
            if let companyId {
                let running = state.inFlight[companyId, default: 0]
                guard running < maxConcurrentPerCompany else {
                    // Refused requests count against the quota too.
                    usage.count += 1
                    state.used[client] = usage
                    state.refusedForConcurrency[companyId, default: 0] += 1
                    var error = SandboxError(
                        status: 429,
                        message: "Too many requests: company '\(companyId)' already has \(running) requests in progress (at most \(maxConcurrentPerCompany) at once).")
                    error.headers = headers(remaining: limit - usage.count) + [("Retry-After", "1")]
                    return .failure(error)
                }
                state.inFlight[companyId] = running + 1
                state.maxSeen[companyId] = max(state.maxSeen[companyId] ?? 0, running + 1)
            }
            usage.count += 1
            state.used[client] = usage
            return .success(Permit(companyId: companyId, headers: headers(remaining: limit - usage.count)))
        }
    }

    func release(_ permit: Permit) {
        guard let companyId = permit.companyId else { return }
        state.withLock { state in
            let running = (state.inFlight[companyId] ?? 1) - 1
            state.inFlight[companyId] = running > 0 ? running : nil
        }
    }

    /// The most requests seen in progress at once for a company, refused ones not counted.
    func maxConcurrentRequests(companyId: String) -> Int {
        state.withLock { $0.maxSeen[companyId] ?? 0 }
    }

    /// Requests of a company refused with 429 because it had the most in progress already: a
    /// client that keeps to the limit causes none.
    func refusedForConcurrency(companyId: String) -> Int {
        state.withLock { $0.refusedForConcurrency[companyId] ?? 0 }
    }

    /// Every company that sent a request: its most requests in progress at once, and refusals.
    func concurrency() -> [String: (maxConcurrent: Int, refused: Int)] {
        state.withLock { state in
            var result: [String: (maxConcurrent: Int, refused: Int)] = [:]
            for id in Set(state.maxSeen.keys).union(state.refusedForConcurrency.keys) {
                result[id] = (state.maxSeen[id] ?? 0, state.refusedForConcurrency[id] ?? 0)
            }
            return result
        }
    }

    /// Requests counted today against a client's quota.
    func used(client: String, now: Date) -> Int {
        state.withLock { state in
            guard let usage = state.used[client], usage.resetAt == now.nextMidnightUTC else { return 0 }
            return usage.count
        }
    }

    func reset() {
        state.withLock { $0 = State() }
    }

    /// The company a request path belongs to (`/companies/{companyId}/...`), percent-decoded.
    static func companyId(path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count >= 2, segments[0] == "companies" else { return nil }
        return String(segments[1]).removingPercentEncoding ?? String(segments[1])
    }
}
