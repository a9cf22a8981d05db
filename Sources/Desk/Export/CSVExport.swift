import Core

/// Customers, open items and activities as CSV tables for a spreadsheet or another system.
public struct CSVExport {
    public let book: Book
    public let asOf: Day
    /// The policy's dunning levels, so an activity names its level ("level 2 · final notice").
    public let levels: [DunningLevel]

    public init(book: Book, asOf: Day, levels: [DunningLevel] = []) { self.book = book; self.asOf = asOf; self.levels = levels }

    func money(_ m: Money) -> String { book.currency.format(m) }

    public var customers: ReportTable {
        var table = ReportTable(title: "customers", columns: [
            .init("id"), .init("name"), .init("terms_days"), .init("credit_limit"), .init("currency"), .init("contact"),
            .init("phone"), .init("email"), .init("collector"), .init("grade"), .init("status"), .init("next_review"),
            // Beside the open items (open-items.csv), what reconciles them to what is owed net
            // and to the ledger's other accounts: unapplied cash and credit notes, fees and interest open.
            .init("unapplied_credit"), .init("open_charges"),
        ])
        for id in book.customerOrder where book.hasCustomer(id, on: asOf) {  // not those added after the export's day
            let c = book.customer(id, asOf: asOf)!  // the profile of the export's day
            let contact = c.contacts.first ?? ContactPerson()
            table.rows.append([c.id, c.name, String(c.termsDays), money(c.creditLimit), book.currency.code, contact.name,
                               contact.phone, contact.email, c.collector ?? "", c.grade?.rawValue ?? "", c.status.rawValue,
                               c.nextReview?.iso ?? "", money(Position(id, in: book, asOf: asOf).credit),
                               money(OpenCharges.total(id, in: book, asOf: asOf))])
        }
        return table
    }

    public var openItems: ReportTable {
        var table = ReportTable(title: "open items", columns: [
            .init("customer"), .init("invoice"), .init("issue_date"), .init("due_date"), .init("amount"), .init("open"),
            .init("days_past_due"), .init("disputed"), .init("reference"),
        ])
        for id in book.customerOrder {
            for invoice in book.invoices(of: id) where invoice.issued <= asOf {
                let disputed = book.isDisputed(invoice: invoice.number, asOf: asOf)
                for (instalment, open) in invoice.openInstalments(asOf: asOf) where open.isPositive {
                    table.rows.append([id, invoice.number, invoice.issued.iso, instalment.due.iso, money(instalment.amount),
                                       money(open), String(asOf.days(since: instalment.due)), disputed ? "yes" : "no", invoice.reference])
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
            let before = book.profilesBeforeChanges(of: customer)
            for a in list where a.stamp.day <= asOf {
                let (kind, detail) = ActivityText.describe(a.kind, book: book, levels: levels, before: before[a.stamp.sequence])
                rows.append((a.stamp.sequence, [String(a.stamp.sequence), a.stamp.time, a.stamp.day.iso, a.stamp.author, customer,
                                                 kind, detail, a.undoneBy == nil ? "" : "yes"]))
            }
        }
        table.rows = rows.sorted { $0.0 < $1.0 }.map(\.1)
        return table
    }
}
