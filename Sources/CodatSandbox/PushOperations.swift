import Foundation

/// What a push does when it reaches the accounting software.
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

/// A push operation of the v1 API (CODAT-FACTS.md §2, docs/using-the-api/push.md):
/// `Pending` until the accounting software answers (`due`), then applied to the accounting
/// software (never to Codat's cache) and `Success` or `Failed`. With `timeoutInMinutes`, an
/// operation still pending at its timeout becomes `TimedOut`; that changes only the
/// status: a seeded share of such writes still lands later (`landsAt`).
struct PushOperationState: Sendable {
    /// The operation in the `PushOperation` shape.
    var json: SandboxJSON
    /// Sandbox time at which the write reaches the accounting software.
    var due: Date
    /// Sandbox time at which a still-pending operation times out.
    var timeoutAt: Date?
    /// For a timed-out write that will still land: when.
    var landsAt: Date?
    /// The write, until it has been applied or dropped.
    var apply: PushApply?
    /// Whether a timed-out write reached the accounting software after all.
    var landedAfterTimeout = false
    /// The write request's `type` in Codat's write webhooks: Create, Update, Delete, UploadAttachment.
    var writeType: String = "Create"

    var key: String { json["pushOperationKey"]?.string ?? "" }
    var status: String { json["status"]?.string ?? "" }

    /// When something next happens to the operation, if anything will.
    var nextEvent: Date? {
        guard apply != nil else { return nil }
        if status == "Pending" {
            if let timeoutAt, timeoutAt < due { return timeoutAt }
            return due
        }
        return landsAt
    }
}

extension CompanyState {
    /// Queues a push at sandbox time `now` and answers the operation as it stands (Pending, or
    /// already settled when the delay is zero). Since 2024-01-10 Codat returns no `data` (the
    /// written record) on push operations (facts §2): `changes[].recordRef` names the record.
    mutating func enqueuePush(
        dataType: String, connectionId: String, timeoutInMinutes: Int?, delay: Duration, now: Date,
        writeType: String = "Create", apply: @escaping PushApply
    ) -> SandboxJSON {
        let json: SandboxJSON = [
            "changes": nil,
            "dataType": .string(dataType),
            "companyId": .string(id),
            "pushOperationKey": .string(UUID().uuidString.lowercased()),
            "dataConnectionKey": .string(connectionId),
            "requestedOnUtc": .string(CodatDate.format(now)),
            "timeoutInMinutes": timeoutInMinutes.map { .number(Decimal($0)) } ?? .null,
            "status": "Pending",
            "errorMessage": nil,
            "validation": nil,
            "statusCode": 202,
        ]
        var operation = PushOperationState(
            json: json, due: now.adding(max(delay, .zero)),
            timeoutAt: timeoutInMinutes.map { now.addingTimeInterval(TimeInterval($0) * 60) }, apply: apply)
        operation.writeType = writeType
        pushOperations.append(operation)
        pushIndex[operation.key] = pushOperations.count - 1
        pendingPushes.insert(pushOperations.count - 1)
        return operation.json
    }

    /// Applies the operation's next event (at `time`): its outcome, its timeout, or its late landing.
    mutating func advancePush(_ index: Int, at time: Date, landing: LandingRule, random: inout SplitMix64) {
        let operation = pushOperations[index]
        guard let apply = operation.apply else { return }
        if operation.status == "Pending", let timeoutAt = operation.timeoutAt, timeoutAt < operation.due {
            // Only the status changes; whether the write still lands is drawn now.
            var json = operation.json
            json["status"] = "TimedOut"
            json["completedOnUtc"] = .string(CodatDate.format(timeoutAt))
            pushOperations[index].json = json
            writeOutcomes.append(WriteOutcome(operation: pushOperations[index], company: self, at: timeoutAt))
            if random.nextUnit() < landing.share {
                pushOperations[index].landsAt = max(timeoutAt.adding(landing.delay), operation.due)
            } else {
                pushOperations[index].apply = nil
            }
            return
        }
        pushOperations[index].apply = nil
        let result = apply(&self)
        if operation.status != "Pending" {
            // A timed-out write landing: the record changes, the operation stays TimedOut. Codat
            // documents no webhook for it (the payload's status is the operation's, still
            // TimedOut), so none is sent (Webhooks/WriteEvents.swift).
            if case .success = result { pushOperations[index].landedAfterTimeout = true }
            return
        }
        var json = operation.json
        json["completedOnUtc"] = .string(CodatDate.format(time))
        switch result {
        case .success(let changes):
            json["status"] = "Success"
            json["statusCode"] = 200
            json["changes"] = .array(changes.map(\.json))
        case .failed(let message, let errors):
            json["status"] = "Failed"
            json["statusCode"] = 400
            json["errorMessage"] = .string(message)
            json["validation"] = ["errors": .array(errors.map(\.json)), "warnings": []]
        }
        pushOperations[index].json = json
        writeOutcomes.append(WriteOutcome(operation: pushOperations[index], company: self, at: time))
    }

    func pushOperation(_ key: String) -> SandboxJSON? {
        pushIndex[key].map { pushOperations[$0].json }
    }
}

/// How timed-out writes still land (`SandboxConfiguration.timedOutWritesLandingShare`).
struct LandingRule: Sendable {
    var share: Double
    var delay: Duration
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
