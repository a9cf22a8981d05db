import Foundation
import Core
import Desk

/// The credit manager's forms. Each change says why; Desk refuses them for collectors.
enum ManagerForms {
    static func reasonField(_ language: Language) -> Field {
        Field(key: "reason", label: language == .zh ? "原因" : "Reason", kind: .text(required: true))
    }

    static func limit(_ customer: Customer, currency: Currency, language: Language) -> Form {
        let zh = language == .zh
        var form = Form(title: zh ? "调整信用额度" : "Change credit limit", customer: customer.id, fields: [
            Field(key: "limit", label: zh ? "新额度" : "New limit", kind: .amountOrZero, text: currency.format(customer.creditLimit, grouping: ",")),
            reasonField(language),
        ]) { form, _, currency in
            .changeProfile(customer.id, .creditLimit(form.amount("limit", currency) ?? .zero), reason: form.text("reason"))
        }
        // Zero is no limit at all, not "no credit": said as it is typed, and asked again on saving.
        let warning = limitRemovalWarning(zh)
        let removing: @Sendable (Form, Currency) -> Bool = { form, currency in customer.creditLimit.isPositive && form.amount("limit", currency) == .zero }
        form.preview = { form, _, currency in removing(form, currency) ? [warning] : [] }
        form.confirm = { form, _, currency in removing(form, currency) ? warning : nil }
        return form
    }

    /// What a limit of zero means, wherever one is typed (the limit form, a request).
    static func limitRemovalWarning(_ zh: Bool) -> String {
        zh ? "0 即不设额度；如需停止赊销，请用 H 信用冻结" : "0 removes the limit; to stop selling on credit, place a hold (H)"
    }

    static func hold(_ customer: Customer, language: Language) -> Form {
        let zh = language == .zh
        let releasing = customer.status == .onHold
        let title = releasing ? (zh ? "解除信用冻结" : "Release credit hold") : (zh ? "信用冻结" : "Place credit hold")
        return Form(title: title, customer: customer.id, fields: [reasonField(language)]) { form, _, _ in
            .changeProfile(customer.id, releasing ? .release : .hold, reason: form.text("reason"))
        }
    }

    static func terms(_ customer: Customer, language: Language) -> Form {
        let zh = language == .zh
        return Form(title: zh ? "调整账期" : "Set payment terms", customer: customer.id, fields: [
            Field(key: "days", label: zh ? "天数" : "Days", kind: .wholeNumber(0...3650), text: String(customer.termsDays)),
            Field(key: "reason", label: zh ? "原因" : "Reason", kind: .text(required: false)),
        ]) { form, _, _ in .changeProfile(customer.id, .terms(form.number("days") ?? customer.termsDays), reason: form.text("reason")) }
    }

    /// `named`: a login as the team knows the person (roles.toml's `[names]`), shown beside it.
    static func assign(_ customers: [CustomerID], collectors: [String], current: String?, named: (String) -> String = { $0 },
                       language: Language) -> Form {
        let zh = language == .zh
        let options = [(value: "", label: zh ? "（无）" : "(none)")]
            + collectors.map { login in (value: login, label: named(login) == login ? login : "\(named(login)) (\(login))") }
        var field = Field(key: "collector", label: zh ? "催收员" : "Collector", kind: .choice(options))
        field.choiceIndex = options.firstIndex { $0.value == (current ?? "") } ?? 0
        let title = customers.count == 1 ? (zh ? "分配催收员" : "Assign collector")
                                         : (zh ? "分配 \(customers.count) 位客户" : "Assign \(customers.count) marked customers")
        var form = Form(title: title, customer: customers[0], fields: [
            field, Field(key: "reason", label: zh ? "原因" : "Reason", kind: .text(required: false)),
        ]) { form, _, _ in
            let value = form["collector"].choiceValue ?? ""
            let collector: String? = value.isEmpty ? nil : value
            return .assign(customers, collector: collector, reason: form.text("reason"))
        }
        // Several: the marked ones, not one of them as if it were the only one.
        if customers.count > 1 { form.subject = customers.sorted().prefix(4).joined(separator: zh ? "、" : ", ") + (customers.count > 4 ? (zh ? "等" : ", …") : "") }
        return form
    }

    /// `invoices`: the customer's open invoices (number, what is open of it), any of which may be
    /// written off alone (as `ardesk writeoff --invoice`); without one, oldest past due first.
    /// `credit`: the customer's unapplied credit, which the suggestion is net of (written off,
    /// debt that credit covers would be lost twice).
    /// `plan`: where a write-off of an amount goes (`AllocationPlan.writeOff`), said before it is
    /// saved, since nothing takes a write-off back.
    static func writeOff(_ customer: Customer, suggested: Money, balance: Money, credit: Money = .zero,
                         invoices: [(number: String, open: Money, disputed: Bool, part: Money?)] = [],
                         plan: @escaping @Sendable (Money, String?, Day) -> [Allocation] = { _, _, _ in [] },
                         currency: Currency, language: Language) -> Form {
        let zh = language == .zh
        let money: @Sendable (Money) -> String = { currency.format($0, grouping: ",") }
        let which: [(value: String, label: String)] = [("", zh ? "逾期最早优先（争议及未到期最后）" : "oldest past due first (disputed, then not yet due, last)")]
            + invoices.map { invoice in
                let part = invoice.part.map { " " + money($0) } ?? ""  // a dispute for part of it: that part
                return (invoice.number, "\(invoice.number)  \(money(invoice.open))" + (invoice.disputed ? (zh ? "  争议中" : "  disputed") + part : ""))
            }
        // No amount until one is typed, or an invoice is chosen: the suggestion is told below,
        // and a write-off of the whole of it is not what Enter should do by accident.
        var form = Form(title: zh ? "坏账核销" : "Write off", customer: customer.id, fields: [
            Field(key: "invoice", label: zh ? "发票" : "Invoice", kind: .choice(which)),
            Field(key: "amount", label: zh ? "金额" : "Amount", kind: .amount),
            reasonField(language),
        ]) { form, _, currency in
            .writeOff(customer.id, amount: form.amount("amount", currency) ?? .zero, invoice: chosenInvoice(form), reason: form.text("reason"))
        }
        // The amount follows the choice: what is open of the invoice chosen, else nothing.
        let open = Dictionary(invoices.map { ($0.number, $0.open) }, uniquingKeysWith: +)
        form.choiceChanged = { form in
            guard let index = form.fields.firstIndex(where: { $0.key == "amount" }) else { return }
            let amount = open[form["invoice"].choiceValue ?? ""] ?? .zero
            form.fields[index].text = amount.isPositive ? money(amount) : ""
            form.fields[index].cursor = nil
        }
        form.confirm = { form, today, currency in
            guard let amount = form.amount("amount", currency) else { return nil }
            let allocations = plan(amount, chosenInvoice(form), today)
            // Not all of it can go, or it passes what is owed net of credit: not asked about, the
            // desk's refusal at this Enter says why.
            guard !allocations.isEmpty, allocations.reduce(Money.zero, { $0 + $1.amount }) == amount,
                  !credit.isPositive || amount <= balance - credit else { return nil }
            return (zh ? "坏账核销 \(money(amount))：" : "Write off \(money(amount)): ") + listed(allocations, money: money, zh: zh)
        }
        form.focus = 1  // the amount: most write-offs take the oldest first
        form.preview = { _, _, currency in
            [(zh ? "逾期（无争议） " : "past due, not disputed ") + currency.format(suggested, grouping: ",")
                + (credit.isPositive ? (zh ? "（已扣除未冲抵款项 " : " (less unapplied credit ") + currency.format(credit, grouping: ",") + (zh ? "）" : ")") : "")
                + (zh ? "，余额 " : ", balance ") + currency.format(balance, grouping: ",")]
        }
        return form
    }

    /// The write-off form's invoice, nil for the rule's order.
    private static func chosenInvoice(_ form: Form) -> String? { form["invoice"].choiceValue.flatMap { $0.isEmpty ? nil : $0 } }

    /// Invoices and amounts of a write-off, the first four and how many more.
    static func listed(_ allocations: [Allocation], money: (Money) -> String, zh: Bool) -> String {
        let shown = allocations.prefix(4).map { "\($0.invoice) \(money($0.amount))" }.joined(separator: zh ? "、" : ", ")
        let more = allocations.count - 4
        return shown + (more > 0 ? (zh ? " 等（另 \(more) 张）" : " and \(more) more") : "")
    }

    /// A payment that came back unpaid (or was entered in error), chosen from the customer's
    /// latest; dated the day it came back (today unless said), with why.
    static func reversePayment(_ customer: Customer, payments: [Payment], currency: Currency, language: Language) -> Form {
        let zh = language == .zh
        let options = payments.map { (value: $0.reference, label: "\($0.day.iso)  \(currency.format($0.amount, grouping: ","))  \($0.reference)") }
        var form = Form(title: zh ? "冲销回款" : "Reverse a payment", customer: customer.id, fields: [
            Field(key: "payment", label: zh ? "回款" : "Payment", kind: .choice(options)),
            // Entered in error: a correction, which says nothing of the customer (no risk signal, no call).
            Field(key: "cause", label: zh ? "类型" : "Cause", kind: .choice([
                (PaymentReversal.Cause.returned.rawValue, zh ? "银行退回" : "returned unpaid"),
                (PaymentReversal.Cause.enteredInError.rawValue, zh ? "录入错误" : "entered in error"),
            ])),
            Field(key: "date", label: zh ? "冲销日期" : "Reversed on", kind: .date(optional: false, when: .behind), text: zh ? "今天" : "today"),
            reasonField(language),
        ]) { form, today, _ in
            .reversePayment(reference: form["payment"].choiceValue ?? "", on: form.day("date", today) ?? today, reason: form.text("reason"),
                            cause: form["cause"].choiceValue.flatMap(PaymentReversal.Cause.init(rawValue:)) ?? .returned)
        }
        // A payment entered in error is taken back as of the day it was received (a document
        // dated before a reversal cannot settle what it took back): the date follows the choice.
        let received = Dictionary(payments.map { ($0.reference, $0.day.iso) }, uniquingKeysWith: { first, _ in first })
        form.choiceChanged = { form in
            // The choice changed is the one focused: a date typed stays unless the cause changes,
            // or the payment does while the cause is entered in error (its day is then the date).
            guard let index = form.fields.firstIndex(where: { $0.key == "date" }) else { return }
            let inError = form["cause"].choiceValue == PaymentReversal.Cause.enteredInError.rawValue
            let changed = form.fields[form.focus].key
            guard changed == "cause" || (changed == "payment" && inError) else { return }
            form.fields[index].text = inError ? received[form["payment"].choiceValue ?? ""] ?? form.fields[index].text : (zh ? "今天" : "today")
            form.fields[index].cursor = nil
        }
        return form
    }

    /// `balance`: what the customer owes, said before closing it (a closed customer leaves the
    /// queue, the review and dunning).
    static func status(_ customer: Customer, balance: Money = .zero, currency: Currency = .cny, language: Language) -> Form {
        let zh = language == .zh
        let options: [(value: String, label: String)] = [
            ("legal", zh ? "法律诉讼" : "legal"), ("agency", zh ? "外包催收" : "agency"), ("active", zh ? "正常" : "active"),
            ("closed", zh ? "已关闭" : "closed"),
        ]
        // It opens at the status the customer has (a hold, at active: what lifting it would be),
        // so that ←→ is a deliberate change, not a default a quick Enter would save.
        var status = Field(key: "status", label: zh ? "状态" : "Status", kind: .choice(options))
        status.choiceIndex = options.firstIndex { $0.value == (customer.status == .onHold ? "active" : customer.status.rawValue) } ?? 0
        var form = Form(title: zh ? "客户状态" : "Customer status", customer: customer.id, fields: [status, reasonField(language)]) { form, _, _ in
            let chosen = CustomerStatus(rawValue: form["status"].choiceValue ?? "active") ?? .active
            // Active again from a hold is the hold released, recorded as `release` records it.
            return .changeProfile(customer.id, customer.status == .onHold && chosen == .active ? .release : .status(chosen), reason: form.text("reason"))
        }
        // Asked again before saving: closing a customer who owes, and lifting a hold (the form
        // opens at active for a held customer, so one quick Enter would otherwise lift it).
        let owed = balance.isPositive ? currency.format(balance, grouping: ",") : nil
        form.confirm = { form, _, _ in
            let chosen = form["status"].choiceValue
            if customer.status == .onHold && chosen == "active" {
                return zh ? "将解除 \(customer.id) 的信用冻结（冻结一般用 H 解除）" : "this lifts \(customer.id)'s credit hold (H is the usual way)"
            }
            guard let owed, chosen == "closed" && customer.status != .closed else { return nil }
            return zh ? "\(customer.id) 仍欠 \(owed)：关闭后将不再出现在待办、审核与催收中" : "\(customer.id) still owes \(owed): closed, it leaves the queue, the review and dunning"
        }
        // A customer has one status: a hand-off or closing takes the place of a credit hold.
        if customer.status == .onHold {
            form.preview = { form, _, _ in
                switch form["status"].choiceValue {
                case "active": [zh ? "将解除信用冻结" : "this lifts the credit hold"]
                case "legal", "agency": [zh ? "取代信用冻结（移交后同样不再赊销）" : "replaces the credit hold (no new credit after a hand-off either)"]
                default: [zh ? "取代信用冻结" : "replaces the credit hold"]
                }
            }
        }
        return form
    }

    /// Opens at the review date set, or 90 days out when none is set or it has passed (a date
    /// in the past would open with an error before anything was typed).
    static func review(_ customer: Customer, today: Day, language: Language) -> Form {
        let zh = language == .zh
        let planned = customer.nextReview.flatMap { $0 >= today ? $0.iso : nil } ?? (zh ? "+90天" : "+90d")
        return Form(title: zh ? "下次信用审核" : "Next credit review", customer: customer.id, fields: [
            Field(key: "date", label: zh ? "日期" : "On", kind: .date(optional: false, when: .ahead), text: planned),
        ]) { form, today, _ in .changeProfile(customer.id, .nextReview(form.day("date", today)), reason: "") }
    }

    /// `waiting`: the user's own limit and write-off requests for the customer still waiting
    /// for a manager; a new one of the same sort replaces it (said before it is saved).
    static func request(_ customer: Customer, balance: Money, waiting: [Request] = [], currency: Currency, language: Language) -> Form {
        let zh = language == .zh
        // No amount filled in: one field serves a new limit and a write-off, and a prefilled limit
        // was sent as a write-off when the kind was changed. Both figures are shown instead.
        var form = Form(title: zh ? "提交申请（额度或坏账核销）" : "Request a limit change or write-off", customer: customer.id, fields: [
            Field(key: "kind", label: zh ? "类型" : "Kind", kind: .choice([("limit", zh ? "调整额度" : "credit limit"), ("writeoff", zh ? "坏账核销" : "write-off")])),
            Field(key: "amount", label: zh ? "金额" : "Amount", kind: .amountOrZero),
            reasonField(language),
        ]) { form, _, currency in
            let amount = form.amount("amount", currency) ?? .zero
            let kind: RequestKind = form["kind"].choiceValue == "writeoff" ? .writeOff(amount) : .creditLimit(amount)
            return .request(customer.id, kind, reason: form.text("reason"))
        }
        // A limit of zero asks for no limit at all: said as it is typed, and asked again on sending.
        let removing: @Sendable (Form, Currency) -> Bool = { form, currency in
            form["kind"].choiceValue != "writeoff" && customer.creditLimit.isPositive && form.amount("amount", currency) == .zero
        }
        form.preview = { form, _, currency in
            (removing(form, currency) ? [limitRemovalWarning(zh)] : [])
            + [(zh ? "当前额度 " : "current limit ") + (customer.creditLimit.isPositive ? currency.format(customer.creditLimit, grouping: ",") : (zh ? "无" : "none"))
                + (zh ? "，余额 " : ", balance ") + currency.format(balance, grouping: ",")]
                + waiting.map { request in
                    (zh ? "待批：" : "waiting: ") + request.id + " " + ActivityText.requested(request.kind, currency: currency, chinese: zh)
                }
        }
        // A request it names as waiting decided meanwhile: said, rather than "replaces … still waiting".
        form.stale = { book, language in
            guard let decided = waiting.first(where: { book.requests[$0.id]?.state != .pending }) else { return nil }
            let how: (String, String) = switch book.requests[decided.id]?.state {
            case .approved(let by)?: ("approved by \(by)", "已由 \(by) 批准")
            case .rejected(let by, _)?: ("rejected by \(by)", "已由 \(by) 驳回")
            default: ("decided", "已处理")
            }
            return language.pick(("Your request \(decided.id) was \(how.0) while this form was open: Esc, and open it again to see the customer as it is now",
                                  "你的申请 \(decided.id) 在表单打开期间\(how.1)：按 Esc 后重新打开查看最新情况"))
        }
        form.confirm = { form, _, currency in
            let kind: RequestKind = form["kind"].choiceValue == "writeoff" ? .writeOff(.zero) : .creditLimit(.zero)
            let removal = removing(form, currency) ? limitRemovalWarning(zh) : nil
            // The same again is refused at once (the desk says it waits already), not "replaced".
            let amount = form.amount("amount", currency) ?? .zero
            let asking: RequestKind = form["kind"].choiceValue == "writeoff" ? .writeOff(amount) : .creditLimit(amount)
            guard let earlier = waiting.first(where: { $0.kind.isSameSort(as: kind) }), earlier.kind != asking else { return removal }
            let asked = ActivityText.requested(earlier.kind, currency: currency, chinese: zh)
            let replaces = zh ? "将取代你待批的申请 \(earlier.id)（\(asked)）" : "replaces your request \(earlier.id) (\(asked)), still waiting"
            return removal.map { $0 + (zh ? "；" : "; ") + replaces } ?? replaces
        }
        return form
    }

    /// 5C scorecard: five scores → weighted score → grade, with the suggested limit and terms shown;
    /// the manager confirms the grade or overrides it, with a reason, and sets when the customer
    /// is reviewed next (a review due moves a year on unless changed: the review is done).
    static func scorecard(_ customer: Customer, card: Scorecard, monthlySales: Money, today: Day, currency: Currency, language: Language) -> Form {
        let zh = language == .zh
        let labels = zh ? ["品格", "能力", "资本", "抵押", "条件"] : ["Character", "Capacity", "Capital", "Collateral", "Conditions"]
        let grades: [(value: String, label: String)] = [("", zh ? "（按评分）" : "(as scored)")] + RiskGrade.allCases.map { ($0.rawValue, $0.rawValue) }
        // Every score starts at the highest even score the card grades as the customer's grade
        // (none: 3), so that saving the card unchanged keeps the grade rather than moving it.
        let start = customer.grade.flatMap { grade in
            (1...5).reversed().first { card.evaluate(scores: Array(repeating: $0, count: 5), monthlySales: monthlySales)?.grade == grade }
        }.map(String.init) ?? "3"
        var form = Form(title: zh ? "5C 信用评分" : "5C scorecard", customer: customer.id,
                        fields: zip(Scorecard.names, labels).map { Field(key: $0, label: $1, kind: .wholeNumber(1...5), text: start) }
                            + [Field(key: "override", label: zh ? "改为等级" : "Override", kind: .choice(grades)), reasonField(language),
                               Field(key: "next", label: zh ? "下次审核" : "Next review", kind: .date(optional: false, when: .ahead),
                                     text: nextReview(after: customer.nextReview, today: today).iso)]) { form, today, _ in
            let scores = Scorecard.names.map { form.number($0) ?? 0 }
            guard let result = card.evaluate(scores: scores, monthlySales: monthlySales) else {
                throw DeskError.invalid(zh ? "每项评分须为 1–5" : "every score must be 1 to 5")
            }
            let chosen = form["override"].choiceValue.flatMap { RiskGrade(rawValue: $0) } ?? result.grade
            let note = "5C \(scores.map(String.init).joined(separator: "/")) = \(Format.hundredths(result.score)) → \(result.grade.rawValue)"
                + (chosen == result.grade ? "" : zh ? "，改为 \(chosen.rawValue)" : ", overridden to \(chosen.rawValue)")
            // A review that keeps the grade is still a review: recorded as a note on the customer.
            let said = chosen == customer.grade ? note + (zh ? "，等级 \(chosen.rawValue) 不变：" : ", grade \(chosen.rawValue) kept: ") + form.text("reason")
                : note + (zh ? "：" : ": ") + form.text("reason")
            return .creditReview(customer.id, grade: chosen, note: said, nextReview: form.day("next", today))
        }
        form.preview = { form, _, currency in
            let scores = Scorecard.names.map { form.number($0) ?? 0 }
            guard let result = card.evaluate(scores: scores, monthlySales: monthlySales) else { return [] }
            return [(zh ? "评分 " : "score ") + "\(Format.hundredths(result.score)) → " + (zh ? "等级 " : "grade ") + result.grade.rawValue,
                    // A zero limit set with $ means "no limit": grade E is told as no credit instead.
                    result.suggestedLimit.isPositive
                        ? (zh ? "建议额度 " : "suggested limit ") + currency.format(result.suggestedLimit, grouping: ",") + (zh ? "，账期 " : ", terms ") + "\(result.suggestedTermsDays)" + (zh ? " 天" : " days")
                        : (zh ? "建议不再赊销（预付或冻结）" : "suggested: no credit (cash in advance or a hold)")]
        }
        return form
    }

    /// A review's next date as the form suggests it: a year on when the review is due (or none
    /// was set), else the date set already.
    static func nextReview(after set: Day?, today: Day) -> Day {
        guard let set, set > today else { return today.adding(months: 12) }  // from 29 February: the 28th
        return set
    }
}
