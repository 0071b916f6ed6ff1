import ArgumentParser
import BillPay
import Foundation

/// `billpay run PLAN`: pays a plan file's intents once each, through a durable journal.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Pays the intents of a plan file (CSV or JSON, one intent a row), each exactly once, through a journal.",
        discussion: """
            Every row is checked first (file:line:column for each problem), then every intent against the \
            bills and accounts as Codat lists them; a refused plan sends nothing. The run is written to the \
            journal before anything is sent; killed at any moment, `billpay resume` (or the same `billpay run`) \
            finishes it without paying anything twice. Several workers share a run through a PostgreSQL journal: \
            start `billpay run` with the same plan and --journal postgres://... on each.

            Plan columns: intent, bill, amount (empty: the amount due), account, date (yyyy-MM-dd); optional \
            reference, api (sync or v1), creditNote, batch. JSON: an array of objects with those names.

            Exit status: \(RunExitStatus.summary).
            """)

    @Argument(help: "The plan file: .csv, .json (an array of intents) or .jsonl (one intent a line).")
    var plan: String

    @Option(name: .customLong("run-id"), help: "The run's id in the journal (one journal may hold several runs).")
    var runId: String = RunIds.defaultId

    @OptionGroup var server: ServerOptions
    @OptionGroup var journal: JournalOptions
    @OptionGroup var workers: WorkerOptions
    @OptionGroup var display: DisplayOptions

    func run() async throws {
        let id = runId
        let driver = RunDriver(command: "run", server: server, journalOptions: journal, display: display, workers: workers)
        try await RunIds.exit(command: "run") {
            let plan = try Plan.read(path: self.plan)
            return try await driver.pay(runId: id, plan: plan)
        }
    }
}

/// `billpay resume`: finishes a run from its journal (after a crash, or to look again at unknown outcomes).
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Finishes a run from its journal: intents in flight or unknown are looked into (never resent blind), the rest paid.",
        discussion: "Exit status: \(RunExitStatus.summary).")

    @Option(name: .customLong("run-id"), help: "The run to resume (default: the journal's only run).")
    var runId: String?

    @OptionGroup var server: ServerOptions
    @OptionGroup var journal: JournalOptions
    @OptionGroup var workers: WorkerOptions
    @OptionGroup var display: DisplayOptions

    func run() async throws {
        let driver = RunDriver(command: "resume", server: server, journalOptions: journal, display: display, workers: workers)
        try await RunIds.exit(command: "resume") {
            if !server.commit, server.server != nil {
                throw CommandError("resume sends payments: pass --commit (against --server nothing is sent without it)")
            }
            return try await driver.resume(runId: runId)
        }
    }
}

/// `billpay status`: where a run's intents stand, from the journal alone (no server).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Shows where a run's intents stand in the journal (reads nothing from Codat).",
        discussion: "Exit status as run's: 0 every intent recorded, 2 settled with some refused, 3 some not settled (resume); 64 without --run-id on a journal of several runs (they are listed).")

    @Option(name: .customLong("run-id"), help: "The run (default: the journal's only run).")
    var runId: String?

    @Flag(help: "List every intent, not only those that need attention.")
    var all = false

    @OptionGroup var journal: JournalOptions
    @OptionGroup var display: DisplayOptions

    func run() async throws {
        try await RunIds.exit(command: "status") {
            let opened = try await OpenJournal.open(journal)
            defer { opened.close() }
            let id = try await RunIds.choose(runId, in: opened.journal, named: journal.redactedJournal)
            guard let record = try await opened.journal.run(id) else { throw CommandError("run '\(id)' is not in the journal \(journal.redactedJournal)") }
            let entries = try await opened.journal.entries(runId: id)
            let totals = PaymentRunTotals(entries)
            let mode: RunDisplay.Mode = display.json ? .json : .plain
            let output = RunDisplay(mode: mode, total: entries.count)
            output.preload(entries.filter { !all && $0.state.isFinal && $0.state != .refused }.map(RunDriver.update))
            output.start(title: "run \(id) (\(record.api) company \(record.companyId), planned \(record.createdAt)): journal \(journal.redactedJournal)",
                         fields: ["run": id, "api": record.api.rawValue, "company": record.companyId])
            for entry in entries where all || !entry.state.isFinal || entry.state == .refused {
                output.update(RunDriver.update(entry))
            }
            output.finish(extra: ["journal": "\(totals.paid) paid (\(totals.resolved) of them resolved after a crash), \(totals.refused) refused, \(totals.unknown) unknown, "
                                  + "\(totals.sending + totals.sent) in flight, \(totals.planned) not sent", "resolved": totals.resolved])
            if !totals.isSettled { return .unsettled }
            return totals.refused > 0 ? .someRefused : .allRecorded
        }
    }
}

/// `billpay pay`: one bill, as a run of one intent (the same journal, guarantee and exit status).
struct PayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract: "Pays one bill (in full or in part) exactly once, through the journal.",
        discussion: """
            The intent id defaults to one made of the bill, amount, account and date: the same command \
            given twice pays once. Give --intent to make two equal payments (two instalments). \
            Exit status: \(RunExitStatus.summary).
            """)

    @Option(help: "The bill to pay.")
    var bill: String

    @Option(help: "How much (default: the bill's amount due).")
    var amount: String?

    @Option(help: "The payment account id (a payment mapping option; v1: a bank account).")
    var account: String

    @Option(help: "The payment date, yyyy-MM-dd (default: today).")
    var date: String?

    @Option(help: "The payment's reference.")
    var reference: String?

    @Option(help: "The intent id (default: made of bill, amount, account and date).")
    var intent: String?

    @Option(help: "sync (default) or v1.")
    var api: String = "sync"

    @OptionGroup var server: ServerOptions
    @OptionGroup var journal: JournalOptions
    @OptionGroup var display: DisplayOptions

    func run() async throws {
        let day = date ?? billpay_cli.day()
        let intentId = intent ?? "pay-\(bill)-\(amount ?? "due")-\(account)-\(day)".map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" }
            .reduce(into: "") { $0.append($1) }.suffix(100).description
        // One row of a plan, checked as a plan file's rows are.
        let row: [String: String] = ["intent": intentId, "bill": bill, "amount": amount ?? "", "account": account, "date": day,
                                     "reference": reference ?? "", "api": api]
        let columns = ["intent", "bill", "amount", "account", "date", "reference", "api"]
        let text = columns.joined(separator: ",") + "\n" + columns.map { BillsCommand.csvField(row[$0] ?? "") }.joined(separator: ",") + "\n"
        let driver = RunDriver(command: "pay", server: server, journalOptions: journal, display: display,
                               workers: try WorkerOptions.parse(["--concurrency", "1"]))
        try await RunIds.exit(command: "pay") {
            let plan = try Plan.parse(text, path: "billpay pay", csv: true)
            return try await driver.pay(runId: "pay-\(intentId)", plan: plan)
        }
    }
}

enum RunIds {
    /// The run id `run` plans under unless given: a journal per plan needs none.
    static let defaultId = "default"

    /// The run `status` and `resume` work on: the one given, else the journal's only run.
    /// - Throws: `AmbiguousRunError` (exit 64) listing the runs when the journal holds several;
    ///   `CommandError` when it holds none.
    static func choose(_ given: String?, in journal: any PaymentRunJournal, named name: String) async throws -> String {
        if let given { return given }
        let runs = try await journal.runs()
        switch runs.count {
        case 0: throw CommandError("the journal \(name) holds no run (billpay run PLAN --journal \(name) plans one)")
        case 1: return runs[0].runId
        default: throw AmbiguousRunError(journal: name, runs: runs)
        }
    }

    /// Runs a command's body and exits with its status; errors are printed and mapped to theirs.
    static func exit(command: String, _ body: () async throws -> RunExitStatus) async throws {
        let status: RunExitStatus
        do {
            status = try await body()
        } catch let error as PlanFileError {
            FileHandle.standardError.write(Data("billpay \(command): \(error)\n".utf8))
            throw RunExitStatus.badPlan.exitCode
        } catch let error as AmbiguousRunError {
            report(error, command: command)
            throw ExitCode(RunExitStatus.usage)
        } catch let error as ExitCode {
            throw error
        } catch {
            report(error, command: command)
            throw RunExitStatus.error.exitCode
        }
        if status != .allRecorded { throw status.exitCode }
    }
}

/// `status` or `resume` without `--run-id` on a journal of several runs: which one is meant
/// cannot be guessed (a usage error, exit 64). Lists each run to choose from.
struct AmbiguousRunError: Error, CustomStringConvertible {
    let journal: String
    let runs: [PaymentRunRecord]

    var description: String {
        let day = ISO8601DateFormatter()
        return "the journal \(journal) holds \(runs.count) runs; choose one with --run-id:\n"
            + runs.map { "  \($0.runId)  (\($0.api.rawValue), company \($0.companyId), \($0.intentCount) intents, planned \(day.string(from: $0.createdAt)))" }
                .joined(separator: "\n")
    }
}
