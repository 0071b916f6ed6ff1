import CodatSyncPayables
import Foundation

/// The synchronous Bill Pay solution (`CodatSyncPayables`), in the guides' words: outstanding
/// bills, bill creation (checked first), bill attachments, payment accounts, bank account
/// creation, and the payment of one bill, in full or in part.
///
/// ```swift
/// let codat = CodatSyncPayables.Client(serverURL: url, authHeader: "Basic …", transport: URLSessionTransport())
/// let billPay = try await SyncBillPay.connect(client: codat)          // first company, first connection
/// let bills = try await billPay.outstandingBills()
/// let accounts = try await billPay.paymentAccounts()
/// let receipt = try await billPay.payBill(bills[0], from: accounts[0], date: "2024-06-01", intent: "my-payment-42")
/// ```
///
/// Every payment is an intent the caller names; it is recorded exactly once or reported unknown
/// with what resumes it (see `DeliveryPolicy`, `PaymentJournal` and `AtMostOnce.swift`).
public struct SyncBillPay: Sendable {
    /// The generated client the workflows call.
    public let client: CodatSyncPayables.Client
    /// The company and connection worked on.
    public let company: CompanyConnection
    /// How payments are delivered after an ambiguous failure.
    public var delivery: DeliveryPolicy
    /// The payment intents of the process: their resume data, and one call per intent and per bill.
    public var journal: PaymentJournal
    /// The clock the replay window and the waits are measured by.
    public var clock: any PaymentClock

    /// Works on a known company and connection (see `connect` to choose them from the server).
    public init(client: CodatSyncPayables.Client, company: CompanyConnection, delivery: DeliveryPolicy = DeliveryPolicy(),
                journal: PaymentJournal = .shared, clock: any PaymentClock = SystemPaymentClock()) {
        self.client = client
        self.company = company
        self.delivery = delivery
        self.journal = journal
        self.clock = clock
    }

    /// Works on `companyId` (default: the first company listed) and `connectionId` (default: the
    /// company's first connection); the connection's platform names the integration.
    public static func connect(client: CodatSyncPayables.Client, companyId: String? = nil, connectionId: String? = nil,
                               delivery: DeliveryPolicy = DeliveryPolicy(), journal: PaymentJournal = .shared,
                               clock: any PaymentClock = SystemPaymentClock()) async throws -> SyncBillPay {
        let selected = try await CompanyConnection.select(
            companyId: companyId, connectionId: connectionId,
            company: { id in
                let company = try await client.companies.get(companyId: id)
                return .init(id: company.id, name: company.name)
            },
            firstCompany: { try await client.companies.list(page: 1, pageSize: 1).results?.first.map { .init(id: $0.id, name: $0.name) } },
            connections: { id in try await client.connections.listAll(companyId: id).collect().map { ($0.id, $0.platformName) } })
        return SyncBillPay(client: client, company: selected, delivery: delivery, journal: journal, clock: clock)
    }

    var companyId: String { company.companyId }
    var connectionId: String { company.connectionId }

    // MARK: Bills

    /// The bills still to pay: `Open` and `PartiallyPaid` (what list-bills returns without a query).
    public func outstandingBills() async throws -> [Bill] {
        try await client.bills.listAll(companyId: companyId, connectionId: connectionId).collect()
    }

    /// The bills a Codat query selects; it replaces the default filter, e.g.
    /// `status=Open||status=PartiallyPaid||status=Paid` to include paid bills.
    public func bills(query: String) async throws -> [Bill] {
        try await client.bills.listAll(companyId: companyId, connectionId: connectionId, query: query).collect()
    }

    /// The bills in any of these statuses.
    public func bills(statuses: [BillStatus]) async throws -> [Bill] {
        try await bills(query: statuses.map { "status=\($0.rawValue)" }.joined(separator: "||"))
    }

    /// One bill, whatever its status (list-bills with `query=id=…`: the API has no get-bill).
    public func bill(id: String) async throws -> Bill? {
        try await bills(query: "id=\(id)").first { $0.id == id }
    }

    /// The company's name and base currency in its accounting software.
    public func companyInformation() async throws -> CompanyInformation {
        try await client.companyInformation.get(companyId: companyId, connectionId: connectionId)
    }
}
