import BillPay
import CodatSandbox
import CodatSyncPayables
import Foundation
import SandboxTestSupport

extension Campaign {
    /// The synchronous side: bills, the payment account, and payers over a journal.
    struct SyncSide: Sendable {
        let sandbox: CodatSandbox
        let company: CompanyConnection
        let bills: [String: Bill]
        let accounts: [BankAccountMappingOption]
        /// Each instalment pays this much; both instalments of a bill are identical payloads.
        static let instalment: Decimal = 10

        static func prepare(_ sandbox: CodatSandbox, billIds: [String]) async throws -> SyncSide {
            let company = try connection(sandbox, .xero)
            let billPay = SyncBillPay(client: syncClient(sandbox, retry: fastRetry), company: company, journal: PaymentJournal())
            let wanted = Set(billIds)
            let bills = try await billPay.outstandingBills().filter { wanted.contains($0.id ?? "") }
            return SyncSide(sandbox: sandbox, company: company, bills: Dictionary(uniqueKeysWithValues: bills.map { ($0.id ?? "", $0) }),
                            accounts: try await billPay.paymentAccounts())
        }

        /// A layer instance over `journal` (a process).
        func payer(journal: PaymentJournal) -> Payer {
            let billPay = SyncBillPay(client: syncClient(sandbox, retry: fastRetry, attemptTimeout: .seconds(2)), company: company,
                                      delivery: testDelivery, journal: journal, clock: SandboxPaymentClock(sandbox: sandbox))
            let (bills, accounts) = (bills, accounts)
            return { intent in
                guard let bill = bills[intent.billId] else { return .failed("no bill \(intent.billId)") }
                guard let account = SyncBillPay.paymentAccount(in: bill.currency, among: accounts) else { return .failed("no \(bill.currency) account") }
                do {
                    let request = try SyncBillPaymentRequest.payBill(bill, amount: Self.instalment, from: account, date: "2024-06-01",
                                                                     reference: "instalment")
                    return .recorded(try await billPay.pay(request, intent: intent.id).delivery)
                } catch {
                    return Campaign.outcome(of: error)
                }
            }
        }

        /// Ground truth: payments per bill against the intents per bill, and each bill's amount due.
        func count(_ intents: [Intent], into table: inout Table) {
            let perBill = Dictionary(grouping: intents, by: \.billId).mapValues(\.count)
            var recorded: [String: Int] = [:]
            for payment in sandbox.billPayments(companyId: company.companyId, api: .sync) {
                guard let billId = payment["billId"]?.string, perBill[billId] != nil else { continue }
                recorded[billId, default: 0] += 1
            }
            for (billId, expected) in perBill {
                let got = recorded[billId] ?? 0
                table.recorded += min(got, expected)
                table.duplicates += max(got - expected, 0)
                table.lost += max(expected - got, 0)
                let bill = bills[billId]
                let due = (bill?.amountDue ?? 0) - Decimal(got) * Self.instalment
                if sandbox.bill(billId, companyId: company.companyId)?.amountDue != due {
                    table.failures.append("bill \(billId): amountDue is not its amount due less \(got) instalments")
                }
            }
        }
    }
}

struct CampaignError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
