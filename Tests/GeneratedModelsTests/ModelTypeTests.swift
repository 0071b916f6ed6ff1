import CodatSyncPayables
import CodatSyncPayablesV1
import Foundation
import XCTest

// Both modules declare `Bill`, `Supplier`, ...: names are qualified by module throughout.

/// Money is `Decimal` and statuses are open enums, in the generated models of both documents.
final class ModelTypeTests: XCTestCase {
    /// More significant digits than a `Double` holds (about 17): only exact decimal parsing keeps them.
    static let precise = "12345678901234567.89"
    static let rate = "1.242097531"

    static func decimal(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    // MARK: Decimal money

    func testV1BillMoneyIsDecimal() throws {
        let bill = try Self.decode(CodatSyncPayablesV1.Bill.self, """
            {"issueDate": "2023-02-09T00:00:00", "status": "Open", "subTotal": 1, "taxAmount": 0.1,
             "totalAmount": \(Self.precise), "amountDue": 0.3, "currencyRate": \(Self.rate)}
            """)
        // Compile-time: these only type-check while the properties are Decimal (a Double would not convert).
        let totalAmount: Decimal? = bill.totalAmount
        let amountDue: Decimal? = bill.amountDue
        let currencyRate: Decimal? = bill.currencyRate
        let taxAmount: Decimal? = bill.taxAmount
        // Runtime: the exact values of the JSON text (0.3 and 0.1 are not binary fractions).
        XCTAssertEqual(totalAmount, Self.decimal(Self.precise))
        XCTAssertEqual(amountDue, Self.decimal("0.3"))
        XCTAssertEqual(currencyRate, Self.decimal(Self.rate))
        XCTAssertEqual(taxAmount, Self.decimal("0.1"))
        let text = try Self.encode(bill)
        XCTAssertTrue(text.contains("\"totalAmount\":\(Self.precise)"), text)
        XCTAssertTrue(text.contains("\"currencyRate\":\(Self.rate)"), text)
        XCTAssertTrue(text.contains("\"amountDue\":0.3"), text)
    }

    func testSyncBillMoneyIsDecimal() throws {
        let bill = try Self.decode(CodatSyncPayables.Bill.self, """
            {"supplierRef": {"id": "1"}, "issueDate": "2023-02-09", "dueDate": "2023-03-09", "currency": "GBP",
             "status": "Open", "totalAmount": \(Self.precise), "amountDue": 0.3, "currencyRate": \(Self.rate)}
            """)
        let totalAmount: Decimal? = bill.totalAmount
        let amountDue: Decimal? = bill.amountDue
        let currencyRate: Decimal? = bill.currencyRate
        XCTAssertEqual(totalAmount, Self.decimal(Self.precise))
        XCTAssertEqual(amountDue, Self.decimal("0.3"))
        XCTAssertEqual(currencyRate, Self.decimal(Self.rate))
        XCTAssertTrue(try Self.encode(bill).contains("\"totalAmount\":\(Self.precise)"))
    }

    func testV1BillPaymentAmountsAreDecimal() throws {
        let payment = try Self.decode(CodatSyncPayablesV1.BillPayment.self, """
            {"date": "2023-04-17T00:00:00", "totalAmount": \(Self.precise), "currencyRate": \(Self.rate),
             "lines": [{"amount": 45.1, "links": [{"type": "Bill", "id": "1", "amount": -0.3, "currencyRate": 0.781}]}]}
            """)
        let totalAmount: Decimal? = payment.totalAmount
        let currencyRate: Decimal? = payment.currencyRate
        let line = try XCTUnwrap(payment.lines?.first)
        let lineAmount: Decimal? = line.amount
        let link = try XCTUnwrap(line.links?.first)
        let linkAmount: Decimal? = link.amount
        let linkRate: Decimal? = link.currencyRate
        XCTAssertEqual(totalAmount, Self.decimal(Self.precise))
        XCTAssertEqual(currencyRate, Self.decimal(Self.rate))
        XCTAssertEqual(lineAmount, Self.decimal("45.1"))
        XCTAssertEqual(linkAmount, Self.decimal("-0.3"))
        XCTAssertEqual(linkRate, Self.decimal("0.781"))
        let text = try Self.encode(payment)
        for fragment in ["\"totalAmount\":\(Self.precise)", "\"currencyRate\":\(Self.rate)", "\"amount\":45.1", "\"amount\":-0.3", "\"currencyRate\":0.781"] {
            XCTAssertTrue(text.contains(fragment), "\(fragment) in \(text)")
        }
    }

    func testSyncBillPaymentAmountsAreDecimal() throws {
        let payment = try Self.decode(CodatSyncPayables.BillPayment.self, """
            {"amount": \(Self.precise), "currencyRate": \(Self.rate), "date": "2023-04-17T00:00:00"}
            """)
        let amount: Decimal? = payment.amount
        let currencyRate: Decimal? = payment.currencyRate
        XCTAssertEqual(amount, Self.decimal(Self.precise))
        XCTAssertEqual(currencyRate, Self.decimal(Self.rate))
        XCTAssertTrue(try Self.encode(payment).contains("\"amount\":\(Self.precise)"))
    }

    // MARK: Open enums

    func testV1BillStatusIsOpenEnum() throws {
        let json = """
            {"issueDate": "2023-02-09T00:00:00", "status": "SomethingNew", "subTotal": 0, "taxAmount": 0, "totalAmount": 0}
            """
        let bill = try Self.decode(CodatSyncPayablesV1.Bill.self, json)
        let status: CodatSyncPayablesV1.BillStatus = bill.status
        XCTAssertEqual(status, .undocumented("SomethingNew"))
        XCTAssertEqual(status.rawValue, "SomethingNew")
        XCTAssertTrue(try Self.encode(bill).contains("\"status\":\"SomethingNew\""))
        XCTAssertEqual(try Self.encode(status), "\"SomethingNew\"")
        // Documented values still map to their cases and back.
        XCTAssertEqual(try Self.decode(CodatSyncPayablesV1.BillStatus.self, "\"Open\""), .open)
        XCTAssertEqual(try Self.encode(CodatSyncPayablesV1.BillStatus.open), "\"Open\"")
        XCTAssertFalse(CodatSyncPayablesV1.BillStatus.documentedCases.contains(.undocumented("SomethingNew")))
    }

    func testSyncBillStatusIsOpenEnum() throws {
        let bill = try Self.decode(CodatSyncPayables.Bill.self, """
            {"supplierRef": {"id": "1"}, "issueDate": "2023-02-09", "dueDate": "2023-03-09", "currency": "GBP", "status": "SomethingNew"}
            """)
        let status: CodatSyncPayables.BillStatus = bill.status
        XCTAssertEqual(status, .undocumented("SomethingNew"))
        XCTAssertTrue(try Self.encode(bill).contains("\"status\":\"SomethingNew\""))
    }

    func testV1SupplierStatusIsOpenEnum() throws {
        let supplier = try Self.decode(CodatSyncPayablesV1.Supplier.self, #"{"supplierName": "Acme", "status": "SomethingNew"}"#)
        let status: CodatSyncPayablesV1.SupplierStatus = supplier.status
        XCTAssertEqual(status, .undocumented("SomethingNew"))
        XCTAssertTrue(try Self.encode(supplier).contains("\"status\":\"SomethingNew\""))
        XCTAssertEqual(try Self.decode(CodatSyncPayablesV1.SupplierStatus.self, "\"Active\""), .active)
        XCTAssertEqual(try Self.encode(CodatSyncPayablesV1.SupplierStatus.archived), "\"Archived\"")
    }

    func testSyncSupplierStatusIsOpenEnum() throws {
        let supplier = try Self.decode(CodatSyncPayables.Supplier.self, #"{"supplierName": "Acme", "status": "SomethingNew"}"#)
        let status: CodatSyncPayables.SupplierStatus? = supplier.status
        XCTAssertEqual(status, .undocumented("SomethingNew"))
        XCTAssertTrue(try Self.encode(supplier).contains("\"status\":\"SomethingNew\""))
    }
}
