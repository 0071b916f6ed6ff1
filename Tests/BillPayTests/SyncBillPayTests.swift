import BillPay
import CodatSyncPayables
import Foundation
import SeedExampleSupport
import XCTest

/// The synchronous solution: the simplified payment of one bill, the foreign-currency rule, the
/// checks before a bill is created, and bank accounts to create.
final class SyncBillPayTests: XCTestCase {
    let bill = Bill(id: "59978bef-af2f-4a7e-9728-4997597c0980", reference: "RPT445-1",
                    supplierRef: SupplierRef(id: "dec56ceb-65e9-43b3-ac98-7fe09eb37e31", supplierName: "PowerDirect"),
                    issueDate: "2023-02-09T00:00:00", dueDate: "2023-02-19T00:00:00", currency: "GBP", currencyRate: 1,
                    status: .open, totalAmount: dec("135.85"), amountDue: dec("135.85"))
    let gbpAccount = BankAccountMappingOption(id: "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4", name: "Business current account",
                                              currency: "GBP", status: .active, accountType: .debit)

    // MARK: Payments

    func testPayABillInFull() throws {
        let request = try SyncBillPaymentRequest.payBill(bill, from: gbpAccount, date: "2023-04-17", reference: "RPT445-1")
        XCTAssertEqual(request.billId, "59978bef-af2f-4a7e-9728-4997597c0980")
        XCTAssertFalse(request.isPartial)
        // Only the simplified model's fields: amount, date, reference, accountRef, currencyRate.
        let expected = try JSONTree(json: Data("""
            {"amount": 135.85, "date": "2023-04-17", "reference": "RPT445-1", "accountRef": {"id": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"}}
            """.utf8))
        try XCTAssertSameJSON(expected, request.payment, "payment in full")
    }

    func testPayPartOfABill() throws {
        let request = try SyncBillPaymentRequest.payBill(bill, amount: dec("35.85"), from: gbpAccount, date: "2023-04-17", currencyRate: 1)
        XCTAssertTrue(request.isPartial)
        XCTAssertEqual(request.payment.amount, dec("35.85"))
        XCTAssertEqual(request.payment.currencyRate, 1)
        XCTAssertEqual(request.payment.accountRef, BillPaymentAccountRef(id: "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4"))
    }

    func testAmountsOutsideTheBill() {
        XCTAssertThrowsError(try SyncBillPaymentRequest.payBill(bill, amount: 200, from: gbpAccount, date: "2023-04-17")) {
            XCTAssertEqual($0 as? SyncPaymentError, .amountExceedsAmountDue(billId: "59978bef-af2f-4a7e-9728-4997597c0980", amount: 200, amountDue: dec("135.85")))
        }
        XCTAssertThrowsError(try SyncBillPaymentRequest.payBill(bill, amount: 0, from: gbpAccount, date: "2023-04-17")) {
            XCTAssertEqual($0 as? SyncPaymentError, .amountNotPositive(billId: "59978bef-af2f-4a7e-9728-4997597c0980", amount: 0))
        }
        var noDue = bill
        noDue.amountDue = nil
        XCTAssertThrowsError(try SyncBillPaymentRequest.payBill(noDue, from: gbpAccount, date: "2023-04-17")) {
            XCTAssertEqual($0 as? SyncPaymentError, .billWithoutAmountDue(billId: "59978bef-af2f-4a7e-9728-4997597c0980"))
        }
        var noId = bill
        noId.id = nil
        XCTAssertThrowsError(try SyncBillPaymentRequest.payBill(noId, from: gbpAccount, date: "2023-04-17")) {
            XCTAssertEqual($0 as? SyncPaymentError, .billWithoutId)
        }
        XCTAssertThrowsError(try SyncBillPaymentRequest.payBill(bill, from: BankAccountMappingOption(currency: "GBP"), date: "2023-04-17")) {
            XCTAssertEqual($0 as? SyncPaymentError, .accountWithoutId)
        }
    }

    // MARK: Foreign currency

    let eurAccount = BankAccountMappingOption(id: "eur-1", currency: "EUR", accountType: .debit)

    func testForeignCurrencyWithoutARateIsRefused() {
        for amount in [nil, Decimal(100)] as [Decimal?] {
            XCTAssertThrowsError(try SyncBillPaymentRequest.payBill(bill, amount: amount, from: eurAccount, date: "2023-04-17")) { error in
                XCTAssertEqual(error as? SyncPaymentError, .foreignCurrency(billId: "59978bef-af2f-4a7e-9728-4997597c0980", billCurrency: "GBP",
                                                                             accountId: "eur-1", accountCurrency: "EUR"))
                let text = "\(error)"
                XCTAssertTrue(text.contains("is in GBP but payment account eur-1 is in EUR"), text)
                XCTAssertTrue(text.contains("give the currencyRate from GBP to EUR (the amount stays in GBP)"), text)
                XCTAssertTrue(text.contains("create a bank account in GBP"), text)
            }
        }
    }

    /// `amount` is "in the bill currency" and `currencyRate` converts it to the account's (CODAT-FACTS §6).
    func testForeignCurrencyIsPaidInTheBillsCurrencyWithARateToTheAccounts() throws {
        let request = try SyncBillPaymentRequest.payBill(bill, from: eurAccount, date: "2023-04-17", currencyRate: dec("1.17"))
        XCTAssertEqual(request.payment.amount, dec("135.85"), "in full: the bill's amountDue, in GBP")
        XCTAssertEqual(request.payment.currencyRate, dec("1.17"))
        XCTAssertEqual(request.payment.accountRef.id, "eur-1")
        XCTAssertFalse(request.isPartial)
        let part = try SyncBillPaymentRequest.payBill(bill, amount: 100, from: eurAccount, date: "2023-04-17", currencyRate: dec("1.17"))
        XCTAssertTrue(part.isPartial)
        XCTAssertThrowsError(try SyncBillPaymentRequest.payBill(bill, amount: dec("158.94"), from: eurAccount, date: "2023-04-17", currencyRate: dec("0.8547"))) {
            XCTAssertEqual($0 as? SyncPaymentError, .amountExceedsAmountDue(billId: "59978bef-af2f-4a7e-9728-4997597c0980", amount: dec("158.94"), amountDue: dec("135.85")),
                           "the amount-due check applies whatever the account's currency")
        }
    }

    func testAnAccountInTheBillsCurrencyPaysIt() throws {
        // The other way out: create an account in the bill's currency, then pay from it.
        let created = BankAccount(id: "gbp-2", name: "GBP payments", accountType: .debit, currency: "gbp")
        let request = try SyncBillPaymentRequest.payBill(bill, from: created, date: "2023-04-17")
        XCTAssertEqual(request.payment.amount, dec("135.85"), "currency codes compare without case")
        // An account whose currency is not known is taken to be in the bill's.
        XCTAssertNoThrow(try SyncBillPaymentRequest.payBill(bill, from: BankAccountMappingOption(id: "x"), date: "2023-04-17"))
    }

    // MARK: Bank accounts to create

    func testBankAccountForAPaymentMethod() throws {
        let account = try BankAccountPrototype.forPaymentMethod(.ach, integration: .quickBooksOnline, name: "BillPay Debit Account",
                                                                currency: "USD", accountNumber: "80088008")
        let expected = try JSONTree(json: Data("""
            {"name": "BillPay Debit Account", "accountType": "Debit", "accountNumber": "80088008", "currency": "USD"}
            """.utf8))
        try XCTAssertSameJSON(expected, account, "debit bank account")
        // accountNumber is required and nullable (Codat-Sync-Payables.yaml): without a number it is sent as null.
        let unnumbered = try BankAccountPrototype.forPaymentMethod(.ach, integration: .quickBooksOnline, name: "BillPay Debit Account",
                                                                   currency: "USD", accountNumber: nil)
        // (XCTAssertSameJSON counts null as absent, so the member itself is looked at.)
        let members = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(unnumbered)) as? [String: Any])
        XCTAssertTrue(members["accountNumber"] is NSNull, "a required, nullable member is sent as null: \(members)")
        XCTAssertNil(members["sortCode"], "an optional one is left out")
        XCTAssertEqual(try BankAccountPrototype.forPaymentMethod(.corporateCard, integration: .netSuite, name: "Card", currency: "USD", accountNumber: nil).accountType, .credit)
        XCTAssertThrowsError(try BankAccountPrototype.forPaymentMethod(.buyNowPayLater, integration: .xero, name: "BNPL", currency: "GBP", accountNumber: nil)) {
            XCTAssertEqual($0 as? PaymentAccountError, .creditAccountsNotSupported(.xero))
        }
    }

    // MARK: Creating a bill

    let check = BillCreationCheck(
        suppliers: [Supplier(id: "s1", supplierName: "PowerDirect", status: .active),
                    Supplier(id: "s2", supplierName: "Old supplier", status: .archived)],
        mappingOptions: BillMappingOptions(
            accounts: [AccountMappingOption(id: "a1", name: "Electricity", status: .active),
                       AccountMappingOption(id: "a2", name: "Closed", status: .archived)],
            taxRates: [TaxRateMappingOption(id: "t1", name: "5% (VAT on Expenses)", status: .active)]))

    func billToCreate(supplier: String, lines: [BillLineItem]) -> BillPrototype {
        BillPrototype(supplierRef: SupplierRef(id: supplier), issueDate: "2023-02-09", dueDate: "2023-02-19",
                      currency: "GBP", lineItems: lines, status: .open)
    }

    func testABillMappedToTheOptionsOfAnExistingSupplierPasses() throws {
        let good = billToCreate(supplier: "s1", lines: [
            BillLineItem(description: "Monthly electricity", unitAmount: dec("129.38"), quantity: 1, accountRef: BillAccountRef(id: "a1"), taxRateRef: BillTaxRateRef(id: "t1")),
            BillLineItem(description: "Tax only", unitAmount: 1, quantity: 1, taxRateRef: BillTaxRateRef(id: "t1")),
        ])
        XCTAssertEqual(check.problems(in: good), [])
        XCTAssertNoThrow(try check.validate(good))
    }

    func testEveryProblemOfABillIsReported() {
        let bad = billToCreate(supplier: "s3", lines: [
            BillLineItem(description: "no mapping", unitAmount: 1, quantity: 1),
            BillLineItem(description: "unknown account", unitAmount: 1, quantity: 1, accountRef: BillAccountRef(id: "a9")),
            BillLineItem(description: "archived account", unitAmount: 1, quantity: 1, accountRef: BillAccountRef(id: "a2")),
            BillLineItem(description: "unknown tax rate", unitAmount: 1, quantity: 1, accountRef: BillAccountRef(id: "a1"), taxRateRef: BillTaxRateRef(id: "t9")),
            BillLineItem(description: "empty ids", unitAmount: 1, quantity: 1, accountRef: BillAccountRef(id: ""), taxRateRef: BillTaxRateRef()),
        ])
        XCTAssertEqual(check.problems(in: bad), [
            .supplierNotFound(supplierId: "s3"),
            .lineWithoutAccountOrTaxRate(lineIndex: 0),
            .accountNotInMappingOptions(lineIndex: 1, accountId: "a9"),
            .accountNotInMappingOptions(lineIndex: 2, accountId: "a2"),
            .taxRateNotInMappingOptions(lineIndex: 3, taxRateId: "t9"),
            .lineWithoutAccountOrTaxRate(lineIndex: 4),
        ])
        XCTAssertThrowsError(try check.validate(bad)) { error in
            XCTAssertEqual((error as? BillCreationError)?.problems.count, 6)
            XCTAssertTrue("\(error)".contains("supplier s3 does not exist: create it before the bill"), "\(error)")
        }
        XCTAssertEqual(check.problems(in: billToCreate(supplier: "s2", lines: [])), [.supplierArchived(supplierId: "s2")])
    }
}
