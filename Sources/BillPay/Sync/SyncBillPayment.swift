import CodatSyncPayables
import Foundation

/// A payment of one bill in the synchronous API (`POST …/bills/{billId}/payments`), with the
/// simplified model: `amount`, `date`, `reference`, `accountRef`, `currencyRate`.
///
/// The synchronous solution pays single bills only, in full or in part.
public struct SyncBillPaymentRequest: Codable, Hashable, Sendable {
    /// The bill paid (the path's `billId`).
    public var billId: String
    /// The payload.
    public var payment: BillPaymentPrototype
    /// Whether it pays less than the bill's `amountDue`.
    public var isPartial: Bool

    public init(billId: String, payment: BillPaymentPrototype, isPartial: Bool) {
        self.billId = billId
        self.payment = payment
        self.isPartial = isPartial
    }

    /// Pays a bill from a payment account of the payment mapping options.
    ///
    /// `amount` is in the bill's currency, as Codat defines it ("the amount of the payment in
    /// the bill currency", CODAT-FACTS §6): it defaults to the bill's `amountDue` (in full), may
    /// be smaller (in part), never larger. When the account is in another currency, `currencyRate`
    /// converts the amount into the account's currency (account amount = `amount` x
    /// `currencyRate`); without it this throws `SyncPaymentError.foreignCurrency`, which says to
    /// give the rate or to create an account in the bill's currency.
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

        if let accountCurrency, accountCurrency.uppercased() != bill.currency.uppercased(), currencyRate == nil {
            throw SyncPaymentError.foreignCurrency(billId: billId, billCurrency: bill.currency,
                                                   accountId: accountId, accountCurrency: accountCurrency)
        }
        if let currencyRate, currencyRate <= 0 { throw SyncPaymentError.currencyRateNotPositive(billId: billId, currencyRate: currencyRate) }
        guard let paid = amount ?? bill.amountDue else { throw SyncPaymentError.billWithoutAmountDue(billId: billId) }
        if let amountDue = bill.amountDue, paid > amountDue {
            throw SyncPaymentError.amountExceedsAmountDue(billId: billId, amount: paid, amountDue: amountDue)
        }
        let isPartial = bill.amountDue.map { paid < $0 } ?? false
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
    /// A currency rate must be positive.
    case currencyRateNotPositive(billId: String, currencyRate: Decimal)
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
                + "give the currencyRate from \(billCurrency) to \(accountCurrency) (the amount stays in \(billCurrency)), "
                + "or create a bank account in \(billCurrency) and pay from it"
        case let .currencyRateNotPositive(billId, rate):
            return "the payment of bill \(billId) has currencyRate \(rate): it must be positive"
        }
    }
}
