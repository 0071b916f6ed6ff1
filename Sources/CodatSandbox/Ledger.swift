import Foundation

/// How money moves between records: paying bills, using credit notes. The checks a payment
/// must pass first are in `Validation/PaymentRules.swift`.
enum Ledger {
    typealias Item = SandboxError.Item

    // MARK: Bills

    /// The status that goes with an amount due.
    static func billStatus(amountDue: Decimal, totalAmount: Decimal) -> String {
        if amountDue <= 0 { return "Paid" }
        return amountDue < totalAmount ? "PartiallyPaid" : "Open"
    }

    /// Lowers a bill's amount due (a negative amount raises it, for reversals) and sets its status.
    static func pay(_ bill: inout SandboxJSON, amount: Decimal, allocation: SandboxJSON?) {
        let total = bill["totalAmount"]?.decimal ?? 0
        let due = max(min((bill["amountDue"]?.decimal ?? total) - amount, total), 0)
        bill["amountDue"] = .number(due)
        bill["status"] = .string(billStatus(amountDue: due, totalAmount: total))
        touch(&bill)
        if let allocation {
            bill["paymentAllocations"] = .array((bill["paymentAllocations"]?.array ?? []) + [allocation])
        }
    }

    /// Lowers a credit note's remaining credit (negative to give it back) and sets its status.
    static func useCredit(_ note: inout SandboxJSON, amount: Decimal, on date: SandboxJSON?) {
        let total = note["totalAmount"]?.decimal ?? 0
        let remaining = max(min((note["remainingCredit"]?.decimal ?? total) - amount, total), 0)
        note["remainingCredit"] = .number(remaining)
        note["status"] = .string(remaining <= 0 ? "Paid" : remaining < total ? "PartiallyPaid" : "Submitted")
        if amount > 0, let date { note["allocatedOnDate"] = date }
        touch(&note)
    }

    static func touch(_ record: inout SandboxJSON) {
        let now = CodatDate.now()
        record["modifiedDate"] = .string(now)
        record["sourceModifiedDate"] = .string(now)
    }

    /// Totals of a bill from its lines: each line's total is `totalAmount`, or
    /// `unitAmount × quantity + taxAmount` when it has none.
    static func billTotals(_ lines: [SandboxJSON]) -> (subTotal: Decimal, tax: Decimal, total: Decimal) {
        var subTotal: Decimal = 0
        var tax: Decimal = 0
        var total: Decimal = 0
        for line in lines {
            let lineTax = line["taxAmount"]?.decimal ?? 0
            let lineTotal =
                line["totalAmount"]?.decimal
                ?? (line["unitAmount"]?.decimal ?? 0) * (line["quantity"]?.decimal ?? 1) + lineTax
            tax += lineTax
            total += lineTotal
            subTotal += lineTotal - lineTax
        }
        return (subTotal, tax, total)
    }

    // MARK: v1 bill payments

    private struct Allocation {
        var bills: [String: Decimal] = [:]
        var credits: [String: Decimal] = [:]
        var billOrder: [String] = []
        var creditOrder: [String] = []
    }

    private static func allocations(_ payment: SandboxJSON) -> Allocation {
        var result = Allocation()
        for line in payment["lines"]?.array ?? [] {
            for link in line["links"]?.array ?? [] {
                guard let id = link["id"]?.string, let amount = link["amount"]?.decimal else { continue }
                switch link["type"]?.string {
                case "Bill":
                    if result.bills[id] == nil { result.billOrder.append(id) }
                    result.bills[id, default: 0] += -amount
                case "CreditNote":
                    if result.credits[id] == nil { result.creditOrder.append(id) }
                    result.credits[id, default: 0] += amount
                default: break
                }
            }
        }
        return result
    }

    /// Applies a valid payment: bills' amounts due and credit notes' remaining credit go down.
    static func applyBillPayment(_ payment: SandboxJSON, in company: inout CompanyState) {
        let allocation = allocations(payment)
        let date = payment["date"]
        for id in allocation.billOrder {
            guard let amount = allocation.bills[id] else { continue }
            let record: SandboxJSON = [
                "payment": [
                    "id": payment["id"] ?? .null, "reference": payment["reference"] ?? .null,
                    "accountRef": payment["accountRef"] ?? .null, "currency": payment["currency"] ?? .null,
                    "currencyRate": payment["currencyRate"] ?? .null, "paidOnDate": date ?? .null,
                    "totalAmount": .number(amount),
                ],
                "allocation": [
                    "currency": payment["currency"] ?? .null, "allocatedOnDate": date ?? .null, "totalAmount": .number(amount),
                ],
            ]
            company[.bills].update(id) { pay(&$0, amount: amount, allocation: record) }
        }
        for id in allocation.creditOrder {
            guard let amount = allocation.credits[id] else { continue }
            company[.billCreditNotes].update(id) { useCredit(&$0, amount: amount, on: date) }
        }
        company[.billPayments].upsert(payment)
    }

    /// Undoes a payment: amounts due and remaining credit go back up.
    static func reverseBillPayment(_ payment: SandboxJSON, in company: inout CompanyState) {
        let allocation = allocations(payment)
        let paymentId = payment.id
        for id in allocation.billOrder {
            guard let amount = allocation.bills[id] else { continue }
            company[.bills].update(id) { bill in
                pay(&bill, amount: -amount, allocation: nil)
                let kept = (bill["paymentAllocations"]?.array ?? []).filter { $0["payment"]?["id"]?.string != paymentId }
                bill["paymentAllocations"] = .array(kept)
            }
        }
        for id in allocation.creditOrder {
            guard let amount = allocation.credits[id] else { continue }
            company[.billCreditNotes].update(id) { useCredit(&$0, amount: -amount, on: nil) }
        }
    }
}
