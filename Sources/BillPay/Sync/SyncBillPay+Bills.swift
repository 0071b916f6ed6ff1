import CodatSyncPayables
import Foundation

extension SyncBillPay {
    // MARK: Creating a bill

    /// The company's suppliers (all pages); `query` filters them (`status=Active`).
    public func suppliers(query: String? = nil) async throws -> [Supplier] {
        try await client.suppliers.listAll(companyId: companyId, connectionId: connectionId, query: query).collect()
    }

    /// The accounts and tax rates a bill's lines may use (get bill mapping options, all pages).
    public func billMappingOptions() async throws -> BillMappingOptions {
        var accounts: [AccountMappingOption] = []
        var taxRates: [TaxRateMappingOption] = []
        var token: String?
        var seen = Set<String>()
        repeat {
            let page = try await client.bills.getBillOptions(companyId: companyId, connectionId: connectionId, continuationToken: token)
            accounts += page.accounts ?? []
            taxRates += page.taxRates ?? []
            token = page.pagination?.continuationToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token.map { seen.insert($0).inserted } ?? false
        return BillMappingOptions(accounts: accounts, taxRates: taxRates)
    }

    /// The check a new bill must pass, with the company's suppliers and bill mapping options.
    public func billCreationCheck() async throws -> BillCreationCheck {
        async let suppliers = suppliers()
        async let options = billMappingOptions()
        return try await BillCreationCheck(suppliers: suppliers, mappingOptions: options)
    }

    /// Creates a bill after checking that its supplier exists and that each line has an account
    /// or a tax rate from the bill mapping options.
    ///
    /// - Throws: `BillCreationError` (nothing sent) with every problem found.
    public func createBill(_ bill: BillPrototype) async throws -> Bill {
        try await billCreationCheck().validate(bill)
        // A fresh GUID per call (CODAT-FACTS §1): the runtime may resend it after a 429 or 409.
        return try await client.bills.create(companyId: companyId, connectionId: connectionId, idempotencyKey: UUID().uuidString.lowercased(), body: bill)
    }

    // MARK: Attachments

    /// Uploads a file (an invoice scan, a PDF) against a bill.
    public func uploadAttachment(billId: String, file: MultipartFile) async throws -> Attachment {
        try await client.bills.uploadAttachment(companyId: companyId, connectionId: connectionId, billId: billId, file: file)
    }

    /// Uploads bytes against a bill.
    public func uploadAttachment(billId: String, fileName: String, contentType: String = "application/octet-stream",
                                 data: Data) async throws -> Attachment {
        try await uploadAttachment(billId: billId, file: MultipartFile(fileName: fileName, contentType: contentType, bytes: data))
    }

    /// The files attached to a bill.
    public func attachments(billId: String) async throws -> [Attachment] {
        try await client.bills.listAttachments(companyId: companyId, connectionId: connectionId, billId: billId)
    }

    /// The bytes of an attachment.
    public func downloadAttachment(billId: String, attachmentId: String) async throws -> Data {
        try await client.bills.downloadAttachment(companyId: companyId, connectionId: connectionId, billId: billId, attachmentId: attachmentId)
    }
}
