import Core

extension Importer {
    /// Why a payment row is refused without `--credit`: what it, or a payment in the book dated
    /// after it that it takes a share from (see `DateOrder`), would leave as credit; nil when it
    /// leaves none. Worded as `ardesk pay` words it.
    func creditRefusal(_ planned: DateOrder, amount: Money, customer: CustomerID, invoice: String, on day: Day, in book: Book) -> String? {
        let format = { (m: Money) in book.currency.format(m, grouping: ",") }
        let own = amount - planned.allocations.reduce(.zero) { $0 + $1.amount } - planned.charges.reduce(.zero) { $0 + $1.amount }
        let later = DateOrder.moreCredit(planned.reallocated, in: book).map { "\($0.payment) \(format($0.credit))" }
        guard own.isPositive || !later.isEmpty else { return nil }
        let laterText = later.isEmpty ? "" : "payments in the book dated after \(day) would be left with more credit (" + later.joined(separator: ", ") + ")"
        guard own.isPositive else {
            return "\(customer) paid more than it owes with this payment: \(laterText); check the amount and the date, or import with --credit if the customer did pay ahead"
        }
        let payable = invoice.isEmpty ? "\(customer) owes" : "invoice \(invoice) has open"
        return "\(format(amount)) is more than \(payable) on \(day): \(format(own)) would stay a credit on \(customer)"
            + (laterText.isEmpty ? "" : "; and " + laterText) + "; check the amount and invoice, or import with --credit to keep it as a credit (a prepayment)"
    }
}
