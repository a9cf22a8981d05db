/// Who did something and when: stamped by Desk from the journal record, never typed by a user.
public struct Stamp: Equatable, Sendable {
    public var sequence: UInt64
    public var author: String
    /// UTC timestamp text as the journal wrote it.
    public var time: String
    /// The business day the action belongs to ("today" as injected when it was made).
    public var day: Day
    /// The sequence of the first record the same action wrote (one form may save several
    /// records in one append, e.g. a dispute over two invoices); `sequence` when it wrote one.
    public var actionStart: UInt64
    public init(sequence: UInt64, author: String, time: String, day: Day, actionStart: UInt64? = nil) {
        self.sequence = sequence; self.author = author; self.time = time; self.day = day
        self.actionStart = min(actionStart ?? sequence, sequence)
    }
}

public enum CallOutcome: String, CaseIterable, Sendable {
    case reached, noAnswer = "no-answer", leftMessage = "left-message", wrongNumber = "wrong-number"
    case refused, disputed, promised

    /// What a call is logged with: "promised" is left to the promise itself (`ardesk promise`,
    /// `p`), which records what was promised; a call saying so without one would lose it.
    public static var loggable: [CallOutcome] { allCases.filter { $0 != .promised } }

    /// Whether the call spoke with the customer. No answer, a message left and a wrong number
    /// are attempts: they answer no callback, forgive no broken promise and leave a payment
    /// returned unpaid still to be talked over, so the customer comes back to the queue for them.
    public var reachedCustomer: Bool {
        switch self {
        case .reached, .refused, .disputed, .promised: return true
        case .noAnswer, .leftMessage, .wrongNumber: return false
        }
    }
}

public struct Dispute: Equatable, Sendable {
    public enum Status: String, Sendable { case open, resolved }
    public var id: String
    public var customer: CustomerID
    public var invoice: String
    /// Nil means the whole open amount of the invoice.
    public var amount: Money?
    public var reason: String
    public var status: Status
    public var opened: Day
    public var resolved: Day?
    public var owner: String
    public init(id: String, customer: CustomerID, invoice: String, amount: Money?, reason: String,
                status: Status = .open, opened: Day, resolved: Day? = nil, owner: String) {
        self.id = id; self.customer = customer; self.invoice = invoice; self.amount = amount
        self.reason = reason; self.status = status; self.opened = opened; self.resolved = resolved; self.owner = owner
    }
    public func isOpen(asOf day: Day) -> Bool {
        opened <= day && (resolved.map { $0 > day } ?? true)
    }
}

public struct Promise: Equatable, Sendable {
    public var id: String
    public var customer: CustomerID
    public var amount: Money
    public var due: Day
    public var toleranceDays: Int
    public var taken: Day
    public var takenBy: String
    /// The payment plan this promise is an instalment of, if any.
    public var plan: String?
    public init(id: String, customer: CustomerID, amount: Money, due: Day, toleranceDays: Int, taken: Day,
                takenBy: String, plan: String? = nil) {
        self.id = id; self.customer = customer; self.amount = amount; self.due = due
        self.toleranceDays = toleranceDays; self.taken = taken; self.takenBy = takenBy; self.plan = plan
    }
}

public enum DocumentKind: Equatable, Sendable {
    case letter(level: Int)
    /// `figures`: what the statement showed the customer (nil when it was recorded without them,
    /// as older ardesk did).
    case statement(from: Day?, to: Day, figures: StatementFigures? = nil)
}

/// A statement's aging as sent, kept with the record of sending it: the customer reconciles
/// against these figures, and later payments or a changed policy must not rewrite them.
public struct StatementFigures: Equatable, Sendable {
    /// The open amounts by aging column, with the column's label as printed.
    public var aging: [(label: String, amount: Money)]
    /// Unapplied cash and credit notes shown under the aging.
    public var credit: Money
    /// What the customer owed by the statement: the columns less the credit.
    public var balance: Money { aging.reduce(.zero) { $0 + $1.amount } - credit }

    public init(aging: [(label: String, amount: Money)], credit: Money) {
        self.aging = aging
        self.credit = credit
    }

    public static func == (a: StatementFigures, b: StatementFigures) -> Bool {
        a.credit == b.credit && a.aging.elementsEqual(b.aging) { $0.label == $1.label && $0.amount == $1.amount }
    }
}

public enum RequestKind: Equatable, Sendable {
    case creditLimit(Money)
    case writeOff(Money)
    /// Proposed by a dunning run; a manager places the hold by approving it.
    case creditHold
    /// Hand the customer to legal or an agency (proposed by a dunning run).
    case handOff(CustomerStatus)

    /// A limit and a limit, a write-off and a write-off (and so on), whatever their amounts.
    public func isSameSort(as other: RequestKind) -> Bool {
        switch (self, other) {
        case (.creditLimit, .creditLimit), (.writeOff, .writeOff), (.creditHold, .creditHold), (.handOff, .handOff): return true
        default: return false
        }
    }

    /// What a dunning level files for a manager's approval (not a collector's own request).
    public var isDunningLevel: Bool {
        switch self {
        case .creditHold, .handOff: return true
        case .creditLimit, .writeOff: return false
        }
    }
}

public struct Request: Equatable, Sendable {
    public enum State: Equatable, Sendable { case pending, approved(by: String), rejected(by: String, reason: String) }
    public var id: String
    public var customer: CustomerID
    public var kind: RequestKind
    public var reason: String
    public var requestedBy: String
    public var day: Day
    public var state: State
    public init(id: String, customer: CustomerID, kind: RequestKind, reason: String, requestedBy: String, day: Day,
                state: State = .pending) {
        self.id = id; self.customer = customer; self.kind = kind; self.reason = reason
        self.requestedBy = requestedBy; self.day = day; self.state = state
    }

    /// Taken back by the one who filed it (undone, or replaced by another amount: a decision
    /// against it by its requester, saying so). A manager rejecting a request of their own (a
    /// book of one user) rejects it, with a reason of their own.
    public var isWithdrawn: Bool {
        if case .rejected(let by, let reason) = state { return by == requestedBy && reason.hasPrefix("withdrawn") }
        return false
    }

    /// Whether `user` may take it back: their own limit or write-off request, still waiting (a
    /// dunning run's proposals are the run's, decided by a manager).
    public func isWithdrawable(by user: String) -> Bool {
        state == .pending && requestedBy == user && !kind.isDunningLevel
    }
}

/// One line of a customer's activity timeline.
public struct Activity: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case call(CallOutcome, note: String, callback: Day?)
        case note(String)
        case callback(Day, note: String)
        case promise(id: String)
        case plan(id: String)
        case dispute(id: String)
        case disputeResolved(id: String, note: String)
        case documentSent(DocumentKind, file: String)
        case claimed, released
        case worked
        case profile(ProfileChange, reason: String)
        case dunning(level: Int)
        case request(id: String)
        case decision(requestID: String, approved: Bool, reason: String)
        /// A payment of the customer's reversed (see `PaymentReversal`).
        case paymentReversed(payment: String, reason: String)

        /// A dunning level set: the letter recorded right after one is the run's, not a collector's.
        public var isDunningLevel: Bool { if case .dunning = self { true } else { false } }

        /// A call or an agreement (a promise, a plan): the customer was tried or spoken with, from
        /// which "no contact" and quiet days count. A wrong number is not one: the customer's
        /// phone never rang, and the customer is still to be called.
        var isCallOrAgreement: Bool {
            switch self {
            case .call(.wrongNumber, _, _): false
            case .call, .promise, .plan: true
            default: false
            }
        }
    }
    public var stamp: Stamp
    public var customer: CustomerID
    public var kind: Kind
    /// Set when a later compensating event undid this one.
    public var undoneBy: UInt64?
    public init(stamp: Stamp, customer: CustomerID, kind: Kind) { self.stamp = stamp; self.customer = customer; self.kind = kind }
}

/// Changes to a customer's profile that a manager (or an import) makes.
public enum ProfileChange: Equatable, Sendable {
    case creditLimit(Money)
    case hold
    case release
    case grade(RiskGrade)
    case terms(Int)
    case collector(String?)
    case status(CustomerStatus)
    case nextReview(Day?)
    case contacts([ContactPerson])
    case name(String)

    /// Whether the change would leave `customer` as it is (it is set to that already).
    public func leaves(_ customer: Customer) -> Bool {
        switch self {
        case .creditLimit(let limit): return customer.creditLimit == limit
        case .grade(let grade): return customer.grade == grade
        case .terms(let days): return customer.termsDays == days
        case .collector(let collector): return customer.collector == collector
        case .status(let status): return customer.status == status
        case .nextReview(let day): return customer.nextReview == day
        case .contacts(let contacts): return customer.contacts == contacts
        case .name(let name): return customer.name == name
        case .hold, .release: return false  // refused by their own rule, with the customer's status
        }
    }
}
