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
        // What is left of it from the day on: with every application in force on some day after
        // it counted, the credit never goes below zero as of any day.
        let left = credit - creditCommitted(from: application.source, on: application.day)
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

    /// The most of `source`'s credit in force on any one day from `day` on: what it must keep
    /// free for its applications (a new one dated `day`, or a reallocation of its payment). What
    /// is in force changes only on the days applications are made or withdrawn, so those are
    /// the days to look at.
    func creditCommitted(from source: CreditApplication.Source, on day: Day) -> Money {
        let applied = applications(of: source)
        let changes = applied.flatMap { [$0.day] + ($0.withdrawn.map { [$0.day] } ?? []) }.filter { $0 > day }
        return ([day] + changes).map { creditApplied(from: source, asOf: $0) }.max() ?? .zero
    }

    /// What was applied of `source`'s credit and in force on `day`.
    public func creditApplied(from source: CreditApplication.Source, asOf day: Day) -> Money {
        applications(of: source).filter { $0.holds(on: day) }.reduce(.zero) { $0 + $1.amount }
    }

    /// Takes back the application `id` from `day`: what it settled is owed again and its credit
    /// is the customer's again from then; before it, the book reads as it did.
    mutating func withdrawCredit(_ id: String, of customer: CustomerID, on day: Day, reason: String) throws {
        let ledger = try ledgerIndex(customer)
        guard let application = creditApplications[id], application.customer == customer else {
            throw BookError.invalid("no credit application \"\(id)\" of \(customer)")
        }
        if let withdrawn = application.withdrawn { throw BookError.invalid("credit application \"\(id)\" was withdrawn on \(withdrawn.day)") }
        guard day >= application.day else {
            throw BookError.invalid("credit application \"\(id)\" is of \(application.day): it cannot be withdrawn on \(day), before it")
        }
        if case .payment(let reference) = application.source, reversals[reference] != nil {
            throw BookError.invalid("payment \"\(reference)\" was reversed, which took its applied credit back with it")
        }
        try takeBack(application.allocations, source: .credit(id), ledger: ledger, on: day)
        ledgers[ledger].credits.append((day, application.amount))
        creditApplications[id]?.withdrawn = (day, reason)
    }

    /// The day credit applied stopped settling its invoices, as the book stood on `day`: its
    /// withdrawal, or the reversal of the payment whose credit it was; and which of the two.
    public func takenBack(_ application: CreditApplication, asOf day: Day) -> (day: Day, byReversal: Bool)? {
        if let withdrawn = application.withdrawn, withdrawn.day <= day { return (withdrawn.day, false) }
        if case .payment(let reference) = application.source, let reversal = reversal(of: reference, asOf: day) { return (reversal.day, true) }
        return nil
    }

    /// A customer's credit applied, by day and id (few per book: found by looking through all,
    /// as credit notes and write-offs are).
    public func creditApplications(of customer: CustomerID) -> [CreditApplication] {
        creditApplications.values.filter { $0.customer == customer }.sorted { ($0.day, $0.id) < ($1.day, $1.id) }
    }

    /// The applications of `source`'s credit not withdrawn: what a reversal of its payment takes back.
    public func standingApplications(of source: CreditApplication.Source) -> [CreditApplication] {
        applications(of: source).filter { $0.withdrawn == nil }
    }

    /// The applications of `source`'s credit (in the order recorded; from a snapshot, by day).
    public func applications(of source: CreditApplication.Source) -> [CreditApplication] {
        (applicationsBySource[source] ?? []).compactMap { creditApplications[$0] }
    }

    /// A customer's credits that can still be applied on `day`, oldest first: each payment's
    /// unapplied part and each credit note against no invoice dated on or before it, less what is
    /// applied of it on some day from then on (see `applyCredit`).
    public func creditsToApply(of customer: CustomerID, on day: Day) -> [(source: CreditApplication.Source, day: Day, left: Money)] {
        var found: [(source: CreditApplication.Source, day: Day, left: Money)] = []
        for payment in payments(of: customer) where payment.day <= day && reversals[payment.reference] == nil {
            let source = CreditApplication.Source.payment(payment.reference)
            let left = payment.unapplied - creditCommitted(from: source, on: day)
            if left.isPositive { found.append((source, payment.day, left)) }
        }
        for note in creditNotes(of: customer) where note.invoice == nil && note.day <= day {
            let source = CreditApplication.Source.creditNote(note.number)
            let left = note.amount - creditCommitted(from: source, on: day)
            if left.isPositive { found.append((source, note.day, left)) }
        }
        return found.sorted { $0.day != $1.day ? $0.day < $1.day : $0.source.number < $1.source.number }
    }
}
