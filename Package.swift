// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "PayablesSDK",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .executable(name: "payables-gen", targets: ["payables-gen"]),
        .library(name: "OpenAPIDocument", targets: ["OpenAPIDocument"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // libyaml, the system library (Debian `libyaml-dev`, Homebrew `libyaml`).
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // Stages 1-3 of the generator: bytes -> located YAML nodes -> typed OpenAPI document -> resolved refs.
        .target(name: "OpenAPIDocument", dependencies: ["CYAML"]),
        .executableTarget(
            name: "payables-gen",
            dependencies: [
                "OpenAPIDocument",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Prints figures (lint vs a plain libyaml scan, peak memory); never run as a test.
        .executableTarget(name: "payables-bench", dependencies: ["OpenAPIDocument", "CYAML"]),
        .testTarget(
            name: "OpenAPIDocumentTests",
            dependencies: ["OpenAPIDocument"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
