@testable import Core
import Testing

/// What the queue's points weigh of a customer's past due: what its own credit and a pending
/// promise leave, oldest items first, as the hold advice and dunning weigh it.
@Suite struct QueueWeightTests {
    /// A customer owing A (due 10 January) and B (due `bDue`), as of 5 March.
    func twoInvoices(_ id: String, a: String, b: String, bDue: String) throws -> BookBuilder {
        var book = BookBuilder()
        try book.customer(id)
        try book.invoice("A", id, issued: "2025-12-10", due: "2026-01-10", a)
        try book.invoice("B", id, issued: "2026-01-20", due: bDue, b)
        return book
    }

    let asOf = day("2026-03-05")

    func item(_ id: String, in book: BookBuilder) -> QueueItem? {
        Worklist.build(book: book.book, policy: .standard, asOf: asOf).first { $0.customer == id }
    }

    /// G3's credit note of 50 covers A (54 days past due), leaving B (13 days): the rank is the
    /// same before the credit is applied and after.
    @Test func theQueueRanksByTheOldestItemCreditLeaves() throws {
        var b = try twoInvoices("G3", a: "50", b: "100", bDue: "2026-02-20")
        try b.apply(.creditNoteIssued(CreditNote(number: "CN3", customer: "G3", day: day("2026-02-01"), amount: money("50"), invoice: nil)), on: "2026-02-01")
        let before = try #require(item("G3", in: b)?.reasons.first { $0.kind == .oldestItem })
        #expect(before.about == .days(13))
        for application in try CreditPlan.plan("G3", from: nil, to: nil, amount: nil, on: asOf, in: b.book, id: { "CA\($0 + 1)" }) {
            try b.apply(.creditApplied(application), on: "2026-03-05")
        }
        #expect(item("G3", in: b)?.reasons.first { $0.kind == .oldestItem } == before)
    }

    /// G4 promised A's 10,000 (54 days late); B's 2,000 falling due brings it back, ranked on B
    /// alone (2 thousands past due, 3 days), not on 12,000 and 54 days.
    @Test func theQueueWeighsWhatAPromiseLeaves() throws {
        var b = try twoInvoices("G4", a: "10000", b: "2000", bDue: "2026-03-02")
        try b.apply(.promiseTaken(Promise(id: "PR1", customer: "G4", amount: money("10000"), due: day("2026-03-10"), toleranceDays: 2,
                                          taken: day("2026-03-01"), takenBy: "tester")), on: "2026-03-01")
        let queued = try #require(item("G4", in: b))
        #expect(queued.reasons.contains { $0.kind == .newlyPastDue })
        #expect(queued.reasons.first { $0.kind == .oldestItem }?.about == .days(3))
        let pastDue = try #require(queued.reasons.first { $0.kind == .pastDue })
        #expect(pastDue.about == .pastDue(money("2000")) && pastDue.points == 2 * Policy.standard.queue.perThousandPastDue, "\(pastDue)")
    }
}
