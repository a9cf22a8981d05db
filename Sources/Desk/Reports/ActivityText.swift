import Core

/// Activity lines in words, shared by exports, the ledger report and the screen: in English for
/// files and reports, in Chinese for a workstation in Chinese. `levels`, the policy's dunning
/// levels, name a level and a letter by what the policy calls them ("level 2 · final notice").
public enum ActivityText {
    /// `before`: the customer as it stood before a change of its profile (`Book.profilesBeforeChanges`),
    /// so that a contact or limit changed says what it replaced.
    public static func describe(_ kind: Activity.Kind, book: Book, chinese: Bool = false,
                                levels: [DunningLevel] = [], before: Customer? = nil) -> (kind: String, detail: String) {
        var (label, detail): (String, String)
        if let before, case .profile(.contacts(let list), let reason) = kind, let difference = contactsChanged(list, before: before.contacts, chinese: chinese) {
            // What was added, changed or removed, each in full (the first contact and the others'
            // names read as if the first had been changed).
            (label, detail) = (chinese ? "变更" : "change", [difference, generated(reason, chinese: chinese, levels: levels)].filter { !$0.isEmpty }.joined(separator: " · "))
        } else if let before, case .profile(let change, let reason) = kind, let was = replaced(change, before: before, book: book, chinese: chinese) {
            // Beside the change, before its reason.
            let changed = words(.profile(change, reason: ""), book: book, chinese: chinese, levels: levels)
            (label, detail) = (changed.kind, [changed.detail + was, generated(reason, chinese: chinese, levels: levels)].filter { !$0.isEmpty }.joined(separator: " · "))
        } else {
            (label, detail) = words(kind, book: book, chinese: chinese, levels: levels)
        }
        // One line wherever it is shown: a note typed or imported with line breaks or tabs would
        // break a table's row (and run its words together on a screen that drops them).
        guard detail.contains(where: { $0.isNewline || $0 == "\t" }) else { return (label, detail) }
        return (label, detail.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " "))
    }

    /// Contact people added, changed and removed, matched by name; nil when none was (a new order).
    private static func contactsChanged(_ list: [ContactPerson], before: [ContactPerson], chinese: Bool) -> String? {
        func t(_ en: String, _ zh: String) -> String { chinese ? zh : en }
        var parts: [String] = []
        for contact in list where !before.contains(contact) {
            if let was = before.first(where: { $0.name == contact.name && !$0.name.isEmpty }) {
                parts.append(t("contact changed ", "修改联系人 ") + contact.summary + t(" (was \(was.summary))", "（原为 \(was.summary)）"))
            } else {
                parts.append(t("contact added ", "新增联系人 ") + contact.summary)
            }
        }
        for gone in before where !list.contains(gone) && !list.contains(where: { $0.name == gone.name && !gone.name.isEmpty }) {
            parts.append(t("contact removed ", "删除联系人 ") + gone.summary)
        }
        return parts.isEmpty ? nil : parts.joined(separator: t("; ", "；"))
    }

    /// What a change of contacts or of the limit replaced, as " (was …)": the contact people it
    /// changed or removed as they were, the limit as it was; nil for other changes and for
    /// contacts only added.
    private static func replaced(_ change: ProfileChange, before: Customer, book: Book, chinese: Bool) -> String? {
        func t(_ en: String, _ zh: String) -> String { chinese ? zh : en }
        let was: String
        switch change {
        case .contacts(let list):
            let gone = before.contacts.filter { !list.contains($0) }.map(\.summary).filter { !$0.isEmpty }
            guard !gone.isEmpty else { return nil }
            was = gone.joined(separator: t("; ", "；"))
        case .creditLimit(let limit) where limit != before.creditLimit:
            was = before.creditLimit.isPositive ? book.currency.format(before.creditLimit, grouping: ",") : t("none", "无")
        default: return nil
        }
        return t(" (was \(was))", "（原为 \(was)）")
    }

    /// A text ardesk itself wrote into a record, in English (see `DunningText`), said in Chinese
    /// for a Chinese screen; any other text (what a person typed) as it is.
    public static func generated(_ text: String, chinese: Bool, levels: [DunningLevel]) -> String {
        guard chinese else { return text }
        // An approval's change names its request ("request R12: …", as `decide` writes it).
        let lead = "request "
        if text.hasPrefix(lead), let colon = text.range(of: ": "), !text[..<colon.lowerBound].dropFirst(lead.count).contains(" ") {
            let id = text[..<colon.lowerBound].dropFirst(lead.count)
            return "申请 \(id)：" + DunningText.chinese(String(text[colon.upperBound...]), levels: levels)
        }
        return DunningText.chinese(text, levels: levels)
    }

    private static func words(_ kind: Activity.Kind, book: Book, chinese: Bool, levels: [DunningLevel]) -> (kind: String, detail: String) {
        let money = { (m: Money) in book.currency.format(m, grouping: ",") }
        func t(_ en: String, _ zh: String) -> String { chinese ? zh : en }
        func joined(_ parts: [String]) -> String { parts.filter { !$0.isEmpty }.joined(separator: " · ") }
        func level(_ number: Int) -> String {
            joined([t("level \(number)", "第 \(number) 级"), levels.first { $0.level == number }?.name(chinese: chinese) ?? ""])
        }
        switch kind {
        case .call(let outcome, let note, let callback):
            return (t("call", "通话"), joined([outcomeText(outcome, chinese: chinese), note, callback.map { t("callback ", "回访 ") + $0.iso } ?? ""]))
        case .note(let text): return (t("note", "备注"), text)
        case .callback(let day, let note): return (t("callback", "回访"), joined([day.iso, generated(note, chinese: chinese, levels: levels)]))
        case .promise(let id):
            guard let p = book.promises[id] else { return (t("promise", "承诺付款"), id) }
            return (t("promise", "承诺付款"), chinese ? "\(p.due.iso) 前付 \(money(p.amount))" : "\(money(p.amount)) by \(p.due.iso)")
        case .plan(let id):
            let parts = book.promises.values.filter { $0.plan == id }.sorted { $0.due < $1.due }
            return (t("plan", "分期付款"), parts.map { "\($0.due.iso) \(money($0.amount))" }.joined(separator: t(", ", "，")))
        case .dispute(let id):
            guard let d = book.disputes[id] else { return (t("dispute", "争议"), id) }
            // Its id, for resolve; a part disputed, with its amount.
            let part = d.amount.map { " " + book.currency.format($0, grouping: ",") } ?? ""
            return (t("dispute", "争议"), chinese ? "\(d.invoice)\(part)（\(id)）：\(d.reason)" : "\(d.invoice)\(part) (\(id)): \(d.reason)")
        case .disputeResolved(let id, let note):  // by its invoice, as a collector knows it
            return (t("dispute resolved", "争议已解决"), joined([book.disputes[id].map { chinese ? "\($0.invoice)（\(id)）" : "\($0.invoice) (\(id))" } ?? id, note]))
        case .documentSent(let kind, let file):
            switch kind {
            case .letter(let number): return (t("letter", "催款函"), joined([level(number), file]))
            case .statement(let from, let to, let figures):
                let period = (from?.iso ?? t("start", "期初")) + t(" to ", " 至 ") + to.iso
                let balance = figures.map { t("balance ", "余额 ") + money($0.balance) }
                return (t("statement", "对账单"), joined([period, balance ?? "", file]))
            }
        case .claimed: return (t("claimed", "认领"), "")
        case .released: return (t("released", "释放认领"), "")
        case .worked: return (t("worked", "已处理"), "")
        case .profile(let change, let reason):
            let text: String
            switch change {
            case .creditLimit(let m): text = m.isPositive ? t("credit limit ", "信用额度 ") + money(m) : t("credit limit removed", "取消信用额度")
            case .hold: text = t("credit hold", "信用冻结")
            case .release: text = t("hold released", "解除冻结")
            case .grade(let g): text = t("grade ", "等级 ") + g.rawValue
            case .terms(let d): text = t("terms \(d) days", "账期 \(d) 天")
            case .collector(let c): text = t("collector ", "催收员 ") + (c ?? t("none", "无"))
            case .status(let s): text = chinese ? "状态 " + Desk.chineseStatus(s) : "status " + s.rawValue
            case .nextReview(let d): text = t("next review ", "下次审核 ") + (d?.iso ?? t("none", "无"))
            case .contacts(let list):
                let first = list.first?.summary ?? ""
                // The others by name: a contact added or removed shows as a name there or gone.
                let names = list.dropFirst().map(\.name).filter { !$0.isEmpty }
                let others = names.isEmpty ? "" : t(" (also \(names.joined(separator: ", ")))", "（另有 \(names.joined(separator: "、"))）")
                text = t("contact ", "联系人 ") + (first.isEmpty ? t("none", "无") : first) + others
            case .name(let n): text = t("name ", "名称 ") + n
            }
            return (t("change", "变更"), joined([text, generated(reason, chinese: chinese, levels: levels)]))
        case .dunning(let number): return (t("dunning", "催收"), level(number))
        case .request(let id):
            guard let r = book.requests[id] else { return (t("request", "申请"), id) }
            return (t("request", "申请"), "\(id)\(t(": ", "："))\(requested(r.kind, currency: book.currency, chinese: chinese)) · \(generated(r.reason, chinese: chinese, levels: levels))")
        case .decision(let id, let approved, let reason):
            if !approved, book.requests[id]?.isWithdrawn == true { return (t("withdrawn", "已撤回"), id) }
            return (approved ? t("approved", "已批准") : t("rejected", "已驳回"), joined([id, generated(reason, chinese: chinese, levels: levels)]))
        case .paymentReversed(let reference, let reason):
            let amount = book.payments[reference].map { money($0.amount) } ?? ""
            let correction = book.reversals[reference]?.cause == .enteredInError ? t("entered in error", "录入错误") : ""
            return (t("payment reversed", "回款冲销"), joined([reference, amount, correction, reason]))
        }
    }

    /// What a request asks for: "credit limit 50,000.00", "write off 200.00", "credit hold", ...
    public static func requested(_ kind: RequestKind, currency: Currency, chinese: Bool) -> String {
        let money = { (m: Money) in currency.format(m, grouping: ",") }
        func t(_ en: String, _ zh: String) -> String { chinese ? zh : en }
        switch kind {
        case .creditLimit(let m): return m.isPositive ? t("credit limit ", "信用额度 ") + money(m) : t("credit limit removed", "取消信用额度")
        case .writeOff(let m): return t("write off ", "坏账核销 ") + money(m)  // 核销 alone also means matching cash to invoices
        case .creditHold: return t("credit hold", "信用冻结")
        case .handOff(let status): return t("hand off to ", "移交 ") + status.rawValue
        }
    }

    static func outcomeText(_ outcome: CallOutcome, chinese: Bool) -> String {
        guard chinese else { return outcome.rawValue }
        switch outcome {
        case .reached: return "已接通"
        case .noAnswer: return "无人接听"
        case .leftMessage: return "已留言"
        case .wrongNumber: return "号码错误"
        case .refused: return "拒绝沟通"
        case .disputed: return "有争议"
        case .promised: return "承诺付款"
        }
    }
}
