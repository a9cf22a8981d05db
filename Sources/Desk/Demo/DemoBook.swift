import Core

/// Generates a realistic, deterministic book history: customers with Chinese and Latin names,
/// two years of invoices and payments from punctual to chronically late payers, promises kept and
/// broken, disputes, calls and callbacks, ending on the as-of day.
public struct DemoBook {
    public var customers: Int
    public var seed: UInt64
    public var asOf: Day
    /// Months of history before the as-of day.
    public var months: Int = 24
    /// Who the records no collector wrote are written as (the user creating the demo): the
    /// promises and disputes of an unassigned customer name them as taken by that user.
    public var user = "demo"

    public init(customers: Int, seed: UInt64, asOf: Day) {
        self.customers = customers; self.seed = seed; self.asOf = asOf
    }

    static let lastRun = "RUN-DEMO"

    /// An event of the history, its day, and who recorded it: a call, promise, dispute or note
    /// is the customer's collector's; the rest (customers, invoices, payments, the dunning run)
    /// nil, the user creating the demo.
    public typealias Entry = (event: Event, day: Day, by: String?)

    /// How a customer pays: mean days late and the share of invoices left unpaid at the end.
    enum Habit: CaseIterable { case punctual, slow, late, troubled }

    /// Events in chunks of about `chunkSize`, each chunk in date order within a customer.
    public func generate(chunkSize: Int = 20_000, _ emit: ([Entry]) throws -> Void) throws {
        var rng = SeededRandom(seed: seed)
        // Last week's dunning run, so the demo starts with levels already in place.
        var chunk: [Entry] = [(.dunningRun(id: DemoBook.lastRun, day: asOf.adding(days: -7)), asOf.adding(days: -7), nil)]
        let start = asOf.adding(months: -months)
        for index in 0..<customers {
            generateCustomer(index: index, start: start, rng: &rng, into: &chunk)
            if chunk.count >= chunkSize { try emit(chunk); chunk.removeAll(keepingCapacity: true) }
        }
        if !chunk.isEmpty { try emit(chunk) }
    }

    func generateCustomer(index: Int, start: Day, rng: inout SeededRandom, into out: inout [Entry]) {
        let id = "C" + String(100_000 + index).dropFirst()
        let chinese = rng.chance(75)
        let name = DemoNames.company(&rng, chinese: chinese)
        let habit: Habit = [Habit.punctual, .punctual, .slow, .slow, .late, .troubled][rng.int(0...5)]
        let grade: RiskGrade = switch habit { case .punctual: rng.chance(50) ? .a : .b; case .slow: .b
                                              case .late: rng.chance(50) ? .c : .d; case .troubled: rng.chance(50) ? .d : .e }
        let monthly = Int64(rng.int(2...60)) * 100_000  // 2,000.00 to 60,000.00 a month
        var customer = Customer(id: id, name: name, termsDays: rng.pick([30, 30, 45, 60]),
                                creditLimit: Money(minorUnits: monthly * Int64(rng.int(1...4))), grade: grade,
                                collector: rng.chance(90) ? DemoNames.collectors[index % DemoNames.collectors.count] : nil)
        customer.contacts = [ContactPerson(name: DemoNames.person(&rng, chinese: chinese),
                                           phone: "+86 1\(rng.int(30...89)) \(rng.int(1000...9999)) \(rng.int(1000...9999))",
                                           email: "ap\(index)@example.com")]
        customer.nextReview = asOf.adding(days: rng.int(-30...180))
        out.append((.customerAdded(customer), start, nil))

        // Invoices roughly twice a month; each paid according to the customer's habit.
        var day = start.adding(days: rng.int(0...14))
        var number = 0
        var unpaid: [(invoice: Invoice, open: Money)] = []
        while day <= asOf {
            number += 1
            let amount = Money(minorUnits: max(10_000, monthly / 2 + Int64(rng.int(-40...40)) * monthly / 100))
            let invoice = Invoice(number: "\(id)-\(String(10_000 + number).dropFirst())", customer: id, issued: day,
                                  due: day.adding(days: customer.termsDays), amount: amount, reference: "PO\(rng.int(10_000...99_999))")
            out.append((.invoiceIssued(invoice), day, nil))
            let late: Int = switch habit { case .punctual: rng.int(-5...3); case .slow: rng.int(0...25)
                                           case .late: rng.int(10...75); case .troubled: rng.int(30...200) }
            let paidOn = invoice.due.adding(days: late)
            let neverPaid = habit == .troubled && rng.chance(25)
            if paidOn <= asOf && !neverPaid {
                let partial = habit != .punctual && rng.chance(10)
                let paid = partial ? Money(minorUnits: amount.minorUnits / 2) : amount
                out.append((.paymentReceived(Payment(reference: "PAY-\(invoice.number)", customer: id, day: paidOn, amount: paid,
                                                     method: rng.pick(["bank", "bank", "draft"]),
                                                     allocations: [Allocation(invoice: invoice.number, amount: paid)])), paidOn, nil))
                // The rest of a part-paid invoice usually follows a month or two later.
                let restOn = paidOn.adding(days: rng.int(20...80))
                if partial && restOn <= asOf && !(habit == .troubled && rng.chance(50)) {
                    out.append((.paymentReceived(Payment(reference: "PAY-\(invoice.number)-2", customer: id, day: restOn, amount: amount - paid,
                                                         method: "bank", allocations: [Allocation(invoice: invoice.number, amount: amount - paid)])), restOn, nil))
                } else if partial {
                    unpaid.append((invoice, amount - paid))
                }
            } else {
                unpaid.append((invoice, amount))
            }
            day = day.adding(days: rng.int(10...20))
        }
        out.sort { $0.day < $1.day }  // keep the customer's history in date order
        addCollectionsActivity(customer: customer, habit: habit, unpaid: unpaid, rng: &rng, into: &out)
    }

    /// Calls (most marked worked in the day's queue), promises (kept and broken), disputes and
    /// callbacks in the weeks before the as-of day.
    func addCollectionsActivity(customer: Customer, habit: Habit, unpaid: [(invoice: Invoice, open: Money)], rng: inout SeededRandom,
                                into out: inout [Entry]) {
        let overdue = unpaid.filter { $0.invoice.due < asOf }
        guard !overdue.isEmpty else { return }
        let id = customer.id
        let collector = customer.collector
        // The level last week's run reached: one per trigger passed, stopping short of the final
        // notice (which bills a fee and interest that only a real run works out), hold and legal.
        let runDay = asOf.adding(days: -7)
        let oldest = overdue.map { runDay.days(since: $0.invoice.due) }.max() ?? 0
        let level = Policy.standard.dunningLevels.prefix(2).filter { oldest >= $0.triggerDays }.count
        if level > 0 { out.append((.dunningLevelSet(id, level: level, runID: DemoBook.lastRun), runDay, nil)) }
        let callDay = asOf.adding(days: -rng.int(3...20))
        let outcome: CallOutcome = rng.pick([.reached, .reached, .noAnswer, .leftMessage, .promised])
        let callback: Day? = rng.chance(30) ? asOf.adding(days: rng.int(-2...3)) : nil
        out.append((.callLogged(id, outcome, note: rng.pick(DemoNames.notes(for: customer.name)), callback: callback.map { max($0, callDay) }), callDay, collector))
        // Most calls were made from the day's queue and marked worked there.
        if rng.chance(80) { out.append((.markedWorked(id), callDay, collector)) }
        // A promise covers the oldest one to three invoices; how often it is kept (paid by its due
        // day) depends on the customer's habit.
        var promised = 0
        var bounced: PaymentReversal?
        // Only a call that reached someone gets a promise (drawn as before, so the rest of the
        // history stays as it was).
        if outcome == .promised || (rng.chance(30) && outcome.reachedCustomer) {
            promised = min(overdue.count, rng.int(1...3))
            let covered = overdue.prefix(promised)
            let amount = covered.reduce(Money.zero) { $0 + $1.open }
            let promiseDue = callDay.adding(days: rng.int(2...10))
            let promiseID = "P-\(id)-\(callDay.ordinal)"
            out.append((.promiseTaken(Promise(id: promiseID, customer: id, amount: amount, due: promiseDue,
                                              toleranceDays: 2, taken: callDay, takenBy: collector ?? user)), callDay, collector))
            let keeps = switch habit { case .punctual: 85; case .slow: 75; case .late: 55; case .troubled: 30 }
            let paidOn = callDay.adding(days: rng.int(1...promiseDue.days(since: callDay)))
            if rng.chance(keeps) && paidOn <= asOf {
                out.append((.paymentReceived(Payment(reference: "PAY-\(promiseID)", customer: id, day: paidOn, amount: amount, method: "bank",
                                                     allocations: covered.map { Allocation(invoice: $0.invoice.number, amount: $0.open) })),
                            paidOn, nil))
                // Now and then a troubled payer's payment comes back a few days later. Decided
                // without drawing from `rng`, so the rest of the history is what it was.
                let returnedOn = paidOn.adding(days: 4)
                if habit == .troubled && Int(callDay.ordinal) % 3 == 0 && returnedOn <= asOf {
                    let reason = DemoNames.returnReasons[Int(paidOn.ordinal.magnitude) % DemoNames.returnReasons.count]
                    bounced = PaymentReversal(payment: "PAY-\(promiseID)", customer: id, day: returnedOn, reason: reason)
                }
            }
        }
        // A dispute is over an invoice the promise left out.
        if rng.chance(8), let disputed = overdue.dropFirst(promised).first?.invoice {
            out.append((.disputeOpened(Dispute(id: "D-\(disputed.number)", customer: id, invoice: disputed.number, amount: nil,
                                               reason: rng.pick(DemoNames.disputeReasons), opened: callDay,
                                               owner: collector ?? user)), callDay, collector))
        }
        if rng.chance(20) {
            out.append((.noteAdded(id, rng.pick(DemoNames.notes(for: customer.name))), callDay, collector))
        }
        if let bounced { out.append((.paymentReversed(bounced), bounced.day, nil)) }  // the last of the customer's history
    }
}
