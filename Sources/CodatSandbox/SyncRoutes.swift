// The synchronous API (`Codat-Sync-Payables.yaml`): paths under
// /companies/{companyId}/connections/{connectionId}/payables. Bodies decode into this
// module's models; rule breaks answer 400 at once.
import CodatSyncPayables
import Foundation

extension SandboxCore {
    static func registerSyncRoutes(into table: inout RouteTable, store: SandboxStore, pageSize: Int) {
        let base = "/companies/{companyId}/connections/{connectionId}/payables"

        /// Runs `body` on the request's company after checking its connection.
        @Sendable func company<Result>(_ request: APIRequest, _ body: (inout CompanyState) throws -> Result) throws -> Result {
            try store.withConnection(request.parameter("companyId"), request.parameter("connectionId"), body)
        }

        table.add(.sync, "GET", base + "/info", "get-company-information") { request in
            let info = try company(request) { state -> SandboxJSON in
                ["companyName": state.company["name"] ?? .null, "baseCurrency": .string(state.baseCurrency)]
            }
            return try Projection.response(CompanyInformation.self, info)
        }

        // MARK: Mapping options

        table.add(.sync, "GET", base + "/mappingOptions/bills", "get-mapping-options-bills") { request in
            let status = try request.codatQuery("statusQuery") ?? CodatQuery("status=Active")
            let options = try company(request) { state -> SandboxJSON in
                [
                    "accounts": .array(state[.accounts].all.filter(status.matches)),
                    "taxRates": .array(state[.taxRates].all.filter(status.matches)),
                    "pagination": [:],
                ]
            }
            return try Projection.response(BillMappingOptions.self, options)
        }

        table.add(.sync, "GET", base + "/mappingOptions/payments", "get-mapping-options-payments") { request in
            let status = try request.codatQuery("statusQuery") ?? CodatQuery("status=Active")
            let options = try company(request) { state -> SandboxJSON in
                let banks = state[.accounts].all.filter { $0["isBankAccount"]?.bool == true && status.matches($0) }
                return ["bankAccounts": .array(banks), "pagination": [:]]
            }
            return try Projection.response(PaymentMappingOptions.self, options)
        }

        // MARK: Bills

        table.add(.sync, "GET", base + "/bills", "list-bills") { request in
            // Outstanding bills by default, as the document says; a query replaces that filter.
            let query = try request.codatQuery() ?? CodatQuery("status=Open||status=PartiallyPaid")
            let size = try request.integer("pageSize", default: pageSize, range: 1...5000)
            let page = try company(request) { state in
                try ContinuationPage(
                    state[.bills].sequenced, matching: query.matches, token: request.query["continuationToken"], pageSize: size)
            }
            return try continuationResponse(Bills.self, of: Bill.self, page)
        }

        table.add(.sync, "POST", base + "/bills", "create-bill", idempotent: true) { request in
            let prototype = try request.decode(BillPrototype.self)
            guard prototype.status.rawValue == "Open" else {
                throw SandboxError.badRequest("A new bill's status must be Open; got \(prototype.status.rawValue).")
            }
            let bill = try company(request) { state -> SandboxJSON in
                let bill = try syncBill(from: prototype, id: SandboxJSON.newId(), paid: 0, in: state)
                state[.bills].upsert(bill)
                return bill
            }
            return try Projection.response(Bill.self, bill, status: 201)
        }

        table.add(.sync, "PUT", base + "/bills/{billId}", "update-bill", idempotent: true) { request in
            let prototype = try request.decode(BillPrototype.self)
            let billId = request.parameter("billId")
            let bill = try company(request) { state -> SandboxJSON in
                guard let existing = state[.bills][billId] else { throw SandboxError.notFound("Bill '\(billId)' was not found.") }
                // A full replace that keeps what was already paid.
                let paid = (existing["totalAmount"]?.decimal ?? 0) - (existing["amountDue"]?.decimal ?? 0)
                var bill = try syncBill(from: prototype, id: billId, paid: paid, in: state)
                bill["paymentAllocations"] = existing["paymentAllocations"] ?? []
                state[.bills].upsert(bill)
                return bill
            }
            return try Projection.response(Bill.self, bill)
        }

        // MARK: Attachments

        table.add(.sync, "POST", base + "/bills/{billId}/attachments", "upload-bill-attachment") { request in
            let attachment = try company(request) { state in
                try storeAttachment(request, in: &state)
            }
            return try Projection.response(Attachment.self, attachment.json, status: 201)
        }

        table.add(.sync, "GET", base + "/bills/{billId}/attachments", "list-bill-attachments") { request in
            let billId = request.parameter("billId")
            let attachments = try company(request) { state in
                guard state[.bills][billId] != nil else { throw SandboxError.notFound("Bill '\(billId)' was not found.") }
                return state.attachments.filter { $0.billId == billId }
            }
            return try Projection.response([Attachment].self, .array(attachments.map(\.json)))
        }

        table.add(.sync, "GET", base + "/bills/{billId}/attachments/{attachmentId}/download", "download-bill-attachment") {
            request in
            let attachment = try company(request) { state in
                try findAttachment(request, in: state)
            }
            return attachment.download
        }

        // MARK: Bill payments

        table.add(.sync, "POST", base + "/bills/{billId}/payment", "create-bill-payment", idempotent: true) { request in
            let prototype = try request.decode(BillPaymentPrototype.self)
            let billId = request.parameter("billId")
            let payment = try company(request) { state -> SandboxJSON in
                guard let bill = state[.bills][billId] else {
                    throw SandboxError.badRequest(
                        "Bill '\(billId)' was not found.", validation: [.init(itemId: billId, message: "unknown bill", validatorName: "BillExists")])
                }
                let errors = PaymentRules.syncPaymentErrors(
                    amount: prototype.amount, accountId: prototype.accountRef.id, currencyRate: prototype.currencyRate, bill: bill, in: state)
                if let first = errors.first { throw SandboxError.badRequest(first.message, validation: errors) }
                var payment = try SandboxJSON(encoding: prototype)
                payment["id"] = .string(SandboxJSON.newId())
                payment["billId"] = .string(billId)
                payment["currency"] = bill["currency"] ?? .null
                state[.bills].update(billId) { bill in
                    let allocation: SandboxJSON = [
                        "payment": [
                            "id": payment["id"] ?? .null, "reference": payment["reference"] ?? .null,
                            "accountRef": payment["accountRef"] ?? .null, "currency": bill["currency"] ?? .null,
                            "currencyRate": payment["currencyRate"] ?? .null, "paidOnDate": payment["date"] ?? .null,
                            "totalAmount": .number(prototype.amount),
                        ],
                        "allocation": [
                            "currency": bill["currency"] ?? .null, "allocatedOnDate": payment["date"] ?? .null,
                            "totalAmount": .number(prototype.amount),
                        ],
                    ]
                    Ledger.pay(&bill, amount: prototype.amount, allocation: allocation)
                }
                state[.syncBillPayments].upsert(payment)
                return payment
            }
            return try Projection.response(BillPayment.self, payment, status: 201)
        }

        // MARK: Suppliers

        table.add(.sync, "GET", base + "/suppliers", "list-suppliers") { request in
            let query = try request.codatQuery()
            let size = try request.integer("pageSize", default: pageSize, range: 1...5000)
            let page = try company(request) { state in
                try ContinuationPage(
                    state[.suppliers].sequenced, matching: { query?.matches($0) ?? true },
                    token: request.query["continuationToken"], pageSize: size)
            }
            return try continuationResponse(Suppliers.self, of: Supplier.self, page)
        }

        table.add(.sync, "POST", base + "/suppliers", "create-supplier", idempotent: true) { request in
            let prototype = try request.decode(SupplierPrototype.self)
            let supplier = try company(request) { state -> SandboxJSON in
                var supplier = try SandboxJSON(encoding: prototype)
                supplier["id"] = .string(SandboxJSON.newId())
                Ledger.touch(&supplier)
                state[.suppliers].upsert(supplier)
                return supplier
            }
            return try Projection.response(Supplier.self, supplier, status: 201)
        }

        table.add(.sync, "PUT", base + "/suppliers/{supplierId}", "update-supplier") { request in
            let prototype = try request.decode(SupplierPrototype.self)
            let supplierId = request.parameter("supplierId")
            let supplier = try company(request) { state -> SandboxJSON in
                guard state[.suppliers][supplierId] != nil else {
                    throw SandboxError.notFound("Supplier '\(supplierId)' was not found.")
                }
                var supplier = try SandboxJSON(encoding: prototype)
                supplier["id"] = .string(supplierId)
                Ledger.touch(&supplier)
                state[.suppliers].upsert(supplier)
                return supplier
            }
            return try Projection.response(Supplier.self, supplier)
        }

        // MARK: Bank accounts

        table.add(.sync, "POST", base + "/bankAccounts", "create-bank-account", idempotent: true) { request in
            let prototype = try request.decode(BankAccountPrototype.self)
            let account = try company(request) { state -> SandboxJSON in
                if state.integration == .xero, prototype.accountType.rawValue == "Credit" {
                    throw SandboxError.badRequest("Xero: credit bank accounts cannot be created.")
                }
                let account = bankAccountRecord(
                    name: prototype.name, accountType: prototype.accountType.rawValue, nominalCode: prototype.nominalCode,
                    accountNumber: prototype.accountNumber, sortCode: prototype.sortCode, currency: prototype.currency)
                state[.accounts].upsert(account)
                return account
            }
            return try Projection.response(BankAccount.self, account, status: 201)
        }
    }

    /// `{results, pagination: {continuationToken}}` through the list model.
    private static func continuationResponse<List: Codable, Item: Codable>(
        _ list: List.Type, of item: Item.Type, _ page: ContinuationPage
    ) throws -> APIResponse {
        var pagination: SandboxJSON = [:]
        if let token = page.nextToken { pagination["continuationToken"] = .string(token) }
        return try Projection.list(List.self, of: Item.self, wrapper: ["pagination": pagination], results: page.records)
    }

    /// A stored bill from a prototype: supplier and line references checked, totals worked out.
    private static func syncBill(from prototype: BillPrototype, id: String, paid: Decimal, in state: CompanyState) throws
        -> SandboxJSON
    {
        guard let supplier = state[.suppliers][prototype.supplierRef.id] else {
            throw SandboxError.badRequest(
                "Supplier '\(prototype.supplierRef.id)' was not found; create the supplier first.",
                validation: [.init(itemId: "supplierRef.id", message: "unknown supplier", validatorName: "SupplierExists")])
        }
        var errors: [SandboxError.Item] = []
        for (index, line) in (prototype.lineItems ?? []).enumerated() {
            if let account = line.accountRef?.id, state[.accounts][account] == nil {
                errors.append(.init(itemId: "lineItems[\(index)].accountRef.id", message: "Account '\(account)' was not found.", validatorName: "AccountExists"))
            }
            if let taxRate = line.taxRateRef?.id, state[.taxRates][taxRate] == nil {
                errors.append(.init(itemId: "lineItems[\(index)].taxRateRef.id", message: "Tax rate '\(taxRate)' was not found.", validatorName: "TaxRateExists"))
            }
        }
        if !errors.isEmpty {
            throw SandboxError.badRequest(
                "The bill refers to records that do not exist (see the bill mapping options).", validation: errors)
        }
        var bill = try SandboxJSON(encoding: prototype)
        let totals = Ledger.billTotals(bill["lineItems"]?.array ?? [])
        let due = max(totals.total - paid, 0)
        bill["id"] = .string(id)
        bill["supplierRef"] = ["id": .string(prototype.supplierRef.id), "supplierName": supplier["supplierName"] ?? .null]
        bill["subTotal"] = .number(totals.subTotal)
        bill["taxAmount"] = .number(totals.tax)
        bill["totalAmount"] = .number(totals.total)
        bill["amountDue"] = .number(due)
        if paid > 0 { bill["status"] = .string(Ledger.billStatus(amountDue: due, totalAmount: totals.total)) }
        bill["paymentAllocations"] = []
        Ledger.touch(&bill)
        return bill
    }
}
