import Foundation

// The guides' payloads (`<shared>/fixtures/seed-examples`, listed by `index.json`), for the tests
// that decode them into the generated models (GeneratedModelsTests) and build them with the
// Bill Pay layer (BillPayTests).

/// One entry of `index.json`: where a payload comes from in the guides.
public struct SeedExample: Decodable, Sendable {
    public var file: String
    public var seed: String
    public var line: Int
    public var section: String
    public var tabs: [String]
    public var title: String

    /// What the payload is, from its file name.
    public enum Kind: String {
        case billToPay, paySingleBill, payMultipleBills, batchPayment, createCreditNote, allocateCreditNote
    }

    public var kind: Kind? {
        let table: [(String, Kind)] = [
            ("-bill-to-pay-", .billToPay), ("-pay-single-bill-", .paySingleBill),
            ("-pay-multiple-bills-", .payMultipleBills), ("-batch-payment-", .batchPayment),
            ("-create-credit-note-", .createCreditNote), ("-allocate-credit-note-", .allocateCreditNote),
        ]
        return table.first { file.contains($0.0) }?.1
    }

    /// "seed:line, section / tabs", for failure messages.
    public var origin: String {
        "\(file) (\(seed):\(line), \(section)\(tabs.isEmpty ? "" : " / " + tabs.joined(separator: " / ")))"
    }

    /// `$PAYABLES_SHARED`, else `../shared` beside the package root.
    public static var sharedFolder: URL {
        if let shared = ProcessInfo.processInfo.environment["PAYABLES_SHARED"], !shared.isEmpty {
            return URL(fileURLWithPath: shared, isDirectory: true)
        }
        let packageRoot = URL(fileURLWithPath: #filePath) // <root>/Tests/SeedExampleSupport/SeedExample.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared", isDirectory: true)
    }

    public static var folder: URL {
        sharedFolder.appendingPathComponent("fixtures/seed-examples", isDirectory: true)
    }

    public static func index() throws -> [SeedExample] {
        let url = folder.appendingPathComponent("index.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingExamples(description: "no seed examples at \(url.path): set PAYABLES_SHARED to the shared folder")
        }
        return try JSONDecoder().decode([SeedExample].self, from: Data(contentsOf: url))
    }

    public static func payload(_ file: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(file))
    }
}

public struct MissingExamples: Error, CustomStringConvertible {
    public var description: String
}
