import CodatSyncPayables
import Foundation

// The synchronous API's part of a `PaymentRun`: planning (every intent checked before any is
// sent) and the delivery of one planned intent.

extension SyncBillPay {
    /// One read of the company (for `PaymentRun`'s check that requests pass its limiter).
    func touchCompany() async throws {
        _ = try await client.companies.get(companyId: companyId)
    }

    /// Checks every intent against the company's outstanding bills and payment accounts, and the
    /// intents against each other; returns each intent with its amount resolved and its payload.
    ///
    /// - Throws: `PaymentPlanRefusedError` with every refused intent and why.
    func planRun(_ intents: [PaymentRunIntent]) async throws -> [(intent: PaymentRunIntent, payment: PlannedPayment)] {
        let bills = Dictionary(try await outstandingBills().compactMap { bill in bill.id.map { ($0, bill) } }, uniquingKeysWith: { first, _ in first })
        let accounts = try await paymentAccounts()
        var notOutstanding: [String: String] = [:]
        for billId in Set(intents.flatMap { $0.bills.map(\.billId) }) where bills[billId] == nil {
            notOutstanding[billId] = try await bill(id: billId).map { "bill \(billId) is \($0.status.rawValue): only Open and PartiallyPaid bills are paid" }
                ?? "bill \(billId) was not found"
        }

        var planner = RunPlanner(intents)
        var planned: [(intent: PaymentRunIntent, payment: PlannedPayment)] = []
        for (position, intent) in intents.enumerated() {
            var reasons = planner.commonReasons(at: position)
            if intent.bills.count != 1 || !intent.creditNotes.isEmpty || intent.batch {
                reasons.append("the synchronous API pays one bill per payment, without credit notes: several bills, batches and credit notes need the asynchronous API")
            }
            guard let share = intent.bills.first, reasons.isEmpty else {
                planner.refuse(position, reasons)
                continue
            }
            guard let bill = bills[share.billId] else {
                planner.refuse(position, reasons + [notOutstanding[share.billId] ?? "bill \(share.billId) was not found"])
                continue
            }
            guard let account = accounts.first(where: { $0.id == intent.accountId }) else {
                planner.refuse(position, ["payment account \(intent.accountId) is not among the company's payment accounts (payment mapping options)"])
                continue
            }
            do {
                let request = try SyncBillPaymentRequest.payBill(bill, amount: share.amount, from: account, date: DateTime(intent.date),
                                                                  reference: intent.reference, currencyRate: intent.currencyRate)
                try request.check(against: bill)
                var resolved = intent
                resolved.bills = [.init(billId: share.billId, amount: request.payment.amount)]
                planner.allocate(bill: share.billId, amount: request.payment.amount, limit: bill.amountDue, at: position)
                planned.append((resolved, .sync(request)))
            } catch {
                planner.refuse(position, ["\(error)"])
            }
        }
        try planner.finish()
        return planned
    }

    /// Delivers one planned intent of a run (never throws: the outcome says what happened).
    func deliverRunIntent(_ request: SyncBillPaymentRequest, intent: PaymentIntentID, wasInFlight: Bool) async -> RunIntentOutcome {
        do {
            let receipt = try await pay(request, intent: intent)
            return .paid(recordId: receipt.recordId, report: receipt.delivery, wasInFlight: wasInFlight)
        } catch {
            return .failed(error)
        }
    }
}
