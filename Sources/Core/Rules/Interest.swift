/// Simple daily late-payment interest, kept apart from principal: open × rate ÷ 365 × days overdue
/// (after the grace days), rounded half away from zero to the minor unit.
public enum Interest {
    public static func simple(on open: Money, daysOverdue: Int, terms: InterestTerms) -> Money {
        let days = daysOverdue - terms.graceDays
        guard days > 0, open.isPositive else { return .zero }
        return open.scaled(by: Int64(terms.annualRateBasisPoints) * Int64(days), over: 10_000 * 365)
    }

    /// Interest on every collectable past-due item of a customer as of `day`.
    public static func due(_ customer: CustomerID, in book: Book, asOf day: Day, terms: InterestTerms) -> Money {
        OpenItems.of(customer, in: book, asOf: day).reduce(.zero) { total, item in
            total + simple(on: item.collectable, daysOverdue: item.daysPastDue, terms: terms)
        }
    }
}
