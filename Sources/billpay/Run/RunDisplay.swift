import Foundation

/// What happened to one intent, as the display shows it.
struct IntentUpdate: Sendable {
    enum State: String, Sendable, CaseIterable {
        /// Claimed and being sent (in flight).
        case sending
        /// Recorded once, with its record id when known.
        case recorded
        /// Not recorded: Codat or the validator refused it.
        case refused
        /// May or may not be recorded: needs `billpay resume`.
        case unknown
        /// Not sent in this run (read-only, or left for later).
        case notSent = "not-sent"

        var isSettled: Bool { self == .recorded || self == .refused }
    }

    var intentId: String
    var state: State
    var billIds: [String] = []
    var amount: Decimal?
    var recordId: String?
    /// Codat's validation errors, why the outcome is unknown, what would be sent.
    var detail: String?
    /// The worker that handled it (PostgreSQL journal).
    var worker: String?
    /// The intent was found in flight in the journal and resumed.
    var resumed = false
}

/// Shows a run as it goes: a progress bar on a terminal (done, in flight, failed, unknown, rate,
/// ETA), plain lines otherwise, or one JSON object a line (`--json`); then a summary table.
final class RunDisplay: @unchecked Sendable {
    enum Mode: String { case bar, plain, json }

    let mode: Mode
    private let lock = NSLock()
    private var states: [String: IntentUpdate] = [:]
    private var order: [String] = []
    private let total: Int
    private let started = Date()
    /// Recent settle times, for the rate (the last 10 seconds).
    private var recent: [Date] = []
    private var lastDraw = Date.distantPast
    private var barShown = false
    private var ticker: Task<Void, Never>?
    private var slowDowns = 0
    /// Set by `finish`: the ticker draws no more.
    private var stopped = false

    /// `total`: intents the run is about (the bar's 100%).
    init(mode: Mode, total: Int) {
        self.mode = mode
        self.total = total
    }

    /// A terminal gets the bar unless `--json`; a pipe or file gets plain lines.
    static func mode(json: Bool, plain: Bool) -> Mode {
        if json { return .json }
        if plain { return .plain }
        return isatty(STDOUT_FILENO) == 1 ? .bar : .plain
    }

    // MARK: Events

    func start(title: String, fields: [String: String] = [:]) {
        switch mode {
        case .json:
            var object: [String: Any] = ["event": "start", "title": title, "intents": total]
            for (key, value) in fields { object[key] = value }
            emitJSON(object)
        case .plain, .bar:
            emit(title)
        }
        if mode == .bar {
            ticker = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    self?.draw(force: true)
                }
            }
        }
    }

    /// Intents already final in the journal (a resumed run): counted, not printed.
    func preload(_ updates: [IntentUpdate]) {
        lock.lock()
        for update in updates where states[update.intentId] == nil {
            order.append(update.intentId)
            states[update.intentId] = update
        }
        lock.unlock()
    }

    /// Codat asked to slow down: a line (JSON, plain), a count on the bar.
    func rateLimited(_ text: String) {
        lock.lock()
        slowDowns += 1
        lock.unlock()
        switch mode {
        case .json: emitJSON(["event": "rate-limited", "message": text])
        case .plain: emit("rate limited: \(text)")
        case .bar: draw(force: false)
        }
    }

    /// A note that is not about one intent (taken-over claims, waiting for a lease).
    func note(_ text: String) {
        switch mode {
        case .json: emitJSON(["event": "note", "message": text])
        case .plain: emit(text)
        case .bar: aboveBar(text)
        }
    }

    func update(_ update: IntentUpdate) {
        lock.lock()
        if states[update.intentId] == nil { order.append(update.intentId) }
        let previous = states[update.intentId]
        states[update.intentId] = update
        if update.state.isSettled || update.state == .unknown, previous?.state != update.state { recent.append(Date()) }
        lock.unlock()
        switch mode {
        case .json:
            var object: [String: Any] = ["event": update.state.rawValue, "intent": update.intentId, "bills": update.billIds]
            if let amount = update.amount { object["amount"] = "\(amount)" }
            if let recordId = update.recordId { object["recordId"] = recordId }
            if let detail = update.detail { object["detail"] = detail }
            if let worker = update.worker { object["worker"] = worker }
            if update.resumed { object["resumed"] = true }
            emitJSON(object)
        case .plain:
            guard update.state != .sending else { return }
            emit(Self.line(update))
        case .bar:
            if update.state == .refused || update.state == .unknown { aboveBar(Self.line(update)) } else { draw(force: false) }
        }
    }

    static func line(_ update: IntentUpdate) -> String {
        var parts = ["\(update.state.rawValue) \(update.intentId)"]
        if !update.billIds.isEmpty { parts.append("bill \(update.billIds.joined(separator: "+"))") }
        if let amount = update.amount { parts.append("amount \(money(amount))") }
        if let recordId = update.recordId { parts.append("payment \(recordId)") }
        if let worker = update.worker { parts.append("worker \(worker)") }
        if update.resumed { parts.append("(resumed)") }
        if let detail = update.detail { parts.append("- \(detail)") }
        return parts.joined(separator: "  ")
    }

    // MARK: Counts

    struct Counts: Equatable {
        var recorded = 0, refused = 0, unknown = 0, sending = 0, notSent = 0
        var seen = 0
    }

    var counts: Counts {
        lock.lock()
        defer { lock.unlock() }
        var counts = Counts()
        for update in states.values {
            switch update.state {
            case .recorded: counts.recorded += 1
            case .refused: counts.refused += 1
            case .unknown: counts.unknown += 1
            case .sending: counts.sending += 1
            case .notSent: counts.notSent += 1
            }
        }
        counts.seen = states.count
        return counts
    }

    /// Settled or unknown per second over the last 10 seconds (over the whole run until then).
    private func rate(now: Date) -> Double {
        lock.lock()
        defer { lock.unlock() }
        recent.removeAll { now.timeIntervalSince($0) > 10 }
        let window = min(10, max(now.timeIntervalSince(started), 0.001))
        return Double(recent.count) / window
    }

    // MARK: The bar

    private func draw(force: Bool, last: Bool = false) {
        guard mode == .bar else { return }
        let now = Date()
        lock.lock()
        let due = (force || now.timeIntervalSince(lastDraw) >= 0.1) && (!stopped || last)
        if due { lastDraw = now }
        lock.unlock()
        guard due else { return }
        let text = barLine(now: now)
        lock.lock()
        barShown = true
        lock.unlock()
        write("\r\u{1B}[K" + text)
    }

    func barLine(now: Date) -> String {
        let counts = self.counts
        let done = counts.recorded + counts.refused + counts.unknown
        let width = 28
        let filled = total == 0 ? width : min(width, done * width / max(total, 1))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = rate(now: now)
        let remaining = max(total - done, 0)
        let eta = rate > 0 ? Self.duration(Double(remaining) / rate) : "--"
        lock.lock()
        let slowDowns = self.slowDowns
        lock.unlock()
        return "\(bar) \(done)/\(total)  recorded \(counts.recorded)  in flight \(counts.sending)  failed \(counts.refused)  "
            + "unknown \(counts.unknown)  \(String(format: "%.1f", rate))/s  ETA \(eta)" + (slowDowns > 0 ? "  429s \(slowDowns)" : "")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }

    /// A line printed above the bar, which is then drawn again.
    private func aboveBar(_ text: String) {
        write("\r\u{1B}[K" + text + "\n")
        draw(force: true)
    }

    // MARK: The end

    /// Stops the bar and prints the summary table (JSON: one `summary` object). Returns the counts.
    @discardableResult
    func finish(extra: [String: Any] = [:]) -> Counts {
        ticker?.cancel()
        lock.lock()
        stopped = true
        lock.unlock()
        if mode == .bar {
            draw(force: true, last: true)
            write("\n")
        }
        let counts = self.counts
        let elapsed = Date().timeIntervalSince(started)
        let done = counts.recorded + counts.refused + counts.unknown
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        lock.lock()
        let unsettled = order.compactMap { states[$0] }.filter { !$0.state.isSettled || $0.state == .refused }
        let byWorker = Dictionary(grouping: states.values.filter { $0.state == .recorded }, by: { $0.worker ?? "-" }).mapValues(\.count)
        let amounts = states.values.filter { $0.state == .recorded }.compactMap(\.amount).reduce(Decimal(0), +)
        lock.unlock()
        let notSeen = max(total - counts.seen, 0)
        switch mode {
        case .json:
            var object: [String: Any] = [
                "event": "summary", "intents": total, "recorded": counts.recorded, "refused": counts.refused, "unknown": counts.unknown,
                "inFlight": counts.sending, "notSent": counts.notSent + notSeen, "seconds": (elapsed * 100).rounded() / 100,
                "intentsPerSecond": (rate * 100).rounded() / 100, "amountRecorded": "\(amounts)",
            ]
            if byWorker.keys.contains(where: { $0 != "-" }) { object["recordedByWorker"] = byWorker }
            emitJSON(object.merging(extra) { a, _ in a })
        case .plain, .bar:
            var rows = [["state", "intents"]]
            rows.append(["recorded", "\(counts.recorded)"])
            rows.append(["refused", "\(counts.refused)"])
            rows.append(["unknown", "\(counts.unknown)"])
            if counts.sending > 0 { rows.append(["in flight", "\(counts.sending)"]) }
            rows.append(["not sent", "\(counts.notSent + notSeen)"])
            rows.append(["total", "\(total)"])
            emit("")
            emit("Summary")
            table(rows)
            emit("amount recorded \(money(amounts)); \(done) intents settled or unknown in \(String(format: "%.1f", elapsed)) s (\(String(format: "%.1f", rate))/s)")
            if byWorker.keys.contains(where: { $0 != "-" }) {
                emit("recorded by worker: " + byWorker.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            for (key, value) in extra.sorted(by: { $0.key < $1.key }) { emit("\(key): \(value)") }
            let shown = unsettled.prefix(20)
            if !shown.isEmpty {
                emit("")
                emit("Intents that need attention:")
                for update in shown { emit("  " + Self.line(update)) }
                if unsettled.count > shown.count { emit("  ... and \(unsettled.count - shown.count) more (billpay status --journal ...)") }
            }
        }
        return counts
    }

    /// The exit status that says whether every intent is settled.
    static func exitStatus(_ counts: Counts, total: Int) -> RunExitStatus {
        if counts.unknown > 0 || counts.sending > 0 || counts.notSent > 0 || counts.seen < total { return .unsettled }
        if counts.refused > 0 { return .someRefused }
        return .allRecorded
    }

    func table(_ rows: [[String]]) {
        guard let columns = rows.map(\.count).max() else { return }
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, cell -> String in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }
            emit("  " + cells.joined(separator: "  "))
            if index == 0 { emit("  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }

    // MARK: Writing

    private func emit(_ line: String) { write(line + "\n") }

    private func emitJSON(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    private func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
