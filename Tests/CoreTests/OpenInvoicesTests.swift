@testable import Core
import PropertyBased
import Testing

/// Open items come from each customer's invoices still owed when the day is after its last full
/// settlement, and from all its invoices otherwise: both must give what reading every invoice gives.
@Suite struct OpenInvoicesTests {
    /// Invoices paid in full (in one or two payments), in part, or not at all, on random days.
    static func book(_ seeds: [Int]) throws -> Book {
        var b = BookBuilder()
        for id in ["A", "B"] { try b.customer(id) }
        let start = day("2025-01-01")
        for (index, seed) in seeds.enumerated() {
            let customer = ["A", "B"][abs(seed) % 2]
            let issued = start.adding(days: abs(seed / 7) % 200)
            let amount = Int64(abs(seed) % 50_000 + 2)
            try b.apply(.invoiceIssued(Invoice(number: "I\(index)", customer: customer, issued: issued,
                                               due: issued.adding(days: 30), amount: Money(minorUnits: amount))))
            let paid = issued.adding(days: abs(seed / 3) % 120)
            switch abs(seed) % 4 {
            case 0:  // in full
                try b.pay("P\(index)", customer, on: paid.iso, Currency.cny.format(Money(minorUnits: amount)), to: "I\(index)")
            case 1:  // in full, in two payments
                let half = amount / 2
                try b.pay("P\(index)a", customer, on: paid.iso, Currency.cny.format(Money(minorUnits: half)), to: "I\(index)")
                try b.pay("P\(index)b", customer, on: paid.adding(days: 40).iso, Currency.cny.format(Money(minorUnits: amount - half)), to: "I\(index)")
            case 2:  // in part
                try b.pay("P\(index)", customer, on: paid.iso, Currency.cny.format(Money(minorUnits: amount / 2)), to: "I\(index)")
            default: break
            }
        }
        return b.book
    }

    /// Every instalment of every invoice, read the long way.
    static func reference(_ customer: CustomerID, _ book: Book, asOf day: Day) -> [String] {
        book.invoices(of: customer).filter { $0.issued <= day }.flatMap { invoice in
            invoice.openInstalments(asOf: day).filter { $0.open.isPositive }.map { "\(invoice.number) \($0.instalment.due.iso) \($0.open)" }
        }
    }

    @Test func openItemsAgreeWithReadingEveryInvoice() async {
        await propertyCheck(count: 150, input: Gen.int(in: -1_000_000...1_000_000).array(of: 1...14), Gen.int(in: 0...400)) { seeds, offset in
            guard let book = try? Self.book(seeds) else { Issue.record("book"); return }
            let restored = try? Book(snapshotBytes: book.snapshotBytes())
            let asOf = day("2025-01-01").adding(days: offset)
            for customer in ["A", "B"] {
                let expected = Self.reference(customer, book, asOf: asOf)
                #expect(OpenItems.of(customer, in: book, asOf: asOf).map { "\($0.invoice) \($0.due.iso) \($0.open)" } == expected)
                #expect(restored.map { OpenItems.of(customer, in: $0, asOf: asOf).map { "\($0.invoice) \($0.due.iso) \($0.open)" } } == expected)
            }
        }
    }
}
