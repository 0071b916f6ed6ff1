import Foundation
import CFuzzerDriver
import OpenAPIDocument
import SDKGen

/// The package's own templates, compiled into SDKGen (`BuiltInTemplates`, kept equal to `Templates/`).
let renderer: TemplateRenderer = {
    do { return try TemplateRenderer() } catch { fatalError("fuzz-translator: \(error)") }
}()

/// One input: a document read without errors is translated and rendered to Swift text, the
/// whole of `payables-gen generate` but writing files and compiling.
func fuzzTranslator(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let loaded = DocumentLoader.load(path: "/fuzz/spec.yaml", bytes: bytes) { _ in nil }
    guard let document = loaded.document, !loaded.hasErrors else { return 0 }
    let config = GeneratorConfig(module: "Fuzzed", modelFiles: 2)
    let (model, diagnostics) = ModelTranslator.translate(document, config: config)
    var checksum = diagnostics.count
    if !diagnostics.contains(where: { $0.severity == .error }) {
        do {
            for file in try renderer.render(model, config: config, specFileName: "spec.yaml") { checksum &+= file.contents.utf8.count }
        } catch {
            fatalError("fuzz-translator: rendering failed: \(error)")
        }
    }
    return checksum == Int.min ? 1 : 0
}

// libFuzzer runs the loop: corpus, mutations, -max_total_time and the other flags from the command line.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv) { data, size in fuzzTranslator(data, size) })
