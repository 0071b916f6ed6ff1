import BillPay
import CodatSandbox
import CodatSyncPayablesV1
import Foundation

extension FaultPayments {
    /// `intended` asynchronous payments, one per generated bill of the Xero company (odd bills
    /// in full, even ones in part), each waited for until its push operation succeeded.
    static func v1(_ sandbox: CodatSandbox, intended: Int, concurrency: Int, injectFaults: () -> Void) async throws -> FaultRun {
        let company = try connection(sandbox, .xero)
        let billPay = AsyncBillPay(client: v1Client(sandbox, retry: fastRetry, attemptTimeout: .seconds(1)), company: company,
                                   polling: fastPolling, delivery: DeliveryPolicy(maxSends: 10, settleDelay: .milliseconds(100)))
        let accounts = try await billPay.bankAccounts()
        let bills = try await billPay.outstandingBills().filter { $0.id?.hasPrefix("gen-bill-") ?? false }.prefix(intended)
        guard bills.count == intended else { throw FailedPayment(billId: "", message: "only \(bills.count) generated bills") }
        let plan = bills.enumerated().map { index, bill in (bill: bill, amount: index % 2 == 0 ? nil : Decimal(10)) }

        injectFaults()
        let clock = ContinuousClock()
        let start = clock.now
        let outcomes = await run(plan, concurrency: concurrency) { item in
            let billId = item.bill.id ?? ""
            do {
                guard let account = accounts.first(where: { $0.currency == item.bill.currency }), let accountId = account.id else {
                    return .failure(FailedPayment(billId: billId, message: "no \(item.bill.currency ?? "") account"))
                }
                let details = PaymentDetails(account: AccountRef(id: accountId), date: "2024-06-01")
                let handle: PushHandle<BillPayment>
                if let amount = item.amount {
                    handle = try await billPay.payBill(item.bill, amount: amount, details: details)
                } else {
                    handle = try await billPay.payBill(item.bill, details: details)
                }
                _ = try await handle.wait()
                return .success(handle.delivery ?? DeliveryReport(key: "none"))
            } catch {
                return .failure(FailedPayment(billId: billId, message: "\(error)"))
            }
        }

        var result = FaultRun(intended: intended)
        result.elapsed = clock.now - start
        result.add(outcomes)
        result.countFaults(sandbox)
        result.paymentRequests = sandbox.requests("v1.create-bill-payment").count
        for payment in sandbox.billPayments(companyId: company.companyId, api: .v1) {
            for line in payment["lines"]?.array ?? [] {
                for link in line["links"]?.array ?? [] {
                    guard let billId = link["id"]?.string, billId.hasPrefix("gen-bill-") else { continue }
                    result.recordedPerBill[billId, default: 0] += 1
                }
            }
        }
        for item in plan {
            let id = item.bill.id ?? ""
            let expected = item.bill.totalAmount - (item.amount ?? item.bill.amountDue ?? 0)
            if sandbox.bill(id, companyId: company.companyId)?.amountDue != expected { result.wrongAmountDue.append(id) }
        }
        return result
    }
}
