import Foundation

/// The time the payment layer reads and waits on: when a key was first sent (Codat's replay
/// window is counted from it), how long a `TimedOut` push has had to settle, the waits between
/// polls. `SystemPaymentClock` in production; tests use one driven by the sandbox's clock so
/// that 90 minutes pass without waiting them.
public protocol PaymentClock: Sendable {
    /// Now, on the clock Codat's windows are measured by.
    func now() -> Date
    /// Waits `duration` (throws `CancellationError` when the task is cancelled).
    func sleep(for duration: Duration) async throws
}

/// The wall clock and `Task.sleep`.
public struct SystemPaymentClock: PaymentClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

extension Date {
    func adding(_ duration: Duration) -> Date { addingTimeInterval(duration.seconds) }
}
