import BillPay
import CodatWebhooks
import Foundation
import PostgresNIO

/// The journal as a `WebhookReceiver`'s deduplication: a `webhook-id` claimed is a row of
/// `webhook_claims` until `webhookRetention` has passed (on the server's clock), so Codat's
/// retries and replays of a message (delivery is at least once, CODAT-FACTS §4) are handled once
/// by every receiver sharing the database, across restarts.
extension PostgresPaymentRunJournal: WebhookDeduplication {
    /// One statement: insert the claim, or take over one whose retention has passed. Two
    /// connections claiming one id at once: the second waits on the first's row (primary key)
    /// and then finds it live, so exactly one gets `true`. Expired claims are deleted first.
    public func claim(_ webhookID: String) async throws -> Bool {
        let seconds = webhookRetention.leaseSeconds
        return try await guarded {
            try await client.query("DELETE FROM webhook_claims WHERE expires_at <= clock_timestamp()", logger: logger)
            let rows = try await client.query("""
                INSERT INTO webhook_claims (webhook_id, expires_at) VALUES (\(webhookID), clock_timestamp() + make_interval(secs => \(seconds)))
                ON CONFLICT (webhook_id) DO UPDATE SET expires_at = excluded.expires_at WHERE webhook_claims.expires_at <= clock_timestamp()
                RETURNING webhook_id
                """, logger: logger)
            for try await _ in rows.decode(String.self) { return true }
            return false
        }
    }

    public func release(_ webhookID: String) async throws {
        _ = try await guarded { try await client.query("DELETE FROM webhook_claims WHERE webhook_id = \(webhookID)", logger: logger) }
    }
}
