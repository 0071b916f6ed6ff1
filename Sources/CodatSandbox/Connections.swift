import Foundation
import NIOCore

/// The open client connections, so that faults that drop connections hit a fresh one.
///
/// libcurl (under URLSession on Linux) resends a request by itself when a kept-alive
/// connection closes before any response byte: a dropped GET then "succeeds" on the resend,
/// and a dropped POST hangs until the request times out (the body cannot be sent again).
/// To make drops show as drops, injecting a dropping fault closes the idle connections,
/// and while such a rule is in force every response says `Connection: close`.
final class ConnectionTracker: Sendable {
    private struct Entry {
        let channel: any Channel
        var busy: Int
    }

    private let entries = Locked<[ObjectIdentifier: Entry]>([:])

    /// A request started on the channel.
    func begin(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        let isNew = entries.withLock { entries -> Bool in
            if entries[key] != nil {
                entries[key]?.busy += 1
                return false
            }
            entries[key] = Entry(channel: channel, busy: 1)
            return true
        }
        if isNew {
            channel.closeFuture.whenComplete { [weak self] _ in
                _ = self?.entries.withLock { $0.removeValue(forKey: key) }
            }
        }
    }

    /// The request's response was handed to the server.
    func end(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)]?.busy -= 1 }
    }

    /// Closes every connection that has no request in progress, and waits until they are
    /// closed: the client must see the close before it picks a connection for its next
    /// request, or it would write that request into a dying connection.
    func closeIdle() {
        let idle = entries.withLock { $0.values.filter { $0.busy <= 0 }.map(\.channel) }
        for channel in idle {
            let closed = channel.close()
            // Never block an event loop (a caller there would deadlock); elsewhere the wait
            // is a few hundred microseconds on loopback.
            if !channel.eventLoop.inEventLoop {
                try? closed.wait()
            }
        }
    }
}
