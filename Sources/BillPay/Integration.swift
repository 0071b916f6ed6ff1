/// The accounting software behind a connection, with what the Bill Pay guides say about it.
///
/// Anything the guides do not name is `.other`, which none of the integration limits apply to.
public enum Integration: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case xero = "Xero"
    case quickBooksOnline = "QuickBooks Online"
    case netSuite = "NetSuite"
    case sageIntacct = "Sage Intacct"
    case myob = "MYOB"
    case other = "Other"

    /// The integration a Codat platform name denotes ("Xero", "QuickBooks Online", "Oracle NetSuite",
    /// "Sage Intacct", "MYOB Business", …), matched without case; anything else is `.other`.
    public init(platformName: String) {
        let name = platformName.lowercased()
        if name.contains("xero") {
            self = .xero
        } else if name.contains("quickbooks online") || name == "qbo" {
            self = .quickBooksOnline
        } else if name.contains("netsuite") {
            self = .netSuite
        } else if name.contains("intacct") {
            self = .sageIntacct
        } else if name.contains("myob") {
            self = .myob
        } else {
            self = .other
        }
    }

    public var description: String { rawValue }

    /// Which endpoint creates a payment account: Sage Intacct uses create-account (a
    /// chart-of-accounts entry); MYOB, Xero, QuickBooks Online and NetSuite use create-bank-account.
    public var accountCreation: AccountCreationEndpoint {
        self == .sageIntacct ? .createAccount : .createBankAccount
    }

    /// Whether a `Credit` payment account (corporate card, BNPL) can be created. Xero cannot.
    public var canCreateCreditAccounts: Bool { self != .xero }

    /// How a credit note can be allocated to a bill in a bill payment.
    public var creditNoteAllocation: CreditNoteAllocation {
        switch self {
        case .xero, .quickBooksOnline: return .inFullOnly
        case .myob: return .notYetAvailable
        case .netSuite, .sageIntacct, .other: return .withPartialPayment
        }
    }

    /// Whether a bill payment must name its payment method (`paymentMethodRef`): Sage Intacct.
    public var requiresPaymentMethod: Bool { self == .sageIntacct }

    /// Whether `reference` must be a `location-` tracking category id when the company makes
    /// locations mandatory: NetSuite.
    public var referenceIsLocationWhenMandatory: Bool { self == .netSuite }

    /// Whether the guides show a batch payment (bills of several suppliers, no `supplierRef`): Xero.
    /// `false` only means the guides do not show one; the validator does not refuse it.
    public var supportsBatchPayments: Bool { self == .xero }

    /// How the guides' examples lay out a payment of several bills: one line per bill
    /// (Xero, MYOB, Sage Intacct) or one line with a link per bill (QuickBooks Online, NetSuite).
    public var multipleBillsLayout: MultipleBillsLayout {
        switch self {
        case .quickBooksOnline, .netSuite: return .oneLineWithALinkPerBill
        case .xero, .myob, .sageIntacct, .other: return .oneLinePerBill
        }
    }

    /// Whether each line may link at most one bill. Xero: the API reference says that a payment
    /// of several bills pushed to Xero supports only one line per bill.
    public var allowsOneBillPerLineOnly: Bool { self == .xero }
}

/// The endpoint that creates a payment account in the company's accounting software.
public enum AccountCreationEndpoint: String, Hashable, Sendable {
    /// `create-account`, with the chart-of-accounts prototype (Sage Intacct).
    case createAccount = "create-account"
    /// `create-bank-account`, with the bank account prototype.
    case createBankAccount = "create-bank-account"
}

/// How an integration lets a bill payment allocate a credit note to a bill.
public enum CreditNoteAllocation: String, Hashable, Sendable {
    /// The whole credit note, alone: a partial payment of the rest of the bill is a second,
    /// separate bill payment (Xero, QuickBooks Online).
    case inFullOnly
    /// All or part of the credit note, alone or with a partial payment in the same bill payment
    /// (the NetSuite and Sage Intacct examples).
    case withPartialPayment
    /// Not available yet (MYOB: "coming soon").
    case notYetAvailable
}

/// How a payment of several bills is laid out in `lines`.
public enum MultipleBillsLayout: String, Hashable, Sendable {
    /// One line per bill, each with one `Bill` link.
    case oneLinePerBill
    /// One line for the whole payment, with one `Bill` link per bill.
    case oneLineWithALinkPerBill
}
