@testable import Core
import PropertyBased
import Testing

@Suite struct AllocationPlanTests {
    /// DOMAIN.md: invoice 100 with instalments 30/50/20 and a payment of 40 leaves 30 paid, 50
    /// with 10 paid (40 open), 20 open, planned and folded through the book.
    @Test func instalmentVectorThroughTheBook() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.apply(.invoiceIssued(Invoice(number: "I1", customer: "C1", issued: day("2026-01-01"), instalments: [
            Instalment(due: day("2026-02-01"), amount: money("30")), Instalment(due: day("2026-03-01"), amount: money("50")),
            Instalment(due: day("2026-04-01"), amount: money("20")),
        ])))
        let plan = AllocationPlan.oldestDueFirst(money("40"), of: "C1", in: b.book, on: day("2026-01-15"))
        #expect(plan == [Allocation(invoice: "I1", amount: money("40"))])
        try b.apply(.paymentReceived(Payment(reference: "P1", customer: "C1", day: day("2026-01-15"), amount: money("40"), allocations: plan)))
        let open = try #require(b.book.invoices["I1"]).openInstalments(asOf: day("2026-05-01")).map(\.open)
        #expect(open == [money("0"), money("40"), money("20")])
    }

    /// Oldest due first is by instalment: A's second instalment, due last, waits behind B.
    @Test func laterInstalmentsWaitBehindOtherInvoices() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.apply(.invoiceIssued(Invoice(number: "A", customer: "C1", issued: day("2026-01-01"), instalments: [
            Instalment(due: day("2026-01-31"), amount: money("30")), Instalment(due: day("2026-06-30"), amount: money("70")),
        ])))
        try b.invoice("B", "C1", issued: "2026-01-02", due: "2026-03-31", "100")
        let plan = AllocationPlan.oldestDueFirst(money("100"), of: "C1", in: b.book, on: day("2026-04-15"))
        #expect(plan == [Allocation(invoice: "A", amount: money("30")), Allocation(invoice: "B", amount: money("70"))])
        let more = AllocationPlan.oldestDueFirst(money("150"), of: "C1", in: b.book, on: day("2026-04-15"))
        #expect(more == [Allocation(invoice: "A", amount: money("50")), Allocation(invoice: "B", amount: money("100"))])
    }

    /// Oldest due first across invoices (by the first instalment still open), the rest unapplied;
    /// an invoice issued after the payment's day takes nothing.
    @Test func oldestDueFirstThenUnapplied() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("LATE", "C1", issued: "2026-01-10", due: "2026-03-10", "100")
        try b.invoice("EARLY", "C1", issued: "2026-01-20", due: "2026-02-20", "100")
        try b.invoice("TIE-B", "C1", issued: "2026-01-05", due: "2026-04-01", "10")
        try b.invoice("TIE-A", "C1", issued: "2026-01-05", due: "2026-04-01", "10")
        try b.invoice("FUTURE", "C1", issued: "2026-06-01", due: "2026-07-01", "500")
        try b.pay("P0", "C1", on: "2026-02-01", "30", to: "EARLY")  // EARLY has 70 open
        let plan = AllocationPlan.oldestDueFirst(money("1,000"), of: "C1", in: b.book, on: day("2026-05-01"))
        #expect(plan == [Allocation(invoice: "EARLY", amount: money("70")), Allocation(invoice: "LATE", amount: money("100")),
                         Allocation(invoice: "TIE-A", amount: money("10")), Allocation(invoice: "TIE-B", amount: money("10"))])
        #expect(AllocationPlan.oldestDueFirst(money("50"), of: "C1", in: b.book, on: day("2026-05-01"))
                == [Allocation(invoice: "EARLY", amount: money("50"))])
        #expect(AllocationPlan.oldestDueFirst(money("50"), of: "NOBODY", in: b.book, on: day("2026-05-01")).isEmpty)
    }

    /// A write-off goes to what is past due, then to what is disputed, then to what is not past
    /// due: due that very day is not past due yet, as the aging has it.
    @Test func aWriteOffTakesWhatIsDueTodayLast() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.invoice("A1", "C1", issued: "2026-09-01", due: "2026-10-01", "500")
        try b.invoice("A2", "C1", issued: "2026-11-01", due: "2026-12-01", "3,000")
        try b.apply(.disputeOpened(Dispute(id: "D1", customer: "C1", invoice: "A1", amount: nil, reason: "short", opened: day("2026-11-20"), owner: "x")))
        #expect(try AllocationPlan.writeOff(money("600"), of: "C1", to: nil, in: b.book, on: day("2026-12-01"))
                == [Allocation(invoice: "A1", amount: money("500")), Allocation(invoice: "A2", amount: money("100"))])
        #expect(try AllocationPlan.writeOff(money("600"), of: "C1", to: nil, in: b.book, on: day("2026-12-02"))
                == [Allocation(invoice: "A2", amount: money("600"))])
    }

    @Test func toOneInvoiceUpToItsOpenAmount() throws {
        var b = BookBuilder()
        try b.customer("C1")
        try b.customer("C2")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("I2", "C2", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("I3", "C1", issued: "2026-03-01", due: "2026-03-31", "100")
        let on = day("2026-02-01")
        #expect(try AllocationPlan.toInvoice("I1", amount: money("250"), of: "C1", in: b.book, on: on) == [Allocation(invoice: "I1", amount: money("100"))])
        #expect(throws: AllocationError.otherCustomer(invoice: "I2", customer: "C2")) {
            try AllocationPlan.toInvoice("I2", amount: money("1"), of: "C1", in: b.book, on: on)
        }
        #expect(throws: AllocationError.unknownInvoice("NOPE")) { try AllocationPlan.toInvoice("NOPE", amount: money("1"), of: "C1", in: b.book, on: on) }
        #expect(throws: AllocationError.notYetIssued(invoice: "I3", issued: day("2026-03-01"), day: on)) {
            try AllocationPlan.toInvoice("I3", amount: money("1"), of: "C1", in: b.book, on: on)
        }
        #expect(throws: AllocationError.notPositive(.zero)) { try AllocationPlan.toInvoice("I1", amount: .zero, of: "C1", in: b.book, on: on) }
        try b.pay("P1", "C1", on: "2026-02-01", "100", to: "I1")
        #expect(throws: AllocationError.alreadySettled("I1")) { try AllocationPlan.toInvoice("I1", amount: money("1"), of: "C1", in: b.book, on: on) }
    }

    /// For random books and amounts: no allocation exceeds what its invoice has open on the day
    /// (`room(on:)`: what a payment reversed later took back is open only from then), the plan
    /// never exceeds the amount, it applies all it can, and the book accepts it.
    @Test func aPlanNeverExceedsAnInvoiceAndTheBookAcceptsIt() async {
        await propertyCheck(count: 150, input: PropertyTests.seeds, Gen.int(in: 1...400_000), Gen.int(in: 0...500)) { seeds, cents, offset in
            guard var book = try? PropertyTests.randomBook(seeds) else { Issue.record("book"); return }
            let on = day("2025-01-01").adding(days: offset), amount = Money(minorUnits: Int64(cents))
            for id in book.customerOrder {
                let plan = AllocationPlan.oldestDueFirst(amount, of: id, in: book, on: on)
                let openBefore = book.invoices(of: id).filter { $0.issued <= on }.reduce(Money.zero) { $0 + $1.room(on: on) }
                for allocation in plan {
                    let invoice = book.invoices[allocation.invoice]!
                    #expect(allocation.amount.isPositive && allocation.amount <= invoice.room(on: on))
                    #expect(invoice.room(on: on) <= invoice.amount - invoice.settledEver)
                    #expect(invoice.customer == id && invoice.issued <= on)
                }
                let planned = plan.reduce(Money.zero) { $0 + $1.amount }
                #expect(planned == min(amount, openBefore))
                do {
                    try book.apply(.paymentReceived(Payment(reference: "NEW-\(id)", customer: id, day: on, amount: amount, allocations: plan)),
                                   stamp: Stamp(sequence: 1_000, author: "t", time: "", day: on))
                } catch { Issue.record("the book refused a plan: \(error)") }
            }
        }
    }
}
