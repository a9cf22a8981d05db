/// Where a payment goes when payments already recorded for its customer are dated after it (a
/// cheque entered a week late): as if every payment had been recorded in the order of its day.
/// The rule, for a payment naming no invoice: oldest due first among the invoices not under
/// dispute on its day, then the disputed ones, then open fees and interest.
/// The customer's later-dated payments allocated by the rule (`Payment.byRule`, not reversed)
/// give up what they settled, on invoices and on fees and interest; the new payment takes its
/// share (the invoice named, or oldest due first and then open fees and interest); then each of
/// them, in order of day (and of recording, within a day), takes again by the same rule. Without
/// such later payments, the plain rule. An `Event.paymentsReallocated` of `reallocated` (only
/// the payments whose parts change) goes before the new payment.
public struct DateOrder: Sendable {
    public var allocations: [Allocation]
    public var charges: [ChargePayment]
    public var reallocated: [PaymentAllocations]

    public static func plan(_ amount: Money, of customer: CustomerID, to invoice: String?, in book: Book,
                            on day: Day) throws(AllocationError) -> DateOrder {
        let later = book.payments(of: customer).enumerated()
            .filter { $0.element.byRule && $0.element.day > day && book.reversals[$0.element.reference] == nil }
            .sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
        guard !later.isEmpty else {
            guard let invoice else {
                let allocations = AllocationPlan.oldestDueFirst(amount, of: customer, in: book, on: day,
                                                                leavingLast: book.disputedInvoices(of: customer, asOf: day))
                return DateOrder(allocations: allocations, reallocated: [],
                                 charges: AllocationPlan.chargePayments(amount, beyond: allocations, of: customer, in: book, on: day))
            }
            return DateOrder(allocations: try AllocationPlan.toInvoice(invoice, amount: amount, of: customer, in: book, on: day),
                             reallocated: [], charges: [])
        }
        var parts = CustomerParts(customer, in: book, leavingOut: Set(later.map(\.reference)))
        var plan: DateOrder
        if let invoice {
            guard let named = parts.invoice(invoice) else {
                // Another customer's, or none: the book's own refusal names which.
                return DateOrder(allocations: try AllocationPlan.toInvoice(invoice, amount: amount, of: customer, in: book, on: day),
                                 reallocated: [], charges: [])
            }
            plan = DateOrder(allocations: try AllocationPlan.toInvoice(named, amount: amount, of: customer, on: day), reallocated: [], charges: [])
            parts.settle(plan.allocations, [], by: "", on: day)  // its reference matters to no one here
        } else {
            let (allocations, charges) = parts.byRule(amount, by: "", on: day)
            plan = DateOrder(allocations: allocations, reallocated: [], charges: charges)
        }
        plan.reallocated = parts.planAgain(later)
        return plan
    }

    /// A credit note of `amount` dated `day` against `invoice`, when what the invoice has open is
    /// less because payments the rule allocated after that day took it: they give it up and take
    /// again after the note, as in date order (the `Event.paymentsReallocated` goes before the
    /// note). Nothing when the note fits as it is, or would not fit even so (the book's refusal
    /// then says why).
    public static func forCreditNote(_ amount: Money, of customer: CustomerID, against invoice: String, in book: Book,
                                     on day: Day) -> [PaymentAllocations] {
        guard let found = book.invoices[invoice], found.customer == customer, found.room(on: day) < amount,
              let plan = try? plan(amount, of: customer, to: invoice, in: book, on: day),
              plan.allocations.reduce(Money.zero, { $0 + $1.amount }) >= amount else { return [] }
        return plan.reallocated
    }

    /// A payment reversed on `day`: what it settled is owed again from then, so the customer's
    /// payments the rule allocated after it (dated later, or recorded later the same day) take
    /// again in date order, finding what it held open where their day is on or after the
    /// reversal. The `Event.paymentsReallocated` of them goes after the reversal.
    public static func afterReversal(of reference: String, on day: Day, in book: Book) -> [PaymentAllocations] {
        guard let reversed = book.payments[reference] else { return [] }
        let payments = book.payments(of: reversed.customer)
        guard let at = payments.firstIndex(where: { $0.reference == reference }) else { return [] }
        let later = payments.enumerated().filter { index, payment in
            index != at && payment.byRule && book.reversals[payment.reference] == nil
                && (payment.day > reversed.day || (payment.day == reversed.day && index > at))
        }.sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
        guard !later.isEmpty else { return [] }
        var parts = CustomerParts(reversed.customer, in: book, leavingOut: Set(later.map(\.reference)))
        parts.reverse(reversed, on: day)
        // Its credit applied to invoices is taken back with it (as `Book.reverse` takes it).
        for application in book.standingApplications(of: .payment(reference)) {
            parts.takeBack(application.allocations, source: .credit(application.id), on: day)
        }
        return parts.planAgain(later)
    }

    /// Credit applied (`id`) taken back on `day`: what it settled is owed again from then, so the
    /// customer's payments the rule allocated, dated on or after the application, take again in
    /// date order. The `Event.paymentsReallocated` of them goes after the withdrawal.
    public static func afterWithdrawal(of id: String, on day: Day, in book: Book) -> [PaymentAllocations] {
        guard let application = book.creditApplications[id] else { return [] }
        return afterTakingBack(application.allocations, source: .credit(application.id), of: application.customer,
                               since: application.day, on: day, in: book)
    }

    /// A write-off (`id`) reinstated on `day`: what it settled is owed again from then, so the
    /// customer's payments the rule allocated take again in date order (a payment that came after
    /// the write-off, left as credit, now pays what it reopened when dated on or after the
    /// reinstatement). The `Event.paymentsReallocated` of them goes after it.
    public static func afterReinstatement(of id: String, on day: Day, in book: Book) -> [PaymentAllocations] {
        guard let writeOff = book.writeOffs[id] else { return [] }
        // Every payment the rule allocated, not only those dated after it: one dated before it but
        // recorded after it left the invoice to it, and takes it when both are on the same day.
        return afterTakingBack(writeOff.allocations, source: .writeOff(id), of: writeOff.customer, since: nil, on: day, in: book)
    }

    /// What `source` settled (`allocations`, made on `since`) taken back on `day`: the customer's
    /// payments the rule allocated, dated on or after `since` (any, when nil), take again in date order.
    private static func afterTakingBack(_ allocations: [Allocation], source: Settlement.Source, of customer: CustomerID, since: Day?,
                                        on day: Day, in book: Book) -> [PaymentAllocations] {
        let later = book.payments(of: customer).enumerated().filter { _, payment in
            payment.byRule && book.reversals[payment.reference] == nil && since.map { payment.day >= $0 } ?? true
        }.sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
        guard !later.isEmpty else { return [] }
        var parts = CustomerParts(customer, in: book, leavingOut: Set(later.map(\.reference)))
        parts.takeBack(allocations, source: source, on: day)
        return parts.planAgain(later)
    }

    /// What each payment in `moved` would leave as credit beyond what it does now, for those
    /// left with more (a slip to ask about before it is recorded, as a prepayment is).
    public static func moreCredit(_ moved: [PaymentAllocations], in book: Book) -> [(payment: String, credit: Money)] {
        moved.compactMap { change in
            guard let payment = book.payments[change.payment] else { return nil }
            let more = payment.with(change).unapplied - payment.unapplied
            return more.isPositive ? (change.payment, more) : nil
        }
    }

    init(allocations: [Allocation], reallocated: [PaymentAllocations], charges: [ChargePayment]) {
        self.allocations = allocations; self.reallocated = reallocated; self.charges = charges
    }
}

/// A customer's invoices and charges as the planning sees them: copies, with what the payments
/// being planned again had settled left out, settled anew as each is planned.
private struct CustomerParts {
    var invoices: [Invoice]
    var charges: [Charge]
    var places: [String: Int] = [:]
    var chargePlaces: [String: Int] = [:]
    /// The invoices under dispute on a day (reached last by the rule).
    let disputed: (Day) -> DisputedItems

    init(_ customer: CustomerID, in book: Book, leavingOut references: Set<String>) {
        invoices = book.invoices(of: customer)
        disputed = { day in book.disputedInvoices(of: customer, asOf: day) }
        charges = book.charges(of: customer)
        for index in invoices.indices {
            places[invoices[index].number] = index
            let kept = invoices[index].settlements.filter { settlement in
                if case .payment(let reference) = settlement.source { !references.contains(reference) } else { true }
            }
            if kept.count != invoices[index].settlements.count { invoices[index].settlements = SmallList(kept) }
        }
        for index in charges.indices {
            chargePlaces[charges[index].id] = index
            charges[index].settlements.removeAll { settlement in
                if case .payment(let reference) = settlement.source { references.contains(reference) } else { false }
            }
        }
    }

    func invoice(_ number: String) -> Invoice? { places[number].map { invoices[$0] } }

    /// `payments`, in order, by the rule again: those whose parts change.
    mutating func planAgain(_ payments: [Payment]) -> [PaymentAllocations] {
        var changed: [PaymentAllocations] = []
        for payment in payments {
            let (allocations, charges) = byRule(payment.amount, by: payment.reference, on: payment.day)
            let parts = PaymentAllocations(payment: payment.reference, allocations: allocations, charges: charges)
            if parts.differ(from: payment) { changed.append(parts) }
        }
        return changed
    }

    /// What `payment` settled taken back on `day`, as the book folds a reversal.
    mutating func reverse(_ payment: Payment, on day: Day) {
        for allocation in payment.allocations {
            invoices[places[allocation.invoice]!].settlements.append(Settlement(source: .payment(payment.reference), day: day, amount: -allocation.amount))
        }
        for part in payment.charges {
            charges[chargePlaces[part.charge]!].settlements.append(ChargeSettlement(source: .payment(payment.reference), day: day, amount: -part.amount))
        }
    }

    /// What credit applied or a write-off settled taken back on `day`, as the book folds a
    /// withdrawal or a reinstatement.
    mutating func takeBack(_ allocations: [Allocation], source: Settlement.Source, on day: Day) {
        for allocation in allocations {
            guard let place = places[allocation.invoice] else { continue }
            invoices[place].settlements.append(Settlement(source: source, day: day, amount: -allocation.amount))
        }
    }

    /// Oldest due first (disputed invoices last), then open fees and interest, as `ardesk pay`
    /// without an invoice.
    mutating func byRule(_ amount: Money, by reference: String, on day: Day) -> ([Allocation], [ChargePayment]) {
        let allocations = AllocationPlan.oldestDueFirst(amount, among: invoices, on: day, leavingLast: disputed(day))
        let paid = AllocationPlan.chargePayments(amount, beyond: allocations, among: charges, on: day)
        settle(allocations, paid, by: reference, on: day)
        return (allocations, paid)
    }

    mutating func settle(_ allocations: [Allocation], _ paid: [ChargePayment], by reference: String, on day: Day) {
        for allocation in allocations {
            invoices[places[allocation.invoice]!].settlements.append(Settlement(source: .payment(reference), day: day, amount: allocation.amount))
        }
        for part in paid {
            charges[chargePlaces[part.charge]!].settlements.append(ChargeSettlement(source: .payment(reference), day: day, amount: part.amount))
        }
    }
}
