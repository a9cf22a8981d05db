import Core

/// Customers, open items and activities as CSV tables for a spreadsheet or another system.
public struct CSVExport {
    public let book: Book
    public let asOf: Day

    public init(book: Book, asOf: Day) { self.book = book; self.asOf = asOf }

    func money(_ m: Money) -> String { book.currency.format(m) }

    public var customers: ReportTable {
        var table = ReportTable(title: "customers", columns: [
            .init("id"), .init("name"), .init("terms_days"), .init("credit_limit"), .init("currency"), .init("contact"),
            .init("phone"), .init("email"), .init("collector"), .init("grade"), .init("status"), .init("next_review"),
        ])
        for id in book.customerOrder {
            let c = book.customers[id]!
            let contact = c.contacts.first ?? ContactPerson()
            table.rows.append([c.id, c.name, String(c.termsDays), money(c.creditLimit), book.currency.code, contact.name,
                               contact.phone, contact.email, c.collector ?? "", c.grade?.rawValue ?? "", c.status.rawValue,
                               c.nextReview?.iso ?? ""])
        }
        return table
    }

    public var openItems: ReportTable {
        var table = ReportTable(title: "open items", columns: [
            .init("customer"), .init("invoice"), .init("issue_date"), .init("due_date"), .init("amount"), .init("open"),
            .init("days_past_due"), .init("disputed"),
        ])
        for id in book.customerOrder {
            for invoice in book.invoices(of: id) where invoice.issued <= asOf {
                let disputed = book.disputes(onInvoice: invoice.number).contains { $0.isOpen(asOf: asOf) }
                for (instalment, open) in invoice.openInstalments(asOf: asOf) where open.isPositive {
                    table.rows.append([id, invoice.number, invoice.issued.iso, instalment.due.iso, money(instalment.amount),
                                       money(open), String(asOf.days(since: instalment.due)), disputed ? "yes" : "no"])
                }
            }
        }
        return table
    }

    public var activities: ReportTable {
        var table = ReportTable(title: "activities", columns: [
            .init("sequence"), .init("time"), .init("day"), .init("author"), .init("customer"), .init("kind"), .init("detail"), .init("undone"),
        ])
        var rows: [(UInt64, [String])] = []
        for (customer, list) in book.timelines {
            for a in list where a.stamp.day <= asOf {
                let (kind, detail) = ActivityText.describe(a.kind, book: book)
                rows.append((a.stamp.sequence, [String(a.stamp.sequence), a.stamp.time, a.stamp.day.iso, a.stamp.author, customer,
                                                 kind, detail, a.undoneBy == nil ? "" : "yes"]))
            }
        }
        table.rows = rows.sorted { $0.0 < $1.0 }.map(\.1)
        return table
    }
}

/// Activity lines in words, shared by exports, the ledger report and the screen.
public enum ActivityText {
    public static func describe(_ kind: Activity.Kind, book: Book) -> (kind: String, detail: String) {
        let money = { (m: Money) in book.currency.format(m, grouping: ",") }
        switch kind {
        case .call(let outcome, let note, let callback):
            return ("call", [outcome.rawValue, note, callback.map { "callback \($0.iso)" } ?? ""].filter { !$0.isEmpty }.joined(separator: " · "))
        case .note(let text): return ("note", text)
        case .callback(let day, let note): return ("callback", [day.iso, note].filter { !$0.isEmpty }.joined(separator: " · "))
        case .promise(let id):
            guard let p = book.promises[id] else { return ("promise", id) }
            return ("promise", "\(money(p.amount)) by \(p.due.iso)")
        case .plan(let id):
            let parts = book.promises.values.filter { $0.plan == id }.sorted { $0.due < $1.due }
            return ("plan", parts.map { "\($0.due.iso) \(money($0.amount))" }.joined(separator: ", "))
        case .dispute(let id):
            guard let d = book.disputes[id] else { return ("dispute", id) }
            return ("dispute", "\(d.invoice): \(d.reason)")
        case .disputeResolved(let id, let note): return ("dispute resolved", [id, note].filter { !$0.isEmpty }.joined(separator: " · "))
        case .documentSent(let kind, let file):
            switch kind {
            case .letter(let level): return ("letter", "level \(level)" + (file.isEmpty ? "" : " · \(file)"))
            case .statement(let from, let to): return ("statement", "\(from?.iso ?? "start") to \(to.iso)" + (file.isEmpty ? "" : " · \(file)"))
            }
        case .claimed: return ("claimed", "")
        case .released: return ("released", "")
        case .worked: return ("worked", "")
        case .profile(let change, let reason):
            let text: String
            switch change {
            case .creditLimit(let m): text = "credit limit \(money(m))"
            case .hold: text = "credit hold"
            case .release: text = "hold released"
            case .grade(let g): text = "grade \(g.rawValue)"
            case .terms(let d): text = "terms \(d) days"
            case .collector(let c): text = "collector \(c ?? "none")"
            case .status(let s): text = "status \(s.rawValue)"
            case .nextReview(let d): text = "next review \(d?.iso ?? "none")"
            case .contacts: text = "contacts changed"
            case .name(let n): text = "name \(n)"
            }
            return ("change", reason.isEmpty ? text : "\(text) · \(reason)")
        case .dunning(let level): return ("dunning", "level \(level)")
        case .request(let id):
            guard let r = book.requests[id] else { return ("request", id) }
            switch r.kind {
            case .creditLimit(let m): return ("request", "\(id): credit limit \(money(m)) · \(r.reason)")
            case .writeOff(let m): return ("request", "\(id): write off \(money(m)) · \(r.reason)")
            case .creditHold: return ("request", "\(id): credit hold · \(r.reason)")
            case .handOff(let status): return ("request", "\(id): hand off to \(status.rawValue) · \(r.reason)")
            }
        case .decision(let id, let approved, let reason):
            return (approved ? "approved" : "rejected", [id, reason].filter { !$0.isEmpty }.joined(separator: " · "))
        }
    }
}
