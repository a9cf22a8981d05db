/// How each kind of record in a book snapshot is written and read (see `BookSnapshot.swift`
/// for the layout of the whole).
extension ByteWriter {
    /// A customer without its id (ids are listed apart, and customers are in that order).
    mutating func customer(_ c: Customer) {
        string(c.name)
        list(c.contacts) { $0.contact($1) }
        int(c.termsDays); money(c.creditLimit); optional(c.grade) { $0.string($1.rawValue) }; optional(c.collector) { $0.string($1) }
        string(c.status.rawValue); string(c.guarantees); optional(c.nextReview) { $0.day($1) }; optional(c.holdReason) { $0.string($1) }
    }

    /// An invoice, its customer given by place in the snapshot's customer ids.
    mutating func invoice(_ i: Invoice, customer: Int) {
        uint(UInt64(customer)); string(i.number); day(i.issued); string(i.reference)
        list(i.instalments) { w, x in w.day(x.due); w.money(x.amount) }
        list(i.settlements) { w, s in
            switch s.source {
            case .payment(let ref): w.uint(0); w.string(ref)
            case .creditNote(let ref): w.uint(1); w.string(ref)
            case .writeOff(let ref): w.uint(2); w.string(ref)
            case .credit(let id): w.uint(3); w.string(id)
            }
            w.day(s.day); w.money(s.amount)
        }
    }

    mutating func contact(_ p: ContactPerson) { string(p.name); string(p.phone); string(p.email) }

    mutating func charge(_ c: Charge) {
        string(c.id); string(c.customer); day(c.day); money(c.amount)
        switch c.kind {
        case .fee(let level): uint(0); int(level)
        case .interest(let through): uint(1); day(through)
        }
        list(c.settlements) { w, s in
            switch s.source {
            case .payment(let reference): w.uint(0); w.string(reference)
            case .waiver(let reason, let by): w.uint(1); w.string(reason); w.string(by)
            }
            w.day(s.day); w.money(s.amount)
        }
    }

    mutating func allocation(_ a: Allocation) { string(a.invoice); money(a.amount) }

    mutating func index(_ index: DocumentIndex) {
        uint(UInt64(index.count))
        words(index.slots)
    }

    mutating func request(_ r: Request) {
        string(r.id); string(r.customer)
        switch r.kind {
        case .creditLimit(let m): uint(0); money(m)
        case .writeOff(let m): uint(1); money(m)
        case .creditHold: uint(2)
        case .handOff(let s): uint(3); string(s.rawValue)
        }
        string(r.reason); string(r.requestedBy); day(r.day)
        switch r.state {
        case .pending: uint(0)
        case .approved(let by): uint(1); string(by)
        case .rejected(let by, let reason): uint(2); string(by); string(reason)
        }
    }

    mutating func profileChange(_ change: ProfileChange) {
        switch change {
        case .creditLimit(let m): uint(0); money(m)
        case .hold: uint(1)
        case .release: uint(2)
        case .grade(let g): uint(3); string(g.rawValue)
        case .terms(let d): uint(4); int(d)
        case .collector(let c): uint(5); optional(c) { $0.string($1) }
        case .status(let s): uint(6); string(s.rawValue)
        case .nextReview(let d): uint(7); optional(d) { $0.day($1) }
        case .contacts(let list): uint(8); self.list(list) { $0.contact($1) }
        case .name(let n): uint(9); string(n)
        }
    }

    mutating func activity(_ a: Activity) {
        uint(a.stamp.sequence); string(a.stamp.author); string(a.stamp.time); day(a.stamp.day)
        uint(a.stamp.sequence - a.stamp.actionStart)
        optional(a.undoneBy) { $0.uint($1) }
        switch a.kind {
        case .call(let outcome, let note, let callback): uint(0); string(outcome.rawValue); string(note); optional(callback) { $0.day($1) }
        case .note(let text): uint(1); string(text)
        case .callback(let d, let note): uint(2); day(d); string(note)
        case .promise(let id): uint(3); string(id)
        case .plan(let id): uint(4); string(id)
        case .dispute(let id): uint(5); string(id)
        case .disputeResolved(let id, let note): uint(6); string(id); string(note)
        case .documentSent(let kind, let file):
            uint(7)
            switch kind {
            case .letter(let level): uint(0); int(level)
            case .statement(let from, let to, let figures):
                uint(1); optional(from) { $0.day($1) }; day(to)
                optional(figures) { w, figures in
                    w.list(figures.aging) { $0.string($1.label); $0.money($1.amount) }
                    w.money(figures.credit)
                }
            }
            string(file)
        case .claimed: uint(8)
        case .released: uint(9)
        case .worked: uint(10)
        case .profile(let change, let reason): uint(11); profileChange(change); string(reason)
        case .dunning(let level): uint(12); int(level)
        case .request(let id): uint(13); string(id)
        case .decision(let id, let approved, let reason): uint(14); string(id); bool(approved); string(reason)
        case .paymentReversed(let payment, let reason): uint(15); string(payment); string(reason)
        }
    }
}

extension ByteReader {
    mutating func enumValue<E: RawRepresentable>(_ type: E.Type) throws -> E where E.RawValue == String {
        let raw = try string()
        guard let value = E(rawValue: raw) else { throw fail("unknown value \(raw)") }
        return value
    }

    mutating func customer(id: CustomerID) throws -> Customer {
        var c = Customer(id: id, name: try string())
        c.contacts = try list { try $0.contact() }
        c.termsDays = try int(); c.creditLimit = try money(); c.grade = try optional { try $0.enumValue(RiskGrade.self) }
        c.collector = try optional { try $0.string() }; c.status = try enumValue(CustomerStatus.self); c.guarantees = try string()
        c.nextReview = try optional { try $0.day() }; c.holdReason = try optional { try $0.string() }
        return c
    }

    /// An invoice after its customer's place (read by the caller).
    mutating func invoice(customer: CustomerID) throws -> Invoice {
        let number = try string(), issued = try day(), reference = try string()
        let instalments = try smallList { Instalment(due: try $0.day(), amount: try $0.money()) }
        guard instalments.indices.dropFirst().allSatisfy({ instalments[$0 - 1].due <= instalments[$0].due }) else {
            throw fail("instalments of \(number) out of order")
        }
        var invoice = Invoice(number: number, customer: customer, issued: issued, sortedInstalments: instalments, reference: reference)
        invoice.settlements = try smallList { r in
            let source: Settlement.Source
            switch try r.uint() {
            case 0: source = .payment(try r.string())
            case 1: source = .creditNote(try r.string())
            case 2: source = .writeOff(try r.string())
            case 3: source = .credit(try r.string())
            default: throw r.fail("unknown settlement")
            }
            return Settlement(source: source, day: try r.day(), amount: try r.money())
        }
        return invoice
    }

    mutating func contact() throws -> ContactPerson { ContactPerson(name: try string(), phone: try string(), email: try string()) }

    mutating func allocation() throws -> Allocation { Allocation(invoice: try string(), amount: try money()) }

    mutating func charge() throws -> Charge {
        let id = try string(), customer = try string(), billed = try day(), amount = try money()
        let kind: Charge.Kind
        switch try uint() {
        case 0: kind = .fee(level: try int())
        case 1: kind = .interest(through: try day())
        default: throw fail("unknown kind of charge")
        }
        var charge = Charge(id: id, customer: customer, day: billed, kind: kind, amount: amount)
        charge.settlements = try list { r in
            let source: ChargeSettlement.Source
            switch try r.uint() {
            case 0: source = .payment(try r.string())
            case 1: source = .waiver(reason: try r.string(), by: try r.string())
            default: throw r.fail("unknown settlement of a charge")
            }
            return ChargeSettlement(source: source, day: try r.day(), amount: try r.money())
        }
        return charge
    }

    /// A place in a list of `count` (a customer's place in the snapshot's ids).
    mutating func ordinal(below count: Int) throws -> Int {
        let value = try uint()
        guard value < UInt64(count) else { throw fail("place \(value) beyond a list of \(count)") }
        return Int(value)
    }

    /// A document index saved for `documents` documents.
    mutating func index(count documents: Int) throws -> DocumentIndex {
        let count = try uint()
        guard count == UInt64(documents), let index = DocumentIndex(slots: try words(), count: documents) else {
            throw fail("an index that does not fit its \(documents) documents")
        }
        return index
    }

    mutating func request() throws -> Request {
        let id = try string(), customer = try string()
        let kind: RequestKind
        switch try uint() {
        case 0: kind = .creditLimit(try money())
        case 1: kind = .writeOff(try money())
        case 2: kind = .creditHold
        case 3: kind = .handOff(try enumValue(CustomerStatus.self))
        default: throw fail("unknown request kind")
        }
        let reason = try string(), by = try string(), on = try day()
        let state: Request.State
        switch try uint() {
        case 0: state = .pending
        case 1: state = .approved(by: try string())
        case 2: state = .rejected(by: try string(), reason: try string())
        default: throw fail("unknown request state")
        }
        return Request(id: id, customer: customer, kind: kind, reason: reason, requestedBy: by, day: on, state: state)
    }

    mutating func profileChange() throws -> ProfileChange {
        switch try uint() {
        case 0: return .creditLimit(try money())
        case 1: return .hold
        case 2: return .release
        case 3: return .grade(try enumValue(RiskGrade.self))
        case 4: return .terms(try int())
        case 5: return .collector(try optional { try $0.string() })
        case 6: return .status(try enumValue(CustomerStatus.self))
        case 7: return .nextReview(try optional { try $0.day() })
        case 8: return .contacts(try list { try $0.contact() })
        case 9: return .name(try string())
        default: throw fail("unknown profile change")
        }
    }

    mutating func activity(customer: CustomerID) throws -> Activity {
        let sequence = try uint(), author = try string(), time = try string(), stampDay = try day()
        let back = try uint()
        guard back <= sequence else { throw fail("an action that starts before the log") }
        let stamp = Stamp(sequence: sequence, author: author, time: time, day: stampDay, actionStart: sequence - back)
        let undoneBy = try optional { try $0.uint() }
        let kind: Activity.Kind
        switch try uint() {
        case 0: kind = .call(try enumValue(CallOutcome.self), note: try string(), callback: try optional { try $0.day() })
        case 1: kind = .note(try string())
        case 2: kind = .callback(try day(), note: try string())
        case 3: kind = .promise(id: try string())
        case 4: kind = .plan(id: try string())
        case 5: kind = .dispute(id: try string())
        case 6: kind = .disputeResolved(id: try string(), note: try string())
        case 7:
            let document: DocumentKind
            switch try uint() {
            case 0: document = .letter(level: try int())
            case 1:
                document = .statement(from: try optional { try $0.day() }, to: try day(), figures: try optional { r in
                    StatementFigures(aging: try r.list { (try $0.string(), try $0.money()) }, credit: try r.money())
                })
            default: throw fail("unknown document kind")
            }
            kind = .documentSent(document, file: try string())
        case 8: kind = .claimed
        case 9: kind = .released
        case 10: kind = .worked
        case 11: kind = .profile(try profileChange(), reason: try string())
        case 12: kind = .dunning(level: try int())
        case 13: kind = .request(id: try string())
        case 14: kind = .decision(requestID: try string(), approved: try bool(), reason: try string())
        case 15: kind = .paymentReversed(payment: try string(), reason: try string())
        default: throw fail("unknown activity")
        }
        var activity = Activity(stamp: stamp, customer: customer, kind: kind)
        activity.undoneBy = undoneBy
        return activity
    }
}
