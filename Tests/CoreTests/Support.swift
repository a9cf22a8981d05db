@testable import Core

func day(_ iso: String) -> Day { Day(iso: iso)! }
func money(_ text: String) -> Money { Currency.cny.parse(text)! }

/// A book built by applying events, with stamps numbered in order.
struct BookBuilder {
    var book = Book()
    var sequence: UInt64 = 0

    @discardableResult
    mutating func apply(_ event: Event, on iso: String = "2026-01-01", by author: String = "tester") throws -> UInt64 {
        sequence += 1
        try book.apply(event, stamp: Stamp(sequence: sequence, author: author, time: "", day: day(iso)))
        return sequence
    }

    mutating func customer(_ id: String, limit: String = "0", grade: RiskGrade? = nil, collector: String? = nil) throws {
        try apply(.customerAdded(Customer(id: id, name: "Customer \(id)", creditLimit: money(limit), grade: grade, collector: collector)))
    }

    mutating func invoice(_ number: String, _ customer: String, issued: String, due: String, _ amount: String) throws {
        try apply(.invoiceIssued(Invoice(number: number, customer: customer, issued: day(issued), due: day(due), amount: money(amount))))
    }

    mutating func pay(_ reference: String, _ customer: String, on iso: String, _ amount: String, to invoice: String) throws {
        try apply(.paymentReceived(Payment(reference: reference, customer: customer, day: day(iso), amount: money(amount),
                                           allocations: [Allocation(invoice: invoice, amount: money(amount))])), on: iso)
    }
}

/// A seeded generator (SplitMix64), so that a failing case can be found again.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
