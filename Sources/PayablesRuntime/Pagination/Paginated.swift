/// Where the next page starts: a page number (page-based lists) or a continuation token
/// (`nil` for the first page).
public enum PageCursor: Sendable, Hashable {
    case page(Int)
    case token(String?)

    /// The page number to send, in the parameter's integer type.
    public func pageNumber<T: BinaryInteger>(as type: T.Type = T.self) -> T? {
        if case let .page(number) = self { return T(number) }
        return nil
    }

    /// The continuation token to send (nil for the first page).
    public var continuationToken: String? {
        if case let .token(token) = self { return token }
        return nil
    }

    /// The page after a page-based response: none when the page was empty, or when the
    /// response's `totalResults` says this page reached the end.
    public func nextPage(pageNumber: (some BinaryInteger)?, pageSize: (some BinaryInteger)?, totalResults: (some BinaryInteger)?, received: Int) -> PageCursor? {
        guard case let .page(requested) = self, received > 0 else { return nil }
        let current = pageNumber.map { Int($0) } ?? requested
        if let pageSize, let totalResults, pageSize > 0, current * Int(pageSize) >= Int(totalResults) { return nil }
        return .page(current + 1)
    }

    /// The page after a continuation-token response: none when the response carries no token.
    public static func nextToken(_ token: String?) -> PageCursor? {
        guard let token, !token.isEmpty else { return nil }
        return .token(token)
    }
}

/// Every item of a list operation across pages. A page is fetched only when the items of
/// the previous one have been consumed; iterating again starts from the first page.
public struct Paginated<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Fetch = @Sendable (PageCursor) async throws -> (items: [Element], next: PageCursor?)

    let first: PageCursor
    let fetch: Fetch

    public init(first: PageCursor, fetch: @escaping Fetch) {
        self.first = first
        self.fetch = fetch
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: Fetch
        var buffer: [Element] = []
        var index = 0
        var next: PageCursor?
        /// Cursors already fetched: a server that hands back a cursor twice would loop forever.
        var seen: Set<PageCursor> = []

        public mutating func next() async throws -> Element? {
            while index == buffer.count {
                guard let cursor = next, seen.insert(cursor).inserted else { return nil }
                let page = try await fetch(cursor)
                buffer = page.items
                index = 0
                next = page.next
            }
            defer { index += 1 }
            return buffer[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(fetch: fetch, next: first) }

    /// Collects every item (for lists known to be small).
    public func collect() async throws -> [Element] {
        var items: [Element] = []
        for try await item in self { items.append(item) }
        return items
    }
}
