import CodatSyncPayablesV1
import Foundation

/// The asynchronous Bill Pay solution (`CodatSyncPayablesV1`), in the guides' words: bank
/// accounts, payment account creation, paying one bill in full or in part, several bills of one
/// supplier, a batch across suppliers, bill credit notes allocated alone or with a partial
/// payment, deleting a bill or a bill payment.
///
/// Every change is a push: the method returns a `PushHandle` at once; `wait()` on it returns the
/// outcome once Codat has applied the push (or throws its validation errors), and
/// `fetchRecord()` on that reads the record after a refresh.
///
/// ```swift
/// let v1 = CodatSyncPayablesV1.Client(serverURL: url, authHeader: "Basic …", transport: URLSessionTransport())
/// let billPay = try await AsyncBillPay.connect(client: v1)
/// let bill = try await billPay.outstandingBills()[0]
/// let account = try await billPay.bankAccounts()[0]
/// let details = PaymentDetails(account: AccountRef(id: account.id), date: "2024-06-01")
/// let done = try await billPay.payBill(bill, details: details, intent: "my-payment-42").wait()
/// let payment = try await done.fetchRecord()
/// ```
///
/// Every payment passes `validator` before it is sent; it is an intent the caller names, recorded
/// exactly once or reported unknown with what resumes it (see `DeliveryPolicy`, `PaymentJournal`
/// and `AtMostOnce.swift`).
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
    /// The payment intents of the process: their resume data, and one call per intent.
    public var journal: PaymentJournal
    /// The clock the replay window, settle times and waits are measured by.
    public var clock: any PaymentClock
    /// Codat's write webhooks as the application receives them: handles settle from them,
    /// polling stays the fallback (`PushPolling.enabled`). nil: polling only.
    public var pushEvents: PushEventInbox?

    /// The validator run before every payment is sent.
    public var validator: PaymentValidator { builder.validator }
    /// The accounting software behind the connection.
    public var integration: Integration { company.integration }

    /// - Parameters:
    ///   - client: The generated client the workflows call.
    ///   - company: The company and connection worked on.
    ///   - locationsAreMandatory: NetSuite: the company makes locations mandatory, so a payment's
    ///     `reference` must be a `location-` tracking category.
    ///   - locationIds: NetSuite: the company's location tracking categories (see `locations()`).
    ///   - polling: How handles poll their push operations.
    ///   - delivery: How payments and credit notes are delivered after an ambiguous failure.
    ///   - journal: The payment intents' resume data (`PaymentJournal.files(in:)` to survive a restart).
    ///   - clock: The clock the replay window, settle times and waits are measured by.
    ///   - pushEvents: Codat's write webhooks, fed by the application's webhook endpoint.
    public init(client: CodatSyncPayablesV1.Client, company: CompanyConnection, locationsAreMandatory: Bool = false,
                locationIds: Set<String>? = nil, polling: PushPolling = PushPolling(), delivery: DeliveryPolicy = DeliveryPolicy(),
                journal: PaymentJournal = .shared, clock: any PaymentClock = SystemPaymentClock(), pushEvents: PushEventInbox? = nil) {
        self.client = client
        self.company = company
        self.builder = BillPaymentBuilder(integration: company.integration, locationsAreMandatory: locationsAreMandatory,
                                          locationIds: locationIds)
        self.polling = polling
        self.delivery = delivery
        self.journal = journal
        self.clock = clock
        self.pushEvents = pushEvents
    }

    /// Works on `companyId` (default: the first company listed) and `connectionId` (default: the
    /// company's first connection); the connection's platform names the integration.
    public static func connect(client: CodatSyncPayablesV1.Client, companyId: String? = nil, connectionId: String? = nil,
                               polling: PushPolling = PushPolling(), delivery: DeliveryPolicy = DeliveryPolicy(),
                               journal: PaymentJournal = .shared, clock: any PaymentClock = SystemPaymentClock(),
                               pushEvents: PushEventInbox? = nil) async throws -> AsyncBillPay {
        let selected = try await CompanyConnection.select(
            companyId: companyId, connectionId: connectionId,
            company: { id in
                let company = try await client.companies.get(companyId: id)
                return .init(id: company.id, name: company.name)
            },
            firstCompany: { try await client.companies.list(page: 1, pageSize: 1).results?.first.map { .init(id: $0.id, name: $0.name) } },
            connections: { id in try await client.connections.listAll(companyId: id).collect().map { ($0.id, $0.platformName) } })
        return AsyncBillPay(client: client, company: selected, polling: polling, delivery: delivery, journal: journal, clock: clock,
                            pushEvents: pushEvents)
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

    /// Reads a data type again from the accounting software (`refresh-data-type`) and waits for
    /// it to complete: Codat lists what pushes wrote only after that (CODAT-FACTS §2).
    public func refresh(_ dataType: DataType) async throws {
        try await DataRefresh(client: client, companyId: companyId, clock: clock)
            .refresh(dataType, connectionId: connectionId, timeout: polling.timeout, interval: polling.initialInterval)
    }

    // MARK: Handles

    /// A handle on a push answer; `fetch` reads the written record by id.
    func handle<Record: Sendable>(_ operation: PushOperation, dataType: DataType?, delivery: DeliveryReport? = nil, tracking: PaymentTracking? = nil,
                                  fetch: @escaping @Sendable (String) async throws -> Record) -> PushHandle<Record> {
        PushHandle(companyId: companyId, source: .operation(operation), delivery: delivery, client: client, polling: polling,
                   clock: clock, dataType: dataType, tracking: tracking, events: pushEvents, fetch: fetch)
    }

    /// The pushed intent's parts that differ between payments and credit notes.
    struct MarkedPush<Answer: PushOperationAnswer, Record: Sendable>: Sendable {
        let dataType: DataType
        /// The bills the push pays (for the journal).
        let billIds: [String]
        let amount: Decimal
        /// SHA-256 of the body as sent.
        let digest: String
        let send: @Sendable (_ idempotencyKey: String) async throws -> Answer
        /// The ids of the records whose `note` carries the intent's exact marker.
        let findMarked: @Sendable (PaymentIntentID) async throws -> [String]
        let fetch: @Sendable (String) async throws -> Record
    }

    /// Delivers a push that carries the intent's marker in its `note`, exactly once (see
    /// `AtMostOnce.swift`); one call per intent at a time in the process.
    func deliverIntent<Answer: PushOperationAnswer, Record: Sendable>(
        _ intent: PaymentIntentID, resume: PaymentResumeData?, push: MarkedPush<Answer, Record>
    ) async throws -> PushHandle<Record> {
        let intent = try intent.validated()
        let (handle, joined) = try await journal.joining(PaymentResumeData.journalKey(companyId: companyId, intentId: intent)) {
            try await self.deliverOnce(intent, resume: resume, push: push)
        }
        guard joined, var report = handle.delivery else { return handle }
        report.joined = true
        report.sends = 0
        return PushHandle(companyId: handle.companyId, source: handle.source, delivery: report, client: client, polling: polling,
                          clock: clock, dataType: handle.dataType, tracking: handle.tracking, events: handle.events, fetch: handle.fetch)
    }

    private func deliverOnce<Answer: PushOperationAnswer, Record: Sendable>(
        _ intent: PaymentIntentID, resume: PaymentResumeData?, push: MarkedPush<Answer, Record>
    ) async throws -> PushHandle<Record> {
        var entry = try await journal.entry(companyId: companyId, intentId: intent) ?? resume
            ?? PaymentResumeData(intentId: intent, api: .v1, companyId: companyId, connectionId: connectionId, billIds: push.billIds,
                                 amount: push.amount, payloadDigest: push.digest, amountDueBefore: nil, attempts: [], pushOperationKey: nil,
                                 recordId: nil, status: .notRecorded, note: nil)
        guard entry.api == .v1, entry.companyId == companyId, entry.connectionId == connectionId else {
            throw PaymentIntentError.otherScope(intentId: intent.rawValue, recorded: "\(entry.api) company \(entry.companyId) connection \(entry.connectionId)")
        }
        guard entry.payloadDigest == push.digest else { throw PaymentIntentError.payloadChanged(intentId: intent.rawValue) }

        let (client, companyId, policy, clock) = (client, companyId, delivery, clock)
        let reconciliation = V1Reconciliation(client: client, companyId: companyId, connectionId: connectionId, dataType: push.dataType,
                                              policy: policy, clock: clock, findMarked: push.findMarked)
        func recorded(_ recordId: String?, _ report: DeliveryReport) -> PushHandle<Record> {
            PushHandle(companyId: companyId, source: .recorded(recordId: recordId), delivery: report, client: client, polling: polling,
                       clock: clock, dataType: push.dataType, fetch: push.fetch)
        }
        func tracking(_ report: DeliveryReport) -> PaymentTracking {
            PaymentTracking(journal: journal, companyId: companyId, intentId: intent, policy: policy, report: report)
        }

        // A push Codat answered earlier: its operation tells, unless it went TimedOut.
        var report = DeliveryReport(intentId: intent)
        if entry.status == .accepted, let key = entry.pushOperationKey {
            report.resumed = true
            report.idempotencyKeys = entry.idempotencyKeys
            let operation = try await client.pushOperations.get(companyId: companyId, pushOperationKey: key)
            switch operation.status {
            case .pending, .undocumented, .success:
                return handle(operation, dataType: push.dataType, delivery: report, tracking: tracking(report), fetch: push.fetch)
            case .failed:
                try await tracking(report).settle(operation, clock: clock)
                entry = try await journal.entry(companyId: companyId, intentId: intent) ?? entry
            case .timedOut:
                switch try await reconciliation.finding(entry, requestIsOver: true) {
                case let .recorded(recordId):
                    report.resolvedByReconciliation += 1
                    entry.status = .recorded
                    entry.recordId = recordId
                    entry.note = "TimedOut push operation \(key) found recorded"
                    try await journal.save(entry)
                    return recorded(recordId, report)
                case .notRecorded:
                    report.resolvedByReconciliation += 1
                    report.provenNotRecorded += 1
                    entry.status = .notRecorded
                    entry.note = "TimedOut push operation \(key) proven not recorded"
                    try await journal.save(entry)
                case let .unknown(reason):
                    throw PaymentOutcomeUnknownError(resume: entry, reason: reason, report: report)
                }
            }
        }

        var delivery = IntentDelivery<Answer>(journal: journal, policy: policy, clock: clock, entry: entry, report: report) { key in
            try await push.send(key)
        } accept: { answer, entry in
            entry.pushOperationKey = answer.pushOperationKey
            switch answer.status {
            case .success:
                entry.status = .recorded
                entry.recordId = answer.operation.recordId
            case .failed:
                entry.status = .notRecorded
            default:
                entry.status = .accepted
            }
            entry.note = "Codat answered push operation \(answer.pushOperationKey) (\(answer.status.rawValue))"
        } reconcile: { entry, requestIsOver in
            try await reconciliation.finding(entry, requestIsOver: requestIsOver)
        }
        let (delivered, _, finalReport) = try await delivery.run()
        switch delivered {
        case let .answered(answer):
            return handle(answer.operation, dataType: push.dataType, delivery: finalReport, tracking: tracking(finalReport), fetch: push.fetch)
        case let .recorded(recordId):
            return recorded(recordId, finalReport)
        }
    }
}
