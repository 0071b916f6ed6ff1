import BillPay
import XCTest

/// The per-integration facts of the guides.
final class IntegrationTests: XCTestCase {
    func testFactsOfTheGuides() {
        XCTAssertEqual(Integration.allCases.filter { $0.accountCreation == .createAccount }, [.sageIntacct])
        XCTAssertEqual(Integration.allCases.filter { !$0.canCreateCreditAccounts }, [.xero])
        XCTAssertEqual(Integration.allCases.filter { $0.creditNoteAllocation == .inFullOnly }, [.xero, .quickBooksOnline])
        XCTAssertEqual(Integration.allCases.filter { $0.creditNoteAllocation == .notYetAvailable }, [.myob])
        XCTAssertEqual(Integration.allCases.filter(\.requiresPaymentMethod), [.sageIntacct])
        XCTAssertEqual(Integration.allCases.filter(\.referenceIsLocationWhenMandatory), [.netSuite])
        XCTAssertEqual(Integration.allCases.filter(\.supportsBatchPayments), [.xero])
        XCTAssertEqual(Integration.allCases.filter { $0.multipleBillsLayout == .oneLineWithALinkPerBill }, [.quickBooksOnline, .netSuite])
        XCTAssertEqual(Integration.allCases.filter(\.allowsOneBillPerLineOnly), [.xero])
    }

    func testPlatformNames() {
        XCTAssertEqual(Integration(platformName: "Xero"), .xero)
        XCTAssertEqual(Integration(platformName: "QuickBooks Online"), .quickBooksOnline)
        XCTAssertEqual(Integration(platformName: "QuickBooks Online Sandbox"), .quickBooksOnline)
        XCTAssertEqual(Integration(platformName: "Oracle NetSuite"), .netSuite)
        XCTAssertEqual(Integration(platformName: "Sage Intacct"), .sageIntacct)
        XCTAssertEqual(Integration(platformName: "MYOB Business"), .myob)
        XCTAssertEqual(Integration(platformName: "QuickBooks Desktop"), .other)
        XCTAssertEqual(Integration(platformName: "FreshBooks"), .other)
    }
}
