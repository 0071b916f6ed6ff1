import CodatSyncPayablesV1
import Foundation

/// A bill payment of a payment run (asynchronous API): the payload as validated when the run
/// was planned, before the intent's marker is added to its `note`.
public struct V1PlannedPayment: Codable, Hashable, Sendable {
    /// Which of the guides' payments it is.
    public var kind: BillPaymentRequest.Kind
    /// The payload.
    public var payment: BillPayment

    public init(kind: BillPaymentRequest.Kind, payment: BillPayment) {
        self.kind = kind
        self.payment = payment
    }

    /// The bills the payment links.
    public var billIds: [String] {
        (payment.lines ?? []).flatMap { ($0.links ?? []).filter { $0.type == .bill }.compactMap(\.id) }
    }

    /// The credit notes the payment links.
    public var creditNoteIds: [String] {
        (payment.lines ?? []).flatMap { ($0.links ?? []).filter { $0.type == .creditNote }.compactMap(\.id) }
    }

    /// The money paid (`totalAmount`).
    public var amount: Decimal { payment.totalAmount ?? 0 }
}
