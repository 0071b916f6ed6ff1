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

    public init(kind: Kind, operationID: String, method: String, path: String, status: Int? = nil, headers: HTTPFields = [:],
                body: Data = Data(), model: ErrorModel? = nil, decodingFailure: String? = nil, codingPath: String? = nil,
                underlying: String? = nil, outcomeUnknown: Bool = false, attempts: Int = 1, secrets: [String] = []) {
        self.kind = kind
        self.operationID = operationID
        self.method = method
        self.path = path
        self.status = status
        self.headers = Redaction.redacted(headers)
        self.body = body
        self.model = model
        self.decodingFailure = decodingFailure
        self.codingPath = codingPath
        self.underlying = underlying
        self.outcomeUnknown = outcomeUnknown
        self.attempts = attempts
        if !body.isEmpty {
            let text = String(decoding: body.prefix(300), as: UTF8.self) + (body.count > 300 ? "…" : "")
            bodyExcerpt = Redaction.scrub(text, secrets: secrets)
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
        if let excerpt = bodyExcerpt { text += "; body: \(excerpt)" }
        return text
    }

    public var debugDescription: String {
        let headerText = headers.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
        return "PayablesError(\(description); headers: [\(headerText)])"
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

    public static func redacted(_ fields: HTTPFields) -> HTTPFields {
        var copy = HTTPFields()
        for field in fields {
            copy.append(sensitiveFields.contains(field.name) ? HTTPField(name: field.name, value: "<redacted>") : field)
        }
        return copy
    }

    /// Replaces each secret's text (and its percent-encoded form) in `text`.
    static func scrub(_ text: String, secrets: [String]) -> String {
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
