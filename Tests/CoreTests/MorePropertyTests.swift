@testable import Core
import PropertyBased
import Testing

/// Properties of the figures computed from random books (see `PropertyTests.randomBook`).
@Suite struct MorePropertyTests {
    /// The one-pass monthly sales in `PortfolioKPIs` agree with summing each window separately.
    @Test func portfolioSalesAgreeWithAPlainSum() async {
        await propertyCheck(count: 60, input: PropertyTests.seeds, Gen.int(in: 0...500)) { seeds, offset in
            guard let book = try? PropertyTests.randomBook(seeds) else { Issue.record("book"); return }
            let asOf = day("2025-01-01").adding(days: offset)
            let k = PortfolioKPIs(book: book, policy: .standard, asOf: asOf)
            #expect(k.salesLast90Days == PortfolioKPIs.sales(book, from: asOf.adding(days: -89), to: asOf))
            var months: [(sales: Money, days: Int)] = []
            var end = asOf
            for _ in 0..<24 {
                months.append((PortfolioKPIs.sales(book, from: end.firstOfMonth, to: end), end.days(since: end.firstOfMonth) + 1))
                end = end.firstOfMonth.adding(days: -1)
            }
            #expect(k.dsoCountBack == KPI.dsoCountBack(receivables: k.receivables, monthlySales: months))
            let opening = AgingReport(book: book, policy: .standard, asOf: asOf.firstOfMonth.adding(days: -1)).total
            #expect(k.cei == KPI.cei(openingAR: opening, sales: months[0].sales, closingAR: k.receivables, closingCurrentAR: k.current))
            if let current = k.percentCurrent, let overdue = k.overdueRate { #expect(current + overdue == 10_000) }
            // The receivables are the aging's, counted in one pass for several days.
            let aging = AgingReport(book: book, policy: .standard, asOf: asOf)
            #expect(k.receivables == aging.total)
            #expect(k.current == aging.totals[0])
            #expect(k.credit == aging.creditTotal)
        }
    }

    /// Open as of a day never grows when the day moves on without new invoices, but by what
    /// payments reversed in between took back: for a fixed invoice, what is open as of D is
    /// non-increasing in D once it is issued, reversals aside, and stays within 0 and its amount.
    @Test func openNeverGrowsForAnIssuedInvoice() async {
        await propertyCheck(count: 80, input: PropertyTests.seeds, Gen.int(in: 0...400)) { seeds, offset in
            guard let book = try? PropertyTests.randomBook(seeds) else { return }
            let earlier = day("2025-01-01").adding(days: offset), later = earlier.adding(days: 45)
            for invoice in book.invoices.all where invoice.issued <= earlier {
                let takenBack = invoice.settlements.filter { $0.amount.isNegative && $0.day > earlier && $0.day <= later }
                    .reduce(Money.zero) { $0 - $1.amount }
                #expect(invoice.open(asOf: later) <= invoice.open(asOf: earlier) + takenBack)
                #expect(!invoice.open(asOf: later).isNegative && invoice.open(asOf: later) <= invoice.amount)
            }
        }
    }

    /// Provision: every line is its balance × rate rounded, and never more than the balance.
    @Test func provisionIsBoundedByTheBalance() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...1_000_000_000), Gen.int(in: 0...1_000_000)) { balance, rate in
            let p = Provision(balances: [("x", Money(minorUnits: Int64(balance)))], ratesPPM: [rate])
            #expect(p.total.minorUnits >= 0 && p.total.minorUnits <= Int64(balance))
            let exact = Int64(balance) * Int64(rate)  // ×10⁶ of the provision
            #expect(abs(p.total.minorUnits * 1_000_000 - exact) <= 500_000)
        }
    }

    /// Days round-trip through the civil calendar from year 1600 to 2400.
    @Test func civilCalendarRoundTripsEverywhere() async {
        let first = Int(day("1600-01-01").ordinal), last = Int(day("2400-12-31").ordinal)
        await propertyCheck(count: 300, input: Gen.int(in: first...last)) { ordinal in
            let d = Day(ordinal: Int32(ordinal))
            let (y, m, dd) = d.components
            #expect(Day(year: y, month: m, day: dd) == d)
            #expect(Day(iso: d.iso) == d)
            #expect(d.adding(days: 1).weekday == d.weekday % 7 + 1)
        }
    }
}

@Suite struct CalendarMoneyQueueExtras {
    /// Every date of the years whose month starts are looked up (and a year either side), and
    /// every impossible one (day 0, 29–32 of each month), made by the table as by the formula.
    @Test func theMonthTableAgreesWithTheCalendarFormula() {
        for year in 1899...2200 {
            for month in 1...12 {
                let length = Day.daysIn(month: month, year: year)
                for dayOfMonth in [0, 1, 2, 27, 28, 29, 30, 31, 32] {
                    let made = Day(year: year, month: month, day: dayOfMonth)
                    if dayOfMonth >= 1 && dayOfMonth <= length {
                        #expect(made?.ordinal == Int32(Day.daysFromCivil(year: year, month: month, day: dayOfMonth)), "\(year)-\(month)-\(dayOfMonth)")
                    } else {
                        #expect(made == nil, "\(year)-\(month)-\(dayOfMonth)")
                    }
                }
            }
        }
        #expect(Day(year: 2026, month: 13, day: 1) == nil && Day(year: 2026, month: 0, day: 1) == nil)
    }

    @Test func leapYears() {
        #expect(Day(year: 2000, month: 2, day: 29) != nil)   // divisible by 400
        #expect(Day(year: 1900, month: 2, day: 29) == nil)   // by 100, not 400
        #expect(Day(year: 2100, month: 2, day: 29) == nil)
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
        #expect(Day(year: 2026, month: 2, day: 29) == nil)
        #expect(day("2024-03-01").days(since: day("2024-02-28")) == 2)
        #expect(day("2000-12-31").days(since: day("2000-01-01")) == 365)  // 366 days in 2000
        #expect(day("2026-01-31").adding(months: 1) == day("2026-02-28"))
        #expect(day("2026-03-31").firstOfMonth == day("2026-03-01") && day("2024-02-10").lastOfMonth == day("2024-02-29"))
        // Every day from 1970 to 2100, one at a time: consecutive ordinals, consecutive dates.
        var d = day("1970-01-01"), previous = d.components
        for _ in 0..<47_846 {
            d = d.adding(days: 1)
            let c = d.components
            let nextDay = previous.day < Day.daysIn(month: previous.month, year: previous.year)
            let expected = nextDay ? (previous.year, previous.month, previous.day + 1)
                : previous.month == 12 ? (previous.year + 1, 1, 1) : (previous.year, previous.month + 1, 1)
            if c != expected { Issue.record("\(d.iso) after \(previous)"); break }
            previous = c
        }
        #expect(d.iso == "2100-12-31")
    }

    @Test func moneyParsingAndFormatting() {
        #expect(Currency.cny.parse("￥ 1,000") == money("1000"))
        #expect(Currency.cny.parse("RMB 12.50") == Money(minorUnits: 1250))
        #expect(Currency.cny.parse("(12.50)") == Money(minorUnits: -1250))
        #expect(Currency.cny.parse("-0.01") == Money(minorUnits: -1))
        #expect(Currency.cny.parse("1,000,000.5") == Money(minorUnits: 100_000_050))
        #expect(Currency.cny.parse("1000.") == nil && Currency.cny.parse(",100") == nil && Currency.cny.parse("1,0000") == nil)
        #expect(Currency(isoCode: "JPY")!.parse("¥1,500") == Money(minorUnits: 1500))
        #expect(Currency(isoCode: "JPY")!.parse("1500.5") == nil)  // yen has no decimals
        #expect(Currency(isoCode: "KWD")!.format(Money(minorUnits: 1_234_567), grouping: ",") == "1,234.567")
        #expect(Currency.cny.format(Money(minorUnits: -5)) == "-0.05")
        #expect(Currency(isoCode: "cny") == nil)
        #expect(Currency(isoCode: "CYN") == nil)  // a typo, not a currency
        #expect(Currency(isoCode: "XOF")?.minorDigits == 0 && Currency(isoCode: "USD")?.minorDigits == 2)
    }

    func book() throws -> BookBuilder {
        var b = BookBuilder()
        for (id, status) in [("OPEN", CustomerStatus.active), ("CLOSED", .closed), ("LEGAL", .legal), ("AGENCY", .agency), ("HELD", .onHold)] {
            try b.customer(id)
            if status != .active { try b.apply(.profileChanged(id, .status(status), reason: "test")) }
            try b.invoice("I-\(id)", id, issued: "2026-01-01", due: "2026-01-31", "1,000")
        }
        return b
    }

    @Test func closedLegalAndAgencyCustomersAreNotQueued() throws {
        let queue = Worklist.build(book: try book().book, policy: .standard, asOf: day("2026-03-01"))
        #expect(Set(queue.map(\.customer)) == ["OPEN", "HELD"])
    }

    /// A callback due today brings in a customer with nothing else to do; a call today answers it.
    @Test func aCallbackDueEntersTheQueueAndACallAnswersIt() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-06-30", "1,000")  // not yet due
        try b.apply(.callbackScheduled("C1", day("2026-03-10"), note: "ring back"), on: "2026-03-01")
        #expect(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-09")).isEmpty)
        let item = try #require(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-10")).first)
        #expect(item.reasons.map(\.kind) == [.callbackDue])
        #expect(item.priority == Policy.standard.queue.callbackDue)
        try b.apply(.callLogged("C1", .reached, note: "", callback: nil), on: "2026-03-10")
        #expect(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-10")).isEmpty)
    }

    /// A call before the callback's day that names no new callback (no answer, say) leaves the
    /// callback waiting; one that names a day moves it.
    @Test func anEarlierCallKeepsTheCallbackAndALaterOneMovesIt() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-06-30", "1,000")
        try b.apply(.callbackScheduled("C1", day("2026-03-10"), note: "ring back"), on: "2026-03-01")
        try b.apply(.callLogged("C1", .noAnswer, note: "", callback: nil), on: "2026-03-03")
        let item = try #require(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-10")).first)
        #expect(item.reasons.map(\.kind) == [.callbackDue])
        #expect(item.callbackDue == day("2026-03-10"))
        try b.apply(.callLogged("C1", .reached, note: "", callback: day("2026-03-20")), on: "2026-03-04")
        #expect(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-10")).isEmpty)
        #expect(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-20")).first?.callbackDue == day("2026-03-20"))
    }

    /// A new item going past due is news even when older items are long late (and their next
    /// level is not due yet): the customer comes into the queue for it.
    @Test func aNewlyOverdueItemBringsInALongLateCustomer() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("OLD", "C1", issued: "2025-12-01", due: "2026-01-20", "100")
        try b.invoice("NEW", "C1", issued: "2026-02-01", due: "2026-03-01", "50,000")
        let dunned = try #require(try Dunning.propose(book: b.book, policy: .standard, asOf: day("2026-02-28")).first)
        try b.apply(.dunningLevelSet("C1", level: dunned.toLevel, runID: "R1"), on: "2026-02-28")
        let item = try #require(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-02")).first)
        let newly = try #require(item.reasons.first { $0.kind == .newlyPastDue })
        #expect(newly.about == .days(1))
        // Once someone has spoken with the customer about it (reached, a promise, a plan), it is
        // no longer news: the customer is not called again for it the next day.
        var reached = b
        try reached.apply(.callLogged("C1", .reached, note: "will pay Friday", callback: nil), on: "2026-03-02")
        let after = Worklist.build(book: reached.book, policy: .standard, asOf: day("2026-03-03")).first { $0.customer == "C1" }
        #expect(after?.reasons.contains { $0.kind == .newlyPastDue } != true, "\(String(describing: after?.reasons))")
        // A call before it was late (a reminder, on the due day too) is not about it.
        for reminded in ["2026-02-27", "2026-03-01"] {
            var before = b
            try before.apply(.callLogged("C1", .reached, note: "reminded", callback: nil), on: reminded)
            #expect(Worklist.build(book: before.book, policy: .standard, asOf: day("2026-03-02")).first?.reasons.contains { $0.kind == .newlyPastDue } == true, "\(reminded)")
        }
    }

    /// A customer past due whom nobody has called for two weeks comes back to the queue once its
    /// level is as far as a run takes it, unless a promise or a callback is being waited for.
    @Test func aCustomerNobodyCalledComesBack() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "5,000")
        try b.apply(.dunningLevelSet("C1", level: 3, runID: "R1"), on: "2026-03-01")  // past what a run moves on its own soon
        try b.apply(.callLogged("C1", .reached, note: "", callback: nil), on: "2026-03-02")
        func reasons(_ iso: String) -> [QueueReason.Kind] {
            Worklist.build(book: b.book, policy: .standard, asOf: day(iso)).first { $0.customer == "C1" }?.reasons.map(\.kind) ?? []
        }
        #expect(!reasons("2026-03-10").contains(.noContact))
        let item = try #require(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-16")).first { $0.customer == "C1" })
        #expect(item.reasons.first { $0.kind == .noContact }?.about == .days(14))
        try b.apply(.promiseTaken(Promise(id: "P", customer: "C1", amount: money("5,000"), due: day("2026-03-20"), toleranceDays: 2,
                                          taken: day("2026-03-16"), takenBy: "x")), on: "2026-03-16")
        #expect(!reasons("2026-03-17").contains(.noContact))  // a promise is being waited for
        var off = Policy.standard
        off.queue.noContactDays = 0
        #expect(Worklist.build(book: b.book, policy: off, asOf: day("2026-03-30")).first { $0.customer == "C1" }?.reasons.contains { $0.kind == .noContact } != true)
    }

    /// A promise taken is contact: the two weeks of quiet count from it, not from the call before.
    /// A promise broken before a later agreement (a plan) is not held against the customer any
    /// more; the instalment that broke since is, and is the one named.
    @Test func aPromiseIsContactAndALaterAgreementSupersedesABrokenOne() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "50,000")
        try b.apply(.dunningLevelSet("C1", level: 3, runID: "R1"), on: "2026-03-01")
        try b.apply(.callLogged("C1", .reached, note: "", callback: nil), on: "2026-03-02")
        try b.apply(.promiseTaken(Promise(id: "P1", customer: "C1", amount: money("1,000"), due: day("2026-03-05"), toleranceDays: 0,
                                          taken: day("2026-03-04"), takenBy: "x")), on: "2026-03-04")
        func item(_ iso: String) -> QueueItem? { Worklist.build(book: b.book, policy: .standard, asOf: day(iso)).first { $0.customer == "C1" } }
        // Broken on 03-05 and not paid: 14 quiet days would end on 03-16 from the call, 03-18 from the promise.
        #expect(item("2026-03-17")?.reasons.contains { $0.kind == .noContact } != true)
        #expect(item("2026-03-10")?.reasons.first { $0.kind == .brokenPromise }?.about == .promise(amount: money("1,000"), due: day("2026-03-05"), paid: .zero))
        let instalments = [Promise(id: "PL-1", customer: "C1", amount: money("500"), due: day("2026-03-13"), toleranceDays: 0, taken: day("2026-03-10"), takenBy: "x"),
                           Promise(id: "PL-2", customer: "C1", amount: money("500"), due: day("2026-04-13"), toleranceDays: 0, taken: day("2026-03-10"), takenBy: "x")]
        try b.apply(.planAgreed(id: "PL", customer: "C1", instalments: instalments), on: "2026-03-10")
        let broken = try #require(item("2026-03-16")?.reasons.first { $0.kind == .brokenPromise })
        #expect(broken.about == .promise(amount: money("500"), due: day("2026-03-13"), paid: .zero))
        #expect(broken.points == Policy.standard.queue.brokenPromise)  // the one before the plan no longer counts
    }

    /// A promise agreed on or after a callback's day answers it, as a call would, and is the
    /// customer's last contact (what the screens show and a dunning run's quiet days count from).
    @Test func aPromiseAnswersADueCallbackAndIsTheLastContact() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "5,000")
        try b.apply(.callbackScheduled("C1", day("2026-03-08"), note: ""), on: "2026-03-02")
        func kinds(_ iso: String) -> [QueueReason.Kind] {
            Worklist.build(book: b.book, policy: .standard, asOf: day(iso)).first { $0.customer == "C1" }?.reasons.map(\.kind) ?? []
        }
        #expect(kinds("2026-03-09").contains(.callbackDue))
        try b.apply(.promiseTaken(Promise(id: "P1", customer: "C1", amount: money("5,000"), due: day("2026-03-20"), toleranceDays: 2,
                                          taken: day("2026-03-09"), takenBy: "x")), on: "2026-03-09")
        #expect(!kinds("2026-03-10").contains(.callbackDue))
        #expect(Position("C1", in: b.book, asOf: day("2026-03-10")).lastContact == day("2026-03-09"))
    }

    /// A customer whose unapplied cash covers what is past due owes nothing net: no money reasons
    /// bring it to the queue (a dunning run leaves it alone too); a callback asked for still does.
    @Test func aCustomerInCreditIsNotChased() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "5,000")
        try b.apply(.dunningLevelSet("C1", level: 3, runID: "R1"), on: "2026-03-01")
        try b.apply(.paymentReceived(Payment(reference: "B1", customer: "C1", day: day("2026-03-02"), amount: money("6,000"), allocations: [])),
                    on: "2026-03-02")
        func kinds(_ iso: String) -> [QueueReason.Kind] {
            Worklist.build(book: b.book, policy: .standard, asOf: day(iso)).first { $0.customer == "C1" }?.reasons.map(\.kind) ?? []
        }
        #expect(kinds("2026-03-20").isEmpty)
        try b.apply(.callbackScheduled("C1", day("2026-03-20"), note: "ask about the refund"), on: "2026-03-03")
        #expect(kinds("2026-03-20") == [.callbackDue])
    }

    /// A broken promise and a due level both count, and the total is the sum of what is shown.
    @Test func brokenPromisePointsAddUp() throws {
        var b = BookBuilder()
        try b.customer("C1", grade: .d)
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "12,000")
        try b.apply(.promiseTaken(Promise(id: "P", customer: "C1", amount: money("500"), due: day("2026-02-05"), toleranceDays: 2,
                                          taken: day("2026-02-01"), takenBy: "x")), on: "2026-02-01")
        let item = try #require(Worklist.build(book: b.book, policy: .standard, asOf: day("2026-02-20")).first)
        let points = Dictionary(uniqueKeysWithValues: item.reasons.map { ($0.kind, $0.points) })
        // broken 40, level due 20, 12 thousands past due 12, 20 days ÷ 5 = 4, grade D 10
        #expect(points == [.brokenPromise: 40, .levelDue: 20, .pastDue: 12, .oldestItem: 4, .grade: 10])
        #expect(item.priority == 86)
    }

    /// A courtesy reminder before the due date (a negative trigger) fires on a balance not yet due.
    @Test func aPreDueCourtesyLevel() throws {
        var policy = Policy.standard
        policy.dunningLevels = [DunningLevel(level: 1, name: "courtesy", triggerDays: -5, channel: .email, template: "courtesy")]
            + policy.dunningLevels.map { var l = $0; l.level += 1; return l }
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "1,000")
        #expect(try Dunning.propose(book: b.book, policy: policy, asOf: day("2026-01-20")).isEmpty)  // due in 11 days
        #expect(try Dunning.propose(book: b.book, policy: policy, asOf: day("2026-01-26")).map(\.toLevel) == [1])
        try b.apply(.dunningRun(id: "R1", day: day("2026-01-26")))
        try b.apply(.dunningLevelSet("C1", level: 1, runID: "R1"), on: "2026-01-26")
        #expect(try Dunning.propose(book: b.book, policy: policy, asOf: day("2026-01-30")).isEmpty)  // level 2 needs 1 day late
        #expect(try Dunning.propose(book: b.book, policy: policy, asOf: day("2026-02-01")).map(\.toLevel) == [2])
    }
}

/// The queue puts what is left to work before what was worked today, whatever their points.
@Suite struct QueueOrderTests {
    @Test func whatIsLeftToWorkComesFirst() throws {
        var b = BookBuilder()
        try b.customer("BIG")
        try b.customer("SMALL")
        try b.invoice("I1", "BIG", issued: "2026-01-01", due: "2026-01-31", "90,000")
        try b.invoice("I2", "SMALL", issued: "2026-01-01", due: "2026-01-31", "1,000")
        let before = Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-02")).map(\.customer)
        #expect(before.first == "BIG")
        try b.apply(.markedWorked("BIG"), on: "2026-03-02")
        let after = Worklist.build(book: b.book, policy: .standard, asOf: day("2026-03-02"))
        #expect(after.map(\.customer) == ["SMALL", "BIG"] && after.last?.worked == true, "\(after.map(\.customer))")
    }
}
