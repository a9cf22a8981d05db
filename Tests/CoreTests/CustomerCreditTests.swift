@testable import Core
import PropertyBased
import Testing

/// Customer credit [预收]: unapplied cash and unapplied credit notes, as of a day, shown apart
/// from the aging buckets.
@Suite struct CustomerCreditTests {
    /// C1 owes 500. It pays 600 on 10 March (100 unapplied) and gets an unapplied credit note of
    /// 30 on 20 March and one of 20 against the invoice.
    func book() throws -> BookBuilder {
        var b = BookBuilder()
        try b.customer("C1")
        try b.customer("C2")
        try b.invoice("I1", "C1", issued: "2026-01-01", due: "2026-01-31", "500")
        try b.invoice("I2", "C2", issued: "2026-01-01", due: "2026-01-31", "80")
        try b.apply(.paymentReceived(Payment(reference: "P1", customer: "C1", day: day("2026-03-10"), amount: money("600"),
                                             allocations: [Allocation(invoice: "I1", amount: money("500"))])), on: "2026-03-10")
        try b.apply(.creditNoteIssued(CreditNote(number: "CN1", customer: "C1", day: day("2026-03-20"), amount: money("30"), invoice: nil)),
                    on: "2026-03-20")
        try b.apply(.creditNoteIssued(CreditNote(number: "CN2", customer: "C2", day: day("2026-03-20"), amount: money("20"), invoice: "I2")),
                    on: "2026-03-20")
        return b
    }

    @Test func creditIsUnappliedCashAndCreditNotesAsOfTheDay() throws {
        let b = try book()
        #expect(Position("C1", in: b.book, asOf: day("2026-03-09")).credit == .zero)
        #expect(Position("C1", in: b.book, asOf: day("2026-03-10")).credit == money("100"))
        #expect(Position("C1", in: b.book, asOf: day("2026-03-20")).credit == money("130"))
        #expect(Position("C2", in: b.book, asOf: day("2026-03-20")).credit == .zero)  // applied to its invoice
        #expect(Position("C2", in: b.book, asOf: day("2026-03-20")).balance == money("60"))
    }

    @Test func theAgingShowsCreditApartFromTheBuckets() throws {
        let b = try book()
        let report = AgingReport(book: b.book, policy: .standard, asOf: day("2026-03-31"))
        #expect(report.total == money("60"))  // only C2's 60 is open; C1's credit does not reduce it
        #expect(report.rows.map(\.customer) == ["C2"])
        #expect(report.credits.map(\.customer) == ["C1"] && report.creditTotal == money("130"))
        #expect(AgingReport(book: b.book, policy: .standard, asOf: day("2026-03-01")).credits.isEmpty)
    }

    @Test func aSnapshotKeepsTheCredit() throws {
        let b = try book()
        let restored = try Book(snapshotBytes: b.book.snapshotBytes())
        for asOf in ["2026-03-09", "2026-03-10", "2026-03-31"] {
            #expect(Position("C1", in: restored, asOf: day(asOf)) == Position("C1", in: b.book, asOf: day(asOf)))
        }
    }
}

/// The one-pass figures (open items, positions, aging rows) agree with the invoice's own
/// definition of what is open, for random books.
@Suite struct OpenItemAgreementTests {
    @Test func positionsAndOpenItemsAgreeWithTheInvoices() async {
        await propertyCheck(count: 120, input: PropertyTests.seeds, Gen.int(in: 0...500)) { seeds, offset in
            guard let book = try? PropertyTests.randomBook(seeds) else { Issue.record("book"); return }
            let asOf = day("2025-01-01").adding(days: offset)
            let report = AgingReport(book: book, policy: .standard, asOf: asOf)
            for id in book.customerOrder {
                let invoices = book.invoices(of: id)
                let expected = invoices.reduce(Money.zero) { $0 + $1.open(asOf: asOf) }
                let pastDue = invoices.filter { $0.issued <= asOf }.flatMap { $0.openInstalments(asOf: asOf) }
                    .filter { $0.instalment.due < asOf }.reduce(Money.zero) { $0 + $1.open }
                let position = Position(id, in: book, asOf: asOf)
                #expect(position.balance == expected)
                #expect(position.pastDue == pastDue)
                #expect(OpenItems.of(id, in: book, asOf: asOf).reduce(Money.zero) { $0 + $1.open } == expected)
                #expect((report.rows.first { $0.customer == id }?.total ?? .zero) == expected)
            }
        }
    }

    /// The queue's precomputed-key sort gives the documented order.
    @Test func theQueueIsInPriorityOrder() async {
        await propertyCheck(count: 80, input: PropertyTests.seeds, Gen.int(in: 0...500)) { seeds, offset in
            guard let book = try? PropertyTests.randomBook(seeds) else { Issue.record("book"); return }
            let queue = Worklist.build(book: book, policy: .standard, asOf: day("2025-01-01").adding(days: offset))
            for (a, b) in zip(queue, queue.dropFirst()) { #expect(Worklist.order(a, b)) }
        }
    }
}
