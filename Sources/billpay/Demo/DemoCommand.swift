import ArgumentParser
import BillPay
import CodatSandbox
import Foundation

/// `billpay demo`: the Bill Pay flow of Codat's guides, both solutions, printing each step.
///
/// Without `--server`: starts a sandbox in this process and runs everything against it (writes
/// included). With `--server`: reads from that server and prints the payments it would send,
/// unless `--commit` is given.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Runs Codat's Bill Pay flow (synchronous and asynchronous solutions), printing each step.",
        discussion: """
            With no arguments, an in-process sandbox is started and the whole flow runs against it. \
            With --server, the flow runs against that server (a sandbox started apart, or Codat's API): \
            it reads, and prints the payments and other changes it would send, unless --commit is given.
            """)

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let out = Output()
        do {
            let session = try await server.open(command: "demo")
            try await session.run { session in
                if session.sandbox != nil {
                    out.title("Bill Pay demo against the in-process sandbox at \(session.serverURL.absoluteString) (push operations stay Pending for 0.3 s, refreshes take 0.3 s)")
                } else {
                    out.title("Bill Pay demo against \(session.target)")
                }
                try await runFlows(session, out: out)
            }
        } catch {
            report(error, command: "demo")
            throw ExitCode.failure
        }
    }

    func runFlows(_ session: Session, out: Output) async throws {
        let sync = try await session.syncBillPay()
        out.line("company: \(sync.company)")
        let run = DemoRun(out: out, commit: session.writes, sandbox: session.sandbox)
        try await SyncFlow(billPay: sync, run: run).start()

        let async = try await AsyncBillPay.connect(client: session.v1Client(), companyId: sync.company.companyId, connectionId: sync.company.connectionId,
                                                   polling: PushPolling(initialInterval: .milliseconds(100), maxInterval: .seconds(2)))
        var flow = AsyncFlow(billPay: async, run: run)
        try await flow.start()

        out.section("Done")
        out.line("\(run.syncPayments) synchronous and \(run.asyncPayments) asynchronous payments \(session.writes ? "sent, each recorded once" : "printed (read-only: none sent)")")
        out.line("Bill Pay demo finished")
    }
}
