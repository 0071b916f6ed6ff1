import CodatSyncPayablesV1
import Foundation

/// Builds the bill payments of the asynchronous Bill Pay guide, for one integration, and
/// validates each before returning it: what it returns can be sent as is.
///
/// The amounts follow the rules of a bill payment: `totalAmount` is the sum of the lines'
/// `amount`, each line's `amount` is minus the sum of its links, a `Bill` link carries minus the
/// amount allocated to the bill and a `CreditNote` link the (positive) credit used.
public struct BillPaymentBuilder: Hashable, Sendable {
    /// The validator every payment passes before it is returned; it carries the integration.
    public var validator: PaymentValidator

    /// The accounting software the payments are for.
    public var integration: Integration { validator.integration }

    /// A builder for an integration; `locationsAreMandatory` and `locationIds` are NetSuite's.
    public init(integration: Integration, locationsAreMandatory: Bool = false, locationIds: Set<String>? = nil) {
        self.validator = PaymentValidator(integration: integration, locationsAreMandatory: locationsAreMandatory, locationIds: locationIds)
    }

    /// A builder whose payments pass this validator.
    public init(validator: PaymentValidator) {
        self.validator = validator
    }

    // MARK: One bill

    /// Pays one bill in full: `totalAmount` is the bill's `amountDue`, one line, one `Bill` link of
    /// minus that amount, `supplierRef` from the bill.
    public func payBill(_ bill: Bill, details: PaymentDetails) throws -> BillPaymentRequest {
        try payBill(BillAllocation(bill: bill), details: details)
    }

    /// Pays part of one bill: the same payment with a smaller amount.
    public func payBill(_ bill: Bill, amount: Decimal, details: PaymentDetails) throws -> BillPaymentRequest {
        try payBill(BillAllocation(bill: bill, amount: amount), details: details)
    }

    /// Pays one bill, in full or in part as the allocation says, with the link's `currencyRate`.
    public func payBill(_ allocation: BillAllocation, details: PaymentDetails) throws -> BillPaymentRequest {
        let (_, amount) = try allocation.resolved()
        let kind: BillPaymentRequest.Kind = allocation.amount == nil || amount == allocation.bill.amountDue ? .billInFull : .partialPayment
        let line = BillPaymentLine(amount: amount, links: [try billLink(allocation)])
        return try finish(kind: kind, supplier: allocation.bill.supplierRef, lines: [line],
                          bills: [allocation.bill], details: details)
    }

    // MARK: Several bills

    /// Pays several bills of one supplier in one payment. `layout` defaults to the integration's
    /// (one line per bill for Xero, MYOB, Sage Intacct; one line with a link per bill for
    /// QuickBooks Online and NetSuite).
    public func payBills(_ allocations: [BillAllocation], details: PaymentDetails,
                         layout: MultipleBillsLayout? = nil) throws -> BillPaymentRequest {
        guard let first = allocations.first else { throw PaymentBuildError.noBills }
        guard let supplier = first.bill.supplierRef else {
            throw PaymentBuildError.billWithoutSupplier(billId: first.bill.id ?? "")
        }
        let lines = try self.lines(allocations, layout: layout ?? integration.multipleBillsLayout)
        return try finish(kind: .multipleBills, supplier: supplier, lines: lines,
                          bills: allocations.map(\.bill), details: details)
    }

    /// Pays bills of several suppliers in one payment (a batch payment, as in Xero): no
    /// `supplierRef`, one line per bill.
    public func batchPayment(_ allocations: [BillAllocation], details: PaymentDetails) throws -> BillPaymentRequest {
        guard !allocations.isEmpty else { throw PaymentBuildError.noBills }
        let lines = try self.lines(allocations, layout: .oneLinePerBill)
        return try finish(kind: .batchPayment, supplier: nil, lines: lines,
                          bills: allocations.map(\.bill), details: details)
    }

    // MARK: Credit notes

    /// Allocates a credit note to a bill, alone or with a partial payment.
    ///
    /// One line whose `amount` is the money paid (`partialPayment`, 0 when none), with two links:
    /// the bill, minus what settles it (credit plus payment), and the credit note, plus the credit
    /// used. `amount` defaults to the credit note's available credit (in full). `totalAmount` is the
    /// money paid, so 0 for a credit note alone.
    public func allocateCreditNote(_ creditNote: BillCreditNote, to bill: Bill, amount: Decimal? = nil,
                                   partialPayment: Decimal? = nil, details: PaymentDetails) throws -> BillPaymentRequest {
        guard let billId = bill.id else { throw PaymentBuildError.billWithoutId }
        guard let creditNoteId = creditNote.id else { throw PaymentBuildError.creditNoteWithoutId }
        let credit = amount ?? creditNote.availableCredit
        let paid = partialPayment ?? 0
        let line = BillPaymentLine(amount: paid, links: [
            BillPaymentLineLink(type: .bill, id: billId, amount: -(credit + paid)),
            BillPaymentLineLink(type: .creditNote, id: creditNoteId, amount: credit),
        ])
        return try finish(kind: paid == 0 ? .creditNoteAllocation : .creditNoteWithPartialPayment,
                          supplier: bill.supplierRef, lines: [line], bills: [bill], creditNotes: [creditNote],
                          details: details)
    }

    // MARK: Assembly

    private func billLink(_ allocation: BillAllocation) throws -> BillPaymentLineLink {
        let (id, amount) = try allocation.resolved()
        return BillPaymentLineLink(type: .bill, id: id, amount: -amount, currencyRate: allocation.currencyRate)
    }

    private func lines(_ allocations: [BillAllocation], layout: MultipleBillsLayout) throws -> [BillPaymentLine] {
        switch layout {
        case .oneLinePerBill:
            return try allocations.map { allocation in
                BillPaymentLine(amount: try allocation.resolved().amount, links: [try billLink(allocation)])
            }
        case .oneLineWithALinkPerBill:
            let links = try allocations.map(billLink)
            let amount = -links.reduce(Decimal(0)) { $0 + ($1.amount ?? 0) }
            return [BillPaymentLine(amount: amount, links: links)]
        }
    }

    private func finish(kind: BillPaymentRequest.Kind, supplier: SupplierRef?, lines: [BillPaymentLine],
                        bills: [Bill], creditNotes: [BillCreditNote] = [], details: PaymentDetails) throws -> BillPaymentRequest {
        // Codat matches the supplier by id; the name is sent only when asked for.
        let supplierRef = supplier.map { details.includeSupplierName ? $0 : SupplierRef(id: $0.id) }
        let billCurrencies = Set(bills.map(\.currency))
        let currency = details.currency ?? (billCurrencies.count == 1 ? billCurrencies.first! : nil)
        let payment = BillPayment(
            id: details.id,
            supplierRef: supplierRef,
            accountRef: details.account,
            totalAmount: lines.reduce(Decimal(0)) { $0 + $1.amount },
            currency: currency,
            currencyRate: details.currencyRate,
            date: details.date,
            note: details.note,
            paymentMethodRef: details.paymentMethod,
            lines: lines,
            reference: details.reference
        )
        let request = BillPaymentRequest(kind: kind, integration: integration, payment: payment,
                                         bills: bills, creditNotes: creditNotes)
        try validator.validate(request)
        return request
    }
}
