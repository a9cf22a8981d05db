/// Everything a team may tune about how ardesk judges a book. Loaded by Desk from `policy.toml`
/// over these defaults; rules take it as an argument and never read files.
public struct Policy: Equatable, Sendable {
    public var collectionBuckets: [AgingBucket]
    public var accountingBuckets: [AgingBucket]
    public var dunningLevels: [DunningLevel]
    /// No second contact (call or letter) within this many days of the last one.
    public var quietDays: Int
    public var promiseToleranceDays: Int
    public var queue: QueuePoints
    public var interest: InterestTerms
    public var hold: HoldRules
    /// Loss rate per collections bucket (not due first), in parts per million (8.695 % = 86,950).
    public var collectionLossRatesPPM: [Int]
    /// Loss rate per accounting bucket, in parts per million.
    public var accountingLossRatesPPM: [Int]
    public var scorecard: Scorecard
    /// A manager's own write-off above this needs another manager's approval (a request), where
    /// the book has another manager: four eyes on large write-offs. Nil: none needed.
    public var writeOffApprovalAbove: Money? = nil

    public init(collectionBuckets: [AgingBucket], accountingBuckets: [AgingBucket], dunningLevels: [DunningLevel],
                quietDays: Int, promiseToleranceDays: Int, queue: QueuePoints, interest: InterestTerms,
                hold: HoldRules, collectionLossRatesPPM: [Int], accountingLossRatesPPM: [Int], scorecard: Scorecard) {
        self.collectionBuckets = collectionBuckets; self.accountingBuckets = accountingBuckets
        self.dunningLevels = dunningLevels; self.quietDays = quietDays; self.promiseToleranceDays = promiseToleranceDays
        self.queue = queue; self.interest = interest; self.hold = hold
        self.collectionLossRatesPPM = collectionLossRatesPPM; self.accountingLossRatesPPM = accountingLossRatesPPM
        self.scorecard = scorecard
    }

    public static let standard = Policy(
        collectionBuckets: [
            AgingBucket(label: "1-30", from: 1, to: 30), AgingBucket(label: "31-60", from: 31, to: 60),
            AgingBucket(label: "61-90", from: 61, to: 90), AgingBucket(label: "90+", from: 91, to: nil),
        ],
        accountingBuckets: [
            AgingBucket(label: "<=1y", from: 0, to: 365), AgingBucket(label: "1-2y", from: 366, to: 730),
            AgingBucket(label: "2-3y", from: 731, to: 1095), AgingBucket(label: ">3y", from: 1096, to: nil),
        ],
        dunningLevels: [
            DunningLevel(level: 1, name: "reminder", chineseName: "付款提醒", triggerDays: 1, channel: .letter, template: "reminder"),
            DunningLevel(level: 2, name: "phone", chineseName: "电话催收", triggerDays: 15, channel: .call, template: "phone"),
            DunningLevel(level: 3, name: "final notice", chineseName: "最后通知", triggerDays: 30, channel: .letter, template: "final",
                         fee: Money(minorUnits: 1000), billsInterest: true),
            DunningLevel(level: 4, name: "credit hold", chineseName: "信用冻结", triggerDays: 60, channel: .hold, template: "hold"),
            DunningLevel(level: 5, name: "legal", chineseName: "法律程序", triggerDays: 90, channel: .legal, template: "legal"),
        ],
        quietDays: 3,
        promiseToleranceDays: 2,
        queue: QueuePoints(),
        interest: InterestTerms(annualRateBasisPoints: 1000, graceDays: 0),
        hold: HoldRules(overLimit: true, maxDaysPastDue: [.a: 90, .b: 60, .c: 45, .d: 30, .e: 15]),
        collectionLossRatesPPM: [20_000, 40_000, 86_950, 250_000, 1_000_000],
        accountingLossRatesPPM: [50_000, 200_000, 500_000, 1_000_000],
        scorecard: Scorecard()
    )
}

/// A range of days (past due, or since issue), inclusive; `to == nil` is open-ended.
public struct AgingBucket: Equatable, Sendable {
    public var label: String
    public var from: Int
    public var to: Int?
    public init(label: String, from: Int, to: Int?) { self.label = label; self.from = from; self.to = to }
    public func contains(_ days: Int) -> Bool { days >= from && (to.map { days <= $0 } ?? true) }
}

public enum DunningChannel: String, CaseIterable, Sendable {
    case letter, email, call, visit, hold, legal, agency
}

public struct DunningLevel: Equatable, Sendable {
    public var level: Int
    public var name: String
    /// The name a Chinese screen or letter shows (`name_zh` in a policy file); `name` when unset.
    public var chineseName: String?
    /// Days past due of the oldest open item; may be negative for a courtesy reminder before due.
    public var triggerDays: Int
    public var channel: DunningChannel
    public var template: String
    /// Billed by the level's letter, kept apart from the principal (see `Charge`).
    public var fee: Money
    /// The level's letter also bills the late-payment interest not billed yet (a first, polite
    /// reminder usually does not).
    public var billsInterest: Bool
    /// Below this overdue amount the level does not fire (tolerance).
    public var minimumOverdue: Money
    public init(level: Int, name: String, chineseName: String? = nil, triggerDays: Int, channel: DunningChannel, template: String,
                fee: Money = .zero, billsInterest: Bool = false, minimumOverdue: Money = Money(minorUnits: 100)) {
        self.level = level; self.name = name; self.chineseName = chineseName; self.triggerDays = triggerDays; self.channel = channel
        self.template = template; self.fee = fee; self.billsInterest = billsInterest; self.minimumOverdue = minimumOverdue
    }
    public func name(chinese: Bool) -> String { chinese ? chineseName ?? name : name }
    /// Whether its action is a letter (or e-mail) sent to the customer, the only action that bills.
    public var isLetter: Bool { channel == .letter || channel == .email }
}

/// Points that add up to a queue item's priority; each one is shown to the collector as a reason.
public struct QueuePoints: Equatable, Sendable {
    public var perThousandPastDue: Int = 1          // per 1,000.00 of past-due amount
    public var pastDueCap: Int = 50
    public var perDayOldest: Int = 1                // per 5 days past due of the oldest item
    public var dayDivisor: Int = 5
    public var oldestCap: Int = 40
    public var callbackDue: Int = 30
    public var brokenPromise: Int = 40
    /// A payment reversed (returned unpaid) since the customer was last contacted.
    public var paymentReversed: Int = 40
    public var levelDue: Int = 20
    public var newlyPastDue: Int = 10
    public var overLimit: Int = 15
    public var gradePoints: [RiskGrade: Int] = [.a: 0, .b: 0, .c: 5, .d: 10, .e: 20]
    /// Past-due amounts below this do not put a customer in the queue on their own.
    public var tolerance: Money = Money(minorUnits: 10000)
    /// An item "newly" went past due when it is at most this many days late (whatever older
    /// items the customer has: a new overdue invoice is news even on a long-late account).
    public var newlyPastDueDays: Int = 3
    /// A customer past due whom nobody has called for this many days comes back to the queue
    /// (after a dunning run has taken its level as far as it goes without a manager, nothing
    /// else would bring it back); 0 turns the rule off.
    public var noContactDays: Int = 14
    public var noContact: Int = 15
    public init() {}
}

public struct InterestTerms: Equatable, Sendable {
    /// The annual rate, in hundredths of a percent: before the first of `changes`, if any.
    public var annualRateBasisPoints: Int
    public var graceDays: Int
    /// Later rates, each from its day on, by day. A rate changed this way leaves the days before
    /// it at the old rate: interest not yet billed for them is not repriced.
    public var changes: [RateChange]

    public struct RateChange: Equatable, Sendable {
        public var from: Day
        public var annualRateBasisPoints: Int
        public init(from: Day, annualRateBasisPoints: Int) { self.from = from; self.annualRateBasisPoints = annualRateBasisPoints }
    }

    public init(annualRateBasisPoints: Int, graceDays: Int, changes: [RateChange] = []) {
        self.annualRateBasisPoints = annualRateBasisPoints; self.graceDays = graceDays
        self.changes = changes.sorted { $0.from < $1.from }
    }

    /// Whether any day bears interest.
    public var chargesInterest: Bool { annualRateBasisPoints > 0 || changes.contains { $0.annualRateBasisPoints > 0 } }

    /// The rate in force on `day`.
    public func rate(on day: Day) -> Int {
        changes.last { $0.from <= day }?.annualRateBasisPoints ?? annualRateBasisPoints
    }

    /// The `count` days ending with `last`, as runs of one rate: (rate, days), oldest first.
    public func days(_ count: Int, endingOn last: Day) -> [(rate: Int, days: Int)] {
        guard count > 0 else { return [] }
        let first = last.adding(days: -(count - 1))
        var runs: [(rate: Int, days: Int)] = []
        var start = first
        var current = rate(on: first)
        for change in changes where change.from > first && change.from <= last {
            runs.append((current, change.from.days(since: start)))
            start = change.from
            current = change.annualRateBasisPoints
        }
        runs.append((current, last.days(since: start) + 1))
        return runs
    }
}

public struct HoldRules: Equatable, Sendable {
    public var overLimit: Bool
    /// Hold when any item is more than this many days past due, by grade.
    public var maxDaysPastDue: [RiskGrade: Int]
    public init(overLimit: Bool, maxDaysPastDue: [RiskGrade: Int]) { self.overLimit = overLimit; self.maxDaysPastDue = maxDaysPastDue }
}

/// The 5C scorecard: each C scored 1-5, weighted; the weighted score maps to a grade, the grade to a
/// suggested limit (a multiple of average monthly sales) and terms.
public struct Scorecard: Equatable, Sendable {
    /// Weights in percent for character, capacity, capital, collateral, conditions (sum 100).
    public var weights: [Int] = [30, 25, 20, 15, 10]
    /// Minimum weighted score (×100, so 4.00 = 400) for grades A, B, C, D; below the last is E.
    public var gradeFloors: [Int] = [420, 340, 260, 180]
    /// Suggested limit as a percentage of average monthly sales, by grade A...E.
    public var limitPercentOfMonthlySales: [Int] = [300, 200, 120, 60, 0]
    public var termsDays: [Int] = [60, 45, 30, 15, 0]
    public init() {}
}
