import CodatSyncPayables
import CodatSyncPayablesV1
import Foundation

// # A payment intent is recorded exactly once, or reported unknown with what resumes it
//
// Every payment the layer sends goes through `IntentDelivery.run`. What it relies on is Codat's
// documented behaviour (`CODAT-FACTS.md`): §1 idempotency, §2 asynchronous writes.
//
// 1. **An intent, its keys.** The caller names each payment with a `PaymentIntentID` it keeps.
//    Send number n of the intent carries the `Idempotency-Key` `idempotencyKey(companyId:attempt: n)`,
//    a GUID derived from the intent: the same intent always sends the same key; two intents never
//    share one, identical amounts included. A v1 payment also carries the intent's marker
//    (`[billpay-intent:<id>]`) in its `note`. The journal (`PaymentJournal`) records the key and
//    the time before the request leaves, and every answer after.
// 2. **After an ambiguous send, find out before anything new is sent**, in this order:
//    - *Same key again* while Codat's cache holds it (90 minutes from the key's first send, minus
//      `DeliveryPolicy.replaySafetyMargin`): Codat answers with the first request's outcome. 409:
//      the first request is still in flight; wait (`inFlightInterval`) and ask again.
//    - *Reconcile from state* when Codat's answer for the key is an error it replays (a 5XX: it
//      never tells whether the write happened), or once the cache window has passed:
//      - synchronous API: the bill's `amountDue`, read live, against the value read before the
//        first send. Lower by the payment's amount (in the bill's currency): recorded. Unchanged:
//        not recorded. Anything else: unknown. Payments of one bill are serialised in a process
//        (the journal holds the bill), and a bill with an unknown intent takes no other payment
//        until that one is resumed.
//      - v1: the company's push operations requested since the send, whatever their status, are
//        waited for while `Pending`; a `TimedOut` one keeps the outcome unknown until
//        `DeliveryPolicy.timedOutSettleTime` has passed since it timed out (Codat documents no
//        bound: this is our assumption). Then `billPayments` is refreshed (`refresh-data-type`,
//        waited for: Codat lists written records only after a refresh) and the bill payments are
//        searched for the intent's exact marker. Found: recorded. Absent: not recorded.
//    - Absence is only concluded from a final answer (a replayed 5XX) or after the window: a
//      request whose answers were all lost may still be on its way.
// 3. **Only an intent proven unrecorded is sent again**, with the next attempt's key. Otherwise
//    `PaymentOutcomeUnknownError` carries the resume data (intent, keys, first send time, push
//    operation); paying the same intent again (same process, or another one reading the same
//    journal) resumes from there and never sends blind. Cancellation after a send is reported the
//    same way. A second concurrent call of one intent joins the first (`PaymentJournal.joining`).
//
// Limits: the journal must be durable for the guarantee to survive a crash (`PaymentJournalFiles`);
// the synchronous check assumes nothing outside this process changes the bill's `amountDue`
// between the send and the check (when something does, the outcome is reported unknown, never
// guessed); the v1 check assumes a `TimedOut` write lands within `timedOutSettleTime`, and that a
// refresh lists every write that succeeded before it started.

/// How payments are delivered and how an ambiguous send is looked into.
public struct DeliveryPolicy: Sendable, Hashable {
    /// At most this many new keys (attempts) per call; each new one only after the previous one
    /// was proven not recorded. A later call of the intent may send more (numbered on).
    public var maxAttempts: Int
    /// How long Codat replays a key's first answer (CODAT-FACTS §1: 90 minutes).
    public var replayWindow: Duration
    /// The key is resent only until `replayWindow - replaySafetyMargin` after its first send.
    public var replaySafetyMargin: Duration
    /// Resends of one key after lost answers, per call.
    public var maxReplays: Int
    /// Wait before resending a key whose answer was lost.
    public var replayInterval: Duration
    /// Wait between resends while Codat answers 409 (the first request still in flight).
    public var inFlightInterval: Duration
    /// Longest time spent waiting on 409s in one call before reporting the outcome unknown.
    public var inFlightMaxWait: Duration
    /// (v1) How long reconciliation waits for `Pending` push operations to settle.
    public var pushSettleTimeout: Duration
    /// (v1) How long after a push operation went `TimedOut` its write may still land (an
    /// assumption: Codat documents none). Until then an intent with such an operation since its
    /// send stays unknown.
    public var timedOutSettleTime: Duration
    /// (v1) How long to wait for a `refresh-data-type` to complete.
    public var refreshTimeout: Duration
    /// (v1) Push operations requested this long before the send are looked at too (clock skew
    /// between this machine and Codat).
    public var clockSkew: Duration
    /// Polling interval while waiting on push or pull operations during reconciliation.
    public var pollInterval: Duration
    /// The runtime's retries of one payment request: only what Codat did not act on (429, with
    /// `Retry-After`). Every other repeat (after a lost answer, a 5XX, a 409) is the layer's
    /// decision, counted in its report (CODAT-FACTS §1: a repeat with the same key gets the first
    /// answer, so it tells nothing new after a 5XX).
    public var sendRetry: RetryConfiguration
    /// (v1) `timeoutInMinutes` of payment pushes: Codat moves an operation still `Pending` after
    /// it to `TimedOut` (whose write may still land). nil: Codat's default.
    public var pushTimeoutInMinutes: Int32?

    /// Defaults: 3 attempts, 90-minute window less 10, 3 replays 1 s apart, 409s 2 s apart for at
    /// most 2 minutes, 2 minutes for pending pushes, 24 hours for a `TimedOut` push to settle,
    /// 5 minutes for a refresh, 5 minutes of clock skew, polls 1 s apart.
    public init(maxAttempts: Int = 3, replayWindow: Duration = .seconds(90 * 60), replaySafetyMargin: Duration = .seconds(10 * 60),
                maxReplays: Int = 3, replayInterval: Duration = .seconds(1), inFlightInterval: Duration = .seconds(2),
                inFlightMaxWait: Duration = .seconds(120), pushSettleTimeout: Duration = .seconds(120),
                timedOutSettleTime: Duration = .seconds(24 * 3600), refreshTimeout: Duration = .seconds(300),
                clockSkew: Duration = .seconds(300), pollInterval: Duration = .seconds(1),
                sendRetry: RetryConfiguration = DeliveryPolicy.onlyRateLimits, pushTimeoutInMinutes: Int32? = nil) {
        self.maxAttempts = maxAttempts
        self.replayWindow = replayWindow
        self.replaySafetyMargin = replaySafetyMargin
        self.maxReplays = maxReplays
        self.replayInterval = replayInterval
        self.inFlightInterval = inFlightInterval
        self.inFlightMaxWait = inFlightMaxWait
        self.pushSettleTimeout = pushSettleTimeout
        self.timedOutSettleTime = timedOutSettleTime
        self.refreshTimeout = refreshTimeout
        self.clockSkew = clockSkew
        self.pollInterval = pollInterval
        self.sendRetry = sendRetry
        self.pushTimeoutInMinutes = pushTimeoutInMinutes
    }

    /// Retries 429 only (after `Retry-After`, or 0.5 s growing 1.5x up to 30 s, for 2 minutes).
    /// A 409 for the key (the first request still in flight) comes back to the layer at once
    /// (`keyInProgressWait` zero): it waits and asks again itself (`inFlightInterval`), counted.
    public static let onlyRateLimits = RetryConfiguration(
        strategy: .backoff(initialInterval: .milliseconds(500), maxInterval: .seconds(30), maxElapsedTime: .seconds(120), exponent: 1.5),
        statuses: StatusSet(codes: [429]), retryConnectionErrors: false, keyInProgressWait: .zero)

    /// The per-call options of a payment request carrying `idempotencyKey` in a header.
    func callOptions(idempotencyKey: String? = nil) -> CallOptions {
        CallOptions(retry: sendRetry, idempotencyKey: idempotencyKey)
    }
}

/// What happened while one intent was delivered (in this call).
public struct DeliveryReport: Sendable, Hashable, CustomStringConvertible {
    public let intentId: PaymentIntentID
    /// Every `Idempotency-Key` of the intent so far (attempt 1 first).
    public internal(set) var idempotencyKeys: [String] = []
    /// Requests sent in this call (the runtime's own resends after 429/409 not counted).
    public internal(set) var sends = 0
    /// Sends whose outcome was not known from their answer (lost, cut, 5XX, 409).
    public internal(set) var ambiguousSends = 0
    /// Ambiguities settled by resending the same key (Codat replayed the first outcome).
    public internal(set) var resolvedByReplay = 0
    /// Ambiguities settled from state (amount due, push operations, payments after a refresh).
    public internal(set) var resolvedByReconciliation = 0
    /// Attempts proven not recorded (then sent again with a new key).
    public internal(set) var provenNotRecorded = 0
    /// The call resumed an intent a journal already knew.
    public internal(set) var resumed = false
    /// The call found the intent already recorded and sent nothing.
    public internal(set) var alreadyRecorded = false
    /// The call joined another call of the same intent in this process and sent nothing itself.
    public internal(set) var joined = false

    public init(intentId: PaymentIntentID) { self.intentId = intentId }

    public var description: String {
        "intent \(intentId): \(sends) send\(sends == 1 ? "" : "s"), \(ambiguousSends) ambiguous, \(resolvedByReplay) resolved by replay, "
            + "\(resolvedByReconciliation) by reconciliation, \(provenNotRecorded) proven not recorded"
            + (alreadyRecorded ? ", already recorded" : "") + (joined ? ", joined" : "") + ", keys \(idempotencyKeys.joined(separator: " "))"
    }
}

/// A payment intent may or may not have been recorded, and the layer could not find out yet.
/// Nothing was sent blind. Pay the same intent again later (with the same journal, or after
/// `PaymentJournal.save(resume)` in a new one) to resume: the layer asks Codat again with the same
/// key, or reconciles from state once it can.
public struct PaymentOutcomeUnknownError: Error, Sendable, CustomStringConvertible {
    /// Everything a later call needs: intent id, keys, time of sending, push operation.
    public let resume: PaymentResumeData
    /// Why the layer could not tell.
    public let reason: String
    /// What the layer did in this call.
    public let report: DeliveryReport

    public var intentId: PaymentIntentID { resume.intentId }

    public var description: String {
        "payment intent \(intentId) may or may not have been recorded; nothing was sent blind: \(reason). Resume: \(resume)"
    }
}

/// A payment intent that was not recorded: Codat refused it, or it never reached Codat, after an
/// earlier send was found not recorded or when Codat asked to slow down. Paying the same intent
/// again sends it again (nothing of it is recorded).
public struct PaymentNotRecordedError: Error, Sendable, CustomStringConvertible {
    public let intentId: PaymentIntentID
    /// The last failure (the client's error with Codat's answer, when there was one).
    public let underlying: any Error
    public let report: DeliveryReport

    public var description: String {
        "payment intent \(intentId) was not recorded: \(underlying) (\(report))"
    }
}

/// What reconciliation concluded.
enum Reconciliation: Sendable {
    case recorded(recordId: String?)
    case notRecorded
    case unknown(String)
}

/// How a send ended, as far as the intent is concerned.
enum SendOutcome<Answer: Sendable>: Sendable {
    /// A success answer (fresh or replayed).
    case answered(Answer)
    /// The request did not reach Codat, or Codat said it did not act and released the key (429).
    case notProcessed(any Error)
    /// A final refusal (4XX other than 409/429): Codat keeps it for the key, nothing was written.
    case refused(any Error)
    /// A final answer Codat replays for the key but that does not tell whether the write happened.
    case replayedFailure(status: Int, any Error)
    /// 409: the key's first request is still being processed.
    case inFlight(any Error)
    /// No usable answer (lost, cut, timed out, a success body that does not decode).
    case lost(any Error)

    static func classify(_ error: any Error, keySentBefore: Bool) -> SendOutcome {
        guard let failure = error as? any PayablesFailure else { return .lost(error) }
        if failure.outcomeUnknown { return .lost(error) }
        switch failure.kind {
        case .connection: return .notProcessed(error) // the runtime says it was not sent
        case .timedOut, .undecodableBody: return .lost(error)
        case .errorResponse, .undocumentedStatus:
            let status = failure.status ?? 0
            switch status {
            case 429: return .notProcessed(error)
            case 409: return .inFlight(error)
            // Same key, another body (CODAT-FACTS §1): after an earlier send it says nothing of that send.
            case 422 where keySentBefore: return .replayedFailure(status: status, error)
            case 500...: return .replayedFailure(status: status, error)
            default: return .refused(error)
            }
        }
    }
}

/// How the engine's result came about.
enum Delivered<Answer: Sendable>: Sendable {
    /// Codat answered the send (fresh or replayed).
    case answered(Answer)
    /// Found recorded by reconciliation, or recorded before this call.
    case recorded(recordId: String?)
}

/// Delivers one intent (see the top of this file). The API-specific parts are closures.
struct IntentDelivery<Answer: Sendable> {
    let journal: PaymentJournal
    let policy: DeliveryPolicy
    let clock: any PaymentClock
    var entry: PaymentResumeData
    var report: DeliveryReport
    /// Sends the payload with this key.
    let send: (String) async throws -> Answer
    /// What a success answer means for the entry (recorded, or accepted for v1).
    let accept: (Answer, inout PaymentResumeData) -> Void
    /// Looks at state. `mayProveAbsence`: the key's request is known to be over.
    let reconcile: (PaymentResumeData, Bool) async throws -> Reconciliation
    /// Sends in this call that never reached Codat (or got a final 429), retried with the same key.
    private var notProcessedRetries = 0

    init(journal: PaymentJournal, policy: DeliveryPolicy, clock: any PaymentClock, entry: PaymentResumeData, report: DeliveryReport? = nil,
         send: @escaping (String) async throws -> Answer, accept: @escaping (Answer, inout PaymentResumeData) -> Void,
         reconcile: @escaping (PaymentResumeData, Bool) async throws -> Reconciliation) {
        self.journal = journal
        self.policy = policy
        self.clock = clock
        self.entry = entry
        self.report = report ?? DeliveryReport(intentId: entry.intentId)
        self.report.idempotencyKeys = entry.idempotencyKeys
        self.report.resumed = self.report.resumed || !entry.attempts.isEmpty
        self.send = send
        self.accept = accept
        self.reconcile = reconcile
    }

    mutating func run() async throws -> (Delivered<Answer>, PaymentResumeData, DeliveryReport) {
        var replays = 0
        var attemptsThisCall = 0
        notProcessedRetries = 0
        while true {
            switch entry.status {
            case .recorded:
                report.alreadyRecorded = report.sends == 0
                return (.recorded(recordId: entry.recordId), entry, report)
            case .accepted:
                // v1: settled by the push handle; the caller looks at the operation.
                return (.recorded(recordId: entry.recordId), entry, report)
            case .notRecorded:
                try Task.checkCancellation()
                guard attemptsThisCall < policy.maxAttempts else {
                    throw PaymentNotRecordedError(intentId: entry.intentId, underlying: AttemptsExhausted(attempts: attemptsThisCall), report: report)
                }
                attemptsThisCall += 1
                let number = entry.attempts.count + 1
                let key = entry.intentId.idempotencyKey(companyId: entry.companyId, attempt: number)
                entry.attempts.append(.init(number: number, idempotencyKey: key, firstSentAt: clock.now(), sends: 0, replayedStatus: nil))
                entry.pushOperationKey = nil
                report.idempotencyKeys = entry.idempotencyKeys
                replays = 0
                if let answer = try await sendCurrent() { return (.answered(answer), entry, report) }
            case .sent:
                let attempt = entry.attempts[entry.attempts.count - 1]
                let now = clock.now()
                let windowEnd = attempt.firstSentAt.adding(policy.replayWindow)
                let replayable = now < attempt.firstSentAt.adding(policy.replayWindow - policy.replaySafetyMargin)
                if attempt.replayedStatus == nil, replayable, replays < policy.maxReplays {
                    replays += 1
                    try await wait(policy.replayInterval)
                    if let answer = try await sendCurrent() { return (.answered(answer), entry, report) }
                    continue
                }
                // The key's request is over when Codat gave a final answer, or the window has passed.
                let over = attempt.replayedStatus != nil || now >= windowEnd
                let finding: Reconciliation
                do {
                    finding = try await reconcile(entry, over)
                } catch {
                    try await unknown("looking for the payment failed: \(error)")
                }
                switch finding {
                case let .recorded(recordId):
                    report.resolvedByReconciliation += 1
                    entry.status = .recorded
                    entry.recordId = recordId ?? entry.recordId
                    entry.note = "found recorded by reconciliation"
                    try await journal.save(entry)
                case .notRecorded:
                    report.resolvedByReconciliation += 1
                    report.provenNotRecorded += 1
                    entry.status = .notRecorded
                    entry.note = "attempt \(attempt.number) proven not recorded"
                    try await journal.save(entry)
                case let .unknown(reason):
                    try await unknown(over ? reason : "\(reason); the key's answers were lost and Codat may still be processing it (first sent \(attempt.firstSentAt))")
                }
            }
        }
    }

    /// Sends the current attempt's key and writes down what the answer means; returns Codat's
    /// success answer, or nil when the outcome is still to be found out.
    private mutating func sendCurrent() async throws -> Answer? {
        var inFlightStart: Date?
        while true {
            let index = entry.attempts.count - 1
            let keySentBefore = entry.attempts[index].sends > 0
            // Written before the request leaves: a crash now leaves an entry that says "sent".
            entry.attempts[index].sends += 1
            entry.status = .sent
            try await journal.save(entry)
            report.sends += 1
            let outcome: SendOutcome<Answer>
            do {
                outcome = .answered(try await send(entry.attempts[index].idempotencyKey))
            } catch is CancellationError {
                try await unknown("the call was cancelled after the payment was sent")
            } catch {
                outcome = SendOutcome.classify(error, keySentBefore: keySentBefore)
            }
            switch outcome {
            case let .answered(answer):
                if keySentBefore { report.resolvedByReplay += 1 }
                accept(answer, &entry)
                try await journal.save(entry)
                return answer
            case let .notProcessed(error):
                guard keySentBefore else {
                    // Nothing of this key reached Codat: the intent stands as before it.
                    entry.attempts[index].sends -= 1
                    if notProcessedRetries < policy.maxReplays {
                        notProcessedRetries += 1
                        try await journal.save(entry)
                        try await wait(policy.replayInterval)
                        continue
                    }
                    if entry.attempts[index].sends == 0 {
                        entry.attempts.removeLast()
                        report.idempotencyKeys = entry.idempotencyKeys
                    }
                    entry.status = .notRecorded
                    entry.note = "not processed: \(error)"
                    try await journal.save(entry)
                    throw PaymentNotRecordedError(intentId: entry.intentId, underlying: error, report: report)
                }
                // An earlier send of the key may have been processed: still unknown.
                report.ambiguousSends += 1
                return nil
            case let .refused(error):
                if keySentBefore { report.resolvedByReplay += 1 }
                entry.status = .notRecorded
                entry.note = "refused: \(error)"
                try await journal.save(entry)
                if report.sends > 1 || report.resumed { throw PaymentNotRecordedError(intentId: entry.intentId, underlying: error, report: report) }
                throw error
            case let .replayedFailure(status, _):
                report.ambiguousSends += 1
                entry.attempts[index].replayedStatus = status
                entry.note = "Codat answered \(status) for the key: reconcile"
                try await journal.save(entry)
                return nil
            case let .inFlight(error):
                report.ambiguousSends += 1
                let now = clock.now()
                let start = inFlightStart ?? now
                inFlightStart = start
                guard now < start.adding(policy.inFlightMaxWait) else {
                    try await unknown("Codat still answers 409 (in flight) after \(policy.inFlightMaxWait): \(error)")
                }
                try await wait(policy.inFlightInterval)
            case .lost:
                report.ambiguousSends += 1
                return nil
            }
        }
    }

    private func wait(_ duration: Duration) async throws {
        guard duration > .zero else { return }
        do {
            try await clock.sleep(for: duration)
        } catch {
            try await unknown("the call was cancelled while the outcome was being looked into")
        }
    }

    /// Saves the entry and throws `PaymentOutcomeUnknownError` with it.
    private func unknown(_ reason: String) async throws -> Never {
        var entry = self.entry
        entry.note = reason
        try? await journal.save(entry)
        throw PaymentOutcomeUnknownError(resume: entry, reason: reason, report: report)
    }
}

/// Every allowed attempt was proven not recorded.
struct AttemptsExhausted: Error, CustomStringConvertible {
    let attempts: Int
    var description: String { "\(attempts) attempts in this call were each proven not recorded (DeliveryPolicy.maxAttempts); paying the intent again tries again" }
}

/// The parts of a `PayablesError` that say whether a failed send may have been recorded,
/// whatever its error model.
protocol PayablesFailure {
    var kind: PayablesErrorKind { get }
    var status: Int? { get }
    var outcomeUnknown: Bool { get }
    /// The answer's body (Codat's `ErrorMessage`, for its validation errors).
    var body: Data { get }
    /// The last answer's `Retry-After` (a 429's: how long Codat asks to wait).
    var retryAfter: Duration? { get }
}

extension PayablesError: PayablesFailure {}
