import CodatWebhooks
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// Codat's webhook deliveries served by Hummingbird: verified, decoded, deduplicated and queued
/// by a `WebhookReceiver`, answered with its receipt's status (CODAT-FACTS.md §4):
/// 200 accepted or duplicate, 401 bad/stale signature or missing headers, 400 undecodable,
/// 413 body over `maximumBodySize`, 503 queue full or shutting down (Codat retries).
/// A refusal's body says why in one line of text (never which signature byte differed).
public enum CodatWebhookRoute {
    /// Codat's messages are a few kilobytes; a megabyte bounds what an unsigned sender can make us read.
    public static let defaultMaximumBodySize = 1 << 20

    /// Answers one delivery: the raw body (at most `maximumBodySize` bytes) to the receiver.
    public static func respond<Context: RequestContext>(
        to request: Request, context: Context, receiver: WebhookReceiver, maximumBodySize: Int = defaultMaximumBodySize
    ) async throws -> (WebhookReceipt, Response) {
        let body = try await request.body.collect(upTo: maximumBodySize)
        let receipt = await receiver.receive(body: Array(body.readableBytesView)) { name in
            HTTPField.Name(name).flatMap { request.headers[$0] }
        }
        let status = HTTPResponse.Status(code: receipt.httpStatus)
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        if receipt.httpStatus == 503 { headers[.retryAfter] = "5" }
        let text = status.kind == .successful ? "" : receipt.description + "\n"
        return (receipt, Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text))))
    }
}

extension RouterMethods {
    /// `POST path`: Codat's webhook deliveries into `receiver`. `onReceipt` sees every
    /// delivery's outcome (logging, metrics, a listen command's refusals).
    @discardableResult
    public func addCodatWebhooks(
        _ path: RouterPath = "webhooks/codat",
        receiver: WebhookReceiver,
        maximumBodySize: Int = CodatWebhookRoute.defaultMaximumBodySize,
        onReceipt: (@Sendable (WebhookReceipt) -> Void)? = nil
    ) -> Self {
        post(path) { request, context in
            let (receipt, response) = try await CodatWebhookRoute.respond(
                to: request, context: context, receiver: receiver, maximumBodySize: maximumBodySize)
            onReceipt?(receipt)
            return response
        }
    }
}

/// Runs a receiver's handler loop as a service beside the `Application`: on graceful shutdown
/// it stops taking messages in (503, Codat retries) and returns once the accepted ones are handled.
public struct WebhookReceiverService: Service {
    public let receiver: WebhookReceiver

    public init(receiver: WebhookReceiver) { self.receiver = receiver }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await receiver.run()
        } onGracefulShutdown: {
            receiver.finish()
        }
    }
}
