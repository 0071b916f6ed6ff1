import BillPay
import CodatSandbox
import Foundation

/// Runs many payments concurrently against a faulty sandbox and counts what happened. The
/// payments themselves are in `FaultPayments+Sync.swift` and `FaultPayments+V1.swift` (one
/// generated module each).
enum FaultPayments {
    /// The outcome of one intended payment: its delivery report, or why it failed.
    typealias Outcome = Result<DeliveryReport, FailedPayment>

    struct FailedPayment: Error {
        let billId: String
        let message: String
    }

    /// Runs `pay` for every item, at most `concurrency` at a time.
    static func run<Item: Sendable>(_ items: [Item], concurrency: Int,
                                    pay: @escaping @Sendable (Item) async -> Outcome) async -> [Outcome] {
        await withTaskGroup(of: Outcome.self) { group in
            var outcomes: [Outcome] = []
            var next = items.makeIterator()
            for _ in 0..<concurrency {
                guard let item = next.next() else { break }
                group.addTask { await pay(item) }
            }
            while let outcome = await group.next() {
                outcomes.append(outcome)
                if let item = next.next() { group.addTask { await pay(item) } }
            }
            return outcomes
        }
    }
}

/// What a run of payments under faults did, and what the sandbox holds afterwards.
struct FaultRun {
    var intended = 0
    /// Payments the sandbox holds per bill paid in the run.
    var recordedPerBill: [String: Int] = [:]
    /// Bills whose amountDue is not their total minus the one payment.
    var wrongAmountDue: [String] = []
    var errors: [String] = []
    var sends = 0
    var ambiguous = 0
    var foundRecorded = 0
    var foundNotRecorded = 0
    /// Payment requests that reached the sandbox (faulted ones included).
    var paymentRequests = 0
    /// How often each fault fired, on any request.
    var faultsFired: [String: Int] = [:]
    var elapsed: Duration = .zero

    var recorded: Int { recordedPerBill.values.reduce(0, +) }
    var resends: Int { sends - intended + errors.count }

    mutating func add(_ outcomes: [FaultPayments.Outcome]) {
        for outcome in outcomes {
            switch outcome {
            case let .success(report):
                sends += report.sends
                ambiguous += report.ambiguousFailures
                foundRecorded += report.foundRecorded
                foundNotRecorded += report.foundNotRecorded
            case let .failure(failure):
                errors.append("\(failure.billId): \(failure.message)")
            }
        }
    }

    mutating func countFaults(_ sandbox: CodatSandbox) {
        for rule in sandbox.faultRules {
            faultsFired["\(rule.fault)", default: 0] += rule.fired
        }
    }

    func print(title: String) {
        let faults = faultsFired.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", ")
        Swift.print("""
            ---- at most once under faults: \(title) ----
              intended payments:                       \(intended)
              recorded by the sandbox:                 \(recorded) (bills paid exactly once: \(recordedPerBill.values.filter { $0 == 1 }.count))
              payment requests that reached it:        \(paymentRequests) (sends by the layer: \(sends))
              ambiguous failures:                      \(ambiguous)
                resolved as recorded (not resent):     \(foundRecorded)
                resolved as not recorded (resent):     \(foundNotRecorded)
              resends:                                 \(resends)
              failed payments:                         \(errors.count)
              faults fired (all requests):             \(faults)
              elapsed:                                 \(String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)) s
            """)
    }
}
