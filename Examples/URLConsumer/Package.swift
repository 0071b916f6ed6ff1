// swift-tools-version:6.1
// An app that depends on PayablesSDK the way users do: by git URL, at a version.
// `Examples/url-consumer.sh` points PAYABLES_SDK_URL at a bare clone of this repository.
import PackageDescription

let package = Package(
    name: "ListBills",
    platforms: [.macOS(.v13), .iOS(.v16)],
    dependencies: [
        .package(url: Context.environment["PAYABLES_SDK_URL"] ?? "https://github.com/codat-swift/PayablesSDK", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "ListBills",
            dependencies: [
                .product(name: "CodatSyncPayables", package: "PayablesSDK"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
