// The asynchronous API (`Codat-Sync-Payables-v1.yaml`), reading side: data endpoints
// (page-based lists and gets, from Codat's cache: CODAT-FACTS.md §2, see CodatCache.swift),
// refreshes and pull operations, push options, push operations, bill attachments.
import CodatSyncPayablesV1
import Foundation

extension SandboxCore {
    static func registerV1DataRoutes(into table: inout RouteTable, store: SandboxStore, refreshDuration: Duration) {
        /// `list-<kind>` and `get-<kind>` of one collection.
        func data<List: Codable & Sendable, Item: Codable & Sendable>(
            _ collection: SandboxCollection, path: String, idName: String, list: (String, List.Type),
            get: (String, Item.Type)
        ) {
            let listPath = "/companies/{companyId}/data/\(path)"
            table.add(.v1, "GET", listPath, list.0) { request in
                let page = try PageRequest(request)
                let companyId = request.parameter("companyId")
                let records = try store.withCompany(companyId) { $0.cached(collection).all }
                let wrapper = page.page(records, path: "/companies/\(companyId)/data/\(path)")
                return try Projection.list(List.self, of: Item.self, wrapper: wrapper, results: wrapper["results"]?.array ?? [])
            }
            table.add(.v1, "GET", listPath + "/{\(idName)}", get.0) { request in
                let id = request.parameter(idName)
                let record = try store.withCompany(request.parameter("companyId")) { $0.cached(collection)[id] }
                guard let record else { throw SandboxError.notFound("No \(path) record with id '\(id)'.") }
                return try Projection.response(Item.self, record)
            }
        }

        data(.accounts, path: "accounts", idName: "accountId", list: ("list-accounts", Accounts.self), get: ("get-account", Account.self))
        data(
            .billCreditNotes, path: "billCreditNotes", idName: "billCreditNoteId",
            list: ("list-bill-credit-notes", BillCreditNotes.self), get: ("get-bill-credit-note", BillCreditNote.self))
        data(
            .billPayments, path: "billPayments", idName: "billPaymentId", list: ("list-bill-payments", BillPayments.self),
            get: ("get-bill-payments", BillPayment.self))
        data(.bills, path: "bills", idName: "billId", list: ("list-bills", Bills.self), get: ("get-bill", Bill.self))
        data(
            .paymentMethods, path: "paymentMethods", idName: "paymentMethodId",
            list: ("list-payment-methods", PaymentMethods.self), get: ("get-payment-method", PaymentMethod.self))
        data(.suppliers, path: "suppliers", idName: "supplierId", list: ("list-suppliers", Suppliers.self), get: ("get-supplier", Supplier.self))
        data(.taxRates, path: "taxRates", idName: "taxRateId", list: ("list-tax-rates", TaxRates.self), get: ("get-tax-rate", TaxRate.self))
        data(
            .trackingCategories, path: "trackingCategories", idName: "trackingCategoryId",
            list: ("list-tracking-categories", TrackingCategories.self), get: ("get-tracking-category", TrackingCategoryTree.self))

        table.add(.v1, "GET", "/companies/{companyId}/data/info", "get-accounting-profile") { request in
            let info = try store.withCompany(request.parameter("companyId")) { $0.companyInfo }
            return try Projection.response(CompanyInfo.self, info)
        }

        // MARK: Refreshing Codat's cache (facts §2)

        table.add(.v1, "POST", "/companies/{companyId}/data/queue/{dataType}", "refresh-data-type") { request in
            let connectionId = request.query["connectionId"].flatMap { $0.isEmpty ? nil : $0 }
            let operation = try store.withCompany(request.parameter("companyId")) { state in
                try state.queueRefresh(request.parameter("dataType"), now: store.clock.now, duration: refreshDuration, connectionId: connectionId)
            }
            // Read back: a zero duration has completed it by now.
            let id = operation["id"]?.string ?? ""
            let current = try store.withCompany(request.parameter("companyId")) { $0.pullOperation(id) } ?? operation
            return try Projection.response(PullOperation.self, current)
        }

        table.add(.v1, "POST", "/companies/{companyId}/data/all", "refresh-all-data-types") { request in
            try store.withCompany(request.parameter("companyId")) { state in
                for dataType in CodatDataType.all {
                    _ = try state.queueRefresh(dataType, now: store.clock.now, duration: refreshDuration)
                }
            }
            return .empty(status: 204)
        }

        table.add(.v1, "GET", "/companies/{companyId}/dataStatus", "get-data-status") { request in
            let status = try store.withCompany(request.parameter("companyId")) { $0.dataStatusJSON }
            return try Projection.response(GetDataStatusResponse.self, status)
        }

        table.add(.v1, "GET", "/companies/{companyId}/data/history", "list-pull-operations") { request in
            let page = try PageRequest(request)
            let companyId = request.parameter("companyId")
            let operations = try store.withCompany(companyId) { $0.pullOperations.map(\.json) }
            return try Projection.response(PullOperations.self, page.page(operations, path: "/companies/\(companyId)/data/history"))
        }

        table.add(.v1, "GET", "/companies/{companyId}/data/history/{datasetId}", "get-pull-operation") { request in
            let id = request.parameter("datasetId")
            let operation = try store.withCompany(request.parameter("companyId")) { $0.pullOperation(id) }
            guard let operation else { throw SandboxError.notFound("Pull operation '\(id)' was not found.") }
            return try Projection.response(PullOperation.self, operation)
        }

        // MARK: Push options

        let options: [(path: String, operationId: String)] = [
            ("chartOfAccounts", "get-create-account-model"), ("bankAccounts", "get-create-bankAccounts-model"),
            ("billCreditNotes", "get-create-update-billCreditNote-model"), ("billPayments", "get-create-billPayment-model"),
            ("bills", "get-create-update-bill-model"), ("suppliers", "get-create-update-supplier-model"),
        ]
        for option in options {
            table.add(.v1, "GET", "/companies/{companyId}/connections/{connectionId}/options/\(option.path)", option.operationId) {
                request in
                let model = try store.withConnection(request.parameter("companyId"), request.parameter("connectionId")) {
                    $0.pushOptions[option.path]
                }
                guard let model else {
                    throw SandboxError.notFound("The connection's integration has no \(option.path) push options.")
                }
                return try Projection.response(PushOption.self, model)
            }
        }

        // MARK: Push operations

        table.add(.v1, "GET", "/companies/{companyId}/push", "list-push-operations") { request in
            let page = try PageRequest(request)
            let companyId = request.parameter("companyId")
            let operations = try store.withCompany(companyId) { $0.pushOperations.map(\.json) }
            return try Projection.response(PushOperations.self, page.page(operations, path: "/companies/\(companyId)/push"))
        }

        table.add(.v1, "GET", "/companies/{companyId}/push/{pushOperationKey}", "get-push-operation") { request in
            let key = request.parameter("pushOperationKey")
            let operation = try store.withCompany(request.parameter("companyId")) { $0.pushOperation(key) }
            guard let operation else { throw SandboxError.notFound("Push operation '\(key)' was not found.") }
            return try Projection.response(PushOperation.self, operation)
        }

        // MARK: Bill attachments (reading)

        let attachments = "/companies/{companyId}/connections/{connectionId}/data/bills/{billId}/attachments"
        @Sendable func company<Result>(_ request: APIRequest, _ body: (inout CompanyState) throws -> Result) throws -> Result {
            try store.withConnection(request.parameter("companyId"), request.parameter("connectionId"), body)
        }

        table.add(.v1, "GET", attachments, "list-bill-attachments") { request in
            let billId = request.parameter("billId")
            let list = try company(request) { state in
                guard state[.bills][billId] != nil else { throw SandboxError.notFound("Bill '\(billId)' was not found.") }
                return state.attachments.filter { $0.billId == billId }
            }
            return try Projection.response(Attachments.self, ["attachments": .array(list.map(\.json))])
        }

        table.add(.v1, "GET", attachments + "/{attachmentId}", "get-bill-attachment") { request in
            let attachment = try company(request) { try findAttachment(request, in: $0) }
            return try Projection.response(Attachment.self, attachment.json)
        }

        table.add(.v1, "GET", attachments + "/{attachmentId}/download", "download-bill-attachment") { request in
            try company(request) { try findAttachment(request, in: $0) }.download
        }
    }
}
