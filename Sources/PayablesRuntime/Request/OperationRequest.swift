import Foundation

/// The HTTP methods an OpenAPI operation can have.
public enum HTTPVerb: String, Sendable {
    case get = "GET", put = "PUT", post = "POST", delete = "DELETE"
    case options = "OPTIONS", head = "HEAD", patch = "PATCH", trace = "TRACE"

    /// Methods whose repetition has the same effect as one request (RFC 9110 §9.2.2):
    /// the only ones retried after an attempt that may have reached the server.
    public var isIdempotent: Bool {
        switch self {
        case .get, .put, .delete, .options, .head, .trace: return true
        case .post, .patch: return false
        }
    }
}

/// One call of an operation, as generated code describes it: everything but the server,
/// the credentials and the transport, which the client adds.
///
/// Building it validates the input (path parameters, header values) so that a bad value
/// is reported before anything is sent.
public struct OperationRequest: Sendable {
    public let operationID: String
    public let method: HTTPVerb
    /// The path with every parameter percent-encoded, relative to the server URL.
    public private(set) var path: String
    /// Query items in order, already percent-encoded (`name=value`).
    public private(set) var encodedQuery: [String] = []
    /// Header fields set by parameters (never credentials: the client adds those per attempt).
    public private(set) var headers: [(name: String, value: String)] = []
    public private(set) var body: RequestBody?
    /// The media type asked for in `Accept`.
    public var accept: String = "application/json"
    /// False for operations the document marks `security: []`: sent without credentials.
    public var authenticated = true

    /// `pathTemplate` is the document's path (`/companies/{companyId}/...`); every `{name}`
    /// must be given in `pathParameters`.
    public init(operationID: String, method: HTTPVerb, pathTemplate: String, pathParameters: [(name: String, value: String)] = []) throws {
        self.operationID = operationID
        self.method = method
        self.path = try Self.expand(pathTemplate, with: pathParameters, operationID: operationID)
    }

    static func expand(_ template: String, with parameters: [(name: String, value: String)], operationID: String) throws -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = parameters.first(where: { $0.name == name })?.value else {
                throw PayablesRequestError(operationID: operationID, message: "path parameter '\(name)' has no value")
            }
            guard !value.isEmpty else {
                throw PayablesRequestError(operationID: operationID, message: "path parameter '\(name)' is empty")
            }
            result += PercentEncoding.encodePathSegment(value)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    // MARK: Query (form style; arrays as `QueryArrayStyle` says)

    public mutating func addQuery(_ name: String, _ value: (some ParameterValue)?) {
        guard let value else { return }
        encodedQuery.append(PercentEncoding.encode(name) + "=" + PercentEncoding.encode(value.parameterText))
    }

    public mutating func addQuery<Value: RawRepresentable & Sendable>(_ name: String, _ value: Value?) where Value.RawValue == String {
        addQuery(name, value?.rawValue)
    }

    /// An array: one `name=value` per element, or one `name` with the elements joined (an
    /// empty array sends nothing, as RFC 6570 leaves an empty list undefined).
    public mutating func addQuery(_ name: String, _ values: [some ParameterValue]?, style: QueryArrayStyle = .exploded) {
        addQuery(name, texts: values?.map(\.parameterText), style: style)
    }

    public mutating func addQuery<Value: RawRepresentable & Sendable>(_ name: String, _ values: [Value]?, style: QueryArrayStyle = .exploded)
    where Value.RawValue == String {
        addQuery(name, texts: values?.map(\.rawValue), style: style)
    }

    private mutating func addQuery(_ name: String, texts: [String]?, style: QueryArrayStyle) {
        guard let texts, !texts.isEmpty else { return }
        let encodedName = PercentEncoding.encode(name)
        // Each element is encoded on its own, so a delimiter inside one (`a,b`) cannot split it.
        let encoded = texts.map(PercentEncoding.encode)
        switch style {
        case .exploded: encodedQuery += encoded.map { encodedName + "=" + $0 }
        case .commaDelimited: encodedQuery.append(encodedName + "=" + encoded.joined(separator: ","))
        case .spaceDelimited: encodedQuery.append(encodedName + "=" + encoded.joined(separator: "%20"))
        case .pipeDelimited: encodedQuery.append(encodedName + "=" + encoded.joined(separator: "%7C"))
        }
    }

    // MARK: Headers

    /// Sets a header parameter. A value with CR, LF or NUL could smuggle another header
    /// or request, so it is refused before sending.
    public mutating func addHeader(_ name: String, _ value: (some ParameterValue)?) throws {
        guard let value else { return }
        let text = value.parameterText
        if text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw PayablesRequestError(operationID: operationID, message: "header parameter '\(name)' contains a line break or NUL and was not sent")
        }
        headers.append((name, text))
    }

    public mutating func addHeader<Value: RawRepresentable & Sendable>(_ name: String, _ value: Value?) throws where Value.RawValue == String {
        try addHeader(name, value?.rawValue)
    }

    // MARK: Bodies

    public mutating func setJSONBody(_ value: (some Encodable)?) throws {
        guard let value else { return }
        do {
            body = .data(try JSONCoding.encoder.encode(value), contentType: "application/json")
        } catch {
            throw PayablesRequestError(operationID: operationID, message: "the request body does not encode as JSON: \(error)")
        }
    }

    public mutating func setBytesBody(_ data: Data?, contentType: String) {
        guard let data else { return }
        body = .data(data, contentType: contentType)
    }

    public mutating func setMultipartBody(_ form: MultipartForm?) {
        guard let form else { return }
        body = .multipart(form)
    }
}

/// How an array query parameter is written: OpenAPI's `style` and `explode`.
public enum QueryArrayStyle: Sendable {
    /// `form` with `explode: true` (OpenAPI's default): `name=a&name=b`.
    case exploded
    /// `form` with `explode: false`: `name=a,b`.
    case commaDelimited
    /// `spaceDelimited`: `name=a%20b`.
    case spaceDelimited
    /// `pipeDelimited`: `name=a%7Cb` (a `|`, percent-encoded as every reserved character).
    case pipeDelimited
}

/// A request body, re-created for every attempt.
public enum RequestBody: Sendable {
    case data(Data, contentType: String)
    case multipart(MultipartForm)
}

/// A request that could not be built: nothing was sent.
public struct PayablesRequestError: Error, CustomStringConvertible, Sendable {
    public var operationID: String
    public var message: String
    public var description: String { "\(operationID): invalid request: \(message)" }
}

/// JSON coding shared by requests and responses. `Decimal` is read from the number's text
/// and written back exactly by Foundation's coders; nothing here converts through `Double`.
public enum JSONCoding {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder = JSONDecoder()
}
