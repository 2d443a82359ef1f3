/// A VDA 5050 timestamp: an instant in UTC with millisecond resolution.
///
/// Encoded as ISO 8601 `YYYY-MM-DDTHH:mm:ss.fffZ`. Decoding accepts any number of fractional digits
/// (or none) and a `Z` or `±hh:mm` offset, as 2.0 and 2.1 robots send them.
public struct VDA5050Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSince1970: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Creates a timestamp from seconds since the Unix epoch, rounded to the millisecond.
    public init(secondsSince1970: Double) {
        self.millisecondsSince1970 = Int64((secondsSince1970 * 1000).rounded())
    }

    /// Parses an ISO 8601 date-time; returns nil when the text is not one.
    public init?(iso8601 text: String) {
        var text = text
        guard let ms = text.withUTF8({ Self.parse($0) }) else { return nil }
        self.millisecondsSince1970 = ms
    }

    /// Parses an ISO 8601 date-time from UTF-8 bytes; returns milliseconds since the epoch, or nil.
    public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        // YYYY-MM-DDTHH:mm:ss[.f+](Z|±hh:mm)
        let n = b.count
        guard n >= 20, let q = b.baseAddress else { return nil }
        // Reads through the pointer: every index below is checked against `n` first.
        @inline(__always) func digit(_ at: Int) -> Int { Int(q[at] &- 48) }
        @inline(__always) func isDigits(_ at: Int, _ count: Int) -> Bool {
            for k in at..<(at + count) where q[k] &- 48 > 9 { return false }
            return true
        }
        guard isDigits(0, 4), q[4] == 45, isDigits(5, 2), q[7] == 45, isDigits(8, 2),
            q[10] == 84 || q[10] == 116 || q[10] == 32, isDigits(11, 2), q[13] == 58, isDigits(14, 2), q[16] == 58,
            isDigits(17, 2)
        else { return nil }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        let month = digit(5) * 10 + digit(6)
        let day = digit(8) * 10 + digit(9)
        let hour = digit(11) * 10 + digit(12)
        let minute = digit(14) * 10 + digit(15)
        let second = digit(17) * 10 + digit(18)
        guard month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second <= 60
        else { return nil }
        var i = 19
        var millis = 0
        if q[i] == 46 {
            i += 1
            var scale = 100
            let start = i
            while i < n, q[i] &- 48 <= 9 {
                millis += digit(i) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < n else { return nil }
        var offsetMinutes = 0
        switch q[i] {
        case 90, 122:  // Z, z
            i += 1
        case 43, 45:  // +, -
            guard i + 6 <= n, isDigits(i + 1, 2), q[i + 3] == 58, isDigits(i + 4, 2) else { return nil }
            let oh = digit(i + 1) * 10 + digit(i + 2)
            let om = digit(i + 4) * 10 + digit(i + 5)
            offsetMinutes = (oh * 60 + om) * (q[i] == 45 ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == n else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return seconds * 1000 + Int64(millis)
    }

    /// The ISO 8601 text with milliseconds in UTC, e.g. `2026-11-29T14:03:07.120Z`.
    public var iso8601: String {
        let totalMs = millisecondsSince1970
        let seconds = totalMs >= 0 ? totalMs / 1000 : (totalMs - 999) / 1000
        let ms = Int(totalMs - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secOfDay = Int(seconds - days * 86_400)
        let (y, m, d) = Self.civilFromDays(Int(days))
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secOfDay / 3600, 2)):\(pad(secOfDay / 60 % 60, 2)):"
            + "\(pad(secOfDay % 60, 2)).\(pad(ms, 3))Z"
    }

    /// The ISO 8601 text, as `iso8601`.
    public var description: String { iso8601 }

    /// Orders timestamps by instant.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.millisecondsSince1970 < rhs.millisecondsSince1970 }

    /// Decodes an ISO 8601 string; a string that is not one is a data-corrupted error naming the text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not an ISO 8601 date-time such as 2026-11-29T14:03:07.120Z")
        }
        self = value
    }

    /// Encodes as `YYYY-MM-DDTHH:mm:ss.fffZ`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian arithmetic.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
