import ArgumentParser
import Core
import Desk
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create an empty book.")
    @OptionGroup var options: BookOptions
    @Option(help: "ISO 4217 currency of the book.") var currency = "CNY"

    func run() throws {
        guard let currency = Currency(isoCode: Currency.isoCode(for: currency)) else { throw CLIError("--currency \"\(self.currency)\" is not an ISO 4217 currency code such as CNY, USD or JPY") }
        let desk = try Desk.create(folder: options.folder, currency: currency, today: try BookOptions.today())
        print("Created an empty \(currency.code) book at \(desk.folder.path)")
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Create a realistic demo book.")
    @OptionGroup var options: BookOptions
    @Option(help: "Number of customers.") var customers = 200
    @Option(help: "Random seed; the same seed gives the same book.") var seed: UInt64 = 1
    @Option(name: .customLong("as-of"), parsing: .unconditional, help: "The day the demo history ends (default: today).") var asOf: DayArgument?

    func run() throws {
        guard (1...1_000_000).contains(customers) else { throw CLIError("--customers must be between 1 and 1,000,000") }
        let today = try BookOptions.today()
        let end = try asOf?.resolve(field: "--as-of", today: today, looking: .behind) ?? today
        let target = options.folder
        guard !target.exists else { throw DeskError.bookExists(target.path) }
        // Made beside its name and renamed into place when whole: a demo stopped midway (a large
        // one takes a while) leaves no half book where the next `demo` or `open` would find it.
        // What an earlier demo stopped midway left (its process gone) is taken away. An empty
        // folder made for it beforehand (a team's, its mode and group set) is kept: the book is
        // made in it, aside, and its files moved up when whole.
        DemoCommand.removeLeftovers(of: target)
        let existing = FileManager.default.fileExists(atPath: target.path)
        if existing { DemoCommand.removeLeftovers(in: target) }
        // Said before the book is made, not after minutes of making it.
        if existing && !((try? FileManager.default.contentsOfDirectory(atPath: target.path))?.isEmpty ?? false) {
            throw CLIError("\(target.path) is there already and is no book; give a new folder (or an empty one) for the demo")
        }
        let building = BookFolder(path: existing ? target.path + "/" + DemoCommand.partial + "\(getpid())" : target.path + DemoCommand.partial + "\(getpid())")
        let desk = try Desk.create(folder: building, currency: .cny, today: end)
        var events = 0
        var demo = DemoBook(customers: customers, seed: seed, asOf: end)
        demo.user = desk.user
        do {
            try demo.generate { chunk in
                try desk.appendHistory(chunk)
                events += chunk.count
            }
        } catch {
            try? FileManager.default.removeItem(atPath: building.path)
            throw error
        }
        desk.finishBackgroundWork()
        if existing {
            // Its log last: the folder is a book only once the rest is in place.
            let made = (try? FileManager.default.contentsOfDirectory(atPath: building.path)) ?? []
            let files = made.filter { $0 != "journal.log" } + made.filter { $0 == "journal.log" }
            for file in files where rename(building.path + "/" + file, target.path + "/" + file) != 0 {
                throw CLIError("the demo book was made at \(building.path) but \(file) could not be moved to \(target.path): \(String(cString: strerror(errno)))")
            }
            _ = rmdir(building.path)
        } else if rename(building.path, target.path) != 0 {
            throw CLIError("the demo book was made at \(building.path) but could not be moved to \(target.path): \(String(cString: strerror(errno)))")
        }
        print("Created a demo book of \(customers) customers (\(events) events, as of \(end)) at \(target.path)")
    }

    static let partial = ".demo-partial-"

    /// Removes the folders demos stopped midway left inside `folder` (made empty for one), those
    /// whose process is gone.
    static func removeLeftovers(in folder: BookFolder) { removeStopped(in: folder.path, named: partial) }

    /// Removes the folders demos of `target` stopped midway left beside it, those whose process is gone.
    static func removeLeftovers(of target: BookFolder) {
        // Not NSString's deletingLastPathComponent, which traps on a one-letter name (`--book x`).
        removeStopped(in: BookFolder.parent(of: target.path), named: (target.path as NSString).lastPathComponent + partial)
    }

    /// Removes the entries of `folder` named `prefix` and a process number, whose process is gone.
    private static func removeStopped(in folder: String, named prefix: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: folder + "/" + entry)
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import customers, invoices, payments, credit notes or returned payments from a CSV file (all or nothing).",
        discussion: "Canonical headers, each kind's required columns and then [the optional ones]:\n"
            + Importer.Kind.allCases.map { "  \($0.rawValue): \($0.header.required)\n    [\($0.header.optional)]" }.joined(separator: "\n")
            + "\nReversals are payments the bank returned unpaid (a manager's import)."
            + "\nDates are YYYY-MM-DD unless --date-format (e.g. M/D/YYYY). Amounts may carry thousands separators.")
    @OptionGroup var options: BookOptions
    @Argument(help: ArgumentHelp(Importer.Kind.spelledOut)) var kind: String
    @Argument(help: "The CSV file (UTF-8).") var file: String
    @Flag(help: "Check the file and report what would be imported; write nothing.") var dryRun = false
    @Option(help: "Date layout, e.g. M/D/YYYY or DD.MM.YYYY.") var dateFormat: String?
    @Option(help: "Read FIELD from column COL (repeatable): --map customerID=customer") var map: [String] = []
    @Flag(help: "Create customers that invoices name but the book lacks.") var createCustomers = false
    @Flag(help: "Customers: change those already in the book where the file says otherwise (empty cells keep the book's).") var update = false
    @Flag(help: "Payments: keep one that is more than it can pay (a prepayment); the rest stays a credit on the customer. Without it such a row is refused.")
    var credit = false

    func run() throws {
        guard let kind = Importer.Kind(rawValue: kind) else {
            throw CLIError("cannot import \"\(self.kind)\": choose \(Importer.Kind.spelledOut)")
        }
        var importOptions = Importer.Options()
        importOptions.today = try BookOptions.today()
        importOptions.createCustomers = createCustomers
        if update && kind != .customers { throw CLIError("--update is for a customers file (documents are never changed by an import)") }
        importOptions.updateCustomers = update
        if credit && kind != .payments && kind != .creditNotes {
            throw CLIError("--credit is for a payments or credit-notes file (a payment or credit note that leaves a credit on its customer)")
        }
        importOptions.keepsCredit = credit
        if let dateFormat {
            guard let format = DateFormat(pattern: dateFormat) else {
                throw CLIError("--date-format \"\(dateFormat)\" needs YYYY, M, MM or MMM (a month's name: Mar), D or DD, each once, and separators")
            }
            importOptions.dateFormat = format
        }
        for mapping in map {
            var parts = mapping.split(separator: "=", maxSplits: 1).map(String.init)
            // A field in any case (Number, issue-date), as columns are read.
            if parts.count == 2 { parts[1] = parts[1].lowercased().replacingOccurrences(of: "-", with: "_") }
            guard parts.count == 2, !parts[0].isEmpty, kind.fieldNames.contains(parts[1]) else {
                throw CLIError("--map \"\(mapping)\" must be COLUMN=FIELD with FIELD one of \(kind.fieldNames.joined(separator: ", "))")
            }
            if let earlier = importOptions.columnForField[parts[1]] {  // which of the two was meant cannot be guessed
                throw CLIError("--map gives field \(parts[1]) two columns, \"\(earlier)\" and \"\(parts[0])\"; name one")
            }
            importOptions.columnForField[parts[1]] = parts[0]
        }
        let desk = try options.openDesk()
        // Who may import at all, before the file is read: a collector is not sent to mend a file
        // only to be refused after.
        if let refusal = desk.roles?.refusal(of: .batch([]), by: desk.user) { throw DeskError.notAllowed(refusal) }
        importOptions.roles = desk.roles
        importOptions.amountsHeld = desk.amountsHeld()
        let plan = try Importer(kind: kind, options: importOptions, book: desk.book).plan(path: file)
        if plan.separator != "," {
            TerminalOutput.warn("ardesk: note: \(file): read with \(plan.separator == ";" ? "semicolons" : "tabs") between columns (as its sep= line, or its header without a comma, says)")
        }
        // ardesk's own open-items export lists what is open beside each invoice's amount.
        if kind == .invoices, let open = plan.unreadColumns.first(where: { $0.name.lowercased() == "open" }) {
            TerminalOutput.warn("ardesk: note: \(file): column \"\(open.name)\" is not read: each invoice comes in at its full amount; for a list of open items (as `ardesk export csv` writes), --map \"\(open.name)=amount\" brings in what is open")
        }
        // What the file's columns were read as, before any problem: a column not read may be why.
        if !plan.readByPlainName.isEmpty {
            TerminalOutput.warn("ardesk: note: \(file): " + plan.readByPlainName.map { "\"\($0.column)\" read as \($0.field)" }.joined(separator: ", "))
        }
        for column in plan.unreadColumns {
            guard let field = column.likelyField else { continue }
            TerminalOutput.warn("ardesk: note: \(file): column \"\(column.name)\" is not read; if it holds \(field), import with --map \"\(column.name)=\(field)\"")
        }
        let others = plan.unreadColumns.filter { $0.likelyField == nil }.map(\.name)
        if !others.isEmpty {
            TerminalOutput.warn("ardesk: note: \(file): column\(others.count == 1 ? "" : "s") not read: \(others.joined(separator: ", ")) (fields of \(kind.rawValue): \(kind.fieldNames.joined(separator: ", ")))")
        }
        guard plan.issues.isEmpty else {
            // Every problem when there are few; beyond fifty (a whole file with the wrong date
            // format), the first five of each column and how many more there are like them.
            let perColumn = plan.issues.count <= 50 ? Int.max : 5
            var shown: [String: Int] = [:], more: [String: Int] = [:]
            for issue in plan.issues {
                let column = issue.column ?? ""
                if shown[column, default: 0] < perColumn {
                    shown[column, default: 0] += 1
                    TerminalOutput.warn(issue.description)
                } else {
                    more[column, default: 0] += 1
                }
            }
            for (column, count) in more.sorted(by: { $0.key < $1.key }) {
                let place = column.isEmpty ? "" : " in column \"\(column)\""
                TerminalOutput.warn("\(file): … and \(count) more problem\(count == 1 ? "" : "s")\(place)")
            }
            throw CLIError("\(file): \(plan.issues.count) problem\(plan.issues.count == 1 ? "" : "s") found; nothing was imported")
        }
        let moved = paymentsMoved(by: plan.events, in: desk.book)
        let summary = "\(plan.rowsRead) row\(plan.rowsRead == 1 ? "" : "s"), \(plan.events.count) event\(plan.events.count == 1 ? "" : "s")"
            + (plan.createdCustomers > 0 ? ", \(counted(plan.createdCustomers, "new customer"))" : "")
            + (plan.updatedCustomers.isEmpty ? "" : ", \(plan.updatedCustomers.count) customer\(plan.updatedCustomers.count == 1 ? "" : "s") updated ("
                + plan.updatedCustomers.prefix(5).joined(separator: ", ") + (plan.updatedCustomers.count > 5 ? ", …" : "") + ")")
            + (plan.alreadyInBook.isEmpty ? "" : ", \(plan.alreadyInBook.count) already in the book (skipped)")
            + (plan.disputesOnExisting == 0 ? "" : ", \(counted(plan.disputesOnExisting, "dispute")) opened today on invoices the book had (newly marked disputed)")
            + (plan.importedDisputesEnded == 0 ? "" : ", \(plan.importedDisputesEnded) imported dispute\(plan.importedDisputesEnded == 1 ? "" : "s") resolved (invoice settled in full)")
            + movedSummary(moved)
        if let first = plan.settledMarkedDisputed.first {
            let more = plan.settledMarkedDisputed.count > 1 ? " (and \(plan.settledMarkedDisputed.count - 1) more)" : ""
            TerminalOutput.warn("ardesk: note: invoice \(first)\(more) is marked disputed in \(file) but is settled in the book: no dispute opened (a complaint about it is a note; a refund, a credit note)")
        }
        if let line = plan.firstIssuedAfterToday {
            TerminalOutput.warn("ardesk: note: \(plan.issuedAfterToday) invoice\(plan.issuedAfterToday == 1 ? " is" : "s are") issued after today, the first on line \(line) of \(file); reports leave them out until their day")
        }
        // A payment larger than what it can settle (imported with --credit) is kept as a credit on
        // its customer: said before it is written, with the first such payment named.
        let unapplied = plan.events.compactMap { event -> Payment? in
            guard case .paymentReceived(let p) = event, p.unapplied.isPositive else { return nil }
            return p
        }
        if let first = unapplied.first {
            let currency = desk.book.currency
            let more = unapplied.count > 1 ? " (and \(unapplied.count - 1) more payment\(unapplied.count == 2 ? "" : "s"))" : ""
            // An invoice owed again only since a later reversal is not open on the payment's day.
            let why = AllocationPlan.owedAgainLater(of: first.customer, in: desk.book, on: first.day).map {
                "; " + AllocationPlan.owedAgainText(invoice: $0.invoice, from: $0.from)
            }
            TerminalOutput.warn("ardesk: note: payment \(first.reference) settles less than it is: \(currency.format(first.unapplied, grouping: ",")) of \(currency.format(first.amount, grouping: ",")) stays as a credit on its customer\(why.joined())\(more)")
        }
        // Payments in the book this file moves, left with more credit: said as for the file's own.
        let moreCredit = moved.filter { $0.moreCredit.isPositive }
        if !moreCredit.isEmpty {
            let listed = moreCredit.prefix(5).map { "\($0.payment) \(desk.book.currency.format($0.moreCredit, grouping: ","))" }.joined(separator: ", ")
            TerminalOutput.warn("ardesk: note: payments in the book dated after this file's, allocated again after them, are left with more credit on their customers: \(listed)\(moreCredit.count > 5 ? ", …" : "")")
        }
        // Each customer an update changes, field by field, old to new (before it is written, as it is).
        let updated = Set(plan.updatedCustomers)
        let changes = plan.events.compactMap { event -> String? in
            guard case .profileChanged(let id, let change, _) = event, updated.contains(id),
                  let customer = desk.book.customers[id] else { return nil }
            return "  \(id): " + Importer.changeText(change, of: customer, currency: desk.book.currency)
        }
        if dryRun {
            print("Dry run: \(summary); nothing written.")
            changes.forEach { TerminalOutput.print($0) }
            return
        }
        guard !plan.events.isEmpty else {
            print("Nothing new to import: \(summary).")
            return
        }
        try desk.perform(.batch(plan.events))
        print("Imported \(summary).")
        changes.forEach { TerminalOutput.print($0) }
    }
}

/// The payments already in the book that a file's payments, dated before them, make take again
/// (see `DateOrder`), as they end up after the whole file (one moved twice back to where it was
/// is not moved), each with what it then leaves as credit beyond what it did.
func paymentsMoved(by events: [Event], in book: Book) -> [(payment: String, moreCredit: Money)] {
    var last: [String: PaymentAllocations] = [:], order: [String] = []
    for case .paymentsReallocated(_, let payments) in events {
        for payment in payments {
            if last[payment.payment] == nil { order.append(payment.payment) }
            last[payment.payment] = payment
        }
    }
    return order.compactMap { reference in
        guard let before = book.payments[reference], let now = last[reference], now.differ(from: before) else { return nil }
        return (reference, before.with(now).unapplied - before.unapplied)
    }
}

/// ", 2 payments in the book allocated again (…)" for the summary of an import.
func movedSummary(_ moved: [(payment: String, moreCredit: Money)]) -> String {
    guard !moved.isEmpty else { return "" }
    let listed = moved.prefix(5).map(\.payment).joined(separator: ", ") + (moved.count > 5 ? ", …" : "")
    return ", \(moved.count) payment\(moved.count == 1 ? "" : "s") in the book allocated again (\(listed): dated after documents of this file, they take the invoices left after them, oldest due first)"
}
