import Foundation
import Core

/// Dates as people type them in a form or on the command line: `2026-12-01`, `today`, `tomorrow`
/// (`明天`, and `后天` the day after),
/// `+3d`/`+2w`, `-1d` (`+3天`, `+2周`), or a weekday name (`fri`, `friday`, `周五`) meaning the
/// next such day (`下周五`: Friday of next week, `本周五` this week's, `下下周五` the week after
/// next, `周5`), the end or start of a month (`月底`, `下月初`, `12月底`) or year (`年底`), a count
/// said in Chinese (`三天后`, `两周后`, `一个月后`), a day of next month (`下月5号`), or a date
/// written in Chinese (`12月5日`, `12月5`).
public enum RelativeDay {
    /// The years a receivable's day may be in: a year far from any business's books is a slip
    /// ("0206" for 2026), which ledger-cli would refuse in an export (it reads 1400–9999).
    public static let plausibleYears = 1900...2199

    /// Why `day` is no receivable's day, as the end of a sentence naming it ("is in the year 206,
    /// which no receivable dates from (1900–2199); is a digit wrong?"); nil when its year is plausible.
    public static func implausibleYear(_ day: Day) -> String? {
        let year = day.components.year
        guard !plausibleYears.contains(year) else { return nil }
        return "is in the year \(year), which no receivable dates from (\(plausibleYears.lowerBound)–\(plausibleYears.upperBound)); is a digit wrong?"
    }

    static let weekdays: [(names: [String], iso: Int)] = [
        (["mon", "monday", "周一", "星期一", "礼拜一"], 1), (["tue", "tuesday", "周二", "星期二", "礼拜二"], 2),
        (["wed", "wednesday", "周三", "星期三", "礼拜三"], 3), (["thu", "thursday", "周四", "星期四", "礼拜四"], 4),
        (["fri", "friday", "周五", "星期五", "礼拜五"], 5), (["sat", "saturday", "周六", "星期六", "礼拜六"], 6),
        (["sun", "sunday", "周日", "星期日", "星期天", "礼拜日", "礼拜天"], 7),
    ]

    /// Which way a day named without its month or year lies: `fri`, `5号`, `12月5日` mean the
    /// next such day for a promise or a callback, the last one for a payment received or a view
    /// of the past.
    public enum Looking: Sendable { case ahead, behind }

    public static func parse(_ raw: String, today: Day, looking: Looking = .ahead) -> Day? {
        var text = raw.halfWidth.trimmingCharacters(in: .whitespaces).lowercased()
        // Chinese is written without spaces; one typed between its parts (3 天后) is none.
        if !text.allSatisfy(\.isASCII) { text.removeAll { $0 == " " } }
        // 周5 / 星期5 as 周五 / 星期五 (a weekday typed with its digit).
        if let last = text.last, let digit = last.wholeNumberValue, (1...7).contains(digit),
           ["周", "期", "拜"].contains(text.dropLast().last.map(String.init) ?? "") {
            text = String(text.dropLast()) + ["一", "二", "三", "四", "五", "六", "日"][digit - 1]
        }
        if let day = Day(iso: text) ?? yearMonthDay(text) { return day }
        switch text {
        case "today", "今天": return today
        case "tomorrow", "明天": return today.adding(days: 1)
        case "后天", "後天", "后日", "後日": return today.adding(days: 2)  // the day after tomorrow (a common promise)
        case "半个月后", "半個月後", "半月后": return today.adding(days: 15)
        case "大后天", "大後天": return today.adding(days: 3)
        case "yesterday", "昨天": return today.adding(days: -1)
        case "前天": return today.adding(days: -2)
        default: break
        }
        // Days and weeks counted on or back: +3d, -1w, and in Chinese +3天, +2周; +3 alone is days.
        let units: [Character: Int] = ["d": 1, "w": 7, "天": 1, "日": 1, "周": 7]
        if let first = text.first, first == "+" || first == "-", let unit = text.last {
            let size = units[unit] ?? (unit.isASCII && unit.isNumber ? 1 : nil)
            let digits = size != nil && units[unit] == nil ? text.dropFirst() : text.dropFirst().dropLast()
            // Digits alone (Int would take a second sign: +-3, or +-9999999999 past Day's range).
            if let size, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits), n <= 3650 {
                return today.adding(days: n * size * (first == "-" ? -1 : 1))
            }
        }
        if let match = weekdays.first(where: { $0.names.contains(text) }) {
            if looking == .behind {  // the last such day before today
                let back = (today.weekday - match.iso + 7) % 7
                return today.adding(days: back == 0 ? -7 : -back)
            }
            let ahead = (match.iso - today.weekday + 7) % 7
            return today.adding(days: ahead == 0 ? 7 : ahead)
        }
        if let day = chineseDate(text, today: today, looking: looking) ?? monthAndDay(text, today: today, looking: looking)
            ?? dayOfMonth(text, today: today, looking: looking) { return day }
        // 3天后, 三天后, 两周后, 一个月后 (and 三天前, 一个月前): days, weeks or months from today,
        // or back, as said in Chinese.
        for (way, sign) in [("后", 1), ("後", 1), ("前", -1)] where text.hasSuffix(way) {
            let said = text.dropLast()
            for (unit, size) in [("天", 1), ("日", 1), ("周", 7), ("个星期", 7), ("星期", 7), ("个礼拜", 7), ("礼拜", 7)] where said.hasSuffix(unit) {
                if let n = count(said.dropLast(unit.count)), n <= 3650 { return today.adding(days: sign * n * size) }
            }
            for unit in ["个月", "個月"] where said.hasSuffix(unit) {  // not 月 alone: 3月后 reads "after March"
                if let n = count(said.dropLast(unit.count)), n <= 120 { return today.adding(months: sign * n) }
            }
        }
        // 下月5号 / 下个月5号 / 本月20号 / 上月5号: that day of next, this or last month.
        for (prefix, months) in [("下个月", 1), ("下個月", 1), ("下月", 1), ("本月", 0), ("这个月", 0), ("上个月", -1), ("上個月", -1), ("上月", -1)] where text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            if rest.hasSuffix("号") || rest.hasSuffix("日"), let n = count(rest.dropLast()), (1...31).contains(n) {
                let month = today.firstOfMonth.adding(months: months).components
                return Day(year: month.year, month: month.month, day: n)
            }
        }
        // 12月底 / 3月初: that month's last or first day, the next one (looking behind, the last).
        if text.hasSuffix("底") || text.hasSuffix("初"), text.dropLast().hasSuffix("月"), let month = count(text.dropLast(2)), (1...12).contains(month) {
            let year = today.components.year
            let days = (year - 1...year + 1).compactMap { y -> Day? in
                guard let first = Day(year: y, month: month, day: 1) else { return nil }
                return text.hasSuffix("底") ? first.adding(months: 1).adding(days: -1) : first
            }
            return looking == .ahead ? days.first { $0 >= today } : days.last { $0 <= today }
        }
        // 年底 / 年初: the last or first day of the year (年初 looking ahead: next year's).
        if text == "年底" || text == "今年底" { return Day(year: today.components.year, month: 12, day: 31) }
        if text == "年初" || text == "明年初" {
            let year = today.components.year + (looking == .ahead || text == "明年初" ? 1 : 0)
            return Day(year: year, month: 1, day: 1)
        }
        // 下周五 / 上周五 / 本周五: that weekday of next / last / this week (Monday to Sunday), as
        // said in Chinese; 下下周五 the week after next.
        for (prefix, weeks) in weekPrefixes where text.hasPrefix(prefix) {
            if let match = weekdays.first(where: { $0.names.contains(String(text.dropFirst(prefix.count))) }) {
                return today.adding(days: weeks * 7 - (today.weekday - 1) + (match.iso - 1))
            }
        }
        // 月底 / 下月底: the last day of this or next month; 月初 / 下月初: the first.
        if let (months, end) = monthEnds[text] {
            let first = today.firstOfMonth.adding(months: months)
            // 月初 looking ahead, said late in a month, is the next month's start (this one's has passed).
            if !end, months == 0, looking == .ahead, first < today { return first.adding(months: 1) }
            return end ? first.adding(months: 1).adding(days: -1) : first
        }
        return nil
    }

    /// A count written in digits or in Chinese numerals up to 99 (三, 两, 十五, 二十).
    static func count(_ text: Substring) -> Int? {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return Int(text) }
        let digits: [Character: Int] = ["零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        if text.count == 1, let digit = text.first.flatMap({ digits[$0] }) { return digit }
        guard let ten = text.firstIndex(of: "十") else { return nil }
        let (before, after) = (text[..<ten], text[text.index(after: ten)...])
        let tens = before.isEmpty ? 1 : before.count == 1 ? before.first.flatMap { digits[$0] } : nil
        let ones = after.isEmpty ? 0 : after.count == 1 ? after.first.flatMap { digits[$0] } : nil
        guard let tens, let ones else { return nil }
        return tens * 10 + ones
    }

    /// The month (from this one) and which end of it each way of saying a month's end or start names.
    private static let monthEnds: [String: (months: Int, end: Bool)] = [
        "月底": (0, true), "本月底": (0, true), "这个月底": (0, true), "這個月底": (0, true),
        "下月底": (1, true), "下个月底": (1, true), "下個月底": (1, true),
        "月初": (0, false), "本月初": (0, false), "下月初": (1, false), "下个月初": (1, false), "下個月初": (1, false),
    ]

    /// Weeks from this one a prefix names before a weekday (`下下周五`, `本周五`); longest first.
    private static let weekPrefixes: [(String, Int)] = [("下下", 2), ("上上", -2), ("下", 1), ("上", -1), ("本", 0), ("这", 0), ("這", 0)]

    /// `2026年12月5日`, or `12月5日` (`号` for `日` too): a day without its year is the one of that
    /// date nearest today (on 11月28日, `1月5日` is next January's, `11月20日` last week's); looking
    /// behind, the last one on or before today.
    static func chineseDate(_ text: String, today: Day, looking: Looking = .ahead) -> Day? {
        guard let monthMark = text.firstIndex(of: "月") else { return nil }
        // `12月5` without its 日, as often typed.
        let end = text.hasSuffix("日") || text.hasSuffix("号") ? text.index(before: text.endIndex) : text.endIndex
        let yearMark = text.firstIndex(of: "年")
        // Month and day in digits or in Chinese numerals (十二月五日).
        guard let month = count(text[(yearMark.map { text.index(after: $0) } ?? text.startIndex)..<monthMark]),
              let dayOfMonth = count(text[text.index(after: monthMark)..<end]) else { return nil }
        if let yearMark {
            guard text[..<yearMark].count == 4, let year = Int(text[..<yearMark]) else { return nil }  // 26年 is no year
            return Day(year: year, month: month, day: dayOfMonth)
        }
        return nearest(month: month, day: dayOfMonth, to: today, looking: looking)
    }

    /// `12-03` (or `12/3`): a month and day, as the queue and ledger show dates, the one nearest today (looking
    /// behind, the last one on or before today).
    static func monthAndDay(_ text: String, today: Day, looking: Looking = .ahead) -> Day? {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "/" }  // 12-05, 12/5
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) }), let month = Int(parts[0]), let day = Int(parts[1]) else { return nil }
        return nearest(month: month, day: day, to: today, looking: looking)
    }

    /// `2026-12-1`, `2026/12/05`, `2026.12.5`: a date with its year first, as written in China,
    /// month and day in one or two digits.
    static func yearMonthDay(_ text: String) -> Day? {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "/" || $0 == "." }
        guard parts.count == 3, parts[0].count == 4, parts.dropFirst().allSatisfy({ (1...2).contains($0.count) }),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }), let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    /// `5号` or `5日` (`五号`, `十号` too): the next 5th of a month, today's own if it is the 5th (a promise "by the
    /// 5th" said on the 28th is next month's); looking behind, the last 5th, today's own if it is
    /// the 5th (a payment received "on the 5th"); nil for a day no month of the three has.
    static func dayOfMonth(_ text: String, today: Day, looking: Looking = .ahead) -> Day? {
        guard text.hasSuffix("号") || text.hasSuffix("日"), let day = count(text.dropLast()), (1...31).contains(day) else { return nil }
        for step in 0...2 {
            let month = today.firstOfMonth.adding(months: looking == .ahead ? step : -step).components
            guard let candidate = Day(year: month.year, month: month.month, day: day) else { continue }
            if looking == .ahead ? candidate >= today : candidate <= today { return candidate }
        }
        return nil
    }

    /// The date of that month and day nearest `today` (last year's, this year's or next year's;
    /// 29 February that of the nearest leap year); looking behind, the latest on or before today.
    static func nearest(month: Int, day: Int, to today: Day, looking: Looking = .ahead) -> Day? {
        let year = today.components.year
        let candidates = (year - 4...year + 4).compactMap { Day(year: $0, month: month, day: day) }
        if looking == .behind { return candidates.last { $0 <= today } }
        return candidates.min { abs($0.ordinal - today.ordinal) < abs($1.ordinal - today.ordinal) }
    }
}
