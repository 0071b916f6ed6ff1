import BillPay
import CodatSyncPayablesV1
import Foundation

/// The asynchronous solution, step by step: bank accounts, the account type for a payment
/// method, a payment account created, bills paid in full, in part, several of one supplier, a
/// batch, a credit note allocated with a payment, a payment and a bill deleted. Each change is a
/// push whose operation is waited for.
struct AsyncFlow {
    var billPay: AsyncBillPay
    let run: DemoRun
    var out: Output { run.out }

    mutating func start() async throws {
        out.section("Asynchronous Bill Pay (CodatSyncPayablesV1)")
        let integration = billPay.integration
        let profile = try await billPay.client.companyInfo.getAccountingProfile(companyId: billPay.company.companyId)
        let base = profile.baseCurrency ?? "USD"
        out.line("\(profile.companyName ?? billPay.company.companyId), base currency \(base), integration \(integration)")
        out.line("its limits: credit notes \(describe(integration.creditNoteAllocation)); several bills as \(integration.multipleBillsLayout == .oneLinePerBill ? "one line per bill" : "one line with a link per bill")"
                 + (integration.requiresPaymentMethod ? "; paymentMethodRef required" : "")
                 + (integration.referenceIsLocationWhenMandatory ? "; reference is a location- tracking category when locations are mandatory" : ""))

        out.step("Bank accounts (list accounts, query isBankAccount=true)")
        let accounts = try await billPay.bankAccounts()
        out.table([["account", "currency", "status", "id"]] + accounts.map {
            [$0.name ?? "-", $0.currency ?? "-", $0.status?.rawValue ?? "-", short($0.id)]
        })

        out.step("Account type by payment method, and how \(integration) creates one (\(integration.accountCreation.rawValue))")
        out.table([["payment method", "account type"]] + BillPayMethod.allCases.map { [$0.rawValue, $0.accountType.rawValue] })

        let account = try await createPaymentAccount(currency: base, existing: accounts)
        guard let account, let accountId = account.id else {
            out.line("no payment account in \(base): the asynchronous payments are skipped")
            return
        }
        var details = PaymentDetails(account: AccountRef(id: accountId, name: account.name), date: DateTime(day()))
        if integration.requiresPaymentMethod {
            let method = try await billPay.paymentMethods().first
            details.paymentMethod = method.map { PaymentMethodRef(id: $0.id ?? "", name: $0.name) }
            out.line("payment method (\(integration) needs one): \(method?.name ?? "none found")")
        }

        out.step("Bills owed (list bills, query status=Open||status=PartiallyPaid)")
        let bills = try await billPay.outstandingBills()
        printBills(bills)
        let payable = bills.filter { ($0.currency ?? base).uppercased() == base.uppercased() && ($0.amountDue ?? 0) > 0 }

        out.step("Pay a bill in full (totalAmount = amountDue, supplierRef from the bill)")
        if let bill = take(payable) {
            _ = try await send(billPay.builder.payBill(bill, details: details), what: "in full")
        } else { out.line("no bill left in \(base): skipped") }

        out.step("Pay part of a bill")
        var partialPaymentId: String?
        if let bill = take(payable) {
            partialPaymentId = try await send(billPay.builder.payBill(bill, amount: cents((bill.amountDue ?? 0) / 2), details: details), what: "in part")?.id
        } else { out.line("no bill left in \(base): skipped") }

        out.step("Pay several bills of one supplier in one payment")
        if let group = sameSupplier(payable) {
            _ = try await send(billPay.builder.payBills(group.map { BillAllocation(bill: $0) }, details: details), what: "for \(group.count) bills")
        } else { out.line("no supplier with two bills left in \(base): skipped") }

        out.step("Batch payment of bills of several suppliers (supplierRef left out)")
        if !integration.supportsBatchPayments {
            out.line("the guides show batch payments for Xero only: skipped for \(integration)")
        } else if let pair = differentSuppliers(payable) {
            _ = try await send(billPay.builder.batchPayment(pair.map { BillAllocation(bill: $0) }, details: details), what: "as a batch")
        } else { out.line("no two suppliers with bills left in \(base): skipped") }

        out.step("Create a bill credit note and allocate it, with a partial payment")
        if let bill = take(payable.filter { $0.supplierRef != nil }) {
            try await creditNote(for: bill, details: details)
        } else { out.line("no bill left in \(base): skipped") }

        out.step("Delete a bill payment (the partial payment above)")
        if let partialPaymentId {
            try await deleteBillPayment(partialPaymentId)
        } else { out.line(run.commit ? "no partial payment made: skipped" : "(read-only) would delete the partial payment above") }

        out.step("Delete a bill (the one the synchronous flow created)")
        if let billId = run.createdBillId {
            let handle = try await billPay.deleteBill(id: billId)
            out.line("pushed: operation \(short(handle.pushOperationKey)) \(handle.submitted?.status.rawValue ?? "-")")
            let done = try await handle.wait()
            out.line("operation \(done.operation?.status.rawValue ?? "-") after \(done.polls) polls: bill \(short(done.recordId)) deleted")
            try await billPay.refresh(.bills)
            do {
                _ = try await billPay.bill(id: billId)
                out.line("the bill is still listed")
            } catch let error as CodatSyncPayablesV1Error where error.status == 404 {
                out.line("the bill is no longer listed (404)")
            }
        } else { out.line(run.commit ? "no bill was created: skipped" : "(read-only) would delete the bill the synchronous flow would create") }
    }

    // MARK: Steps

    func createPaymentAccount(currency: String, existing: [Account]) async throws -> Account? {
        out.step("Create a payment account for BACS payments (BACS -> Debit, \(billPay.integration.accountCreation.rawValue))")
        let account = try billPay.newPaymentAccount(for: .bacs, name: "BillPay demo BACS \(day())", currency: currency)
        if !billPay.integration.canCreateCreditAccounts {
            do {
                _ = try billPay.newPaymentAccount(for: .corporateCard, name: "Card", currency: currency)
            } catch {
                out.line("a corporate card account (Credit) is refused before sending: \(error)")
            }
        }
        let fallback = existing.first { $0.currency?.uppercased() == currency.uppercased() && $0.status != .archived }
        guard run.commit else {
            run.wouldSend("push this account to \(account.endpoint.rawValue)")
            switch account {
            case let .account(prototype): out.payload(prototype)
            case let .bankAccount(prototype): out.payload(prototype)
            }
            out.line("payments below are paid from \(fallback?.name ?? "-") instead")
            return fallback
        }
        let handle = try await billPay.createPaymentAccount(account)
        out.line("pushed to \(account.endpoint.rawValue): operation \(short(handle.pushOperationKey)) \(handle.submitted?.status.rawValue ?? "-")")
        let clock = ContinuousClock()
        let start = clock.now
        let done = try await handle.wait()
        // Codat lists the new account after a refresh (CODAT-FACTS §2): fetchRecord refreshes, then reads.
        let created = try await done.fetchRecord()
        out.line("operation \(done.operation?.status.rawValue ?? "-") after \(seconds(clock.now - start)) (\(done.polls) polls): "
                 + "account \(created.name ?? "-"), \(created.currency ?? "-") (\(short(created.id)))")
        out.line("chosen for the payments below: \(created.name ?? "-")")
        return created
    }

    func creditNote(for bill: Bill, details: PaymentDetails) async throws {
        guard let supplier = bill.supplierRef else { return }
        let due = bill.amountDue ?? 0
        let credit = cents(min(due / 10, 50))
        out.line("bill \(label(bill)): \(money(due, bill.currency)) due; a credit note of \(money(credit, bill.currency)) from \(supplier.supplierName ?? supplier.id)")
        let draft = BillCreditNote.toCreate(number: "CN-DEMO-\(day().replacingOccurrences(of: "-", with: ""))", supplier: SupplierRef(id: supplier.id),
                                            issueDate: DateTime(day()), currency: bill.currency,
                                            lines: [BillCreditNoteLineItem(description: "Returned goods (BillPay demo)", unitAmount: credit, quantity: 1,
                                                                           taxAmount: 0, totalAmount: credit)])
        let note: BillCreditNote
        if run.commit {
            let handle = try await billPay.createCreditNote(draft, intent: run.nextIntent("credit note"))
            out.line("credit note pushed: operation \(short(handle.pushOperationKey)) \(handle.submitted?.status.rawValue ?? "-")")
            let done = try await handle.wait()
            note = try await done.fetchRecord()
            out.line("operation \(done.operation?.status.rawValue ?? "-"): credit note \(note.billCreditNoteNumber ?? "-") (\(short(note.id))), \(money(note.availableCredit, note.currency)) of credit")
        } else {
            run.wouldSend("create this credit note")
            out.payload(draft)
            guard let existing = try await billPay.availableCreditNotes(supplierId: supplier.id).first else {
                return out.line("the supplier has no credit note yet to allocate: allocation skipped")
            }
            note = existing
            out.line("allocating the supplier's existing credit note \(note.billCreditNoteNumber ?? short(note.id)) (\(money(note.availableCredit, note.currency))) instead")
        }

        let payment = cents(max(due - note.availableCredit, 0) / 4)
        switch billPay.integration.creditNoteAllocation {
        case .notYetAvailable:
            do {
                _ = try billPay.builder.allocateCreditNote(note, to: bill, details: details)
            } catch {
                out.line("refused before sending: \(error)")
            }
        case .inFullOnly:
            out.line("\(billPay.integration) allocates a credit note in full and alone: two bill payments, the credit note, then \(money(payment, bill.currency))")
            _ = try await send(billPay.builder.allocateCreditNote(note, to: bill, details: details), what: "allocating the credit note")
            if run.commit { try await billPay.refresh(.bills) }
            let rest = run.commit ? try await billPay.bill(id: bill.id ?? "") : bill
            _ = try await send(billPay.builder.payBill(rest, amount: payment, details: details), what: "in part, after the credit note")
        case .withPartialPayment:
            out.line("\(billPay.integration) takes the credit note and \(money(payment, bill.currency)) in one bill payment")
            _ = try await send(billPay.builder.allocateCreditNote(note, to: bill, partialPayment: payment, details: details), what: "with the credit note")
        }
    }

    func deleteBillPayment(_ id: String) async throws {
        let payment = try await billPay.client.billPayments.get(companyId: billPay.company.companyId, billPaymentId: id)
        let billIds = (payment.lines ?? []).flatMap { $0.links ?? [] }.filter { $0.type == .bill }.compactMap(\.id)
        let handle = try await billPay.deleteBillPayment(id: id)
        out.line("pushed: delete payment \(short(id)) (\(money(payment.totalAmount, payment.currency))), operation \(short(handle.pushOperationKey)) \(handle.submitted?.status.rawValue ?? "-")")
        let done = try await handle.wait()
        out.line("operation \(done.operation?.status.rawValue ?? "-") after \(done.polls) polls")
        try await billPay.refresh(.bills)
        for billId in billIds {
            let bill = try await billPay.bill(id: billId)
            out.line("bill \(label(bill)) now: \(bill.status.rawValue), \(money(bill.amountDue, bill.currency)) due")
        }
    }

    // MARK: Sending

    /// Sends a payment built (and validated) by the builder and waits for its push, or prints it
    /// when the demo only reads. Returns the payment created.
    @discardableResult
    func send(_ build: @autoclosure () throws -> BillPaymentRequest, what: String) async throws -> BillPayment? {
        let request: BillPaymentRequest
        do {
            request = try build()
        } catch let error as PaymentValidationError {
            out.line("refused by the validator before sending: \(error)")
            return nil
        }
        let payment = request.payment
        let bills = Dictionary(request.bills.compactMap { bill in bill.id.map { ($0, bill) } }, uniquingKeysWith: { a, _ in a })
        out.line("\(request.kind.rawValue): totalAmount \(money(payment.totalAmount, payment.currency)), supplierRef \(payment.supplierRef?.id ?? "none")")
        for (i, line) in (payment.lines ?? []).enumerated() {
            let links = (line.links ?? []).map { link in
                "\(link.type.rawValue) \(link.type == .bill ? bills[link.id ?? ""].map(label) ?? short(link.id) : short(link.id)) \(money(link.amount))"
            }
            out.line("  line \(i + 1): amount \(money(line.amount)); links: \(links.joined(separator: ", "))")
        }
        run.asyncPayments += 1
        guard run.commit else {
            let intent = run.nextIntent("v1 \(what)")
            run.wouldSend("push this payment \(what) as intent \(intent) (its note carries the marker the layer finds it by)")
            out.payload(try billPay.prepare(request, intent: intent))
            return nil
        }
        let handle = try await billPay.pay(request, intent: run.nextIntent("v1 \(what)"))
        out.line("pushed \(what): operation \(short(handle.pushOperationKey)) \(handle.submitted?.status.rawValue ?? "-")")
        let clock = ContinuousClock()
        let start = clock.now
        let done = try await handle.wait()
        out.line("operation \(done.operation?.status.rawValue ?? "-") after \(seconds(clock.now - start)) (\(done.polls) polls): payment \(short(done.recordId))")
        // Codat shows the payment, and its effect on the bills, after a refresh (CODAT-FACTS §2).
        let created = try await done.fetchRecord()
        try await billPay.refresh(.bills)
        for id in bills.keys.sorted() {
            let bill = try await billPay.bill(id: id)
            out.line("bill \(label(bill)) now: \(bill.status.rawValue), \(money(bill.amountDue, bill.currency)) due")
        }
        return created
    }

    // MARK: Choosing bills

    /// The first bill no step used yet.
    func take(_ bills: [Bill]) -> Bill? {
        guard let bill = bills.first(where: { !run.usedBills.contains($0.id ?? "") }) else { return nil }
        run.usedBills.insert(bill.id ?? "")
        return bill
    }

    /// Two unused bills of one supplier.
    func sameSupplier(_ bills: [Bill]) -> [Bill]? {
        let unused = bills.filter { !run.usedBills.contains($0.id ?? "") && $0.supplierRef != nil }
        let groups = Dictionary(grouping: unused) { $0.supplierRef?.id ?? "" }
        guard let group = unused.lazy.compactMap({ groups[$0.supplierRef?.id ?? ""] }).first(where: { $0.count >= 2 }) else { return nil }
        let chosen = Array(group.prefix(2))
        chosen.forEach { run.usedBills.insert($0.id ?? "") }
        return chosen
    }

    /// Two unused bills of two suppliers.
    func differentSuppliers(_ bills: [Bill]) -> [Bill]? {
        let unused = bills.filter { !run.usedBills.contains($0.id ?? "") && $0.supplierRef != nil }
        guard let first = unused.first, let second = unused.first(where: { $0.supplierRef?.id != first.supplierRef?.id }) else { return nil }
        [first, second].forEach { run.usedBills.insert($0.id ?? "") }
        return [first, second]
    }

    // MARK: Printing

    func label(_ bill: Bill) -> String {
        bill.reference.flatMap { $0.isEmpty ? nil : $0 } ?? short(bill.id)
    }

    func describe(_ allocation: CreditNoteAllocation) -> String {
        switch allocation {
        case .inFullOnly: return "allocated in full and alone"
        case .withPartialPayment: return "allocated alone or with a partial payment"
        case .notYetAvailable: return "cannot be allocated yet"
        }
    }

    func printBills(_ bills: [Bill]) {
        out.table([["reference", "supplier", "status", "currency", "total", "due"]] + bills.map {
            [label($0), $0.supplierRef?.supplierName ?? short($0.supplierRef?.id), $0.status.rawValue, $0.currency ?? "-",
             money($0.totalAmount), money($0.amountDue)]
        })
        out.line("\(bills.count) bills owed")
    }
}
