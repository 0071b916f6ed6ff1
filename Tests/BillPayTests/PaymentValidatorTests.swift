import BillPay
import CodatSyncPayablesV1
import Foundation
import XCTest

/// Each rule of a bill payment and each integration limit, broken once on purpose.
final class PaymentValidatorTests: XCTestCase {
    static let account = AccountRef(id: "bank-1")

    /// A payment from lines of (amount, links of (type, id, amount)).
    static func payment(total: Decimal?, supplier: String? = "supplier-1", account: AccountRef? = account,
                        reference: String? = nil, paymentMethod: PaymentMethodRef? = nil,
                        lines: [(Decimal, [(BillPaymentLineLinkType, String?, Decimal?)])]?) -> BillPayment {
        BillPayment(supplierRef: supplier.map { SupplierRef(id: $0) }, accountRef: account, totalAmount: total,
                    currency: "GBP", date: "2023-04-17T00:00:00", paymentMethodRef: paymentMethod,
                    lines: lines?.map { amount, links in
                        BillPaymentLine(amount: amount, links: links.map { BillPaymentLineLink(type: $0.0, id: $0.1, amount: $0.2) })
                    },
                    reference: reference)
    }

    /// A case that breaks one rule, and the violation it must produce.
    struct Breach {
        var validator: PaymentValidator
        var payment: BillPayment
        var bills: [Bill] = []
        var creditNotes: [BillCreditNote] = []
        var line: Int?
        var link: Int?
        var amount: Decimal?
        var expected: Decimal?
    }

    static let breaches: [PaymentRule: Breach] = {
        let other = PaymentValidator(integration: .other)
        let bill = Bill.open("bill-1", supplier: "supplier-1", amountDue: 100, currency: "GBP")
        let note = BillCreditNote.created("note-1", supplier: "supplier-1", credit: 25)
        return [
            .linesPresent: Breach(validator: other, payment: payment(total: 10, lines: [(10, [])]), line: 0, amount: 10),
            .linkComplete: Breach(validator: other, payment: payment(total: 10, lines: [(10, [(.bill, nil, -10)])]), line: 0, link: 0, amount: -10),
            .paymentAccount: Breach(validator: other, payment: payment(total: 10, account: nil, lines: [(10, [(.bill, "bill-1", -10)])])),
            // A negative payment (here a credit note refunded) is not a bill payment the guides make.
            .positiveTotalAmount: Breach(validator: other, payment: payment(total: -10, lines: [(-10, [(.creditNote, "note-1", 10)])]), amount: -10),
            .totalAmountIsSumOfLines: Breach(validator: other, payment: payment(total: 100, lines: [(60, [(.bill, "bill-1", -60)]), (30, [(.bill, "bill-2", -30)])]),
                                             amount: 100, expected: 90),
            .lineAmountBalancesLinks: Breach(validator: other, payment: payment(total: 50, lines: [(50, [(.bill, "bill-1", -40)])]), line: 0, amount: 50, expected: 40),
            .billLinkNegative: Breach(validator: other, payment: payment(total: 10, lines: [(10, [(.bill, "bill-1", -10), (.bill, "bill-2", 0)])]),
                                      line: 0, link: 1, amount: 0),
            .creditNoteLinkPositive: Breach(validator: other, payment: payment(total: 10, lines: [(10, [(.bill, "bill-1", -10), (.creditNote, "note-1", 0)])]),
                                            line: 0, link: 1, amount: 0),
            .singleSupplier: Breach(validator: other, payment: payment(total: 10, supplier: "supplier-2", lines: [(10, [(.bill, "bill-1", -10)])]),
                                    bills: [bill], line: 0, link: 0, amount: -10),
            .withinAmountDue: Breach(validator: other, payment: payment(total: 120, lines: [(120, [(.bill, "bill-1", -120)])]),
                                     bills: [bill], line: 0, link: 0, amount: 120, expected: 100),
            .withinRemainingCredit: Breach(validator: other, payment: payment(total: 0, lines: [(0, [(.bill, "bill-1", -30), (.creditNote, "note-1", 30)])]),
                                           bills: [bill], creditNotes: [note], line: 0, link: 1, amount: 30, expected: 25),
            .creditNoteInFullOnly: Breach(validator: PaymentValidator(integration: .xero),
                                          payment: payment(total: 0, lines: [(0, [(.bill, "bill-1", -20), (.creditNote, "note-1", 20)])]),
                                          bills: [bill], creditNotes: [note], line: 0, link: 1, amount: 20, expected: 25),
            .creditNoteAllocationAvailable: Breach(validator: PaymentValidator(integration: .myob),
                                                   payment: payment(total: 0, lines: [(0, [(.bill, "bill-1", -25), (.creditNote, "note-1", 25)])]),
                                                   line: 0, link: 1, amount: 25),
            .paymentMethodRequired: Breach(validator: PaymentValidator(integration: .sageIntacct),
                                           payment: payment(total: 10, lines: [(10, [(.bill, "bill-1", -10)])])),
            .locationReference: Breach(validator: PaymentValidator(integration: .netSuite, locationsAreMandatory: true),
                                       payment: payment(total: 10, reference: "1", lines: [(10, [(.bill, "bill-1", -10)])])),
            .oneBillPerLine: Breach(validator: PaymentValidator(integration: .xero),
                                    payment: payment(total: 30, lines: [(30, [(.bill, "bill-1", -10), (.bill, "bill-2", -20)])]), line: 0, amount: 30),
        ]
    }()

    func testEachRuleIsBrokenOnceWithItsPlaceAndAmounts() {
        XCTAssertEqual(Set(Self.breaches.keys), Set(PaymentRule.allCases), "a breach for every rule")
        for rule in PaymentRule.allCases {
            guard let breach = Self.breaches[rule] else { continue }
            let violations = breach.validator.violations(in: breach.payment, bills: breach.bills, creditNotes: breach.creditNotes)
            XCTAssertEqual(violations.map(\.rule), [rule], "\(rule) alone: \(violations)")
            guard let violation = violations.first else { continue }
            XCTAssertEqual(violation.lineIndex, breach.line, "\(rule) line")
            XCTAssertEqual(violation.linkIndex, breach.link, "\(rule) link")
            XCTAssertEqual(violation.amount, breach.amount, "\(rule) amount")
            XCTAssertEqual(violation.expected, breach.expected, "\(rule) expected")
            XCTAssertTrue(violation.description.hasPrefix("[\(rule.rawValue)]"), violation.description)
            XCTAssertFalse(rule.summary.isEmpty)
        }
    }

    func testMissingLinesAmountsAndTotalAreReported() {
        let other = PaymentValidator(integration: .other)
        XCTAssertEqual(other.violations(in: Self.payment(total: 10, lines: nil)).map(\.rule), [.linesPresent])
        let noAmount = other.violations(in: Self.payment(total: 10, lines: [(10, [(.bill, "bill-1", nil)])]))
        XCTAssertEqual(noAmount.map(\.rule), [.linkComplete], "a link without amount is not balanced, only reported: \(noAmount)")
        let noTotal = other.violations(in: Self.payment(total: nil, lines: [(10, [(.bill, "bill-1", -10)])]))
        XCTAssertEqual(noTotal.map(\.rule), [.positiveTotalAmount])
        XCTAssertNil(noTotal.first?.amount)
    }

    func testZeroTotalOnlyForACreditNoteAllocation() {
        let other = PaymentValidator(integration: .other)
        let zero = other.violations(in: Self.payment(total: 0, lines: [(0, [(.bill, "bill-1", 0)])]))
        XCTAssertEqual(Set(zero.map(\.rule)), [.positiveTotalAmount, .billLinkNegative])
        XCTAssertEqual(other.violations(in: Self.payment(total: 0, lines: [(0, [(.bill, "bill-1", -25), (.creditNote, "note-1", 25)])])), [])
    }

    func testEveryViolationIsReportedAtOnce() {
        // The Xero allocation example's mistake, on a Sage Intacct payment of the wrong supplier with a positive bill link.
        let bill = Bill.open("bill-1", supplier: "supplier-1", amountDue: 100)
        let payment = Self.payment(total: 0, supplier: "supplier-2", lines: [(45, [(.bill, "bill-1", 25), (.creditNote, "note-1", 25)])])
        let error = PaymentValidationError(violations: PaymentValidator(integration: .sageIntacct).violations(in: payment, bills: [bill]))
        XCTAssertEqual(error.rules, [.totalAmountIsSumOfLines, .lineAmountBalancesLinks, .billLinkNegative, .singleSupplier, .paymentMethodRequired])
        XCTAssertTrue(error.description.contains("breaks 5 rules"), error.description)
        XCTAssertTrue(error.description.contains("[lineAmountBalancesLinks] lines[0]: amount is 45 but its links sum to 50, so it should be -50"), error.description)
    }

    // MARK: The builder refuses what the validator refuses

    let bill = Bill.open("bill-1", supplier: "supplier-1", amountDue: 100, currency: "GBP")
    let note = BillCreditNote.created("note-1", supplier: "supplier-1", credit: 25)
    let details = PaymentDetails(account: PaymentValidatorTests.account, date: "2023-05-09T00:00:00")

    func rules(_ build: () throws -> BillPaymentRequest) -> [PaymentRule] {
        do {
            let request = try build()
            return PaymentValidator(integration: request.integration).violations(in: request).map(\.rule)
        } catch let error as PaymentValidationError {
            return error.rules
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func testPayingABillInFullAndInPart() throws {
        let full = try BillPaymentBuilder(integration: .xero).payBill(bill, details: details)
        XCTAssertEqual(full.kind, .billInFull)
        XCTAssertEqual(full.payment.totalAmount, 100)
        XCTAssertEqual(full.payment.currency, "GBP", "the bill's currency")
        XCTAssertEqual(full.payment.supplierRef, SupplierRef(id: "supplier-1"))
        XCTAssertEqual(full.payment.lines?.first?.links, [BillPaymentLineLink(type: .bill, id: "bill-1", amount: -100)])

        let part = try BillPaymentBuilder(integration: .xero).payBill(bill, amount: dec("40.10"), details: details)
        XCTAssertEqual(part.kind, .partialPayment)
        XCTAssertEqual(part.payment.totalAmount, dec("40.1"))
        XCTAssertEqual(part.payment.lines?.first?.amount, dec("40.1"))
        XCTAssertEqual(part.payment.lines?.first?.links?.first?.amount, dec("-40.1"))

        XCTAssertEqual(rules { try BillPaymentBuilder(integration: .xero).payBill(bill, amount: 120, details: details) }, [.withinAmountDue])
        XCTAssertEqual(Set(rules { try BillPaymentBuilder(integration: .xero).payBill(bill, amount: 0, details: details) }), [.positiveTotalAmount, .billLinkNegative])
    }

    func testBuildErrorsForMissingData() {
        let builder = BillPaymentBuilder(integration: .other)
        var noDue = bill
        noDue.amountDue = nil
        var noId = bill
        noId.id = nil
        var noSupplier = bill
        noSupplier.supplierRef = nil
        var unsaved = note
        unsaved.id = nil
        XCTAssertThrowsError(try builder.payBill(noDue, details: details)) { XCTAssertEqual($0 as? PaymentBuildError, .billWithoutAmountDue(billId: "bill-1")) }
        XCTAssertNoThrow(try builder.payBill(noDue, amount: 10, details: details), "a partial payment does not need amountDue")
        XCTAssertThrowsError(try builder.payBill(noId, details: details)) { XCTAssertEqual($0 as? PaymentBuildError, .billWithoutId) }
        XCTAssertThrowsError(try builder.payBills([], details: details)) { XCTAssertEqual($0 as? PaymentBuildError, .noBills) }
        XCTAssertThrowsError(try builder.batchPayment([], details: details)) { XCTAssertEqual($0 as? PaymentBuildError, .noBills) }
        XCTAssertThrowsError(try builder.payBills([BillAllocation(bill: noSupplier)], details: details)) { XCTAssertEqual($0 as? PaymentBuildError, .billWithoutSupplier(billId: "bill-1")) }
        XCTAssertThrowsError(try builder.allocateCreditNote(unsaved, to: bill, details: details)) { XCTAssertEqual($0 as? PaymentBuildError, .creditNoteWithoutId) }
        XCTAssertTrue(PaymentBuildError.billWithoutAmountDue(billId: "bill-1").description.contains("bill-1"))
    }

    func testSeveralBillsOfOneSupplierOrABatch() throws {
        let second = Bill.open("bill-2", supplier: "supplier-2", amountDue: 50, currency: "GBP")
        let bills = [BillAllocation(bill: bill), BillAllocation(bill: second)]
        XCTAssertThrowsError(try BillPaymentBuilder(integration: .xero).payBills(bills, details: details)) { error in
            let violation = (error as? PaymentValidationError)?.violations.first
            XCTAssertEqual(violation?.rule, .singleSupplier)
            XCTAssertEqual(violation?.lineIndex, 1)
            XCTAssertEqual(violation?.linkIndex, 0)
            XCTAssertTrue(violation?.description.contains("batch") ?? false)
        }
        let batch = try BillPaymentBuilder(integration: .xero).batchPayment(bills, details: details)
        XCTAssertNil(batch.payment.supplierRef)
        XCTAssertEqual(batch.payment.totalAmount, 150)
        XCTAssertEqual(batch.payment.lines?.count, 2)
    }

    func testLayoutOfSeveralBills() throws {
        let second = Bill.open("bill-2", supplier: "supplier-1", amountDue: 50, currency: "GBP")
        let bills = [BillAllocation(bill: bill), BillAllocation(bill: second, amount: 20)]
        let qbo = try BillPaymentBuilder(integration: .quickBooksOnline).payBills(bills, details: details)
        XCTAssertEqual(qbo.payment.lines?.count, 1)
        XCTAssertEqual(qbo.payment.lines?.first?.amount, 120)
        XCTAssertEqual(qbo.payment.lines?.first?.links?.compactMap(\.amount), [-100, -20])
        let myob = try BillPaymentBuilder(integration: .myob).payBills(bills, details: details)
        XCTAssertEqual(myob.payment.lines?.map(\.amount), [100, 20])
        XCTAssertEqual(myob.payment.totalAmount, 120)
        // Xero takes one bill per line only.
        XCTAssertEqual(rules { try BillPaymentBuilder(integration: .xero).payBills(bills, details: details, layout: .oneLineWithALinkPerBill) }, [.oneBillPerLine])
    }

    // MARK: Integration limits

    func testXeroAndQuickBooksOnlineAllocateACreditNoteOnlyInFullAndAlone() throws {
        for integration in [Integration.xero, .quickBooksOnline] {
            let builder = BillPaymentBuilder(integration: integration)
            let alone = try builder.allocateCreditNote(note, to: bill, details: details)
            XCTAssertEqual(alone.payment.totalAmount, 0)
            XCTAssertEqual(alone.payment.lines?.first?.amount, 0)
            XCTAssertEqual(alone.payment.lines?.first?.links?.compactMap(\.amount), [-25, 25])

            XCTAssertThrowsError(try builder.allocateCreditNote(note, to: bill, partialPayment: 75, details: details)) { error in
                let violation = (error as? PaymentValidationError)?.violations.first
                XCTAssertEqual(violation?.rule, .creditNoteInFullOnly, "\(integration)")
                XCTAssertEqual(violation?.lineIndex, 0)
                XCTAssertEqual(violation?.amount, 75)
                XCTAssertEqual(violation?.expected, 0)
                XCTAssertTrue(violation?.description.contains("second bill payment") ?? false)
            }
            XCTAssertEqual(rules { try builder.allocateCreditNote(note, to: bill, amount: 10, details: details) }, [.creditNoteInFullOnly], "\(integration)")
            // The second transaction: the rest of the bill, paid alone.
            XCTAssertNoThrow(try builder.payBill(bill, amount: 75, details: details))
        }
    }

    func testNetSuiteAndSageIntacctCombineACreditNoteWithAPartialPayment() throws {
        let netSuite = try BillPaymentBuilder(integration: .netSuite).allocateCreditNote(note, to: bill, amount: 10, partialPayment: 75, details: details)
        XCTAssertEqual(netSuite.kind, .creditNoteWithPartialPayment)
        XCTAssertEqual(netSuite.payment.totalAmount, 75)
        XCTAssertEqual(netSuite.payment.lines?.first?.links?.compactMap(\.amount), [-85, 10])

        var sageDetails = details
        sageDetails.paymentMethod = PaymentMethodRef(id: "6", name: "Cash")
        XCTAssertNoThrow(try BillPaymentBuilder(integration: .sageIntacct).allocateCreditNote(note, to: bill, partialPayment: 75, details: sageDetails))
        XCTAssertEqual(rules { try BillPaymentBuilder(integration: .sageIntacct).allocateCreditNote(note, to: bill, partialPayment: 75, details: details) }, [.paymentMethodRequired])
        XCTAssertEqual(rules { try BillPaymentBuilder(integration: .sageIntacct).payBill(bill, details: details) }, [.paymentMethodRequired])
    }

    func testMYOBCannotAllocateCreditNotesYet() {
        XCTAssertEqual(rules { try BillPaymentBuilder(integration: .myob).allocateCreditNote(note, to: bill, details: details) }, [.creditNoteAllocationAvailable])
    }

    func testNetSuiteReferenceIsALocationWhenLocationsAreMandatory() throws {
        let mandatory = BillPaymentBuilder(integration: .netSuite, locationsAreMandatory: true)
        XCTAssertEqual(rules { try mandatory.payBill(bill, details: details) }, [.locationReference], "no reference")
        var located = details
        located.reference = "location-5"
        XCTAssertNoThrow(try mandatory.payBill(bill, details: located))
        located.reference = "department-4"
        XCTAssertEqual(rules { try mandatory.payBill(bill, details: located) }, [.locationReference])
        located.reference = "location-9"
        let known = BillPaymentBuilder(integration: .netSuite, locationsAreMandatory: true, locationIds: ["location-5"])
        XCTAssertEqual(rules { try known.payBill(bill, details: located) }, [.locationReference], "not one of the company's locations")
        XCTAssertNoThrow(try BillPaymentBuilder(integration: .netSuite).payBill(bill, details: details), "locations not mandatory")
        XCTAssertNoThrow(try BillPaymentBuilder(integration: .quickBooksOnline, locationsAreMandatory: true).payBill(bill, details: details), "NetSuite only")
    }

    func testOtherIntegrationsHaveNoLimits() throws {
        let builder = BillPaymentBuilder(integration: .other)
        XCTAssertNoThrow(try builder.allocateCreditNote(note, to: bill, amount: 10, partialPayment: 20, details: details))
        XCTAssertNoThrow(try builder.payBills([BillAllocation(bill: bill)], details: details, layout: .oneLineWithALinkPerBill))
    }
}
