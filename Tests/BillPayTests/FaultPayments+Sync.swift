import BillPay
import CodatSandbox
import CodatSyncPayables
import Foundation

extension FaultPayments {
    /// `intended` synchronous payments, one per generated bill of the Xero company: odd bills
    /// in full, even ones in part (10.00). Without Idempotency-Key (the default here) only the
    /// layer prevents repeats; with it, the runtime repeats the POST and the server deduplicates.
    static func sync(_ sandbox: CodatSandbox, intended: Int, concurrency: Int, useIdempotencyKeys: Bool = false,
                     injectFaults: () -> Void) async throws -> FaultRun {
        let company = try connection(sandbox, .xero)
        let billPay = SyncBillPay(client: syncClient(sandbox, retry: fastRetry, attemptTimeout: .seconds(1)), company: company,
                                  delivery: DeliveryPolicy(maxSends: 10, settleDelay: .milliseconds(100), useIdempotencyKeys: useIdempotencyKeys))
        let accounts = try await billPay.paymentAccounts()
        let bills = try await billPay.outstandingBills().filter { $0.id?.hasPrefix("gen-bill-") ?? false }.prefix(intended)
        guard bills.count == intended else { throw FailedPayment(billId: "", message: "only \(bills.count) generated bills") }
        let plan = bills.enumerated().map { index, bill in (bill: bill, amount: index % 2 == 0 ? nil : Decimal(10)) }

        injectFaults()
        let clock = ContinuousClock()
        let start = clock.now
        let outcomes = await run(plan, concurrency: concurrency) { item in
            let billId = item.bill.id ?? ""
            do {
                guard let account = SyncBillPay.paymentAccount(in: item.bill.currency, among: accounts) else {
                    return .failure(FailedPayment(billId: billId, message: "no \(item.bill.currency) account"))
                }
                let receipt = try await billPay.payBill(item.bill, amount: item.amount, from: account, date: "2024-06-01")
                return .success(receipt.delivery)
            } catch {
                return .failure(FailedPayment(billId: billId, message: "\(error)"))
            }
        }

        var result = FaultRun(intended: intended)
        result.elapsed = clock.now - start
        result.add(outcomes)
        result.countFaults(sandbox)
        result.paymentRequests = sandbox.requests("sync.create-bill-payment").count
        for payment in sandbox.billPayments(companyId: company.companyId, api: .sync) {
            guard let billId = payment["billId"]?.string, billId.hasPrefix("gen-bill-") else { continue }
            result.recordedPerBill[billId, default: 0] += 1
        }
        for item in plan {
            let id = item.bill.id ?? ""
            let expected = (item.bill.totalAmount ?? 0) - (item.amount ?? item.bill.amountDue ?? 0)
            if sandbox.bill(id, companyId: company.companyId)?.amountDue != expected { result.wrongAmountDue.append(id) }
        }
        return result
    }
}
