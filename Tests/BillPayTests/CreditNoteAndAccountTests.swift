import BillPay
import CodatSyncPayablesV1
import Foundation
import SeedExampleSupport
import XCTest

/// Credit notes to create, and payment accounts to create, in the asynchronous API.
final class CreditNoteAndAccountTests: XCTestCase {
    // MARK: Credit notes

    func testTotalsComeFromTheLinesUnlessGiven() {
        let sage = CreditNoteExamples.sageIntacct
        XCTAssertEqual(sage.subTotal, 300)
        XCTAssertEqual(sage.totalTaxAmount, 60)
        XCTAssertEqual(sage.totalAmount, 360)
        XCTAssertEqual(sage.status, .submitted)
        XCTAssertEqual(sage.withholdingTax, [])
        XCTAssertNil(sage.remainingCredit, "sent only when given")

        let line = BillCreditNoteLineItem(unitAmount: dec("12.5"), quantity: 2, discountAmount: 5, taxAmount: 4)
        XCTAssertEqual(CreditNoteTotals(lines: [line, line]),
                       CreditNoteTotals(subTotal: 40, totalTaxAmount: 8, totalAmount: 48, totalDiscount: 10))
    }

    /// The Xero and MYOB examples' amounts do not add up; the others do.
    func testTotalsIssuesOfTheGuidesExamples() {
        XCTAssertEqual(CreditNoteExamples.xero(description: "").totalsIssues.map(\.description), [
            "subTotal is 25.44 but should be 21.2",
            "totalAmount is 25.44 but should be 29.68",
        ])
        XCTAssertEqual(CreditNoteExamples.myob(description: "").totalsIssues.map(\.description), [
            "lineItems[0].totalAmount is 900 but should be 1000",
            "subTotal is 1000 but should be 900",
            "totalAmount is 900 but should be 1100",
        ])
        for note in [CreditNoteExamples.quickBooksOnline, CreditNoteExamples.netSuite, CreditNoteExamples.sageIntacct] {
            XCTAssertEqual(note.totalsIssues, [], "\(note.billCreditNoteNumber ?? "Sage Intacct")")
        }
    }

    func testAvailableCredit() {
        var note = BillCreditNote.created("note-1", supplier: "s", credit: 100)
        XCTAssertEqual(note.availableCredit, 100)
        note.remainingCredit = 40
        XCTAssertEqual(note.availableCredit, 40)
        note.remainingCredit = nil
        XCTAssertEqual(note.availableCredit, 100, "totalAmount when remainingCredit is not known")
    }

    // MARK: Payment accounts

    func testAccountTypeFollowsThePaymentMethod() {
        let debit: [BillPayMethod] = [.ach, .realTimePayments, .cheque, .wireTransfer, .bacs]
        let credit: [BillPayMethod] = [.corporateCard, .buyNowPayLater]
        XCTAssertEqual(Set(debit + credit), Set(BillPayMethod.allCases))
        for method in debit { XCTAssertEqual(method.accountType, .debit, method.rawValue) }
        for method in credit { XCTAssertEqual(method.accountType, .credit, method.rawValue) }
        XCTAssertEqual(BankAccountAccountType(PaymentAccountType.debit), .debit)
        XCTAssertEqual(BankAccountAccountType(PaymentAccountType.credit), .credit)
    }

    /// The guide's Sage Intacct sample: create-account with a chart-of-accounts prototype.
    func testSageIntacctCreatesAnAccount() throws {
        let account = try NewPaymentAccount.forPaymentMethod(.ach, integration: .sageIntacct, name: "BillPay Debit Account",
                                                             currency: "USD", nominalCode: "610")
        XCTAssertEqual(account.endpoint, .createAccount)
        guard case let .account(prototype) = account else { return XCTFail("\(account)") }
        let guide = try JSONTree(json: Data("""
            {"name": "BillPay Debit Account", "fullyQualifiedName": "BillPay Debit Account",
             "fullyQualifiedCategory": "Asset.Current", "nominalCode": "610", "currency": "USD",
             "status": "Active", "type": "Asset", "currentBalance": 0}
            """.utf8))
        try XCTAssertSameJSON(guide, prototype, "Sage Intacct debit account")

        guard case let .account(card) = try NewPaymentAccount.forPaymentMethod(.corporateCard, integration: .sageIntacct, name: "Card", currency: "USD") else {
            return XCTFail("Sage Intacct takes create-account")
        }
        XCTAssertEqual(card.type, .liability)
        XCTAssertEqual(card.fullyQualifiedCategory, "Liability.Current")
    }

    /// The guide's sample for the other integrations: create-bank-account.
    func testOtherIntegrationsCreateABankAccount() throws {
        let guide = try JSONTree(json: Data("""
            {"accountName": "BillPay Debit Account", "accountType": "Debit", "accountNumber": "80088008",
             "currency": "USD", "balance": 0, "availableBalance": 0}
            """.utf8))
        for integration in [Integration.myob, .xero, .quickBooksOnline, .netSuite] {
            let account = try NewPaymentAccount.forPaymentMethod(.bacs, integration: integration, name: "BillPay Debit Account",
                                                                 currency: "USD", accountNumber: "80088008")
            XCTAssertEqual(account.endpoint, .createBankAccount, "\(integration)")
            guard case let .bankAccount(prototype) = account else { return XCTFail("\(integration): \(account)") }
            try XCTAssertSameJSON(guide, prototype, "\(integration) debit account")
        }
        guard case let .bankAccount(card) = try NewPaymentAccount.forPaymentMethod(.buyNowPayLater, integration: .quickBooksOnline, name: "BNPL", currency: "USD") else {
            return XCTFail("QuickBooks Online takes create-bank-account")
        }
        XCTAssertEqual(card.accountType, .credit)
    }

    func testXeroCannotCreateCreditAccounts() {
        XCTAssertThrowsError(try NewPaymentAccount.forPaymentMethod(.corporateCard, integration: .xero, name: "Card", currency: "GBP")) { error in
            XCTAssertEqual(error as? PaymentAccountError, .creditAccountsNotSupported(.xero))
            XCTAssertTrue("\(error)".contains("Xero cannot create Credit accounts"), "\(error)")
        }
        XCTAssertNoThrow(try NewPaymentAccount.forPaymentMethod(.cheque, integration: .xero, name: "Cheques", currency: "GBP"))
    }
}
