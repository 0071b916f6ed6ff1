import AsyncHTTPClient
import Foundation
import NIOCore

/// Sends webhook messages over HTTP when they fall due on the sandbox clock.
///
/// Push outcomes are applied lazily (`SandboxStore`), so while consumers are registered a pump
/// settles the store and sends what is due every `pumpInterval` of wall time; tests call
/// `deliverDue()` to send what is due now and wait for the answers. Messages to one consumer
/// go one at a time in due order (so that a `reorder` fault is what changes the order).
final class WebhookDispatcher: Sendable {
    let deliveries: Locked<WebhookDeliveries>
    private let clock: SandboxClock
    /// How long a consumer has to answer 2xx (Codat: 15 seconds, facts §4), wall clock.
    private let timeout: Duration
    /// The process-wide client: nothing to shut down, whether or not the sandbox is stopped.
    private var client: HTTPClient { .shared }
    /// Rounds of sends in progress, awaited by `deliverDue()`.
    private let rounds = Locked<[Int: Task<Void, Never>]>([:])
    private let nextRound = Locked(0)
    private let pump = Locked<Task<Void, Never>?>(nil)
    static let pumpInterval: Duration = .milliseconds(20)

    init(clock: SandboxClock, timeout: Duration, logLimit: Int) {
        self.clock = clock
        self.timeout = timeout
        deliveries = Locked(WebhookDeliveries(logLimit: logLimit))
    }

    /// The store's sink: outcomes become messages for the subscribed consumers.
    func record(_ outcomes: [WriteOutcome]) {
        deliveries.withLock { $0.record(outcomes) }
    }

    /// Settles the store (`settle`), sends every attempt due now, and waits until they (and any
    /// round the pump started) are answered.
    func deliverDue(settle: @Sendable () -> Void) async {
        settle()
        let jobs = deliveries.withLock { $0.takeDue(now: clock.now) }
        if !jobs.isEmpty {
            let id = nextRound.withLock { value -> Int in
                value += 1
                return value
            }
            let task = Task { await self.send(jobs) }
            rounds.withLock { $0[id] = task }
            await task.value
            rounds.withLock { $0[id] = nil }
        }
        for task in rounds.current.values { await task.value }
    }

    /// Starts the pump (once): while there are consumers, settle and send what is due.
    func startPump(settle: @escaping @Sendable () -> Void) {
        pump.withLock { task in
            guard task == nil else { return }
            task = Task { [weak self] in
                while !Task.isCancelled {
                    guard let self else { return }
                    if !self.deliveries.withLock({ $0.consumers.isEmpty }) {
                        await self.deliverDue(settle: settle)
                    }
                    try? await Task.sleep(for: Self.pumpInterval)
                }
            }
        }
    }

    func shutdown() async {
        let task = pump.withLock { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        for task in rounds.current.values { await task.value }
    }

    // MARK: Sending

    /// One task per consumer, each sending its jobs in order.
    private func send(_ jobs: [WebhookJob]) async {
        let byConsumer = Dictionary(grouping: jobs, by: \.consumer.id)
        await withTaskGroup(of: Void.self) { group in
            for (_, jobs) in byConsumer {
                group.addTask {
                    for job in jobs {
                        var attempts = [await self.attempt(job, extraFaults: [])]
                        if job.faults.contains(.duplicate) {
                            attempts.append(await self.attempt(job, extraFaults: ["duplicate"]))
                        }
                        let now = self.clock.now
                        self.deliveries.withLock { $0.finish(job, attempts: attempts, now: now) }
                    }
                }
            }
        }
    }

    /// One signed POST of the job's body.
    private func attempt(_ job: WebhookJob, extraFaults: [String]) async -> WebhookAttempt {
        let sentAt = clock.now
        let started = ContinuousClock.now
        var faults = job.faults.filter { $0 != .duplicate }.map(\.name) + extraFaults
        // The timestamp is the wall clock at sending (Svix signs when it sends); a verifier
        // checks it against its own clock, which `advanceClock` does not move.
        var timestamp = Int(Date().timeIntervalSince1970)
        var secret = job.consumer.secret
        for fault in job.faults {
            switch fault {
            case .staleTimestamp(let age): timestamp -= Int(age.seconds)
            case .badSignature: secret = WebhookSigning.otherSecret(than: secret)
            case .duplicate, .reorder: break
            }
        }
        func finished(status: Int?, error: String?) -> WebhookAttempt {
            let elapsed = ContinuousClock.now - started
            return WebhookAttempt(
                attempt: job.attempt, sentAt: sentAt, webhookTimestamp: timestamp, statusCode: status, error: error,
                milliseconds: Int(elapsed.seconds * 1000), faults: faults,
                succeeded: error == nil && status.map { (200..<300).contains($0) } == true)
        }
        let signature: String
        do {
            signature = try WebhookSigning.signature(secret: secret, webhookId: job.webhookId, timestamp: timestamp, body: job.body)
        } catch {
            faults.append("unsigned")
            return finished(status: nil, error: "could not sign: \(error)")
        }
        var request = HTTPClientRequest(url: job.consumer.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "codat-sandbox-webhooks")
        request.headers.add(name: WebhookSigning.idHeader, value: job.webhookId)
        request.headers.add(name: WebhookSigning.timestampHeader, value: String(timestamp))
        request.headers.add(name: WebhookSigning.signatureHeader, value: signature)
        request.body = .bytes(ByteBuffer(bytes: job.body))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
            // Only the status counts; a body is read (and dropped) so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return finished(status: Int(response.status.code), error: nil)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return finished(status: nil, error: "no answer within \(timeout) (Codat allows 15 seconds)")
        } catch {
            return finished(status: nil, error: "\(error)")
        }
    }
}
