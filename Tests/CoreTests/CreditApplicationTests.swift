@testable import Core
import Testing

/// A customer's credit set against its open invoices (`CreditApplication`, `CreditPlan`).
@Suite struct CreditApplicationTests {
    /// G1 owes L1 100 (due 31 January) and L2 80 (due 3 March); a credit note of 60 against no
    /// invoice on 10 February, and P1 of 100 on 1 March for L2 (20 over, a credit).
    func book() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("G1")
        try b.customer("G2")
        try b.invoice("L1", "G1", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("L2", "G1", issued: "2026-02-01", due: "2026-03-03", "80")
        try b.invoice("M1", "G2", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.apply(.creditNoteIssued(CreditNote(number: "CN1", customer: "G1", day: day("2026-02-10"), amount: money("60"), invoice: nil)), on: "2026-02-10")
        try b.apply(.paymentReceived(Payment(reference: "P1", customer: "G1", day: day("2026-03-01"), amount: money("100"),
                                             allocations: [Allocation(invoice: "L2", amount: money("80"))])), on: "2026-03-01")
        return b
    }

    func plan(_ b: BookBuilder, from source: CreditApplication.Source? = nil, to invoice: String? = nil, amount: String? = nil,
              on iso: String) throws -> [CreditApplication] {
        try CreditPlan.plan("G1", from: source, to: invoice, amount: amount.map(money), on: day(iso), in: b.book) { "CA\($0 + 1)" }
    }

    @Test func theOldestCreditGoesToTheOldestDueInvoiceFromItsDayOn() throws {
        var b = try book()
        let planned = try plan(b, on: "2026-03-05")
        #expect(planned.map(\.source) == [.creditNote("CN1"), .payment("P1")])
        #expect(planned.map(\.allocations) == [[Allocation(invoice: "L1", amount: money("60"))], [Allocation(invoice: "L1", amount: money("20"))]])
        for application in planned { try b.apply(.creditApplied(application), on: "2026-03-05") }
        let l1 = try #require(b.book.invoices["L1"])
        #expect(l1.open(asOf: day("2026-03-05")) == money("20") && l1.open(asOf: day("2026-03-04")) == money("100"))
        #expect(Position("G1", in: b.book, asOf: day("2026-03-05")).credit == .zero)
        #expect(Position("G1", in: b.book, asOf: day("2026-03-04")).credit == money("80"))  // as it stood
        #expect(b.book.creditsToApply(of: "G1", on: day("2026-03-05")).isEmpty)
        #expect(throws: CreditPlan.Problem.noCredit("G1", day("2026-03-06"))) { try plan(b, on: "2026-03-06") }
        // From a snapshot, the same book.
        let restored = try Book(snapshotBytes: b.book.snapshotBytes())
        #expect(restored.snapshotBytes() == b.book.snapshotBytes())
        #expect(restored.creditApplications == b.book.creditApplications)
        #expect(restored.applications(of: .payment("P1")).map(\.id) == ["CA2"])
    }

    @Test func aCreditNamedAnInvoiceNamedAndAnAmount() throws {
        let b = try book()
        let planned = try plan(b, from: .payment("P1"), to: "L1", amount: "15", on: "2026-03-02")
        #expect(planned == [CreditApplication(id: "CA1", customer: "G1", day: day("2026-03-02"), source: .payment("P1"),
                                              allocations: [Allocation(invoice: "L1", amount: money("15"))])])
        #expect(throws: CreditPlan.Problem.moreThanCredit(asked: money("25"), credit: money("20"), currency: .cny)) {
            try plan(b, from: .payment("P1"), amount: "25", on: "2026-03-02")
        }
        // A credit from a day after the one asked is not there yet; nor is one of another customer's.
        #expect(throws: CreditPlan.Problem.source("P1 is dated 2026-03-01: its credit is not there yet on 2026-02-20")) { try plan(b, from: .payment("P1"), on: "2026-02-20") }
        #expect(throws: CreditPlan.Problem.invoice(.otherCustomer(invoice: "M1", customer: "G2"))) { try plan(b, to: "M1", on: "2026-03-02") }
    }

    @Test func theBookRefusesWhatNoCreditCovers() throws {
        var b = try book()
        func application(_ source: CreditApplication.Source, _ invoice: String, _ amount: String, on iso: String = "2026-03-05", id: String = "X") -> Event {
            .creditApplied(CreditApplication(id: id, customer: "G1", day: day(iso), source: source, allocations: [Allocation(invoice: invoice, amount: money(amount))]))
        }
        #expect(throws: BookError.self) { try b.apply(application(.payment("P1"), "L1", "21")) }              // 20 left
        #expect(throws: BookError.self) { try b.apply(application(.creditNote("CN1"), "L1", "10", on: "2026-02-09")) }  // before the note
        #expect(throws: BookError.self) { try b.apply(application(.creditNote("CN1"), "L2", "10")) }         // L2 is paid
        #expect(throws: BookError.self) { try b.apply(application(.creditNote("NOPE"), "L1", "10")) }
        try b.apply(application(.creditNote("CN1"), "L1", "40"))
        #expect(throws: BookError.self) { try b.apply(application(.creditNote("CN1"), "L1", "30", id: "Y")) }  // 20 left of it
        #expect(b.book.invoices["L1"]?.open(asOf: day("2026-03-05")) == money("60"))
    }

    /// A payment whose credit was applied and that comes back: the invoices its credit settled
    /// are owed again from the reversal, and no credit is left below zero.
    @Test func aReversalTakesBackTheCreditItsPaymentGave() throws {
        var b = try book()
        try b.apply(.creditApplied(CreditApplication(id: "CA1", customer: "G1", day: day("2026-03-05"), source: .payment("P1"),
                                                     allocations: [Allocation(invoice: "L1", amount: money("20"))])), on: "2026-03-05")
        #expect(throws: BookError.self) {  // dated before the application: refused
            var early = b
            try early.apply(.paymentReversed(PaymentReversal(payment: "P1", customer: "G1", day: day("2026-03-04"), reason: "bounced")), on: "2026-03-06")
        }
        try b.apply(.paymentReversed(PaymentReversal(payment: "P1", customer: "G1", day: day("2026-03-10"), reason: "bounced")), on: "2026-03-10")
        let l1 = try #require(b.book.invoices["L1"])
        #expect(l1.open(asOf: day("2026-03-09")) == money("80") && l1.open(asOf: day("2026-03-10")) == money("100"))
        #expect(b.book.invoices["L2"]?.open(asOf: day("2026-03-10")) == money("80"))
        #expect(Position("G1", in: b.book, asOf: day("2026-03-10")).credit == money("60"))  // the note's, untouched
        #expect(Position("G1", in: b.book, asOf: day("2026-03-09")).credit == money("60"))
    }

    /// Credit applied to the wrong invoice is taken back from a day: owed again from then, the
    /// credit free again for another application from then (not before: it was in use), and
    /// read back from a snapshot as it was.
    @Test func aWithdrawnApplicationFreesItsCreditFromItsDay() throws {
        var b = try book()
        try b.apply(.creditApplied(CreditApplication(id: "CA1", customer: "G1", day: day("2026-03-05"), source: .creditNote("CN1"),
                                                     allocations: [Allocation(invoice: "L1", amount: money("60"))])), on: "2026-03-05")
        #expect(throws: BookError.self) { var early = b; try early.apply(.creditWithdrawn(id: "CA1", customer: "G1", day: day("2026-03-04"), reason: "x")) }
        #expect(throws: BookError.self) { var other = b; try other.apply(.creditWithdrawn(id: "CA1", customer: "G2", day: day("2026-03-10"), reason: "x")) }
        try b.apply(.creditWithdrawn(id: "CA1", customer: "G1", day: day("2026-03-10"), reason: "wrong invoice"), on: "2026-03-10")
        #expect(throws: BookError.self) { var twice = b; try twice.apply(.creditWithdrawn(id: "CA1", customer: "G1", day: day("2026-03-11"), reason: "x")) }
        let l1 = try #require(b.book.invoices["L1"])
        #expect(l1.open(asOf: day("2026-03-09")) == money("40") && l1.open(asOf: day("2026-03-10")) == money("100"))
        #expect(Position("G1", in: b.book, asOf: day("2026-03-09")).credit == money("20"))
        #expect(Position("G1", in: b.book, asOf: day("2026-03-10")).credit == money("80"))
        #expect(b.book.creditApplied(from: .creditNote("CN1"), asOf: day("2026-03-09")) == money("60"))
        #expect(b.book.creditApplied(from: .creditNote("CN1"), asOf: day("2026-03-10")) == .zero)
        // From the withdrawal on, the note's credit may go elsewhere; on a day it was still in use, not.
        #expect(b.book.creditsToApply(of: "G1", on: day("2026-03-10")).map(\.left) == [money("60"), money("20")])
        #expect(b.book.creditsToApply(of: "G1", on: day("2026-03-08")).map(\.source) == [.payment("P1")])
        try b.apply(.creditApplied(CreditApplication(id: "CA2", customer: "G1", day: day("2026-03-12"), source: .creditNote("CN1"),
                                                     allocations: [Allocation(invoice: "L1", amount: money("60"))])), on: "2026-03-12")
        #expect(b.book.invoices["L1"]?.open(asOf: day("2026-03-12")) == money("40"))
        let restored = try Book(snapshotBytes: b.book.snapshotBytes())
        #expect(restored.creditApplications == b.book.creditApplications && restored.creditApplications["CA1"]?.withdrawn?.reason == "wrong invoice")
        #expect(restored.snapshotBytes() == b.book.snapshotBytes())
    }

    /// Taken back, credit applied frees its invoice for the payments the rule allocated after it,
    /// as in date order; a payment reversed with its applied credit does the same.
    @Test func laterPaymentsTakeAgainWhatAWithdrawalOrAReversalFrees() throws {
        var b = BookBuilder()
        try b.customer("G1")
        try b.invoice("L1", "G1", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("L2", "G1", issued: "2026-02-01", due: "2026-03-03", "80")
        try b.apply(.creditNoteIssued(CreditNote(number: "CN1", customer: "G1", day: day("2026-02-10"), amount: money("60"), invoice: nil)), on: "2026-02-10")
        try b.apply(.creditApplied(CreditApplication(id: "CA1", customer: "G1", day: day("2026-03-05"), source: .creditNote("CN1"),
                                                     allocations: [Allocation(invoice: "L1", amount: money("60"))])), on: "2026-03-05")
        let rule = try DateOrder.plan(money("100"), of: "G1", to: nil, in: b.book, on: day("2026-03-20"))
        #expect(rule.allocations == [Allocation(invoice: "L1", amount: money("40")), Allocation(invoice: "L2", amount: money("60"))])
        try b.apply(.paymentReceived(Payment(reference: "P2", customer: "G1", day: day("2026-03-20"), amount: money("100"),
                                             allocations: rule.allocations, byRule: true)), on: "2026-03-20")
        let moved = DateOrder.afterWithdrawal(of: "CA1", on: day("2026-03-10"), in: b.book)
        #expect(moved == [PaymentAllocations(payment: "P2", allocations: [Allocation(invoice: "L1", amount: money("100"))])])
        var withdrawn = b
        try withdrawn.apply(.creditWithdrawn(id: "CA1", customer: "G1", day: day("2026-03-10"), reason: "wrong"), on: "2026-03-21")
        try withdrawn.apply(.paymentsReallocated("G1", moved), on: "2026-03-21")
        #expect(withdrawn.book.invoices["L1"]?.open(asOf: day("2026-03-20")) == .zero)
        #expect(withdrawn.book.invoices["L2"]?.open(asOf: day("2026-03-20")) == money("80"))
        #expect(Position("G1", in: withdrawn.book, asOf: day("2026-03-20")).credit == money("60"))
        // A payment's applied credit reversed with it: the same for the payments after it.
        var c = BookBuilder()
        try c.customer("G1")
        try c.invoice("L1", "G1", issued: "2026-01-01", due: "2026-01-31", "100")
        try c.invoice("L2", "G1", issued: "2026-02-01", due: "2026-03-03", "80")
        try c.apply(.paymentReceived(Payment(reference: "P1", customer: "G1", day: day("2026-02-10"), amount: money("60"), allocations: [])), on: "2026-02-10")
        try c.apply(.creditApplied(CreditApplication(id: "CA1", customer: "G1", day: day("2026-03-05"), source: .payment("P1"),
                                                     allocations: [Allocation(invoice: "L1", amount: money("60"))])), on: "2026-03-05")
        try c.apply(.paymentReceived(Payment(reference: "P2", customer: "G1", day: day("2026-03-20"), amount: money("100"),
                                             allocations: rule.allocations, byRule: true)), on: "2026-03-20")
        #expect(DateOrder.afterReversal(of: "P1", on: day("2026-03-10"), in: c.book)
                == [PaymentAllocations(payment: "P2", allocations: [Allocation(invoice: "L1", amount: money("100"))])])
    }

    /// A payment whose applied credit was withdrawn, reversed later: only what is still applied
    /// comes back as owed; reversed on a day the application still held, refused.
    @Test func aReversalAfterAWithdrawal() throws {
        var b = try book()
        try b.apply(.creditApplied(CreditApplication(id: "CA1", customer: "G1", day: day("2026-03-05"), source: .payment("P1"),
                                                     allocations: [Allocation(invoice: "L1", amount: money("20"))])), on: "2026-03-05")
        try b.apply(.creditWithdrawn(id: "CA1", customer: "G1", day: day("2026-03-08"), reason: "wrong"), on: "2026-03-08")
        #expect(throws: BookError.self) {
            var early = b
            try early.apply(.paymentReversed(PaymentReversal(payment: "P1", customer: "G1", day: day("2026-03-06"), reason: "bounced")))
        }
        try b.apply(.paymentReversed(PaymentReversal(payment: "P1", customer: "G1", day: day("2026-03-09"), reason: "bounced")), on: "2026-03-09")
        #expect(b.book.invoices["L1"]?.open(asOf: day("2026-03-09")) == money("100"))
        #expect(b.book.invoices["L2"]?.open(asOf: day("2026-03-09")) == money("80"))
        #expect(Position("G1", in: b.book, asOf: day("2026-03-09")).credit == money("60"))  // the note's; P1's 20 gone
    }

    /// A payment the rule allocated whose credit was applied may not be allocated again into less
    /// credit than is applied on any day; withdrawn and applied again, it counts once.
    @Test func aReallocationKeepsTheCreditApplied() throws {
        var b = BookBuilder()
        try b.customer("G1")
        try b.invoice("A1", "G1", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.apply(.paymentReceived(Payment(reference: "P1", customer: "G1", day: day("2026-03-01"), amount: money("150"),
                                             allocations: [Allocation(invoice: "A1", amount: money("100"))], byRule: true)), on: "2026-03-01")
        try b.invoice("A2", "G1", issued: "2026-03-20", due: "2026-04-20", "100")
        try b.apply(.creditApplied(CreditApplication(id: "CA1", customer: "G1", day: day("2026-03-25"), source: .payment("P1"),
                                                     allocations: [Allocation(invoice: "A2", amount: money("50"))])), on: "2026-03-25")
        try b.invoice("A3", "G1", issued: "2026-02-15", due: "2026-03-15", "100")  // recorded late, dated before P1
        let more = Event.paymentsReallocated("G1", [PaymentAllocations(payment: "P1", allocations: [Allocation(invoice: "A1", amount: money("100")),
                                                                                                    Allocation(invoice: "A3", amount: money("50"))])])
        #expect { var copy = b; try copy.apply(more) } throws: { "\($0)".contains("50.00 of the credit of payment \"P1\" was applied to invoices") }
        // Withdrawn and applied again: 50 in force on any day, not 100; a reallocation leaving 50 is allowed.
        try b.apply(.creditWithdrawn(id: "CA1", customer: "G1", day: day("2026-03-26"), reason: "wrong"), on: "2026-03-26")
        try b.apply(.creditApplied(CreditApplication(id: "CA2", customer: "G1", day: day("2026-03-27"), source: .payment("P1"),
                                                     allocations: [Allocation(invoice: "A2", amount: money("50"))])), on: "2026-03-27")
        try b.apply(.paymentsReallocated("G1", [PaymentAllocations(payment: "P1", allocations: [Allocation(invoice: "A3", amount: money("100"))])]))
        #expect(b.book.payments["P1"]?.unapplied == money("50"))
        #expect { var copy = b; try copy.apply(more) } throws: { "\($0)".contains("was applied to invoices") }
        // Giving up its invoices leaves it more credit: allowed.
        try b.apply(.paymentsReallocated("G1", [PaymentAllocations(payment: "P1", allocations: [])]))
        #expect(b.book.payments["P1"]?.unapplied == money("150"))
        #expect(Position("G1", in: b.book, asOf: day("2026-03-27")).credit == money("100"))
    }
}

extension CreditApplicationTests {
    /// Applying a credit changes nothing owed, so it changes none of the KPIs: DSO, CEI and the
    /// shares weigh the receivables net of each customer's credit (oldest items first), as the
    /// sales they are set against are net of credit notes. G1's 80 of credit covers L1's 100 in
    /// part; G2, without credit, counts whole. The aging's own total does change.
    @Test func applyingCreditChangesNoKPI() throws {
        var b = try book()
        let asOf = day("2026-03-05")
        let before = PortfolioKPIs(book: b.book, policy: .standard, asOf: asOf)
        #expect(before.receivables == money("200") && before.credit == money("80") && before.netReceivables == money("120"))
        #expect(before.netCurrent == .zero && before.current == .zero)
        for application in try plan(b, on: "2026-03-05") { try b.apply(.creditApplied(application), on: "2026-03-05") }
        let after = PortfolioKPIs(book: b.book, policy: .standard, asOf: asOf)
        #expect(after.receivables == money("120") && after.credit == .zero && after.netReceivables == money("120"))
        #expect((after.dsoCountBack, after.dsoSimple, after.cei, after.percentCurrent) == (before.dsoCountBack, before.dsoSimple, before.cei, before.percentCurrent))
        // Credit beyond what is past due comes off what is not due, never below nothing.
        var figures = ReceivablesOn(total: money("100"), current: money("70"), credit: money("50"))
        figures.takeOffCredit()
        #expect(figures.net == money("50") && figures.netCurrent == money("50"))
        var covered = ReceivablesOn(total: money("100"), current: money("70"), credit: money("150"))
        covered.takeOffCredit()
        #expect(covered.net == .zero && covered.netCurrent == .zero)
    }
}
