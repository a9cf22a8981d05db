import Core

/// What changed since a screen last looked: the customers events touched (for recomputing only
/// those) and the last record that changed each (for a form filled in before another's change).
extension Desk {
    public func takeChanges() -> Changes {
        defer { changes = Changes() }
        return changes
    }

    func noteChange(_ event: Event) {
        if let known = knownAmounts() { amountsMagnitude = MagnitudeSum.adding([event], to: known) }
        let customer: CustomerID?
        switch event {
        case .undone(let sequence): customer = book.activity(sequence: sequence)?.customer
        case .disputeResolved(let id, _, _): customer = book.disputes[id]?.customer
        case .requestDecided(let id, _, _): customer = book.requests[id]?.customer
        case .chargeWaived(let id, _, _): customer = book.charge(id)?.customer
        default: customer = event.customer
        }
        if let customer { lastChanged[customer] = book.lastSequence }
        switch event {
        case .customerAdded, .invoiceIssued, .bookCreated: changes.everything = true  // lists, ABC classes
        case .dunningRun: break
        default:
            if let customer { changes.customers.insert(customer) } else { changes.everything = true }
        }
    }

    /// Whether a record after `sequence` changed `customer` (one this process applied since it
    /// opened the book: a form opened then was filled in from what it saw).
    public func changed(_ customer: CustomerID, since sequence: UInt64) -> Bool {
        (lastChanged[customer] ?? 0) > sequence
    }
}
