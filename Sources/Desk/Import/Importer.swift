import Core

/// Turns a CSV file into events, all or nothing: every bad row is reported with its line, column
/// and reason, and nothing is written unless the whole file is good.
public struct Importer {
    public enum Kind: String, CaseIterable, Sendable {
        case customers, invoices, payments
        case creditNotes = "credit-notes"
        /// Payments the bank returned unpaid (see `PaymentReversal`).
        case reversals

        public var fieldNames: [String] { fields.map(\.name) }

        /// Every kind by name, for help and refusals: "customers, …, credit-notes or reversals".
        public static var spelledOut: String {
            let names = allCases.map(\.rawValue)
            return names.dropLast().joined(separator: ", ") + " or " + names.last!
        }

        /// The canonical header's fields as help shows them: those required, then those not.
        public var header: (required: String, optional: String) {
            (fields.filter(\.required).map(\.name).joined(separator: ","), fields.filter { !$0.required }.map(\.name).joined(separator: ","))
        }

        /// The canonical header; fields marked required must be present as columns.
        var fields: [(name: String, required: Bool)] {
            switch self {
            case .customers:
                return [("id", true), ("name", true), ("terms_days", false), ("credit_limit", false), ("currency", false),
                        ("contact", false), ("phone", false), ("email", false), ("collector", false), ("grade", false)]
            case .invoices:
                return [("number", true), ("customer", true), ("issue_date", true), ("due_date", false),
                        ("amount", true), ("currency", false), ("reference", false), ("disputed", false)]
            case .payments:
                return [("reference", true), ("customer", true), ("date", true), ("amount", true), ("invoice", false),
                        ("method", false)]
            case .creditNotes:
                return [("number", true), ("customer", true), ("date", true), ("amount", true), ("currency", false),
                        ("invoice", false), ("reason", false)]
            case .reversals:
                return [("reference", true), ("date", true), ("reason", false), ("cause", false)]
            }
        }
    }

    public struct Options: Sendable {
        public var dateFormat: DateFormat = .iso
        /// Field name -> file column, from `--map COL=FIELD`.
        public var columnForField: [String: String] = [:]
        /// Invoices for customers not in the book create them (id as name) instead of failing.
        public var createCustomers = false
        /// A customers file changes customers already in the book where it says otherwise (a
        /// master file exported again), instead of refusing those rows.
        public var updateCustomers = false
        /// The book's roles, when it has a roles.toml: a customer's collector must be one of its users.
        public var roles: Roles?
        /// The business day of the import: payments dated after it are refused, as `ardesk pay` refuses them.
        public var today: Day?
        /// The book's amounts all told, when the caller knows them (`Desk.amountsHeld`): not reckoned again.
        public var amountsHeld: Int64?
        /// Payments more than they can pay are kept, the rest a credit on the customer (`--credit`,
        /// as for `ardesk pay`), and unapplied credit notes more than the customer owes likewise;
        /// otherwise such a row is refused: a prepayment or a rebate is asked for by name, since a
        /// digit too many in a bank file would else pass as one.
        public var keepsCredit = false
        public init() {}
    }

    public struct Plan: Sendable {
        public var events: [Event] = []
        public var issues: [ImportIssue] = []
        /// Rows already in the book with the same content: reported, not imported twice.
        public var alreadyInBook: [String] = []
        public var rowsRead = 0
        public var createdCustomers = 0
        /// Customers in the book the file changes (`updateCustomers`).
        public var updatedCustomers: [CustomerID] = []
        /// Invoices issued after today (the import's day): allowed (billing ahead happens), but
        /// told, with the first line, since a mistyped year looks just like one.
        public var issuedAfterToday = 0
        public var firstIssuedAfterToday: Int?
        /// Disputes an earlier import opened that this file's payments end (`importedDisputesEnded`).
        public var importedDisputesEnded = 0
        /// The book's customer ids as `Book.plainID` reads them, each to the one id it means (nil
        /// for two alike): made once, at the first new customer (`--create-customers`), rather
        /// than every id compared for each new row of a large book.
        var plainIDs: [String: CustomerID?]?
        /// Invoices already in the book, settled, that this file marks disputed: no dispute is
        /// opened (nothing is open to withhold, and it would stand in views of days before).
        public var settledMarkedDisputed: [String] = []
        /// Disputes opened on invoices already in the book that this file newly marks disputed.
        public var disputesOnExisting = 0
        /// Columns of the file no field reads, each with the field it may have meant (a header
        /// misspelled would otherwise be ignored without a word: due dates taken from terms).
        public var unreadColumns: [UnreadColumn] = []
        /// Columns read as a field whose name they spell otherwise ("Credit Limit" as
        /// credit_limit): said, since a file that imported before may now say more.
        public var readByPlainName: [(column: String, field: String)] = []
        /// What separates the file's columns (a semicolon or a tab when its header has no comma).
        public var separator: Character = ","
    }

    let kind: Kind
    let options: Options
    let book: Book

    public init(kind: Kind, options: Options, book: Book) {
        self.kind = kind; self.options = options; self.book = book
    }

    public func plan(path: String) throws -> Plan {
        try plan(table: CSVTable.load(path: path))
    }

    public func plan(text: String, file: String) throws -> Plan {
        try plan(table: CSVTable.parse(text: text, file: file))
    }

    func plan(table: CSVTable) throws -> Plan {
        var plan = Plan()
        let columns = try resolveColumns(table)
        plan.unreadColumns = unreadColumns(table.header, read: columns)
        plan.readByPlainName = columnsReadByPlainName(table.header, read: columns)
        plan.separator = table.separator
        // The book's amounts all told, so that a row taking them past what sums hold is named
        // here rather than the whole import refused when it is written (see Book+Magnitude).
        var magnitude = MagnitudeSum(options.amountsHeld ?? book.amountsMagnitude)
        var pastBound = false
        var scratch = book  // rows see the effect of earlier rows (FIFO payments, new customers)
        var sequence = book.lastSequence
        let (order, firstLines) = rowOrder(table, columns: columns)
        for index in order {
            let cells = table.rows[index]
            let line = table.lines[index]
            plan.rowsRead += 1
            guard cells.count == table.header.count else {
                // An unquoted comma in a value (`Acme, Inc`) would shift every later field.
                plan.issues.append(ImportIssue(file: table.file, line: line, column: nil, reason:
                    "the row has \(cells.count) cell\(cells.count == 1 ? "" : "s") where the header has \(table.header.count) (a value with a comma must be in double quotes)"))
                continue
            }
            var row = Row(file: table.file, line: line, cells: cells, header: table.header, columns: columns, options: options, currency: book.currency, separator: table.separator)
            row.refuseScreenControls()
            row.refuseOversizedCells()
            // A repeat within the file first: read against the earlier row's effect, it would be
            // called "already in the book", which the book was not before this file.
            let key = row.text(kind.fields[0].name)
            if !key.isEmpty, let first = firstLines[key], first != line {
                row.fail(kind.fields[0].name, "\"\(key)\" appears again (first on line \(first))")
                plan.issues += row.issues
                continue
            }
            let events = buildEvents(&row, book: scratch, plan: &plan)
            guard row.issues.isEmpty else { plan.issues += row.issues; continue }
            for event in events {
                sequence += 1
                do {
                    try scratch.apply(event, stamp: Stamp(sequence: sequence, author: "import", time: "", day: Day(ordinal: 0)))
                    plan.events.append(event)
                    magnitude.add(magnitude: event.amountsMagnitude)
                    if magnitude.value > Book.amountsBound && !pastBound {
                        pastBound = true
                        let bound = book.currency.format(Money(minorUnits: Book.amountsBound), grouping: ",")
                        plan.issues.append(ImportIssue(file: table.file, line: line, column: row.columnName("amount"), reason:
                            "with this row the book's amounts would add up to more than \(bound) \(book.currency.code), past what ardesk can total exactly; check the amounts"))
                    }
                } catch let error as BookError {
                    // The column at fault where the book's refusal names one: more than is open takes the amount's.
                    let column: String? = if case .overAllocated = error { row.columnName("amount") } else { nil }
                    plan.issues.append(ImportIssue(file: table.file, line: line, column: column, reason: error.description))
                }
            }
        }
        if table.rows.isEmpty {
            plan.issues.append(ImportIssue(file: table.file, line: 1, column: nil, reason: "the file has a header but no rows"))
        }
        // By line, as the file reads (payments were planned by date); a line's own in their order.
        plan.issues = plan.issues.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        return plan
    }

    func buildEvents(_ row: inout Row, book: Book, plan: inout Plan) -> [Event] {
        switch kind {
        case .customers: return customerEvents(&row, book: book, plan: &plan)
        case .invoices: return invoiceEvents(&row, book: book, plan: &plan)
        case .payments: return paymentEvents(&row, book: book, plan: &plan)
        case .creditNotes: return creditNoteEvents(&row, book: book, plan: &plan)
        case .reversals: return reversalEvents(&row, book: book, plan: &plan)
        }
    }

    func invoiceEvents(_ row: inout Row, book: Book, plan: inout Plan) -> [Event] {
        let number = row.required("number"), customerID = row.required("customer")
        let issued = row.date("issue_date")
        let amount = row.money("amount", required: true)
        row.checkCurrency()
        if let amount, !amount.isPositive { row.fail("amount", "an invoice amount must be above zero") }
        var events: [Event] = []
        guard let number, let customerID else { return [] }
        let customer = book.customers[customerID]
        if customer == nil {
            if options.createCustomers, plan.plainIDs == nil {
                plan.plainIDs = Dictionary(book.customerOrder.map { (Book.plainID($0), Optional($0)) }) { _, _ in nil }
            }
            if options.createCustomers, let found = plan.plainIDs?[Book.plainID(customerID)], let like = found {
                // One customer split in two by a case, a space or a full-width letter.
                row.fail("customer", "no customer \"\(customerID)\" in the book, but \(like) is: write \(like) (a customers file adds \(customerID) if it is another)")
            } else if options.createCustomers {
                events.append(.customerAdded(Customer(id: customerID, name: customerID)))
                plan.plainIDs?[Book.plainID(customerID)] = customerID  // a later row's c9 for this C9 is refused too
                plan.createdCustomers += 1
            } else {
                row.fail("customer", "no customer \"\(customerID)\" in the book (import customers first, or use --create-customers)")
            }
        }
        let terms = customer?.termsDays ?? 30
        // (A year past 2199 is refused as a slip, so a due date reckoned from terms stays writable.)
        let due = row.hasValue("due_date") ? row.date("due_date") : issued?.adding(days: terms)
        if let issued, let due, due < issued { row.fail("due_date", "the due date \(due) is before the issue date \(issued)") }
        let disputed = row.flag("disputed")
        guard let issued, let due, let amount, row.issues.isEmpty else { return [] }
        // A file that marks an invoice disputed (an ERP's flag, the IBM sample's column) says
        // neither when nor why: the dispute is opened on the issue day, the whole invoice.
        let dispute = Event.disputeOpened(Dispute(id: "D-\(number)", customer: customerID, invoice: number, amount: nil,
                                                  reason: "marked disputed in the imported file", opened: issued, owner: Importer.disputeOwner))
        let disputeIsNew = disputed && book.disputes(onInvoice: number).isEmpty  // one already there (imported or not) stands
        let invoice = Invoice(number: number, customer: customerID, issued: issued, due: due, amount: amount,
                              reference: row.text("reference"))
        if let existing = book.invoices[number] {
            var bare = existing
            bare.settlements = []
            // Without a due date in the file the due date came from the customer's terms, which
            // may have changed since: then only what the file says is compared.
            let dueAsImported = row.hasValue("due_date") || bare.instalments.count != 1 ? due : bare.due
            // A file without a reference column says nothing of the reference: the book's stands.
            let asInFile = Invoice(number: number, customer: customerID, issued: issued, due: dueAsImported, amount: amount,
                                   reference: row.columns["reference"] == nil ? bare.reference : row.text("reference"))
            if bare == asInFile {
                plan.alreadyInBook.append(number)
                guard disputeIsNew else { return [] }
                // Newly marked on an invoice imported before: opened from today, not its issue
                // day (views of the days between did not have it), and only while something is open.
                let today = options.today ?? issued
                guard existing.open(asOf: today).isPositive else { plan.settledMarkedDisputed.append(number); return [] }
                plan.disputesOnExisting += 1
                return [.disputeOpened(Dispute(id: "D-\(number)", customer: customerID, invoice: number, amount: nil,
                                               reason: "marked disputed in the imported file", opened: max(issued, today), owner: Importer.disputeOwner))]
            }
            // What differs, each in the book and in the file, at the first such column.
            let money = { (m: Money) in book.currency.format(m, grouping: ",") }
            let differences: [(field: String, book: String, file: String)] = [
                ("customer", bare.customer, asInFile.customer), ("issue_date", bare.issued.iso, asInFile.issued.iso),
                ("due_date", bare.due.iso, asInFile.due.iso), ("amount", money(bare.amount), money(asInFile.amount)),
                ("reference", bare.reference, asInFile.reference),
            ].filter { $0.book != $0.file }
            row.fail(differences.first?.field ?? "number",
                     "invoice \"\(number)\" is already in the book with other details: " + (differences.isEmpty ? "its instalments differ" : Importer.said(differences)))
            return []
        }
        if let today = options.today, issued > today {
            plan.issuedAfterToday += 1
            if plan.firstIssuedAfterToday == nil { plan.firstIssuedAfterToday = row.line }
        }
        events.append(.invoiceIssued(invoice))
        if disputeIsNew { events.append(dispute) }
        return events
    }

    /// Fields of a document in the book and in the file that differ, in words: "amount 50.00 in
    /// the book, 60.00 here; date …".
    static func said(_ differences: [(field: String, book: String, file: String)]) -> String {
        differences.map { "\($0.field) \($0.book.isEmpty ? "(none)" : $0.book) in the book, \($0.file.isEmpty ? "(none)" : $0.file) here" }
            .joined(separator: "; ")
    }

    func paymentEvents(_ row: inout Row, book: Book, plan: inout Plan) -> [Event] {
        let reference = row.required("reference"), customerID = row.required("customer")
        let day = row.date("date")
        let amount = row.money("amount", required: true)
        if let amount, !amount.isPositive { row.fail("amount", "a payment amount must be above zero") }
        guard let reference, let customerID else { return [] }
        guard book.customers[customerID] != nil else {
            row.fail("customer", "no customer \"\(customerID)\" in the book"); return []
        }
        let invoiceNumber = row.text("invoice")
        if let day, let today = options.today, day > today {
            row.fail("date", "the payment is dated \(day), after today (\(today)): a payment not yet received")
        }
        guard let day, let amount, row.issues.isEmpty else { return [] }
        if let existing = book.payments[reference] {
            let sameInvoice = invoiceNumber.isEmpty || existing.allocations.map(\.invoice) == [invoiceNumber]
            if existing.customer == customerID, existing.amount == amount, existing.day == day, sameInvoice {
                plan.alreadyInBook.append(reference); return []
            }
            let money = { (m: Money) in book.currency.format(m, grouping: ",") }
            let differences: [(field: String, book: String, file: String)] = [
                ("customer", existing.customer, customerID), ("date", existing.day.iso, day.iso), ("amount", money(existing.amount), money(amount)),
                ("invoice", existing.allocations.map(\.invoice).joined(separator: " "), sameInvoice ? existing.allocations.map(\.invoice).joined(separator: " ") : invoiceNumber),
            ].filter { $0.book != $0.file }
            row.fail(differences.first?.field ?? "reference", "payment \"\(reference)\" is already in the book with other details: \(Importer.said(differences))")
            return []
        }
        // As `ardesk pay`: to the invoice named, else oldest due first as of its day (later-dated
        // payments allocated again where it takes what they took), then open fees and interest.
        let planned: DateOrder
        do {
            planned = try DateOrder.plan(amount, of: customerID, to: invoiceNumber.isEmpty ? nil : invoiceNumber, in: book, on: day)
        } catch {
            row.fail("invoice", "\(error)"); return []
        }
        let payment = Event.paymentReceived(Payment(reference: reference, customer: customerID, day: day, amount: amount, method: row.text("method"),
                                                     allocations: planned.allocations, charges: planned.charges, byRule: invoiceNumber.isEmpty))
        if !options.keepsCredit, let refusal = creditRefusal(planned, amount: amount, customer: customerID, invoice: invoiceNumber, on: day, in: book) {
            row.fail("amount", refusal); return []
        }
        let resolutions = importedDisputesEnded(by: planned.allocations, reference: reference, on: day, in: book)
        plan.importedDisputesEnded += resolutions.count
        return (planned.reallocated.isEmpty ? [] : [.paymentsReallocated(customerID, planned.reallocated)]) + [payment] + resolutions
    }

    /// Whether `number` is another kind of document's in the book (a credit note under an
    /// invoice's number), failing the row if so. Not asked of payments: their reference is often
    /// the invoice they pay (the public IBM sample's are), and is the bank's, not ours to choose.
    static func takenByAnotherKind(_ number: String, kind: String, field: String, in book: Book, row: inout Row) -> Bool {
        guard let other = book.documentKind(of: number), other != kind else { return false }
        row.fail(field, "\"\(number)\" is already the number of \(other == "invoice" ? "an" : "a") \(other) in the book; \(kind == "invoice" ? "an" : "a") \(kind) needs a number of its own")
        return true
    }
}
