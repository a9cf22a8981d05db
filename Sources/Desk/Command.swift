import Core

/// A user's intent. The workstation and the command line both build these and hand them to
/// `Desk.perform`, which validates them against the freshest state and turns them into events.
public enum Command: Sendable {
    case addCustomers([Customer])
    case logCall(CustomerID, CallOutcome, note: String, callback: Day?)
    case promise(CustomerID, amount: Money?, due: Day)
    case plan(CustomerID, instalments: [(due: Day, amount: Money)], total: Money?)
    case callback(CustomerID, on: Day, note: String)
    case note(CustomerID, String)
    /// `amount`: the part of one invoice contested (nil: all of each that is open).
    case dispute(CustomerID, invoices: [String], amount: Money? = nil, reason: String)
    case resolveDispute(id: String, note: String)
    case documentSent(CustomerID, DocumentKind, file: String)
    /// A statement of account up to a day, written into the outbox in the customer's language
    /// and recorded as sent (`Desk.perform` writes the file, then records it).
    case writeStatement(CustomerID, to: Day)
    case claim(CustomerID)
    case release(CustomerID)
    case markWorked(CustomerID)
    case undoLast
    case pay(CustomerID, amount: Money, on: Day, invoice: String?, reference: String?, method: String)
    /// Takes back the payment with this reference (returned unpaid, or entered in error) as of a
    /// day: what it settled is owed again from then (see `PaymentReversal`).
    case reversePayment(reference: String, on: Day, reason: String, cause: PaymentReversal.Cause = .returned)
    /// A credit note [红字发票] against an invoice or, without one, unapplied; nil number: generated.
    /// `beyondOwed`: unapplied, it may leave the customer in credit (a rebate to one who owes
    /// nothing), as a payment's `--credit` may; without it, that is refused as a slip.
    case creditNote(CustomerID, number: String?, amount: Money, on: Day, invoice: String?, reason: String, beyondOwed: Bool = false)
    /// Sets a customer's credit against its open invoices on a day (see `CreditPlan`): the credit
    /// named or the oldest first, the invoice named or oldest due first, the amount given or all
    /// that both allow.
    case applyCredit(CustomerID, from: CreditApplication.Source?, invoice: String?, amount: Money?, on: Day)
    /// Takes back a credit application from a day (applied to the wrong invoice, say), with why.
    case withdrawCredit(id: String, on: Day, reason: String)
    case issueInvoices([Invoice])
    case recordPayments([Payment])
    case changeProfile(CustomerID, ProfileChange, reason: String)
    /// A credit review done (a 5C scorecard): the grade it gives (recorded as a change, or as a
    /// note when it stays), with what the review found, and the next review's date, in one action.
    case creditReview(CustomerID, grade: RiskGrade, note: String, nextReview: Day?)
    /// Customers to a collector (nil: unassigned), all or none.
    case assign([CustomerID], collector: String?, reason: String)
    case writeOff(CustomerID, amount: Money, invoice: String?, reason: String)
    /// Takes back a write-off from a day (made by mistake, or the customer paid after all), with why.
    case reinstateWriteOff(id: String, on: Day, reason: String)
    case request(CustomerID, RequestKind, reason: String)
    case decide(requestID: String, approved: Bool, reason: String)
    /// Forgives what is still open of a fee or interest charge (a manager's decision, with a reason).
    case waiveCharge(id: String, reason: String)
    /// Records that the records a log repair set aside (and those not applied without them) were
    /// looked at and entered again: opening stops saying so.
    case reviewLostRecords
    /// Pre-validated events (dunning runs, demo books) appended as one all-or-nothing batch.
    case batch([Event])
}

extension Command {
    /// The most a note or reason takes: it is read on one screen, and the log refuses a record of
    /// more than a megabyte (the workstation's forms hold to the same).
    public static let longestText = 2_000

    /// The free texts a user typed (notes, reasons), each with what it is, for `longestText`.
    var typedTexts: [(what: String, text: String)] {
        switch self {
        case .logCall(_, _, let note, _), .callback(_, _, let note), .note(_, let note), .resolveDispute(_, let note), .creditReview(_, _, let note, _):
            return [("note", note)]
        case .dispute(_, _, _, let reason), .creditNote(_, _, _, _, _, let reason, _), .changeProfile(_, _, let reason), .assign(_, _, let reason),
             .writeOff(_, _, _, let reason), .request(_, _, let reason), .decide(_, _, let reason), .waiveCharge(_, let reason),
             .reversePayment(_, _, let reason, _), .withdrawCredit(_, _, let reason), .reinstateWriteOff(_, _, let reason):
            return [("reason", reason)]
        default: return []
        }
    }

    /// The one customer a command acts on, if it names one (what a collector's assignment is checked against).
    var customer: CustomerID? {
        switch self {
        case .logCall(let id, _, _, _), .promise(let id, _, _), .plan(let id, _, _), .callback(let id, _, _), .note(let id, _),
             .dispute(let id, _, _, _), .documentSent(let id, _, _), .writeStatement(let id, _), .claim(let id), .release(let id), .markWorked(let id),
             .pay(let id, _, _, _, _, _), .creditNote(let id, _, _, _, _, _, _), .changeProfile(let id, _, _), .writeOff(let id, _, _, _),
             .request(let id, _, _), .applyCredit(let id, _, _, _, _), .creditReview(let id, _, _, _):
            return id
        case .addCustomers, .resolveDispute, .undoLast, .issueInvoices, .recordPayments, .reversePayment, .assign, .decide, .waiveCharge,
             .reviewLostRecords, .batch, .withdrawCredit, .reinstateWriteOff:
            return nil
        }
    }
}
