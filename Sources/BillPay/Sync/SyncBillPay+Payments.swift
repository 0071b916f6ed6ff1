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
        let key = delivery.useIdempotencyKeys
            ? try PaymentKey.derived(from: ["sync-bank-account", companyId, connectionId], payload: account).idempotencyKey : nil
        return try await client.bankAccounts.create(companyId: companyId, connectionId: connectionId, idempotencyKey: key, body: account)
    }

    /// Creates the bank account a payment method needs: `Debit` for ACH / RTP, cheque, wire and
    /// BACS, `Credit` for corporate card and BNPL.
    ///
    /// - Throws: `PaymentAccountError.creditAccountsNotSupported` (nothing sent) for a credit
    ///   account on Xero.
    public func createBankAccount(for method: BillPayMethod, name: String, currency: String, accountNumber: String? = nil,
                                  nominalCode: String? = nil, sortCode: String? = nil) async throws -> BankAccount {
        let prototype = try BankAccountPrototype.forPaymentMethod(method, integration: company.integration, name: name, currency: currency,
                                                                  accountNumber: accountNumber, nominalCode: nominalCode, sortCode: sortCode)
        return try await createBankAccount(prototype)
    }

    // MARK: Paying a bill

    /// Pays a bill, in full (`amount` nil) or in part, from a payment account of the mapping
    /// options, applying the foreign-currency rule (see `SyncBillPaymentRequest.payBill`).
    public func payBill(_ bill: Bill, amount: Decimal? = nil, from account: BankAccountMappingOption, date: DateTime,
                        reference: String? = nil, currencyRate: Decimal? = nil, key: PaymentKey? = nil) async throws -> SyncPaymentReceipt {
        try await pay(SyncBillPaymentRequest.payBill(bill, amount: amount, from: account, date: date, reference: reference,
                                                     currencyRate: currencyRate), key: key)
    }

    /// Pays a bill from a bank account (one just created, for instance).
    public func payBill(_ bill: Bill, amount: Decimal? = nil, from account: BankAccount, date: DateTime,
                        reference: String? = nil, currencyRate: Decimal? = nil, key: PaymentKey? = nil) async throws -> SyncPaymentReceipt {
        try await pay(SyncBillPaymentRequest.payBill(bill, amount: amount, from: account, date: date, reference: reference,
                                                     currencyRate: currencyRate), key: key)
    }

    /// Records a payment of one bill, at most once.
    ///
    /// The bill is read first: the payment is checked against its current status and `amountDue`
    /// (nothing is sent when it is paid, void or owes less), and that `amountDue` is what an
    /// ambiguous failure is judged by (see `AtMostOnce.swift`).
    ///
    /// - Parameter key: Names this payment; default: derived from the company, connection, bill
    ///   and payload, so that paying the same amount of the same bill on the same day from the
    ///   same account again is recognised as the same payment.
    /// - Throws: `SyncPaymentError` (nothing sent); the client's `CodatSyncPayablesError` when
    ///   Codat refuses the payment; `PaymentOutcomeUnknownError` when it may have been recorded
    ///   and the layer could not tell; `PaymentNotRecordedError` when a resend failed.
    public func pay(_ request: SyncBillPaymentRequest, key: PaymentKey? = nil) async throws -> SyncPaymentReceipt {
        guard let before = try await bill(id: request.billId) else { throw SyncPaymentError.billNotFound(billId: request.billId) }
        try request.check(against: before)
        let key = try key ?? PaymentKey.derived(from: ["sync-payment", companyId, connectionId, request.billId], payload: request.payment)
        let idempotencyKey = delivery.useIdempotencyKeys ? key.idempotencyKey : nil
        let (delivered, report) = try await AtMostOnce.deliver(key: key, policy: delivery) { options in
            try await client.billPayments.create(companyId: companyId, connectionId: connectionId, billId: request.billId,
                                                 idempotencyKey: idempotencyKey, body: request.payment, options: options)
        } findOut: {
            AtMostOnce.syncFinding(before: before, after: try await bill(id: request.billId), payment: request.payment)
        }
        switch delivered {
        case let .sent(payment):
            return SyncPaymentReceipt(request: request, payment: payment, billFound: nil, delivery: report)
        case let .found(billAfter):
            return SyncPaymentReceipt(request: request, payment: nil, billFound: billAfter, delivery: report)
        }
    }
}

/// A payment of one bill that was recorded.
public struct SyncPaymentReceipt: Sendable, Hashable {
    /// What was asked.
    public let request: SyncBillPaymentRequest
    /// The payment as Codat answered it (201); nil when the answer was lost and the layer found
    /// the payment recorded on the bill.
    public let payment: BillPayment?
    /// The bill as the layer read it after an ambiguous failure, when that is how the payment
    /// was found.
    public let billFound: Bill?
    /// How the payment was delivered.
    public let delivery: DeliveryReport

    /// The bill paid.
    public var billId: String { request.billId }
    /// The amount paid, in the payment account's currency.
    public var amount: Decimal { request.payment.amount }
}

extension SyncBillPaymentRequest {
    /// Checks the payment against the bill as it is now.
    func check(against bill: Bill) throws {
        let status = bill.status
        if status == .paid || status == .void || status == .draft {
            throw SyncPaymentError.billNotPayable(billId: billId, status: status.rawValue)
        }
        guard payment.amount > 0 else { throw SyncPaymentError.amountNotPositive(billId: billId, amount: payment.amount) }
        guard !payment.accountRef.id.isEmpty else { throw SyncPaymentError.accountWithoutId }
        // Without a currencyRate the payment is in the bill's currency and can be compared with it.
        if payment.currencyRate == nil || payment.currencyRate == 1, let due = bill.amountDue, payment.amount > due {
            throw SyncPaymentError.amountExceedsAmountDue(billId: billId, amount: payment.amount, amountDue: due)
        }
    }
}
