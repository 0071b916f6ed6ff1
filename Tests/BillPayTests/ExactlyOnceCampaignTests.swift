import BillPay
import CodatSandbox
import Foundation
import XCTest

/// More than a thousand payment intents through both APIs against a sandbox that follows
/// CODAT-FACTS §1-3 (idempotency answers replayed 90 minutes, 5XX included; 409 in flight;
/// written v1 records listed only after a refresh; `TimedOut` writes that land later; 429s),
/// under random faults, with a process restart midway. Afterwards the sandbox's ground truth
/// holds exactly one record per intent. Models are named in `Campaign+Sync/V1.swift`.
final class ExactlyOnceCampaignTests: XCTestCase {
    func testOverAThousandIntentsUnderFaultsAreEachRecordedExactlyOnce() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let sandbox = try await startSandbox(self, extraBills: 520, faultSeed: 0xC0FFEE, writeProcessingTime: .milliseconds(30))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("billpay-campaign-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }

        // Two identical instalments (same amount, day and account) per bill: two intents.
        let ids = (1...520).map { String(format: "gen-bill-%05d", $0) }
        func instalments(_ bills: ArraySlice<String>, _ api: PaymentResumeData.API, slow: Bool = false) -> [Campaign.Intent] {
            bills.flatMap { bill in (1...2).map { Campaign.Intent(id: PaymentIntentID("\(api)-\(bill)-\($0)"), api: api, billId: bill, slow: slow) } }
        }
        let syncIntents = instalments(ids[0..<250], .sync)
        let v1Intents = instalments(ids[250..<485], .v1)
        let twinIntents = instalments(ids[485..<500], .v1)
        let slowIntents = instalments(ids[500..<520], .v1, slow: true)
        let all = syncIntents + v1Intents + twinIntents + slowIntents
        let sync = try await Campaign.SyncSide.prepare(sandbox, billIds: Array(ids[0..<250]))
        let v1 = try await Campaign.V1Side.prepare(sandbox, billIds: Array(ids[250..<520]))
        func payer(_ journal: PaymentJournal, delivery: DeliveryPolicy = testDelivery) -> Campaign.Payer {
            let (paySync, payV1) = (sync.payer(journal: journal), v1.payer(journal: journal, delivery: delivery))
            return { $0.api == .sync ? await paySync($0) : await payV1($0) }
        }

        // Faults on the payment requests of both APIs; 429 bursts on anything.
        for (fault, probability) in [(Fault.dropAfterProcessing, 0.07), (.truncateAfterProcessing, 0.05), (.dropBeforeProcessing, 0.05),
                                     (.status(500), 0.04), (.statusAfterProcessing(502), 0.04)] {
            sandbox.inject(fault, on: .operation("create-bill-payment"), probability: probability)
        }
        sandbox.inject(.status(429, retryAfter: 0), on: .any, probability: 0.02)

        // Pass 1, process A: crashes (its tasks cancelled) after 40% of the intents.
        var rng = SplitMix64(seed: 7) // CodatSandbox's
        let shuffled = (syncIntents + v1Intents).shuffled(using: &rng)
        let processA = await Campaign.runCounting(shuffled, concurrency: 8, stopAfter: shuffled.count * 2 / 5, payer: payer(try .files(in: directory)))
        var firstPass = processA.outcomes
        var table = Campaign.Table()
        table.interruptedByRestart = processA.interrupted

        // Process B: a new journal over the same files resumes what A left unsettled, then pays the rest.
        let journal = try PaymentJournal.files(in: directory)
        var unsettled: [Campaign.Intent] = [], untouched: [Campaign.Intent] = []
        for intent in shuffled where !(firstPass[intent.id]?.isRecorded ?? false) {
            let status = try await journal.entry(companyId: sync.company.companyId, intentId: intent.id)?.status
            if status == .sent || status == .accepted { unsettled.append(intent) } else { untouched.append(intent) }
        }
        table.resumedAfterRestart = unsettled.count
        firstPass.merge(await Campaign.run(unsettled, concurrency: 8, payer: payer(journal))) { $1 }
        firstPass.merge(await Campaign.run(untouched, concurrency: 8, payer: payer(journal))) { $1 }

        // Another process pays the same intents at the same time (its own journal): 409, then the replay.
        let twin = payer(PaymentJournal()), main = payer(journal)
        let twinOutcomes = await withTaskGroup(of: (PaymentIntentID, Campaign.Outcome, Campaign.Outcome).self) { group in
            for intent in twinIntents {
                group.addTask {
                    async let first = main(intent)
                    async let second: Campaign.Outcome = {
                        try? await Task.sleep(for: .milliseconds(10)) // lands while the first is being processed
                        return await twin(intent)
                    }()
                    return await (intent.id, first, second)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (id, first, second) in twinOutcomes {
            firstPass[id] = first
            table.add(second.report)
            table.twinCalls += 1
        }
        table.twinConflicts409 = sandbox.recordedRequests.filter { $0.method == "POST" && $0.responseStatus == 409 }.count

        // A slow connector: pushes stay Pending 10 minutes and time out after 1 (their writes may land later).
        sandbox.setPushDelay(.seconds(600))
        var slow = testDelivery
        slow.pushTimeoutInMinutes = 1
        firstPass.merge(await Campaign.run(slowIntents, concurrency: 8, payer: payer(journal, delivery: slow))) { $1 }
        sandbox.setPushDelay(.milliseconds(300))

        for outcome in firstPass.values { table.add(outcome.report) }
        func needsAnotherPass(_ outcome: Campaign.Outcome?) -> Bool { !(outcome?.isRecorded ?? false) }
        table.unknownAfterFirstPass = firstPass.values.filter { if case .unknown = $0 { return true } else { return false } }.count
        table.deferredAfterFirstPass = firstPass.values.filter { if case .deferred = $0 { return true } else { return false } }.count
        table.notRecordedAfterFirstPass = firstPass.values.filter { if case .notRecorded = $0 { return true } else { return false } }.count
        let failed = firstPass.filter { if case .failed = $0.value { return true } else { return false } }
        XCTAssertTrue(failed.isEmpty, "failed in the first pass: \(failed.prefix(5))")

        // Second pass: past the idempotency window and the TimedOut settle time, unknown intents first.
        var pending = all.filter { needsAnotherPass(firstPass[$0.id]) }
            .sorted { a, _ in if case .unknown = firstPass[a.id] { return true } else { return false } }
        var rounds = 0
        var lastOutcomes: [PaymentIntentID: Campaign.Outcome] = [:]
        while !pending.isEmpty, rounds < 4 {
            rounds += 1
            sandbox.advanceClock(by: .seconds(2 * 3600))
            table.sandboxSecondsAdvanced += 2 * 3600
            let outcomes = await Campaign.run(pending, concurrency: 8, payer: payer(journal))
            for outcome in outcomes.values { table.add(outcome.report) }
            table.resolvedBySecondPass += outcomes.values.filter(\.isRecorded).count
            pending = pending.filter { needsAnotherPass(outcomes[$0.id]) }
            lastOutcomes = outcomes
        }
        for intent in pending { table.failures.append("\(intent.id): \(String(describing: lastOutcomes[intent.id]))") }

        for rule in sandbox.faultRules { table.faultsFired["\(rule.fault)", default: 0] += rule.fired }
        sandbox.clearFaults()
        table.intents = all.count
        table.syncIntents = syncIntents.count
        table.v1Intents = all.count - syncIntents.count
        table.identicalPairs = all.count / 2
        sync.count(syncIntents, into: &table)
        v1.count(v1Intents + twinIntents + slowIntents, into: &table)
        table.sandboxSecondsAdvanced = sandbox.now.timeIntervalSince(Date())
        table.timedOutWritesLanded = sandbox.timedOutPushesThatLanded(companyId: sync.company.companyId).count
        table.elapsed = clock.now - started
        table.print()

        XCTAssertGreaterThanOrEqual(table.intents, 1000)
        XCTAssertEqual(table.recorded, table.intents, "every intent recorded")
        XCTAssertEqual(table.duplicates, 0, "no intent recorded twice")
        XCTAssertEqual(table.lost, 0, "no intent lost")
        XCTAssertEqual(table.failures, [], "every intent resolved")
        XCTAssertGreaterThan(table.resolvedByReplay, 0)
        XCTAssertGreaterThan(table.resolvedByReconciliation, 0)
        XCTAssertGreaterThan(table.provenNotRecorded, 0)
        XCTAssertGreaterThan(table.interruptedByRestart, 0, "the restart interrupted intents in flight")
        XCTAssertGreaterThan(table.unknownAfterFirstPass, 0, "some outcomes could only be known later (TimedOut)")
        XCTAssertGreaterThan(table.timedOutWritesLanded, 0, "some TimedOut writes landed later, and were found, not sent again")
    }
}
