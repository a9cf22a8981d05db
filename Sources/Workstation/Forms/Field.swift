import Core
import Desk

/// One input of a form. The raw text is what the user typed; `problem` validates it as they type.
struct Field: Sendable {
    enum Kind: Sendable {
        case text(required: Bool)
        case amount
        /// An amount that may be zero (a credit limit: zero means cash only).
        case amountOrZero
        case date(optional: Bool)
        case wholeNumber(ClosedRange<Int>)
        case choice([(value: String, label: String)])
        /// A list of items to tick (e.g. invoices to dispute); `text` holds nothing.
        case picks([(value: String, label: String)])
    }

    let key: String
    let label: String
    let kind: Kind
    var text: String
    var choiceIndex = 0
    var picked: Set<Int> = []
    var pickCursor = 0

    init(key: String, label: String, kind: Kind, text: String = "") {
        self.key = key; self.label = label; self.kind = kind; self.text = text
    }

    /// Why the current input is not acceptable, or nil when it is.
    func problem(today: Day, currency: Currency, language: Language) -> String? {
        let zh = language == .zh
        switch kind {
        case .text(let required):
            return required && text.trimmingCharacters(in: .whitespaces).isEmpty ? (zh ? "必填" : "required") : nil
        case .amount:
            guard let money = currency.parse(text) else { return zh ? "金额无效，如 1,234.50" : "not an amount (e.g. 1,234.50)" }
            return money.isPositive ? nil : (zh ? "金额须大于零" : "must be above zero")
        case .amountOrZero:
            guard let money = currency.parse(text) else { return zh ? "金额无效，如 1,234.50" : "not an amount (e.g. 1,234.50)" }
            return money.isNegative ? (zh ? "金额不能为负" : "cannot be below zero") : nil
        case .date(let optional):
            if optional && text.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            return RelativeDay.parse(text, today: today) == nil
                ? (zh ? "日期无效：2026-12-01、+3d、明天、周五" : "not a date: 2026-12-01, +3d, tomorrow, fri") : nil
        case .wholeNumber(let range):
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
                return zh ? "请输入 \(range.lowerBound)–\(range.upperBound)" : "a number from \(range.lowerBound) to \(range.upperBound)"
            }
            return nil
        case .choice: return nil
        case .picks: return picked.isEmpty ? (zh ? "至少选择一项（空格键）" : "tick at least one (Space)") : nil
        }
    }

    /// What the field shows: for a date, the day it resolves to, so "+3d" is never a guess.
    func echo(today: Day) -> String? {
        if case .date = kind, let day = RelativeDay.parse(text, today: today), text != day.iso { return "→ \(day.iso)" }
        return nil
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
