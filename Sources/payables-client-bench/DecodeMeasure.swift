// Times one decode over and over and counts its allocations.
//
// This file is also compiled, unchanged, into the Apple-types decoder that
// Benchmarks/client-bench.sh builds: both sides are measured by the same code.
import Foundation

/// Figures for one decoder over the same JSON bytes.
struct DecodeFigures {
    var side: String
    var items: Int
    var bytes: Int
    var runs: Int
    /// Nanoseconds per decode.
    var median: Double
    var p10: Double
    var p90: Double
    /// Per decode (median over the runs); nil when the counter is not live.
    var allocations: Int?
    var allocatedBytes: Int?

    /// One machine-readable line, parsed by Benchmarks/client-bench.sh.
    var resultLine: String {
        "RESULT decode side=\(side) items=\(items) json_bytes=\(bytes) runs=\(runs) median_ns=\(Int(median)) p10_ns=\(Int(p10)) p90_ns=\(Int(p90))"
            + " allocs=\(allocations.map(String.init) ?? "na") alloc_bytes=\(allocatedBytes.map(String.init) ?? "na")"
    }

    var summary: String {
        let allocs = allocations.map { "\($0) allocations (\(Self.kib(allocatedBytes ?? 0)))" } ?? "allocations n/a"
        return "\(side): \(items) items, median \(Self.ms(median)) ms (p10 \(Self.ms(p10)), p90 \(Self.ms(p90))) over \(runs) runs, \(allocs) per decode"
    }

    static func ms(_ nanoseconds: Double) -> String { String(format: "%.3f", nanoseconds / 1e6) }
    static func kib(_ bytes: Int) -> String { String(format: "%.0f KiB", Double(bytes) / 1024) }
}

/// Runs `decode` `warmup` times untimed, then `runs` times, timing each run and counting the
/// allocations made while it ran. `decode` returns the number of items decoded.
func measureDecode(side: String, json: Data, runs: Int, warmup: Int, _ decode: (Data) throws -> Int) rethrows -> DecodeFigures {
    var items = 0
    for _ in 0..<warmup { items = try decode(json) }
    let clock = ContinuousClock()
    var times: [Double] = []
    var allocations: [Int] = []
    var allocatedBytes: [Int] = []
    times.reserveCapacity(runs)
    allocations.reserveCapacity(runs)
    allocatedBytes.reserveCapacity(runs)
    let counting = AllocationCounter.isLive
    for _ in 0..<runs {
        let before = AllocationCounter.snapshot()
        let start = clock.now
        items = try decode(json)
        let elapsed = clock.now - start
        let after = AllocationCounter.snapshot()
        times.append(elapsed.nanoseconds)
        allocations.append(after.calls - before.calls)
        allocatedBytes.append(after.bytes - before.bytes)
    }
    return DecodeFigures(
        side: side, items: items, bytes: json.count, runs: runs,
        median: Stats.percentile(times, 50), p10: Stats.percentile(times, 10), p90: Stats.percentile(times, 90),
        allocations: counting ? Int(Stats.percentile(allocations.map(Double.init), 50)) : nil,
        allocatedBytes: counting ? Int(Stats.percentile(allocatedBytes.map(Double.init), 50)) : nil)
}

enum Stats {
    /// Nearest-rank percentile (`p` in 0...100) of unsorted values.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

extension Duration {
    var nanoseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }
}
