import BillPay
import Foundation

/// A payment run's plan: one intent a row, from a CSV or JSON file. Every row is checked before
/// anything is sent; each problem is reported as `file:line:column: what`, all of them at once.
///
/// Fields (CSV header names or JSON member names; `intent_id`, `billId` ... are accepted too):
///
/// | field | required | value |
/// |---|---|---|
/// | `intent` | yes | the intent's id: 1 to 100 ASCII letters, digits, `.`, `_`, `-`; unique in the plan |
/// | `bill` | yes | the bill id; `api` v1 takes several of one supplier (CSV: `id1;id2`, JSON: an array) |
/// | `amount` | yes, may be empty | the amount paid of each bill, in the bill's currency, at most 2 decimals (CSV: `10.00;5.50`); empty: each bill's amount due |
/// | `account` | yes | the payment account id (a payment mapping option; v1: a bank account) |
/// | `date` | yes | the payment date, `yyyy-MM-dd` |
/// | `reference` | no | the payment's reference |
/// | `api` | no | `sync` (default: `POST .../bills/{billId}/payment`) or `v1` (a push); one API a plan |
/// | `creditNote` | no | v1: credit notes allocated to the bill, `id` or `id:amount` (CSV: `;` between them) |
/// | `batch` | no | v1: `true` for a batch payment across suppliers |
struct Plan {
    var path: String
    var intents: [PlanIntent]

    /// Reads and checks a plan; throws `PlanFileError` with every problem found.
    static func read(path: String) throws -> Plan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PlanFileError(problems: [.init(path: path, line: nil, column: nil, message: "cannot be read: \(error.localizedDescription)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PlanFileError(problems: [.init(path: path, line: nil, column: nil, message: "is not UTF-8 text")])
        }
        return try parse(text, path: path)
    }

    /// `csv`: the text is CSV whatever the path says.
    static func parse(_ text: String, path: String, csv: Bool = false) throws -> Plan {
        var reader = PlanReader(path: path)
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let lower = path.lowercased()
        let firstCharacter = body.first { !$0.isWhitespace }
        if !csv, lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
            || (!lower.hasSuffix(".csv") && (firstCharacter == "[" || firstCharacter == "{")) {
            reader.readJSON(body)
        } else {
            reader.readCSV(body)
        }
        reader.checkUnique()
        if reader.problems.isEmpty, reader.intents.isEmpty {
            reader.problems.append(.init(path: path, line: nil, column: nil, message: "holds no intent"))
        }
        guard reader.problems.isEmpty else { throw PlanFileError(problems: reader.problems) }
        return Plan(path: path, intents: reader.intents)
    }
}

/// One row of a plan, checked.
struct PlanIntent: Sendable {
    enum API: String, Sendable, Hashable, CaseIterable { case sync, v1 }

    var intentId: PaymentIntentID
    var api: API
    /// One bill (sync), or several of one supplier (v1).
    var billIds: [String]
    /// The amount paid of each bill, in order.
    /// Empty: each bill's amount due.
    var amounts: [Decimal]
    var accountId: String
    /// `yyyy-MM-dd`.
    var date: String
    var reference: String?
    /// (v1) Credit notes allocated, with the credit used (nil: all that is left).
    var creditNotes: [(id: String, amount: Decimal?)] = []
    var batch = false
    /// Where the row is: `plan.csv:12`.
    var line: Int

    /// The run's form of the intent (amounts nil: each bill's amount due).
    var runIntent: PaymentRunIntent {
        PaymentRunIntent(id: intentId, bills: billIds.enumerated().map { PaymentRunIntent.BillShare(billId: $1, amount: amounts.isEmpty ? nil : amounts[$0]) },
                         creditNotes: creditNotes.map { PaymentRunIntent.CreditNoteShare(creditNoteId: $0.id, amount: $0.amount) },
                         accountId: accountId, date: date, reference: reference, batch: batch)
    }
}

/// Every problem of a plan file; nothing was sent.
struct PlanFileError: Error, CustomStringConvertible {
    struct Problem: Hashable, CustomStringConvertible {
        var path: String
        var line: Int?
        var column: Int?
        var message: String
        var description: String {
            [path, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":") + ": " + message
        }
    }

    var problems: [Problem]

    var description: String {
        let shown = problems.prefix(50).map(\.description)
        let more = problems.count > 50 ? ["... and \(problems.count - 50) more problems"] : []
        return "the plan has \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was sent:\n" + (shown + more).joined(separator: "\n")
    }
}

/// Turns rows of fields (with their places) into intents, collecting problems.
private struct PlanReader {
    let path: String
    var intents: [PlanIntent] = []
    var problems: [PlanFileError.Problem] = []

    enum Field: String, CaseIterable {
        case intent, bill, amount, account, date, reference, api, creditNote = "creditnote", batch

        static let required: [Field] = [.intent, .bill, .account, .date]

        /// `intent_id`, `billId`, `Bill IDs`, `amounts` ... name the same fields.
        init?(name: String) {
            var key = name.lowercased().filter { $0.isLetter || $0.isNumber }
            for suffix in ["ids", "id", "s"] where key.hasSuffix(suffix) && Field(rawValue: String(key.dropLast(suffix.count))) != nil {
                key = String(key.dropLast(suffix.count))
                break
            }
            self.init(rawValue: key)
        }
    }

    /// A field's value as written: text (CSV, JSON string or number) or a list (JSON array).
    struct Value {
        var texts: [String]
        var isList: Bool
        var line: Int
        var column: Int
    }

    init(path: String) { self.path = path }

    mutating func problem(_ line: Int?, _ column: Int?, _ message: String) {
        problems.append(.init(path: path, line: line, column: column, message: message))
    }

    // MARK: CSV (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks)

    mutating func readCSV(_ text: String) {
        let records: [[(text: String, line: Int, column: Int)]]
        do {
            records = try Self.csvRecords(text)
        } catch {
            return problem(error.line, error.column, error.message)
        }
        guard let header = records.first else { return problem(1, nil, "is empty: expected a header line (\(Field.required.map(\.rawValue).joined(separator: ",")), ...)") }
        var columns: [Field?] = []
        for cell in header {
            let name = cell.text.trimmingCharacters(in: .whitespaces)
            guard let field = Field(name: name) else {
                problem(cell.line, cell.column, "unknown column '\(name)' (known: \(Field.allCases.map(\.rawValue).joined(separator: ", ")))")
                columns.append(nil)
                continue
            }
            if columns.contains(field) { problem(cell.line, cell.column, "column '\(field.rawValue)' appears twice") }
            columns.append(field)
        }
        let missing = Field.required.filter { !columns.contains($0) }
        if !missing.isEmpty {
            problem(header.first?.line ?? 1, nil, "the header lacks column\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0.rawValue)'" }.joined(separator: ", "))")
        }
        guard problems.isEmpty else { return }
        for record in records.dropFirst() {
            // A blank line is no row.
            if record.count == 1, record[0].text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let line = record[0].line
            if record.count != columns.count {
                problem(line, nil, "has \(record.count) field\(record.count == 1 ? "" : "s"), the header \(columns.count)")
                continue
            }
            var values: [Field: Value] = [:]
            for (cell, field) in zip(record, columns) {
                guard let field else { continue }
                let text = cell.text.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                let list = field == .bill || field == .amount || field == .creditNote
                let parts = list ? text.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } : [text]
                values[field] = Value(texts: parts, isList: parts.count > 1, line: cell.line, column: cell.column)
            }
            intent(values, line: line)
        }
    }

    /// Where a CSV text cannot be read as CSV.
    struct CSVSyntaxError: Error {
        let line: Int
        let column: Int
        let message: String
    }

    /// The records of a CSV text, each field with the line and column it starts at.
    static func csvRecords(_ text: String) throws(CSVSyntaxError) -> [[(text: String, line: Int, column: Int)]] {
        var records: [[(text: String, line: Int, column: Int)]] = []
        var record: [(text: String, line: Int, column: Int)] = []
        var field = ""
        var line = 1, column = 1
        var fieldLine = 1, fieldColumn = 1
        var quoted = false, wasQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return scalars.next()
        }
        func endField() {
            record.append((field, fieldLine, fieldColumn))
            field = ""
            wasQuoted = false
            fieldLine = line
            fieldColumn = column
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    column += 1
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\""); column += 1; continue }
                        pending = following
                    }
                    quoted = false
                    continue
                }
                field.unicodeScalars.append(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
                continue
            }
            switch scalar {
            case ",":
                column += 1
                endField()
            case "\r":
                column += 1
            case "\n":
                line += 1
                column = 1
                endField()
                records.append(record)
                record = []
            case "\"" where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
                column += 1
            case "\"":
                throw CSVSyntaxError(line: line, column: column, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
            default:
                if wasQuoted {
                    throw CSVSyntaxError(line: line, column: column, message: "text after a closing quote (a field is either quoted or not)")
                }
                field.unicodeScalars.append(scalar)
                column += 1
            }
        }
        if quoted { throw CSVSyntaxError(line: fieldLine, column: fieldColumn, message: "a quoted field is never closed") }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }

    // MARK: JSON (an array of objects, `{"intents": [...]}`, or JSON Lines: one object a line)

    mutating func problem(at position: LocatedJSON.Position, _ message: String) {
        problem(position.line, position.column, message)
    }

    mutating func readJSON(_ text: String) {
        // JSON Lines: by its extension, or an object on the first line that parses alone.
        let lower = path.lowercased()
        let firstLine = text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        let looksLikeLines = lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
            || (firstLine?.trimmingCharacters(in: .whitespaces).first == "{" && (try? LocatedJSON(data: Data(firstLine!.utf8))) != nil
                && (try? LocatedJSON(data: Data(text.utf8))) == nil)
        if looksLikeLines {
            for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard !line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
                do {
                    let json = try LocatedJSON(data: Data(line.utf8), firstLine: offset + 1)
                    row(json.root, at: "", in: json)
                } catch {
                    problem(at: error.position, error.message)
                }
            }
            return
        }
        let document: LocatedJSON
        do {
            document = try LocatedJSON(data: Data(text.utf8))
        } catch {
            return problem(at: error.position, error.message)
        }
        switch document.root {
        case let .array(rows):
            for (index, value) in rows.enumerated() { row(value, at: "/\(index)", in: document) }
        case let .object(members):
            guard let intents = members.first(where: { $0.key == "intents" }) else {
                return problem(at: document.valuePosition(of: ""), "expected an array of intents, or an object with \"intents\": [...]")
            }
            guard case let .array(rows) = intents.value else {
                return problem(at: document.valuePosition(of: "/intents"), "\"intents\" must be an array, not \(intents.value.kindName)")
            }
            for (index, value) in rows.enumerated() { row(value, at: "/intents/\(index)", in: document) }
        default:
            problem(at: document.valuePosition(of: ""), "expected an array of intents, not \(document.root.kindName)")
        }
    }

    /// One intent: `json`, the value at `pointer` of `file`.
    mutating func row(_ json: LocatedJSON.Value, at pointer: String, in file: LocatedJSON) {
        let start = file.valuePosition(of: pointer)
        guard case let .object(members) = json else {
            return problem(at: start, "an intent must be an object, not \(json.kindName)")
        }
        var values: [Field: Value] = [:]
        var bad = false
        for member in members {
            let memberPointer = pointer + "/" + LocatedJSON.escape(member.key)
            guard let field = Field(name: member.key) else {
                problem(at: file.position(of: memberPointer), "unknown field \"\(member.key)\" (known: \(Field.allCases.map(\.rawValue).joined(separator: ", ")))")
                bad = true
                continue
            }
            // `bill` and `billId` name the same field (a key written twice is a syntax error).
            if values[field] != nil {
                problem(at: file.position(of: memberPointer), "field \"\(field.rawValue)\" appears twice")
                bad = true
            }
            func scalar(_ value: LocatedJSON.Value) -> String? {
                switch value {
                case let .string(text): return text
                case let .number(text): return text
                default: return nil
                }
            }
            let at = file.valuePosition(of: memberPointer)
            switch member.value {
            case .null:
                continue
            case let .bool(flag) where field == .batch:
                values[field] = Value(texts: [flag ? "true" : "false"], isList: false, line: at.line, column: at.column)
            case let .array(elements) where field == .bill || field == .amount || field == .creditNote:
                let texts = elements.compactMap(scalar)
                guard texts.count == elements.count else {
                    problem(at: at, "\"\(field.rawValue)\" must list strings or numbers")
                    bad = true
                    continue
                }
                values[field] = Value(texts: texts, isList: true, line: at.line, column: at.column)
            default:
                guard let text = scalar(member.value) else {
                    problem(at: at, "\"\(field.rawValue)\" must be a string\(field == .amount ? " or a number" : ""), not \(member.value.kindName)")
                    bad = true
                    continue
                }
                values[field] = Value(texts: [text], isList: false, line: at.line, column: at.column)
            }
        }
        if bad { return }
        intent(values, line: start.line, column: start.column)
    }

    // MARK: Checking one row

    mutating func intent(_ values: [Field: Value], line: Int, column: Int? = nil) {
        let before = problems.count
        let missing = Field.required.filter { values[$0] == nil }
        if !missing.isEmpty {
            problem(line, column, "the intent lacks \(missing.map { "'\($0.rawValue)'" }.joined(separator: ", "))")
            return
        }
        let id = values[.intent]!
        let intentId = PaymentIntentID(id.texts[0])
        if !Self.isUsableIntentId(intentId.rawValue) {
            problem(id.line, id.column, "intent id '\(intentId.rawValue)' is not usable: 1 to 100 ASCII letters, digits, '.', '_' or '-'")
        }
        var api = PlanIntent.API.sync
        if let value = values[.api] {
            if let parsed = PlanIntent.API(rawValue: value.texts[0].lowercased()) { api = parsed } else {
                problem(value.line, value.column, "api '\(value.texts[0])' is not one of: sync, v1")
            }
        }
        let bills = values[.bill]!
        if bills.texts.contains(where: \.isEmpty) { problem(bills.line, bills.column, "a bill id is empty") }
        if api == .sync, bills.texts.count != 1 {
            problem(bills.line, bills.column, "the synchronous API pays one bill an intent (\(bills.texts.count) given); several bills of one supplier need api v1")
        }
        if Set(bills.texts).count != bills.texts.count { problem(bills.line, bills.column, "a bill appears twice in one intent") }
        var amounts: [Decimal] = []
        if let amountValue = values[.amount] {
            for text in amountValue.texts {
                if let amount = Self.amount(text), amount > 0 {
                    amounts.append(amount)
                } else {
                    problem(amountValue.line, amountValue.column, "amount '\(text)' is not an amount (digits, at most 2 decimals, more than 0, e.g. 135.85)")
                }
            }
            if amounts.count == amountValue.texts.count, amounts.count != bills.texts.count {
                problem(amountValue.line, amountValue.column, "\(amounts.count) amount\(amounts.count == 1 ? "" : "s") for \(bills.texts.count) bill\(bills.texts.count == 1 ? "" : "s"): one amount a bill")
            }
        }
        var creditNotes: [(id: String, amount: Decimal?)] = []
        if let value = values[.creditNote] {
            if api == .sync { problem(value.line, value.column, "credit notes are allocated through the asynchronous API: set api to v1") }
            for text in value.texts {
                let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 {
                    guard let amount = Self.amount(parts[1]), amount > 0 else {
                        problem(value.line, value.column, "credit note amount '\(parts[1])' is not an amount (digits, at most 2 decimals, more than 0)")
                        continue
                    }
                    creditNotes.append((parts[0], amount))
                } else if let id = parts.first, !id.isEmpty {
                    creditNotes.append((id, nil))
                } else {
                    problem(value.line, value.column, "a credit note id is empty")
                }
            }
        }
        var batch = false
        if let value = values[.batch] {
            switch value.texts[0].lowercased() {
            case "true", "yes", "1": batch = true
            case "false", "no", "0", "": batch = false
            default: problem(value.line, value.column, "batch '\(value.texts[0])' is not true or false")
            }
            if batch, api == .sync { problem(value.line, value.column, "batch payments go through the asynchronous API: set api to v1") }
        }
        let date = values[.date]!
        if !Self.isDay(date.texts[0]) { problem(date.line, date.column, "date '\(date.texts[0])' is not a day as yyyy-MM-dd") }
        let account = values[.account]!
        guard problems.count == before else { return }
        if let first = intents.first, first.api != api {
            problem(values[.api]?.line ?? line, values[.api]?.column, "api \(api.rawValue), but the plan's first intent (line \(first.line)) is \(first.api.rawValue): a plan is paid through one API")
            return
        }
        intents.append(PlanIntent(intentId: intentId, api: api, billIds: bills.texts, amounts: amounts, accountId: account.texts[0],
                                  date: date.texts[0], reference: values[.reference]?.texts[0], creditNotes: creditNotes, batch: batch,
                                  line: line))
    }

    /// Two rows with one intent id would be one payment asked twice: refused, both places named.
    mutating func checkUnique() {
        var first: [String: Int] = [:]
        for intent in intents {
            let key = intent.intentId.rawValue
            if let earlier = first[key] {
                problem(intent.line, nil, "intent '\(intent.intentId.rawValue)' appears again (first at line \(earlier)); an intent names one payment")
            } else {
                first[key] = intent.line
            }
        }
    }

    static func isUsableIntentId(_ id: String) -> Bool {
        (1...100).contains(id.count) && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// Digits, an optional point and at most 2 decimals (`135.85`), exactly; `-3`, `1e2`, `1,5` are refused.
    static func amount(_ text: String) -> Decimal? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || (1...2).contains(parts[1].count) && parts[1].allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    static func isDay(_ text: String) -> Bool { PlanFileDay.isDay(text) }
}

/// `yyyy-MM-dd`, a day that exists.
enum PlanFileDay {
    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let days = calendar.range(of: .day, in: .month, for: first) else { return false }
        return days.contains(day)
    }
}
