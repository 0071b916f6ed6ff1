import Foundation

/// A date or date-time as Codat writes it, kept as the original text.
///
/// Decoding never fails on a string: `2021-11-15T06:00:00Z`, `2021-11-15T01:00:00`
/// (no zone), `2021-11-15T01:00:00-05:00`, fractional seconds and `2021-11-15` all decode,
/// and encoding writes the original text back unchanged. `date(assuming:)` gives the
/// instant, using the given time zone for the forms that carry none.
public struct DateTime: Codable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The text exactly as received (or as given).
    public let text: String

    public init(_ text: String) { self.text = text }
    public init(stringLiteral value: String) { self.text = value }

    /// Formats an instant as `yyyy-MM-ddTHH:mm:ssZ` (UTC).
    public init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        text = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    public init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var description: String { text }

    /// Whether the text carries a zone (`Z` or `±hh:mm`).
    public var hasTimeZone: Bool { parts?.offsetSeconds != nil }

    /// Whether the text is a date with no time.
    public var isDateOnly: Bool { parts.map { !$0.hasTime } ?? false }

    /// The instant the text names; `timeZone` is used when the text has no zone. Nil when the text is not a date.
    public func date(assuming timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        guard let p = parts else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = p.offsetSeconds.flatMap { TimeZone(secondsFromGMT: $0) } ?? timeZone
        var components = DateComponents(year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second)
        components.nanosecond = p.nanosecond
        guard let date = calendar.date(from: components) else { return nil }
        // Reject out-of-range fields (e.g. month 13) instead of letting Calendar roll them over.
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == p.year, back.month == p.month, back.day == p.day, back.hour == p.hour, back.minute == p.minute, back.second == p.second else { return nil }
        return date
    }

    private struct Parts {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, nanosecond = 0
        var hasTime = false
        var offsetSeconds: Int?
    }

    /// `yyyy-MM-dd[( |T)HH:mm[:ss[.fff…]]][Z|±hh[:]mm]`
    private var parts: Parts? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect(45), let mo = digits(2), expect(45), let d = digits(2) else { return nil }
        var p = Parts(year: y, month: mo, day: d)
        if i == b.count { return p }
        guard b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil } // T, t or space
        i += 1
        guard let h = digits(2), expect(58), let mi = digits(2) else { return nil }
        p.hasTime = true
        p.hour = h
        p.minute = mi
        if expect(58) {
            guard let s = digits(2) else { return nil }
            p.second = s
            if expect(46) {
                var scale = 100_000_000, nanos = 0, count = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    nanos += Int(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                    count += 1
                }
                guard count > 0 else { return nil }
                p.nanosecond = nanos
            }
        }
        if i == b.count { return p }
        if b[i] == 90 || b[i] == 122 { // Z
            i += 1
            p.offsetSeconds = 0
        } else if b[i] == 43 || b[i] == 45 { // + or -
            let sign = b[i] == 45 ? -1 : 1
            i += 1
            guard let oh = digits(2) else { return nil }
            _ = expect(58)
            let om = digits(2) ?? 0
            p.offsetSeconds = sign * (oh * 3600 + om * 60)
        }
        return i == b.count ? p : nil
    }
}
