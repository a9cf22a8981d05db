@testable import Core
import PropertyBased
import Testing

/// Properties over random books: invoices and payments with random days and amounts.
@Suite struct PropertyTests {
    /// A random book: up to 3 customers, up to 12 invoices, payments allocated oldest first.
    static func randomBook(_ seeds: [Int]) throws -> Book {
        var b = BookBuilder()
        for id in ["A", "B", "C"] { try b.customer(id) }
        let start = day("2025-01-01")
        for (index, seed) in seeds.enumerated() {
            let customer = ["A", "B", "C"][abs(seed) % 3]
            let issued = start.adding(days: abs(seed / 7) % 300)
            try b.apply(.invoiceIssued(Invoice(number: "I\(index)", customer: customer, issued: issued,
                                               due: issued.adding(days: 30), amount: Money(minorUnits: Int64(abs(seed) % 100_000 + 1)))))
            if seed % 2 == 0 {
                // A payment of part of what is open, on a later day.
                let invoice = b.book.invoices["I\(index)"]!
                let amount = Money(minorUnits: max(1, invoice.amount.minorUnits / 2))
                let paidOn = issued.adding(days: abs(seed) % 90)
                try b.pay("P\(index)", customer, on: paidOn.iso, Currency.cny.format(amount), to: "I\(index)")
                if seed % 3 == 0 {  // a third of them come back, the same day or up to three weeks later
                    let returnedOn = paidOn.adding(days: abs(seed / 3) % 21)
                    try b.apply(.paymentReversed(PaymentReversal(payment: "P\(index)", customer: customer, day: returnedOn, reason: "returned")),
                                on: returnedOn.iso)
                }
            }
        }
        return b.book
    }

    static let seeds = Gen.int(in: -1_000_000...1_000_000).array(of: 0...12)

    @Test func bucketsAlwaysAddUpToTheTotal() async {
        await propertyCheck(count: 150, input: Self.seeds, Gen.int(in: 0...500)) { seeds, offset in
            guard let book = try? Self.randomBook(seeds) else { Issue.record("book"); return }
            let asOf = day("2025-01-01").adding(days: offset)
            for basis in AgingBasis.allCases {
                let report = AgingReport(book: book, policy: .standard, asOf: asOf, basis: basis)
                #expect(report.totals.reduce(.zero, +) == report.total)
                #expect(report.rows.reduce(Money.zero) { $0 + $1.total } == report.total)
                let open = book.invoices.all.reduce(Money.zero) { $0 + $1.open(asOf: asOf) }
                #expect(open == report.total)
            }
        }
    }

    @Test func replayIsDeterministic() async {
        await propertyCheck(count: 100, input: Self.seeds) { seeds in
            let first = try? Self.randomBook(seeds), second = try? Self.randomBook(seeds)
            let asOf = day("2025-08-01")
            #expect(first.map { AgingReport(book: $0, policy: .standard, asOf: asOf).totals }
                    == second.map { AgingReport(book: $0, policy: .standard, asOf: asOf).totals })
        }
    }

    @Test func allocationNeverExceedsAnInvoice() async {
        await propertyCheck(count: 150, input: Gen.int(in: 1...100_000), Gen.int(in: 1...200_000)) { amount, paid in
            var b = BookBuilder()
            do {
                try b.customer("A")
                try b.apply(.invoiceIssued(Invoice(number: "I", customer: "A", issued: day("2026-01-01"), due: day("2026-01-31"),
                                                   amount: Money(minorUnits: Int64(amount)))))
                try b.apply(.paymentReceived(Payment(reference: "P", customer: "A", day: day("2026-02-01"), amount: Money(minorUnits: Int64(paid)),
                                                     allocations: [Allocation(invoice: "I", amount: Money(minorUnits: Int64(paid)))])))
                #expect(paid <= amount)  // accepted only when it fits
            } catch let error as BookError {
                #expect(paid > amount)
                if case .overAllocated = error {} else { Issue.record("unexpected \(error)") }
            } catch { Issue.record("unexpected \(error)") }
            #expect(b.book.invoices["I"].map { $0.settledEver <= $0.amount } ?? true)
        }
    }

    /// What is settled never decreases with time but by what payments reversed in between take
    /// back, and never leaves 0...amount.
    @Test func whatIsSettledNeverDecreasesWithTime() async {
        await propertyCheck(count: 100, input: Self.seeds, Gen.int(in: 0...400)) { seeds, offset in
            guard let book = try? Self.randomBook(seeds) else { return }
            let earlier = day("2025-01-01").adding(days: offset), later = earlier.adding(days: 30)
            for invoice in book.invoices.all {
                let takenBack = invoice.settlements.filter { $0.amount.isNegative && $0.day > earlier && $0.day <= later }
                    .reduce(Money.zero) { $0 - $1.amount }
                #expect(invoice.settled(asOf: earlier) <= invoice.settled(asOf: later) + takenBack)
                #expect(!invoice.settled(asOf: later).isNegative && invoice.settled(asOf: later) <= invoice.amount)
            }
        }
    }
}
