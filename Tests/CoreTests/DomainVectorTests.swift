@testable import Core
import Testing

/// The test vectors of DOMAIN.md, one test each.
@Suite struct DomainVectorTests {
    @Test func allocationToInstalmentsOldestFirst() {
        var invoice = Invoice(number: "I1", customer: "C1", issued: day("2026-01-01"), instalments: [
            Instalment(due: day("2026-02-01"), amount: money("30")), Instalment(due: day("2026-03-01"), amount: money("50")),
            Instalment(due: day("2026-04-01"), amount: money("20")),
        ])
        invoice.settlements = [Settlement(source: .payment("P1"), day: day("2026-01-15"), amount: money("40"))]
        let open = invoice.openInstalments(asOf: day("2026-05-01")).map(\.open)
        #expect(open == [money("0"), money("40"), money("20")])  // 30 paid, 50 with 10 paid, 20 open
    }

    @Test func agingIgnoresAPaymentReceivedAfterTheDay() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "500")
        try b.pay("P1", "C1", on: "2026-03-10", "500", to: "I1")
        let before = AgingReport(book: b.book, policy: .standard, asOf: day("2026-03-01"))
        #expect(before.total == money("500"))
        #expect(before.totals[1] == money("500"))  // 29 days past due: the 1-30 bucket
        #expect(OpenItems.of("C1", in: b.book, asOf: day("2026-03-01")).first?.daysPastDue == 29)
        #expect(AgingReport(book: b.book, policy: .standard, asOf: day("2026-03-10")).total == .zero)
    }

    @Test func simpleDailyInterestAndFeesApart() {
        let interest = Interest.simple(on: money("100.00"), daysOverdue: 15, terms: InterestTerms(annualRateBasisPoints: 1000, graceDays: 0))
        #expect(interest == money("0.41"))
        #expect(interest + money("10.00") + money("100.00") == money("110.41"))
        #expect(Interest.simple(on: money("100.00"), daysOverdue: 15, terms: InterestTerms(annualRateBasisPoints: 1000, graceDays: 15)) == .zero)
    }

    /// A rate changed on 03-15 (10 % before, 20 % from then) leaves the days before at 10 %: the
    /// same 27,000 as below, as of 03-26. The 13,500 still open: 18 days at 10 % (66.58) and 12 at
    /// 20 % (88.77); the 13,500 paid on 03-18, 22 days late: 18 at 10 % (66.58) and 4 at 20 %
    /// (29.59). A change not yet in force changes nothing.
    @Test func interestIsReckonedAtTheRateOfEachDay() throws {
        let change = InterestTerms.RateChange(from: day("2026-03-15"), annualRateBasisPoints: 2000)
        let terms = InterestTerms(annualRateBasisPoints: 1000, graceDays: 0, changes: [change])
        #expect(terms.days(30, endingOn: day("2026-03-26")).map { [$0.rate, $0.days] } == [[1000, 18], [2000, 12]])
        #expect(terms.days(5, endingOn: day("2026-03-14")).map { [$0.rate, $0.days] } == [[1000, 5]])
        #expect(terms.days(5, endingOn: day("2026-03-19")).map { [$0.rate, $0.days] } == [[2000, 5]])
        #expect(terms.rate(on: day("2026-03-14")) == 1000 && terms.rate(on: day("2026-03-15")) == 2000)
        #expect(Interest.simple(on: money("13,500"), daysOverdue: 30, endingOn: day("2026-03-26"), terms: terms) == money("155.35"))
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-25", due: "2026-02-24", "27,000")
        try b.apply(.dunningLevelSet("C1", level: 1, runID: "R1"), on: "2026-03-03")
        try b.pay("P1", "C1", on: "2026-03-18", "13,500", to: "I1")
        #expect(Interest.unbilled("C1", in: b.book, asOf: day("2026-03-26"), terms: terms) == money("251.52"))
        let later = InterestTerms(annualRateBasisPoints: 1000, graceDays: 0, changes: [.init(from: day("2026-04-01"), annualRateBasisPoints: 2000)])
        #expect(Interest.unbilled("C1", in: b.book, asOf: day("2026-03-26"), terms: later) == money("192.33"))
        // Interest only from a change: none before it.
        let from = InterestTerms(annualRateBasisPoints: 0, graceDays: 0, changes: [.init(from: day("2026-03-20"), annualRateBasisPoints: 3650)])
        #expect(from.chargesInterest && !InterestTerms(annualRateBasisPoints: 0, graceDays: 0).chargesInterest)
        #expect(Interest.simple(on: money("1,000"), daysOverdue: 30, endingOn: day("2026-03-26"), terms: from) == money("7.00"))  // 7 days at 0.1 %
    }

    /// Money paid late during the present dunning owed interest for the days it was late: 27,000
    /// due 02-24 at 10 %, dunned from 03-03, 13,500 paid on 03-18 (22 days late); as of 03-26 the
    /// 13,500 still open has 30 days (110.96) and the part paid its 22 (81.37), each rounded once.
    /// A credit note is not money paid late.
    @Test func interestOnWhatWasPaidLate() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-25", due: "2026-02-24", "27,000")
        try b.apply(.dunningLevelSet("C1", level: 1, runID: "R1"), on: "2026-03-03")  // the present dunning began
        try b.pay("P1", "C1", on: "2026-03-18", "13,500", to: "I1")
        let terms = InterestTerms(annualRateBasisPoints: 1000, graceDays: 0)
        #expect(Interest.unbilled("C1", in: b.book, asOf: day("2026-03-26"), terms: terms) == money("192.33"))
        #expect(Interest.unbilled("C1", in: b.book, asOf: day("2026-03-17"), terms: terms) == money("155.34"))  // 27,000 × 21 days, nothing paid yet
        var c = BookBuilder()
        try c.customer("C1")
        try c.invoice("I1", "C1", issued: "2026-01-25", due: "2026-02-24", "27,000")
        try c.apply(.creditNoteIssued(CreditNote(number: "CN1", customer: "C1", day: day("2026-03-18"), amount: money("13,500"), invoice: "I1")),
                    on: "2026-03-18")
        #expect(Interest.unbilled("C1", in: c.book, asOf: day("2026-03-26"), terms: terms) == money("110.96"))
        // Paid before the present dunning began (or with no dunning at all): not billed now.
        var d = BookBuilder()
        try d.customer("C1")
        try d.invoice("I1", "C1", issued: "2026-01-25", due: "2026-02-24", "27,000")
        try d.pay("P1", "C1", on: "2026-03-18", "13,500", to: "I1")
        #expect(Interest.unbilled("C1", in: d.book, asOf: day("2026-03-26"), terms: terms) == money("110.96"))
        try d.apply(.dunningLevelSet("C1", level: 1, runID: "R1"), on: "2026-03-20")
        #expect(Interest.unbilled("C1", in: d.book, asOf: day("2026-03-26"), terms: terms) == money("110.96"))
    }

    @Test func dsoCountBack() {
        let dso = KPI.dsoCountBack(receivables: money("212,000"), monthlySales: [
            (money("100,000"), 30), (money("80,000"), 30), (money("70,000"), 30),
        ])
        #expect(dso == 7371)  // 73.71 days
    }

    @Test func dsoSimpleBestPossibleAndCEI() {
        #expect(KPI.dsoSimple(receivables: money("150,000"), sales: money("1,800,000"), days: 365) == 3042)  // 30.4
        #expect(KPI.dsoSimple(receivables: money("1"), sales: .zero, days: 365) == nil)
        #expect(KPI.bestPossibleDSO(current: money("90,000"), sales: money("1,800,000"), days: 365) == 1825)
        // (100 + 500 - 150) / (100 + 500 - 100) = 90 %
        #expect(KPI.cei(openingAR: money("100"), sales: money("500"), closingAR: money("150"), closingCurrentAR: money("100")) == 9000)
        #expect(KPI.share(money("25"), of: money("100")) == 2500)
    }

    @Test func provisionMatrix() {
        let provision = Provision(balances: [("not due", money("300,000")), ("1-30", money("140,000")), ("31-60", money("60,000")),
                                             ("61-90", money("23,000")), ("90+", money("5,000"))],
                                  ratesPPM: [20_000, 40_000, 86_950, 250_000, 1_000_000])
        #expect(provision.total == money("27,567.00"))
        #expect(provision.lines[2].provision == money("5,217.00"))
    }
}
