import Core
@testable import Desk
import Testing
import Foundation
import Journal
import FlatJSON

@Suite struct DeskCommandTests {
    /// A book with one customer owing two invoices, one overdue.
    func bookWithDebt() throws -> TestBook {
        let book = try TestBook(today: day("2026-03-01"))
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "北京恒泰贸易有限公司", creditLimit: cny("1,000"))]))
        try book.desk.perform(.issueInvoices([
            Invoice(number: "I1", customer: "C1", issued: day("2026-01-01"), due: day("2026-01-31"), amount: cny("500")),
            Invoice(number: "I2", customer: "C1", issued: day("2026-02-15"), due: day("2026-03-17"), amount: cny("300")),
        ]))
        return book
    }

    @Test func actionsAreSavedAndReplayed() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.logCall("C1", .reached, note: "will pay", callback: day("2026-03-03")))
        try book.desk.perform(.promise("C1", amount: nil, due: day("2026-03-05")))
        let reopened = try book.reopen()
        #expect(reopened.book.timeline(of: "C1").count == 2)
        let promise = try #require(reopened.book.promises(of: "C1").first)
        #expect(promise.amount == cny("500"))  // defaults to the amount past due
        #expect(promise.takenBy == "tester")
        #expect(reopened.book.lastSequence == book.desk.book.lastSequence)
    }

    /// A promise's default amount is what is asked for: the past due less what is disputed.
    @Test func aPromiseDefaultsToThePastDueNotDisputed() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.issueInvoices([Invoice(number: "I0", customer: "C1", issued: day("2025-12-01"), due: day("2025-12-31"), amount: cny("200"))]))
        try book.desk.perform(.dispute("C1", invoices: ["I0"], reason: "short delivery"))
        try book.desk.perform(.promise("C1", amount: nil, due: day("2026-03-05")))
        #expect(book.desk.book.promises(of: "C1").first?.amount == cny("500"))  // I1, not the disputed I0
    }

    /// Promises taken the same day are a schedule and add up: together they stay within what the
    /// customer owes (two promises of the whole balance made a customer who paid it all look
    /// like a broken promise), and the default asks for what is left of the past due.
    @Test func promisesOfOneDayAddUpWithinTheBalance() throws {
        let book = try bookWithDebt()  // owes 800.00, of it 500.00 past due
        try book.desk.perform(.promise("C1", amount: cny("300"), due: day("2026-03-05")))
        try book.desk.perform(.promise("C1", amount: nil, due: day("2026-03-10")))
        #expect(book.desk.book.promises(of: "C1").map(\.amount) == [cny("300"), cny("200")])
        #expect { try book.desk.perform(.promise("C1", amount: cny("400"), due: day("2026-03-12"))) } throws: {
            "\($0)".contains("a promise of 400.00 with the 500.00 promised earlier today (") && "\($0)".contains("comes to 900.00, more than C1 owes (800.00): at most 300.00 more today")
        }
        #expect { try book.desk.perform(.promise("C1", amount: nil, due: day("2026-03-12"))) } throws: { "\($0)".contains("promised its past due earlier today") }
        #expect(throws: DeskError.self) { try book.desk.perform(.plan("C1", instalments: [(due: day("2026-04-01"), amount: cny("400"))], total: nil)) }
        try book.desk.perform(.promise("C1", amount: cny("300"), due: day("2026-03-12")))  // the rest of the balance
        // A later day's promise replaces those still open, so it is checked alone.
        let later = try book.reopen(today: day("2026-03-02"))
        try later.perform(.promise("C1", amount: cny("800"), due: day("2026-03-20")))
    }

    /// The credit a customer has with us already is not promised again: with 100.00 of credit
    /// on 800.00, a promise of 701.00 is a slip.
    @Test func aPromiseIsHeldWithinWhatIsOwedNetOfCredit() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.creditNote("C1", number: "CN1", amount: cny("100"), on: day("2026-03-01"), invoice: nil, reason: "rebate"))
        #expect { try book.desk.perform(.promise("C1", amount: cny("701"), due: day("2026-03-05"))) } throws: {
            "\($0)".contains("a promise of 701.00 is more than C1 owes net of its credit (700.00)")
        }
        try book.desk.perform(.promise("C1", amount: cny("700"), due: day("2026-03-05")))
        // A credit note past what is owed is a slip unless the customer is to be left in credit.
        #expect { try book.desk.perform(.creditNote("C1", number: "CN2", amount: cny("900"), on: day("2026-03-01"), invoice: nil, reason: "rebate")) } throws: {
            "\($0)".contains("is more than C1 owes net of its credit (700.00); if the customer is to be left in credit (a rebate to one who owes nothing), --credit")
        }
        try book.desk.perform(.creditNote("C1", number: "CN2", amount: cny("900"), on: day("2026-03-01"), invoice: nil, reason: "rebate", beyondOwed: true))
        #expect(Position("C1", in: book.desk.book, asOf: day("2026-03-01")).credit == cny("1,000"))
    }

    /// Part of an invoice disputed: only that part is held back from what is collected (and so
    /// from escalation, fees and interest); an amount is of one invoice, and less than its open.
    @Test func partOfAnInvoiceMayBeDisputed() throws {
        let book = try bookWithDebt()  // I1 500.00 past due, I2 300.00 not due
        #expect { try book.desk.perform(.dispute("C1", invoices: ["I1", "I2"], amount: cny("50"), reason: "short")) } throws: {
            "\($0)".contains("an amount disputes part of one invoice")
        }
        #expect { try book.desk.perform(.dispute("C1", invoices: ["I1"], amount: cny("500"), reason: "short")) } throws: {
            "\($0)".contains("500.00 is not part of the 500.00 open on I1: leave the amount out to dispute all of it")
        }
        try book.desk.perform(.dispute("C1", invoices: ["I1"], amount: cny("120"), reason: "two cartons short"))
        let position = Position("C1", in: book.desk.book, asOf: day("2026-03-01"))
        #expect(position.disputed == cny("120") && position.toCollect == cny("380"))
        let reopened = try book.reopen()
        #expect(reopened.book.openDisputes(of: "C1").first?.amount == cny("120"))
        let ledger = try LedgerOutput(book: reopened.book, customer: "C1", asOf: day("2026-03-01"))
        #expect(ledger.table.rows.first?.last?.contains("DISPUTED 120.00") == true, "\(ledger.table.rows)")
        // A payment of the rest of I1 pays it there, not on I2 first as if all of I1 were disputed;
        // what is more goes to I2, then to the part disputed.
        try reopened.perform(.pay("C1", amount: cny("380"), on: day("2026-03-01"), invoice: nil, reference: "B1", method: "bank"))
        #expect(reopened.book.payments["B1"]?.allocations.map(\.invoice) == ["I1"])
        #expect(Position("C1", in: reopened.book, asOf: day("2026-03-01")).collectablePastDue == .zero)
        try reopened.perform(.pay("C1", amount: cny("350"), on: day("2026-03-01"), invoice: nil, reference: "B2", method: "bank"))
        #expect(reopened.book.payments["B2"]?.allocations.map { "\($0.invoice) \($0.amount.minorUnits)" } == ["I2 30000", "I1 5000"])
    }

    /// The part disputed is held back from an invoice's earliest open instalments, where the
    /// aging puts it: paying what the queue asks pays what it counts; credit applied follows the
    /// same order instalment by instalment (by invoice, it spent one invoice whole first).
    @Test func aPartDisputedIsHeldFromTheEarliestInstalments() throws {
        let book = try TestBook(today: day("2026-03-01"))
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "A"), Customer(id: "C2", name: "B")]))
        try book.desk.perform(.issueInvoices([
            Invoice(number: "X", customer: "C1", issued: day("2026-01-01"),
                    instalments: [Instalment(due: day("2026-02-01"), amount: cny("500")), Instalment(due: day("2026-04-30"), amount: cny("500"))]),
            Invoice(number: "Y", customer: "C1", issued: day("2026-01-01"), due: day("2026-02-10"), amount: cny("400")),
            Invoice(number: "P", customer: "C2", issued: day("2026-01-01"), due: day("2026-02-01"), amount: cny("1,000")),
            Invoice(number: "Q", customer: "C2", issued: day("2026-01-01"), due: day("2026-02-10"), amount: cny("400")),
        ]))
        try book.desk.perform(.dispute("C1", invoices: ["X"], amount: cny("300"), reason: "short"))
        #expect(Position("C1", in: book.desk.book, asOf: day("2026-03-01")).toCollect == cny("600"))
        try book.desk.perform(.pay("C1", amount: cny("600"), on: day("2026-03-01"), invoice: nil, reference: "B1", method: "bank"))
        #expect(book.desk.book.payments["B1"]?.allocations.map { "\($0.invoice) \($0.amount.minorUnits)" } == ["X 20000", "Y 40000"])
        #expect(Position("C1", in: book.desk.book, asOf: day("2026-03-01")).toCollect == .zero)
        try book.desk.perform(.dispute("C2", invoices: ["P"], amount: cny("300"), reason: "short"))
        try book.desk.perform(.creditNote("C2", number: "CN1", amount: cny("1,000"), on: day("2026-03-01"), invoice: nil, reason: "rebate"))
        let applied = try book.desk.perform(.applyCredit("C2", from: nil, invoice: nil, amount: nil, on: day("2026-03-01")))
        #expect(applied.isEmpty == false)
        let application = try #require(book.desk.book.creditApplications.values.first)
        #expect(application.allocations.map { "\($0.invoice) \($0.amount.minorUnits)" } == ["P 70000", "Q 30000"])
    }

    /// A limit changed is not undone with u: the refusal names the key and the command that
    /// change it back.
    @Test func aLimitChangeNamesHowToChangeItBack() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.changeProfile("C1", .creditLimit(cny("2,000")), reason: "new contract"))
        #expect { try book.desk.perform(.undoLast) } throws: { error in
            "\(error)".contains("cannot be undone with u; change it back with $, or ardesk limit")
                && (error as? DeskError)?.text(chinese: true).contains("请按 $ 或用 ardesk limit 改回") == true
        }
    }

    /// An invoice has one open dispute at a time; the ledger names it by its id, which resolve takes.
    @Test func anInvoiceIsDisputedOnceAtATime() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.dispute("C1", invoices: ["I1"], reason: "short delivery"))
        #expect { try book.desk.perform(.dispute("C1", invoices: ["I2", "I1"], reason: "again")) } throws: {
            "\($0)".contains("invoice I1 is disputed already")
        }
        #expect { try book.desk.perform(.dispute("C1", invoices: ["I2", "I2"], reason: "twice")) } throws: {
            "\($0)".contains("invoice I2 is named twice")
        }
        let id = try #require(book.desk.book.openDisputes(of: "C1").first?.id)
        let activity = try #require(book.desk.book.timeline(of: "C1").last)
        #expect(ActivityText.describe(activity.kind, book: book.desk.book, chinese: false, levels: []).detail == "I1 (\(id)): short delivery")
        // A settled invoice has nothing open to dispute.
        try book.desk.perform(.pay("C1", amount: cny("300"), on: day("2026-03-01"), invoice: "I2", reference: "B2", method: "bank"))
        #expect { try book.desk.perform(.dispute("C1", invoices: ["I2"], reason: "late")) } throws: { "\($0)".contains("invoice I2 is settled") }
        // One not issued yet is not called settled.
        try book.desk.perform(.issueInvoices([Invoice(number: "I3", customer: "C1", issued: day("2026-03-20"), due: day("2026-04-19"), amount: cny("10"))]))
        #expect { try book.desk.perform(.dispute("C1", invoices: ["I3"], reason: "early")) } throws: {
            "\($0)".contains("invoice I3 is issued on 2026-03-20, after today (2026-03-01)")
        }
    }

    /// Chinese activity lines use Chinese punctuation around ids and reasons.
    @Test func chineseActivityLinesUseChinesePunctuation() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.request("C1", .creditLimit(cny("2,000")), reason: "growth"))
        try book.desk.perform(.dispute("C1", invoices: ["I1"], reason: "质量问题"))
        let timeline = book.desk.book.timeline(of: "C1")
        let request = try #require(timeline.first { if case .request = $0.kind { true } else { false } })
        let dispute = try #require(timeline.last)
        let en = ActivityText.describe(request.kind, book: book.desk.book, chinese: false, levels: []).detail
        let zh = ActivityText.describe(request.kind, book: book.desk.book, chinese: true, levels: []).detail
        #expect(en.hasPrefix("R") && en.contains(": credit limit 2,000.00 · growth") && !en.contains(")"), "\(en)")
        #expect(zh.contains("：信用额度 2,000.00") && !zh.contains(": "), "\(zh)")
        let disputed = ActivityText.describe(dispute.kind, book: book.desk.book, chinese: true, levels: []).detail
        #expect(disputed.hasPrefix("I1（") && disputed.hasSuffix("）：质量问题"), "\(disputed)")
    }

    /// A change of contacts names each of them, so that one added or removed can be seen.
    @Test func aContactChangeNamesEachContact() throws {
        let book = try bookWithDebt()
        let contacts = Activity.Kind.profile(.contacts([ContactPerson(name: "Ann Lee"), ContactPerson(name: "欧阳·娜仁托娅")]), reason: "")
        #expect(ActivityText.describe(contacts, book: book.desk.book, chinese: false, levels: []).detail == "contact Ann Lee (also 欧阳·娜仁托娅)")
        #expect(ActivityText.describe(contacts, book: book.desk.book, chinese: true, levels: []).detail == "联系人 Ann Lee（另有 欧阳·娜仁托娅）")
    }

    @Test func aRefusedCommandAppendsNothing() throws {
        let book = try bookWithDebt()
        let before = book.desk.book.lastSequence
        #expect(throws: DeskError.self) { try book.desk.perform(.note("NOPE", "x")) }
        #expect(throws: DeskError.self) { try book.desk.perform(.promise("C1", amount: nil, due: day("2026-02-01"))) }
        #expect(throws: DeskError.self) { try book.desk.perform(.issueInvoices([
            Invoice(number: "I1", customer: "C1", issued: day("2026-01-01"), due: day("2026-01-31"), amount: cny("1"))])) }
        #expect(book.desk.book.lastSequence == before)
        #expect(try book.reopen().book.lastSequence == before)
    }

    /// What a manager or collector types wrongly is refused with the reason, and nothing is written.
    @Test func impossibleChangesAreRefused() throws {
        let book = try bookWithDebt()
        let before = book.desk.book.lastSequence
        func refusal(_ command: Command) -> String {
            do { try book.desk.perform(command); return "" } catch { return "\(error)" }
        }
        #expect(refusal(.pay("C1", amount: cny("10"), on: day("2026-03-02"), invoice: nil, reference: nil, method: "bank")).contains("after today"))
        #expect(refusal(.changeProfile("C1", .creditLimit(cny("-500")), reason: "typo")).contains("below zero"))
        #expect(refusal(.request("C1", .creditLimit(cny("-300")), reason: "typo")).contains("below zero"))
        #expect(refusal(.writeOff("C1", amount: .zero, invoice: nil, reason: "x")).contains("above zero"))
        #expect(refusal(.request("C1", .writeOff(.zero), reason: "x")).contains("above zero"))
        #expect(refusal(.changeProfile("C1", .release, reason: "x")).contains("not on hold"))
        #expect(refusal(.promise("C1", amount: cny("99,999"), due: day("2026-03-05"))).contains("more than C1 owes (800.00)"))
        #expect(book.desk.book.lastSequence == before)
        // Releasing must not end a legal hand-off; a hold is for active customers.
        try book.desk.perform(.changeProfile("C1", .status(.legal), reason: "sued"))
        #expect(refusal(.changeProfile("C1", .release, reason: "x")).contains("use `status`"))
        #expect(refusal(.changeProfile("C1", .hold, reason: "x")).contains("not active"))
        #expect(book.desk.book.customers["C1"]?.status == .legal)
    }

    /// A write-off request for more than is open is refused when filed; approving one writes off
    /// the amount asked for, never all that is open.
    @Test func anApprovedWriteOffIsTheAmountAskedFor() throws {
        let book = try bookWithDebt()
        #expect(throws: DeskError.self) { try book.desk.perform(.request("C1", .writeOff(cny("99,999")), reason: "bankrupt")) }
        #expect(book.desk.book.requests.isEmpty)
        try book.desk.perform(.request("C1", .writeOff(cny("200")), reason: "bankrupt"))
        let fitting = try #require(book.desk.book.requests.values.first { $0.state == .pending }?.id)
        try book.desk.perform(.decide(requestID: fitting, approved: true, reason: ""))
        #expect(book.desk.book.invoices["I1"]!.open(asOf: day("2026-03-01")) == cny("300"))
        #expect(book.desk.book.invoices["I2"]!.open(asOf: day("2026-03-01")) == cny("300"))
    }

    /// A payment after the write-off whose credit was applied since cannot move onto what the
    /// reinstatement reopens: refused, naming the application to take back first.
    @Test func aReinstatementThatWouldMoveAppliedCreditNamesIt() throws {
        let book = try bookWithDebt()
        let desk = book.desk
        try desk.perform(.writeOff("C1", amount: cny("500"), invoice: "I1", reason: "gone quiet"))
        try desk.perform(.pay("C1", amount: cny("400"), on: desk.today, invoice: nil, reference: "P1", method: "bank"))  // I2, 100 over
        try desk.perform(.issueInvoices([Invoice(number: "I3", customer: "C1", issued: day("2026-03-01"), due: day("2026-03-31"), amount: cny("100"))]))
        try desk.perform(.applyCredit("C1", from: .payment("P1"), invoice: "I3", amount: nil, on: desk.today))
        let applied = try #require(desk.book.creditApplications(of: "C1").first?.id)
        let id = try #require(desk.book.writeOffs(of: "C1").first?.id)
        #expect { try desk.perform(.reinstateWriteOff(id: id, on: desk.today, reason: "paid")) } throws: {
            "\($0)".contains("take back the credit applied (\(applied), U or ardesk unapply-credit) first")
        }
        // A write-off after credit applied is named as the write-off by u (an earlier application
        // found going back is not this action's).
        try desk.perform(.issueInvoices([Invoice(number: "I4", customer: "C1", issued: day("2026-03-01"), due: day("2026-03-31"), amount: cny("40"))]))
        try desk.perform(.writeOff("C1", amount: cny("40"), invoice: "I4", reason: "small"))
        #expect { try desk.perform(.undoLast) } throws: { "\($0)".contains("wrote off WO") && !"\($0)".contains("applied credit") }
    }

    /// A write-off past what the customer owes net of its unapplied credit would leave it a
    /// credit it never paid for: refused, pointing to applying the credit first.
    @Test func aWriteOffStopsAtWhatIsOwedNetOfCredit() throws {
        let book = try bookWithDebt()  // C1 owes 800
        try book.desk.perform(.creditNote("C1", number: "CN1", amount: cny("100"), on: book.desk.today, invoice: nil, reason: "rebate"))
        #expect { try book.desk.perform(.writeOff("C1", amount: cny("800"), invoice: nil, reason: "gone")) } throws: {
            "\($0)".contains("C1 has 100.00 of unapplied credit") && "\($0)".contains("at most 700.00 now")
        }
        try book.desk.perform(.writeOff("C1", amount: cny("700"), invoice: nil, reason: "gone"))
        let position = Position("C1", in: book.desk.book, asOf: book.desk.today)
        #expect(position.balance == cny("100") && position.credit == cny("100"))  // owes nothing net
    }

    /// u names the user's own last action by where it began: another manager's write-off is not
    /// theirs, and a reinstatement that moved payments is named as a reinstatement.
    @Test func undoNamesTheUsersOwnLastAction() throws {
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\ndave = \"manager\"\n")
        let carol = try book.reopen(), dave = try book.reopen(user: "dave")
        try carol.perform(.writeOff("C1", amount: cny("500"), invoice: "I1", reason: "small"))  // all of I1: the payment goes to I2
        try dave.perform(.pay("C1", amount: cny("50"), on: dave.today, invoice: nil, reference: "P1", method: "bank"))
        #expect { try dave.perform(.undoLast) } throws: { "\($0)".contains("was a posting") && !"\($0)".contains("wrote off") }
        let id = try #require(carol.book.writeOffs(of: "C1").first?.id)
        #expect { try carol.perform(.undoLast) } throws: { "\($0)".contains("wrote off \(id)") }
        // Reinstated on the payment's day, the payment moves onto I1: the action is two records.
        let written = try carol.perform(.reinstateWriteOff(id: id, on: carol.today, reason: "paid"))
        #expect(written.count == 2)
        #expect { try carol.perform(.undoLast) } throws: { "\($0)".contains("reinstated write-off \(id)") }
    }

    /// A claim made void since (the customer given to another collector) is passed over: u goes
    /// on to the action before it instead of refusing for good; so does a request withdrawn.
    /// Undoing a request that replaced another asks for that one again.
    @Test func undoPassesOverWhatNothingIsLeftOf() throws {
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\nwang = \"collector\"\n")
        let lina = try book.reopen(user: "lina")
        try lina.perform(.note("C1", "called twice"))
        try lina.perform(.claim("C1"))
        try book.reopen().perform(.assign(["C1"], collector: "wang", reason: "rebalance"))
        _ = try lina.refresh()
        #expect(try lina.actionToUndo().map(\.kind) == [.note("called twice")])
        // A request that replaced another, withdrawn by u: the next u does not stop at either.
        let wang = try book.reopen(user: "wang")
        try wang.perform(.note("C1", "promised soon"))
        try wang.perform(.request("C1", .creditLimit(cny("5,000")), reason: "growth"))
        try wang.perform(.request("C1", .creditLimit(cny("6,000")), reason: "more growth"))
        let replaced = try #require(wang.book.requests.values.first { $0.kind == .creditLimit(cny("5,000")) })
        try wang.perform(.undoLast)
        // The request it replaced is asked for again, as it was (a new id, the same ask and reason).
        let again = wang.book.requests.values.filter { $0.state == .pending }
        #expect(again.map(\.kind) == [.creditLimit(cny("5,000"))] && again.first?.reason == replaced.reason && again.first?.id != replaced.id)
        // u again withdraws that one (an undo of its first filing), then goes on to the note.
        try wang.perform(.undoLast)
        #expect(try wang.actionToUndo().map(\.kind) == [.note("promised soon")])
    }

    /// A system clock set back before the latest day an action was recorded on is said when the
    /// book opens; on that day or after, nothing is said.
    @Test func aClockBeforeTheLatestRecordedDayIsNamed() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.note("C1", "called"))
        let latest = book.desk.today
        #expect(book.desk.clockNote(systemToday: latest) == nil && book.desk.clockNote(systemToday: latest.adding(days: 3)) == nil)
        let note = try #require(book.desk.clockNote(systemToday: latest.adding(days: -400)))
        #expect(note.contains("before the latest day an action was recorded in this book (\(latest.iso))"), "\(note)")
    }

    /// A write-off is reinstated by a manager only, with a reason, on a day from the write-off's
    /// to today; u names the command that takes a write-off back.
    @Test func aWriteOffIsReinstatedByAManagerWithAReason() throws {
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\n")
        let manager = try book.reopen()
        try manager.perform(.writeOff("C1", amount: cny("100"), invoice: "I1", reason: "small balance"))
        let id = try #require(manager.book.writeOffs(of: "C1").first?.id)
        #expect { try manager.perform(.undoLast) } throws: { "\($0)".contains("ardesk reinstate \(id)") }
        let lina = try book.reopen(user: "lina")
        #expect { try lina.perform(.reinstateWriteOff(id: id, on: lina.today, reason: "paid")) } throws: { "\($0)".contains("only a manager") }
        #expect { try manager.perform(.reinstateWriteOff(id: id, on: manager.today, reason: " ")) } throws: { "\($0)".contains("needs a reason") }
        #expect { try manager.perform(.reinstateWriteOff(id: id, on: manager.today.adding(days: 1), reason: "paid")) } throws: { "\($0)".contains("after today") }
        #expect { try manager.perform(.reinstateWriteOff(id: id, on: manager.today.adding(days: -1), reason: "paid")) } throws: { "\($0)".contains("before it") }
        #expect { try manager.perform(.reinstateWriteOff(id: "WO0", on: manager.today, reason: "paid")) } throws: { "\($0)".contains("no write-off \"WO0\"") }
        try manager.perform(.reinstateWriteOff(id: id, on: manager.today, reason: "paid after all"))
        #expect(manager.book.writeOffs[id]?.reinstated?.reason == "paid after all")
        #expect { try manager.perform(.undoLast) } throws: { "\($0)".contains("reinstated write-off \(id) of C1, which u does not undo") }
        #expect(try book.reopen().book.writeOffs[id]?.reinstated?.day == manager.today)
    }

    /// A request asked again while the first waits is refused; its requester withdraws one with u
    /// (recorded as a decision against it), and a manager can approve a limit that was set meanwhile.
    @Test func requestsAreNotFiledTwiceAndTheirRequesterWithdrawsThem() throws {
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\n")
        let lina = try book.reopen(user: "lina")
        try lina.perform(.request("C1", .creditLimit(cny("5,000")), reason: "growth"))
        #expect { try lina.perform(.request("C1", .creditLimit(cny("5,000")), reason: "again")) } throws: {
            "\($0)".contains("asks for that already")
        }
        try lina.perform(.request("C1", .writeOff(cny("100")), reason: "bankrupt"))
        let writeOff = try #require(lina.book.requests.values.first { $0.kind == .writeOff(cny("100")) }?.id)
        try lina.perform(.undoLast)
        #expect(lina.book.requests[writeOff]?.state == .rejected(by: "lina", reason: "withdrawn by lina"))
        // Withdrawn, it is an undo done: the next u goes on to the action before it (the limit
        // request), not stopping at the withdrawal for good.
        let waiting = try #require(lina.book.requests.values.first { $0.kind == .creditLimit(cny("5,000")) }?.id)
        #expect(try lina.actionToUndo().map(\.kind) == [.request(id: waiting)])
        // The limit set by a manager meanwhile: approving records the decision, changing nothing.
        let manager = try book.reopen()
        try manager.perform(.changeProfile("C1", .creditLimit(cny("5,000")), reason: "set directly"))
        let limit = try #require(manager.book.requests.values.first { $0.kind == .creditLimit(cny("5,000")) }?.id)
        // Not decided on a day before it was filed (a session with an earlier day pinned), and an
        // id typed without its first letter is named.
        let earlier = try book.reopen(today: manager.today.adding(days: -1))
        #expect { try earlier.perform(.decide(requestID: limit, approved: true, reason: "")) } throws: { "\($0)".contains("after today") }
        #expect { try manager.perform(.decide(requestID: String(limit.dropFirst()), approved: true, reason: "")) } throws: {
            "\($0)".contains("did you mean \(limit)?")
        }
        try manager.perform(.decide(requestID: limit, approved: true, reason: ""))
        #expect(manager.book.requests[limit]?.state == .approved(by: "tester"))
        #expect { try manager.perform(.undoLast) } throws: { "\($0)".contains("is a decision and stands") }
    }

    /// A manager's own request turned down, where another manager decides it, is withdrawn, and
    /// every screen and the undo say so.
    @Test func onesOwnRequestTurnedDownIsWithdrawn() throws {
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\ncarol = \"manager\"\n")
        let desk = try book.reopen()
        try desk.perform(.request("C1", .creditLimit(cny("5,000")), reason: "growth"))
        let id = try #require(desk.book.requests.values.first?.id)
        try desk.perform(.decide(requestID: id, approved: false, reason: "not needed"))
        #expect(desk.book.requests[id]?.isWithdrawn == true)
        #expect(desk.book.requests[id]?.state == .rejected(by: "tester", reason: "withdrawn: not needed"))
    }

    /// A second limit of another amount while the first waits replaces the requester's own (one
    /// question for the manager, not two), and is refused over someone else's, naming them.
    @Test func aNewLimitRequestReplacesTheRequestersOwnStillWaiting() throws {
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\nbo = \"collector\"\n")
        let lina = try book.reopen(user: "lina")
        try lina.perform(.request("C1", .creditLimit(cny("5,000")), reason: "growth"))
        let first = try #require(lina.book.requests.values.first?.id)
        try lina.perform(.request("C1", .creditLimit(cny("8,000")), reason: "bigger order"))
        #expect(lina.book.requests[first]?.isWithdrawn == true)
        #expect(lina.book.requests[first]?.state == .rejected(by: "lina", reason: "withdrawn: replaced by a request for credit limit 8,000.00"))
        let waiting = lina.book.requests.values.filter { $0.state == .pending }
        #expect(waiting.map(\.kind) == [.creditLimit(cny("8,000"))])
        // A write-off request is another question: it waits beside the limit.
        try lina.perform(.request("C1", .writeOff(cny("100")), reason: "bankrupt"))
        #expect(lina.book.requests.values.filter { $0.state == .pending }.count == 2)
        let bo = try book.reopen(user: "bo")
        #expect { try bo.perform(.request("C1", .creditLimit(cny("9,000")), reason: "mine")) } throws: {
            "\($0)".contains("request \(waiting[0].id) by lina (credit limit 8,000.00) for C1 waits for a manager")
        }
        // Undone, the replacing request is withdrawn and the one it replaced asked for again.
        let again = try book.reopen(user: "lina")
        try again.perform(.request("C1", .creditLimit(cny("6,000")), reason: "smaller after all"))
        try again.perform(.undoLast)
        #expect(Set(again.book.requests.values.filter { $0.state == .pending }.map(\.kind).map { "\($0)" })
                == Set([RequestKind.writeOff(cny("100")), .creditLimit(cny("8,000"))].map { "\($0)" }))
    }

    /// Several customers assigned at once are checked as one: an unknown collector or customer
    /// refuses all of them, and a collector cannot assign at all.
    @Test func assigningSeveralCustomersIsCheckedLikeOne() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.addCustomers([Customer(id: "C2", name: "Acme Ltd")]))
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\n")
        let manager = try book.reopen()
        let before = manager.book.lastSequence
        #expect(throws: DeskError.self) { try manager.perform(.assign(["C1", "C2"], collector: "bogus", reason: "")) }
        #expect(throws: DeskError.self) { try manager.perform(.assign(["C1", "NOPE"], collector: "lina", reason: "")) }
        #expect(throws: DeskError.self) { try book.reopen(user: "lina").perform(.assign(["C1", "C2"], collector: "lina", reason: "")) }
        #expect(manager.book.lastSequence == before)
        try manager.perform(.assign(["C1", "C2"], collector: "lina", reason: "new territory"))
        #expect(manager.book.customers["C1"]?.collector == "lina" && manager.book.customers["C2"]?.collector == "lina")
    }

    /// A manager's own limit or write-off request is approved by another manager where the book
    /// has one; alone, a manager decides their own. Rejecting one's own stays open.
    @Test func aManagersOwnRequestIsApprovedByAnother() throws {
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\ncarol = \"manager\"\nlina = \"collector\"\n")
        let tester = try book.reopen()
        try tester.perform(.request("C1", .creditLimit(cny("5,000")), reason: "new contract"))
        let request = try #require(tester.book.requests.values.first { $0.state == .pending })
        let before = tester.book.lastSequence
        #expect { try tester.perform(.decide(requestID: request.id, approved: true, reason: "")) } throws: {
            "\($0)".contains("request \(request.id) is your own: another manager (carol) approves it")
        }
        #expect(tester.book.lastSequence == before)
        let carol = try book.reopen(user: "carol")
        try carol.perform(.decide(requestID: request.id, approved: true, reason: ""))
        #expect(carol.book.customers["C1"]?.creditLimit == cny("5,000"))
        // The only manager of a book decides their own.
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\n")
        let alone = try book.reopen()
        try alone.perform(.request("C1", .creditLimit(cny("6,000")), reason: "bigger contract"))
        let second = try #require(alone.book.requests.values.first { $0.state == .pending })
        try alone.perform(.decide(requestID: second.id, approved: true, reason: ""))
        #expect(alone.book.customers["C1"]?.creditLimit == cny("6,000"))
    }

    /// A user the roles file does not list, or one with a role that is no role, is told where;
    /// a collector cannot undo an action on a customer assigned to another since; a request its
    /// requester withdrew is said to be withdrawn when a manager decides it.
    @Test func rolesSayWhereAndUndoFollowsAssignment() throws {
        #expect { try Roles.parse("[users]\ntester = \"manager\"\nlina = \"boss\"\n", file: "roles.toml") } throws: {
            "\($0)".contains("roles.toml:3:1: users.lina must be")
        }
        #expect { try Roles.parse("[users]\ntester = \"manager\"\nli.na = \"collector\"\n", file: "roles.toml") } throws: {
            "\($0)".contains("roles.toml:3:1: li.na without quotes is not a user name but a table; write a name with a dot in quotes: \"li.na\" = \"collector\"")
        }
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\nwang = \"collector\"\n")
        let manager = try book.reopen()
        try manager.perform(.assign(["C1"], collector: "lina", reason: ""))
        let lina = try book.reopen(user: "lina")
        try lina.perform(.request("C1", .creditLimit(cny("5,000")), reason: "big order"))
        let first = try #require(lina.book.requests.values.first { $0.state == .pending })
        try lina.perform(.request("C1", .creditLimit(cny("6,000")), reason: "bigger order"))  // replaces her first
        #expect { try manager.perform(.decide(requestID: first.id, approved: true, reason: "")) } throws: {
            "\($0)".contains("request \(first.id) was withdrawn by lina")
        }
        // Withdrawn by undo: said once, not "withdrawn by lina (withdrawn by lina)".
        try lina.perform(.request("C1", .writeOff(cny("100")), reason: "bankrupt"))
        let writeOff = try #require(lina.book.requests.values.first { $0.state == .pending && $0.kind == .writeOff(cny("100")) })
        try lina.perform(.undoLast)
        #expect { try manager.perform(.decide(requestID: writeOff.id, approved: true, reason: "")) } throws: {
            "\($0)".contains("request \(writeOff.id) was withdrawn by lina") && !"\($0)".contains("(withdrawn by lina)")
        }
        try lina.perform(.note("C1", "left a message"))
        try manager.perform(.assign(["C1"], collector: "wang", reason: "territory"))
        #expect { try lina.perform(.undoLast) } throws: { "\($0)".contains("C1 is wang's customer now, so your last action on it stays") }
    }

    /// A write-off with no invoice named takes the undisputed past due first (what the form
    /// offers), then the disputed, and what is not yet due last; a reason of blanks is no
    /// reason; a line break in one stays on its line of the ledger's table.
    @Test func aWriteOffLeavesTheDisputedInvoiceAndWhatIsNotDueToTheEnd() throws {
        let book = try bookWithDebt()  // I1 500 past due, I2 300 due 2026-03-17
        try book.desk.perform(.issueInvoices([Invoice(number: "I0", customer: "C1", issued: day("2026-01-10"), due: day("2026-02-09"), amount: cny("20"))]))
        try book.desk.perform(.dispute("C1", invoices: ["I1"], reason: "damaged goods"))
        #expect(throws: DeskError.self) { try book.desk.perform(.writeOff("C1", amount: cny("10"), invoice: nil, reason: " \n ")) }
        try book.desk.perform(.writeOff("C1", amount: cny("30"), invoice: nil, reason: "rounding\nsecond line"))
        let writeOff = try #require(book.desk.book.writeOffs.values.first)
        #expect(writeOff.allocations == [Allocation(invoice: "I0", amount: cny("20")), Allocation(invoice: "I1", amount: cny("10"))])
        #expect(try book.desk.writeOffAllocations(cny("500"), of: "C1", to: nil)
                == [Allocation(invoice: "I1", amount: cny("490")), Allocation(invoice: "I2", amount: cny("10"))])
        let ledger = try LedgerOutput(book: book.desk.book, customer: "C1", asOf: book.desk.today)
        #expect(ledger.table.text { $0.count }.contains("rounding second line"))
    }

    /// The ledger as text names every contact person, the first on the summary line.
    @Test func theLedgerNamesEveryContactPerson() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.changeProfile("C1", .contacts([ContactPerson(name: "Ann Lee", phone: "555-0100", email: ""),
                                                              ContactPerson(name: "王杰", phone: "", email: "wj@acme.test")]), reason: ""))
        let text = try LedgerOutput(book: book.desk.book, customer: "C1", asOf: book.desk.today).table.text { $0.count }
        #expect(text.contains("· contact Ann Lee 555-0100\n"))
        #expect(text.contains("\ncontact 2: 王杰 wj@acme.test\n"))
    }

    /// A change of contacts or of the limit says what it replaced, in the ledger and its JSON,
    /// so a phone typed over by mistake can be read back.
    @Test func aChangedContactOrLimitSaysWhatItReplaced() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.changeProfile("C1", .contacts([ContactPerson(name: "Ann Lee", phone: "555-0100", email: "")]), reason: ""))
        try book.desk.perform(.changeProfile("C1", .contacts([ContactPerson(name: "Ann Lee", phone: "555-0199", email: "")]), reason: ""))
        try book.desk.perform(.changeProfile("C1", .creditLimit(cny("2,000")), reason: "bigger orders"))
        let ledger = try LedgerOutput(book: book.desk.book, customer: "C1", asOf: book.desk.today)
        let text = ledger.table.text { $0.count }
        #expect(text.contains("contact changed Ann Lee · 555-0199 (was Ann Lee · 555-0100)"), "\(text)")
        #expect(text.contains("credit limit 2,000.00 (was 1,000.00)"), "\(text)")
        #expect(text.contains("contact added Ann Lee · 555-0100"))  // the first, which only added one
        // A contact added beside the first is said as added, in full (it read as the first changed).
        let added = ActivityText.describe(.profile(.contacts([ContactPerson(name: "张洋芳", phone: "+86 160 1185 9898"), ContactPerson(name: "王总", phone: "139 1234 567")]), reason: ""),
                                          book: book.desk.book, chinese: true, before: Customer(id: "C1", name: "x", contacts: [ContactPerson(name: "张洋芳", phone: "+86 160 1185 9898")]))
        #expect(added.detail == "新增联系人 王总 · 139 1234 567", "\(added)")
        let (_, chinese) = ActivityText.describe(.profile(.creditLimit(cny("2,000")), reason: ""), book: book.desk.book, chinese: true,
                                                 before: Customer(id: "C1", name: "x", creditLimit: cny("1,000")))
        #expect(chinese == "信用额度 2,000.00（原为 1,000.00）")
    }

    /// An invoice's reference (the customer's order number) is in the ledger, its JSON and the
    /// CSV export's open items: what the customer looks the invoice up by.
    @Test func anInvoicesReferenceIsShownWhereItsOpenItemIs() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.issueInvoices([Invoice(number: "I7", customer: "C1", issued: day("2026-02-01"), due: day("2026-02-20"),
                                                      amount: cny("70"), reference: "PO 4711")]))
        let ledger = try LedgerOutput(book: book.desk.book, customer: "C1", asOf: book.desk.today)
        #expect(ledger.table.text { $0.count }.contains("9 days past due · ref PO 4711"))
        #expect(ledger.json.contains(#""reference":"PO 4711""#), "\(ledger.json)")
        let csv = CSVExport(book: book.desk.book, asOf: book.desk.today).openItems.csv
        #expect(csv.hasPrefix("customer,invoice,issue_date,due_date,amount,open,days_past_due,disputed,reference\n") && csv.contains(",no,PO 4711\n"), "\(csv)")
    }

    /// Of several contact people, the one with a phone or e-mail not fit to use is named by its
    /// place and name; nothing is saved.
    @Test func aBadPhoneAmongSeveralContactsNamesWhose() throws {
        let book = try bookWithDebt()
        let before = book.desk.book.lastSequence
        let contacts = [ContactPerson(name: "Ann Lee", phone: "555-0100", email: ""), ContactPerson(name: "王杰", phone: "call me", email: "")]
        #expect(throws: DeskError.self) { try book.desk.perform(.changeProfile("C1", .contacts(contacts), reason: "")) }
        do { try book.desk.perform(.changeProfile("C1", .contacts(contacts), reason: "")) } catch let error as DeskError {
            #expect("\(error)".contains("contact 2 (王杰): the phone \"call me\" is not a number to dial"), "\(error)")
        }
        #expect(book.desk.book.lastSequence == before)
    }

    @Test func paymentsGoToTheOldestDueFirst() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.pay("C1", amount: cny("600"), on: day("2026-03-01"), invoice: nil, reference: "BANK1", method: "bank"))
        let invoices = book.desk.book.invoices
        #expect(invoices["I1"]!.open(asOf: day("2026-03-01")) == .zero)
        #expect(invoices["I2"]!.open(asOf: day("2026-03-01")) == cny("200"))
        // More than is owed stays as unapplied cash on the customer.
        try book.desk.perform(.pay("C1", amount: cny("250"), on: day("2026-03-01"), invoice: nil, reference: "BANK2", method: "bank"))
        #expect(book.desk.book.payments["BANK2"]!.unapplied == cny("50"))
    }

    /// A back-dated payment pays only invoices issued by its day; the rest stays a credit. Named
    /// to a later invoice, it is refused with the reason.
    @Test func aBackDatedPaymentLeavesLaterInvoicesAlone() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.pay("C1", amount: cny("600"), on: day("2026-02-01"), invoice: nil, reference: "EARLY", method: "bank"))
        #expect(book.desk.book.payments["EARLY"]!.allocations.map(\.invoice) == ["I1"])
        #expect(book.desk.book.payments["EARLY"]!.unapplied == cny("100"))
        #expect(throws: DeskError.self) {
            try book.desk.perform(.pay("C1", amount: cny("50"), on: day("2026-02-01"), invoice: "I2", reference: "EARLY2", method: "bank"))
        }
    }

    @Test func undoIsACompensatingEventForMyOwnLastAction() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.promise("C1", amount: cny("100"), due: day("2026-03-04")))
        try book.desk.perform(.note("C1", "first"))
        try book.desk.perform(.undoLast)
        let timeline = book.desk.book.timeline(of: "C1")
        #expect(timeline.last?.undoneBy != nil)  // the note
        #expect(book.desk.book.promises(of: "C1").count == 1)
        try book.desk.perform(.undoLast)  // the promise
        #expect(book.desk.book.promises(of: "C1").isEmpty)
        // Another user's actions are not mine to undo.
        let other = try book.reopen(user: "someone.else")
        #expect(throws: DeskError.self) { try other.perform(.undoLast) }
        #expect(try book.reopen().book.promises(of: "C1").isEmpty)
    }

    /// Undo takes back my last action or says why it cannot: after a hold or a payment it does
    /// not reach past them to undo an older note on another customer.
    @Test func undoNeverReachesPastAnActionItCannotUndo() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.addCustomers([Customer(id: "C2", name: "Acme Ltd")]))
        try book.desk.perform(.note("C2", "older note"))
        try book.desk.perform(.changeProfile("C1", .hold, reason: "over limit"))
        let before = book.desk.book.lastSequence
        do { try book.desk.perform(.undoLast); Issue.record("the hold was not refused") } catch {
            #expect("\(error)".contains("credit hold") && "\(error)".contains("C1"))
            let chinese = (error as? DeskError)?.text(chinese: true) ?? ""
            #expect(chinese.contains("信用冻结") && !chinese.contains("credit hold"))  // said in Chinese throughout
        }
        try book.desk.perform(.note("C2", "newer note"))
        #expect(try book.desk.actionToUndo().map(\.kind) == [.note("newer note")])
        try book.desk.perform(.pay("C1", amount: cny("10"), on: day("2026-03-01"), invoice: nil, reference: "B9", method: "bank"))
        #expect(throws: DeskError.self) { try book.desk.perform(.undoLast) }
        #expect(book.desk.book.lastSequence == before + 2)
        #expect(book.desk.book.timeline(of: "C2").allSatisfy { $0.undoneBy == nil })
    }

    /// u takes back one whole action (a dispute over two invoices is two records), and only
    /// today's: a slip is noticed the day it is made, and older work is changed on purpose.
    @Test func undoTakesBackTodaysWholeActionAndNothingOlder() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.note("C1", "yesterday's note"))
        let tomorrow = try book.reopen(today: day("2026-03-02"))
        try tomorrow.perform(.dispute("C1", invoices: ["I1", "I2"], reason: "price differs"))
        func openDisputes() -> Int { ["I1", "I2"].flatMap { tomorrow.book.disputes(onInvoice: $0) }.filter { $0.status == .open }.count }
        #expect(openDisputes() == 2)
        try tomorrow.perform(.undoLast)
        #expect(openDisputes() == 0)
        do { try tomorrow.perform(.undoLast); Issue.record("yesterday's note was undone") } catch {
            #expect("\(error)".contains("2026-03-01") && "\(error)".contains("nothing of today's"))
        }
        #expect(tomorrow.book.timeline(of: "C1").contains { $0.kind == .note("yesterday's note") && $0.undoneBy == nil })
    }

    /// A payment recorded from another process (the command line) is my last action too: u
    /// refuses there instead of reaching past it to my older note.
    @Test func undoSeesPostingsMadeElsewhere() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.note("C1", "my note"))
        let cli = try book.reopen()
        try cli.perform(.pay("C1", amount: cny("100"), on: day("2026-03-01"), invoice: nil, reference: "B7", method: "bank"))
        _ = try book.desk.refresh()
        do { _ = try book.desk.actionToUndo(); Issue.record("undo reached past the payment") } catch {
            #expect("\(error)".contains("was a posting"))
        }
        #expect(try book.reopen().book.lastPosting(by: "tester") == cli.book.lastSequence)  // kept by a snapshot too
        // Credit applied is named, with the command that takes it back.
        try book.desk.perform(.creditNote("C1", number: "CN7", amount: cny("10"), on: day("2026-03-01"), invoice: nil, reason: "rebate"))
        let applied = try book.desk.perform(.applyCredit("C1", from: nil, invoice: nil, amount: nil, on: day("2026-03-01")))
        let id = "CA\(try #require(applied.first).sequence)"
        #expect(book.desk.book.creditApplications[id] != nil)
        #expect { try book.desk.actionToUndo() } throws: { "\($0)".contains("applied credit (\(id)), which u does not undo; take it back with U on the customer, or ardesk unapply-credit ID") }
        // Two credits applied by one action: both named.
        try book.desk.perform(.creditNote("C1", number: "CN8", amount: cny("5"), on: day("2026-03-01"), invoice: nil, reason: "rebate"))
        try book.desk.perform(.creditNote("C1", number: "CN9", amount: cny("5"), on: day("2026-03-01"), invoice: nil, reason: "rebate"))
        let both = try book.desk.perform(.applyCredit("C1", from: nil, invoice: nil, amount: nil, on: day("2026-03-01")))
        let first = "CA\(try #require(both.first).sequence)"
        #expect(both.count == 2 && book.desk.book.creditApplications["\(first)-2"] != nil)
        #expect { try book.desk.actionToUndo() } throws: { "\($0)".contains("applied credit (\(first), \(first)-2)") }
    }

    /// A note longer than a screen is refused from the command line as the form refuses it;
    /// amounts and dates typed with a Chinese input method (full-width) are read.
    @Test func longTextsAreRefusedAndFullWidthIsRead() throws {
        let book = try bookWithDebt()
        #expect(throws: DeskError.self) { try book.desk.perform(.note("C1", String(repeating: "长", count: Command.longestText + 1))) }
        try book.desk.perform(.note("C1", String(repeating: "长", count: Command.longestText)))
        #expect(Currency.cny.parse("１，２３４．５０") == cny("1,234.50"))
        #expect(RelativeDay.parse("２０２６－０３－０５", today: day("2026-03-01")) == day("2026-03-05"))
        // An id typed in another case or full width is not taken for the customer, but named.
        #expect { try book.desk.perform(.note("c1", "x")) } throws: { "\($0)".contains("no customer \"c1\" in this book (did you mean C1?)") }
        #expect(book.desk.book.customerID(resembling: "Ｃ１") == "C1")
        #expect(book.desk.book.didYouMean("C9") == "")
    }

    /// A note or reason holding an ESC (or another character that acts on a terminal, or a
    /// right-to-left override) is refused, naming it and where: it would recolour or rewrite the
    /// terminal of whoever lists it. Line breaks and tabs are text; a file of customers with an
    /// ESC in a name is refused at its cell.
    @Test func controlCharactersAreRefusedWhereverTextComesIn() throws {
        let book = try bookWithDebt()
        let before = book.desk.book.lastSequence
        do { try book.desk.perform(.note("C1", "call back\u{1B}[31m red")); Issue.record("an ESC was saved") } catch {
            #expect("\(error)".contains("ESC (U+001B), at character 10"), "\(error)")
        }
        #expect(throws: DeskError.self) { try book.desk.perform(.dispute("C1", invoices: ["I1"], reason: "price \u{202E}001")) }
        #expect(book.desk.book.lastSequence == before)
        try book.desk.perform(.note("C1", "two lines\nand\ta tab"))
        let file = "id,name\nC7,Harbor\u{1B}]0;owned\u{07} Ltd\n"
        let plan = try Importer(kind: .customers, options: .init(), book: book.desk.book).plan(text: file, file: "c.csv")
        #expect(plan.issues.map(\.column) == ["name"] && plan.issues.first?.reason.contains("ESC (U+001B), at character 7") == true, "\(plan.issues)")
        #expect(plan.events.isEmpty)
        #expect("a\u{1B}[2Jb\u{7F}c\u{202E}d\u{9B}e\n\tf".screenControlsShown == "a^[[2Jb^?c<U+202E>d<CSI (U+009B)>e\n\tf")
        #expect("上海\u{1B}".firstScreenControl?.position == 3)
    }

    /// Setting what is already set saves nothing and says so; assigning customers already with
    /// the collector leaves them as they are.
    @Test func aChangeThatChangesNothingIsNotRecorded() throws {
        let book = try bookWithDebt()
        let before = book.desk.book.lastSequence
        do { try book.desk.perform(.changeProfile("C1", .creditLimit(cny("1,000")), reason: "again")); Issue.record("saved") } catch {
            #expect("\(error)".contains("already has that"))
        }
        try book.desk.perform(.addCustomers([Customer(id: "C2", name: "Acme Ltd", collector: "li.na")]))
        let written = try book.desk.perform(.assign(["C1", "C2"], collector: "li.na", reason: ""))
        #expect(written.count == 1 && book.desk.book.customers["C1"]?.collector == "li.na")
        #expect(book.desk.book.lastSequence == before + 2)
    }

    /// A credit note not against an invoice is a credit on the customer: more than it owes is a
    /// slip; a statement ardesk wrote to the outbox is not taken back by u (its file stays).
    @Test func slipsOnCreditNotesAndDocumentsWritten() throws {
        let book = try bookWithDebt()
        #expect(throws: DeskError.self) { try book.desk.perform(.creditNote("C1", number: nil, amount: cny("99,999"), on: day("2026-03-01"), invoice: nil, reason: "x")) }
        try book.desk.perform(.creditNote("C1", number: nil, amount: cny("50"), on: day("2026-03-01"), invoice: nil, reason: "rebate"))
        // The credit already there counts: 800 owed less 50 of credit leaves room for 750, not 800.
        #expect(throws: DeskError.self) { try book.desk.perform(.creditNote("C1", number: nil, amount: cny("751"), on: day("2026-03-01"), invoice: nil, reason: "x")) }
        try book.desk.perform(.documentSent("C1", .statement(from: nil, to: day("2026-03-01")), file: "outbox/2026-03-01/C1-statement.md"))
        do { _ = try book.desk.actionToUndo(); Issue.record("a written statement was undoable") } catch {
            #expect("\(error)".contains("a document written stays on the record"))
        }
    }

    /// Dates a collector cannot mean: a statement sent up to a day still to come, a promise
    /// more than a year out (a plan spreads longer).
    @Test func datesThatCannotBeMeantAreRefused() throws {
        let book = try bookWithDebt()
        #expect(throws: DeskError.self) { try book.desk.perform(.documentSent("C1", .statement(from: nil, to: day("2026-03-31")), file: "")) }
        #expect(throws: DeskError.self) { try book.desk.perform(.promise("C1", amount: cny("100"), due: day("2027-06-01"))) }
        try book.desk.perform(.documentSent("C1", .statement(from: nil, to: day("2026-03-01")), file: ""))
        try book.desk.perform(.promise("C1", amount: cny("100"), due: day("2026-12-01")))
    }

    @Test func aClaimHeldByAnotherCollectorIsRefused() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.claim("C1"))
        let other = try book.reopen(user: "li.na")
        #expect(throws: DeskError.self) { try other.perform(.claim("C1")) }
        #expect(other.book.claims["C1"] == "tester")
    }

    /// A collector works their own and unassigned customers, not another collector's; a role
    /// changed in roles.toml applies to a desk already open at its next action.
    @Test func collectorsKeepToTheirCustomersAndRolesApplyAtOnce() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.addCustomers([Customer(id: "C2", name: "Acme Ltd", collector: "wang"), Customer(id: "C3", name: "Free Ltd")]))
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\nwang = \"collector\"\n")
        let lina = try book.reopen(user: "lina")
        #expect(throws: DeskError.self) { try lina.perform(.claim("C2")) }
        #expect(throws: DeskError.self) { try lina.perform(.promise("C2", amount: nil, due: day("2026-03-05"))) }
        try lina.perform(.note("C3", "unassigned: anyone's"))
        // A new number learnt on a call is a collector's to record, for their customers only.
        try lina.perform(.changeProfile("C3", .contacts([ContactPerson(name: "Ms Wu", phone: "+86 21 5555 0000")]), reason: ""))
        #expect(throws: DeskError.self) { try lina.perform(.changeProfile("C2", .contacts([ContactPerson(name: "x")]), reason: "")) }
        #expect(throws: DeskError.self) { try lina.perform(.changeProfile("C3", .contacts([ContactPerson()]), reason: "")) }
        let manager = try book.reopen()
        try manager.perform(.changeProfile("C1", .creditLimit(cny("2,000")), reason: "growth"))
        _ = book.write("roles.toml", "[users]\ntester = \"collector\"\nlina = \"collector\"\n")
        #expect(throws: DeskError.self) { try manager.perform(.changeProfile("C1", .hold, reason: "demoted meanwhile")) }
        #expect(manager.role == .collector)
    }

    /// A dispute named only by its id is still its customer's: a collector resolves disputes of
    /// their own customers, not another's.
    @Test func aCollectorResolvesOnlyTheirOwnCustomersDisputes() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.addCustomers([Customer(id: "C2", name: "Acme Ltd", collector: "wang")]))
        try book.desk.perform(.issueInvoices([Invoice(number: "I9", customer: "C2", issued: day("2026-01-05"), due: day("2026-02-04"), amount: cny("90"))]))
        try book.desk.perform(.dispute("C2", invoices: ["I9"], reason: "damaged"))
        let id = try #require(book.desk.book.openDisputes(of: "C2").first?.id)
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\nwang = \"collector\"\n")
        #expect(throws: DeskError.self) { try book.reopen(user: "lina").perform(.resolveDispute(id: id, note: "not mine")) }
        let wang = try book.reopen(user: "wang")
        try wang.perform(.resolveDispute(id: id, note: "replaced"))
        #expect(try book.reopen().book.openDisputes(of: "C2").isEmpty)
        // Resolved by mistake: u opens it again, in the book replayed and in one from a snapshot.
        try wang.perform(.undoLast)
        #expect(wang.book.openDisputes(of: "C2").map(\.id) == [id])
        let reopened = try book.reopen()
        #expect(reopened.book.openDisputes(of: "C2").map(\.id) == [id])
        #expect(reopened.saveSnapshot() == nil)
        #expect(try book.reopen().book.openDisputes(of: "C2").map(\.id) == [id])
    }

    /// A claim lasts the day it was made: the next day the customer is anyone's again.
    @Test func aClaimLastsItsDay() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.claim("C1"))
        let tomorrow = try book.reopen(today: day("2026-03-02"), user: "li.na")
        #expect(tomorrow.book.claimHolder(of: "C1", on: day("2026-03-02")) == nil)
        #expect(tomorrow.book.claimHolder(of: "C1", on: day("2026-03-01")) == "tester")
        let queue = Worklist.build(book: tomorrow.book, policy: tomorrow.policy, asOf: day("2026-03-02"), viewer: "li.na")
        #expect(queue.contains { $0.customer == "C1" })
        try tomorrow.perform(.claim("C1"))
        #expect(tomorrow.book.claimHolder(of: "C1", on: day("2026-03-02")) == "li.na")
    }

    /// A collector cannot release another's claim; a manager can (the holder may be away).
    @Test func aManagerReleasesAClaimItsHolderLeft() throws {
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\nwang = \"collector\"\n")
        try book.reopen(user: "lina").perform(.claim("C1"))
        #expect(throws: DeskError.self) { try book.reopen(user: "wang").perform(.release("C1")) }
        let manager = try book.reopen()
        try manager.perform(.release("C1"))
        #expect(manager.book.claims["C1"] == nil)
    }

    /// Undoing my release after another collector claimed the customer would take their claim:
    /// refused, and a log that holds such an undo leaves their claim alone.
    @Test func undoingAReleaseNeverTakesAnotherCollectorsClaim() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.claim("C1"))
        try book.desk.perform(.release("C1"))
        let other = try book.reopen(user: "li.na")
        try other.perform(.claim("C1"))
        let me = try book.reopen()
        #expect(throws: DeskError.self) { try me.perform(.undoLast) }
        var replayed = me.book
        let release = try #require(replayed.timeline(of: "C1").last { $0.kind == .released })
        try replayed.apply(.undone(sequence: release.stamp.sequence), stamp: Stamp(sequence: replayed.lastSequence + 1, author: "tester", time: "", day: day("2026-03-01")))
        #expect(replayed.claims["C1"] == "li.na")
    }

    @Test func aPlanMustAddUp() throws {
        let book = try bookWithDebt()
        #expect(throws: DeskError.self) {
            try book.desk.perform(.plan("C1", instalments: [(day("2026-04-01"), cny("100")), (day("2026-05-01"), cny("100"))], total: cny("500")))
        }
        try book.desk.perform(.plan("C1", instalments: [(day("2026-05-01"), cny("200")), (day("2026-04-01"), cny("300"))], total: cny("500")))
        let promises = book.desk.book.promises(of: "C1").sorted { $0.due < $1.due }
        #expect(promises.map(\.amount) == [cny("300"), cny("200")])
        #expect(promises.allSatisfy { $0.plan != nil })
        // A last instalment more than three years out is a typo, refused as the promise's year is.
        let before = book.desk.book.lastSequence
        #expect(throws: DeskError.self) {
            try book.desk.perform(.plan("C1", instalments: [(day("2026-06-01"), cny("1")), (day("2061-05-01"), cny("1"))], total: nil))
        }
        #expect(book.desk.book.lastSequence == before)
    }

    /// The folder a path is in, as a book's creation walks up to the first that exists: "." for
    /// a bare name (Foundation's "" never exists, and its answer for a one-letter name crashed).
    @Test func theFolderAPathIsIn() {
        #expect(["x", "ab", "a/b", "/a", "/", "a/b/", "./x"].map(BookFolder.parent) == [".", ".", "a", "/", "/", "a", "."])
    }

    @Test func anAsOfViewIsReadOnly() throws {
        let book = try bookWithDebt()
        let past = try Desk.open(folder: book.folder, today: day("2026-03-01"), readOnlyReason: "as of 2026-02-01", user: "tester")
        #expect(throws: DeskError.self) { try past.perform(.note("C1", "x")) }
    }

    @Test func relativeDatesAsPeopleTypeThem() {
        let today = day("2026-11-24")  // a Tuesday
        #expect(RelativeDay.parse("tomorrow", today: today) == day("2026-11-25"))
        #expect(RelativeDay.parse("+3d", today: today) == day("2026-11-27"))
        #expect(RelativeDay.parse("+3", today: today) == day("2026-11-27"))  // days, unsaid
        #expect(RelativeDay.parse("-1", today: today) == day("2026-11-23"))
        #expect(RelativeDay.parse("+", today: today) == nil)
        for twoSigns in ["+-3", "--3", "+-9999999999", "+-9999999999d", "+-3天后", "-3天后", "+5号"] {  // no second sign, no trap
            #expect(RelativeDay.parse(twoSigns, today: today) == nil, "\(twoSigns)")
        }
        #expect(RelativeDay.parse("2026-12-1", today: today) == day("2026-12-01"))
        #expect(RelativeDay.parse("2026/12/05", today: today) == day("2026-12-05"))
        #expect(RelativeDay.parse("2026.12.5", today: today) == day("2026-12-05"))
        #expect(RelativeDay.parse("2026/2/30", today: today) == nil)
        #expect(RelativeDay.parse("26/12/5", today: today) == nil)
        #expect(RelativeDay.parse("+2w", today: today) == day("2026-12-08"))
        #expect(RelativeDay.parse("fri", today: today) == day("2026-11-27"))
        #expect(RelativeDay.parse("tuesday", today: today) == day("2026-12-01"))
        #expect(RelativeDay.parse("周五", today: today) == day("2026-11-27"))
        #expect(RelativeDay.parse("+7天", today: today) == day("2026-12-01"))
        #expect(RelativeDay.parse("+2周", today: today) == day("2026-12-08"))
        #expect(RelativeDay.parse("下周五", today: today) == day("2026-12-04"))  // Friday of next week
        #expect(RelativeDay.parse("下星期一", today: today) == day("2026-11-30"))
        #expect(RelativeDay.parse("后天", today: today) == day("2026-11-26"))  // the day after tomorrow
        #expect(RelativeDay.parse("前天", today: today) == day("2026-11-22"))
        #expect(RelativeDay.parse("大后天", today: today) == day("2026-11-27"))
        #expect(RelativeDay.parse("3天后", today: today) == day("2026-11-27"))
        #expect(RelativeDay.parse("2周后", today: today) == day("2026-12-08"))
        #expect(RelativeDay.parse("礼拜五", today: today) == day("2026-11-27"))
        #expect(RelativeDay.parse("5号", today: today) == day("2026-12-05"))  // the next 5th
        #expect(RelativeDay.parse("24日", today: today) == day("2026-11-24"))  // today is the 24th
        #expect(RelativeDay.parse("30号", today: day("2027-01-31")) == day("2027-03-30"))  // no 30 February
        #expect(RelativeDay.parse("32号", today: today) == nil)
        #expect(RelativeDay.parse("2026-02-30", today: today) == nil)
        #expect(RelativeDay.parse("soon", today: today) == nil)
        // Dates written in Chinese; without a year, the one nearest today.
        #expect(RelativeDay.parse("2026年12月5日", today: today) == day("2026-12-05"))
        #expect(RelativeDay.parse("12月5日", today: today) == day("2026-12-05"))
        #expect(RelativeDay.parse("12月5号", today: today) == day("2026-12-05"))
        #expect(RelativeDay.parse("1月5日", today: today) == day("2027-01-05"))
        #expect(RelativeDay.parse("11月20日", today: today) == day("2026-11-20"))
        #expect(RelativeDay.parse("２月３０日", today: today) == nil)
        #expect(RelativeDay.parse("26年12月5日", today: today) == nil)
        // As collectors also write them: numerals in words, a slash, a space, 后日, half a month.
        #expect(RelativeDay.parse("十二月五日", today: today) == day("2026-12-05"))
        #expect(RelativeDay.parse("十号", today: today) == day("2026-12-10"))
        #expect(RelativeDay.parse("12/5", today: today) == day("2026-12-05"))
        #expect(RelativeDay.parse("3 天后", today: today) == today.adding(days: 3))
        #expect(RelativeDay.parse("后日", today: today) == today.adding(days: 2))
        #expect(RelativeDay.parse("半个月后", today: today) == today.adding(days: 15))
        // A month and day as the screens show them: the one nearest today.
        #expect(RelativeDay.parse("12-03", today: today) == day("2026-12-03"))
        #expect(RelativeDay.parse("1-5", today: today) == day("2027-01-05"))
        #expect(RelativeDay.parse("13-01", today: today) == nil)
        // Looking behind (a payment received, a view of the past): the last such day.
        #expect(RelativeDay.parse("fri", today: today, looking: .behind) == day("2026-11-20"))
        #expect(RelativeDay.parse("tue", today: today, looking: .behind) == day("2026-11-17"))  // today is a Tuesday: last week's
        #expect(RelativeDay.parse("周一", today: today, looking: .behind) == day("2026-11-23"))
        #expect(RelativeDay.parse("5号", today: today, looking: .behind) == day("2026-11-05"))
        #expect(RelativeDay.parse("24日", today: today, looking: .behind) == day("2026-11-24"))
        #expect(RelativeDay.parse("30号", today: day("2027-03-01"), looking: .behind) == day("2027-01-30"))  // no 30 February
        #expect(RelativeDay.parse("12月5日", today: today, looking: .behind) == day("2025-12-05"))
        #expect(RelativeDay.parse("11月20日", today: today, looking: .behind) == day("2026-11-20"))
        #expect(RelativeDay.parse("12-03", today: today, looking: .behind) == day("2025-12-03"))
        #expect(RelativeDay.parse("+3", today: today, looking: .behind) == day("2026-11-27"))  // said outright: as said
        #expect(RelativeDay.parse("2月29日", today: today, looking: .behind) == day("2024-02-29"))  // the last leap day
        #expect(RelativeDay.parse("2月29日", today: today) == day("2028-02-29"))
        #expect(RelativeDay.parse("上周五", today: today) == day("2026-11-20"))  // Friday of last week
        #expect(RelativeDay.parse("上星期一", today: today) == day("2026-11-16"))
        // This week's, the week after next's; a month's end and start; 12月5 without its 日.
        #expect(RelativeDay.parse("本周五", today: today) == day("2026-11-27") && RelativeDay.parse("这周一", today: today) == day("2026-11-23"))
        #expect(RelativeDay.parse("下下周五", today: today) == day("2026-12-11") && RelativeDay.parse("上上周五", today: today) == day("2026-11-13"))
        #expect(RelativeDay.parse("月底", today: today) == day("2026-11-30") && RelativeDay.parse("下月底", today: today) == day("2026-12-31"))
        #expect(RelativeDay.parse("下月初", today: today) == day("2026-12-01") && RelativeDay.parse("月底", today: day("2027-02-03")) == day("2027-02-28"))
        #expect(RelativeDay.parse("12月5", today: today) == day("2026-12-05") && RelativeDay.parse("12月", today: today) == nil)
        // As Chinese collectors say them: counts in words, a weekday's digit, next month's day,
        // a named month's end, the year's end; 月初 said late in a month is the next one's.
        #expect(RelativeDay.parse("三天后", today: today) == day("2026-11-27") && RelativeDay.parse("两周后", today: today) == day("2026-12-08"))
        #expect(RelativeDay.parse("十五天后", today: today) == day("2026-12-09") && RelativeDay.parse("一个月后", today: today) == day("2026-12-24"))
        #expect(RelativeDay.parse("周5", today: today) == RelativeDay.parse("周五", today: today) && RelativeDay.parse("下周5", today: today) == day("2026-12-04"))
        #expect(RelativeDay.parse("下月5号", today: today) == day("2026-12-05") && RelativeDay.parse("下个月20号", today: today) == day("2026-12-20"))
        #expect(RelativeDay.parse("12月底", today: today) == day("2026-12-31") && RelativeDay.parse("1月初", today: today) == day("2027-01-01"))
        #expect(RelativeDay.parse("年底", today: today) == day("2026-12-31"))
        #expect(RelativeDay.parse("月初", today: day("2026-11-29")) == day("2026-12-01") && RelativeDay.parse("月初", today: day("2026-11-29"), looking: .behind) == day("2026-11-01"))
        #expect(RelativeDay.count("二十三") == 23 && RelativeDay.count("十") == 10 && RelativeDay.count("百") == nil)
        #expect(RelativeDay.parse("三天前", today: today) == day("2026-11-21") && RelativeDay.parse("一个月前", today: today) == day("2026-10-24"))
        #expect(RelativeDay.parse("两礼拜后", today: today) == day("2026-12-08") && RelativeDay.parse("上月5号", today: today) == day("2026-10-05"))
    }
}

@Suite struct UpgradeTests {
    @Test func anEventFromANewerArdeskMakesTheBookReadOnlyNotSkipped() throws {
        let book = try TestBook()
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "x")]))
        // A newer ardesk appends an event type this build does not know, then a note.
        let journal = try Journal.open(folder: book.folder.path, author: "future")
        _ = try journal.append { _ in [RecordDraft(type: "customer.merged", version: 1, payload: ["day": .string("2026-03-01")])] }
        _ = try journal.append { _ in [RecordDraft(type: "note.added", version: 1, payload: ["day": .string("2026-03-01"), "customer": .string("C1"), "text": .string("later")])] }
        let reopened = try book.reopen()
        #expect(reopened.upgradeNeeded)
        #expect(reopened.isReadOnly)
        #expect(reopened.readOnlyReason?.contains("newer ardesk") == true)
        #expect(reopened.book.timeline(of: "C1").isEmpty)  // nothing after the unknown event was applied
        #expect(throws: DeskError.self) { try reopened.perform(.note("C1", "x")) }
    }
}

/// A demo's history reads as its team's: each call is its customer's collector's, so the
/// collectors' figures have contacts; the rest is the user's who made the demo.
@Suite struct DemoHistoryTests {
    @Test func aDemosCallsAreItsCollectorsAndCountInTheirFigures() throws {
        let book = try TestBook(today: day("2026-11-24"))
        var demo = DemoBook(customers: 40, seed: 7, asOf: day("2026-11-24"))
        demo.user = book.desk.user
        try demo.generate { try book.desk.appendHistory($0) }
        let reopened = try book.reopen().book
        var calls = 0
        for id in reopened.customerOrder {
            let collector = reopened.customers[id]?.collector
            // A Chinese customer's notes are in Chinese, another's in English.
            let chinese = reopened.customers[id]?.name.unicodeScalars.first.map { $0.value >= 0x4E00 } == true
            for activity in reopened.timeline(of: id) {
                if case .note(let text) = activity.kind { #expect(text.contains { $0.isASCII && $0.isLetter } != chinese, "\(id): \(text)") }
                guard case .call(_, let note, _) = activity.kind else { continue }
                calls += 1
                #expect(activity.stamp.author == collector ?? book.desk.user, "\(id)")
                #expect(note.isEmpty || note.contains { $0.isASCII && $0.isLetter } != chinese, "\(id): \(note)")
            }
        }
        #expect(calls > 10)
        let figures = CollectorFigures.compute(book: reopened, from: day("2026-10-25"), to: day("2026-11-24"))
        #expect(figures.filter { $0.collector != book.desk.user && $0.contacts > 0 }.count >= 3)
        // Invoices and payments stay the user's (an import's, not a collector's).
        let authors = try Journal.open(folder: book.folder.path, author: "t", readOnly: true).readNew()
            .filter { $0.type == "invoice.issued" || $0.type == "payment.received" }.map(\.author)
        #expect(Set(authors) == [book.desk.user])
        // Promises cover what is owed (the book took them), and some are kept, paid by their day.
        let states = reopened.customerOrder.flatMap { Promises.judge($0, in: reopened, asOf: day("2026-11-24")).map(\.state) }
        #expect(states.contains(.kept) && states.contains { $0 != .kept }, "\(states)")
        // A promise is taken by whoever logged the call it came from.
        let takers = reopened.promises.values.map { ($0.takenBy, reopened.customers[$0.customer]?.collector ?? book.desk.user) }
        #expect(takers.contains { $0.1 == book.desk.user }, "no unassigned customer made a promise: pick another seed")
        #expect(takers.allSatisfy { $0.0 == $0.1 })
    }

    @Test func aDraftWrittenAsSomeoneElseNeedsAName() throws {
        let book = try TestBook(today: day("2026-11-24"))
        let journal = try Journal.open(folder: book.folder.path, author: "li.na")
        let written = try journal.append(RecordDraft(type: "note.added", version: 1, payload: [:], author: "wang.fang"))
        #expect(written.author == "wang.fang")
        #expect(throws: JournalError.self) { try journal.append(RecordDraft(type: "note.added", version: 1, payload: [:], author: "a\nb")) }
        #expect(try Journal.open(folder: book.folder.path, author: "t", readOnly: true).readNew().last?.author == "wang.fang")
    }
}

@Suite struct SnapshotOpenTests {
    @Test func aBookOpenedFromASnapshotPlusTheTailEqualsAFullReplay() throws {
        let book = try TestBook(today: day("2026-11-24"))
        try DemoBook(customers: 12, seed: 4, asOf: day("2026-11-24")).generate { try book.desk.appendHistory($0) }
        let first = try book.reopen()
        #expect(first.saveSnapshot() == nil)
        try first.perform(.note("C00001", "after the snapshot"))
        try first.perform(.promise("C00002", amount: cny("10"), due: day("2026-12-01")))
        let fromSnapshot = try book.reopen()
        let snapshotFile = book.folder.path + "/journal.snapshot"
        try FileManager.default.removeItem(atPath: snapshotFile)
        let replayed = try book.reopen()
        #expect(fromSnapshot.book.lastSequence == replayed.book.lastSequence)
        let same = fromSnapshot.book.snapshotBytes() == replayed.book.snapshotBytes()
        #expect(same)
    }

    @Test func aLongReplayWritesASnapshotWhenTheOpenReturnsOrWhenTheFrontEndAsks() throws {
        let book = try TestBook(today: day("2026-11-24"))
        try DemoBook(customers: 5, seed: 2, asOf: day("2026-11-24")).generate { try book.desk.appendHistory($0) }
        let path = book.folder.path + "/journal.snapshot"
        func open(later: Bool) throws -> Desk {
            try Desk.open(folder: book.folder, today: day("2026-11-24"), readOnlyReason: nil, user: "tester", replayChunk: 64,
                          snapshotLater: later, snapshotAfter: 10)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        let atOnce = try open(later: false)
        atOnce.finishBackgroundWork()
        #expect(FileManager.default.fileExists(atPath: path))

        try FileManager.default.removeItem(atPath: path)
        let later = try open(later: true)
        later.finishBackgroundWork()
        #expect(!FileManager.default.fileExists(atPath: path), "not before the front end's first screen")
        later.startDueSnapshot()
        later.finishBackgroundWork()
        #expect(FileManager.default.fileExists(atPath: path))
        let fromSnapshot = try book.reopen()
        #expect(fromSnapshot.book.snapshotBytes() == later.book.snapshotBytes())

        try FileManager.default.removeItem(atPath: path)
        var neverShown: Desk? = try open(later: true)
        #expect(neverShown?.book.lastSequence == later.book.lastSequence)
        neverShown = nil  // a front end that stopped before its first screen
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func aDamagedOrStaleSnapshotIsIgnored() throws {
        let book = try TestBook(today: day("2026-11-24"))
        try DemoBook(customers: 5, seed: 2, asOf: day("2026-11-24")).generate { try book.desk.appendHistory($0) }
        #expect(try book.reopen().saveSnapshot() == nil)
        let path = book.folder.path + "/journal.snapshot"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 5] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let opened = try book.reopen()
        try FileManager.default.removeItem(atPath: path)
        let replayed = try book.reopen()
        #expect(opened.book.lastSequence == replayed.book.lastSequence)
        let same = opened.book.snapshotBytes() == replayed.book.snapshotBytes()
        #expect(same)
    }
}

/// A manager who rejects a request of their own (a book of one user) reads it as rejected, with
/// the reason, not as withdrawn.
@Suite struct OwnRequestRejectedTests {
    @Test func aRejectionOfOnesOwnRequestKeepsItsReason() throws {
        let book = try TestBook()
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "Acme Ltd")]))
        let filed = try book.desk.perform(.request("C1", .creditLimit(cny("5,000")), reason: "growing"))
        let id = try #require(book.desk.book.requestOrder.last)
        try book.desk.perform(.decide(requestID: id, approved: false, reason: "overdue 65 days"))
        let decision = try #require(book.desk.book.timeline(of: "C1").last)
        let (kind, detail) = ActivityText.describe(decision.kind, book: book.desk.book)
        #expect(kind == "rejected" && detail.contains("overdue 65 days"), "\(kind) \(detail) after \(filed.count)")
    }
}

extension DeskCommandTests {
    /// Work recorded since on the customer, by anyone, keeps a collector's dispute: resolved by
    /// a manager, shown in a statement, or gone around by a payment the rule allocated. A
    /// request another turned down is passed over, so the note before it is still undone.
    @Test func workRecordedSinceKeepsADispute() throws {
        let book = try bookWithDebt()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\n")
        let manager = try book.reopen()
        try manager.perform(.assign(["C1"], collector: "lina", reason: ""))
        let lina = try book.reopen(user: "lina")
        func disputeI1() throws -> String {
            try lina.perform(.dispute("C1", invoices: ["I1"], reason: "short shipment"))
            return try #require(lina.book.openDisputes(of: "C1").first { $0.invoice == "I1" }?.id)
        }
        // Resolved by the manager since.
        let first = try disputeI1()
        _ = try manager.refresh()
        try manager.perform(.resolveDispute(id: first, note: "price agreed"))
        _ = try lina.refresh()
        #expect { try lina.perform(.undoLast) } throws: { "\($0)".contains("dispute \(first) on I1, was resolved by tester since") }
        // Shown in a statement written since.
        let second = try disputeI1()
        _ = try manager.refresh()
        _ = try manager.writeStatement(customer: "C1", from: nil, to: manager.today, language: "en")
        _ = try lina.refresh()
        #expect { try lina.perform(.undoLast) } throws: { "\($0)".contains("was shown to the customer since, in the statement") }
        try manager.perform(.resolveDispute(id: second, note: "credit note to follow"))
        // Gone around by a payment the rule allocated since (I1 disputed, so the payment went to I2).
        _ = try lina.refresh()
        let third = try disputeI1()
        _ = try manager.refresh()
        try manager.perform(.pay("C1", amount: cny("100"), on: manager.today, invoice: nil, reference: "B1", method: ""))
        _ = try lina.refresh()
        #expect { try lina.perform(.undoLast) } throws: { "\($0)".contains("disputed I1 (\(third)), and payment B1 recorded since was allocated around it") }
        #expect(lina.book.disputes[third]?.status == .open)
        // A request turned down by the manager is passed over: the note before it is undone.
        try lina.perform(.note("C1", "asked for the remittance"))
        try lina.perform(.request("C1", .creditLimit(cny("5,000")), reason: "big order"))
        let request = try #require(lina.book.requests.values.first { $0.state == .pending })
        _ = try manager.refresh()
        try manager.perform(.decide(requestID: request.id, approved: false, reason: "no"))
        _ = try lina.refresh()
        let undone = try lina.actionToUndo()
        #expect(undone.count == 1 && undone[0].kind == .note("asked for the remittance"), "\(undone)")
        // What a statement does not show (a claim) is undone though one was written since.
        try lina.perform(.claim("C1"))
        _ = try manager.refresh()
        _ = try manager.writeStatement(customer: "C1", from: nil, to: manager.today, language: "en")
        _ = try lina.refresh()
        #expect(try lina.actionToUndo().map(\.kind) == [.claimed])
    }
}

extension DeskCommandTests {
    /// A rejection, a credit note and a dispute's resolution say why, as every other decision
    /// does: blank is refused, and nothing is written.
    @Test func blankReasonsAreRefused() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.request("C1", .creditLimit(cny("5,000")), reason: "big order"))
        let request = try #require(book.desk.book.requests.values.first)
        try book.desk.perform(.dispute("C1", invoices: ["I1"], reason: "short shipment"))
        let dispute = try #require(book.desk.book.openDisputes(of: "C1").first)
        let before = book.desk.book.lastSequence
        #expect { try book.desk.perform(.decide(requestID: request.id, approved: false, reason: "   ")) } throws: { "\($0)".contains("rejecting a request needs a reason") }
        #expect { try book.desk.perform(.creditNote("C1", number: nil, amount: cny("10"), on: book.desk.today, invoice: "I1", reason: "")) } throws: { "\($0)".contains("a credit note needs a reason") }
        #expect { try book.desk.perform(.resolveDispute(id: dispute.id, note: " ")) } throws: { "\($0)".contains("resolving a dispute needs a note") }
        #expect(book.desk.book.lastSequence == before)
    }
}

extension DeskCommandTests {
    /// A credit note under another document's number (an invoice's, a payment's) is refused,
    /// and generated numbers avoid every kind's; a payment's reference may be the invoice it
    /// pays (the bank's remittance reference often is).
    @Test func aDocumentNumberNamesOneDocument() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.pay("C1", amount: cny("10"), on: book.desk.today, invoice: nil, reference: "I2", method: ""))
        #expect(book.desk.book.payments["I2"] != nil)
        try book.desk.perform(.pay("C1", amount: cny("10"), on: book.desk.today, invoice: nil, reference: "B7", method: ""))
        #expect { try book.desk.perform(.creditNote("C1", number: "B7", amount: cny("5"), on: book.desk.today, invoice: "I1", reason: "rebate")) } throws: {
            "\($0)".contains("B7 is already the number of a payment in this book; a credit note needs a number of its own")
        }
        #expect { try book.desk.perform(.pay("C1", amount: cny("10"), on: book.desk.today, invoice: nil, reference: "B7", method: "")) } throws: {
            "\($0)".contains("already in the book")
        }
    }
}

extension DeskCommandTests {
    /// An id typed in another case names the document the book spells otherwise, for every
    /// command that takes one (a payment to reverse, a dispute to resolve), as a write-off's did.
    @Test func idsTypedInAnotherCaseAreFound() throws {
        let book = try bookWithDebt()
        try book.desk.perform(.pay("C1", amount: cny("10"), on: book.desk.today, invoice: "I1", reference: "PAY77", method: ""))
        try book.desk.perform(.reversePayment(reference: "pay77", on: book.desk.today, reason: "bounced"))
        #expect(book.desk.book.reversals["PAY77"] != nil)
        try book.desk.perform(.dispute("C1", invoices: ["I2"], reason: "short shipment"))
        let dispute = try #require(book.desk.book.openDisputes(of: "C1").first)
        try book.desk.perform(.resolveDispute(id: dispute.id.lowercased(), note: "credit note to follow"))
        #expect(book.desk.book.disputes[dispute.id]?.status == .resolved)
        #expect(Desk.spelled("ab1", among: ["AB1", "Ab1"]) { _ in false } == "ab1")  // two so: left as typed
        // A dispute undone was never raised: resolving it says so, in any case.
        try book.desk.perform(.dispute("C1", invoices: ["I1"], reason: "wrong price"))
        let undone = try #require(book.desk.book.openDisputes(of: "C1").first)
        try book.desk.perform(.undoLast)
        #expect { try book.desk.perform(.resolveDispute(id: undone.id.lowercased(), note: "x")) } throws: { "\($0)".contains("dispute \(undone.id) was undone: there is nothing to resolve") }
    }
}

extension DeskCommandTests {
    /// With `approval.write_off_above` set and a second manager in the book, a manager's own
    /// write-off above the amount is refused and goes as a request for the other to approve;
    /// below it, or alone in the book, it is written off directly.
    @Test func aLargeWriteOffNeedsASecondManager() throws {
        let book = try bookWithDebt()
        _ = book.write("policy.toml", "[approval]\nwrite_off_above = \"200.00\"\n")
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\ndave = \"manager\"\n")
        let carol = try book.reopen()
        #expect(carol.policy.writeOffApprovalAbove == cny("200"))
        #expect { try carol.perform(.writeOff("C1", amount: cny("300"), invoice: nil, reason: "bankrupt")) } throws: {
            "\($0)".contains("a write-off above 200.00 needs a second manager's approval") && "\($0)".contains("for dave to approve")
        }
        try carol.perform(.writeOff("C1", amount: cny("150"), invoice: nil, reason: "small balance"))
        // Split below the amount, today's write-offs count together.
        #expect { try carol.perform(.writeOff("C1", amount: cny("100"), invoice: nil, reason: "the rest")) } throws: {
            "\($0)".contains("a write-off above 200.00, with your 150.00 of today, needs a second manager's approval")
        }
        try carol.perform(.request("C1", .writeOff(cny("300")), reason: "bankrupt"))
        let request = try #require(carol.book.requests.values.first { $0.state == .pending })
        let dave = try book.reopen(user: "dave")
        try dave.perform(.decide(requestID: request.id, approved: true, reason: ""))
        #expect(dave.book.writeOffs.count == 2)
        // The setting reads back as it is shown.
        #expect(try PolicyFile.parse(PolicyFile.render(carol.policy), file: "p.toml") == carol.policy)
        // Alone in the book, a manager writes off directly.
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\n")
        let alone = try book.reopen()
        try alone.perform(.writeOff("C1", amount: cny("250"), invoice: nil, reason: "closed down"))
        #expect(alone.book.writeOffs.count == 3)
    }
}
