import Foundation
import Metrics
import Tracing

/// What generated clients emit, by name (README "Observability"). Nothing is recorded until
/// the application bootstraps a backend (`MetricsSystem.bootstrap`, `InstrumentationSystem.bootstrap`):
/// until then swift-metrics and swift-distributed-tracing hand out no-op handlers.
///
/// Dimensions and attributes never hold a credential, a path, a query or an id from the path:
/// only the operation id (`create-bill-payment`) and the status class keep the number of
/// series small and the values safe to ship to any backend.
public enum PayablesTelemetry {
    /// Counter, one per HTTP request sent (every attempt, retries included).
    /// Dimensions: `operation`, `status_class`.
    public static let requestsMetric = "payables_requests_total"
    /// Timer, one per attempt: from handing the request to the transport until its whole
    /// response body is read (or the attempt fails). Dimensions: `operation`, `status_class`.
    public static let requestDurationMetric = "payables_request_duration"
    /// Counter, one per retry the runtime decides on. Dimensions: `operation`, and the
    /// `status_class` of the attempt that is retried (`5xx`, `4xx` for 429/409, `connection_error`, `timeout`).
    public static let retriesMetric = "payables_retries_total"
    /// Counter, one per `429 Too Many Requests` answer (CODAT-FACTS §3). Dimension: `operation`.
    public static let rateLimitedMetric = "payables_rate_limited_total"

    /// Dimension keys.
    public static let operationDimension = "operation"
    public static let statusClassDimension = "status_class"

    /// `status_class` values besides `1xx` ... `5xx`: the attempt got no response.
    public static let connectionErrorClass = "connection_error"
    public static let timeoutClass = "timeout"

    /// The span one call opens (named by its operation id, kind `.client`) and its attributes.
    public enum SpanAttribute {
        /// The operation id, e.g. `create-bill-payment`.
        public static let operationID = "payables.operation_id"
        /// `GET`, `POST` ...
        public static let method = "http.request.method"
        /// The last response's status; absent when no response arrived.
        public static let statusCode = "http.response.status_code"
        /// Codat's `correlationId` from the last response's error body (CODAT-FACTS §5), when Codat sent one.
        public static let correlationID = "codat.correlation_id"
        /// Attempts after the first.
        public static let retryCount = "payables.retry_count"
        /// True when the request may have reached the server without an answer (`PayablesError.outcomeUnknown`).
        public static let outcomeUnknown = "payables.outcome_unknown"
    }

    /// `2xx` for 200 ... 299 and so on.
    public static func statusClass(_ status: Int) -> String { "\(status / 100)xx" }
}

/// One call's span and metrics: `ClientCore.send` opens it, the attempt loop reports each
/// attempt and each retry to it, and it closes the span with the call's outcome.
final class CallTelemetry: @unchecked Sendable {
    private let operationID: String
    private let span: any Span
    private let lock = NSLock()
    private var attempts = 0
    private var lastStatus: Int?
    private var lastStatusClass = PayablesTelemetry.connectionErrorClass
    private var correlationId: String?

    private init(operationID: String, span: any Span) {
        self.operationID = operationID
        self.span = span
    }

    /// Runs `call` inside a client span named by the operation id; the span is the current
    /// one while the transport runs, so a transport's or middleware's own spans nest under it.
    static func observe<T>(_ request: OperationRequest, _ call: (CallTelemetry) async throws -> T) async throws -> T {
        try await withSpan(request.operationID, ofKind: .client) { span in
            span.attributes[PayablesTelemetry.SpanAttribute.operationID] = request.operationID
            span.attributes[PayablesTelemetry.SpanAttribute.method] = request.method.rawValue
            let telemetry = CallTelemetry(operationID: request.operationID, span: span)
            do {
                let value = try await call(telemetry)
                telemetry.finish(outcomeUnknown: false)
                return value
            } catch {
                // `withSpan` records the error itself.
                telemetry.finish(outcomeUnknown: (error as? any OutcomeReporting)?.outcomeUnknown ?? false)
                span.setStatus(SpanStatus(code: .error))
                throw error
            }
        }
    }

    /// One attempt ended with a response (`status`) or without one (`failure`).
    func attemptEnded(status: Int?, failure: PayablesErrorKind?, body: Data?, duration: Duration) {
        let statusClass = status.map(PayablesTelemetry.statusClass)
            ?? (failure == .timedOut ? PayablesTelemetry.timeoutClass : PayablesTelemetry.connectionErrorClass)
        // Codat sends `correlationId` in error bodies only (CODAT-FACTS §5).
        let correlation = (status ?? 0) >= 400 ? body.flatMap { CodatErrorFields($0).correlationId } : nil
        lock.withLock {
            attempts += 1
            lastStatusClass = statusClass
            if let status {
                // The span describes the last response: an earlier attempt's id would point Codat support elsewhere.
                lastStatus = status
                correlationId = correlation
            }
        }
        let dimensions = [(PayablesTelemetry.operationDimension, operationID), (PayablesTelemetry.statusClassDimension, statusClass)]
        Counter(label: PayablesTelemetry.requestsMetric, dimensions: dimensions).increment()
        Metrics.Timer(label: PayablesTelemetry.requestDurationMetric, dimensions: dimensions).recordNanoseconds(duration.wholeNanoseconds)
        if status == 429 {
            Counter(label: PayablesTelemetry.rateLimitedMetric, dimensions: [(PayablesTelemetry.operationDimension, operationID)]).increment()
        }
    }

    /// The runtime decided to try again after the last attempt.
    func retrying(wait: Duration) {
        let (statusClass, attempt) = lock.withLock { (lastStatusClass, attempts) }
        Counter(label: PayablesTelemetry.retriesMetric,
                dimensions: [(PayablesTelemetry.operationDimension, operationID), (PayablesTelemetry.statusClassDimension, statusClass)]).increment()
        span.addEvent(SpanEvent(name: "retry", attributes: [
            PayablesTelemetry.statusClassDimension: .string(statusClass),
            "payables.attempt": .int64(Int64(attempt)),
            "payables.wait_ms": .int64(wait.wholeNanoseconds / 1_000_000),
        ]))
    }

    private func finish(outcomeUnknown: Bool) {
        let (attemptCount, status, correlation) = lock.withLock { (self.attempts, self.lastStatus, self.correlationId) }
        span.attributes[PayablesTelemetry.SpanAttribute.retryCount] = max(attemptCount - 1, 0)
        if let status { span.attributes[PayablesTelemetry.SpanAttribute.statusCode] = status }
        if let correlation { span.attributes[PayablesTelemetry.SpanAttribute.correlationID] = correlation }
        if outcomeUnknown { span.attributes[PayablesTelemetry.SpanAttribute.outcomeUnknown] = true }
    }
}

/// Errors that can say whether the request may have reached the server unanswered.
protocol OutcomeReporting {
    var outcomeUnknown: Bool { get }
}

extension PayablesError: OutcomeReporting {}

extension Duration {
    /// The duration in whole nanoseconds (saturating far beyond any request's length).
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole + attoseconds / 1_000_000_000
    }
}

extension CallTelemetry {
    /// One attempt's outcome as the attempt loop has it.
    func attemptEnded(_ outcome: Result<ResponseParts, AttemptFailure>, duration: Duration) {
        switch outcome {
        case let .success(response): attemptEnded(status: response.status, failure: nil, body: response.body, duration: duration)
        case let .failure(failure): attemptEnded(status: nil, failure: failure.kind, body: nil, duration: duration)
        }
    }
}
