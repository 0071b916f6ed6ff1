import ArgumentParser
import BillPay
import CodatSandbox
import CodatSyncPayables
import CodatSyncPayablesV1
import Foundation
import Logging

/// Runs the Bill Pay flow of Codat's guides, both solutions, printing each step.
///
/// Without `--server`: starts a sandbox in this process and runs everything against it (writes
/// included). With `--server`: reads from that server and prints the payments it would send,
/// unless `--commit` is given.
///
/// This file names the two client types only (no model), so it may import both modules.
@main
struct BillPayDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billpay-demo",
        abstract: "Runs Codat's Bill Pay flow (synchronous and asynchronous solutions), printing each step.",
        discussion: """
            With no arguments, an in-process sandbox is started and the whole flow runs against it. \
            With --server, the flow runs against that server (a sandbox started apart, or Codat's API): \
            it reads, and prints the payments and other changes it would send, unless --commit is given. \
            The API key is taken from --api-key or $CODAT_API_KEY and is never printed.
            """)

    @Option(help: "Base URL of the API (default: an in-process sandbox), e.g. https://api.codat.io")
    var server: String?

    @Option(help: "Codat API key (default: $CODAT_API_KEY); sent as 'Basic <base64 of the key>'.")
    var apiKey: String?

    @Option(help: "Company id (default: the first company).")
    var company: String?

    @Option(help: "Connection id (default: the company's first connection).")
    var connection: String?

    @Flag(help: "Send payments and other changes to --server (without it the demo only reads there).")
    var commit = false

    @Flag(help: "Log every HTTP request (never its credentials).")
    var verbose = false

    func validate() throws {
        if connection != nil, company == nil { throw ValidationError("--connection needs --company.") }
        if let server {
            guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()), url.host != nil else {
                throw ValidationError("--server must be an http(s) URL, e.g. https://api.codat.io")
            }
        } else if commit {
            throw ValidationError("--commit applies to --server (the in-process sandbox is always written to).")
        }
    }

    func run() async throws {
        let out = Output()
        var sandbox: CodatSandbox?
        do {
            let serverURL: URL
            let key: String
            let writes: Bool
            if let server {
                serverURL = URL(string: server)!
                guard let given = apiKey ?? ProcessInfo.processInfo.environment["CODAT_API_KEY"], !given.isEmpty else {
                    throw DemoError("an API key is needed for \(server): pass --api-key or set CODAT_API_KEY")
                }
                key = given
                writes = commit
                out.title("Bill Pay demo against \(serverURL.absoluteString) (\(writes ? "writes: --commit given" : "read-only: payments are printed, not sent"))")
            } else {
                // A key of this run only: the sandbox checks it like Codat would.
                key = "demo-" + UUID().uuidString.lowercased()
                let started = try await CodatSandbox.start(SandboxConfiguration(pushDelay: .milliseconds(300), apiKey: key,
                                                                                refreshDuration: .milliseconds(300)))
                sandbox = started
                serverURL = started.baseURL
                writes = true
                out.title("Bill Pay demo against the in-process sandbox at \(serverURL.absoluteString) (push operations stay Pending for 0.3 s, refreshes take 0.3 s)")
            }
            try await runFlows(serverURL: serverURL, key: key, writes: writes, sandbox: sandbox, out: out)
        } catch {
            if let sandbox { await sandbox.stop() }
            FileHandle.standardError.write(Data("billpay-demo: error: \(Self.explain(error))\n".utf8))
            throw ExitCode.failure
        }
        if let sandbox { await sandbox.stop() }
    }

    func runFlows(serverURL: URL, key: String, writes: Bool, sandbox: CodatSandbox?, out: Output) async throws {
        let authHeader = "Basic " + Data(key.utf8).base64EncodedString()
        var logger = Logger(label: "billpay-demo")
        logger.logLevel = verbose ? .debug : .error
        let options = ClientOptions(attemptTimeout: .seconds(30), logger: logger, requestLogLevel: .info)
        let syncClient = CodatSyncPayables.Client(serverURL: serverURL, authHeader: authHeader, transport: demoTransport(), options: options)
        let v1Client = CodatSyncPayablesV1.Client(serverURL: serverURL, authHeader: authHeader, transport: demoTransport(), options: options)

        let sync = try await SyncBillPay.connect(client: syncClient, companyId: company, connectionId: connection)
        out.line("company: \(sync.company)")
        let run = DemoRun(out: out, commit: writes, sandbox: sandbox)
        try await SyncFlow(billPay: sync, run: run).start()

        let async = try await AsyncBillPay.connect(client: v1Client, companyId: sync.company.companyId, connectionId: sync.company.connectionId,
                                                   polling: PushPolling(initialInterval: .milliseconds(100), maxInterval: .seconds(2)))
        var flow = AsyncFlow(billPay: async, run: run)
        try await flow.start()

        out.section("Done")
        out.line("\(run.syncPayments) synchronous and \(run.asyncPayments) asynchronous payments \(writes ? "sent, each recorded once" : "printed (read-only: none sent)")")
        out.line("Bill Pay demo finished")
    }

    /// The error as a person can act on it (a refused key is named as such).
    static func explain(_ error: any Error) -> String {
        if let error = error as? PayablesError<CodatSyncPayables.ErrorMessage> {
            return hint(status: error.status) + "\(error)"
        }
        if let error = error as? PayablesError<CodatSyncPayablesV1.ErrorMessage> {
            return hint(status: error.status) + "\(error)"
        }
        return "\(error)"
    }

    static func hint(status: Int?) -> String {
        switch status {
        case 401?: return "the server refused the API key (check --api-key or CODAT_API_KEY): "
        case 403?: return "the API key may not use this company or product: "
        case 404?: return "not found (check --company and --connection): "
        default: return ""
        }
    }
}

struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
