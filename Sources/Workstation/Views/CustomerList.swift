import Core

/// A customer's figures as of the view's day, computed with the queue (the first screen).
struct Standing: Sendable {
    var position: Position
    var brokenPromises: Int
    var name: String
    var collector: String?
    /// The due day of a promise still waited for (a settled queue row says it is awaited).
    var awaitedPromise: Day?

    init(_ customer: borrowing Customer, position: Position, promises: [JudgedPromise]) {
        self.position = position
        brokenPromises = promises.filter { $0.state == .broken || $0.state == .partiallyKept }.count
        awaitedPromise = promises.first { $0.state == .pending }?.promise.due
        name = customer.name
        collector = customer.collector
    }
}

/// What the customers panel shows beyond the queue: a row per customer, its ABC class, and the
/// ranks that make sorting 50,000 rows an integer sort. Built after the first screen (see
/// `BookView`), from the standings the queue was built from.
struct CustomerList: Sendable {
    /// What each row is made with: the view's day (limit, status, collector as of it), the ABC
    /// classes, the policy's hold rules, and whether some customers came after the day.
    struct RowMaking: Sendable {
        let asOf: Day
        let abc: [CustomerID: Character]
        let policy: Policy
        /// Some customers were added after the view's day (a look back): the panel leaves them out.
        let hasLaterCustomers: Bool
    }
    let making: RowMaking
    var hasLaterCustomers: Bool { making.hasLaterCustomers }
    /// One per customer, at the customer's place (the order customers were added).
    var rows: [CustomerRow]
    /// Each row's place in id order: the tie-break of every sort, compared as an integer.
    let idRank: [Int]
    /// Each row's place in name order (then id): sorting by name is then an integer sort too.
    var nameRank: [Int]
    var collectors: [String]

    /// `hasLaterCustomers`: the book holds customers added after `asOf` (its maker counted them).
    init(book: Book, asOf: Day, policy: Policy, standings: [Standing], hasLaterCustomers: Bool) {
        let ids = book.customerOrder
        let making = RowMaking(asOf: asOf, abc: ABCClass.classify(book, asOf: asOf), policy: policy,
                               hasLaterCustomers: hasLaterCustomers)
        self.making = making
        rows = Array(ids.indices).mapOnAllCores { CustomerList.row(ids[$0], in: book, standing: standings[$0], making: making) }
        idRank = CustomerList.ranks(of: ids)
        nameRank = CustomerList.nameRanks(rows, idRank: idRank)
        collectors = CustomerList.collectors(of: rows)
    }

    /// Replaces the rows at `places` with `standings` of their customers in `book`.
    mutating func update(_ places: [Int], standings: [Standing], book: Book) {
        let ids = book.customerOrder
        var renamed = false, reassigned = false
        for place in places {
            let old = rows[place]
            rows[place] = CustomerList.row(ids[place], in: book, standing: standings[place], making: making)
            renamed = renamed || rows[place].name != old.name
            reassigned = reassigned || rows[place].collector != old.collector
        }
        if renamed { nameRank = CustomerList.nameRanks(rows, idRank: idRank) }
        if reassigned { collectors = CustomerList.collectors(of: rows) }
    }

    static func row(_ id: CustomerID, in book: Book, standing: Standing, making: RowMaking) -> CustomerRow {
        let c = book.customer(id, asOf: making.asOf)!
        // The policy's hold rules, for an active customer: what a manager reviews for.
        let holdAdvised = c.status == .active && !Credit.holdCheck(c, position: standing.position, policy: making.policy).isEmpty
        let named = SearchFolding.fold(id + " " + c.name)
        return CustomerRow(id: id, name: c.name, collector: c.collector, grade: c.grade, abc: String(making.abc[id] ?? "C"),
                           status: c.status, limit: c.creditLimit, position: standing.position,
                           brokenPromises: standing.brokenPromises, nextReview: c.nextReview,
                           searchKey: named + PinyinOrder.searchText(c.name), searchNameLength: named.utf8.count,
                           isInBook: !making.hasLaterCustomers || book.hasCustomer(id, on: making.asOf), holdAdvised: holdAdvised)
    }

    static func collectors(of rows: [CustomerRow]) -> [String] { Set(rows.compactMap(\.collector)).sorted() }

    /// The rank of each id in ascending order; ids added in order (the usual case) need no sort.
    static func ranks(of ids: [String]) -> [Int] {
        if zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) { return Array(ids.indices) }
        var rank = [Int](repeating: 0, count: ids.count)
        for (position, index) in ids.indices.sorted(by: { ids[$0] < ids[$1] }).enumerated() { rank[index] = position }
        return rank
    }

    /// Ranks by name in pinyin order (`PinyinOrder`), then by id.
    static func nameRanks(_ rows: [CustomerRow], idRank: [Int]) -> [Int] {
        // Each name's places worked out once (names of one city and trade share their first
        // characters, so ties are many); the first six as three integers settle most comparisons.
        let keys = rows.map { PinyinOrder.key($0.name) }
        var keyed = rows.indices.map { (prefix: PinyinOrder.prefix(of: keys[$0]), index: $0) }
        keyed.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            let x = keys[a.index], y = keys[b.index]
            return x != y ? x.lexicographicallyPrecedes(y) : idRank[a.index] < idRank[b.index]
        }
        var rank = [Int](repeating: 0, count: rows.count)
        for (position, entry) in keyed.enumerated() { rank[entry.index] = position }
        return rank
    }
}
