import Core
import Desk
import Foundation

/// What the screens show, computed once per change of the book (not per keystroke): per-customer
/// figures, the queue, and customer rows. Sorting and filtering of rows happen per keystroke but
/// on these precomputed values.
///
/// The queue (the first screen) is computed at once; the customers panel's rows, ranks and ABC
/// classes on another thread after it (about a tenth of a second on a book of 50,000 customers),
/// and whatever reads them first waits for them. Copies of a view share those.
struct BookView: Sendable {
    let asOf: Day
    let user: String
    let role: Roles.Role
    let currency: Currency
    let policy: Policy
    /// The id column's width: the book's longest id (6 to 14 columns; an import's ids may be long).
    let idWidth: Int
    /// Each customer's place (the order customers were added): where its standing and row are.
    let rowIndex: CustomerPlaces
    private(set) var standings: [Standing]
    private(set) var queue: [QueueRow]
    private(set) var queueItems: [QueueItem]
    /// Who holds a claim on each customer (the "mine" filter). The view keeps this, not the book:
    /// a book shared with the view would be copied, every table a change touches, by the change.
    private(set) var claims: [CustomerID: String]
    private let list: Deferred<CustomerList>

    init(desk: Desk, asOf: Day) {
        let book = desk.book
        self.claims = book.claims(on: asOf)
        self.policy = desk.policy
        self.idWidth = min(14, max(6, book.customerOrder.lazy.map(\.utf8.count).max() ?? 6))
        self.asOf = asOf
        self.user = desk.user
        self.role = desk.role
        self.currency = book.currency
        rowIndex = book.customerPlaces
        // Positions, promises and queue entries in one pass over the customers.
        let (standings, listed) = BookView.standings(book, policy: desk.policy, viewer: BookView.viewer(desk), asOf: asOf)
        self.standings = standings
        customersAddedLater = book.customerCount - book.customerCount(on: asOf)
        queueItems = Worklist.sorted(listed)
        let rowIndex = rowIndex
        queue = queueItems.mapOnAllCores { BookView.queueRow($0, standings: standings, rowIndex: rowIndex) }
        // The book is held until the list is built: a change to the desk's book meanwhile copies
        // the tables it touches (once), as a snapshot being written does.
        let policy = desk.policy, hasLaterCustomers = customersAddedLater > 0
        list = Deferred { CustomerList(book: book, asOf: asOf, policy: policy, standings: standings, hasLaterCustomers: hasLaterCustomers) }
    }

    /// Customers there on the view's day: a look back leaves out those added since (see
    /// `Book.hasCustomer`); counted once, as the view is built.
    var customerCount: Int { standings.count - customersAddedLater }
    private let customersAddedLater: Int
    /// The customers panel's tables (waiting for them if they are still being built).
    var rows: [CustomerRow] { list.value.rows }
    /// The customers panel's rows, being built after the first screen, to wait for.
    var customersPanel: Deferred<CustomerList> { list }
    var collectors: [String] { list.value.collectors }

    /// Recomputes only `changed` customers: an action or another user's append touches one or a
    /// few customers, and recomputing 50,000 would cost a second per action. In place, so the
    /// view's tables are changed, not copied.
    mutating func update(for changed: Set<CustomerID>, desk: Desk) {
        let book = desk.book
        claims = book.claims(on: asOf)
        let places = changed.compactMap { rowIndex[$0] }
        let viewer = BookView.viewer(desk)
        let (changedStandings, fresh) = BookView.standings(book, policy: policy, viewer: viewer, asOf: asOf, places: places)
        for (place, standing) in zip(places, changedStandings) { standings[place] = standing }
        let standings = standings
        list.modify { $0.update(places, standings: standings, book: book) }
        // The queue a collector is working through keeps its order: a changed customer already in
        // it is updated where it stands (an action lowers its priority, or leaves nothing due), so
        // the cursor, `x` and "next" stay on the customers the collector sees. Only customers new
        // to the queue are inserted where their priority puts them (no copy of 30,000 entries).
        var freshByCustomer = Dictionary(fresh.map { ($0.customer, $0) }, uniquingKeysWith: { first, _ in first })
        var gone: [Int] = []
        for index in queueItems.indices where changed.contains(queueItems[index].customer) {
            let customer = queueItems[index].customer
            if let item = freshByCustomer.removeValue(forKey: customer) {
                queueItems[index] = item
                queue[index] = BookView.queueRow(item, standings: standings, rowIndex: rowIndex)
            } else if !Worklist.isListed(customer, in: book, viewer: viewer, asOf: asOf) {
                gone.append(index)  // no longer this viewer's: reassigned, claimed by another, handed off
            } else {
                queue[index].settled = true
                queue[index].reasons = []
                queue[index].priority = 0
                queue[index].callbackDue = nil  // nothing due: an old callback date would read as overdue
                queue[index].level = book.dunningLevel(of: customer, asOf: asOf)
                queue[index].promiseDue = nil
                queue[index].awaitedPromise = rowIndex[customer].flatMap { standings[$0].awaitedPromise }  // judged just above
                queue[index].nextCallback = Worklist.pendingCallback(of: customer, in: book, asOf: asOf).flatMap { $0.day > asOf ? $0.day : nil }
                queue[index].worked = false  // a customer worked that day is a fresh entry, above
                queue[index].claimedBy = book.claimHolder(of: customer, on: asOf)
                if let position = position(of: customer) {
                    queue[index].toCollect = position.toCollect
                    queue[index].oldestDays = position.oldestDaysPastDue
                }
            }
        }
        for index in gone.reversed() {
            queueItems.remove(at: index)
            queue.remove(at: index)
        }
        for item in fresh.filter({ freshByCustomer[$0.customer] != nil }).sorted(by: Worklist.order) {
            var low = 0, high = queueItems.count  // the first entry the fresh one goes before
            while low < high {
                let middle = (low + high) / 2
                if Worklist.order(item, queueItems[middle]) { high = middle } else { low = middle + 1 }
            }
            queueItems.insert(item, at: low)
            queue.insert(BookView.queueRow(item, standings: standings, rowIndex: rowIndex), at: low)
        }
    }

    /// The queue in priority order again, as an open builds it: entries with nothing due since
    /// (kept in place while worked, see `update`) leave it. Only the queue is sorted; every entry
    /// is current, so nothing is computed again.
    mutating func rankQueue() {
        let ranks = queueItems.map(QueueRank.init)
        let kept = queue.indices.filter { !queue[$0].settled }.sorted { ranks[$0] < ranks[$1] }
        let left = queue.indices.filter { queue[$0].settled }
        // Moved into place and the settled ones cut off the end: copying thousands of rows into
        // new lists took a frame.
        queue.rearrange(kept + left)
        queueItems.rearrange(kept + left)
        queue.removeLast(left.count)
        queueItems.removeLast(left.count)
    }

    /// A customer's position as of the view's day.
    func position(of customer: CustomerID) -> Position? { rowIndex[customer].map { standings[$0].position } }

    /// Every customer's position, by id (for views that look many up).
    var positionsByCustomer: [CustomerID: Position] {
        Dictionary(uniqueKeysWithValues: zip(rowIndex.ids, standings.lazy.map(\.position)))
    }

    static func viewer(_ desk: Desk) -> String? { desk.role == .collector ? desk.user : nil }

    /// Positions, promises and queue entries of the customers at `places` (all by default), in one
    /// pass on every core.
    static func standings(_ book: Book, policy: Policy, viewer: String?, asOf: Day,
                          places: [Int]? = nil) -> (summaries: [Standing], queue: [QueueItem]) {
        Worklist.standings(book: book, policy: policy, asOf: asOf, viewer: viewer, places: places) { customer, position, promises in
            Standing(customer, position: position, promises: promises)
        }
    }

    /// A queue entry with its customer's name and collector.
    static func queueRow(_ item: QueueItem, standings: [Standing], rowIndex: CustomerPlaces) -> QueueRow {
        let standing = rowIndex[item.customer].map { standings[$0] }
        return QueueRow(customer: item.customer, name: standing?.name ?? "", collector: standing?.collector,
                 priority: item.priority, reasons: item.reasons, toCollect: item.toCollect,
                 oldestDays: item.position.oldestDaysPastDue, level: item.level, callbackDue: item.callbackDue,
                 promiseDue: item.promiseDue, worked: item.worked, claimedBy: item.claimedBy, nextCallback: item.callbackAhead)
    }

    func queue(collector: String?, search: String) -> [QueueRow] {
        // Searched as the customers panel searches (its rows carry each name's pinyin initials).
        let needle = SearchNeedle(search)
        let rows = search.isEmpty ? [] : self.rows
        return queue.filter { row in
            guard UIState.collector(row.collector, passes: collector) else { return false }
            guard !search.isEmpty else { return true }
            if let place = rowIndex[row.customer], place < rows.count { return needle.matches(rows[place]) }
            return needle.matches(SearchFolding.fold(row.customer + " " + row.name))
        }
    }

    func customers(sort: CustomerSort, filter: CustomerFilter, search: String, collector: String?, user: String) -> CustomerRows {
        let needle = SearchNeedle(search)
        let list = list.value
        let rows = list.rows
        let filtered: [Int]
        if filter == .all, collector == nil, search.isEmpty, !list.hasLaterCustomers {
            filtered = Array(rows.indices)  // every row, without looking at any
        } else {
            filtered = rows.indices.filter { index in
                let row = rows[index]
                guard row.isInBook, UIState.collector(row.collector, passes: collector), needle.matches(row) else { return false }
                switch filter {
                case .all: return true
                case .mine: return row.collector == user || claims[row.id] == user
                case .overLimit: return row.overLimit
                case .onHold: return row.status == .onHold
                case .brokenPromises: return row.brokenPromises > 0
                case .disputed: return row.position.disputed.isPositive
                }
            }
        }
        // Row indices are sorted, not rows (which are large), comparing a precomputed integer
        // per row: 50,000 customers sort within a frame. Names compare as text.
        let key: (Int) -> Int64
        if let rowKey = sort.key(collectors: list.collectors) {
            key = { rowKey(rows[$0]) }
        } else {
            key = { Int64(list.nameRank[$0]) }  // by name
        }
        var keyed = filtered.map { (key: key($0), rank: list.idRank[$0], index: $0) }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.rank < $1.rank }
        return CustomerRows(rows: rows, order: keyed.map(\.index))
    }

    func openItems(of customer: CustomerID, in book: Book) -> [OpenItemRow] {
        var items: [OpenItemRow] = []
        let disputes = book.disputedInvoices(of: customer, asOf: asOf)
        for invoice in book.invoices(of: customer) where invoice.issued <= asOf {
            for (instalment, open) in invoice.openInstalments(asOf: asOf) where open.isPositive {
                items.append(OpenItemRow(number: invoice.number, issued: invoice.issued, due: instalment.due, amount: instalment.amount,
                                         open: open, daysPastDue: asOf.days(since: instalment.due), disputed: disputes.contains(invoice.number),
                                         disputedPart: disputes.parts[invoice.number]))
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
    /// Nothing but ASCII: it may be pinyin, so the whole key is searched; otherwise only the
    /// id and name before the pinyin (a Chinese character is never in it, and scanning it for
    /// one made the first key of a Chinese search a third slower).
    let isASCII: Bool
    /// Folded as the search key is (`SearchFolding`): full-width letters and digits (an input
    /// method's Ｃ００１５５) as ASCII, accents and invisible characters left out.
    private let bytes: [UInt8]
    /// The same as looked for in a name's pinyin: without apostrophes (xi'an is 西安) and
    /// trailing spaces, which say instead that a syllable or a word ends there ("shanghai "
    /// typed before "huarui" finds 上海华瑞 as "shanghai" does).
    private let pinyin: [UInt8]
    private let pinyinEndsWord: Bool
    /// A search of several words: each looked for on its own where the whole is not found, since
    /// a name's pinyin and a Chinese name have no spaces between words ("nanjing huarui",
    /// "南京 华瑞"). Empty for one word.
    private let words: [SearchNeedle]

    init(_ search: String) {
        self.init(folded: SearchFolding.fold(search))
    }

    private init(folded: String, splitting: Bool = true) {
        text = folded
        bytes = Array(text.utf8)
        var letters = bytes.filter { $0 != UInt8(ascii: "'") }
        pinyinEndsWord = letters.last == UInt8(ascii: " ")
        while letters.last == UInt8(ascii: " ") { letters.removeLast() }
        pinyin = letters
        isASCII = bytes.allSatisfy { $0 < 0x80 }
        let parts = splitting ? text.split(separator: " ") : []
        // One Chinese word and a space (typed key by key, "天津 " comes before "天津 华瑞"): a
        // Chinese name has no space to match, so the word alone (the list emptied at the space).
        // Not so for Latin text: "C1 " is the id C1 and not C10.
        let chineseAndASpace = parts.count == 1 && parts[0].utf8.count != text.utf8.count && !parts[0].allSatisfy(\.isASCII)
        words = parts.count > 1 || chineseAndASpace ? parts.map { SearchNeedle(folded: String($0), splitting: false) } : []
    }

    /// Whether what `longer` finds is among what `shorter` found (so it may search those rows
    /// alone): not when `longer` adds a word after a space (words are looked for one by one).
    static func narrows(from shorter: String, to longer: String) -> Bool {
        shorter.split(separator: " ").count == longer.split(separator: " ").count && !shorter.hasSuffix(" ")
    }

    func matches(_ row: CustomerRow) -> Bool {
        matchesWhole(row) || (!words.isEmpty && words.allSatisfy { $0.matchesWhole(row) })
    }

    private func matchesWhole(_ row: CustomerRow) -> Bool {
        guard !text.isEmpty else { return true }
        if isASCII { return contained(in: row.searchKey) }
        return row.searchKey.withCString { hay in
            bytes.withUnsafeBufferPointer { SearchNeedle.find($0, in: UnsafeRawPointer(hay), count: row.searchNameLength) }
        }
    }

    /// Whether `needle` is in the `count` bytes at `hay`: each place its first byte is (memchr),
    /// compared there (memcmp).
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeRawPointer, count: Int) -> Bool {
        guard let first = needle.first, needle.count <= count else { return needle.isEmpty }
        var start = hay
        let end = hay + (count - needle.count + 1)  // past the last place it could begin
        while start < end, let found = memchr(start, Int32(first), end - start) {
            if memcmp(found, needle.baseAddress!, needle.count) == 0 { return true }
            start = UnsafeRawPointer(found) + 1
        }
        return false
    }

    /// The same in a key made on the spot (a row not listed yet).
    func matches(_ key: String) -> Bool {
        contained(in: key) || (!words.isEmpty && words.allSatisfy { $0.contained(in: key) })
    }

    /// Anywhere in the id and name; in a Chinese name's pinyin after them (`PinyinOrder.searchText`)
    /// only where a syllable or a word begins, at its capital: "hua" is 华, not inside chuang (创).
    private func contained(in key: String) -> Bool {
        guard !text.isEmpty else { return true }
        return key.withCString { hay in
            guard let mark = strrchr(hay, 0x01) else { return text.withCString { strstr(hay, $0) != nil } }
            let count = strlen(hay), pinyin = UnsafeRawPointer(mark) + 1, named = pinyin - UnsafeRawPointer(hay)
            let found = bytes.withUnsafeBufferPointer { SearchNeedle.find($0, in: UnsafeRawPointer(hay), count: named) }
            return found || !self.pinyin.isEmpty && self.pinyin.withUnsafeBufferPointer {
                SearchNeedle.findAtCapital($0, in: pinyin, count: count - named, endingAWord: pinyinEndsWord)
            }
        }
    }

    /// Whether `needle` (lower case) begins at a capital or a digit of the `count` letters and
    /// digits at `hay`, compared in either case (`| 0x20` is a letter's lower case and leaves a digit);
    /// `endingAWord`: and ends where another syllable or word begins, or at the end.
    static func findAtCapital(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeRawPointer, count: Int, endingAWord: Bool = false) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        let letters = hay.assumingMemoryBound(to: UInt8.self)
        for start in 0...(count - needle.count) where letters[start] < 0x61 {
            var matched = 0
            while matched < needle.count, needle[matched] == letters[start + matched] | 0x20 { matched += 1 }
            let end = start + matched
            if matched == needle.count, !endingAWord || end == count || letters[end] < 0x61 { return true }
        }
        return false
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
            let x = PinyinOrder.key(a.name), y = PinyinOrder.key(b.name)
            return x != y ? x.lexicographicallyPrecedes(y) : tie()
        }
    }
}

extension Array {
    /// Puts at each index `i` the element that was at `order[i]` (`order` being a permutation of
    /// the indices), by swaps along each cycle: elements are moved, never copied.
    mutating func rearrange(_ order: [Int]) {
        precondition(order.count == count, "not a permutation of the indices")
        var placed = [Bool](repeating: false, count: count)
        for start in indices where !placed[start] {
            var current = start
            while true {
                placed[current] = true
                let source = order[current]
                if source == start { break }
                swapAt(current, source)
                current = source
            }
        }
    }
}
