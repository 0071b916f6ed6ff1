import Foundation

/// What a payment run reports while it works (`PaymentRun.start`), in order for each intent.
public enum PaymentRunEvent: Sendable, CustomStringConvertible {
    /// The run starts (or resumes): its intents, how many still need work, and how many of those
    /// were in flight or unknown (they are looked into before anything is sent).
    case planned(intents: Int, toDo: Int, inFlight: Int)
    /// An intent is taken up: a request may leave now (a resumed one is looked into first).
    case sending(PaymentIntentID)
    /// Recorded by its own send: Codat answered with the payment, or its push succeeded.
    case recorded(PaymentIntentID, recordId: String?)
    /// Refused (Codat's validation errors, or a check before sending): nothing recorded.
    case refused(PaymentIntentID, PaymentRefusal)
    /// The outcome cannot be known yet; `resume` is in the journal, and a later start looks again.
    case unknown(PaymentIntentID, resume: PaymentResumeData?, reason: String)
    /// An intent that was in flight or unknown was found recorded (by its key's replay or from
    /// state).
    case resolved(PaymentIntentID, recordId: String?)
    /// Not recorded this time, nothing of it landed (Codat asked to slow down for too long, it
    /// could not be reached, another intent of its bill is unknown): a later start sends it.
    case notRecorded(PaymentIntentID, reason: String)
    /// Codat refused the intent with 429 once the layer's retries were used up, before anything
    /// of it was written (CODAT-FACTS §1: a 429 releases the key): it is taken up again in this
    /// start after `retryAfter` (`PaymentRunOptions.rateLimitRetakes`), then `sending` again.
    case deferredForRateLimit(PaymentIntentID, retryAfter: Duration, reason: String)
    /// Codat asked to slow down (429 with `Retry-After`), or the daily quota runs low
    /// (`X-Rate-Limit-Remaining`): requests of the company wait.
    case rateLimited(RateLimitNotice)
    /// Every intent this start could work on was worked on.
    case finished(PaymentRunTotals)

    public var description: String {
        switch self {
        case let .planned(intents, toDo, inFlight): return "planned: \(intents) intents, \(toDo) to do, \(inFlight) in flight"
        case let .sending(id): return "sending \(id)"
        case let .recorded(id, recordId): return "recorded \(id)" + (recordId.map { " as \($0)" } ?? "")
        case let .refused(id, refusal): return "refused \(id): \(refusal)"
        case let .unknown(id, _, reason): return "unknown \(id): \(reason)"
        case let .resolved(id, recordId): return "resolved \(id): found recorded" + (recordId.map { " as \($0)" } ?? "")
        case let .notRecorded(id, reason): return "not recorded \(id): \(reason)"
        case let .deferredForRateLimit(id, retryAfter, reason): return "deferred \(id) for \(retryAfter): \(reason)"
        case let .rateLimited(notice): return "rate limited: \(notice)"
        case let .finished(totals): return "finished: \(totals)"
        }
    }
}

/// A run's intents by state, at the end of a start.
public struct PaymentRunTotals: Codable, Hashable, Sendable, CustomStringConvertible {
    public var intents = 0
    public var planned = 0
    public var sending = 0
    public var sent = 0
    public var recorded = 0
    public var refused = 0
    public var unknown = 0
    public var resolved = 0
    /// The money of paid intents (recorded or resolved).
    public var amountPaid: Decimal = 0
    /// This start: intents taken up, and how many of them were in flight or unknown when taken.
    public var workedOn = 0
    public var resumedInFlight = 0

    public init() {}

    /// The totals of a run's entries.
    public init(_ entries: [PaymentRunEntry]) {
        for entry in entries { count(entry) }
    }

    mutating func count(_ entry: PaymentRunEntry) {
        intents += 1
        switch entry.state {
        case .planned: planned += 1
        case .sending: sending += 1
        case .sent: sent += 1
        case .recorded: recorded += 1
        case .refused: refused += 1
        case .unknown: unknown += 1
        case .resolved: resolved += 1
        }
        if entry.state.isPaid { amountPaid += entry.payment.amount }
    }

    /// Paid (recorded or resolved).
    public var paid: Int { recorded + resolved }
    /// Every intent is paid or refused: nothing is left to do or to find out.
    public var isSettled: Bool { paid + refused == intents }

    public var description: String {
        "\(intents) intents: \(recorded) recorded, \(resolved) resolved, \(refused) refused, \(unknown) unknown, "
            + "\(planned + sending + sent) not settled; paid \(amountPaid)"
    }
}

extension PlannedPayment {
    /// The money paid (synchronous: in the bill's currency; v1: `totalAmount`).
    public var amount: Decimal {
        switch self {
        case let .sync(request): return request.payment.amount
        case let .v1(payment): return payment.amount
        }
    }
}

/// The plan was refused: nothing was sent and nothing written. Each refused intent, and why.
public struct PaymentPlanRefusedError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One refused intent and its reasons.
    public struct Refusal: Hashable, Sendable, CustomStringConvertible {
        /// The intent id as the plan gave it (nil for a plan-wide problem).
        public var intentId: PaymentIntentID?
        /// Its position in the plan (0 first), when it is one intent's.
        public var position: Int?
        public var reasons: [String]
        public init(intentId: PaymentIntentID?, position: Int?, reasons: [String]) {
            self.intentId = intentId
            self.position = position
            self.reasons = reasons
        }
        public var description: String {
            let name = intentId.map { "intent \($0)" + (position.map { " (row \($0 + 1))" } ?? "") } ?? "the plan"
            return ([name + ":"] + reasons.map { "  - \($0)" }).joined(separator: "\n")
        }
    }

    public var refusals: [Refusal]
    public init(refusals: [Refusal]) { self.refusals = refusals }

    public var description: String {
        "the payment plan was refused (nothing sent): \(refusals.count) intent\(refusals.count == 1 ? "" : "s") cannot be paid as asked\n"
            + refusals.map(\.description).joined(separator: "\n")
    }
}

/// A run that cannot start as asked.
public enum PaymentRunError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The journal has a run with this id and another plan (another set of payments).
    case runExistsWithOtherPlan(runId: String)
    /// The journal has a run with this id for another API, company or connection.
    case runInOtherScope(runId: String, recorded: String)
    /// The journal has no run with this id (resume, status).
    case runNotFound(runId: String)
    /// The client's requests do not pass `CompanyRequestLimiter`: the run could not keep
    /// Codat's per-company concurrency limit.
    case clientWithoutRequestLimiter(companyId: String)

    public var description: String {
        switch self {
        case let .runExistsWithOtherPlan(runId):
            return "run \(runId) is already in the journal with another plan: give the new plan another run id"
        case let .runInOtherScope(runId, recorded):
            return "run \(runId) in the journal is for \(recorded)"
        case let .runNotFound(runId):
            return "run \(runId) is not in the journal"
        case let .clientWithoutRequestLimiter(companyId):
            return "the client's requests for company \(companyId) do not pass a CompanyRequestLimiter: "
                + "create the client with middlewares: [CompanyRequestLimiter.shared] (Codat allows 10 concurrent requests per company)"
        }
    }
}
