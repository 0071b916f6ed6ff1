import BillPay
import BillPayPostgres
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// A throwaway PostgreSQL server for one test (Tests/postgres/start-postgres.sh): on a loopback
/// port, in a temp folder, stopped and deleted when the test ends. Skips the test, saying why,
/// only where PostgreSQL is missing and cannot be installed.
struct PostgresServer {
    let port: Int
    let folder: String

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("postgres/start-postgres.sh").path

    static func start(_ test: XCTestCase) throws -> PostgresServer {
        let (status, output, errors) = try run(["start"])
        if status == 3 {
            print("PostgreSQL tests skipped: \(errors.trimmingCharacters(in: .whitespacesAndNewlines))")
            throw XCTSkip("PostgreSQL cannot be installed here: \(errors)")
        }
        guard status == 0 else { throw PostgresServerError(message: "start-postgres.sh failed (\(status)): \(errors)") }
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let port = values["BILLPAY_POSTGRES_PORT"].flatMap(Int.init), let folder = values["BILLPAY_POSTGRES_DIR"] else {
            throw PostgresServerError(message: "start-postgres.sh printed no port: \(output)")
        }
        let server = PostgresServer(port: port, folder: folder)
        test.addTeardownBlock { _ = try? run(["stop", folder]) }
        return server
    }

    /// A journal client of its own (a worker process would have one).
    func journal() async throws -> PostgresPaymentRunJournal {
        try await PostgresPaymentRunJournal.connect(host: "127.0.0.1", port: port, username: "billpay", database: "billpay", logger: quietRunLogger)
    }

    /// Runs the script through `system()`, its output in files. Not Foundation's `Process`: here
    /// (an async test, the script leaving a server running behind it) `waitUntilExit()` never saw
    /// the script exit (a zombie `bash`), and reading pipes to their end would also wait on the
    /// server, which inherits them: the first run of these tests hung there.
    private static func run(_ arguments: [String]) throws -> (Int32, String, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("start-postgres-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outPath = folder.appendingPathComponent("out").path, errPath = folder.appendingPathComponent("err").path
        func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = (["/bin/bash", script] + arguments).map(quoted).joined(separator: " ")
            + " </dev/null >\(quoted(outPath)) 2>\(quoted(errPath))"
        let status = system(command)
        guard status != -1, status & 0x7f == 0 else { throw PostgresServerError(message: "start-postgres.sh did not run to its end (status \(status))") }
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return ((status >> 8) & 0xff, output, errors)
    }
}

struct PostgresServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
