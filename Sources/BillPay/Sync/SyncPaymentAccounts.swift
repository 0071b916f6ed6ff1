import CodatSyncPayables
import Foundation

extension BankAccountPrototype {
    /// A bank account to create (synchronous `create-bank-account`) for a payment method: `Debit`
    /// for ACH / RTP, cheque, wire and BACS, `Credit` for corporate card and BNPL. The document
    /// requires `accountNumber` (it may be nil, sent as `null`), so a caller must say it.
    ///
    /// - Throws: `PaymentAccountError.creditAccountsNotSupported` for a credit account on Xero.
    public static func forPaymentMethod(_ method: BillPayMethod, integration: Integration, name: String,
                                        currency: String, accountNumber: String?,
                                        nominalCode: String? = nil, sortCode: String? = nil) throws -> BankAccountPrototype {
        let type = method.accountType
        if type == .credit, !integration.canCreateCreditAccounts {
            throw PaymentAccountError.creditAccountsNotSupported(integration)
        }
        return BankAccountPrototype(nominalCode: nominalCode, name: name, accountType: BankAccountType(type),
                                    accountNumber: accountNumber, sortCode: sortCode, currency: currency)
    }
}

extension BankAccountType {
    /// The synchronous API's account type for a payment account type.
    public init(_ type: PaymentAccountType) {
        switch type {
        case .debit: self = .debit
        case .credit: self = .credit
        }
    }
}
