import CodatSyncPayables
import Foundation

/// A payment of one bill in the synchronous API (`POST …/bills/{billId}/payments`), with the
/// simplified model: `amount`, `date`, `reference`, `accountRef`, `currencyRate`.
///
/// The synchronous solution pays single bills only, in full or in part.
public struct SyncBillPaymentRequest: Hashable, Sendable {
    /// The bill paid (the path's `billId`).
    public var billId: String
    /// The payload.
    public var payment: BillPaymentPrototype
    /// Whether it pays less than the bill's `amountDue` (false for a payment converted from
    /// another currency, whose amount cannot be compared with the bill's).
    public var isPartial: Bool

    public init(billId: String, payment: BillPaymentPrototype, isPartial: Bool) {
        self.billId = billId
        self.payment = payment
        self.isPartial = isPartial
    }

    /// Pays a bill from a payment account of the payment mapping options.
    ///
    /// The payment is recorded in the account's currency. When the bill is in that currency,
    /// `amount` defaults to the bill's `amountDue` (in full) and may be smaller (in part). When it
    /// is not, the payment must be converted: give `amount` in the account's currency and the
    /// `currencyRate`; otherwise this throws `SyncPaymentError.foreignCurrency`, which says to
    /// convert or to create an account in the bill's currency.
    public static func payBill(_ bill: Bill, amount: Decimal? = nil, from account: BankAccountMappingOption,
                               date: DateTime, reference: String? = nil, currencyRate: Decimal? = nil) throws -> SyncBillPaymentRequest {
        try payBill(bill, amount: amount, accountId: account.id, accountCurrency: account.currency,
                    date: date, reference: reference, currencyRate: currencyRate)
    }

    /// Pays a bill from a bank account (for instance one just created).
    public static func payBill(_ bill: Bill, amount: Decimal? = nil, from account: BankAccount,
                               date: DateTime, reference: String? = nil, currencyRate: Decimal? = nil) throws -> SyncBillPaymentRequest {
        try payBill(bill, amount: amount, accountId: account.id, accountCurrency: account.currency,
                    date: date, reference: reference, currencyRate: currencyRate)
    }

    private static func payBill(_ bill: Bill, amount: Decimal?, accountId: String?, accountCurrency: String?,
                                date: DateTime, reference: String?, currencyRate: Decimal?) throws -> SyncBillPaymentRequest {
        guard let billId = bill.id else { throw SyncPaymentError.billWithoutId }
        guard let accountId, !accountId.isEmpty else { throw SyncPaymentError.accountWithoutId }

        let paid: Decimal
        let isPartial: Bool
        if let accountCurrency, accountCurrency.uppercased() != bill.currency.uppercased() {
            // Foreign currency: the bill's amountDue is not in the account's currency, so the
            // caller converts; nothing here can compare the amount with it.
            guard let amount, currencyRate != nil else {
                throw SyncPaymentError.foreignCurrency(billId: billId, billCurrency: bill.currency,
                                                       accountId: accountId, accountCurrency: accountCurrency)
            }
            paid = amount
            isPartial = false
        } else {
            guard let due = amount ?? bill.amountDue else { throw SyncPaymentError.billWithoutAmountDue(billId: billId) }
            if let amountDue = bill.amountDue, due > amountDue {
                throw SyncPaymentError.amountExceedsAmountDue(billId: billId, amount: due, amountDue: amountDue)
            }
            paid = due
            isPartial = bill.amountDue.map { due < $0 } ?? false
        }
        guard paid > 0 else { throw SyncPaymentError.amountNotPositive(billId: billId, amount: paid) }

        let payment = BillPaymentPrototype(amount: paid, date: date, reference: reference,
                                           accountRef: BillPaymentAccountRef(id: accountId), currencyRate: currencyRate)
        return SyncBillPaymentRequest(billId: billId, payment: payment, isPartial: isPartial)
    }
}

/// A synchronous bill payment that cannot be made as asked.
public enum SyncPaymentError: Error, Hashable, Sendable, CustomStringConvertible {
    case billWithoutId
    case accountWithoutId
    /// Paying in full needs the bill's `amountDue`.
    case billWithoutAmountDue(billId: String)
    case amountNotPositive(billId: String, amount: Decimal)
    case amountExceedsAmountDue(billId: String, amount: Decimal, amountDue: Decimal)
    /// The bill is not in the payment account's currency and no conversion was given.
    case foreignCurrency(billId: String, billCurrency: String, accountId: String, accountCurrency: String)
    /// The bill is not listed (any more).
    case billNotFound(billId: String)
    /// The bill is paid, void or a draft.
    case billNotPayable(billId: String, status: String)

    public var description: String {
        switch self {
        case .billWithoutId:
            return "the bill has no id"
        case .accountWithoutId:
            return "the payment account has no id"
        case let .billWithoutAmountDue(billId):
            return "bill \(billId) has no amountDue: give the amount to pay"
        case let .amountNotPositive(billId, amount):
            return "the payment of bill \(billId) is \(amount): it must be positive"
        case let .amountExceedsAmountDue(billId, amount, amountDue):
            return "the payment of bill \(billId) is \(amount), more than its amountDue \(amountDue)"
        case let .billNotFound(billId):
            return "bill \(billId) was not found"
        case let .billNotPayable(billId, status):
            return "bill \(billId) is \(status) and cannot be paid"
        case let .foreignCurrency(billId, billCurrency, accountId, accountCurrency):
            return "bill \(billId) is in \(billCurrency) but payment account \(accountId) is in \(accountCurrency): "
                + "convert the payment into \(accountCurrency) (give the amount in \(accountCurrency) and its currencyRate), "
                + "or create a bank account in \(billCurrency) and pay from it"
        }
    }
}
