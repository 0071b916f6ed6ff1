import CodatSyncPayablesV1
import Foundation

extension AsyncBillPay {
    // MARK: Credit notes

    /// Creates a bill credit note (see `BillCreditNote.toCreate`), at most once, so that it can
    /// then be allocated to a bill.
    ///
    /// - Throws: `CreditNoteError` (nothing sent) when it names no supplier or its amounts do not
    ///   add up.
    public func createCreditNote(_ creditNote: BillCreditNote, key: PaymentKey? = nil) async throws -> PushHandle<BillCreditNote> {
        if (creditNote.supplierRef?.id ?? "").isEmpty { throw CreditNoteError.noSupplier }
        let issues = creditNote.totalsIssues
        if !issues.isEmpty { throw CreditNoteError.totals(issues) }
        var note = creditNote
        let key = try key ?? PaymentKey.derived(from: ["v1-credit-note", companyId, connectionId], payload: note)
        note.note = key.marking(note.note)
        let (client, companyId, connectionId, marker) = (client, companyId, connectionId, key.marker)
        return try await deliverMarked(key: key, dataType: .billCreditNotes) { options in
            try await client.billCreditNotes.create(companyId: companyId, connectionId: connectionId, body: note, options: options)
        } find: {
            try await client.billCreditNotes.listAll(companyId: companyId, query: "note~\(marker)").collect()
                .first { $0.note?.contains(marker) ?? false }
        } fetch: { operation in
            try await client.billCreditNotes.get(companyId: companyId, billCreditNoteId: try Self.recordId(operation))
        }
    }

    // MARK: Deleting

    /// Deletes a bill (one without payments; delete its payments first).
    public func deleteBill(id: String) async throws -> PushHandle<DeletedRecord> {
        let operation = try await client.bills.delete(companyId: companyId, connectionId: connectionId, billId: id)
        return handle(operation) { DeletedRecord(id: $0.recordId ?? id, dataType: $0.dataType?.rawValue) }
    }

    /// Deletes a bill payment: the bills it paid owe that amount again.
    public func deleteBillPayment(id: String) async throws -> PushHandle<DeletedRecord> {
        let operation = try await client.billPayments.delete(companyId: companyId, connectionId: connectionId, billPaymentId: id)
        return handle(operation) { DeletedRecord(id: $0.recordId ?? id, dataType: $0.dataType?.rawValue) }
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
