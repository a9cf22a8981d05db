/// Folding a payment's reversal (see `PaymentReversal`).
extension Book {
    mutating func reverse(_ reversal: PaymentReversal, stamp: Stamp) throws {
        let ledger = try ledgerIndex(reversal.customer)
        let reference = reversal.payment
        guard let position = paymentIndex.position(of: reference, in: paymentList) else {
            throw BookError.invalid("no payment \"\(reference)\" in this book")
        }
        let payment = paymentList[position]
        guard payment.customer == reversal.customer else { throw BookError.wrongCustomer(document: reference, customer: reversal.customer) }
        guard reversals[reference] == nil else { throw BookError.invalid("payment \"\(reference)\" was already reversed") }
        guard reversal.day >= payment.day else {
            throw BookError.invalid("payment \"\(reference)\" of \(payment.day) cannot be reversed on \(reversal.day), before it was received")
        }
        // Everything it paid is found before anything changes: a refused event changes nothing.
        let invoices = try payment.allocations.map { allocation in
            guard let invoice = invoicePosition(allocation.invoice) else { throw BookError.unknownInvoice(allocation.invoice) }
            return (invoice, allocation.amount)
        }
        // Its credit applied to invoices is taken back with it: those are owed again too. A
        // reversal dated before an application would leave that day's view with the credit gone
        // and the invoice still settled by it.
        // One withdrawn on or before the reversal's day gave its part back already.
        let applied = applications(of: .payment(reference)).filter { $0.withdrawn.map { $0.day > reversal.day } ?? true }
        if let later = applied.first(where: { $0.day > reversal.day }) {
            throw BookError.invalid("the credit of payment \"\(reference)\" was applied on \(later.day) (\(later.id)): its reversal cannot be dated before that, \(reversal.day)")
        }
        if let withdrawn = applied.first(where: { $0.withdrawn != nil }) {
            throw BookError.invalid("the credit of payment \"\(reference)\" applied as \(withdrawn.id) was withdrawn on \(withdrawn.withdrawn!.day): its reversal cannot be dated before that, \(reversal.day)")
        }
        let appliedInvoices = try applied.flatMap { application in
            try application.allocations.map { allocation in
                guard let invoice = invoicePosition(allocation.invoice) else { throw BookError.unknownInvoice(allocation.invoice) }
                return (invoice, allocation.amount, application.id)
            }
        }
        let charged = try payment.charges.map { part in
            guard let charge = chargeIndex[part.charge] else { throw BookError.invalid("no charge \"\(part.charge)\"") }
            return (charge, part.amount)
        }
        // Each part is taken back on the reversal's day, by a settlement of the same source with
        // the opposite sign: as of any earlier day the book reads as it did.
        for (invoice, amount) in invoices {
            invoiceList[invoice].settlements.append(Settlement(source: .payment(reference), day: reversal.day, amount: -amount))
            ledgers[ledger].open.reopen(invoice)
        }
        for (invoice, amount, id) in appliedInvoices {
            invoiceList[invoice].settlements.append(Settlement(source: .credit(id), day: reversal.day, amount: -amount))
            ledgers[ledger].open.reopen(invoice)
        }
        for (charge, amount) in charged {
            charges[charge].settlements.append(ChargeSettlement(source: .payment(reference), day: reversal.day, amount: -amount))
        }
        // The credit it left goes, less what was applied of it (taken back above as invoices owed).
        let creditLeft = payment.unapplied - applied.reduce(.zero) { $0 + $1.amount }
        if creditLeft.isPositive { ledgers[ledger].credits.append((reversal.day, -creditLeft)) }
        ledgers[ledger].reversed.append(ReversedPayment(position: position, day: reversal.day))
        reversals[reference] = reversal
        record(.paymentReversed(payment: reference, reason: reversal.reason), for: reversal.customer, stamp: stamp)
    }

    /// The reversal of the payment with `reference`, if it was reversed on or before `day`.
    public func reversal(of reference: String, asOf day: Day) -> PaymentReversal? {
        reversals[reference].flatMap { $0.day <= day ? $0 : nil }
    }
}
