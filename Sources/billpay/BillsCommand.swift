import ArgumentParser
import BillPay
import CodatSyncPayables
import Foundation

/// `billpay bills`: what is owed, filtered; as a table, JSON lines, or a plan to pay it.
struct BillsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bills",
        abstract: "Lists the bills owed (Open and PartiallyPaid unless --status), with filters.",
        discussion: """
            --status goes to Codat as a query (status=Open||status=PartiallyPaid); the other filters are \
            applied to what comes back. With --plan-account the bills are printed as a plan file (CSV) \
            that pays each one's amount due from that account: review it, then `billpay run` it.
            """)

    @OptionGroup var server: ServerOptions

    @Option(help: "Statuses to list, comma-separated (Open, PartiallyPaid, Paid, Void, Draft).")
    var status: String = "Open,PartiallyPaid"

    @Option(help: "Only bills of this supplier (its id, or part of its name, any case).")
    var supplier: String?

    @Option(help: "Only bills in this currency (e.g. GBP).")
    var currency: String?

    @Option(name: .customLong("due-before"), help: "Only bills due before this day (yyyy-MM-dd).")
    var dueBefore: String?

    @Option(name: .customLong("min-due"), help: "Only bills with at least this amount due.")
    var minDue: String?

    @Option(help: "At most this many bills (the first ones by due date).")
    var limit: Int?

    @Flag(help: "One JSON object a line instead of a table.")
    var json = false

    @Option(name: .customLong("plan-account"), help: "Print a plan (CSV) paying each bill's amount due from this payment account.")
    var planAccount: String?

    @Option(name: .customLong("plan-date"), help: "The payment date of the plan's intents (default: today).")
    var planDate: String?

    func validate() throws {
        if let dueBefore, !PlanFileDay.isDay(dueBefore) { throw ValidationError("--due-before must be a day as yyyy-MM-dd; got '\(dueBefore)'.") }
        if let planDate, !PlanFileDay.isDay(planDate) { throw ValidationError("--plan-date must be a day as yyyy-MM-dd; got '\(planDate)'.") }
        if let minDue, Decimal(string: minDue, locale: Locale(identifier: "en_US_POSIX")) == nil { throw ValidationError("--min-due must be an amount; got '\(minDue)'.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if planAccount != nil, json { throw ValidationError("--plan-account and --json print different things: choose one.") }
        _ = try statuses()
    }

    func statuses() throws -> [BillStatus] {
        try status.split(separator: ",").map { name in
            let name = name.trimmingCharacters(in: .whitespaces)
            guard let match = BillStatus.documentedCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                throw ValidationError("--status '\(name)' is not one of \(BillStatus.documentedCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return match
        }
    }

    func run() async throws {
        do {
            let session = try await server.open(command: "bills")
            try await session.run { session in
                let billPay = try await session.syncBillPay()
                let bills = filter(try await billPay.bills(statuses: try statuses()))
                print(bills, company: billPay.company)
            }
        } catch {
            report(error, command: "bills")
            throw ExitCode.failure
        }
    }

    func filter(_ bills: [Bill]) -> [Bill] {
        let minimum = minDue.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
        let matching = bills.filter { bill in
            if let supplier {
                let name = bill.supplierRef.supplierName?.lowercased() ?? ""
                guard bill.supplierRef.id == supplier || name.contains(supplier.lowercased()) else { return false }
            }
            if let currency, bill.currency.uppercased() != currency.uppercased() { return false }
            if let dueBefore, !(String(bill.dueDate.text.prefix(10)) < dueBefore) { return false }
            if let minimum, (bill.amountDue ?? 0) < minimum { return false }
            return true
        }
        .sorted { ($0.dueDate.text, $0.id ?? "") < ($1.dueDate.text, $1.id ?? "") }
        return limit.map { Array(matching.prefix($0)) } ?? matching
    }

    func print(_ bills: [Bill], company: CompanyConnection) {
        let out = Output()
        if let planAccount {
            let date = planDate ?? day()
            Output.raw("intent,bill,amount,account,date,reference")
            for bill in bills where (bill.amountDue ?? 0) > 0 {
                let id = bill.id ?? ""
                Output.raw([csv("pay-\(id)-\(date)"), csv(id), money(bill.amountDue), csv(planAccount), date, csv(bill.reference ?? "")].joined(separator: ","))
            }
            return
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for bill in bills {
                if let data = try? encoder.encode(bill) { Output.raw(String(decoding: data, as: UTF8.self)) }
            }
            return
        }
        out.line("company: \(company)")
        out.table([["id", "reference", "supplier", "status", "due date", "currency", "total", "due"]] + bills.map {
            [$0.id ?? "-", $0.reference ?? "-", $0.supplierRef.supplierName ?? short($0.supplierRef.id), $0.status.rawValue,
             String($0.dueDate.text.prefix(10)), $0.currency, money($0.totalAmount), money($0.amountDue)]
        })
        let totals = Dictionary(grouping: bills, by: \.currency).map { currency, bills in
            money(bills.reduce(Decimal(0)) { $0 + ($1.amountDue ?? 0) }, currency)
        }.sorted()
        out.line("\(bills.count) bills: \(totals.isEmpty ? "nothing" : totals.joined(separator: " + ")) due")
    }

    func csv(_ text: String) -> String { Self.csvField(text) }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
