import BillPay
import CodatWebhooks
import Foundation
import Logging
import PostgresNIO

/// The payment-run journal in PostgreSQL (through postgres-nio), for several worker processes
/// sharing one run: each claims intents with `SELECT … FOR UPDATE SKIP LOCKED` (two workers
/// never claim the same intent, and never wait on each other's rows), under a lease that the
/// worker renews while it works; once a crashed worker's lease has run out, another claims its
/// intents and resumes them from their delivery entries (reconciling, never sending blind).
///
/// Leases are measured on the database server's clock (`clock_timestamp()`), the one clock
/// every worker shares; the `now` arguments of `PaymentRunJournal` are not used.
///
/// It is also a `WebhookDeduplication` (`webhook_claims`, kept `webhookRetention`): webhook
/// receivers of several processes sharing the database handle each message once, across restarts.
///
/// ```swift
/// let journal = try await PostgresPaymentRunJournal.connect(host: "127.0.0.1", port: 5432, username: "billpay",
///                                                           password: nil, database: "billpay")
/// defer { journal.shutdown() }
/// ```
public final class PostgresPaymentRunJournal: PaymentRunJournal, Sendable {
    public let client: PostgresClient
    /// How long a webhook claim is kept (`WebhookDeduplication`): by default 30 hours, longer
    /// than Codat's 28-hour retry schedule (CODAT-FACTS §4).
    public let webhookRetention: Duration
    let logger: Logger
    private let runner: Task<Void, Never>?

    /// A journal on a client the caller runs (`client.run()` in a task of its own).
    public init(client: PostgresClient, webhookRetention: Duration = InMemoryWebhookDeduplication.defaultRetention,
                logger: Logger = Logger(label: "billpay.payment-run-journal")) {
        self.client = client
        self.webhookRetention = webhookRetention
        self.logger = logger
        runner = nil
    }

    /// Starts `client.run()` and returns once its task is under way: a query sent before would
    /// still wait for it, but postgres-nio warns (on the command's stderr) that `run()` was not called.
    private init(runningClient client: PostgresClient, webhookRetention: Duration, logger: Logger) async {
        self.client = client
        self.webhookRetention = webhookRetention
        self.logger = logger
        let (started, signal) = AsyncStream<Void>.makeStream()
        runner = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
        await Task.yield()
    }

    /// Connects (no TLS: a server on this machine or a private network), runs the client until
    /// `shutdown()`, and creates the tables when missing.
    public static func connect(host: String, port: Int = 5432, username: String, password: String? = nil, database: String? = nil,
                               webhookRetention: Duration = InMemoryWebhookDeduplication.defaultRetention,
                               logger: Logger = Logger(label: "billpay.payment-run-journal")) async throws -> PostgresPaymentRunJournal {
        let configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: .disable)
        let journal = await PostgresPaymentRunJournal(runningClient: PostgresClient(configuration: configuration, backgroundLogger: logger),
                                                      webhookRetention: webhookRetention, logger: logger)
        do {
            try await journal.prepareSchema()
        } catch {
            journal.shutdown()
            throw error
        }
        return journal
    }

    /// Stops the client started by `connect`.
    public func shutdown() { runner?.cancel() }

    /// Creates the tables when missing (several workers may call it at once).
    public func prepareSchema() async throws {
        try await guarded {
            try await client.withTransaction(logger: logger) { connection in
                // One worker at a time: CREATE … IF NOT EXISTS alone races in PostgreSQL.
                try await connection.query("SELECT pg_advisory_xact_lock(7243190311)", logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS payment_deliveries (
                        journal_key TEXT PRIMARY KEY, company_id TEXT NOT NULL, intent_id TEXT NOT NULL,
                        status TEXT NOT NULL, data TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())
                    """, logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS payment_runs (
                        run_id TEXT PRIMARY KEY, data TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())
                    """, logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS payment_run_intents (
                        run_id TEXT NOT NULL REFERENCES payment_runs(run_id), intent_id TEXT NOT NULL, position BIGINT NOT NULL,
                        state TEXT NOT NULL, intent TEXT NOT NULL, payment TEXT NOT NULL, record_id TEXT, refusal TEXT, note TEXT,
                        claims BIGINT NOT NULL DEFAULT 0, worker TEXT, lease_expires_at TIMESTAMPTZ,
                        updated_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
                        PRIMARY KEY (run_id, intent_id))
                    """, logger: logger)
                try await connection.query(
                    "CREATE INDEX IF NOT EXISTS payment_run_intents_by_state ON payment_run_intents (run_id, state, position)", logger: logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS webhook_claims (webhook_id TEXT PRIMARY KEY, expires_at TIMESTAMPTZ NOT NULL)", logger: logger)
                try await connection.query(
                    "CREATE INDEX IF NOT EXISTS webhook_claims_by_expiry ON webhook_claims (expires_at)", logger: logger)
            }
        }
    }

    // MARK: PaymentJournalStorage

    public func load(_ key: String) async throws -> PaymentResumeData? {
        let rows = try await guarded { try await client.query("SELECT data FROM payment_deliveries WHERE journal_key = \(key)", logger: logger) }
        for try await data in rows.decode(String.self) { return try PaymentJournalCoding.decode(PaymentResumeData.self, data) }
        return nil
    }

    public func save(_ entry: PaymentResumeData) async throws {
        let data = try PaymentJournalCoding.encode(entry)
        let (key, company, intent, status) = (entry.journalKey, entry.companyId, entry.intentId.rawValue, entry.status.rawValue)
        _ = try await guarded {
            try await client.query("""
                INSERT INTO payment_deliveries (journal_key, company_id, intent_id, status, data) VALUES (\(key), \(company), \(intent), \(status), \(data))
                ON CONFLICT (journal_key) DO UPDATE SET status = excluded.status, data = excluded.data, updated_at = clock_timestamp()
                """, logger: logger)
        }
    }

    public func all() async throws -> [PaymentResumeData] {
        let rows = try await guarded { try await client.query("SELECT data FROM payment_deliveries", logger: logger) }
        var entries: [PaymentResumeData] = []
        for try await data in rows.decode(String.self) { entries.append(try PaymentJournalCoding.decode(PaymentResumeData.self, data)) }
        return entries
    }

    // MARK: Runs

    public func createRun(_ run: PaymentRunRecord, entries: [PaymentRunEntry]) async throws -> PaymentRunRecord {
        let runData = try PaymentJournalCoding.encode(run)
        let runId = run.runId
        let ids = entries.map(\.intentId.rawValue), positions = entries.map(\.position), states = entries.map(\.state.rawValue)
        let intents = try entries.map { try PaymentJournalCoding.encode($0.intent) }
        let payments = try entries.map { try PaymentJournalCoding.encode($0.payment) }
        let stored: String = try await guarded {
            try await client.withTransaction(logger: logger) { connection in
                let inserted = try await connection.query(
                    "INSERT INTO payment_runs (run_id, data) VALUES (\(runId), \(runData)) ON CONFLICT (run_id) DO NOTHING RETURNING run_id", logger: logger)
                var isNew = false
                for try await _ in inserted.decode(String.self) { isNew = true }
                guard isNew else {
                    let existing = try await connection.query("SELECT data FROM payment_runs WHERE run_id = \(runId)", logger: logger)
                    for try await data in existing.decode(String.self) { return data }
                    throw PaymentRunJournalError.notFound(runId: runId, intentId: nil)
                }
                try await connection.query("""
                    INSERT INTO payment_run_intents (run_id, intent_id, position, state, intent, payment)
                    SELECT \(runId), i, p, s, it, pay FROM unnest(\(ids)::text[], \(positions)::bigint[], \(states)::text[], \(intents)::text[], \(payments)::text[])
                        AS t(i, p, s, it, pay)
                    """, logger: logger)
                return runData
            }
        }
        return try PaymentJournalCoding.decode(PaymentRunRecord.self, stored)
    }

    public func run(_ runId: String) async throws -> PaymentRunRecord? {
        let rows = try await guarded { try await client.query("SELECT data FROM payment_runs WHERE run_id = \(runId)", logger: logger) }
        for try await data in rows.decode(String.self) { return try PaymentJournalCoding.decode(PaymentRunRecord.self, data) }
        return nil
    }

    public func runs() async throws -> [PaymentRunRecord] {
        let rows = try await guarded { try await client.query("SELECT data FROM payment_runs ORDER BY created_at, run_id", logger: logger) }
        var records: [PaymentRunRecord] = []
        for try await data in rows.decode(String.self) { records.append(try PaymentJournalCoding.decode(PaymentRunRecord.self, data)) }
        return records
    }

    static let columns = "run_id, intent_id, position, state, intent, payment, record_id, refusal, note, claims, worker, lease_expires_at, updated_at"

    public func entries(runId: String) async throws -> [PaymentRunEntry] {
        let rows = try await guarded {
            try await client.query("SELECT \(unescaped: Self.columns) FROM payment_run_intents WHERE run_id = \(runId) ORDER BY position", logger: logger)
        }
        return try await Self.entries(rows)
    }

    public func claim(runId: String, worker: String, limit: Int, lease: Duration, excluding: Set<PaymentIntentID>, now: Date) async throws -> PaymentRunClaim {
        let excluded = excluding.map(\.rawValue)
        let seconds = lease.leaseSeconds
        return try await guarded {
            try await client.withTransaction(logger: logger) { connection in
                // SKIP LOCKED: rows another worker is claiming right now are passed over, not waited for.
                let claimed = try await connection.query("""
                    WITH picked AS (
                        SELECT intent_id FROM payment_run_intents
                        WHERE run_id = \(runId) AND state NOT IN ('recorded', 'refused', 'resolved')
                          AND NOT (intent_id = ANY(\(excluded)::text[]))
                          AND (worker IS NULL OR worker = \(worker) OR lease_expires_at IS NULL OR lease_expires_at <= clock_timestamp())
                        ORDER BY position LIMIT \(limit)
                        FOR UPDATE SKIP LOCKED)
                    UPDATE payment_run_intents AS i
                    SET worker = \(worker), lease_expires_at = clock_timestamp() + make_interval(secs => \(seconds)),
                        claims = i.claims + 1, updated_at = clock_timestamp()
                    FROM picked WHERE i.run_id = \(runId) AND i.intent_id = picked.intent_id
                    RETURNING \(unescaped: Self.columns.split(separator: ",").map { "i.\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", "))
                    """, logger: logger)
                let entries = try await Self.entries(claimed).sorted { $0.position < $1.position }
                let others = try await connection.query("""
                    SELECT COUNT(*), MIN(lease_expires_at) FROM payment_run_intents
                    WHERE run_id = \(runId) AND state NOT IN ('recorded', 'refused', 'resolved')
                      AND worker IS NOT NULL AND worker <> \(worker) AND lease_expires_at > clock_timestamp()
                    """, logger: logger)
                var held = 0
                var next: Date?
                for try await (count, expiry) in others.decode((Int, Date?).self) { (held, next) = (count, expiry) }
                return PaymentRunClaim(entries: entries, leasedElsewhere: held, nextLeaseExpiry: next)
            }
        }
    }

    public func renew(runId: String, worker: String, intentIds: [PaymentIntentID], lease: Duration, now: Date) async throws -> Set<PaymentIntentID> {
        let ids = intentIds.map(\.rawValue)
        let seconds = lease.leaseSeconds
        let rows = try await guarded {
            try await client.query("""
                UPDATE payment_run_intents SET lease_expires_at = clock_timestamp() + make_interval(secs => \(seconds))
                WHERE run_id = \(runId) AND intent_id = ANY(\(ids)::text[]) AND worker = \(worker)
                RETURNING intent_id
                """, logger: logger)
        }
        var held = Set<PaymentIntentID>()
        for try await id in rows.decode(String.self) { held.insert(PaymentIntentID(id)) }
        return held
    }

    public func update(runId: String, intentId: PaymentIntentID, worker: String, state: PaymentRunIntentState, recordId: String?,
                       refusal: PaymentRefusal?, note: String?, release: Bool, now: Date) async throws {
        let refusalText = try refusal.map { try PaymentJournalCoding.encode($0) }
        let (id, stateName) = (intentId.rawValue, state.rawValue)
        let holder: String?? = try await guarded {
            try await client.withTransaction(logger: logger) { connection in
                let updated = try await connection.query("""
                    UPDATE payment_run_intents SET state = \(stateName), record_id = COALESCE(\(recordId), record_id), refusal = \(refusalText),
                        note = \(note), updated_at = clock_timestamp(),
                        worker = CASE WHEN \(release) THEN NULL ELSE worker END,
                        lease_expires_at = CASE WHEN \(release) THEN NULL ELSE lease_expires_at END
                    WHERE run_id = \(runId) AND intent_id = \(id)
                      AND (worker IS NULL OR worker = \(worker) OR lease_expires_at IS NULL OR lease_expires_at <= clock_timestamp())
                    RETURNING intent_id
                    """, logger: logger)
                for try await _ in updated.decode(String.self) { return nil }
                let current = try await connection.query("SELECT worker FROM payment_run_intents WHERE run_id = \(runId) AND intent_id = \(id)", logger: logger)
                for try await worker in current.decode(String?.self) { return .some(worker) }
                return .some(nil)
            }
        }
        switch holder {
        case nil: return
        case .some(nil): throw PaymentRunJournalError.notFound(runId: runId, intentId: intentId.rawValue)
        case let .some(.some(other)): throw PaymentRunJournalError.leaseLost(runId: runId, intentId: intentId.rawValue, holder: other)
        }
    }

    // MARK: Rows

    static func entries(_ rows: PostgresRowSequence) async throws -> [PaymentRunEntry] {
        var entries: [PaymentRunEntry] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            guard let state = PaymentRunIntentState(rawValue: try columns["state"].decode(String.self)) else {
                throw PaymentRunJournalError.storage("an intent has an unknown state")
            }
            entries.append(PaymentRunEntry(
                runId: try columns["run_id"].decode(String.self), position: Int(try columns["position"].decode(Int64.self)),
                intent: try PaymentJournalCoding.decode(PaymentRunIntent.self, try columns["intent"].decode(String.self)),
                payment: try PaymentJournalCoding.decode(PlannedPayment.self, try columns["payment"].decode(String.self)),
                state: state, recordId: try columns["record_id"].decode(String?.self),
                refusal: try columns["refusal"].decode(String?.self).map { try PaymentJournalCoding.decode(PaymentRefusal.self, $0) },
                note: try columns["note"].decode(String?.self), claims: Int(try columns["claims"].decode(Int64.self)),
                worker: try columns["worker"].decode(String?.self), leaseExpiresAt: try columns["lease_expires_at"].decode(Date?.self),
                updatedAt: try columns["updated_at"].decode(Date.self)))
        }
        return entries
    }

    /// PostgreSQL's errors as the journal's (the server's message, never the connection's password).
    func guarded<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as PaymentRunJournalError {
            throw error
        } catch let error as PSQLError {
            throw PaymentRunJournalError.storage("PostgreSQL: \(error.serverInfo?[.message] ?? "\(error.code)")")
        }
    }
}

extension Duration {
    var leaseSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
