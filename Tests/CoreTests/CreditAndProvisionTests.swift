@testable import Core
import Testing

@Suite struct CreditTests {
    @Test func utilisationIsInBasisPointsAndNeedsALimit() {
        #expect(Credit.utilisation(balance: money("875"), limit: money("1,000")) == 8750)
        #expect(Credit.utilisation(balance: money("875"), limit: .zero) == nil)
        #expect(Credit.overLimit(balance: money("1,000.01"), limit: money("1,000")))
        #expect(!Credit.overLimit(balance: money("1,000"), limit: money("1,000")))
        #expect(!Credit.overLimit(balance: money("5"), limit: .zero))  // no limit, never over it
    }

    /// Grade E allows 15 days past due; the limit is 500 on a balance of 1,000.
    @Test func holdWhenOverLimitOrTooLateForTheGrade() throws {
        var b = BookBuilder()
        try b.customer("C1", limit: "500", grade: .e)
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "1,000")
        let customer = try #require(b.book.customers["C1"])
        func check(_ iso: String) -> [HoldReason] {
            Credit.holdCheck(customer, position: Position("C1", in: b.book, asOf: day(iso)), policy: .standard)
        }
        #expect(check("2026-02-10") == [.overLimit(balance: money("1,000"), limit: money("500"))])
        #expect(check("2026-02-20") == [.overLimit(balance: money("1,000"), limit: money("500")), .pastDue(days: 20, grade: .e, allowed: 15)])
        #expect(Credit.holdReasons(customer, position: Position("C1", in: b.book, asOf: day("2026-02-20")), policy: .standard).count == 2)
        // A disputed invoice is not collectable: it keeps the balance but not the lateness.
        try b.apply(.disputeOpened(Dispute(id: "D1", customer: "C1", invoice: "I1", amount: nil, reason: "short", opened: day("2026-02-01"), owner: "x")))
        #expect(check("2026-02-20") == [.overLimit(balance: money("1,000"), limit: money("500"))])
        var lenient = Policy.standard
        lenient.hold.overLimit = false
        #expect(Credit.holdCheck(customer, position: Position("C1", in: b.book, asOf: day("2026-02-20")), policy: lenient).isEmpty)
    }

    /// Looking back, a dispute resolved since is open on the day looked at, as its invoice's open
    /// item is disputed then; before it was opened, and from the day it was resolved, it is not.
    @Test func aDisputeResolvedSinceIsOpenLookingBack() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "1,000")
        try b.apply(.disputeOpened(Dispute(id: "D1", customer: "C1", invoice: "I1", amount: nil, reason: "short", opened: day("2026-02-01"), owner: "x")),
                    on: "2026-02-01")
        try b.apply(.disputeResolved(id: "D1", day: day("2026-03-01"), note: "credit note agreed"), on: "2026-03-01")
        #expect(b.book.openDisputes(of: "C1").isEmpty)
        #expect(b.book.disputes(of: "C1", openOn: day("2026-01-20")).isEmpty)
        #expect(b.book.disputes(of: "C1", openOn: day("2026-02-15")).map(\.id) == ["D1"])
        #expect(OpenItems.of("C1", in: b.book, asOf: day("2026-02-15")).first?.disputed == money("1,000"))
        #expect(b.book.disputes(of: "C1", openOn: day("2026-03-01")).isEmpty)
    }

    /// 120,000 invoiced in the twelve months to the day: 10,000 a month; an invoice issued exactly
    /// twelve months before falls outside.
    @Test func scorecardSizesTheLimitFromTwelveMonthsOfSales() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("OLD", "C1", issued: "2025-06-30", due: "2025-07-30", "999,999")
        try b.invoice("I1", "C1", issued: "2025-07-01", due: "2025-07-31", "60,000")
        try b.invoice("I2", "C1", issued: "2026-06-30", due: "2026-07-30", "60,000")
        try b.invoice("LATER", "C1", issued: "2026-07-01", due: "2026-07-31", "999,999")
        #expect(Scorecard.averageMonthlySales("C1", in: b.book, asOf: day("2026-06-30")) == money("10,000"))
        let result = Scorecard().evaluate(scores: [3, 3, 3, 3, 3], customer: "C1", in: b.book, asOf: day("2026-06-30"))
        // 3 × 100 = 300 → C (floor 260): 120 % of 10,000 and 30 days.
        #expect(result == ScorecardResult(score: 300, grade: .c, suggestedLimit: money("12,000"), suggestedTermsDays: 30))
        // A credit note cancelling an invoice takes it out of the sales, in the scorecard, the
        // ABC classes and the KPIs' credit sales alike (counted, it made DSO fall and CEI rise).
        var cancelled = b
        try cancelled.customer("C2")
        try cancelled.invoice("BIG", "C2", issued: "2026-06-01", due: "2026-07-01", "500,000")
        try cancelled.apply(.creditNoteIssued(CreditNote(number: "CN", customer: "C2", day: day("2026-06-02"), amount: money("500,000"), invoice: "BIG")), on: "2026-06-02")
        #expect(Scorecard.averageMonthlySales("C2", in: cancelled.book, asOf: day("2026-06-30")) == .zero)
        #expect(ABCClass.classify(cancelled.book, asOf: day("2026-06-30")) == ["C1": "A", "C2": "C"])
        #expect(SalesByDay(cancelled.book).total(from: day("2026-06-01"), to: day("2026-06-30")) == money("60,000"))
        var broken = Scorecard()
        broken.termsDays = [60]
        #expect(broken.evaluate(scores: [3, 3, 3, 3, 3], monthlySales: money("1")) == nil)  // refused, not a crash
    }
}

@Suite struct ProvisionTests {
    /// The DOMAIN.md vector from a book: one invoice in each collections column as of 2026-06-30.
    /// 300,000×2 % + 140,000×4 % + 60,000×8.695 % + 23,000×25 % + 5,000×100 % = 27,567.00 exactly.
    @Test func collectionsMatrixFromABook() throws {
        var b = BookBuilder()
        try b.customer("C1")
        for (number, due, amount) in [("ND", "2026-07-15", "300,000"), ("B1", "2026-06-15", "140,000"), ("B2", "2026-05-15", "60,000"),
                                      ("B3", "2026-04-15", "23,000"), ("B4", "2026-01-15", "5,000")] {
            try b.invoice(number, "C1", issued: "2025-12-01", due: due, amount)
        }
        let report = AgingReport(book: b.book, policy: .standard, asOf: day("2026-06-30"))
        #expect(report.totals == [money("300,000"), money("140,000"), money("60,000"), money("23,000"), money("5,000")])
        let provision = Provision.collections(report, policy: .standard)
        #expect(provision.total == Money(minorUnits: 2_756_700))
        #expect(provision.lines.map(\.provision) == [money("6,000"), money("5,600"), money("5,217"), money("5,750"), money("5,000")])
        #expect(provision.lines.map(\.label) == ["not due", "1-30", "31-60", "61-90", "90+"])
    }

    /// By issue date: ≤1 year 5 %, 1–2 years 20 %, 2–3 years 50 %, over 3 years 100 %.
    @Test func accountingMatrixFromABook() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("Y0", "C1", issued: "2026-01-01", due: "2026-01-31", "10,000")   // 180 days
        try b.invoice("Y1", "C1", issued: "2025-03-01", due: "2025-03-31", "10,000")   // 486 days
        try b.invoice("Y2", "C1", issued: "2024-03-01", due: "2024-03-31", "10,000")   // 851 days
        try b.invoice("Y3", "C1", issued: "2023-01-01", due: "2023-01-31", "10,000")   // 1,276 days
        let report = AgingReport(book: b.book, policy: .standard, asOf: day("2026-06-30"), basis: .issue)
        let provision = Provision.accounting(report, policy: .standard)
        #expect(provision.lines.map(\.provision) == [money("500"), money("2,000"), money("5,000"), money("10,000")])
        #expect(provision.total == money("17,500"))
    }

    @Test func eachLineRoundsHalfAwayFromZero() {
        let provision = Provision(balances: [("a", Money(minorUnits: 50)), ("b", Money(minorUnits: -50)), ("c", Money(minorUnits: 49))],
                                  ratesPPM: [10_000, 10_000, 10_000])
        #expect(provision.lines.map(\.provision.minorUnits) == [1, -1, 0])  // 0.5, -0.5, 0.49 of a cent
    }
}

@Suite struct PortfolioKPITests {
    /// Sales: January 100,000 (paid 1 March), February 80,000 (due 12 March, unpaid), March
    /// 70,000 (not due). As of 31 March: AR 150,000 of which 70,000 current.
    func book() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-10", due: "2026-02-09", "100,000")
        try b.invoice("I2", "C1", issued: "2026-02-10", due: "2026-03-12", "80,000")
        try b.invoice("I3", "C1", issued: "2026-03-05", due: "2026-04-04", "70,000")
        try b.pay("P1", "C1", on: "2026-03-01", "100,000", to: "I1")
        return b
    }

    @Test func figuresFromTheBook() throws {
        let k = PortfolioKPIs(book: try book().book, policy: .standard, asOf: day("2026-03-31"))
        #expect(k.receivables == money("150,000") && k.current == money("70,000") && k.pastDue == money("80,000"))
        #expect(k.salesLast90Days == money("250,000"))
        #expect(k.dsoCountBack == 5900)            // March 70,000 (31 days) + February 80,000 (28 days)
        #expect(k.dsoSimple == 5400)               // 150,000 ÷ 250,000 × 90
        #expect(k.bestPossibleDSO == 2520)         // 70,000 ÷ 250,000 × 90
        #expect(k.averageDaysDelinquent == 2880)
        #expect(k.cei == 5556)                     // (180,000 + 70,000 − 150,000) ÷ (180,000 + 70,000 − 70,000)
        #expect(k.percentCurrent == 4667 && k.overdueRate == 5333)
    }

    /// An invoice three years old still open: count-back goes on through the empty months to the
    /// month it was issued in, not 24 months and no further.
    @Test func countBackReachesPastTwoYears() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("Q-OLD", "C1", issued: "2023-01-15", due: "2023-02-14", "1,000")
        try b.invoice("Q-NEW", "C1", issued: "2026-01-05", due: "2026-02-04", "100")
        let k = PortfolioKPIs(book: b.book, policy: .standard, asOf: day("2026-01-15"))
        #expect(k.dsoCountBack == 111_100)  // 15 days of January 2026, then 2023–2025 (1,096 days), January 2023 whole
    }

    /// Shares rounded apart could add up to 100.01 %: the overdue rate is the rest of % current.
    @Test func sharesAddUpToAHundred() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("R1", "C1", issued: "2026-01-01", due: "2026-01-31", "199.99")  // 99.995 % past due
        try b.invoice("R2", "C1", issued: "2026-03-01", due: "2026-03-31", "0.01")    // 0.005 % current
        let k = PortfolioKPIs(book: b.book, policy: .standard, asOf: day("2026-03-10"))
        #expect(k.percentCurrent == 1 && k.overdueRate == 9_999)
    }

    @Test func aLaterPaymentDoesNotChangeAnEarlierMonth() throws {
        var b = try book()
        let before = PortfolioKPIs(book: b.book, policy: .standard, asOf: day("2026-02-28"))
        try b.pay("P2", "C1", on: "2026-04-02", "80,000", to: "I2")
        #expect(PortfolioKPIs(book: b.book, policy: .standard, asOf: day("2026-02-28")) == before)
        #expect(before.receivables == money("180,000"))
    }

    @Test func trendHasOneValuePerMonthEndOldestFirst() throws {
        let trend = PortfolioKPIs.trend(book: try book().book, policy: .standard, asOf: day("2026-03-15"), months: 4)
        #expect(trend.map(\.asOf) == [day("2025-12-31"), day("2026-01-31"), day("2026-02-28"), day("2026-03-15")])
        #expect(trend.map(\.receivables) == [.zero, money("100,000"), money("180,000"), money("150,000")])
        #expect(PortfolioKPIs.trend(book: try book().book, policy: .standard, asOf: day("2026-03-31")).count == 12)
    }
}
