/// Collection KPIs as pure functions of amounts. Every ratio is an integer: days in hundredths
/// (7371 = 73.71 days) and percentages in basis points (1234 = 12.34 %), rounded half away from zero.
public enum KPI {
    /// DSO by the count-back method: from the period-end AR subtract each month's credit sales,
    /// newest first, adding that month's days; for the month that exceeds the remainder add
    /// remainder ÷ sales × days. When AR exceeds every month given, all their days are counted.
    public static func dsoCountBack(receivables: Money, monthlySales: [(sales: Money, days: Int)]) -> Int {
        var remaining = receivables.minorUnits
        var hundredths: Int64 = 0
        for month in monthlySales {
            guard remaining > 0 else { break }
            if remaining >= month.sales.minorUnits || month.sales.minorUnits <= 0 {
                hundredths += Int64(month.days) * 100
                remaining -= max(0, month.sales.minorUnits)
            } else {
                hundredths += Rounding.divide(remaining.multipliedFullWidth(by: Int64(month.days) * 100), by: month.sales.minorUnits)
                remaining = 0
            }
        }
        return Int(hundredths)
    }

    /// A share in basis points as a whole percent, rounded half away from zero as every figure
    /// is (112.5 % is 113 %), except that one under 100 % never reads 100 % and one over it never
    /// does either: a limit nearly reached or just passed reads as it is.
    public static func wholePercent(_ basisPoints: Int) -> Int {
        let rounded = Int(Rounding.divide(Int64(basisPoints), by: 100))
        if basisPoints < 10_000 && rounded >= 100 { return 99 }
        if basisPoints > 10_000 && rounded <= 100 { return 101 }
        return rounded
    }

    /// DSO (simple) = AR ÷ credit sales × days; nil without sales.
    public static func dsoSimple(receivables: Money, sales: Money, days: Int) -> Int? {
        guard sales.isPositive else { return nil }
        return Int(Rounding.divide(receivables.minorUnits.multipliedFullWidth(by: Int64(days) * 100), by: sales.minorUnits))
    }

    /// Best possible DSO = not-yet-due AR ÷ credit sales × days.
    public static func bestPossibleDSO(current: Money, sales: Money, days: Int) -> Int? {
        dsoSimple(receivables: current, sales: sales, days: days)
    }

    /// Collection effectiveness index, in basis points of a percent scale (9250 = 92.50 %).
    public static func cei(openingAR: Money, sales: Money, closingAR: Money, closingCurrentAR: Money) -> Int? {
        let denominator = openingAR.minorUnits + sales.minorUnits - closingCurrentAR.minorUnits
        guard denominator > 0 else { return nil }
        let numerator = openingAR.minorUnits + sales.minorUnits - closingAR.minorUnits
        return Int(Rounding.divide(numerator.multipliedFullWidth(by: 10_000), by: denominator))
    }

    /// part ÷ whole in basis points; nil when the whole is zero.
    public static func share(_ part: Money, of whole: Money) -> Int? {
        guard whole.isPositive else { return nil }
        return Int(Rounding.divide(part.minorUnits.multipliedFullWidth(by: 10_000), by: whole.minorUnits))
    }

    /// The same for counts (2 of 3 = 6,667).
    public static func share(_ part: Int, of whole: Int) -> Int? {
        share(Money(minorUnits: Int64(part)), of: Money(minorUnits: Int64(whole)))
    }
}

/// The portfolio's KPIs as of a day, computed from the book. Conventions (shown in the UI):
/// credit sales are invoices issued less credit notes; the period is the 90 days up to the day
/// for simple DSO, best possible DSO and ADD; count-back DSO uses calendar months, newest first
/// (the current month counted by its elapsed days); CEI is for the calendar month to the day.
public struct PortfolioKPIs: Sendable, Equatable {
    public var asOf: Day
    /// Open invoices, and those not due and past due, as the aging adds them up.
    public var receivables: Money
    public var current: Money
    public var pastDue: Money
    /// The receivables and their not-due part less each customer's unapplied credit (see
    /// `ReceivablesOn.net`): what DSO, CEI and the shares weigh, as the sales they are set
    /// against are net of credit notes.
    public var netReceivables: Money
    public var netCurrent: Money
    public var salesLast90Days: Money
    /// Unapplied cash and credit notes: not in the receivables (as in the aging report).
    public var credit: Money
    /// Fees and interest billed and open: kept apart from the receivables, as every figure here is.
    public var chargesOpen: Money
    public var dsoCountBack: Int
    public var dsoSimple: Int?
    public var bestPossibleDSO: Int?
    public var averageDaysDelinquent: Int? { dsoSimple.flatMap { d in bestPossibleDSO.map { d - $0 } } }
    public var cei: Int?
    public var percentCurrent: Int?
    public var overdueRate: Int?

    public init(book: Book, policy: Policy, asOf day: Day) {
        let figures = ReceivablesOn.days([day, day.firstOfMonth.adding(days: -1)], in: book)
        self.init(book: book, asOf: day, closing: figures[0], openingNet: figures[1].net, sales: SalesByDay(book))
    }

    /// From the receivables on the day (`closing`) and on the last day of the month before
    /// (`openingNet`, net of credit, for CEI), and the book's sales: a trend computes each once for all its months.
    init(book: Book, asOf day: Day, closing: ReceivablesOn, openingNet: Money, sales: SalesByDay) {
        asOf = day
        receivables = closing.total
        current = closing.current
        pastDue = receivables - current
        credit = closing.credit
        netReceivables = closing.net
        netCurrent = closing.netCurrent
        chargesOpen = book.charges.reduce(.zero) { $0 + $1.open(asOf: day) }
        // Month windows, newest first: the current month to the day, then 23 whole months.
        var windows: [(start: Day, end: Day)] = []
        var monthEnd = day
        for _ in 0..<24 {
            windows.append((monthEnd.firstOfMonth, monthEnd))
            monthEnd = monthEnd.firstOfMonth.adding(days: -1)
        }
        let monthly = windows.map { sales.total(from: $0.start, to: $0.end) }
        salesLast90Days = sales.total(from: day.adding(days: -89), to: day)
        var months = zip(windows, monthly).map { window, sales in (sales: sales, days: window.end.days(since: window.start) + 1) }
        // Receivables beyond two years' sales (a migrated book's old legal cases) count back
        // through every earlier month down to the first sale, rather than stopping at 24 months.
        if netReceivables > monthly.reduce(.zero, +) { months += sales.months(before: windows.last!.start) }
        dsoCountBack = KPI.dsoCountBack(receivables: netReceivables, monthlySales: months)
        dsoSimple = KPI.dsoSimple(receivables: netReceivables, sales: salesLast90Days, days: 90)
        bestPossibleDSO = KPI.bestPossibleDSO(current: netCurrent, sales: salesLast90Days, days: 90)
        cei = KPI.cei(openingAR: openingNet, sales: monthly[0], closingAR: netReceivables, closingCurrentAR: netCurrent)
        percentCurrent = KPI.share(netCurrent, of: netReceivables)
        // The rest of 100 %, not rounded apart: the two shares a report prints add up to 100.00.
        overdueRate = percentCurrent.map { 10_000 - $0 }
    }

    /// Credit sales: invoices issued between the two days, inclusive, less the credit notes of
    /// those days (as `SalesByDay` sums them).
    public static func sales(_ book: Book, from: Day, to: Day) -> Money {
        let invoiced = book.invoices.all.reduce(Money.zero) { $1.issued >= from && $1.issued <= to ? $0 + $1.amount : $0 }
        return book.creditNotes.values.reduce(invoiced) { $1.day >= from && $1.day <= to ? $0 - $1.amount : $0 }
    }

    /// The same figures at each of the last `months` month ends (oldest first), for trend lines.
    public static func trend(book: Book, policy: Policy, asOf day: Day, months: Int = 12) -> [PortfolioKPIs] {
        var ends: [Day] = [day]
        for _ in 1..<max(1, months) { ends.append(ends.last!.firstOfMonth.adding(days: -1)) }
        // Each month end's opening figure is the next older month end's closing one: the
        // receivables on one more day than there are months, each counted once.
        let figures = ReceivablesOn.days(ends + [ends.last!.firstOfMonth.adding(days: -1)], in: book)
        let sales = SalesByDay(book)
        return ends.indices.reversed().map { index in
            PortfolioKPIs(book: book, asOf: ends[index], closing: figures[index], openingNet: figures[index + 1].net, sales: sales)
        }
    }
}
