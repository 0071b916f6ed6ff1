// The asynchronous API (`Codat-Sync-Payables-v1.yaml`), writing side: every push answers a
// Pending push operation at once; its delay later decides Success (the change is applied)
// or Failed (with validation errors). Only a body that does not decode answers 400 at once.
import CodatSyncPayablesV1
import Foundation

extension SandboxCore {
    static func registerV1PushRoutes(
        into table: inout RouteTable, store: SandboxStore, delay: @escaping @Sendable () -> Duration
    ) {
        let base = "/companies/{companyId}/connections/{connectionId}/push"

        /// The write request's `type` as Codat's write webhooks name it.
        @Sendable func writeType(_ request: APIRequest) -> String {
            switch request.method.uppercased() {
            case "POST": return request.target.split(separator: "?")[0].hasSuffix("/attachments") ? "UploadAttachment" : "Create"
            case "DELETE": return "Delete"
            default: return "Update"
            }
        }

        /// Queues the push on the request's company and answers the operation through `Response`
        /// (Pending; settled at once when the delay is zero). `data` is not returned (facts §2).
        @Sendable func push<Response: Codable & Sendable>(
            _ request: APIRequest, dataType: String, answer: Response.Type,
            apply: @escaping PushApply
        ) throws -> APIResponse {
            let delayOverride = request.header("X-Sandbox-Push-Delay-Ms").flatMap(Int.init).map { Duration.milliseconds($0) }
            let timeout = try request.query["timeoutInMinutes"].map { _ in try request.integer("timeoutInMinutes", default: 0, range: 0...10_000) }
            let companyId = request.parameter("companyId")
            let queued = try store.withConnection(companyId, request.parameter("connectionId")) { state in
                state.enqueuePush(
                    dataType: dataType, connectionId: request.parameter("connectionId"), timeoutInMinutes: timeout,
                    delay: delayOverride ?? delay(), now: store.clock.now, writeType: writeType(request), apply: apply)
            }
            // Read back: a zero delay has settled it by now.
            let key = queued["pushOperationKey"]?.string ?? ""
            let operation = try store.withCompany(companyId) { $0.pushOperation(key) } ?? queued
            return try Projection.response(Response.self, operation)
        }

        // MARK: Accounts

        table.add(.v1, "POST", base + "/accounts", "create-account") { request in
            let payload = try SandboxJSON(encoding: request.decode(AccountPrototype.self))
            return try push(request, dataType: "chartOfAccounts", answer: CreateAccountResponse.self) { state in
                var account = payload
                let id = SandboxJSON.newId()
                account["id"] = .string(id)
                if account["status"] == nil { account["status"] = "Active" }
                if account["currency"] == nil { account["currency"] = .string(state.baseCurrency) }
                if account["isBankAccount"] == nil { account["isBankAccount"] = false }
                Ledger.touch(&account)
                state[.accounts].upsert(account)
                return .success([.init(type: "Created", recordId: id, dataType: "chartOfAccounts")])
            }
        }

        table.add(.v1, "POST", base + "/bankAccounts", "create-bank-account") { request in
            let prototype = try request.decode(BankAccountPrototype.self)
            let payload = try SandboxJSON(encoding: prototype)
            return try push(request, dataType: "bankAccounts", answer: BankAccountCreateResponse.self) { state in
                let accountType = prototype.accountType?.rawValue ?? "Debit"
                if state.integration == .sageIntacct {
                    return PushResult.failure("Sage Intacct: create a bank account with create-account (chart of accounts).", validator: "IntegrationLimit")
                }
                if state.integration == .xero, accountType == "Credit" {
                    return PushResult.failure("Xero: credit bank accounts cannot be created.", item: "accountType", validator: "IntegrationLimit")
                }
                let account = bankAccountRecord(
                    name: prototype.accountName, accountType: accountType, nominalCode: prototype.nominalCode,
                    accountNumber: prototype.accountNumber, sortCode: prototype.sortCode,
                    currency: prototype.currency ?? state.baseCurrency, extra: payload)
                state[.accounts].upsert(account)
                return .success([.init(type: "Created", recordId: account.id, dataType: "bankAccounts")])
            }
        }

        // MARK: Bills

        table.add(.v1, "POST", base + "/bills", "create-bill") { request in
            let payload = try SandboxJSON(encoding: request.decode(Bill.self))
            return try push(request, dataType: "bills", answer: CreateBillResponse.self) { state in
                if let problem = billProblem(payload, in: state) { return problem }
                let bill = v1Bill(payload, id: SandboxJSON.newId(), paid: 0, in: state)
                state[.bills].upsert(bill)
                return .success([.init(type: "Created", recordId: bill.id, dataType: "bills")])
            }
        }

        table.add(.v1, "PUT", base + "/bills/{billId}", "update-bill") { request in
            let payload = try SandboxJSON(encoding: request.decode(Bill.self))
            let billId = request.parameter("billId")
            return try push(request, dataType: "bills", answer: UpdateBillResponse.self) { state in
                guard let existing = state[.bills][billId] else { return PushResult.failure("Bill '\(billId)' was not found.", item: billId) }
                if let problem = billProblem(payload, in: state) { return problem }
                let paid = (existing["totalAmount"]?.decimal ?? 0) - (existing["amountDue"]?.decimal ?? 0)
                var bill = v1Bill(payload, id: billId, paid: paid, in: state)
                bill["paymentAllocations"] = existing["paymentAllocations"] ?? []
                state[.bills].upsert(bill)
                return .success([.init(type: "Modified", recordId: billId, dataType: "bills")])
            }
        }

        table.add(.v1, "DELETE", base + "/bills/{billId}", "delete-bill") { request in
            let billId = request.parameter("billId")
            return try push(request, dataType: "bills", answer: PushOperation.self) { state in
                guard let bill = state[.bills][billId] else { return PushResult.failure("Bill '\(billId)' was not found.", item: billId) }
                if let due = bill["amountDue"]?.decimal, let total = bill["totalAmount"]?.decimal, due < total {
                    return PushResult.failure("Bill '\(billId)' has payments; delete them first.", item: billId, validator: "BillHasPayments")
                }
                state[.bills].remove(billId)
                state.attachments.removeAll { $0.billId == billId }
                return .success([.init(type: "Deleted", recordId: billId, dataType: "bills")])
            }
        }

        // MARK: Bill attachments (writing)

        table.add(.v1, "POST", base + "/bills/{billId}/attachments", "upload-bill-attachment") { request in
            // Checked now (a bad upload is a 400), stored when the operation completes.
            let form = try MultipartForm(body: request.body, contentType: request.header("Content-Type"))
            guard form.part(named: "file") != nil else {
                throw SandboxError.badRequest("The multipart body has no part named 'file'.")
            }
            let billId = request.parameter("billId")
            return try push(request, dataType: "bills", answer: PushOperation.self) { state in
                do {
                    let attachment = try storeAttachment(request, in: &state)
                    return .success([
                        .init(type: "AttachmentUploaded", recordId: billId, dataType: "bills", attachmentId: attachment.id)
                    ])
                } catch let error as SandboxError {
                    return PushResult.failure(error.message, item: billId)
                } catch {
                    return PushResult.failure("\(error)", item: billId)
                }
            }
        }

        table.add(.v1, "DELETE", base + "/bills/{billId}/attachments/{attachmentId}", "delete-bill-attachment") { request in
            let billId = request.parameter("billId")
            let attachmentId = request.parameter("attachmentId")
            return try push(request, dataType: "bills", answer: PushOperation.self) { state in
                guard state.attachments.contains(where: { $0.billId == billId && $0.id == attachmentId }) else {
                    return PushResult.failure("Attachment '\(attachmentId)' was not found on bill '\(billId)'.", item: attachmentId)
                }
                state.attachments.removeAll { $0.billId == billId && $0.id == attachmentId }
                return .success([.init(type: "Deleted", recordId: billId, dataType: "bills", attachmentId: attachmentId)])
            }
        }

        // MARK: Bill credit notes

        table.add(.v1, "POST", base + "/billCreditNotes", "create-bill-credit-note") { request in
            let payload = try SandboxJSON(encoding: request.decode(BillCreditNote.self))
            return try push(request, dataType: "billCreditNotes", answer: CreateBillCreditNoteResponse.self) { state in
                if let problem = supplierProblem(payload, in: state) { return problem }
                let note = v1CreditNote(payload, id: SandboxJSON.newId(), used: 0)
                state[.billCreditNotes].upsert(note)
                return .success([.init(type: "Created", recordId: note.id, dataType: "billCreditNotes")])
            }
        }

        table.add(.v1, "PUT", base + "/billCreditNotes/{billCreditNoteId}", "update-bill-credit-note") { request in
            let payload = try SandboxJSON(encoding: request.decode(BillCreditNote.self))
            let noteId = request.parameter("billCreditNoteId")
            return try push(request, dataType: "billCreditNotes", answer: UpdateBillCreditNoteResponse.self) { state in
                guard let existing = state[.billCreditNotes][noteId] else {
                    return PushResult.failure("Bill credit note '\(noteId)' was not found.", item: noteId)
                }
                if let problem = supplierProblem(payload, in: state) { return problem }
                let used = (existing["totalAmount"]?.decimal ?? 0) - (existing["remainingCredit"]?.decimal ?? 0)
                state[.billCreditNotes].upsert(v1CreditNote(payload, id: noteId, used: used))
                return .success([.init(type: "Modified", recordId: noteId, dataType: "billCreditNotes")])
            }
        }

        // MARK: Bill payments

        table.add(.v1, "POST", base + "/billPayments", "create-bill-payment") { request in
            let payload = try SandboxJSON(encoding: request.decode(BillPayment.self))
            return try push(request, dataType: "billPayments", answer: CreateBillPaymentResponse.self) { state in
                let errors = PaymentRules.v1PaymentErrors(payload, in: state)
                guard errors.isEmpty else {
                    return .failed(message: "The bill payment breaks \(errors.count) rule(s): \(errors.map(\.message).joined(separator: " "))", errors: errors)
                }
                var payment = payload
                let id = SandboxJSON.newId()
                payment["id"] = .string(id)
                if payment["currency"] == nil { payment["currency"] = .string(state.baseCurrency) }
                Ledger.touch(&payment)
                Ledger.applyBillPayment(payment, in: &state)
                return .success([.init(type: "Created", recordId: id, dataType: "billPayments")])
            }
        }

        table.add(.v1, "DELETE", base + "/billPayments/{billPaymentId}", "delete-billPayment") { request in
            let paymentId = request.parameter("billPaymentId")
            return try push(request, dataType: "billPayments", answer: PushOperation.self) { state in
                guard let payment = state[.billPayments].remove(paymentId) else {
                    return PushResult.failure("Bill payment '\(paymentId)' was not found.", item: paymentId)
                }
                Ledger.reverseBillPayment(payment, in: &state)
                return .success([.init(type: "Deleted", recordId: paymentId, dataType: "billPayments")])
            }
        }

        // MARK: Suppliers

        table.add(.v1, "POST", base + "/suppliers", "create-supplier") { request in
            let payload = try SandboxJSON(encoding: request.decode(Supplier.self))
            return try push(request, dataType: "suppliers", answer: CreateSupplierResponse.self) { state in
                var supplier = payload
                let id = SandboxJSON.newId()
                supplier["id"] = .string(id)
                Ledger.touch(&supplier)
                state[.suppliers].upsert(supplier)
                return .success([.init(type: "Created", recordId: id, dataType: "suppliers")])
            }
        }

        table.add(.v1, "PUT", base + "/suppliers/{supplierId}", "update-supplier") { request in
            let payload = try SandboxJSON(encoding: request.decode(Supplier.self))
            let supplierId = request.parameter("supplierId")
            return try push(request, dataType: "suppliers", answer: UpdateSupplierResponse.self) { state in
                guard state[.suppliers][supplierId] != nil else {
                    return PushResult.failure("Supplier '\(supplierId)' was not found.", item: supplierId)
                }
                var supplier = payload
                supplier["id"] = .string(supplierId)
                Ledger.touch(&supplier)
                state[.suppliers].upsert(supplier)
                return .success([.init(type: "Modified", recordId: supplierId, dataType: "suppliers")])
            }
        }
    }

    private static func supplierProblem(_ record: SandboxJSON, in state: CompanyState) -> PushResult? {
        guard let supplierId = record["supplierRef"]?["id"]?.string else {
            return .failed(message: "supplierRef is required.", errors: [.init(itemId: "supplierRef", message: "supplierRef is required.", validatorName: "Required")])
        }
        guard state[.suppliers][supplierId] != nil else {
            let message = "Supplier '\(supplierId)' was not found."
            return .failed(message: message, errors: [.init(itemId: "supplierRef.id", message: message, validatorName: "SupplierExists")])
        }
        return nil
    }

    private static func billProblem(_ bill: SandboxJSON, in state: CompanyState) -> PushResult? {
        if let problem = supplierProblem(bill, in: state) { return problem }
        var errors: [SandboxError.Item] = []
        for (index, line) in (bill["lineItems"]?.array ?? []).enumerated() {
            if let account = line["accountRef"]?["id"]?.string, state[.accounts][account] == nil {
                errors.append(.init(itemId: "lineItems[\(index)].accountRef.id", message: "Account '\(account)' was not found.", validatorName: "AccountExists"))
            }
        }
        return errors.isEmpty ? nil : .failed(message: "The bill refers to accounts that do not exist.", errors: errors)
    }

    /// A stored v1 bill: the amounts the payload gives, an amount due that keeps what was paid,
    /// and the fields the synchronous view needs (due date, currency).
    private static func v1Bill(_ payload: SandboxJSON, id: String, paid: Decimal, in state: CompanyState) -> SandboxJSON {
        var bill = payload
        bill["id"] = .string(id)
        if bill["dueDate"] == nil || bill["dueDate"] == .null { bill["dueDate"] = bill["issueDate"] ?? .null }
        if bill["currency"] == nil || bill["currency"] == .null { bill["currency"] = .string(state.baseCurrency) }
        if let supplierId = bill["supplierRef"]?["id"]?.string, bill["supplierRef"]?["supplierName"] == nil {
            bill["supplierRef"] = ["id": .string(supplierId), "supplierName": state[.suppliers][supplierId]?["supplierName"] ?? .null]
        }
        let total = bill["totalAmount"]?.decimal ?? Ledger.billTotals(bill["lineItems"]?.array ?? []).total
        let status = bill["status"]?.string ?? "Open"
        let due = ["Paid", "Void"].contains(status) ? 0 : max(total - paid, 0)
        bill["amountDue"] = .number(due)
        if paid > 0 { bill["status"] = .string(Ledger.billStatus(amountDue: due, totalAmount: total)) }
        bill["paymentAllocations"] = []
        Ledger.touch(&bill)
        return bill
    }

    /// A stored credit note: what it has not used yet is its remaining credit.
    private static func v1CreditNote(_ payload: SandboxJSON, id: String, used: Decimal) -> SandboxJSON {
        var note = payload
        note["id"] = .string(id)
        let total = note["totalAmount"]?.decimal ?? 0
        let remaining = max(total - used, 0)
        note["remainingCredit"] = .number(remaining)
        if note["status"]?.string != "Draft" {
            note["status"] = .string(remaining <= 0 ? "Paid" : remaining < total ? "PartiallyPaid" : "Submitted")
        }
        Ledger.touch(&note)
        return note
    }
}
