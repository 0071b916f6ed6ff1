@_exported import CodatPlatformWebhooks
import Foundation

/// A Codat webhook message, by its `eventType`, with the payload type that the pinned
/// `Codat-Platform.yaml` gives it (`webhooks`, generated into `CodatPlatformWebhooks`).
///
/// Open to event types Codat adds later: an `eventType` not listed here decodes to
/// `.unknown` with the raw JSON kept, so a consumer subscribed to everything keeps working.
/// Write events are `{dataType}.write.successful` / `.unsuccessful` for any `dataType`
/// (`bills`, `billPayments`, ...), whose name is kept.
public enum CodatWebhookEvent: Sendable, Hashable {
    case companyCreated(CompanyWebhook)
    case companyDeleted(CompanyWebhook)
    case companyProductAdded(CompanyProductWebhook)
    case companyProductRemoved(CompanyProductWebhook)
    case connectionCreated(ConnectionWebhook)
    case connectionConnected(ConnectionWebhook)
    case connectionFailed(ConnectionWebhook)
    case connectionDisconnected(ConnectionWebhook)
    case connectionReconnected(ConnectionWebhook)
    case connectionDeleted(ConnectionWebhook)
    case readCompleted(ReadCompletedWebhook)
    case readCompletedInitial(ReadCompletedWebhook)
    /// `{dataType}.write.successful`: the write request (push operation) `payload.id` finished;
    /// `payload.record.id` is the record in the accounting software.
    case writeSuccessful(dataType: String, DataTypeWriteWebhook)
    /// `{dataType}.write.unsuccessful`: the write request failed or timed out (`payload.status`).
    case writeUnsuccessful(dataType: String, DataTypeWriteWebhook)
    case clientRateLimitReached(ClientRateLimitWebhook)
    case clientRateLimitReset(ClientRateLimitWebhook)
    /// An event type this version does not know, with the message's JSON exactly as received.
    case unknown(eventType: String, json: Data)

    /// The event types of the pinned document's `webhooks`, as Codat names them (write events
    /// with the `{dataType}` placeholder). A test checks this list against the document.
    public static let documentedEventTypes: [String] = [
        "company.created", "company.deleted", "company.product.added", "company.product.removed",
        "connection.created", "connection.connected", "connection.failed", "connection.disconnected",
        "connection.reconnected", "connection.deleted", "read.completed", "read.completed.initial",
        "{dataType}.write.successful", "{dataType}.write.unsuccessful",
        "client.rateLimit.reached", "client.rateLimit.reset",
    ]

    static let writeSuccessfulSuffix = ".write.successful"
    static let writeUnsuccessfulSuffix = ".write.unsuccessful"

    /// Decodes a message body (after verification) by its `eventType`.
    public static func decode(_ body: Data) throws(WebhookDecodingError) -> CodatWebhookEvent {
        let eventType: String
        do {
            eventType = try JSONDecoder().decode(Envelope.self, from: body).eventType
        } catch let error as DecodingError {
            throw WebhookDecodingError(eventType: nil, problem: Self.describe(error, envelope: true))
        } catch {
            throw WebhookDecodingError(eventType: nil, problem: "\(error)")
        }
        func payload<T: Decodable>(_ type: T.Type) throws(WebhookDecodingError) -> T {
            do {
                return try JSONDecoder().decode(T.self, from: body)
            } catch let error as DecodingError {
                throw WebhookDecodingError(eventType: eventType, problem: Self.describe(error, envelope: false))
            } catch {
                throw WebhookDecodingError(eventType: eventType, problem: "\(error)")
            }
        }
        switch eventType {
        case "company.created": return .companyCreated(try payload(CompanyWebhook.self))
        case "company.deleted": return .companyDeleted(try payload(CompanyWebhook.self))
        case "company.product.added": return .companyProductAdded(try payload(CompanyProductWebhook.self))
        case "company.product.removed": return .companyProductRemoved(try payload(CompanyProductWebhook.self))
        case "connection.created": return .connectionCreated(try payload(ConnectionWebhook.self))
        case "connection.connected": return .connectionConnected(try payload(ConnectionWebhook.self))
        case "connection.failed": return .connectionFailed(try payload(ConnectionWebhook.self))
        case "connection.disconnected": return .connectionDisconnected(try payload(ConnectionWebhook.self))
        case "connection.reconnected": return .connectionReconnected(try payload(ConnectionWebhook.self))
        case "connection.deleted": return .connectionDeleted(try payload(ConnectionWebhook.self))
        case "read.completed": return .readCompleted(try payload(ReadCompletedWebhook.self))
        case "read.completed.initial": return .readCompletedInitial(try payload(ReadCompletedWebhook.self))
        case "client.rateLimit.reached": return .clientRateLimitReached(try payload(ClientRateLimitWebhook.self))
        case "client.rateLimit.reset": return .clientRateLimitReset(try payload(ClientRateLimitWebhook.self))
        default:
            if let dataType = dataType(eventType, suffix: writeSuccessfulSuffix) {
                return .writeSuccessful(dataType: dataType, try payload(DataTypeWriteWebhook.self))
            }
            if let dataType = dataType(eventType, suffix: writeUnsuccessfulSuffix) {
                return .writeUnsuccessful(dataType: dataType, try payload(DataTypeWriteWebhook.self))
            }
            return .unknown(eventType: eventType, json: body)
        }
    }

    /// The message's `eventType`, as Codat sent it.
    public var eventType: String {
        switch self {
        case .companyCreated: "company.created"
        case .companyDeleted: "company.deleted"
        case .companyProductAdded: "company.product.added"
        case .companyProductRemoved: "company.product.removed"
        case .connectionCreated: "connection.created"
        case .connectionConnected: "connection.connected"
        case .connectionFailed: "connection.failed"
        case .connectionDisconnected: "connection.disconnected"
        case .connectionReconnected: "connection.reconnected"
        case .connectionDeleted: "connection.deleted"
        case .readCompleted: "read.completed"
        case .readCompletedInitial: "read.completed.initial"
        case .writeSuccessful(let dataType, _): dataType + Self.writeSuccessfulSuffix
        case .writeUnsuccessful(let dataType, _): dataType + Self.writeUnsuccessfulSuffix
        case .clientRateLimitReached: "client.rateLimit.reached"
        case .clientRateLimitReset: "client.rateLimit.reset"
        case .unknown(let eventType, _): eventType
        }
    }

    /// A write event's outcome, for settling the push operation `webhook.payload?.id`.
    public var write: (dataType: String, successful: Bool, webhook: DataTypeWriteWebhook)? {
        switch self {
        case .writeSuccessful(let dataType, let webhook): (dataType, true, webhook)
        case .writeUnsuccessful(let dataType, let webhook): (dataType, false, webhook)
        default: nil
        }
    }

    private static func dataType(_ eventType: String, suffix: String) -> String? {
        guard eventType.hasSuffix(suffix), eventType.count > suffix.count else { return nil }
        return String(eventType.dropLast(suffix.count))
    }

    private struct Envelope: Decodable {
        let eventType: String
    }

    private static func describe(_ error: DecodingError, envelope: Bool) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "the body" : "`\(keys.dropFirst(keys.hasPrefix(".") ? 1 : 0))`"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return envelope && key.stringValue == "eventType" && context.codingPath.isEmpty
                ? "no `eventType` in the message"
                : "\(path(context)): `\(key.stringValue)` is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
                : "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A verified message whose body does not decode: not JSON, no `eventType`, or a payload
/// that does not match its event type's schema. Says where, never quotes the body.
public struct WebhookDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// nil when the envelope itself did not decode.
    public let eventType: String?
    public let problem: String

    public init(eventType: String?, problem: String) {
        self.eventType = eventType
        self.problem = problem
    }

    public var description: String {
        "webhook body does not decode" + (eventType.map { " as `\($0)`" } ?? "") + ": " + problem
    }
}
