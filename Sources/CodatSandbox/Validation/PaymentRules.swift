import Foundation

/// The checks Codat makes on a bill payment against the company's records, beyond the
/// schema (which `RequestValidation` checks first). Each rule names its source:
///
/// - [doc] the pinned documents (`specs/Codat-Sync-Payables.yaml`, `-v1.yaml`), schema and
///   field descriptions;
/// - [000]...[004] the Bill Pay guides in `/work/shared/seeds` (their README sums up the rules).
///
/// Where Codat documents no rule, there is none here: the sandbox then accepts what Codat
/// would be expected to accept, rather than inventing a refusal.
enum PaymentRules {
    typealias Item = SandboxError.Item

    // MARK: Synchronous API: POST .../bills/{billId}/payment

    /// The reasons a synchronous bill payment (`amount`, `date`, `reference`, `accountRef`,
    /// `currencyRate`) cannot be made on `bill`; empty when it can.
    static func syncPaymentErrors(amount: Decimal, accountId: String, currencyRate: Decimal?, bill: SandboxJSON, in company: CompanyState)
        -> [Item]
    {
        var errors: [Item] = []
        let billId = bill.id ?? ""
        let status = bill["status"]?.string ?? ""
        let due = bill["amountDue"]?.decimal ?? bill["totalAmount"]?.decimal ?? 0

        // [001] "a single bill is paid in full; for a partial payment, use the same endpoint
        // with the amount of the partial payment": the amount is more than zero and at most
        // what is due. [doc] `amount`: "Amount of the payment in the bill currency."
        if amount <= 0 {
            errors.append(Item(itemId: "amount", message: "The payment amount must be more than zero; got \(amount).", validatorName: "Amount"))
        }
        // [000] the bills to pay are the outstanding ones, `Open` and `PartiallyPaid` (what
        // list-bills returns by default); a `Paid`, `Void` or `Draft` bill has nothing to pay.
        if !["Open", "PartiallyPaid"].contains(status) {
            errors.append(Item(itemId: billId, message: "Bill '\(billId)' is \(status) and cannot be paid.", validatorName: "BillStatus"))
        } else if amount > due {
            errors.append(Item(
                itemId: "amount", message: "The payment of \(amount) is more than the \(due) due on bill '\(billId)'.", validatorName: "AmountDue"))
        }
        // [001] the payment account comes from get-payment-mapping-options, which lists the
        // company's bank accounts; [doc] `accountRef`: "the bank account / credit card which
        // you are using to pay the bill".
        guard let account = company[.accounts][accountId] else {
            errors.append(Item(itemId: "accountRef.id", message: "Account '\(accountId)' was not found.", validatorName: "AccountExists"))
            return errors
        }
        errors += currencyErrors(
            accountCurrency: account["currency"]?.string, billCurrency: bill["currency"]?.string, currencyRate: currencyRate,
            baseCurrency: company.baseCurrency, integration: company.integration, item: "currencyRate")
        return errors
    }

    /// [doc] `currencyRate`: "It is not possible to perform the currency conversion with two or
    /// more non-base currencies participating in the transaction ... if a company's base currency
    /// is USD and it has a bill issued in EUR, then the bill payment must happen in USD or EUR."
    /// [001] "convert the payment to the account's currency or create an account in that currency":
    /// a payment from an account in another currency needs the rate. [doc] QuickBooks Online: "If
    /// currency rate value is left null, a rate of 1 will be used by QBO by default", so there a
    /// missing rate is not refused.
    private static func currencyErrors(
        accountCurrency: String?, billCurrency: String?, currencyRate: Decimal?, baseCurrency: String, integration: SandboxIntegration?,
        item: String
    ) -> [Item] {
        guard let accountCurrency, let billCurrency, accountCurrency != billCurrency else { return [] }
        if accountCurrency != baseCurrency, billCurrency != baseCurrency {
            return [Item(
                itemId: item,
                message: "The bill is in \(billCurrency) and the account in \(accountCurrency), neither the base currency \(baseCurrency): pay in \(billCurrency) or \(baseCurrency).",
                validatorName: "Currency")]
        }
        if currencyRate == nil, integration != .quickBooksOnline {
            return [Item(
                itemId: item,
                message: "The account is in \(accountCurrency) but the bill is in \(billCurrency): give a currencyRate or pay from a \(billCurrency) account.",
                validatorName: "Currency")]
        }
        return []
    }

    // MARK: Asynchronous API: POST .../push/billPayments

    /// Everything wrong with a v1 bill payment against the company's current records.
    static func v1PaymentErrors(_ payment: SandboxJSON, in company: CompanyState) -> [Item] {
        var errors: [Item] = []
        func fail(_ item: String?, _ message: String, _ validator: String) {
            errors.append(Item(itemId: item, message: message, validatorName: validator))
        }
        let lines = payment["lines"]?.array ?? []
        let total = payment["totalAmount"]?.decimal
        let supplierId = payment["supplierRef"]?["id"]?.string
        let currency = payment["currency"]?.string

        // [doc] BillPayment, "Payment of a bill": "A totalAmount indicating the amount of the bill
        // that was paid. This is always positive." [002] the same; an allocation of a credit note
        // alone pays nothing (002's credit-note examples have totalAmount 0), so zero is allowed.
        if let total, total < 0 {
            fail("totalAmount", "totalAmount is the amount paid and is never negative; got \(total).", "BillPaymentTotal")
        }
        // [doc] "A lines array ... An amount equal to the totalAmount": the lines' amounts add up to it.
        let lineSum = lines.reduce(Decimal(0)) { $0 + ($1["amount"]?.decimal ?? 0) }
        if let total, !lines.isEmpty, lineSum != total {
            fail("totalAmount", "totalAmount \(total) is not the sum of the lines' amounts, \(lineSum).", "BillPaymentTotal")
        }

        var billTotals: [(id: String, allocated: Decimal)] = []
        var creditTotals: [(id: String, used: Decimal)] = []
        for (l, line) in lines.enumerated() {
            let links = line["links"]?.array ?? []
            // [doc] a line's `amount` against its links: "An amount of -totalAmount (negative
            // totalAmount), indicating that the entirety of the paid amount is allocated to the bill".
            let linkSum = links.reduce(Decimal(0)) { $0 + ($1["amount"]?.decimal ?? 0) }
            if let amount = line["amount"]?.decimal, !links.isEmpty, amount != Decimal(0) - linkSum {
                fail("lines[\(l)].amount", "Line \(l): amount \(amount) is not minus the sum of its links' amounts (\(linkSum)).", "BillPaymentLine")
            }
            for (k, link) in links.enumerated() {
                let item = "lines[\(l)].links[\(k)]"
                let amount = link["amount"]?.decimal ?? 0
                let id = link["id"]?.string ?? ""
                switch link["type"]?.string {
                case "Bill":
                    guard let bill = company[.bills][id] else {
                        fail(item, "Bill '\(id)' was not found.", "BillExists")
                        continue
                    }
                    // [doc] link `amount`: "A negative link amount reduces the outstanding amount on
                    // the accounts payable account"; a payment of a bill carries -totalAmount.
                    if amount > 0 { fail(item, "A link to a bill carries minus the amount allocated; got \(amount).", "BillPaymentLink") }
                    // [002] "supplierRef.id is the same id as the supplierRef.id of the bill"; a
                    // batch across suppliers leaves supplierRef out.
                    if let supplierId, let owner = bill["supplierRef"]?["id"]?.string, owner != supplierId {
                        fail(item, "Bill '\(id)' belongs to supplier '\(owner)', not to the payment's supplier '\(supplierId)'.", "SupplierMatch")
                    }
                    // [doc] Bill.status: a Void or Draft bill is not outstanding.
                    if let status = bill["status"]?.string, ["Void", "Draft"].contains(status) {
                        fail(item, "Bill '\(id)' is \(status) and cannot be paid.", "BillStatus")
                    }
                    // [doc] currencyRate: "the bill payment must happen in" the bill's or the base currency.
                    if let currency, let billCurrency = bill["currency"]?.string, currency != billCurrency,
                        currency != company.baseCurrency, billCurrency != company.baseCurrency
                    {
                        fail(item, "Bill '\(id)' is in \(billCurrency) and the payment in \(currency), neither the base currency \(company.baseCurrency).", "Currency")
                    }
                    // [doc] billPaymentLine.allocatedOnDate: "must ... be later than the issue date of the bill".
                    if let allocated = line["allocatedOnDate"]?.string, let issued = bill["issueDate"]?.string,
                        allocated.prefix(10) < issued.prefix(10)
                    {
                        fail("lines[\(l)].allocatedOnDate", "Line \(l) is allocated on \(allocated.prefix(10)), before bill '\(id)' was issued (\(issued.prefix(10))).", "AllocatedOnDate")
                    }
                    Self.add(Decimal(0) - amount, to: id, in: &billTotals)
                case "CreditNote":
                    guard company[.billCreditNotes][id] != nil else {
                        fail(item, "Bill credit note '\(id)' was not found.", "CreditNoteExists")
                        continue
                    }
                    // [002] a credit note allocated to a bill is a positive link.
                    if amount < 0 { fail(item, "A link to a credit note carries a positive amount; got \(amount).", "BillPaymentLink") }
                    if let supplierId, let owner = company[.billCreditNotes][id]?["supplierRef"]?["id"]?.string, owner != supplierId {
                        fail(item, "Credit note '\(id)' belongs to supplier '\(owner)', not to '\(supplierId)'.", "SupplierMatch")
                    }
                    // [002] MYOB: "credit note allocations will soon be available".
                    if company.integration == .myob {
                        fail(item, "MYOB: allocating a credit note in a bill payment is not available yet.", "IntegrationLimit")
                    }
                    Self.add(amount, to: id, in: &creditTotals)
                default:
                    break
                }
            }
        }

        // [001]/[002] a payment pays a bill in full (totalAmount = amountDue) or in part: never more.
        for (id, allocated) in billTotals {
            let bill = company[.bills][id]
            let due = bill?["amountDue"]?.decimal ?? bill?["totalAmount"]?.decimal ?? 0
            if allocated > due {
                let message = due <= 0 ? "Bill '\(id)' is already paid." : "The payment allocates \(allocated) to bill '\(id)' but only \(due) is due."
                fail(id, message, due <= 0 ? "BillStatus" : "AmountDue")
            }
        }
        for (id, used) in creditTotals {
            let remaining = company[.billCreditNotes][id]?["remainingCredit"]?.decimal ?? 0
            if used > remaining {
                fail(id, "The payment uses \(used) of credit note '\(id)' but only \(remaining) remains.", "RemainingCredit")
            } else if used != remaining, company.integration == .xero || company.integration == .quickBooksOnline {
                // [002] Xero and QBO: "you can only allocate a billCreditNote to a bill in full with a
                // billPayment; for a partial payment too, two separate transactions are needed."
                let name = company.integration?.platformName ?? ""
                fail(id, "\(name): a credit note is allocated in full only (\(remaining)); allocate it whole and pay the rest in a second payment.", "IntegrationLimit")
            }
        }

        // [002] "accountRef.id is the payment account chosen in mapping" (a real account of the company).
        if let accountId = payment["accountRef"]?["id"]?.string {
            if company[.accounts][accountId] == nil {
                fail("accountRef.id", "Account '\(accountId)' was not found.", "AccountExists")
            }
        } else if (total ?? 0) > 0 {
            fail("accountRef", "accountRef is required to pay an amount: money leaves a payment account.", "Required")
        }
        // [002] Sage Intacct "uses a paymentMethodRef" (from get-create-update-bills-model).
        if company.integration == .sageIntacct {
            if let methodId = payment["paymentMethodRef"]?["id"]?.string {
                if company[.paymentMethods][methodId] == nil {
                    fail("paymentMethodRef.id", "Payment method '\(methodId)' was not found.", "PaymentMethodExists")
                }
            } else {
                fail("paymentMethodRef", "Sage Intacct: paymentMethodRef is required.", "IntegrationLimit")
            }
        }
        // [002] NetSuite with mandatory locations: "reference is required and must be the id of a
        // tracking category prefixed by location". The sandbox does not know whether a company's
        // locations are mandatory, so it checks the reference only when it names a location.
        if company.integration == .netSuite, let reference = payment["reference"]?.string, reference.lowercased().hasPrefix("location-"),
            company[.trackingCategories][reference] == nil
        {
            fail("reference", "NetSuite: '\(reference)' is not a location tracking category.", "IntegrationLimit")
        }
        return errors
    }

    private static func add(_ amount: Decimal, to id: String, in totals: inout [(id: String, allocated: Decimal)]) {
        if let index = totals.firstIndex(where: { $0.id == id }) {
            totals[index].allocated += amount
        } else {
            totals.append((id, amount))
        }
    }

    private static func add(_ amount: Decimal, to id: String, in totals: inout [(id: String, used: Decimal)]) {
        if let index = totals.firstIndex(where: { $0.id == id }) {
            totals[index].used += amount
        } else {
            totals.append((id, amount))
        }
    }
}
