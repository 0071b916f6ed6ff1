import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OpenAPIRuntime
import PayablesRuntime
import XCTest

/// `PayablesURLSessionTransport` (URLSession; on Linux swift-corelibs-foundation over libcurl)
/// with its requests cancelled while in flight, over loopback: before the answer, while it
/// arrives, and after it. Swift concurrency cancels a request when its task is cancelled (a run
/// stopped, a timeout); on Linux `URLSessionTask.cancel()` racing the task's completion could
/// trap the process ("Trying to access a behaviour for a task that in not in the registry").
final class URLSessionCancellationTests: XCTestCase {
    /// Many requests, each cancelled at a random moment (0 to 3 ms after it starts, every third up to 20 ms, while the
    /// server answers within 0 to 3 ms with up to 70 kB): every call ends (at once when cancelled
    /// before its answer), no body cut by the cancellation looks complete, the process survives,
    /// and the transport still works afterwards.
    func testCancellingInFlightRequestsNeverTrapsAndEveryCallEnds() async throws {
        let server = try await LoopbackServer.start(self) { router in
            router.on("**", method: .get) { _, _ in
                try await Task.sleep(for: .microseconds(Int.random(in: 0...3000)))
                return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: String(repeating: "x", count: Int.random(in: 0...70_000)))))
            }
        }
        let transport = PayablesURLSessionTransport()
        let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var outcome = Outcome()
                    for round in 0..<150 {
                        let phase = Phase()
                        let request = Task {
                            let (response, body) = try await transport.send(HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/r/\(worker)/\(round)"),
                                                                             body: nil, baseURL: server.baseURL, operationID: "cancel")
                            phase.set("head")
                            // Half the time the body is read (the cancel may land while it streams).
                            if round.isMultiple(of: 2), let body {
                                let data = try await Data(collecting: body, upTo: .max)
                                // A body cut by the cancellation must not look complete.
                                let length = response.headerFields[.contentLength].flatMap { Int($0) }
                                if data.count != length { return -data.count }
                            }
                            phase.set("body")
                            return response.status.code
                        }
                        // Mostly in the first 3 ms (the trap's window), every third up to 20 ms (answers arrive).
                        try await Task.sleep(for: .microseconds(Int.random(in: 0...(round % 3 == 0 ? 20_000 : 3_000))))
                        request.cancel()
                        // A call that never ends fails the test instead of hanging it.
                        switch await Self.result(of: request, within: .seconds(20)) {
                        case .success(200)?: outcome.answered += 1
                        case .success(let status)? where status <= 0: outcome.cut.append("\(worker)/\(round): \(-status) bytes")
                        case .success(let status)?: XCTFail("status \(status)")
                        case .failure?: outcome.cancelled += 1
                        case nil: outcome.hung.append("\(worker)/\(round) after \(phase.value)")
                        }
                    }
                    return outcome
                }
            }
            return try await group.reduce(into: Outcome()) {
                $0.answered += $1.answered; $0.cancelled += $1.cancelled; $0.hung += $1.hung; $0.cut += $1.cut
            }
        }
        XCTAssertEqual(outcomes.hung, [], "calls that never ended after their cancellation")
        XCTAssertEqual(outcomes.cut, [], "bodies cut by the cancellation handed over as complete")
        XCTAssertEqual(outcomes.answered + outcomes.cancelled + outcomes.hung.count + outcomes.cut.count, 8 * 150)
        XCTAssertGreaterThan(outcomes.cancelled, 0, "some were cancelled in flight: \(outcomes)")
        // The session still works.
        let (response, _) = try await transport.send(HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/after"), body: nil,
                                                     baseURL: server.baseURL, operationID: "after")
        XCTAssertEqual(response.status, .ok)
    }

    /// A body cancelled half-way (its head arrived, the rest is slow) ends with an error, never
    /// as a shorter body that looks complete.
    func testABodyCutByCancellationThrows() async throws {
        let half = ByteBuffer(repeating: UInt8(ascii: " "), count: 32 * 1024)
        let server = try await LoopbackServer.start(self) { router in
            router.on("**", method: .get) { _, _ in
                Response(status: .ok, headers: [.contentLength: String(2 * half.readableBytes)], body: ResponseBody { writer in
                    try await writer.write(half)
                    try await Task.sleep(for: .seconds(30))
                    try await writer.write(half)
                    try await writer.finish(nil)
                })
            }
        }
        let transport = PayablesURLSessionTransport()
        let (response, body) = try await transport.send(HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/slow"), body: nil,
                                                         baseURL: server.baseURL, operationID: "slow")
        XCTAssertEqual(response.status, .ok)
        let reader = Task { try await Data(collecting: try XCTUnwrap(body), upTo: .max) }
        try await Task.sleep(for: .milliseconds(300))
        reader.cancel()
        switch await Self.result(of: reader, within: .seconds(10)) {
        case .success(let data)?: XCTFail("a cut body was handed over as complete: \(data.count) of \(2 * half.readableBytes) bytes")
        case .failure?: break
        case nil: XCTFail("the read did not end after its cancellation")
        }
    }

    struct Outcome: Sendable, CustomStringConvertible {
        var answered = 0
        var cancelled = 0
        var hung: [String] = []
        /// Bodies shorter than their `Content-Length` handed over as complete.
        var cut: [String] = []
        var description: String { "\(answered) answered, \(cancelled) cancelled, \(hung.count) never ended, \(cut.count) cut" }
    }

    /// How far a call got.
    final class Phase: @unchecked Sendable {
        private let lock = NSLock()
        private var _value = "start"
        var value: String { lock.withLock { _value } }
        func set(_ value: String) { lock.withLock { _value = value } }
    }

    final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var taken = false
        func take() -> Bool { lock.withLock { defer { taken = true }; return !taken } }
    }

    /// The task's result, or nil when it has not ended within `limit`.
    static func result<T: Sendable>(of task: Task<T, any Error>, within limit: Duration) async -> Result<T, any Error>? {
        let once = Once()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>?, Never>) in
            func end(_ result: Result<T, any Error>?) {
                if once.take() { continuation.resume(returning: result) }
            }
            Task { end(await task.result) }
            Task { try? await Task.sleep(for: limit); end(nil) }
        }
    }
}
