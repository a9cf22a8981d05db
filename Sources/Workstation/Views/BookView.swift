import Core
import Desk

/// What the screens show, computed once per change of the book (not per keystroke): per-customer
/// figures, the queue, and customer rows. Sorting and filtering of rows happen per keystroke but
/// on these precomputed values.
struct BookView: Sendable {
    let asOf: Day
    let abc: [CustomerID: Character]
    let user: String
    let role: Roles.Role
    let currency: Currency
    private(set) var positions: [CustomerID: Position]
    private(set) var rows: [CustomerRow]
    private(set) var queue: [QueueRow]
    private(set) var queueItems: [QueueItem]
    private(set) var collectors: [String]
    private(set) var book: Book
    let policy: Policy

    init(desk: Desk, asOf: Day) {
        let book = desk.book
        self.book = book
        self.policy = desk.policy
        self.asOf = asOf
        self.user = desk.user
        self.role = desk.role
        self.currency = book.currency
        let abc = ABCClass.classify(book, asOf: asOf)
        self.abc = abc
        var positions: [CustomerID: Position] = [:]
        rows = book.customerOrder.map { id in
            let position = Position(id, in: book, asOf: asOf)
            positions[id] = position
            return BookView.row(id, book: book, position: position, abc: abc, asOf: asOf)
        }
        self.positions = positions
        queueItems = Worklist.build(book: book, policy: desk.policy, asOf: asOf, viewer: BookView.viewer(desk), positions: positions)
        queue = queueItems.map { BookView.queueRow($0, book: book) }
        collectors = Set(book.customers.values.compactMap(\.collector)).sorted()
    }

    /// The same view with only `changed` customers recomputed: an action or another user's append
    /// touches one or a few customers, and recomputing 50,000 would cost a second per action.
    func updated(for changed: Set<CustomerID>, desk: Desk) -> BookView {
        var next = self
        let book = desk.book
        next.book = book
        var index: [CustomerID: Int] = [:]
        for (i, row) in rows.enumerated() where changed.contains(row.id) { index[row.id] = i }
        for id in changed {
            guard let i = index[id] else { continue }
            let position = Position(id, in: book, asOf: asOf)
            next.positions[id] = position
            next.rows[i] = BookView.row(id, book: book, position: position, abc: abc, asOf: asOf)
        }
        let fresh = Worklist.build(book: book, policy: policy, asOf: asOf, viewer: BookView.viewer(desk), positions: next.positions, only: changed)
        next.queueItems = (queueItems.filter { !changed.contains($0.customer) } + fresh).sorted(by: Worklist.order)
        next.queue = next.queueItems.map { BookView.queueRow($0, book: book) }
        next.collectors = Set(book.customers.values.compactMap(\.collector)).sorted()
        return next
    }

    static func viewer(_ desk: Desk) -> String? { desk.role == .collector ? desk.user : nil }

    static func row(_ id: CustomerID, book: Book, position: Position, abc: [CustomerID: Character], asOf: Day) -> CustomerRow {
        let c = book.customers[id]!
        let broken = Promises.judge(id, in: book, asOf: asOf).filter { $0.state == .broken || $0.state == .partiallyKept }.count
        return CustomerRow(id: id, name: c.name, collector: c.collector, grade: c.grade, abc: String(abc[id] ?? "C"),
                           status: c.status, limit: c.creditLimit, position: position, brokenPromises: broken,
                           searchKey: (id + " " + c.name).lowercased())
    }

    static func queueRow(_ item: QueueItem, book: Book) -> QueueRow {
        QueueRow(customer: item.customer, name: book.customers[item.customer]?.name ?? "", collector: book.customers[item.customer]?.collector,
                 priority: item.priority, reasons: item.reasons, pastDue: item.position.pastDue,
                 oldestDays: item.position.oldestDaysPastDue, level: item.level, callbackDue: item.callbackDue,
                 promiseDue: item.promiseDue, worked: item.worked, claimedBy: item.claimedBy)
    }

    func queue(collector: String?, search: String) -> [QueueRow] {
        queue.filter { row in
            (collector == nil || row.collector == collector) && matches(search, id: row.customer, name: row.name)
        }
    }

    func customers(sort: CustomerSort, filter: CustomerFilter, search: String, collector: String?, user: String) -> [CustomerRow] {
        let filtered = rows.filter { row in
            guard collector == nil || row.collector == collector, matches(search, row) else { return false }
            switch filter {
            case .all: return true
            case .mine: return row.collector == user || book.claims[row.id] == user
            case .overLimit: return row.overLimit
            case .onHold: return row.status == .onHold
            case .brokenPromises: return row.brokenPromises > 0
            case .disputed: return row.position.disputed.isPositive
            }
        }
        // Numeric sorts compare precomputed integers (a 50,000-row sort in a few milliseconds);
        // the others use the row comparator.
        guard let key = sort.numericKey else { return filtered.sorted(by: sort.order) }
        let keyed = filtered.map { (key: key($0), row: $0) }
        return keyed.sorted { $0.key != $1.key ? $0.key > $1.key : $0.row.id < $1.row.id }.map(\.row)
    }

    func matches(_ search: String, id: String, name: String) -> Bool {
        search.isEmpty || id.localizedCaseInsensitiveContains(search) || name.localizedCaseInsensitiveContains(search)
    }

    /// Search over a row's precomputed lower-cased id and name: a keystroke in the search box
    /// scans 50,000 rows without re-sorting them or folding case each time.
    func matches(_ search: String, _ row: CustomerRow) -> Bool {
        search.isEmpty || row.searchKey.contains(search.lowercased())
    }

    func openItems(of customer: CustomerID) -> [OpenItemRow] {
        var items: [OpenItemRow] = []
        for invoice in book.invoices(of: customer) where invoice.issued <= asOf {
            let disputed = book.disputes(onInvoice: invoice.number).contains { $0.isOpen(asOf: asOf) }
            for (instalment, open) in invoice.openInstalments(asOf: asOf) where open.isPositive {
                items.append(OpenItemRow(number: invoice.number, issued: invoice.issued, due: instalment.due, amount: instalment.amount,
                                         open: open, daysPastDue: asOf.days(since: instalment.due), disputed: disputed))
            }
        }
        return items.sorted { ($0.due, $0.number) < ($1.due, $1.number) }
    }
}

private func < (a: (Day, String), b: (Day, String)) -> Bool { a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }

extension CustomerSort {
    /// For sorts by a number, descending: the number of each row.
    var numericKey: ((CustomerRow) -> Int64)? {
        switch self {
        case .balance: return { $0.position.balance.minorUnits }
        case .pastDue: return { $0.position.pastDue.minorUnits }
        case .utilisation: return { Int64($0.utilisation ?? -1) }
        case .lastContact: return { -Int64($0.position.lastContact?.ordinal ?? Int32.min) }  // longest without contact first
        default: return nil
        }
    }

    /// Descending for amounts and risk, ascending for names; ties by id so the order is stable.
    func order(_ a: CustomerRow, _ b: CustomerRow) -> Bool {
        func tie() -> Bool { a.id < b.id }
        switch self {
        case .balance: return a.position.balance != b.position.balance ? a.position.balance > b.position.balance : tie()
        case .pastDue: return a.position.pastDue != b.position.pastDue ? a.position.pastDue > b.position.pastDue : tie()
        case .utilisation: return (a.utilisation ?? -1) != (b.utilisation ?? -1) ? (a.utilisation ?? -1) > (b.utilisation ?? -1) : tie()
        case .grade: return (a.grade?.rawValue ?? "Z") != (b.grade?.rawValue ?? "Z") ? (a.grade?.rawValue ?? "Z") > (b.grade?.rawValue ?? "Z") : tie()
        case .abc: return a.abc != b.abc ? a.abc < b.abc : tie()
        case .lastContact:
            let x = a.position.lastContact?.ordinal ?? Int32.min, y = b.position.lastContact?.ordinal ?? Int32.min
            return x != y ? x < y : tie()  // longest without contact first
        case .collector: return (a.collector ?? "") != (b.collector ?? "") ? (a.collector ?? "") < (b.collector ?? "") : tie()
        case .name: return a.name != b.name ? a.name < b.name : tie()
        }
    }
}
