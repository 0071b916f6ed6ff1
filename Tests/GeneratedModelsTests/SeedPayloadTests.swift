import CodatSyncPayablesV1
import Foundation
import SeedExampleSupport
import XCTest

/// The payloads of Codat's own guides (`../shared/fixtures/seed-examples`, listed by `index.json`)
/// decode into the `CodatSyncPayablesV1` models and re-encode equal in value (see
/// `JSONTree.difference`: exact `Decimal` numbers, `null` equal to a missing member).
final class SeedPayloadTests: XCTestCase {
    enum Model: String { case bill = "Bill", billPayment = "BillPayment", billCreditNote = "BillCreditNote" }

    /// Which model a payload is (the guides: a bill to pay, bill payments for one or several
    /// bills, credit notes, and credit-note allocations, which are bill payments linking a `Bill`
    /// and a `CreditNote`).
    static func model(of example: SeedExample) -> Model? {
        switch example.kind {
        case .billToPay: return .bill
        case .createCreditNote: return .billCreditNote
        case .paySingleBill, .payMultipleBills, .batchPayment, .allocateCreditNote: return .billPayment
        case nil: return nil
        }
    }

    func testIndexListsEveryPayload() throws {
        let index = try SeedExample.index()
        let listed = Set(index.map(\.file))
        let onDisk = Set(try FileManager.default.contentsOfDirectory(atPath: SeedExample.folder.path).filter { $0 != "index.json" && $0.hasSuffix(".json") })
        XCTAssertEqual(listed, onDisk, "index.json lists exactly the payload files")
        XCTAssertEqual(listed.count, index.count, "no payload is listed twice")
        for entry in index {
            XCTAssertNotNil(Self.model(of: entry), "\(entry.origin) maps to a model")
        }
    }

    func testSeedPayloadsRoundTrip() throws {
        var counts: [Model: Int] = [:]
        for entry in try SeedExample.index() {
            guard let model = Self.model(of: entry) else { continue } // reported by testIndexListsEveryPayload
            let where_ = entry.origin
            let input = try SeedExample.payload(entry.file)
            let output: Data
            do {
                switch model {
                case .bill: output = try roundTrip(Bill.self, input)
                case .billPayment: output = try roundTrip(BillPayment.self, input)
                case .billCreditNote: output = try roundTrip(BillCreditNote.self, input)
                }
            } catch {
                XCTFail("\(where_) does not decode as \(model.rawValue): \(describe(error))")
                continue
            }
            if let difference = JSONTree.difference(try JSONTree.parse(input), try JSONTree.parse(output)) {
                XCTFail("\(where_) as \(model.rawValue) re-encodes differently: \(difference)")
                continue
            }
            counts[model, default: 0] += 1
        }
        print("seed payloads round-tripped: Bill \(counts[.bill] ?? 0), BillPayment \(counts[.billPayment] ?? 0), BillCreditNote \(counts[.billCreditNote] ?? 0)")
        XCTAssertGreaterThan(counts[.bill] ?? 0, 0)
        XCTAssertGreaterThan(counts[.billPayment] ?? 0, 0)
        XCTAssertGreaterThan(counts[.billCreditNote] ?? 0, 0)
    }

    /// 135.85 is not a binary fraction: through `Double` it would become 135.84999999999999.
    func testBillAmountStaysExact() throws {
        let exact = try XCTUnwrap(Decimal(string: "135.85", locale: Locale(identifier: "en_US_POSIX")))
        for file in ["seed-002-bill-to-pay-xero.json", "seed-003-bill-to-pay-xero.json"] {
            let bill = try JSONDecoder().decode(Bill.self, from: try SeedExample.payload(file))
            XCTAssertEqual(bill.totalAmount, exact, file)
            XCTAssertEqual(bill.totalAmount.description, "135.85", file)
            XCTAssertEqual(bill.amountDue, exact, file)
            XCTAssertEqual(bill.lineItems?.first?.totalAmount, exact, file)
            XCTAssertEqual(bill.lineItems?.first?.unitAmount?.description, "129.38", file)
            XCTAssertEqual(bill.taxAmount.description, "6.47", file)

            let text = String(decoding: try JSONEncoder().encode(bill), as: UTF8.self)
            XCTAssertTrue(text.contains("\"totalAmount\":135.85,") || text.contains("\"totalAmount\":135.85}"), "\(file): \(text)")
            XCTAssertTrue(text.contains("\"amountDue\":135.85"), "\(file): \(text)")
            XCTAssertFalse(text.contains("135.849"), "\(file): \(text)")
            XCTAssertFalse(text.contains("135.850"), "\(file): \(text)")
        }
    }

    func testBillPaymentAmountStaysExact() throws {
        let payment = try JSONDecoder().decode(BillPayment.self, from: try SeedExample.payload("seed-003-pay-single-bill-xero.json"))
        XCTAssertEqual(payment.totalAmount?.description, "135.85")
        XCTAssertEqual(payment.lines?.first?.amount.description, "135.85")
        XCTAssertEqual(payment.lines?.first?.links?.first?.amount?.description, "-135.85")
        XCTAssertEqual(payment.lines?.first?.links?.first?.currencyRate, 1)
        let text = String(decoding: try JSONEncoder().encode(payment), as: UTF8.self)
        XCTAssertTrue(text.contains("\"totalAmount\":135.85"), text)
        XCTAssertTrue(text.contains("\"amount\":135.85"), text)
        XCTAssertTrue(text.contains("\"amount\":-135.85"), text)
        XCTAssertFalse(text.contains("135.849"), text)
    }
}
