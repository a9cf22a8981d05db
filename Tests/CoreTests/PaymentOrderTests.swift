@testable import Core
import PropertyBased
import Testing

/// Payments allocated by the rule and recorded out of the order of their days: a view of a past
/// day never depends on a payment dated after it.
@Suite struct PaymentOrderTests {
    /// L-A (due 31 January) and L-B (due 28 February), 1,000 each; LATE (20 February) recorded
    /// first took L-A, the oldest due then.
    func bookWithTheLaterPaymentFirst() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("L1")
        try b.invoice("L-A", "L1", issued: "2026-01-01", due: "2026-01-31", "1000")
        try b.invoice("L-B", "L1", issued: "2026-01-29", due: "2026-02-28", "1000")
        try b.apply(.paymentReceived(Payment(reference: "LATE", customer: "L1", day: day("2026-02-20"), amount: money("1000"),
                                             allocations: AllocationPlan.oldestDueFirst(money("1000"), of: "L1", in: b.book, on: day("2026-02-20")),
                                             byRule: true)), on: "2026-03-01")
        return b
    }

    /// EARLY (1 February), recorded after LATE, as Desk records it: the reallocation, then the payment.
    func recordEarly(_ b: inout BookBuilder) throws {
        let plan = try DateOrder.plan(money("1000"), of: "L1", to: nil, in: b.book, on: day("2026-02-01"))
        #expect(plan.allocations == [Allocation(invoice: "L-A", amount: money("1000"))])
        #expect(plan.reallocated == [PaymentAllocations(payment: "LATE", allocations: [Allocation(invoice: "L-B", amount: money("1000"))])])
        try b.apply(.paymentsReallocated("L1", plan.reallocated), on: "2026-03-01")
        try b.apply(.paymentReceived(Payment(reference: "EARLY", customer: "L1", day: day("2026-02-01"), amount: money("1000"),
                                             allocations: plan.allocations, byRule: true)), on: "2026-03-01")
    }

    @Test func anEarlierPaymentRecordedLaterTakesTheOldestInvoiceAsOfItsDay() throws {
        var b = try bookWithTheLaterPaymentFirst()
        try recordEarly(&b)
        let tenth = AgingReport(book: b.book, policy: .standard, asOf: day("2026-02-10"))
        #expect(tenth.total == money("1000"))
        #expect(tenth.totals[0] == money("1000"), "L-B, not yet due, is what is open on 10 February")
        #expect(b.book.invoices["L-A"]!.settledOn(asOf: day("2026-02-10")) == day("2026-02-01"))
        #expect(b.book.payments["LATE"]!.allocations == [Allocation(invoice: "L-B", amount: money("1000"))])
        #expect(AgingReport(book: b.book, policy: .standard, asOf: day("2026-02-20")).total == .zero)
        // The same as recording them in the order of their days.
        var inOrder = BookBuilder()
        try inOrder.customer("L1")
        try inOrder.invoice("L-A", "L1", issued: "2026-01-01", due: "2026-01-31", "1000")
        try inOrder.invoice("L-B", "L1", issued: "2026-01-29", due: "2026-02-28", "1000")
        try inOrder.pay("EARLY", "L1", on: "2026-02-01", "1000", to: "L-A")
        try inOrder.pay("LATE", "L1", on: "2026-02-20", "1000", to: "L-B")
        for iso in ["2026-01-31", "2026-02-01", "2026-02-10", "2026-02-19", "2026-02-20", "2026-03-01"] {
            for id in ["L-A", "L-B"] {
                #expect(b.book.invoices[id]!.open(asOf: day(iso)) == inOrder.book.invoices[id]!.open(asOf: day(iso)), "\(id) on \(iso)")
            }
        }
        // A snapshot keeps which payments the rule allocated, and what was moved.
        let restored = try Book(snapshotBytes: b.book.snapshotBytes())
        #expect(restored.payments["LATE"]! == b.book.payments["LATE"]!)
        #expect(restored.payments["LATE"]!.byRule)
    }

    /// A customer disputing its oldest invoice and paying without a remittance pays the others:
    /// the disputed invoice is reached last, as of the payment's day (a dispute opened after it,
    /// or resolved by then, does not count), also when a back-dated payment moves a later one.
    @Test func aDisputedInvoiceIsReachedLast() throws {
        var b = BookBuilder()
        try b.customer("D1")
        try b.invoice("J1", "D1", issued: "2026-01-01", due: "2026-01-31", "1000")
        try b.invoice("J2", "D1", issued: "2026-01-05", due: "2026-02-04", "500")
        try b.apply(.disputeOpened(Dispute(id: "DS1", customer: "D1", invoice: "J1", amount: nil, reason: "damaged", opened: day("2026-02-10"), owner: "x")),
                    on: "2026-02-10")
        let plan = { (amount: String, iso: String) in try DateOrder.plan(money(amount), of: "D1", to: nil, in: b.book, on: day(iso)) }
        #expect(try plan("500", "2026-03-20").allocations == [Allocation(invoice: "J2", amount: money("500"))])
        #expect(try plan("700", "2026-03-20").allocations == [Allocation(invoice: "J2", amount: money("500")), Allocation(invoice: "J1", amount: money("200"))])
        #expect(try plan("500", "2026-02-09").allocations == [Allocation(invoice: "J1", amount: money("500"))])  // before the dispute
        // LATE (20 March) took J2; EARLY (15 February, recorded after) takes J2 as of its day, LATE moves to J1.
        try b.apply(.paymentReceived(Payment(reference: "LATE", customer: "D1", day: day("2026-03-20"), amount: money("500"),
                                             allocations: try plan("500", "2026-03-20").allocations, byRule: true)), on: "2026-03-20")
        let early = try plan("500", "2026-02-15")
        #expect(early.allocations == [Allocation(invoice: "J2", amount: money("500"))])
        #expect(early.reallocated == [PaymentAllocations(payment: "LATE", allocations: [Allocation(invoice: "J1", amount: money("500"))])])
    }

    /// A credit note dated before a payment the rule allocated to its invoice: the payment gives
    /// up what the note needs and takes the next invoice, as in date order.
    @Test func aCreditNoteDatedBeforeALaterPaymentTakesItsInvoice() throws {
        var b = BookBuilder()
        try b.customer("Y1")
        try b.invoice("A1", "Y1", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("A2", "Y1", issued: "2026-01-05", due: "2026-02-04", "100")
        try b.apply(.paymentReceived(Payment(reference: "P1", customer: "Y1", day: day("2026-03-10"), amount: money("100"),
                                             allocations: [Allocation(invoice: "A1", amount: money("100"))], byRule: true)), on: "2026-03-10")
        let moved = DateOrder.forCreditNote(money("20"), of: "Y1", against: "A1", in: b.book, on: day("2026-02-15"))
        #expect(moved == [PaymentAllocations(payment: "P1", allocations: [Allocation(invoice: "A1", amount: money("80")),
                                                                          Allocation(invoice: "A2", amount: money("20"))])])
        try b.apply(.paymentsReallocated("Y1", moved), on: "2026-03-11")
        try b.apply(.creditNoteIssued(CreditNote(number: "CN9", customer: "Y1", day: day("2026-02-15"), amount: money("20"), invoice: "A1")),
                    on: "2026-03-11")
        #expect(b.book.invoices["A1"]?.open(asOf: day("2026-03-10")) == .zero && b.book.invoices["A2"]?.open(asOf: day("2026-03-10")) == money("80"))
        // One that fits as it is, or that nothing could make fit, moves nothing.
        #expect(DateOrder.forCreditNote(money("10"), of: "Y1", against: "A2", in: b.book, on: day("2026-02-15")).isEmpty)
        #expect(DateOrder.forCreditNote(money("500"), of: "Y1", against: "A1", in: b.book, on: day("2026-02-15")).isEmpty)
    }

    @Test func aPaymentForANamedInvoiceIsNotMoved() throws {
        var b = BookBuilder()
        try b.customer("L1")
        try b.invoice("L-A", "L1", issued: "2026-01-01", due: "2026-01-31", "1000")
        try b.invoice("L-B", "L1", issued: "2026-01-29", due: "2026-02-28", "1000")
        try b.pay("LATE", "L1", on: "2026-02-20", "1000", to: "L-A")  // the remittance named L-A
        let plan = try DateOrder.plan(money("1000"), of: "L1", to: nil, in: b.book, on: day("2026-02-01"))
        #expect(plan.reallocated.isEmpty)
        #expect(plan.allocations == [Allocation(invoice: "L-B", amount: money("1000"))])
        #expect(throws: BookError.self) {
            try b.apply(.paymentsReallocated("L1", [PaymentAllocations(payment: "LATE", allocations: [Allocation(invoice: "L-B", amount: money("1000"))])]))
        }
    }

    @Test func aReversedPaymentIsNotMoved() throws {
        var b = try bookWithTheLaterPaymentFirst()
        try b.apply(.paymentReversed(PaymentReversal(payment: "LATE", customer: "L1", day: day("2026-02-25"), reason: "returned")), on: "2026-03-01")
        let plan = try DateOrder.plan(money("1000"), of: "L1", to: nil, in: b.book, on: day("2026-02-01"))
        #expect(plan.reallocated.isEmpty)
    }

    @Test func aReallocationTheBookRefusesChangesNothing() throws {
        var b = try bookWithTheLaterPaymentFirst()
        try b.invoice("L-C", "L1", issued: "2026-01-15", due: "2026-02-14", "500")
        let before = b.book
        // More than L-C is open for: refused once LATE's own allocation was taken off.
        #expect(throws: BookError.self) {
            try b.apply(.paymentsReallocated("L1", [PaymentAllocations(payment: "LATE", allocations: [Allocation(invoice: "L-C", amount: money("1000"))])]))
        }
        for id in ["L-A", "L-B", "L-C"] { #expect(b.book.invoices[id]! == before.invoices[id]!) }
        #expect(b.book.payments["LATE"]! == before.payments["LATE"]!)
        #expect(Position("L1", in: b.book, asOf: day("2026-03-01")) == Position("L1", in: before, asOf: day("2026-03-01")))
    }

    @Test func creditAndOpenItemsFollowTheMove() throws {
        // LATE of 1,500 took L-A whole and left 500 as credit (L-B was not in the book yet); EARLY of
        // 600 takes 600 of L-A as of 5 February, so LATE, planned again as if recorded after it,
        // takes the other 400 of L-A and all of L-B (issued by its day): 100 is left as credit.
        var b = BookBuilder()
        try b.customer("L1")
        try b.invoice("L-A", "L1", issued: "2026-01-01", due: "2026-01-31", "1000")
        try b.apply(.paymentReceived(Payment(reference: "LATE", customer: "L1", day: day("2026-02-20"), amount: money("1500"),
                                             allocations: [Allocation(invoice: "L-A", amount: money("1000"))], byRule: true)), on: "2026-02-20")
        try b.invoice("L-B", "L1", issued: "2026-02-10", due: "2026-03-10", "1000")
        let plan = try DateOrder.plan(money("600"), of: "L1", to: nil, in: b.book, on: day("2026-02-05"))
        #expect(plan.allocations == [Allocation(invoice: "L-A", amount: money("600"))])
        #expect(plan.reallocated == [PaymentAllocations(payment: "LATE", allocations: [Allocation(invoice: "L-A", amount: money("400")),
                                                                                          Allocation(invoice: "L-B", amount: money("1000"))])])
        try b.apply(.paymentsReallocated("L1", plan.reallocated), on: "2026-03-01")
        try b.apply(.paymentReceived(Payment(reference: "EARLY", customer: "L1", day: day("2026-02-05"), amount: money("600"),
                                             allocations: plan.allocations, byRule: true)), on: "2026-03-01")
        let now = Position("L1", in: b.book, asOf: day("2026-03-01"))
        #expect(now.balance == .zero)
        #expect(now.credit == money("100"))
        #expect(b.book.invoices["L-A"]!.settledOn == day("2026-02-20"))
        #expect(Position("L1", in: b.book, asOf: day("2026-02-06")).balance == money("400"))
        #expect(OpenItems.of("L1", in: b.book, asOf: day("2026-03-01")).isEmpty)
        #expect(OpenItems.of("L1", in: b.book, asOf: day("2026-02-19")).map(\.invoice) == ["L-A", "L-B"])
    }

    /// A fee LATE paid goes to EARLY, dated before it, with the invoice: as of EARLY's day the
    /// fee is paid and nothing is left as credit; LATE, with nothing left to pay then, is a credit.
    @Test func feesAndInterestArePlannedAgainToo() throws {
        var b = BookBuilder()
        try b.customer("C")
        try b.invoice("I1", "C", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("I2", "C", issued: "2026-03-15", due: "2026-04-14", "200")
        try b.apply(.chargePosted(Charge(id: "F1", customer: "C", day: day("2026-03-05"), kind: .fee(level: 1), amount: money("10"))), on: "2026-03-05")
        try b.apply(.paymentReceived(Payment(reference: "LATE", customer: "C", day: day("2026-03-10"), amount: money("110"),
                                             allocations: [Allocation(invoice: "I1", amount: money("100"))],
                                             charges: [ChargePayment(charge: "F1", amount: money("10"))], byRule: true)), on: "2026-03-31")
        let plan = try DateOrder.plan(money("110"), of: "C", to: nil, in: b.book, on: day("2026-03-06"))
        #expect(plan.allocations == [Allocation(invoice: "I1", amount: money("100"))])
        #expect(plan.charges == [ChargePayment(charge: "F1", amount: money("10"))])
        #expect(plan.reallocated == [PaymentAllocations(payment: "LATE", allocations: [], charges: [])])
        try b.apply(.paymentsReallocated("C", plan.reallocated), on: "2026-03-31")
        try b.apply(.paymentReceived(Payment(reference: "EARLY", customer: "C", day: day("2026-03-06"), amount: money("110"),
                                             allocations: plan.allocations, charges: plan.charges, byRule: true)), on: "2026-03-31")
        #expect(b.book.charge("F1")!.open(asOf: day("2026-03-06")) == .zero)
        #expect(Position("C", in: b.book, asOf: day("2026-03-08")).credit == .zero)
        #expect(Position("C", in: b.book, asOf: day("2026-03-10")).credit == money("110"))
        #expect(b.book.charge("F1")!.outstanding == .zero)
    }

    /// A payment for a named invoice, dated before a payment the rule gave that invoice: it takes
    /// the invoice, and the other takes again what is left.
    @Test func aNamedInvoiceHeldByALaterPaymentIsFreed() throws {
        var b = BookBuilder()
        try b.customer("C")
        try b.invoice("I1", "C", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("I2", "C", issued: "2026-01-10", due: "2026-02-09", "200")
        try b.apply(.paymentReceived(Payment(reference: "P2", customer: "C", day: day("2026-03-10"), amount: money("150"),
                                             allocations: AllocationPlan.oldestDueFirst(money("150"), of: "C", in: b.book, on: day("2026-03-10")),
                                             byRule: true)), on: "2026-03-31")
        let plan = try DateOrder.plan(money("100"), of: "C", to: "I1", in: b.book, on: day("2026-03-01"))
        #expect(plan.allocations == [Allocation(invoice: "I1", amount: money("100"))])
        #expect(plan.reallocated == [PaymentAllocations(payment: "P2", allocations: [Allocation(invoice: "I2", amount: money("150"))])])
        #expect(throws: AllocationError.self) { try DateOrder.plan(money("100"), of: "C", to: "NOPE", in: b.book, on: day("2026-03-01")) }
    }

    /// Invoices (some in instalments), then payments allocated by the rule recorded in a random
    /// order: every invoice's open amount on every day, and the credit left, are those of the same
    /// payments recorded in the order of their days.
    @Test func anyOrderOfRecordingReadsAsTheOrderOfDays() async {
        let input = Gen.int(in: 0...1_000_000).array(of: 1...14)
        await propertyCheck(count: 120, input: input, Gen.int(in: 0...1_000_000)) { seeds, shuffleSeed in
            var invoices: [Invoice] = []
            var payments: [(reference: String, day: Day, amount: Money)] = []
            let start = day("2026-01-01")
            for (index, seed) in seeds.enumerated() {
                let issued = start.adding(days: seed % 90)
                if seed % 3 != 0 {
                    let amount = Money(minorUnits: Int64(seed % 50_000 + 100))
                    if seed % 5 == 0 {
                        let half = Money(minorUnits: amount.minorUnits / 2)
                        invoices.append(Invoice(number: "I\(index)", customer: "A", issued: issued,
                                                instalments: [Instalment(due: issued.adding(days: 30), amount: half),
                                                              Instalment(due: issued.adding(days: 60), amount: amount - half)]))
                    } else {
                        invoices.append(Invoice(number: "I\(index)", customer: "A", issued: issued, due: issued.adding(days: seed % 45), amount: amount))
                    }
                } else {
                    payments.append(("P\(index)", start.adding(days: seed % 120), Money(minorUnits: Int64(seed % 40_000 + 1))))
                }
            }
            func record(_ order: [(reference: String, day: Day, amount: Money)]) throws -> Book {
                var b = BookBuilder()
                try b.customer("A")
                for invoice in invoices { try b.apply(.invoiceIssued(invoice)) }
                for payment in order {
                    let plan = try DateOrder.plan(payment.amount, of: "A", to: nil, in: b.book, on: payment.day)
                    if !plan.reallocated.isEmpty { try b.apply(.paymentsReallocated("A", plan.reallocated)) }
                    try b.apply(.paymentReceived(Payment(reference: payment.reference, customer: "A", day: payment.day, amount: payment.amount,
                                                         allocations: plan.allocations, byRule: true)))
                }
                return b.book
            }
            var generator = SplitMix(seed: UInt64(shuffleSeed))
            do {
                let inOrder = try record(payments.enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element))
                let shuffled = try record(payments.shuffled(using: &generator))
                // A snapshot of the book that moved payments reads back the same.
                let restored = try Book(snapshotBytes: shuffled.snapshotBytes())
                for payment in payments { #expect(restored.payments[payment.reference] == shuffled.payments[payment.reference]) }
                for invoice in invoices { #expect(restored.invoices[invoice.number] == shuffled.invoices[invoice.number]) }
                for offset in stride(from: -1, through: 180, by: 1) {
                    let d = start.adding(days: offset)
                    for invoice in invoices {
                        #expect(shuffled.invoices[invoice.number]!.open(asOf: d) == inOrder.invoices[invoice.number]!.open(asOf: d),
                                "\(invoice.number) on \(d)")
                    }
                    #expect(Position("A", in: shuffled, asOf: d).credit == Position("A", in: inOrder, asOf: d).credit, "credit on \(d)")
                }
            } catch {
                Issue.record("refused: \(error)")
            }
        }
    }
}
