import BillPay
import BillPayPostgres
import Foundation
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

    private static func run(_ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}

struct PostgresServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
