import Foundation

/// A rule of a bill payment (asynchronous API) that `PaymentValidator` checks: the rules of the
/// guides, then the limits of each integration.
public enum PaymentRule: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    // The shape of a bill payment.
    /// A payment has at least one line, and each line at least one link.
    case linesPresent
    /// Each link names what it links (`id`) and by how much (`amount`).
    case linkComplete
    /// `accountRef.id` is the payment account chosen in mapping.
    case paymentAccount
    /// `totalAmount` is always positive; 0 only for a credit note allocated with no money paid.
    case positiveTotalAmount
    /// `totalAmount` equals the sum of the lines' `amount`.
    case totalAmountIsSumOfLines
    /// Each line's `amount` equals minus the sum of its links' `amount`.
    case lineAmountBalancesLinks
    /// A link to a bill carries a negative amount (minus the amount allocated to the bill).
    case billLinkNegative
    /// A link to a credit note carries a positive amount.
    case creditNoteLinkPositive

    // Against the bills and credit notes the payment links, when they are known.
    /// The bills and credit notes belong to the payment's supplier (a batch has no `supplierRef`).
    case singleSupplier
    /// No more is allocated to a bill than its `amountDue`.
    case withinAmountDue
    /// No more is taken from a credit note than its remaining credit.
    case withinRemainingCredit

    // The integrations' limits.
    /// Xero, QuickBooks Online: a credit note is allocated in full and alone; paying the rest of
    /// the bill is a second, separate bill payment.
    case creditNoteInFullOnly
    /// MYOB: credit note allocation is not available yet.
    case creditNoteAllocationAvailable
    /// Sage Intacct: the payment names its `paymentMethodRef`.
    case paymentMethodRequired
    /// NetSuite, when locations are mandatory: `reference` is a `location-` tracking category id.
    case locationReference
    /// Xero: one bill per line (a payment of several bills has one line per bill).
    case oneBillPerLine

    public var description: String { rawValue }

    /// The rule in the guides' words.
    public var summary: String {
        switch self {
        case .linesPresent: return "a bill payment has lines, and each line has links"
        case .linkComplete: return "each link has an id and an amount"
        case .paymentAccount: return "accountRef.id is the payment account chosen in mapping"
        case .positiveTotalAmount: return "totalAmount is always positive (0 only when a credit note is allocated with no money paid)"
        case .totalAmountIsSumOfLines: return "totalAmount equals the sum of the lines' amount"
        case .lineAmountBalancesLinks: return "a line's amount equals minus the sum of its links' amount"
        case .billLinkNegative: return "a Bill link carries a negative amount"
        case .creditNoteLinkPositive: return "a CreditNote link carries a positive amount"
        case .singleSupplier: return "the bills and credit notes belong to the payment's supplier (leave supplierRef out for a batch)"
        case .withinAmountDue: return "a bill is allocated no more than its amountDue"
        case .withinRemainingCredit: return "a credit note gives no more than its remaining credit"
        case .creditNoteInFullOnly: return "Xero and QuickBooks Online allocate a credit note only in full; a partial payment needs a second, separate bill payment"
        case .creditNoteAllocationAvailable: return "MYOB cannot allocate credit notes yet"
        case .paymentMethodRequired: return "Sage Intacct needs paymentMethodRef"
        case .locationReference: return "NetSuite with mandatory locations needs reference to be a location- tracking category id"
        case .oneBillPerLine: return "Xero takes one bill per line"
        }
    }
}

/// One way a bill payment breaks a `PaymentRule`: where (line, link) and the amounts involved.
public struct PaymentViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule broken.
    public var rule: PaymentRule
    /// Index in `lines`, when the violation is in a line.
    public var lineIndex: Int?
    /// Index in that line's `links`, when the violation is in a link.
    public var linkIndex: Int?
    /// The amount found (nil when the amount is missing or none is involved).
    public var amount: Decimal?
    /// The amount the rule asks for, or the bound it sets, when there is one.
    public var expected: Decimal?
    /// What is wrong, in words, with the amounts and ids involved.
    public var message: String

    public init(rule: PaymentRule, lineIndex: Int? = nil, linkIndex: Int? = nil,
                amount: Decimal? = nil, expected: Decimal? = nil, message: String) {
        self.rule = rule
        self.lineIndex = lineIndex
        self.linkIndex = linkIndex
        self.amount = amount
        self.expected = expected
        self.message = message
    }

    /// `[rule] lines[i].links[j]: message`
    public var description: String {
        var place = ""
        if let lineIndex {
            place = "lines[\(lineIndex)]"
            if let linkIndex { place += ".links[\(linkIndex)]" }
            place += ": "
        }
        return "[\(rule)] \(place)\(message)"
    }
}

/// A bill payment that breaks rules, with every violation found (never only the first).
public struct PaymentValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Every violation, in the order found.
    public var violations: [PaymentViolation]

    public init(violations: [PaymentViolation]) { self.violations = violations }

    /// The rules broken, in the order found, each once.
    public var rules: [PaymentRule] {
        var seen = Set<PaymentRule>()
        return violations.map(\.rule).filter { seen.insert($0).inserted }
    }

    public var description: String {
        "bill payment breaks \(violations.count) rule\(violations.count == 1 ? "" : "s"):\n"
            + violations.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// A payment cannot be built from what was given (missing data, not a broken rule).
public enum PaymentBuildError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No bill to pay.
    case noBills
    /// A bill without `id`: nothing to link the payment to.
    case billWithoutId
    /// Paying a bill in full needs its `amountDue`.
    case billWithoutAmountDue(billId: String)
    /// A credit note without `id`.
    case creditNoteWithoutId
    /// Several bills of one supplier, but the first bill names no supplier.
    case billWithoutSupplier(billId: String)

    public var description: String {
        switch self {
        case .noBills: return "no bill to pay"
        case .billWithoutId: return "a bill has no id: a payment links bills by id"
        case let .billWithoutAmountDue(id): return "bill \(id) has no amountDue: give the amount to pay"
        case .creditNoteWithoutId: return "the credit note has no id: create it first, then allocate it"
        case let .billWithoutSupplier(id): return "bill \(id) has no supplierRef: pay it in a batch payment or give its supplier"
        }
    }
}
