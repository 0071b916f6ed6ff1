import Foundation
import PayablesRuntime

/// The checks of a plan that do not depend on the API: intent ids, dates, and what the intents
/// take from each bill and credit note together. Collects every reason, then refuses the plan
/// at once (`finish`) or lets it through.
struct RunPlanner {
    let intents: [PaymentRunIntent]
    private var reasons: [Int: [String]] = [:]
    /// Per bill (or credit note): the amount planned, its limit, and the intents' positions.
    private var allocated: [String: (amount: Decimal, limit: Decimal?, positions: [Int])] = [:]
    private var positionsById: [PaymentIntentID: [Int]] = [:]

    init(_ intents: [PaymentRunIntent]) {
        self.intents = intents
        for (position, intent) in intents.enumerated() { positionsById[intent.id, default: []].append(position) }
    }

    /// The reasons every API shares: the id, the date, at least one bill, one account.
    func commonReasons(at position: Int) -> [String] {
        let intent = intents[position]
        var found: [String] = []
        do { _ = try intent.id.validated() } catch { found.append("\(error)") }
        if let positions = positionsById[intent.id], positions.count > 1 {
            found.append("intent id \(intent.id) appears \(positions.count) times in the plan (rows \(positions.map { String($0 + 1) }.joined(separator: ", "))): an intent names one payment")
        }
        if DateTime(intent.date).date() == nil { found.append("date \"\(intent.date)\" is not yyyy-MM-dd or a date-time") }
        if intent.bills.isEmpty { found.append("the intent pays no bill") }
        if intent.accountId.isEmpty { found.append("the intent names no payment account") }
        for share in intent.bills where share.billId.isEmpty { found.append("a bill share has no bill id") }
        for share in intent.bills { if let amount = share.amount, amount < 0 { found.append("bill \(share.billId): amount \(amount) is negative") } }
        return found
    }

    mutating func refuse(_ position: Int, _ more: [String]) {
        guard !more.isEmpty else { return }
        reasons[position, default: []] += more
    }

    /// Counts what an intent takes from a bill (`Bill/<id>`) or credit note (`CreditNote/<id>`).
    mutating func allocate(bill billId: String, amount: Decimal, limit: Decimal?, at position: Int) {
        allocate(key: "bill \(billId)", limitName: "amountDue", amount: amount, limit: limit, at: position)
    }

    mutating func allocate(creditNote creditNoteId: String, amount: Decimal, limit: Decimal?, at position: Int) {
        allocate(key: "credit note \(creditNoteId)", limitName: "remaining credit", amount: amount, limit: limit, at: position)
    }

    private var limitNames: [String: String] = [:]

    private mutating func allocate(key: String, limitName: String, amount: Decimal, limit: Decimal?, at position: Int) {
        var slot = allocated[key] ?? (0, limit, [])
        slot.amount += amount
        slot.positions.append(position)
        allocated[key] = slot
        limitNames[key] = limitName
    }

    /// Throws `PaymentPlanRefusedError` when any intent was refused or the intents together take
    /// more from a bill or credit note than it has.
    mutating func finish() throws {
        for (key, slot) in allocated where slot.positions.count > 1 {
            guard let limit = slot.limit, slot.amount > limit else { continue }
            let ids = slot.positions.map { intents[$0].id.rawValue }.joined(separator: ", ")
            for position in slot.positions {
                refuse(position, ["the plan's intents on \(key) (\(ids)) take \(slot.amount) in all, more than its \(limitNames[key] ?? "limit") \(limit)"])
            }
        }
        guard !reasons.isEmpty else { return }
        throw PaymentPlanRefusedError(refusals: reasons.keys.sorted().map { position in
            PaymentPlanRefusedError.Refusal(intentId: intents[position].id, position: position, reasons: reasons[position] ?? [])
        })
    }
}
