import Core

/// A row of the customers panel. A class of constants: lists of 50,000 rows are filtered,
/// sorted and cached per keystroke, and copying a reference is one retain where copying the
/// whole row was a dozen.
final class CustomerRow: Sendable {
    let id: CustomerID
    let name: String
    let collector: String?
    let grade: RiskGrade?
    let abc: String
    let status: CustomerStatus
    let limit: Money
    let position: Position
    let brokenPromises: Int
    /// The next credit review, as the view's day saw it.
    let nextReview: Day?
    /// "id name" lower-cased once, then the name's pinyin (`PinyinOrder.searchText`), for
    /// incremental search; `searchNameLength` bytes of it are the id and name.
    let searchKey: String
    let searchNameLength: Int
    /// The customer was in the book on the view's day (not added later).
    let isInBook: Bool
    /// The policy's hold rules say this active customer should be on hold.
    let holdAdvised: Bool

    init(id: CustomerID, name: String, collector: String?, grade: RiskGrade?, abc: String, status: CustomerStatus,
         limit: Money, position: Position, brokenPromises: Int, nextReview: Day? = nil, searchKey: String, searchNameLength: Int? = nil,
         isInBook: Bool = true, holdAdvised: Bool = false) {
        self.id = id; self.name = name; self.collector = collector; self.grade = grade; self.abc = abc
        self.status = status; self.limit = limit; self.position = position; self.brokenPromises = brokenPromises
        self.nextReview = nextReview; self.searchKey = searchKey; self.isInBook = isInBook; self.holdAdvised = holdAdvised
        self.searchNameLength = searchNameLength ?? searchKey.utf8.count
    }

    /// What is owed (net of unapplied credit) over the limit in basis points; nil without a limit.
    var utilisation: Int? { CustomerRow.utilisation(owed: position.owed, limit: limit) }

    /// Basis points, cut (not rounded) as the panels show them; nil without a limit. Over the
    /// limit by less than a whole percent is 101 %: "100 %" beside the over-limit mark read as
    /// a contradiction, and 100 % is kept for a balance exactly at the limit.
    static func utilisation(owed: Money, limit: Money) -> Int? {
        guard limit.isPositive else { return nil }
        let cut = Int(owed.minorUnits * 10_000 / limit.minorUnits)
        return owed > limit ? max(cut, 10_100) : cut
    }
    var overLimit: Bool { Credit.overLimit(balance: position.owed, limit: limit) }
}

/// A row of the call queue.
struct QueueRow: Sendable {
    var customer: CustomerID
    var name: String
    var collector: String?
    var priority: Int
    var reasons: [QueueReason]
    /// Past due, less what is disputed and the customer's unapplied credit: what the queue asks
    /// the collector to collect (`QueueItem.toCollect`).
    var toCollect: Money
    var oldestDays: Int
    var level: Int
    var callbackDue: Day?
    var promiseDue: Day?
    var worked: Bool
    var claimedBy: String?
    /// In the queue earlier in this session, with nothing due now (called within the quiet days,
    /// paid, a plan agreed): kept in its place so the list a collector works through does not
    /// shift under the cursor.
    var settled = false
    /// A settled row's promise or plan instalment still to fall due: what the customer is waited
    /// for, said instead of "nothing due".
    var awaitedPromise: Day?
    /// A settled row's callback asked for a later day: said too, rather than "nothing due".
    var nextCallback: Day?
}

/// An open item in the ledger.
struct OpenItemRow: Sendable {
    var number: String
    var issued: Day
    var due: Day
    var amount: Money
    var open: Money
    var daysPastDue: Int
    var disputed: Bool
    /// The amount disputed when a dispute is for part of the invoice (nil: none, or all of it).
    var disputedPart: Money? = nil
}

/// The customers panel's rows in the order shown: the book's rows and the order to show them in.
/// Sorting 50,000 customers then retains none of them: gathering the rows into a new list
/// retained each, an atomic write to 50,000 objects scattered in memory, which was nearly half of
/// a sort keystroke.
struct CustomerRows: RandomAccessCollection {
    private let rows: [CustomerRow]
    private let order: [Int]

    init(rows: [CustomerRow], order: [Int]) {
        self.rows = rows
        self.order = order
    }

    var startIndex: Int { 0 }
    var endIndex: Int { order.count }
    subscript(position: Int) -> CustomerRow { rows[order[position]] }

    /// The rows `isIncluded` keeps, in the same order.
    func keeping(_ isIncluded: (CustomerRow) -> Bool) -> CustomerRows {
        CustomerRows(rows: rows, order: order.filter { isIncluded(rows[$0]) })
    }
}
