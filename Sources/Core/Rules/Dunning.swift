/// What a dunning run would do for one customer.
public struct DunningProposal: Sendable, Equatable {
    public var customer: CustomerID
    public var fromLevel: Int
    /// The level to move to; nil when payments resolved the customer's level (back to 0).
    public var level: DunningLevel?
    /// Past due and not disputed, as the letter lists it item by item.
    public var overdue: Money
    /// Unapplied cash and credit notes, set against `overdue` in the letter.
    public var credit: Money = .zero
    public var oldestDaysPastDue: Int
    /// The level's fee, and the interest not billed yet: what the letter bills (see `Charge`).
    public var fee: Money
    public var interest: Money
    /// Fees and interest billed before and still open, which the letter reminds of.
    public var earlierCharges: Money = .zero
    public var toLevel: Int { level?.level ?? 0 }

    public init(customer: CustomerID, fromLevel: Int, level: DunningLevel?, overdue: Money, credit: Money = .zero,
                oldestDaysPastDue: Int, fee: Money, interest: Money, earlierCharges: Money = .zero) {
        self.customer = customer; self.fromLevel = fromLevel; self.level = level; self.overdue = overdue; self.credit = credit
        self.oldestDaysPastDue = oldestDaysPastDue; self.fee = fee; self.interest = interest; self.earlierCharges = earlierCharges
    }
}

public enum DunningError: Error, Equatable, Sendable, CustomStringConvertible {
    case backDated(run: Day, last: Day)
    public var description: String {
        switch self {
        case .backDated(let run, let last): return "a dunning run dated \(run) comes before the last run on \(last); runs move forward only"
        }
    }
}

/// The dunning policy applied (the OCA credit-control rules): a customer moves at most one level
/// per day and never skips a level, nor passes one whose approval is still asked for; nothing fires below the level's minimum overdue amount or
/// within the quiet days after the last contact; disputed items neither count nor escalate;
/// payments that clear the overdue amount resolve the level; a promise to pay not yet due, and
/// a payment plan kept so far, stand in for the overdue balance they cover (the level waits while
/// they are kept: a fee billed on a customer who promised to pay next week would break faith with
/// the promise the collector took); and the
/// customer's unapplied cash and credit notes count against what is overdue (a customer whose
/// credit covers its overdue items owes nothing net, and is not chased).
public enum Dunning {
    /// `looking back`: a preview of a past day (levels and contacts as they stood then), which a
    /// later run does not forbid; a run itself only moves forward.
    public static func propose(book: Book, policy: Policy, asOf day: Day, lookingBack: Bool = false) throws -> [DunningProposal] {
        if !lookingBack, let last = book.lastRun(after: day) { throw DunningError.backDated(run: day, last: last) }
        // Each customer alone, on every core; in the book's order.
        return book.mapPlacesOnAllCores { place, book in
            proposal(for: book.ledgers[place].customer.id, position: Position(place: place, in: book, asOf: day), book: book, policy: policy, asOf: day)
        }.compactMap { $0 }
    }

    public static func proposal(for id: CustomerID, position: Position, book: Book, policy: Policy, asOf day: Day) -> DunningProposal? {
        // Closed, or handed to legal or an agency: dunning is over (no letter, fee or interest, no
        // hold proposed that could never be placed), as the queue leaves them out too.
        guard let customer = book.customer(id, asOf: day), ![.closed, .legal, .agency].contains(customer.status) else { return nil }
        let listed = position  // what the letter lists: the items as they are, the credit apart
        let standing = LevelStanding(id, in: book, asOf: day)
        let current = standing.level
        let next: DunningLevel
        let position: Position
        switch step(listed, judged: Promises.judge(id, in: book, asOf: day), standing: standing, policy: policy, asOf: day, in: book) {
        case nil: return nil
        case .resolve(let weighed)?:
            return DunningProposal(customer: id, fromLevel: current, level: nil, overdue: weighed.collectablePastDue,
                                   oldestDaysPastDue: weighed.oldestDaysPastDue, fee: .zero, interest: .zero)
        case .move(let level, let weighed)?:
            next = level
            position = weighed
        }
        // Only for customers that move; interest from where the last bill stopped, so no day is billed twice.
        let interest = next.isLetter && next.billsInterest ? Interest.unbilled(id, in: book, asOf: day, terms: policy.interest) : .zero
        return DunningProposal(customer: id, fromLevel: current, level: next, overdue: listed.collectablePastDue, credit: listed.credit,
                               oldestDaysPastDue: position.oldestDaysPastDue, fee: next.isLetter ? next.fee : .zero, interest: interest,
                               earlierCharges: OpenCharges.total(id, in: book, asOf: day))
    }

    /// What a run does to a customer's level: resolves it, or moves it one level on; both with
    /// the position as weighed (past due less what a kept plan and credit cover).
    public enum Step {
        case resolve(weighed: Position)
        case move(to: DunningLevel, weighed: Position)
    }

    /// A customer's level as a run finds it: which, since when, and whether the approval it asked
    /// a manager for (a credit hold, a hand-off) is still missing: waited for, or refused.
    public struct LevelStanding: Sendable {
        public var level: Int
        public var since: Day?
        public var approvalMissing: Bool

        public init(level: Int, since: Day? = nil, approvalMissing: Bool = false) {
            self.level = level; self.since = since; self.approvalMissing = approvalMissing
        }

        public init(_ id: CustomerID, in book: borrowing Book, asOf day: Day) {
            let set = book.dunningLevels.isEmpty ? (level: 0, on: nil) : book.dunningLevelSet(of: id, asOf: day)
            var missing = false
            // The request this level filed (on the day it was set), not an older level's.
            if let since = set.on, let request = book.dunningRequest(of: id, asOf: day), request.day >= since, request.day <= day {
                if case .approved = request.state {} else { missing = true }
            }
            self.init(level: set.level, since: set.on, approvalMissing: missing)
        }
    }

    /// The one rule the run and the queue's "level due" both follow; nil when nothing happens
    /// (covered by a promise, a plan or credit, not due yet, quiet days, below the minimum, the level set
    /// today, or its approval waited for or refused: a second run the same day, or one before
    /// a manager has approved a hold, must not go on to the next level).
    /// Resolving is judged on what is owed in fact: paid, or covered by the customer's own
    /// unapplied cash and credit notes, or below the tolerance, the level goes back to 0 (as
    /// payments and credit notes resolve a level); what a promise or a plan only covers holds the
    /// level, neither raised nor resolved (a promise short of the overdue by less than the
    /// tolerance must not reset a customer to a first polite reminder).
    public static func step(_ position: Position, judged: [JudgedPromise], standing: LevelStanding, policy: Policy, asOf day: Day,
                            in book: borrowing Book) -> Step? {
        let owed = netOfCredit(position)
        if resolves(position: owed, current: standing.level, policy: policy) { return .resolve(weighed: owed) }
        guard let weighed = escalating(position, covered: promisedCover(judged) + position.credit, in: book, asOf: day) else { return nil }
        if standing.approvalMissing { return nil }
        if let since = standing.since, since >= day { return nil }
        // A level reached starts the quiet days as a letter sent does, whatever its channel: a
        // phone level's call is not made yet, and the next level must not pass over it the day after.
        if let since = standing.since, standing.level > 0, day.days(since: since) < policy.quietDays { return nil }
        return nextLevel(position: weighed, current: standing.level, policy: policy, asOf: day).map { .move(to: $0, weighed: weighed) }
    }

    /// `position` less the customer's unapplied cash and credit notes: what it owes in fact.
    static func netOfCredit(_ position: Position) -> Position {
        guard position.credit.isPositive else { return position }
        var net = position
        net.collectablePastDue = position.toCollect
        net.oldestDaysPastDue = position.oldestDaysPastDueNetOfCredit  // the oldest the credit leaves, as when applied
        net.balance -= min(position.credit, max(.zero, position.balance))
        if !net.collectablePastDue.isPositive {  // covered whole: nothing is late any more, as when paid
            net.oldestDaysPastDue = 0
            // What falls due next still counts for a courtesy level, unless the credit covers it too.
            net.mostDaysPastDue = (net.balance - net.disputed).isPositive ? position.nearestNotDueDays : nil
        }
        return net
    }

    /// What is still owed on promises not yet due and on instalments of payment plans in good
    /// standing (none broken, some still to come): the part of the overdue balance they replace.
    public static func promisedCover(_ judged: [JudgedPromise]) -> Money {
        var broken: Set<String> = []
        for promise in judged where promise.state == .broken || promise.state == .partiallyKept {
            if let plan = promise.promise.plan { broken.insert(plan) }
        }
        return judged.reduce(.zero) { total, promise in
            guard promise.state == .pending, promise.promise.plan.map({ !broken.contains($0) }) ?? true else { return total }
            return total + max(.zero, promise.promise.amount - promise.paid)
        }
    }

    /// `position` as dunning weighs it: past due less what is `covered` (a promise not yet due, a kept plan, unapplied
    /// credit); nil when that covers all of it (nothing escalates, and the level is neither
    /// raised nor resolved). The cover pays the oldest items first, as a payment under the rule
    /// would: the age that triggers a level is the oldest item left, not one a promise covers.
    static func escalating(_ position: Position, covered: Money, in book: borrowing Book, asOf day: Day) -> Position? {
        guard covered.isPositive else { return position }
        guard covered < position.collectablePastDue else { return nil }
        var weighed = position
        weighed.collectablePastDue -= covered
        // Credit alone: the position has weighed it already; a promise's cover needs the items again.
        weighed.oldestDaysPastDue = covered == position.credit ? position.oldestDaysPastDueNetOfCredit
            : oldestDaysPastDue(of: position.customer, beyond: covered, in: book, asOf: day)
        return weighed
    }

    /// The days past due of the oldest collectable item that `covered`, taken oldest first, leaves unpaid.
    static func oldestDaysPastDue(of customer: CustomerID, beyond covered: Money, in book: borrowing Book, asOf day: Day) -> Int {
        guard let place = book.customerPlaces[customer] else { return 0 }
        var pastDue: [(days: Int, collectable: Money)] = []
        OpenItems.visit(place: place, in: book, asOf: day) { _, _, item in
            let days = day.days(since: item.due)
            if days > 0 && item.collectable.isPositive { pastDue.append((days, item.collectable)) }
        }
        return Position.oldest(of: pastDue, beyond: covered)
    }

    /// Whether a run resolves a customer at `current` back to level 0: it no longer qualifies for
    /// the first level (with a pre-due courtesy level that is "nothing due soon", not "nothing past
    /// due", which would drop a customer reminded before the due date straight back to 0).
    public static func resolves(position: Position, current: Int, policy: Policy) -> Bool {
        // Levels are numbered 1, 2, 3 ... in order (the policy file refuses others): the first is first.
        guard current > 0, let first = policy.dunningLevels.first else { return false }
        return !triggered(first, position: position)
    }

    /// The one level after `current`, if it is due now.
    public static func nextLevel(position: Position, current: Int, policy: Policy, asOf day: Day) -> DunningLevel? {
        guard let next = policy.dunningLevels.first(where: { $0.level == current + 1 }) else { return nil }
        guard triggered(next, position: position) else { return nil }
        if let last = position.lastContact, day.days(since: last) < policy.quietDays { return nil }
        return next
    }

    /// Whether a level's trigger and tolerance hold, quiet days aside. A pre-due level (trigger
    /// ≤ 0) fires once the nearest collectable due date is within its days (not as soon as anything
    /// is owed) and weighs the whole undisputed balance; later levels weigh what is past due.
    static func triggered(_ level: DunningLevel, position: Position) -> Bool {
        if level.triggerDays <= 0 {
            guard let days = position.mostDaysPastDue, days >= level.triggerDays else { return false }
            return position.balance - position.disputed >= level.minimumOverdue
        }
        return position.oldestDaysPastDue >= level.triggerDays && position.collectablePastDue >= level.minimumOverdue
    }
}
