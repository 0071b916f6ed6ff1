import BillPay
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

    init(out: Output, commit: Bool) {
        self.out = out
        self.commit = commit
    }

    /// Prints that a write was skipped because the demo only reads this server.
    func wouldSend(_ what: String) {
        out.line("(read-only: not sent; pass --commit to send) would \(what):")
    }
}
