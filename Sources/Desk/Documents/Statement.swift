import Core

/// A statement of account [对账单]: the opening balance, every document in the period, and the
/// closing balance, so that a customer can reconcile line by line. Balance = invoices − payments −
/// credit notes − write-offs (unapplied cash included, so a credit shows as a negative balance).
public struct Statement: Sendable {
    public enum Kind: String, Sendable { case invoice, payment, creditNote = "credit note", writeOff = "write-off" }

    public struct Line: Sendable {
        public var day: Day
        public var kind: Kind
        public var reference: String
        public var debit: Money
        public var credit: Money
        public var balance: Money
    }

    public let customer: Customer
    public let from: Day?
    public let to: Day
    public let opening: Money
    public let lines: [Line]
    public var closing: Money { lines.last?.balance ?? opening }

    public init(book: Book, customer id: CustomerID, from: Day?, to: Day) throws {
        guard let customer = book.customers[id] else { throw DeskError.invalid("no customer \"\(id)\" in this book") }
        if let from, from > to { throw DeskError.invalid("the statement period starts (\(from)) after it ends (\(to))") }
        self.customer = customer; self.from = from; self.to = to
        var documents: [(day: Day, kind: Kind, reference: String, debit: Money, credit: Money)] = []
        for invoice in book.invoices(of: id) { documents.append((invoice.issued, .invoice, invoice.number, invoice.amount, .zero)) }
        for payment in book.payments(of: id) { documents.append((payment.day, .payment, payment.reference, .zero, payment.amount)) }
        for note in book.creditNotes.values where note.customer == id { documents.append((note.day, .creditNote, note.number, .zero, note.amount)) }
        for writeOff in book.writeOffs.values where writeOff.customer == id {
            documents.append((writeOff.day, .writeOff, writeOff.id, .zero, writeOff.amount))
        }
        documents.sort { a, b in a.day != b.day ? a.day < b.day : (a.debit.isPositive && !b.debit.isPositive) || (a.debit.isPositive == b.debit.isPositive && a.reference < b.reference) }
        var balance = Money.zero
        var lines: [Line] = []
        for document in documents where document.day <= to {
            balance += document.debit - document.credit
            if let from, document.day < from { continue }
            lines.append(Line(day: document.day, kind: document.kind, reference: document.reference,
                              debit: document.debit, credit: document.credit, balance: balance))
        }
        let inPeriod = lines.reduce(Money.zero) { $0 + $1.debit - $1.credit }
        self.opening = balance - inPeriod
        self.lines = lines
    }
}
