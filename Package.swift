// swift-tools-version:6.1
import PackageDescription

/// A module generated from a Codat document by the build plugin (config in `Generated/<name>/`).
func generatedModule(_ name: String) -> Target {
    .target(
        name: name,
        dependencies: ["PayablesRuntime", .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
        path: "Generated/\(name)",
        exclude: ["payables-gen.json"],
        plugins: ["PayablesGeneratorPlugin"]
    )
}

let package = Package(
    name: "PayablesSDK",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .executable(name: "payables-gen", targets: ["payables-gen"]),
        .library(name: "CodatSyncPayables", targets: ["CodatSyncPayables"]),
        .library(name: "CodatSyncPayablesV1", targets: ["CodatSyncPayablesV1"]),
        .library(name: "BillPay", targets: ["BillPay"]),
        .library(name: "BillPaySQLite", targets: ["BillPaySQLite"]),
        .library(name: "BillPayPostgres", targets: ["BillPayPostgres"]),
        .library(name: "PayablesRuntime", targets: ["PayablesRuntime"]),
        .library(name: "PayablesAsyncHTTPClient", targets: ["PayablesAsyncHTTPClient"]),
        .library(name: "CodatSandbox", targets: ["CodatSandbox"]),
        .library(name: "CodatWebhooks", targets: ["CodatWebhooks"]),
        .library(name: "CodatWebhooksHummingbird", targets: ["CodatWebhooksHummingbird"]),
        .executable(name: "codat-sandbox", targets: ["codat-sandbox"]),
        .executable(name: "billpay", targets: ["billpay-cli"]),
        .library(name: "OpenAPIDocument", targets: ["OpenAPIDocument"]),
        .library(name: "SDKGen", targets: ["SDKGen"]),
        .plugin(name: "PayablesGeneratorPlugin", targets: ["PayablesGeneratorPlugin"]),
        .plugin(name: "SyncSpecsCommand", targets: ["SyncSpecsCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        // `swift package generate-documentation`: the DocC catalogs (Benchmarks/docs.sh). Costs a
        // fresh build folder two plugin scripts compiled before the build (about 36 s on 2 loaded cores).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // The transport for Linux servers (README "Transports"); 1.37: `HTTPClient.Configuration.tracing`.
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.58.0"),
        // Observability: no-ops until the application bootstraps a backend (README "Observability").
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        // 1.3: the InMemoryTracing product the tests use.
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.3.0"),
        // HMAC-SHA256 and constant-time comparison for webhook signatures (`CodatWebhooks`);
        // already in the graph through async-http-client, so 3.x and 4.x are both accepted.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // `WebhookReceiverService` (already in the graph through Hummingbird).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        // Payment-run journals (README "Payment runs"), each in its own module so BillPay stays light.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // libyaml, the system library (Debian `libyaml-dev`, Homebrew `libyaml`).
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // Stages 1-3: bytes -> located YAML nodes -> typed OpenAPI document -> resolved refs.
        .target(name: "OpenAPIDocument", dependencies: ["CYAML"]),
        // Stages 4-5: resolved document -> SDK model -> Mustache templates -> files.
        .target(name: "SDKGen", dependencies: ["OpenAPIDocument"]),
        // Writes Templates/*.mustache into SDKGen as string literals (Render/BuiltInTemplates.swift).
        .executableTarget(name: "payables-embed-templates"),
        .executableTarget(
            name: "payables-gen",
            dependencies: [
                "OpenAPIDocument", "SDKGen",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What generated code calls at run time: request building, retries, pagination, errors, logging.
        .target(
            name: "PayablesRuntime",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                // Only to recognise a `URLSessionTransport` and put `PayablesURLSessionTransport` in its place.
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // AsyncHTTPClient configured for the clients: redirects not followed, its own spans off.
        .target(
            name: "PayablesAsyncHTTPClient",
            dependencies: [
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .plugin(
            name: "PayablesGeneratorPlugin",
            capability: .buildTool(),
            dependencies: ["payables-gen"]
        ),
        // `swift package generate-sdk --output DIR`: the same code, written to a folder.
        .plugin(
            name: "GenerateSDKCommand",
            capability: .command(
                intent: .custom(verb: "generate-sdk", description: "Writes generated SDK modules into a folder"),
                permissions: [.writeToPackageDirectory(reason: "writes the generated Swift files")]
            ),
            dependencies: ["payables-gen"]
        ),
        // `swift package sync-codat-specs`: the pinned documents into every package that pins
        // some, a URL dependency's checkout included (the build plugin reads them there).
        .plugin(
            name: "SyncSpecsCommand",
            capability: .command(
                intent: .custom(verb: "sync-codat-specs", description: "Puts the pinned Codat documents where the build plugin reads them"),
                permissions: [
                    .writeToPackageDirectory(reason: "writes the pinned Codat documents into specs/ of the packages that pin them"),
                    .allowNetworkConnections(scope: .all(ports: [443]), reason: "downloads the pinned documents from raw.githubusercontent.com (not with --from)"),
                ]
            )
        ),
        generatedModule("CodatSyncPayables"),
        generatedModule("CodatSyncPayablesV1"),
        // The payloads of Codat's webhooks: only `webhooks` of the Platform document (its filter).
        generatedModule("CodatPlatformWebhooks"),
        // The Bill Pay workflows of Codat's guides, over both generated modules.
        .target(
            name: "BillPay",
            dependencies: [
                "CodatSyncPayables", "CodatSyncPayablesV1",
                // Push handles settle from write webhooks (`DataTypeWriteWebhook`, PushEvents+Webhooks.swift).
                "CodatPlatformWebhooks",
                // `CompanyRequestLimiter` is a client middleware.
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The payment-run journal in one SQLite file (WAL): the embedded default.
        // It also keeps webhook claims (`WebhookDeduplication` of CodatWebhooks) across restarts.
        .target(name: "BillPaySQLite", dependencies: ["BillPay", "CodatWebhooks", .product(name: "GRDB", package: "GRDB.swift")]),
        // The payment-run journal in PostgreSQL: several worker processes share one run.
        .target(
            name: "BillPayPostgres",
            dependencies: [
                "BillPay", "CodatWebhooks",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // An in-memory fake of the Codat endpoints Bill Pay uses, with fault injection.
        .target(
            name: "CodatSandbox",
            dependencies: [
                "CodatSyncPayables", "CodatSyncPayablesV1", "OpenAPIDocument",
                // Records are the runtime's `JSONValue` (SandboxJSON.swift).
                "PayablesRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                // Sends the write webhooks to consumers, signed (Webhooks/WebhookDispatcher.swift).
                .product(name: "AsyncHTTPClient", package: "async-http-client"), "CodatWebhooks",
            ],
            // Seed data written by Resources/extract_seed.py from the guides and the documents.
            exclude: ["Resources/extract_seed.py"],
            resources: [.copy("Resources/Seed")]
        ),
        // Codat's webhooks: Standard Webhooks signatures (sign, verify), typed events,
        // deduplication and the hand-off queue; no server framework.
        .target(
            name: "CodatWebhooks",
            dependencies: ["CodatPlatformWebhooks", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // `CodatWebhooks` behind a Hummingbird route, and its handler loop as a service.
        .target(
            name: "CodatWebhooksHummingbird",
            dependencies: [
                "CodatWebhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "codat-sandbox",
            dependencies: ["CodatSandbox", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // `billpay`: the demo, bills, pay, payment runs (module `billpay_cli`: on a case-insensitive
        // file system a module `billpay` would collide with `BillPay`).
        .executableTarget(
            name: "billpay-cli",
            dependencies: [
                "BillPay", "BillPaySQLite", "CodatSandbox",
                // `--journal postgres://…`: several worker processes share one run (`Run/Journals.swift`).
                "BillPayPostgres",
                // `billpay webhooks listen` (`Webhooks/WebhooksCommand.swift`).
                "CodatWebhooksHummingbird",
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The default transport on Linux (`Transport.swift`).
                .target(name: "PayablesAsyncHTTPClient", condition: .when(platforms: [.linux])),
            ],
            path: "Sources/billpay"
        ),
        // Prints client throughput against the sandbox and decoding figures; never run as a test.
        .executableTarget(
            name: "payables-client-bench",
            dependencies: [
                "CodatSyncPayables", "CodatSandbox",
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ]
        ),
        // Prints figures (lint vs a plain libyaml scan, peak memory); never run as a test.
        .executableTarget(name: "payables-bench", dependencies: ["OpenAPIDocument", "SDKGen", "CYAML"]),
        // `startLoopbackApplication`: a test's own Hummingbird server on a free loopback port.
        .target(
            name: "LoopbackTestSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/LoopbackTestSupport"
        ),
        // The Bill Pay layer against an in-process sandbox: its clock, delivery policy, companies.
        .target(
            name: "SandboxTestSupport",
            dependencies: ["BillPay", "CodatSandbox", "PayablesRuntime"],
            path: "Tests/SandboxTestSupport"
        ),
        // The guides' payloads (`seed-examples`) and `JSONTree`, a comparison of JSON in value with
        // exact numbers (SDKGen's `LocatedJSON` keeps each number's text).
        .target(name: "SeedExampleSupport", dependencies: ["SDKGen"], path: "Tests/SeedExampleSupport"),
        .testTarget(
            name: "SDKGenTests",
            // PayablesRuntime: built so that generated code can be type-checked against it.
            dependencies: ["SDKGen", "OpenAPIDocument", "PayablesRuntime"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "OpenAPIDocumentTests",
            dependencies: ["OpenAPIDocument"],
            resources: [.copy("Fixtures")]
        ),
        // Generated models against the documents' own examples and real payloads.
        .testTarget(
            name: "GeneratedModelsTests",
            dependencies: ["CodatSyncPayables", "CodatSyncPayablesV1", "CodatWebhooks", "OpenAPIDocument", "SeedExampleSupport"]
        ),
        // The runtime's pieces (retries, encoding, pagination, redaction) over a scripted transport.
        .testTarget(
            name: "PayablesRuntimeTests",
            dependencies: [
                "PayablesRuntime",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Generated clients against the sandbox over loopback: what reached the server, faults.
        .testTarget(
            name: "ClientTests",
            dependencies: [
                "CodatSyncPayables", "CodatSyncPayablesV1", "CodatSandbox",
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // Hostile servers (redirects to another origin, endless bodies) beside the sandbox.
                .product(name: "Hummingbird", package: "hummingbird"), "LoopbackTestSupport",
                // Both transports (`TransportParityTests`) and in-memory observability backends.
                "PayablesAsyncHTTPClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Signatures against fixtures signed by the Python `svix` package (Fixtures/make_svix_fixtures.py);
        // deliveries over loopback HTTP to the Hummingbird route.
        .testTarget(
            name: "CodatWebhooksTests",
            dependencies: [
                "CodatWebhooks", "CodatWebhooksHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            exclude: ["make_svix_fixtures.py"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CodatSandboxTests",
            dependencies: [
                "CodatSandbox", "OpenAPIDocument",
                // The webhook consumers on loopback that receive and verify the sandbox's deliveries.
                "CodatWebhooks", .product(name: "Hummingbird", package: "hummingbird"), "LoopbackTestSupport",
            ]
        ),
        // Payment runs against the sandbox, journaled in real SQLite files (kill and resume at every step).
        .testTarget(
            name: "PaymentRunTests",
            dependencies: [
                "BillPay", "BillPaySQLite", "CodatSandbox", "CodatWebhooks", "SandboxTestSupport",
                // AsyncHTTPClient: a run killed mid-request cancels it (URLSession on Linux can trap then).
                "PayablesAsyncHTTPClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The PostgreSQL journal against a throwaway server (Tests/postgres/start-postgres.sh): leases, several workers.
        .testTarget(
            name: "PaymentRunPostgresTests",
            dependencies: [
                "BillPay", "BillPayPostgres", "CodatSandbox", "CodatWebhooks", "PayablesAsyncHTTPClient", "SandboxTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BillPayTests",
            dependencies: [
                "BillPay", "CodatSandbox", "SandboxTestSupport", "SeedExampleSupport",
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                // A webhook endpoint on loopback that verifies the sandbox's deliveries (WebhookSettlementTests).
                "CodatWebhooks", "CodatWebhooksHummingbird",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
