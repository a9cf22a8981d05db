/// A calendar day, counted from 1970-01-01. ardesk reasons in days, never in instants or time zones:
/// "today" is always handed in from outside, so any view can be computed as of any day.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let ordinal: Int32

    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// Nil when the date does not exist (2026-02-30) or is outside years 1..9999.
    public init?(year: Int, month: Int, day: Int) {
        if year >= Day.tabledYears.lowerBound, year < Day.tabledYears.upperBound, (1...12).contains(month), day >= 1 {
            let index = (year - Day.tabledYears.lowerBound) * 12 + month - 1
            let first = Day.monthStarts[index]
            guard day <= Int(Day.monthStarts[index + 1] - first) else { return nil }
            ordinal = first + Int32(day - 1)
            return
        }
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Day.daysIn(month: month, year: year) else { return nil }
        ordinal = Int32(Day.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD` exactly. Reads bytes, not characters: replaying a book parses millions.
    public init?(iso text: String) {
        var text = text
        guard let day = text.withUTF8(Day.parse) else { return nil }
        self = day
    }

    /// From the bytes of `YYYY-MM-DD` (a reader that holds the bytes need not make a string).
    public init?(isoBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let day = Day.parse(bytes) else { return nil }
        self = day
    }

    public init?(iso text: Substring) {
        self.init(iso: String(text))
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = bytes[index] &- 48
                guard digit <= 9 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + Int32(days)) }

    /// The last day a date can be written as (YYYY-MM-DD); one computed past it cannot be saved.
    public static let last = Day(year: 9999, month: 12, day: 31)!

    /// Whole days from `other` to `self` (positive when self is later).
    public func days(since other: Day) -> Int { Int(ordinal - other.ordinal) }

    public var components: (year: Int, month: Int, day: Int) { Day.civil(fromDays: Int(ordinal)) }

    /// ISO weekday: 1 = Monday ... 7 = Sunday. 1970-01-01 was a Thursday.
    public var weekday: Int { Int(((ordinal % 7) + 7 + 3) % 7) + 1 }

    public var iso: String {
        let (y, m, d) = components
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public var description: String { iso }

    /// Adds calendar months, clamping the day to the month's length (Jan 31 + 1 month = Feb 28/29).
    public func adding(months: Int) -> Day {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let year = total / 12, month = total % 12 + 1
        return Day(year: year, month: month, day: min(d, Day.daysIn(month: month, year: year)))!
    }

    public var firstOfMonth: Day { let c = components; return Day(year: c.year, month: c.month, day: 1)! }
    public var lastOfMonth: Day {
        let c = components
        return Day(year: c.year, month: c.month, day: Day.daysIn(month: c.month, year: c.year))!
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Years whose months' first days are looked up rather than worked out: a replay makes a
    /// day from a date several times for every event.
    static let tabledYears = 1900..<2200
    /// The ordinal of the first day of each month of `tabledYears`, and of the month after them.
    static let monthStarts: [Int32] = (0...(tabledYears.count * 12)).map { index in
        Int32(daysFromCivil(year: tabledYears.lowerBound + index / 12, month: index % 12 + 1, day: 1))
    }

    // Howard Hinnant's civil calendar algorithms: exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
