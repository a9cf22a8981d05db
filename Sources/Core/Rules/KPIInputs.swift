/// What the portfolio's KPIs read of the receivables on a day: the aging's total, its "not due"
/// column, and the customers' credit (unapplied cash and credit notes, apart from the total).
struct ReceivablesOn: Sendable {
    var total = Money.zero
    var current = Money.zero
    var credit = Money.zero
    /// The total and its "not due" part less each customer's own credit, taken oldest first as
    /// applying it would (past due, then not due; none below zero): what the KPIs weigh, so that
    /// applying a credit, which changes nothing owed, changes none of them.
    var net = Money.zero
    var netCurrent = Money.zero

    /// One customer's figures with its credit taken off (the sums' `net` and `netCurrent`).
    mutating func takeOffCredit() {
        let pastDue = total - current
        let leftOver = max(.zero, credit - pastDue)
        netCurrent = max(.zero, current - leftOver)
        net = max(.zero, pastDue - credit) + netCurrent
    }

    /// The figures on each of `days`, as an aging of each day adds them up. One customer at a
    /// time, on every core, all days before the next customer: a year's trend reads each
    /// customer's invoices once while they are in the cache, not once per month across the book.
    static func days(_ days: [Day], in book: Book) -> [ReceivablesOn] {
        let perCustomer = book.mapPlacesOnAllCores { place, book in
            days.map { day in
                var figures = ReceivablesOn()
                OpenItems.visit(place: place, in: book, asOf: day) { _, _, item in
                    figures.total += item.open
                    if item.due >= day { figures.current += item.open }  // the aging's "not due" column
                }
                figures.credit = max(.zero, Position.credit(book.ledgers[place].credits, asOf: day))
                figures.takeOffCredit()
                return figures
            }
        }
        var sums = [ReceivablesOn](repeating: ReceivablesOn(), count: days.count)
        for customer in perCustomer {
            for (index, figures) in customer.enumerated() {
                sums[index].total += figures.total
                sums[index].current += figures.current
                sums[index].credit += figures.credit
                sums[index].net += figures.net
                sums[index].netCurrent += figures.netCurrent
            }
        }
        return sums
    }
}

/// Net credit sales (invoices issued, by issue day, less credit notes, by their day: an invoice
/// cancelled by a credit note was no sale, and counted as one it made DSO fall and CEI rise)
/// summed so that any period's sales is two lookups: a trend asks for 24 months and 90 days at
/// each of twelve month ends.
struct SalesByDay: Sendable {
    /// Days with sales, in order, and the sales of every day up to and including each.
    private let days: [Day]
    private let runningTotals: [Money]

    init(_ book: Book) {
        var byDay: [Day: Money] = [:]
        book.invoiceList.withUnsafeBufferPointer { invoices in
            for invoice in invoices.indices.lazy.map({ invoices.baseAddress! + $0 }) {
                byDay[invoice.pointee.issued, default: .zero] += invoice.pointee.amount
            }
        }
        for note in book.creditNotes.values { byDay[note.day, default: .zero] -= note.amount }
        days = byDay.keys.sorted()
        var running = Money.zero
        runningTotals = days.map { running += byDay[$0]!; return running }
    }

    /// Sales issued from `from` to `to`, inclusive.
    func total(from: Day, to: Day) -> Money {
        guard from <= to else { return .zero }
        return through(to) - through(from.adding(days: -1))
    }

    /// Sales issued on or before `day`.
    private func through(_ day: Day) -> Money {
        // The number of days with sales on or before `day`.
        var low = 0, high = days.count
        while low < high {
            let mid = (low + high) / 2
            if days[mid] <= day { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? .zero : runningTotals[low - 1]
    }

    /// Each month's sales before `start` (the first of a month), newest first, down to the month
    /// of the book's first invoice, with the month's days.
    func months(before start: Day) -> [(sales: Money, days: Int)] {
        guard let first = days.first?.firstOfMonth else { return [] }
        var months: [(sales: Money, days: Int)] = []
        var monthStart = start
        while monthStart > first {
            let end = monthStart.adding(days: -1)
            monthStart = end.firstOfMonth
            months.append((total(from: monthStart, to: end), end.days(since: monthStart) + 1))
        }
        return months
    }
}
