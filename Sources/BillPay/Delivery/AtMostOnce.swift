import CodatSyncPayables
import CodatSyncPayablesV1
import Foundation

// # A payment is recorded at most once
//
// Every payment (and every credit note) the layer sends goes through `AtMostOnce.deliver`.
//
// 1. **Send once.** The generated client already retries what is safe to retry: a request that
//    never left, a 408 / 429 / 503 (the server says it did not act), any GET. It never repeats a
//    POST whose outcome is unknown (the runtime's `outcomeUnknown`), and the layer does not ask it
//    to (`retryUnsafeRequests` stays off, on resends too: a resend whose answer is lost must be
//    looked into like the first send, not repeated blindly).
// 2. **An ambiguous failure is looked into, not retried.** Ambiguous: `outcomeUnknown` (the
//    connection dropped or the answer was cut after the request may have arrived), a timeout, a
//    5XX or a 409 answer to the POST, a success status whose body does not decode. After
//    `DeliveryPolicy.settleDelay` (so that a request still in flight lands first), the layer
//    finds out whether the payment was recorded:
//    - **Synchronous API** (`CodatSyncPayables`, no endpoint lists a bill's payments): the bill is
//      read again (`list-bills`, `query=id=…`) and its `amountDue` compared with the one read just
//      before sending. Unchanged: not recorded. Lower by the payment's amount (in the bill's
//      currency, or converted with the payment's `currencyRate`): recorded. Anything else (another
//      payment landed meanwhile, the bill is gone): undetermined. With
//      `DeliveryPolicy.useIdempotencyKeys` the POST also carries an `Idempotency-Key` derived
//      from the payment, so that Codat itself recognises a repeat.
//    - **Asynchronous API** (`CodatSyncPayablesV1`): the payment carries a marker in its `note`
//      (`billpay-key:<PaymentKey>`, a key derived from the payment). The layer lists bill payments
//      whose note contains it (`note~billpay-key:…`); found: recorded. Not found: the push may
//      still be pending, so the company's pending `billPayments` push operations are waited for
//      (each by key, within `DeliveryPolicy.findOutTimeout`) and the list read again. Still not
//      found: not recorded (it never arrived, or its push failed).
// 3. **Only what provably did not happen is sent again**, up to `DeliveryPolicy.maxSends` sends.
//    Recorded: the layer returns what it found, without sending. Undetermined: it stops with
//    `PaymentOutcomeUnknownError`, never a second send.
//
// 4. **Optionally, look first** (v1, `DeliveryPolicy.lookBeforeSending`): the marker is looked
//    for before the first send too, so that paying again under the same key after a crash or a
//    cancelled task sends nothing when the first attempt was recorded.
//
// Each delivery returns a `DeliveryReport`: sends, ambiguous failures, and what was found.
//
// Limits: a request still travelling after `settleDelay` (a very slow server) can land after
// the layer looked; the synchronous check relies on nothing else changing the bill's
// `amountDue` meanwhile (when something does, the layer stops instead of guessing); the v1
// check relies on the list endpoints showing a record once its push succeeded.

/// How payments are delivered, and how long the layer looks into an ambiguous failure.
public struct DeliveryPolicy: Sendable, Hashable {
    /// At most this many sends of one payment (the first included).
    public var maxSends: Int
    /// Waited after an ambiguous failure before looking, so that a request still travelling to
    /// the server has landed.
    public var settleDelay: Duration
    /// How long the layer waits for pending push operations that may be the payment's (v1).
    public var findOutTimeout: Duration
    /// Sends an `Idempotency-Key` (derived from the payment) with the operations that take one
    /// (synchronous payments, bills, bank accounts). The runtime then treats the POST as safe to
    /// repeat, and Codat answers a repeat with the first answer.
    public var useIdempotencyKeys: Bool

    /// Before the first send of a v1 payment or credit note, looks for one already carrying its
    /// marker (and waits for pending pushes that may be it), and sends nothing if there is one.
    /// This makes `pay(_:key:)` safe to call again with the same key after a crash or a
    /// cancellation, at the cost of a list request per payment. The synchronous API cannot do
    /// this (a bill's `amountDue` does not say which payment lowered it).
    public var lookBeforeSending: Bool

    /// The defaults: 5 sends at most, 0.2 s before looking, 60 s of waiting for pending pushes,
    /// Idempotency-Key sent, no look before the first send.
    public init(maxSends: Int = 5, settleDelay: Duration = .milliseconds(200), findOutTimeout: Duration = .seconds(60),
                useIdempotencyKeys: Bool = true, lookBeforeSending: Bool = false) {
        self.maxSends = maxSends
        self.settleDelay = settleDelay
        self.findOutTimeout = findOutTimeout
        self.useIdempotencyKeys = useIdempotencyKeys
        self.lookBeforeSending = lookBeforeSending
    }
}

/// What happened while one payment was delivered.
public struct DeliveryReport: Sendable, Hashable, CustomStringConvertible {
    /// The payment's key (its marker in v1, its `Idempotency-Key` in the synchronous API).
    public let key: PaymentKey
    /// Requests the layer sent (the runtime's own retries of one send are not counted).
    public internal(set) var sends = 0
    /// Sends whose outcome was unknown.
    public internal(set) var ambiguousFailures = 0
    /// Ambiguous failures found to have been recorded (nothing sent again).
    public internal(set) var foundRecorded = 0
    /// Ambiguous failures found not to have been recorded (sent again).
    public internal(set) var foundNotRecorded = 0

    /// Whether the payment was found already recorded before anything was sent
    /// (`DeliveryPolicy.lookBeforeSending`).
    public internal(set) var foundBeforeSending = false

    /// Sends after the first.
    public var resends: Int { max(sends - 1, 0) }

    /// An empty report for a payment.
    public init(key: PaymentKey) { self.key = key }

    public var description: String {
        "key \(key.rawValue): \(sends) send\(sends == 1 ? "" : "s"), \(ambiguousFailures) ambiguous, "
            + "\(foundRecorded) found recorded, \(foundNotRecorded) found not recorded"
    }
}

/// A payment may or may not have been recorded, and the layer could not find out: it was not
/// sent again. Look at the company's payments (the report's key is the payment's marker) before
/// paying again.
public struct PaymentOutcomeUnknownError: Error, Sendable, CustomStringConvertible {
    /// The payment's key (its marker in v1).
    public let key: PaymentKey
    /// Why the layer could not tell.
    public let reason: String
    /// The failure that made the outcome unknown.
    public let lastError: String
    /// What the layer did before it stopped.
    public let report: DeliveryReport

    public var description: String {
        "payment \(key.rawValue) may or may not have been recorded, and was not sent again: \(reason) (after: \(lastError))"
    }
}

/// A payment that failed unambiguously (the server refused it, or it never left) after the
/// layer had already sent it once with an unknown outcome and found it not recorded.
public struct PaymentNotRecordedError: Error, Sendable, CustomStringConvertible {
    /// The payment's key.
    public let key: PaymentKey
    /// The last failure (a `PayablesError` with the server's answer, when there was one).
    public let underlying: any Error
    /// What the layer did.
    public let report: DeliveryReport

    public var description: String {
        "payment \(key.rawValue) was not recorded: \(underlying) (\(report))"
    }
}

/// What looking into an ambiguous failure found.
enum DeliveryFinding<Found: Sendable>: Sendable {
    case recorded(Found)
    case notRecorded
    case undetermined(String)
}

/// A delivered payment: the server's answer, or what the layer found after losing the answer.
enum Delivered<Sent: Sendable, Found: Sendable>: Sendable {
    case sent(Sent)
    case found(Found)
}

enum AtMostOnce {
    /// Sends with `send`; after an ambiguous failure, asks `findOut` and sends again only when
    /// it says `notRecorded`. See the top of this file.
    ///
    /// With `lookFirst` (v1, `DeliveryPolicy.lookBeforeSending`), `findOut` is asked before the
    /// first send too: a payment already recorded under the key is not sent again.
    static func deliver<Sent: Sendable, Found: Sendable>(
        key: PaymentKey, policy: DeliveryPolicy, options: CallOptions = CallOptions(), lookFirst: Bool = false,
        send: (CallOptions) async throws -> Sent,
        findOut: () async throws -> DeliveryFinding<Found>
    ) async throws -> (Delivered<Sent, Found>, DeliveryReport) {
        var report = DeliveryReport(key: key)
        if lookFirst {
            switch try await findOut() {
            case let .recorded(found):
                report.foundBeforeSending = true
                return (.found(found), report)
            case .notRecorded:
                break
            case let .undetermined(reason):
                throw PaymentOutcomeUnknownError(key: key, reason: reason, lastError: "an earlier send under this key", report: report)
            }
        }
        while true {
            report.sends += 1
            do {
                return (.sent(try await send(options)), report)
            } catch {
                guard isAmbiguous(error) else {
                    // Refused, or never sent. After an earlier ambiguous send, say so.
                    if report.ambiguousFailures > 0, !(error is CancellationError) {
                        throw PaymentNotRecordedError(key: key, underlying: error, report: report)
                    }
                    throw error
                }
                report.ambiguousFailures += 1
                let finding: DeliveryFinding<Found>
                do {
                    try await Task.sleep(for: policy.settleDelay)
                    finding = try await findOut()
                } catch is CancellationError {
                    throw CancellationError()
                } catch let lookup {
                    throw PaymentOutcomeUnknownError(key: key, reason: "looking for the payment failed: \(lookup)",
                                                     lastError: "\(error)", report: report)
                }
                switch finding {
                case let .recorded(found):
                    report.foundRecorded += 1
                    return (.found(found), report)
                case .notRecorded:
                    report.foundNotRecorded += 1
                    guard report.sends < policy.maxSends else {
                        throw PaymentNotRecordedError(key: key, underlying: error, report: report)
                    }
                case let .undetermined(reason):
                    throw PaymentOutcomeUnknownError(key: key, reason: reason, lastError: "\(error)", report: report)
                }
            }
        }
    }

    /// Whether a failed send may have been recorded.
    static func isAmbiguous(_ error: any Error) -> Bool {
        guard let failure = error as? any PayablesFailure else { return false }
        if failure.outcomeUnknown { return true }
        switch failure.kind {
        case .timedOut, .undecodableBody:
            return true
        case .connection:
            return false // the runtime says nothing was sent
        case .errorResponse, .undocumentedStatus:
            let status = failure.status ?? 0
            return status >= 500 || status == 409
        }
    }

    // MARK: Synchronous API: the bill's amountDue

    /// Whether a synchronous payment of `payment` was recorded on the bill, from the bill read
    /// just before sending and the bill read after the ambiguous failure.
    static func syncFinding(before: CodatSyncPayables.Bill, after: CodatSyncPayables.Bill?,
                            payment: CodatSyncPayables.BillPaymentPrototype) -> DeliveryFinding<CodatSyncPayables.Bill> {
        guard let after else { return .undetermined("the bill is no longer listed") }
        guard let dueBefore = before.amountDue, let dueAfter = after.amountDue else {
            return .undetermined("the bill has no amountDue to compare")
        }
        let decrease = dueBefore - dueAfter
        if decrease == 0 { return .notRecorded }
        // The amount is in the payment account's currency; converted with currencyRate (either
        // way round, to the cent) when the bill is in another.
        var expected = [payment.amount]
        if let rate = payment.currencyRate, rate != 0 {
            expected += [rounded(payment.amount * rate), rounded(payment.amount / rate)]
        }
        if expected.contains(where: { abs(rounded($0) - rounded(decrease)) <= Decimal(string: "0.01")! }) {
            return .recorded(after)
        }
        return .undetermined("the bill's amountDue went from \(dueBefore) to \(dueAfter), not by the payment's \(payment.amount): something else changed it meanwhile")
    }

    private static func rounded(_ value: Decimal) -> Decimal {
        var value = value
        var result = Decimal()
        NSDecimalRound(&result, &value, 2, .plain)
        return result
    }

    // MARK: Asynchronous API: the marker in `note`

    /// Looks for a v1 record carrying `marker`; when none is found, waits for the company's
    /// pending push operations of `dataType` (one of them may be the record's) and looks again.
    static func v1Finding<Record: Sendable>(
        client: CodatSyncPayablesV1.Client, companyId: String, connectionId: String, dataType: CodatSyncPayablesV1.DataType,
        policy: DeliveryPolicy, find: () async throws -> Record?
    ) async throws -> DeliveryFinding<Record> {
        if let record = try await find() { return .recorded(record) }
        let pending = try await client.pushOperations.listAll(companyId: companyId, query: "status=Pending").collect()
            .filter { $0.dataType == dataType && $0.dataConnectionKey == connectionId }
        guard !pending.isEmpty else { return .notRecorded }

        let clock = ContinuousClock()
        let deadline = clock.now + policy.findOutTimeout
        var interval = Duration.milliseconds(50)
        for operation in pending {
            while true {
                let current = try await client.pushOperations.get(companyId: companyId, pushOperationKey: operation.pushOperationKey)
                if current.status != .pending { break }
                guard clock.now + interval < deadline else {
                    return .undetermined("push operation \(operation.pushOperationKey) was still Pending after \(policy.findOutTimeout)")
                }
                try await Task.sleep(for: interval)
                interval = min(interval * 2, .seconds(2))
            }
        }
        if let record = try await find() { return .recorded(record) }
        return .notRecorded
    }
}

/// The parts of a `PayablesError` that say whether a failed send may have been recorded,
/// whatever its error model.
protocol PayablesFailure {
    var kind: PayablesErrorKind { get }
    var status: Int? { get }
    var outcomeUnknown: Bool { get }
}

extension PayablesError: PayablesFailure {}
