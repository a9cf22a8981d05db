import Core
import Terminal
import Testing
@testable import Workstation

/// Typing into a form as a collector does: fixing a typo in the middle, pasting from an email,
/// typing with a Chinese input method, and being told what is wrong with a field.
@Suite struct FormEditingTests {
    let today = Day(iso: "2026-03-02")!

    func type(_ text: String, into form: inout Form) { for ch in text { form.apply(.type(String(ch))) } }

    /// A day typed without its month in a field about the past is the last such day: a payment
    /// reversed "on the 25th" on 2 March is February's, not a refusal for being still to come.
    @Test func aDayOfTheMonthInAFieldAboutThePastIsTheLastOne() {
        let past = Field(key: "date", label: "On", kind: .date(optional: false, when: .behind), text: "25号")
        #expect(past.echo(today: today, currency: .cny) == "→ 2026-02-25")
        #expect(past.problem(today: today, currency: .cny, language: .en) == nil)
        let ahead = Field(key: "date", label: "By", kind: .date(optional: false, when: .ahead), text: "25号")
        #expect(ahead.echo(today: today, currency: .cny) == "→ 2026-03-25")
        let form = Form(title: "t", customer: "C1", fields: [past]) { _, _, _ in .note("C1", "x") }
        #expect(form.day("date", today) == Day(iso: "2026-02-25"))
    }

    @Test func theCaretMovesAndTypingGoesWhereItIs() {
        var form = Forms.note("C1", language: .en)
        type("will pay Mon", into: &form)
        form.apply(.left); form.apply(.left); form.apply(.left)
        type("on ", into: &form)
        #expect(form["text"].text == "will pay on Mon")
        form.apply(.home)
        form.apply(.deleteForward)
        type("W", into: &form)
        #expect(form["text"].text == "Will pay on Mon")
        form.apply(.end)
        form.apply(.backspace)
        type("nday", into: &form)
        #expect(form["text"].text == "Will pay on Monday")
        form.apply(.deleteWord)
        #expect(form["text"].text == "Will pay on ")
        form.apply(.left); form.apply(.left); form.apply(.left)
        form.apply(.clearToStart)
        #expect(form["text"].text == "on ")
        #expect(form["text"].caret == 0)
        // Chinese has no spaces: Ctrl-W stops at its punctuation.
        form.apply(.clear)
        type("客户说下周五付款，财务张经理", into: &form)
        form.apply(.deleteWord)
        #expect(form["text"].text == "客户说下周五付款，")
        form.apply(.deleteWord)
        #expect(form["text"].text == "")
    }

    /// A combining accent typed on its own joins the letter before it; the caret stays after
    /// that letter, so what is typed next goes there and not past the following one.
    @Test func aCombiningMarkKeepsTheCaretInPlace() {
        var form = Forms.note("C1", language: .en)
        type("AB", into: &form)
        form.apply(.left)
        form.apply(.type("e")); form.apply(.type("\u{301}")); form.apply(.type("Z"))
        #expect(form["text"].text == "Ae\u{301}ZB")
        #expect(form["text"].caret == 3)
    }

    @Test func pastedLinesBecomeOneLineWithSpaces() {
        var form = Forms.note("C1", language: .en)
        form.apply(.type("first line\r\nsecond line: 请核对\nthird"))
        #expect(form["text"].text == "first line second line: 请核对 third")
    }

    @Test func fullWidthDigitsAreReadAsAmountsAndDates() {
        var form = Forms.promise("C1", pastDue: .zero, currency: .cny, language: .zh)
        type("１，２００．５０", into: &form)
        #expect(form["amount"].text == "1,200.50")
        #expect(form.amount("amount", .cny) == Money(minorUnits: 120_050))
        form.apply(.next)
        form.apply(.clear)
        type("２０２６－０３－１０", into: &form)
        #expect(form.day("date", today) == Day(iso: "2026-03-10"))
    }

    @Test func aFieldSaysWhatIsWrongWithIt() {
        var form = Forms.promise("C1", pastDue: .zero, currency: .cny, language: .en)
        func problem(_ key: String) -> String? {
            form[key].problem(today: today, currency: .cny, language: .en)
        }
        #expect(problem("amount") == "required")
        type("100.005", into: &form)
        #expect(problem("amount") == "at most 2 decimals ('.' is the decimal point, ',' groups thousands: 1,200)")
        form.apply(.clear)
        type("1.2345678万", into: &form)
        #expect(problem("amount") == "at most 6 decimals with 万")
        form.apply(.clear)
        type("1.2万", into: &form)
        #expect(problem("amount") == nil)
        form.apply(.clear)
        type("12x", into: &form)
        #expect(problem("amount") == "\"12x\" is not an amount (e.g. 1,234.50)")
        form.apply(.clear)
        type("1234567890123456", into: &form)
        #expect(problem("amount") == "too large: at most 15 digits before the decimal point")
        form.apply(.next)
        form.apply(.clear)
        type("2026-02-30", into: &form)
        #expect(problem("date")?.hasPrefix("\"2026-02-30\" is not a date") == true)
        var note = Forms.note("C1", language: .en)
        note.apply(.type(String(repeating: "长", count: Field.longestText + 1)))
        #expect(note["text"].problem(today: today, currency: .cny, language: .en)?.hasPrefix("at most 2000 characters") == true)
    }

    /// A date that must be ahead (a plan's first instalment) or behind (a statement sent up to)
    /// says so at its own field.
    @Test func datesSayWhichWayTheyMustLie() {
        var plan = Forms.plan("C1", pastDue: Money(minorUnits: 10_000), currency: .cny, language: .en)
        plan.focus = 2
        plan.apply(.clear)
        type("2026-03-01", into: &plan)
        #expect(plan.problems(today: today, currency: .cny, language: .en).first.map { "\($0.field): \($0.problem)" }
                == "First due: 2026-03-01 has passed: today or later")
        var sent = Forms.documentSent("C1", statement: true, currentLevel: 0, language: .en)
        sent.focus = 1  // after how it is sent
        sent.apply(.clear)
        type("+3d", into: &sent)
        #expect(sent.problems(today: today, currency: .cny, language: .en).first?.problem == "2026-03-05 is still to come: today or earlier")
    }

    /// A limit of zero is no limit at all: the form says so, and points at a hold.
    @Test func aZeroLimitSaysItRemovesTheLimit() {
        var form = ManagerForms.limit(Customer(id: "C1", name: "Acme Ltd", creditLimit: Money(minorUnits: 500_000)), currency: .cny, language: .en)
        #expect(form.preview(form, today, .cny).isEmpty)
        form.apply(.clear)
        type("0", into: &form)
        #expect(form.preview(form, today, .cny).first?.contains("removes the limit") == true)
    }

    /// A letter recorded by hand is one of the policy's letter levels, the customer's own or the
    /// one before it (level 4 is a credit hold, not a letter).
    @Test func aLetterSentIsOneOfThePolicysLetters() {
        let form = Forms.documentSent("C1", statement: false, currentLevel: 4, letters: Policy.standard.dunningLevels.filter(\.isLetter), language: .en)
        guard case .choice(let options) = form["level"].kind else { Issue.record("not a choice"); return }
        #expect(options.map(\.label) == ["1 reminder", "3 final notice"])
        #expect(form["level"].choiceValue == "3")
        // At level 2 (a call) with level 3 due, the letter due is offered first, not the reminder.
        let due = Forms.documentSent("C1", statement: false, currentLevel: 2, dueLevel: 3,
                                     letters: Policy.standard.dunningLevels.filter(\.isLetter), language: .en)
        #expect(due["level"].choiceValue == "3")
        #expect(Forms.documentSent("C1", statement: false, currentLevel: 2, letters: Policy.standard.dunningLevels.filter(\.isLetter),
                                   language: .en)["level"].choiceValue == "1")
    }

    /// A queue reason's detail in Chinese for a Chinese workstation.
    @Test func queueReasonsReadInChinese() {
        let held = QueueReason.About.held(4, name: "credit hold", refused: true)
        #expect(held.text(in: .cny, chinese: true) == "第 4 级 credit hold：已被经理驳回，请跟进")
        #expect(QueueReason.About.days(1).text(in: .cny) == "1 day")
        #expect(QueueReason.About.callback(today).text(in: .cny, chinese: true) == "回访 2026-03-02")
    }

    @Test func wrappingBreaksAtSpacesOrBetweenChineseCharacters() {
        #expect(DisplayWidth.wrap("will pay on Monday after the audit", to: 12) == ["will pay on", "Monday after", "the audit"])
        #expect(DisplayWidth.wrap("本月底前安排付款", to: 6) == ["本月底", "前安排", "付款"])
        #expect(DisplayWidth.wrap("a\nb", to: 5) == ["a", "b"])
        // No line starts with closing punctuation; Chinese after a number breaks where it fits.
        #expect(DisplayWidth.wrap("本月底前安排付款。谢谢", to: 16) == ["本月底前安排付", "款。谢谢"])
        #expect(DisplayWidth.wrap("PO 12345；请销售部门核对", to: 16) == ["PO 12345；请销售", "部门核对"])
        // A Latin word next to Chinese goes down whole; 。。。 and opening brackets keep to their text.
        #expect(DisplayWidth.wrap("请同步CRM系统", to: 8) == ["请同步", "CRM系统"])
        #expect(DisplayWidth.wrap("测试中。。。结束", to: 8) == ["测试", "中。。。", "结束"])
        #expect(DisplayWidth.wrap("请看附件（发票）", to: 10) == ["请看附件", "（发票）"])
        // A Latin word before closing punctuation that must go down goes down whole with it.
        #expect(DisplayWidth.wrap("可用 :dunning run、:help", to: 19) == ["可用 :dunning", "run、:help"])
    }

    /// Terms and a plan's interval take days as the screens show them: `45天`, `４５天`, `14 days`, `30d`.
    @Test func daysMayBeTypedWithTheirUnit() throws {
        for typed in ["45天", "４５天", "45 days", "45d"] {
            var form = ManagerForms.terms(Customer(id: "C1", name: "x"), language: .zh)
            form.apply(.clear); type(typed, into: &form)
            #expect(form.problems(today: Day(iso: "2026-03-02")!, currency: .cny, language: .zh).isEmpty, "\(typed)")
            guard case .changeProfile("C1", .terms(let days), _) = try form.build(form, Day(iso: "2026-03-02")!, .cny) else { Issue.record("\(typed) built another command"); continue }
            #expect(days == 45, "\(typed)")
        }
        var form = ManagerForms.terms(Customer(id: "C1", name: "x"), language: .en)
        form.apply(.clear); type("45 weeks", into: &form)
        #expect(form.problems(today: Day(iso: "2026-03-02")!, currency: .cny, language: .en).map(\.problem) == ["a number from 0 to 3650"])
    }

    @Test func theCaretStaysInSightInALongField() {
        var form = Forms.note("C1", language: .en)
        type(String(repeating: "a", count: 50) + String(repeating: "b", count: 50), into: &form)
        for _ in 0..<60 { form.apply(.left) }
        let shown = Workstation.withCaret(form["text"], room: 20)
        #expect(shown.contains("▏"))
        #expect(shown.hasPrefix("…") && shown.hasSuffix("…") && DisplayWidth.of(shown) == 20, "\(shown)")  // cut on both sides, said on both
        form.apply(.home)
        let start = Workstation.withCaret(form["text"], room: 20)
        #expect(start.hasPrefix("▏aaa") && start.hasSuffix("…"))
        form.apply(.end)
        #expect(Workstation.withCaret(form["text"], room: 20).hasSuffix("bb▏"))
        // Chinese text two columns a character: the same, nothing cut in half.
        var chinese = Forms.note("C1", language: .zh)
        type("客户财务部门反馈由于年底资金紧张，计划在十二月中旬支付一部分款项，剩余部分将于明年一月份结清", into: &chinese)
        chinese.apply(.left); chinese.apply(.left)
        let cut = Workstation.withCaret(chinese["text"], room: 30)
        #expect(cut.hasPrefix("…") && cut.hasSuffix("▏结清") && DisplayWidth.of(cut) <= 30, "\(cut)")  // what follows the caret in sight
    }
}

extension FormEditingTests {
    /// K on a held customer opens at active (what lifting the hold would be): saving that asks a
    /// second Enter. R's date follows the cause: a payment entered in error is taken back as of
    /// the day it was received.
    @Test func liftingAHoldIsAskedAndAReversalInErrorIsDatedItsDay() {
        var held = Customer(id: "C1", name: "Acme")
        held.status = .onHold
        let status = ManagerForms.status(held, language: .en)
        #expect(status["status"].choiceValue == "active")
        #expect(status.confirm(status, Day(iso: "2026-03-01")!, .cny)?.contains("this lifts C1's credit hold") == true)
        #expect(ManagerForms.status(Customer(id: "C2", name: "Bolt"), language: .en).confirm(status, Day(iso: "2026-03-01")!, .cny) == nil)

        let payments = [Payment(reference: "P1", customer: "C1", day: Day(iso: "2026-02-10")!, amount: Money(minorUnits: 100), allocations: [])]
        var reversal = ManagerForms.reversePayment(held, payments: payments, currency: .cny, language: .en)
        #expect(reversal["date"].text == "today")
        reversal.focus = 1  // the cause
        reversal.apply(.right)
        #expect(reversal["cause"].choiceValue == "entered-in-error" && reversal["date"].text == "2026-02-10")
        reversal.apply(.right)
        #expect(reversal["date"].text == "today")
        // A date typed stays when only the payment changes (returned unpaid).
        let two = payments + [Payment(reference: "P2", customer: "C1", day: Day(iso: "2026-02-20")!, amount: Money(minorUnits: 50), allocations: [])]
        var typed = ManagerForms.reversePayment(held, payments: two, currency: .cny, language: .en)
        typed.focus = 2
        typed.apply(.clear)
        type("2026-02-25", into: &typed)
        typed.focus = 0
        typed.apply(.right)
        #expect(typed["payment"].choiceValue == "P2" && typed["date"].text == "2026-02-25")
    }
}

extension FormEditingTests {
    /// A long plan's preview gives its first instalments and its last (the one carrying the rounding).
    @Test func aLongPlansPreviewEndsWithItsLastInstalment() {
        var plan = Forms.plan("C1", pastDue: Money(minorUnits: 100_000), currency: .cny, language: .en)
        plan.focus = 1
        plan.apply(.clear)
        type("24", into: &plan)
        let lines = plan.preview(plan, Day(iso: "2026-03-01")!, .cny)
        #expect(lines.count == 8 && lines[6] == "… 17 more …" && lines[7].hasSuffix("41.82"), "\(lines)")
    }
}
