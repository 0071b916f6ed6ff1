import BillPay
import CodatSyncPayables
import Foundation

/// The synchronous solution, step by step: bills owed, payment accounts, a bank account, a new
/// bill with its attachment, a bill paid in full, one in part, one in a foreign currency.
struct SyncFlow {
    let billPay: SyncBillPay
    let run: DemoRun
    var out: Output { run.out }

    func start() async throws {
        out.section("Synchronous Bill Pay (CodatSyncPayables)")
        let info = try await billPay.companyInformation()
        let base = info.baseCurrency ?? "USD"
        out.line("\(info.companyName ?? billPay.company.companyId), base currency \(base), \(billPay.company.integration)")

        out.step("Bills owed (list bills: Open and PartiallyPaid by default)")
        let bills = try await billPay.outstandingBills()
        printBills(bills)

        out.step("Payment accounts (get payment mapping options: active bank accounts)")
        let accounts = try await billPay.paymentAccounts()
        out.table([["account", "type", "currency", "id"]] + accounts.map {
            [$0.name ?? "-", $0.accountType?.rawValue ?? "-", $0.currency ?? "-", short($0.id)]
        })
        guard let account = SyncBillPay.paymentAccount(in: base, among: accounts) else {
            out.line("no payment account in \(base): the synchronous payments are skipped")
            return
        }
        out.line("chosen for \(base) payments: \(account.name ?? "-") (\(short(account.id)))")

        try await createBankAccount(currency: base)
        try await createBill(currency: base)
        try await payInFull(bills, account: account)
        try await payInPart(bills, account: account)
        try await payForeignCurrencyBill(bills, base: base, accounts: accounts, account: account)
    }

    // MARK: Steps

    func createBankAccount(currency: String) async throws {
        out.step("Create a bank account for ACH payments (ACH -> Debit)")
        let prototype = try BankAccountPrototype.forPaymentMethod(.ach, integration: billPay.company.integration,
                                                                  name: "BillPay demo ACH \(day())", currency: currency,
                                                                  accountNumber: "00000001")
        if run.commit {
            let created = try await billPay.createBankAccount(prototype)
            out.line("created: \(created.name ?? "-"), \(created.accountType?.rawValue ?? "-"), \(created.currency ?? "-") (\(short(created.id)))")
        } else {
            run.wouldSend("create this bank account")
            out.payload(prototype)
        }
        if !billPay.company.integration.canCreateCreditAccounts {
            do {
                _ = try BankAccountPrototype.forPaymentMethod(.corporateCard, integration: billPay.company.integration, name: "Card", currency: currency)
            } catch {
                out.line("a corporate card account (Credit) is refused before sending: \(error)")
            }
        }
    }

    func createBill(currency: String) async throws {
        out.step("Create a bill (its supplier must exist; each line needs an account or a tax rate from the bill mapping options)")
        let check = try await billPay.billCreationCheck()
        let supplier = check.suppliers.first { $0.status != .archived && $0.id != nil }
        let expense = check.mappingOptions.accounts?.first { $0.status != .archived && ($0.type ?? "").lowercased().contains("expense") }
            ?? check.mappingOptions.accounts?.first { $0.status != .archived }
        let taxRate = check.mappingOptions.taxRates?.first { $0.status != .archived }
        guard let supplier, let supplierId = supplier.id, let expenseId = expense?.id else {
            out.line("no supplier or no expense account in the mapping options: skipped")
            return
        }
        let line = BillLineItem(description: "Office supplies (BillPay demo)", unitAmount: 250, quantity: 1, taxAmount: 50,
                                accountRef: BillAccountRef(id: expenseId), totalAmount: 300, taxRateRef: taxRate?.id.map { BillTaxRateRef(id: $0) })
        var bill = BillPrototype(reference: "BILLPAY-DEMO-\(day().replacingOccurrences(of: "-", with: ""))",
                                 supplierRef: SupplierRef(id: "no-such-supplier"), issueDate: DateTime(day()), dueDate: DateTime(day(offset: 30)),
                                 currency: currency, lineItems: [line, BillLineItem(description: "Unmapped line", unitAmount: 5, quantity: 1)],
                                 status: .open)
        out.line("checked first, a bill for an unknown supplier with an unmapped line is refused:")
        for problem in check.problems(in: bill) { out.line("  - \(problem)") }

        bill.supplierRef = SupplierRef(id: supplierId, supplierName: supplier.supplierName)
        bill.lineItems = [line]
        out.line("with supplier \(supplier.supplierName ?? supplierId) and account \(expense?.name ?? expenseId)\(taxRate.map { ", tax rate \($0.name ?? "-")" } ?? ""):")
        guard run.commit else {
            try check.validate(bill)
            run.wouldSend("create this bill")
            out.payload(bill)
            return
        }
        let created = try await billPay.createBill(bill)
        guard let billId = created.id else { return }
        run.createdBillId = billId
        run.usedBills.insert(billId)
        out.line("created bill \(created.reference ?? "-") (\(short(billId))): \(created.status.rawValue), \(money(created.amountDue, created.currency)) due")

        let invoice = Data("Invoice \(created.reference ?? billId)\nOffice supplies: \(money(300, currency))\n".utf8)
        let uploaded = try await billPay.uploadAttachment(billId: billId, fileName: "invoice-\(created.reference ?? billId).txt",
                                                          contentType: "text/plain", data: invoice)
        out.line("attachment uploaded: \(uploaded.name ?? "-") (\(invoice.count) bytes)")
        let listed = try await billPay.attachments(billId: billId)
        out.line("attachments listed: \(listed.map { $0.name ?? "-" }.joined(separator: ", "))")
        if let id = uploaded.id {
            let downloaded = try await billPay.downloadAttachment(billId: billId, attachmentId: id)
            out.line("attachment downloaded: \(downloaded.count) bytes, \(downloaded == invoice ? "identical to the upload" : "DIFFERENT from the upload")")
        }
    }

    func payInFull(_ bills: [Bill], account: BankAccountMappingOption) async throws {
        out.step("Pay a bill in full (amount, date, reference, accountRef)")
        guard let bill = pick(bills, currency: account.currency, status: .open) else { return out.line("no open bill in \(account.currency ?? "-"): skipped") }
        try await pay(bill, amount: nil, from: account, what: "in full", loseAnswer: run.sandbox != nil)
    }

    func payInPart(_ bills: [Bill], account: BankAccountMappingOption) async throws {
        out.step("Pay part of a bill (the same endpoint, a smaller amount)")
        guard let bill = pick(bills, currency: account.currency, status: .open) else { return out.line("no open bill in \(account.currency ?? "-"): skipped") }
        try await pay(bill, amount: cents((bill.amountDue ?? 0) * Decimal(string: "0.4")!), from: account, what: "in part")
    }

    func payForeignCurrencyBill(_ bills: [Bill], base: String, accounts: [BankAccountMappingOption], account: BankAccountMappingOption) async throws {
        out.step("Pay a bill in another currency (the payment is in the account's currency)")
        guard let bill = bills.first(where: { $0.currency.uppercased() != base.uppercased() && !run.usedBills.contains($0.id ?? "") && ($0.amountDue ?? 0) > 0 }) else {
            return out.line("no bill in a currency other than \(base): skipped")
        }
        run.usedBills.insert(bill.id ?? "")
        out.line("bill \(bill.reference ?? short(bill.id)) is in \(bill.currency); from the \(base) account:")
        do {
            _ = try SyncBillPaymentRequest.payBill(bill, from: account, date: DateTime(day()))
        } catch {
            out.line("refused before sending: \(error)")
        }
        if let local = SyncBillPay.paymentAccount(in: bill.currency, among: accounts) {
            out.line("so it is paid from \(local.name ?? "-"), an account in \(bill.currency):")
            try await pay(bill, amount: nil, from: local, what: "in full")
        } else if run.commit {
            // create-bank-account requires an accountNumber (Codat-Sync-Payables.yaml).
            let created = try await billPay.createBankAccount(
                for: .wireTransfer, name: "BillPay demo \(bill.currency)", currency: bill.currency, accountNumber: "00000002")
            out.line("so a \(bill.currency) bank account is created: \(created.name ?? "-") (\(short(created.id)))")
            let receipt = try await billPay.payBill(bill, from: created, date: DateTime(day()), reference: bill.reference,
                                                    intent: run.nextIntent("sync in full from a new account"))
            try await report(receipt, bill: bill, what: "in full")
        } else {
            run.wouldSend("create a bank account in \(bill.currency) and pay the bill from it")
        }
    }

    // MARK: Helpers

    /// The first bill of a currency and status no step used yet.
    func pick(_ bills: [Bill], currency: String?, status: BillStatus) -> Bill? {
        let bill = bills.first {
            $0.currency.uppercased() == currency?.uppercased() && $0.status == status && ($0.amountDue ?? 0) > 0 && !run.usedBills.contains($0.id ?? "")
        }
        if let id = bill?.id { run.usedBills.insert(id) }
        return bill
    }

    /// Pays a bill as one intent. `loseAnswer` (in-process sandbox only): the sandbox records the
    /// payment and then drops the connection, so that the answer is lost and the layer has to find
    /// out what happened (it resends the same Idempotency-Key and Codat replays the first answer).
    func pay(_ bill: Bill, amount: Decimal?, from account: BankAccountMappingOption, what: String, loseAnswer: Bool = false) async throws {
        out.line("bill \(bill.reference ?? short(bill.id)) (\(bill.supplierRef.supplierName ?? bill.supplierRef.id)): \(bill.status.rawValue), \(money(bill.amountDue, bill.currency)) due")
        let request = try SyncBillPaymentRequest.payBill(bill, amount: amount, from: account, date: DateTime(day()), reference: bill.reference)
        guard run.commit else {
            run.syncPayments += 1
            run.wouldSend("pay \(money(request.payment.amount, bill.currency)) \(what) (POST …/bills/\(request.billId)/payment)")
            out.payload(request.payment)
            return
        }
        let intent = run.nextIntent("sync \(what)")
        if loseAnswer, let sandbox = run.sandbox {
            sandbox.inject(.dropAfterProcessing, on: .operation("sync.create-bill-payment"), times: 1)
            out.line("(the sandbox will record this payment, then drop the connection: the answer is lost)")
        }
        let receipt = try await billPay.pay(request, intent: intent)
        if loseAnswer {
            let delivery = receipt.delivery
            out.line("intent \(intent): \(delivery.sends) sends with Idempotency-Key \(delivery.idempotencyKeys.joined(separator: ", ")); "
                     + "\(delivery.ambiguousSends) ambiguous, resolved by \(delivery.resolvedByReplay > 0 ? "replay (the same key again: Codat answered with the first outcome)" : delivery.resolvedByReconciliation > 0 ? "reconciliation (the bill's amount due)" : "nothing")")
            if let sandbox = run.sandbox {
                let recorded = sandbox.billPayments(companyId: billPay.company.companyId, api: .sync).filter { $0["billId"]?.string == bill.id }.count
                out.line("the sandbox holds \(recorded) payment\(recorded == 1 ? "" : "s") of this bill: paid once")
            }
        }
        try await report(receipt, bill: bill, what: what)
    }

    func report(_ receipt: SyncPaymentReceipt, bill: Bill, what: String) async throws {
        run.syncPayments += 1
        if let payment = receipt.payment {
            out.line("payment sent \(what): \(money(receipt.amount)) from account \(short(receipt.request.payment.accountRef.id)) -> payment \(short(payment.id)) (201)")
        } else {
            out.line("payment sent \(what): \(money(receipt.amount)); its answer was lost, the bill's amount due shows it recorded (\(receipt.delivery))")
        }
        if let after = try await billPay.bill(id: receipt.billId) {
            out.line("bill now: \(after.status.rawValue), \(money(after.amountDue, after.currency)) due")
        }
    }

    func printBills(_ bills: [Bill]) {
        out.table([["reference", "supplier", "status", "currency", "total", "due"]] + bills.map {
            [$0.reference ?? short($0.id), $0.supplierRef.supplierName ?? short($0.supplierRef.id), $0.status.rawValue,
             $0.currency, money($0.totalAmount), money($0.amountDue)]
        })
        let totals = Dictionary(grouping: bills, by: \.currency).map { currency, bills in
            money(bills.reduce(Decimal(0)) { $0 + ($1.amountDue ?? 0) }, currency)
        }.sorted()
        out.line("\(bills.count) bills owed: \(totals.joined(separator: " + "))")
    }
}
