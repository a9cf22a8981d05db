import Core
import FlatJSON
import Journal

/// Maps events to journal payloads and back. Every type carries a schema version; a reader upcasts
/// older versions here and refuses newer ones, so an event is never silently skipped.
public enum EventCodec {
    public struct Encoded: Sendable {
        public var type: String
        public var version: Int
        public var payload: JSONObject
    }

    /// The newest version of each event type this build writes and reads.
    public static let versions: [String: Int] = [
        "book.created": 1, "customer.added": 1, "customer.changed": 1, "invoice.issued": 1,
        "credit_note.issued": 1, "payment.received": 1, "payment.reversed": 2, "payments.reallocated": 1, "writeoff.posted": 1, "writeoff.reinstated": 1, "credit.applied": 1, "credit.withdrawn": 1, "dispute.opened": 2,
        "dispute.resolved": 1, "promise.taken": 1, "plan.agreed": 1, "call.logged": 1, "note.added": 1,
        "callback.scheduled": 1, "document.sent": 1, "customer.claimed": 1, "customer.released": 1,
        "customer.worked": 1, "action.undone": 1, "dunning.run": 1, "dunning.level": 1,
        "request.filed": 1, "request.decided": 1, "charge.posted": 1, "charge.waived": 1, "journal.lost": 1, "journal.lost.reviewed": 1,
    ]

    /// `day` is the business day of the action; it travels in every payload.
    public static func encode(_ event: Event, day: Day) -> Encoded {
        var p = PayloadBuilder()
        p.set("day", day)
        let type: String
        switch event {
        case .bookCreated(let currency):
            type = "book.created"
            p.set("currency", currency.code)
            p.set("digits", currency.minorDigits)
        case .customerAdded(let c):
            type = "customer.added"
            p.set("id", c.id); p.set("name", c.name)
            p.set("contacts", c.contacts.map(contactObject))
            p.set("terms", c.termsDays); p.set("limit", c.creditLimit)
            p.set("grade", c.grade?.rawValue); p.set("collector", c.collector)
            p.set("status", c.status.rawValue)
            if !c.guarantees.isEmpty { p.set("guarantees", c.guarantees) }
            p.set("review", c.nextReview)
        case .profileChanged(let id, let change, let reason):
            type = "customer.changed"
            p.set("customer", id)
            encode(change, into: &p)
            p.set("reason", reason)
        case .invoiceIssued(let i):
            type = "invoice.issued"
            p.set("number", i.number); p.set("customer", i.customer); p.set("issued", i.issued)
            p.set("instalments", i.instalments.map { inst in
                var o = PayloadBuilder(); o.set("due", inst.due); o.set("amount", inst.amount); return o.object
            })
            if !i.reference.isEmpty { p.set("ref", i.reference) }
        case .creditNoteIssued(let n):
            type = "credit_note.issued"
            p.set("number", n.number); p.set("customer", n.customer); p.set("date", n.day)
            p.set("amount", n.amount); p.set("invoice", n.invoice)
            if !n.reason.isEmpty { p.set("reason", n.reason) }
        case .paymentReceived(let pay):
            type = "payment.received"
            p.set("reference", pay.reference); p.set("customer", pay.customer); p.set("date", pay.day)
            p.set("amount", pay.amount)
            if !pay.method.isEmpty { p.set("method", pay.method) }
            p.set("allocations", pay.allocations.map(allocationObject))
            if !pay.charges.isEmpty {
                p.set("charges", pay.charges.map(chargePaymentObject))
            }
            if pay.byRule { p.set("by_rule", true) }  // absent (false) in records written before it was kept
        case .paymentsReallocated(let customer, let payments):
            type = "payments.reallocated"
            p.set("customer", customer)
            p.set("payments", payments.map { payment in
                var o = PayloadBuilder(); o.set("reference", payment.payment); o.set("allocations", payment.allocations.map(allocationObject))
                if !payment.charges.isEmpty { o.set("charges", payment.charges.map(chargePaymentObject)) }
                return o.object
            })
        case .paymentReversed(let r):
            type = "payment.reversed"
            p.set("reference", r.payment); p.set("customer", r.customer); p.set("date", r.day); p.set("reason", r.reason)
            // Version 2 names a cause other than a bank's return (an entry in error): an older
            // build, reading it as a return, would flag the customer. A return stays version 1.
            if r.cause != .returned {
                p.set("cause", r.cause.rawValue)
                return Encoded(type: type, version: 2, payload: p.object)
            }
            return Encoded(type: type, version: 1, payload: p.object)
        case .writtenOff(let w):
            type = "writeoff.posted"
            p.set("id", w.id); p.set("customer", w.customer); p.set("date", w.day)
            p.set("allocations", w.allocations.map(allocationObject))
            p.set("reason", w.reason); p.set("approved_by", w.approvedBy)
        case .creditApplied(let a):
            type = "credit.applied"
            p.set("id", a.id); p.set("customer", a.customer); p.set("date", a.day)
            switch a.source {
            case .payment(let reference): p.set("payment", reference)
            case .creditNote(let number): p.set("credit_note", number)
            }
            p.set("allocations", a.allocations.map(allocationObject))
        case .writeOffReinstated(let id, let customer, let reinstatedOn, let reason):
            type = "writeoff.reinstated"
            p.set("id", id); p.set("customer", customer); p.set("date", reinstatedOn); p.set("reason", reason)
        case .creditWithdrawn(let id, let customer, let withdrawnOn, let reason):
            type = "credit.withdrawn"
            p.set("id", id); p.set("customer", customer); p.set("date", withdrawnOn); p.set("reason", reason)
        case .disputeOpened(let d):
            type = "dispute.opened"
            p.set("id", d.id); p.set("customer", d.customer); p.set("invoice", d.invoice)
            p.set("amount", d.amount); p.set("reason", d.reason); p.set("owner", d.owner)
            // Version 2 says when a dispute opened if not on the record's day (a file's disputed
            // flag opens it on the invoice's issue day); one opened on its day stays version 1,
            // which older builds read.
            if d.opened != day {
                p.set("opened", d.opened)
                return Encoded(type: type, version: 2, payload: p.object)
            }
            return Encoded(type: type, version: 1, payload: p.object)
        case .disputeResolved(let id, let resolvedOn, let note):
            type = "dispute.resolved"
            p.set("id", id); p.set("resolved", resolvedOn); p.set("note", note)
        case .promiseTaken(let promise):
            type = "promise.taken"
            encode(promise, into: &p)
        case .planAgreed(let id, let customer, let instalments):
            type = "plan.agreed"
            p.set("id", id); p.set("customer", customer)
            p.set("instalments", instalments.map { promise in
                var o = PayloadBuilder(); encode(promise, into: &o); return o.object
            })
        case .callLogged(let id, let outcome, let note, let callback):
            type = "call.logged"
            p.set("customer", id); p.set("outcome", outcome.rawValue)
            if !note.isEmpty { p.set("note", note) }
            p.set("callback", callback)
        case .noteAdded(let id, let text):
            type = "note.added"
            p.set("customer", id); p.set("text", text)
        case .callbackScheduled(let id, let on, let note):
            type = "callback.scheduled"
            p.set("customer", id); p.set("on", on)
            if !note.isEmpty { p.set("note", note) }
        case .documentSent(let id, let kind, let file):
            type = "document.sent"
            p.set("customer", id)
            switch kind {
            case .letter(let level): p.set("kind", "letter"); p.set("level", level)
            case .statement(let from, let to, let figures):
                p.set("kind", "statement"); p.set("from", from); p.set("to", to)
                if let figures {
                    p.set("aging", figures.aging.map { column in
                        var o = PayloadBuilder(); o.set("label", column.label); o.set("amount", column.amount); return o.object
                    })
                    p.set("credit", figures.credit)
                }
            }
            if !file.isEmpty { p.set("file", file) }
        case .claimed(let id): type = "customer.claimed"; p.set("customer", id)
        case .released(let id): type = "customer.released"; p.set("customer", id)
        case .markedWorked(let id): type = "customer.worked"; p.set("customer", id)
        case .undone(let sequence): type = "action.undone"; p.set("seq", Int64(sequence))
        case .dunningRun(let id, let runDay): type = "dunning.run"; p.set("id", id); p.set("run_day", runDay)
        case .dunningLevelSet(let id, let level, let runID):
            type = "dunning.level"
            p.set("customer", id); p.set("level", level); p.set("run", runID)
        case .requestFiled(let r):
            type = "request.filed"
            p.set("id", r.id); p.set("customer", r.customer)
            switch r.kind {
            case .creditLimit(let amount): p.set("kind", "limit"); p.set("amount", amount)
            case .writeOff(let amount): p.set("kind", "writeoff"); p.set("amount", amount)
            case .creditHold: p.set("kind", "hold"); p.set("amount", Money.zero)
            case .handOff(let status): p.set("kind", "handoff"); p.set("amount", Money.zero); p.set("status", status.rawValue)
            }
            p.set("reason", r.reason)
        case .requestDecided(let id, let approved, let reason):
            type = "request.decided"
            p.set("id", id); p.set("approved", approved); p.set("reason", reason)
        case .chargePosted(let c):
            type = "charge.posted"
            p.set("id", c.id); p.set("customer", c.customer); p.set("billed", c.day)
            switch c.kind {
            case .fee(let level): p.set("kind", "fee"); p.set("level", level)
            case .interest(let through): p.set("kind", "interest"); p.set("through", through)
            }
            p.set("amount", c.amount)
        case .chargeWaived(let id, let waived, let reason):
            type = "charge.waived"
            p.set("id", id); p.set("waived", waived); p.set("reason", reason)
        case .recordLost(let reason, let text):
            type = "journal.lost"  // written by the journal's repair (Journal.lostRecordType); here for tests and tools
            p.set("reason", reason); p.set("text", text)
        case .lostRecordsReviewed(let through):
            type = "journal.lost.reviewed"
            p.set("through", Int(through))
        }
        return Encoded(type: type, version: versions[type]!, payload: p.object)
    }

    // MARK: - Pieces shared by several events

    private static func contactObject(_ c: ContactPerson) -> JSONObject {
        var o = PayloadBuilder()
        o.set("name", c.name); o.set("phone", c.phone); o.set("email", c.email)
        return o.object
    }

    private static func chargePaymentObject(_ part: ChargePayment) -> JSONObject {
        var o = PayloadBuilder(); o.set("charge", part.charge); o.set("amount", part.amount); return o.object
    }

    private static func allocationObject(_ a: Allocation) -> JSONObject {
        var o = PayloadBuilder(); o.set("invoice", a.invoice); o.set("amount", a.amount); return o.object
    }

    private static func encode(_ promise: Promise, into p: inout PayloadBuilder) {
        p.set("id", promise.id); p.set("customer", promise.customer); p.set("amount", promise.amount)
        p.set("due", promise.due); p.set("tolerance", promise.toleranceDays); p.set("plan", promise.plan)
    }

    private static func encode(_ change: ProfileChange, into p: inout PayloadBuilder) {
        switch change {
        case .creditLimit(let m): p.set("change", "limit"); p.set("limit", m)
        case .hold: p.set("change", "hold")
        case .release: p.set("change", "release")
        case .grade(let g): p.set("change", "grade"); p.set("grade", g.rawValue)
        case .terms(let d): p.set("change", "terms"); p.set("terms", d)
        case .collector(let c): p.set("change", "collector"); p.set("collector", c)
        case .status(let s): p.set("change", "status"); p.set("status", s.rawValue)
        case .nextReview(let d): p.set("change", "review"); p.set("review", d)
        case .contacts(let list): p.set("change", "contacts"); p.set("contacts", list.map(contactObject))
        case .name(let n): p.set("change", "name"); p.set("name", n)
        }
    }
}
