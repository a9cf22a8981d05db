/// A settlement of an invoice or a charge: an amount on a day, negative for what a payment
/// reversed later took back (see `PaymentReversal`).
protocol DatedAmount {
    var day: Day { get }
    var amount: Money { get }
}

extension Settlement: DatedAmount {}
extension ChargeSettlement: DatedAmount {}

extension Sequence where Element: DatedAmount {
    /// What those dated on or before `day` add up to.
    func total(asOf day: Day) -> Money { reduce(.zero) { $1.day <= day ? $0 + $1.amount : $0 } }

    /// The most that any view from `day` on sees settled: what a document dated `day` must leave
    /// room for. The total changes only on settlement days, so those after `day` are all to look at.
    func mostSettled(from day: Day) -> Money {
        var most = total(asOf: day)
        for settlement in self where settlement.day > day { most = Swift.max(most, total(asOf: settlement.day)) }
        return most
    }
}
