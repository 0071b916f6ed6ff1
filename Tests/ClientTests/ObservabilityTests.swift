import CodatSandbox
import CodatSyncPayables
import Foundation
import InMemoryTracing
import Logging
import Metrics
import MetricsTestKit
import Tracing
import XCTest

/// The process's metrics and tracing backends for the tests that observe: bootstrapped once,
/// because `MetricsSystem.bootstrap` and `InstrumentationSystem.bootstrap` may run only once per
/// process. Every other test in the process then also emits into them, so these tests read
/// differences (counters) and their own trace (spans under a root span they open), never totals.
enum TestObservability {
    static let backends: (metrics: TestMetrics, tracer: InMemoryTracer) = {
        let metrics = TestMetrics()
        MetricsSystem.bootstrap(metrics)
        let tracer = InMemoryTracer()
        InstrumentationSystem.bootstrap(tracer)
        return (metrics, tracer)
    }()
}

/// Issue 11: metrics per operation, a span per call and Codat's `correlationId` in logs,
/// observed on real requests to the sandbox over both transports.
final class ObservabilityTests: XCTestCase {
    typealias Names = PayablesTelemetry

    func client(_ kind: TransportKind, _ sandbox: CodatSandbox, logger: Logger = LogCapture().logger) -> CodatSyncPayables.Client {
        CodatSyncPayables.Client(serverURL: sandbox.baseURL, authHeader: authHeader, transport: kind.make(self),
                          options: ClientOptions(attemptTimeout: .seconds(10), logger: logger))
    }

    private func dimensions(_ operation: String, _ statusClass: String) -> [(String, String)] {
        [(Names.operationDimension, operation), (Names.statusClassDimension, statusClass)]
    }

    private func total(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        (try? TestObservability.backends.metrics.expectCounter(label, dimensions).totalValue) ?? 0
    }

    private func timings(_ operation: String, _ statusClass: String) -> [Int64] {
        (try? TestObservability.backends.metrics.expectTimer(Names.requestDurationMetric, dimensions(operation, statusClass)).values) ?? []
    }

    /// CODAT-FACTS §3: a 429 is answered before anything is done and retried at `Retry-After`.
    func testMetricsCountRequestsLatencyRetriesAndRateLimitsPerOperation() async throws {
        let metrics = TestObservability.backends.metrics
        for kind in TransportKind.allCases {
            let sandbox = try await startSandbox(self)
            let codat = client(kind, sandbox)
            let xero = try XCTUnwrap(sandbox.company(.xero))
            let counters = [
                (Names.requestsMetric, dimensions("list-bills", "2xx")), (Names.requestsMetric, dimensions("list-bills", "4xx")),
                (Names.retriesMetric, dimensions("list-bills", "4xx")), (Names.rateLimitedMetric, [(Names.operationDimension, "list-bills")]),
                (Names.requestsMetric, dimensions("list-bill-attachments", "4xx")), (Names.retriesMetric, dimensions("list-bill-attachments", "4xx")),
            ]
            let before = counters.map { total($0.0, $0.1) }
            let timedBefore = timings("list-bills", "2xx").count

            _ = sandbox.inject(.status(429, retryAfter: 0), on: .operation("sync.list-bills"), times: 1)
            _ = try await codat.bills.list(companyId: xero.id, connectionId: xero.connectionId!)
            do {
                _ = try await codat.bills.listAttachments(companyId: xero.id, connectionId: xero.connectionId!, billId: "missing")
                XCTFail("\(kind): expected a 404")
            } catch let error as CodatSyncPayablesError {
                XCTAssertEqual(error.status, 404)
            }

            let differences = zip(counters.map { total($0.0, $0.1) }, before).map { $0 - $1 }
            // list-bills: a 429, its retry, a 200; list-bill-attachments: one 404, not retried.
            XCTAssertEqual(differences, [1, 1, 1, 1, 1, 0], "\(kind): \(zip(counters.map(\.0), differences).map { "\($0) \($1)" })")
            let timed = timings("list-bills", "2xx")
            XCTAssertEqual(timed.count, timedBefore + 1, "\(kind): one latency per attempt")
            XCTAssertGreaterThan(timed.last ?? 0, 0, "\(kind)")
            XCTAssertLessThan(timed.last ?? .max, 10_000_000_000, "\(kind): nanoseconds of one attempt")
            await sandbox.stop()

            // Dimensions name operations and status classes only: no id from a path, no credential.
            let keys = metrics.counters.map(\.dimensions) + metrics.timers.map(\.dimensions)
            for (key, value) in keys.joined() where key == Names.operationDimension || key == Names.statusClassDimension {
                XCTAssertFalse(value.contains(xero.id) || value.contains(xero.connectionId!) || value.contains("missing"), "\(key)=\(value)")
            }
            assertNoSecret(keys.joined().map { "\($0.0)=\($0.1)" })
        }
        print("observability: metric labels seen: \(Set(metrics.counters.map(\.label) + metrics.timers.map(\.label)).sorted())")
    }

    func testASpanPerCallWithOperationStatusCorrelationIdAndRetries() async throws {
        let tracer = TestObservability.backends.tracer
        for kind in TransportKind.allCases {
            let sandbox = try await startSandbox(self)
            let codat = client(kind, sandbox)
            let xero = try XCTUnwrap(sandbox.company(.xero))
            var notFound: CodatSyncPayablesError?
            var lost: CodatSyncPayablesError?
            let rootName = "observability test over \(kind.rawValue)"
            let root = try await withSpan(rootName) { span in
                _ = sandbox.inject(.status(429, retryAfter: 0), on: .operation("sync.list-bills"), times: 1)
                _ = try await codat.bills.list(companyId: xero.id, connectionId: xero.connectionId!)
                do {
                    _ = try await codat.bills.listAttachments(companyId: xero.id, connectionId: xero.connectionId!, billId: "missing")
                } catch let error as CodatSyncPayablesError {
                    notFound = error
                }
                let (bill, account) = try await payableBill(codat, xero)
                _ = sandbox.inject(.dropAfterProcessing, on: .operation("sync.create-bill-payment"), times: 1)
                do {
                    _ = try await codat.billPayments.create(companyId: xero.id, connectionId: xero.connectionId!, billId: bill,
                                                            body: BillPaymentPrototype(amount: 10, date: "2024-06-01", accountRef: BillPaymentAccountRef(id: account)))
                } catch let error as CodatSyncPayablesError {
                    lost = error
                }
                return try XCTUnwrap(span.context.inMemorySpanContext)
            }
            await sandbox.stop()
            let spans = tracer.finishedSpans.filter { $0.traceID == root.traceID && $0.spanID != root.spanID }
            XCTAssertEqual(spans.map(\.operationName),
                           ["list-bills", "list-bill-attachments", "list-bills", "get-mapping-options-payments", "create-bill-payment"],
                           "\(kind): one span per call, retries included, none from the transport")
            for span in spans {
                XCTAssertEqual(span.kind, .client)
                XCTAssertEqual(span.parentSpanID, root.spanID, "\(kind): the caller's span is the parent")
                XCTAssertEqual(span.attributes.get(Names.SpanAttribute.operationID), .string(span.operationName))
                span.attributes.forEach { name, value in
                    XCTAssertFalse("\(value)".contains(xero.id) || "\(value)".contains(xero.connectionId!), "\(kind): \(name)=\(value)")
                    assertNoSecret(["\(value)"])
                }
            }
            guard spans.count == 5 else { continue }
            let (retried, missing, payment) = (spans[0], spans[1], spans[4])

            XCTAssertEqual(retried.attributes.get(Names.SpanAttribute.method), .string("GET"))
            XCTAssertEqual(retried.attributes.get(Names.SpanAttribute.statusCode), .int64(200))
            XCTAssertEqual(retried.attributes.get(Names.SpanAttribute.retryCount), .int64(1), "\(kind): the 429 was retried once")
            XCTAssertEqual(retried.events.map(\.name), ["retry"])
            XCTAssertNotEqual(retried.status?.code, .error)
            XCTAssertEqual(spans[2].attributes.get(Names.SpanAttribute.retryCount), .int64(0))

            let correlationId = try XCTUnwrap(notFound?.correlationId, "\(kind): Codat's 404 carries a correlationId (CODAT-FACTS §5)")
            XCTAssertEqual(missing.attributes.get(Names.SpanAttribute.statusCode), .int64(404))
            XCTAssertEqual(missing.attributes.get(Names.SpanAttribute.correlationID), .string(correlationId))
            XCTAssertEqual(missing.status?.code, .error)
            XCTAssertEqual(missing.errors.count, 1)

            XCTAssertEqual(lost?.outcomeUnknown, true)
            XCTAssertEqual(payment.attributes.get(Names.SpanAttribute.method), .string("POST"))
            XCTAssertEqual(payment.attributes.get(Names.SpanAttribute.outcomeUnknown), .bool(true), "\(kind)")
            XCTAssertNil(payment.attributes.get(Names.SpanAttribute.statusCode), "\(kind): no response arrived")
            XCTAssertEqual(payment.status?.code, .error)
        }
    }

    /// CODAT-FACTS §5: the `correlationId` to quote to Codat support is in the request's log
    /// line (text and metadata) and in the error.
    func testCorrelationIdInLogLinesAndErrors() async throws {
        let sandbox = try await startSandbox(self)
        let records = LogCapture()
        let codat = client(.asyncHTTPClient, sandbox, logger: records.logger)
        let xero = try XCTUnwrap(sandbox.company(.xero))
        _ = sandbox.inject(.status(503, retryAfter: 0), on: .operation("sync.list-bills"), times: 1)
        _ = try await codat.bills.list(companyId: xero.id, connectionId: xero.connectionId!)
        var correlationIds: [String] = []
        do {
            _ = try await codat.bills.listAttachments(companyId: xero.id, connectionId: xero.connectionId!, billId: "missing")
        } catch let error as CodatSyncPayablesError {
            correlationIds.append(try XCTUnwrap(error.correlationId))
            XCTAssertTrue(error.description.contains("correlationId \(error.correlationId!)"), error.description)
        }
        let logged = records.entries.filter { $0.metadata["correlationId"] != nil }
        XCTAssertEqual(logged.map { $0.metadata["operation"] }, ["list-bills", "list-bill-attachments"], "the 503 and the 404: \(records.entries)")
        XCTAssertEqual(logged.last?.metadata["correlationId"], correlationIds.last)
        for entry in logged {
            XCTAssertTrue(entry.message.contains("correlationId \(entry.metadata["correlationId"]!)"), entry.message)
        }
        XCTAssertTrue(records.entries.filter { $0.message.contains("-> 200") }.allSatisfy { $0.metadata["correlationId"] == nil },
                      "Codat sends correlationId with errors only")
    }
}

