/// A customer, and what the book keeps for it.
struct CustomerLedger: Sendable {
    var customer: Customer
    /// The business day it was added: a view of an earlier day leaves it out.
    var added: Day
    /// The customer as it stood before each change of its profile, with the day of the change, in
    /// order: a view of a past day shows the limit, hold, grade and collector of that day. Empty
    /// for a customer never changed (most), so it costs nothing there.
    var history: [(changedOn: Day, before: Customer)] = []
    /// Positions in `invoiceList`, in issue order: rules walk a customer's invoices by index.
    var invoices: [Int] = []
    /// The invoices still owed (see `OpenInvoices`).
    var open = OpenInvoices()
    /// The customer's payments in the order received: where each is in `paymentList`, and its
    /// day, amount and record (promises are judged against these without reading the payments;
    /// the record, so a promise taken later the same day is not kept by it). One list, not a list
    /// of positions beside a list of receipts: a replay touches one place per payment, not two.
    var receipts: [Receipt] = []
    /// Unapplied cash and unapplied credit notes (in no particular order): the customer's credit
    /// as of a day sums these without visiting every payment it ever made.
    var credits: [(day: Day, amount: Money)] = []
    /// The customer ever had a dispute: open items of the others skip the per-invoice lookup.
    var hasDisputes = false
    /// Payments reversed: empty for nearly every customer, so rules that count cash received look
    /// here only when there is one.
    var reversed: [ReversedPayment] = []

    /// Adds the invoice at `position`; `settledThrough` is the day it was settled in full, if it is.
    mutating func add(invoiceAt position: Int, settledThrough: Day?) {
        invoices.appendGrowingFast(position)
        open.add(position, settledThrough: settledThrough)
    }

    mutating func add(paymentAt position: Int, day: Day, amount: Money, unapplied: Money, sequence: UInt64) {
        receipts.appendGrowingFast(Receipt(position: position, day: day, amount: amount, sequence: sequence))
        if unapplied.isPositive { credits.append((day, unapplied)) }
    }
}

/// A payment of a customer's that was reversed: where it is in `paymentList`, and the day.
struct ReversedPayment: Sendable {
    var position: Int
    var day: Day
}

extension [ReversedPayment] {
    /// Whether the payment at `position` was reversed on or before `day`: cash that came back
    /// does not count as received from then on.
    func includes(paymentAt position: Int, asOf day: Day) -> Bool {
        contains { $0.position == position && $0.day <= day }
    }
}

/// One payment of a customer's, as its ledger keeps it.
struct Receipt: Sendable {
    /// Where the payment is in `paymentList`.
    var position: Int
    var day: Day
    var amount: Money
    /// The record it came in.
    var sequence: UInt64
}

/// A customer's invoices not yet settled in full (positions in `invoiceList`, in issue order), and
/// the last day on which one of its other invoices became settled. As of that day or later those
/// others are all paid, so the open items are among `positions` alone.
struct OpenInvoices: Sendable {
    var positions: [Int] = []
    var settledThrough = Day(ordinal: Int32.min)

    /// `settled` is the day the invoice was settled in full, nil while it is owed.
    mutating func add(_ position: Int, settledThrough settled: Day?) {
        if let settled {
            settledThrough = max(settledThrough, settled)
        } else {
            positions.appendGrowingFast(position)
        }
    }

    /// The invoice at `position` is owed again (a payment that settled it was reversed): back
    /// among the open ones, in issue order.
    mutating func reopen(_ position: Int) {
        let index = positions.firstIndex { $0 >= position } ?? positions.count
        if index == positions.count || positions[index] != position { positions.insert(position, at: index) }
    }

    /// The invoice at `position` became settled in full, by a document of `day`.
    mutating func settle(at position: Int, settledOn day: Day) {
        guard let index = positions.firstIndex(of: position) else { return }
        positions.remove(at: index)
        settledThrough = max(settledThrough, day)
    }
}

extension Array {
    /// Appends, growing fourfold from eight when full: a customer's lists grow one element at a
    /// time while a book is replayed, and doubling from one reallocated each five times or more.
    @inline(__always)
    mutating func appendGrowingFast(_ element: Element) {
        if count == capacity { reserveCapacity(Swift.max(8, count * 4)) }
        append(element)
    }
}
