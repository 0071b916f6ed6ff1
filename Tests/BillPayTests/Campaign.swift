import BillPay
import CodatSandbox
import Foundation

/// A fault campaign: many payment intents through both APIs against a faulty sandbox, a process
/// restart midway, then a ground-truth count. The payments themselves are in `Campaign+Sync.swift`
/// and `Campaign+V1.swift` (one generated module each); this file names no model.
enum Campaign {
    struct Intent: Sendable, Hashable {
        let id: PaymentIntentID
        let api: PaymentResumeData.API
        let billId: String
        /// Paid in the slow-connector phase (v1 pushes that go TimedOut).
        let slow: Bool
    }

    enum Outcome: Sendable {
        case recorded(DeliveryReport?)
        case unknown(DeliveryReport?, reason: String)
        /// (Synchronous) the bill has another intent whose outcome is unknown: paid later.
        case deferred
        /// Proven not recorded (refused, or every attempt of the call proven absent): paid again later.
        case notRecorded(String)
        case failed(String)
        case cancelled

        var isRecorded: Bool { if case .recorded = self { return true } else { return false } }
        var report: DeliveryReport? {
            switch self {
            case let .recorded(report), let .unknown(report, _): return report
            default: return nil
            }
        }
    }

    /// One layer instance (a process): pays an intent through its API.
    typealias Payer = @Sendable (Intent) async -> Outcome

    /// Maps an error of `pay`/`wait` to an outcome.
    static func outcome(of error: any Error) -> Outcome {
        switch error {
        case let error as PaymentOutcomeUnknownError: return .unknown(error.report, reason: error.reason)
        case PaymentIntentError.billHasUnresolvedIntent: return .deferred
        case let error as PaymentNotRecordedError: return .notRecorded("\(error)")
        case is CancellationError: return .cancelled
        default: return .failed("\(error)")
        }
    }

    /// Pays every intent, `concurrency` at a time; with `stopAfter`, cancels the rest once that
    /// many have finished (a crash). Returns the outcome of each intent that finished, and how
    /// many were in flight when the rest was cancelled.
    static func run(_ intents: [Intent], concurrency: Int, stopAfter: Int? = nil, payer: @escaping Payer) async -> [PaymentIntentID: Outcome] {
        await runCounting(intents, concurrency: concurrency, stopAfter: stopAfter, payer: payer).outcomes
    }

    static func runCounting(_ intents: [Intent], concurrency: Int, stopAfter: Int? = nil,
                            payer: @escaping Payer) async -> (outcomes: [PaymentIntentID: Outcome], interrupted: Int) {
        await withTaskGroup(of: (PaymentIntentID, Outcome).self) { group in
            var outcomes: [PaymentIntentID: Outcome] = [:]
            var next = intents.makeIterator()
            for _ in 0..<concurrency {
                guard let intent = next.next() else { break }
                group.addTask { (intent.id, await payer(intent)) }
            }
            while let (id, outcome) = await group.next() {
                outcomes[id] = outcome
                if let stopAfter, outcomes.count >= stopAfter {
                    group.cancelAll()
                    var interrupted = 0
                    for await (id, outcome) in group {
                        outcomes[id] = outcome
                        interrupted += 1
                    }
                    return (outcomes, interrupted)
                }
                if let intent = next.next() { group.addTask { (intent.id, await payer(intent)) } }
            }
            return (outcomes, 0)
        }
    }

    /// What the campaign did and what the sandbox holds.
    struct Table {
        var intents = 0
        var syncIntents = 0
        var v1Intents = 0
        var identicalPairs = 0
        var recorded = 0
        var duplicates = 0
        var lost = 0
        var sends = 0
        var ambiguousSends = 0
        var resolvedByReplay = 0
        var resolvedByReconciliation = 0
        var provenNotRecorded = 0
        var interruptedByRestart = 0
        var resumedAfterRestart = 0
        var twinCalls = 0
        var twinConflicts409 = 0
        var timedOutWritesLanded = 0
        var unknownAfterFirstPass = 0
        var deferredAfterFirstPass = 0
        var notRecordedAfterFirstPass = 0
        var resolvedBySecondPass = 0
        var failures: [String] = []
        var faultsFired: [String: Int] = [:]
        var sandboxSecondsAdvanced = 0.0
        var elapsed: Duration = .zero

        mutating func add(_ report: DeliveryReport?) {
            guard let report else { return }
            sends += report.sends
            ambiguousSends += report.ambiguousSends
            resolvedByReplay += report.resolvedByReplay
            resolvedByReconciliation += report.resolvedByReconciliation
            provenNotRecorded += report.provenNotRecorded
        }

        func print() {
            let faults = faultsFired.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", ")
            Swift.print("""
                ---- exactly once under faults: payment intents through both APIs ----
                  intents:                                  \(intents) (sync \(syncIntents), v1 \(v1Intents); \(identicalPairs) pairs of identical instalments)
                  recorded (ground truth, one each):        \(recorded)
                  duplicates:                               \(duplicates)
                  lost:                                     \(lost)
                  requests sent by the layer:               \(sends)
                  ambiguous sends:                          \(ambiguousSends)
                    resolved by replay (same key):          \(resolvedByReplay)
                    resolved by reconciliation:             \(resolvedByReconciliation) (of which proven not recorded, sent again: \(provenNotRecorded))
                  process restart: interrupted / resumed:   \(interruptedByRestart) / \(resumedAfterRestart)
                  concurrent duplicates (another process):  \(twinCalls) calls, \(twinConflicts409) answered 409 then replayed
                  TimedOut pushes whose write landed later: \(timedOutWritesLanded)
                  unknown after the first pass:             \(unknownAfterFirstPass) (+ \(deferredAfterFirstPass) deferred behind one, \(notRecordedAfterFirstPass) proven not recorded in every attempt)
                  resolved by the second pass:              \(resolvedBySecondPass) (sandbox clock advanced \(Int(sandboxSecondsAdvanced)) s in all)
                  failures:                                 \(failures.count)
                  faults fired:                             \(faults)
                  elapsed:                                  \(String(format: "%.1f", elapsed.seconds)) s
                """)
        }
    }
}
