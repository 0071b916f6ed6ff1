import CodatSyncPayablesV1
import Foundation

extension AsyncBillPay {
    // MARK: Credit notes

    /// Creates a bill credit note (see `BillCreditNote.toCreate`), exactly once per intent, so
    /// that it can then be allocated to a bill. Like a payment, it carries the intent's marker in
    /// its `note` and the intent's `Idempotency-Key`.
    ///
    /// - Throws: `CreditNoteError` (nothing sent) when it names no supplier or its amounts do not
    ///   add up; the delivery errors of `pay`.
    public func createCreditNote(_ creditNote: BillCreditNote, intent: PaymentIntentID, resume: PaymentResumeData? = nil) async throws -> PushHandle<BillCreditNote> {
        if (creditNote.supplierRef?.id ?? "").isEmpty { throw CreditNoteError.noSupplier }
        let issues = creditNote.totalsIssues
        if !issues.isEmpty { throw CreditNoteError.totals(issues) }
        var note = creditNote
        note.note = try intent.validated().marking(note.note)
        let (client, companyId, connectionId, body, policy) = (client, companyId, connectionId, note, delivery)
        let push = MarkedPush<CreateBillCreditNoteResponse, BillCreditNote>(
            dataType: .billCreditNotes, billIds: [], amount: note.totalAmount, digest: try PaymentResumeData.digest(of: body)
        ) { key in
            try await client.billCreditNotes.create(companyId: companyId, connectionId: connectionId, timeoutInMinutes: policy.pushTimeoutInMinutes, body: body,
                                                    options: policy.callOptions(idempotencyKey: key))
        } findMarked: { intent in
            try await client.billCreditNotes.listAll(companyId: companyId, query: "note~\(intent.rawValue)").collect()
                .filter { intent.isMarked(in: $0.note) }.compactMap(\.id)
        } fetch: { id in
            try await client.billCreditNotes.get(companyId: companyId, billCreditNoteId: id)
        }
        return try await deliverIntent(intent, resume: resume, push: push)
    }

    // MARK: Deleting

    /// Deletes a bill (one without payments; delete its payments first).
    public func deleteBill(id: String) async throws -> PushHandle<DeletedRecord> {
        let operation = try await client.bills.delete(companyId: companyId, connectionId: connectionId, billId: id)
        return handle(operation, dataType: nil) { DeletedRecord(id: $0, dataType: "bills") }
    }

    /// Deletes a bill payment: the bills it paid owe that amount again.
    public func deleteBillPayment(id: String) async throws -> PushHandle<DeletedRecord> {
        let operation = try await client.billPayments.delete(companyId: companyId, connectionId: connectionId, billPaymentId: id)
        return handle(operation, dataType: nil) { DeletedRecord(id: $0, dataType: "billPayments") }
    }
}

/// A credit note that cannot be created as it is.
public enum CreditNoteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `supplierRef` is missing: a credit note belongs to a supplier.
    case noSupplier
    /// The amounts do not add up.
    case totals([CreditNoteTotalsIssue])

    public var description: String {
        switch self {
        case .noSupplier: return "the credit note names no supplier (supplierRef)"
        case let .totals(issues): return "the credit note's amounts do not add up: " + issues.map(\.description).joined(separator: "; ")
        }
    }
}
