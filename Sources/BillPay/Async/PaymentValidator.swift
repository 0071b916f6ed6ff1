import CodatSyncPayablesV1
import Foundation

/// Checks a bill payment against the rules of a bill payment (guides 002 and 003) and the
/// integration's limits, before it is sent. Returns every violation, never only the first.
///
/// The rules on the payload alone always run. Those that need the bills and credit notes the
/// payment links (`singleSupplier`, `withinAmountDue`, `withinRemainingCredit`, a credit note
/// "in full") run for the ones given.
public struct PaymentValidator: Hashable, Sendable {
    /// The accounting software the payment is for.
    public var integration: Integration
    /// NetSuite: whether the company's account makes locations mandatory.
    public var locationsAreMandatory: Bool
    /// NetSuite: the ids of the `location-` tracking categories, when known; `reference` must be one.
    public var locationIds: Set<String>?

    public init(integration: Integration, locationsAreMandatory: Bool = false, locationIds: Set<String>? = nil) {
        self.integration = integration
        self.locationsAreMandatory = locationsAreMandatory
        self.locationIds = locationIds
    }

    /// The violations of a request built by `BillPaymentBuilder` (or by hand).
    public func violations(in request: BillPaymentRequest) -> [PaymentViolation] {
        violations(in: request.payment, bills: request.bills, creditNotes: request.creditNotes)
    }

    /// Throws `PaymentValidationError` with every violation, if there is any.
    public func validate(_ request: BillPaymentRequest) throws {
        let found = violations(in: request)
        if !found.isEmpty { throw PaymentValidationError(violations: found) }
    }

    /// The violations of a payment payload, checked against the bills and credit notes given.
    public func violations(in payment: BillPayment, bills: [Bill] = [], creditNotes: [BillCreditNote] = []) -> [PaymentViolation] {
        var found: [PaymentViolation] = []
        found += shape(of: payment)
        found += amounts(of: payment)
        found += against(bills: bills, creditNotes: creditNotes, in: payment)
        found += integrationLimits(of: payment, creditNotes: creditNotes)
        return found
    }

    // MARK: The shape

    private func shape(of payment: BillPayment) -> [PaymentViolation] {
        var found: [PaymentViolation] = []
        if (payment.accountRef?.id ?? "").isEmpty {
            found.append(PaymentViolation(rule: .paymentAccount, message: "accountRef.id is missing: give the payment account chosen in mapping"))
        }
        let lines = payment.lines ?? []
        if lines.isEmpty {
            found.append(PaymentViolation(rule: .linesPresent, message: "the payment has no lines"))
        }
        for (i, line) in lines.enumerated() {
            let links = line.links ?? []
            if links.isEmpty {
                found.append(PaymentViolation(rule: .linesPresent, lineIndex: i, amount: line.amount, message: "the line has no links"))
            }
            for (j, link) in links.enumerated() {
                if (link.id ?? "").isEmpty {
                    found.append(PaymentViolation(rule: .linkComplete, lineIndex: i, linkIndex: j, amount: link.amount,
                                                  message: "the \(link.type.rawValue) link has no id"))
                }
                if link.amount == nil {
                    found.append(PaymentViolation(rule: .linkComplete, lineIndex: i, linkIndex: j,
                                                  message: "the \(link.type.rawValue) link \(link.id ?? "") has no amount"))
                }
            }
        }
        return found
    }

    // MARK: The amounts

    private func amounts(of payment: BillPayment) -> [PaymentViolation] {
        var found: [PaymentViolation] = []
        let lines = payment.lines ?? []
        let allocatesCreditNote = lines.contains { $0.links?.contains { $0.type == .creditNote } ?? false }

        switch payment.totalAmount {
        case nil:
            found.append(PaymentViolation(rule: .positiveTotalAmount, message: "totalAmount is missing"))
        case let total? where total < 0 || (total == 0 && !allocatesCreditNote):
            found.append(PaymentViolation(rule: .positiveTotalAmount, amount: total,
                                          message: "totalAmount is \(total): it must be positive (0 only when a credit note is allocated with no money paid)"))
        default:
            break
        }

        let sumOfLines = lines.reduce(Decimal(0)) { $0 + $1.amount }
        if let total = payment.totalAmount, !lines.isEmpty, total != sumOfLines {
            found.append(PaymentViolation(rule: .totalAmountIsSumOfLines, amount: total, expected: sumOfLines,
                                          message: "totalAmount is \(total) but the lines' amounts sum to \(sumOfLines)"))
        }

        for (i, line) in lines.enumerated() {
            let links = line.links ?? []
            // Balance only lines whose links all have an amount; a missing one is reported as linkComplete.
            let linkAmounts = links.compactMap(\.amount)
            if !links.isEmpty, linkAmounts.count == links.count {
                let expected = Decimal(0) - linkAmounts.reduce(Decimal(0), +) // not -sum: no "-0" in messages
                if line.amount != expected {
                    found.append(PaymentViolation(rule: .lineAmountBalancesLinks, lineIndex: i, amount: line.amount, expected: expected,
                                                  message: "amount is \(line.amount) but its links sum to \(-expected), so it should be \(expected)"))
                }
            }
            for (j, link) in links.enumerated() {
                guard let amount = link.amount else { continue }
                if link.type == .bill, amount >= 0 {
                    found.append(PaymentViolation(rule: .billLinkNegative, lineIndex: i, linkIndex: j, amount: amount,
                                                  message: "the link to bill \(link.id ?? "") is \(amount): it must be negative, minus the amount allocated to the bill"))
                }
                if link.type == .creditNote, amount <= 0 {
                    found.append(PaymentViolation(rule: .creditNoteLinkPositive, lineIndex: i, linkIndex: j, amount: amount,
                                                  message: "the link to credit note \(link.id ?? "") is \(amount): it must be positive"))
                }
            }
        }
        return found
    }

    // MARK: Against the bills and credit notes

    private func against(bills: [Bill], creditNotes: [BillCreditNote], in payment: BillPayment) -> [PaymentViolation] {
        var found: [PaymentViolation] = []
        let billsById = Dictionary(bills.compactMap { bill in bill.id.map { ($0, bill) } }, uniquingKeysWith: { first, _ in first })
        let notesById = Dictionary(creditNotes.compactMap { note in note.id.map { ($0, note) } }, uniquingKeysWith: { first, _ in first })
        let supplier = payment.supplierRef?.id

        // Totals per bill and per credit note: several links may share one.
        var allocated: [String: Decimal] = [:]
        var firstPlace: [String: (line: Int, link: Int)] = [:]

        for (i, line) in (payment.lines ?? []).enumerated() {
            for (j, link) in (line.links ?? []).enumerated() {
                guard let id = link.id else { continue }
                let owner: String?
                switch link.type {
                case .bill:
                    guard let bill = billsById[id] else { continue }
                    owner = bill.supplierRef?.id
                case .creditNote:
                    guard let note = notesById[id] else { continue }
                    owner = note.supplierRef?.id
                default:
                    continue
                }
                let key = "\(link.type.rawValue)/\(id)"
                allocated[key, default: 0] += link.amount ?? 0
                if firstPlace[key] == nil { firstPlace[key] = (i, j) }
                if let supplier, let owner, owner != supplier {
                    found.append(PaymentViolation(rule: .singleSupplier, lineIndex: i, linkIndex: j, amount: link.amount,
                                                  message: "\(link.type.rawValue) \(id) belongs to supplier \(owner), not to the payment's supplier \(supplier); leave supplierRef out for a batch payment across suppliers"))
                }
            }
        }

        for (id, bill) in billsById.sorted(by: { $0.key < $1.key }) {
            guard let total = allocated["Bill/\(id)"], let due = bill.amountDue, let place = firstPlace["Bill/\(id)"] else { continue }
            if -total > due {
                found.append(PaymentViolation(rule: .withinAmountDue, lineIndex: place.line, linkIndex: place.link, amount: -total, expected: due,
                                              message: "bill \(id) is allocated \(-total) but its amountDue is \(due)"))
            }
        }
        for (id, note) in notesById.sorted(by: { $0.key < $1.key }) {
            guard let total = allocated["CreditNote/\(id)"], let place = firstPlace["CreditNote/\(id)"] else { continue }
            if total > note.availableCredit {
                found.append(PaymentViolation(rule: .withinRemainingCredit, lineIndex: place.line, linkIndex: place.link, amount: total, expected: note.availableCredit,
                                              message: "credit note \(id) gives \(total) but has \(note.availableCredit) of credit left"))
            }
        }
        return found
    }

    // MARK: The integration's limits

    private func integrationLimits(of payment: BillPayment, creditNotes: [BillCreditNote]) -> [PaymentViolation] {
        var found: [PaymentViolation] = []
        let lines = payment.lines ?? []

        if integration.requiresPaymentMethod, (payment.paymentMethodRef?.id ?? "").isEmpty {
            found.append(PaymentViolation(rule: .paymentMethodRequired,
                                          message: "\(integration) needs paymentMethodRef: take one of the company's payment methods from get-create-update-bills-model"))
        }

        if integration.referenceIsLocationWhenMandatory, locationsAreMandatory {
            let reference = payment.reference ?? ""
            if !reference.hasPrefix("location-") {
                found.append(PaymentViolation(rule: .locationReference,
                                              message: "reference is \(payment.reference.map { "\"\($0)\"" } ?? "missing"): \(integration) with mandatory locations needs the id of a location tracking category (location-…)"))
            } else if let locationIds, !locationIds.contains(reference) {
                found.append(PaymentViolation(rule: .locationReference,
                                              message: "reference \"\(reference)\" is not one of the company's location tracking categories"))
            }
        }

        let notesById = Dictionary(creditNotes.compactMap { note in note.id.map { ($0, note) } }, uniquingKeysWith: { first, _ in first })
        for (i, line) in lines.enumerated() {
            let links = line.links ?? []
            let creditNoteLinks = links.enumerated().filter { $0.element.type == .creditNote }

            switch integration.creditNoteAllocation {
            case .notYetAvailable:
                for (j, link) in creditNoteLinks {
                    found.append(PaymentViolation(rule: .creditNoteAllocationAvailable, lineIndex: i, linkIndex: j, amount: link.amount,
                                                  message: "\(integration) cannot allocate credit note \(link.id ?? "") yet"))
                }
            case .inFullOnly:
                guard !creditNoteLinks.isEmpty else { break }
                if line.amount != 0 {
                    found.append(PaymentViolation(rule: .creditNoteInFullOnly, lineIndex: i, amount: line.amount, expected: 0,
                                                  message: "the line allocating a credit note pays \(line.amount): \(integration) allocates a credit note alone (line amount 0); pay the rest of the bill in a second bill payment"))
                }
                for (j, link) in creditNoteLinks {
                    guard let id = link.id, let note = notesById[id], let amount = link.amount, amount != note.availableCredit else { continue }
                    found.append(PaymentViolation(rule: .creditNoteInFullOnly, lineIndex: i, linkIndex: j, amount: amount, expected: note.availableCredit,
                                                  message: "credit note \(id) is allocated \(amount) of its \(note.availableCredit): \(integration) allocates a credit note only in full"))
                }
            case .withPartialPayment:
                break
            }

            if integration.allowsOneBillPerLineOnly {
                let billLinks = links.filter { $0.type == .bill }
                if billLinks.count > 1 {
                    found.append(PaymentViolation(rule: .oneBillPerLine, lineIndex: i, amount: line.amount,
                                                  message: "the line links \(billLinks.count) bills: \(integration) takes one line per bill"))
                }
            }
        }
        return found
    }
}
