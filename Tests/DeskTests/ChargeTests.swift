import Core
@testable import Desk
import Foundation
import Testing

/// Fees and interest billed by dunning letters are kept apart from the principal (DOMAIN.md:
/// paying the principal must not silently erase them), paid or waived on their own.
@Suite(.serialized) struct ChargeTests {
    /// Two letter levels that each bill a 10.00 fee and the interest not billed yet (10 % a
    /// year, no grace days); one invoice of 100.00 due 2026-02-14, 15 days late on 2026-03-01.
    static let policy = """
        [interest]
        annual_rate = "10%"
        grace_days = 0

        [[dunning.levels]]
        name = "final notice"
        trigger_days = 1
        channel = "letter"
        template = "final"
        fee = "10.00"
        interest = true

        [[dunning.levels]]
        name = "second notice"
        trigger_days = 20
        channel = "letter"
        template = "final"
        fee = "10.00"
        interest = true
        """

    /// A reminder that bills a fee but no interest says the fee alone, not "interest 0.00".
    @Test func aLetterSaysOnlyTheChargesItBills() throws {
        setenv("ARDESK_TEMPLATES", CLIRoot.path + "/templates", 1)
        let book = try TestBook(today: day("2026-03-01"))
        _ = book.write("policy.toml", """
            [[dunning.levels]]
            name = "reminder"
            trigger_days = 1
            channel = "letter"
            template = "reminder"
            fee = "5.00"
            interest = false
            """)
        let desk = try book.reopen()
        try desk.perform(.addCustomers([Customer(id: "C1", name: "Acme Ltd")]))
        try desk.perform(.issueInvoices([Invoice(number: "I1", customer: "C1", issued: day("2026-01-15"), due: day("2026-02-14"), amount: cny("100"))]))
        _ = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let letter = try String(contentsOfFile: book.folder.path + "/outbox/2026-03-01/C1-letter-1.md", encoding: .utf8)
        #expect(letter.contains("Shown apart from the principal: fee CNY 5.00. Total now due"), "\(letter)")
        #expect(!letter.contains("interest CNY 0.00"))
    }

    func book(user: String = "tester") throws -> TestBook {
        setenv("ARDESK_TEMPLATES", CLIRoot.path + "/templates", 1)
        let book = try TestBook(today: day("2026-03-01"))
        _ = book.write("policy.toml", Self.policy)
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "Acme Ltd"), Customer(id: "C2", name: "Other Ltd")]))
        try book.desk.perform(.issueInvoices([
            Invoice(number: "I1", customer: "C1", issued: day("2026-01-15"), due: day("2026-02-14"), amount: cny("100")),
        ]))
        return book
    }

    func charges(_ desk: Desk) -> [Charge] { desk.book.charges(of: "C1") }

    /// DOMAIN's vector: 100.00 outstanding, 15 days, 10 % a year → 0.41 interest; with a 10.00
    /// level fee → 110.41. The run records both as charges and the letter bills 110.41.
    @Test func aLetterBillsItsFeeAndInterestAsCharges() throws {
        let book = try book()
        let desk = try book.reopen()
        let dry = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: true)
        #expect(dry.first?.proposal.fee == cny("10") && dry.first?.proposal.interest == cny("0.41"))
        let actions = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        #expect(actions.first?.action.english == "letter outbox/2026-03-01/C1-letter-1.md")
        #expect(actions.first?.proposal.fee == cny("10") && actions.first?.proposal.interest == cny("0.41"))
        #expect(charges(desk).map(\.amount) == [cny("10"), cny("0.41")])
        #expect(charges(desk).map(\.kind) == [.fee(level: 1), .interest(through: day("2026-03-01"))])
        let letter = try String(contentsOfFile: book.folder.path + "/outbox/2026-03-01/C1-letter-1.md", encoding: .utf8)
        #expect(letter.contains("| Late-payment interest | 0.41 |") && letter.contains("**110.41**"))
        // Kept apart: the principal and the aging do not move.
        #expect(Position("C1", in: desk.book, asOf: day("2026-03-01")).balance == cny("100"))
        #expect(OpenCharges.total("C1", in: desk.book, asOf: day("2026-03-01")) == cny("10.41"))
        #expect(OpenCharges.total("C1", in: desk.book, asOf: day("2026-02-28")) == .zero)
    }

    /// A promise may cover the fees and interest open beside the invoices: 110.41 is all the
    /// customer owes after the letter (it was refused as more than the balance, 100.00).
    @Test func aPromiseMayCoverTheFeesAndInterestOpen() throws {
        let book = try book()
        let desk = try book.reopen()
        _ = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        try desk.perform(.promise("C1", amount: cny("110.41"), due: day("2026-03-05")))
        let more = try book.reopen(today: day("2026-03-02"))
        #expect { try more.perform(.promise("C1", amount: cny("110.42"), due: day("2026-03-06"))) } throws: {
            "\($0)".contains("a promise of 110.42 is more than C1 owes with fees and interest (110.41)")
        }
    }

    /// The rate raised to 20 % from 02-22: the letter of 03-01 bills the 15 days late at the rate
    /// of each, 7 days at 10 % (0.19) and 8 at 20 % (0.44), where writing 20 % over the old rate
    /// would have billed all 15 at 20 %.
    @Test func aRateChangedMidwayBillsEachDayAtItsRate() throws {
        let book = try book()
        _ = book.write("policy.toml", Self.policy + "\n\n[[interest.changes]]\nfrom = \"2026-02-22\"\nannual_rate = \"20%\"\n")
        let desk = try book.reopen()
        #expect(desk.policy.interest.changes.count == 1)
        _ = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        #expect(charges(desk).map(\.amount) == [cny("10"), cny("0.63")])
    }

    /// Paying the principal leaves the charges open; the next letter reminds of them and bills
    /// interest only for the days after the last bill; a payment beyond the invoices pays them.
    @Test func payingThePrincipalDoesNotEraseThem() throws {
        let book = try book()
        var desk = try book.reopen()
        _ = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        desk = try book.reopen(today: day("2026-03-11"))
        try desk.perform(.pay("C1", amount: cny("60"), on: day("2026-03-11"), invoice: nil, reference: "B1", method: "bank"))
        #expect(desk.book.payments["B1"]?.charges == [])  // all of it went on the invoice
        #expect(OpenCharges.total("C1", in: desk.book, asOf: day("2026-03-11")) == cny("10.41"))

        // The second level (20 days late) on 03-11: interest for the ten days after 03-01 on the
        // 40.00 still open (40 × 10 % × 10 / 365 = 0.11) and on the 60.00 paid late on 03-11
        // (0.16), the fee, and the 10.41 still owed.
        let second = try desk.dunningRun(asOf: day("2026-03-11"), dryRun: false)
        #expect(second.first?.proposal.interest == cny("0.27"))
        #expect(second.first?.proposal.earlierCharges == cny("10.41"))
        let letter = try String(contentsOfFile: book.folder.path + "/outbox/2026-03-11/C1-letter-2.md", encoding: .utf8)
        #expect(letter.contains("| Fees and interest from earlier letters, still open | 10.41 |"))
        #expect(letter.contains("**60.68**"))  // 40.00 + 0.27 + 10.00 + 10.41

        // 60.68 pays the invoice's 40.00, then the charges oldest first; nothing is left over.
        try desk.perform(.pay("C1", amount: cny("60.68"), on: day("2026-03-11"), invoice: nil, reference: "B2", method: "bank"))
        let payment = try #require(desk.book.payments["B2"])
        #expect(payment.allocated == cny("40") && payment.chargesPaid == cny("20.68") && payment.unapplied == .zero)
        #expect(OpenCharges.total("C1", in: desk.book, asOf: day("2026-03-11")) == .zero)
        #expect(Position("C1", in: desk.book, asOf: day("2026-03-11")).credit == .zero)

        // The same after a replay and from a snapshot.
        let replayed = try book.reopen(today: day("2026-03-11"))
        #expect(replayed.book.charges == desk.book.charges)
        #expect(replayed.saveSnapshot() == nil)
        #expect(try book.reopen(today: day("2026-03-11")).book.snapshotBytes() == replayed.book.snapshotBytes())
    }

    /// An imported payment goes as `pay` does: the invoices first, then the charges, across rows.
    @Test func importedPaymentsPayChargesAfterTheInvoices() throws {
        let book = try book()
        let desk = try book.reopen()
        _ = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let csv = book.write("in.csv", "reference,customer,date,amount\nB1,C1,2026-03-01,105\nB2,C1,2026-03-01,10\n")
        // B2 leaves 4.59 over: refused unless a credit is asked for.
        let refused = try Importer(kind: .payments, options: .init(), book: desk.book).plan(path: csv)
        #expect(refused.issues.map(\.line) == [3] && refused.issues.map(\.column) == ["amount"], "\(refused.issues)")
        var options = Importer.Options()
        options.keepsCredit = true
        let plan = try Importer(kind: .payments, options: options, book: desk.book).plan(path: csv)
        #expect(plan.issues.isEmpty)
        try desk.perform(.batch(plan.events))
        #expect(desk.book.payments["B1"]?.chargesPaid == cny("5"))
        #expect(desk.book.payments["B2"]?.chargesPaid == cny("5.41") && desk.book.payments["B2"]?.unapplied == cny("4.59"))
        #expect(OpenCharges.total("C1", in: desk.book, asOf: day("2026-03-01")) == .zero)
    }

    /// A dunning run's letter is part of the run: u does not take it back (its fee and interest
    /// would stay billed), in a later session as in the same one.
    @Test func undoDoesNotTakeBackARunsLetter() throws {
        let book = try book()
        _ = try book.reopen().dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let later = try book.reopen()
        #expect(throws: DeskError.self) { try later.perform(.undoLast) }
        #expect(later.book.timeline(of: "C1").allSatisfy { $0.undoneBy == nil })
        #expect(OpenCharges.total("C1", in: later.book, asOf: day("2026-03-01")) == cny("10.41"))
    }

    /// A manager waives what is left of a charge, with a reason; a collector may not; a charge
    /// paid or waived cannot be waived again.
    @Test func aManagerWaivesACharge() throws {
        let book = try book()
        var desk = try book.reopen()
        _ = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let fee = try #require(charges(desk).first)
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\nlina = \"collector\"\n")
        let collector = try book.reopen(user: "lina")
        #expect(throws: DeskError.self) { try collector.perform(.waiveCharge(id: fee.id, reason: "goodwill")) }
        desk = try book.reopen()
        #expect(throws: DeskError.self) { try desk.perform(.waiveCharge(id: fee.id, reason: " ")) }
        try desk.perform(.waiveCharge(id: fee.id, reason: "goodwill"))
        #expect(desk.book.charge(fee.id)?.outstanding == .zero)
        #expect(desk.book.charge(fee.id)?.settlements.first?.source == .waiver(reason: "goodwill", by: "tester"))
        #expect(throws: DeskError.self) { try desk.perform(.waiveCharge(id: fee.id, reason: "again")) }
        #expect(OpenCharges.total("C1", in: desk.book, asOf: day("2026-03-01")) == cny("0.41"))
    }

    /// The statement shows the charges as an account of their own, and a payment's line in the
    /// principal account only what it paid on the principal; the hledger export keeps them in
    /// their own accounts, so the receivable still equals the aging.
    @Test func statementsAndExportsShowThemApart() throws {
        let book = try book()
        var desk = try book.reopen()
        _ = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        try desk.perform(.pay("C1", amount: cny("105"), on: day("2026-03-01"), invoice: nil, reference: "B1", method: "bank"))
        desk = try book.reopen()
        let statement = try Statement(book: desk.book, customer: "C1", from: nil, to: day("2026-03-01"))
        #expect(statement.closing == .zero)
        #expect(statement.lines.map(\.credit) == [.zero, cny("100")])
        #expect(statement.charges.map(\.debit) == [cny("10"), cny("0.41"), .zero])
        #expect(statement.chargesClosing == cny("5.41"))
        let path = try desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-01"), language: "en").path
        let text = try String(contentsOfFile: book.folder.path + "/" + path, encoding: .utf8)
        #expect(text.contains("## Fees and interest, apart from the balance above"))
        #expect(text.contains("| | **Open at the end** | | | | **5.41** |"))
        // Our ids for a charge mean nothing to the customer: interest says the day it runs to.
        #expect(!text.contains("RUN-") && text.contains("| interest | to 2026-03-01 |"), "\(text)")

        let export = HledgerExport(book: desk.book, asOf: day("2026-03-01")).render()
        #expect(export.contains("assets:charges-receivable:C1  CNY 10.00"))
        #expect(export.contains("assets:charges-receivable:C1  CNY -5.00"))
        #expect(export.contains("revenue:late-interest  CNY -0.41"))
        #expect(!export.contains("assets:receivable:C1  CNY -105.00"))  // the principal part only
        #expect(export.contains("assets:receivable:C1  CNY -100.00"))
    }

    /// A payment cannot pay another customer's charge, more than is open, or a charge billed
    /// after it; the book refuses such a record whole.
    @Test func theBookRefusesWrongChargePayments() throws {
        let book = try book()
        let desk = try book.reopen()
        _ = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let fee = try #require(charges(desk).first)
        func payment(_ customer: CustomerID, _ amount: String, on: String, paying part: String) -> Payment {
            Payment(reference: "X", customer: customer, day: day(on), amount: cny(amount), allocations: [],
                    charges: [ChargePayment(charge: fee.id, amount: cny(part))])
        }
        var copy = desk.book
        #expect(throws: BookError.self) { try copy.apply(.paymentReceived(payment("C2", "5", on: "2026-03-01", paying: "5")), stamp: stamp) }
        #expect(throws: BookError.self) { try copy.apply(.paymentReceived(payment("C1", "20", on: "2026-03-01", paying: "20")), stamp: stamp) }
        #expect(throws: BookError.self) { try copy.apply(.paymentReceived(payment("C1", "5", on: "2026-02-28", paying: "5")), stamp: stamp) }
        #expect(throws: BookError.self) { try copy.apply(.paymentReceived(payment("C1", "4", on: "2026-03-01", paying: "5")), stamp: stamp) }
        #expect(copy.charges == desk.book.charges && copy.payments.count == desk.book.payments.count)
    }

    var stamp: Stamp { Stamp(sequence: 999, author: "tester", time: "", day: day("2026-03-01")) }
}
