import ArgumentParser
import BillPay
import Foundation

/// Where a run's intents are kept between processes, and how the run shows itself.
struct JournalOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The journal: a SQLite file (created if missing), or a PostgreSQL URL shared by several workers.",
        discussion: "postgres://user:password@host:5432/database (the password may instead come from $PGPASSWORD).",
        valueName: "path-or-url"))
    var journal: String = "billpay-journal.sqlite"

    var isPostgres: Bool { journal.hasPrefix("postgres://") || journal.hasPrefix("postgresql://") }

    func validate() throws {
        if isPostgres {
            guard let url = URLComponents(string: journal), url.host?.isEmpty == false else {
                throw ValidationError("--journal '\(redactedJournal)' is not a PostgreSQL URL (postgres://user@host:5432/database).")
            }
        } else if journal.isEmpty {
            throw ValidationError("--journal must name a file or a PostgreSQL URL.")
        }
    }

    /// The journal for messages: a URL's password replaced.
    var redactedJournal: String {
        guard isPostgres, var url = URLComponents(string: journal), url.password != nil else { return journal }
        url.password = "***"
        return url.string ?? "postgres://***"
    }
}

struct DisplayOptions: ParsableArguments {
    @Flag(help: "One JSON object a line (each event, then a summary), for machines.")
    var json = false

    @Flag(help: "Plain lines even on a terminal (no progress bar).")
    var plain = false

    func validate() throws {
        if json, plain { throw ValidationError("--json and --plain: choose one.") }
    }

    var mode: RunDisplay.Mode { RunDisplay.mode(json: json, plain: plain) }
}

/// How many payments at once, and who works (several workers share a PostgreSQL journal).
struct WorkerOptions: ParsableArguments {
    @Option(help: "Payments in progress at once per company (at most 10: Codat's limit of concurrent requests).")
    var concurrency: Int = 10

    @Option(name: .customLong("company-requests"),
            help: "Requests in progress at once per company from this process (Codat allows 10 in all: workers sharing a company split them).")
    var companyRequests: Int = 10

    @Option(help: "This worker's name in the journal (default: host and process id).")
    var worker: String?

    @Option(name: .customLong("lease-seconds"),
            help: "How long a claim lasts without renewal before another worker may take it over (PostgreSQL journal).")
    var leaseSeconds: Int = 30

    func validate() throws {
        guard (1...10).contains(concurrency) else {
            throw ValidationError("--concurrency must be from 1 to 10 (Codat allows 10 concurrent requests per company); got \(concurrency).")
        }
        guard (1...10).contains(companyRequests) else {
            throw ValidationError("--company-requests must be from 1 to 10 (Codat allows 10 concurrent requests per company); got \(companyRequests).")
        }
        guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be at least 1.") }
    }

    /// The process's limiter: the shared one at Codat's 10, else one of its own.
    var limiter: CompanyRequestLimiter {
        companyRequests == 10 ? .shared : CompanyRequestLimiter(maxConcurrentPerCompany: companyRequests)
    }

    var workerName: String {
        worker ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }
}
