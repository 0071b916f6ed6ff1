/// Where the next page starts: a page number (page-based lists) or a continuation token
/// (`nil` for the first page).
public enum PageCursor: Sendable, Hashable {
    case page(Int)
    case token(String?)
    /// A next page that cannot be asked for (its number overflows, or the server gave a
    /// page number that makes no sense): paging ends with a `PaginationError` saying why.
    case unreachable(String)

    /// The page number to send, in the parameter's integer type (nil for a token cursor).
    /// Throws `PaginationError` when the number does not fit that type (page 2^31 of an
    /// `Int32` parameter) or the cursor is unreachable.
    public func pageNumber<T: BinaryInteger>(as type: T.Type = T.self) throws -> T? {
        switch self {
        case let .page(number):
            guard let value = T(exactly: number) else {
                throw PaginationError(message: "page \(number) does not fit the page parameter's type \(T.self)")
            }
            return value
        case .token:
            return nil
        case let .unreachable(reason):
            throw PaginationError(message: reason)
        }
    }

    /// The continuation token to send (nil for the first page).
    public var continuationToken: String? {
        if case let .token(token) = self { return token }
        return nil
    }

    /// The page after a page-based response: none when the page was empty, or when the
    /// response's `totalResults` says this page reached the end. No arithmetic here can
    /// overflow: a page number past `Int.max`, or below 1, is `.unreachable`.
    public func nextPage(pageNumber: (some BinaryInteger)?, pageSize: (some BinaryInteger)?, totalResults: (some BinaryInteger)?, received: Int) -> PageCursor? {
        guard case let .page(requested) = self, received > 0 else { return nil }
        let current: Int
        if let pageNumber {
            guard let number = Int(exactly: pageNumber), number >= 1 else {
                return .unreachable("the server answered page \(requested) with page number \(pageNumber)")
            }
            current = number
        } else {
            current = requested
        }
        if let pageSize, let totalResults, pageSize > 0 {
            // Past Int.max, the items before the next page outnumber any total that fits in an Int.
            guard let size = Int(exactly: pageSize) else { return nil }
            if let total = Int(exactly: totalResults) {
                let (seen, overflow) = current.multipliedReportingOverflow(by: size)
                if overflow || seen >= total { return nil }
            }
        }
        let (next, overflow) = current.addingReportingOverflow(1)
        if overflow { return .unreachable("there is no page after page \(current)") }
        return .page(next)
    }

    /// The page after a continuation-token response: none when the response carries no token.
    public static func nextToken(_ token: String?) -> PageCursor? {
        guard let token, !token.isEmpty else { return nil }
        return .token(token)
    }
}

/// Why a list's pages cannot be followed to the end: an unreachable page number, or a server
/// that hands back a cursor it already gave (following it would loop forever; stopping
/// quietly would drop the items after it).
public struct PaginationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { "paging stopped: \(message)" }
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
                guard let cursor = next else { return nil }
                if case let .unreachable(reason) = cursor { throw PaginationError(message: reason) }
                guard seen.insert(cursor).inserted else {
                    throw PaginationError(message: "the server pointed again to \(cursor), which was already fetched")
                }
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
