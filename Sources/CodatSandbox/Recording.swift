import Foundation

/// A request exactly as the sandbox received it, for tests that check what a client sent.
public struct RecordedRequest: Sendable, Hashable, Codable {
    public struct Header: Sendable, Hashable, Codable {
        /// The name as sent (case kept).
        public let name: String
        public let value: String
    }

    /// Order of arrival, from 1.
    public let sequence: Int
    public let method: String
    /// The request target as sent: path and query, percent-encoding intact.
    public let target: String
    /// The path part of `target`, as sent.
    public let path: String
    /// The query part of `target` (after `?`), as sent; nil without one.
    public let query: String?
    /// Every header in the order received.
    public internal(set) var headers: [Header]
    public internal(set) var body: Data
    public let receivedAt: Date
    /// The operation the request reached, e.g. `sync.create-bill-payment`; nil for unknown routes.
    public let operation: String?
    /// The status the sandbox answered; nil while in progress or when the connection was dropped first.
    public internal(set) var responseStatus: Int?
    /// The faults applied (`status 429`, `dropAfterProcessing` ...).
    public internal(set) var faults: [String]

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The query parameters, percent-decoded.
    public var queryItems: [String: String] {
        RequestQuery(raw: query).values
    }

    /// The request with its `Authorization` value replaced, as the control API shows it.
    var redacted: RecordedRequest {
        var copy = self
        copy.headers = headers.map { header in
            header.name.caseInsensitiveCompare("Authorization") == .orderedSame ? Header(name: header.name, value: "REDACTED") : header
        }
        return copy
    }

    /// The body as JSON, when it is JSON.
    public var json: SandboxJSON? {
        try? SandboxJSON(data: body)
    }
}

/// Requests in arrival order: the latest `limit` of them, and no more than `byteBudget` bytes of
/// bodies (the newest request is always kept), so that a long-running sandbox does not grow
/// without bound however large or many the requests are.
struct RequestRecorder: Sendable {
    /// Oldest first from `head`; slots before `head` are evicted (bodies already released) and
    /// dropped in one go once they are half the array.
    private var entries: [RecordedRequest] = []
    private var head = 0
    private var bodyBytes = 0
    private var nextSequence = 1
    let limit: Int
    let byteBudget: Int

    init(limit: Int = 10_000, byteBudget: Int = 64 * 1024 * 1024) {
        self.limit = max(limit, 1)
        self.byteBudget = max(byteBudget, 0)
    }

    var requests: [RecordedRequest] {
        Array(entries[head...])
    }

    mutating func record(
        method: String, target: String, headers: [RecordedRequest.Header], body: Data, operation: String?
    ) -> Int {
        let (path, query) = Self.split(target)
        let request = RecordedRequest(
            sequence: nextSequence, method: method, target: target, path: path, query: query, headers: headers,
            body: body, receivedAt: Date(), operation: operation, responseStatus: nil, faults: [])
        nextSequence += 1
        entries.append(request)
        bodyBytes += body.count
        while entries.count - head > 1, entries.count - head > limit || bodyBytes > byteBudget {
            bodyBytes -= entries[head].body.count
            entries[head].body = Data()
            head += 1
        }
        if head >= 1024, head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return request.sequence
    }

    mutating func update(_ sequence: Int, _ change: (inout RecordedRequest) -> Void) {
        // Sequences are consecutive: the slot follows from the oldest one kept.
        guard head < entries.count else { return }
        let index = head + (sequence - entries[head].sequence)
        guard index >= head, index < entries.count, entries[index].sequence == sequence else { return }
        let before = entries[index].body.count
        change(&entries[index])
        bodyBytes += entries[index].body.count - before
    }

    mutating func clear() {
        entries.removeAll()
        head = 0
        bodyBytes = 0
    }

    static func split(_ target: String) -> (path: String, query: String?) {
        guard let mark = target.firstIndex(of: "?") else { return (target, nil) }
        var query = String(target[target.index(after: mark)...])
        if let hash = query.firstIndex(of: "#") { query = String(query[..<hash]) }
        return (String(target[..<mark]), query)
    }
}

/// Query parameters read from the raw query string.
///
/// Codat's query values contain `&&`; a client that forgets to encode them sends
/// `query=status=Open&&status=Paid`. A piece that does not start with a known parameter
/// name is therefore glued back onto the previous value.
struct RequestQuery: Sendable {
    private(set) var values: [String: String] = [:]

    static let knownNames: Set<String> = [
        "page", "pageSize", "query", "orderBy", "continuationToken", "statusQuery", "timeoutInMinutes",
        "forceUpdate", "tags", "connectionId", "allowSyncOnPushComplete",
    ]

    /// Parameters whose values are Codat queries, the only ones a stray `&` can belong to.
    private static let queryNames: Set<String> = ["query", "statusQuery", "tags"]

    init(raw: String?) {
        guard let raw, !raw.isEmpty else { return }
        var pairs: [(name: String, value: String)] = []
        for piece in raw.split(separator: "&", omittingEmptySubsequences: false) {
            let part = String(piece)
            let equals = part.firstIndex(of: "=")
            let name = Self.decode(String(part[..<(equals ?? part.endIndex)]))
            if let last = pairs.last, Self.queryNames.contains(last.name), !Self.knownNames.contains(name) {
                pairs[pairs.count - 1].value += "&" + Self.decode(part)
                continue
            }
            guard !part.isEmpty else { continue }
            let value = equals.map { Self.decode(String(part[part.index(after: $0)...])) } ?? ""
            pairs.append((name, value))
        }
        for pair in pairs where values[pair.name] == nil {
            values[pair.name] = pair.value
        }
    }

    static func decode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }

    subscript(name: String) -> String? {
        values[name]
    }
}
