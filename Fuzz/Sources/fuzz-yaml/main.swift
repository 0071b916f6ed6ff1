import Foundation
import CFuzzerDriver
import OpenAPIDocument

/// One input: parse it, then read every node back the way later stages do (kinds, scalars,
/// pointers, plain values), so that what the parser builds is checked, not only built.
func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let result = YAMLParser.parse(bytes, file: "fuzz.yaml")
    let tree = result.tree
    if let root = tree.root { _ = tree.value(root) }
    var checksum = 0
    // Pointers of at most ~2,000 nodes spread over the tree: every node of a big seed would
    // make one execution take seconds.
    let step = max(1, tree.nodeCount / 2_000)
    for i in stride(from: 0, to: tree.nodeCount, by: step) {
        let id = YAMLNodeID(Int32(i))
        checksum &+= tree.pointer(id).utf8.count &+ tree.count(id) &+ (tree.scalar(id)?.utf8.count ?? 0)
        if let key = tree.key(ofValue: id) { checksum &+= tree.line(key) }
    }
    for diagnostic in result.diagnostics { checksum &+= diagnostic.description.utf8.count }
    return checksum == Int.min ? 1 : 0
}

// libFuzzer runs the loop: corpus, mutations, -max_total_time and the other flags from the command line.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv) { data, size in fuzzYAML(data, size) })
