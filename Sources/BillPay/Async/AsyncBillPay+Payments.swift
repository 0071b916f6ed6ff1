import CodatSyncPayablesV1
import Foundation

extension AsyncBillPay {
    // MARK: The guides' payments

    /// Pays one bill in full: `totalAmount` is the bill's `amountDue`, `supplierRef` the bill's.
    public func payBill(_ bill: Bill, details: PaymentDetails, intent: PaymentIntentID) async throws -> PushHandle<BillPayment> {
        try await pay(builder.payBill(bill, details: details), intent: intent)
    }

    /// Pays part of one bill.
    public func payBill(_ bill: Bill, amount: Decimal, details: PaymentDetails, intent: PaymentIntentID) async throws -> PushHandle<BillPayment> {
        try await pay(builder.payBill(bill, amount: amount, details: details), intent: intent)
    }

    /// Pays several bills of one supplier in one payment (layout: the integration's, see
    /// `Integration.multipleBillsLayout`).
    public func payBills(_ bills: [BillAllocation], details: PaymentDetails, layout: MultipleBillsLayout? = nil,
                         intent: PaymentIntentID) async throws -> PushHandle<BillPayment> {
        try await pay(builder.payBills(bills, details: details, layout: layout), intent: intent)
    }

    /// Pays bills of several suppliers in one batch payment (no `supplierRef`).
    public func batchPayment(_ bills: [BillAllocation], details: PaymentDetails, intent: PaymentIntentID) async throws -> PushHandle<BillPayment> {
        try await pay(builder.batchPayment(bills, details: details), intent: intent)
    }

    /// Allocates a credit note to a bill in one bill payment: alone (`partialPayment` nil), or
    /// with a partial payment where the integration allows it (see `settleBill`).
    public func allocateCreditNote(_ creditNote: BillCreditNote, to bill: Bill, amount: Decimal? = nil, partialPayment: Decimal? = nil,
                                   details: PaymentDetails, intent: PaymentIntentID) async throws -> PushHandle<BillPayment> {
        try await pay(builder.allocateCreditNote(creditNote, to: bill, amount: amount, partialPayment: partialPayment, details: details), intent: intent)
    }

    /// Settles (part of) a bill with a credit note and a payment, as the integration allows:
    /// one bill payment allocating both (NetSuite, Sage Intacct, others), or, where a credit note
    /// is only allocated in full and alone (Xero, QuickBooks Online), the credit note in full
    /// first and the payment as a second bill payment once the first is applied.
    ///
    /// `intent` names the settlement; its bill payments are the intents `<intent>.1` and, when
    /// there is a second one, `<intent>.2`. Waits for each push; returns the settled pushes, in order.
    public func settleBill(_ bill: Bill, creditNote: BillCreditNote, payment: Decimal, details: PaymentDetails,
                           intent: PaymentIntentID) async throws -> [PushCompletion<BillPayment>] {
        let first = PaymentIntentID("\(intent.rawValue).1"), second = PaymentIntentID("\(intent.rawValue).2")
        switch integration.creditNoteAllocation {
        case .withPartialPayment:
            return [try await allocateCreditNote(creditNote, to: bill, partialPayment: payment, details: details, intent: first).wait()]
        case .inFullOnly, .notYetAvailable:
            // notYetAvailable: the validator refuses the first payment and says why.
            let allocation = try await allocateCreditNote(creditNote, to: bill, details: details, intent: first).wait()
            // The bill as it stands after the allocation: Codat shows it after a refresh (CODAT-FACTS §2).
            try await refresh(.bills)
            let rest = try await payBill(self.bill(id: bill.id ?? ""), amount: payment, details: details, intent: second).wait()
            return [allocation, rest]
        }
    }

    // MARK: Sending

    /// The payload `pay` sends for a request: the validator passed it, and its `note` carries the
    /// intent's marker (`PaymentIntentID.marker`).
    ///
    /// - Throws: `PaymentValidationError` with every rule broken.
    public func prepare(_ request: BillPaymentRequest, intent: PaymentIntentID) throws -> BillPayment {
        try validator.validate(request)
        var payment = request.payment
        payment.note = try intent.validated().marking(payment.note)
        return payment
    }

    /// Sends a bill payment intent, exactly once, after the validator passed it.
    ///
    /// The payload is sent as built, with the intent's marker added to its `note` (that is how it
    /// is found after a refresh) and the intent's `Idempotency-Key` header (Codat accepts it on
    /// every POST, CODAT-FACTS §1). Paying an intent the journal knows resumes it.
    ///
    /// - Parameters:
    ///   - request: The payment, built by `BillPaymentBuilder` (one bill, several, a batch, credit notes).
    ///   - intent: The caller's id for this payment, kept by the caller (see `PaymentIntentID`).
    ///   - resume: The resume data of an earlier `PaymentOutcomeUnknownError`, when the journal
    ///     does not have it.
    /// - Throws: `PaymentValidationError` or `PaymentIntentError` (nothing sent); the client's
    ///   `CodatSyncPayablesV1Error` when the push is refused; `PaymentNotRecordedError`;
    ///   `PaymentOutcomeUnknownError` (with its resume data) when the outcome cannot be known yet.
    public func pay(_ request: BillPaymentRequest, intent: PaymentIntentID, resume: PaymentResumeData? = nil) async throws -> PushHandle<BillPayment> {
        let payment = try prepare(request, intent: intent)
        let billIds = (payment.lines ?? []).flatMap { ($0.links ?? []).filter { $0.type == .bill }.compactMap(\.id) }
        let (client, companyId, connectionId, policy) = (client, companyId, connectionId, delivery)
        let push = MarkedPush<CreateBillPaymentResponse, BillPayment>(
            dataType: .billPayments, billIds: billIds, amount: payment.totalAmount ?? 0, digest: try PaymentResumeData.digest(of: payment)
        ) { key in
            try await client.billPayments.create(companyId: companyId, connectionId: connectionId, timeoutInMinutes: policy.pushTimeoutInMinutes, body: payment,
                                                 options: policy.callOptions(idempotencyKey: key))
        } findMarked: { intent in
            try await client.billPayments.listAll(companyId: companyId, query: "note~\(intent.rawValue)").collect()
                .filter { intent.isMarked(in: $0.note) }.compactMap(\.id)
        } fetch: { id in
            try await client.billPayments.get(companyId: companyId, billPaymentId: id)
        }
        return try await deliverIntent(intent, resume: resume, push: push)
    }
}
