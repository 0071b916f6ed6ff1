import Foundation

/// A push operation's outcome, as the store applied it: what Codat's
/// `{dataType}.write.successful` / `.unsuccessful` webhooks report (CODAT-FACTS.md §4).
///
/// One per operation: `Success` and `Failed` when the accounting software answers, `TimedOut`
/// when `timeoutInMinutes` passes first. A timed-out write that still lands later changes the
/// record but not the operation (facts §2); Codat documents no event for it (the payload's
/// `status` is "the same as the push operation status", still `TimedOut`), so the sandbox
/// sends none.
struct WriteOutcome: Sendable {
    /// `bills`, `billPayments` ... (the operation's `dataType`).
    let dataType: String
    let pushOperationKey: String
    /// Create, Update, Delete or UploadAttachment.
    let writeType: String
    let companyId: String
    let companyName: String?
    let companyDescription: String?
    let connectionId: String
    let requestedOn: String?
    /// Sandbox time of the outcome.
    let completedOn: Date
    /// Success, Failed or TimedOut.
    let status: String
    let recordId: String?
    let attachmentId: String?

    init(operation: PushOperationState, company: CompanyState, at time: Date) {
        let json = operation.json
        dataType = json["dataType"]?.string ?? ""
        pushOperationKey = operation.key
        writeType = operation.writeType
        companyId = company.id
        companyName = company.company["name"]?.string
        companyDescription = company.company["description"]?.string
        connectionId = json["dataConnectionKey"]?.string ?? ""
        requestedOn = json["requestedOnUtc"]?.string
        completedOn = time
        status = operation.status
        let change = json["changes"]?.array?.first
        recordId = change?["recordRef"]?["id"]?.string
        attachmentId = change?["attachmentId"]?.string
    }

    var succeeded: Bool { status == "Success" }

    /// `billPayments.write.successful`, `billPayments.write.unsuccessful`.
    var eventType: String {
        "\(dataType).write.\(succeeded ? "successful" : "unsuccessful")"
    }

    /// The event body in the shape of `DataTypeWriteWebhook` (`Codat-Platform.yaml`, webhooks
    /// `{dataType}.write.successful` / `.unsuccessful`): the event's `id`, `eventType`,
    /// `generatedDate`, and the write request in `payload`.
    func event(id: String) -> SandboxJSON {
        var company: SandboxJSON = ["id": .string(companyId)]
        if let companyName { company["name"] = .string(companyName) }
        if let companyDescription { company["description"] = .string(companyDescription) }
        return [
            "id": .string(id),
            "eventType": .string(eventType),
            "generatedDate": .string(CodatDate.format(completedOn)),
            "payload": [
                "id": .string(pushOperationKey),
                "type": .string(writeType),
                "referenceCompany": company,
                "connectionId": .string(connectionId),
                "requestedOnDate": requestedOn.map(SandboxJSON.string) ?? .null,
                "completedOnDate": .string(CodatDate.format(completedOn)),
                "status": .string(status),
                "record": recordId.map { SandboxJSON.object(["id": .string($0)]) } ?? .null,
                "attachmentId": attachmentId.map(SandboxJSON.string) ?? .null,
            ],
        ]
    }
}
