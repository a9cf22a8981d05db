@testable import Core
import PropertyBased
import Testing

// "Every view can be computed as of any past date" (README): a view of day D computed from the
// whole book must be the view computed from the book as it stood at the end of D, that is, from
// only the records stamped on or before D. Random books are built as Desk builds them, one
// action at a time in the order of their business days, every document dated the day it was
// recorded; the book is then cut at a random day D and every view that takes a day is compared.
//
// What is left out on purpose, being no fault of the views:
// - Documents dated before the day they were recorded (a payment entered on the 5th dated the
//   3rd): a view of the 3rd goes by the documents' dates and shows it, the book of the 3rd did
//   not have it. Here every document is dated the day it is recorded.
// - Undo of an earlier day's action: an undone action was never there, in every view (Desk's `u`
//   takes back only today's). Here undo comes the same day only.
// - Customers added after D: the views of each customer are compared for those in the book of D;
//   of the later ones, only that they were not there (and own nothing open) on D. ABC classes
//   list them too, as C with no revenue, which changes no other class: compared for the others.
// - `Book.disputes(of:openOn:)` lists the disputes open on D, but each as it stands now (its
//   status and resolution day, which the ledger panel does not show): compared by what it was on D.

/// The parameters of one step, drawn from the step's own number: shrinking, which drops steps
/// and shrinks their numbers, leaves the other steps as they were.
private struct StepRandom {
    var generator: SplitMix
    init(_ seed: Int) { generator = SplitMix(seed: UInt64(bitPattern: Int64(seed))) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[int(0...items.count - 1)] }
    mutating func money(_ range: ClosedRange<Int64>) -> Money {
        Money(minorUnits: range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1)))
    }
    /// Part of `whole` (at least 0.01), or all of it.
    mutating func part(of whole: Money) -> Money {
        guard whole.minorUnits > 1, chance(60) else { return whole }
        return Money(minorUnits: Int64(int(1...Int(whole.minorUnits - 1))))
    }
}

/// A journal in the making: each action's records with their stamps, in the order appended.
struct AsOfJournal {
    private(set) var records: [(event: Event, stamp: Stamp)] = []
    private(set) var book = Book()
    var today: Day
    private var sequence: UInt64 = 0
    private var counter = 0

    init(today: Day) { self.today = today }

    mutating func name(_ prefix: String) -> String { counter += 1; return "\(prefix)\(counter)" }
    var nextSequence: UInt64 { sequence + 1 }

    /// Appends `events` as one action of `author` on `today` (they share its first record, as a
    /// batch does); an event the book refuses is left out, as Desk would have refused it.
    @discardableResult
    mutating func record(_ events: [Event], by author: String) -> Int {
        let start = sequence + 1
        var kept = 0
        for event in events {
            let stamp = Stamp(sequence: sequence + 1, author: author, time: "", day: today, actionStart: start)
            do { try book.apply(event, stamp: stamp) } catch { continue }
            sequence += 1
            kept += 1
            records.append((event, stamp))
        }
        return kept
    }

    static func replay(_ records: some Sequence<(event: Event, stamp: Stamp)>) throws -> Book {
        var book = Book()
        for (event, stamp) in records { try book.apply(event, stamp: stamp) }
        return book
    }
}

@Suite struct AsOfHistoryTests {
    static let start = day("2025-01-01")
    static let collectors = ["li.na", "wang.fang"]
    static let policy = Policy.standard

    // MARK: - Random books, built in the order of their days

    /// A book from `steps`: each step lets a few days pass (often none) and records one action.
    static func journal(_ steps: [Int]) -> AsOfJournal {
        var j = AsOfJournal(today: start)
        j.record([.bookCreated(currency: .cny)], by: "admin")
        j.record([.customerAdded(Customer(id: "A", name: "甲公司", creditLimit: money("50000"), grade: .c, collector: "li.na"))], by: "admin")
        j.record([.customerAdded(Customer(id: "B", name: "B Ltd", creditLimit: .zero, grade: nil, collector: nil))], by: "admin")
        for step in steps { Self.step(&j, step) }
        return j
    }

    private static func step(_ j: inout AsOfJournal, _ seed: Int) {
        var r = StepRandom(seed)
        let gap = r.int(0...9)
        j.today = j.today.adding(days: gap < 4 ? 0 : gap < 8 ? r.int(1...6) : r.int(8...45))
        let today = j.today
        let book = j.book
        guard let c = r.pick(book.customerOrder) else { return }
        let collector = book.customers[c]?.collector ?? r.pick(collectors)!
        /// What a document dated today may still settle of each of the customer's invoices.
        let rooms = book.invoices(of: c).map { ($0.number, $0.room(on: today)) }.filter { $0.1.isPositive }
        let openCharges = book.charges(of: c).filter { $0.day <= today && $0.room(on: today).isPositive }
        switch r.int(0...99) {
        case 0..<13:  // an invoice, now and then in instalments
            let amount = r.money(5_000...3_000_000)
            let terms = r.pick([0, 10, 30, 45])!
            let invoice: Invoice
            if r.chance(25) {
                let count = r.int(2...3)
                let each = Money(minorUnits: amount.minorUnits / Int64(count))
                var instalments = (0..<count - 1).map { Instalment(due: today.adding(days: terms + 30 * $0), amount: each) }
                instalments.append(Instalment(due: today.adding(days: terms + 30 * (count - 1)),
                                              amount: amount - Money(minorUnits: each.minorUnits * Int64(count - 1))))
                invoice = Invoice(number: j.name("I"), customer: c, issued: today, instalments: instalments)
            } else {
                invoice = Invoice(number: j.name("I"), customer: c, issued: today, due: today.adding(days: terms), amount: amount)
            }
            j.record([.invoiceIssued(invoice)], by: "import")
        case 13..<26:  // a payment: one invoice, oldest first, with a credit left over, or all on account
            var allocations: [Allocation] = []
            var amount = Money.zero
            switch r.int(0...3) {
            case 0, 2:
                if let (number, room) = r.pick(rooms) {
                    let paid = r.part(of: room)
                    allocations = [Allocation(invoice: number, amount: paid)]
                    amount = paid
                }
            case 1:
                let total = rooms.reduce(Money.zero) { $0 + $1.1 }
                guard total.isPositive else { break }
                var left = r.part(of: total)
                amount = left
                let oldestFirst = rooms.sorted { (book.invoices[$0.0]!.firstDue, $0.0) < (book.invoices[$1.0]!.firstDue, $1.0) }
                for (number, room) in oldestFirst where left.isPositive {
                    let take = min(left, room)
                    allocations.append(Allocation(invoice: number, amount: take))
                    left -= take
                }
            default: break
            }
            if r.chance(30) || allocations.isEmpty { amount += r.money(1_000...500_000) }  // unapplied: a credit on the customer
            var charges: [ChargePayment] = []
            if let charge = r.pick(openCharges), r.chance(50) {
                let paid = r.part(of: charge.room(on: today))
                charges = [ChargePayment(charge: charge.id, amount: paid)]
                amount += paid
            }
            j.record([.paymentReceived(Payment(reference: j.name("P"), customer: c, day: today, amount: amount, method: "bank",
                                               allocations: allocations, charges: charges))], by: "mgr")
        case 26..<30:  // a credit note on an invoice, or on account
            if let (number, room) = r.pick(rooms), r.chance(60) {
                j.record([.creditNoteIssued(CreditNote(number: j.name("CN"), customer: c, day: today, amount: r.part(of: room),
                                                       invoice: number, reason: "returned goods"))], by: "mgr")
            } else {
                j.record([.creditNoteIssued(CreditNote(number: j.name("CN"), customer: c, day: today, amount: r.money(1_000...300_000),
                                                       invoice: nil, reason: "rebate"))], by: "mgr")
            }
        case 30..<33:  // a write-off of what is left of an invoice, or one reinstated
            if r.chance(30), let standing = r.pick(book.writeOffs(of: c).filter { $0.reinstated == nil }) {
                let moved = DateOrder.afterReinstatement(of: standing.id, on: today, in: book)  // as Desk plans it
                j.record([.writeOffReinstated(id: standing.id, customer: c, day: today, reason: "paid after all")]
                         + (moved.isEmpty ? [] : [.paymentsReallocated(c, moved)]), by: "mgr")
                return
            }
            guard let (number, room) = r.pick(rooms) else { return }
            j.record([.writtenOff(WriteOff(id: j.name("WO"), customer: c, day: today, allocations: [Allocation(invoice: number, amount: room)],
                                           reason: "uncollectable", approvedBy: "mgr"))], by: "mgr")
        case 33..<38:  // a dispute over an open invoice, of all or part of it
            let open = book.invoices(of: c).filter { $0.open(asOf: today).isPositive && !book.isDisputed(invoice: $0.number, asOf: today) }
            guard let invoice = r.pick(open) else { return }
            let amount: Money? = r.chance(50) ? nil : r.part(of: invoice.open(asOf: today))
            j.record([.disputeOpened(Dispute(id: j.name("D"), customer: c, invoice: invoice.number, amount: amount, reason: "quality",
                                             opened: today, owner: collector))], by: collector)
        case 38..<42:  // a dispute resolved
            let open = book.disputes.values.filter { $0.status == .open }.sorted { $0.id < $1.id }
            guard let dispute = r.pick(open) else { return }
            j.record([.disputeResolved(id: dispute.id, day: today, note: "settled")], by: collector)
        case 42..<49:  // a promise to pay
            let balance = Position(c, in: book, asOf: today).balance
            guard balance.isPositive else { return }
            j.record([.promiseTaken(Promise(id: j.name("PR"), customer: c, amount: r.part(of: balance), due: today.adding(days: r.int(0...20)),
                                            toleranceDays: r.int(0...3), taken: today, takenBy: collector))], by: collector)
        case 49..<52:  // a payment plan
            let balance = Position(c, in: book, asOf: today).balance
            let count = r.int(2...3)
            guard balance.minorUnits >= Int64(count) else { return }
            let plan = j.name("PL")
            let each = Money(minorUnits: balance.minorUnits / Int64(count))
            let instalments = (1...count).map { index in
                Promise(id: j.name("PR"), customer: c, amount: each, due: today.adding(days: 14 * index), toleranceDays: 2, taken: today,
                        takenBy: collector, plan: plan)
            }
            j.record([.planAgreed(id: plan, customer: c, instalments: instalments)], by: collector)
        case 52..<60:  // a call, perhaps with a callback
            let outcome = r.pick(CallOutcome.loggable)!
            let callback: Day? = r.chance(40) ? today.adding(days: r.int(0...10)) : nil
            j.record([.callLogged(c, outcome, note: "called", callback: callback)], by: collector)
        case 60..<65:  // a note, a callback, a statement or a letter sent by hand
            switch r.int(0...3) {
            case 0: j.record([.noteAdded(c, "note")], by: collector)
            case 1: j.record([.callbackScheduled(c, today.adding(days: r.int(0...10)), note: "call back")], by: collector)
            case 2: j.record([.documentSent(c, .statement(from: nil, to: today), file: "")], by: collector)
            default: j.record([.documentSent(c, .letter(level: 1), file: "")], by: collector)
            }
        case 65..<69:  // a payment reversed: returned unpaid, or entered in error
            let payments = book.payments(of: c).filter { book.reversals[$0.reference] == nil }
            guard let payment = r.pick(payments) else { return }
            let moved = DateOrder.afterReversal(of: payment.reference, on: today, in: book)  // as Desk plans it
            j.record([.paymentReversed(PaymentReversal(payment: payment.reference, customer: c, day: today, reason: "bounced",
                                                       cause: r.chance(75) ? .returned : .enteredInError))]
                     + (moved.isEmpty ? [] : [.paymentsReallocated(c, moved)]), by: "mgr")
        case 69..<75:  // a profile change by a manager
            let customer = book.customers[c]!
            let change: ProfileChange
            switch r.int(0...8) {
            case 0, 1: change = .creditLimit(r.chance(20) ? .zero : r.money(1_000_000...8_000_000))
            case 2: change = .grade(r.pick(RiskGrade.allCases)!)
            case 3: change = .collector(r.pick(collectors + ["zhao.lei"]).flatMap { $0 == "zhao.lei" ? nil : $0 })
            case 4: change = customer.status == .onHold ? .release : .hold
            case 5: change = .status(r.pick([.active, .active, .legal, .agency, .closed])!)
            case 6: change = .terms(r.pick([15, 30, 60])!)
            case 7: change = .nextReview(today.adding(days: 90))
            default: change = .contacts([ContactPerson(name: "王经理", phone: "138\(r.int(1000...9999))")])
            }
            j.record([.profileChanged(c, change, reason: "review")], by: "mgr")
        case 75..<80:  // a claim, a release, an account marked worked
            let who = r.pick(collectors)!
            switch r.int(0...2) {
            case 0: j.record([.claimed(c)], by: who)
            case 1: j.record([.released(c)], by: who)
            default: j.record([.markedWorked(c)], by: who)
            }
        case 80..<86:
            dunningRun(&j)
        case 86..<89:  // a collector's request for a manager
            let balance = Position(c, in: book, asOf: today).balance
            let kind: RequestKind = r.chance(50) || !balance.isPositive ? .creditLimit(r.money(1_000_000...9_000_000)) : .writeOff(r.part(of: balance))
            j.record([.requestFiled(Request(id: j.name("R"), customer: c, kind: kind, reason: "please", requestedBy: collector, day: today))],
                     by: collector)
        case 89..<93:
            decide(&j, &r)
        case 93..<95:  // a new customer
            guard book.customerCount < 6 else { return }
            let id = j.name("C")
            j.record([.customerAdded(Customer(id: id, name: "Customer \(id)", creditLimit: r.chance(50) ? .zero : r.money(1_000_000...5_000_000),
                                              grade: r.pick(RiskGrade.allCases + [.c]).flatMap { r.chance(70) ? $0 : nil },
                                              collector: r.chance(70) ? r.pick(collectors) : nil))], by: "admin")
        case 95..<96:  // a fee or interest waived
            guard let charge = r.pick(openCharges) else { return }
            j.record([.chargeWaived(id: charge.id, day: today, reason: "goodwill")], by: "mgr")
        case 96..<98:  // credit set against open invoices, all of it or a part, or an application taken back
            if r.chance(30), let applied = r.pick(book.creditApplications.values.filter { $0.customer == c && $0.withdrawn == nil }
                                                      .sorted { $0.id < $1.id }) {
                let moved = DateOrder.afterWithdrawal(of: applied.id, on: today, in: book)  // as Desk plans it
                j.record([.creditWithdrawn(id: applied.id, customer: c, day: today, reason: "wrong invoice")]
                         + (moved.isEmpty ? [] : [.paymentsReallocated(c, moved)]), by: "mgr")
                return
            }
            let left = book.creditsToApply(of: c, on: today).reduce(Money.zero) { $0 + $1.left }
            guard left.isPositive, let planned = try? CreditPlan.plan(c, from: nil, to: nil, amount: r.chance(50) ? nil : r.part(of: left),
                                                                       on: today, in: book, id: { _ in j.name("CA") }) else { return }
            j.record(planned.map { .creditApplied($0) }, by: "mgr")
        default:  // undo, the same day only (as `u` is: Desk refuses to undo an earlier day's action)
            guard let last = j.records.last, last.stamp.day == today else { return }
            switch last.event {
            case .promiseTaken, .planAgreed, .disputeOpened, .disputeResolved, .callLogged, .noteAdded, .callbackScheduled,
                 .claimed, .released, .markedWorked:
                j.record([.undone(sequence: last.stamp.sequence)], by: last.stamp.author)
            default: return
            }
        }
    }

    /// A dunning run as Desk writes it (Desk/Documents/DunningRun.swift), letters and all.
    private static func dunningRun(_ j: inout AsOfJournal) {
        let book = j.book, today = j.today
        guard let proposals = try? Dunning.propose(book: book, policy: policy, asOf: today), !proposals.isEmpty else { return }
        let runID = "RUN-\(today.iso)-\(j.nextSequence)"
        var events: [Event] = [.dunningRun(id: runID, day: today)]
        let waiting = Dictionary(grouping: book.requests.values.filter { $0.state == .pending && $0.kind.isDunningLevel }, by: \.customer)
        for proposal in proposals {
            let id = proposal.customer
            events.append(.dunningLevelSet(id, level: proposal.toLevel, runID: runID))
            guard let level = proposal.level else {
                for request in (waiting[id] ?? []).sorted(by: { $0.id < $1.id }) {
                    events.append(.requestDecided(id: request.id, approved: false, reason: "withdrawn: run resolved the level"))
                }
                continue
            }
            let holdWaits = waiting[id]?.contains { $0.kind == .creditHold } == true
            let handOffWaits = waiting[id]?.contains { if case .handOff = $0.kind { true } else { false } } == true
            switch level.channel {
            case .letter, .email:
                events.append(.documentSent(id, .letter(level: level.level), file: "outbox/\(today.iso)/\(id)-letter-\(level.level).md"))
                if proposal.fee.isPositive {
                    events.append(.chargePosted(Charge(id: "\(runID)-\(id)-FEE", customer: id, day: today, kind: .fee(level: level.level), amount: proposal.fee)))
                }
                if proposal.interest.isPositive {
                    events.append(.chargePosted(Charge(id: "\(runID)-\(id)-INT", customer: id, day: today, kind: .interest(through: today),
                                                       amount: proposal.interest)))
                }
            case .call, .visit:
                if let asked = Worklist.pendingCallback(of: id, in: book, asOf: today), asked.day > today { break }
                events.append(.callbackScheduled(id, today, note: "dunning level \(level.level)"))
            case .hold where book.customers[id]?.status == .onHold, .hold where holdWaits:
                break
            case .hold:
                events.append(.requestFiled(Request(id: "R\(runID)-\(id)", customer: id, kind: .creditHold, reason: "dunning level \(level.level)",
                                                    requestedBy: "mgr", day: today)))
            case .legal where handOffWaits, .agency where handOffWaits:
                break
            case .legal, .agency:
                events.append(.requestFiled(Request(id: "R\(runID)-\(id)", customer: id, kind: .handOff(level.channel == .legal ? .legal : .agency),
                                                    reason: "dunning level \(level.level)", requestedBy: "mgr", day: today)))
            }
        }
        j.record(events, by: "mgr")
    }

    /// A manager decides a waiting request, with what approving it changes (Desk's `decide`).
    private static func decide(_ j: inout AsOfJournal, _ r: inout StepRandom) {
        let book = j.book, today = j.today
        let pending = book.requestOrder.compactMap { book.requests[$0] }.filter { $0.state == .pending }
        guard let request = r.pick(pending) else { return }
        var approved = r.chance(60)
        if approved && request.kind.isDunningLevel && !Position(request.customer, in: book, asOf: today).toCollect.isPositive { approved = false }
        var events: [Event] = [.requestDecided(id: request.id, approved: approved, reason: approved ? "ok" : "no")]
        if approved {
            let customer = book.customers[request.customer]!
            switch request.kind {
            case .creditLimit(let limit) where limit != customer.creditLimit:
                events.append(.profileChanged(request.customer, .creditLimit(limit), reason: "request \(request.id)"))
            case .writeOff(let amount):
                var left = amount
                var allocations: [Allocation] = []
                for invoice in book.invoices(of: request.customer) where left.isPositive {
                    let take = min(left, invoice.room(on: today))
                    guard take.isPositive else { continue }
                    allocations.append(Allocation(invoice: invoice.number, amount: take))
                    left -= take
                }
                if !allocations.isEmpty {
                    events.append(.writtenOff(WriteOff(id: j.name("WO"), customer: request.customer, day: today, allocations: allocations,
                                                       reason: request.reason, approvedBy: "mgr")))
                }
            case .creditHold where customer.status != .onHold:
                events.append(.profileChanged(request.customer, .hold, reason: "request \(request.id)"))
            case .handOff(let status) where customer.status != status:
                events.append(.profileChanged(request.customer, .status(status), reason: "request \(request.id)"))
            default: break
            }
        }
        j.record(events, by: "mgr")
    }

    // MARK: - Cutting and comparing

    static let steps = Gen.int(in: 0...Int(Int32.max)).array(of: 5...70)
    static let cuts = Gen.int(in: 0...1000)

    /// Builds the book of `steps`, cuts it at a day `cut` thousandths of the way through (a day
    /// before the first record to some after the last), and hands both views' books to `compare`.
    static func check(_ steps: [Int], _ cut: Int, sourceLocation: SourceLocation = #_sourceLocation,
                      _ compare: (_ full: Book, _ cut: Book, _ day: Day, inout AsOfDiff) -> Void) {
        let j = journal(steps)
        // Half the time a day something was recorded on (claims, work marked and "today"'s
        // reasons hinge on the very day), else any day from before the first record to after the last.
        let span = j.today.days(since: start) + 12
        let d = cut % 2 == 0 ? j.records[(cut / 2) % j.records.count].stamp.day : start.adding(days: -1 + span * cut / 1000)
        let full: Book, upToD: Book
        do {
            full = try AsOfJournal.replay(j.records)
            upToD = try AsOfJournal.replay(j.records.prefix { $0.stamp.day <= d })
        } catch {
            Issue.record("replay refused a record: \(error)", sourceLocation: sourceLocation)
            return
        }
        var diff = AsOfDiff()
        compare(full, upToD, d, &diff)
        guard !diff.found.isEmpty else { return }
        let shown = j.records.map { "  #\($0.stamp.sequence) \($0.stamp.day.iso) \($0.stamp.author): \($0.event)" }
        Issue.record("""
            as of \(d.iso) (\(j.records.filter { $0.stamp.day <= d }.count) of \(j.records.count) records), the whole book and the book cut there differ:
            \(diff.found.prefix(6).joined(separator: "\n"))
            records:
            \(shown.suffix(80).joined(separator: "\n"))
            """, sourceLocation: sourceLocation)
    }

    // MARK: - The properties

    /// `compare` finds no difference between the whole book and the book cut, over random books.
    static func holds(_ compare: @escaping @Sendable (_ full: Book, _ cut: Book, _ day: Day, inout AsOfDiff) -> Void) async {
        await propertyCheck(count: 120, input: Self.steps, Self.cuts) { steps, cut in
            Self.check(steps, cut, compare)
        }
    }

    /// Documents: open items, positions, aging on both bases, credit, disputes, charges and
    /// interest, KPIs and the provision.
    @Test func documentViewsAsOfAPastDay() async {
        await Self.holds(Self.compareDocuments)
    }

    /// Customers' profiles, their presence, ABC classes, hold checks, dunning levels and requests.
    @Test func profileViewsAsOfAPastDay() async {
        await Self.holds(Self.compareProfiles)
    }

    /// Promises judged, callbacks, the contact history, claims and accounts worked.
    @Test func promiseAndContactViewsAsOfAPastDay() async {
        await Self.holds(Self.comparePromisesAndContacts)
    }

    /// The call queue, for a manager, for each collector and by collector, and the standings.
    @Test func queueAsOfAPastDay() async {
        await Self.holds(Self.compareQueues)
    }

    /// Risk signals, collector figures and a dunning run's preview.
    @Test func riskCollectorAndDunningViewsAsOfAPastDay() async {
        await Self.holds(Self.compareRiskCollectorsAndDunning)
    }

    /// Whole-book figures computed in one pass for many customers or days are those computed one
    /// at a time: a trend's points are each day's KPIs, its receivables the aging's, and the
    /// book's risk signals each customer's, their days late those of a plain loop.
    @Test func wholeBookFiguresAreThoseOfOneDayAndOneCustomer() async {
        await Self.holds { full, _, d, diff in
            let trend = PortfolioKPIs.trend(book: full, policy: Self.policy, asOf: d, months: 3)
            diff.same("trend days", trend.map(\.asOf), [d.firstOfMonth.adding(days: -1).firstOfMonth.adding(days: -1), d.firstOfMonth.adding(days: -1), d])
            for point in trend {
                diff.same("trend point \(point.asOf.iso)", point, PortfolioKPIs(book: full, policy: Self.policy, asOf: point.asOf))
                let aging = AgingReport(book: full, policy: Self.policy, asOf: point.asOf)
                diff.same("receivables \(point.asOf.iso)", "\(point.receivables) \(point.current) \(point.credit)",
                          "\(aging.total) \(aging.totals[0]) \(aging.creditTotal)")
            }
            let signals = RiskSignals.byCustomer(in: full, asOf: d)
            for id in full.customerOrder {
                let customer = full.customer(id, asOf: d)!
                diff.same("risk signals of \(id)", signals[id] ?? [], customer.status == .closed ? [] : RiskSignals.of(customer, in: full, asOf: d))
                for (from, to) in [(d.adding(days: -89), d), (d.adding(days: -179), d.adding(days: -90))] {
                    var total = 0, count = 0
                    for invoice in full.invoices(of: id) {
                        guard let settled = invoice.settledOn(asOf: to), settled >= from, settled <= to,
                              RiskSignals.completedByPayment(invoice, asOf: to) else { continue }
                        total += max(0, settled.days(since: invoice.due))
                        count += 1
                    }
                    diff.same("days late of \(id) to \(to.iso)", RiskSignals.averageDaysLate(id, in: full, from: from, to: to), count > 0 ? Int(Rounding.divide(Int64(total), by: Int64(count))) : nil)
                }
            }
        }
    }

    /// The generator does make rich books (a guard against a change that quietly empties it).
    @Test func randomBooksHaveEveryKindOfRecord() {
        var kinds: Set<String> = []
        for seed in 0..<40 {
            var r = StepRandom(seed * 7919)
            let j = Self.journal((0..<70).map { _ in r.int(0...Int(Int32.max)) })
            for (event, _) in j.records { kinds.insert(String("\(event)".prefix { $0 != "(" })) }
        }
        let expected = ["customerAdded", "profileChanged", "invoiceIssued", "creditNoteIssued", "paymentReceived", "paymentReversed",
                        "writtenOff", "disputeOpened", "disputeResolved", "promiseTaken", "planAgreed", "callLogged", "noteAdded",
                        "callbackScheduled", "documentSent", "claimed", "released", "markedWorked", "undone", "dunningRun",
                        "dunningLevelSet", "requestFiled", "requestDecided", "chargePosted", "chargeWaived", "creditApplied", "creditWithdrawn", "writeOffReinstated"]
        #expect(Set(expected).subtracting(kinds).isEmpty, "never generated: \(Set(expected).subtracting(kinds).sorted())")
    }
}

/// The differences found between the two books' views.
struct AsOfDiff {
    var found: [String] = []
    mutating func same<T: Equatable>(_ what: @autoclosure () -> String, _ full: T, _ cut: T) {
        if full != cut { found.append("\(what()):\n    whole book: \(full)\n    cut book:   \(cut)") }
    }
}

extension AsOfHistoryTests {
    static func compareDocuments(_ full: Book, _ cut: Book, _ d: Day, _ diff: inout AsOfDiff) {
        for invoice in cut.invoices.all {
            guard let whole = full.invoices[invoice.number] else { diff.found.append("invoice \(invoice.number) missing"); continue }
            diff.same("open \(invoice.number)", whole.open(asOf: d), invoice.open(asOf: d))
            diff.same("settled \(invoice.number)", whole.settled(asOf: d), invoice.settled(asOf: d))
            diff.same("settledOn \(invoice.number)", whole.settledOn(asOf: d), invoice.settledOn(asOf: d))
            diff.same("open instalments \(invoice.number)", whole.openInstalments(asOf: d).map(\.open), invoice.openInstalments(asOf: d).map(\.open))
            diff.same("disputed \(invoice.number)", full.isDisputed(invoice: invoice.number, asOf: d), cut.isDisputed(invoice: invoice.number, asOf: d))
        }
        for invoice in full.invoices.all where cut.invoices[invoice.number] == nil {
            diff.same("open of \(invoice.number), issued after the day", invoice.open(asOf: d), .zero)
        }
        for charge in cut.charges {
            diff.same("charge \(charge.id) open", full.charge(charge.id)?.open(asOf: d), charge.open(asOf: d))
        }
        for id in cut.customerOrder {
            diff.same("Position \(id)", Position(id, in: full, asOf: d), Position(id, in: cut, asOf: d))
            diff.same("OpenItems \(id)", OpenItems.of(id, in: full, asOf: d), OpenItems.of(id, in: cut, asOf: d))
            for basis in AgingBasis.allCases {
                let a = AgingReport.columns(of: id, book: full, policy: policy, asOf: d, basis: basis)
                let b = AgingReport.columns(of: id, book: cut, policy: policy, asOf: d, basis: basis)
                diff.same("aging columns \(id) \(basis)", a.map(\.amount), b.map(\.amount))
            }
            // The disputes open on the day are those of the day, but each is the dispute as it stands
            // now (its status and resolution day, which the ledger panel does not show): compared
            // by what was known of it on the day.
            let openOn = { (book: Book) in book.disputes(of: id, openOn: d).map { "\($0.id) \($0.invoice) \(String(describing: $0.amount)) \($0.opened) \($0.owner)" } }
            diff.same("disputes open \(id)", openOn(full), openOn(cut))
            for payment in cut.payments(of: id) {
                diff.same("reversal of \(payment.reference)", full.reversal(of: payment.reference, asOf: d), cut.reversal(of: payment.reference, asOf: d))
            }
            diff.same("open charges \(id)", OpenCharges.of(id, in: full, asOf: d).map { "\($0.charge.id) \($0.open)" },
                      OpenCharges.of(id, in: cut, asOf: d).map { "\($0.charge.id) \($0.open)" })
            diff.same("interest billed through \(id)", OpenCharges.interestBilledThrough(id, in: full, asOf: d),
                      OpenCharges.interestBilledThrough(id, in: cut, asOf: d))
            diff.same("unbilled interest \(id)", Interest.unbilled(id, in: full, asOf: d, terms: policy.interest),
                      Interest.unbilled(id, in: cut, asOf: d, terms: policy.interest))
            diff.same("average monthly sales \(id)", Scorecard.averageMonthlySales(id, in: full, asOf: d),
                      Scorecard.averageMonthlySales(id, in: cut, asOf: d))
        }
        for basis in AgingBasis.allCases {
            let a = AgingReport(book: full, policy: policy, asOf: d, basis: basis), b = AgingReport(book: cut, policy: policy, asOf: d, basis: basis)
            diff.same("aging \(basis) totals", a.totals, b.totals)
            diff.same("aging \(basis) rows", a.rows.map { "\($0.customer) \($0.total) \($0.buckets)" }, b.rows.map { "\($0.customer) \($0.total) \($0.buckets)" })
            diff.same("aging \(basis) open items", a.openItems, b.openItems)
            diff.same("aging \(basis) credits", a.credits.map { "\($0.customer) \($0.amount)" }, b.credits.map { "\($0.customer) \($0.amount)" })
            let provision: (AgingReport) -> Provision = basis == .due ? { Provision.collections($0, policy: policy) } : { Provision.accounting($0, policy: policy) }
            diff.same("provision \(basis)", provision(a), provision(b))
        }
        diff.same("KPIs", PortfolioKPIs(book: full, policy: policy, asOf: d), PortfolioKPIs(book: cut, policy: policy, asOf: d))
        diff.same("KPI trend", PortfolioKPIs.trend(book: full, policy: policy, asOf: d, months: 3),
                  PortfolioKPIs.trend(book: cut, policy: policy, asOf: d, months: 3))
    }

    static func compareProfiles(_ full: Book, _ cut: Book, _ d: Day, _ diff: inout AsOfDiff) {
        for id in cut.customerOrder {
            let a = full.customer(id, asOf: d), b = cut.customer(id, asOf: d)
            diff.same("customer \(id)", a, b)
            diff.same("hasCustomer \(id)", full.hasCustomer(id, on: d), cut.hasCustomer(id, on: d))
            let levelA = full.dunningLevelSet(of: id, asOf: d), levelB = cut.dunningLevelSet(of: id, asOf: d)
            diff.same("dunning level \(id)", "\(levelA.level) \(String(describing: levelA.on))", "\(levelB.level) \(String(describing: levelB.on))")
            if let a, let b {
                diff.same("hold check \(id)", Credit.holdCheck(a, position: Position(id, in: full, asOf: d), policy: policy),
                          Credit.holdCheck(b, position: Position(id, in: cut, asOf: d), policy: policy))
            }
        }
        for id in full.customerOrder where !cut.customerOrder.contains(id) {
            diff.same("hasCustomer \(id), added after the day", full.hasCustomer(id, on: d), false)
        }
        diff.same("customerCount", full.customerCount(on: d), cut.customerCount(on: d))
        let present = Set(cut.customerOrder)
        diff.same("ABC classes", ABCClass.classify(full, asOf: d).filter { present.contains($0.key) }, ABCClass.classify(cut, asOf: d))
        for id in cut.requestOrder {
            diff.same("request \(id) pending", full.requests[id].map { full.isPending($0, asOf: d) }, cut.requests[id].map { cut.isPending($0, asOf: d) })
        }
        for id in full.requestOrder where cut.requests[id] == nil {
            diff.same("request \(id), filed after the day, pending", full.isPending(full.requests[id]!, asOf: d), false)
        }
    }

    static func comparePromisesAndContacts(_ full: Book, _ cut: Book, _ d: Day, _ diff: inout AsOfDiff) {
        for (place, id) in cut.customerOrder.enumerated() {
            let a = Promises.judge(id, in: full, asOf: d), b = Promises.judge(id, in: cut, asOf: d)
            diff.same("promises \(id)", a, b)
            let rateA = Promises.keptRate(a, asOf: d), rateB = Promises.keptRate(b, asOf: d)
            diff.same("kept rate \(id)", [rateA.count, rateA.amount], [rateB.count, rateB.amount])
            let standA = Promises.standing(id, in: full, on: d), standB = Promises.standing(id, in: cut, on: d)
            diff.same("standing earlier \(id)", standA.earlier, standB.earlier)
            diff.same("standing same day \(id)", standA.sameDay.map { "\($0.promise.id) \($0.left)" }, standB.sameDay.map { "\($0.promise.id) \($0.left)" })
            let callbackA = Worklist.pendingCallback(of: id, in: full, asOf: d), callbackB = Worklist.pendingCallback(of: id, in: cut, asOf: d)
            diff.same("pending callback \(id)", callbackA.map { "\($0.day) \($0.note)" }, callbackB.map { "\($0.day) \($0.note)" })
            let contactA = ContactHistory(place: place, book: full, asOf: d), contactB = ContactHistory(place: place, book: cut, asOf: d)
            diff.same("contact \(id)", "\(contactA.lastReached) \(contactA.lastCall) \(String(describing: contactA.unansweredReversal)) \(contactA.workedToday)",
                      "\(contactB.lastReached) \(contactB.lastCall) \(String(describing: contactB.unansweredReversal)) \(contactB.workedToday)")
            diff.same("worked \(id)", full.wasWorked(id, on: d), cut.wasWorked(id, on: d))
            diff.same("claim holder \(id)", full.claimHolder(of: id, on: d), cut.claimHolder(of: id, on: d))
        }
        diff.same("claims", full.claims(on: d), cut.claims(on: d))
    }

    static func compareQueues(_ full: Book, _ cut: Book, _ d: Day, _ diff: inout AsOfDiff) {
        diff.same("queue", Worklist.build(book: full, policy: policy, asOf: d), Worklist.build(book: cut, policy: policy, asOf: d))
        for viewer in collectors {
            diff.same("\(viewer)'s queue", Worklist.build(book: full, policy: policy, asOf: d, viewer: viewer),
                      Worklist.build(book: cut, policy: policy, asOf: d, viewer: viewer))
        }
        for collector in collectors + [""] {
            diff.same("queue of collector '\(collector)'", Worklist.build(book: full, policy: policy, asOf: d, collector: collector),
                      Worklist.build(book: cut, policy: policy, asOf: d, collector: collector))
        }
        let places = Array(cut.customerOrder.indices)
        let a = Worklist.standings(book: full, policy: policy, asOf: d, viewer: collectors[0], places: places) { customer, position, judged in
            "\(copy customer) \(position) \(judged)"
        }
        let b = Worklist.standings(book: cut, policy: policy, asOf: d, viewer: collectors[0], places: places) { customer, position, judged in
            "\(copy customer) \(position) \(judged)"
        }
        diff.same("standings", a.summaries, b.summaries)
        diff.same("standings queue", a.queue, b.queue)
        for id in cut.customerOrder {
            for viewer in collectors {
                diff.same("\(id) listed for \(viewer)", Worklist.isListed(id, in: full, viewer: viewer, asOf: d),
                          Worklist.isListed(id, in: cut, viewer: viewer, asOf: d))
            }
        }
    }

    static func compareRiskCollectorsAndDunning(_ full: Book, _ cut: Book, _ d: Day, _ diff: inout AsOfDiff) {
        for id in cut.customerOrder {
            if let a = full.customer(id, asOf: d), let b = cut.customer(id, asOf: d) {
                diff.same("risk signals \(id)", RiskSignals.of(a, in: full, asOf: d), RiskSignals.of(b, in: cut, asOf: d))
            }
        }
        compareCollectorFigures(full, cut, d, &diff)
        for id in cut.customerOrder {
            let a = Dunning.LevelStanding(id, in: full, asOf: d), b = Dunning.LevelStanding(id, in: cut, asOf: d)
            diff.same("level standing \(id)", "\(a.level) \(String(describing: a.since)) \(a.approvalMissing)",
                      "\(b.level) \(String(describing: b.since)) \(b.approvalMissing)")
            diff.same("dunning proposal \(id)",
                      Dunning.proposal(for: id, position: Position(id, in: full, asOf: d), book: full, policy: policy, asOf: d),
                      Dunning.proposal(for: id, position: Position(id, in: cut, asOf: d), book: cut, policy: policy, asOf: d))
        }
        diff.same("dunning preview", try? Dunning.propose(book: full, policy: policy, asOf: d, lookingBack: true),
                  try? Dunning.propose(book: cut, policy: policy, asOf: d, lookingBack: true))
    }

    static func compareCollectorFigures(_ full: Book, _ cut: Book, _ d: Day, _ diff: inout AsOfDiff) {
        diff.same("collector figures", CollectorFigures.compute(book: full, from: d.adding(days: -29), to: d),
                  CollectorFigures.compute(book: cut, from: d.adding(days: -29), to: d))
        diff.same("collector figures with the queue", CollectorFigures.compute(book: full, from: d.adding(days: -29), to: d, policy: policy, queueDay: d),
                  CollectorFigures.compute(book: cut, from: d.adding(days: -29), to: d, policy: policy, queueDay: d))
    }
}

/// The smallest books for what the properties found wrong once: each compares a view of a past
/// day with the same view of the book as it stood that day.
@Suite struct AsOfHistoryBugTests {
    /// Li Na's customer A is there from January; B, Wang Fang's, only from February: the figures
    /// for January count no customer for Wang Fang.
    @Test
    func collectorFiguresLeaveOutCustomersAddedAfterThePeriod() throws {
        var b = BookBuilder()
        try b.customer("A", collector: "li.na")
        let january = b.book
        try b.apply(.customerAdded(Customer(id: "B", name: "B", collector: "wang.fang")), on: "2026-02-01")
        let from = day("2026-01-01"), to = day("2026-01-31")
        #expect(CollectorFigures.compute(book: b.book, from: from, to: to) == CollectorFigures.compute(book: january, from: from, to: to))
        #expect(CollectorFigures.compute(book: b.book, from: from, to: to).map(\.collector) == ["li.na"])
    }

    /// A run sets level 4 (credit hold) on 4 May and asks a manager to approve the hold, who does
    /// on 10 May: as of 5 May the level still waits for approval ("level held"), and a look back
    /// proposes no next level (the request filed by the day, and its decision only if made by then).
    @Test
    func aHoldApprovedLaterStillWaitedForApprovalBefore() throws {
        var b = BookBuilder()
        try b.customer("A")
        try b.invoice("I1", "A", issued: "2026-01-01", due: "2026-01-31", "5000")
        try b.apply(.dunningRun(id: "RUN", day: day("2026-05-04")), on: "2026-05-04")
        try b.apply(.dunningLevelSet("A", level: 4, runID: "RUN"), on: "2026-05-04")
        try b.apply(.requestFiled(Request(id: "H", customer: "A", kind: .creditHold, reason: "dunning level 4", requestedBy: "mgr",
                                          day: day("2026-05-04"))), on: "2026-05-04")
        let fifthOfMay = b.book
        try b.apply(.requestDecided(id: "H", approved: true, reason: "ok"), on: "2026-05-10")
        let d = day("2026-05-05")
        #expect(Dunning.LevelStanding("A", in: b.book, asOf: d).approvalMissing)
        #expect(Worklist.build(book: b.book, policy: .standard, asOf: d) == Worklist.build(book: fifthOfMay, policy: .standard, asOf: d))
        #expect(try Dunning.propose(book: b.book, policy: .standard, asOf: d, lookingBack: true)
                == Dunning.propose(book: fifthOfMay, policy: .standard, asOf: d, lookingBack: true))
    }

    /// A, queued on 10 February for its overdue invoice, was Li Na's then and is handed to Wang
    /// Fang on 20 February: the figures with the queue of 10 February count it for Li Na.
    @Test
    func queuedCustomersCountForTheirCollectorOfTheQueueDay() throws {
        var b = BookBuilder()
        try b.customer("A", collector: "li.na")
        try b.invoice("I1", "A", issued: "2026-01-01", due: "2026-01-31", "5000")
        let tenthOfFebruary = b.book
        try b.apply(.profileChanged("A", .collector("wang.fang"), reason: "hand-over"), on: "2026-02-20")
        let (from, to) = (day("2026-01-12"), day("2026-02-10"))
        let figures = CollectorFigures.compute(book: b.book, from: from, to: to, policy: .standard, queueDay: to)
        #expect(figures == CollectorFigures.compute(book: tenthOfFebruary, from: from, to: to, policy: .standard, queueDay: to))
        #expect(figures.first { $0.collector == "li.na" }?.queued == 1)
    }

    /// Li Na claims A on 2 March: whatever is recorded of the claim the next day (claimed again,
    /// released, A handed to Wang Fang), she held it on 2 March.
    @Test
    func aClaimOfAPastDayStandsWhateverCameAfter() throws {
        let d = day("2026-03-02")
        for later: (Event, String) in [(.claimed("A"), "li.na"), (.released("A"), "li.na"),
                                       (.profileChanged("A", .collector("wang.fang"), reason: "hand-over"), "mgr")] {
            var b = BookBuilder()
            try b.customer("A", collector: "li.na")
            try b.invoice("I1", "A", issued: "2026-01-01", due: "2026-01-31", "5000")
            try b.apply(.claimed("A"), on: "2026-03-02", by: "li.na")
            let secondOfMarch = b.book
            try b.apply(later.0, on: "2026-03-03", by: later.1)
            #expect(b.book.claimHolder(of: "A", on: d) == "li.na", "after \(later.0)")
            #expect(Worklist.build(book: b.book, policy: .standard, asOf: d) == Worklist.build(book: secondOfMarch, policy: .standard, asOf: d),
                    "after \(later.0)")
        }
    }
}
