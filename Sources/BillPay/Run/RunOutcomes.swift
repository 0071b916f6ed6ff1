import Foundation

// How the Bill Pay layer's answers and errors map to a run intent's state. Shared by both APIs:
// the error types here are the layer's own; a client error is read through `PayablesFailure`.

extension RunIntentOutcome {
    /// A delivery that returned: recorded by its own answer, or resolved when it needed looking
    /// into (it was in flight at the start, an answer was lost, or it was found recorded).
    static func paid(recordId: String?, report: DeliveryReport?, wasInFlight: Bool) -> RunIntentOutcome {
        let lookedInto = wasInFlight || (report.map { $0.ambiguousSends > 0 || $0.resolvedByReconciliation > 0 || $0.alreadyRecorded } ?? true)
        return RunIntentOutcome(state: lookedInto ? .resolved : .recorded, recordId: recordId,
                                note: report.map { "\($0)" })
    }

    /// A delivery that threw.
    static func failed(_ error: any Error) -> RunIntentOutcome {
        switch error {
        case let unknown as PaymentOutcomeUnknownError:
            return RunIntentOutcome(state: .unknown, note: unknown.reason, resume: unknown.resume)
        case let notRecorded as PaymentNotRecordedError:
            if let refusal = PaymentRefusal(codatError: notRecorded.underlying) {
                return RunIntentOutcome(state: .refused, refusal: refusal, note: "\(notRecorded)")
            }
            return RunIntentOutcome(state: .planned, note: "\(notRecorded)", tooManyRequests: tooManyRequests(notRecorded.underlying))
        case let intent as PaymentIntentError:
            if case .billHasUnresolvedIntent = intent { return RunIntentOutcome(state: .planned, note: intent.description) }
            return RunIntentOutcome(state: .refused, refusal: PaymentRefusal(source: .validation, message: intent.description))
        case let validation as PaymentValidationError:
            return RunIntentOutcome(state: .refused, refusal: PaymentRefusal(
                source: .validation, message: "the payment breaks \(validation.violations.count) rule(s)",
                errors: validation.violations.map { PaymentRefusal.Item(message: $0.message, validatorName: $0.rule.rawValue) }))
        case let failed as PushOperationFailedError:
            return RunIntentOutcome(state: .refused, refusal: PaymentRefusal(
                source: .codat, message: "push operation \(failed.pushOperationKey) \(failed.status.rawValue)" + (failed.errorMessage.map { ": \($0)" } ?? ""),
                errors: failed.validationErrors.map { PaymentRefusal.Item(itemId: $0.itemId, message: $0.message ?? "", validatorName: $0.validatorName) }))
        default:
            if let refusal = PaymentRefusal(codatError: error) {
                return RunIntentOutcome(state: .refused, refusal: refusal, note: "\(error)")
            }
            // Anything else (a read that failed, the task cancelled): the delivery entry tells.
            return RunIntentOutcome(state: .planned, note: "\(error)", lookAtDelivery: true, tooManyRequests: tooManyRequests(error))
        }
    }

    /// Codat's 429 in a client error, with the wait it asked for (its `Retry-After`, else 1 s).
    /// A 429 means Codat acted on nothing and released the request's `Idempotency-Key`
    /// (CODAT-FACTS §1, §3): the run may take the intent up again once the wait is over.
    static func tooManyRequests(_ error: any Error) -> Duration? {
        guard let failure = error as? any PayablesFailure, !failure.outcomeUnknown, failure.status == 429 else { return nil }
        return failure.retryAfter ?? .seconds(1)
    }
}

extension PaymentRefusal {
    /// Codat's refusal in a client error: a final 4XX (not 408, 409 or 429: those say nothing was
    /// decided), with the `validation.errors` of its `ErrorMessage` (CODAT-FACTS §5).
    init?(codatError error: any Error) {
        guard let failure = error as? any PayablesFailure, !failure.outcomeUnknown, let status = failure.status,
              (400..<500).contains(status), ![408, 409, 429].contains(status) else { return nil }
        var message = "Codat answered \(status)"
        var items: [Item] = []
        if let object = (try? JSONSerialization.jsonObject(with: failure.body)) as? [String: Any] {
            if let text = object["error"] as? String ?? object["message"] as? String { message += ": \(text)" }
            let validation = object["validation"] as? [String: Any]
            for item in validation?["errors"] as? [[String: Any]] ?? [] {
                items.append(Item(itemId: item["itemId"] as? String, message: item["message"] as? String ?? "",
                                  validatorName: item["validatorName"] as? String))
            }
        }
        self.init(source: .codat, message: message, status: status, errors: items)
    }
}
