import Foundation

/// What the demo prints: sections, numbered steps, indented lines and small tables, so that a
/// person can follow the flow. Nothing here ever sees the API key.
final class Output: @unchecked Sendable {
    private var step = 0

    func title(_ text: String) {
        emit("")
        emit(text)
        emit(String(repeating: "=", count: text.count))
    }

    func section(_ text: String) {
        step = 0
        emit("")
        emit("== \(text) ==")
    }

    func step(_ text: String) {
        step += 1
        emit("")
        emit("\(step). \(text)")
    }

    func line(_ text: String) {
        for part in text.split(separator: "\n", omittingEmptySubsequences: false) {
            emit("   \(part)")
        }
    }

    /// Columns padded to their widest cell; amounts (`-12.50`) right-aligned.
    func table(_ rows: [[String]]) {
        guard let columns = rows.map(\.count).max() else { return }
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { index, cell -> String in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return Self.isAmount(cell) ? pad + cell : cell + pad
            }
            line(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }

    static func isAmount(_ cell: String) -> Bool {
        let digits = cell.hasPrefix("-") ? cell.dropFirst() : Substring(cell)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    /// A payload the demo would send, as JSON (keys sorted).
    func payload(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) {
            line(String(decoding: data, as: UTF8.self))
        }
    }

    /// Written at once (not buffered), so that the lines and any error interleave as they happen.
    private func emit(_ text: String) {
        Self.raw(text)
    }

    /// One line as is (no indent), for machine-read output.
    static func raw(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

/// `GBP 135.85`: the amount to the cent, exactly (no binary floating point).
func money(_ amount: Decimal?, _ currency: String? = nil) -> String {
    guard var amount else { return "?" }
    var rounded = Decimal()
    NSDecimalRound(&rounded, &amount, 2, .plain)
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        text += String(repeating: "0", count: max(0, 2 - decimals))
    } else {
        text += ".00"
    }
    return currency.map { "\($0) \(text)" } ?? text
}

/// An amount to the cent, rounded half up.
func cents(_ amount: Decimal) -> Decimal {
    var amount = amount
    var rounded = Decimal()
    NSDecimalRound(&rounded, &amount, 2, .plain)
    return rounded
}

/// Seconds with one decimal.
func seconds(_ duration: Duration) -> String {
    String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
}

/// Today and a later day as `yyyy-MM-dd`.
func day(offset days: Int = 0) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let date = calendar.date(byAdding: .day, value: days, to: Date())!
    let c = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
}

/// The first characters of an id, for tables.
func short(_ id: String?) -> String {
    guard let id else { return "-" }
    return id.count > 13 ? String(id.prefix(8)) + "…" : id
}
