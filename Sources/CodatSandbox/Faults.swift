import Foundation

/// What the sandbox does to a request that a fault rule picks.
public enum Fault: Sendable, Hashable {
    /// Answers `status` in Codat's `ErrorMessage` shape without processing the request;
    /// `retryAfter` (seconds) adds a `Retry-After` header.
    case status(Int, retryAfter: Int? = nil)
    /// Waits before processing the request; the request then proceeds (other rules may still fire).
    case latency(Duration)
    /// Closes the connection before the request is processed: nothing changes, no response.
    case dropBeforeProcessing
    /// Processes the request (state changes), then closes the connection without writing anything.
    case dropAfterProcessing
    /// Processes the request, writes the response head (with its `Content-Length`), then
    /// closes the connection without the body.
    case truncateAfterProcessing
    /// Processes the request (the write is applied), then answers `status` in Codat's
    /// `ErrorMessage` shape instead of the real answer: the 5xx that hides a write. Like every
    /// answer but a 429, it is what the `Idempotency-Key` replays (CODAT-FACTS.md §1).
    case statusAfterProcessing(Int)

    var name: String {
        switch self {
        case .status(let code, _): return "status \(code)"
        case .latency(let duration): return "latency \(duration)"
        case .dropBeforeProcessing: return "dropBeforeProcessing"
        case .dropAfterProcessing: return "dropAfterProcessing"
        case .truncateAfterProcessing: return "truncateAfterProcessing"
        case .statusAfterProcessing(let code): return "statusAfterProcessing \(code)"
        }
    }

    /// Why the fault cannot be applied (a status outside 100...599, a negative latency), or nil.
    var problem: String? {
        switch self {
        case .status(let code, let retryAfter):
            if !(100...599).contains(code) { return "status \(code) is not an HTTP status (100...599)" }
            if let retryAfter, retryAfter < 0 { return "retryAfter \(retryAfter) is negative" }
        case .statusAfterProcessing(let code):
            if !(100...599).contains(code) { return "status \(code) is not an HTTP status (100...599)" }
        case .latency(let duration):
            if duration < .zero { return "latency \(duration) is negative" }
        case .dropBeforeProcessing, .dropAfterProcessing, .truncateAfterProcessing:
            break
        }
        return nil
    }

    /// Whether the fault closes the connection.
    var dropsConnection: Bool {
        switch self {
        case .dropBeforeProcessing, .dropAfterProcessing, .truncateAfterProcessing: return true
        case .status, .latency, .statusAfterProcessing: return false
        }
    }

    /// Latency only delays; every other fault decides the outcome.
    var isTerminal: Bool {
        if case .latency = self { return false }
        return true
    }
}

/// Which requests a fault rule applies to.
///
/// `path` is matched against the raw path as sent (no query): `*` or `{name}` matches one
/// segment, `**` any number of segments. `operation` is an operationId of the documents
/// (`create-bill-payment`), optionally qualified by API (`sync.list-bills`, `v1.list-bills`).
public struct RouteMatcher: Sendable, Hashable, Codable {
    public var method: String?
    public var path: String?
    public var operation: String?

    public init(method: String? = nil, path: String? = nil, operation: String? = nil) {
        self.method = method
        self.path = path
        self.operation = operation
    }

    /// Every request.
    public static var any: RouteMatcher { RouteMatcher() }

    /// Requests of one operation, e.g. `.operation("create-bill-payment")` or `.operation("v1.list-bills")`.
    public static func operation(_ name: String, method: String? = nil) -> RouteMatcher {
        RouteMatcher(method: method, operation: name)
    }

    func matches(method requestMethod: String, path requestPath: String, route: RouteInfo?) -> Bool {
        if let method, method.uppercased() != requestMethod.uppercased() { return false }
        if let operation {
            guard let route, route.operationId == operation || route.qualifiedName == operation else { return false }
        }
        if let path, !Self.match(pattern: Self.segments(path), path: Self.segments(requestPath)) { return false }
        return true
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// Glob matching over segments without backtracking blow-up: `**` is remembered as the
    /// last restart point, as in linear wildcard matching, so a `**`-heavy pattern costs at
    /// most pattern × path steps (the old recursion was exponential, under the fault lock).
    static func match(pattern: [Substring], path: [Substring]) -> Bool {
        var p = 0
        var s = 0
        var restart: (pattern: Int, path: Int)?
        while s < path.count {
            if p < pattern.count, pattern[p] == "**" {
                // Collapse runs of `**`; first try matching zero segments.
                while p < pattern.count, pattern[p] == "**" { p += 1 }
                restart = (p, s)
            } else if p < pattern.count, segmentMatches(pattern[p], path[s]) {
                p += 1
                s += 1
            } else if let last = restart {
                // Let the last `**` take one more segment.
                p = last.pattern
                s = last.path + 1
                restart = (last.pattern, last.path + 1)
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "**" { p += 1 }
        return p == pattern.count
    }

    private static func segmentMatches(_ pattern: Substring, _ segment: Substring) -> Bool {
        pattern == "*" || (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
    }
}

/// A fault and the requests it applies to, as injected.
public struct FaultRule: Sendable, Hashable, Identifiable {
    public let id: Int
    public let fault: Fault
    public let matcher: RouteMatcher
    /// How many more times the rule may fire; nil for no limit.
    public internal(set) var remaining: Int?
    /// The chance that a matching request fires the rule; nil for always.
    public let probability: Double?
    /// How many times the rule fired.
    public internal(set) var fired: Int = 0
}

/// The rules, the seeded random numbers that probability rules draw, and the choice for
/// each request.
struct FaultInjector: Sendable {
    private(set) var rules: [FaultRule] = []
    private var nextId = 1
    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func add(_ fault: Fault, on matcher: RouteMatcher, times: Int?, probability: Double?) -> FaultRule {
        let rule = FaultRule(id: nextId, fault: fault, matcher: matcher, remaining: times, probability: probability)
        nextId += 1
        rules.append(rule)
        return rule
    }

    mutating func remove(id: Int) -> Bool {
        let before = rules.count
        rules.removeAll { $0.id == id }
        return rules.count != before
    }

    mutating func removeAll() {
        rules.removeAll()
    }

    /// Whether a rule that closes connections is in force.
    var dropsArmed: Bool {
        rules.contains { $0.fault.dropsConnection }
    }

    /// The faults for one request: all firing latency rules, and the first firing terminal rule.
    /// Rules that run out are removed.
    mutating func faults(method: String, path: String, route: RouteInfo?) -> [Fault] {
        var chosen: [Fault] = []
        var terminalChosen = false
        for index in rules.indices {
            let rule = rules[index]
            guard rule.matcher.matches(method: method, path: path, route: route) else { continue }
            if rule.fault.isTerminal && terminalChosen { continue }
            if let probability = rule.probability, random.nextUnit() >= probability { continue }
            rules[index].fired += 1
            if let remaining = rule.remaining { rules[index].remaining = remaining - 1 }
            chosen.append(rule.fault)
            if rule.fault.isTerminal { terminalChosen = true }
        }
        rules.removeAll { ($0.remaining ?? 1) <= 0 }
        return chosen
    }
}

/// A small seeded generator (SplitMix64): the same seed and requests give the same faults; tests
/// use it for shuffles they can repeat.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in [0, 1).
    mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}

// MARK: - JSON form, for the control API

extension Fault: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, status, retryAfter, milliseconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "status":
            self = .status(
                try container.decode(Int.self, forKey: .status),
                retryAfter: try container.decodeIfPresent(Int.self, forKey: .retryAfter))
        case "latency":
            self = .latency(.milliseconds(try container.decode(Int.self, forKey: .milliseconds)))
        case "dropBeforeProcessing": self = .dropBeforeProcessing
        case "dropAfterProcessing": self = .dropAfterProcessing
        case "truncateAfterProcessing": self = .truncateAfterProcessing
        case "statusAfterProcessing": self = .statusAfterProcessing(try container.decode(Int.self, forKey: .status))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription:
                    "unknown fault type '\(type)' (status, latency, dropBeforeProcessing, dropAfterProcessing, truncateAfterProcessing, statusAfterProcessing)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .status(let status, let retryAfter):
            try container.encode("status", forKey: .type)
            try container.encode(status, forKey: .status)
            try container.encodeIfPresent(retryAfter, forKey: .retryAfter)
        case .latency(let duration):
            try container.encode("latency", forKey: .type)
            let (seconds, attoseconds) = duration.components
            try container.encode(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000), forKey: .milliseconds)
        case .dropBeforeProcessing: try container.encode("dropBeforeProcessing", forKey: .type)
        case .dropAfterProcessing: try container.encode("dropAfterProcessing", forKey: .type)
        case .truncateAfterProcessing: try container.encode("truncateAfterProcessing", forKey: .type)
        case .statusAfterProcessing(let status):
            try container.encode("statusAfterProcessing", forKey: .type)
            try container.encode(status, forKey: .status)
        }
    }
}

extension FaultRule: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, fault, method, path, operation, remaining, probability, fired
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int.self, forKey: .id) ?? 0
        fault = try container.decode(Fault.self, forKey: .fault)
        matcher = RouteMatcher(
            method: try container.decodeIfPresent(String.self, forKey: .method),
            path: try container.decodeIfPresent(String.self, forKey: .path),
            operation: try container.decodeIfPresent(String.self, forKey: .operation))
        remaining = try container.decodeIfPresent(Int.self, forKey: .remaining)
        probability = try container.decodeIfPresent(Double.self, forKey: .probability)
        fired = try container.decodeIfPresent(Int.self, forKey: .fired) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(fault, forKey: .fault)
        try container.encodeIfPresent(matcher.method, forKey: .method)
        try container.encodeIfPresent(matcher.path, forKey: .path)
        try container.encodeIfPresent(matcher.operation, forKey: .operation)
        try container.encodeIfPresent(remaining, forKey: .remaining)
        try container.encodeIfPresent(probability, forKey: .probability)
        try container.encode(fired, forKey: .fired)
    }
}
