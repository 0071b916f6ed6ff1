import Foundation

/// The seed companies, read once per process from the JSON files in `Resources/Seed`
/// (written by `Resources/extract_seed.py` from the guides' payloads and the documents'
/// examples; nothing outside the package is read at run time).
struct SeedData: Sendable {
    struct Company: Sendable, Decodable {
        var integration: SandboxIntegration
        var company: SandboxJSON
        var connection: SandboxJSON
        var baseCurrency: String
        var companyInfo: SandboxJSON
        var pushOptions: [String: SandboxJSON]
        var records: [String: [SandboxJSON]]
    }

    let companies: [Company]

    /// Loaded on first use; a failure here is a packaging error, reported by `start`.
    static let loaded: Result<SeedData, any Error> = Result { try SeedData(bundle: Bundle.module) }

    static var shared: SeedData {
        get throws { try loaded.get() }
    }

    init(bundle: Bundle) throws {
        guard let folder = bundle.url(forResource: "Seed", withExtension: nil) else {
            throw SeedError(message: "the Seed folder is missing from the CodatSandbox resources")
        }
        let index = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("index.json")))
        companies = try index.map { name in
            do {
                return try JSONDecoder().decode(Company.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
            } catch {
                throw SeedError(message: "seed file \(name) does not load: \(error)")
            }
        }
    }

    struct SeedError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// The store's starting state for a configuration (which may add generated bills).
    func storeState(configuration: SandboxConfiguration) -> StoreState {
        var state = StoreState()
        for seed in companies {
            var company = CompanyState(
                company: seed.company, connections: [seed.connection], integration: seed.integration,
                baseCurrency: seed.baseCurrency, companyInfo: seed.companyInfo, pushOptions: seed.pushOptions)
            for (name, records) in seed.records {
                guard let collection = SandboxCollection(rawValue: name) else { continue }
                var table = RecordTable()
                for record in records { table.upsert(record) }
                company[collection] = table
            }
            if seed.integration == configuration.extraBillsIntegration, configuration.extraBills > 0 {
                Self.addGeneratedBills(configuration.extraBills, to: &company)
            }
            state.add(company)
        }
        return state
    }

    /// `count` Open bills (ids `gen-bill-00001`...), over the company's suppliers, in its base
    /// currency and one other, for paging tests and benchmarks.
    static func addGeneratedBills(_ count: Int, to company: inout CompanyState) {
        let suppliers = company[.suppliers].all.compactMap { supplier -> SandboxJSON? in
            guard let id = supplier.id else { return nil }
            return ["id": .string(id), "supplierName": supplier["supplierName"] ?? .null]
        }
        let expense = company[.accounts].all.first { $0["type"]?.string == "Expense" }?.id ?? "expense"
        let currencies = [company.baseCurrency, company.baseCurrency == "USD" ? "EUR" : "USD"]
        for n in 1...count {
            let net = Decimal(100 + (n * 37) % 900) + Decimal(n % 100) / 100
            let tax = net * Decimal(2) / Decimal(10)
            let issued = CodatDate.format(Date(timeIntervalSince1970: 1_704_067_200 + Double(n) * 3600))
            let line: SandboxJSON = [
                "description": .string("Generated line \(n)"), "unitAmount": .number(net), "quantity": 1,
                "taxAmount": .number(tax), "subTotal": .number(net), "totalAmount": .number(net + tax),
                "accountRef": ["id": .string(expense)],
            ]
            let bill: SandboxJSON = [
                "id": .string(String(format: "gen-bill-%05d", n)),
                "reference": .string(String(format: "GEN-%05d", n)),
                "supplierRef": suppliers.isEmpty ? ["id": "unknown"] : suppliers[n % suppliers.count],
                "issueDate": .string(issued), "dueDate": .string(issued),
                "currency": .string(currencies[n % 2 == 0 ? 1 : 0]), "currencyRate": 1,
                "lineItems": [line], "withholdingTax": [], "purchaseOrderRefs": [], "paymentAllocations": [],
                "status": "Open", "subTotal": .number(net), "taxAmount": .number(tax),
                "totalAmount": .number(net + tax), "amountDue": .number(net + tax),
                "modifiedDate": .string(issued), "sourceModifiedDate": .string(issued),
                "metadata": ["isDeleted": false],
            ]
            company[.bills].upsert(bill)
        }
    }
}
