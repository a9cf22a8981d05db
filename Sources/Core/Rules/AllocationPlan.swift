/// Where new cash or a credit goes when it is recorded. The plan is stored in the event, so replay
/// never re-decides it. Open amounts are what every recorded settlement leaves (`amount −
/// settledEver`), whatever their dates: money already applied cannot be applied twice (and what a
/// payment reversed later settled is open only from its reversal: `Invoice.room(on:)`). Only
/// invoices issued on or before the document's day take part, so a back-dated payment never pays
/// an invoice that did not exist yet (its cash stays a credit on the customer until then).
public enum AllocationPlan {
    /// To `invoice` when one is named, else oldest due first.
    /// `leavingLast`: invoices reached only after every other (a write-off leaves the disputed
    /// ones to the end: what is contested is not what was judged uncollectable).
    public static func allocate(_ amount: Money, of customer: CustomerID, to invoice: String?, in book: Book,
                                on day: Day, leavingLast: DisputedItems = []) throws(AllocationError) -> [Allocation] {
        guard let invoice else { return oldestDueFirst(amount, of: customer, in: book, on: day, leavingLast: leavingLast) }
        return try toInvoice(invoice, amount: amount, of: customer, in: book, on: day)
    }

    /// Where a write-off goes: to `invoice` when one is named, else to what is past due and not
    /// disputed, oldest due first; then to what is disputed (contested is not what was judged
    /// uncollectable), and last to what is not yet due on `day` (seldom lost before it falls due).
    public static func writeOff(_ amount: Money, of customer: CustomerID, to invoice: String?, in book: Book,
                                on day: Day) throws(AllocationError) -> [Allocation] {
        if let invoice { return try toInvoice(invoice, amount: amount, of: customer, in: book, on: day) }  // another's is named as such
        return try writeOff(amount, of: customer, to: nil, among: book.invoices(of: customer), disputed: book.disputedInvoices(of: customer, asOf: day), on: day)
    }

    /// The same among the customer's `invoices` with those `disputed` (a form keeps these, not
    /// the whole book, while it is open).
    public static func writeOff(_ amount: Money, of customer: CustomerID, to number: String?, among invoices: [Invoice], disputed: DisputedItems,
                                on day: Day) throws(AllocationError) -> [Allocation] {
        guard let number else { return oldestDueFirst(amount, among: invoices, on: day, leavingLast: disputed, notDueLast: true) }
        guard amount.isPositive else { throw .notPositive(amount) }
        guard let invoice = invoices.first(where: { $0.number == number }) else { throw .unknownInvoice(number) }
        return try toInvoice(invoice, amount: amount, of: customer, on: day)
    }

    /// Oldest due first, instalment by instalment: by due date, then issue date, then number.
    /// An invoice's later instalments wait behind other invoices' earlier ones (filling the
    /// invoice whole left an older instalment elsewhere overdue). One allocation per invoice, in
    /// the order first reached; what is left after every open instalment stays unapplied.
    public static func oldestDueFirst(_ amount: Money, of customer: CustomerID, in book: Book, on day: Day,
                                      leavingLast: DisputedItems = []) -> [Allocation] {
        oldestDueFirst(amount, among: book.invoices(of: customer), on: day, leavingLast: leavingLast)
    }

    /// Everything the customer has open on `day` that a document may settle, in the rule's order
    /// (`leavingLast` at the end), one allocation per invoice: the rule asked for more than any
    /// book holds.
    /// `merging`: false gives each instalment (and each part held back) its own allocation, in
    /// order, for a caller that spends several amounts along them (credit applied, credit by credit).
    public static func openItems(of customer: CustomerID, in book: Book, on day: Day, leavingLast: DisputedItems = [],
                                 merging: Bool = true) -> [Allocation] {
        oldestDueFirst(Money(minorUnits: .max / 4), among: book.invoices(of: customer), on: day, leavingLast: leavingLast, merging: merging)
    }

    /// The same among `invoices` as given (a customer's, some settlements left out).
    /// `notDueLast`: instalments not past due on `day` (due that day or later) after all the others (a write-off's order).
    static func oldestDueFirst(_ amount: Money, among invoices: [Invoice], on day: Day, leavingLast: DisputedItems = [],
                               notDueLast: Bool = false, merging: Bool = true) -> [Allocation] {
        var open: [(number: String, issued: Day, due: Day, open: Money, last: Bool)] = []
        for invoice in invoices where invoice.issued <= day {
            let room = invoice.room(on: day)
            guard room.isPositive else { continue }
            var settled = invoice.amount - room  // settlements cover instalments oldest first
            let first = open.count
            for instalment in invoice.instalments {
                let covered = min(settled, instalment.amount)
                settled -= covered
                if instalment.amount > covered {
                    open.append((invoice.number, invoice.issued, instalment.due, instalment.amount - covered, leavingLast.whole.contains(invoice.number)))
                }
            }
            // The part disputed waits with what is disputed whole: from its earliest open
            // instalments, where the aging puts a dispute (`OpenItems`).
            var held = min(leavingLast.parts[invoice.number] ?? .zero, room)
            for index in first..<open.count where held.isPositive {
                let part = min(held, open[index].open)
                held -= part
                open[index].open -= part
                open.append((invoice.number, invoice.issued, open[index].due, part, true))
            }
        }
        open.removeAll { !$0.open.isPositive }  // an instalment disputed whole, now held apart
        open.sort { a, b in
            // Due today is not past due yet, as the aging has it.
            if notDueLast, (a.due >= day) != (b.due >= day) { return b.due >= day }
            if a.last != b.last { return b.last }
            if a.due != b.due { return a.due < b.due }
            if a.issued != b.issued { return a.issued < b.issued }
            return a.number < b.number
        }
        var remaining = amount
        var plan: [Allocation] = []
        for item in open where remaining.isPositive {
            let applied = min(item.open, remaining)
            remaining -= applied
            if merging, let index = plan.firstIndex(where: { $0.invoice == item.number }) {
                plan[index].amount += applied
            } else {
                plan.append(Allocation(invoice: item.number, amount: applied))
            }
        }
        return plan
    }

    /// To one named invoice, up to its open amount. The rest stays unapplied rather than spreading
    /// to other invoices: whoever named the invoice expects the money there, and the credit is
    /// visible on the customer for a deliberate second allocation.
    public static func toInvoice(_ number: String, amount: Money, of customer: CustomerID, in book: Book,
                                 on day: Day) throws(AllocationError) -> [Allocation] {
        guard amount.isPositive else { throw .notPositive(amount) }
        guard let invoice = book.invoices[number] else { throw .unknownInvoice(number) }
        return try toInvoice(invoice, amount: amount, of: customer, on: day)
    }

    /// The same for the invoice as given (some of its settlements left out, see `DateOrder`).
    static func toInvoice(_ invoice: Invoice, amount: Money, of customer: CustomerID, on day: Day) throws(AllocationError) -> [Allocation] {
        guard amount.isPositive else { throw .notPositive(amount) }
        let number = invoice.number
        guard invoice.customer == customer else { throw .otherCustomer(invoice: number, customer: invoice.customer) }
        guard invoice.issued <= day else { throw .notYetIssued(invoice: number, issued: invoice.issued, day: day) }
        let open = invoice.room(on: day)
        guard open.isPositive else {
            if let reversed = owedAgainFrom(invoice, on: day) { throw .owedAgainFrom(invoice: number, reversed) }
            throw .alreadySettled(number)
        }
        return [Allocation(invoice: number, amount: min(open, amount))]
    }

    /// The customer's invoices owed today of which a document dated `day` may settle less,
    /// because a payment that settled them then was reversed later, each with the day it is owed
    /// again from: what to tell someone whose payment, dated `day`, pays less than expected.
    public static func owedAgainLater(of customer: CustomerID, in book: Book, on day: Day) -> [(invoice: String, from: Day)] {
        book.invoices(of: customer).compactMap { invoice in
            guard invoice.issued <= day, let from = owedAgainFrom(invoice, on: day) else { return nil }
            return (invoice.number, from)
        }
    }

    /// Why a payment dated before `from` pays less of `invoice` than is owed today, as said when
    /// it is recorded or imported.
    public static func owedAgainText(invoice: String, from: Day) -> String {
        "invoice \(invoice) is owed again only from \(from), when what settled it (a payment reversed, or credit applied withdrawn) was taken back"
    }

    /// The day of the latest reversal after `day` when the invoice owes more today than a
    /// document dated `day` may settle of it.
    static func owedAgainFrom(_ invoice: Invoice, on day: Day) -> Day? {
        guard invoice.room(on: day) < invoice.amount - invoice.settledEver else { return nil }
        return invoice.settlements.filter { $0.amount.isNegative && $0.day > day }.map(\.day).max()
    }
}

/// Why money cannot go to the invoice named.
public enum AllocationError: Error, Equatable, Sendable, CustomStringConvertible {
    case notPositive(Money)
    case unknownInvoice(String)
    case otherCustomer(invoice: String, customer: CustomerID)
    case notYetIssued(invoice: String, issued: Day, day: Day)
    case alreadySettled(String)
    /// Settled on the document's day by a payment reversed on the day given.
    case owedAgainFrom(invoice: String, Day)

    public var description: String {
        switch self {
        case .notPositive(let amount): return "the amount must be more than zero, not \(amount)"
        case .unknownInvoice(let number): return "no invoice \"\(number)\" in this book"
        case .otherCustomer(let number, let customer): return "invoice \"\(number)\" belongs to customer \"\(customer)\""
        case .notYetIssued(let number, let issued, let day): return "invoice \"\(number)\" is issued on \(issued), after \(day), the day this is dated"
        case .alreadySettled(let number):
            return "invoice \"\(number)\" has nothing left to settle: what is recorded already (payments, credit notes, credit applied or write-offs, some perhaps dated later) settles it"
        case .owedAgainFrom(let number, let day):
            return "invoice \"\(number)\" is owed again only from \(day), when what settled it (a payment reversed, or credit applied withdrawn) was taken back: date this on or after \(day) if it was received then"
        }
    }
}

extension AllocationPlan {
    /// What of `amount` the invoice `allocations` leave, on the customer's fees and interest billed
    /// by `day` and still owed, oldest first: where a payment goes once its invoices are paid.
    public static func chargePayments(_ amount: Money, beyond allocations: [Allocation], of customer: CustomerID, in book: Book,
                                      on day: Day) -> [ChargePayment] {
        chargePayments(amount, beyond: allocations, among: book.charges(of: customer), on: day)
    }

    /// The same among `charges` as given (a customer's, some settlements left out).
    static func chargePayments(_ amount: Money, beyond allocations: [Allocation], among charges: [Charge], on day: Day) -> [ChargePayment] {
        var left = allocations.reduce(amount) { $0 - $1.amount }
        var parts: [ChargePayment] = []
        for charge in charges where charge.day <= day && left.isPositive {
            let paid = min(left, charge.room(on: day))
            guard paid.isPositive else { continue }
            parts.append(ChargePayment(charge: charge.id, amount: paid))
            left -= paid
        }
        return parts
    }
}
