/// Late-payment interest [逾期利息] (DOMAIN: outstanding × annual rate / 365 × days overdue, after
/// the grace days), kept apart from principal.
public enum Interest {
    public static func simple(on open: Money, daysOverdue: Int, terms: InterestTerms) -> Money {
        let days = daysOverdue - terms.graceDays
        guard days > 0, open.isPositive else { return .zero }
        return open.scaled(by: Int64(terms.annualRateBasisPoints) * Int64(days), over: basisPointDaysPerYear)
    }

    /// The same for days overdue that end with `day`, each day at the rate in force that day
    /// (one rounding per run of one rate: without rate changes, the same as above).
    public static func simple(on open: Money, daysOverdue: Int, endingOn day: Day, terms: InterestTerms) -> Money {
        let days = daysOverdue - terms.graceDays
        guard days > 0, open.isPositive else { return .zero }
        return terms.days(days, endingOn: day).reduce(Money.zero) { total, run in
            total + open.scaled(by: Int64(run.rate) * Int64(run.days), over: basisPointDaysPerYear)
        }
    }

    /// An annual rate in basis points, per day: the divisor of every interest amount.
    private static let basisPointDaysPerYear: Int64 = 10_000 * 365

    /// Interest not billed yet as of `day`: on each collectable past-due item, for its days
    /// overdue (after the grace days) that come after the last day interest was billed through;
    /// before any bill, all of them. And on each part of an item paid late during the customer's
    /// present dunning (since its level last rose from 0), for the days it was late before it was
    /// paid and after that last bill: money that was overdue owed interest while it was, whether
    /// or not it is still open; late payments of earlier, settled episodes are not billed now.
    /// What the next letter bills.
    public static func unbilled(_ customer: CustomerID, in book: Book, asOf day: Day, terms: InterestTerms) -> Money {
        guard terms.chargesInterest else { return .zero }  // no interest: nothing to read
        let billedThrough = OpenCharges.interestBilledThrough(customer, in: book, asOf: day)
        // Days in (max(due + grace, billed), day], given to `simple` with the grace added back.
        let cap = billedThrough.map { day.days(since: $0) + terms.graceDays }
        let open = OpenItems.of(customer, in: book, asOf: day).reduce(Money.zero) { total, item in
            total + simple(on: item.collectable, daysOverdue: min(item.daysPastDue, cap ?? item.daysPastDue), endingOn: day, terms: terms)
        }
        guard let episode = dunningSince(customer, in: book, asOf: day) else { return open }
        return open + paidLate(customer, in: book, asOf: day, paidAfter: episode, billedThrough: billedThrough, terms: terms)
    }

    /// The day the customer's dunning level last rose from 0 (nil at level 0).
    static func dunningSince(_ customer: CustomerID, in book: Book, asOf day: Day) -> Day? {
        guard let place = book.customerPlaces[customer] else { return nil }
        var since: Day?
        book.visitActivities(place: place, asOf: day) { activity in
            guard case .dunning(let level) = activity.pointee.kind else { return }
            if level == 0 { since = nil } else if since == nil { since = activity.pointee.stamp.day }
        }
        return since
    }

    /// On the payments after `episode` that settled instalments after they fell due (past the grace days), for
    /// the days between then (or the last day billed through, if later) and the payment: each
    /// instalment's share rounded once for each rate its days were at, as an open item's is.
    static func paidLate(_ customer: CustomerID, in book: Book, asOf day: Day, paidAfter episode: Day, billedThrough: Day?,
                         terms: InterestTerms) -> Money {
        var total = Money.zero
        for invoice in book.invoices(of: customer) where invoice.issued <= day {
            guard let lastSettled = invoice.lastSettled, lastSettled > invoice.firstDue, lastSettled > episode else { continue }
            // Settlements cover instalments oldest first, in the order of their days.
            var remaining = invoice.instalments.map(\.amount)
            // Amount × days late, by instalment and by the rate of those days.
            // In 128 bits: a large amount times years of days passes 64 (the book's amounts are
            // bounded, see Book+Magnitude.swift, their products with days are not).
            var amountDays = Array(repeating: [Int: Int128](), count: remaining.count)
            // A payment reversed, credit withdrawn or a write-off reinstated by `day` settled
            // nothing: neither it nor what took it back counts here (the invoice is owed again from
            // then, and what pays it later is late from its due date, as its open item would be).
            let takenBack = Set(invoice.settlements.compactMap { s in s.amount.isNegative && s.day <= day ? s.source : nil })
            for settlement in invoice.settlements.sorted(by: { $0.day < $1.day }) where settlement.day <= day {
                if !takenBack.isEmpty, takenBack.contains(settlement.source) { continue }
                var left = settlement.amount
                for index in remaining.indices where left.isPositive && remaining[index].isPositive {
                    let covered = min(left, remaining[index])
                    remaining[index] -= covered
                    left -= covered
                    // Only money paid counts: a credit note or a write-off says it was never owed as such.
                    guard case .payment = settlement.source, settlement.day > episode else { continue }
                    let start = invoice.instalments[index].due.adding(days: terms.graceDays)
                    let from = max(start, billedThrough ?? start)
                    let late = settlement.day.days(since: from)
                    for run in terms.days(late, endingOn: settlement.day) {
                        amountDays[index][run.rate, default: 0] += Int128(covered.minorUnits) * Int128(run.days)
                    }
                }
            }
            for shares in amountDays {
                for (rate, share) in shares.sorted(by: { $0.key < $1.key }) where share > 0 {
                    total += Money(minorUnits: Rounding.divide(share * Int128(rate), by: basisPointDaysPerYear))
                }
            }
        }
        return total
    }
}
