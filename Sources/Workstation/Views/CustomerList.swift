import Core

/// A customer's figures as of the view's day, computed with the queue (the first screen).
struct Standing: Sendable {
    var position: Position
    var brokenPromises: Int
    var name: String
    var collector: String?

    init(_ customer: borrowing Customer, position: Position, promises: [JudgedPromise]) {
        self.position = position
        brokenPromises = promises.filter { $0.state == .broken || $0.state == .partiallyKept }.count
        name = customer.name
        collector = customer.collector
    }
}

/// What the customers panel shows beyond the queue: a row per customer, its ABC class, and the
/// ranks that make sorting 50,000 rows an integer sort. Built after the first screen (see
/// `BookView`), from the standings the queue was built from.
struct CustomerList: Sendable {
    /// The day the rows show customers as of (their limit, status, collector then).
    let asOf: Day
    let abc: [CustomerID: Character]
    /// One per customer, at the customer's place (the order customers were added).
    var rows: [CustomerRow]
    /// Each row's place in id order: the tie-break of every sort, compared as an integer.
    let idRank: [Int]
    /// Each row's place in name order (then id): sorting by name is then an integer sort too.
    var nameRank: [Int]
    var collectors: [String]
    /// Some customers were added after the view's day (a look back): the panel leaves them out.
    let hasLaterCustomers: Bool

    init(book: Book, asOf: Day, standings: [Standing]) {
        let abc = ABCClass.classify(book, asOf: asOf)
        self.abc = abc
        self.asOf = asOf
        let ids = book.customerOrder
        // Known without a look at any customer on a view of today: every customer is there.
        let hasLaterCustomers = book.customerCount(on: asOf) < ids.count
        self.hasLaterCustomers = hasLaterCustomers
        rows = Array(ids.indices).mapOnAllCores { place in
            CustomerList.row(book.customer(ids[place], asOf: asOf)!, standing: standings[place], abc: abc,
                             isInBook: !hasLaterCustomers || book.hasCustomer(ids[place], on: asOf))
        }
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
            rows[place] = CustomerList.row(book.customer(ids[place], asOf: asOf)!, standing: standings[place], abc: abc,
                                           isInBook: !hasLaterCustomers || book.hasCustomer(ids[place], on: asOf))
            renamed = renamed || rows[place].name != old.name
            reassigned = reassigned || rows[place].collector != old.collector
        }
        if renamed { nameRank = CustomerList.nameRanks(rows, idRank: idRank) }
        if reassigned { collectors = CustomerList.collectors(of: rows) }
    }

    static func row(_ c: Customer, standing: Standing, abc: [CustomerID: Character], isInBook: Bool) -> CustomerRow {
        let id = c.id
        return CustomerRow(id: id, name: c.name, collector: c.collector, grade: c.grade, abc: String(abc[id] ?? "C"),
                           status: c.status, limit: c.creditLimit, position: standing.position,
                           brokenPromises: standing.brokenPromises, nextReview: c.nextReview, searchKey: (id + " " + c.name).lowercased(),
                           isInBook: isInBook)
    }

    static func collectors(of rows: [CustomerRow]) -> [String] { Set(rows.compactMap(\.collector)).sorted() }

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
}
