@testable import Core
import Testing

/// A write-off taken back (`Event.writeOffReinstated`): made by mistake, or the customer paid
/// after all.
@Suite struct WriteOffReinstatementTests {
    /// G1 owes L1 100 (due 31 January) and L2 80 (due 3 March); L1 is written off on 5 March, and
    /// P2 of 100 on 20 March, by the rule, pays L2 and leaves 20 as credit.
    func book() throws -> BookBuilder {
        var b = try writtenOff()
        let rule = try DateOrder.plan(money("100"), of: "G1", to: nil, in: b.book, on: day("2026-03-20"))
        try b.apply(.paymentReceived(Payment(reference: "P2", customer: "G1", day: day("2026-03-20"), amount: money("100"),
                                             allocations: rule.allocations, byRule: true)), on: "2026-03-20")
        return b
    }

    /// The book before P2: L1 written off on 5 March.
    func writtenOff() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("G1")
        try b.customer("G2")
        try b.invoice("L1", "G1", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("L2", "G1", issued: "2026-02-01", due: "2026-03-03", "80")
        try b.apply(.writtenOff(WriteOff(id: "WO1", customer: "G1", day: day("2026-03-05"), allocations: [Allocation(invoice: "L1", amount: money("100"))],
                                         reason: "gone bust", approvedBy: "mgr")), on: "2026-03-05")
        return b
    }

    @Test func aReinstatedWriteOffIsOwedAgainFromItsDayOnly() throws {
        var b = try book()
        #expect(throws: BookError.self) { var early = b; try early.apply(.writeOffReinstated(id: "WO1", customer: "G1", day: day("2026-03-04"), reason: "x")) }
        #expect(throws: BookError.self) { var other = b; try other.apply(.writeOffReinstated(id: "WO1", customer: "G2", day: day("2026-03-10"), reason: "x")) }
        #expect(throws: BookError.self) { var unknown = b; try unknown.apply(.writeOffReinstated(id: "WO9", customer: "G1", day: day("2026-03-10"), reason: "x")) }
        try b.apply(.writeOffReinstated(id: "WO1", customer: "G1", day: day("2026-03-10"), reason: "written off by mistake"), on: "2026-03-10")
        #expect(throws: BookError.self) { var twice = b; try twice.apply(.writeOffReinstated(id: "WO1", customer: "G1", day: day("2026-03-11"), reason: "x")) }
        let l1 = try #require(b.book.invoices["L1"])
        #expect(l1.open(asOf: day("2026-03-09")) == .zero && l1.open(asOf: day("2026-03-10")) == money("100"))
        #expect(Position("G1", in: b.book, asOf: day("2026-03-09")).balance == money("80"))
        #expect(Position("G1", in: b.book, asOf: day("2026-03-10")).balance == money("180"))
        #expect(b.book.writeOffsStanding(of: "G1", asOf: day("2026-03-09")).map(\.id) == ["WO1"])
        #expect(b.book.writeOffsStanding(of: "G1", asOf: day("2026-03-10")).isEmpty)
        let restored = try Book(snapshotBytes: b.book.snapshotBytes())
        #expect(restored.writeOffs == b.book.writeOffs && restored.writeOffs["WO1"]?.reinstated?.reason == "written off by mistake"
                && restored.writeOffs["WO1"]?.reinstated?.by == "tester")
        #expect(restored.snapshotBytes() == b.book.snapshotBytes())
    }

    /// The customer paid after the write-off: reinstated on the payment's day, the payment the
    /// rule left as credit pays the invoice again, as in date order.
    @Test func aPaymentAfterTheWriteOffPaysWhatItsReinstatementReopens() throws {
        var b = try book()
        #expect(Position("G1", in: b.book, asOf: day("2026-03-20")).credit == money("20"))
        let moved = DateOrder.afterReinstatement(of: "WO1", on: day("2026-03-20"), in: b.book)
        #expect(moved == [PaymentAllocations(payment: "P2", allocations: [Allocation(invoice: "L1", amount: money("100"))])])
        try b.apply(.writeOffReinstated(id: "WO1", customer: "G1", day: day("2026-03-20"), reason: "paid after all"), on: "2026-03-21")
        try b.apply(.paymentsReallocated("G1", moved), on: "2026-03-21")
        #expect(b.book.invoices["L1"]?.open(asOf: day("2026-03-20")) == .zero)
        #expect(b.book.invoices["L2"]?.open(asOf: day("2026-03-20")) == money("80"))
        #expect(Position("G1", in: b.book, asOf: day("2026-03-20")).credit == .zero)
        // The payment that now pays L1 paid it 48 days after its due date: interest on a payment
        // made late counts those days, as it would had L1 never been written off.
        let terms = InterestTerms(annualRateBasisPoints: 3_650, graceDays: 0)  // 0.1 % a day
        let interest = Interest.paidLate("G1", in: b.book, asOf: day("2026-03-21"), paidAfter: day("2026-01-01"), billedThrough: nil, terms: terms)
        #expect(interest == money("4.80"), "\(interest)")  // L1: 100 × 48 days (L2 is still open)
        // A payment dated the day before the write-off but recorded after it left L1 to it: the
        // write-off reinstated on its own day, the payment takes L1 as in date order.
        var before = try writtenOff()
        let rule = try DateOrder.plan(money("80"), of: "G1", to: nil, in: before.book, on: day("2026-03-04"))
        #expect(rule.allocations == [Allocation(invoice: "L2", amount: money("80"))])
        try before.apply(.paymentReceived(Payment(reference: "P0", customer: "G1", day: day("2026-03-04"), amount: money("80"),
                                                  allocations: rule.allocations, byRule: true)), on: "2026-03-07")
        #expect(DateOrder.afterReinstatement(of: "WO1", on: day("2026-03-05"), in: before.book)
                == [PaymentAllocations(payment: "P0", allocations: [Allocation(invoice: "L1", amount: money("80"))])])
        #expect(DateOrder.afterReinstatement(of: "WO1", on: day("2026-03-06"), in: before.book).isEmpty)  // L1 written off on 03-05 then
        // Reinstated after the payment's day, the payment cannot pay it back in time: nothing moves.
        let late = try book()
        #expect(DateOrder.afterReinstatement(of: "WO1", on: day("2026-03-25"), in: late.book).isEmpty)
    }
}
