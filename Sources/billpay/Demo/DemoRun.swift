import BillPay
import CodatSandbox
import Foundation

/// What both flows share: whether they may write, where they print, and what they leave for
/// each other (the bill the synchronous flow creates is deleted at the end of the other).
final class DemoRun: @unchecked Sendable {
    let out: Output
    /// Whether payments and other writes are sent (own sandbox, or `--commit`).
    let commit: Bool
    /// The bill the synchronous flow created, unpaid, for the asynchronous flow to delete.
    var createdBillId: String?
    /// Bills already used by a step, so that each step shows a bill of its own.
    var usedBills: Set<String> = []
    /// Payments sent (or, without `commit`, printed), by solution.
    var syncPayments = 0
    var asyncPayments = 0
    /// The in-process sandbox, when the demo runs against one (it then injects one lost answer).
    let sandbox: CodatSandbox?
    /// Names this run's payment intents (`demo.<run>.<n>.<what>`): a real caller keeps its own ids.
    let runId = String(UUID().uuidString.lowercased().prefix(8))
    private var intents = 0

    init(out: Output, commit: Bool, sandbox: CodatSandbox? = nil) {
        self.out = out
        self.commit = commit
        self.sandbox = sandbox
    }

    /// A new payment intent id for this run.
    func nextIntent(_ what: String) -> PaymentIntentID {
        intents += 1
        let label = what.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return PaymentIntentID("demo.\(runId).\(intents).\(String(label).prefix(40))")
    }

    /// Prints that a write was skipped because the demo only reads this server.
    func wouldSend(_ what: String) {
        out.line("(read-only: not sent; pass --commit to send) would \(what):")
    }
}
