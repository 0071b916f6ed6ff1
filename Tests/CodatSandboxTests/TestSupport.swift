import CodatSandbox
import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A response as a test sees it.
struct HTTPResult {
    let status: Int
    let headers: [String: String]
    let body: Data

    var json: SandboxJSON {
        (try? SandboxJSON(data: body)) ?? .null
    }

    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Real HTTP over loopback with URLSession, one ephemeral session per client.
struct TestClient {
    let baseURL: URL
    let session: URLSession
    var authorization: String? = "Basic dGVzdC1rZXk="

    init(_ sandbox: CodatSandbox, authorization: String? = "Basic dGVzdC1rZXk=") {
        baseURL = sandbox.baseURL
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
        self.authorization = authorization
    }

    /// `target` is the path and query, sent as written (percent-encode it yourself).
    func send(
        _ method: String, _ target: String, json: SandboxJSON? = nil, body: Data? = nil, headers: [String: String] = [:]
    ) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: baseURL.absoluteString + target)!)
        request.httpMethod = method
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = json.data()
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let body { request.httpBody = body }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            fields["\(key)"] = "\(value)"
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    func get(_ target: String) async throws -> HTTPResult {
        try await send("GET", target)
    }

    func post(_ target: String, _ json: SandboxJSON, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await send("POST", target, json: json, headers: headers)
    }
}

/// Percent-encodes a query value (`&`, `=`, `>` and friends included).
func encoded(_ value: String) -> String {
    value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
}

extension SandboxCompany {
    /// `/companies/{id}/connections/{connectionId}/payables`
    var payables: String { "/companies/\(id)/connections/\(connectionId ?? "")/payables" }
    /// `/companies/{id}/connections/{connectionId}/push`
    var push: String { "/companies/\(id)/connections/\(connectionId ?? "")/push" }
    /// `/companies/{id}/data`
    var data: String { "/companies/\(id)/data" }
}

extension XCTestCase {
    /// Starts a sandbox for one test and stops it when the test ends.
    func startSandbox(_ configuration: SandboxConfiguration = SandboxConfiguration()) async throws -> CodatSandbox {
        let sandbox = try await CodatSandbox.start(configuration)
        addTeardownBlock { await sandbox.stop() }
        return sandbox
    }

    /// Polls until `condition` holds or `timeout` passes.
    func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }
}

extension SandboxJSON {
    var results: [SandboxJSON] { self["results"]?.array ?? [] }
}

/// Exact decimals from text, for comparisons with amounts.
func dec(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
}
