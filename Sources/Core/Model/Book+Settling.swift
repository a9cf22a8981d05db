/// Settling invoices: what a document may settle of one, checked before anything changes, and
/// the settlement itself (payments, credit notes, write-offs, credit applied all come here).
extension Book {
    /// Checks every allocation of one document before any is applied, so that a document that
    /// fails part-way never leaves the invoices it did fit settled (a throwing `apply` changes nothing).
    /// Several allocations to one invoice are checked by their sum.
    func checkAllocations(_ allocations: some Collection<Allocation>, customer: CustomerID, on day: Day) throws {
        guard allocations.count > 1 else { return }  // one allocation: `settle` checks before it changes anything
        var applied: [String: Money] = [:]
        for allocation in allocations {
            guard let position = invoicePosition(allocation.invoice) else { throw BookError.unknownInvoice(allocation.invoice) }
            guard invoiceList[position].customer == customer else { throw BookError.wrongCustomer(document: allocation.invoice, customer: customer) }
            let before = applied[allocation.invoice, default: .zero]
            let open = room(ofInvoiceAt: position, on: day) - before
            guard allocation.amount.isPositive, allocation.amount <= open else {
                throw BookError.overAllocated(invoice: allocation.invoice, open: open, allocated: allocation.amount, currency: currency)
            }
            applied[allocation.invoice] = before + allocation.amount
        }
    }

    /// What a document dated `day` may settle of the invoice at `position` (`Invoice.room(on:)`),
    /// its fields read in place: calling the method on the list's element copies the invoice,
    /// which only an invoice with a reversal (rare) is worth.
    func room(ofInvoiceAt position: Int, on day: Day) -> Money {
        invoiceList[position].hasReversal ? invoiceList[position].room(on: day) : invoiceList[position].amount - invoiceList[position].settledEver
    }

    mutating func settle(_ number: String, customer: CustomerID, ledger: Int,
                         amount: Money, day: Day, source: Settlement.Source) throws {
        guard let position = invoicePosition(number) else { throw BookError.unknownInvoice(number) }
        // Fields read in place: copying the invoice would retain each of its strings and arrays.
        guard invoiceList[position].customer == customer else { throw BookError.wrongCustomer(document: number, customer: customer) }
        let open = room(ofInvoiceAt: position, on: day)
        guard amount.minorUnits > 0, amount <= open else {
            throw BookError.overAllocated(invoice: number, open: open, allocated: amount, currency: currency)
        }
        invoiceList[position].settlements.append(Settlement(source: source, day: day, amount: amount))
        if let day = invoiceList[position].settledOn { ledgers[ledger].open.settle(at: position, settledOn: day) }
    }

    /// What `allocations` settled taken back from `day`, by settlements of `source` with the
    /// opposite sign (credit withdrawn, a write-off reinstated): the invoices are owed again
    /// from then, and as of an earlier day they read as they did. Every invoice is found before
    /// anything changes: a refused event changes nothing.
    mutating func takeBack(_ allocations: [Allocation], source: Settlement.Source, ledger: Int, on day: Day) throws {
        let invoices = try allocations.map { allocation in
            guard let invoice = invoicePosition(allocation.invoice) else { throw BookError.unknownInvoice(allocation.invoice) }
            return (invoice, allocation.amount)
        }
        for (invoice, amount) in invoices {
            invoiceList[invoice].settlements.append(Settlement(source: source, day: day, amount: -amount))
            ledgers[ledger].open.reopen(invoice)
        }
    }
}
