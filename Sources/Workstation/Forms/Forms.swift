import Core
import Desk

/// The collector's forms, each building one command. Defaults are what a collector would type
/// anyway: the amount past due, a date a few days out.
enum Forms {
    static func logCall(_ customer: CustomerID, language: Language) -> Form {
        let zh = language == .zh
        let outcomes: [(value: String, label: String)] = CallOutcome.loggable.map {
            ($0.rawValue, zh ? chineseOutcome($0) : $0.rawValue)
        }
        return Form(title: zh ? "记录通话" : "Log a call", customer: customer, fields: [
            Field(key: "outcome", label: zh ? "结果" : "Outcome", kind: .choice(outcomes)),
            Field(key: "note", label: zh ? "备注" : "Note", kind: .text(required: false)),
            Field(key: "callback", label: zh ? "回访日期" : "Call back", kind: .date(optional: true, when: .ahead)),
        ]) { form, today, _ in
            let callback = form.text("callback").isEmpty ? nil : form.day("callback", today)
            return .logCall(customer, CallOutcome(rawValue: form["outcome"].choiceValue ?? "reached") ?? .reached,
                            note: form.text("note"), callback: callback)
        }
    }

    /// What a new promise or plan takes the place of: the customer's promises still open.
    static func replacing(_ open: [Promise], currency: Currency, zh: Bool) -> [String] {
        open.map { p in
            zh ? "取代 \(p.due.iso) 前付 \(currency.format(p.amount, grouping: ",")) 的承诺"
               : "replaces the open promise of \(currency.format(p.amount, grouping: ",")) by \(p.due.iso)"
        }
    }

    /// What a new promise adds to: the customer's promises taken earlier today (a schedule).
    static func besides(_ sameDay: [Promise], currency: Currency, zh: Bool) -> [String] {
        sameDay.map { p in
            zh ? "另加今天已承诺的 \(p.due.iso) 前付 \(currency.format(p.amount, grouping: ","))"
               : "adds to today's promise of \(currency.format(p.amount, grouping: ",")) by \(p.due.iso)"
        }
    }

    static func promise(_ customer: CustomerID, pastDue: Money, open: [Promise] = [], sameDay: [Promise] = [], currency: Currency,
                        language: Language) -> Form {
        let zh = language == .zh
        var form = Form(title: zh ? "承诺付款" : "Promise to pay", customer: customer, fields: [
            Field(key: "amount", label: zh ? "金额" : "Amount", kind: .amount,
                  text: pastDue.isPositive ? currency.format(pastDue, grouping: ",") : ""),
            Field(key: "date", label: zh ? "付款日期" : "Pay by", kind: .date(optional: false, when: .ahead), text: zh ? "+7天" : "+7d"),
        ]) { form, today, currency in
            .promise(customer, amount: form.amount("amount", currency), due: form.day("date", today)!)
        }
        let replaced = replacing(open, currency: currency, zh: zh) + besides(sameDay, currency: currency, zh: zh)
        form.preview = { _, _, _ in replaced }
        // The same promise again today is most likely the first saved twice (promises of a day
        // add up, so the customer would owe it twice by then): asked, as the CLI refuses it.
        form.confirm = { form, today, currency in
            guard let amount = form.amount("amount", currency), let due = form.day("date", today),
                  let twin = sameDay.first(where: { $0.amount == amount && $0.due == due }) else { return nil }
            let money = currency.format(amount, grouping: ",")
            return zh ? "今天已登记同一承诺（\(twin.id)：\(due.iso) 前付 \(money)）；再登记一笔将使承诺金额翻倍"
                : "the same promise was saved earlier today (\(twin.id): \(money) by \(due.iso)); a second one doubles what is promised"
        }
        return form
    }

    /// A plan of N instalments every K days from a first date; the last absorbs the rounding so
    /// the instalments always add up to the total.
    static func plan(_ customer: CustomerID, pastDue: Money, open: [Promise] = [], sameDay: [Promise] = [], currency: Currency,
                     language: Language) -> Form {
        let zh = language == .zh
        var form = Form(title: zh ? "分期付款计划" : "Payment plan", customer: customer, fields: [
            Field(key: "total", label: zh ? "总额" : "Total", kind: .amount,
                  text: pastDue.isPositive ? currency.format(pastDue, grouping: ",") : ""),
            Field(key: "count", label: zh ? "期数" : "Instalments", kind: .wholeNumber(1...36), text: "3"),
            Field(key: "first", label: zh ? "首期日期" : "First due", kind: .date(optional: false, when: .ahead), text: zh ? "+7天" : "+7d"),
            Field(key: "every", label: zh ? "间隔天数" : "Every (days)", kind: .wholeNumber(1...365), text: "30"),
        ]) { form, today, currency in
            let instalments = planInstalments(form, today: today, currency: currency)
            return .plan(customer, instalments: instalments, total: form.amount("total", currency))
        }
        let replaced = replacing(open, currency: currency, zh: zh) + besides(sameDay, currency: currency, zh: zh)
        form.preview = { form, today, currency in
            let lines = planInstalments(form, today: today, currency: currency).map { "\($0.due.iso)  \(currency.format($0.amount, grouping: ","))" }
            // A long plan: its first instalments and its last (the one that carries the rounding),
            // not a list cut wherever the screen ends.
            guard lines.count > 8 else { return replaced + lines }
            return replaced + lines.prefix(6) + [zh ? "… 另有 \(lines.count - 7) 期 …" : "… \(lines.count - 7) more …", lines.last!]
        }
        return form
    }

    static func planInstalments(_ form: Form, today: Day, currency: Currency) -> [(due: Day, amount: Money)] {
        guard let total = form.amount("total", currency), total.isPositive, let count = form.number("count"), (1...36).contains(count),
              let first = form.day("first", today), let every = form.number("every"), (1...365).contains(every) else { return [] }  // as the fields allow
        let share = total.minorUnits / Int64(count)
        return (0..<count).map { index in
            let amount = index == count - 1 ? total.minorUnits - share * Int64(count - 1) : share
            return (first.adding(days: index * every), Money(minorUnits: amount))
        }
    }

    /// `replacing`: the callback asked for and not had yet, which the new one takes the place of
    /// (a customer has one callback at a time): said, so that it is not dropped unseen.
    static func callback(_ customer: CustomerID, replacing pending: (day: Day, note: String)?, language: Language) -> Form {
        let zh = language == .zh
        var form = Form(title: zh ? "安排回访" : "Schedule a callback", customer: customer, fields: [
            Field(key: "date", label: zh ? "日期" : "On", kind: .date(optional: false, when: .ahead), text: zh ? "明天" : "tomorrow"),
            Field(key: "note", label: zh ? "备注" : "Note", kind: .text(required: false)),
        ]) { form, today, _ in
            .callback(customer, on: form.day("date", today)!, note: form.text("note"))
        }
        if let pending {
            let note = pending.note.isEmpty ? "" : (zh ? "（\(pending.note)）" : " (\(pending.note))")
            form.preview = { _, _, _ in
                [zh ? "将取代 \(pending.day.iso) 的回访\(note)" : "Replaces the callback of \(pending.day.iso)\(note)"]
            }
        }
        return form
    }

    static func note(_ customer: CustomerID, language: Language) -> Form {
        let zh = language == .zh
        return Form(title: zh ? "添加备注" : "Add a note", customer: customer, fields: [
            Field(key: "text", label: zh ? "备注" : "Note", kind: .text(required: true)),
        ]) { form, _, _ in .note(customer, form.text("text")) }
    }

    static func dispute(_ customer: CustomerID, openInvoices: [(number: String, label: String)], language: Language) -> Form {
        let zh = language == .zh
        var form = Form(title: zh ? "登记争议" : "Dispute invoices", customer: customer, fields: [
            Field(key: "invoices", label: zh ? "发票" : "Invoices", kind: .picks(openInvoices.map { ($0.number, $0.label) })),
            Field(key: "reason", label: zh ? "原因" : "Reason", kind: .text(required: true)),
            // Empty: all that is open of each invoice; a figure: that part of the one picked.
            Field(key: "amount", label: zh ? "争议金额" : "Part disputed", kind: .optionalAmount),
        ]) { form, _, currency in
            .dispute(customer, invoices: form["invoices"].pickedValues, amount: form.amount("amount", currency), reason: form.text("reason"))
        }
        // What an empty amount means, said under the fields (the label has no room for it).
        form.preview = { form, _, currency in
            form.amount("amount", currency) == nil
                ? [zh ? "争议金额不填：所选发票的未结金额全部有争议" : "Part disputed left empty: all that is open of each invoice picked"]
                : [zh ? "只有这部分有争议（只选一张发票）；其余照常催收" : "Only that part of the one invoice picked is disputed; the rest is collected as usual"]
        }
        return form
    }

    /// One of the customer's open disputes, and how it was settled (what was agreed, a credit
    /// note issued): the note stays on the timeline.
    static func resolveDispute(_ customer: CustomerID, disputes: [(value: String, label: String)], language: Language) -> Form {
        let zh = language == .zh
        return Form(title: zh ? "解决争议" : "Resolve a dispute", customer: customer, fields: [
            Field(key: "dispute", label: zh ? "争议" : "Dispute", kind: .choice(disputes)),
            Field(key: "note", label: zh ? "处理结果" : "Outcome", kind: .text(required: true)),
        ]) { form, _, _ in
            .resolveDispute(id: form["dispute"].choiceValue ?? "", note: form.text("note"))
        }
    }

    /// A customer's contact people: which one (or a new one) first, then its name, phone and
    /// email, filled in with the one picked. Several may be edited in one go: what was typed for
    /// one is kept while another is picked, and all are saved together. A contact other than the
    /// first left with nothing in it is removed; the first is who is called first.
    static func contact(_ customer: CustomerID, contacts: [ContactPerson], language: Language) -> Form {
        let zh = language == .zh
        let current = contacts.first ?? ContactPerson()
        let keys = ["name", "phone", "email"]
        var fields = [
            Field(key: "name", label: zh ? "姓名" : "Name", kind: .text(required: false), text: current.name),
            Field(key: "phone", label: zh ? "电话" : "Phone", kind: .phone, text: current.phone),
            Field(key: "email", label: zh ? "邮箱" : "Email", kind: .email, text: current.email),
        ]
        let options = contacts.enumerated().map { index, person in
            (value: String(index), label: "\(index + 1) " + (person.name.isEmpty ? person.phone : person.name))
        } + [(value: "new", label: zh ? "新增联系人" : "a new one")]
        if !contacts.isEmpty {
            fields.insert(Field(key: "which", label: zh ? "联系人" : "Contact", kind: .choice(options)), at: 0)
        }
        @Sendable func person(_ texts: [String: String]) -> ContactPerson {
            let text = { (key: String) in (texts[key] ?? "").trimmingCharacters(in: .whitespaces) }
            return ContactPerson(name: text("name"), phone: text("phone"), email: text("email"))
        }
        @Sendable func original(_ which: Int) -> ContactPerson { which < contacts.count ? contacts[which] : ContactPerson() }
        /// Every contact edited, by its index (a new one past the end): those left for another and the one shown.
        @Sendable func edited(_ form: Form) -> [Int: ContactPerson] {
            var texts = form.drafts
            texts[form.shownChoice] = Dictionary(uniqueKeysWithValues: keys.map { ($0, form[$0].text) })
            return texts.mapValues(person).filter { $0.value != original($0.key) }
        }
        var form = Form(title: zh ? "联系人" : "Contact person", customer: customer, fields: fields) { form, _, _ in
            // "A new one" left empty, and nothing else changed: what is missing, not "already has that".
            if form.shownChoice >= contacts.count, edited(form).isEmpty {
                throw DeskError.invalid(Phrase("a new contact person needs a name, a phone or an e-mail", zh: "新增联系人至少需要姓名、电话或邮箱之一"))
            }
            var list = contacts
            var removed: Set<Int> = []
            var added: ContactPerson?
            for (which, person) in edited(form) {
                if which >= contacts.count {
                    if person != ContactPerson() { added = person }  // a new one left empty adds nothing
                } else if person == ContactPerson() && which > 0 {
                    removed.insert(which)
                } else {
                    list[which] = person
                }
            }
            list = list.enumerated().filter { !removed.contains($0.offset) }.map(\.element) + (added.map { [$0] } ?? [])
            return .changeProfile(customer, .contacts(list), reason: "")
        }
        if !contacts.isEmpty { form.focus = 1 }  // the first contact's name: what is edited most
        // The whole list is saved: one changed meanwhile would be written over.
        form.stale = { book, language in
            book.customers[customer]?.contacts == contacts ? nil
                : language.pick(("The contacts were changed meanwhile (by another user): Esc, and open the form again to see them",
                                 "联系人已被他人修改：按 Esc 后重新打开表单查看"))
        }
        // The others edited, and those emptied (removed), are named: what Enter saves is no surprise.
        form.preview = { form, _, _ in
            let edits = edited(form)
            let removed = edits.filter { $0.key > 0 && $0.key < contacts.count && $0.value == ContactPerson() }.keys.sorted()
            let others = edits.keys.filter { $0 != form.shownChoice && !removed.contains($0) }.sorted()
            let names = { (indexes: [Int]) in indexes.map { options[$0].label }.joined(separator: zh ? "、" : ", ") }
            var notes: [String] = []
            if !others.isEmpty { notes.append(zh ? "一并保存对以下联系人的修改：" + names(others) : "Also saved: the changes to " + names(others)) }
            if !removed.isEmpty { notes.append(zh ? "保存将删除联系人：" + names(removed) : "Saving removes " + names(removed)) }
            return notes
        }
        form.choiceChanged = { form in
            // What was typed for the contact shown is kept, to show again and to save with the rest.
            form.drafts[form.shownChoice] = Dictionary(uniqueKeysWithValues: keys.map { ($0, form[$0].text) })
            let which = form["which"].choiceIndex
            form.shownChoice = which
            let person = original(which)
            let draft = form.drafts[which]
            for (key, value) in [("name", person.name), ("phone", person.phone), ("email", person.email)] {
                if let index = form.fields.firstIndex(where: { $0.key == key }) {
                    form.fields[index].text = draft?[key] ?? value
                    form.fields[index].cursor = nil
                }
            }
        }
        return form
    }

    /// `letters`: the policy's levels that send a letter (a letter recorded by hand is one of them);
    /// `dueLevel`: the level today's queue says is due, whose letter the form offers first.
    static func documentSent(_ customer: CustomerID, statement: Bool, currentLevel: Int, dueLevel: Int? = nil, letters: [DunningLevel] = [],
                             language: Language) -> Form {
        let zh = language == .zh
        if statement {
            // Written here into the outbox (in the customer's language), or one sent from another
            // system, only recorded.
            let how: [(value: String, label: String)] = [("write", zh ? "生成到发件箱（outbox）并记录" : "write it to the outbox"),
                                                          ("record", zh ? "已另行发出，仅记录" : "sent another way: record it")]
            return Form(title: zh ? "对账单" : "Statement of account", customer: customer, fields: [
                Field(key: "how", label: zh ? "方式" : "How", kind: .choice(how)),
                Field(key: "to", label: zh ? "截止日期" : "Up to", kind: .date(optional: false, when: .behind), text: zh ? "今天" : "today"),
            ]) { form, today, _ in
                let to = form.day("to", today)!
                return form["how"].choiceValue == "record" ? .documentSent(customer, .statement(from: nil, to: to), file: "")
                    : .writeStatement(customer, to: to)
            }
        }
        // The policy's letter levels to choose from, starting at the one due, else the customer's
        // level or the one before it.
        let options = letters.map { (value: String($0.level), label: "\($0.level) \($0.name(chinese: zh))") }
        guard !options.isEmpty else {
            return Form(title: zh ? "记录已发催款函" : "Letter sent", customer: customer, fields: [
                Field(key: "level", label: zh ? "级别" : "Level", kind: .wholeNumber(1...9), text: String(max(1, currentLevel))),
            ]) { form, _, _ in .documentSent(customer, .letter(level: form.number("level") ?? 1), file: "") }
        }
        var field = Field(key: "level", label: zh ? "级别" : "Level", kind: .choice(options))
        field.choiceIndex = letters.firstIndex { $0.level == dueLevel } ?? letters.lastIndex { $0.level <= max(1, currentLevel) } ?? 0
        var form = Form(title: zh ? "记录已发催款函" : "Letter sent", customer: customer, fields: [field]) { form, _, _ in
            .documentSent(customer, .letter(level: Int(form["level"].choiceValue ?? "1") ?? 1), file: "")
        }
        // A letter sent by hand is recorded as contact; the customer's dunning level (and the
        // fee and interest of the next one) moves only with a dunning run.
        form.preview = { form, _, _ in
            let chosen = Int(form["level"].choiceValue ?? "") ?? currentLevel
            guard chosen > currentLevel else { return [] }
            if currentLevel == 0 {
                return [zh ? "仅记录函件；该客户尚无催收级别，由催收批次设定" : "Records the letter only: the customer has no dunning level until a dunning run sets one"]
            }
            return [zh ? "仅记录函件；催收级别仍为 \(currentLevel)，由催收批次调整" : "Records the letter only: the dunning level stays \(currentLevel) until a dunning run moves it"]
        }
        return form
    }

    static func chineseOutcome(_ outcome: CallOutcome) -> String {
        switch outcome {
        case .reached: return "已接通"
        case .noAnswer: return "无人接听"
        case .leftMessage: return "已留言"
        case .wrongNumber: return "号码错误"
        case .refused: return "拒绝沟通"
        case .disputed: return "有争议"
        case .promised: return "已承诺"
        }
    }
}
