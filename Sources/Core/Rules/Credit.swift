/// Credit control [信用控制]: utilisation, hold rules and the 5C scorecard.
public enum Credit {
    /// Balance ÷ limit in basis points (8,750 = 87.50 %); nil without a limit (zero means none).
    public static func utilisation(balance: Money, limit: Money) -> Int? { KPI.share(balance, of: limit) }

    /// Over limit means strictly above a limit that is set; a customer without a limit never is.
    public static func overLimit(balance: Money, limit: Money) -> Bool { limit.isPositive && balance > limit }

    /// Why a customer should be on hold as of the position's day (empty when it should not), per
    /// `policy.hold`. Days past due count collectable items only: a disputed invoice does not
    /// put a customer on hold, nor do overdue items its unapplied credit covers (taken oldest
    /// first, so the advice is the same before the credit is applied and after), nor a past-due
    /// amount below the queue's tolerance (0.50 left of an invoice is no reason for a hold). The
    /// limit is weighed against the balance net of that credit. A customer without a grade has
    /// no days-past-due rule.
    public static func holdCheck(_ customer: Customer, position: Position, policy: Policy) -> [HoldReason] {
        var reasons: [HoldReason] = []
        if policy.hold.overLimit, overLimit(balance: position.owed, limit: customer.creditLimit) {
            reasons.append(.overLimit(balance: position.owed, limit: customer.creditLimit))
        }
        let late = position.oldestDaysPastDueNetOfCredit
        if let grade = customer.grade, let maximum = policy.hold.maxDaysPastDue[grade], late > maximum,
           position.collectablePastDue - position.credit >= max(policy.queue.tolerance, Money(minorUnits: 1)) {
            reasons.append(.pastDue(days: late, grade: grade, allowed: maximum))
        }
        return reasons
    }

    /// `holdCheck` as sentences, for a hold request's reason.
    public static func holdReasons(_ customer: Customer, position: Position, policy: Policy) -> [String] {
        holdCheck(customer, position: position, policy: policy).map(\.description)
    }
}

/// One reason a customer should be on hold.
public enum HoldReason: Sendable, Equatable, CustomStringConvertible {
    case overLimit(balance: Money, limit: Money)
    /// The oldest collectable item is `days` past due; the grade allows `allowed`.
    case pastDue(days: Int, grade: RiskGrade, allowed: Int)

    public var description: String { text(in: .cny) }

    /// The reason in words, amounts in the book's currency.
    public func text(in currency: Currency) -> String {
        switch self {
        case .overLimit(let balance, let limit):
            return "over limit: balance \(currency.format(balance, grouping: ",")) on a limit of \(currency.format(limit, grouping: ","))"
        case .pastDue(let days, let grade, let allowed): return "\(days) days past due (grade \(grade.rawValue) allows \(allowed))"
        }
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

    /// Nil unless there are five scores from 1 to 5 (and the card itself is well formed: five
    /// weights, four floors, five limits and terms). `monthlySales` is the customer's average
    /// monthly invoiced amount (see `averageMonthlySales`). The grade is the first whose floor the
    /// weighted score reaches, A first; below every floor it is E.
    public func evaluate(scores: [Int], monthlySales: Money) -> ScorecardResult? {
        guard scores.count == 5, scores.allSatisfy({ (1...5).contains($0) }), weights.count == 5, gradeFloors.count == 4,
              limitPercentOfMonthlySales.count == 5, termsDays.count == 5 else { return nil }
        let score = zip(scores, weights).reduce(0) { $0 + $1.0 * $1.1 }  // weights sum to 100, so this is ×100
        let index = gradeFloors.firstIndex { score >= $0 } ?? 4
        let grade = RiskGrade.allCases[index]
        let limit = monthlySales.scaled(by: Int64(limitPercentOfMonthlySales[index]), over: 100)
        return ScorecardResult(score: score, grade: grade, suggestedLimit: limit, suggestedTermsDays: termsDays[index])
    }

    /// The scorecard for one customer of the book: its average monthly sales over the twelve
    /// months up to `day` size the suggested limit.
    public func evaluate(scores: [Int], customer: CustomerID, in book: Book, asOf day: Day) -> ScorecardResult? {
        evaluate(scores: scores, monthlySales: Scorecard.averageMonthlySales(customer, in: book, asOf: day))
    }

    /// Average monthly invoiced amount over the twelve months up to the day, net of the credit
    /// notes issued then (the total ÷ 12, months without sales included), rounded half away from zero.
    public static func averageMonthlySales(_ customer: CustomerID, in book: Book, asOf day: Day) -> Money {
        let start = day.adding(months: -12)
        let invoiced = book.invoices(of: customer).reduce(Money.zero) { $1.issued > start && $1.issued <= day ? $0 + $1.amount : $0 }
        let credited = book.creditNotes(of: customer).reduce(Money.zero) { $1.day > start && $1.day <= day ? $0 + $1.amount : $0 }
        return max(.zero, invoiced - credited).scaled(by: 1, over: 12)
    }
}
