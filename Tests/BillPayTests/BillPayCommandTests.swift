import CodatSandbox
import Foundation
import SandboxTestSupport
import XCTest

/// `billpay` run as a person would (the built binary, `BillPayBinary`): its command line, plan
/// file errors, `--json` output and exit statuses, against a sandbox over loopback. The sandbox
/// replays answers per `Idempotency-Key` and refuses bad payments as CODAT-FACTS §1 and §5 say.
final class BillPayCommandTests: XCTestCase {
    // MARK: The command line

    func testHelpListsEverySubcommandAndTheExitStatuses() throws {
        let help = try BillPayBinary.run(["--help"])
        XCTAssertEqual(help.status, 0)
        for name in ["demo", "bills", "pay", "run", "status", "resume"] {
            XCTAssertTrue(help.stdout.contains("  \(name) "), "help lacks \(name):\n\(help.stdout)")
        }
        let run = try BillPayBinary.run(["run", "--help"])
        let words = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ") // help is wrapped at 80 columns
        XCTAssertTrue(words.contains("3 some intents unknown or not sent yet: resume"), run.stdout)
    }

    func testUsageErrorsExit64WithWhatIsWrong() throws {
        let missing = try BillPayBinary.run(["run"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("Missing expected argument '<plan>'"), missing.stderr)

        let tooMany = try BillPayBinary.run(["run", "plan.csv", "--concurrency", "11"])
        XCTAssertEqual(tooMany.status, 64)
        XCTAssertTrue(tooMany.stderr.contains("--concurrency must be from 1 to 10"), tooMany.stderr)

        let commit = try BillPayBinary.run(["run", "plan.csv", "--commit"])
        XCTAssertEqual(commit.status, 64)
        XCTAssertTrue(commit.stderr.contains("--commit applies to --server"), commit.stderr)

        let both = try BillPayBinary.run(["status", "--json", "--plain"])
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.stderr.contains("--json and --plain"), both.stderr)

        let journal = try BillPayBinary.run(["status", "--journal", "postgres:///nohost"])
        XCTAssertEqual(journal.status, 64)
        XCTAssertTrue(journal.stderr.contains("is not a PostgreSQL URL"), journal.stderr)
    }

    // MARK: Plan files: every problem, located, nothing sent

    func testABadCSVPlanNamesEachProblemByFileLineAndColumnAndSendsNothing() throws {
        let folder = try temporaryFolder()
        let plan = folder.appendingPathComponent("week.csv")
        try """
            intent,bill,amount,account,date,reference
            a-1,gen-bill-00001,10.00,acc,2024-06-01,ok
            a-2,gen-bill-00003,12,5,acc,2024-06-01,x
            a-3,gen-bill-00005,-4,acc,2024-06-01,neg
            a 4,gen-bill-00007,1.234,acc,2024-02-30,bad
            a-1,gen-bill-00009,1,acc,2024-06-01,"again, ""quoted""\"

            """.write(to: plan, atomically: true, encoding: .utf8)
        let result = try BillPayBinary.run(["run", plan.path, "--journal", folder.appendingPathComponent("j.sqlite").path])
        XCTAssertEqual(result.status, 65, result.stderr)
        let path = plan.path
        for expected in [
            "\(path):3: has 7 fields, the header 6",
            "\(path):4:20: amount '-4' is not an amount",
            "\(path):5:1: intent id 'a 4' is not usable",
            "\(path):5:20: amount '1.234' is not an amount",
            "\(path):5:30: date '2024-02-30' is not a day as yyyy-MM-dd",
            "\(path):6: intent 'a-1' appears again (first at line 2)",
            "nothing was sent",
        ] {
            XCTAssertTrue(result.stderr.contains(expected), "missing \(expected):\n\(result.stderr)")
        }
        XCTAssertEqual(result.stdout, "", "nothing run")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("j.sqlite").path), "no journal written")

        let quote = folder.appendingPathComponent("quote.csv")
        try "intent,bill,amount,account,date\nq-1,b1,1,acc,2024-06-01\n\"q-2,b2,1,acc,2024-06-01\n".write(to: quote, atomically: true, encoding: .utf8)
        let unclosed = try BillPayBinary.run(["run", quote.path])
        XCTAssertEqual(unclosed.status, 65)
        XCTAssertTrue(unclosed.stderr.contains("\(quote.path):3:1: a quoted field is never closed"), unclosed.stderr)
    }

    func testDuplicateIntentsUnknownColumnsAndMissingColumnsAreRefused() throws {
        let folder = try temporaryFolder()
        let duplicate = folder.appendingPathComponent("dup.csv")
        try "intent,bill,amount,account,date\nx,b1,1,acc,2024-06-01\ny,b2,1,acc,2024-06-01\nx,b3,1,acc,2024-06-01\n"
            .write(to: duplicate, atomically: true, encoding: .utf8)
        let result = try BillPayBinary.run(["run", duplicate.path])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("\(duplicate.path):4: intent 'x' appears again (first at line 2)"), result.stderr)

        let columns = folder.appendingPathComponent("columns.csv")
        try "intent,bill,amount,acount,date\nx,b1,1,acc,2024-06-01\n".write(to: columns, atomically: true, encoding: .utf8)
        let unknown = try BillPayBinary.run(["run", columns.path])
        XCTAssertEqual(unknown.status, 65)
        XCTAssertTrue(unknown.stderr.contains("\(columns.path):1:20: unknown column 'acount'"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("\(columns.path):1: the header lacks column 'account'"), unknown.stderr)
    }

    func testABadJSONPlanIsLocatedToo() throws {
        let folder = try temporaryFolder()
        let plan = folder.appendingPathComponent("plan.json")
        try """
            [
              {"intent": "j-1", "bill": "gen-bill-00001", "amount": 10.5, "account": "acc", "date": "2024-06-01"},
              {"intent": "j-2", "bill": "gen-bill-00003", "amount": true, "account": "acc", "date": "2024-06-01"},
              {"intent": "j-3", "bill": ["gen-bill-00005", "gen-bill-00007"], "amount": "3", "account": "acc", "date": "2024-06-01", "colour": "red"},
              {"intent": "j-4", "bill": "gen-bill-00009", "account": "acc", "date": "2024-06-01", "api": "v2"}
            ]
            """.write(to: plan, atomically: true, encoding: .utf8)
        let result = try BillPayBinary.run(["run", plan.path])
        XCTAssertEqual(result.status, 65, result.stderr)
        for expected in [
            "\(plan.path):3:57: \"amount\" must be a string or a number, not a boolean",
            "\(plan.path):4:122: unknown field \"colour\"",
            "\(plan.path):5:94: api 'v2' is not one of: sync, v1",
        ] {
            XCTAssertTrue(result.stderr.contains(expected), "missing \(expected):\n\(result.stderr)")
        }

        let broken = folder.appendingPathComponent("broken.json")
        try "[\n  {\"intent\": \"k\", \"bill\": \"b\",\n   \"account\" \"acc\"}\n]\n".write(to: broken, atomically: true, encoding: .utf8)
        let syntax = try BillPayBinary.run(["run", broken.path])
        XCTAssertEqual(syntax.status, 65)
        XCTAssertTrue(syntax.stderr.contains("\(broken.path):3:14: expected ':' after the member name \"account\""), syntax.stderr)

        // A key written twice is a syntax error at its second place (the generator config's reader);
        // two names of one field (`bill`, `billId`) are a problem of the intent.
        let twice = folder.appendingPathComponent("twice.jsonl")
        try """
            {"intent": "t-1", "bill": "b", "billId": "c", "account": "acc", "date": "2024-06-01"}
            {"intent": "t-2", "bill": "b", "account": "acc", "date": "2024-06-01", "date": "2024-06-02"}
            """.write(to: twice, atomically: true, encoding: .utf8)
        let duplicate = try BillPayBinary.run(["run", twice.path])
        XCTAssertEqual(duplicate.status, 65)
        for expected in ["\(twice.path):1:32: field \"bill\" appears twice", "\(twice.path):2:72: the key 'date' is written twice in this object"] {
            XCTAssertTrue(duplicate.stderr.contains(expected), "missing \(expected):\n\(duplicate.stderr)")
        }
    }

    // MARK: Runs against a sandbox: JSON lines, exit statuses, the journal

    func testARunPaysEachIntentOnceReportsJSONLinesAndResumesToNothing() async throws {
        let sandbox = try await startSandbox(self, extraBills: 12)
        let folder = try temporaryFolder()
        let (plan, bills) = try writePlan(sandbox, folder: folder, count: 5)
        let journal = folder.appendingPathComponent("journal.sqlite").path
        let run = try BillPayBinary.run(["run", plan.path, "--journal", journal, "--json"] + server(sandbox, commit: true))
        XCTAssertEqual(run.status, 0, "every intent recorded: \(run.stderr)\n\(run.stdout)")
        let events = run.jsonLines
        XCTAssertEqual(events.count, run.stdout.split(separator: "\n").count, "every line is one JSON object:\n\(run.stdout)")
        XCTAssertEqual(events.first?["event"] as? String, "start")
        XCTAssertEqual(events.filter { $0["event"] as? String == "recorded" }.compactMap { $0["intent"] as? String }.sorted(),
                       (1...5).map { "cli-\($0)" })
        let summary = try XCTUnwrap(events.last)
        XCTAssertEqual(summary["event"] as? String, "summary")
        XCTAssertEqual(summary["recorded"] as? Int, 5)
        XCTAssertEqual(summary["unknown"] as? Int, 0)
        XCTAssertEqual(payments(sandbox, bills), bills.map { _ in 1 }, "one payment per bill")

        // Again, and resumed: nothing is sent (the journal says recorded).
        let posts = sandbox.requests("sync.create-bill-payment").count
        let again = try BillPayBinary.run(["run", plan.path, "--journal", journal, "--json"] + server(sandbox, commit: true))
        XCTAssertEqual(again.status, 0, again.stderr)
        let resume = try BillPayBinary.run(["resume", "--journal", journal, "--plain"] + server(sandbox, commit: true))
        XCTAssertEqual(resume.status, 0, resume.stderr)
        XCTAssertTrue(resume.stdout.contains("Summary"), resume.stdout)
        XCTAssertEqual(sandbox.requests("sync.create-bill-payment").count, posts, "nothing sent again")
        XCTAssertEqual(payments(sandbox, bills), bills.map { _ in 1 })

        let status = try BillPayBinary.run(["status", "--journal", journal, "--json"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertEqual(status.jsonLines.last?["recorded"] as? Int, 5)

        // Another plan under the same run id is refused, naming the way out.
        let (other, _) = try writePlan(sandbox, folder: folder, count: 2, offset: 5, name: "other.csv")
        let clash = try BillPayBinary.run(["run", other.path, "--journal", journal] + server(sandbox, commit: true))
        XCTAssertEqual(clash.status, 1)
        XCTAssertTrue(clash.stderr.contains("another plan"), clash.stderr)
    }

    func testExitStatusTwoWhenCodatRefusesAnIntentAndThreeWhenReadOnly() async throws {
        let sandbox = try await startSandbox(self, extraBills: 12)
        let folder = try temporaryFolder()
        let (plan, bills) = try writePlan(sandbox, folder: folder, count: 3)

        // Read-only: the plan is checked against the server, printed, not sent.
        let readOnly = try BillPayBinary.run(["run", plan.path, "--journal", folder.appendingPathComponent("ro.sqlite").path, "--json"] + server(sandbox, commit: false))
        XCTAssertEqual(readOnly.status, 3, readOnly.stderr)
        XCTAssertEqual(readOnly.jsonLines.filter { $0["event"] as? String == "not-sent" }.count, 3, readOnly.stdout)
        XCTAssertTrue(sandbox.recordedRequests.allSatisfy { $0.method == "GET" }, "only reads")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("ro.sqlite").path), "no journal written when read-only")

        // Codat refuses one payment (a 400, CODAT-FACTS §5): settled, not recorded.
        sandbox.inject(.status(400), on: .operation("sync.create-bill-payment"), times: 1)
        let refused = try BillPayBinary.run(["run", plan.path, "--journal", folder.appendingPathComponent("j.sqlite").path, "--json", "--concurrency", "1"]
                                            + server(sandbox, commit: true))
        XCTAssertEqual(refused.status, 2, "settled, one refused: \(refused.stderr)\n\(refused.stdout)")
        XCTAssertEqual(refused.jsonLines.filter { $0["event"] as? String == "refused" }.count, 1)
        XCTAssertEqual(payments(sandbox, bills).reduce(0, +), 2)
        let status = try BillPayBinary.run(["status", "--journal", folder.appendingPathComponent("j.sqlite").path])
        XCTAssertEqual(status.status, 2, status.stdout)
        XCTAssertTrue(status.stdout.contains("refused"), status.stdout)
    }

    /// `status` and `resume` without `--run-id` take the journal's only run; with several they
    /// refuse to guess (exit 64) and list the runs; with none they say so.
    func testStatusAndResumePickTheOnlyRunAndListTheRunsWhenThereAreSeveral() async throws {
        let sandbox = try await startSandbox(self, extraBills: 12)
        let folder = try temporaryFolder()
        let journal = folder.appendingPathComponent("j.sqlite").path
        let (first, _) = try writePlan(sandbox, folder: folder, count: 2)
        let run = try BillPayBinary.run(["run", first.path, "--run-id", "week-23", "--journal", journal, "--plain"] + server(sandbox, commit: true))
        XCTAssertEqual(run.status, 0, run.stderr + run.stdout)

        let only = try BillPayBinary.run(["status", "--journal", journal, "--json"])
        XCTAssertEqual(only.status, 0, only.stderr)
        XCTAssertEqual(only.jsonLines.first?["run"] as? String, "week-23", only.stdout)
        let resumed = try BillPayBinary.run(["resume", "--journal", journal, "--json"] + server(sandbox, commit: true))
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(resumed.jsonLines.first?["run"] as? String, "week-23", resumed.stdout)

        let (second, _) = try writePlan(sandbox, folder: folder, count: 2, offset: 2, name: "second.csv")
        let other = try BillPayBinary.run(["run", second.path, "--run-id", "week-24", "--journal", journal, "--plain"] + server(sandbox, commit: true))
        XCTAssertEqual(other.status, 0, other.stderr + other.stdout)
        let posts = sandbox.requests("sync.create-bill-payment").count
        for command in [["status", "--journal", journal], ["resume", "--journal", journal] + (try server(sandbox, commit: true))] {
            let ambiguous = try BillPayBinary.run(command)
            XCTAssertEqual(ambiguous.status, 64, "\(command[0]): \(ambiguous.stderr)")
            XCTAssertTrue(ambiguous.stderr.contains("holds 2 runs; choose one with --run-id"), ambiguous.stderr)
            XCTAssertTrue(ambiguous.stderr.contains("  week-23  (sync, company "), ambiguous.stderr)
            XCTAssertTrue(ambiguous.stderr.contains("  week-24  (sync, company ") && ambiguous.stderr.contains("2 intents"), ambiguous.stderr)
            XCTAssertEqual(ambiguous.stdout, "")
        }
        XCTAssertEqual(sandbox.requests("sync.create-bill-payment").count, posts, "nothing sent")
        let chosen = try BillPayBinary.run(["status", "--journal", journal, "--run-id", "week-24", "--json"])
        XCTAssertEqual(chosen.status, 0, chosen.stderr)
        XCTAssertEqual(chosen.jsonLines.first?["run"] as? String, "week-24")

        let empty = try BillPayBinary.run(["status", "--journal", folder.appendingPathComponent("empty.sqlite").path])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("holds no run"), empty.stderr)
    }

    func testPayingOneBillTwiceWithTheSameArgumentsPaysOnce() async throws {
        let sandbox = try await startSandbox(self, extraBills: 4)
        let folder = try temporaryFolder()
        let account = try gbpAccount(sandbox)
        let journal = folder.appendingPathComponent("pay.sqlite").path
        let arguments = try ["pay", "--bill", "gen-bill-00001", "--amount", "12.34", "--account", account, "--date", "2024-06-01", "--journal", journal, "--plain"]
            + server(sandbox, commit: true)
        let first = try BillPayBinary.run(arguments)
        XCTAssertEqual(first.status, 0, first.stderr + first.stdout)
        let second = try BillPayBinary.run(arguments)
        XCTAssertEqual(second.status, 0, second.stderr + second.stdout)
        XCTAssertEqual(payments(sandbox, ["gen-bill-00001"]), [1], "the same pay command pays once")
        let company = try connection(sandbox, .xero)
        XCTAssertEqual(sandbox.billPayments(companyId: company.companyId, api: .sync).first?["amount"]?.decimal, Decimal(string: "12.34"))
    }

    func testTheInProcessSandboxRunsAPlanWithoutAServer() async throws {
        let sandbox = try await startSandbox(self, extraBills: 6) // for the seed's ids only: the binary starts its own
        let folder = try temporaryFolder()
        let (plan, _) = try writePlan(sandbox, folder: folder, count: 3)
        let result = try BillPayBinary.run(["run", plan.path, "--sandbox-bills", "6", "--journal", folder.appendingPathComponent("j.sqlite").path, "--plain"])
        XCTAssertEqual(result.status, 0, result.stderr + result.stdout)
        XCTAssertTrue(result.stdout.contains("in-process sandbox"), result.stdout)
        XCTAssertEqual(result.stdout.components(separatedBy: "\nrecorded cli-").count - 1, 3, result.stdout)
    }

    // MARK: Helpers

    func server(_ sandbox: CodatSandbox, commit: Bool) throws -> [String] {
        ["--server", sandbox.baseURL.absoluteString, "--api-key", sandboxAPIKey, "--company", try connection(sandbox, .xero).companyId]
            + (commit ? ["--commit"] : [])
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("billpay-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// The Xero company's active GBP bank account (the generated bills with odd numbers are GBP).
    func gbpAccount(_ sandbox: CodatSandbox) throws -> String {
        let company = try connection(sandbox, .xero)
        let account = sandbox.records(.accounts, companyId: company.companyId).first {
            $0["isBankAccount"]?.bool == true && $0["currency"]?.string == "GBP" && ($0["status"]?.string ?? "Active") == "Active"
        }
        return try XCTUnwrap(account?["id"]?.string, "no GBP bank account")
    }

    /// A plan paying 10.00 of `count` GBP generated bills, intents `cli-1`...
    func writePlan(_ sandbox: CodatSandbox, folder: URL, count: Int, offset: Int = 0, name: String = "plan.csv") throws -> (URL, [String]) {
        let account = try gbpAccount(sandbox)
        let bills = (offset..<offset + count).map { String(format: "gen-bill-%05d", 2 * $0 + 1) }
        let rows = bills.enumerated().map { "cli-\(offset + $0 + 1),\($1),10.00,\(account),2024-06-01,cli" }
        let url = folder.appendingPathComponent(name)
        try (["intent,bill,amount,account,date,reference"] + rows).joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        return (url, bills)
    }

    /// Payments recorded per bill (the sandbox's ground truth).
    func payments(_ sandbox: CodatSandbox, _ bills: [String]) -> [Int] {
        guard let company = try? connection(sandbox, .xero) else { return [] }
        let recorded = sandbox.billPayments(companyId: company.companyId, api: .sync)
        return bills.map { bill in recorded.filter { $0["billId"]?.string == bill }.count }
    }
}
