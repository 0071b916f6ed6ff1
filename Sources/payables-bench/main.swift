// Prints front-end figures for one spec, measured side by side in one process:
// a plain libyaml event scan of the file (the floor: libyaml itself) and a full
// `lint` (parse, build the node tree, read the typed document, resolve every $ref).
// Runs alternate so that machine noise hits both alike; medians are reported.
//
//   swift run -c release payables-bench [SPEC] [--runs N]
import CYAML
import Foundation
import OpenAPIDocument

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments.dropFirst()
var specPath = "specs/Codat-Sync-Payables-v1.yaml"
var runs = 30
var iterator = arguments.makeIterator()
while let argument = iterator.next() {
    if argument == "--runs", let n = iterator.next().flatMap(Int.init) { runs = n } else { specPath = argument }
}

guard let data = FileManager.default.contents(atPath: specPath) else {
    FileHandle.standardError.write(Data("payables-bench: cannot read \(specPath) (run specs/sync.sh)\n".utf8))
    exit(2)
}
let bytes = [UInt8](data)

/// libyaml's event parser over the bytes, doing nothing with the events.
func plainScan(_ bytes: [UInt8]) -> Int {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    yaml_parser_initialize(parser)
    defer { yaml_parser_delete(parser) }
    var events = 0
    bytes.withUnsafeBufferPointer { buffer in
        yaml_parser_set_input_string(parser, buffer.baseAddress!, buffer.count)
        var event = yaml_event_t()
        while yaml_parser_parse(parser, &event) != 0 {
            events += 1
            let done = event.type == YAML_STREAM_END_EVENT
            yaml_event_delete(&event)
            if done { break }
        }
    }
    return events
}

func lint(_ bytes: [UInt8], path: String) -> Int {
    let result = DocumentLoader.load(path: path, bytes: bytes)
    return result.document?.schemas.count ?? -1
}

func time(_ body: () -> Int) -> (Double, Int) {
    let start = ContinuousClock.now
    let value = body()
    let d = ContinuousClock.now - start
    return (Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15, value)
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024 // kilobytes on Linux
}

let rssBefore = peakRSSMegabytes()
// Warm up both once.
let events = plainScan(bytes)
let schemaCount = lint(bytes, path: specPath)
let rssAfterFirstLint = peakRSSMegabytes()

var scanTimes: [Double] = []
var lintTimes: [Double] = []
for _ in 0..<runs {
    scanTimes.append(time { plainScan(bytes) }.0)
    lintTimes.append(time { lint(bytes, path: specPath) }.0)
}
let scan = median(scanTimes), full = median(lintTimes)
print("spec: \(specPath) (\(bytes.count) bytes, \(events) libyaml events, \(schemaCount) schema nodes)")
print(String(format: "libyaml event scan: median %.1f ms (min %.1f) over %d runs", scan, scanTimes.min()!, runs))
print(String(format: "lint (parse+tree+typed document+refs): median %.1f ms (min %.1f)", full, lintTimes.min()!))
print(String(format: "ratio lint / scan: %.2fx (target <= 2x)", full / scan))
print(String(format: "peak RSS: %.1f MB for the whole process after one lint (%.1f MB before reading the spec; target <= 40 MB)", rssAfterFirstLint, rssBefore))
