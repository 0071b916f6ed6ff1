import Foundation

/// Page-based lists (companies, connections, every v1 list): `page`, `pageSize`, `query`,
/// `orderBy` in; `results`, `pageNumber`, `pageSize`, `totalResults`, `_links` out.
struct PageRequest: Sendable {
    var page: Int
    var pageSize: Int
    var query: CodatQuery?
    var order: CodatOrder?

    static let largestPage = 2000

    init(_ request: APIRequest) throws {
        page = try request.integer("page", default: 1, range: 1...Int(Int32.max))
        // Asked for: up to 5000 (the `pageSize` parameter); answered: at most 2000 (`PagingInfo.pageSize`
        // has `maximum: 2000` in both documents), so a larger request gets pages of 2000.
        pageSize = min(try request.integer("pageSize", default: 100, range: 1...5000), Self.largestPage)
        query = try request.codatQuery()
        order = CodatOrder(request.query["orderBy"])
    }

    /// The page of `records` (filtered and ordered) as Codat lays it out.
    func page(_ records: [SandboxJSON], path: String, rawQuery: String? = nil) -> SandboxJSON {
        var matching = query.map { query in records.filter(query.matches) } ?? records
        if let order { matching = order.sorted(matching) }
        let start = min((page - 1) * pageSize, matching.count)
        let end = min(start + pageSize, matching.count)
        // The hrefs are `uri-reference`s (the documents' `Links` schema): each path segment and
        // query value is percent-encoded, never the raw text of the request.
        let path = URIReference.path(path)
        var links: SandboxJSON = [
            "self": ["href": .string(path)],
            "current": ["href": .string(link(path, page: page))],
        ]
        if end < matching.count { links["next"] = ["href": .string(link(path, page: page + 1))] }
        if page > 1 { links["previous"] = ["href": .string(link(path, page: page - 1))] }
        return [
            "results": .array(Array(matching[start..<end])),
            "pageNumber": .number(Decimal(page)),
            "pageSize": .number(Decimal(pageSize)),
            "totalResults": .number(Decimal(matching.count)),
            "_links": links,
        ]
    }

    private func link(_ path: String, page: Int) -> String {
        var items = ["page=\(page)", "pageSize=\(pageSize)"]
        if let query { items.append("query=" + URIReference.component(query.description)) }
        if let order { items.append("orderBy=" + URIReference.component((order.descending ? "-" : "") + order.field)) }
        return path + "?" + items.joined(separator: "&")
    }
}

/// Percent-encoding for the hrefs the sandbox writes (RFC 3986).
enum URIReference {
    /// Only the unreserved characters stay as they are.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// A query value or a path segment.
    static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// A path of decoded segments (`/companies/{id}/data/bills`), each segment encoded.
    static func path(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { component(String($0)) }.joined(separator: "/")
    }
}

/// Continuation-token lists (the synchronous API's bills and suppliers).
///
/// The token names the sequence number of the last record returned, so the next page
/// starts after it even if records were added or changed status in between: paging
/// through `status=Open` while paying bills still returns every bill once.
struct ContinuationPage: Sendable {
    struct Token: Codable {
        var after: Int
        var pageSize: Int
    }

    let records: [SandboxJSON]
    let nextToken: String?

    init(_ sequenced: [(sequence: Int, record: SandboxJSON)], matching: (SandboxJSON) -> Bool, token: String?, pageSize: Int)
        throws
    {
        var after = 0
        var size = pageSize
        if let token, !token.isEmpty {
            guard let data = Data(base64Encoded: Self.padded(token)), let decoded = try? JSONDecoder().decode(Token.self, from: data)
            else {
                throw SandboxError.badRequest("Malformed continuation token '\(token)'.")
            }
            after = decoded.after
            size = decoded.pageSize
        }
        var page: [(Int, SandboxJSON)] = []
        var more = false
        for item in sequenced where item.sequence > after && matching(item.record) {
            if page.count == size {
                more = true
                break
            }
            page.append((item.sequence, item.record))
        }
        records = page.map(\.1)
        if more, let last = page.last {
            let data = (try? JSONEncoder().encode(Token(after: last.0, pageSize: size))) ?? Data()
            nextToken = data.base64EncodedString()
        } else {
            nextToken = nil
        }
    }

    private static func padded(_ token: String) -> String {
        let trimmed = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return trimmed + String(repeating: "=", count: (4 - trimmed.count % 4) % 4)
    }
}

/// A record shown through a generated model: decoded into the model and encoded again, so
/// that a response carries the model's fields and nothing else (a v1 bill seen through the
/// synchronous `Bill` loses `paymentAllocations`, for instance).
enum Projection {
    static func data<T: Codable>(_ type: T.Type, _ json: SandboxJSON) throws -> Data {
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: json.data())
        } catch {
            let (path, reason) = SandboxError.describe(error)
            throw SandboxError(status: 500, message: "Stored data does not fit \(T.self): \(reason) (at \(path)).")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func response<T: Codable>(_ type: T.Type, _ json: SandboxJSON, status: Int = 200) throws -> APIResponse {
        .json(try data(type, json), status: status)
    }

    /// A list response: the wrapper (paging fields) through `List`, each record through
    /// `Item`, remembered per record so that paging through many records stays cheap.
    static func list<List: Codable, Item: Codable>(
        _ list: List.Type, of item: Item.Type, wrapper: SandboxJSON, results: [SandboxJSON]
    ) throws -> APIResponse {
        var empty = wrapper
        empty["results"] = []
        let outer = try data(List.self, empty)
        let marker = Data(#""results":[]"#.utf8)
        guard let range = outer.range(of: marker) else {
            return try response(List.self, { var full = wrapper; full["results"] = .array(results); return full }())
        }
        var body = Data(outer[..<range.lowerBound])
        body += Data(#""results":["#.utf8)
        for (index, record) in results.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += try cache.item(Item.self, record)
        }
        body.append(UInt8(ascii: "]"))
        body += outer[range.upperBound...]
        return .json(body)
    }

    static let cache = ProjectionCache()
}

/// Projected records by model and record value. Records are values, so a changed record
/// is simply a new key; the cache is emptied when it grows large.
final class ProjectionCache: Sendable {
    private struct Key: Hashable {
        let model: ObjectIdentifier
        let record: SandboxJSON
    }

    private let entries = Locked<[Key: Data]>([:])
    private let limit = 50_000

    func item<T: Codable>(_ type: T.Type, _ record: SandboxJSON) throws -> Data {
        let key = Key(model: ObjectIdentifier(T.self), record: record)
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let projected = try Projection.data(T.self, record)
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = projected
        }
        return projected
    }
}
