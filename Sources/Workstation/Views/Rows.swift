import Core

/// One customer's figures as of the view's day, computed once per book change.
struct CustomerFigures: Sendable {
    var balance: Money = .zero
    var pastDue: Money = .zero
    var disputed: Money = .zero
    var oldestDaysPastDue = 0
    var openItems = 0
    var lastContact: Day?
    var brokenPromises = 0
    var credit: Money = .zero
}

/// A row of the customers panel.
struct CustomerRow: Sendable {
    var id: CustomerID
    var name: String
    var collector: String?
    var grade: RiskGrade?
    var abc: String
    var status: CustomerStatus
    var limit: Money
    var figures: CustomerFigures
    /// Balance over limit in basis points; nil without a limit.
    var utilisation: Int? {
        limit.isPositive ? Int(figures.balance.minorUnits * 10_000 / limit.minorUnits) : nil
    }
    var overLimit: Bool { limit.isPositive && figures.balance > limit }
}

/// A row of the call queue.
struct QueueRow: Sendable {
    var customer: CustomerID
    var name: String
    var collector: String?
    var priority: Int
    var reasons: [(label: String, points: Int)]
    var pastDue: Money
    var oldestDays: Int
    var level: Int
    var due: String
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
