/// What generated SDK modules call at run time.
///
/// - `Client/`: `ClientCore`, the one `send` every generated method calls: credentials,
///   swift-openapi-runtime's `ClientTransport` and `ClientMiddleware`s, `Idempotency-Key`,
///   which requests are sent again (`ResendRule`, by CODAT-FACTS §1 and §3), timeouts,
///   logging through swift-log with credentials redacted.
/// - `Transport/`: `PayablesURLSessionTransport` (no redirect to another origin, bodies
///   streamed up to `maxResponseBytes`), put in place of a plain `URLSessionTransport`.
/// - `Request/`: `OperationRequest` (RFC 3986 path and query encoding, checked headers, JSON,
///   multipart and byte bodies).
/// - `Response/`: `PayablesError`, the one error a generated client throws after sending
///   (with Codat's `correlationId`, `canBeRetried`, `detailedErrorCode`, `RateLimit`), and
///   `Redaction`.
/// - `Retry/`: `RetryConfiguration` (from `x-speakeasy-retries`), `CallOptions`.
/// - `Pagination/`: `Paginated`, the `AsyncSequence` behind every `listAll` (overflow-free;
///   ends with `PaginationError` rather than trap or loop).
/// - `Models/`: `JSONValue` for free-form data and `DateTime` for Codat's date strings.
///
/// Decimal money is plain `Foundation.Decimal`: `JSONDecoder` reads it from the
/// number's text and `JSONEncoder` writes it back exactly (135.85 stays 135.85).
public enum PayablesRuntime {}
