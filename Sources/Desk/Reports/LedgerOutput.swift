import Core
import FlatJSON

/// One customer's ledger: profile, open items with aging and dispute marks, payments with their
/// allocations, promises with their state, and the activity timeline.
public struct LedgerOutput {
    public let book: Book
    public let customer: Customer
    public let asOf: Day
    public let items: [OpenItem]
    /// The policy's dunning levels, so an activity names its level ("level 2 · final notice").
    public let levels: [DunningLevel]

    public init(book: Book, customer id: CustomerID, asOf: Day, levels: [DunningLevel] = []) throws {
        guard let customer = book.customer(id, asOf: asOf) else { throw DeskError.invalid("no customer \"\(id)\" in this book\(book.didYouMean(id))") }
        self.book = book; self.customer = customer; self.asOf = asOf; self.levels = levels
        items = OpenItems.of(id, in: book, asOf: asOf).sorted { $0.due != $1.due ? $0.due < $1.due : $0.invoice < $1.invoice }
    }

    func amount(_ m: Money) -> String { book.currency.format(m) }

    var payments: [Payment] { book.payments(of: customer.id).filter { $0.day <= asOf }.sorted { $0.day < $1.day } }
    var timeline: [Activity] { book.timeline(of: customer.id).filter { $0.stamp.day <= asOf } }
    /// The customer before each change of its profile, by record (what a change replaced).
    var before: [UInt64: Customer] { book.profilesBeforeChanges(of: customer.id) }

    var creditNotes: [CreditNote] { book.creditNotes(of: customer.id).filter { $0.day <= asOf } }
    var writeOffs: [WriteOff] { book.writeOffs(of: customer.id).filter { $0.day <= asOf } }
    /// Credit set against invoices by the day (`ardesk apply-credit`).
    var applications: [CreditApplication] {
        book.creditApplications(of: customer.id).filter { $0.day <= asOf }
    }

    /// Unapplied cash and credit notes as of the day (DOMAIN: shown as a credit on the customer).
    var credit: Money { Position(customer.id, in: book, asOf: asOf).credit }

    /// Fees and interest billed by the day, kept apart from the principal.
    var charges: [Charge] { book.charges(of: customer.id).filter { $0.day <= asOf } }
    var chargesOpen: Money { OpenCharges.total(customer.id, in: book, asOf: asOf) }

    func chargeKind(_ charge: Charge) -> String {
        switch charge.kind {
        case .fee(let level): return "fee (level \(level))"
        case .interest(let through): return "interest to \(through.iso)"
        }
    }

    func settlementText(_ charge: Charge) -> String {
        charge.settlements.filter { $0.day <= asOf }.map { s in
            switch s.source {
            case .payment(let reference) where s.amount.isNegative: return "\(amount(-s.amount)) owed again: \(reference) reversed on \(s.day.iso)"
            case .payment(let reference): return "paid \(amount(s.amount)) by \(reference) on \(s.day.iso)"
            case .waiver(let reason, let by): return "waived \(amount(s.amount)) by \(by) on \(s.day.iso): \(reason)"
            }
        }.joined(separator: "; ")
    }

    public var json: String {
        let c = customer
        let balance = items.reduce(Money.zero) { $0 + $1.open }
        let credit = credit
        let object: JSONObject = [
            "as_of": .string(asOf.iso), "currency": .string(book.currency.code),
            "customer": .object([
                "id": .string(c.id), "name": .string(c.name), "terms_days": .int(Int64(c.termsDays)),
                "credit_limit": .string(amount(c.creditLimit)), "grade": c.grade.map { .string($0.rawValue) } ?? .null,
                "status": .string(c.status.rawValue), "collector": c.collector.map { .string($0) } ?? .null,
                "next_review": c.nextReview.map { .string($0.iso) } ?? .null,
                "contacts": .array(c.contacts.map { .object(["name": .string($0.name), "phone": .string($0.phone), "email": .string($0.email)]) }),
            ]),
            "balance": .string(amount(balance)), "credit": .string(amount(credit)), "net": .string(amount(balance - credit)),
            "open_items": .array(items.map { item in
                .object(["invoice": .string(item.invoice), "issued": .string(item.issued.iso), "due": .string(item.due.iso),
                         "amount": .string(amount(item.amount)), "open": .string(amount(item.open)),
                         "days_past_due": .int(Int64(item.daysPastDue)), "disputed": .string(amount(item.disputed)),
                         "reference": .string(book.invoices[item.invoice]?.reference ?? "")])
            }),
            "payments": .array(payments.map { p in
                .object(["reference": .string(p.reference), "date": .string(p.day.iso), "amount": .string(amount(p.amount)),
                         "allocations": .array(p.allocations.map { .object(["invoice": .string($0.invoice), "amount": .string(amount($0.amount))]) }),
                         "charges": .array(p.charges.map { .object(["charge": .string($0.charge), "amount": .string(amount($0.amount))]) }),
                         // Net of credit applied from it by the day (`ardesk apply-credit`).
                         "unapplied": .string(amount(p.unapplied - book.creditApplied(from: .payment(p.reference), asOf: asOf))),
                         "reversed": book.reversal(of: p.reference, asOf: asOf).map { r in
                             .object(["date": .string(r.day.iso), "reason": .string(r.reason), "cause": .string(r.cause.rawValue)])
                         } ?? .null])
            }),
            "credit_notes": .array(creditNotes.map { n in
                .object(["number": .string(n.number), "date": .string(n.day.iso), "amount": .string(amount(n.amount)),
                         "invoice": n.invoice.map { .string($0) } ?? .null, "reason": .string(n.reason),
                         "applied": .string(amount(book.creditApplied(from: .creditNote(n.number), asOf: asOf)))])
            }),
            "credit_applied": .array(applications.map { a in
                .object(["id": .string(a.id), "date": .string(a.day.iso), "amount": .string(amount(a.amount)),
                         "from": .string(a.source.number),
                         "withdrawn": book.takenBack(a, asOf: asOf).map { back in
                             .object(["date": .string(back.day.iso),
                                      "reason": .string(back.byReversal ? "payment \(a.source.number) reversed" : a.withdrawn?.reason ?? "")])
                         } ?? .null,
                         "allocations": .array(a.allocations.map { .object(["invoice": .string($0.invoice), "amount": .string(amount($0.amount))]) })])
            }),
            "write_offs": .array(writeOffs.map { w in
                .object(["id": .string(w.id), "date": .string(w.day.iso), "amount": .string(amount(w.amount)),
                         "allocations": .array(w.allocations.map { .object(["invoice": .string($0.invoice), "amount": .string(amount($0.amount))]) }),
                         "reason": .string(w.reason), "approved_by": .string(w.approvedBy),
                         "reinstated": w.reinstatement(asOf: asOf).map { .object(["date": .string($0.day.iso), "reason": .string($0.reason), "by": .string($0.by)]) } ?? .null])
            }),
            "charges_open": .string(amount(chargesOpen)),
            "charges": .array(charges.map { charge in
                .object(["id": .string(charge.id), "billed": .string(charge.day.iso), "kind": .string(chargeKind(charge)),
                         "amount": .string(amount(charge.amount)), "open": .string(amount(charge.open(asOf: asOf))),
                         "settled": .string(settlementText(charge))])
            }),
            "promises": .array(Promises.judge(c.id, in: book, asOf: asOf).map { j in
                .object(["id": .string(j.promise.id), "amount": .string(amount(j.promise.amount)), "due": .string(j.promise.due.iso),
                         "state": .string(j.state.rawValue), "paid": .string(amount(j.paid))])
            }),
            "activity": .array(timeline.map { [before] a in
                let (kind, detail) = ActivityText.describe(a.kind, book: book, levels: levels, before: before[a.stamp.sequence])
                return .object(["seq": .int(Int64(a.stamp.sequence)), "time": .string(a.stamp.time), "day": .string(a.stamp.day.iso),
                                "by": .string(a.stamp.author), "kind": .string(kind), "detail": .string(detail),
                                "undone": .bool(a.undoneBy != nil)])
            }),
        ]
        return JSONWriter.string(.object(object))
    }

    public var table: ReportTable {
        let c = customer
        var table = ReportTable(title: "\(c.id)  \(c.name)  as of \(asOf.iso)", columns: [
            .init("date"), .init("kind"), .init("reference"), .init("due"), .init("amount", .right), .init("open", .right), .init("note"),
        ])
        for item in items {
            table.rows.append([item.issued.iso, "invoice", item.invoice, item.due.iso, amount(item.amount), amount(item.open),
                               (item.daysPastDue > 0 ? "\(item.daysPastDue) day\(item.daysPastDue == 1 ? "" : "s") past due" : "not due") + (item.disputed.isPositive ? " · DISPUTED" + (item.disputed < item.open ? " \(amount(item.disputed))" : "") : "")
                                + (book.invoices[item.invoice].map { $0.reference.isEmpty ? "" : " · ref \($0.reference)" } ?? "")])  // the customer's own number for it (a PO)
        }
        for p in payments {
            table.rows.append([p.day.iso, "payment", p.reference, "", amount(p.amount), "",
                               p.partsPaid(amount).joined(separator: ", ")])
            // Its reversal, on its own day: what it had settled is owed again from then.
            if let r = book.reversal(of: p.reference, asOf: asOf) {
                table.rows.append([r.day.iso, "reversal", p.reference, "", amount(-p.amount), "",
                                   r.cause == .enteredInError ? "entered in error: \(r.reason)" : r.reason])
            }
        }
        for n in creditNotes {
            let applied = n.invoice == nil ? book.creditApplied(from: .creditNote(n.number), asOf: asOf) : .zero
            let onAccount = applied == .zero ? "unapplied credit" : applied >= n.amount ? "credit applied in full" : "credit, \(amount(applied)) of it applied"
            table.rows.append([n.day.iso, "credit note", n.number, "", amount(n.amount), "",
                               (n.invoice.map { "against \($0)" } ?? onAccount) + (n.reason.isEmpty ? "" : ": \(n.reason)")])
        }
        for a in applications {
            table.rows.append([a.day.iso, "credit applied", a.id, "", amount(a.amount), "",
                               "from \(a.source.number): " + a.allocations.map { "\($0.invoice) \(amount($0.amount))" }.joined(separator: ", ")])
            if let back = book.takenBack(a, asOf: asOf) {
                table.rows.append([back.day.iso, "credit withdrawn", a.id, "", amount(-a.amount), "",
                                   "owed again: " + (back.byReversal ? "payment \(a.source.number) reversed" : a.withdrawn?.reason ?? "")])
            }
        }
        for w in writeOffs {
            table.rows.append([w.day.iso, "write-off", w.id, "", amount(w.amount), "",
                               w.allocations.map { "\($0.invoice) \(amount($0.amount))" }.joined(separator: ", ")
                                   + " · approved by \(w.approvedBy)" + (w.reason.isEmpty ? "" : ": \(w.reason)")])
            // Its reinstatement, on its own day: what it had settled is owed again from then.
            if let back = w.reinstatement(asOf: asOf) {
                table.rows.append([back.day.iso, "write-off reinstated", w.id, "", amount(-w.amount), "", "owed again · by \(back.by): \(back.reason)"])
            }
        }
        // Fees and interest apart from the invoices: what each billed, and what is left of it.
        for charge in charges {
            table.rows.append([charge.day.iso, chargeKind(charge), charge.id, "", amount(charge.amount), amount(charge.open(asOf: asOf)),
                               settlementText(charge)])
        }
        // Promises as judged on the day: kept, partly kept, broken, or still pending.
        for j in Promises.judge(c.id, in: book, asOf: asOf) {
            table.rows.append([j.promise.taken.iso, "promise", j.promise.id, j.promise.due.iso, amount(j.promise.amount), "",
                               "\(j.state.rawValue), paid \(amount(j.paid))"])
        }
        let before = self.before
        for a in timeline {
            let (kind, detail) = ActivityText.describe(a.kind, book: book, levels: levels, before: before[a.stamp.sequence])
            table.rows.append([a.stamp.day.iso, kind, "#\(a.stamp.sequence)", "", "", "", (detail.isEmpty ? a.stamp.author : "\(a.stamp.author): \(detail)") + (a.undoneBy != nil ? " (undone)" : "")])
        }
        // Every contact person, the first (called first) on the summary line, the others each on one.
        let people = c.contacts.map { [$0.name, $0.phone, $0.email].filter { !$0.isEmpty }.joined(separator: " ").onOneLine }
        table.notes = ["terms \(c.termsDays) days · limit \(c.creditLimit.isPositive ? amount(c.creditLimit) : "none") · grade \(c.grade?.rawValue ?? "-") · status \(c.status.rawValue) · collector \(c.collector ?? "-") · next review \(c.nextReview?.iso ?? "-") · contact \(people.first ?? "-")"]
            + people.dropFirst().enumerated().map { "contact \($0.offset + 2): \($0.element)" }
            + [balanceLine]
        return table
    }

    /// "balance 500.00", and with unapplied credit "balance 500.00 · credit 300.00 · net 200.00";
    /// open fees and interest follow, apart ("fees and interest 10.41").
    var balanceLine: String {
        let balance = items.reduce(Money.zero) { $0 + $1.open }
        let credit = credit
        let chargesOpen = chargesOpen
        return "balance \(amount(balance))" + (credit.isPositive ? " · credit \(amount(credit)) · net \(amount(balance - credit))" : "")
            + (chargesOpen.isPositive ? " · fees and interest \(amount(chargesOpen)) (apart)" : "")
    }
}

extension Payment {
    /// What it paid, each invoice and charge with its amount ("I1 100.00", "FEE-3 20.00"), as
    /// its ledger line and its reversal say it.
    public func partsPaid(_ amount: (Money) -> String) -> [String] {
        allocations.map { "\($0.invoice) \(amount($0.amount))" } + charges.map { "\($0.charge) \(amount($0.amount))" }
    }
}
