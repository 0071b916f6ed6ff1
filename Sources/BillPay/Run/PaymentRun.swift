import Foundation

/// Pays a run of payment intents (this week's bills, a supplier's statement) once each, through
/// a durable journal, within Codat's rate limits, and reports progress as events.
///
/// ```swift
/// let limiter = CompanyRequestLimiter.shared
/// let codat = CodatSyncPayables.Client(serverURL: url, authHeader: auth, transport: transport, middlewares: [limiter])
/// let billPay = try await SyncBillPay.connect(client: codat)
/// let journal = try SQLitePaymentRunJournal(path: "payments.sqlite")      // module BillPaySQLite
/// let run = PaymentRun(id: "2024-06-week-23", billPay: billPay, journal: journal)
/// try await run.plan(intents)              // validates every intent; a refused plan sends nothing
/// for try await event in run.start() {    // the same call resumes after a crash
///     print(event)
/// }
/// ```
///
/// - **Plan, then pay.** `plan` checks every intent against the bills, accounts and credit notes
///   as Codat lists them now (and against each other: two intents never pay more than a bill
///   owes) before anything is sent; a refused plan (`PaymentPlanRefusedError`) names each intent
///   and why, and writes nothing. An accepted plan is written to the journal with the payload of
///   each intent fixed.
/// - **Once each.** Every intent is delivered by the Bill Pay layer (`SyncBillPay.pay`,
///   `AsyncBillPay.pay`: its `Idempotency-Key` from the intent, its resume data written before
///   every send and after every answer, in the same journal). The run writes the intent's state
///   before it is taken up (`sending`) and after (`recorded`, `refused`, `unknown`, …). `start`
///   on a run killed at any instant takes up what was not final and resumes it: an intent that
///   may have been sent is looked into (same key, or reconciliation from state), never sent blind.
/// - **Within the limits.** At most `PaymentRunOptions.maxConcurrentIntents` intents at once, and
///   every request of the company passes `limiter` (at most 10 in flight per company, shared
///   with every run and client of the process; waits on 429 `Retry-After`; spaced out when
///   `X-Rate-Limit-Remaining` runs low). The run checks that its client goes through it.
/// - **Several workers.** Processes that share a journal (PostgreSQL) and a run id each `start`
///   with their own `PaymentRunOptions.worker` name: they claim intents under leases; a crashed
///   worker's intents are taken over once its leases run out.
public struct PaymentRun: Sendable {
    /// The run's id in the journal.
    public let id: String
    public let journal: any PaymentRunJournal
    public let limiter: CompanyRequestLimiter
    public var options: PaymentRunOptions
    let payer: Payer

    enum Payer: Sendable {
        case sync(SyncBillPay)
        case v1(AsyncBillPay)

        var company: CompanyConnection {
            switch self {
            case let .sync(billPay): return billPay.company
            case let .v1(billPay): return billPay.company
            }
        }

        var api: PaymentResumeData.API {
            switch self {
            case .sync: return .sync
            case .v1: return .v1
            }
        }
    }

    /// A run through the synchronous API. The workflows' journal becomes `journal` (the
    /// delivery entries live beside the run's).
    public init(id: String, billPay: SyncBillPay, journal: any PaymentRunJournal, limiter: CompanyRequestLimiter = .shared,
                options: PaymentRunOptions = PaymentRunOptions()) {
        var billPay = billPay
        billPay.journal = PaymentJournal(storage: journal)
        self.init(id: id, payer: .sync(billPay), journal: journal, limiter: limiter, options: options)
    }

    /// A run through the asynchronous API (one bill, several of one supplier, batches, credit
    /// notes). The workflows' journal becomes `journal`.
    public init(id: String, billPay: AsyncBillPay, journal: any PaymentRunJournal, limiter: CompanyRequestLimiter = .shared,
                options: PaymentRunOptions = PaymentRunOptions()) {
        var billPay = billPay
        billPay.journal = PaymentJournal(storage: journal)
        self.init(id: id, payer: .v1(billPay), journal: journal, limiter: limiter, options: options)
    }

    init(id: String, payer: Payer, journal: any PaymentRunJournal, limiter: CompanyRequestLimiter, options: PaymentRunOptions) {
        self.id = id
        self.payer = payer
        self.journal = journal
        self.limiter = limiter
        self.options = options
    }

    /// The company and connection paid from.
    public var company: CompanyConnection { payer.company }

    // MARK: Planning

    /// Validates every intent, then writes the run to the journal (all `planned`).
    ///
    /// Planning a run the journal already has with the same intents returns it unchanged (and
    /// reads nothing): `start` then resumes it.
    ///
    /// - Throws: `PaymentPlanRefusedError` (nothing sent, nothing written) with each refused
    ///   intent and why; `PaymentRunError.runExistsWithOtherPlan`; `PaymentRunError.clientWithoutRequestLimiter`.
    @discardableResult
    public func plan(_ intents: [PaymentRunIntent]) async throws -> PaymentRunRecord {
        let digest = try PaymentResumeData.digest(of: intents)
        if let existing = try await journal.run(id) {
            try checkScope(existing)
            guard existing.planDigest == digest else { throw PaymentRunError.runExistsWithOtherPlan(runId: id) }
            return existing
        }
        // Before any other read: a client outside the limiter is refused whatever the plan.
        try await verifyingLimiter { try await payer.touch() }
        let planned: [(intent: PaymentRunIntent, payment: PlannedPayment)]
        switch payer {
        case let .sync(billPay): planned = try await billPay.planRun(intents)
        case let .v1(billPay): planned = try await billPay.planRun(intents)
        }
        let now = Date()
        let entries = try planned.enumerated().map { position, item in
            // Fixed as the journal will give it back: a resumed run sends the very same body.
            PaymentRunEntry(runId: id, position: position, intent: item.intent, payment: try Self.normalized(item.payment), updatedAt: now)
        }
        let record = PaymentRunRecord(runId: id, api: payer.api, companyId: company.companyId, connectionId: company.connectionId,
                                      planDigest: digest, intentCount: entries.count, createdAt: now)
        let stored = try await journal.createRun(record, entries: entries)
        guard stored.planDigest == digest else { throw PaymentRunError.runExistsWithOtherPlan(runId: id) }
        return stored
    }

    static func normalized(_ payment: PlannedPayment) throws -> PlannedPayment {
        try JSONDecoder().decode(PlannedPayment.self, from: JSONEncoder().encode(payment))
    }

    func checkScope(_ record: PaymentRunRecord) throws {
        guard record.api == payer.api, record.companyId == company.companyId, record.connectionId == company.connectionId else {
            throw PaymentRunError.runInOtherScope(runId: id, recorded: "\(record.api) company \(record.companyId) connection \(record.connectionId)")
        }
    }

    /// Runs `work` (which reads from Codat) and checks that its requests went through `limiter`.
    func verifyingLimiter<T>(_ work: () async throws -> T) async throws -> T {
        let before = limiter.statistics(companyId: company.companyId).requests
        let result = try await work()
        guard limiter.statistics(companyId: company.companyId).requests > before else {
            throw PaymentRunError.clientWithoutRequestLimiter(companyId: company.companyId)
        }
        return result
    }

    // MARK: Status

    /// The run and its intents as the journal has them.
    public func status() async throws -> PaymentRunStatus {
        guard let record = try await journal.run(id) else { throw PaymentRunError.runNotFound(runId: id) }
        let entries = try await journal.entries(runId: id)
        return PaymentRunStatus(run: record, entries: entries, totals: PaymentRunTotals(entries))
    }

    // MARK: Paying

    /// Pays (or resumes) the run: takes up every intent that is not final, `maxConcurrentIntents`
    /// at a time, and reports each step. The sequence ends after `.finished` with the run's
    /// totals; it throws when the journal fails or the run cannot start. Dropping the iteration
    /// cancels the run (intents in flight are then left `sending`, to be resumed).
    ///
    /// Intents `unknown` at the start are looked into once; those still unknown stay so. An
    /// intent Codat refused with 429 before anything was written is taken up again after the
    /// 429's `Retry-After`, at most `PaymentRunOptions.rateLimitRetakes` times.
    public func start() -> PaymentRunEvents {
        let (stream, continuation) = AsyncThrowingStream<PaymentRunEvent, any Error>.makeStream()
        let run = self
        let task = Task {
            do {
                try await run.work { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return PaymentRunEvents(stream: stream)
    }

    private func work(_ emit: @escaping @Sendable (PaymentRunEvent) -> Void) async throws {
        guard let record = try await journal.run(id) else { throw PaymentRunError.runNotFound(runId: id) }
        try checkScope(record)
        let worker = options.worker
        let companyId = company.companyId
        // One read through the client, to check it passes the limiter.
        try await verifyingLimiter { try await payer.touch() }

        let notices = limiter.notices()
        let forwarding = Task {
            for await notice in notices where notice.companyId == companyId { emit(.rateLimited(notice)) }
        }
        defer { forwarding.cancel() }

        let initial = try await journal.entries(runId: id)
        let inFlight = initial.filter { [.sending, .sent, .unknown].contains($0.state) }
        emit(.planned(intents: initial.count, toDo: initial.filter { !$0.state.isFinal }.count, inFlight: inFlight.count))

        let held = Locked<Set<PaymentIntentID>>([])
        let heartbeat = Task {
            // Leases are renewed well before they run out, while intents are worked on.
            let interval = options.lease / 3
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let ids = held.withLock { Array($0) }
                if !ids.isEmpty { _ = try? await journal.renew(runId: id, worker: worker, intentIds: ids, lease: options.lease, now: Date()) }
            }
        }
        defer { heartbeat.cancel() }

        var taken = Set<PaymentIntentID>()
        // Intents Codat refused with 429 before anything was written: claimable again from
        // their time on (`DeliveryEnd.retake`), at most `rateLimitRetakes` times each in this start.
        var deferred: [PaymentIntentID: Date] = [:]
        var takes: [PaymentIntentID: Int] = [:]
        var workedOn = 0, resumedInFlight = 0
        try await withThrowingTaskGroup(of: DeliveryEnd.self) { group in
            var running = 0
            func finished(_ end: DeliveryEnd) {
                running -= 1
                if case let .retake(intentId, after) = end { deferred[intentId] = Date().adding(after) }
            }
            while true {
                try Task.checkCancellation()
                let now = Date()
                for (intentId, due) in deferred where due <= now {
                    deferred[intentId] = nil
                    taken.remove(intentId)
                }
                var waitUntil: Date?
                if running < options.maxConcurrentIntents {
                    let claim = try await journal.claim(runId: id, worker: worker, limit: options.maxConcurrentIntents - running,
                                                        lease: options.lease, excluding: taken, now: Date())
                    for entry in claim.entries {
                        let take = takes[entry.intentId, default: 0] + 1
                        takes[entry.intentId] = take
                        let mayRetake = take <= options.rateLimitRetakes
                        taken.insert(entry.intentId)
                        held.withLock { _ = $0.insert(entry.intentId) }
                        running += 1
                        if take == 1 {
                            workedOn += 1
                            if [.sending, .sent, .unknown].contains(entry.state) { resumedInFlight += 1 }
                        }
                        group.addTask {
                            defer { held.withLock { _ = $0.remove(entry.intentId) } }
                            return try await self.deliver(entry, mayRetake: mayRetake, emit: emit)
                        }
                    }
                    if claim.entries.isEmpty, claim.leasedElsewhere > 0, options.waitForOtherWorkers {
                        // Others hold the rest: wait for them to finish, or for a crashed one's lease to run out.
                        waitUntil = min(claim.nextLeaseExpiry ?? Date(), Date().adding(options.pollInterval))
                    }
                    if claim.entries.isEmpty, let due = deferred.values.min() {
                        waitUntil = min(waitUntil ?? due, due)
                    }
                    if claim.entries.isEmpty, running == 0, waitUntil == nil { break }
                }
                if running > 0, waitUntil == nil || running >= options.maxConcurrentIntents {
                    if let end = try await group.next() { finished(end) }
                } else if let waitUntil {
                    // Wake up at the lease's end (or a deferred intent's time), or earlier when one of ours finishes.
                    let delay = max(waitUntil.timeIntervalSinceNow, 0.01)
                    if running > 0 {
                        group.addTask {
                            try await Task.sleep(for: .seconds(delay))
                            return .done
                        }
                        running += 1
                        if let end = try await group.next() { finished(end) }
                    } else {
                        try await Task.sleep(for: .seconds(delay))
                    }
                }
            }
        }
        var totals = PaymentRunTotals(try await journal.entries(runId: id))
        totals.workedOn = workedOn
        totals.resumedInFlight = resumedInFlight
        emit(.finished(totals))
    }

    /// How a claimed intent's delivery ended, for the run's loop.
    enum DeliveryEnd: Sendable {
        /// Its state is written (or another worker holds it now).
        case done
        /// Codat answered 429 before anything of it was written: take it up again after the wait.
        case retake(PaymentIntentID, after: Duration)
    }

    /// Delivers one claimed intent: its state before, the Bill Pay layer's delivery, its state after.
    /// `mayRetake`: this start may take it up again when Codat refused it with 429.
    private func deliver(_ entry: PaymentRunEntry, mayRetake: Bool, emit: @Sendable (PaymentRunEvent) -> Void) async throws -> DeliveryEnd {
        let id = entry.intentId
        let wasInFlight = [.sending, .sent, .unknown].contains(entry.state)
        do {
            try await journal.update(runId: self.id, intentId: id, worker: options.worker, state: .sending, recordId: nil, refusal: nil,
                                     note: "taken up by \(options.worker)" + (wasInFlight ? " (was \(entry.state.rawValue): looked into first)" : ""),
                                     release: false, now: Date())
            emit(.sending(id))
            let outcome: RunIntentOutcome
            switch (payer, entry.payment) {
            case let (.sync(billPay), .sync(request)):
                outcome = await billPay.deliverRunIntent(request, intent: id, wasInFlight: wasInFlight)
            case let (.v1(billPay), .v1(planned)):
                outcome = await billPay.deliverRunIntent(planned, intent: id, wasInFlight: wasInFlight, pushTimeout: options.pushWaitTimeout) { pushOperationKey in
                    // Codat accepted the push: written before waiting on its operation.
                    try await journal.update(runId: self.id, intentId: id, worker: options.worker, state: .sent, recordId: nil, refusal: nil,
                                             note: "push operation \(pushOperationKey) accepted", release: false, now: Date())
                }
            default:
                outcome = RunIntentOutcome(state: .refused, refusal: PaymentRefusal(source: .validation, message: "the intent was planned for the other API"))
            }
            try Task.checkCancellation()
            let final = try await settled(outcome, intentId: id)
            if mayRetake, let wait = try await retakeAfterRateLimit(final, intentId: id) {
                let note = "Codat answered 429 before anything was written (CODAT-FACTS §1): taken up again in \(wait)"
                try await journal.update(runId: self.id, intentId: id, worker: options.worker, state: .planned, recordId: nil, refusal: nil,
                                         note: note + (final.note.map { "; \($0)" } ?? ""), release: true, now: Date())
                emit(.deferredForRateLimit(id, retryAfter: wait, reason: note))
                return .retake(id, after: wait)
            }
            try await journal.update(runId: self.id, intentId: id, worker: options.worker, state: final.state, recordId: final.recordId,
                                     refusal: final.refusal, note: final.note, release: true, now: Date())
            emit(final.event(id))
            return .done
        } catch let error as PaymentRunJournalError {
            // Another worker took the intent over (our lease ran out): it is its to finish now.
            if case .leaseLost = error { return .done }
            throw error
        }
    }

    /// The wait before an intent that ended "not recorded" on a 429 may be taken up again in this
    /// start, or nil. Only when nothing of it can have been written: Codat answered 429 (it acts
    /// on nothing and releases the key, CODAT-FACTS §1 and §3) and its delivery entry has no send
    /// in flight (none, or every attempt proven not recorded). A wait longer than
    /// `PaymentRunOptions.rateLimitRetakeMaxWait` (the daily quota, reset at midnight UTC) is
    /// left to a later start.
    private func retakeAfterRateLimit(_ outcome: RunIntentOutcome, intentId: PaymentIntentID) async throws -> Duration? {
        guard outcome.state == .planned, let retryAfter = outcome.tooManyRequests else { return nil }
        let delivery = try await journal.load(PaymentResumeData.journalKey(companyId: company.companyId, intentId: intentId))
        guard delivery == nil || delivery?.status == .notRecorded else { return nil }
        let wait = max(retryAfter, options.rateLimitRetakeMinWait)
        return wait <= options.rateLimitRetakeMaxWait ? wait : nil
    }

    /// An outcome the layer could not classify is judged by the intent's delivery entry: sent
    /// and not settled is unknown, recorded is resolved, anything else was not recorded.
    private func settled(_ outcome: RunIntentOutcome, intentId: PaymentIntentID) async throws -> RunIntentOutcome {
        guard outcome.lookAtDelivery else { return outcome }
        let delivery = try await journal.load(PaymentResumeData.journalKey(companyId: company.companyId, intentId: intentId))
        switch delivery?.status {
        case .sent?, .accepted?:
            return RunIntentOutcome(state: .unknown, note: outcome.note, resume: delivery)
        case .recorded?:
            return RunIntentOutcome(state: .resolved, recordId: delivery?.recordId, note: outcome.note)
        case .notRecorded?, nil:
            return RunIntentOutcome(state: .planned, note: outcome.note, tooManyRequests: outcome.tooManyRequests)
        }
    }
}

extension PaymentRun.Payer {
    /// One cheap read of the company (through the client, so through its middlewares).
    func touch() async throws {
        switch self {
        case let .sync(billPay): try await billPay.touchCompany()
        case let .v1(billPay): try await billPay.touchCompany()
        }
    }
}

/// How one intent's delivery ended, for the run's journal and events.
struct RunIntentOutcome: Sendable {
    var state: PaymentRunIntentState
    var recordId: String?
    var refusal: PaymentRefusal?
    var note: String?
    /// The delivery entry, for an unknown outcome.
    var resume: PaymentResumeData?
    /// The error says nothing of whether a request left: the delivery entry decides.
    var lookAtDelivery = false
    /// Codat answered 429 (the wait it asked for): it acted on nothing (CODAT-FACTS §1, §3).
    var tooManyRequests: Duration?

    func event(_ id: PaymentIntentID) -> PaymentRunEvent {
        switch state {
        case .recorded: return .recorded(id, recordId: recordId)
        case .resolved: return .resolved(id, recordId: recordId)
        case .refused: return .refused(id, refusal ?? PaymentRefusal(source: .validation, message: note ?? "refused"))
        case .unknown, .sent, .sending: return .unknown(id, resume: resume, reason: note ?? "the outcome is not known yet")
        case .planned: return .notRecorded(id, reason: note ?? "not recorded")
        }
    }
}

/// How a worker takes part in a run.
public struct PaymentRunOptions: Sendable, Hashable {
    /// Intents this worker delivers at once (each may make several requests; the limiter keeps
    /// the company's requests within Codat's 10).
    public var maxConcurrentIntents: Int
    /// This worker's name in the journal's leases. Workers sharing a journal need different
    /// names; a process that resumes its own crashed run with the same name takes its intents
    /// back at once (without waiting for the leases).
    public var worker: String
    /// How long a claim lasts without renewal (renewed every third of it while worked on).
    public var lease: Duration
    /// When other workers hold the remaining intents: wait for them (and take over the intents
    /// of one whose leases run out) instead of finishing.
    public var waitForOtherWorkers: Bool
    /// How often to look again while waiting for other workers.
    public var pollInterval: Duration
    /// (v1) How long to wait for each push operation to settle (nil: the workflow's polling
    /// timeout). A push still pending then is left `sent`, to be looked at by a later start.
    public var pushWaitTimeout: Duration?
    /// Times an intent that Codat refused with 429 before anything was written (the layer's
    /// retries used up) is taken up again in one start, each after the 429's `Retry-After`
    /// (CODAT-FACTS §1: a 429 releases the key, so sending again is safe). 0: never; such an
    /// intent then ends the start not recorded, for a later start.
    public var rateLimitRetakes: Int
    /// The shortest wait before such a retake (when `Retry-After` is shorter or missing).
    public var rateLimitRetakeMinWait: Duration
    /// A `Retry-After` longer than this (the daily quota, reset at midnight UTC) is not waited
    /// for within the start: the intent ends it not recorded, for a later start.
    public var rateLimitRetakeMaxWait: Duration

    public init(maxConcurrentIntents: Int = 10, worker: String = "local", lease: Duration = .seconds(60), waitForOtherWorkers: Bool = true,
                pollInterval: Duration = .seconds(1), pushWaitTimeout: Duration? = nil, rateLimitRetakes: Int = 3,
                rateLimitRetakeMinWait: Duration = .seconds(1), rateLimitRetakeMaxWait: Duration = .seconds(300)) {
        self.maxConcurrentIntents = max(1, maxConcurrentIntents)
        self.worker = worker
        self.lease = lease
        self.waitForOtherWorkers = waitForOtherWorkers
        self.pollInterval = pollInterval
        self.pushWaitTimeout = pushWaitTimeout
        self.rateLimitRetakes = max(0, rateLimitRetakes)
        self.rateLimitRetakeMinWait = rateLimitRetakeMinWait
        self.rateLimitRetakeMaxWait = rateLimitRetakeMaxWait
    }
}

/// A run and its intents, as the journal has them.
public struct PaymentRunStatus: Sendable, Hashable {
    public var run: PaymentRunRecord
    public var entries: [PaymentRunEntry]
    public var totals: PaymentRunTotals
}

/// The events of `PaymentRun.start`, in order; the last one is `.finished`.
public struct PaymentRunEvents: AsyncSequence, Sendable {
    public typealias Element = PaymentRunEvent
    let stream: AsyncThrowingStream<PaymentRunEvent, any Error>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<PaymentRunEvent, any Error>.AsyncIterator
        public mutating func next() async throws -> PaymentRunEvent? { try await base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: stream.makeAsyncIterator()) }

    /// Runs to the end, ignoring the steps, and returns the totals of `.finished`.
    public func totals() async throws -> PaymentRunTotals {
        var last = PaymentRunTotals()
        for try await event in self { if case let .finished(totals) = event { last = totals } }
        return last
    }
}
