@testable import Core
import Testing

@Suite struct DunningTests {
    /// C1 owes 1,000 due 2026-01-01; C2 owes 50 (below the minimum of level 1? no: 1.00) disputed.
    func book() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("C1")
        try b.customer("C2")
        try b.invoice("I1", "C1", issued: "2025-12-01", due: "2026-01-01", "1,000")
        try b.invoice("I2", "C2", issued: "2025-12-01", due: "2026-01-01", "500")
        try b.apply(.disputeOpened(Dispute(id: "D1", customer: "C2", invoice: "I2", amount: nil, reason: "damaged", opened: day("2026-01-05"), owner: "x")))
        return b
    }

    mutating func run(_ b: inout BookBuilder, on iso: String) throws -> [DunningProposal] {
        let proposals = try Dunning.propose(book: b.book, policy: .standard, asOf: day(iso))
        try b.apply(.dunningRun(id: iso, day: day(iso)), on: iso)
        for p in proposals { try b.apply(.dunningLevelSet(p.customer, level: p.toLevel, runID: iso), on: iso) }
        return proposals
    }

    @Test mutating func oneLevelPerRunNeverSkippingDisputesExcluded() throws {
        var b = try book()
        // 90 days late: every trigger has passed, but each run moves one level, and a level
        // reached starts the quiet days (3) whatever its channel: the phone level's call is
        // not passed over the next day.
        #expect(try run(&b, on: "2026-04-01").map(\.toLevel) == [1])
        #expect(try run(&b, on: "2026-04-03").isEmpty)
        #expect(try run(&b, on: "2026-04-04").map(\.toLevel) == [2])
        #expect(try run(&b, on: "2026-04-06").isEmpty)
        #expect(try run(&b, on: "2026-04-07").map(\.toLevel) == [3])
        #expect(b.book.dunningLevels["C2"] == nil)  // disputed in full: never escalates
    }

    @Test mutating func backDatedRunsAreRefusedAndQuietDaysHold() throws {
        var b = try book()
        _ = try run(&b, on: "2026-04-01")
        #expect(throws: DunningError.backDated(run: day("2026-03-31"), last: day("2026-04-01"))) {
            try Dunning.propose(book: b.book, policy: .standard, asOf: day("2026-03-31"))
        }
        try b.apply(.callLogged("C1", .reached, note: "", callback: nil), on: "2026-04-05")
        #expect(try Dunning.propose(book: b.book, policy: .standard, asOf: day("2026-04-06")).isEmpty)  // 1 day after a call
        #expect(try Dunning.propose(book: b.book, policy: .standard, asOf: day("2026-04-08")).map(\.toLevel) == [2])
    }

    /// Resolving weighs what is owed in fact: a customer who paid more than it owed goes back to
    /// level 0; a promise short of the overdue by less than the tolerance holds the level, as a
    /// promise of all of it does, instead of resetting it.
    @Test mutating func overpaymentResolvesAndAPromiseHoldsTheLevel() throws {
        var b = try book()
        _ = try run(&b, on: "2026-04-01")
        #expect(b.book.dunningLevels["C1"]?.level == 1)
        try b.apply(.paymentReceived(Payment(reference: "OVER", customer: "C1", day: day("2026-04-03"), amount: money("1,500"),
                                             allocations: [Allocation(invoice: "I1", amount: money("1,000"))])), on: "2026-04-03")
        #expect(try Dunning.propose(book: b.book, policy: .standard, asOf: day("2026-04-04")).map(\.toLevel) == [0])

        var p = try book()
        _ = try run(&p, on: "2026-04-01")
        _ = try run(&p, on: "2026-04-02")
        for (id, amount) in [("short", "999.50"), ("all", "1,000")] {
            var held = p
            try held.apply(.promiseTaken(Promise(id: id, customer: "C1", amount: money(amount), due: day("2026-04-30"), toleranceDays: 0,
                                                 taken: day("2026-04-03"), takenBy: "li.na")), on: "2026-04-03")
            #expect(try Dunning.propose(book: held.book, policy: .standard, asOf: day("2026-04-20")).isEmpty, "\(id)")
        }
    }

    /// Customer C with `invoices` (number, issued, due, amount), set at `level` by a run on `iso`.
    func customer(atLevel level: Int, on iso: String, invoices: [(String, String, String, String)]) throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("C")
        for (number, issued, due, amount) in invoices { try b.invoice(number, "C", issued: issued, due: due, amount) }
        try b.apply(.dunningRun(id: "R1", day: day(iso)), on: iso)
        try b.apply(.dunningLevelSet("C", level: level, runID: "R1"), on: iso)
        return b
    }

    /// A promise not yet due covers the oldest items first, as the payment would: the age that
    /// triggers a level is the oldest item it leaves, not one it covers (a final notice the day
    /// before a promised payment of the invoice that was late).
    @Test mutating func aPromiseCoversTheOldestItemsFirst() throws {
        var b = try customer(atLevel: 2, on: "2026-11-20", invoices: [("T1", "2026-10-01", "2026-10-31", "600"), ("T2", "2026-11-05", "2026-12-05", "400")])
        try b.apply(.promiseTaken(Promise(id: "PR", customer: "C", amount: money("600"), due: day("2026-12-07"), toleranceDays: 2,
                                          taken: day("2026-12-03"), takenBy: "li.na")), on: "2026-12-03")
        // T1 is 36 days late, T2 one: what the promise leaves is a day late, below the final notice's 30.
        #expect(try Dunning.propose(book: b.book, policy: .standard, asOf: day("2026-12-06")).isEmpty)
        var weighed = Position("C", in: b.book, asOf: day("2026-12-06"))
        #expect(weighed.oldestDaysPastDue == 36)
        weighed = try #require(Dunning.escalating(weighed, covered: money("600"), in: b.book, asOf: day("2026-12-06")))
        #expect(weighed.oldestDaysPastDue == 1 && weighed.collectablePastDue == money("400"))
    }

    /// Credit that covers the older items leaves the level to the newest one's age, as applying
    /// the credit would: 3 days late under a first level of 7 resolves, before the credit is
    /// applied as after.
    @Test func creditCoveringTheOlderItemsResolvesByTheNewestAge() throws {
        var policy = Policy.standard
        policy.dunningLevels[0].triggerDays = 7
        var b = try customer(atLevel: 1, on: "2026-04-10", invoices: [("OLD", "2026-03-01", "2026-03-31", "100"), ("NEW", "2026-04-01", "2026-04-27", "100")])
        try b.apply(.creditNoteIssued(CreditNote(number: "CN", customer: "C", day: day("2026-04-28"), amount: money("100"), invoice: nil)), on: "2026-04-28")
        let proposals = try Dunning.propose(book: b.book, policy: policy, asOf: day("2026-04-30"))
        #expect(proposals.map(\.toLevel) == [0], "\(proposals)")
    }

    /// Credit that covers everything past due leaves what falls due next to a courtesy level: a
    /// customer reminded before the due date stays at it while that invoice is near.
    @Test func creditLeavesACourtesyLevelToWhatFallsDueNext() throws {
        var policy = Policy.standard
        policy.dunningLevels = [DunningLevel(level: 1, name: "courtesy", triggerDays: -7, channel: .email, template: "courtesy"),
                                DunningLevel(level: 2, name: "reminder", triggerDays: 1, channel: .letter, template: "reminder")]
        var b = BookBuilder()
        try b.customer("C")
        try b.invoice("I", "C", issued: "2026-03-10", due: "2026-04-10", "10,000")
        try b.apply(.dunningRun(id: "R1", day: day("2026-04-03")), on: "2026-04-03")
        try b.apply(.dunningLevelSet("C", level: 1, runID: "R1"), on: "2026-04-03")
        try b.apply(.creditNoteIssued(CreditNote(number: "CN", customer: "C", day: day("2026-04-05"), amount: money("10"), invoice: nil)), on: "2026-04-05")
        #expect(try Dunning.propose(book: b.book, policy: policy, asOf: day("2026-04-07")).isEmpty)  // held at the courtesy level
    }

    @Test func toleranceAndPaymentsResolve() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2025-12-01", due: "2026-01-01", "0.50")
        #expect(try Dunning.propose(book: b.book, policy: .standard, asOf: day("2026-02-01")).isEmpty)  // below 1.00
        try b.invoice("I2", "C1", issued: "2025-12-01", due: "2026-01-01", "100")
        try b.apply(.dunningRun(id: "R1", day: day("2026-02-01")))
        try b.apply(.dunningLevelSet("C1", level: 2, runID: "R1"), on: "2026-02-01")
        try b.pay("P1", "C1", on: "2026-02-10", "100", to: "I2")
        let resolved = try Dunning.propose(book: b.book, policy: .standard, asOf: day("2026-02-11"))
        #expect(resolved.first?.toLevel == 0)
        #expect(resolved.first?.level == nil)
    }
}

@Suite struct PromiseAndQueueTests {
    func book() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("C1", limit: "500", grade: .e, collector: "li.na")
        try b.customer("C2", collector: "wang.fang")
        try b.customer("C3")
        for (id, amount) in [("C1", "1,000"), ("C2", "800"), ("C3", "300")] {
            try b.invoice("I-\(id)", id, issued: "2026-01-01", due: "2026-01-31", amount)
        }
        return b
    }

    @Test func promisesKeptPartlyKeptBrokenPending() throws {
        var b = try book()
        func promise(_ id: String, _ amount: String, due: String) -> Event {
            .promiseTaken(Promise(id: id, customer: "C1", amount: money(amount), due: day(due), toleranceDays: 2, taken: day("2026-02-01"), takenBy: "li.na"))
        }
        try b.apply(promise("P1", "100", due: "2026-02-05"), on: "2026-02-01")
        try b.apply(promise("P2", "300", due: "2026-02-10"), on: "2026-02-01")
        try b.apply(promise("P3", "200", due: "2026-02-20"), on: "2026-02-01")
        try b.apply(promise("P4", "50", due: "2026-03-20"), on: "2026-02-01")
        try b.pay("B1", "C1", on: "2026-02-06", "250", to: "I-C1")  // keeps P1 (100), 150 toward P2
        let judged = Promises.judge("C1", in: b.book, asOf: day("2026-03-01"))
        #expect(judged.map(\.state) == [.kept, .partiallyKept, .broken, .pending])
        #expect(judged[1].paid == money("150"))
        let rate = Promises.keptRate(judged, asOf: day("2026-03-01"))
        #expect(rate.count == 3333)
        // Kept early, a promise counts in the rate only once past its date and tolerance, as a
        // broken one does: on 02-07 (P1 due 02-05 + 2) nothing is judged yet.
        let early = Promises.judge("C1", in: b.book, asOf: day("2026-02-07"))
        #expect(early.first?.state == .kept && Promises.keptRate(early, asOf: day("2026-02-07")).count == nil)
        #expect(Promises.keptRate(Promises.judge("C1", in: b.book, asOf: day("2026-02-08")), asOf: day("2026-02-08")).count == 10_000)
    }

    /// The recent kept rate goes by the day each promise was judged, not its date: a kept one and
    /// a broken one both judged in the window both count (by date, the kept one dropped out and
    /// the rate read 0 %).
    @Test func theRecentKeptRateGoesByTheDayJudged() throws {
        var b = try book()
        func promise(_ id: String, _ customer: String, due: String) -> Event {
            .promiseTaken(Promise(id: id, customer: customer, amount: money("300"), due: day(due), toleranceDays: 2, taken: day("2026-08-20"), takenBy: "li.na"))
        }
        try b.apply(promise("P1", "C1", due: "2026-08-31"), on: "2026-08-20")  // judged after 09-02: kept
        try b.apply(promise("P2", "C2", due: "2026-09-10"), on: "2026-08-20")  // judged after 09-12: broken
        try b.pay("B1", "C1", on: "2026-08-30", "300", to: "I-C1")
        let asOf = day("2026-11-29")  // the 90 days from 09-01
        let judged = ["C1", "C2"].flatMap { Promises.judge($0, in: b.book, asOf: asOf) }
        let rate = Promises.keptRate(judged, judgedWithin: 90, asOf: asOf)
        #expect(rate.count == 5_000 && rate.amount == 5_000)
        // Judged before the window, neither counts.
        #expect(Promises.keptRate(judged, judgedWithin: 30, asOf: asOf).count == nil)
        // The window's first day counts, as a collectors report over the same days counts it:
        // P2, judged on 09-12, is read as judged from 09-13, the first of the 78 days to 11-29.
        #expect(Promises.keptRate(judged, judgedWithin: 78, asOf: asOf).count == 0)
        #expect(Promises.keptRate(judged, judgedWithin: 77, asOf: asOf).count == nil)
    }

    /// A promise renegotiated on a later day is replaced, neither kept nor broken: the customer
    /// who pays the new date in full has kept its word, and the money counts for the new promise.
    @Test func aPromiseRenegotiatedOnALaterDayIsReplaced() throws {
        var b = try book()
        func promise(_ id: String, _ amount: String, due: String, taken: String) -> Event {
            .promiseTaken(Promise(id: id, customer: "C1", amount: money(amount), due: day(due), toleranceDays: 2, taken: day(taken), takenBy: "li.na"))
        }
        try b.apply(promise("P1", "500", due: "2026-02-10", taken: "2026-02-01"), on: "2026-02-01")
        try b.apply(promise("P2", "600", due: "2026-02-20", taken: "2026-02-05"), on: "2026-02-05")
        #expect(Promises.judge("C1", in: b.book, asOf: day("2026-02-04")).map(\.state) == [.pending])  // as it stood before
        try b.pay("B1", "C1", on: "2026-02-06", "600", to: "I-C1")
        let judged = Promises.judge("C1", in: b.book, asOf: day("2026-03-01"))
        #expect(judged.map(\.state) == [.replaced, .kept])
        #expect(judged.map(\.paid) == [money("0"), money("600")])
        #expect(Promises.keptRate(judged, asOf: day("2026-03-01")).count == 10_000)
        // Kept before the new one was agreed, it stays kept.
        var early = try book()
        try early.apply(promise("P1", "500", due: "2026-02-10", taken: "2026-02-01"), on: "2026-02-01")
        try early.pay("B1", "C1", on: "2026-02-03", "500", to: "I-C1")
        try early.apply(promise("P2", "300", due: "2026-02-20", taken: "2026-02-05"), on: "2026-02-05")
        #expect(Promises.judge("C1", in: early.book, asOf: day("2026-03-01")).map(\.state) == [.kept, .broken])
        // Renegotiated on its last day of tolerance, and paid after that the same day: the
        // payment is the new promise's (it was made for what was left), not the old one's.
        var late = try book()
        try late.apply(promise("P1", "500", due: "2026-02-10", taken: "2026-02-01"), on: "2026-02-01")
        try late.pay("B1", "C1", on: "2026-02-11", "100", to: "I-C1")
        try late.apply(promise("P2", "400", due: "2026-02-20", taken: "2026-02-12"), on: "2026-02-12")
        try late.pay("B2", "C1", on: "2026-02-12", "400", to: "I-C1")
        let renegotiated = Promises.judge("C1", in: late.book, asOf: day("2026-03-01"))
        #expect(renegotiated.map(\.state) == [.replaced, .kept])
        #expect(renegotiated.map(\.paid) == [money("100"), money("400")])
    }

    @Test func theQueueShowsWhyWithPointsThatAddUp() throws {
        var b = try book()
        try b.apply(.callLogged("C2", .leftMessage, note: "", callback: day("2026-02-10")), on: "2026-02-09")
        let queue = Worklist.build(book: b.book, policy: .standard, asOf: day("2026-02-10"))
        #expect(Set(queue.map(\.customer)) == ["C1", "C2", "C3"])
        for item in queue { #expect(item.priority == item.reasons.reduce(0) { $0 + $1.points }) }
        let c2 = try #require(queue.first { $0.customer == "C2" })
        #expect(c2.reasons.contains { $0.kind == .callbackDue })
        let c1 = try #require(queue.first { $0.customer == "C1" })
        #expect(c1.reasons.contains { $0.kind == .overLimit })
        #expect(c1.reasons.contains { $0.kind == .grade && $0.points == 20 })
        #expect(queue.first?.customer == "C1")  // highest priority first
        // What to ask for nets the customer's unapplied credit, as a letter does.
        try b.apply(.creditNoteIssued(CreditNote(number: "CN", customer: "C2", day: day("2026-02-09"), amount: money("300"), invoice: nil)), on: "2026-02-09")
        let netted = try #require(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-02-10")).first { $0.customer == "C2" })
        #expect(netted.position.collectablePastDue == money("800") && netted.toCollect == money("500"))
    }

    /// A call that reached nobody is an attempt: the callback asked for and the broken promise
    /// still stand; a callback it names reschedules the callback; a call that reached the
    /// customer answers them.
    @Test func aCallThatReachedNobodyLeavesEverythingStanding() throws {
        var b = try book()
        try b.apply(.promiseTaken(Promise(id: "P", customer: "C3", amount: money("300"), due: day("2026-02-05"), toleranceDays: 0,
                                          taken: day("2026-02-01"), takenBy: "x")), on: "2026-02-01")
        try b.apply(.callbackScheduled("C3", day("2026-02-10"), note: "after the board meets"), on: "2026-02-03")
        let asOf = day("2026-02-10")
        func reasons() -> Set<QueueReason.Kind> {
            Set(Worklist.build(book: b.book, policy: .standard, asOf: asOf).first { $0.customer == "C3" }?.reasons.map(\.kind) ?? [])
        }
        #expect(reasons().isSuperset(of: [.callbackDue, .brokenPromise]))
        for outcome in [CallOutcome.noAnswer, .leftMessage, .wrongNumber] {
            try b.apply(.callLogged("C3", outcome, note: "", callback: nil), on: "2026-02-10")
            #expect(reasons().isSuperset(of: [.callbackDue, .brokenPromise]), "\(outcome)")
        }
        try b.apply(.callLogged("C3", .noAnswer, note: "try Friday", callback: day("2026-02-13")), on: "2026-02-10")
        #expect(!reasons().contains(.callbackDue) && reasons().contains(.brokenPromise))
        #expect(Worklist.pendingCallback(of: "C3", in: b.book, asOf: asOf)?.day == day("2026-02-13"))
        try b.apply(.callLogged("C3", .reached, note: "", callback: nil), on: "2026-02-10")
        #expect(!reasons().contains(.brokenPromise))
    }

    @Test func collectorsSeeTheirOwnAndUnassignedButNotOthersClaims() throws {
        var b = try book()
        try b.apply(.claimed("C3"), on: "2026-02-10", by: "wang.fang")  // a claim is for its day
        let mine = Worklist.build(book: b.book, policy: .standard, asOf: day("2026-02-10"), viewer: "li.na").map(\.customer)
        #expect(mine == ["C1"])  // C2 is wang.fang's, C3 is unassigned but claimed by wang.fang
        let theirs = Worklist.build(book: b.book, policy: .standard, asOf: day("2026-02-10"), viewer: "wang.fang").map(\.customer)
        #expect(Set(theirs) == ["C2", "C3"])
        let filtered = Worklist.build(book: b.book, policy: .standard, asOf: day("2026-02-10"), collector: "li.na").map(\.customer)
        #expect(filtered == ["C1"])
        try b.apply(.profileChanged("C1", .status(.legal), reason: "court"))
        #expect(!Worklist.build(book: b.book, policy: .standard, asOf: day("2026-02-10")).contains { $0.customer == "C1" })
    }

    @Test func scorecardGradesAndSuggests() {
        let card = Scorecard()
        let result = card.evaluate(scores: [5, 4, 4, 3, 5], monthlySales: money("10,000"))
        // 5×30 + 4×25 + 4×20 + 3×15 + 5×10 = 425 → A (floor 420): 300 % of monthly sales, 60 days
        #expect(result == ScorecardResult(score: 425, grade: .a, suggestedLimit: money("30,000"), suggestedTermsDays: 60))
        #expect(card.evaluate(scores: [1, 1, 1, 1, 1], monthlySales: money("10,000"))?.grade == .e)
        #expect(card.evaluate(scores: [6, 1, 1, 1, 1], monthlySales: .zero) == nil)
    }
}

@Suite struct CalendarAndMoneyTests {
    @Test func civilCalendarRoundTripsAndKnowsWeekdays() {
        var d = day("1999-12-25")
        for _ in 0..<3_000 {
            let (y, m, dd) = d.components
            #expect(Day(year: y, month: m, day: dd) == d)
            #expect(Day(iso: d.iso) == d)
            d = d.adding(days: 7)
        }
        #expect(Day(ordinal: 0).iso == "1970-01-01")
        #expect(Day(ordinal: 0).weekday == 4)  // Thursday
        #expect(day("2024-02-29").adding(months: 12) == day("2025-02-28"))
        #expect(Day(iso: "2025-02-29") == nil && Day(iso: "2026-1-01") == nil && Day(iso: "2026-01-01x") == nil)
        #expect(day("2026-03-01").days(since: day("2026-01-31")) == 29)
    }

    @Test func moneyParsesWhatPeopleTypeAndRefusesTheRest() {
        #expect(money("1,234.5") == Money(minorUnits: 123_450))
        #expect(Currency.cny.parse("¥1,234,567.89") == Money(minorUnits: 123_456_789))
        #expect(Currency.cny.parse("-12") == Money(minorUnits: -1200))
        for bad in ["12.345", "1,23", "abc", "", "1.2.3", "12,3456", "1.2345678万", "万"] { #expect(Currency.cny.parse(bad) == nil, "\(bad)") }
        // Ten thousands, as Chinese amounts are said.
        #expect(Currency.cny.parse("1.2万") == Money(minorUnits: 1_200_000))
        #expect(Currency.cny.parse("3万元") == Money(minorUnits: 3_000_000))
        #expect(Currency.cny.parse("1.234567万") == Money(minorUnits: 1_234_567))
        #expect(Currency(isoCode: "JPY")!.parse("5万") == Money(minorUnits: 50_000))
        // 千 (thousands), and ten thousands followed by what is left of them.
        #expect(Currency.cny.parse("3千") == Money(minorUnits: 300_000) && Currency.cny.parse("1.5千元") == Money(minorUnits: 150_000))
        #expect(Currency.cny.parse("1万2千") == Money(minorUnits: 1_200_000) && Currency.cny.parse("¥1万2000") == Money(minorUnits: 1_200_000))
        #expect(Currency.cny.parse("2万500.5") == Money(minorUnits: 2_050_050))
        for bad in ["1万2万", "-1万2千", "1万1.2万", "1万", "千", "1万-5"] where bad != "1万" { #expect(Currency.cny.parse(bad) == nil, "\(bad)") }
        #expect(Currency.cny.parse("1万2") == nil)  // said for 12,000 as often as meant as 10,002: refused
        // Refused with what 万 allows: four more decimals, four fewer whole digits.
        #expect(Currency.cny.refusal(of: "1.2345678万") == "at most 6 decimals with 万")
        #expect(Currency.cny.refusal(of: "123456789012万") == "too large: at most 11 digits before the decimal point with 万")
        #expect(Currency.cny.refusal(of: "1.2345") == "at most 2 decimals")
        #expect(Currency.cny.refusal(of: "1万2") == "said for 12,000 as often as meant as 10,002: write 1.2万, 1万2千 or 10,002")
        #expect(Currency.cny.parse("3千5") == nil && Currency.cny.refusal(of: "3千5") == "said for 3,500 as often as meant as 3,005: write 3.5千, 3,500 or 3,005")
        #expect(Currency.cny.refusal(of: "1.200") == "at most 2 decimals ('.' is the decimal point, ',' groups thousands: 1,200)")
        #expect(Currency(isoCode: "JPY")!.refusal(of: "1.5") == "JPY has no decimals")
        #expect(Currency.cny.format(Money(minorUnits: -123_456_789), grouping: ",") == "-1,234,567.89")
        #expect(Currency(isoCode: "JPY")!.format(Money(minorUnits: 1500)) == "1500")
    }
}

/// A payment plan stands in for the overdue balance it replaced: kept, it holds the level; broken,
/// dunning takes up again; overdue beyond what it covers still escalates.
@Suite struct PaymentPlanDunningTests {
    func planned() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2025-12-02", due: "2026-01-01", "3,000")
        let instalment = { (n: Int, due: String) in
            Promise(id: "PL-\(n)", customer: "C1", amount: money("1,000"), due: day(due), toleranceDays: 2,
                    taken: day("2026-01-20"), takenBy: "li.na", plan: "PL")
        }
        try b.apply(.planAgreed(id: "PL", customer: "C1", instalments: [instalment(1, "2026-02-01"), instalment(2, "2026-03-01"),
                                                                          instalment(3, "2026-04-01")]), on: "2026-01-20")
        try b.pay("B1", "C1", on: "2026-02-01", "1,000", to: "I1")
        return b
    }

    func levels(_ b: BookBuilder, on iso: String) throws -> [CustomerID: Int] {
        Dictionary(uniqueKeysWithValues: try Dunning.propose(book: b.book, policy: .standard, asOf: day(iso)).map { ($0.customer, $0.toLevel) })
    }

    @Test func aKeptPlanHoldsTheLevelAndABrokenOneReleasesIt() throws {
        var b = try planned()
        try b.pay("B2", "C1", on: "2026-03-01", "1,000", to: "I1")
        // Each instalment is kept by its own payment (the first payment, used up, is passed over).
        #expect(Promises.judge("C1", in: b.book, asOf: day("2026-03-05")).map(\.state) == [.kept, .kept, .pending])
        #expect(try levels(b, on: "2026-03-05").isEmpty)  // 63 days late, yet on a plan kept so far
        #expect(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-05"))
            .first { $0.customer == "C1" }?.reasons.contains { $0.kind == .levelDue } != true)
        // The third instalment is missed: once it is judged broken, the overdue balance escalates.
        #expect(try levels(b, on: "2026-04-06")["C1"] == 1)
    }

    @Test func overdueBeyondThePlanStillEscalates() throws {
        var b = try planned()
        try b.invoice("I2", "C1", issued: "2026-01-05", due: "2026-02-04", "5,000")
        #expect(try levels(b, on: "2026-03-05")["C1"] == 1)
    }
}

/// Unapplied cash counts against what is overdue when dunning weighs a customer: a prepayment
/// that covers a later invoice leaves nothing to chase, and less credit than overdue still
/// escalates.
@Suite struct CreditAgainstDunningTests {
    @Test func unappliedCashCoversOverdueItems() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.customer("C2")
        try b.apply(.paymentReceived(Payment(reference: "PRE1", customer: "C1", day: day("2026-01-05"), amount: money("500"),
                                             method: "bank", allocations: [])), on: "2026-01-05")
        try b.apply(.paymentReceived(Payment(reference: "PRE2", customer: "C2", day: day("2026-01-05"), amount: money("100"),
                                             method: "bank", allocations: [])), on: "2026-01-05")
        try b.invoice("I1", "C1", issued: "2026-01-10", due: "2026-02-09", "500")
        try b.invoice("I2", "C2", issued: "2026-01-10", due: "2026-02-09", "500")
        let proposals = try Dunning.propose(book: b.book, policy: .standard, asOf: day("2026-04-15"))
        #expect(proposals.map(\.customer) == ["C2"])
        #expect(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-04-15"))
            .first { $0.customer == "C1" }?.reasons.contains { $0.kind == .levelDue } != true)
        // Nor is it put on hold for items its credit covers.
        let c1 = b.book.customers["C1"]!
        var graded = c1; graded.grade = .e; graded.creditLimit = money("100")
        #expect(Credit.holdCheck(graded, position: Position("C1", in: b.book, asOf: day("2026-04-15")), policy: .standard).isEmpty)
        var other = b.book.customers["C2"]!; other.grade = .e
        #expect(!Credit.holdCheck(other, position: Position("C2", in: b.book, asOf: day("2026-04-15")), policy: .standard).isEmpty)
    }
}

/// Amounts in words are in the book's currency: a yen book's 5,000 is "5,000", not "50.00".
@Suite struct AmountsInWordsTests {
    @Test func reasonsAndRefusalsUseTheBooksCurrency() {
        let yen = Currency(code: "JPY", minorDigits: 0)
        #expect(QueueReason.About.pastDue(Money(minorUnits: 5_000)).text(in: yen) == "5,000 past due")
        #expect(QueueReason.About.pastDue(Money(minorUnits: 5_000)).text(in: .cny) == "50.00 past due")
        #expect(HoldReason.overLimit(balance: Money(minorUnits: 620_000), limit: Money(minorUnits: 500_000)).text(in: yen)
                == "over limit: balance 620,000 on a limit of 500,000")
        let refusal = BookError.overAllocated(invoice: "I1", open: Money(minorUnits: 300), allocated: Money(minorUnits: 500), currency: yen)
        #expect(refusal.description == "invoice \"I1\" has 300 open but 500 would be applied to it")
    }
}

/// A view of a past day shows the customer as it stood then: a limit raised, a hold placed or a
/// collector assigned later is not there yet. A snapshot keeps what it was.
@Suite struct ProfileAsOfTests {
    @Test func pastDaysSeeTheProfileOfThatDay() throws {
        var b = BookBuilder()
        try b.customer("C1", limit: "100", grade: .e, collector: "li.na")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "500")
        try b.apply(.profileChanged("C1", .creditLimit(money("1,000")), reason: "growth"), on: "2026-03-10")
        try b.apply(.profileChanged("C1", .collector("wang.fang"), reason: "handover"), on: "2026-03-20")
        #expect(b.book.customer("C1", asOf: day("2026-03-01"))?.creditLimit == money("100"))
        #expect(b.book.customer("C1", asOf: day("2026-03-15"))?.creditLimit == money("1,000"))
        #expect(b.book.customer("C1", asOf: day("2026-03-15"))?.collector == "li.na")
        #expect(b.book.customer("C1", asOf: day("2026-03-20"))?.collector == "wang.fang")
        let then = try #require(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-01")).first)
        #expect(then.reasons.contains { $0.kind == .overLimit })
        let now = try #require(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-25")).first)
        #expect(!now.reasons.contains { $0.kind == .overLimit })
        #expect(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-01"), collector: "li.na").count == 1)
        let restored = try b.book.snapshotBytes().withUnsafeBytes { try Book(snapshot: $0) }
        #expect(restored.customer("C1", asOf: day("2026-03-01"))?.creditLimit == money("100"))
        #expect(restored.snapshotBytes() == b.book.snapshotBytes())
    }
}

/// An amount written with another currency's sign is not an amount of this one.
@Suite struct CurrencySignTests {
    @Test func onlyTheBooksOwnSignIsRead() {
        let usd = Currency(code: "USD")
        #expect(Currency.cny.parse("¥1,234.50") == Money(minorUnits: 123_450))
        #expect(Currency.cny.parse("RMB 5,000") == Money(minorUnits: 500_000))
        #expect(Currency.cny.parse("1,234.00 CNY") == Money(minorUnits: 123_400))
        #expect(Currency.cny.parse("1,234.00元") == Money(minorUnits: 123_400))
        #expect(Currency.cny.parse("¥12元") == Money(minorUnits: 1_200))
        #expect(Currency.cny.parse("$1,000") == nil)
        #expect(usd.parse("$99.00") == Money(minorUnits: 9_900))
        #expect(usd.parse("€99.00") == nil && usd.parse("¥1,234.50") == nil)
        #expect(usd.parse("USD 12") == Money(minorUnits: 1_200))
    }
}

/// A payment recorded before a promise was taken, the same day, was already there when the
/// customer promised: it does not keep the promise; one recorded after it does.
@Suite struct SameDayPromiseTests {
    @Test func onlyPaymentsAfterThePromiseKeepIt() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "1,000")
        try b.pay("B1", "C1", on: "2026-02-10", "300", to: "I1")
        try b.apply(.promiseTaken(Promise(id: "P1", customer: "C1", amount: money("700"), due: day("2026-02-20"), toleranceDays: 0,
                                          taken: day("2026-02-10"), takenBy: "li.na")), on: "2026-02-10")
        #expect(Promises.judge("C1", in: b.book, asOf: day("2026-02-21")).first?.state == .broken)
        try b.pay("B2", "C1", on: "2026-02-10", "700", to: "I1")
        #expect(Promises.judge("C1", in: b.book, asOf: day("2026-02-21")).first?.state == .kept)
        let restored = try b.book.snapshotBytes().withUnsafeBytes { try Book(snapshot: $0) }
        #expect(Promises.judge("C1", in: restored, asOf: day("2026-02-21")).first?.state == .kept)
    }
}

/// The queue weighs past due by whole thousands of the book's currency, and says "level due"
/// only when a run would raise the level, not when it would resolve it.
@Suite struct QueueAgreesWithDunningTests {
    @Test func yenPastDueEarnsPointsAndAResolvingLevelIsNotDue() throws {
        var b = BookBuilder()
        try b.apply(.bookCreated(currency: Currency(code: "JPY", minorDigits: 0)))
        try b.customer("C1")
        try b.apply(.invoiceIssued(Invoice(number: "I1", customer: "C1", issued: day("2026-01-01"), due: day("2026-01-31"),
                                           amount: Money(minorUnits: 50_000))))
        let item = try #require(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-02-07")).first)
        #expect(item.reasons.first { $0.kind == .pastDue }?.points == 50)  // ¥50,000: fifty thousands
        var policy = Policy.standard
        policy.dunningLevels[0].minimumOverdue = Money(minorUnits: 1_000_000)  // level 1 wants ¥1,000,000 overdue
        try b.apply(.dunningLevelSet("C1", level: 1, runID: "R0"), on: "2026-02-01")
        let proposal = try Dunning.propose(book: b.book, policy: policy, asOf: day("2026-02-20")).first
        #expect(proposal?.toLevel == 0)  // the run resolves it
        let queued = Worklist.build(book: b.book, policy: policy, asOf: day("2026-02-20")).first
        #expect(queued?.reasons.contains { $0.kind == .levelDue } != true)
    }
}

extension PromiseAndQueueTests {
    /// A wrong number is no contact: the customer stays in the queue as one not called (it left
    /// it for two weeks), and no dunning level is held back by it; a call that rang them is one.
    @Test func aWrongNumberIsNoContact() throws {
        var b = BookBuilder()
        try b.customer("W1")
        try b.invoice("W-1", "W1", issued: "2026-01-01", due: "2026-01-31", "5000")
        var policy = Policy.standard
        policy.dunningLevels = []  // no level due: only the lack of contact brings it
        func noContact(on iso: String) -> Bool {
            Worklist.build(book: b.book, policy: policy, asOf: day(iso)).first { $0.customer == "W1" }?.reasons.contains { $0.kind == .noContact } ?? false
        }
        #expect(noContact(on: "2026-03-10"))
        try b.apply(.callLogged("W1", .wrongNumber, note: "number not theirs", callback: nil), on: "2026-03-10")
        #expect(noContact(on: "2026-03-11"))
        #expect(Position("W1", in: b.book, asOf: day("2026-03-11")).lastContact == nil)
        try b.apply(.callLogged("W1", .noAnswer, note: "", callback: nil), on: "2026-03-11")
        #expect(!noContact(on: "2026-03-12"))
        #expect(Position("W1", in: b.book, asOf: day("2026-03-12")).lastContact == day("2026-03-11"))
    }
}

extension CalendarAndMoneyTests {
    /// Whole percents round half away from zero as every figure does, but never into 100 % from
    /// either side: 112.5 % of a limit is 113 %, 46.67 % is 47 %, 99.6 % is 99 %, 100.2 % is 101 %.
    @Test func wholePercentsRoundButNeverReachALimitTheyMiss() {
        #expect([11_250, 4_667, 3_750, 3_749, 9_960, 10_000, 10_020, 0].map(KPI.wholePercent) == [113, 47, 38, 37, 99, 100, 101, 0])
    }
}
