import Foundation

// Record builders and attachment storage shared by both APIs' routes.

extension SandboxCore {
    /// A bank account as the store keeps it: a chart-of-accounts entry flagged
    /// `isBankAccount`, with the bank fields of both documents beside it.
    static func bankAccountRecord(
        name: String?, accountType: String, nominalCode: String?, accountNumber: String?, sortCode: String?,
        currency: String, extra: SandboxJSON = [:]
    ) -> SandboxJSON {
        let displayName = name ?? "Bank account"
        var account: SandboxJSON = [
            "id": .string(SandboxJSON.newId()),
            "name": .string(displayName),
            "accountName": .string(displayName),
            "accountType": .string(accountType),
            "fullyQualifiedCategory": accountType == "Credit" ? "Liability.Current.CreditCard" : "Asset.Current.Bank",
            "fullyQualifiedName": .string((accountType == "Credit" ? "Liability.Current.CreditCard." : "Asset.Current.Bank.") + displayName),
            "type": accountType == "Credit" ? "Liability" : "Asset",
            "currency": .string(currency),
            "currentBalance": 0,
            "status": "Active",
            "isBankAccount": true,
            "validDatatypeLinks": [],
            "metadata": ["isDeleted": false],
        ]
        if let nominalCode { account["nominalCode"] = .string(nominalCode) }
        if let accountNumber { account["accountNumber"] = .string(accountNumber) }
        if let sortCode { account["sortCode"] = .string(sortCode) }
        for (key, value) in extra.object ?? [:] where account[key] == nil {
            account[key] = value
        }
        Ledger.touch(&account)
        return account
    }

    /// Stores the `file` part of a multipart upload against the request's bill.
    static func storeAttachment(_ request: APIRequest, in state: inout CompanyState) throws -> SandboxAttachment {
        let billId = request.parameter("billId")
        guard state[.bills][billId] != nil else { throw SandboxError.notFound("Bill '\(billId)' was not found.") }
        let form = try MultipartForm(body: request.body, contentType: request.header("Content-Type"))
        guard let file = form.part(named: "file") else {
            throw SandboxError.badRequest(
                "The multipart body has no part named 'file'.",
                validation: [.init(itemId: "file", message: "a part named 'file' is required", validatorName: "RequestBody")])
        }
        let held = state.attachments.reduce(0) { $0 + $1.data.count }
        guard file.data.count <= state.attachmentQuotaBytes - held else {
            throw SandboxError(
                status: 413,
                message: "The company's attachments would take \(held + file.data.count) bytes; the sandbox keeps at most \(state.attachmentQuotaBytes).")
        }
        let attachment = SandboxAttachment(
            id: SandboxJSON.newId(), billId: billId, fileName: file.fileName ?? "attachment",
            contentType: file.contentType ?? "application/octet-stream", data: file.data, dateCreated: CodatDate.now())
        state.attachments.append(attachment)
        return attachment
    }

    static func findAttachment(_ request: APIRequest, in state: CompanyState) throws -> SandboxAttachment {
        let billId = request.parameter("billId")
        let attachmentId = request.parameter("attachmentId")
        guard state[.bills][billId] != nil else { throw SandboxError.notFound("Bill '\(billId)' was not found.") }
        guard let attachment = state.attachments.first(where: { $0.billId == billId && $0.id == attachmentId }) else {
            throw SandboxError.notFound("Attachment '\(attachmentId)' was not found on bill '\(billId)'.")
        }
        return attachment
    }
}

extension SandboxAttachment {
    /// The attachment's metadata, in the `Attachment` shape of both documents.
    var json: SandboxJSON {
        [
            "id": .string(id), "name": .string(fileName), "contentType": .string(contentType),
            "dateCreated": .string(dateCreated), "fileSize": .number(Decimal(data.count)), "includeWhenSent": true,
            "sourceModifiedDate": .string(dateCreated), "modifiedDate": .string(dateCreated),
        ]
    }

    /// The file, byte for byte.
    var download: APIResponse {
        let quoted = fileName.replacingOccurrences(of: "\"", with: "")
        return APIResponse(
            status: 200,
            headers: [("Content-Type", "application/octet-stream"), ("Content-Disposition", "attachment; filename=\"\(quoted)\"")],
            body: data)
    }
}
