import Core
import Desk

extension ManagerForms {
    /// Credit set against open invoices: which credit (the oldest first, or one named), which
    /// invoice (oldest due first, or one), how much (all that both allow, prefilled) and the day.
    static func applyCredit(_ customer: Customer, credits: [(source: CreditApplication.Source, day: Day, left: Money)], open: [Allocation],
                            disputed: DisputedItems = [], currency: Currency, language: Language) -> Form {
        let zh = language == .zh
        let money = { (m: Money) in currency.format(m, grouping: ",") }
        let creditTotal = credits.reduce(Money.zero) { $0 + $1.left }, openTotal = open.reduce(Money.zero) { $0 + $1.amount }
        let creditOptions = [(value: "", label: zh ? "全部，最早的先用" : "all, oldest first")]
            + credits.map { (value: key($0.source), label: "\($0.day.iso)  \($0.source.number)  \(money($0.left))") }
        let invoiceOptions = [(value: "", label: zh ? "最早到期的先冲" : "oldest due first")]
            + open.map { (value: $0.invoice, label: "\($0.invoice)  \(money($0.amount))" + (disputed.contains($0.invoice) ? (zh ? "  有争议" : "  disputed") + (disputed.parts[$0.invoice].map { " " + money($0) } ?? "") : "")) }
        var form = Form(title: zh ? "冲抵发票" : "Apply credit", customer: customer.id, fields: [
            Field(key: "credit", label: zh ? "未冲抵款项" : "Credit", kind: .choice(creditOptions)),
            Field(key: "invoice", label: zh ? "发票" : "Invoice", kind: .choice(invoiceOptions)),
            Field(key: "amount", label: zh ? "金额" : "Amount", kind: .amount, text: money(min(creditTotal, openTotal))),
            Field(key: "date", label: zh ? "日期" : "On", kind: .date(optional: false, when: .behind), text: zh ? "今天" : "today"),
        ]) { form, today, currency in
            let chosen = form["credit"].choiceValue ?? ""
            let invoice = form["invoice"].choiceValue ?? ""
            return .applyCredit(customer.id, from: credits.first { key($0.source) == chosen }?.source, invoice: invoice.isEmpty ? nil : invoice,
                                amount: form.amount("amount", currency), on: form.day("date", today) ?? today)
        }
        let summary = (zh ? "可冲抵 " : "credit ") + money(creditTotal) + (zh ? "，未结 " : ", open ") + money(openTotal)
        form.preview = { _, _, _ in [summary] }
        // One credit or one invoice chosen: the most that both allow then, typed in for the user.
        form.choiceChanged = { form in
            let chosenCredit = form["credit"].choiceValue ?? "", chosenInvoice = form["invoice"].choiceValue ?? ""
            let creditChosen = chosenCredit.isEmpty ? creditTotal : credits.first { key($0.source) == chosenCredit }?.left ?? creditTotal
            let openChosen = chosenInvoice.isEmpty ? openTotal : open.first { $0.invoice == chosenInvoice }?.amount ?? openTotal
            if let index = form.fields.firstIndex(where: { $0.key == "amount" }) {
                form.fields[index].text = currency.format(min(creditChosen, openChosen), grouping: ",")
                form.fields[index].cursor = nil
            }
        }
        return form
    }

    /// Credit applied taken back (the wrong invoice, the wrong amount): which application, from
    /// which day (today unless said), and why.
    static func unapplyCredit(_ customer: Customer, applied: [CreditApplication], currency: Currency, language: Language) -> Form {
        let zh = language == .zh
        let options = applied.map { a in
            (value: a.id, label: "\(a.day.iso)  \(a.id)  \(currency.format(a.amount, grouping: ","))  \(a.source.number) → "
                + a.allocations.map(\.invoice).joined(separator: ", "))
        }
        return takingBack(customer, title: zh ? "撤回冲抵" : "Take back credit applied", which: ("application", zh ? "冲抵" : "Applied"), options: options,
                          on: zh ? "撤回日期" : "Taken back on", language: language) { id, day, reason in .withdrawCredit(id: id, on: day, reason: reason) }
    }

    /// A form that takes back something recorded: which one, from which day (today unless
    /// said), and why.
    private static func takingBack(_ customer: Customer, title: String, which: (key: String, label: String), options: [(value: String, label: String)], on: String,
                                   language: Language, command: @escaping @Sendable (String, Day, String) -> Command) -> Form {
        Form(title: title, customer: customer.id, fields: [
            Field(key: which.key, label: which.label, kind: .choice(options)),
            Field(key: "date", label: on, kind: .date(optional: false, when: .behind), text: language == .zh ? "今天" : "today"),
            reasonField(language),
        ]) { form, today, _ in
            command(form[which.key].choiceValue ?? "", form.day("date", today) ?? today, form.text("reason"))
        }
    }

    /// A write-off taken back (made by mistake, or the customer paid after all): which one, from
    /// which day (today unless said; a payment dated on or after it pays what it reopens), and why.
    static func reinstateWriteOff(_ customer: Customer, standing: [WriteOff], currency: Currency, language: Language) -> Form {
        let zh = language == .zh
        let options = standing.map { w in
            (value: w.id, label: "\(w.day.iso)  \(w.id)  \(currency.format(w.amount, grouping: ","))  → " + w.allocations.map(\.invoice).joined(separator: ", "))
        }
        return takingBack(customer, title: zh ? "核销转回" : "Reinstate a write-off", which: ("writeoff", zh ? "核销" : "Write-off"), options: options,
                          on: zh ? "转回日期" : "Reinstated on", language: language) { id, day, reason in .reinstateWriteOff(id: id, on: day, reason: reason) }
    }

    /// A credit as a choice's value: its kind and number (a payment and a credit note may share one).
    private static func key(_ source: CreditApplication.Source) -> String {
        switch source {
        case .payment(let reference): "payment:" + reference
        case .creditNote(let number): "note:" + number
        }
    }
}
