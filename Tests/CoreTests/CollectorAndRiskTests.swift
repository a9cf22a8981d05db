@testable import Core
import Testing

@Suite struct CollectorFigureTests {
    /// February 2026. li.na has C1, wang.fang has C2, C3 is nobody's.
    func book() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("C1", collector: "li.na")
        try b.customer("C2", collector: "wang.fang")
        try b.customer("C3")
        for (id, amount) in [("C1", "1,000"), ("C2", "500"), ("C3", "300")] {
            try b.invoice("I-\(id)", id, issued: "2026-01-01", due: "2026-01-31", amount)
        }
        try b.apply(.callLogged("C2", .reached, note: "", callback: nil), on: "2026-01-20", by: "wang.fang")  // before the period
        try b.apply(.callLogged("C1", .noAnswer, note: "", callback: nil), on: "2026-02-03", by: "li.na")
        try b.apply(.callLogged("C1", .promised, note: "", callback: nil), on: "2026-02-10", by: "li.na")
        try b.apply(.documentSent("C2", .letter(level: 1), file: "l.pdf"), on: "2026-02-12", by: "li.na")
        try b.apply(.promiseTaken(Promise(id: "PR1", customer: "C1", amount: money("100"), due: day("2026-02-15"), toleranceDays: 2,
                                          taken: day("2026-02-10"), takenBy: "li.na")), on: "2026-02-10", by: "li.na")
        try b.pay("P1", "C1", on: "2026-02-14", "60", to: "I-C1")
        try b.pay("P2", "C2", on: "2026-02-20", "200", to: "I-C2")
        try b.pay("P3", "C2", on: "2026-03-02", "50", to: "I-C2")  // after the period
        try b.apply(.markedWorked("C1"), on: "2026-02-10", by: "li.na")
        try b.apply(.markedWorked("C1"), on: "2026-02-10", by: "li.na")  // the same item, the same day
        try b.apply(.markedWorked("C1"), on: "2026-02-11", by: "li.na")
        return b
    }

    @Test func contactsPromisesCashAndWork() throws {
        let b = try book()
        let figures = CollectorFigures.compute(book: b.book, from: day("2026-02-01"), to: day("2026-02-28"))
        #expect(figures.map(\.collector) == ["", "li.na", "wang.fang"])  // "": C3, nobody's
        let nobody = figures[0], li = figures[1], wang = figures[2]
        #expect(nobody.customers == 1 && nobody.cashCollected == .zero && nobody.contacts == 0)
        #expect(li.contacts == 3 && wang.contacts == 0)          // two calls and a letter; wang.fang's call was in January
        #expect(li.reached == 1)                                  // the call that got a promise, not the one unanswered
        #expect(li.promisesTaken == 1 && li.promisesDue == 1 && li.promisedAmount == money("100") && li.promisedAmountKept == money("60"))
        #expect(li.promisesKept == 0)  // 60 of 100 paid: partly kept, not kept
        #expect(li.cashCollected == money("60") && wang.cashCollected == money("200"))
        #expect(li.itemsWorked == 2 && wang.itemsWorked == 0)
        #expect(li.customers == 1 && wang.customers == 1)
        #expect(li.queued == nil)  // no policy, no queue
        // A promise taken in the period but due after it counts as taken, not as due: the amounts
        // are over the due ones only, so the count beside them says how many those are.
        var later = b
        try later.apply(.promiseTaken(Promise(id: "PR2", customer: "C1", amount: money("500"), due: day("2026-03-20"), toleranceDays: 2,
                                              taken: day("2026-02-25"), takenBy: "li.na")), on: "2026-02-25", by: "li.na")
        let again = try #require(CollectorFigures.compute(book: later.book, from: day("2026-02-01"), to: day("2026-02-28")).first { $0.collector == "li.na" })
        #expect(again.promisesTaken == 2 && again.promisesDue == 1 && again.promisedAmount == money("100"))
        // Paid in full by its day plus tolerance, a promise is kept: one of the two judged (the
        // PTP kept rate by count, 50 %), and the total row adds the counts up.
        try later.apply(.promiseTaken(Promise(id: "PR3", customer: "C2", amount: money("100"), due: day("2026-02-20"), toleranceDays: 2,
                                              taken: day("2026-02-18"), takenBy: "li.na")), on: "2026-02-18", by: "li.na")
        let kept = CollectorFigures.compute(book: later.book, from: day("2026-02-01"), to: day("2026-02-28"), policy: .standard, queueDay: day("2026-03-20"))
        let li3 = try #require(kept.first { $0.collector == "li.na" })
        #expect(li3.promisesDue == 2 && li3.promisesKept == 1 && KPI.share(li3.promisesKept, of: li3.promisesDue) == 5_000)
        let total = CollectorFigures.total(of: kept)
        #expect(total.promisesKept == 1 && total.queued == 3)
        // Month by month: PR2, taken in February and judged on 2026-03-23, is March's to judge
        // (with nothing taken in March), and not February's again.
        let march = try #require(CollectorFigures.compute(book: later.book, from: day("2026-03-01"), to: day("2026-03-31")).first { $0.collector == "li.na" })
        #expect(march.promisesTaken == 0 && march.promisesDue == 1 && march.promisedAmount == money("500") && march.promisesKept == 0)
        // A promise whose tolerance runs through the period's last day is the next period's.
        var edge = b
        try edge.apply(.promiseTaken(Promise(id: "PR4", customer: "C1", amount: money("10"), due: day("2026-02-26"), toleranceDays: 2,
                                             taken: day("2026-02-20"), takenBy: "li.na")), on: "2026-02-20", by: "li.na")
        let february = try #require(CollectorFigures.compute(book: edge.book, from: day("2026-02-01"), to: day("2026-02-28")).first { $0.collector == "li.na" })
        #expect(february.promisesTaken == 2 && february.promisesDue == 1)
        let after = try #require(CollectorFigures.compute(book: edge.book, from: day("2026-03-01"), to: day("2026-03-31")).first { $0.collector == "li.na" })
        #expect(after.promisesTaken == 0 && after.promisesDue == 1)
    }

    /// A customer handed over keeps its earlier cash with whoever collected it, and the letters a
    /// dunning run sends are nobody's contacts.
    @Test func cashStaysWithWhoeverHadTheCustomerAndRunLettersAreNotContacts() throws {
        var b = try book()
        try b.apply(.profileChanged("C2", .collector("li.na"), reason: "handover"), on: "2026-02-25")
        try b.apply(.dunningRun(id: "RUN1", day: day("2026-02-26")), on: "2026-02-26", by: "boss")
        try b.apply(.dunningLevelSet("C1", level: 1, runID: "RUN1"), on: "2026-02-26", by: "boss")
        try b.apply(.documentSent("C1", .letter(level: 1), file: "outbox/C1-letter-1.md"), on: "2026-02-26", by: "boss")
        let figures = CollectorFigures.compute(book: b.book, from: day("2026-02-01"), to: day("2026-02-28"))
        let li = try #require(figures.first { $0.collector == "li.na" }), wang = try #require(figures.first { $0.collector == "wang.fang" })
        #expect(wang.cashCollected == money("200") && li.cashCollected == money("60"))  // C2's payment of the 20th was wang.fang's
        #expect(li.customers == 2 && wang.customers == 0)
        #expect(!figures.contains { $0.collector == "boss" })
    }

    /// On 20 March both assigned customers are past due with level 1 due; C3 is nobody's.
    @Test func queuedIsTheirCustomersInTheQueueOnTheDay() throws {
        var b = try book()
        try b.customer("C4", collector: "zhao.lei")
        try b.apply(.profileChanged("C4", .status(.closed), reason: "gone"))
        let figures = CollectorFigures.compute(book: b.book, from: day("2026-02-01"), to: day("2026-02-28"),
                                               policy: .standard, queueDay: day("2026-03-20"))
        #expect(figures.map(\.collector) == ["", "li.na", "wang.fang", "zhao.lei"])
        #expect(figures.map(\.queued) == [1, 1, 1, 0])  // C3, nobody's, queued too
        let queue = Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-20"))
        #expect(Set(queue.map(\.customer)) == ["C1", "C2", "C3"])
    }
}

@Suite struct RiskSignalTests {
    /// Limit 1,000. A1 paid 5 days late in February; A2 paid 30 days late in May; A3 (900) open;
    /// a promise broken in June; a dispute opened and another opened then undone; a refused call.
    func book() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("R", limit: "1,000", grade: .c)
        try b.invoice("A1", "R", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.pay("P1", "R", on: "2026-02-05", "100", to: "A1")
        try b.invoice("A2", "R", issued: "2026-03-31", due: "2026-04-30", "300")
        try b.pay("P2", "R", on: "2026-05-30", "300", to: "A2")
        try b.invoice("A3", "R", issued: "2026-06-01", due: "2026-07-01", "900")
        try b.apply(.promiseTaken(Promise(id: "PR", customer: "R", amount: money("500"), due: day("2026-06-10"), toleranceDays: 2,
                                          taken: day("2026-06-05"), takenBy: "li.na")), on: "2026-06-05")
        try b.apply(.disputeOpened(Dispute(id: "D1", customer: "R", invoice: "A3", amount: money("100"), reason: "price", opened: day("2026-06-20"), owner: "x")),
                    on: "2026-06-20")
        let undoMe = try b.apply(.disputeOpened(Dispute(id: "D2", customer: "R", invoice: "A3", amount: money("50"), reason: "oops",
                                                        opened: day("2026-06-21"), owner: "x")), on: "2026-06-21")
        try b.apply(.undone(sequence: undoMe), on: "2026-06-21")
        try b.apply(.callLogged("R", .refused, note: "hung up", callback: nil), on: "2026-06-15")
        return b
    }

    @Test func everySignalWithWhatWasSeen() throws {
        let b = try book()
        let customer = try #require(b.book.customers["R"])
        let signals = RiskSignals.of(customer, in: b.book, asOf: day("2026-06-30"))
        #expect(signals.map(\.kind) == [.slowingPayment, .brokenPromises, .risingUtilisation, .newDisputes, .contactRefused])
        #expect(signals[0].detail == "30 days late on average, was 5")
        #expect(signals[1].detail == "1 in 90 days")
        #expect(signals[2].detail == "90% of limit, was 30%")
        #expect(signals[3].detail == "1 in 30 days")  // the undone dispute was never raised
    }

    /// A promise paid in part counts with the broken ones, and the detail says so (the ledger
    /// calls it partly kept).
    @Test func aPartlyKeptPromiseIsNamedAsSuch() throws {
        var b = try book()
        try b.pay("P3", "R", on: "2026-06-08", "100", to: "A3")
        let customer = try #require(b.book.customers["R"])
        let signal = try #require(RiskSignals.of(customer, in: b.book, asOf: day("2026-06-30")).first { $0.kind == .brokenPromises })
        #expect(signal.detail == "1 in 90 days, 1 of them partly kept")
        #expect(signal.chineseDetail == "90 天内 1 次，其中 1 次部分兑现")
    }

    /// Use then is measured against the limit of then: a limit cut since is not a rise in use.
    @Test func risingUtilisationComparesEachDayWithItsOwnLimit() throws {
        var b = try book()
        try b.apply(.profileChanged("R", .creditLimit(money("500")), reason: "cut"), on: "2026-06-25")
        let customer = try #require(b.book.customers["R"])
        let rising = RiskSignals.of(customer, in: b.book, asOf: day("2026-06-30")).first { $0.kind == .risingUtilisation }
        #expect(rising?.detail == "180% of limit, was 30%")  // 300 of the 1,000 limit in April, not of today's 500
    }

    /// Days late measure how a customer pays: an invoice a write-off closed or a credit note
    /// cancelled is no payment, late or early. Use nets unapplied credit, as the limit does.
    @Test func onlyPaymentsShowHowLateACustomerPaysAndUseNetsCredit() throws {
        var b = BookBuilder()
        try b.customer("W", limit: "1,000", grade: .a)
        try b.invoice("W1", "W", issued: "2025-12-01", due: "2025-12-31", "100")
        try b.pay("WP", "W", on: "2026-01-05", "100", to: "W1")
        try b.invoice("W2", "W", issued: "2025-10-01", due: "2025-10-31", "50")
        try b.invoice("W3", "W", issued: "2026-05-01", due: "2026-05-31", "80")
        let asOf = day("2026-06-30")
        try b.apply(.writtenOff(WriteOff(id: "WO", customer: "W", day: asOf, allocations: [Allocation(invoice: "W2", amount: money("50"))],
                                         reason: "uncollectable", approvedBy: "m")), on: "2026-06-30")
        try b.apply(.creditNoteIssued(CreditNote(number: "CN", customer: "W", day: day("2026-06-01"), amount: money("80"), invoice: "W3")), on: "2026-06-01")
        #expect(RiskSignals.averageDaysLate("W", in: b.book, from: asOf.adding(days: -89), to: asOf) == nil)
        #expect(RiskSignals.averageDaysLate("W", in: b.book, from: asOf.adding(days: -179), to: asOf.adding(days: -90)) == 5)

        var u = BookBuilder()
        try u.customer("U", limit: "1,000", grade: .b)
        try u.invoice("U1", "U", issued: "2026-06-20", due: "2026-07-20", "1,050")
        try u.apply(.creditNoteIssued(CreditNote(number: "UC", customer: "U", day: day("2026-06-25"), amount: money("100"), invoice: nil)), on: "2026-06-25")
        let customer = try #require(u.book.customers["U"])
        let rising = RiskSignals.of(customer, in: u.book, asOf: day("2026-06-30")).first { $0.kind == .risingUtilisation }
        #expect(rising?.detail == "95% of limit, was 0%")
    }

    @Test func signalsFadeWithTime() throws {
        let b = try book()
        let customer = try #require(b.book.customers["R"])
        // 10 October: the disputes and the refusal are old, the promise too; A3 still open at 90 %
        // but it was open 90 days ago as well.
        #expect(RiskSignals.of(customer, in: b.book, asOf: day("2026-10-10")).isEmpty)
        // Before anything happened there is nothing to see.
        #expect(RiskSignals.of(customer, in: b.book, asOf: day("2026-01-15")).isEmpty)
    }
}
