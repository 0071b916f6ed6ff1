import CodatSyncPayables
import Foundation

extension SyncBillPay {
    // MARK: Payment accounts

    /// The accounts a bill can be paid from (get payment mapping options, all pages): active bank
    /// accounts by default; `statusQuery` changes that (`status=Active||status=Archived`).
    public func paymentAccounts(statusQuery: String? = nil) async throws -> [BankAccountMappingOption] {
        var accounts: [BankAccountMappingOption] = []
        var token: String?
        var seen = Set<String>()
        repeat {
            let page = try await client.billPayments.getPaymentOptions(companyId: companyId, connectionId: connectionId,
                                                                       continuationToken: token, statusQuery: statusQuery)
            accounts += page.bankAccounts ?? []
            token = page.pagination?.continuationToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token.map { seen.insert($0).inserted } ?? false
        return accounts
    }

    /// The first account in `currency` (a debit account first, as money leaves a bank account).
    public static func paymentAccount(in currency: String, among accounts: [BankAccountMappingOption]) -> BankAccountMappingOption? {
        let matching = accounts.filter { $0.currency?.uppercased() == currency.uppercased() && $0.id != nil }
        return matching.first { $0.accountType == .debit } ?? matching.first
    }

    /// Creates a bank account in the accounting software.
    public func createBankAccount(_ account: BankAccountPrototype) async throws -> BankAccount {
        // A fresh GUID per call (CODAT-FACTS §1): the runtime may resend it after a 429 or 409.
        try await client.bankAccounts.create(companyId: companyId, connectionId: connectionId, idempotencyKey: UUID().uuidString.lowercased(), body: account)
    }

    /// Creates the bank account a payment method needs: `Debit` for ACH / RTP, cheque, wire and
    /// BACS, `Credit` for corporate card and BNPL. `accountNumber` is required by the document
    /// (nil is sent as `null`).
    ///
    /// - Throws: `PaymentAccountError.creditAccountsNotSupported` (nothing sent) for a credit
    ///   account on Xero.
    public func createBankAccount(for method: BillPayMethod, name: String, currency: String, accountNumber: String?,
                                  nominalCode: String? = nil, sortCode: String? = nil) async throws -> BankAccount {
        let prototype = try BankAccountPrototype.forPaymentMethod(method, integration: company.integration, name: name, currency: currency,
                                                                  accountNumber: accountNumber, nominalCode: nominalCode, sortCode: sortCode)
        return try await createBankAccount(prototype)
    }

    // MARK: Paying a bill

    /// Pays a bill, in full (`amount` nil: its `amountDue`) or in part, from a payment account of
    /// the mapping options. `amount` is in the bill's currency; when the account is in another,
    /// `currencyRate` converts it to the account's (see `SyncBillPaymentRequest.payBill`).
    public func payBill(_ bill: Bill, amount: Decimal? = nil, from account: BankAccountMappingOption, date: DateTime,
                        reference: String? = nil, currencyRate: Decimal? = nil, intent: PaymentIntentID) async throws -> SyncPaymentReceipt {
        try await pay(SyncBillPaymentRequest.payBill(bill, amount: amount, from: account, date: date, reference: reference,
                                                     currencyRate: currencyRate), intent: intent)
    }

    /// Pays a bill from a bank account (one just created, for instance).
    public func payBill(_ bill: Bill, amount: Decimal? = nil, from account: BankAccount, date: DateTime,
                        reference: String? = nil, currencyRate: Decimal? = nil, intent: PaymentIntentID) async throws -> SyncPaymentReceipt {
        try await pay(SyncBillPaymentRequest.payBill(bill, amount: amount, from: account, date: date, reference: reference,
                                                     currencyRate: currencyRate), intent: intent)
    }

    /// Records the payment intent `intent`, once (see `AtMostOnce.swift`).
    ///
    /// Before a first send the bill is read: the payment is checked against its status and
    /// `amountDue` (nothing is sent when it is paid, void or owes less), and that `amountDue` is
    /// written to the journal: it is what an ambiguous send is judged by. Paying an intent the
    /// journal knows resumes it: a recorded intent returns at once, an unknown one is looked into
    /// before anything new is sent. Payments of one bill run one at a time in the process.
    ///
    /// - Parameters:
    ///   - request: The payment of one bill (see `SyncBillPaymentRequest.payBill`).
    ///   - intent: The caller's id for this payment, kept by the caller (see `PaymentIntentID`).
    ///   - resume: The resume data of an earlier `PaymentOutcomeUnknownError`, when the journal
    ///     does not have it (another process with its own journal).
    /// - Throws: `SyncPaymentError` or `PaymentIntentError` (nothing sent); the client's
    ///   `CodatSyncPayablesError` when Codat refuses the payment; `PaymentNotRecordedError` when
    ///   it was not recorded after earlier sends (or Codat asked to slow down: pay it again later);
    ///   `PaymentOutcomeUnknownError` (with its resume data) when the outcome cannot be known yet.
    public func pay(_ request: SyncBillPaymentRequest, intent: PaymentIntentID, resume: PaymentResumeData? = nil) async throws -> SyncPaymentReceipt {
        let intent = try intent.validated()
        let (receipt, joined) = try await journal.joining(PaymentResumeData.journalKey(companyId: companyId, intentId: intent)) {
            try await self.deliver(request, intent: intent, resume: resume)
        }
        guard joined else { return receipt }
        var joinedReceipt = receipt
        joinedReceipt.delivery.joined = true
        joinedReceipt.delivery.sends = 0
        return joinedReceipt
    }

    private func deliver(_ request: SyncBillPaymentRequest, intent: PaymentIntentID, resume: PaymentResumeData?) async throws -> SyncPaymentReceipt {
        let digest = try PaymentResumeData.digest(of: request.payment)
        return try await journal.holdingBill("\(companyId)/\(request.billId)") {
            var stored = try await journal.entry(companyId: companyId, intentId: intent) ?? resume
            if let entry = stored {
                guard entry.api == .sync, entry.companyId == companyId, entry.connectionId == connectionId, entry.billIds == [request.billId] else {
                    throw PaymentIntentError.otherScope(intentId: intent.rawValue,
                                                        recorded: "\(entry.api) company \(entry.companyId) connection \(entry.connectionId) bills \(entry.billIds)")
                }
                guard entry.payloadDigest == digest else { throw PaymentIntentError.payloadChanged(intentId: intent.rawValue) }
            }
            if stored == nil || stored?.status == .notRecorded {
                // A new attempt will be sent: check it against the bill as it is now.
                if let other = try await journal.unresolved(companyId: companyId, billId: request.billId, except: intent) {
                    throw PaymentIntentError.billHasUnresolvedIntent(billId: request.billId, intentId: other.rawValue)
                }
                guard let before = try await bill(id: request.billId) else { throw SyncPaymentError.billNotFound(billId: request.billId) }
                try request.check(against: before)
                var entry = stored ?? PaymentResumeData(intentId: intent, api: .sync, companyId: companyId, connectionId: connectionId,
                                                        billIds: [request.billId], amount: request.payment.amount, payloadDigest: digest,
                                                        amountDueBefore: nil, attempts: [], pushOperationKey: nil, recordId: nil,
                                                        status: .notRecorded, note: nil)
                entry.amountDueBefore = before.amountDue
                stored = entry
            }
            let (client, companyId, connectionId) = (client, companyId, connectionId)
            let policy = delivery
            var delivery = IntentDelivery<BillPayment>(journal: journal, policy: policy, clock: clock, entry: stored!) { key in
                try await client.billPayments.create(companyId: companyId, connectionId: connectionId, billId: request.billId,
                                                     idempotencyKey: key, body: request.payment, options: policy.callOptions())
            } accept: { payment, entry in
                entry.status = .recorded
                entry.recordId = payment.id
                entry.note = "Codat answered \(payment.id.map { "with payment \($0)" } ?? "the payment")"
            } reconcile: { entry, requestIsOver in
                SyncReconciliation.finding(entry, billAfter: try await self.bill(id: request.billId), requestIsOver: requestIsOver)
            }
            let (delivered, entry, report) = try await delivery.run()
            switch delivered {
            case let .answered(payment):
                return SyncPaymentReceipt(request: request, intentId: intent, payment: payment, recordId: payment.id, delivery: report)
            case let .recorded(recordId):
                return SyncPaymentReceipt(request: request, intentId: intent, payment: nil, recordId: recordId ?? entry.recordId, delivery: report)
            }
        }
    }
}

/// How the synchronous API tells whether a payment was recorded: no endpoint lists a bill's
/// payments (CODAT-FACTS §6), so the bill's `amountDue` is compared with the one before sending.
enum SyncReconciliation {
    static func finding(_ entry: PaymentResumeData, billAfter: Bill?, requestIsOver: Bool) -> Reconciliation {
        guard let billAfter else { return .unknown("the bill is no longer listed") }
        guard let dueBefore = entry.amountDueBefore, let dueAfter = billAfter.amountDue else {
            return .unknown("the bill has no amountDue to compare")
        }
        let decrease = dueBefore - dueAfter
        // `amount` is in the bill's currency, as amountDue is (CODAT-FACTS §6).
        if decrease == entry.amount { return .recorded(recordId: nil) }
        if decrease == 0 {
            return requestIsOver ? .notRecorded : .unknown("the bill's amountDue is unchanged")
        }
        return .unknown("the bill's amountDue went from \(dueBefore) to \(dueAfter), not down by the payment's \(entry.amount): something else changed it")
    }
}

/// A payment of one bill that was recorded.
public struct SyncPaymentReceipt: Sendable, Hashable {
    /// What was asked.
    public let request: SyncBillPaymentRequest
    /// The caller's id for the payment.
    public let intentId: PaymentIntentID
    /// The payment as Codat answered it (201, possibly replayed for the key); nil when the layer
    /// found it recorded from the bill's amount due (its answer was lost), or in an earlier call.
    public let payment: BillPayment?
    /// The payment's id, when Codat's answer gave it.
    public let recordId: String?
    /// How the intent was delivered in this call.
    public internal(set) var delivery: DeliveryReport

    /// The bill paid.
    public var billId: String { request.billId }
    /// The amount paid, in the bill's currency.
    public var amount: Decimal { request.payment.amount }
}

extension SyncBillPaymentRequest {
    /// Checks the payment against the bill as it is now. `amount` is in the bill's currency
    /// (CODAT-FACTS §6), so it is always compared with `amountDue`.
    func check(against bill: Bill) throws {
        let status = bill.status
        if status == .paid || status == .void || status == .draft {
            throw SyncPaymentError.billNotPayable(billId: billId, status: status.rawValue)
        }
        guard payment.amount > 0 else { throw SyncPaymentError.amountNotPositive(billId: billId, amount: payment.amount) }
        guard !payment.accountRef.id.isEmpty else { throw SyncPaymentError.accountWithoutId }
        if let due = bill.amountDue, payment.amount > due {
            throw SyncPaymentError.amountExceedsAmountDue(billId: billId, amount: payment.amount, amountDue: due)
        }
    }
}
