import BillPay
import CodatSandbox
import CodatSyncPayablesV1
import Foundation
import SandboxTestSupport

extension Campaign {
    /// The asynchronous side: bills, the payment account, and payers over a journal.
    struct V1Side: Sendable {
        let sandbox: CodatSandbox
        let company: CompanyConnection
        let bills: [String: Bill]
        /// Account id per currency.
        let accounts: [String: String]
        static let instalment: Decimal = 10

        static func prepare(_ sandbox: CodatSandbox, billIds: [String]) async throws -> V1Side {
            let company = try connection(sandbox, .xero)
            let billPay = AsyncBillPay(client: v1Client(sandbox, retry: fastRetry), company: company, journal: PaymentJournal())
            let wanted = Set(billIds)
            let bills = try await billPay.outstandingBills().filter { wanted.contains($0.id ?? "") }
            var accounts: [String: String] = [:]
            for account in try await billPay.bankAccounts() where account.status != .archived {
                if let currency = account.currency, let id = account.id, accounts[currency] == nil { accounts[currency] = id }
            }
            return V1Side(sandbox: sandbox, company: company, bills: Dictionary(uniqueKeysWithValues: bills.map { ($0.id ?? "", $0) }),
                          accounts: accounts)
        }

        /// A layer instance over `journal` (a process); `delivery` changes the policy (the slow phase).
        func payer(journal: PaymentJournal, delivery: DeliveryPolicy = testDelivery) -> Payer {
            let billPay = AsyncBillPay(client: v1Client(sandbox, retry: fastRetry, attemptTimeout: .seconds(2)), company: company,
                                       polling: sandboxPolling, delivery: delivery, journal: journal, clock: SandboxPaymentClock(sandbox: sandbox))
            let (bills, accounts) = (bills, accounts)
            return { intent in
                guard let bill = bills[intent.billId] else { return .failed("no bill \(intent.billId)") }
                guard let accountId = accounts[bill.currency ?? ""] else { return .failed("no \(bill.currency ?? "") account") }
                do {
                    let request = try billPay.builder.payBill(bill, amount: Self.instalment,
                                                              details: PaymentDetails(account: AccountRef(id: accountId), date: "2024-06-01"))
                    let handle = try await billPay.pay(request, intent: intent.id)
                    _ = try await handle.wait()
                    return .recorded(handle.delivery)
                } catch {
                    return Campaign.outcome(of: error)
                }
            }
        }

        /// Ground truth: the intents each bill payment carries (its marker).
        func count(_ intents: [Intent], into table: inout Table) {
            var recorded: [PaymentIntentID: Int] = [:]
            for payment in sandbox.billPayments(companyId: company.companyId, api: .v1) {
                for intent in PaymentIntentID.intents(inNote: payment["note"]?.string) { recorded[intent, default: 0] += 1 }
            }
            for intent in intents {
                let got = recorded[intent.id] ?? 0
                table.recorded += min(got, 1)
                table.duplicates += max(got - 1, 0)
                table.lost += got == 0 ? 1 : 0
            }
        }
    }
}
