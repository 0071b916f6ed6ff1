import Foundation

/// One payment a run is asked to make, as a plan file names it: bills (and credit notes) by id,
/// amounts, the payment account, the date, a reference, and the intent id the caller keeps.
///
/// - One bill: `bills` has one share; `amount` nil pays its `amountDue` (resolved when the run
///   is planned, then fixed in the journal).
/// - Asynchronous API only: several bills of one supplier in one payment (several shares), a
///   batch across suppliers (`batch`), a credit note allocated to one bill (`creditNotes`, with
///   the bill share's `amount` as the partial payment, nil for the credit note alone).
public struct PaymentRunIntent: Codable, Hashable, Sendable {
    /// A bill the payment pays, and how much of it (nil: its `amountDue`).
    public struct BillShare: Codable, Hashable, Sendable {
        public var billId: String
        public var amount: Decimal?
        public init(billId: String, amount: Decimal? = nil) {
            self.billId = billId
            self.amount = amount
        }
    }

    /// A credit note allocated to the payment's bill, and how much of its credit (nil: all that
    /// is left).
    public struct CreditNoteShare: Codable, Hashable, Sendable {
        public var creditNoteId: String
        public var amount: Decimal?
        public init(creditNoteId: String, amount: Decimal? = nil) {
            self.creditNoteId = creditNoteId
            self.amount = amount
        }
    }

    /// The caller's id for the payment (see `PaymentIntentID`): the same id in a later run is the
    /// same payment.
    public var id: PaymentIntentID
    public var bills: [BillShare]
    public var creditNotes: [CreditNoteShare]
    /// The payment account: a payment mapping option (synchronous) or a bank account (v1).
    public var accountId: String
    /// The day the supplier is paid: `yyyy-MM-dd` or a full Codat date-time.
    public var date: String
    public var reference: String?
    /// Synchronous: bill currency to account currency. v1: the payment's `currencyRate`.
    public var currencyRate: Decimal?
    /// v1: several bills across suppliers in one batch payment (no `supplierRef`).
    public var batch: Bool
    /// v1: `paymentMethodRef.id` (Sage Intacct needs one).
    public var paymentMethodId: String?
    /// v1: a `note` to carry beside the intent's marker.
    public var note: String?

    public init(id: PaymentIntentID, bills: [BillShare], creditNotes: [CreditNoteShare] = [], accountId: String, date: String,
                reference: String? = nil, currencyRate: Decimal? = nil, batch: Bool = false, paymentMethodId: String? = nil,
                note: String? = nil) {
        self.id = id
        self.bills = bills
        self.creditNotes = creditNotes
        self.accountId = accountId
        self.date = date
        self.reference = reference
        self.currencyRate = currencyRate
        self.batch = batch
        self.paymentMethodId = paymentMethodId
        self.note = note
    }

    /// One bill, in full (`amount` nil) or in part.
    public init(id: PaymentIntentID, billId: String, amount: Decimal? = nil, accountId: String, date: String,
                reference: String? = nil, currencyRate: Decimal? = nil) {
        self.init(id: id, bills: [BillShare(billId: billId, amount: amount)], accountId: accountId, date: date,
                  reference: reference, currencyRate: currencyRate)
    }

    enum CodingKeys: String, CodingKey {
        case id, bills, creditNotes, accountId, date, reference, currencyRate, batch, paymentMethodId, note
    }

    /// Absent `creditNotes` and `batch` read as none and false (plan files leave them out).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(PaymentIntentID.self, forKey: .id)
        bills = try container.decode([BillShare].self, forKey: .bills)
        creditNotes = try container.decodeIfPresent([CreditNoteShare].self, forKey: .creditNotes) ?? []
        accountId = try container.decode(String.self, forKey: .accountId)
        date = try container.decode(String.self, forKey: .date)
        reference = try container.decodeIfPresent(String.self, forKey: .reference)
        currencyRate = try container.decodeIfPresent(Decimal.self, forKey: .currencyRate)
        batch = try container.decodeIfPresent(Bool.self, forKey: .batch) ?? false
        paymentMethodId = try container.decodeIfPresent(String.self, forKey: .paymentMethodId)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }

    /// The amount the intent pays (the bills' shares; nil when one is "in full" and not resolved yet).
    public var amount: Decimal? {
        var total = Decimal(0)
        for share in bills {
            guard let amount = share.amount else { return nil }
            total += amount
        }
        return total
    }
}

/// The payload a planned intent sends, fixed in the journal when the run is planned: a resumed
/// run sends exactly what was validated (the same body, so the same `Idempotency-Key` is
/// answered from Codat's cache, CODAT-FACTS §1).
public enum PlannedPayment: Codable, Hashable, Sendable {
    /// A payment of one bill in the synchronous API.
    case sync(SyncBillPaymentRequest)
    /// A bill payment pushed to the asynchronous API.
    case v1(V1PlannedPayment)

    /// The bills the payment pays.
    public var billIds: [String] {
        switch self {
        case let .sync(request): return [request.billId]
        case let .v1(payment): return payment.billIds
        }
    }
}
