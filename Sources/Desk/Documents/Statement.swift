import Core

/// A statement of account [对账单]: the opening balance, every document in the period, and the
/// closing balance, so that a customer can reconcile line by line. Balance = invoices − payments −
/// credit notes − write-offs (unapplied cash included, so a credit shows as a negative balance).
/// Fees and interest billed are a second account below it (`charges`), apart from the principal:
/// a payment's line in the first shows only what it paid on the principal.
public struct Statement: Sendable {
    public enum Kind: String, Sendable {
        case invoice, payment, creditNote = "credit note", writeOff = "write-off"
        /// A payment taken back (returned unpaid): owed again from its day.
        case reversal = "payment reversed"
        /// A write-off taken back: owed again from its day.
        case reinstatement = "write-off reinstated"
        case fee, interest, waiver = "waived"
    }

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
    /// Fees and interest: open at the start, billed, paid and waived in the period, open at the end.
    public let chargesOpening: Money
    public let charges: [Line]
    public var chargesClosing: Money { charges.last?.balance ?? chargesOpening }

    public init(book: Book, customer id: CustomerID, from: Day?, to: Day) throws {
        guard let customer = book.customers[id] else { throw DeskError.invalid("no customer \"\(id)\" in this book\(book.didYouMean(id))") }
        if let from, from > to { throw DeskError.invalid("the statement period starts (\(from)) after it ends (\(to))") }
        self.customer = customer; self.from = from; self.to = to
        var documents: [(day: Day, kind: Kind, reference: String, debit: Money, credit: Money)] = []
        for invoice in book.invoices(of: id) { documents.append((invoice.issued, .invoice, invoice.number, invoice.amount, .zero)) }
        for payment in book.payments(of: id) where payment.principal.isPositive {
            documents.append((payment.day, .payment, payment.reference, .zero, payment.principal))
            if let reversal = book.reversals[payment.reference] {
                documents.append((reversal.day, .reversal, payment.reference, payment.principal, .zero))
            }
        }
        for note in book.creditNotes.values where note.customer == id { documents.append((note.day, .creditNote, note.number, .zero, note.amount)) }
        for writeOff in book.writeOffs.values where writeOff.customer == id {
            documents.append((writeOff.day, .writeOff, writeOff.id, .zero, writeOff.amount))
            if let back = writeOff.reinstated {
                documents.append((back.day, .reinstatement, writeOff.id, writeOff.amount, .zero))
            }
        }
        (opening, lines) = Statement.account(documents, from: from, to: to)
        var chargeMovements: [(day: Day, kind: Kind, reference: String, debit: Money, credit: Money)] = []
        for charge in book.charges(of: id) {
            switch charge.kind {
            case .fee: chargeMovements.append((charge.day, .fee, charge.id, charge.amount, .zero))
            case .interest(let through): chargeMovements.append((charge.day, .interest, "\(charge.id) (–\(through.iso))", charge.amount, .zero))
            }
            for settlement in charge.settlements {
                switch settlement.source {
                case .payment(let reference) where settlement.amount.isNegative:
                    chargeMovements.append((settlement.day, .reversal, "\(reference) → \(charge.id)", -settlement.amount, .zero))
                case .payment(let reference): chargeMovements.append((settlement.day, .payment, "\(reference) → \(charge.id)", .zero, settlement.amount))
                case .waiver: chargeMovements.append((settlement.day, .waiver, charge.id, .zero, settlement.amount))
                }
            }
        }
        (chargesOpening, charges) = Statement.account(chargeMovements, from: from, to: to)
    }

    /// The movements up to `to` in order (on a day, what is billed first, then what is paid
    /// or credited, then what is taken back: a reversal follows the payment it reverses), with
    /// a running balance; the lines of the period and the balance before it.
    private static func account(_ movements: [(day: Day, kind: Kind, reference: String, debit: Money, credit: Money)],
                                from: Day?, to: Day) -> (opening: Money, lines: [Line]) {
        func rank(_ m: (day: Day, kind: Kind, reference: String, debit: Money, credit: Money)) -> Int {
            m.kind == .reversal || m.kind == .reinstatement ? 2 : m.debit.isPositive ? 0 : 1
        }
        let sorted = movements.sorted { a, b in
            a.day != b.day ? a.day < b.day : rank(a) != rank(b) ? rank(a) < rank(b) : a.reference < b.reference
        }
        var balance = Money.zero
        var lines: [Line] = []
        for movement in sorted where movement.day <= to {
            balance += movement.debit - movement.credit
            if let from, movement.day < from { continue }
            lines.append(Line(day: movement.day, kind: movement.kind, reference: movement.reference,
                              debit: movement.debit, credit: movement.credit, balance: balance))
        }
        let inPeriod = lines.reduce(Money.zero) { $0 + $1.debit - $1.credit }
        return (balance - inPeriod, lines)
    }
}
