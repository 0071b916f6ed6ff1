/// The three headers of a Standard Webhooks (Svix) delivery, as Codat sends them
/// (CODAT-FACTS.md §4). HTTP header names are case-insensitive; these are the lowercase forms.
public enum WebhookHeader {
    /// The message id: the same on every retry of one message, so it is the deduplication key.
    public static let id = "webhook-id"
    /// When the message was signed, in whole seconds since 1970 (UTC), decimal.
    public static let timestamp = "webhook-timestamp"
    /// Space-separated `v1,<base64 HMAC-SHA256>` entries, one for each secret in use.
    public static let signature = "webhook-signature"

    /// All three, in the order of the signed content (`id.timestamp.body`).
    public static let all = [id, timestamp, signature]
}
