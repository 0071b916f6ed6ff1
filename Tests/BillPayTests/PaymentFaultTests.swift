import BillPay
import CodatSandbox
import Foundation
import XCTest

/// Many payments while the sandbox drops connections (before and after processing), cuts
/// responses and answers 5XX at random: afterwards it holds exactly one payment per intended
/// payment. The client's runtime never repeats a POST whose outcome is unknown (and no
/// Idempotency-Key is sent), so every ambiguous failure is the layer's to resolve.
///
/// Models are not named here (this file sees neither generated module); the two workflows
/// live in `FaultPayments`.
final class PaymentFaultTests: XCTestCase {
    /// The faults, each drawn with its own probability for every request (first one that fires wins).
    static let faults: [(Fault, Double)] = [
        (.dropAfterProcessing, 0.15), (.dropBeforeProcessing, 0.15), (.truncateAfterProcessing, 0.15),
        (.status(500), 0.15), (.status(503), 0.1),
    ]

    func inject(_ sandbox: CodatSandbox) {
        for (fault, probability) in Self.faults {
            sandbox.inject(fault, on: .any, probability: probability)
        }
    }

    func testTwoHundredSyncPaymentsUnderFaultsAreEachRecordedOnce() async throws {
        let sandbox = try await startSandbox(self, extraBills: 200, faultSeed: 0xFA17)
        let run = try await FaultPayments.sync(sandbox, intended: 200, concurrency: 12) { self.inject(sandbox) }
        sandbox.clearFaults()
        run.print(title: "sync (CodatSyncPayables)")

        XCTAssertTrue(run.errors.isEmpty, run.errors.joined(separator: "\n"))
        XCTAssertEqual(run.recordedPerBill.count, run.intended, "every intended payment recorded")
        XCTAssertEqual(run.recordedPerBill.values.filter { $0 != 1 }.count, 0, "no bill paid twice: \(run.recordedPerBill.filter { $0.value != 1 })")
        XCTAssertEqual(run.recorded, run.intended)
        XCTAssertEqual(run.wrongAmountDue, [], "each bill owes its total minus the one payment")
        XCTAssertGreaterThan(run.ambiguous, 20, "the faults did make outcomes unknown")
        XCTAssertGreaterThan(run.foundRecorded, 0, "some were found recorded and not resent")
        XCTAssertGreaterThan(run.resends, 0, "some were found not recorded and resent")
        XCTAssertEqual(run.ambiguous, run.foundRecorded + run.foundNotRecorded, "each ambiguous failure resolved")
    }

    /// The default policy: the POST carries an Idempotency-Key, so the runtime may repeat it and
    /// the server answers a repeat with the first answer; the layer's check stays behind it.
    func testSyncPaymentsWithIdempotencyKeysUnderFaultsAreEachRecordedOnce() async throws {
        let sandbox = try await startSandbox(self, extraBills: 60, faultSeed: 0x1DE4)
        let run = try await FaultPayments.sync(sandbox, intended: 60, concurrency: 12, useIdempotencyKeys: true) { self.inject(sandbox) }
        sandbox.clearFaults()
        run.print(title: "sync with Idempotency-Key")

        XCTAssertTrue(run.errors.isEmpty, run.errors.joined(separator: "\n"))
        XCTAssertEqual(run.recordedPerBill.count, run.intended)
        XCTAssertEqual(run.recordedPerBill.values.filter { $0 != 1 }.count, 0, "no bill paid twice")
        XCTAssertEqual(run.wrongAmountDue, [])
        XCTAssertGreaterThan(run.paymentRequests, run.sends, "the runtime repeated POSTs itself")
    }

    func testOneHundredV1PaymentsUnderFaultsAreEachRecordedOnce() async throws {
        let sandbox = try await startSandbox(self, pushDelay: .milliseconds(50), extraBills: 100, faultSeed: 0xF1A7)
        let run = try await FaultPayments.v1(sandbox, intended: 100, concurrency: 12) { self.inject(sandbox) }
        sandbox.clearFaults()
        run.print(title: "v1 (CodatSyncPayablesV1)")

        XCTAssertTrue(run.errors.isEmpty, run.errors.joined(separator: "\n"))
        XCTAssertEqual(run.recordedPerBill.count, run.intended, "every intended payment recorded")
        XCTAssertEqual(run.recordedPerBill.values.filter { $0 != 1 }.count, 0, "no bill paid twice: \(run.recordedPerBill.filter { $0.value != 1 })")
        XCTAssertEqual(run.recorded, run.intended)
        XCTAssertEqual(run.wrongAmountDue, [])
        XCTAssertGreaterThan(run.ambiguous, 5)
        XCTAssertEqual(run.ambiguous, run.foundRecorded + run.foundNotRecorded)
    }
}
