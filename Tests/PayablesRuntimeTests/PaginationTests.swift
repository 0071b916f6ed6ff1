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
            let page = try cursor.pageNumber(as: Int.self)!
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

    func testContinuationTokensAndARepeatedTokenEndsWithAnError() async throws {
        let pages: [String?: ([Int], String?)] = [nil: ([1, 2], "t1"), "t1": ([3], "t2"), "t2": ([4], "t1"), "t3": ([5], nil)]
        let sequence = Paginated<Int>(first: .token(nil)) { cursor in
            let page = pages[cursor.continuationToken]!
            return (page.0, PageCursor.nextToken(page.1))
        }
        var items: [Int] = []
        do {
            for try await item in sequence { items.append(item) }
            XCTFail("a loop must not end quietly: the items after it would be dropped")
        } catch let error as PaginationError {
            XCTAssertTrue(error.description.contains("t1"), error.description)
        }
        XCTAssertEqual(items, [1, 2, 3, 4])

        let straight = Paginated<Int>(first: .token("t3")) { cursor in
            let page = pages[cursor.continuationToken]!
            return (page.0, PageCursor.nextToken(page.1))
        }
        let all = try await straight.collect()
        XCTAssertEqual(all, [5])
    }

    /// Issue 10: a page with `pageNumber` near `Int32.max` trapped in `Paginated`.
    func testAPageNumberNearInt32MaxEndsWithAnErrorNotATrap() async throws {
        // The server jumps to page Int32.max without totals; the page after it does not fit the
        // Int32 parameter. (With totals, Int32.max x pageSize always reaches the end.)
        let sequence = Paginated<Int>(first: .page(1)) { cursor in
            let page: Int32 = try cursor.pageNumber()!
            return ([Int(page)], cursor.nextPage(pageNumber: Int32.max, pageSize: Int32?.none, totalResults: Int32?.none, received: 1))
        }
        var items: [Int] = []
        do {
            for try await item in sequence { items.append(item) }
            XCTFail("expected an error")
        } catch let error as PaginationError {
            XCTAssertTrue(error.description.contains("2147483648"), error.description)
        }
        XCTAssertEqual(items, [1])
        XCTAssertNil(PageCursor.page(1).nextPage(pageNumber: Int32.max, pageSize: Int32(1), totalResults: Int32.max, received: 1))
    }

    func testPageArithmeticCannotOverflow() throws {
        // Int.max pages: no page after it.
        guard case .unreachable = try XCTUnwrap(PageCursor.page(1).nextPage(pageNumber: Int.max, pageSize: Int?.none, totalResults: Int?.none, received: 1)) else {
            return XCTFail("expected unreachable")
        }
        // The product pageNumber * pageSize overflows: the end, whatever totalResults says.
        XCTAssertNil(PageCursor.page(1).nextPage(pageNumber: Int.max / 2, pageSize: 100, totalResults: Int.max, received: 1))
        XCTAssertNil(PageCursor.page(1).nextPage(pageNumber: 1, pageSize: UInt64.max, totalResults: 10, received: 1))
        // A page number below 1 or beyond Int is nonsense from the server.
        for number in [Int64(0), -5] {
            guard case .unreachable = try XCTUnwrap(PageCursor.page(2).nextPage(pageNumber: number, pageSize: Int?.none, totalResults: Int?.none, received: 1)) else {
                return XCTFail("expected unreachable for \(number)")
            }
        }
        guard case .unreachable = try XCTUnwrap(PageCursor.page(2).nextPage(pageNumber: UInt64.max, pageSize: Int?.none, totalResults: Int?.none, received: 1)) else {
            return XCTFail("expected unreachable")
        }
        XCTAssertThrowsError(try PageCursor.page(Int(Int32.max) + 1).pageNumber(as: Int32.self))
        XCTAssertThrowsError(try PageCursor.unreachable("x").pageNumber(as: Int.self))
        XCTAssertEqual(try PageCursor.page(7).pageNumber(as: Int32.self), 7)
        XCTAssertNil(try PageCursor.token("t").pageNumber(as: Int32.self))
    }

    func testPageArithmetic() {
        XCTAssertEqual(PageCursor.page(1).nextPage(pageNumber: 1, pageSize: 100, totalResults: 250, received: 100), .page(2))
        XCTAssertNil(PageCursor.page(3).nextPage(pageNumber: 3, pageSize: 100, totalResults: 250, received: 50))
        XCTAssertNil(PageCursor.page(1).nextPage(pageNumber: Int?.none, pageSize: Int?.none, totalResults: Int?.none, received: 0))
        XCTAssertEqual(PageCursor.page(1).nextPage(pageNumber: Int?.none, pageSize: Int?.none, totalResults: Int?.none, received: 5), .page(2))
        XCTAssertNil(PageCursor.nextToken(""))
    }
}
