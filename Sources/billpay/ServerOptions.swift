import ArgumentParser
import BillPay
import CodatSandbox
import CodatSyncPayables
import CodatSyncPayablesV1
import Foundation
import Logging

/// Where the commands talk to: a sandbox started in this process (default) or `--server`,
/// which is only read from unless `--commit` is given. Shared by every command that calls Codat.
struct ServerOptions: ParsableArguments {
    @Option(help: "Base URL of the API (default: an in-process sandbox), e.g. https://api.codat.io")
    var server: String?

    @Option(help: "Codat API key (default: $CODAT_API_KEY); sent as 'Basic <base64 of the key>'.")
    var apiKey: String?

    @Option(help: "Company id (default: the first company).")
    var company: String?

    @Option(help: "Connection id (default: the company's first connection).")
    var connection: String?

    @Flag(help: "Send payments and other changes to --server (without it only reads happen there).")
    var commit = false

    @Flag(help: "Log every HTTP request (never its credentials).")
    var verbose = false

    @Option(name: .customLong("sandbox-bills"),
            help: "In-process sandbox only: open bills added to its first company (gen-bill-00001 ...), for plans to pay.")
    var sandboxBills = 0

    func validate() throws {
        if connection != nil, company == nil { throw ValidationError("--connection needs --company.") }
        if let server {
            guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()), url.host != nil else {
                throw ValidationError("--server must be an http(s) URL, e.g. https://api.codat.io")
            }
            if sandboxBills != 0 { throw ValidationError("--sandbox-bills applies to the in-process sandbox (no --server).") }
        } else if commit {
            throw ValidationError("--commit applies to --server (the in-process sandbox is always written to).")
        }
        guard sandboxBills >= 0 else { throw ValidationError("--sandbox-bills must not be negative.") }
    }

    /// Connects: starts the in-process sandbox when there is no `--server`. Stop the session when done.
    func open(command: String) async throws -> Session {
        if let server {
            guard let key = apiKey ?? ProcessInfo.processInfo.environment["CODAT_API_KEY"], !key.isEmpty else {
                throw CommandError("an API key is needed for \(server): pass --api-key or set CODAT_API_KEY")
            }
            return Session(options: self, command: command, serverURL: URL(string: server)!, key: key, writes: commit, sandbox: nil)
        }
        // A key of this run only: the sandbox checks it like Codat would.
        let key = "demo-" + UUID().uuidString.lowercased()
        let sandbox = try await CodatSandbox.start(SandboxConfiguration(pushDelay: .milliseconds(300), apiKey: key, extraBills: sandboxBills,
                                                                        refreshDuration: .milliseconds(300)))
        return Session(options: self, command: command, serverURL: sandbox.baseURL, key: key, writes: true, sandbox: sandbox)
    }
}

/// An open connection to Codat (or a sandbox): both clients, whether writes are allowed.
struct Session: Sendable {
    let options: ServerOptions
    let command: String
    let serverURL: URL
    /// Never printed.
    let key: String
    /// Whether payments are sent (in-process sandbox, or `--commit`).
    let writes: Bool
    /// The in-process sandbox, when there is no `--server`.
    let sandbox: CodatSandbox?

    var authHeader: String { "Basic " + Data(key.utf8).base64EncodedString() }

    var clientOptions: ClientOptions {
        var logger = Logger(label: "billpay")
        logger.logLevel = options.verbose ? .debug : .error
        return ClientOptions(attemptTimeout: .seconds(30), logger: logger, requestLogLevel: .info)
    }

    /// Every request passes `limiter` (at most 10 in progress per company, `Retry-After` kept,
    /// spaced out when the quota runs low), which `PaymentRun` checks.
    func syncClient(limiter: CompanyRequestLimiter = .shared) -> CodatSyncPayables.Client {
        CodatSyncPayables.Client(serverURL: serverURL, authHeader: authHeader, transport: billPayTransport(),
                                 middlewares: [limiter], options: clientOptions)
    }

    func v1Client(limiter: CompanyRequestLimiter = .shared) -> CodatSyncPayablesV1.Client {
        CodatSyncPayablesV1.Client(serverURL: serverURL, authHeader: authHeader, transport: billPayTransport(),
                                   middlewares: [limiter], options: clientOptions)
    }

    /// The synchronous layer on the chosen company and connection.
    func syncBillPay(journal: PaymentJournal = .shared) async throws -> SyncBillPay {
        try await SyncBillPay.connect(client: syncClient(), companyId: options.company, connectionId: options.connection, journal: journal)
    }

    /// Where the session talks to, for a title line.
    var target: String {
        sandbox == nil ? "\(serverURL.absoluteString) (\(writes ? "writes: --commit given" : "read-only: payments are printed, not sent"))"
            : "the in-process sandbox at \(serverURL.absoluteString)"
    }

    func stop() async {
        if let sandbox { await sandbox.stop() }
    }

    /// Runs `body` and stops the session afterwards, whatever happens.
    func run<T>(_ body: (Session) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}

/// A failure a person can act on, printed as `billpay <command>: error: <what>`.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Prints an error to standard error, with a hint when the server refused the key or the company.
func report(_ error: any Error, command: String) {
    FileHandle.standardError.write(Data("billpay \(command): error: \(explain(error))\n".utf8))
}

/// The error as a person can act on it (a refused key is named as such).
func explain(_ error: any Error) -> String {
    if let error = error as? PayablesError<CodatSyncPayables.ErrorMessage> {
        return hint(status: error.status) + "\(error)"
    }
    if let error = error as? PayablesError<CodatSyncPayablesV1.ErrorMessage> {
        return hint(status: error.status) + "\(error)"
    }
    return "\(error)"
}

private func hint(status: Int?) -> String {
    switch status {
    case 401?: return "the server refused the API key (check --api-key or CODAT_API_KEY): "
    case 403?: return "the API key may not use this company or product: "
    case 404?: return "not found (check --company and --connection): "
    default: return ""
    }
}
