@testable import Core
import PropertyBased
import Testing

/// A book opened from a snapshot plus the tail must equal the same book replayed from zero.
@Suite struct SnapshotTests {
    /// A book exercising every kind of state: documents, disputes, promises and plans, requests,
    /// activities of each kind, claims, dunning, and undone actions.
    static func events() -> [(Event, String, String)] {
        let c1 = Customer(id: "C1", name: "上海华瑞科技有限公司", contacts: [ContactPerson(name: "王芳", phone: "1", email: "a@b")],
                          termsDays: 45, creditLimit: money("5,000"), grade: .c, collector: "li.na", nextReview: day("2026-06-01"))
        let p = { (id: String, amount: String, due: String, plan: String?) in
            Promise(id: id, customer: "C1", amount: money(amount), due: day(due), toleranceDays: 2, taken: day("2026-02-01"), takenBy: "li.na", plan: plan)
        }
        return [
            (.bookCreated(currency: .cny), "2026-01-01", "root"),
            (.customerAdded(c1), "2026-01-01", "root"),
            (.customerAdded(Customer(id: "C2", name: "Acme")), "2026-01-01", "root"),
            (.invoiceIssued(Invoice(number: "I1", customer: "C1", issued: day("2026-01-01"), instalments: [
                Instalment(due: day("2026-02-01"), amount: money("300")), Instalment(due: day("2026-03-01"), amount: money("700"))], reference: "PO")), "2026-01-01", "root"),
            (.invoiceIssued(Invoice(number: "I2", customer: "C2", issued: day("2026-01-05"), due: day("2026-02-05"), amount: money("90"))), "2026-01-05", "root"),
            (.paymentReceived(Payment(reference: "B1", customer: "C1", day: day("2026-02-02"), amount: money("350"), method: "bank",
                                      allocations: [Allocation(invoice: "I1", amount: money("300"))])), "2026-02-02", "root"),
            (.creditNoteIssued(CreditNote(number: "CN1", customer: "C1", day: day("2026-02-03"), amount: money("20"), invoice: "I1", reason: "price")), "2026-02-03", "root"),
            (.creditNoteIssued(CreditNote(number: "CN2", customer: "C2", day: day("2026-02-03"), amount: money("5"), invoice: nil)), "2026-02-03", "root"),
            (.writtenOff(WriteOff(id: "WO1", customer: "C2", day: day("2026-02-04"), allocations: [Allocation(invoice: "I2", amount: money("10"))], reason: "r", approvedBy: "carol")), "2026-02-04", "carol"),
            (.disputeOpened(Dispute(id: "D1", customer: "C1", invoice: "I1", amount: money("100"), reason: "damaged", opened: day("2026-02-05"), owner: "li.na")), "2026-02-05", "li.na"),
            (.disputeResolved(id: "D1", day: day("2026-02-06"), note: "ok"), "2026-02-06", "li.na"),
            (.promiseTaken(p("P1", "100", "2026-02-10", nil)), "2026-02-01", "li.na"),
            (.planAgreed(id: "PL1", customer: "C1", instalments: [p("PL1-1", "50", "2026-03-01", "PL1"), p("PL1-2", "50", "2026-04-01", "PL1")]), "2026-02-01", "li.na"),
            (.callLogged("C1", .leftMessage, note: "回电", callback: day("2026-02-08")), "2026-02-07", "li.na"),
            (.noteAdded("C1", "note"), "2026-02-07", "li.na"),
            (.callbackScheduled("C2", day("2026-02-09"), note: ""), "2026-02-07", "li.na"),
            (.documentSent("C1", .letter(level: 1), file: "outbox/x.md"), "2026-02-07", "li.na"),
            (.documentSent("C1", .statement(from: nil, to: day("2026-02-07"), figures: StatementFigures(
                aging: [("not due", money("10")), ("1-30", money("90"))], credit: money("5"))), file: ""), "2026-02-07", "li.na"),
            (.claimed("C1"), "2026-02-07", "li.na"),
            (.markedWorked("C1"), "2026-02-07", "li.na"),
            (.undone(sequence: 12), "2026-02-07", "li.na"),   // the promise P1
            (.undone(sequence: 19), "2026-02-07", "li.na"),   // the claim
            (.profileChanged("C1", .creditLimit(money("6,000")), reason: "more"), "2026-02-08", "carol"),
            (.profileChanged("C1", .contacts([ContactPerson(name: "x")]), reason: ""), "2026-02-08", "carol"),
            (.profileChanged("C2", .collector(nil), reason: ""), "2026-02-08", "carol"),
            (.dunningRun(id: "R1", day: day("2026-02-08")), "2026-02-08", "carol"),
            (.dunningLevelSet("C1", level: 1, runID: "R1"), "2026-02-08", "carol"),
            (.requestFiled(Request(id: "Q1", customer: "C1", kind: .creditLimit(money("9,000")), reason: "big", requestedBy: "li.na", day: day("2026-02-09"))), "2026-02-09", "li.na"),
            (.requestFiled(Request(id: "Q2", customer: "C1", kind: .handOff(.legal), reason: "x", requestedBy: "li.na", day: day("2026-02-09"))), "2026-02-09", "li.na"),
            (.requestDecided(id: "Q1", approved: false, reason: "no"), "2026-02-10", "carol"),
            (.chargePosted(Charge(id: "F1", customer: "C1", day: day("2026-02-10"), kind: .fee(level: 1), amount: money("10"))), "2026-02-10", "carol"),
            (.chargePosted(Charge(id: "N1", customer: "C1", day: day("2026-02-10"), kind: .interest(through: day("2026-02-10")), amount: money("0.41"))), "2026-02-10", "carol"),
            (.paymentReceived(Payment(reference: "B9", customer: "C1", day: day("2026-02-11"), amount: money("4"), allocations: [],
                                      charges: [ChargePayment(charge: "F1", amount: money("4"))])), "2026-02-11", "carol"),
            (.chargeWaived(id: "F1", day: day("2026-02-12"), reason: "goodwill"), "2026-02-12", "carol"),
            // B9 paid on a fee, B1 on an invoice with 50 left as a credit: both come back.
            (.paymentReversed(PaymentReversal(payment: "B9", customer: "C1", day: day("2026-02-13"), reason: "returned unpaid")), "2026-02-13", "carol"),
            (.paymentReversed(PaymentReversal(payment: "B1", customer: "C1", day: day("2026-02-14"), reason: "entered in error",
                                              cause: .enteredInError)), "2026-02-14", "carol"),
        ]
    }

    static func replay(_ events: ArraySlice<(Event, String, String)>, onto book: Book = Book(), from first: Int = 1) throws -> Book {
        var book = book
        for (offset, item) in events.enumerated() {
            try book.apply(item.0, stamp: Stamp(sequence: UInt64(first + offset), author: item.2, time: "t\(first + offset)", day: day(item.1)))
        }
        return book
    }

    @Test func everyCutPointGivesTheSameBook() throws {
        let events = Self.events()
        let full = try Self.replay(events[...])
        for cut in 0...events.count {
            let head = try Self.replay(events[..<cut])
            let restored = try Book(snapshotBytes: head.snapshotBytes())
            let sameBytes = restored.snapshotBytes() == head.snapshotBytes()
            #expect(sameBytes, "round trip at \(cut)")
            let resumed = try Self.replay(events[cut...], onto: restored, from: cut + 1)
            let sameAsReplay = resumed.snapshotBytes() == full.snapshotBytes()
            #expect(sameAsReplay, "cut \(cut)")
            #expect(Self.fingerprint(resumed) == Self.fingerprint(full), "cut \(cut)")
        }
    }

    /// Room reserved for documents, before or in the middle of a replay, changes nothing.
    @Test func reservingRoomChangesNothing() throws {
        let events = Self.events()
        let full = try Self.replay(events[...])
        var reserved = Book()
        reserved.reserveDocuments(1_000)
        reserved = try Self.replay(events[..<5], onto: reserved, from: 1)
        reserved.reserveDocuments(3)
        reserved = try Self.replay(events[5...], onto: reserved, from: 6)
        #expect(reserved.snapshotBytes() == full.snapshotBytes())
        #expect(Self.fingerprint(reserved) == Self.fingerprint(full))
    }

    /// What the rules and screens read, in a fixed order (dictionaries encode in any order).
    static func fingerprint(_ book: Book) -> String {
        var parts: [String] = []
        parts.append("\(book.currency) \(book.lastSequence) \(book.customerOrder)")
        for id in book.customerOrder {
            parts.append("\(String(describing: book.customers[id]!))")
            parts.append("\(book.invoices(of: id)) \(book.payments(of: id)) \(book.promises(of: id))")
            parts.append("\(book.timeline(of: id))")
            parts.append("\(String(describing: book.claims[id])) \(String(describing: book.dunningLevels[id]))")
        }
        parts.append("\(book.creditNotes.sorted { $0.key < $1.key })")
        parts.append("\(book.writeOffs.sorted { $0.key < $1.key })")
        parts.append("\(book.disputes.sorted { $0.key < $1.key })")
        parts.append("\(book.requestOrder.map { book.requests[$0]! })")
        parts.append("\(book.dunningRuns)")
        parts.append("\(book.reversals.sorted { $0.key < $1.key }) \(book.ledgers.map(\.reversed))")
        parts.append("\(book.charges)")
        parts.append("\(book.invoices.all.map { book.disputes(onInvoice: $0.number).map(\.id) })")
        for sequence in 1...max(1, book.lastSequence) { parts.append("\(String(describing: book.activity(sequence: sequence)))") }
        return parts.joined(separator: "\n")
    }

    @Test func aDamagedSnapshotIsRefusedNotMisread() throws {
        let bytes = try Self.replay(Self.events()[...]).snapshotBytes()
        #expect(throws: SnapshotError.self) { try Book(snapshotBytes: Array(bytes.prefix(bytes.count - 3))) }
        #expect(throws: SnapshotError.self) { try Book(snapshotBytes: [0x41] + bytes) }
        #expect(throws: SnapshotError.self) { try Book(snapshotBytes: bytes + [0]) }
    }

    /// A ledger's positions are stored as steps from the one before; one past the end of the
    /// documents (which a damaged step would give) is refused, not used as an index later.
    @Test func ledgerPositionsStayWithinTheDocuments() throws {
        var w = ByteWriter()
        w.positions([0, 5, 9])
        w.positions([])
        let bytes = w.bytes
        try bytes.withUnsafeBufferPointer { buffer throws in
            var r = ByteReader(buffer)
            #expect(try r.positions(below: 10) == [0, 5, 9])
            #expect(try r.positions(below: 10) == [])
            #expect(r.atEnd)
            var short = ByteReader(buffer)
            #expect(throws: SnapshotError.self) { try short.positions(below: 9) }
        }
    }

    @Test func randomBooksSurviveTheRoundTrip() async {
        await propertyCheck(count: 60, input: PropertyTests.seeds) { seeds in
            guard let book = try? PropertyTests.randomBook(seeds) else { return }
            let restored = try? Book(snapshotBytes: book.snapshotBytes())
            #expect(restored.map(Self.fingerprint) == Self.fingerprint(book))
            // The document indexes are stored as their tables: every number is found again.
            guard let restored else { return }
            for invoice in book.invoices.all { #expect(restored.invoices[invoice.number] == invoice) }
            for payment in book.payments.all { #expect(restored.payments[payment.reference] == payment) }
            #expect(restored.invoices["no such invoice"] == nil && restored.payments["no such payment"] == nil)
        }
    }
}
