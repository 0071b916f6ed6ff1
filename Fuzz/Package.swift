// swift-tools-version:6.1
import Foundation
import PackageDescription

// libFuzzer targets for the generator's front end and translator. Built only by
// `Benchmarks/fuzz.sh` (with `-sanitize=fuzzer,address`, scratch path `.build-fuzz`), never by
// the package's own build or tests: libFuzzer supplies `main`, so these link only with the fuzzer.

/// The package one folder up, whose identity is its folder's name (`main`, a worktree's name, ...).
let sdk = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["CFuzzerDriver"] + products.map { .product(name: $0, package: sdk.lastPathComponent) },
        path: "Sources/\(name)"
    )
}

let package = Package(
    name: "PayablesFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: sdk.path)],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver, which each target's `main` calls.
        .target(name: "CFuzzerDriver"),
        // Stage 1: bytes -> YAMLTree.
        fuzzTarget("fuzz-yaml", ["OpenAPIDocument"]),
        // Stages 1-3: bytes -> resolved OpenAPIDocument (no file system: other files are absent).
        fuzzTarget("fuzz-reader", ["OpenAPIDocument"]),
        // Stages 1-5: bytes -> SDK model -> Swift text through the package's templates (not compiled).
        fuzzTarget("fuzz-translator", ["OpenAPIDocument", "SDKGen"]),
    ],
    swiftLanguageModes: [.v6]
)
