import Core
@testable import Desk
import Foundation
import Testing

/// Payments recorded, or listed in a file, out of the order of their days: each is allocated as
/// of its day, and what a past day shows does not depend on the order they came in.
@Suite struct PaymentOrderDeskTests {
    func bookWithTwoInvoices() throws -> TestBook {
        let book = try TestBook(today: day("2026-03-01"))
        try book.desk.perform(.addCustomers([Customer(id: "L1", name: "Order Co", termsDays: 30)]))
        try book.desk.perform(.issueInvoices([
            Invoice(number: "L-A", customer: "L1", issued: day("2026-01-01"), due: day("2026-01-31"), amount: cny("1000")),
            Invoice(number: "L-B", customer: "L1", issued: day("2026-01-29"), due: day("2026-02-28"), amount: cny("1000")),
        ]))
        return book
    }

    /// Customer C on 31 March with invoices issued in January, each (number, issue day, due day, amount).
    func bookOfC(_ invoices: [(String, String, String, String)]) throws -> TestBook {
        let book = try TestBook(today: day("2026-03-31"))
        try book.desk.perform(.addCustomers([Customer(id: "C", name: "Cust C")]))
        try book.desk.perform(.issueInvoices(invoices.map { number, issued, due, amount in
            Invoice(number: number, customer: "C", issued: day(issued), due: day(due), amount: cny(amount))
        }))
        return book
    }

    func notDueOnTheTenth(_ desk: Desk) -> Money {
        AgingReport(book: desk.book, policy: desk.policy, asOf: day("2026-02-10")).totals[0]
    }

    @Test func paymentsEnteredNewestFirst() throws {
        let book = try bookWithTwoInvoices()
        try book.desk.perform(.pay("L1", amount: cny("1000"), on: day("2026-02-20"), invoice: nil, reference: "LATE", method: ""))
        let records = try book.desk.perform(.pay("L1", amount: cny("1000"), on: day("2026-02-01"), invoice: nil, reference: "EARLY", method: ""))
        #expect(book.desk.paymentsMoved(by: records).map(\.payment) == ["LATE"])  // what the screens and the command line say moved
        #expect(notDueOnTheTenth(book.desk) == cny("1000"))
        #expect(book.desk.book.payments["LATE"]!.allocations.map(\.invoice) == ["L-B"])
        // From the log, as the next session reads it.
        let reopened = try book.reopen()
        #expect(notDueOnTheTenth(reopened) == cny("1000"))
        #expect(reopened.book.payments["EARLY"]!.allocations.map(\.invoice) == ["L-A"])
        #expect(reopened.book.payments["EARLY"]!.byRule)
    }

    @Test func aBankStatementNewestFirstImportsAsIfInDateOrder() throws {
        let book = try bookWithTwoInvoices()
        let path = book.write("statement.csv", "reference,customer,date,amount\nLATE,L1,2026-02-20,1000.00\nEARLY,L1,2026-02-01,1000.00\n")
        let plan = try Importer(kind: .payments, options: .init(), book: book.desk.book).plan(path: path)
        #expect(plan.issues.isEmpty)
        #expect(!plan.events.contains { if case .paymentsReallocated = $0 { true } else { false } }, "planned by date: nothing to move")
        try book.desk.perform(.batch(plan.events))
        #expect(notDueOnTheTenth(book.desk) == cny("1000"))
        #expect(book.desk.book.payments["EARLY"]!.allocations.map(\.invoice) == ["L-A"])
    }

    @Test func issuesOfAFilePlannedByDateAreListedByLine() throws {
        let book = try bookWithTwoInvoices()
        let path = book.write("statement.csv", "reference,customer,date,amount\nP1,L1,2026-02-20,1000.00\nP2,NOPE,2026-02-01,5.00\nP1,L1,2026-02-02,1.00\n")
        let plan = try Importer(kind: .payments, options: .init(), book: book.desk.book).plan(path: path)
        #expect(plan.issues.map(\.line) == [3, 4])
        #expect(plan.issues.last?.reason.contains("first on line 2") == true)
    }

    /// The README's correction: a back-dated payment entered with the wrong amount, reversed as
    /// entered in error and entered again. The later payment takes again as in date order.
    @Test func aCorrectedBackDatedPaymentLeavesTheLaterOneWhole() throws {
        let book = try bookOfC([("I1", "2026-01-01", "2026-01-31", "100"), ("I2", "2026-01-10", "2026-02-09", "200"),
                                ("I3", "2026-01-20", "2026-02-19", "300")])
        try book.desk.perform(.pay("C", amount: cny("500"), on: day("2026-03-10"), invoice: nil, reference: "P2", method: ""))
        let backDated = Command.pay("C", amount: cny("300"), on: day("2026-03-01"), invoice: nil, reference: "P1", method: "")
        #expect(book.desk.creditLeft(by: backDated) == cny("200"), "P2 would leave 200 as credit: asked for as a prepayment is")
        try book.desk.perform(backDated)
        try book.desk.perform(.reversePayment(reference: "P1", on: day("2026-03-01"), reason: "wrong amount", cause: .enteredInError))
        try book.desk.perform(.pay("C", amount: cny("30"), on: day("2026-03-01"), invoice: nil, reference: "P1b", method: ""))
        let p2 = try #require(book.desk.book.payments["P2"])
        #expect(Set(p2.allocations.map(\.invoice)) == ["I1", "I2", "I3"])
        #expect(p2.unapplied == .zero)
        let position = Position("C", in: book.desk.book, asOf: day("2026-03-31"))
        #expect(position.balance == cny("70") && position.credit == .zero)
    }

    /// A back-dated payment entered in error and reversed, with nothing in its place: the payment
    /// it had moved takes again, as if it had never been there.
    @Test func aReversalLetsLaterPaymentsTakeAgain() throws {
        let book = try bookOfC([("I1", "2026-01-01", "2026-01-31", "100"), ("I2", "2026-01-10", "2026-02-10", "100")])
        try book.desk.perform(.pay("C", amount: cny("100"), on: day("2026-03-10"), invoice: nil, reference: "L", method: ""))
        try book.desk.perform(.pay("C", amount: cny("100"), on: day("2026-02-20"), invoice: nil, reference: "E0", method: ""))
        #expect(book.desk.book.payments["L"]!.allocations.map(\.invoice) == ["I2"])
        try book.desk.perform(.reversePayment(reference: "E0", on: day("2026-02-20"), reason: "typo", cause: .enteredInError))
        #expect(book.desk.book.payments["L"]!.allocations.map(\.invoice) == ["I1"])
        let reopened = try book.reopen()
        #expect(reopened.book.payments["L"]!.allocations.map(\.invoice) == ["I1"])
        #expect(OpenItems.of("C", in: reopened.book, asOf: day("2026-03-31")).map(\.invoice) == ["I2"])
        // A payment bounced later holds its invoice until it came back: one dated in between
        // keeps to the other invoice.
        try book.desk.perform(.pay("C", amount: cny("100"), on: day("2026-03-20"), invoice: nil, reference: "M", method: ""))
        try book.desk.perform(.reversePayment(reference: "L", on: day("2026-03-25"), reason: "returned", cause: .returned))
        #expect(book.desk.book.payments["M"]!.allocations.map(\.invoice) == ["I2"])
    }
}
