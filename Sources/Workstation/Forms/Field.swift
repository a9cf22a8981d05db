import Core
import Desk

/// One input of a form. The raw text is what the user typed; `problem` validates it as they type.
struct Field: Sendable {
    enum Kind: Sendable {
        case text(required: Bool)
        case amount
        /// An amount that may be zero (a credit limit: zero means no limit).
        case amountOrZero
        /// An amount above zero that may be left empty (a dispute's part: empty is all of it).
        case optionalAmount
        /// A day; `ahead`: today or later (a callback, a promise), `behind`: today or earlier
        /// (what has happened), nil: any day.
        case date(optional: Bool, when: When? = nil)
        case wholeNumber(ClosedRange<Int>)
        case choice([(value: String, label: String)])
        /// A list of items to tick (e.g. invoices to dispute); `text` holds nothing.
        case picks([(value: String, label: String)])
        /// A phone number or an e-mail address, optional, checked as the desk checks them.
        case phone, email
    }

    enum When: Sendable { case ahead, behind }

    let key: String
    let label: String
    let kind: Kind
    var text: String
    /// Where typing goes, in characters from the start; nil keeps it at the end (where a field's
    /// suggested text leaves it).
    var cursor: Int?
    var choiceIndex = 0
    var picked: Set<Int> = []
    var pickCursor = 0

    init(key: String, label: String, kind: Kind, text: String = "") {
        self.key = key; self.label = label; self.kind = kind; self.text = text
    }

    /// The most a free-text field takes: a note is read on one screen, and the log refuses a
    /// record of more than a megabyte.
    static let longestText = Command.longestText

    /// Where typing goes now.
    var caret: Int { min(cursor ?? text.count, text.count) }

    /// Why the current input is not acceptable, or nil when it is.
    func problem(today: Day, currency: Currency, language: Language) -> String? {
        let zh = language == .zh
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        // Beside the field, so without the value the desk's refusal repeats.
        case .phone:
            return ContactCheck.phoneProblem(text) == nil ? nil
                : zh ? "不是可拨打的号码（数字、+ - ( ) 和空格，至少五位数字）" : "not a number to dial (digits, + - ( ) and spaces, five or more digits)"
        case .email:
            return ContactCheck.emailProblem(text) == nil ? nil : zh ? "不是有效地址（如 name@example.com）" : "not an address (name@example.com)"
        case .text(let required):
            let length = text.unicodeScalars.count  // as the desk counts them
            if length > Field.longestText {
                return zh ? "最多 \(Field.longestText) 个字（现为 \(length)）" : "at most \(Field.longestText) characters (this is \(length))"
            }
            return required && trimmed.isEmpty ? (zh ? "必填" : "required") : nil
        case .amount, .amountOrZero, .optionalAmount:
            if trimmed.isEmpty { if case .optionalAmount = kind { return nil }; return zh ? "必填" : "required" }
            guard let money = currency.parse(text) else { return amountProblem(currency: currency, zh: zh) }
            if case .amountOrZero = kind {} else { return money.isPositive ? nil : (zh ? "金额须大于零" : "must be above zero") }
            return money.isNegative ? (zh ? "金额不能为负" : "cannot be below zero") : nil
        case .date(let optional, let when):
            if trimmed.isEmpty { return optional ? nil : (zh ? "必填" : "required") }
            guard let day = RelativeDay.parse(text, today: today, looking: looking) else {
                return zh ? "“\(trimmed)”不是日期（如 12月5日、明天、周五、+3天）" : "\"\(trimmed)\" is not a date (e.g. 2026-12-01, +3d, tomorrow, fri)"
            }
            if RelativeDay.implausibleYear(day) != nil {
                return zh ? "\(day.components.year) 年？请检查年份" : "the year \(day.components.year)? check the date"
            }
            if when == .ahead && day < today { return zh ? "\(day.iso) 已过，须为今天或以后" : "\(day.iso) has passed: today or later" }
            if when == .ahead && day.days(since: today) > 366 { return zh ? "超过一年，请检查" : "more than a year ahead: check the date" }
            if when == .behind && day > today { return zh ? "\(day.iso) 尚未到来，须为今天或以前" : "\(day.iso) is still to come: today or earlier" }
            return nil
        case .wholeNumber(let range):
            guard let n = wholeNumber, range.contains(n) else {
                return zh ? "请输入 \(range.lowerBound)–\(range.upperBound)" : "a number from \(range.lowerBound) to \(range.upperBound)"
            }
            return nil
        case .choice: return nil
        case .picks: return picked.isEmpty ? (zh ? "至少选择一项（空格键）" : "tick at least one (Space)") : nil
        }
    }

    /// Why `text` is not an amount: too many decimals is said as such, not as "not an amount".
    private func amountProblem(currency: Currency, zh: Bool) -> String {
        // As `Currency.refusal`: 万 allows four more decimals and four fewer whole digits.
        let limits = currency.limits(of: text)
        let number = limits.number, digits = limits.decimals
        let digit = { (c: Character) in c.isASCII && c.isNumber }
        let with = limits.unit.map { zh ? "（以\($0)为单位）" : " with \($0)" } ?? ""
        if let point = number.lastIndex(of: "."), number[number.index(after: point)...].allSatisfy(digit),
           number.distance(from: point, to: number.endIndex) - 1 > digits {
            let grouping = number.distance(from: point, to: number.endIndex) == 4 && limits.unit == nil
                ? (zh ? "（小数点为 .，千位用 , 分隔：1,200）" : " ('.' is the decimal point, ',' groups thousands: 1,200)") : ""
            return digits == 0 ? (zh ? "\(currency.code) 没有小数" : "\(currency.code) has no decimals")
                : (zh ? "最多 \(digits) 位小数" : "at most \(digits) decimals") + with + grouping
        }
        if Currency.unclearTenThousands(number, unit: limits.unit) {
            return zh ? "“\(text)”可指 12,000 也可指 10,002：请写 1.2万、1万2千 或 10,002" : "\"\(text)\" is said for 12,000 as often as meant as 10,002: write 1.2万, 1万2千 or 10,002"
        }
        if Currency.unclearThousands(number, unit: limits.unit) {
            return zh ? "“\(text)”可指 3,500 也可指 3,005：请写 3.5千、3,500 或 3,005" : "\"\(text)\" is said for 3,500 as often as meant as 3,005: write 3.5千, 3,500 or 3,005"
        }
        if number.split(separator: ".").first.map({ $0.filter(digit).count > limits.wholeDigits }) == true {
            return (zh ? "金额过大：整数部分最多 \(limits.wholeDigits) 位" : "too large: at most \(limits.wholeDigits) digits before the decimal point") + with
        }
        return zh ? "“\(text)”不是金额（如 1,234.50）" : "\"\(text)\" is not an amount (e.g. 1,234.50)"
    }

    /// The whole number typed, a unit of days after it allowed (`45天`, `14 days`, `30d`), as the
    /// screens show terms and intervals; nil when it is not one.
    var wholeNumber: Int? {
        var number = text.trimmingCharacters(in: .whitespaces)
        for unit in ["天", "日", "days", "day", "d"] where number.lowercased().hasSuffix(unit) {
            number = String(number.dropLast(unit.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        return number.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(number) : nil
    }

    /// Full-width digits and signs (typed with a Chinese input method) as the ASCII ones amounts,
    /// dates and numbers are read in.
    static func halfWidth(_ text: String) -> String {
        text.halfWidth.replacingOccurrences(of: "。", with: ".")  // 。 typed as a decimal point
    }

    /// What the field shows: for a date, the day it resolves to, so "+3d" is never a guess; for an
    /// amount written with a unit (3千, 1.2万, 1万2千), the figure, so 3千 is not taken for 3万.
    func echo(today: Day, currency: Currency) -> String? {
        if case .date = kind, let day = RelativeDay.parse(text, today: today, looking: looking), text != day.iso { return "→ \(day.iso)" }
        switch kind {
        case .amount, .amountOrZero, .optionalAmount:
            let typed = Field.halfWidth(text)
            guard currency.limits(of: typed).unit != nil || typed.contains("万"), let money = currency.parse(typed) else { return nil }
            return "→ " + currency.format(money, grouping: ",")
        default: return nil
        }
    }

    /// Which way a date typed without its month or year lies (`fri`, `5号`): behind for a day
    /// that must be today or earlier (a payment received), else ahead.
    var looking: RelativeDay.Looking {
        if case .date(_, .behind) = kind { return .behind }
        return .ahead
    }

    var choiceValue: String? {
        if case .choice(let options) = kind { return options[choiceIndex].value }
        return nil
    }

    var pickedValues: [String] {
        if case .picks(let options) = kind { return picked.sorted().map { options[$0].value } }
        return []
    }
}
