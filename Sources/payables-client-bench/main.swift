// payables-client-bench: figures for the generated client, never run as a test.
//
//   1. `bills.list` (100 bills a page) against an in-process sandbox on loopback, through the
//      generated client (URLSessionTransport, default options) and through bare calls on the same
//      `URLSession.shared` decoding the same `Bills` model with one shared JSONDecoder: the async
//      `data(for:)`, and `dataTask(with:completionHandler:)` in a continuation (what the transport
//      calls on Linux). Rounds of N requests a side, the order of the sides rotating every round;
//      requests per second, median and p90 latency, process CPU time per request (server included,
//      the same for every side), and the client's overhead over each bare call.
//   2. Decoding a 1,000-bill page (the sandbox's own JSON) with the generated models: time per
//      decode and allocations per decode. `--page-json PATH` writes that JSON so that
//      Benchmarks/client-bench.sh can decode the same bytes with apple/swift-openapi-generator's types.
//
// Build in release, with the linker flags of AllocationCounter.swift for the allocation counts:
//   swift build -c release --scratch-path .build-bench --product payables-client-bench -Xlinker --export-dynamic
//   .build-bench/release/payables-client-bench [--requests 50] [--rounds 48] [--warmup 100] [--concurrency 1]
//       [--decode-runs 30] [--page-json PATH] [--bills 1000]
//   .build-bench/release/payables-client-bench --decode-file PATH [--decode-runs 30]   (decoding only)
// For profiling one side: `--only client` (or `urlsession`, `urlsession-task`; repeatable) and `--skip-decode`.
import CodatSandbox
import CodatSyncPayables
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import OpenAPIURLSession

let settings = BenchSettings(CommandLine.arguments.dropFirst())
if let file = settings.decodeFile {
    // Decoding only, of a page written earlier by `--page-json` (the script alternates this with Apple's decoder).
    let json = try Data(contentsOf: URL(fileURLWithPath: file))
    let figures = try decodeGenerated(json, side: "generated", runs: settings.decodeRuns)
    print(figures.summary)
    print(figures.resultLine)
} else {
    try await runBenchmark(settings)
}

/// The 1,000-bill page decoded into the generated `Bills` by the decoder the client uses.
func decodeGenerated(_ json: Data, side: String, runs: Int) throws -> DecodeFigures {
    try measureDecode(side: side, json: json, runs: runs, warmup: 3) {
        try JSONCoding.decoder.decode(Bills.self, from: $0).results?.count ?? 0
    }
}

func runBenchmark(_ settings: BenchSettings) async throws {
    // MARK: Sandbox and the callers

    let sandbox = try await CodatSandbox.start(SandboxConfiguration(
        port: 0, extraBills: settings.bills, extraBillsIntegration: .xero, continuationPageSize: 100))
    guard let company = sandbox.company(.xero), let connectionId = company.connectionId else {
        fatalError("the sandbox has no Xero company")
    }
    let authHeader = "Basic YmVuY2gtYXBpLWtleQ=="
    let companyId = company.id

    /// The generated client with its defaults (document retries, 60 s attempt timeout, logging at debug).
    let client = CodatSyncPayables.Client(serverURL: sandbox.baseURL, authHeader: authHeader, transport: URLSessionTransport())

    /// The same request by hand: same session (`URLSession.shared`, which URLSessionTransport uses
    /// by default), same headers, same model, one shared decoder like the runtime's.
    let bare = BareCaller(base: sandbox.baseURL.absoluteString, authHeader: authHeader)

    let allSides: [Side] = [
        Side(key: "client", name: "generated client") {
            try await client.bills.list(companyId: companyId, connectionId: connectionId).results?.count ?? -1
        },
        Side(key: "urlsession", name: "URLSession data(for:)") {
            try await bare.listBills(companyId: companyId, connectionId: connectionId, callback: false)
        },
        Side(key: "urlsession-task", name: "URLSession dataTask") {
            try await bare.listBills(companyId: companyId, connectionId: connectionId, callback: true)
        },
    ]
    let sides = settings.only.isEmpty ? allSides : allSides.filter { settings.only.contains($0.key) }

    // Every side gets the same 100-bill page; check before measuring.
    for side in sides {
        let count = try await side.call()
        guard count == 100 else { fatalError("expected 100 bills a page, got \(count) (\(side.name))") }
    }

    // MARK: 1,000-bill page (fetched now, decoded after the server has stopped)

    let pageSize = 1000
    let bigPage = try await bare.rawPage(companyId: companyId, connectionId: connectionId, pageSize: pageSize)
    let smallPage = try await bare.rawPage(companyId: companyId, connectionId: connectionId, pageSize: 100)
    if let path = settings.pageJSON {
        try bigPage.write(to: URL(fileURLWithPath: path))
    }

    // MARK: HTTP rounds

    print("== bills.list over loopback: \(settings.rounds) rounds x \(settings.requests) requests a side, the sides' order"
          + " rotating every round, concurrency \(settings.concurrency), warm-up \(settings.warmup) a side;"
          + " 100 bills (\(smallPage.count) bytes) a page")
    for side in sides {
        _ = try await runRound(side.call, requests: settings.warmup, concurrency: settings.concurrency)
    }
    for round in 0..<settings.rounds {
        sandbox.clearRecordedRequests()
        // Round r starts with side r mod 3 (a multiple of 3 rounds gives every side every place equally often).
        for offset in 0..<sides.count {
            let side = sides[(round + offset) % sides.count]
            side.add(try await runRound(side.call, requests: settings.requests, concurrency: settings.concurrency))
        }
    }
    await sandbox.stop()

    print(pad("side", 24) + pad("requests", 9, right: true) + pad("req/s", 8, right: true)
          + pad("median ms", 11, right: true) + pad("p90 ms", 9, right: true) + pad("CPU ms/req", 12, right: true)
          + pad("median CPU ms", 15, right: true))
    for side in sides {
        print(pad(side.name, 24) + pad("\(side.latencies.count)", 9, right: true)
              + pad(f("%.0f", side.requestsPerSecond), 8, right: true)
              + pad(f("%.3f", side.median / 1e6), 11, right: true)
              + pad(f("%.3f", side.p90 / 1e6), 9, right: true)
              + pad(f("%.3f", side.cpuPerRequest / 1e6), 12, right: true)
              + pad(f("%.3f", side.cpuMedian / 1e6), 15, right: true))
    }
    let clientSide = sides[0]
    for bareSide in sides.dropFirst() where clientSide.key == "client" {
        // Pooled over every request of every round.
        let latency = clientSide.median / bareSide.median - 1
        let time = bareSide.requestsPerSecond / clientSide.requestsPerSecond - 1
        let cpu = clientSide.cpuMedian / bareSide.cpuMedian - 1
        // Paired: the two sides' rounds of the same round number ran back to back; the median of
        // the per-round ratios shrugs off rounds that a burst of load on the machine hit.
        func paired(_ a: [Double], _ b: [Double]) -> (median: Double, min: Double, max: Double) {
            let ratios = zip(a, b).map { $0 / $1 }
            return (Stats.percentile(ratios, 50) - 1, ratios.min()! - 1, ratios.max()! - 1)
        }
        let pairedLatency = paired(clientSide.roundMedians, bareSide.roundMedians)
        let pairedTime = paired(clientSide.roundTimePerRequest, bareSide.roundTimePerRequest)
        let pairedCPU = paired(clientSide.roundCPUPerRequest, bareSide.roundCPUPerRequest)
        func pct(_ value: Double) -> String { f("%+.1f", value * 100) + "%" }
        print("client vs \(bareSide.name) (target <= +10%):"
              + " pooled: median latency \(pct(latency)), time per request (1 / req/s) \(pct(time)), median CPU per request \(pct(cpu));"
              + " paired rounds (median of \(clientSide.roundMedians.count)): median latency"
              + " \(pct(pairedLatency.median)) [\(pct(pairedLatency.min)) .. \(pct(pairedLatency.max))],"
              + " time per request \(pct(pairedTime.median)) [\(pct(pairedTime.min)) .. \(pct(pairedTime.max))],"
              + " CPU per request \(pct(pairedCPU.median))")
        print("RESULT http_overhead versus=\(bareSide.key) latency_pct=\(f("%.2f", latency * 100))"
              + " time_per_request_pct=\(f("%.2f", time * 100)) cpu_pct=\(f("%.2f", cpu * 100))"
              + " paired_latency_pct=\(f("%.2f", pairedLatency.median * 100)) paired_latency_min_pct=\(f("%.2f", pairedLatency.min * 100))"
              + " paired_latency_max_pct=\(f("%.2f", pairedLatency.max * 100)) paired_time_pct=\(f("%.2f", pairedTime.median * 100))"
              + " paired_time_min_pct=\(f("%.2f", pairedTime.min * 100)) paired_time_max_pct=\(f("%.2f", pairedTime.max * 100))"
              + " paired_cpu_pct=\(f("%.2f", pairedCPU.median * 100)) rounds=\(clientSide.roundMedians.count)")
    }
    for side in sides { print(side.resultLine) }

    // MARK: Decoding

    if settings.skipDecode { return }
    print("== decoding with the generated models (JSONCoding.decoder, as the client does)"
          + (AllocationCounter.isLive ? "" : "; allocation counter not live: link with \(AllocationCounter.linkerFlags)"))
    let small = try decodeGenerated(smallPage, side: "generated-100", runs: settings.decodeRuns * 3)
    let big = try decodeGenerated(bigPage, side: "generated", runs: settings.decodeRuns)
    guard big.items == pageSize else { fatalError("the big page has \(big.items) bills, not \(pageSize)") }
    print(small.summary)
    print(big.summary)
    print(small.resultLine)
    print(big.resultLine)
}

// MARK: Helpers

struct BenchSettings {
    var requests = 50
    var rounds = 48
    var warmup = 100
    var concurrency = 1
    var decodeRuns = 30
    var bills = 1000
    var pageJSON: String?
    var decodeFile: String?
    /// Sides to run (`client`, `urlsession`, `urlsession-task`); all when empty. For profiling one side.
    var only: Set<String> = []
    var skipDecode = false

    init(_ arguments: ArraySlice<String>) {
        var rest = arguments
        func value(_ name: String) -> String {
            guard let next = rest.popFirst() else { fatalError("\(name) needs a value") }
            return next
        }
        func number(_ name: String) -> Int {
            guard let n = Int(value(name)), n > 0 else { fatalError("\(name) needs a positive number") }
            return n
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--requests": requests = number(argument)
            case "--rounds": rounds = number(argument)
            case "--warmup": warmup = number(argument)
            case "--concurrency": concurrency = number(argument)
            case "--decode-runs": decodeRuns = number(argument)
            case "--bills": bills = max(number(argument), 1000)
            case "--page-json": pageJSON = value(argument)
            case "--decode-file": decodeFile = value(argument)
            case "--only": only.insert(value(argument))
            case "--skip-decode": skipDecode = true
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

struct BareCaller: Sendable {
    let base: String
    let authHeader: String
    let session = URLSession.shared
    let decoder = JSONDecoder()

    func request(_ url: String) -> URLRequest {
        var request = URLRequest(url: URL(string: url)!)
        request.setValue(authHeader, forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return request
    }

    /// `GET .../payables/bills` decoded into the generated `Bills`, as a hand-written caller would:
    /// with `data(for:)`, or (`callback`) with `dataTask(with:completionHandler:)` in a continuation,
    /// the call URLSessionTransport itself makes.
    func listBills(companyId: String, connectionId: String, callback: Bool) async throws -> Int {
        let request = request("\(base)/companies/\(companyId)/connections/\(connectionId)/payables/bills")
        let (data, response) = callback ? try await dataTask(request) : try await session.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else { throw BenchError("status \(response)") }
        return try decoder.decode(Bills.self, from: data).results?.count ?? -1
    }

    private func dataTask(_ request: URLRequest) async throws -> (Data, URLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                guard let response else { return continuation.resume(throwing: BenchError("no response")) }
                continuation.resume(returning: (data ?? Data(), response))
            }.resume()
        }
    }

    /// A page's JSON as the sandbox sends it (`pageSize` is the sandbox's own parameter).
    func rawPage(companyId: String, connectionId: String, pageSize: Int) async throws -> Data {
        let (data, response) = try await session.data(for: request(
            "\(base)/companies/\(companyId)/connections/\(connectionId)/payables/bills?pageSize=\(pageSize)"))
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw BenchError("status \(response)") }
        return data
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct RoundResult {
    /// Nanoseconds per request.
    var latencies: [Double]
    /// Process CPU nanoseconds spent while each request was under way (server included; with a
    /// concurrency above 1 the requests' intervals overlap and this counts the others' work too).
    var requestCPU: [Double]
    /// Nanoseconds for the whole round.
    var elapsed: Double
    /// CPU nanoseconds the whole process (server, client, URLSession's threads) spent in the round.
    var cpu: Double
}

/// CPU time of the process so far, every thread, in nanoseconds.
func processCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
}

/// `requests` calls of `operation`, `concurrency` at a time; every call must return 100 items.
func runRound(_ operation: @escaping @Sendable () async throws -> Int, requests: Int, concurrency: Int) async throws -> RoundResult {
    let clock = ContinuousClock()
    let cpuStart = processCPUTime()
    let start = clock.now
    let samples = try await withThrowingTaskGroup(of: [(latency: Double, cpu: Double)].self) { group in
        for worker in 0..<concurrency {
            let share = requests / concurrency + (worker < requests % concurrency ? 1 : 0)
            group.addTask {
                var samples: [(latency: Double, cpu: Double)] = []
                samples.reserveCapacity(share)
                for _ in 0..<share {
                    let cpuBegin = processCPUTime()
                    let begin = clock.now
                    let count = try await operation()
                    let latency = (clock.now - begin).nanoseconds
                    samples.append((latency, processCPUTime() - cpuBegin))
                    if count != 100 { throw BenchError("a page had \(count) bills") }
                }
                return samples
            }
        }
        var all: [(latency: Double, cpu: Double)] = []
        for try await samples in group { all += samples }
        return all
    }
    let elapsed = (clock.now - start).nanoseconds
    return RoundResult(latencies: samples.map(\.latency), requestCPU: samples.map(\.cpu), elapsed: elapsed,
                       cpu: processCPUTime() - cpuStart)
}

/// One way of making the request, and what its rounds measured.
final class Side: @unchecked Sendable {
    let key: String
    let name: String
    let call: @Sendable () async throws -> Int
    private(set) var latencies: [Double] = []
    private(set) var requestCPU: [Double] = []
    private(set) var elapsed: Double = 0
    private(set) var cpu: Double = 0
    /// Per round: median latency, time per request (elapsed / requests), process CPU per request.
    private(set) var roundMedians: [Double] = []
    private(set) var roundTimePerRequest: [Double] = []
    private(set) var roundCPUPerRequest: [Double] = []

    init(key: String, name: String, call: @escaping @Sendable () async throws -> Int) {
        self.key = key
        self.name = name
        self.call = call
    }

    func add(_ round: RoundResult) {
        latencies += round.latencies
        requestCPU += round.requestCPU
        elapsed += round.elapsed
        cpu += round.cpu
        roundMedians.append(Stats.percentile(round.latencies, 50))
        roundTimePerRequest.append(round.elapsed / Double(round.latencies.count))
        roundCPUPerRequest.append(round.cpu / Double(round.latencies.count))
    }

    var requestsPerSecond: Double { Double(latencies.count) / (elapsed / 1e9) }
    var median: Double { Stats.percentile(latencies, 50) }
    var p90: Double { Stats.percentile(latencies, 90) }
    /// Process CPU nanoseconds per request: all rounds' CPU over their requests.
    var cpuPerRequest: Double { cpu / Double(latencies.count) }
    /// The median of the requests' own CPU intervals (robust to bursts in other threads).
    var cpuMedian: Double { Stats.percentile(requestCPU, 50) }

    var resultLine: String {
        "RESULT http side=\(key) requests=\(latencies.count) rps=\(String(format: "%.1f", requestsPerSecond))"
            + " median_ns=\(Int(median)) p90_ns=\(Int(p90)) cpu_ns_per_request=\(Int(cpuPerRequest)) cpu_median_ns=\(Int(cpuMedian))"
    }
}

func f(_ format: String, _ value: Double) -> String { String(format: format, value) }

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}
