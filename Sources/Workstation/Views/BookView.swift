import Core
import Desk
import Foundation

/// What the screens show, computed once per change of the book (not per keystroke): per-customer
/// figures, the queue, and customer rows. Sorting and filtering of rows happen per keystroke but
/// on these precomputed values.
struct BookView: Sendable {
    let asOf: Day
    let abc: [CustomerID: Character]
    let user: String
    let role: Roles.Role
    let currency: Currency
    private(set) var rows: [CustomerRow]
    /// Each row's place in id order: the tie-break of every sort, compared as an integer.
    let idRank: [Int]
    /// Where each customer's row is.
    let rowIndex: [CustomerID: Int]
    /// Each row's place in name order (then id): sorting by name is then an integer sort too.
    private(set) var nameRank: [Int]
    private(set) var queue: [QueueRow]
    private(set) var queueItems: [QueueItem]
    private(set) var collectors: [String]
    /// Who holds a claim on each customer (the "mine" filter). The view keeps this, not the book:
    /// a book shared with the view would be copied, every table a change touches, by the change.
    private(set) var claims: [CustomerID: String]
    let policy: Policy

    init(desk: Desk, asOf: Day) {
        let book = desk.book
        self.claims = book.claims
        self.policy = desk.policy
        self.asOf = asOf
        self.user = desk.user
        self.role = desk.role
        self.currency = book.currency
        let abc = ABCClass.classify(book, asOf: asOf)
        self.abc = abc
        // Positions, promises and queue entries in one pass over the customers.
        let standings = Worklist.standings(book: book, policy: desk.policy, asOf: asOf, viewer: BookView.viewer(desk)) { customer, position, promises in
            BookView.row(customer, position: position, promises: promises, abc: abc)
        }
        let rows = standings.map(\.summary)
        self.rows = rows
        let idRank = BookView.ranks(of: rows.map(\.id))
        self.idRank = idRank
        // The name order (a sort of every name) on one core, the queue on the other.
        let parts = [0, 1].mapOnAllCores(minimumCount: 2) { part -> Part in
            if part == 0 { return .names(BookView.nameRanks(rows, idRank: idRank)) }
            var rowIndex: [CustomerID: Int] = [:]
            rowIndex.reserveCapacity(rows.count)
            for (index, row) in rows.enumerated() { rowIndex[row.id] = index }
            let items = Worklist.sorted(standings.compactMap(\.queueItem))
            return .queue(rowIndex: rowIndex, items: items, rows: items.map { BookView.queueRow($0, rows: rows, rowIndex: rowIndex) })
        }
        guard case .names(let names) = parts[0], case .queue(let rowIndex, let items, let queueRows) = parts[1] else {
            preconditionFailure("the two parts come back in order")
        }
        nameRank = names
        self.rowIndex = rowIndex
        queueItems = items
        queue = queueRows
        collectors = Set(rows.compactMap(\.collector)).sorted()
    }

    /// What each core computes at the end of building a view.
    private enum Part: Sendable {
        case names([Int])
        case queue(rowIndex: [CustomerID: Int], items: [QueueItem], rows: [QueueRow])
    }

    /// Recomputes only `changed` customers: an action or another user's append touches one or a
    /// few customers, and recomputing 50,000 would cost a second per action. In place, so the
    /// view's tables are changed, not copied.
    mutating func update(for changed: Set<CustomerID>, desk: Desk) {
        let book = desk.book
        claims = book.claims
        let changedRows = changed.compactMap { id in rowIndex[id].map { (index: $0, old: rows[$0]) } }
        var positions: [CustomerID: Position] = [:]
        for (i, old) in changedRows {
            let position = Position(old.id, in: book, asOf: asOf)
            positions[old.id] = position
            rows[i] = BookView.row(book.customers[old.id]!, position: position, promises: Promises.judge(old.id, in: book, asOf: asOf), abc: abc)
        }
        if changedRows.contains(where: { rows[$0.index].name != $0.old.name }) {
            nameRank = BookView.nameRanks(rows, idRank: idRank)
        }
        let fresh = Worklist.build(book: book, policy: policy, asOf: asOf, viewer: BookView.viewer(desk), positions: positions, only: changed)
        // In place: the rest of the queue is still in order, so the changed customers' entries are
        // taken out and their fresh ones inserted where they belong (no copy of 30,000 entries).
        // By index from the end: `removeAll(where:)` swapped (so copied) every entry after the first match.
        for index in queueItems.indices.reversed() where changed.contains(queueItems[index].customer) {
            queueItems.remove(at: index)
            queue.remove(at: index)
        }
        for item in fresh.sorted(by: Worklist.order) {
            var low = 0, high = queueItems.count  // the first entry the fresh one goes before
            while low < high {
                let middle = (low + high) / 2
                if Worklist.order(item, queueItems[middle]) { high = middle } else { low = middle + 1 }
            }
            queueItems.insert(item, at: low)
            queue.insert(BookView.queueRow(item, rows: rows, rowIndex: rowIndex), at: low)
        }
        if changedRows.contains(where: { rows[$0.index].collector != $0.old.collector }) {
            collectors = Set(rows.compactMap(\.collector)).sorted()
        }
    }

    /// A customer's position as of the view's day.
    func position(of customer: CustomerID) -> Position? { rowIndex[customer].map { rows[$0].position } }

    /// Every customer's position, by id (for views that look many up).
    var positionsByCustomer: [CustomerID: Position] { Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.position) }) }

    /// The rank of each id in ascending order; ids added in order (the usual case) need no sort.
    static func ranks(of ids: [String]) -> [Int] {
        if zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) { return Array(ids.indices) }
        var rank = [Int](repeating: 0, count: ids.count)
        for (position, index) in ids.indices.sorted(by: { ids[$0] < ids[$1] }).enumerated() { rank[index] = position }
        return rank
    }

    /// Ranks by name in code point order (UTF-8 bytes; the order of `String.<` for the
    /// normalised names a book holds, without normalising 50,000 Chinese names), then by id.
    static func nameRanks(_ rows: [CustomerRow], idRank: [Int]) -> [Int] {
        // The first 24 bytes (eight Chinese characters) as three integers settle nearly every
        // comparison; the rest of the name only breaks their ties.
        var keyed = rows.indices.map { (prefix: utf8Prefix(rows[$0].name), index: $0) }
        keyed.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            let c = utf8Compare(rows[a.index].name, rows[b.index].name)
            return c != 0 ? c < 0 : idRank[a.index] < idRank[b.index]
        }
        var rank = [Int](repeating: 0, count: rows.count)
        for (position, entry) in keyed.enumerated() { rank[entry.index] = position }
        return rank
    }

    static func viewer(_ desk: Desk) -> String? { desk.role == .collector ? desk.user : nil }

    static func row(_ c: borrowing Customer, position: Position, promises: [JudgedPromise], abc: [CustomerID: Character]) -> CustomerRow {
        let id = c.id
        let broken = promises.filter { $0.state == .broken || $0.state == .partiallyKept }.count
        return CustomerRow(id: id, name: c.name, collector: c.collector, grade: c.grade, abc: String(abc[id] ?? "C"),
                           status: c.status, limit: c.creditLimit, position: position, brokenPromises: broken,
                           searchKey: (id + " " + c.name).lowercased())
    }

    /// A queue entry with its customer's name and collector (from the customer's row).
    static func queueRow(_ item: QueueItem, rows: [CustomerRow], rowIndex: [CustomerID: Int]) -> QueueRow {
        let row = rowIndex[item.customer].map { rows[$0] }
        return QueueRow(customer: item.customer, name: row?.name ?? "", collector: row?.collector,
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
        let needle = SearchNeedle(search)
        let filtered = rows.indices.filter { index in
            let row = rows[index]
            guard collector == nil || row.collector == collector, needle.matches(row) else { return false }
            switch filter {
            case .all: return true
            case .mine: return row.collector == user || claims[row.id] == user
            case .overLimit: return row.overLimit
            case .onHold: return row.status == .onHold
            case .brokenPromises: return row.brokenPromises > 0
            case .disputed: return row.position.disputed.isPositive
            }
        }
        // Row indices are sorted, not rows (which are large), comparing a precomputed integer
        // per row: 50,000 customers sort within a frame. Names compare as text.
        let key: (Int) -> Int64
        if let rowKey = sort.key(collectors: collectors) {
            key = { rowKey(rows[$0]) }
        } else {
            key = { Int64(nameRank[$0]) }  // by name
        }
        var keyed = filtered.map { (key: key($0), rank: idRank[$0], index: $0) }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.rank < $1.rank }
        return keyed.map { rows[$0.index] }
    }

    func matches(_ search: String, id: String, name: String) -> Bool {
        search.isEmpty || id.localizedCaseInsensitiveContains(search) || name.localizedCaseInsensitiveContains(search)
    }

    func openItems(of customer: CustomerID, in book: Book) -> [OpenItemRow] {
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

/// What the search box holds, lower-cased once, found in each row's precomputed lower-cased key
/// by `strstr` on the UTF-8 bytes (UTF-8 is self-synchronising, so a byte match is a text match).
struct SearchNeedle {
    let text: String
    init(_ search: String) { text = search.lowercased() }

    func matches(_ row: CustomerRow) -> Bool {
        guard !text.isEmpty else { return true }
        return row.searchKey.withCString { hay in text.withCString { strstr(hay, $0) != nil } }
    }
}

extension CustomerSort {
    /// An integer per row whose ascending order is this sort's order (amounts and risk
    /// descending, classes and collectors ascending); nil for names, which compare as text.
    func key(collectors: [String]) -> ((CustomerRow) -> Int64)? {
        switch self {
        case .balance: return { -$0.position.balance.minorUnits }
        case .pastDue: return { -$0.position.pastDue.minorUnits }
        case .utilisation: return { -Int64($0.utilisation ?? -1) }
        case .lastContact: return { Int64($0.position.lastContact?.ordinal ?? Int32.min) }  // longest without contact first
        case .grade: return { -Int64(($0.grade?.rawValue ?? "Z").unicodeScalars.first!.value) }
        case .abc: return { Int64($0.abc.unicodeScalars.first?.value ?? 0) }
        case .collector:
            var rank: [String: Int64] = [:]
            for (index, name) in collectors.enumerated() { rank[name] = Int64(index) }
            return { row in row.collector.map { rank[$0] ?? Int64(collectors.count) } ?? -1 }  // none ("") first
        case .name: return nil
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
        case .name:
            let c = utf8Compare(a.name, b.name)
            return c != 0 ? c < 0 : tie()
        }
    }
}

/// The first 24 UTF-8 bytes of `text` as three big-endian words, zero-padded: ordered as the
/// texts' first 24 bytes are.
struct UTF8Prefix: Comparable {
    var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    static func == (a: UTF8Prefix, b: UTF8Prefix) -> Bool { a.words == b.words }
    static func < (a: UTF8Prefix, b: UTF8Prefix) -> Bool { a.words < b.words }
}

func utf8Prefix(_ text: String) -> UTF8Prefix {
    var words: [UInt64] = [0, 0, 0]
    var count = 0
    for byte in text.utf8.prefix(24) {
        words[count / 8] |= UInt64(byte) << (8 * UInt64(7 - count % 8))
        count += 1
    }
    return UTF8Prefix(words: (words[0], words[1], words[2]))
}

/// Negative, zero or positive as `a`'s UTF-8 bytes sort before, with or after `b`'s.
func utf8Compare(_ a: String, _ b: String) -> Int {
    var a = a, b = b
    return a.withUTF8 { x in
        b.withUTF8 { y in
            let common = min(x.count, y.count)
            let c = common == 0 ? 0 : Int(memcmp(x.baseAddress!, y.baseAddress!, common))
            return c != 0 ? c : x.count - y.count
        }
    }
}
