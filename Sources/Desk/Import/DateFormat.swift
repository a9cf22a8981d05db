import Core

/// A date layout such as `YYYY-MM-DD` (the default), `M/D/YYYY`, `DD.MM.YYYY`, `DD-MMM-YYYY` or `YYYY年M月D日`.
/// `YYYY` four-digit year, `MM`/`DD` exactly two digits, `M`/`D` one or two digits, `MMM` a
/// month's English name (`Mar` or `March`, any case), as other systems export it.
public struct DateFormat: Sendable, CustomStringConvertible {
    enum Token: Equatable { case year, month(exact: Bool), monthName, day(exact: Bool), literal(Character) }
    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                             "october", "november", "december"]
    let tokens: [Token]
    public let description: String

    public static let iso = DateFormat(validated: "YYYY-MM-DD")

    private init(validated pattern: String) { self.init(pattern: pattern)! }

    public init?(pattern: String) {
        var tokens: [Token] = []
        var rest = Substring(pattern.uppercased())
        while let first = rest.first {
            if rest.hasPrefix("YYYY") { tokens.append(.year); rest = rest.dropFirst(4) }
            else if rest.hasPrefix("MMM") { tokens.append(.monthName); rest = rest.dropFirst(rest.hasPrefix("MMMM") ? 4 : 3) }
            else if rest.hasPrefix("MM") { tokens.append(.month(exact: true)); rest = rest.dropFirst(2) }
            else if rest.hasPrefix("DD") { tokens.append(.day(exact: true)); rest = rest.dropFirst(2) }
            else if first == "M" { tokens.append(.month(exact: false)); rest = rest.dropFirst() }
            else if first == "D" { tokens.append(.day(exact: false)); rest = rest.dropFirst() }
            // 年, 月, 日 (and 号) mark a Chinese date's parts as separators do (`YYYY年M月D日`).
            else if (first.isLetter && !"年月日号".contains(first)) || first.isNumber { return nil }
            else { tokens.append(.literal(first)); rest = rest.dropFirst() }
        }
        // Each of year, month and day exactly once (`MM-M` would refuse every row, not the format).
        let years = tokens.filter { $0 == .year }.count
        let months = tokens.filter { if case .month = $0 { true } else { $0 == .monthName } }.count
        let days = tokens.filter { if case .day = $0 { true } else { false } }.count
        guard years == 1, months == 1, days == 1 else { return nil }
        self.tokens = tokens
        self.description = pattern
    }

    /// Formats other systems write that read `text` as a day of the calendar, for a hint
    /// (`2026/3/5`: YYYY/M/D; `5/3/2026`: M/D/YYYY or D/M/YYYY, which only the file can tell).
    public static func guesses(for text: String) -> [String] {
        ["YYYY-M-D", "YYYY/M/D", "YYYY.M.D", "M/D/YYYY", "D/M/YYYY", "D.M.YYYY", "M-D-YYYY", "D-M-YYYY", "YYYYMMDD",
         "D-MMM-YYYY", "D MMM YYYY", "MMM D, YYYY", "YYYY年M月D日"]
            .filter { DateFormat(pattern: $0)?.parse(text) != nil }
    }

    /// Year first (`YYYY-MM-DD`, `YYYY/M/D`): a month past 12 is then a wrong month, not a day
    /// and a month the other way round (no system writes year, day, month).
    var startsWithYear: Bool { tokens.first == .year }

    public func parse(_ text: String) -> Day? {
        parts(text).flatMap { Day(year: $0.year, month: $0.month, day: $0.day) }
    }

    /// The year, month and day `text` writes in this format, whether or not they make a day of
    /// the calendar (2026-02-30 has the shape and no day): nil when it is not in the format.
    public func parts(_ text: String) -> (year: Int, month: Int, day: Int)? {
        var chars = Substring(text.halfWidth.trimmingCharacters(in: .whitespaces))
        var year = 0, month = 0, day = 0
        func digits(min: Int, max: Int) -> Int? {
            let run = chars.prefix(while: { $0.isASCII && $0.isNumber }).prefix(max)
            guard run.count >= min else { return nil }
            chars = chars.dropFirst(run.count)
            return Int(run)
        }
        for token in tokens {
            switch token {
            case .year: guard let v = digits(min: 4, max: 4) else { return nil }; year = v
            case .month(let exact): guard let v = digits(min: exact ? 2 : 1, max: 2) else { return nil }; month = v
            case .day(let exact): guard let v = digits(min: exact ? 2 : 1, max: 2) else { return nil }; day = v
            case .monthName:
                let word = chars.prefix(while: { $0.isASCII && $0.isLetter }).lowercased()
                // The name whole, or its first three letters (`Sept` too, as British exports write it).
                guard word.count >= 3, let index = DateFormat.monthNames.firstIndex(where: { $0 == word || ($0.hasPrefix(word) && (word.count == 3 || word == "sept")) })
                else { return nil }
                chars = chars.dropFirst(word.count)
                month = index + 1
            case .literal(let c): guard chars.first == c else { return nil }; chars = chars.dropFirst()
            }
        }
        // A spreadsheet's date-time (`1/2/2013 0:00`, `2013-01-02 00:00:00`): the day, its time
        // of day left aside (a receivable is dated by its day).
        if !chars.isEmpty, chars.first == " " || chars.first == "T" {
            var clock = chars.dropFirst()
            // A 12-hour clock's AM or PM (US Excel writes `1/2/2013 12:00 PM`).
            var twelveHour = false
            for mark in [" am", " pm", " AM", " PM"] where clock.hasSuffix(mark) { clock = clock.dropLast(3); twelveHour = true }
            let time = clock.split(separator: ":", omittingEmptySubsequences: false)
            let values = time.map { part in (1...2).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber } ? Int(part) : nil }
            if (2...3).contains(time.count), let hour = values[0], values.dropFirst().allSatisfy({ $0.map { (0...59).contains($0) } ?? false }),
               twelveHour ? (1...12).contains(hour) : (0...23).contains(hour) {
                chars = chars.dropFirst(chars.count)
            }
        }
        guard chars.isEmpty else { return nil }
        return (year, month, day)
    }
}
