@testable import Core
import Testing

/// A payment taken back (returned unpaid, entered in error): what it settled is owed again from
/// the reversal's day, and the book reads as it did as of any day before.
@Suite struct PaymentReversalTests {
    /// A owes I1 (100, due 31 January) and I2 (50); P paid I1 on 10 February.
    func paidInvoice() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("A", collector: "li.na")
        try b.invoice("I1", "A", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("I2", "A", issued: "2026-01-02", due: "2026-01-31", "50")
        try b.pay("P", "A", on: "2026-02-10", "100", to: "I1")
        return b
    }

    /// Reverses `reference` as of `iso`, recorded that day or on `recorded`.
    func reverse(_ reference: String, _ customer: String = "A", on iso: String, recorded: String? = nil,
                 cause: PaymentReversal.Cause = .returned, in b: inout BookBuilder) throws {
        try b.apply(.paymentReversed(PaymentReversal(payment: reference, customer: customer, day: day(iso), reason: "returned unpaid", cause: cause)),
                    on: recorded ?? iso, by: "carol")
    }

    @Test func theInvoiceIsOwedAgainFromTheReversalNotBefore() throws {
        var b = try paidInvoice()
        try reverse("P", on: "2026-02-20", in: &b)
        let book = b.book
        #expect(OpenItems.of("A", in: book, asOf: day("2026-02-15")).map(\.invoice) == ["I2"])
        let after = OpenItems.of("A", in: book, asOf: day("2026-02-20"))
        #expect(after.map(\.invoice) == ["I1", "I2"])
        #expect(after.first?.open == money("100"))
        #expect(after.first?.daysPastDue == 20)  // from its due date, as if never paid
        #expect(Position("A", in: book, asOf: day("2026-02-19")).balance == money("50"))
        #expect(Position("A", in: book, asOf: day("2026-02-20")).balance == money("150"))
        #expect(book.invoices["I1"]?.settledOn == nil)
        #expect(book.invoices["I1"]?.open(asOf: day("2026-02-12")) == .zero)
        // The payment stays in the book, marked from its reversal's day.
        #expect(book.payments["P"]?.amount == money("100"))
        #expect(book.reversal(of: "P", asOf: day("2026-02-19")) == nil)
        #expect(book.reversal(of: "P", asOf: day("2026-02-20"))?.reason == "returned unpaid")
        #expect(book.timeline(of: "A").last?.kind == .paymentReversed(payment: "P", reason: "returned unpaid"))
    }

    @Test func aLaterPaymentSettlesTheReopenedInvoice() throws {
        var b = try paidInvoice()
        try reverse("P", on: "2026-02-20", in: &b)
        try b.pay("P2", "A", on: "2026-03-01", "100", to: "I1")
        #expect(b.book.invoices["I1"]?.settledOn == day("2026-03-01"))
        #expect(OpenItems.of("A", in: b.book, asOf: day("2026-03-01")).map(\.invoice) == ["I2"])
    }

    @Test func feesAndACreditItPaidAreTakenBackToo() throws {
        var b = BookBuilder()
        try b.customer("A")
        try b.invoice("I1", "A", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.apply(.chargePosted(Charge(id: "F1", customer: "A", day: day("2026-02-05"), kind: .fee(level: 1), amount: money("10"))))
        // 130: 100 on I1, 10 on the fee, 20 left as a credit.
        try b.apply(.paymentReceived(Payment(reference: "P", customer: "A", day: day("2026-02-10"), amount: money("130"),
                                             allocations: [Allocation(invoice: "I1", amount: money("100"))],
                                             charges: [ChargePayment(charge: "F1", amount: money("10"))])), on: "2026-02-10")
        #expect(Position("A", in: b.book, asOf: day("2026-02-15")).credit == money("20"))
        try reverse("P", on: "2026-02-20", in: &b)
        let book = b.book
        #expect(Position("A", in: book, asOf: day("2026-02-15")).credit == money("20"))
        #expect(Position("A", in: book, asOf: day("2026-02-20")).credit == .zero)
        #expect(book.charge("F1")?.outstanding == money("10"))
        #expect(book.charge("F1")?.open(asOf: day("2026-02-15")) == .zero)
        #expect(Position("A", in: book, asOf: day("2026-02-20")).balance == money("100"))
    }

    @Test func aReversalThatContradictsTheBookIsRefusedAndChangesNothing() throws {
        var b = try paidInvoice()
        try b.customer("B")
        #expect(throws: BookError.invalid("no payment \"Q\" in this book")) { try reverse("Q", on: "2026-02-20", in: &b) }
        #expect(throws: BookError.wrongCustomer(document: "P", customer: "B")) { try reverse("P", "B", on: "2026-02-20", in: &b) }
        #expect(throws: BookError.self) { try reverse("P", on: "2026-02-09", in: &b) }  // before it was received
        #expect(b.book.reversals.isEmpty)
        #expect(OpenItems.of("A", in: b.book, asOf: day("2026-03-01")).map(\.invoice) == ["I2"])
        try reverse("P", on: "2026-02-10", in: &b)  // the same day it came: allowed
        #expect(throws: BookError.invalid("payment \"P\" was already reversed")) { try reverse("P", on: "2026-02-21", in: &b) }
    }

    /// A promise the payment kept is broken once the payment comes back, and the cash no longer
    /// counts for the collector; as of a day before, both read as they did.
    @Test func promisesAndCashCollectedForgetTheReturnedPayment() throws {
        var b = BookBuilder()
        try b.customer("A", collector: "li.na")
        try b.invoice("I1", "A", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.apply(.promiseTaken(Promise(id: "PR", customer: "A", amount: money("100"), due: day("2026-02-10"), toleranceDays: 2,
                                          taken: day("2026-02-05"), takenBy: "li.na")), on: "2026-02-05", by: "li.na")
        try b.pay("P", "A", on: "2026-02-09", "100", to: "I1")
        try reverse("P", on: "2026-02-20", in: &b)
        let book = b.book
        #expect(Promises.judge("A", in: book, asOf: day("2026-02-15")).first?.state == .kept)
        #expect(Promises.judge("A", in: book, asOf: day("2026-02-20")).first?.state == .broken)
        let before = CollectorFigures.compute(book: book, from: day("2026-02-01"), to: day("2026-02-15"))
        let after = CollectorFigures.compute(book: book, from: day("2026-02-01"), to: day("2026-02-28"))
        #expect(before.first { $0.collector == "li.na" }?.cashCollected == money("100"))
        #expect(after.first { $0.collector == "li.na" }?.cashCollected == .zero)
        // Paid before its day, the promise reads kept but is judged only after its date and
        // tolerance (02-12): the collector's kept rate counts it from 02-13.
        let early = try #require(CollectorFigures.compute(book: book, from: day("2026-02-01"), to: day("2026-02-12")).first { $0.collector == "li.na" })
        #expect(early.promisesTaken == 1 && early.promisesDue == 0 && early.promisesKept == 0)
        #expect(before.first { $0.collector == "li.na" }.map { ($0.promisesDue, $0.promisesKept) } ?? (0, 0) == (1, 1))
        // The period it came back in loses it; the one it came in keeps it.
        let returned = CollectorFigures.compute(book: book, from: day("2026-02-16"), to: day("2026-02-28"))
        #expect(returned.first { $0.collector == "li.na" }?.cashCollected == money("-100"))
        let signals = RiskSignals.of(book.customers["A"]!, in: book, asOf: day("2026-02-28")).map(\.kind)
        #expect(signals.contains(.paymentReversed))
        #expect(!RiskSignals.of(book.customers["A"]!, in: book, asOf: day("2026-02-19")).map(\.kind).contains(.paymentReversed))
    }

    /// A customer handed over between a payment and its return: the collector credited with the
    /// cash loses it, not the one who took the customer over.
    @Test func returnedCashIsTakenFromWhoeverWasCreditedWithIt() throws {
        var b = try paidInvoice()  // P paid on 10 February while A was li.na's
        try b.apply(.profileChanged("A", .collector("wang.fang"), reason: "handover"), on: "2026-02-15")
        try reverse("P", on: "2026-02-20", in: &b)
        let returned = CollectorFigures.compute(book: b.book, from: day("2026-02-16"), to: day("2026-02-28"))
        #expect(returned.first { $0.collector == "li.na" }?.cashCollected == money("-100"))
        #expect(returned.first { $0.collector == "wang.fang" }?.cashCollected == .zero)
    }

    /// A document dated before a later reversal cannot settle again what the reversal took back
    /// (the days between would show the invoice paid twice); dated on or after it, it can, and a
    /// reversal dated the day of the payment frees that day for the right amount.
    @Test func aDocumentDatedBeforeALaterReversalCannotSettleWhatItTookBack() throws {
        var b = try paidInvoice()
        try reverse("P", on: "2026-02-20", in: &b)
        let early = Payment(reference: "P2", customer: "A", day: day("2026-02-12"), amount: money("100"),
                            allocations: [Allocation(invoice: "I1", amount: money("100"))])
        #expect(throws: BookError.overAllocated(invoice: "I1", open: .zero, allocated: money("100"))) { try b.apply(.paymentReceived(early)) }
        #expect(throws: AllocationError.owedAgainFrom(invoice: "I1", day("2026-02-20"))) {
            try AllocationPlan.toInvoice("I1", amount: money("100"), of: "A", in: b.book, on: day("2026-02-12"))
        }
        #expect(AllocationPlan.oldestDueFirst(money("150"), of: "A", in: b.book, on: day("2026-02-12"))
                == [Allocation(invoice: "I2", amount: money("50"))])
        let reopened = AllocationPlan.owedAgainLater(of: "A", in: b.book, on: day("2026-02-12"))
        #expect(reopened.map(\.invoice) == ["I1"] && reopened.map(\.from) == [day("2026-02-20")])
        #expect(AllocationPlan.owedAgainLater(of: "A", in: b.book, on: day("2026-02-20")).isEmpty)
        #expect(b.book.invoices["I1"]?.room(on: day("2026-02-20")) == money("100"))
        try b.pay("P3", "A", on: "2026-02-20", "100", to: "I1")
        #expect(b.book.invoices["I1"]?.settled(asOf: day("2026-02-15")) == money("100"))

        // Entered in error: reversed as of the day it came, the right amount can be entered that day.
        var fix = try paidInvoice()
        try reverse("P", on: "2026-02-10", recorded: "2026-02-20", in: &fix)
        try fix.pay("P2", "A", on: "2026-02-10", "90", to: "I1")
        #expect(fix.book.invoices["I1"]?.open(asOf: day("2026-02-15")) == money("10"))
    }

    /// What a view of an earlier day saw of how late the customer paid stays as it was when a
    /// payment is reversed later.
    @Test func aLaterReversalDoesNotChangeHowLateAnEarlierViewSawPayments() throws {
        var b = try paidInvoice()  // I1 due 31 January, paid 10 February: 10 days late
        let asOf = day("2026-03-01")
        #expect(RiskSignals.averageDaysLate("A", in: b.book, from: asOf.adding(days: -89), to: asOf) == 10)
        try reverse("P", on: "2026-03-15", in: &b)
        #expect(RiskSignals.averageDaysLate("A", in: b.book, from: asOf.adding(days: -89), to: asOf) == 10)
        #expect(RiskSignals.averageDaysLate("A", in: b.book, from: day("2026-02-01"), to: day("2026-03-20")) == nil)
        try b.pay("P2", "A", on: "2026-04-20", "100", to: "I1")
        #expect(b.book.invoices["I1"]?.settledOn(asOf: day("2026-03-01")) == day("2026-02-10"))
        #expect(b.book.invoices["I1"]?.settledOn(asOf: day("2026-04-01")) == nil)
        #expect(b.book.invoices["I1"]?.settledOn(asOf: day("2026-04-20")) == day("2026-04-20"))
    }

    /// A payment that came back puts the customer in the queue with the reason, until someone
    /// calls; a customer whose credit still covers what it owes is not chased for it.
    @Test func theQueueSaysAPaymentCameBackUntilTheCustomerIsCalled() throws {
        var b = try paidInvoice()
        try reverse("P", on: "2026-02-20", in: &b)
        func reason(_ book: Book, _ iso: String) -> QueueReason? {
            Worklist.build(book: book, policy: .standard, asOf: day(iso)).first { $0.customer == "A" }?
                .reasons.first { $0.kind == .paymentReversed }
        }
        #expect(reason(b.book, "2026-02-19") == nil)
        let returned = try #require(reason(b.book, "2026-02-21"))
        #expect(returned.points == Policy.standard.queue.paymentReversed)
        #expect(returned.detail(in: .cny) == "P 100.00 returned 2026-02-20")
        #expect(returned.detail(in: .cny, chinese: true) == "P 100.00 于 2026-02-20 被退回")
        try b.apply(.callLogged("A", .leftMessage, note: "call us", callback: day("2026-02-23")), on: "2026-02-21", by: "li.na")
        #expect(reason(b.book, "2026-02-22") != nil)  // a message left is no talk about it
        try b.apply(.callLogged("A", .reached, note: "will pay again", callback: nil), on: "2026-02-22", by: "li.na")
        #expect(reason(b.book, "2026-02-23") == nil)
        // A reversal recorded after a call, though dated before it: the caller did not know.
        var late = try paidInvoice()
        try late.apply(.callLogged("A", .reached, note: "all paid", callback: nil), on: "2026-02-25", by: "li.na")
        try reverse("P", on: "2026-02-20", recorded: "2026-03-01", in: &late)
        #expect(reason(late.book, "2026-03-01")?.detail(in: .cny) == "P 100.00 returned 2026-02-20")
        // A view of a day between the return's date and its entry names it too, as its aging
        // counts the invoice owed again: nobody had talked it over by then.
        #expect(reason(late.book, "2026-02-26")?.detail(in: .cny) == "P 100.00 returned 2026-02-20")
        #expect(reason(late.book, "2026-02-19") == nil)
        // The same day: a call after the reversal answers it, one before it does not.
        var sameDay = try paidInvoice()
        try sameDay.apply(.callLogged("A", .noAnswer, note: "", callback: nil), on: "2026-02-20", by: "li.na")
        try reverse("P", on: "2026-02-20", in: &sameDay)
        #expect(reason(sameDay.book, "2026-02-20") != nil)
        try sameDay.apply(.callLogged("A", .reached, note: "told", callback: nil), on: "2026-02-20", by: "li.na")
        #expect(reason(sameDay.book, "2026-02-20") == nil)
        // A payment made before anything was due came back: nothing is past due, the money is
        // still not in, and the customer is called all the same.
        var early = BookBuilder()
        try early.customer("A", collector: "li.na")
        try early.invoice("I1", "A", issued: "2026-02-01", due: "2026-03-31", "100")
        try early.pay("P", "A", on: "2026-02-10", "100", to: "I1")
        try reverse("P", on: "2026-02-20", in: &early)
        #expect(reason(early.book, "2026-02-21")?.detail(in: .cny) == "P 100.00 returned 2026-02-20")
    }

    /// A payment entered in error and reversed as such is a correction: what it settled is owed
    /// again all the same, but the customer is neither flagged as a risk nor queued for it.
    @Test func aCorrectionOfAPaymentEnteredInErrorSaysNothingOfTheCustomer() throws {
        var b = try paidInvoice()
        try reverse("P", on: "2026-02-10", recorded: "2026-02-20", cause: .enteredInError, in: &b)
        let book = b.book
        #expect(Position("A", in: book, asOf: day("2026-02-20")).balance == money("150"))
        #expect(book.reversals["P"]?.cause == .enteredInError)
        #expect(!RiskSignals.of(book.customers["A"]!, in: book, asOf: day("2026-02-28")).map(\.kind).contains(.paymentReversed))
        let item = Worklist.build(book: book, policy: .standard, asOf: day("2026-02-21")).first { $0.customer == "A" }
        #expect(item?.reasons.contains { $0.kind == .paymentReversed } != true)
        // Returned unpaid, the same reversal would be both.
        var returned = try paidInvoice()
        try reverse("P", on: "2026-02-10", recorded: "2026-02-20", in: &returned)
        #expect(RiskSignals.of(returned.book.customers["A"]!, in: returned.book, asOf: day("2026-02-28")).map(\.kind).contains(.paymentReversed))
        #expect(Worklist.build(book: returned.book, policy: .standard, asOf: day("2026-02-21")).first { $0.customer == "A" }?
            .reasons.contains { $0.kind == .paymentReversed } == true)
    }

    /// Interest on a late payment that came back is not billed as paid late: the invoice is open
    /// again, and its open item bears the interest for every day past due.
    @Test func aReturnedPaymentIsNotInterestOnAPaymentMadeLate() throws {
        var b = try paidInvoice()
        let terms = InterestTerms(annualRateBasisPoints: 3_650, graceDays: 0)  // 0.1 % a day
        let paidLate = { (book: Book, iso: String) in
            Interest.paidLate("A", in: book, asOf: day(iso), paidAfter: day("2026-01-01"), billedThrough: nil, terms: terms)
        }
        #expect(paidLate(b.book, "2026-02-25") == money("1.00"))  // 100 paid 10 days late
        try reverse("P", on: "2026-02-20", in: &b)
        #expect(paidLate(b.book, "2026-02-19") == money("1.00"))
        #expect(paidLate(b.book, "2026-02-25") == .zero)
        // An amount near the book's bound paid years late: amount × days passes 64 bits, the
        // interest does not. 7 × 10¹⁴ at 0.1 % a day for 1,000 days is 7 × 10¹⁴.
        var large = BookBuilder()
        try large.customer("L")
        try large.invoice("IL", "L", issued: "2023-01-01", due: "2023-01-31", "700,000,000,000,000")
        try large.pay("PL", "L", on: "2025-10-27", "700,000,000,000,000", to: "IL")
        let late = Interest.paidLate("L", in: large.book, asOf: day("2026-01-01"), paidAfter: day("2023-01-01"), billedThrough: nil, terms: terms)
        #expect(late == money("700,000,000,000,000"))
    }
}
