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

/// The figures of one open item that the whole-book rules need, without the strings that name it:
/// aging and positions visit every open item of a million-invoice book and copy none of them.
struct OpenAmount {
    var issued: Day
    var due: Day
    var open: Money
    var disputed: Money
    var collectable: Money { open - disputed }
}

public enum OpenItems {
    /// Every open item of one customer as of `day`: issued on or before it, and not settled by
    /// documents dated on or before it (a later payment never reduces an old aging).
    public static func of(_ customer: CustomerID, in book: Book, asOf day: Day) -> [OpenItem] {
        var items: [OpenItem] = []
        visit(customer, in: book, asOf: day) { position, instalment, item in
            let invoice = book.invoiceList[position]
            items.append(OpenItem(customer: invoice.customer, invoice: invoice.number, issued: invoice.issued, due: item.due,
                                  amount: instalment.amount, open: item.open, disputed: item.disputed,
                                  daysPastDue: day.days(since: item.due), daysSinceIssue: day.days(since: invoice.issued)))
        }
        return items
    }

    /// Calls `body` for each open instalment of the customer's invoices as of `day` (with the
    /// invoice's position in `book.invoiceList`), in the order the invoices were issued into the
    /// book and instalments by due date. Settlements go to the oldest instalment first; disputes
    /// to the earliest open instalments first.
    ///
    /// Invoices are read in place, never copied: aging, positions and the queue come through here
    /// for every invoice of the book, most of them long paid.
    static func visit(_ customer: CustomerID, in book: Book, asOf day: Day,
                      _ body: (_ invoice: Int, _ instalment: Instalment, _ item: OpenAmount) -> Void) {
        guard let place = book.customerPlaces[customer] else { return }
        visit(place: place, in: book, asOf: day, body)
    }

    /// The same for the customer at `place` in the book's ledgers. The ledger's fields are read
    /// where they lie: a copy of the ledger retained every list it holds, for every customer.
    static func visit(place: Int, in book: borrowing Book, asOf day: Day,
                      _ body: (_ invoice: Int, _ instalment: Instalment, _ item: OpenAmount) -> Void) {
        // As of a day after the customer's last full settlement, only invoices still owed can be open.
        let positions = day >= book.ledgers[place].open.settledThrough ? book.ledgers[place].open.positions : book.ledgers[place].invoices
        let mayBeDisputed = book.ledgers[place].hasDisputes
        // Through a pointer, field by field, `Invoice.settled(asOf:)` written out: calling an
        // invoice's method, on `invoices[position]` or on `pointee`, copied the whole invoice first
        // (a retain of each of its strings and lists; the queue took a fifth longer).
        book.invoiceList.withUnsafeBufferPointer { invoices in
            for position in positions {
                let invoice = invoices.baseAddress! + position
                guard invoice.pointee.issued <= day else { continue }
                let amount = invoice.pointee.amount
                let settled: Money
                if let last = invoice.pointee.lastSettled, last <= day {
                    settled = invoice.pointee.settledEver
                } else {
                    settled = invoice.pointee.settlements.reduce(.zero) { $1.day <= day ? $0 + $1.amount : $0 }
                }
                guard settled < amount else { continue }
                var disputedLeft = mayBeDisputed
                    ? disputedAmount(invoice.pointee.number, book: book, asOf: day, open: amount - settled) : .zero
                var paid = settled
                for instalment in invoice.pointee.instalments {
                    let covered = min(paid, instalment.amount)
                    paid -= covered
                    let open = instalment.amount - covered
                    guard open.isPositive else { continue }
                    let disputed = min(disputedLeft, open)
                    disputedLeft -= disputed
                    body(position, instalment, OpenAmount(issued: invoice.pointee.issued, due: instalment.due, open: open, disputed: disputed))
                }
            }
        }
    }

    /// The disputed part of an invoice's open amount as of `day` (a dispute without an amount
    /// covers the whole open amount).
    static func disputedAmount(_ number: String, book: Book, asOf day: Day, open: Money) -> Money {
        guard !book.disputesByInvoice.isEmpty, let ids = book.disputesByInvoice[number] else { return .zero }
        var total = Money.zero
        for id in ids {
            guard let dispute = book.disputes[id], dispute.isOpen(asOf: day) else { continue }
            total += dispute.amount ?? open
        }
        return min(total, open)
    }
}
