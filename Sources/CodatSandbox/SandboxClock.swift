import Foundation

/// The sandbox's time: the wall clock plus an offset that tests and the control API advance.
///
/// Every Codat timing is measured on it (CODAT-FACTS.md §1-3): push delays and
/// `timeoutInMinutes`, refresh durations and the scheduled sync, the 90-minute idempotency
/// window, the daily quota's reset at 00:00 UTC. Due state changes are applied lazily
/// whenever state is observed (and when the clock is advanced), so advancing the clock by
/// 90 minutes is exactly as if 90 minutes had passed, without any timer.
final class SandboxClock: Sendable {
    private let offset = Locked<TimeInterval>(0)

    /// Sandbox time now.
    var now: Date {
        Date().addingTimeInterval(offset.current)
    }

    /// Moves sandbox time forward (a negative duration is refused: time never goes back).
    func advance(by duration: Duration) {
        let seconds = duration.seconds
        guard seconds > 0 else { return }
        offset.withLock { $0 += seconds }
    }

    /// Back to the wall clock (on reset).
    func reset() {
        offset.withLock { $0 = 0 }
    }

    /// The clock whose time `CodatDate.now()` writes into records (`modifiedDate`,
    /// `requestedOnUtc` ...) while the store works on a company.
    @TaskLocal static var current: SandboxClock?
}

extension Duration {
    /// The duration in seconds, fractions included.
    var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

extension Date {
    func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.seconds)
    }

    /// The next 00:00 UTC after this date (when Codat's daily quota resets).
    var nextMidnightUTC: Date {
        let day: TimeInterval = 86_400
        return Date(timeIntervalSince1970: (timeIntervalSince1970 / day).rounded(.down) * day + day)
    }
}
