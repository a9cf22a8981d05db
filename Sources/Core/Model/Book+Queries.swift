/// What the book answers about its documents and timelines, read where they lie.
extension Book {
    /// A customer's ledger, when the customer is in the book.
    func ledger(of customer: CustomerID) -> CustomerLedger? { customerPlaces[customer].map { ledgers[$0] } }

    public var invoices: InvoiceLookup { InvoiceLookup(list: invoiceList, index: invoiceIndex) }
    public var payments: PaymentLookup { PaymentLookup(list: paymentList, index: paymentIndex) }

    func invoicePosition(_ number: String) -> Int? { invoiceIndex.position(of: number, in: invoiceList) }

    public func invoices(of customer: CustomerID) -> [Invoice] {
        guard let positions = ledger(of: customer)?.invoices else { return [] }
        return positions.map { invoiceList[$0] }
    }

    public func payments(of customer: CustomerID) -> [Payment] {
        (ledger(of: customer)?.receipts ?? []).map { paymentList[$0.position] }
    }

    /// What kind of document `number` names in the book, if any: invoices, payments and credit
    /// notes share one space of numbers, so that a number quoted names one document.
    public func documentKind(of number: String) -> String? {
        if invoices[number] != nil { return "invoice" }
        if payments[number] != nil { return "payment" }
        if creditNotes[number] != nil { return "credit note" }
        return nil
    }

    /// The ids of a customer's disputes that were undone: never raised (undo marks one resolved
    /// on the day it was opened, so it is known by its undone timeline entry, not by its dates).
    public func undoneDisputes(of customer: CustomerID) -> Set<String> { customerPlaces[customer].map(undoneDisputes(atPlace:)) ?? [] }

    func undoneDisputes(atPlace place: Int) -> Set<String> {
        Set(timelineByPlace[place].compactMap { activity in
            if activity.undoneBy != nil, case .dispute(let id) = activity.kind { id } else { nil }
        })
    }

    /// A customer's payments recorded after record `sequence` (whatever day they are dated).
    public func payments(of customer: CustomerID, recordedAfter sequence: UInt64) -> [Payment] {
        (ledger(of: customer)?.receipts ?? []).filter { $0.sequence > sequence }.map { paymentList[$0.position] }
    }

    public func promises(of customer: CustomerID) -> [Promise] {
        (customerPlaces[customer].map { promiseIDsByPlace[$0] } ?? []).compactMap { promises[$0.id] }.filter { !isUndone(promise: $0.id) }
    }

    /// A customer's credit notes and write-offs, by day (few per book: found by looking through all).
    public func creditNotes(of customer: CustomerID) -> [CreditNote] {
        creditNotes.values.filter { $0.customer == customer }.sorted { ($0.day, $0.number) < ($1.day, $1.number) }
    }

    public func writeOffs(of customer: CustomerID) -> [WriteOff] {
        writeOffs.values.filter { $0.customer == customer }.sorted { ($0.day, $0.id) < ($1.day, $1.id) }
    }

    public func disputes(onInvoice number: String) -> [Dispute] {
        (disputesByInvoice[number] ?? []).compactMap { disputes[$0] }
    }

    /// The invoice numbered `number` is under a dispute open on `day`.
    public func isDisputed(invoice number: String, asOf day: Day) -> Bool {
        disputes(onInvoice: number).contains { $0.isOpen(asOf: day) }
    }

    /// The customer's invoices under a dispute open on `day`: what a payment naming no invoice,
    /// or credit applied, reaches only after the others (a customer who disputes one invoice and
    /// pays is paying the rest); of one disputed for an amount, only that part.
    public func disputedInvoices(of customer: CustomerID, asOf day: Day) -> DisputedItems {
        guard let place = customerPlaces[customer], ledgers[place].hasDisputes else { return [] }
        var disputed = DisputedItems()
        for position in ledgers[place].invoices {
            let number = invoiceList[position].number
            let open = disputes(onInvoice: number).filter { $0.isOpen(asOf: day) }
            guard !open.isEmpty else { continue }
            if open.contains(where: { $0.amount == nil }) { disputed.whole.insert(number) }
            else { disputed.parts[number] = open.reduce(Money.zero) { $0 + ($1.amount ?? .zero) } }
        }
        return disputed
    }

    /// The customer's disputes not resolved yet, oldest first (what a collector may resolve).
    public func openDisputes(of customer: CustomerID) -> [Dispute] {
        disputes(of: customer).filter { $0.status == .open }
    }

    /// The customer's disputes open on `day`: opened by then and not resolved by then, so a look
    /// back lists one resolved since, as its invoice's open item counts it disputed then.
    public func disputes(of customer: CustomerID, openOn day: Day) -> [Dispute] {
        disputes(of: customer).filter { $0.isOpen(asOf: day) }
    }

    /// Every dispute over the customer's invoices, oldest first.
    private func disputes(of customer: CustomerID) -> [Dispute] {
        // Most customers never had one: the ledger panel asks at every redraw.
        guard let place = customerPlaces[customer], ledgers[place].hasDisputes else { return [] }
        // By its invoices (a dispute is over the customer's own): not every dispute of the book.
        return ledgers[place].invoices.flatMap { disputes(onInvoice: invoiceList[$0].number) }
            .sorted { ($0.opened, $0.id) < ($1.opened, $1.id) }
    }

    public func timeline(of customer: CustomerID) -> [Activity] { customerPlaces[customer].map { timelineByPlace[$0] } ?? [] }

    /// The customer as it stood before each change of its profile, by the change's record: what a
    /// change of a contact or a limit replaced (the history holds one entry per change, in the
    /// order of the timeline's profile activities; no change is ever undone).
    public func profilesBeforeChanges(of customer: CustomerID) -> [UInt64: Customer] {
        guard let place = customerPlaces[customer] else { return [:] }
        let changes = timelineByPlace[place].filter { if case .profile = $0.kind { true } else { false } }
        return Dictionary(zip(changes.map(\.stamp.sequence), ledgers[place].history.map(\.before)), uniquingKeysWith: { first, _ in first })
    }

    /// Calls `body` with each activity of the customer at `place` recorded on or before `day` and
    /// not undone, in the order recorded, read where it lies: iterating the list copied each
    /// activity (128 bytes and a retain of each of its strings) for every customer of a queue.
    func visitActivities(place: Int, asOf day: Day, _ body: (UnsafePointer<Activity>) -> Void) {
        timelineByPlace[place].withUnsafeBufferPointer { activities in
            for index in activities.indices {
                let activity = activities.baseAddress! + index
                if activity.pointee.undoneBy == nil && activity.pointee.stamp.day <= day { body(activity) }
            }
        }
    }

    /// Every customer's timeline, in the order customers were added (those without any left out).
    public var timelines: [(customer: CustomerID, activities: [Activity])] {
        ledgers.indices.compactMap { timelineByPlace[$0].isEmpty ? nil : (ledgers[$0].customer.id, timelineByPlace[$0]) }
    }

    /// `author`'s most recent activity not undone, looked for from the end of each customer's
    /// timeline in place (undo asks on every `u`; gathering every timeline copied them all).
    /// `before`: only activities of records before it (the ones before an action passed over).
    public func lastActivity(by author: String, before limit: UInt64 = .max) -> Activity? {
        var latest: Activity?
        for place in timelineByPlace.indices {
            timelineByPlace[place].withUnsafeBufferPointer { activities in
                for index in activities.indices.reversed() {
                    let activity = activities.baseAddress! + index
                    if let latest, activity.pointee.stamp.sequence < latest.stamp.sequence { return }  // older than the one found
                    guard activity.pointee.stamp.sequence < limit else { continue }
                    if activity.pointee.stamp.author == author && activity.pointee.undoneBy == nil { latest = activity.pointee; return }
                }
            }
        }
        return latest
    }

    public func activity(sequence: UInt64) -> Activity? {
        guard let at = activityIndex[sequence] else { return nil }
        return timeline(of: at.customer)[at.position]
    }
}
