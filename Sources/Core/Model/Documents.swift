/// One due date of an invoice. Most invoices have one; instalment terms have several.
public struct Instalment: Equatable, Sendable {
    public var due: Day
    public var amount: Money
    public init(due: Day, amount: Money) { self.due = due; self.amount = amount }
}

/// Something that settled part of an invoice on a given day. Kept on the invoice so that the open
/// amount as of any day is a sum over settlements dated on or before it.
public struct Settlement: Equatable, Sendable {
    /// `credit`: a credit application's id (see `CreditApplication`), apart from its source
    /// document's own allocations, which a reallocation or a reversal of that document takes off.
    public enum Source: Hashable, Sendable { case payment(String), creditNote(String), writeOff(String), credit(String) }
    public var source: Source
    public var day: Day
    public var amount: Money
    public init(source: Source, day: Day, amount: Money) { self.source = source; self.day = day; self.amount = amount }
}

public struct Invoice: Equatable, Sendable {
    // Fields are laid out in the order declared: what whole-book rules read of every invoice
    // (is it issued, is it paid, what is due) comes first, so that it shares one cache line.
    public var issued: Day
    /// The day of the last settlement (nil without any), the sum of the instalments and
    /// everything ever settled, net of payments reversed since (a reversal is a settlement of the
    /// opposite sign, dated the day of the reversal): kept with the invoice, because whole-book
    /// rules visit a million invoices and should not have to read the lists of each to find most
    /// of them paid.
    public private(set) var lastSettled: Day?
    /// A payment that settled it was reversed (in the padding after `lastSettled`: no room taken).
    public private(set) var hasReversal = false
    public private(set) var amount: Money = .zero
    public private(set) var settledEver: Money = .zero
    /// By due date. A `SmallList`: nearly every invoice has one instalment and at most one settlement.
    public var instalments: SmallList<Instalment> { didSet { amount = Invoice.total(instalments) } }
    public var number: String
    public var customer: CustomerID
    public var reference: String
    public var settlements: SmallList<Settlement> = [] { didSet { noteSettlements() } }

    public init(number: String, customer: CustomerID, issued: Day, due: Day, amount: Money, reference: String = "") {
        var instalments = SmallList<Instalment>()  // no array for the one instalment
        instalments.append(Instalment(due: due, amount: amount))
        self.init(number: number, customer: customer, issued: issued, sortedInstalments: instalments, reference: reference)
    }

    public init(number: String, customer: CustomerID, issued: Day, instalments: [Instalment], reference: String = "") {
        self.init(number: number, customer: customer, issued: issued,
                  sortedInstalments: SmallList(instalments.sorted { $0.due < $1.due }), reference: reference)
    }

    /// Instalments already by due date (a snapshot stores them so).
    init(number: String, customer: CustomerID, issued: Day, sortedInstalments: SmallList<Instalment>, reference: String) {
        self.number = number; self.customer = customer; self.issued = issued
        self.instalments = sortedInstalments; self.reference = reference
        self.amount = Invoice.total(sortedInstalments)
    }

    private static func total(_ instalments: SmallList<Instalment>) -> Money { instalments.reduce(.zero) { $0 + $1.amount } }

    private mutating func noteSettlements() {
        var total = Money.zero
        var last: Day?
        var reversal = false
        for settlement in settlements {
            total += settlement.amount
            if last.map({ settlement.day > $0 }) ?? true { last = settlement.day }
            reversal = reversal || settlement.amount.isNegative
        }
        settledEver = total
        lastSettled = last
        hasReversal = reversal
    }

    /// What a document dated `day` may still settle: the amount less the most that any view from
    /// `day` on has settled. Without a reversal that is `amount − settledEver`; a payment reversed
    /// later is owed again only from its reversal, so what it settled cannot be settled again by
    /// a document dated before then (a view of the days between would show the invoice paid twice).
    public func room(on day: Day) -> Money {
        hasReversal ? amount - settlements.mostSettled(from: day) : amount - settledEver
    }

    /// The day it became settled in full as the book stood on `day`; nil when anything was owed
    /// then. (`settledOn` is today's answer: a payment reversed since may have undone it, and a
    /// later one settled it again.)
    public func settledOn(asOf day: Day) -> Day? {
        if let lastSettled, lastSettled <= day { return settledOn }
        guard settled(asOf: day) >= amount else { return nil }
        var total = Money.zero
        var reached: Day?
        for settlement in settlements.sorted(by: { $0.day < $1.day }) where settlement.day <= day {
            let before = total
            total += settlement.amount
            if before < amount && total >= amount { reached = settlement.day }
        }
        return reached
    }

    /// Settled in full by some day (`lastSettled`).
    public var isFullySettled: Bool { settledOn != nil }
    /// The day it became settled in full (that of its last settlement: what is settled net never
    /// exceeds the amount), nil while anything is owed.
    public var settledOn: Day? { settledEver >= amount ? lastSettled : nil }
    /// The last due date (for a single-instalment invoice, its due date).
    public var due: Day { instalments.last?.due ?? issued }
    public var firstDue: Day { instalments.first?.due ?? issued }

    public func settled(asOf day: Day) -> Money {
        if let lastSettled, lastSettled <= day { return settledEver }
        return settlements.total(asOf: day)
    }

    /// What is still owed as of `day`; zero for an invoice not yet issued then.
    public func open(asOf day: Day) -> Money {
        issued <= day ? amount - settled(asOf: day) : .zero
    }

    /// The open part of each instalment as of `day`: settlements go to the oldest due first.
    public func openInstalments(asOf day: Day) -> [(instalment: Instalment, open: Money)] {
        var paid = settled(asOf: day)
        return instalments.map { inst in
            let covered = min(paid, inst.amount)
            paid -= covered
            return (inst, inst.amount - covered)
        }
    }
}

public struct CreditNote: Equatable, Sendable {
    public var number: String
    public var customer: CustomerID
    public var day: Day
    public var amount: Money
    /// The invoice it reduces; nil leaves it as a credit on the customer.
    public var invoice: String?
    public var reason: String
    public init(number: String, customer: CustomerID, day: Day, amount: Money, invoice: String?, reason: String = "") {
        self.number = number; self.customer = customer; self.day = day; self.amount = amount
        self.invoice = invoice; self.reason = reason
    }
}

public struct Allocation: Equatable, Sendable {
    public var invoice: String
    public var amount: Money
    public init(invoice: String, amount: Money) { self.invoice = invoice; self.amount = amount }
}

/// Cash received. Its allocations are decided when it is recorded (explicit, or oldest due first)
/// and stored in the event, so that replay never depends on the order rules are evaluated.
public struct Payment: Equatable, Sendable {
    public var reference: String
    public var customer: CustomerID
    public var day: Day
    public var amount: Money
    public var method: String
    /// Nearly every payment settles one invoice: kept inline (see `SmallList`).
    public var allocations: SmallList<Allocation>
    /// Fees and interest it pays (see `Charge`), apart from the invoices.
    public var charges: [ChargePayment]
    /// Its allocations follow the rule (oldest due first as of its day), no invoice named: a
    /// payment dated earlier and recorded later may move them (`Event.paymentsReallocated`), so
    /// that what a past day shows never depends on a document dated after it.
    public var byRule: Bool
    public init(reference: String, customer: CustomerID, day: Day, amount: Money, method: String = "",
                allocations: [Allocation], charges: [ChargePayment] = [], byRule: Bool = false) {
        self.init(reference: reference, customer: customer, day: day, amount: amount, method: method, allocations: SmallList(allocations),
                  charges: charges, byRule: byRule)
    }
    public init(reference: String, customer: CustomerID, day: Day, amount: Money, method: String = "",
                allocations: SmallList<Allocation>, charges: [ChargePayment] = [], byRule: Bool = false) {
        self.reference = reference; self.customer = customer; self.day = day; self.amount = amount
        self.method = method; self.allocations = allocations; self.charges = charges; self.byRule = byRule
    }
    /// What it pays on invoices.
    public var allocated: Money { allocations.reduce(.zero) { $0 + $1.amount } }
    /// What it pays on fees and interest.
    public var chargesPaid: Money { charges.reduce(.zero) { $0 + $1.amount } }
    /// The principal part: the amount less what it pays on fees and interest.
    public var principal: Money { amount - chargesPaid }
    /// Neither on an invoice nor on a charge: a credit on the customer.
    public var unapplied: Money { amount - allocated - chargesPaid }
}

/// A payment taken back after it was recorded: returned unpaid by the bank (a bounced cheque, a
/// recalled transfer) or entered in error. From `day` on, what the payment settled (invoices, fees
/// and interest, a credit) is owed again; before it, the book reads as it did. The payment itself
/// stays in the book, as what was received.
public struct PaymentReversal: Equatable, Sendable {
    /// Why the payment is taken back, which decides whether it says anything of the customer.
    public enum Cause: String, CaseIterable, Sendable {
        /// The bank returned it unpaid: a risk signal, and a call to ask for the money again.
        case returned
        /// Recorded by mistake (the wrong amount, customer or day) and entered again right: the
        /// customer did nothing, so neither a risk signal nor a queue reason.
        case enteredInError = "entered-in-error"
    }

    /// The payment's reference.
    public var payment: String
    public var customer: CustomerID
    public var day: Day
    public var reason: String
    public var cause: Cause
    public init(payment: String, customer: CustomerID, day: Day, reason: String, cause: Cause = .returned) {
        self.payment = payment; self.customer = customer; self.day = day; self.reason = reason; self.cause = cause
    }
}

public struct WriteOff: Equatable, Sendable {
    public var id: String
    public var customer: CustomerID
    public var day: Day
    public var allocations: [Allocation]
    public var reason: String
    public var approvedBy: String
    /// Taken back (written off by mistake, or the customer paid after all): its invoices are
    /// owed again from its day; before it, the book reads as it did (`Event.writeOffReinstated`).
    public internal(set) var reinstated: Reinstatement?
    public init(id: String, customer: CustomerID, day: Day, allocations: [Allocation], reason: String, approvedBy: String) {
        self.id = id; self.customer = customer; self.day = day; self.allocations = allocations
        self.reason = reason; self.approvedBy = approvedBy
    }
    public var amount: Money { allocations.reduce(.zero) { $0 + $1.amount } }

    /// Its reinstatement, if made on or before `day`.
    public func reinstatement(asOf day: Day) -> Reinstatement? { reinstated.flatMap { $0.day <= day ? $0 : nil } }
}

/// A write-off taken back: from which day, why, by whom, and in which record.
public struct Reinstatement: Equatable, Sendable {
    public var day: Day
    public var reason: String
    public var by: String
    public var record: UInt64
    public init(day: Day, reason: String, by: String, record: UInt64) { self.day = day; self.reason = reason; self.by = by; self.record = record }
}

/// A customer's credit (a payment's unapplied part, or a credit note against no invoice) set
/// against its open invoices on a day [核销预收/贷项冲抵]: what the customer owes net, so that
/// interest, dunning, provision and write-offs go by what is really owed. From `day` on, the
/// invoices are settled by it and the credit is that much less; before it, the book reads as it did.
public struct CreditApplication: Equatable, Sendable {
    /// Whose credit it is.
    public enum Source: Hashable, Sendable {
        case payment(String)
        case creditNote(String)

        public var number: String {
            switch self { case .payment(let reference): reference; case .creditNote(let number): number }
        }
    }

    public var id: String
    public var customer: CustomerID
    public var day: Day
    public var source: Source
    public var allocations: [Allocation]
    /// Taken back (applied to the wrong invoice, say) from this day on, and why: the invoices are
    /// owed again and the credit is the customer's again (`Event.creditWithdrawn`).
    public internal(set) var withdrawn: (day: Day, reason: String)?
    public init(id: String, customer: CustomerID, day: Day, source: Source, allocations: [Allocation]) {
        self.id = id; self.customer = customer; self.day = day; self.source = source; self.allocations = allocations
    }
    public var amount: Money { allocations.reduce(.zero) { $0 + $1.amount } }

    /// In force on `day`: made by then and not withdrawn by then.
    public func holds(on day: Day) -> Bool { self.day <= day && !(withdrawn.map { $0.day <= day } ?? false) }

    public static func == (a: CreditApplication, b: CreditApplication) -> Bool {
        a.id == b.id && a.customer == b.customer && a.day == b.day && a.source == b.source && a.allocations == b.allocations
            && a.withdrawn?.day == b.withdrawn?.day && a.withdrawn?.reason == b.withdrawn?.reason
    }
}
