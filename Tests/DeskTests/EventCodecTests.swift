import Core
import Desk
import FlatJSON
import Testing

@Suite struct EventCodecTests {
    static let customer: Customer = {
        var c = Customer(id: "C1", name: "上海华瑞科技有限公司", termsDays: 45, creditLimit: cny("50,000.00"), grade: .b,
                         collector: "li.na", guarantees: "bank guarantee", nextReview: day("2026-06-30"))
        c.contacts = [ContactPerson(name: "王芳", phone: "+86 138 0000 0000", email: "ap@example.com")]
        return c
    }()

    static let events: [Event] = [
        .bookCreated(currency: .cny),
        .customerAdded(customer),
        .profileChanged("C1", .creditLimit(cny("80,000")), reason: "grew"),
        .profileChanged("C1", .hold, reason: "over limit"),
        .profileChanged("C1", .grade(.c), reason: "slow"),
        .profileChanged("C1", .collector(nil), reason: ""),
        .profileChanged("C1", .nextReview(day("2026-09-01")), reason: "r"),
        .invoiceIssued(Invoice(number: "INV-1", customer: "C1", issued: day("2026-01-01"),
                               instalments: [Instalment(due: day("2026-02-01"), amount: cny("30")),
                                             Instalment(due: day("2026-03-01"), amount: cny("70"))], reference: "PO1")),
        .creditNoteIssued(CreditNote(number: "CN-1", customer: "C1", day: day("2026-01-05"), amount: cny("10"), invoice: "INV-1", reason: "price")),
        .paymentReceived(Payment(reference: "B1", customer: "C1", day: day("2026-02-02"), amount: cny("50"), method: "bank",
                                 allocations: [Allocation(invoice: "INV-1", amount: cny("40"))])),
        .paymentReceived(Payment(reference: "B4", customer: "C1", day: day("2026-02-03"), amount: cny("5"),
                                 allocations: [Allocation(invoice: "INV-1", amount: cny("5"))], byRule: true)),
        .paymentsReallocated("C1", [PaymentAllocations(payment: "B4", allocations: [Allocation(invoice: "INV-1", amount: cny("4"))]),
                                    PaymentAllocations(payment: "B1", allocations: [])]),
        .writtenOff(WriteOff(id: "WO1", customer: "C1", day: day("2026-02-10"), allocations: [Allocation(invoice: "INV-1", amount: cny("5"))],
                             reason: "small balance", approvedBy: "carol")),
        .writeOffReinstated(id: "WO1", customer: "C1", day: day("2026-02-20"), reason: "paid after all"),
        .creditApplied(CreditApplication(id: "CA1", customer: "C1", day: day("2026-02-11"), source: .payment("B1"),
                                         allocations: [Allocation(invoice: "INV-1", amount: cny("1"))])),
        .creditApplied(CreditApplication(id: "CA2", customer: "C1", day: day("2026-02-12"), source: .creditNote("CN-2"),
                                         allocations: [Allocation(invoice: "INV-1", amount: cny("0.50")), Allocation(invoice: "INV-2", amount: cny("2"))])),
        .creditWithdrawn(id: "CA2", customer: "C1", day: day("2026-02-13"), reason: "wrong invoice"),
        .disputeOpened(Dispute(id: "D1", customer: "C1", invoice: "INV-1", amount: nil, reason: "damaged", opened: day("2026-03-01"), owner: "tester")),
        // Opened before the record's day (an imported file's disputed flag: the issue day).
        .disputeOpened(Dispute(id: "D2", customer: "C1", invoice: "INV-1", amount: cny("3"), reason: "marked", opened: day("2026-01-01"), owner: "import")),
        .disputeResolved(id: "D1", day: day("2026-03-02"), note: "credited"),
        .promiseTaken(Promise(id: "P1", customer: "C1", amount: cny("45"), due: day("2026-03-05"), toleranceDays: 2,
                              taken: day("2026-03-01"), takenBy: "tester")),
        .planAgreed(id: "PL1", customer: "C1", instalments: [
            Promise(id: "PL1-1", customer: "C1", amount: cny("20"), due: day("2026-04-01"), toleranceDays: 2, taken: day("2026-03-01"), takenBy: "tester", plan: "PL1"),
        ]),
        .callLogged("C1", .leftMessage, note: "说明天回电", callback: day("2026-03-02")),
        .noteAdded("C1", "line one\nline \"two\""),
        .callbackScheduled("C1", day("2026-03-03"), note: ""),
        .documentSent("C1", .letter(level: 2), file: "outbox/x.md"),
        .documentSent("C1", .statement(from: nil, to: day("2026-03-01")), file: ""),
        .documentSent("C1", .statement(from: day("2026-02-01"), to: day("2026-03-01"), figures: StatementFigures(
            aging: [("not due", cny("10")), ("1-30", cny("0")), ("90+", cny("1,234.56"))], credit: cny("5"))), file: "outbox/s.md"),
        .claimed("C1"), .released("C1"), .markedWorked("C1"),
        .undone(sequence: 17),
        .dunningRun(id: "RUN1", day: day("2026-03-01")),
        .dunningLevelSet("C1", level: 1, runID: "RUN1"),
        .requestFiled(Request(id: "R1", customer: "C1", kind: .creditLimit(cny("90,000")), reason: "seasonal", requestedBy: "tester", day: day("2026-03-01"))),
        .requestDecided(id: "R1", approved: false, reason: "no"),
        .chargePosted(Charge(id: "RUN1-C1-FEE", customer: "C1", day: day("2026-03-01"), kind: .fee(level: 3), amount: cny("10"))),
        .chargePosted(Charge(id: "RUN1-C1-INT", customer: "C1", day: day("2026-03-01"), kind: .interest(through: day("2026-03-01")), amount: cny("0.41"))),
        .paymentReceived(Payment(reference: "B2", customer: "C1", day: day("2026-03-02"), amount: cny("60"), method: "bank",
                                 allocations: [Allocation(invoice: "INV-1", amount: cny("49.59"))],
                                 charges: [ChargePayment(charge: "RUN1-C1-FEE", amount: cny("10")), ChargePayment(charge: "RUN1-C1-INT", amount: cny("0.41"))])),
        .chargeWaived(id: "RUN1-C1-FEE", day: day("2026-03-03"), reason: "goodwill"),
        .paymentReversed(PaymentReversal(payment: "B2", customer: "C1", day: day("2026-03-04"), reason: "returned unpaid")),
        .paymentReversed(PaymentReversal(payment: "B3", customer: "C1", day: day("2026-03-04"), reason: "typo", cause: .enteredInError)),
        .requestFiled(Request(id: "R2", customer: "C1", kind: .creditHold, reason: "dunning", requestedBy: "tester", day: day("2026-03-01"))),
        .requestFiled(Request(id: "R3", customer: "C1", kind: .handOff(.legal), reason: "dunning", requestedBy: "tester", day: day("2026-03-01"))),
        .recordLost(reason: "checksum mismatch", text: "{\"seq\":7,\"ts\":…"),
        .lostRecordsReviewed(through: 42),
    ]

    /// A reversal's cause is written only when it is not the usual one (returned unpaid); one
    /// this build does not know is a newer build's record, not damage.
    @Test func aReversalsCauseIsReadOrAsksForAnUpgrade() throws {
        let returned = EventCodec.encode(.paymentReversed(PaymentReversal(payment: "B2", customer: "C1", day: day("2026-03-04"), reason: "x")),
                                         day: day("2026-03-04"))
        #expect(returned.payload["cause"] == nil && returned.version == 1)  // as older builds read it
        let corrected = EventCodec.encode(.paymentReversed(PaymentReversal(payment: "B2", customer: "C1", day: day("2026-03-04"), reason: "x",
                                                                           cause: .enteredInError)), day: day("2026-03-04"))
        #expect(corrected.version == 2)  // an older build asks for an upgrade rather than read it as a return
        var unknown = returned.payload
        unknown["cause"] = .string("chargeback")
        #expect {
            try EventCodec.decode(type: "payment.reversed", version: 1, payload: unknown, author: "tester")
        } throws: { ($0 as? PayloadError)?.needsUpgrade == true }
    }

    @Test func everyEventSurvivesTheJournalText() throws {
        for event in Self.events {
            let encoded = EventCodec.encode(event, day: day("2026-03-01"))
            // Through the text form too: what is written is exactly what is read back.
            let text = JSONWriter.string(.object(encoded.payload))
            let parsed = try JSONReader.parse(text).objectValue!
            let (decoded, decodedDay) = try EventCodec.decode(type: encoded.type, version: encoded.version, payload: parsed, author: "tester")
            #expect(decoded == event, "\(encoded.type)")
            #expect(decodedDay == day("2026-03-01"))
        }
    }

    /// Replay reads payloads in place (`data:`), other readers decode the object first
    /// (`payload:`): both give the same event, and the same error for every field removed or
    /// replaced by a value of another kind, nested ones included.
    @Test func payloadsReadInPlaceAsWhenDecoded() throws {
        func outcome(_ type: String, _ payload: JSONObject) -> String {
            let data = Array(JSONWriter.string(.object(payload)).utf8)
            let inPlace = Result { try EventCodec.decode(type: type, version: 1, data: data, author: "tester") }
            let decoded = Result { try EventCodec.decode(type: type, version: 1, payload: payload, author: "tester") }
            func text(_ r: Result<(Event, Day), Error>) -> String {
                switch r {
                case .success(let (event, day)): return "\(event) \(day)"
                case .failure(let error): return "error: \(error)"
                }
            }
            #expect(text(inPlace) == text(decoded), "\(JSONWriter.string(.object(payload)))")
            return text(inPlace)
        }
        let others: [JSONValue] = [.null, .int(7), .string("x"), .string("2026-02-30"), .bool(true), .array([]),
                                   .array([.int(1)]), .object([:]), .array([.object(["due": .int(1)])])]
        var errors = 0
        for event in Self.events {
            let encoded = EventCodec.encode(event, day: day("2026-03-01"))
            #expect(outcome(encoded.type, encoded.payload) == "\(event) \(day("2026-03-01"))")
            for (index, pair) in encoded.payload.pairs.enumerated() {
                var without = encoded.payload
                without.pairs.remove(at: index)
                if outcome(encoded.type, without).hasPrefix("error") { errors += 1 }
                for other in others {
                    var changed = encoded.payload
                    changed.pairs[index].value = other
                    _ = outcome(encoded.type, changed)
                }
                // The same inside each object of a list.
                guard case .array(let items) = pair.value, case .object(let first)? = items.first else { continue }
                for (inner, _) in first.pairs.enumerated() {
                    for other in others + [nil] {
                        var item = first
                        if let other { item.pairs[inner].value = other } else { item.pairs.remove(at: inner) }
                        var changed = encoded.payload
                        changed.pairs[index].value = .array([.object(item)] + items.dropFirst())
                        _ = outcome(encoded.type, changed)
                    }
                }
            }
        }
        #expect(errors > 50)  // required fields are missed, not defaulted
    }

    /// A key written with an escape is still found (the payload is then decoded whole).
    @Test func escapedKeysAreFound() throws {
        let text = #"{"d\u0061y":"2026-03-01","customer":"C1","text":"x"}"#
        let (event, day) = try EventCodec.decode(type: "note.added", version: 1, data: Array(text.utf8), author: "a")
        #expect(event == .noteAdded("C1", "x") && day == Day(iso: "2026-03-01"))
        let list = #"{"day":"2026-03-01","reference":"B1","customer":"C1","date":"2026-03-01","amount":5,"allocations":[{"inv\u006Fice":"I1","amount":5}]}"#
        let (payment, _) = try EventCodec.decode(type: "payment.received", version: 1, data: Array(list.utf8), author: "a")
        guard case .paymentReceived(let p) = payment else { Issue.record("\(payment)"); return }
        #expect(p.allocations == [Allocation(invoice: "I1", amount: Money(minorUnits: 5))])
    }

    @Test func everyEventTypeIsCovered() {
        let types = Set(Self.events.map { EventCodec.encode($0, day: day("2026-01-01")).type })
        #expect(types == Set(EventCodec.versions.keys))
    }

    @Test func newerVersionsAndUnknownTypesAreRefusedNotSkipped() {
        let encoded = EventCodec.encode(.noteAdded("C1", "x"), day: day("2026-01-01"))
        #expect(throws: PayloadError.self) { try EventCodec.decode(type: "note.added", version: 99, payload: encoded.payload, author: "a") }
        #expect(throws: PayloadError.self) { try EventCodec.decode(type: "note.deleted", version: 1, payload: encoded.payload, author: "a") }
    }

    /// Replay reads payloads the journal did not check: all of the payload is checked here, and
    /// bytes after its object are refused, naming the payload.
    @Test func aPayloadIsCheckedWhole() throws {
        let encoded = EventCodec.encode(.noteAdded("C1", "x"), day: day("2026-01-01"))
        let text = JSONWriter.string(.object(encoded.payload))
        _ = try EventCodec.decode(type: "note.added", version: 1, data: Array(text.utf8), author: "a")
        do {
            _ = try EventCodec.decode(type: "note.added", version: 1, data: Array((text + "}").utf8), author: "a")
            Issue.record("expected an error")
        } catch let error as PayloadError {
            #expect(error.field == "data")
        }
        #expect(throws: (any Error).self) {
            try EventCodec.decode(type: "note.added", version: 1, data: Array(text.replacingOccurrences(of: "\"x\"", with: "x").utf8), author: "a")
        }
    }

    @Test func aMissingFieldIsNamed() {
        var payload = EventCodec.encode(.noteAdded("C1", "x"), day: day("2026-01-01")).payload
        payload["text"] = nil
        do {
            _ = try EventCodec.decode(type: "note.added", version: 1, payload: payload, author: "a")
            Issue.record("expected an error")
        } catch let error as PayloadError {
            #expect(error.description == "field \"text\" is missing")
        } catch { Issue.record("unexpected \(error)") }
    }
}
