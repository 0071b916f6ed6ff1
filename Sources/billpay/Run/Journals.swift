import BillPay
import BillPayPostgres
import BillPaySQLite
import Foundation

/// The journal `--journal` names, open: a SQLite file, or a PostgreSQL database shared by workers.
struct OpenJournal: Sendable {
    let journal: any PaymentRunJournal
    /// Stopped by `close` (its client runs in a task of its own).
    let close: @Sendable () -> Void

    static func open(_ options: JournalOptions) async throws -> OpenJournal {
        guard options.isPostgres else {
            do {
                return OpenJournal(journal: try SQLitePaymentRunJournal(path: options.journal), close: {})
            } catch {
                throw CommandError("the journal \(options.journal) cannot be opened: \(error)")
            }
        }
        guard let url = URLComponents(string: options.journal), let host = url.host, !host.isEmpty else {
            throw CommandError("--journal \(options.redactedJournal) is not a PostgreSQL URL")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let password = url.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        do {
            let journal = try await PostgresPaymentRunJournal.connect(
                host: host, port: url.port ?? 5432, username: url.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres",
                password: password, database: database.isEmpty ? nil : database)
            return OpenJournal(journal: journal, close: { journal.shutdown() })
        } catch {
            throw CommandError("the journal \(options.redactedJournal) cannot be opened: \(String(reflecting: error))")
        }
    }
}
