import CodatSyncPayablesV1
import Foundation

// The asynchronous API's part of a `PaymentRun`: planning (every intent built by the guides'
// builder and checked by the validator before any is sent) and the delivery of one planned
// intent (the push, then its operation).

extension AsyncBillPay {
    /// One read of the company (for `PaymentRun`'s check that requests pass its limiter).
    func touchCompany() async throws {
        _ = try await client.companies.get(companyId: companyId)
    }

    /// Builds and validates every intent against the company's outstanding bills, bank accounts
    /// and credit notes, and the intents against each other.
    ///
    /// - Throws: `PaymentPlanRefusedError` with every refused intent and why.
    func planRun(_ intents: [PaymentRunIntent]) async throws -> [(intent: PaymentRunIntent, payment: PlannedPayment)] {
        let bills = Dictionary(try await outstandingBills().compactMap { bill in bill.id.map { ($0, bill) } }, uniquingKeysWith: { first, _ in first })
        let accounts = Set(try await bankAccounts().compactMap(\.id))
        let needsCreditNotes = intents.contains { !$0.creditNotes.isEmpty }
        let creditNotes = needsCreditNotes
            ? Dictionary(try await availableCreditNotes().compactMap { note in note.id.map { ($0, note) } }, uniquingKeysWith: { first, _ in first })
            : [:]

        var planner = RunPlanner(intents)
        var planned: [(intent: PaymentRunIntent, payment: PlannedPayment)] = []
        for (position, intent) in intents.enumerated() {
            var reasons = planner.commonReasons(at: position)
            if !accounts.contains(intent.accountId) {
                reasons.append("payment account \(intent.accountId) is not one of the company's bank accounts")
            }
            var allocations: [BillAllocation] = []
            for share in intent.bills {
                if let bill = bills[share.billId] {
                    allocations.append(BillAllocation(bill: bill, amount: share.amount))
                } else {
                    reasons.append("bill \(share.billId) is not outstanding (not found among Open and PartiallyPaid bills)")
                }
            }
            var notes: [(BillCreditNote, Decimal?)] = []
            for share in intent.creditNotes {
                if let note = creditNotes[share.creditNoteId] {
                    notes.append((note, share.amount))
                } else {
                    reasons.append("credit note \(share.creditNoteId) has no credit left to allocate or was not found")
                }
            }
            if !intent.creditNotes.isEmpty, intent.bills.count != 1 || intent.creditNotes.count != 1 || intent.batch {
                reasons.append("a credit note is allocated to one bill in one payment: give one bill and one credit note")
            }
            guard reasons.isEmpty else {
                planner.refuse(position, reasons)
                continue
            }
            let details = PaymentDetails(account: AccountRef(id: intent.accountId), date: DateTime(intent.date), currencyRate: intent.currencyRate,
                                         reference: intent.reference, note: intent.note,
                                         paymentMethod: intent.paymentMethodId.map { PaymentMethodRef(id: $0) })
            do {
                let request: BillPaymentRequest
                if let allocation = notes.first {
                    request = try builder.allocateCreditNote(allocation.0, to: allocations[0].bill, amount: allocation.1,
                                                             partialPayment: intent.bills[0].amount, details: details)
                } else if intent.batch {
                    request = try builder.batchPayment(allocations, details: details)
                } else if allocations.count > 1 {
                    request = try builder.payBills(allocations, details: details)
                } else {
                    request = try builder.payBill(allocations[0], details: details)
                }
                let violations = validator.violations(in: request)
                guard violations.isEmpty else {
                    planner.refuse(position, violations.map(\.description))
                    continue
                }
                var resolved = intent
                let links = (request.payment.lines ?? []).flatMap { $0.links ?? [] }
                resolved.bills = intent.bills.map { share in
                    let taken = links.filter { $0.type == .bill && $0.id == share.billId }.reduce(Decimal(0)) { $0 - ($1.amount ?? 0) }
                    return .init(billId: share.billId, amount: notes.isEmpty ? taken : share.amount ?? 0)
                }
                resolved.creditNotes = intent.creditNotes.map { share in
                    .init(creditNoteId: share.creditNoteId, amount: links.filter { $0.type == .creditNote && $0.id == share.creditNoteId }
                        .reduce(Decimal(0)) { $0 + ($1.amount ?? 0) })
                }
                for link in links {
                    guard let id = link.id, let amount = link.amount else { continue }
                    if link.type == .bill { planner.allocate(bill: id, amount: -amount, limit: bills[id]?.amountDue, at: position) }
                    if link.type == .creditNote { planner.allocate(creditNote: id, amount: amount, limit: creditNotes[id]?.availableCredit, at: position) }
                }
                planned.append((resolved, .v1(V1PlannedPayment(kind: request.kind, payment: request.payment))))
            } catch {
                planner.refuse(position, ["\(error)"])
            }
        }
        try planner.finish()
        return planned
    }

    /// Delivers one planned intent of a run: the push (exactly once, see `pay`), then its
    /// operation until it settles. `accepted` is called once Codat has answered with a push
    /// operation, before waiting on it. Never throws: the outcome says what happened.
    func deliverRunIntent(_ planned: V1PlannedPayment, intent: PaymentIntentID, wasInFlight: Bool, pushTimeout: Duration?,
                          accepted: @Sendable (String) async throws -> Void) async -> RunIntentOutcome {
        do {
            // Checked at planning against the bills; the payload's own rules are checked again here.
            let request = BillPaymentRequest(kind: planned.kind, integration: integration, payment: planned.payment)
            let handle = try await pay(request, intent: intent)
            guard let key = handle.pushOperationKey else {
                return .paid(recordId: nil, report: handle.delivery, wasInFlight: true)
            }
            try await accepted(key)
            do {
                let completion = try await handle.wait(timeout: pushTimeout)
                return .paid(recordId: completion.recordId, report: handle.delivery, wasInFlight: wasInFlight)
            } catch let timeout as PushWaitTimeoutError {
                return RunIntentOutcome(state: .sent, note: "\(timeout): a later start looks at it again",
                                        resume: try? await journal.entry(companyId: companyId, intentId: intent))
            }
        } catch let error as PaymentRunJournalError {
            return RunIntentOutcome(state: .sending, note: "\(error)", lookAtDelivery: true)
        } catch {
            return .failed(error)
        }
    }
}
