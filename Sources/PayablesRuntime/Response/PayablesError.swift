import Foundation
import HTTPTypes

/// The one error a generated client throws once a request has been sent (or attempted):
/// a documented error response, an undocumented status, a body that does not decode,
/// a lost connection or a timeout. `ErrorModel` is the document's error schema
/// (Codat's `ErrorMessage`).
///
/// Descriptions never contain credentials: request header values are not kept, the
/// response's sensitive headers are redacted, and the client's secrets are scrubbed from
/// every text.
public struct PayablesError<ErrorModel: Sendable>: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    public typealias Kind = PayablesErrorKind

    public var kind: Kind
    public var operationID: String
    public var method: String
    /// The request's path and query (percent-encoded), without the server.
    public var path: String
    /// The response status; nil when no response arrived.
    public var status: Int?
    /// The response's header fields (sensitive ones redacted).
    public var headers: HTTPFields
    /// The response body as received.
    public var body: Data
    /// The decoded error body, for documented error statuses whose body decodes.
    public var model: ErrorModel?
    /// Why the body did not decode, and where (`results[3].amountDue`).
    public var decodingFailure: String?
    public var codingPath: String?
    /// The transport's own error, as text.
    public var underlying: String?
    /// True when the request may have reached the server without an answer reaching us:
    /// it may or may not have taken effect, so find out before sending it again.
    public var outcomeUnknown: Bool
    /// Attempts made, retries included.
    public var attempts: Int
    /// The start of the body as descriptions show it, with the client's secrets scrubbed.
    public private(set) var bodyExcerpt: String?
    /// The `Idempotency-Key` the request carried: resend with this same key (never a new
    /// one) to find out what became of a write whose outcome is unknown.
    public var idempotencyKey: String?
    /// The last response's `Retry-After`, as the runtime read it (clamped, never negative).
    public var retryAfter: Duration?
    /// The last response's `X-Rate-Limit-*` headers (CODAT-FACTS §3).
    public var rateLimit: RateLimit?
    /// Fields of Codat's `ErrorMessage` body, read from `body` whatever `ErrorModel` is
    /// (CODAT-FACTS §5): the id to quote to Codat support.
    public var correlationId: String?
    /// Codat's `canBeRetried`, sent as the string "True" or "False" (a JSON boolean is read
    /// too); nil when absent or anything else. For a write with an `Idempotency-Key` Codat
    /// replays a 5xx for 90 minutes, so "True" then calls for a look, not a resend.
    public var canBeRetried: Bool?
    /// Codat's `detailedErrorCode`.
    public var detailedErrorCode: Int?

    public init(kind: Kind, operationID: String, method: String, path: String, status: Int? = nil, headers: HTTPFields = [:],
                body: Data = Data(), model: ErrorModel? = nil, decodingFailure: String? = nil, codingPath: String? = nil,
                underlying: String? = nil, outcomeUnknown: Bool = false, attempts: Int = 1, secrets: [String] = [],
                idempotencyKey: String? = nil, retryAfter: Duration? = nil) {
        self.kind = kind
        self.operationID = operationID
        self.method = method
        self.path = path
        self.status = status
        self.headers = Redaction.redacted(headers, secrets: secrets)
        self.body = body
        self.model = model
        self.decodingFailure = decodingFailure
        self.codingPath = codingPath
        self.underlying = underlying
        self.outcomeUnknown = outcomeUnknown
        self.attempts = attempts
        self.idempotencyKey = idempotencyKey
        self.retryAfter = retryAfter
        self.rateLimit = RateLimit(headers)
        if !body.isEmpty {
            let text = String(decoding: body.prefix(300), as: UTF8.self) + (body.count > 300 ? "…" : "")
            bodyExcerpt = Redaction.scrub(text, secrets: secrets)
            let fields = CodatErrorFields(body)
            correlationId = fields.correlationId.map { Redaction.scrub($0, secrets: secrets) }
            canBeRetried = fields.canBeRetried
            detailedErrorCode = fields.detailedErrorCode
        }
    }

    public var description: String {
        var text = "\(operationID) (\(method) \(path)): "
        switch kind {
        case .errorResponse: text += "error response \(status ?? 0)"
        case .undocumentedStatus: text += "undocumented status \(status ?? 0)"
        case .undecodableBody: text += "the \(status ?? 0) response body does not decode"
        case .connection: text += "connection failed"
        case .timedOut: text += "timed out"
        }
        if let decodingFailure { text += ": \(decodingFailure)" }
        if let codingPath, !codingPath.isEmpty { text += " at \(codingPath)" }
        if let underlying { text += ": \(underlying)" }
        if outcomeUnknown { text += "; the request may have reached the server, its outcome is unknown" }
        if attempts > 1 { text += " (after \(attempts) attempts)" }
        if let idempotencyKey { text += "; Idempotency-Key \(idempotencyKey)" }
        if let correlationId { text += "; correlationId \(correlationId)" }
        if let excerpt = bodyExcerpt { text += "; body: \(excerpt)" }
        return text
    }

    /// The description and the response's header fields, sensitive values redacted.
    public var debugDescription: String {
        let headerText = headers.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
        return "PayablesError(\(description); headers: [\(headerText)])"
    }
}

/// Codat's rate-limit headers (`X-Rate-Limit-Limit`, `-Remaining`, `-Reset`; CODAT-FACTS §3).
public struct RateLimit: Sendable, Hashable {
    /// Requests allowed per day.
    public var limit: Int?
    /// Requests left until the reset.
    public var remaining: Int?
    /// `X-Rate-Limit-Reset` as sent (Codat documents "the date the quota resets", not its format).
    public var reset: String?
    /// `reset` read as Unix seconds, ISO 8601 or an HTTP date; nil when it is none of them.
    public var resetDate: Date?

    public init(limit: Int? = nil, remaining: Int? = nil, reset: String? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
        resetDate = reset.flatMap(Self.date)
    }

    /// The headers' values; nil when the response has none of the three.
    public init?(_ headers: HTTPFields) {
        func value(_ name: String) -> String? {
            HTTPField.Name(name).flatMap { headers[$0] }?.trimmingCharacters(in: .whitespaces)
        }
        let limit = value("X-Rate-Limit-Limit"), remaining = value("X-Rate-Limit-Remaining"), reset = value("X-Rate-Limit-Reset")
        guard limit != nil || remaining != nil || reset != nil else { return nil }
        self.init(limit: limit.flatMap { Int($0) }, remaining: remaining.flatMap { Int($0) }, reset: reset)
    }

    static func date(_ text: String) -> Date? {
        if let seconds = Double(text), seconds.isFinite, abs(seconds) < 1e12 { return Date(timeIntervalSince1970: seconds) }
        let iso = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            iso.formatOptions = options
            if let date = iso.date(from: text) { return date }
        }
        return HTTPDate.parse(text)
    }
}

/// The fields of Codat's `ErrorMessage` the runtime reads from any error body.
struct CodatErrorFields {
    var correlationId: String?
    var canBeRetried: Bool?
    var detailedErrorCode: Int?

    init(_ body: Data) {
        guard body.count <= 1 << 20, let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return }
        correlationId = object["correlationId"] as? String
        switch object["canBeRetried"] {
        case let text as String: canBeRetried = ["true": true, "false": false][text.lowercased()]
        case let flag as Bool: canBeRetried = flag
        default: canBeRetried = nil
        }
        switch object["detailedErrorCode"] {
        case let code as Int: detailedErrorCode = code
        case let number as Double: detailedErrorCode = Int(exactly: number)
        default: detailedErrorCode = nil
        }
    }
}

/// What went wrong in a `PayablesError`.
public enum PayablesErrorKind: Sendable, Equatable {
    /// A status the operation documents as an error; `model` holds the decoded body when it decodes.
    case errorResponse
    /// A status the operation does not document.
    case undocumentedStatus
    /// A success status whose body does not decode into the documented type.
    case undecodableBody
    /// The connection could not be made or was lost.
    case connection
    /// An attempt or the whole call ran out of time.
    case timedOut
}

/// Keeps credentials out of logs and error texts.
public enum Redaction {
    /// Header fields whose values are never shown.
    public static let sensitiveFields: Set<HTTPField.Name> = [.authorization, .proxyAuthorization, .cookie, .setCookie]

    /// Whether a header's value is a credential: the fields above, and any name that says
    /// so (`X-Api-Key`, `X-Auth-Token`, `X-Session`...), except `Idempotency-Key`.
    public static func isSensitive(_ name: HTTPField.Name) -> Bool {
        if sensitiveFields.contains(name) { return true }
        let lowered = name.canonicalName
        if lowered == "idempotency-key" { return false }
        return ["auth", "token", "secret", "key", "password", "cookie", "session", "credential", "signature"].contains { lowered.contains($0) }
    }

    /// `fields` with credential values replaced and `secrets` scrubbed from every other value.
    public static func redacted(_ fields: HTTPFields, secrets: [String] = []) -> HTTPFields {
        var copy = HTTPFields()
        for field in fields {
            copy.append(HTTPField(name: field.name, value: isSensitive(field.name) ? "<redacted>" : scrub(field.value, secrets: secrets)))
        }
        return copy
    }

    /// The texts a credential value can show up as: the value, its token after a scheme
    /// (`Basic x`, `Bearer x`), and for Basic the decoded `user:password`, the user (Codat's
    /// API key) and the password; each also without base64 padding. Shortest last, so a
    /// longer form is replaced whole.
    public static func secretForms(of value: String) -> [String] {
        var forms: Set<String> = [value]
        let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            let token = parts[1].trimmingCharacters(in: .whitespaces)
            forms.insert(token)
            if parts[0].lowercased() == "basic", let decoded = base64Decoded(token) {
                forms.insert(decoded)
                let userAndPassword = decoded.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                forms.formUnion(userAndPassword)
            }
        }
        for form in forms where form.hasSuffix("=") { forms.insert(String(form.reversed().drop { $0 == "=" }.reversed())) }
        return forms.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    private static func base64Decoded(_ text: String) -> String? {
        var padded = text
        while padded.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded), let decoded = String(data: data, encoding: .utf8), !decoded.isEmpty else { return nil }
        return decoded
    }

    /// Replaces each secret's text (and its percent-encoded form) in `text`. Secrets shorter
    /// than 4 characters are left alone (they would blank out ordinary words).
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var text = text
        for secret in secrets where secret.count >= 4 {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
            let encoded = PercentEncoding.encode(secret)
            if encoded != secret { text = text.replacingOccurrences(of: encoded, with: "<redacted>") }
        }
        return text
    }
}

extension DecodingError {
    /// What failed and the coding path, for `PayablesError`.
    var summary: (message: String, codingPath: String) {
        let context: Context
        let message: String
        switch self {
        case let .typeMismatch(type, c): context = c; message = "expected \(type): \(c.debugDescription)"
        case let .valueNotFound(type, c): context = c; message = "missing \(type) value: \(c.debugDescription)"
        case let .keyNotFound(key, c): context = c; message = "missing key '\(key.stringValue)': \(c.debugDescription)"
        case let .dataCorrupted(c): context = c; message = c.debugDescription
        @unknown default: return ("\(self)", "")
        }
        var path = ""
        for key in context.codingPath {
            if let index = key.intValue { path += "[\(index)]" } else { path += (path.isEmpty ? "" : ".") + key.stringValue }
        }
        return (message, path)
    }
}
