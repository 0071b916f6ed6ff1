import ArgumentParser
import CodatSandbox
import Foundation

/// Runs a Codat sandbox until interrupted. The first line of standard output is exactly
/// `listening on http://127.0.0.1:PORT`; then one line per request.
@main
struct CodatSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codat-sandbox",
        abstract: "An in-memory fake of the Codat Bill Pay endpoints (synchronous and v1 APIs).",
        discussion: """
            Behaves as CODAT-FACTS.md says Codat does: Idempotency-Key replays (90 minutes), v1 \
            reads from Codat's cache (updated by refreshes), rate limits, all on a sandbox clock.
            Control API (behind --api-key when given): GET /_sandbox (companies), \
            POST|GET|DELETE /_sandbox/faults, GET|DELETE /_sandbox/requests, GET|PUT /_sandbox/push-delay, \
            GET|POST /_sandbox/clock ({"advanceSeconds": 5400}), POST /_sandbox/companies/{companyId}/refresh, \
            POST /_sandbox/reset, GET /_sandbox/rate-limits (most requests in progress at once per company, 429s at the limit), GET /_sandbox/companies/{companyId}/{collection}.
            """)

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("push-delay-ms"), help: "How long v1 push operations stay Pending, in milliseconds.")
    var pushDelayMs: Int = 300

    @Option(name: .customLong("api-key"), help: "Accept only this key as Authorization (also as 'Basic <key>' or 'Basic <base64 of key>').")
    var apiKey: String?

    @Option(name: .customLong("extra-bills"), help: "Open bills to add to the Xero company, for paging and benchmarks.")
    var extraBills: Int = 0

    @Option(name: .customLong("refresh-duration-seconds"), help: "How long a refresh of Codat's cache takes (sandbox time).")
    var refreshDurationSeconds: Int = 30

    @Option(name: .customLong("scheduled-sync-seconds"), help: "Interval of the scheduled sync of every data type; 0 for none.")
    var scheduledSyncSeconds: Int = 86_400

    @Flag(name: .customLong("no-refresh-lag"), help: "v1 reads show the accounting software at once (not how Codat behaves).")
    var noRefreshLag = false

    @Option(name: .customLong("daily-quota"), help: "Requests per client per day; Codat's formula when not given.")
    var dailyQuota: Int?

    @Option(name: .customLong("write-processing-ms"), help: "Time every write spends being processed (lets duplicates overlap).")
    var writeProcessingMs: Int = 0

    @Option(name: .customLong("documents"), help: "The folder with the Codat documents requests are checked against (default: the package's specs/).")
    var documents: String?

    @Flag(name: .customLong("no-validation"), help: "Do not check requests against the Codat documents.")
    var noValidation = false

    @Flag(help: "Do not print a line per request.")
    var quiet = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard pushDelayMs >= 0 else { throw ValidationError("--push-delay-ms must not be negative.") }
        guard extraBills >= 0 else { throw ValidationError("--extra-bills must not be negative.") }
        guard refreshDurationSeconds >= 0 else { throw ValidationError("--refresh-duration-seconds must not be negative.") }
        guard scheduledSyncSeconds >= 0 else { throw ValidationError("--scheduled-sync-seconds must not be negative.") }
        guard (dailyQuota ?? 0) >= 0 else { throw ValidationError("--daily-quota must not be negative.") }
        guard writeProcessingMs >= 0 else { throw ValidationError("--write-processing-ms must not be negative.") }
    }

    func run() async throws {
        // Request lines wait until the "listening on" line is out, so that it stays first.
        let output = OrderedOutput()
        var configuration = SandboxConfiguration(
            host: host, port: port, pushDelay: .milliseconds(pushDelayMs), apiKey: apiKey, extraBills: extraBills,
            writeProcessingTime: .milliseconds(writeProcessingMs), refreshLag: !noRefreshLag,
            refreshDuration: .seconds(refreshDurationSeconds),
            scheduledSyncInterval: scheduledSyncSeconds > 0 ? .seconds(scheduledSyncSeconds) : nil, dailyRequestQuota: dailyQuota)
        configuration.validatesRequests = !noValidation
        if let documents { configuration.documentsDirectory = URL(fileURLWithPath: documents, isDirectory: true) }
        if !quiet {
            configuration.requestLog = { line in output.write(line) }
        }
        let sandbox = try await CodatSandbox.start(configuration)
        output.open(first: "listening on \(sandbox.baseURL.absoluteString)")
        await Self.waitForTermination()
        await sandbox.stop()
    }

    /// Returns on SIGINT or SIGTERM.
    private static func waitForTermination() async {
        let (signals, continuation) = AsyncStream<Void>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            sources.append(source)
        }
        for await _ in signals { break }
        sources.forEach { $0.cancel() }
    }
}

/// Standard output, one line at a time, flushed at once; lines written before `open` wait.
final class OrderedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [String] = []
    private var isOpen = false

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        if isOpen { emit(line) } else { pending.append(line) }
    }

    func open(first line: String) {
        lock.lock()
        defer { lock.unlock() }
        emit(line)
        pending.forEach(emit)
        pending.removeAll()
        isOpen = true
    }

    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
