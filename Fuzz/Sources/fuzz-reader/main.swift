import Foundation
import CFuzzerDriver
import OpenAPIDocument

/// One input: read it as an OpenAPI document held in memory (a `$ref` to another file finds
/// nothing), then print every diagnostic, as `payables-gen lint` does.
func fuzzReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let result = DocumentLoader.load(path: "/fuzz/spec.yaml", bytes: bytes) { _ in nil }
    var checksum = 0
    for diagnostic in Diagnostics.sortedByLocation(result.diagnostics) { checksum &+= diagnostic.description.utf8.count }
    if let document = result.document {
        checksum &+= document.operations.count &+ document.schemas.count
        for i in 0..<document.schemas.count { checksum &+= Int(document.schemas.resolved(SchemaID(Int32(i))).index) }
    }
    return checksum == Int.min ? 1 : 0
}

// libFuzzer runs the loop: corpus, mutations, -max_total_time and the other flags from the command line.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv) { data, size in fuzzReader(data, size) })
