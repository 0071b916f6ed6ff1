import Foundation

/// What a push does once its delay has passed.
enum PushResult: Sendable {
    struct Change: Sendable {
        var type: String
        var recordId: String?
        var dataType: String
        var attachmentId: String?
    }

    case success([Change])
    case failed(message: String, errors: [SandboxError.Item])

    /// A failure with one validation error.
    static func failure(_ message: String, item: String? = nil, validator: String = "Record") -> PushResult {
        .failed(message: message, errors: [.init(itemId: item, message: message, validatorName: validator)])
    }
}

typealias PushApply = @Sendable (inout CompanyState) -> PushResult

/// A push operation (v1): reported `Pending` until its due time, then applied to the
/// company and reported `Success` or `Failed`.
struct PushOperationState: Sendable {
    /// The operation in the `PushOperation` shape, plus `data` (the pushed record) for the
    /// `Create...Response` shapes.
    var json: SandboxJSON
    var due: ContinuousClock.Instant
    var apply: PushApply?

    var key: String { json["pushOperationKey"]?.string ?? "" }
    var isPending: Bool { apply != nil }
}

extension CompanyState {
    /// Queues a push and answers the operation as it stands (Pending, or already settled
    /// when the delay is zero).
    mutating func enqueuePush(
        dataType: String, connectionId: String, data: SandboxJSON?, timeoutInMinutes: Int?, delay: Duration,
        apply: @escaping PushApply
    ) -> SandboxJSON {
        var json: SandboxJSON = [
            "changes": nil,
            "dataType": .string(dataType),
            "companyId": .string(id),
            "pushOperationKey": .string(UUID().uuidString.lowercased()),
            "dataConnectionKey": .string(connectionId),
            "requestedOnUtc": .string(CodatDate.now()),
            "timeoutInMinutes": timeoutInMinutes.map { .number(Decimal($0)) } ?? .null,
            "status": "Pending",
            "errorMessage": nil,
            "validation": nil,
            "statusCode": 202,
        ]
        if let data { json["data"] = data }
        let now = ContinuousClock.now
        pushOperations.append(PushOperationState(json: json, due: now.advanced(by: delay), apply: apply))
        if delay <= .zero {
            settlePushOperations(now: now)
        }
        return pushOperations.last?.json ?? json
    }

    /// Applies every pending operation that is due, oldest due time first.
    mutating func settlePushOperations(now: ContinuousClock.Instant) {
        let due = pushOperations.indices
            .filter { pushOperations[$0].isPending && pushOperations[$0].due <= now }
            .sorted { (pushOperations[$0].due, $0) < (pushOperations[$1].due, $1) }
        for index in due {
            guard let apply = pushOperations[index].apply else { continue }
            pushOperations[index].apply = nil
            let result = apply(&self)
            var json = pushOperations[index].json
            json["completedOnUtc"] = .string(CodatDate.now())
            switch result {
            case .success(let changes):
                json["status"] = "Success"
                json["statusCode"] = 200
                json["changes"] = .array(changes.map(\.json))
                if let created = changes.first(where: { $0.type == "Created" || $0.type == "Modified" }),
                    let id = created.recordId, var data = json["data"], data.object != nil
                {
                    data["id"] = .string(id)
                    json["data"] = data
                }
            case .failed(let message, let errors):
                json["status"] = "Failed"
                json["statusCode"] = 400
                json["errorMessage"] = .string(message)
                json["validation"] = ["errors": .array(errors.map(\.json)), "warnings": []]
            }
            pushOperations[index].json = json
        }
    }

    func pushOperation(_ key: String) -> SandboxJSON? {
        pushOperations.first { $0.key == key }?.json
    }
}

extension PushResult.Change {
    var json: SandboxJSON {
        [
            "type": .string(type),
            "recordRef": ["id": recordId.map(SandboxJSON.string) ?? .null, "dataType": .string(dataType)],
            "attachmentId": attachmentId.map(SandboxJSON.string) ?? .null,
        ]
    }
}
