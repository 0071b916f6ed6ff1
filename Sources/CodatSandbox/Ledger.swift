import Foundation

/// How money moves between records: paying bills, using credit notes, and the rules a
/// v1 bill payment must follow (`../seeds/README.md` of the project, and the integration
/// limits of Codat's guides).
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

    /// Everything wrong with a bill payment, against the company's current records.
    static func billPaymentErrors(_ payment: SandboxJSON, in company: CompanyState) -> [Item] {
        var errors: [Item] = []
        func fail(_ item: String?, _ message: String, _ validator: String) {
            errors.append(Item(itemId: item, message: message, validatorName: validator))
        }
        guard let total = payment["totalAmount"]?.decimal else {
            fail("totalAmount", "totalAmount is required.", "Required")
            return errors
        }
        let lines = payment["lines"]?.array ?? []
        if lines.isEmpty { fail("lines", "A bill payment needs at least one line.", "Required") }
        if total < 0 { fail("totalAmount", "totalAmount must not be negative (it is the amount paid): \(total).", "BillPaymentTotal") }

        let lineSum = lines.reduce(Decimal(0)) { $0 + ($1["amount"]?.decimal ?? 0) }
        if !lines.isEmpty, lineSum != total {
            fail("totalAmount", "totalAmount \(total) does not equal the sum of the lines' amounts, \(lineSum).", "BillPaymentTotal")
        }
        let supplierId = payment["supplierRef"]?["id"]?.string
        let currency = payment["currency"]?.string
        let paymentRate = payment["currencyRate"]?.decimal

        for (l, line) in lines.enumerated() {
            let links = line["links"]?.array ?? []
            let amount = line["amount"]?.decimal ?? 0
            let linkSum = links.reduce(Decimal(0)) { $0 + ($1["amount"]?.decimal ?? 0) }
            if amount != -linkSum {
                fail(
                    "lines[\(l)].amount",
                    "Line \(l): amount \(amount) must equal minus the sum of its links' amounts (\(linkSum)), that is \(-linkSum).",
                    "BillPaymentLine")
            }
            for (k, link) in links.enumerated() {
                let item = "lines[\(l)].links[\(k)]"
                let linkAmount = link["amount"]?.decimal ?? 0
                switch link["type"]?.string {
                case "Bill":
                    guard let id = link["id"]?.string, let bill = company[.bills][id] else {
                        fail(item, "Bill '\(link["id"]?.string ?? "")' was not found.", "BillExists")
                        continue
                    }
                    if linkAmount > 0 {
                        fail(item, "A link to a bill carries the negative of the amount allocated; got \(linkAmount).", "BillPaymentLink")
                    }
                    if let supplierId, let billSupplier = bill["supplierRef"]?["id"]?.string, billSupplier != supplierId {
                        fail(item, "Bill '\(id)' belongs to supplier '\(billSupplier)', not to the payment's supplier '\(supplierId)'.", "SupplierMatch")
                    }
                    if let status = bill["status"]?.string, ["Void", "Draft"].contains(status) {
                        fail(item, "Bill '\(id)' is \(status) and cannot be paid.", "BillStatus")
                    }
                    if let currency, let billCurrency = bill["currency"]?.string, billCurrency != currency,
                        paymentRate == nil, link["currencyRate"]?.decimal == nil
                    {
                        fail(item, "Bill '\(id)' is in \(billCurrency) but the payment is in \(currency); give a currencyRate.", "Currency")
                    }
                case "CreditNote":
                    guard let id = link["id"]?.string, let note = company[.billCreditNotes][id] else {
                        fail(item, "Bill credit note '\(link["id"]?.string ?? "")' was not found.", "CreditNoteExists")
                        continue
                    }
                    if linkAmount < 0 {
                        fail(item, "A link to a credit note carries a positive amount; got \(linkAmount).", "BillPaymentLink")
                    }
                    if let supplierId, let noteSupplier = note["supplierRef"]?["id"]?.string, noteSupplier != supplierId {
                        fail(item, "Credit note '\(id)' belongs to supplier '\(noteSupplier)', not to '\(supplierId)'.", "SupplierMatch")
                    }
                    if company.integration == .myob {
                        fail(item, "MYOB: allocating a credit note in a bill payment is not available yet.", "IntegrationLimit")
                    }
                default:
                    break
                }
            }
        }

        let allocation = allocations(payment)
        for id in allocation.billOrder {
            guard let bill = company[.bills][id], let allocated = allocation.bills[id] else { continue }
            let due = bill["amountDue"]?.decimal ?? bill["totalAmount"]?.decimal ?? 0
            if bill["status"]?.string == "Paid", allocated > 0 {
                fail(id, "Bill '\(id)' is already paid.", "BillStatus")
            } else if allocated > due {
                fail(id, "The payment allocates \(allocated) to bill '\(id)' but only \(due) is due.", "AmountDue")
            }
        }
        for id in allocation.creditOrder {
            guard let note = company[.billCreditNotes][id], let used = allocation.credits[id] else { continue }
            let remaining = note["remainingCredit"]?.decimal ?? 0
            if used > remaining {
                fail(id, "The payment uses \(used) of credit note '\(id)' but only \(remaining) remains.", "RemainingCredit")
            } else if used != remaining, company.integration == .xero || company.integration == .quickBooksOnline {
                let name = company.integration?.platformName ?? ""
                fail(
                    id,
                    "\(name): a credit note can only be allocated in full (\(remaining)); allocate it whole and pay the rest in a second payment.",
                    "IntegrationLimit")
            }
        }

        if let accountId = payment["accountRef"]?["id"]?.string {
            if company[.accounts][accountId] == nil {
                fail("accountRef.id", "Account '\(accountId)' was not found.", "AccountExists")
            }
        } else if total > 0 {
            fail("accountRef", "accountRef is required to pay an amount.", "Required")
        }
        if company.integration == .sageIntacct {
            if let methodId = payment["paymentMethodRef"]?["id"]?.string {
                if company[.paymentMethods][methodId] == nil {
                    fail("paymentMethodRef.id", "Payment method '\(methodId)' was not found.", "PaymentMethodExists")
                }
            } else {
                fail("paymentMethodRef", "Sage Intacct: paymentMethodRef is required.", "IntegrationLimit")
            }
        }
        if company.integration == .netSuite, let reference = payment["reference"]?.string, reference.hasPrefix("location-"),
            company[.trackingCategories][reference] == nil
        {
            fail("reference", "NetSuite: '\(reference)' is not a location tracking category.", "IntegrationLimit")
        }
        return errors
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
