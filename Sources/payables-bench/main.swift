// Prints front-end figures for one spec, measured side by side in one process:
// a plain libyaml event scan of the file (the floor: libyaml itself) and a full
// `lint` (parse, build the node tree, read the typed document, resolve every $ref).
// Runs alternate so that machine noise hits both alike; medians are reported.
//
// With `--generate`, also the whole generation of a module (parse, resolve, model, render,
// write), each stage timed on its own (`--stages`), and, given `--apple PATH` (a built
// swift-openapi-generator 1.14.3, see Benchmarks/compare-apple.sh), Apple's generator producing
// types for the same file. The module is the one `--config` describes (default: the v1 module's
// `Generated/CodatSyncPayablesV1/payables-gen.json`), or a bare `--module NAME`.
// `--row` ends with one tab-separated line for Benchmarks/generator-scale.sh:
//   row <bytes> <events> <component schemas> <scan ms> <lint ms> <generate ms> <peak RSS MB> <stage ms...>
//
//   swift run -c release payables-bench [SPEC] [--runs N] [--generate] [--stages] [--row]
//       [--config FILE | --module NAME] [--apple PATH] [--output DIR (keeps the generated files)]
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
var configPath: String?
var moduleName: String?
var measureStages = false
var printRow = false
var keptOutput: String?
var iterator = arguments.makeIterator()
while let argument = iterator.next() {
    switch argument {
    case "--runs": runs = iterator.next().flatMap(Int.init) ?? runs
    case "--generate": measureGeneration = true
    case "--apple": appleGenerator = iterator.next(); measureGeneration = true
    case "--config": configPath = iterator.next()
    case "--module": moduleName = iterator.next()
    case "--stages": measureStages = true; measureGeneration = true
    case "--row": printRow = true
    case "--output": keptOutput = iterator.next(); measureGeneration = true
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
let templates = packageRoot.appendingPathComponent("Templates").path
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("payables-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: scratch) }
let config: GeneratorConfig
do {
    if let moduleName {
        config = GeneratorConfig(module: moduleName)
    } else {
        config = try GeneratorConfig.load(path: configPath ?? packageRoot.appendingPathComponent("Generated/CodatSyncPayablesV1/payables-gen.json").path)
    }
} catch {
    FileHandle.standardError.write(Data("payables-bench: \(error)\n".utf8))
    exit(2)
}

let generatedFolder = keptOutput ?? scratch.appendingPathComponent("ours").path
func generateOnce() -> Int {
    let outcome = try! Generator.generate(specPath: specFile, config: config, templatesFolder: templates, outputFolder: generatedFolder)
    if outcome.writtenFiles.isEmpty {
        for d in outcome.diagnostics where d.severity == .error { FileHandle.standardError.write(Data("\(d)\n".utf8)) }
        FileHandle.standardError.write(Data("payables-bench: generation wrote nothing (errors above)\n".utf8))
        exit(1)
    }
    return outcome.writtenFiles.count
}

/// The stages of `Generator.generate` one by one, each on the previous stage's output:
/// YAML tree, typed document with resolved refs (includes the tree again), SDK model, Mustache, file writes.
struct StageTimes { var tree = 0.0, read = 0.0, translate = 0.0, render = 0.0, write = 0.0 }
func stagesOnce() -> StageTimes {
    var t = StageTimes()
    t.tree = time { YAMLParser.parse(bytes, file: specFile).tree.nodeCount }.0
    var loaded: DocumentLoader.Result?
    t.read = time { loaded = DocumentLoader.load(path: specFile, bytes: bytes); return 0 }.0
    var model: SDKModel?
    t.translate = time { model = ModelTranslator.translate(loaded!.document!, config: config).0; return 0 }.0
    var files: [(name: String, contents: String)] = []
    t.render = time {
        files = try! TemplateRenderer(overrides: templates).render(model!, config: config, specFileName: URL(fileURLWithPath: specFile).lastPathComponent)
        return files.count
    }.0
    let folder = scratch.appendingPathComponent("stages")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    t.write = time {
        for file in files { try! Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name), options: .atomic) }
        return files.count
    }.0
    return t
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
var stageRuns: [StageTimes] = []
_ = generateOnce()
let appleRuns = max(3, runs / 10)
for i in 0..<runs {
    scanTimes2.append(time { plainScan(bytes) }.0)
    generateTimes.append(time { generateOnce() }.0)
    if measureStages { stageRuns.append(stagesOnce()) }
    if let tool = appleGenerator, i < appleRuns { appleTimes.append(time { runApple(tool) }.0) }
}
let peakAfterGeneration = peakRSSMegabytes()
let generatedBytes = (try? FileManager.default.contentsOfDirectory(atPath: generatedFolder))?
    .reduce(0) { $0 + ((try? Data(contentsOf: URL(fileURLWithPath: generatedFolder).appendingPathComponent($1)).count) ?? 0) } ?? 0
let scan2 = median(scanTimes2), generation = median(generateTimes)
print(String(format: "generate %@ (parse, resolve, model, render, write %d bytes): median %.1f ms (min %.1f)", config.module, generatedBytes, generation, generateTimes.min()!))
print(String(format: "ratio generate / scan: %.2fx (scan median %.1f ms in this loop)", generation / scan2, scan2))
print(String(format: "peak RSS of the whole process: %.1f MB", peakAfterGeneration))
var stageMedians: [Double] = []
if measureStages {
    stageMedians = [median(stageRuns.map(\.tree)), median(stageRuns.map(\.read)), median(stageRuns.map(\.translate)),
                    median(stageRuns.map(\.render)), median(stageRuns.map(\.write))]
    print(String(format: "stages (medians, ms): YAML tree %.1f | tree+read+resolve %.1f | translate %.1f | render %.1f | write %.1f",
                 stageMedians[0], stageMedians[1], stageMedians[2], stageMedians[3], stageMedians[4]))
}
if !appleTimes.isEmpty {
    let apple = median(appleTimes)
    print(String(format: "apple/swift-openapi-generator 1.14.3 --mode types, same file: median %.0f ms over %d runs (process included)", apple, appleTimes.count))
    print(String(format: "ratio apple / ours: %.1fx faster", apple / generation))
}
if printRow {
    let components = DocumentLoader.load(path: specPath, bytes: bytes).document?.components.schemas.count ?? 0
    let fields = [String(bytes.count), String(events), String(components), String(format: "%.2f", scan2), String(format: "%.2f", full),
                  String(format: "%.2f", generation), String(format: "%.1f", peakAfterGeneration)] + stageMedians.map { String(format: "%.2f", $0) }
    print((["row"] + fields).joined(separator: "\t"))
}
