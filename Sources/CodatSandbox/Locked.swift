import Foundation

/// A value behind a lock. The sandbox's state is read synchronously by tests
/// (`sandbox.recordedRequests`) and changed by request handlers on NIO threads, so a
/// plain lock fits better than an actor. `NSLock` rather than `Mutex`: the package
/// still supports macOS 13.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value {
        withLock { $0 }
    }
}
