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
        /// The customer's own document numbers and payment references; empty for what is ours
        /// alone (a write-off's, a fee's or interest's internal id means nothing to them).
        public var reference: String
        public var debit: Money
        public var credit: Money
        public var balance: Money
        /// Interest billed: the last day it is billed for.
        public var through: Day? = nil
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
        var documents: [Movement] = []
        for invoice in book.invoices(of: id) { documents.append(Movement(day: invoice.issued, kind: .invoice, reference: invoice.number, debit: invoice.amount)) }
        // A payment entered in error never came from the customer: neither it nor its reversal
        // is theirs to read (a "payment reversed" would read as a bounced cheque).
        // (Reversed by the statement's last day: before, the payment stood, as the aging has it.)
        let inError = { (reference: String) in book.reversals[reference].map { $0.cause == .enteredInError && $0.day <= to } ?? false }
        for payment in book.payments(of: id) where payment.principal.isPositive && !inError(payment.reference) {
            documents.append(Movement(day: payment.day, kind: .payment, reference: payment.reference, credit: payment.principal))
            if let reversal = book.reversals[payment.reference] {
                documents.append(Movement(day: reversal.day, kind: .reversal, reference: payment.reference, debit: payment.principal))
            }
        }
        for note in book.creditNotes.values where note.customer == id {
            documents.append(Movement(day: note.day, kind: .creditNote, reference: note.number, credit: note.amount))
        }
        // A write-off is ours: the customer reads a balance adjusted, without our id for it.
        for writeOff in book.writeOffs.values where writeOff.customer == id {
            documents.append(Movement(day: writeOff.day, kind: .writeOff, reference: "", credit: writeOff.amount, order: writeOff.id))
            if let back = writeOff.reinstated {
                documents.append(Movement(day: back.day, kind: .reinstatement, reference: "", debit: writeOff.amount, order: writeOff.id))
            }
        }
        (opening, lines) = Statement.account(documents, from: from, to: to)
        var chargeMovements: [Movement] = []
        for charge in book.charges(of: id) {
            switch charge.kind {
            case .fee: chargeMovements.append(Movement(day: charge.day, kind: .fee, reference: "", debit: charge.amount, order: charge.id))
            case .interest(let through):
                chargeMovements.append(Movement(day: charge.day, kind: .interest, reference: "", debit: charge.amount, through: through, order: charge.id))
            }
            for settlement in charge.settlements {
                switch settlement.source {
                case .payment(let reference) where inError(reference): continue
                case .payment(let reference) where settlement.amount.isNegative:
                    chargeMovements.append(Movement(day: settlement.day, kind: .reversal, reference: reference, debit: -settlement.amount, order: charge.id))
                case .payment(let reference):
                    chargeMovements.append(Movement(day: settlement.day, kind: .payment, reference: reference, credit: settlement.amount, order: charge.id))
                case .waiver: chargeMovements.append(Movement(day: settlement.day, kind: .waiver, reference: "", credit: settlement.amount, order: charge.id))
                }
            }
        }
        (chargesOpening, charges) = Statement.account(chargeMovements, from: from, to: to)
    }

    /// One document or charge movement, before the running balance. `order`: what sorts it
    /// among the day's others (its reference, or the internal id a reference leaves out).
    private struct Movement {
        var day: Day, kind: Kind, reference: String, debit = Money.zero, credit = Money.zero, through: Day? = nil, order: String

        init(day: Day, kind: Kind, reference: String, debit: Money = .zero, credit: Money = .zero, through: Day? = nil, order: String? = nil) {
            self.day = day; self.kind = kind; self.reference = reference; self.debit = debit; self.credit = credit
            self.through = through; self.order = order ?? reference
        }

        var rank: Int { kind == .reversal || kind == .reinstatement ? 2 : debit.isPositive ? 0 : 1 }
    }

    /// The movements up to `to` in order (on a day, what is billed first, then what is paid
    /// or credited, then what is taken back: a reversal follows the payment it reverses), with
    /// a running balance; the lines of the period and the balance before it.
    private static func account(_ movements: [Movement], from: Day?, to: Day) -> (opening: Money, lines: [Line]) {
        let sorted = movements.sorted { a, b in
            a.day != b.day ? a.day < b.day : a.rank != b.rank ? a.rank < b.rank : a.order < b.order
        }
        var balance = Money.zero
        var lines: [Line] = []
        for movement in sorted where movement.day <= to {
            balance += movement.debit - movement.credit
            if let from, movement.day < from { continue }
            lines.append(Line(day: movement.day, kind: movement.kind, reference: movement.reference,
                              debit: movement.debit, credit: movement.credit, balance: balance, through: movement.through))
        }
        let inPeriod = lines.reduce(Money.zero) { $0 + $1.debit - $1.credit }
        return (balance - inPeriod, lines)
    }
}
