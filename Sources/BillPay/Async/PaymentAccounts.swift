import CodatSyncPayablesV1
import Foundation

/// A payment account to create in the company's accounting software, with the endpoint that
/// takes it: Sage Intacct takes a chart-of-accounts entry (create-account); MYOB, Xero,
/// QuickBooks Online and NetSuite take a bank account (create-bank-account).
public enum NewPaymentAccount: Hashable, Sendable {
    /// For `create-account` (Sage Intacct).
    case account(AccountPrototype)
    /// For `create-bank-account`.
    case bankAccount(BankAccountPrototype)

    /// The payment account for a payment method, in the shape the integration takes, with a zero
    /// balance. The account type follows the method (`Debit` for ACH / RTP, cheque, wire, BACS;
    /// `Credit` for corporate card and BNPL).
    ///
    /// - Throws: `PaymentAccountError.creditAccountsNotSupported` for a credit account on Xero.
    public static func forPaymentMethod(_ method: BillPayMethod, integration: Integration, name: String,
                                        currency: String, accountNumber: String? = nil,
                                        nominalCode: String? = nil) throws -> NewPaymentAccount {
        let type = method.accountType
        if type == .credit, !integration.canCreateCreditAccounts {
            throw PaymentAccountError.creditAccountsNotSupported(integration)
        }
        switch integration.accountCreation {
        case .createAccount:
            // The guide shows a debit account, a current asset; a card or BNPL balance is owed,
            // so a credit account is taken to be a current liability.
            let isDebit = type == .debit
            return .account(AccountPrototype(
                nominalCode: nominalCode,
                name: name,
                fullyQualifiedCategory: isDebit ? "Asset.Current" : "Liability.Current",
                fullyQualifiedName: name,
                currency: currency,
                currentBalance: 0,
                type: isDebit ? .asset : .liability,
                status: .active
            ))
        case .createBankAccount:
            return .bankAccount(BankAccountPrototype(
                accountName: name,
                accountType: BankAccountAccountType(type),
                nominalCode: nominalCode,
                accountNumber: accountNumber,
                currency: currency,
                balance: 0,
                availableBalance: 0
            ))
        }
    }

    /// The endpoint that takes this payload.
    public var endpoint: AccountCreationEndpoint {
        switch self {
        case .account: return .createAccount
        case .bankAccount: return .createBankAccount
        }
    }
}

extension BankAccountAccountType {
    /// The asynchronous API's account type for a payment account type.
    public init(_ type: PaymentAccountType) {
        switch type {
        case .debit: self = .debit
        case .credit: self = .credit
        }
    }
}
