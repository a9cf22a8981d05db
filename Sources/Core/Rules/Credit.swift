/// Credit control [信用控制]: utilisation, hold rules and the 5C scorecard.
public enum Credit {
    /// Balance ÷ limit in basis points; nil without a limit.
    public static func utilisation(balance: Money, limit: Money) -> Int? { KPI.share(balance, of: limit) }

    /// Why a customer should be on hold as of the day (empty when it should not).
    public static func holdReasons(_ customer: Customer, position: Position, policy: Policy) -> [String] {
        var reasons: [String] = []
        if policy.hold.overLimit, customer.creditLimit.isPositive, position.balance > customer.creditLimit {
            reasons.append("over limit: balance \(position.balance) on a limit of \(customer.creditLimit)")
        }
        if let grade = customer.grade, let maximum = policy.hold.maxDaysPastDue[grade], position.oldestDaysPastDue > maximum {
            reasons.append("\(position.oldestDaysPastDue) days past due (grade \(grade.rawValue) allows \(maximum))")
        }
        return reasons
    }
}

/// The 5C scorecard [5C法]: character, capacity, capital, collateral, conditions, each 1–5.
public struct ScorecardResult: Sendable, Equatable {
    /// The weighted score ×100 (4.25 = 425).
    public var score: Int
    public var grade: RiskGrade
    public var suggestedLimit: Money
    public var suggestedTermsDays: Int
}

extension Scorecard {
    public static let names = ["character", "capacity", "capital", "collateral", "conditions"]

    /// Nil unless there are five scores from 1 to 5. `monthlySales` is the customer's average
    /// monthly invoiced amount (see `averageMonthlySales`).
    public func evaluate(scores: [Int], monthlySales: Money) -> ScorecardResult? {
        guard scores.count == 5, scores.allSatisfy({ (1...5).contains($0) }), weights.count == 5 else { return nil }
        let score = zip(scores, weights).reduce(0) { $0 + $1.0 * $1.1 }  // weights sum to 100, so this is ×100
        let index = gradeFloors.firstIndex { score >= $0 } ?? 4
        let grade = RiskGrade.allCases[index]
        let limit = monthlySales.scaled(by: Int64(limitPercentOfMonthlySales[index]), over: 100)
        return ScorecardResult(score: score, grade: grade, suggestedLimit: limit, suggestedTermsDays: termsDays[index])
    }

    /// Average monthly invoiced amount over the twelve months up to the day.
    public static func averageMonthlySales(_ customer: CustomerID, in book: Book, asOf day: Day) -> Money {
        let start = day.adding(months: -12)
        let total = book.invoices(of: customer).reduce(Money.zero) { $1.issued > start && $1.issued <= day ? $0 + $1.amount : $0 }
        return total.scaled(by: 1, over: 12)
    }
}
