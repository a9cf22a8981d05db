/// An invoice instalment still owed as of a day.
public struct OpenItem: Equatable, Sendable {
    public var customer: CustomerID
    public var invoice: String
    public var issued: Day
    public var due: Day
    public var amount: Money
    public var open: Money
    /// Open disputes on the invoice as of the day, capped at this item's open amount.
    public var disputed: Money
    public var daysPastDue: Int
    public var daysSinceIssue: Int

    public var collectable: Money { open - disputed }
}

public enum OpenItems {
    /// Every open item of one customer as of `day`: issued on or before it, and not settled by
    /// documents dated on or before it (a later payment never reduces an old aging).
    public static func of(_ customer: CustomerID, in book: Book, asOf day: Day) -> [OpenItem] {
        var items: [OpenItem] = []
        for invoice in book.invoices(of: customer) where invoice.issued <= day {
            append(invoice, book: book, asOf: day, into: &items)
        }
        return items
    }

    static func append(_ invoice: Invoice, book: Book, asOf day: Day, into items: inout [OpenItem]) {
        let settled = invoice.settled(asOf: day)
        guard settled < invoice.amount else { return }
        var disputedLeft = disputedAmount(invoice, book: book, asOf: day, open: invoice.amount - settled)
        var paid = settled
        for instalment in invoice.instalments {
            let covered = min(paid, instalment.amount)
            paid -= covered
            let open = instalment.amount - covered
            guard open.isPositive else { continue }
            let disputed = min(disputedLeft, open)
            disputedLeft -= disputed
            items.append(OpenItem(customer: invoice.customer, invoice: invoice.number, issued: invoice.issued, due: instalment.due,
                                  amount: instalment.amount, open: open, disputed: disputed,
                                  daysPastDue: day.days(since: instalment.due), daysSinceIssue: day.days(since: invoice.issued)))
        }
    }

    /// The disputed part of an invoice's open amount as of `day` (a dispute without an amount
    /// covers the whole open amount).
    static func disputedAmount(_ invoice: Invoice, book: Book, asOf day: Day, open: Money) -> Money {
        guard let ids = book.disputesByInvoice[invoice.number] else { return .zero }
        var total = Money.zero
        for id in ids {
            guard let dispute = book.disputes[id], dispute.isOpen(asOf: day) else { continue }
            total += dispute.amount ?? open
        }
        return min(total, open)
    }
}
