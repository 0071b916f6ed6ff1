import Foundation

/// A failure answered in Codat's `ErrorMessage` shape:
/// `statusCode`, `service`, `error`, `correlationId`, `canBeRetried`, `detailedErrorCode`
/// and, for rule breaks, `validation.errors`.
struct SandboxError: Error, Sendable, CustomStringConvertible {
    struct Item: Sendable, Hashable {
        var itemId: String?
        var message: String
        var validatorName: String
    }

    var status: Int
    var message: String
    var validation: [Item] = []
    var headers: [(String, String)] = []

    var description: String { "\(status): \(message)" }

    static func badRequest(_ message: String, validation: [Item] = []) -> SandboxError {
        SandboxError(status: 400, message: message, validation: validation)
    }

    static func notFound(_ message: String) -> SandboxError {
        SandboxError(status: 404, message: message)
    }

    static func conflict(_ message: String) -> SandboxError {
        SandboxError(status: 409, message: message)
    }

    /// The body Codat sends with an error.
    var json: SandboxJSON {
        var body: SandboxJSON = [
            "statusCode": .number(Decimal(status)),
            "service": "PublicApi",
            "error": .string(message),
            "correlationId": .string(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")),
            "canBeRetried": .string(Self.canBeRetried(status)),
            "detailedErrorCode": .number(Decimal(Self.detailedErrorCode(status))),
        ]
        if !validation.isEmpty {
            body["validation"] = [
                "errors": .array(validation.map(\.json)),
                "warnings": [],
            ]
        }
        return body
    }

    /// `canBeRetried` is a string in both documents: "`True` if the error occurred transiently
    /// and can be retried". Transient: too many requests, a timeout, a server-side failure
    /// (every 5xx but 501, which a retry cannot change); anything else is "False".
    static func canBeRetried(_ status: Int) -> String {
        switch status {
        case 408, 429: return "True"
        case 501: return "False"
        case 500..<600: return "True"
        default: return "False"
        }
    }

    /// Codat's own codes are not documented; the HTTP status times 100 keeps them distinct and stable.
    private static func detailedErrorCode(_ status: Int) -> Int {
        status * 100
    }

    /// A 400 for a body that does not decode, naming the coding path.
    static func undecodable(_ error: any Error, as typeName: String) -> SandboxError {
        let (path, reason) = describe(error)
        let message = "The request body is not a valid \(typeName): \(reason) (at \(path))."
        return .badRequest(message, validation: [Item(itemId: path, message: reason, validatorName: "RequestBody")])
    }

    /// The coding path (`lineItems[0].unitAmount`) and the reason of a decoding error.
    static func describe(_ error: any Error) -> (path: String, reason: String) {
        guard let error = error as? DecodingError else { return ("$", "\(error)") }
        switch error {
        case .keyNotFound(let key, let context):
            return (render(context.codingPath + [key]), "required key '\(key.stringValue)' is missing")
        case .valueNotFound(let type, let context):
            return (render(context.codingPath), "expected a \(describe(type)) but found null")
        case .typeMismatch(let type, let context):
            let detail = context.debugDescription.trimmingCharacters(in: .whitespaces)
            return (render(context.codingPath), "expected a \(describe(type))" + (detail.isEmpty ? "" : " (\(detail))"))
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.localizedDescription
            return (render(context.codingPath), underlying.map { "\(context.debugDescription) \($0)" } ?? context.debugDescription)
        @unknown default:
            return ("$", "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "Decimal", "Double", "Int", "Int32", "Int64": return "number (\(name))"
        case "String": return "string"
        case "Bool": return "boolean"
        default: return name
        }
    }

    private static func render(_ path: [any CodingKey]) -> String {
        var text = "$"
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += "." + key.stringValue
            }
        }
        return text
    }
}

extension SandboxError.Item {
    var json: SandboxJSON {
        ["itemId": itemId.map(SandboxJSON.string) ?? .null, "message": .string(message), "validatorName": .string(validatorName)]
    }
}
