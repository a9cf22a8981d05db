import Core

/// A row of the customers panel.
struct CustomerRow: Sendable {
    var id: CustomerID
    var name: String
    var collector: String?
    var grade: RiskGrade?
    var abc: String
    var status: CustomerStatus
    var limit: Money
    var position: Position
    var brokenPromises: Int
    /// "id name" lower-cased once, for incremental search.
    var searchKey: String
    /// Balance over limit in basis points; nil without a limit.
    var utilisation: Int? {
        limit.isPositive ? Int(position.balance.minorUnits * 10_000 / limit.minorUnits) : nil
    }
    var overLimit: Bool { limit.isPositive && position.balance > limit }
}

/// A row of the call queue.
struct QueueRow: Sendable {
    var customer: CustomerID
    var name: String
    var collector: String?
    var priority: Int
    var reasons: [QueueReason]
    var pastDue: Money
    var oldestDays: Int
    var level: Int
    var callbackDue: Day?
    var promiseDue: Day?
    var worked: Bool
    var claimedBy: String?
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
}
