import AsyncHTTPClient
import NIOCore
import OpenAPIAsyncHTTPClient

/// AsyncHTTPClient set up for the Codat clients: the transport to use on Linux servers
/// (README "Transports"). It streams request and response bodies (so
/// `ClientOptions.maxResponseBytes` stops a download while it arrives) and, unlike `URLSession`
/// on Linux, never sends a request again by itself.
///
/// ```swift
/// let codat = CodatSyncPayables.Client(serverURL: url, authHeader: key, transport: PayablesAsyncHTTPClient.transport())
/// ```
public enum PayablesAsyncHTTPClient {
    /// AsyncHTTPClient's defaults, changed where they matter for a payments API:
    /// - **Redirects are not followed**: AsyncHTTPClient follows a 307/308 to any host with the
    ///   request's body (a payment), dropping only `Authorization` and cookies; Codat does not
    ///   redirect API calls, so a 3xx comes back as the answer (the runtime reports it as an error).
    /// - **AsyncHTTPClient's own spans are off**: they record `url.full`, `url.path` and `url.query`
    ///   (company and connection ids) and add trace headers to requests sent to Codat. The client's
    ///   own span per call carries the operation id instead (README "Observability").
    public static var configuration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.tracing.tracer = nil
        return configuration
    }

    /// One client with `configuration` for the whole process, never shut down (like
    /// `HTTPClient.shared`). An application that manages its clients' lifetimes makes its own
    /// `HTTPClient(eventLoopGroupProvider: .singleton, configuration: PayablesAsyncHTTPClient.configuration)`
    /// and shuts it down when done.
    public static let shared = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

    /// A transport over `client`. `timeout` is AsyncHTTPClient's limit for a whole request, body
    /// included; keep it above `ClientOptions.attemptTimeout` so that the runtime's limit, which
    /// knows whether a retry is safe, is the one that fires.
    public static func transport(client: HTTPClient = shared, timeout: TimeAmount = .minutes(5)) -> AsyncHTTPClientTransport {
        AsyncHTTPClientTransport(configuration: .init(client: client, timeout: timeout))
    }
}
