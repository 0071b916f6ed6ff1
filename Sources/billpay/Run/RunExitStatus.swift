import ArgumentParser

/// What `billpay run`, `resume` and `pay` exit with: whether every intent is settled.
enum RunExitStatus: Int32, CaseIterable {
    /// Every intent is recorded (paid once).
    case allRecorded = 0
    /// Something stopped the command before or outside the intents (the server, the API key, the
    /// journal); the message on standard error says what. Intents already sent stay in the journal.
    case error = 1
    /// Every intent is settled, but some were refused (not recorded: Codat's or the validator's
    /// reasons are printed). Nothing more will happen to them; a new intent id pays again.
    case someRefused = 2
    /// Some intents are not settled: their outcome is unknown, or they were not sent yet (a
    /// read-only run, another worker holds them). `billpay resume` with the same journal finishes them.
    case unsettled = 3
    /// The plan file has problems (each printed as file:line:column); nothing was sent.
    case badPlan = 65

    /// ArgumentParser's own: the command line could not be parsed. Also `status`/`resume`
    /// without `--run-id` on a journal of several runs (`AmbiguousRunError`).
    static let usage: Int32 = 64

    var exitCode: ExitCode { ExitCode(rawValue) }

    /// One line per code, for help and README.
    static var summary: String {
        "0 every intent recorded; 1 error outside the intents (server, key, journal); 2 every intent settled, some refused; "
            + "3 some intents unknown or not sent yet: resume; 64 bad command line (or --run-id needed: the journal holds several runs); "
            + "65 bad plan file, nothing sent"
    }
}
