import CodatSyncPayablesV1
import Foundation

/// The header amounts of a bill credit note.
public struct CreditNoteTotals: Hashable, Sendable {
    /// Before tax, after discounts.
    public var subTotal: Decimal
    /// The tax of all lines.
    public var totalTaxAmount: Decimal
    /// `subTotal` + `totalTaxAmount`.
    public var totalAmount: Decimal
    /// The discounts of all lines.
    public var totalDiscount: Decimal
    /// A discount on the whole credit note, in percent (0 in every example).
    public var discountPercentage: Decimal

    public init(subTotal: Decimal, totalTaxAmount: Decimal, totalAmount: Decimal,
                totalDiscount: Decimal = 0, discountPercentage: Decimal = 0) {
        self.subTotal = subTotal
        self.totalTaxAmount = totalTaxAmount
        self.totalAmount = totalAmount
        self.totalDiscount = totalDiscount
        self.discountPercentage = discountPercentage
    }

    /// The totals the lines add up to: each line's `subTotal` (else `unitAmount` × `quantity` −
    /// `discountAmount`), `taxAmount` and `totalAmount` (else subtotal + tax); no header discount.
    public init(lines: [BillCreditNoteLineItem]) {
        var subTotal = Decimal(0), tax = Decimal(0), total = Decimal(0), discount = Decimal(0)
        for line in lines {
            let lineSubTotal = line.expectedSubTotal
            subTotal += lineSubTotal
            tax += line.taxAmount ?? 0
            total += line.totalAmount ?? lineSubTotal + (line.taxAmount ?? 0)
            discount += line.discountAmount ?? 0
        }
        self.init(subTotal: subTotal, totalTaxAmount: tax, totalAmount: total, totalDiscount: discount)
    }
}

/// Where a credit note's amounts do not add up.
public struct CreditNoteTotalsIssue: Hashable, Sendable, CustomStringConvertible {
    /// The field, e.g. `subTotal` or `lineItems[0].totalAmount`.
    public var field: String
    /// The amount the credit note carries.
    public var amount: Decimal
    /// The amount the lines (or the other totals) add up to.
    public var expected: Decimal

    public var description: String { "\(field) is \(amount) but should be \(expected)" }
}

extension BillCreditNoteLineItem {
    /// `subTotal` if given, else `unitAmount` × `quantity` − `discountAmount`.
    fileprivate var expectedSubTotal: Decimal {
        subTotal ?? unitAmount * quantity - (discountAmount ?? 0)
    }
}

extension BillCreditNote {
    /// A bill credit note to create (`POST …/push/billCreditNotes`) before it is allocated to a bill.
    ///
    /// The header totals are the lines' unless `totals` gives them (the payload then says what
    /// the caller's books say; `totalsIssues` shows where they disagree with the lines). The status
    /// is `Submitted` and `withholdingTax` empty, as in every example of the guides.
    ///
    /// - Parameters:
    ///   - number: `billCreditNoteNumber`, the supplier's number for it.
    ///   - supplier: `supplierRef`: the supplier who issued it; it must exist.
    ///   - issueDate: `issueDate`, the date the supplier issued it.
    ///   - currency: `currency` (ISO 4217), nil for the company's base currency.
    ///   - currencyRate: `currencyRate` to the base currency, for a foreign-currency credit note.
    ///   - lines: `lineItems`; the header totals are computed from them unless `totals` is given.
    ///   - totals: the header totals the caller's books give, sent instead of the lines' sums.
    ///   - remainingCredit: sent only when given (the Xero example sends 0, QuickBooks Online the total).
    ///   - status: `status`, `Submitted` unless said otherwise.
    ///   - note: `note`, free text.
    public static func toCreate(number: String? = nil, supplier: SupplierRef, issueDate: DateTime,
                                currency: String?, currencyRate: Decimal? = nil,
                                lines: [BillCreditNoteLineItem], totals: CreditNoteTotals? = nil,
                                remainingCredit: Decimal? = nil, status: BillCreditNoteStatus = .submitted,
                                note: String? = nil) -> BillCreditNote {
        let totals = totals ?? CreditNoteTotals(lines: lines)
        return BillCreditNote(
            billCreditNoteNumber: number,
            supplierRef: supplier,
            withholdingTax: [],
            totalAmount: totals.totalAmount,
            totalDiscount: totals.totalDiscount,
            subTotal: totals.subTotal,
            totalTaxAmount: totals.totalTaxAmount,
            discountPercentage: totals.discountPercentage,
            remainingCredit: remainingCredit,
            status: status,
            issueDate: issueDate,
            currency: currency,
            currencyRate: currencyRate,
            lineItems: lines,
            note: note
        )
    }

    /// Where the amounts do not add up: each line's `totalAmount` against its subtotal plus tax,
    /// and the header's `subTotal`, `totalTaxAmount` and `totalAmount` against the lines and each other.
    public var totalsIssues: [CreditNoteTotalsIssue] {
        var issues: [CreditNoteTotalsIssue] = []
        let lines = lineItems ?? []
        for (i, line) in lines.enumerated() {
            let expected = line.expectedSubTotal + (line.taxAmount ?? 0)
            if let total = line.totalAmount, total != expected {
                issues.append(CreditNoteTotalsIssue(field: "lineItems[\(i)].totalAmount", amount: total, expected: expected))
            }
        }
        let fromLines = CreditNoteTotals(lines: lines)
        if subTotal != fromLines.subTotal {
            issues.append(CreditNoteTotalsIssue(field: "subTotal", amount: subTotal, expected: fromLines.subTotal))
        }
        if totalTaxAmount != fromLines.totalTaxAmount {
            issues.append(CreditNoteTotalsIssue(field: "totalTaxAmount", amount: totalTaxAmount, expected: fromLines.totalTaxAmount))
        }
        if totalAmount != subTotal + totalTaxAmount {
            issues.append(CreditNoteTotalsIssue(field: "totalAmount", amount: totalAmount, expected: subTotal + totalTaxAmount))
        }
        return issues
    }
}
