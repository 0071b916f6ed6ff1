import Foundation

/// The kinds of records a company holds. Bills, suppliers and accounts are shared by both
/// APIs (the same bill is listed by the synchronous and the v1 API); bill payments are
/// kept per API because their shapes differ (`amount` for one bill against `lines` and `links`).
public enum SandboxCollection: String, Sendable, Hashable, CaseIterable, Codable {
    case bills, suppliers, accounts, billCreditNotes, paymentMethods, taxRates, trackingCategories
    /// Bill payments pushed through the v1 API (and the v1 document's examples).
    case billPayments
    /// Bill payments made through the synchronous API (`POST .../bills/{billId}/payment`).
    case syncBillPayments
}

/// The accounting software a seeded company is connected to.
public enum SandboxIntegration: String, Sendable, Hashable, CaseIterable, Codable {
    case xero, quickBooksOnline, netSuite, sageIntacct, myob

    /// The connection's `platformName`.
    public var platformName: String {
        switch self {
        case .xero: return "Xero"
        case .quickBooksOnline: return "QuickBooks Online"
        case .netSuite: return "Oracle NetSuite"
        case .sageIntacct: return "Sage Intacct"
        case .myob: return "MYOB AccountRight and Essentials"
        }
    }

    /// The connection's `integrationKey` (Codat's platform key).
    public var platformKey: String {
        switch self {
        case .xero: return "gbol"
        case .quickBooksOnline: return "qhyg"
        case .netSuite: return "akxx"
        case .sageIntacct: return "knfz"
        case .myob: return "pdvj"
        }
    }

    init?(platformKey: String) {
        guard let match = Self.allCases.first(where: { $0.platformKey == platformKey }) else { return nil }
        self = match
    }
}

/// A seeded (or created) company with its accounting connection.
public struct SandboxCompany: Sendable, Hashable {
    public let id: String
    public let name: String
    /// The first connection's id (every seeded company has exactly one).
    public let connectionId: String?
    public let integration: SandboxIntegration?
    public let baseCurrency: String
}

/// Records of one kind, in insertion order. Each record gets a sequence number when first
/// stored, which continuation tokens use so that paging survives changes between pages.
struct RecordTable: Sendable {
    private(set) var order: [String] = []
    private var records: [String: SandboxJSON] = [:]
    private var sequences: [String: Int] = [:]
    private var nextSequence = 1

    var count: Int { order.count }

    var all: [SandboxJSON] { order.compactMap { records[$0] } }

    /// Records with their sequence numbers, in order.
    var sequenced: [(sequence: Int, record: SandboxJSON)] {
        order.compactMap { id in records[id].map { (sequences[id] ?? 0, $0) } }
    }

    subscript(id: String) -> SandboxJSON? {
        records[id]
    }

    /// Inserts a record or replaces the one with the same id (keeping its place).
    mutating func upsert(_ record: SandboxJSON) {
        guard let id = record.id else { return }
        if records[id] == nil {
            order.append(id)
            sequences[id] = nextSequence
            nextSequence += 1
        }
        records[id] = record
    }

    @discardableResult
    mutating func remove(_ id: String) -> SandboxJSON? {
        guard let removed = records.removeValue(forKey: id) else { return nil }
        order.removeAll { $0 == id }
        sequences[id] = nil
        return removed
    }

    /// Changes a record in place; false when there is none with that id.
    @discardableResult
    mutating func update(_ id: String, _ change: (inout SandboxJSON) -> Void) -> Bool {
        guard var record = records[id] else { return false }
        change(&record)
        records[id] = record
        return true
    }
}

/// An uploaded file.
public struct SandboxAttachment: Sendable, Hashable {
    public let id: String
    public let billId: String
    public let fileName: String
    public let contentType: String
    public let data: Data
    public let dateCreated: String
}

/// One company and everything it holds.
struct CompanyState: Sendable {
    var company: SandboxJSON
    var connections: [SandboxJSON]
    var integration: SandboxIntegration?
    var baseCurrency: String
    var companyInfo: SandboxJSON
    var pushOptions: [String: SandboxJSON]
    /// The accounting software: ground truth, what writes change.
    var tables: [SandboxCollection: RecordTable] = [:]
    var attachments: [SandboxAttachment] = []
    var pushOperations: [PushOperationState] = []
    /// Push operations by key, and the ones with something still to happen.
    var pushIndex: [String: Int] = [:]
    var pendingPushes: Set<Int> = []
    /// Push outcomes not yet handed to the webhook dispatcher (the store drains them at once).
    var writeOutcomes: [WriteOutcome] = []
    /// Codat's cache: what the v1 data endpoints read, updated only by refreshes (see `CodatCache.swift`).
    var cache: [SandboxCollection: RecordTable] = [:]
    var pullOperations: [PullOperationState] = []
    /// `get-data-status` per data type, as the last completed refresh left it.
    var dataStatus: [String: SandboxJSON] = [:]
    var nextScheduledSync: Date?
    /// Whether v1 reads show the cache (`SandboxConfiguration.refreshLag`).
    var refreshLag = true
    /// Bytes of attachments the company may hold (`SandboxConfiguration.attachmentQuotaBytes`).
    var attachmentQuotaBytes = Int.max

    var id: String { company.id ?? "" }

    /// Whether a connection is linked (an active connected company, for the daily quota).
    var isActivelyConnected: Bool {
        connections.contains { $0["status"]?.string == "Linked" }
    }

    subscript(collection: SandboxCollection) -> RecordTable {
        get { tables[collection] ?? RecordTable() }
        set { tables[collection] = newValue }
    }

    func connection(_ id: String) -> SandboxJSON? {
        connections.first { $0.id == id }
    }

    /// The company as Codat shows it: its details with `dataConnections`.
    var companyJSON: SandboxJSON {
        var json = company
        json["dataConnections"] = .array(connections)
        return json
    }

    var summary: SandboxCompany {
        SandboxCompany(
            id: id, name: company["name"]?.string ?? "", connectionId: connections.first?.id,
            integration: integration, baseCurrency: baseCurrency)
    }
}

/// Everything the sandbox holds, behind one lock.
struct StoreState: Sendable {
    var companies: [String: CompanyState] = [:]
    var companyOrder: [String] = []
    /// Draws whether a timed-out write still lands (seeded: the same run gives the same draws).
    var random = SplitMix64(seed: 0)
    var refreshLag = true
    var attachmentQuotaBytes = Int.max

    mutating func add(_ company: CompanyState) {
        if companies[company.id] == nil { companyOrder.append(company.id) }
        var company = company
        company.refreshLag = refreshLag
        company.attachmentQuotaBytes = attachmentQuotaBytes
        companies[company.id] = company
    }

    mutating func remove(company id: String) {
        companies[id] = nil
        companyOrder.removeAll { $0 == id }
    }

    var orderedCompanies: [CompanyState] {
        companyOrder.compactMap { companies[$0] }
    }
}

/// The sandbox's state. Every access first applies the events that are due on the sandbox
/// clock (push outcomes, timeouts, refreshes), so that time passes without any timer.
final class SandboxStore: Sendable {
    private let state: Locked<StoreState>
    private let seedState: StoreState
    let clock: SandboxClock
    private let rules: SettleRules
    /// Receives every push outcome once, as it is applied (the webhook dispatcher); called
    /// under the store's lock, so it must not call back into the store.
    private let writeOutcomeSink: @Sendable ([WriteOutcome]) -> Void

    init(seed: StoreState, configuration: SandboxConfiguration, clock: SandboxClock,
         writeOutcomeSink: @escaping @Sendable ([WriteOutcome]) -> Void = { _ in }) {
        var seed = seed
        seed.random = SplitMix64(seed: configuration.faultSeed ^ 0x1A4D_1A4D)
        seed.refreshLag = configuration.refreshLag
        seed.attachmentQuotaBytes = configuration.attachmentQuotaBytes
        let start = clock.now
        for id in seed.companyOrder {
            seed.companies[id]?.refreshLag = configuration.refreshLag
            seed.companies[id]?.attachmentQuotaBytes = configuration.attachmentQuotaBytes
            // The seed is what a first sync brought into Codat's cache.
            seed.companies[id]?.primeCache(at: start)
        }
        seedState = seed
        state = Locked(seed)
        self.clock = clock
        rules = SettleRules(configuration)
        self.writeOutcomeSink = writeOutcomeSink
    }

    /// Hands a company's new push outcomes to the sink.
    private func drainOutcomes(_ company: inout CompanyState) {
        guard !company.writeOutcomes.isEmpty else { return }
        let outcomes = company.writeOutcomes
        company.writeOutcomes.removeAll()
        writeOutcomeSink(outcomes)
    }

    /// Back to the seed data (faults and recordings are not the store's).
    func reset() {
        state.withLock { $0 = seedState }
    }

    func withState<Result>(_ body: (inout StoreState) throws -> Result) rethrows -> Result {
        try SandboxClock.$current.withValue(clock) {
            try state.withLock { state in
                let now = clock.now
                for id in state.companyOrder {
                    state.companies[id]?.settle(until: now, rules: rules, random: &state.random)
                }
                defer {
                    for id in state.companyOrder where state.companies[id]?.writeOutcomes.isEmpty == false {
                        drainOutcomes(&state.companies[id]!)
                    }
                }
                return try body(&state)
            }
        }
    }

    /// Runs `body` on one company; throws 404 when it does not exist.
    func withCompany<Result>(_ id: String, _ body: (inout CompanyState) throws -> Result) throws -> Result {
        try SandboxClock.$current.withValue(clock) {
            try state.withLock { state in
                guard var company = state.companies[id] else {
                    throw SandboxError.notFound("Company '\(id)' was not found.")
                }
                company.settle(until: clock.now, rules: rules, random: &state.random)
                defer {
                    drainOutcomes(&company)
                    state.companies[id] = company
                }
                return try body(&company)
            }
        }
    }

    /// Runs `body` on a company after checking that the connection belongs to it.
    func withConnection<Result>(
        _ companyId: String, _ connectionId: String, _ body: (inout CompanyState) throws -> Result
    ) throws -> Result {
        try withCompany(companyId) { company in
            guard company.connection(connectionId) != nil else {
                throw SandboxError.notFound("Connection '\(connectionId)' was not found for company '\(companyId)'.")
            }
            return try body(&company)
        }
    }

    /// Applies every due event of every company (after the clock moved).
    func settleAll() {
        withState { _ in }
    }

    /// Companies with a linked connection (Codat's daily quota grows with them, facts §3), and
    /// whether `companyId` is one of the companies.
    func rateLimitFacts(companyId: String?) -> (activeCompanies: Int, companyExists: Bool) {
        state.withLock { state in
            (state.companies.values.filter(\.isActivelyConnected).count, companyId.map { state.companies[$0] != nil } ?? false)
        }
    }
}

extension SandboxJSON {
    /// A new record id in the style of the integration (GUIDs for most).
    static func newId() -> String {
        UUID().uuidString.lowercased()
    }
}
