import Foundation

/// Codat's cache of a company's data (CODAT-FACTS.md §2).
///
/// The store keeps two layers per company: the *accounting software* (`CompanyState.tables`,
/// ground truth: what writes of both APIs change, what the synchronous API reads, since it
/// is a pass-through) and *Codat's cache* (`CompanyState.cache`: what the v1 data endpoints
/// read). "Codat does not store written records in its cache": a pushed bill payment, and
/// its effect on the bills and credit notes it pays, appear in v1 reads only after that data
/// type is read again from the accounting software: `refresh-data-type`,
/// `refresh-all-data-types`, or the scheduled sync. A refresh is a pull operation, `Queued`
/// for `refreshDuration`, and copies the accounting software as it is when it completes.
enum CodatDataType {
    /// The data types the sandbox holds, with the collections a refresh of each reads.
    /// Bank accounts are chart-of-accounts entries with `isBankAccount`, so both read accounts.
    static let collections: [(dataType: String, collections: [SandboxCollection])] = [
        ("bankAccounts", [.accounts]),
        ("billCreditNotes", [.billCreditNotes]),
        ("billPayments", [.billPayments]),
        ("bills", [.bills]),
        ("chartOfAccounts", [.accounts]),
        ("paymentMethods", [.paymentMethods]),
        ("suppliers", [.suppliers]),
        ("taxRates", [.taxRates]),
        ("trackingCategories", [.trackingCategories]),
    ]

    static var all: [String] { collections.map(\.dataType) }

    static func collections(of dataType: String) -> [SandboxCollection]? {
        collections.first { $0.dataType == dataType }?.collections
    }
}

/// A refresh of one data type: queued at `requested`, complete at `completesAt`.
struct PullOperationState: Sendable {
    var json: SandboxJSON
    var completesAt: Date
    var isPending: Bool { json["status"]?.string == "Queued" }
    var id: String { json["id"]?.string ?? "" }
    var dataType: String { json["dataType"]?.string ?? "" }
}

extension CompanyState {
    /// What the v1 data endpoints show of a collection: Codat's cache, or the accounting
    /// software itself when the sandbox is configured without refresh lag.
    func cached(_ collection: SandboxCollection) -> RecordTable {
        refreshLag ? (cache[collection] ?? RecordTable()) : self[collection]
    }

    /// Queues a refresh of `dataType` at `now`, complete after `duration`; 400 for a data type
    /// the sandbox does not hold, or a company without a connection.
    mutating func queueRefresh(_ dataType: String, now: Date, duration: Duration, connectionId: String? = nil) throws -> SandboxJSON {
        guard CodatDataType.collections(of: dataType) != nil else {
            throw SandboxError.badRequest(
                "Data type '\(dataType)' is not one the sandbox holds (\(CodatDataType.all.joined(separator: ", "))).",
                validation: [.init(itemId: "dataType", message: "unknown data type", validatorName: "DataType")])
        }
        guard let connection = connectionId.flatMap(connection) ?? connections.first else {
            throw SandboxError.badRequest(
                connectionId.map { "Connection '\($0)' was not found for company '\(id)'." }
                    ?? "Company '\(id)' has no data connection to refresh data from.")
        }
        let json: SandboxJSON = [
            "id": .string(SandboxJSON.newId()), "companyId": .string(id), "connectionId": connection["id"] ?? .null,
            "dataType": .string(dataType), "status": "Queued", "requested": .string(CodatDate.format(now)),
            "progress": 0, "isCompleted": false, "isErrored": false,
        ]
        pullOperations.append(PullOperationState(json: json, completesAt: now.adding(max(duration, .zero))))
        return json
    }

    /// Completes a pull operation: the cache takes the accounting software's records as they are now.
    mutating func completePull(_ index: Int) {
        var json = pullOperations[index].json
        let completed = CodatDate.format(pullOperations[index].completesAt)
        for collection in CodatDataType.collections(of: pullOperations[index].dataType) ?? [] {
            cache[collection] = self[collection]
        }
        json["status"] = "Complete"
        json["completed"] = .string(completed)
        json["progress"] = 100
        json["isCompleted"] = true
        pullOperations[index].json = json
        dataStatus[pullOperations[index].dataType] = [
            "dataType": json["dataType"] ?? .null, "lastSuccessfulSync": .string(completed), "currentStatus": "Complete",
            "latestSyncId": json["id"] ?? .null,
        ]
    }

    func pullOperation(_ id: String) -> SandboxJSON? {
        pullOperations.first { $0.id == id }?.json
    }

    /// `get-data-status`: every data type held, its last successful sync and current status.
    var dataStatusJSON: SandboxJSON {
        var result: [String: SandboxJSON] = [:]
        for dataType in CodatDataType.all {
            var status =
                dataStatus[dataType] ?? ["dataType": .string(dataType), "currentStatus": "Initial"]
            if let queued = pullOperations.last(where: { $0.dataType == dataType && $0.isPending }) {
                status["currentStatus"] = "Queued"
                status["latestSyncId"] = .string(queued.id)
            }
            result[dataType] = status
        }
        return .object(result)
    }

    /// The cache as a first sync at `time` leaves it: everything the accounting software holds.
    mutating func primeCache(at time: Date) {
        for (_, collections) in CodatDataType.collections {
            for collection in collections { cache[collection] = self[collection] }
        }
        for dataType in CodatDataType.all where !connections.isEmpty {
            dataStatus[dataType] = [
                "dataType": .string(dataType), "lastSuccessfulSync": .string(CodatDate.format(time)), "currentStatus": "Complete",
            ]
        }
    }
}

extension CompanyState {
    /// Applies, oldest first, every due event up to `now`: push outcomes, timeouts and late
    /// landings, refresh completions, scheduled syncs. Events are ordered by their own
    /// sandbox time, so observing late gives the same state as observing on time.
    mutating func settle(until now: Date, rules: SettleRules, random: inout SplitMix64) {
        while true {
            var next: (time: Date, event: Event)?
            func consider(_ time: Date?, _ event: Event) {
                guard let time, time <= now else { return }
                if next == nil || time < next!.time { next = (time, event) }
            }
            for index in pendingPushes {
                consider(pushOperations[index].nextEvent, .push(index))
            }
            for index in pullOperations.indices where pullOperations[index].isPending {
                consider(pullOperations[index].completesAt, .pull(index))
            }
            if let interval = rules.scheduledSyncInterval, !connections.isEmpty {
                // The schedule starts when the company is first seen with a connection.
                if nextScheduledSync == nil { nextScheduledSync = now.adding(interval) }
                consider(nextScheduledSync, .scheduledSync)
            }
            guard let (time, event) = next else { return }
            switch event {
            case .push(let index):
                advancePush(index, at: time, landing: rules.landing, random: &random)
                if pushOperations[index].apply == nil { pendingPushes.remove(index) }
            case .pull(let index):
                completePull(index)
            case .scheduledSync:
                let interval = (rules.scheduledSyncInterval ?? .seconds(86_400)).seconds
                // Syncs with nothing else happening in between read the same records: of such a
                // run only the last one is kept, so advancing the clock by a year stays cheap.
                let horizon = min(now, nextOtherEvent ?? now)
                let skipped = max(((horizon.timeIntervalSince(time)) / interval).rounded(.down), 0)
                let at = time.addingTimeInterval(skipped * interval)
                for dataType in CodatDataType.all {
                    _ = try? queueRefresh(dataType, now: at, duration: rules.refreshDuration)
                }
                nextScheduledSync = at.addingTimeInterval(interval)
            }
        }
    }

    /// The earliest push or pull event still to come, whenever it is.
    private var nextOtherEvent: Date? {
        let pushes = pendingPushes.compactMap { pushOperations[$0].nextEvent }
        let pulls = pullOperations.lazy.filter(\.isPending).map(\.completesAt)
        return (pushes + pulls).min()
    }

    private enum Event {
        case push(Int)
        case pull(Int)
        case scheduledSync
    }
}

/// The configuration the settling of due events needs.
struct SettleRules: Sendable {
    var landing: LandingRule
    var refreshDuration: Duration
    var scheduledSyncInterval: Duration?

    init(_ configuration: SandboxConfiguration) {
        landing = LandingRule(share: configuration.timedOutWritesLandingShare, delay: configuration.timedOutWriteLandingDelay)
        refreshDuration = configuration.refreshDuration
        scheduledSyncInterval = configuration.scheduledSyncInterval.flatMap { $0 > .zero ? $0 : nil }
    }
}
