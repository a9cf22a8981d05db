import Core
import Journal

extension Desk {
    /// Renders a statement of account for one customer into the outbox and records it as sent:
    /// the Markdown file's path relative to the book, and the records written.
    @discardableResult
    public func writeStatement(customer: CustomerID, from: Day?, to: Day, language: String) throws -> (path: String, records: [JournalRecord]) {
        try writeStatement(customer: customer, from: from, to: to, language: language, checking: nil)
    }

    /// The same, unless the same statement (the same period) was recorded today already, checked
    /// under the log's write lock: nil then, and nothing written. What `statement --all` writes,
    /// so that two runs at once (a cron job started twice) do not send every customer two copies.
    public func writeStatementOnce(customer: CustomerID, from: Day?, to: Day, language: String) throws -> (path: String, records: [JournalRecord])? {
        struct SentMeanwhile: Error {}
        let today = self.today
        do {
            return try writeStatement(customer: customer, from: from, to: to, language: language) { fresh in
                if Desk.statementWritten(of: customer, from: from, to: to, on: today, in: fresh) { throw SentMeanwhile() }
            }
        } catch is SentMeanwhile {
            return nil
        }
    }

    /// Whether the statement of `customer` for `from`...`to` was written into the outbox on `day`
    /// (not undone; one recorded as sent another way is not written).
    public static func statementWritten(of customer: CustomerID, from: Day?, to: Day, on day: Day, in book: Book) -> Bool {
        book.timeline(of: customer).contains { activity in
            guard activity.undoneBy == nil, activity.stamp.day == day,
                  case .documentSent(.statement(let sentFrom, let sentTo, _), let file) = activity.kind, !file.isEmpty else { return false }
            return sentFrom == from && sentTo == to
        }
    }

    private func writeStatement(customer: CustomerID, from: Day?, to: Day, language: String,
                                checking: ((Book) throws -> Void)?) throws -> (path: String, records: [JournalRecord]) {
        if let readOnlyReason { throw DeskError.readOnly(readOnlyReason) }
        try checkSharedFilesForChange()
        try checkStatement(customer, to: to)  // refused before a file is written
        let outbox = Outbox(folder: folder, templates: templates)
        let delivery = try outboxDelivery(outbox)  // first: it may read the log anew
        let statement = try Statement(book: book, customer: customer, from: from, to: to)
        let currency = book.currency
        let money = { (m: Money) in currency.format(m, grouping: ",") }
        let figures = statementFigures(customer, asOf: to)
        let aging = figures.aging
        let disputed = book.disputedInvoices(of: customer, asOf: to)  // once, for every invoice line
        var context: [String: Any] = [
            "today": today.iso, "currency": currency.code, "to": to.iso,
            "customer": ["id": statement.customer.id, "name": statement.customer.name],
            "opening": money(statement.opening), "closing": money(statement.closing),
            "lines": statement.lines.map { line -> [String: Any] in
                // An invoice under dispute on the statement's day is marked: the customer sees that
                // it is known, and what is asked of the rest.
                let isInvoice = line.kind == .invoice
                var fields: [String: Any] = ["day": line.day.iso, "kind": StatementText.kind(line.kind, language: language), "reference": line.reference,
                                             "debit": line.debit.isPositive ? money(line.debit) : "", "credit": line.credit.isPositive ? money(line.credit) : "",
                                             "balance": money(line.balance), "disputed": isInvoice && disputed.contains(line.reference)]
                // Disputed in part: the part, so the customer is not told all of it is held back
                // (left out otherwise: an empty text is a section shown).
                if isInvoice, let part = disputed.parts[line.reference] { fields["disputed_part"] = money(part) }
                return fields
            },
            "aging": aging.map { ["label": language == "zh" && $0.label == "not due" ? "未到期" : $0.label, "amount": money($0.amount)] },
        ]
        // Interest not billed yet, where the policy bills interest at all and some has accrued:
        // a statement must not announce what no letter will ever bill.
        // Only where a level still ahead of the customer's bills it (one at the last level, or past
        // every level that bills, will not be billed).
        let level = book.dunningLevel(of: customer, asOf: to)
        if policy.dunningLevels.contains(where: { $0.billsInterest && $0.isLetter && $0.level > level }) {
            let unbilled = Interest.unbilled(customer, in: book, asOf: to, terms: policy.interest)
            if unbilled.isPositive { context["interest"] = money(unbilled) }
        }
        if statement.chargesOpening.isPositive || !statement.charges.isEmpty {
            context["charges"] = [
                "opening": money(statement.chargesOpening), "closing": money(statement.chargesClosing),
                "lines": statement.charges.map { line -> [String: Any] in
                    let reference = line.through.map { language == "zh" ? "计至 \($0.iso)" : "to \($0.iso)" } ?? line.reference
                    return ["day": line.day.iso, "kind": StatementText.kind(line.kind, language: language), "reference": reference,
                     "debit": line.debit.isPositive ? money(line.debit) : "", "credit": line.credit.isPositive ? money(line.credit) : "",
                     "balance": money(line.balance)]
                },
            ] as [String: Any]
        }
        if let from { context["from"] = from.iso }  // absent, not nil: the template then says "beginning"
        // The aging lists open items; unapplied cash and credit notes are shown under it, so that
        // the buckets less the credit come to the closing balance.
        if figures.credit.isPositive {
            context["credit"] = money(figures.credit)
            context["net"] = money(figures.balance)
            if figures.balance.isNegative { context["inYourFavour"] = true }  // the credit is more than the open items
        }
        let title = language == "zh" ? "对账单 \(statement.customer.name)" : "Statement of account \(statement.customer.name)"
        let document = try outbox.render(template: "statement", language: language, context: context, day: today,
                                         customer: customer, name: "statement", title: title)
        let path = try delivery.stage(document)
        let records = try perform(.documentSent(customer, .statement(from: from, to: to, figures: figures), file: path), delivering: delivery, checking: checking)
        return (path, records)
    }

    /// What refuses a statement, before its file is written: an unknown customer, another
    /// collector's, a day after today.
    func checkStatement(_ customer: CustomerID, to: Day) throws {
        try requireCustomer(customer)
        if let refusal = refusal(toWork: customer) { throw DeskError.notAllowed(refusal) }
        try checkStatementDay(to)
        if let nothing = nothingToState(customer, to: to) { throw DeskError.invalid(nothing) }
    }

    /// Why a statement up to `to` would be a blank page: nothing of the customer's is dated on or
    /// before it (a day before its first document). Nil when there is something to state.
    public func nothingToState(_ customer: CustomerID, to: Day) -> Phrase? {
        let dated = book.invoices(of: customer).contains { $0.issued <= to } || book.payments(of: customer).contains { $0.day <= to }
            || book.creditNotes(of: customer).contains { $0.day <= to } || book.charges(of: customer).contains { $0.day <= to }
        return dated ? nil : Phrase("\(customer) has nothing to state up to \(to): no invoice, payment, credit note or charge is dated on or before it",
                                    zh: "\(customer) 截至 \(to) 没有可列示的内容：该日或之前没有发票、回款、贷项或费用")
    }

    /// A statement cannot have been sent up to a day after today.
    func checkStatementDay(_ to: Day) throws {
        guard to <= today else {
            throw DeskError.invalid(Phrase("a statement up to \(to) cannot have been sent: that day is after today (\(today))",
                                           zh: "截至 \(to) 的对账单不可能已发出：该日期晚于今天（\(today)）"))
        }
    }

    /// `Command.writeStatement`: written in the customer's language and recorded.
    func writeStatement(_ customer: CustomerID, to: Day) throws -> [JournalRecord] {
        // No customer: the language matters not, the check inside refuses it.
        try writeStatement(customer: customer, from: nil, to: to, language: book.customers[customer].map(Desk.language(for:)) ?? "en").records
    }

    /// A customer's aging (collections basis) and credit as of `to`: what a statement shows.
    func statementFigures(_ customer: CustomerID, asOf to: Day) -> StatementFigures {
        StatementFigures(aging: AgingReport.columns(of: customer, book: book, policy: policy, asOf: to),
                         credit: Position(customer, in: book, asOf: to).credit)
    }
}

enum StatementText {
    static func kind(_ kind: Statement.Kind, language: String) -> String {
        // A write-off is ours to name: the customer reads an adjustment of the balance.
        guard language == "zh" else {
            switch kind {
            case .writeOff: return "balance adjusted"
            case .reinstatement: return "adjustment reversed"
            default: return kind.rawValue
            }
        }
        switch kind {
        case .invoice: return "发票"
        case .payment: return "回款"
        case .reversal: return "回款冲销"
        case .creditNote: return "红字发票"
        case .writeOff: return "余额调整"
        case .reinstatement: return "调整转回"
        case .fee: return "催收费用"
        case .interest: return "逾期利息"
        case .waiver: return "减免"
        }
    }
}
