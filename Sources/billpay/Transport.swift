import OpenAPIRuntime
#if os(Linux)
import PayablesAsyncHTTPClient
#else
import OpenAPIURLSession
#endif

/// The transport README "Transports" recommends: AsyncHTTPClient on Linux servers (it never
/// resends a request by itself and streams bodies), URLSession on Apple platforms.
func billPayTransport() -> any ClientTransport {
    #if os(Linux)
    PayablesAsyncHTTPClient.transport()
    #else
    URLSessionTransport()
    #endif
}
