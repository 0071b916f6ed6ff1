import CodatSyncPayablesV1
import Foundation

/// The asynchronous Bill Pay solution (`CodatSyncPayablesV1`), in the guides' words: bank
/// accounts, payment account creation, paying one bill in full or in part, several bills of one
/// supplier, a batch across suppliers, bill credit notes allocated alone or with a partial
/// payment, deleting a bill or a bill payment.
///
/// Every change is a push: the method returns a `PushHandle` at once, and `wait()` on it returns
/// the record once Codat has applied the push (or throws its validation errors).
///
/// ```swift
/// let v1 = CodatSyncPayablesV1.Client(serverURL: url, authHeader: "Basic …", transport: URLSessionTransport())
/// let billPay = try await AsyncBillPay.connect(client: v1)
/// let bill = try await billPay.outstandingBills()[0]
/// let account = try await billPay.bankAccounts()[0]
/// let details = PaymentDetails(account: AccountRef(id: account.id), date: "2024-06-01")
/// let payment = try await billPay.payBill(bill, details: details).wait().record
/// ```
///
/// Every payment passes `validator` before it is sent and is recorded at most once (see
/// `DeliveryPolicy` and `AtMostOnce.swift`).
public struct AsyncBillPay: Sendable {
    /// The generated client the workflows call.
    public let client: CodatSyncPayablesV1.Client
    /// The company and connection worked on.
    public let company: CompanyConnection
    /// Builds the guides' payments; its validator checks every payment before it is sent.
    public var builder: BillPaymentBuilder
    /// How handles poll their push operations.
    public var polling: PushPolling
    /// How payments and credit notes are delivered after an ambiguous failure.
    public var delivery: DeliveryPolicy

    /// The validator run before every payment is sent.
    public var validator: PaymentValidator { builder.validator }
    /// The accounting software behind the connection.
    public var integration: Integration { company.integration }

    /// - Parameters:
    ///   - locationsAreMandatory: NetSuite: the company makes locations mandatory, so a payment's
    ///     `reference` must be a `location-` tracking category.
    ///   - locationIds: NetSuite: the company's location tracking categories (see `locations()`).
    public init(client: CodatSyncPayablesV1.Client, company: CompanyConnection, locationsAreMandatory: Bool = false,
                locationIds: Set<String>? = nil, polling: PushPolling = PushPolling(), delivery: DeliveryPolicy = DeliveryPolicy()) {
        self.client = client
        self.company = company
        self.builder = BillPaymentBuilder(integration: company.integration, locationsAreMandatory: locationsAreMandatory,
                                          locationIds: locationIds)
        self.polling = polling
        self.delivery = delivery
    }

    /// Works on `companyId` (default: the first company listed) and `connectionId` (default: the
    /// company's first connection); the connection's platform names the integration.
    public static func connect(client: CodatSyncPayablesV1.Client, companyId: String? = nil, connectionId: String? = nil,
                               polling: PushPolling = PushPolling(), delivery: DeliveryPolicy = DeliveryPolicy()) async throws -> AsyncBillPay {
        if companyId == nil, let connectionId { throw CompanySelectionError.connectionWithoutCompany(connectionId: connectionId) }
        let company: Company
        if let companyId {
            company = try await client.companies.get(companyId: companyId)
        } else {
            guard let first = try await client.companies.list(page: 1, pageSize: 1).results?.first else {
                throw CompanySelectionError.noCompanies
            }
            company = first
        }
        let connections = try await client.connections.listAll(companyId: company.id).collect()
        let connection: Connection
        if let connectionId {
            guard let match = connections.first(where: { $0.id == connectionId }) else {
                throw CompanySelectionError.connectionNotFound(companyId: company.id, connectionId: connectionId)
            }
            connection = match
        } else {
            guard let first = connections.first else { throw CompanySelectionError.noConnections(companyId: company.id) }
            connection = first
        }
        let selected = CompanyConnection(companyId: company.id, companyName: company.name, connectionId: connection.id,
                                         platformName: connection.platformName)
        return AsyncBillPay(client: client, company: selected, polling: polling, delivery: delivery)
    }

    var companyId: String { company.companyId }
    var connectionId: String { company.connectionId }

    // MARK: Reading

    /// The query `outstandingBills()` uses by default.
    public static let outstandingQuery = "status=Open||status=PartiallyPaid"

    /// The bills still to pay (`Open` and `PartiallyPaid`); `query` replaces that filter.
    public func outstandingBills(query: String = AsyncBillPay.outstandingQuery) async throws -> [Bill] {
        try await client.bills.listAll(companyId: companyId, query: query).collect()
    }

    /// One bill.
    public func bill(id: String) async throws -> Bill {
        try await client.bills.get(companyId: companyId, billId: id)
    }

    /// The accounts a bill can be paid from: the chart of accounts' bank accounts (`isBankAccount=true`).
    public func bankAccounts() async throws -> [Account] {
        try await client.accounts.listAll(companyId: companyId, query: "isBankAccount=true").collect()
    }

    /// The company's payment methods (Sage Intacct needs one on every payment).
    public func paymentMethods() async throws -> [PaymentMethod] {
        try await client.paymentMethods.listAll(companyId: companyId).collect()
    }

    /// The credit notes that still have credit to allocate, of one supplier when given.
    public func availableCreditNotes(supplierId: String? = nil) async throws -> [BillCreditNote] {
        try await client.billCreditNotes.listAll(companyId: companyId).collect().filter { note in
            note.availableCredit > 0 && note.status != .void && note.status != .draft
                && (supplierId == nil || note.supplierRef?.id == supplierId)
        }
    }

    /// NetSuite: the location tracking categories (`location-…`) a payment's `reference` may name.
    public func locations() async throws -> [TrackingCategory] {
        try await client.trackingCategories.listAll(companyId: companyId).collect().filter { $0.id?.hasPrefix("location-") ?? false }
    }

    /// The company's bill payments; `query` filters them (`supplierRef.id=…`).
    public func billPayments(query: String? = nil) async throws -> [BillPayment] {
        try await client.billPayments.listAll(companyId: companyId, query: query).collect()
    }

    // MARK: Handles

    /// A handle on a push answer whose record is read with `fetch` once the push succeeded.
    func handle<Record: Sendable>(_ operation: PushOperation, delivery: DeliveryReport? = nil,
                                  fetch: @escaping @Sendable (PushOperation) async throws -> Record) -> PushHandle<Record> {
        PushHandle(companyId: companyId, source: .operation(operation), delivery: delivery, client: client, polling: polling, fetch: fetch)
    }

    /// Delivers a push that carries `key`'s marker in its `note`, at most once: `find` looks for
    /// the record by its marker after an ambiguous failure (see `AtMostOnce.swift`).
    func deliverMarked<Answer: PushOperationAnswer, Record: Sendable>(
        key: PaymentKey, dataType: DataType,
        send: (CallOptions) async throws -> Answer,
        find: @escaping @Sendable () async throws -> Record?,
        fetch: @escaping @Sendable (PushOperation) async throws -> Record
    ) async throws -> PushHandle<Record> {
        let (client, companyId, connectionId, policy) = (client, companyId, connectionId, delivery)
        let (delivered, report) = try await AtMostOnce.deliver(key: key, policy: policy, lookFirst: policy.lookBeforeSending, send: send) {
            try await AtMostOnce.v1Finding(client: client, companyId: companyId, connectionId: connectionId,
                                           dataType: dataType, policy: policy, find: find)
        }
        switch delivered {
        case let .sent(answer):
            return handle(answer.operation, delivery: report, fetch: fetch)
        case let .found(record):
            return PushHandle(companyId: companyId, source: .found(record), delivery: report, client: client, polling: polling, fetch: fetch)
        }
    }
}
