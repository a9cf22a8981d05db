/// Folding `Event.creditApplied`, and what is left of each credit.
extension Book {
    mutating func applyCredit(_ application: CreditApplication, stamp: Stamp) throws {
        let ledger = try ledgerIndex(application.customer)
        guard creditApplications[application.id] == nil else { throw BookError.duplicateDocument(application.id) }
        guard !application.allocations.isEmpty else { throw BookError.invalid("credit application \"\(application.id)\" settles no invoice") }
        let (credit, since) = try creditSource(application.source, of: application.customer)
        guard application.day >= since else {
            throw BookError.invalid("the credit of \(application.source.number) exists from \(since): it cannot be applied on \(application.day)")
        }
        // What is left of it, whatever the day: an application dated before another keeps the
        // credit from going below zero as of any day (each is dated on or after the credit).
        let left = credit - creditApplied(from: application.source)
        guard application.amount <= left else {
            throw BookError.invalid("\(application.source.number) has \(currency.format(left, grouping: ",")) of credit left, not \(currency.format(application.amount, grouping: ","))")
        }
        for allocation in application.allocations {
            guard let position = invoicePosition(allocation.invoice) else { throw BookError.unknownInvoice(allocation.invoice) }
            guard invoiceList[position].issued <= application.day else {
                throw BookError.invalid("invoice \"\(allocation.invoice)\" is issued after \(application.day): credit cannot be applied to it then")
            }
        }
        try checkAllocations(application.allocations, customer: application.customer, on: application.day)
        for allocation in application.allocations {  // checked: none is refused
            try settle(allocation.invoice, customer: application.customer, ledger: ledger, amount: allocation.amount, day: application.day,
                       source: .credit(application.id))
        }
        ledgers[ledger].credits.append((application.day, -application.amount))
        creditApplications[application.id] = application
        applicationsBySource[application.source, default: []].append(application.id)
    }

    /// The credit `source` gives its customer and the day it does: a payment's unapplied part, or
    /// a credit note against no invoice; refused for another's, a reversed payment, or none.
    func creditSource(_ source: CreditApplication.Source, of customer: CustomerID) throws -> (credit: Money, day: Day) {
        switch source {
        case .payment(let reference):
            guard let payment = payments[reference] else { throw BookError.invalid("no payment \"\(reference)\" in this book") }
            guard payment.customer == customer else { throw BookError.wrongCustomer(document: reference, customer: customer) }
            guard reversals[reference] == nil else { throw BookError.invalid("payment \"\(reference)\" was reversed: it leaves no credit") }
            return (payment.unapplied, payment.day)
        case .creditNote(let number):
            guard let note = creditNotes[number] else { throw BookError.invalid("no credit note \"\(number)\" in this book") }
            guard note.customer == customer else { throw BookError.wrongCustomer(document: number, customer: customer) }
            guard note.invoice == nil else { throw BookError.invalid("credit note \"\(number)\" went to invoice \(note.invoice!): it leaves no credit") }
            return (note.amount, note.day)
        }
    }

    /// What has been applied of `source`'s credit, on any day.
    public func creditApplied(from source: CreditApplication.Source) -> Money {
        (applicationsBySource[source] ?? []).reduce(.zero) { $0 + (creditApplications[$1]?.amount ?? .zero) }
    }

    /// What was applied of `source`'s credit by `day`.
    public func creditApplied(from source: CreditApplication.Source, asOf day: Day) -> Money {
        applications(of: source).filter { $0.day <= day }.reduce(.zero) { $0 + $1.amount }
    }

    /// The applications of `source`'s credit (in the order recorded; from a snapshot, by day).
    public func applications(of source: CreditApplication.Source) -> [CreditApplication] {
        (applicationsBySource[source] ?? []).compactMap { creditApplications[$0] }
    }

    /// A customer's credits that can still be applied on `day`, oldest first: each payment's
    /// unapplied part and each credit note against no invoice dated on or before it, less all that
    /// was applied of it (on any day: see `applyCredit`).
    public func creditsToApply(of customer: CustomerID, on day: Day) -> [(source: CreditApplication.Source, day: Day, left: Money)] {
        var found: [(source: CreditApplication.Source, day: Day, left: Money)] = []
        for payment in payments(of: customer) where payment.day <= day && reversals[payment.reference] == nil {
            let source = CreditApplication.Source.payment(payment.reference)
            let left = payment.unapplied - creditApplied(from: source)
            if left.isPositive { found.append((source, payment.day, left)) }
        }
        for note in creditNotes(of: customer) where note.invoice == nil && note.day <= day {
            let source = CreditApplication.Source.creditNote(note.number)
            let left = note.amount - creditApplied(from: source)
            if left.isPositive { found.append((source, note.day, left)) }
        }
        return found.sorted { $0.day != $1.day ? $0.day < $1.day : $0.source.number < $1.source.number }
    }
}
