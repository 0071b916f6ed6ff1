import BillPay
import CodatWebhooks
import Foundation
import GRDB

/// The payment-run journal in one SQLite file (through GRDB), in WAL mode with `synchronous =
/// FULL`: every write is on disk when it returns, so a process killed at any instant leaves a
/// journal its next start resumes from. The embedded default of `PaymentRun`.
///
/// Tables: `payment_deliveries` (the Bill Pay layer's `PaymentResumeData` per intent: keys, send
/// times, push operation), `payment_runs`, `payment_run_intents` (state, record id, refusal,
/// lease), `webhook_claims` (as `WebhookDeduplication`: the `webhook-id`s taken in, kept for
/// `webhookRetention`, so that a restart does not handle Codat's retries again). Several processes may open the same file (SQLite locks it; writers wait up to
/// `busyTimeout`); for workers on several machines use `PostgresPaymentRunJournal`.
public final class SQLitePaymentRunJournal: PaymentRunJournal, Sendable {
    /// The database file.
    public let path: String
    /// How long a webhook claim is kept (`WebhookDeduplication`): by default 30 hours, longer
    /// than Codat's 28-hour retry schedule (CODAT-FACTS §4).
    public let webhookRetention: Duration
    let pool: DatabasePool

    /// Opens (creating it if needed) the journal at `path`.
    public init(path: String, busyTimeout: TimeInterval = 30, webhookRetention: Duration = InMemoryWebhookDeduplication.defaultRetention) throws {
        self.path = path
        self.webhookRetention = webhookRetention
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // WAL (set by DatabasePool) with FULL: a commit is durable when it returns.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw PaymentRunJournalError.storage("cannot open \(path): \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE payment_deliveries (
                    journal_key TEXT PRIMARY KEY NOT NULL,
                    company_id TEXT NOT NULL,
                    intent_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    data TEXT NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE payment_runs (
                    run_id TEXT PRIMARY KEY NOT NULL,
                    data TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE payment_run_intents (
                    run_id TEXT NOT NULL REFERENCES payment_runs(run_id),
                    intent_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    intent TEXT NOT NULL,
                    payment TEXT NOT NULL,
                    record_id TEXT,
                    refusal TEXT,
                    note TEXT,
                    claims INTEGER NOT NULL DEFAULT 0,
                    worker TEXT,
                    lease_expires_at REAL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (run_id, intent_id)
                );
                CREATE INDEX payment_run_intents_by_state ON payment_run_intents (run_id, state, position);
                """)
        }
        migrator.registerMigration("v2-webhook-claims") { db in
            try db.execute(sql: """
                CREATE TABLE webhook_claims (
                    webhook_id TEXT PRIMARY KEY NOT NULL,
                    expires_at REAL NOT NULL
                );
                CREATE INDEX webhook_claims_by_expiry ON webhook_claims (expires_at);
                """)
        }
        return migrator
    }

    // MARK: PaymentJournalStorage

    public func load(_ key: String) async throws -> PaymentResumeData? {
        let text = try await guarded { try await self.pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM payment_deliveries WHERE journal_key = ?", arguments: [key]) } }
        return try text.map { try PaymentJournalCoding.decode(PaymentResumeData.self, $0) }
    }

    public func save(_ entry: PaymentResumeData) async throws {
        let data = try PaymentJournalCoding.encode(entry)
        try await guarded {
            try await self.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO payment_deliveries (journal_key, company_id, intent_id, status, data, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (journal_key) DO UPDATE SET status = excluded.status, data = excluded.data, updated_at = excluded.updated_at
                    """, arguments: [entry.journalKey, entry.companyId, entry.intentId.rawValue, entry.status.rawValue, data, Date().timeIntervalSince1970])
            }
        }
    }

    public func all() async throws -> [PaymentResumeData] {
        let texts = try await guarded { try await self.pool.read { db in try String.fetchAll(db, sql: "SELECT data FROM payment_deliveries") } }
        return try texts.map { try PaymentJournalCoding.decode(PaymentResumeData.self, $0) }
    }

    // MARK: Runs

    public func createRun(_ run: PaymentRunRecord, entries: [PaymentRunEntry]) async throws -> PaymentRunRecord {
        let runData = try PaymentJournalCoding.encode(run)
        let rows = try entries.map { entry in
            (entry, try PaymentJournalCoding.encode(entry.intent), try PaymentJournalCoding.encode(entry.payment))
        }
        let stored: String = try await guarded {
            try await self.pool.write { db -> String in
                if let existing = try String.fetchOne(db, sql: "SELECT data FROM payment_runs WHERE run_id = ?", arguments: [run.runId]) {
                    return existing
                }
                try db.execute(sql: "INSERT INTO payment_runs (run_id, data, created_at) VALUES (?, ?, ?)",
                               arguments: [run.runId, runData, run.createdAt.timeIntervalSince1970])
                let insert = try db.makeStatement(sql: """
                    INSERT INTO payment_run_intents (run_id, intent_id, position, state, intent, payment, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for (entry, intent, payment) in rows {
                    try insert.execute(arguments: [run.runId, entry.intentId.rawValue, entry.position, entry.state.rawValue, intent, payment,
                                                   entry.updatedAt.timeIntervalSince1970])
                }
                return runData
            }
        }
        return try PaymentJournalCoding.decode(PaymentRunRecord.self, stored)
    }

    public func run(_ runId: String) async throws -> PaymentRunRecord? {
        let text = try await guarded { try await self.pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM payment_runs WHERE run_id = ?", arguments: [runId]) } }
        return try text.map { try PaymentJournalCoding.decode(PaymentRunRecord.self, $0) }
    }

    public func runs() async throws -> [PaymentRunRecord] {
        let texts = try await guarded {
            try await self.pool.read { db in try String.fetchAll(db, sql: "SELECT data FROM payment_runs ORDER BY created_at, run_id") }
        }
        return try texts.map { try PaymentJournalCoding.decode(PaymentRunRecord.self, $0) }
    }

    public func entries(runId: String) async throws -> [PaymentRunEntry] {
        try await guarded {
            try await self.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM payment_run_intents WHERE run_id = ? ORDER BY position", arguments: [runId]).map(Self.entry)
            }
        }
    }

    public func claim(runId: String, worker: String, limit: Int, lease: Duration, excluding: Set<PaymentIntentID>, now: Date) async throws -> PaymentRunClaim {
        let nowSeconds = now.timeIntervalSince1970
        let expiry = nowSeconds + lease.timeInterval
        let excluded = Set(excluding.map(\.rawValue))
        let (entries, elsewhere, nextExpiry): ([PaymentRunEntry], Int, Double?) = try await guarded {
            try await self.pool.write { db -> ([PaymentRunEntry], Int, Double?) in
                // Free (no lease, an expired one, or this worker's own), not final, in plan order.
                let cursor = try Row.fetchCursor(db, sql: """
                    SELECT intent_id FROM payment_run_intents
                    WHERE run_id = ? AND state NOT IN ('recorded', 'refused', 'resolved')
                      AND (worker IS NULL OR worker = ? OR lease_expires_at IS NULL OR lease_expires_at <= ?)
                    ORDER BY position
                    """, arguments: [runId, worker, nowSeconds])
                var picked: [String] = []
                while picked.count < limit, let row = try cursor.next() {
                    let id: String = row["intent_id"]
                    if !excluded.contains(id) { picked.append(id) }
                }
                let update = try db.makeStatement(sql: """
                    UPDATE payment_run_intents SET worker = ?, lease_expires_at = ?, claims = claims + 1, updated_at = ?
                    WHERE run_id = ? AND intent_id = ?
                    """)
                for id in picked { try update.execute(arguments: [worker, expiry, nowSeconds, runId, id]) }
                let claimed = try picked.compactMap { id in
                    try Row.fetchOne(db, sql: "SELECT * FROM payment_run_intents WHERE run_id = ? AND intent_id = ?", arguments: [runId, id]).map(Self.entry)
                }
                let others = try Row.fetchOne(db, sql: """
                    SELECT COUNT(*) AS held, MIN(lease_expires_at) AS next FROM payment_run_intents
                    WHERE run_id = ? AND state NOT IN ('recorded', 'refused', 'resolved') AND worker IS NOT NULL AND worker <> ? AND lease_expires_at > ?
                    """, arguments: [runId, worker, nowSeconds])
                return (claimed, others?["held"] ?? 0, others?["next"])
            }
        }
        return PaymentRunClaim(entries: entries, leasedElsewhere: elsewhere,
                               nextLeaseExpiry: nextExpiry.map { Date(timeIntervalSince1970: $0) })
    }

    public func renew(runId: String, worker: String, intentIds: [PaymentIntentID], lease: Duration, now: Date) async throws -> Set<PaymentIntentID> {
        let expiry = now.timeIntervalSince1970 + lease.timeInterval
        let ids = intentIds.map(\.rawValue)
        let held: [String] = try await guarded {
            try await self.pool.write { db -> [String] in
                var held: [String] = []
                let update = try db.makeStatement(sql: "UPDATE payment_run_intents SET lease_expires_at = ? WHERE run_id = ? AND intent_id = ? AND worker = ?")
                for id in ids {
                    try update.execute(arguments: [expiry, runId, id, worker])
                    if db.changesCount > 0 { held.append(id) }
                }
                return held
            }
        }
        return Set(held.map { PaymentIntentID($0) })
    }

    public func update(runId: String, intentId: PaymentIntentID, worker: String, state: PaymentRunIntentState, recordId: String?,
                       refusal: PaymentRefusal?, note: String?, release: Bool, now: Date) async throws {
        let refusalText = try refusal.map { try PaymentJournalCoding.encode($0) }
        let nowSeconds = now.timeIntervalSince1970
        let holder: String?? = try await guarded {
            try await self.pool.write { db -> String?? in
                guard let row = try Row.fetchOne(db, sql: "SELECT worker, lease_expires_at FROM payment_run_intents WHERE run_id = ? AND intent_id = ?",
                                                 arguments: [runId, intentId.rawValue]) else { return .some(nil) }
                let current: String? = row["worker"]
                let expiry: Double? = row["lease_expires_at"]
                if let current, current != worker, let expiry, expiry > nowSeconds { return .some(current) }
                try db.execute(sql: """
                    UPDATE payment_run_intents SET state = ?, record_id = COALESCE(?, record_id), refusal = ?, note = ?, updated_at = ?,
                        worker = CASE WHEN ? THEN NULL ELSE worker END, lease_expires_at = CASE WHEN ? THEN NULL ELSE lease_expires_at END
                    WHERE run_id = ? AND intent_id = ?
                    """, arguments: [state.rawValue, recordId, refusalText, note, nowSeconds, release, release, runId, intentId.rawValue])
                return nil
            }
        }
        switch holder {
        case nil: return
        case .some(nil): throw PaymentRunJournalError.notFound(runId: runId, intentId: intentId.rawValue)
        case let .some(.some(other)): throw PaymentRunJournalError.leaseLost(runId: runId, intentId: intentId.rawValue, holder: other)
        }
    }

    // MARK: Rows

    static func entry(_ row: Row) throws -> PaymentRunEntry {
        let lease: Double? = row["lease_expires_at"]
        let refusal: String? = row["refusal"]
        guard let state = PaymentRunIntentState(rawValue: row["state"]) else {
            throw PaymentRunJournalError.storage("intent \(row["intent_id"] as String? ?? "?") has unknown state \(row["state"] as String? ?? "?")")
        }
        return PaymentRunEntry(
            runId: row["run_id"], position: row["position"], intent: try PaymentJournalCoding.decode(PaymentRunIntent.self, row["intent"]),
            payment: try PaymentJournalCoding.decode(PlannedPayment.self, row["payment"]), state: state, recordId: row["record_id"],
            refusal: try refusal.map { try PaymentJournalCoding.decode(PaymentRefusal.self, $0) }, note: row["note"], claims: row["claims"],
            worker: row["worker"], leaseExpiresAt: lease.map { Date(timeIntervalSince1970: $0) },
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    /// SQLite's errors as the journal's.
    func guarded<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as DatabaseError {
            throw PaymentRunJournalError.storage("\(path): \(error)")
        }
    }
}
