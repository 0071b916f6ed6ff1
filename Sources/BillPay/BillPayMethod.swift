/// How the SMB pays, as the guides' table of payment methods lists them.
public enum BillPayMethod: String, Hashable, Sendable, CaseIterable {
    /// Automated Clearing House networks.
    case ach = "ACH"
    /// Real-Time Payments.
    case realTimePayments = "RTP"
    /// Cheque.
    case cheque = "Cheque"
    /// Electronic wire transfer.
    case wireTransfer = "Wire transfer"
    /// Bankers' Automated Clearing System.
    case bacs = "BACS"
    /// Commercial or corporate credit card.
    case corporateCard = "Corporate card"
    /// Buy now, pay later.
    case buyNowPayLater = "BNPL"

    /// The type of the payment account to create for this method: money leaving a bank account
    /// is `Debit` (ACH / RTP, cheque, wire, BACS); money borrowed is `Credit` (card, BNPL).
    public var accountType: PaymentAccountType {
        switch self {
        case .ach, .realTimePayments, .cheque, .wireTransfer, .bacs: return .debit
        case .corporateCard, .buyNowPayLater: return .credit
        }
    }
}

/// A payment account's `accountType`, shared by both APIs (each converts it to its own enum).
public enum PaymentAccountType: String, Hashable, Sendable {
    case debit = "Debit"
    case credit = "Credit"
}

/// A payment account cannot be created as asked.
public enum PaymentAccountError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The integration cannot create `Credit` accounts (Xero).
    case creditAccountsNotSupported(Integration)

    public var description: String {
        switch self {
        case let .creditAccountsNotSupported(integration):
            return "\(integration) cannot create Credit accounts (corporate card, BNPL): choose an existing account or a debit payment method"
        }
    }
}
