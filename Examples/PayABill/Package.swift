// swift-tools-version:6.1
// An app that uses PayablesSDK as a dependency: the build plugin runs in the dependency's
// own folder (its specs, templates and configs), and this package only imports the modules.
import Foundation
import PackageDescription

/// A path dependency is identified by its folder's name, whatever the clone is called.
let sdk = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.lastPathComponent

let package = Package(
    name: "PayABill",
    platforms: [.macOS(.v13), .iOS(.v16)],
    dependencies: [
        // In your own package: .package(url: "https://github.com/<owner>/PayablesSDK", from: "1.0.0")
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "PayABill",
            dependencies: [
                // In your own package: .product(name: "BillPay", package: "PayablesSDK"), ...
                .product(name: "BillPay", package: sdk),
                .product(name: "CodatSyncPayables", package: sdk),
                .product(name: "CodatSandbox", package: sdk),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
