/// Simple daily late-payment interest, kept apart from principal: open × rate ÷ 365 × days overdue
/// (after the grace days), rounded half away from zero to the minor unit.
public enum Interest {
    public static func simple(on open: Money, daysOverdue: Int, terms: InterestTerms) -> Money {
        let days = daysOverdue - terms.graceDays
        guard days > 0, open.isPositive else { return .zero }
        return open.scaled(by: Int64(terms.annualRateBasisPoints) * Int64(days), over: 10_000 * 365)
    }

    /// Interest not billed yet as of `day`: on each collectable past-due item, for its days
    /// overdue (after the grace days) that come after the last day interest was billed through;
    /// before any bill, all of them. What the next letter bills.
    public static func unbilled(_ customer: CustomerID, in book: Book, asOf day: Day, terms: InterestTerms) -> Money {
        // Days in (max(due + grace, billed), day], given to `simple` with the grace added back.
        let cap = OpenCharges.interestBilledThrough(customer, in: book, asOf: day).map { day.days(since: $0) + terms.graceDays }
        return OpenItems.of(customer, in: book, asOf: day).reduce(.zero) { total, item in
            total + simple(on: item.collectable, daysOverdue: min(item.daysPastDue, cap ?? item.daysPastDue), terms: terms)
        }
    }
}
