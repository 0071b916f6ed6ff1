import ArgumentParser
import BillPay
import Foundation

/// What `run`, `resume` and `pay` share: opening the journal and the session, planning, and
/// showing `PaymentRun`'s events until the end, then the exit status.
struct RunDriver {
    let command: String
    let server: ServerOptions
    let journalOptions: JournalOptions
    let display: DisplayOptions
    let workers: WorkerOptions

    /// Plans `plan` as run `runId` (nil: resume the journal's run `runId`) and pays them.
    /// Returns the exit status; throws only what stops the command before the run.
    func pay(runId: String, plan: Plan?) async throws -> RunExitStatus {
        let session = try await server.open(command: command)
        return try await session.run { session in
            if let plan, !session.writes {
                return try await dryRun(plan, runId: runId, session: session)
            }
            let opened = try await OpenJournal.open(journalOptions)
            defer { opened.close() }
            return try await pay(runId: runId, plan: plan, session: session, journal: opened.journal)
        }
    }

    /// Resumes run `runId` of the journal (nil: its only run; several: `AmbiguousRunError`).
    func resume(runId: String?) async throws -> RunExitStatus {
        let session = try await server.open(command: command)
        return try await session.run { session in
            let opened = try await OpenJournal.open(journalOptions)
            defer { opened.close() }
            let id = try await RunIds.choose(runId, in: opened.journal, named: journalOptions.redactedJournal)
            return try await pay(runId: id, plan: nil, session: session, journal: opened.journal)
        }
    }

    private func pay(runId: String, plan: Plan?, session: Session, journal: any PaymentRunJournal) async throws -> RunExitStatus {
        let existing = try await journal.run(runId)
        if plan == nil, existing == nil {
            throw CommandError("run '\(runId)' is not in the journal \(journalOptions.redactedJournal) (billpay status --journal ... lists nothing for it)")
        }
        let api: PlanIntent.API = plan?.intents.first?.api ?? (existing?.api == .v1 ? .v1 : .sync)
        let run = try await paymentRun(runId: runId, api: api, companyId: existing?.companyId ?? server.company,
                                       connectionId: existing?.connectionId ?? server.connection, session: session, journal: journal)
        if let plan {
            do {
                try await run.plan(plan.intents.map(\.runIntent))
            } catch let refused as PaymentPlanRefusedError {
                throw PlanFileError(problems: refused.refusals.map { refusal in
                    let line = refusal.position.flatMap { plan.intents.indices.contains($0) ? plan.intents[$0].line : nil }
                    let name = refusal.intentId.map { "intent \($0): " } ?? ""
                    return .init(path: plan.path, line: line, column: nil, message: name + refusal.reasons.joined(separator: "; "))
                })
            }
        }
        let before = try await run.status()
        let output = RunDisplay(mode: display.mode, total: before.entries.count)
        output.preload(before.entries.filter { $0.state.isFinal }.map(Self.update))
        output.start(title: "billpay \(command) \(runId): \(before.entries.count) intents, \(session.company(run.company)), journal \(journalOptions.redactedJournal), worker \(workers.workerName)",
                     fields: ["run": runId, "worker": workers.workerName, "company": run.company.companyId])
        var totals: PaymentRunTotals?
        do {
            for try await event in run.start() {
                switch event {
                case let .planned(intents, toDo, inFlight):
                    output.note("\(intents) intents, \(toDo) to do, \(inFlight) in flight or unknown in the journal (looked into before anything is sent)")
                case let .sending(id):
                    output.update(IntentUpdate(intentId: id.rawValue, state: .sending, billIds: bills(id, before), amount: amount(id, before), worker: workers.worker))
                case let .recorded(id, recordId):
                    output.update(IntentUpdate(intentId: id.rawValue, state: .recorded, billIds: bills(id, before), amount: amount(id, before), recordId: recordId,
                                               worker: workers.worker))
                case let .resolved(id, recordId):
                    output.update(IntentUpdate(intentId: id.rawValue, state: .recorded, billIds: bills(id, before), amount: amount(id, before), recordId: recordId,
                                               detail: "found recorded (resumed, not sent again)", worker: workers.worker, resumed: true))
                case let .refused(id, refusal):
                    output.update(IntentUpdate(intentId: id.rawValue, state: .refused, billIds: bills(id, before), amount: amount(id, before),
                                               detail: Self.oneLine(refusal.description), worker: workers.worker))
                case let .unknown(id, _, reason):
                    output.update(IntentUpdate(intentId: id.rawValue, state: .unknown, billIds: bills(id, before), amount: amount(id, before),
                                               detail: Self.oneLine(reason), worker: workers.worker))
                case let .notRecorded(id, reason):
                    output.update(IntentUpdate(intentId: id.rawValue, state: .notSent, billIds: bills(id, before), amount: amount(id, before),
                                               detail: Self.oneLine(reason), worker: workers.worker))
                case let .deferredForRateLimit(id, retryAfter, _):
                    output.update(IntentUpdate(intentId: id.rawValue, state: .notSent, billIds: bills(id, before), amount: amount(id, before),
                                               detail: "Codat answered 429 before anything was written: sending again in \(retryAfter)", worker: workers.worker))
                case let .rateLimited(notice):
                    output.rateLimited(notice.description)
                case let .finished(finished):
                    totals = finished
                }
            }
        } catch {
            output.finish()
            throw error
        }
        let counts = output.finish(extra: totals.map { totals -> [String: Any] in
            ["journal": "\(totals.paid) paid, \(totals.refused) refused, \(totals.unknown) unknown, \(totals.planned + totals.sending + totals.sent) not settled of \(totals.intents)",
             "resumedInFlight": totals.resumedInFlight, "workedOn": totals.workedOn]
        } ?? [:])
        guard let totals else { return RunDisplay.exitStatus(counts, total: before.entries.count) }
        // The journal decides (other workers' intents included).
        if !totals.isSettled { return .unsettled }
        return totals.refused > 0 ? .someRefused : .allRecorded
    }

    /// `--server` without `--commit`: the plan checked against the server in a journal in memory,
    /// and printed; nothing sent, nothing written.
    private func dryRun(_ plan: Plan, runId: String, session: Session) async throws -> RunExitStatus {
        let run = try await paymentRun(runId: runId, api: plan.intents.first?.api ?? .sync, companyId: server.company,
                                       connectionId: server.connection, session: session, journal: InMemoryPaymentRunJournal())
        do {
            try await run.plan(plan.intents.map(\.runIntent))
        } catch let refused as PaymentPlanRefusedError {
            throw PlanFileError(problems: refused.refusals.map { refusal in
                .init(path: plan.path, line: refusal.position.map { plan.intents[$0].line }, column: nil,
                      message: (refusal.intentId.map { "intent \($0): " } ?? "") + refusal.reasons.joined(separator: "; "))
            })
        }
        let status = try await run.status()
        let output = RunDisplay(mode: display.mode == .bar ? .plain : display.mode, total: status.entries.count)
        output.start(title: "billpay \(command) \(runId) against \(session.target): the plan is valid; nothing sent (pass --commit to pay)",
                     fields: ["run": runId, "readOnly": "true"])
        for entry in status.entries {
            output.update(IntentUpdate(intentId: entry.intentId.rawValue, state: .notSent, billIds: entry.payment.billIds, amount: entry.payment.amount,
                                       detail: "would pay (read-only)"))
        }
        output.finish()
        return .unsettled
    }

    /// A run of the API through the session's clients (which pass `CompanyRequestLimiter.shared`).
    private func paymentRun(runId: String, api: PlanIntent.API, companyId: String?, connectionId: String?, session: Session,
                            journal: any PaymentRunJournal) async throws -> PaymentRun {
        let options = PaymentRunOptions(maxConcurrentIntents: workers.concurrency, worker: workers.workerName, lease: .seconds(workers.leaseSeconds))
        let limiter = workers.limiter
        switch api {
        case .sync:
            let billPay = try await SyncBillPay.connect(client: session.syncClient(limiter: limiter), companyId: companyId, connectionId: connectionId)
            return PaymentRun(id: runId, billPay: billPay, journal: journal, limiter: limiter, options: options)
        case .v1:
            let billPay = try await AsyncBillPay.connect(client: session.v1Client(limiter: limiter), companyId: companyId, connectionId: connectionId,
                                                         polling: PushPolling(initialInterval: .milliseconds(200), maxInterval: .seconds(5)))
            return PaymentRun(id: runId, billPay: billPay, journal: journal, limiter: limiter, options: options)
        }
    }

    private func bills(_ id: PaymentIntentID, _ status: PaymentRunStatus) -> [String] {
        status.entries.first { $0.intentId == id }?.payment.billIds ?? []
    }

    private func amount(_ id: PaymentIntentID, _ status: PaymentRunStatus) -> Decimal? {
        status.entries.first { $0.intentId == id }?.payment.amount
    }

    static func update(_ entry: PaymentRunEntry) -> IntentUpdate {
        let state: IntentUpdate.State
        switch entry.state {
        case .recorded, .resolved: state = .recorded
        case .refused: state = .refused
        case .unknown: state = .unknown
        case .sending, .sent: state = .sending
        case .planned: state = .notSent
        }
        return IntentUpdate(intentId: entry.intentId.rawValue, state: state, billIds: entry.payment.billIds, amount: entry.payment.amount,
                            recordId: entry.recordId, detail: entry.refusal.map { oneLine($0.description) } ?? entry.note.map(oneLine),
                            worker: entry.worker)
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}

extension Session {
    func company(_ company: CompanyConnection) -> String {
        "company \(company.companyName ?? company.companyId) (\(company.integration)) at \(target)"
    }
}
