import PayablesRuntime
import XCTest

final class PaginationTests: XCTestCase {
    /// Counts fetches so the test can see pages are fetched only on demand.
    actor Fetches {
        var cursors: [PageCursor] = []
        func record(_ cursor: PageCursor) { cursors.append(cursor) }
    }

    func testPagesAreFetchedOnlyWhenConsumed() async throws {
        let fetches = Fetches()
        let all = Array(1...25)
        let sequence = Paginated<Int>(first: .page(1)) { cursor in
            await fetches.record(cursor)
            let page = cursor.pageNumber(as: Int.self)!
            let items = Array(all.dropFirst((page - 1) * 10).prefix(10))
            return (items, cursor.nextPage(pageNumber: page, pageSize: 10, totalResults: all.count, received: items.count))
        }
        var iterator = sequence.makeAsyncIterator()
        _ = try await iterator.next()
        let afterFirst = await fetches.cursors
        XCTAssertEqual(afterFirst, [.page(1)])
        var seen = [1]
        while let item = try await iterator.next() { seen.append(item) }
        XCTAssertEqual(seen, all)
        let cursors = await fetches.cursors
        XCTAssertEqual(cursors, [.page(1), .page(2), .page(3)])
    }

    func testContinuationTokensAndARepeatedTokenStops() async throws {
        let pages: [String?: ([Int], String?)] = [nil: ([1, 2], "t1"), "t1": ([3], "t2"), "t2": ([4], "t1")]
        let sequence = Paginated<Int>(first: .token(nil)) { cursor in
            let page = pages[cursor.continuationToken]!
            return (page.0, PageCursor.nextToken(page.1))
        }
        let items = try await sequence.collect()
        XCTAssertEqual(items, [1, 2, 3, 4])
    }

    func testPageArithmetic() {
        XCTAssertEqual(PageCursor.page(1).nextPage(pageNumber: 1, pageSize: 100, totalResults: 250, received: 100), .page(2))
        XCTAssertNil(PageCursor.page(3).nextPage(pageNumber: 3, pageSize: 100, totalResults: 250, received: 50))
        XCTAssertNil(PageCursor.page(1).nextPage(pageNumber: Int?.none, pageSize: Int?.none, totalResults: Int?.none, received: 0))
        XCTAssertEqual(PageCursor.page(1).nextPage(pageNumber: Int?.none, pageSize: Int?.none, totalResults: Int?.none, received: 5), .page(2))
        XCTAssertNil(PageCursor.nextToken(""))
    }
}
