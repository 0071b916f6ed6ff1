import CodatSyncPayablesV1
import Foundation

extension AsyncBillPay {
    /// The payment account to create for a payment method, in the shape the integration takes
    /// (create-account for Sage Intacct, create-bank-account for the others), of the type the
    /// method needs (`Debit` for ACH / RTP, cheque, wire, BACS; `Credit` for card and BNPL).
    ///
    /// - Throws: `PaymentAccountError.creditAccountsNotSupported` for a credit account on Xero.
    public func newPaymentAccount(for method: BillPayMethod, name: String, currency: String, accountNumber: String? = nil,
                                  nominalCode: String? = nil) throws -> NewPaymentAccount {
        try NewPaymentAccount.forPaymentMethod(method, integration: integration, name: name, currency: currency,
                                               accountNumber: accountNumber, nominalCode: nominalCode)
    }

    /// Creates the payment account a payment method needs (see `newPaymentAccount`).
    public func createPaymentAccount(for method: BillPayMethod, name: String, currency: String, accountNumber: String? = nil,
                                     nominalCode: String? = nil) async throws -> PushHandle<Account> {
        try await createPaymentAccount(newPaymentAccount(for: method, name: name, currency: currency,
                                                         accountNumber: accountNumber, nominalCode: nominalCode))
    }

    /// Pushes a payment account to the endpoint it is shaped for; the handle's record is the
    /// account as the chart of accounts lists it (after a refresh, see `PushCompletion.fetchRecord`).
    public func createPaymentAccount(_ account: NewPaymentAccount) async throws -> PushHandle<Account> {
        let (client, companyId) = (client, companyId)
        // A fresh GUID per call (CODAT-FACTS §1): the runtime may resend it after a 429 or 409.
        let options = CallOptions(idempotencyKey: UUID().uuidString.lowercased())
        switch account {
        case let .account(prototype):
            let answer = try await client.accounts.create(companyId: companyId, connectionId: connectionId, body: prototype, options: options)
            return handle(answer.operation, dataType: .chartOfAccounts) { id in
                try await client.accounts.get(companyId: companyId, accountId: id)
            }
        case let .bankAccount(prototype):
            let answer = try await client.bankAccounts.create(companyId: companyId, connectionId: connectionId, body: prototype, options: options)
            return handle(answer.operation, dataType: .chartOfAccounts) { id in
                do {
                    return try await client.accounts.get(companyId: companyId, accountId: id)
                } catch let error as CodatSyncPayablesV1Error where error.status == 404 {
                    // Not in the chart of accounts: the account as pushed.
                    return Account(id: id, nominalCode: prototype.nominalCode, name: prototype.accountName,
                                   currency: prototype.currency, currentBalance: prototype.balance, status: .active, isBankAccount: true)
                }
            }
        }
    }
}
