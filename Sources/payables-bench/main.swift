// Prints front-end figures for one spec, measured side by side in one process:
// a plain libyaml event scan of the file (the floor: libyaml itself) and a full
// `lint` (parse, build the node tree, read the typed document, resolve every $ref).
// Runs alternate so that machine noise hits both alike; medians are reported.
//
// With `--generate`, also the whole generation of a module (parse, resolve, model, render,
// write) and, given `--apple PATH` (a built swift-openapi-generator 1.14.3, see
// Benchmarks/compare-apple.sh), Apple's generator producing types for the same file.
//
//   swift run -c release payables-bench [SPEC] [--runs N] [--generate] [--apple PATH]
import CYAML
import Foundation
import OpenAPIDocument
import SDKGen

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments.dropFirst()
var specPath = "specs/Codat-Sync-Payables-v1.yaml"
var runs = 30
var measureGeneration = false
var appleGenerator: String?
var iterator = arguments.makeIterator()
while let argument = iterator.next() {
    switch argument {
    case "--runs": runs = iterator.next().flatMap(Int.init) ?? runs
    case "--generate": measureGeneration = true
    case "--apple": appleGenerator = iterator.next(); measureGeneration = true
    default: specPath = argument
    }
}

let specFile = specPath

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

guard measureGeneration else { exit(0) }

// MARK: Whole generation, side by side with the scan (and Apple's generator).

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("payables-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: scratch) }
let config = GeneratorConfig(module: "CodatSyncPayablesV1", typeOverrides: ["#/components/schemas/Connection/properties/created": "DateTime"], modelFiles: 4)

func generateOnce() -> Int {
    let outcome = try! Generator.generate(specPath: specFile, config: config, templatesFolder: packageRoot.appendingPathComponent("Templates").path,
                                          outputFolder: scratch.appendingPathComponent("ours").path)
    return outcome.writtenFiles.count
}

func runApple(_ tool: String) -> Int {
    let output = scratch.appendingPathComponent("apple")
    try? FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    let configURL = scratch.appendingPathComponent("openapi-generator-config.yaml")
    try! Data("generate:\n  - types\naccessModifier: public\n".utf8).write(to: configURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = ["generate", specFile, "--config", configURL.path, "--output-directory", output.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try! process.run()
    process.waitUntilExit()
    return Int(process.terminationStatus)
}

var generateTimes: [Double] = []
var scanTimes2: [Double] = []
var appleTimes: [Double] = []
_ = generateOnce()
let appleRuns = max(3, runs / 10)
for i in 0..<runs {
    scanTimes2.append(time { plainScan(bytes) }.0)
    generateTimes.append(time { generateOnce() }.0)
    if let tool = appleGenerator, i < appleRuns { appleTimes.append(time { runApple(tool) }.0) }
}
let generatedBytes = (try? FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("ours").path))?
    .reduce(0) { $0 + ((try? Data(contentsOf: scratch.appendingPathComponent("ours").appendingPathComponent($1)).count) ?? 0) } ?? 0
let scan2 = median(scanTimes2), generation = median(generateTimes)
print(String(format: "generate CodatSyncPayablesV1 (parse, resolve, model, render, write %d bytes): median %.1f ms (min %.1f)", generatedBytes, generation, generateTimes.min()!))
print(String(format: "ratio generate / scan: %.2fx (target <= 8x; scan median %.1f ms in this loop)", generation / scan2, scan2))
if !appleTimes.isEmpty {
    let apple = median(appleTimes)
    print(String(format: "apple/swift-openapi-generator 1.14.3 --mode types, same file: median %.0f ms over %d runs (process included)", apple, appleTimes.count))
    print(String(format: "ratio apple / ours: %.1fx faster (target >= 30x)", apple / generation))
}
