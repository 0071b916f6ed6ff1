import BillPay
import CodatWebhooks
import Foundation
import GRDB

/// The journal as a `WebhookReceiver`'s deduplication: a `webhook-id` claimed is a row of
/// `webhook_claims` until `webhookRetention` has passed, in the same durable file, so Codat's
/// retries and replays of a message (delivery is at least once, CODAT-FACTS §4) are handled once
/// across restarts of the process, and by every process that opens the file.
extension SQLitePaymentRunJournal: WebhookDeduplication {
    /// Inserts the claim unless a live one exists, in one write transaction (SQLite takes one
    /// writer at a time, so two connections claiming one id get one `true`). Claims past their
    /// retention are deleted on the way.
    public func claim(_ webhookID: String) async throws -> Bool {
        let now = Date().timeIntervalSince1970
        let expiry = now + webhookRetention.timeInterval
        return try await guarded {
            try await self.pool.write { db -> Bool in
                try db.execute(sql: "DELETE FROM webhook_claims WHERE expires_at <= ?", arguments: [now])
                try db.execute(sql: "INSERT INTO webhook_claims (webhook_id, expires_at) VALUES (?, ?) ON CONFLICT (webhook_id) DO NOTHING",
                               arguments: [webhookID, expiry])
                return db.changesCount > 0
            }
        }
    }

    public func release(_ webhookID: String) async throws {
        try await guarded {
            try await self.pool.write { db in try db.execute(sql: "DELETE FROM webhook_claims WHERE webhook_id = ?", arguments: [webhookID]) }
        }
    }
}

extension Duration {
    var timeInterval: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
