/// Folding a write-off's reinstatement (`Event.writeOffReinstated`).
extension Book {
    /// Takes back the write-off `id` from `day`: what it settled is owed again from then, by a
    /// settlement of the same source with the opposite sign, so as of any earlier day the book
    /// reads as it did (as a payment's reversal does).
    mutating func reinstateWriteOff(_ id: String, of customer: CustomerID, on day: Day, reason: String) throws {
        let ledger = try ledgerIndex(customer)
        guard let writeOff = writeOffs[id], writeOff.customer == customer else {
            throw BookError.invalid("no write-off \"\(id)\" of \(customer)")
        }
        if let reinstated = writeOff.reinstated { throw BookError.invalid("write-off \"\(id)\" was reinstated on \(reinstated.day)") }
        guard day >= writeOff.day else {
            throw BookError.invalid("write-off \"\(id)\" is of \(writeOff.day): it cannot be reinstated on \(day), before it")
        }
        // Every invoice is found before anything changes: a refused event changes nothing.
        let invoices = try writeOff.allocations.map { allocation in
            guard let invoice = invoicePosition(allocation.invoice) else { throw BookError.unknownInvoice(allocation.invoice) }
            return (invoice, allocation.amount)
        }
        for (invoice, amount) in invoices {
            invoiceList[invoice].settlements.append(Settlement(source: .writeOff(id), day: day, amount: -amount))
            ledgers[ledger].open.reopen(invoice)
        }
        writeOffs[id]?.reinstated = (day, reason)
    }

    /// A customer's write-offs standing on `day`: made by then and not reinstated by then.
    public func writeOffsStanding(of customer: CustomerID, asOf day: Day) -> [WriteOff] {
        writeOffs(of: customer).filter { $0.day <= day && !$0.reinstated(asOf: day) }
    }
}
