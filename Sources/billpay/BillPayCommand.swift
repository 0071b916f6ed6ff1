import ArgumentParser

/// `billpay`: Bill Pay from the command line. Each subcommand (or group of them) lives in its own
/// file and is listed here once; a new group (`billpay webhooks ...`) adds one line below.
@main
struct BillPayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billpay",
        abstract: "Pays bills through Codat's Bill Pay APIs: one bill, or a run of them from a plan file, exactly once each.",
        discussion: """
            Every command works against a sandbox started in this process unless --server is given; \
            against --server it only reads (and prints what it would send) unless --commit is given. \
            The API key is taken from --api-key or $CODAT_API_KEY and is never printed.

            Exit status of run, resume and pay (\(RunExitStatus.summary)).
            """,
        subcommands: [
            DemoCommand.self,
            BillsCommand.self,
            PayCommand.self,
            RunCommand.self,
            StatusCommand.self,
            ResumeCommand.self,
            WebhooksCommand.self,
        ])
}
