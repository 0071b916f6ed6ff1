import CodatSyncPayablesV1
import Foundation

extension AsyncBillPay {
    // MARK: The guides' payments

    /// Pays one bill in full: `totalAmount` is the bill's `amountDue`, `supplierRef` the bill's.
    public func payBill(_ bill: Bill, details: PaymentDetails, key: PaymentKey? = nil) async throws -> PushHandle<BillPayment> {
        try await pay(builder.payBill(bill, details: details), key: key)
    }

    /// Pays part of one bill.
    public func payBill(_ bill: Bill, amount: Decimal, details: PaymentDetails, key: PaymentKey? = nil) async throws -> PushHandle<BillPayment> {
        try await pay(builder.payBill(bill, amount: amount, details: details), key: key)
    }

    /// Pays several bills of one supplier in one payment (layout: the integration's, see
    /// `Integration.multipleBillsLayout`).
    public func payBills(_ bills: [BillAllocation], details: PaymentDetails, layout: MultipleBillsLayout? = nil,
                         key: PaymentKey? = nil) async throws -> PushHandle<BillPayment> {
        try await pay(builder.payBills(bills, details: details, layout: layout), key: key)
    }

    /// Pays bills of several suppliers in one batch payment (no `supplierRef`).
    public func batchPayment(_ bills: [BillAllocation], details: PaymentDetails, key: PaymentKey? = nil) async throws -> PushHandle<BillPayment> {
        try await pay(builder.batchPayment(bills, details: details), key: key)
    }

    /// Allocates a credit note to a bill in one bill payment: alone (`partialPayment` nil), or
    /// with a partial payment where the integration allows it (see `settleBill`).
    public func allocateCreditNote(_ creditNote: BillCreditNote, to bill: Bill, amount: Decimal? = nil, partialPayment: Decimal? = nil,
                                   details: PaymentDetails, key: PaymentKey? = nil) async throws -> PushHandle<BillPayment> {
        try await pay(builder.allocateCreditNote(creditNote, to: bill, amount: amount, partialPayment: partialPayment, details: details), key: key)
    }

    /// Settles (part of) a bill with a credit note and a payment, as the integration allows:
    /// one bill payment allocating both (NetSuite, Sage Intacct, others), or, where a credit note
    /// is only allocated in full and alone (Xero, QuickBooks Online), the credit note in full
    /// first and the payment as a second bill payment once the first is applied.
    ///
    /// Waits for each push; returns the bill payments made, in order.
    public func settleBill(_ bill: Bill, creditNote: BillCreditNote, payment: Decimal, details: PaymentDetails) async throws -> [PushCompletion<BillPayment>] {
        switch integration.creditNoteAllocation {
        case .withPartialPayment:
            return [try await allocateCreditNote(creditNote, to: bill, partialPayment: payment, details: details).wait()]
        case .inFullOnly, .notYetAvailable:
            // notYetAvailable: the validator refuses the first payment and says why.
            let allocation = try await allocateCreditNote(creditNote, to: bill, details: details).wait()
            let rest = try await payBill(self.bill(id: bill.id ?? ""), amount: payment, details: details).wait()
            return [allocation, rest]
        }
    }

    // MARK: Sending

    /// The payload `pay` sends for a request, and its key: the validator passed it, and its
    /// `note` carries the key's marker.
    ///
    /// - Throws: `PaymentValidationError` with every rule broken.
    public func prepare(_ request: BillPaymentRequest, key: PaymentKey? = nil) throws -> (payment: BillPayment, key: PaymentKey) {
        try validator.validate(request)
        var payment = request.payment
        let key = try key ?? PaymentKey.derived(from: ["v1-payment", companyId, connectionId], payload: payment)
        payment.note = key.marking(payment.note)
        return (payment, key)
    }

    /// Sends a bill payment, at most once, after the validator passed it.
    ///
    /// The payload is sent as built, with the payment's marker (`PaymentKey.marker`) added to
    /// its `note`: that is how the layer finds it again after an ambiguous failure.
    ///
    /// - Parameter key: Names this payment; default: derived from the company, connection and
    ///   payload.
    /// - Throws: `PaymentValidationError` (nothing sent) with every rule broken; the client's
    ///   `CodatSyncPayablesV1Error` when the push is refused; `PaymentOutcomeUnknownError` when
    ///   it may have been recorded and the layer could not tell.
    public func pay(_ request: BillPaymentRequest, key: PaymentKey? = nil) async throws -> PushHandle<BillPayment> {
        let (payment, key) = try prepare(request, key: key)
        let (client, companyId, connectionId, marker) = (client, companyId, connectionId, key.marker)
        return try await deliverMarked(key: key, dataType: .billPayments) { options in
            try await client.billPayments.create(companyId: companyId, connectionId: connectionId, body: payment, options: options)
        } find: {
            try await client.billPayments.listAll(companyId: companyId, query: "note~\(marker)").collect()
                .first { $0.note?.contains(marker) ?? false }
        } fetch: { operation in
            try await client.billPayments.get(companyId: companyId, billPaymentId: try Self.recordId(operation))
        }
    }
}
