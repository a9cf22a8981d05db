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
    case dispute(CustomerID, invoices: [String], reason: String)
    case resolveDispute(id: String, note: String)
    case documentSent(CustomerID, DocumentKind, file: String)
    case claim(CustomerID)
    case release(CustomerID)
    case markWorked(CustomerID)
    case undoLast
    case pay(CustomerID, amount: Money, on: Day, invoice: String?, reference: String?, method: String)
    case creditNote(CustomerID, number: String, amount: Money, on: Day, invoice: String?, reason: String)
    case issueInvoices([Invoice])
    case recordPayments([Payment])
    case changeProfile(CustomerID, ProfileChange, reason: String)
    /// Customers to a collector (nil: unassigned), all or none.
    case assign([CustomerID], collector: String?, reason: String)
    case writeOff(CustomerID, amount: Money, invoice: String?, reason: String)
    case request(CustomerID, RequestKind, reason: String)
    case decide(requestID: String, approved: Bool, reason: String)
    /// Pre-validated events (dunning runs, demo books) appended as one all-or-nothing batch.
    case batch([Event])
}
