/// Fees and interest a customer owes as of a day (billed and not paid or waived by then), and how
/// far interest has been billed.
public enum OpenCharges {
    /// Charges billed on or before `day` with something open then, oldest first.
    public static func of(_ customer: CustomerID, in book: Book, asOf day: Day) -> [(charge: Charge, open: Money)] {
        book.charges(of: customer).compactMap { charge in
            let open = charge.open(asOf: day)
            return open.isPositive ? (charge, open) : nil
        }
    }

    public static func total(_ customer: CustomerID, in book: Book, asOf day: Day) -> Money {
        of(customer, in: book, asOf: day).reduce(.zero) { $0 + $1.open }
    }

    /// The last day a bill of interest billed on or before `day` covered (waived or not: a
    /// waiver forgives those days, it does not make them billable again).
    public static func interestBilledThrough(_ customer: CustomerID, in book: Book, asOf day: Day) -> Day? {
        var latest: Day?
        for charge in book.charges(of: customer) where charge.day <= day {
            if case .interest(let through) = charge.kind { latest = max(latest ?? through, through) }
        }
        return latest
    }
}
