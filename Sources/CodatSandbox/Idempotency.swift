import Foundation

/// `Idempotency-Key` handling for the operations that declare the header.
///
/// The same key with the same method, path and body replays the stored response (so that a
/// client retrying a payment whose response was lost does not pay twice); the same key with
/// anything different answers 409. Only successful responses are kept: a rejected request
/// may be corrected and sent again under its key.
final class IdempotencyCache: Sendable {
    enum Decision: Sendable {
        case proceed
        case replay(APIResponse)
        case conflict(SandboxError)
    }

    private struct Entry: Sendable {
        let method: String
        let path: String
        let body: Data
        var response: APIResponse?
    }

    private let entries = Locked<[String: Entry]>([:])

    func begin(key: String, method: String, path: String, body: Data) -> Decision {
        entries.withLock { entries in
            guard let entry = entries[key] else {
                entries[key] = Entry(method: method, path: path, body: body, response: nil)
                return .proceed
            }
            guard entry.method == method, entry.path == path, entry.body == body else {
                return .conflict(
                    .conflict(
                        "Idempotency-Key '\(key)' was already used for a different request (\(entry.method) \(entry.path))."))
            }
            guard var response = entry.response else {
                return .conflict(.conflict("A request with Idempotency-Key '\(key)' is still being processed."))
            }
            response.headers.append(("Idempotent-Replayed", "true"))
            return .replay(response)
        }
    }

    func finish(key: String, response: APIResponse) {
        entries.withLock { entries in
            if (200..<300).contains(response.status) {
                entries[key]?.response = response
            } else {
                entries[key] = nil
            }
        }
    }

    func clear() {
        entries.withLock { $0.removeAll() }
    }
}
