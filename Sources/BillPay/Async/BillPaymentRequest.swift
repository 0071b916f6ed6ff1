import CodatSyncPayablesV1
import Foundation

/// The choices beside the amounts when a bill payment is made: the payment account chosen in
/// mapping, the day the supplier is paid, and what the integration needs.
public struct PaymentDetails: Hashable, Sendable {
    /// `accountRef`: the payment account chosen in mapping.
    public var account: AccountRef
    /// `date`: the day the payment is made to the supplier.
    public var date: DateTime
    /// `currency`; nil takes the currency of the bills paid when they share one.
    public var currency: String?
    /// `currencyRate` of the payment (payment currency to the company's base currency).
    public var currencyRate: Decimal?
    /// `reference`; NetSuite with mandatory locations needs a `location-` tracking category id here.
    public var reference: String?
    /// `note`.
    public var note: String?
    /// `paymentMethodRef`; Sage Intacct needs one (from get-create-update-bills-model).
    public var paymentMethod: PaymentMethodRef?
    /// Whether `supplierRef` also carries the supplier's name. Codat reads only the id; the
    /// QuickBooks Online, NetSuite and Sage Intacct examples of several bills send the name too.
    public var includeSupplierName: Bool
    /// An `id` for the new payment; only the Sage Intacct example of several bills sends one.
    public var id: String?

    public init(account: AccountRef, date: DateTime, currency: String? = nil, currencyRate: Decimal? = nil,
                reference: String? = nil, note: String? = nil, paymentMethod: PaymentMethodRef? = nil,
                includeSupplierName: Bool = false, id: String? = nil) {
        self.account = account
        self.date = date
        self.currency = currency
        self.currencyRate = currencyRate
        self.reference = reference
        self.note = note
        self.paymentMethod = paymentMethod
        self.includeSupplierName = includeSupplierName
        self.id = id
    }
}

/// A bill and how much of it a payment pays.
public struct BillAllocation: Hashable, Sendable {
    /// The bill, as listed (its `id`, `supplierRef` and `amountDue` are used).
    public var bill: Bill
    /// The amount paid towards the bill; nil pays it in full (its `amountDue`).
    public var amount: Decimal?
    /// The link's `currencyRate`: between the bill's currency and the payment's. The guides'
    /// examples send 1 (bill and payment in one currency) or nothing.
    public var currencyRate: Decimal?

    public init(bill: Bill, amount: Decimal? = nil, currencyRate: Decimal? = nil) {
        self.bill = bill
        self.amount = amount
        self.currencyRate = currencyRate
    }

    /// The bill's id and the amount paid, or why they are missing.
    func resolved() throws -> (id: String, amount: Decimal) {
        guard let id = bill.id else { throw PaymentBuildError.billWithoutId }
        if let amount { return (id, amount) }
        guard let due = bill.amountDue else { throw PaymentBuildError.billWithoutAmountDue(billId: id) }
        return (id, due)
    }
}

/// A bill payment ready to be validated and sent (`POST …/push/billPayments`), with the bills
/// and credit notes it was built from so that the validator can check it against them.
public struct BillPaymentRequest: Hashable, Sendable {
    /// Which of the guides' payments this is.
    public enum Kind: String, Codable, Hashable, Sendable {
        /// One bill paid in full.
        case billInFull
        /// Part of one bill.
        case partialPayment
        /// Several bills of one supplier.
        case multipleBills
        /// Bills of several suppliers in one payment, no `supplierRef`.
        case batchPayment
        /// A credit note allocated to a bill, no money paid (`totalAmount` 0).
        case creditNoteAllocation
        /// A credit note and a partial payment settling a bill together.
        case creditNoteWithPartialPayment
    }

    /// Which payment it is.
    public var kind: Kind
    /// The accounting software the payment is for.
    public var integration: Integration
    /// The payload.
    public var payment: BillPayment
    /// The bills the payment links.
    public var bills: [Bill]
    /// The credit notes the payment links.
    public var creditNotes: [BillCreditNote]

    public init(kind: Kind, integration: Integration, payment: BillPayment,
                bills: [Bill] = [], creditNotes: [BillCreditNote] = []) {
        self.kind = kind
        self.integration = integration
        self.payment = payment
        self.bills = bills
        self.creditNotes = creditNotes
    }
}

extension BillCreditNote {
    /// The credit still available to allocate: `remainingCredit`, else `totalAmount`.
    public var availableCredit: Decimal { remainingCredit ?? totalAmount }
}
