/// Every change to a book is one of these. The journal stores them; `Book.apply` folds them.
public enum Event: Equatable, Sendable {
    case bookCreated(currency: Currency)
    case customerAdded(Customer)
    case profileChanged(CustomerID, ProfileChange, reason: String)
    case invoiceIssued(Invoice)
    case creditNoteIssued(CreditNote)
    case paymentReceived(Payment)
    /// A payment taken back: returned unpaid by the bank, or entered in error.
    case paymentReversed(PaymentReversal)
    /// The parts of a customer's payments allocated by the rule, made again because a payment
    /// dated before them was recorded after them (it comes next, in the same action).
    case paymentsReallocated(CustomerID, [PaymentAllocations])
    case writtenOff(WriteOff)
    /// A write-off taken back from `day` (made by mistake, or the customer paid after all): its
    /// invoices are owed again from then.
    case writeOffReinstated(id: String, customer: CustomerID, day: Day, reason: String)
    /// A customer's credit set against its open invoices.
    case creditApplied(CreditApplication)
    /// A credit application taken back from `day`: its invoices owed again, the credit free again.
    case creditWithdrawn(id: String, customer: CustomerID, day: Day, reason: String)
    case disputeOpened(Dispute)
    case disputeResolved(id: String, day: Day, note: String)
    case promiseTaken(Promise)
    case planAgreed(id: String, customer: CustomerID, instalments: [Promise])
    case callLogged(CustomerID, CallOutcome, note: String, callback: Day?)
    case noteAdded(CustomerID, String)
    case callbackScheduled(CustomerID, Day, note: String)
    case documentSent(CustomerID, DocumentKind, file: String)
    case claimed(CustomerID)
    case released(CustomerID)
    case markedWorked(CustomerID)
    case undone(sequence: UInt64)
    case dunningRun(id: String, day: Day)
    case dunningLevelSet(CustomerID, level: Int, runID: String)
    case requestFiled(Request)
    case requestDecided(id: String, approved: Bool, reason: String)
    /// A fee or interest billed (by a dunning letter).
    case chargePosted(Charge)
    /// What is still open of a charge forgiven by a manager.
    case chargeWaived(id: String, day: Day, reason: String)
    /// A record a log repair could not put back, set aside in its place (its damaged text kept).
    case recordLost(reason: String, text: String)
    /// The records set aside up to `through`, and those not applied without them, were dealt with.
    case lostRecordsReviewed(through: UInt64)

    /// Whether the event takes back an earlier one.
    public var isUndo: Bool { if case .undone = self { true } else { false } }

    /// The customer an event is about, when it is about one.
    public var customer: CustomerID? {
        switch self {
        case .bookCreated, .undone, .dunningRun, .requestDecided, .chargeWaived, .recordLost, .lostRecordsReviewed: return nil
        case .chargePosted(let c): return c.customer
        case .customerAdded(let c): return c.id
        case .profileChanged(let id, _, _), .callLogged(let id, _, _, _), .noteAdded(let id, _),
             .callbackScheduled(let id, _, _), .documentSent(let id, _, _), .claimed(let id), .released(let id),
             .markedWorked(let id), .dunningLevelSet(let id, _, _), .planAgreed(_, let id, _), .paymentsReallocated(let id, _):
            return id
        case .invoiceIssued(let i): return i.customer
        case .creditNoteIssued(let c): return c.customer
        case .paymentReceived(let p): return p.customer
        case .paymentReversed(let r): return r.customer
        case .writtenOff(let w): return w.customer
        case .creditApplied(let a): return a.customer
        case .creditWithdrawn(_, let customer, _, _), .writeOffReinstated(_, let customer, _, _): return customer
        case .disputeOpened(let d): return d.customer
        case .disputeResolved: return nil
        case .promiseTaken(let p): return p.customer
        case .requestFiled(let r): return r.customer
        }
    }
}

/// A payment's parts as an `Event.paymentsReallocated` makes them: what it pays on invoices and
/// on fees and interest (the rest is a credit on the customer).
public struct PaymentAllocations: Equatable, Sendable {
    public var payment: String
    public var allocations: [Allocation]
    public var charges: [ChargePayment]
    public init(payment: String, allocations: [Allocation], charges: [ChargePayment] = []) {
        self.payment = payment; self.allocations = allocations; self.charges = charges
    }

    /// Whether these parts are other than `payment`'s (the same invoices in another order are not).
    public func differ(from payment: Payment) -> Bool {
        allocations.count != payment.allocations.count || !allocations.allSatisfy(payment.allocations.contains) || charges != payment.charges
    }
}

extension Payment {
    /// The payment with the parts a reallocation gives it.
    public func with(_ parts: PaymentAllocations) -> Payment {
        var payment = self
        payment.allocations = SmallList(parts.allocations)
        payment.charges = parts.charges
        return payment
    }
}
