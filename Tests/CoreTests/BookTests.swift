@testable import Core
import PropertyBased
import Testing

/// The fold itself: an event the book refuses changes nothing, however far it got.
@Suite struct BookTests {
    func twoInvoices() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("A")
        try b.invoice("I1", "A", issued: "2026-01-01", due: "2026-01-31", "100")
        try b.invoice("I2", "A", issued: "2026-01-01", due: "2026-01-31", "50")
        return b
    }

    @Test func aPaymentThatFailsOnItsSecondAllocationSettlesNothing() throws {
        var b = try twoInvoices()
        let payment = Payment(reference: "P", customer: "A", day: day("2026-02-01"), amount: money("200"),
                              allocations: [Allocation(invoice: "I1", amount: money("100")), Allocation(invoice: "I2", amount: money("60"))])
        #expect(throws: BookError.overAllocated(invoice: "I2", open: money("50"), allocated: money("60"))) { try b.apply(.paymentReceived(payment)) }
        #expect(b.book.invoices["I1"]?.settledEver == .zero)
        #expect(b.book.payments["P"] == nil)
    }

    /// A payment's number is checked and indexed in one probe of the index: a second payment with
    /// the same number is refused before it settles anything, and a failed payment leaves the
    /// number free.
    @Test func aPaymentNumberIsTakenOnceAndOnlyWhenApplied() throws {
        var b = try twoInvoices()
        let first = Payment(reference: "P", customer: "A", day: day("2026-02-01"), amount: money("30"),
                            allocations: [Allocation(invoice: "I1", amount: money("30"))])
        let tooMuch = Payment(reference: "Q", customer: "A", day: day("2026-02-01"), amount: money("80"),
                              allocations: [Allocation(invoice: "I2", amount: money("80"))])
        #expect(throws: BookError.self) { try b.apply(.paymentReceived(tooMuch)) }
        try b.apply(.paymentReceived(first))
        var again = first
        again.allocations = [Allocation(invoice: "I2", amount: money("10"))]
        #expect(throws: BookError.duplicateDocument("P")) { try b.apply(.paymentReceived(again)) }
        #expect(b.book.invoices["I2"]?.settledEver == .zero)
        let fits = Payment(reference: "Q", customer: "A", day: day("2026-02-02"), amount: money("50"),
                           allocations: [Allocation(invoice: "I2", amount: money("50"))])
        try b.apply(.paymentReceived(fits))
        #expect(b.book.payments["P"]?.amount == money("30"))
        #expect(b.book.payments["Q"]?.amount == money("50"))
        #expect(b.book.invoices["I2"]?.isFullySettled == true)
    }

    @Test func twoAllocationsToOneInvoiceAreCheckedByTheirSum() throws {
        var b = try twoInvoices()
        let payment = Payment(reference: "P", customer: "A", day: day("2026-02-01"), amount: money("200"),
                              allocations: [Allocation(invoice: "I2", amount: money("30")), Allocation(invoice: "I2", amount: money("30"))])
        #expect(throws: BookError.overAllocated(invoice: "I2", open: money("20"), allocated: money("30"))) { try b.apply(.paymentReceived(payment)) }
        #expect(b.book.invoices["I2"]?.settledEver == .zero)
    }

    @Test func aWriteOffNamingAnUnknownInvoiceWritesOffNothing() throws {
        var b = try twoInvoices()
        let writeOff = WriteOff(id: "W", customer: "A", day: day("2026-03-01"),
                                allocations: [Allocation(invoice: "I1", amount: money("10")), Allocation(invoice: "NOPE", amount: money("1"))],
                                reason: "gone", approvedBy: "boss")
        #expect(throws: BookError.unknownInvoice("NOPE")) { try b.apply(.writtenOff(writeOff)) }
        #expect(b.book.invoices["I1"]?.settledEver == .zero)
    }

    @Test func aPlanWithAReusedIdAddsNoneOfItsInstalments() throws {
        var b = try twoInvoices()
        func p(_ id: String) -> Promise {
            Promise(id: id, customer: "A", amount: money("10"), due: day("2026-03-01"), toleranceDays: 0, taken: day("2026-02-01"), takenBy: "x")
        }
        #expect(throws: BookError.duplicateDocument("P2")) { try b.apply(.planAgreed(id: "PL", customer: "A", instalments: [p("P1"), p("P2"), p("P2")])) }
        #expect(b.book.promises.isEmpty)
    }

    /// A payment split over two invoices is either applied whole or not at all.
    @Test func paymentsApplyWholeOrNotAtAll() async {
        await propertyCheck(count: 150, input: Gen.int(in: 1...150), Gen.int(in: 1...150)) { first, second in
            guard var b = try? twoInvoices() else { Issue.record("book"); return }
            let payment = Payment(reference: "P", customer: "A", day: day("2026-02-01"), amount: Money(minorUnits: Int64(first + second) * 100),
                                  allocations: [Allocation(invoice: "I1", amount: money("\(first)")), Allocation(invoice: "I2", amount: money("\(second)"))])
            let fits = first <= 100 && second <= 50
            #expect(((try? b.apply(.paymentReceived(payment))) != nil) == fits)
            let settled = b.book.invoices.all.reduce(Money.zero) { $0 + $1.settledEver }
            #expect(settled == (fits ? money("\(first + second)") : .zero))
        }
    }
}
