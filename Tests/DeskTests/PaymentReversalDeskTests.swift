import Core
@testable import Desk
import Foundation
import Testing

/// A manager takes back a payment that came back unpaid: the desk checks the request, and every
/// view of the customer (ledger, statement, export) shows the payment and its reversal.
@Suite(.serialized) struct PaymentReversalDeskTests {
    /// C1 owes I1 (100, due 14 February); B1 paid 130 on 20 February, 30 of it left as a credit.
    func book() throws -> TestBook {
        let book = try TestBook(today: day("2026-03-01"))
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "Acme Ltd")]))
        try book.desk.perform(.issueInvoices([
            Invoice(number: "I1", customer: "C1", issued: day("2026-01-15"), due: day("2026-02-14"), amount: cny("100")),
        ]))
        try book.desk.perform(.pay("C1", amount: cny("130"), on: day("2026-02-20"), invoice: nil, reference: "B1", method: "cheque"))
        return book
    }

    @Test func aManagerReversesAPaymentWithAReason() throws {
        let book = try book()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\n")
        let collector = try book.reopen(user: "lina")
        #expect(throws: DeskError.self) { try collector.perform(.reversePayment(reference: "B1", on: day("2026-03-01"), reason: "NSF")) }
        let desk = try book.reopen()
        #expect(throws: DeskError.self) { try desk.perform(.reversePayment(reference: "B1", on: day("2026-03-01"), reason: " ")) }
        #expect(throws: DeskError.self) { try desk.perform(.reversePayment(reference: "B9", on: day("2026-03-01"), reason: "NSF")) }
        #expect(throws: DeskError.self) { try desk.perform(.reversePayment(reference: "B1", on: day("2026-03-02"), reason: "NSF")) }
        #expect(throws: DeskError.self) { try desk.perform(.reversePayment(reference: "B1", on: day("2026-02-19"), reason: "NSF")) }
        let written = try desk.perform(.reversePayment(reference: "B1", on: day("2026-02-27"), reason: "cheque returned unpaid"))
        #expect(written.map(\.type) == ["payment.reversed"])
        #expect(throws: DeskError.self) { try desk.perform(.reversePayment(reference: "B1", on: day("2026-03-01"), reason: "again")) }
        // Read back from the log: the invoice is owed again, the credit gone.
        let reopened = try book.reopen()
        let position = Position("C1", in: reopened.book, asOf: day("2026-03-01"))
        #expect(position.balance == cny("100") && position.credit == .zero)
        #expect(Position("C1", in: reopened.book, asOf: day("2026-02-26")).balance == .zero)
        // u does not take it back: money that did arrive after all is a payment entered again.
        #expect { try reopened.perform(.undoLast) } throws: { error in
            "\(error)".contains("reversed payment B1") && "\(error)".contains("record it again as a payment")
        }
    }

    @Test func theLedgerStatementAndExportShowTheReversal() throws {
        let book = try book()
        try book.desk.perform(.reversePayment(reference: "B1", on: day("2026-02-27"), reason: "cheque returned unpaid"))
        let desk = try book.reopen()
        let ledger = try LedgerOutput(book: desk.book, customer: "C1", asOf: day("2026-03-01"))
        #expect(ledger.table.rows.contains { $0 == ["2026-02-27", "reversal", "B1", "", "-130.00", "", "cheque returned unpaid"] })
        #expect(ledger.json.contains(#""reversed":{"date":"2026-02-27","reason":"cheque returned unpaid","cause":"returned"}"#))
        let before = try LedgerOutput(book: desk.book, customer: "C1", asOf: day("2026-02-26"))
        #expect(!before.table.rows.contains { $0[1] == "reversal" })

        let statement = try Statement(book: desk.book, customer: "C1", from: nil, to: day("2026-03-01"))
        #expect(statement.lines.map(\.kind) == [.invoice, .payment, .reversal])
        #expect(statement.lines.last?.debit == cny("130"))
        #expect(statement.closing == cny("100"))

        let export = HledgerExport(book: desk.book, asOf: day("2026-03-01")).render()
        #expect(export.contains("2026-02-27 * Reversal of payment B1 | Acme Ltd ; cheque returned unpaid"))
        #expect(export.contains("    assets:bank  CNY -130.00"))
        #expect(export.contains("    liabilities:unapplied-cash:C1  CNY 30.00"))
        // A reason typed with a CR LF (one Character) stays on its one line of the journal.
        #expect(HledgerExport(book: desk.book, asOf: day("2026-03-01")).clean("returned\r\nunpaid; NSF") == "returned unpaid  NSF")
        #expect(!HledgerExport(book: desk.book, asOf: day("2026-02-26")).render().contains("Reversal"))

        let (kind, detail) = ActivityText.describe(desk.book.timeline(of: "C1").last!.kind, book: desk.book)
        #expect(kind == "payment reversed" && detail == "B1 · 130.00 · cheque returned unpaid")
        // Returned unpaid the day it came: on that day the reversal follows the payment.
        try desk.perform(.pay("C1", amount: cny("50"), on: day("2026-02-28"), invoice: nil, reference: "B2", method: "bank"))
        try desk.perform(.reversePayment(reference: "B2", on: day("2026-02-28"), reason: "NSF", cause: .returned))
        let sameDay = try Statement(book: desk.book, customer: "C1", from: day("2026-02-28"), to: day("2026-03-01"))
        #expect(sameDay.lines.map(\.kind) == [.payment, .reversal] && sameDay.lines.map(\.balance) == [cny("50"), cny("100")])
        // Entered in error: the customer never paid it, and neither line is theirs to read.
        try desk.perform(.pay("C1", amount: cny("70"), on: day("2026-02-28"), invoice: nil, reference: "B3", method: "bank"))
        try desk.perform(.reversePayment(reference: "B3", on: day("2026-03-01"), reason: "typo", cause: .enteredInError))
        let inError = try Statement(book: desk.book, customer: "C1", from: day("2026-02-28"), to: day("2026-03-01"))
        #expect(!inError.lines.contains { $0.reference == "B3" } && inError.closing == cny("100"))
        // Before its reversal it stood, as the aging of that day has it.
        let standing = try Statement(book: desk.book, customer: "C1", from: day("2026-02-28"), to: day("2026-02-28"))
        #expect(standing.lines.contains { $0.reference == "B3" } && standing.closing == cny("30"))
    }
}
