import Core

extension Importer {
    /// A credit note [红字发票] against the invoice the row names, or, without one, unapplied (a
    /// credit on the customer). As `ardesk creditnote`: above zero, not dated after today, and
    /// no more than what is open on its invoice (the book refuses that row), payments the rule
    /// allocated after its day taking again after it where they took that invoice.
    func creditNoteEvents(_ row: inout Row, book: Book, plan: inout Plan) -> [Event] {
        let number = row.required("number"), customerID = row.required("customer")
        let day = row.date("date")
        let amount = row.money("amount", required: true)
        row.checkCurrency()
        if let amount, !amount.isPositive { row.fail("amount", "a credit note amount must be above zero") }
        guard let number, let customerID else { return [] }
        guard book.customers[customerID] != nil else {
            row.fail("customer", "no customer \"\(customerID)\" in the book"); return []
        }
        if let day, let today = options.today, day > today {
            row.fail("date", "the credit note is dated \(day), after today (\(today))")
        }
        let invoice = row.text("invoice")
        if !invoice.isEmpty, let found = book.invoices[invoice] {
            if found.customer != customerID { row.fail("invoice", "invoice \"\(invoice)\" belongs to customer \"\(found.customer)\"") }
            if let day, day < found.issued { row.fail("date", "invoice \"\(invoice)\" is issued on \(found.issued), after the credit note") }
        } else if !invoice.isEmpty {
            row.fail("invoice", "no invoice \"\(invoice)\" in this book")
        }
        // Unapplied, no more than the customer owes net of its credit, unless asked for by name
        // (`--credit`, as `ardesk creditnote` asks): a digit too many would else leave a credit.
        if invoice.isEmpty, let day, let amount, !options.keepsCredit, book.creditNotes[number] == nil {
            // (The book here holds the file's earlier rows already.)
            do {
                try Desk.checkWithinBalance(amount, of: customerID, in: book, asOf: max(day, options.today ?? day), what: "a credit note of",
                                            netOfCredit: true, beyond: "--credit")
            } catch {
                row.fail("amount", "\(error)")
            }
        }
        guard let day, let amount, row.issues.isEmpty else { return [] }
        let note = CreditNote(number: number, customer: customerID, day: day, amount: amount,
                              invoice: invoice.isEmpty ? nil : invoice, reason: row.text("reason"))
        if Importer.takenByAnotherKind(number, kind: "credit note", field: "number", in: book, row: &row) { return [] }
        if let existing = book.creditNotes[number] {
            if existing == note { plan.alreadyInBook.append(number); return [] }
            let money = { (m: Money) in book.currency.format(m, grouping: ",") }
            let differences: [(field: String, book: String, file: String)] = [
                ("customer", existing.customer, note.customer), ("date", existing.day.iso, note.day.iso),
                ("amount", money(existing.amount), money(note.amount)), ("invoice", existing.invoice ?? "", note.invoice ?? ""),
                ("reason", existing.reason, note.reason),
            ].filter { $0.book != $0.file }
            row.fail(differences.first?.field ?? "number", "credit note \"\(number)\" is already in the book with other details: \(Importer.said(differences))")
            return []
        }
        // Against an invoice a later payment the rule allocated took: it takes again after the note.
        let moved = note.invoice.map { DateOrder.forCreditNote(amount, of: customerID, against: $0, in: book, on: day) } ?? []
        return (moved.isEmpty ? [] : [.paymentsReallocated(customerID, moved)]) + [.creditNoteIssued(note)]
    }
}
