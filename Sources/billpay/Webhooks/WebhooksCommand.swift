import ArgumentParser
import CodatWebhooks
import CodatWebhooksHummingbird
import Foundation

/// `billpay webhooks ...`: Codat's webhooks on this machine.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Codat's webhooks: receive and check them locally.",
        subcommands: [WebhooksListenCommand.self])
}

/// `billpay webhooks listen --port P --secret whsec_...`: a webhook endpoint for development, like
/// `stripe listen`. Each verified event goes to standard output as one JSON line; every other
/// delivery's outcome (401 bad signature or headers, 400 undecodable, duplicates) to standard
/// error as one text line. Stops on Ctrl-C (SIGINT), SIGTERM, or after --count events.
struct WebhooksListenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Serves a webhook endpoint; prints each verified event as a JSON line, answers 401/400 to bad ones.",
        discussion: """
            Register http://HOST:PORT/PATH as the consumer's URL (with the sandbox: its control API). \
            A line on standard output is {"webhookId", "timestamp", "eventType", "event"}, where \
            "event" is the message body exactly as signed, without insignificant whitespace. \
            Standard error gets the listening URL first, then one line per delivery not printed \
            as an event (status and reason).
            """)

    @Option(help: "Port to listen on (0: any free one; the URL is printed on standard error).")
    var port: Int

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Path of the endpoint.")
    var path = "/webhooks/codat"

    @Option(help: "The consumer's signing secret, whsec_<base64> (default: $CODAT_WEBHOOK_SECRET). Never printed.")
    var secret: String?

    @Option(name: .customLong("previous-secret"), help: "A secret being rotated out, still accepted (repeatable).")
    var previousSecrets: [String] = []

    @Option(help: "Seconds a webhook-timestamp may be from now, either way.")
    var tolerance = 300

    @Option(help: "Stop after this many verified events (default: run until interrupted).")
    var count: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard tolerance >= 0 else { throw ValidationError("--tolerance must not be negative.") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1.") }
    }

    func run() async throws {
        guard let secretText = secret ?? ProcessInfo.processInfo.environment["CODAT_WEBHOOK_SECRET"] else {
            throw ValidationError("give the consumer's secret with --secret whsec_... or $CODAT_WEBHOOK_SECRET.")
        }
        let current: WebhookSecret, previous: [WebhookSecret]
        do {
            current = try WebhookSecret(secretText)
            previous = try previousSecrets.map { text throws(WebhookSecretError) in try WebhookSecret(text) }
        } catch {
            throw ValidationError("--secret: \(error)")
        }
        let verifier = WebhookVerifier(secret: current, previousSecrets: previous, tolerance: .seconds(tolerance))
        let limit = count
        let (enough, enoughContinuation) = AsyncStream<Void>.makeStream()
        let printed = Counter()
        let receiver = WebhookReceiver(verifier: verifier) { delivery in
            Self.printLine(Self.jsonLine(delivery))
            if let limit, printed.increment() >= limit { enoughContinuation.yield() }
        }
        let server = try await CodatWebhookServer.start(
            host: host, port: port, path: path, receiver: receiver, shutdownSignals: [.sigint, .sigterm]
        ) { receipt in
            if case .accepted = receipt { return }
            Self.printError(receipt.description)
        }
        Self.printError("listening on \(server.url) (POST; Ctrl-C stops)")
        Task {
            for await _ in enough { break }
            await server.stop()
        }
        await server.waitUntilStopped()
        enoughContinuation.finish()
    }

    /// `{"webhookId":…,"timestamp":…,"eventType":…,"event":<body>}` on one line.
    static func jsonLine(_ delivery: WebhookDelivery) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func quoted(_ text: String) -> String { String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self) }
        return "{\"webhookId\":\(quoted(delivery.webhook.id)),\"timestamp\":\(delivery.webhook.timestamp),"
            + "\"eventType\":\(quoted(delivery.event.eventType)),\"event\":\(compactJSON(delivery.webhook.body))}"
    }

    /// The JSON text without whitespace outside strings: one line, every value exactly as sent
    /// (numbers are never re-encoded). Only for text that parsed as JSON.
    static func compactJSON(_ json: Data) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(json.count)
        var inString = false, escaped = false
        for byte in json {
            if inString {
                out.append(byte)
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                out.append(byte)
            } else if ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains(byte) {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func printLine(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    static func printError(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
