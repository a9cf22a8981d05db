/// Why a customer is in today's queue, and what that reason is worth.
public struct QueueReason: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case callbackDue = "callback due", brokenPromise = "broken promise", levelDue = "level due"
        /// A payment came back unpaid (reversed) and nobody has spoken to the customer since.
        case paymentReversed = "payment reversed"
        /// The next level is due but waits for a manager's approval of this one, or was refused:
        /// someone must follow it up (without it the customer would drop out of the queue).
        case levelHeld = "level held"
        case newlyPastDue = "newly past due", noContact = "no contact", pastDue = "past due", oldestItem = "oldest item", grade, overLimit = "over limit"
    }
    public var kind: Kind
    public var points: Int
    /// What the reason is about, kept as values and put in words only when shown: formatting
    /// every reason of a 50,000-customer queue cost a fifth of building it.
    public var about: About
    /// The reason in words, amounts in the book's currency.
    public func detail(in currency: Currency, chinese: Bool = false) -> String { about.text(in: currency, chinese: chinese) }

    public enum About: Sendable, Equatable {
        case callback(Day)
        case promise(amount: Money, due: Day, paid: Money)
        /// The payment reversed last, its amount and the day it was reversed.
        case reversal(payment: String, amount: Money, on: Day)
        /// A level to send; `chineseName` is what a Chinese screen shows (see `DunningLevel`).
        case level(Int, name: String, chineseName: String? = nil)
        /// The level whose approval is waited for or was refused.
        case held(Int, name: String, chineseName: String? = nil, refused: Bool)
        case days(Int)
        case pastDue(Money)
        case grade(RiskGrade)
        /// The credit limit, and how far what is owed is past it.
        case limit(Money, over: Money)

        public func text(in currency: Currency, chinese: Bool = false) -> String {
            let money = { (amount: Money) in currency.format(amount, grouping: ",") }
            if chinese { return chineseText(money) }
            switch self {
            case .callback(let day): return "callback \(day.iso)"
            case .promise(let amount, let due, let paid): return "promised \(money(amount)) by \(due.iso), paid \(money(paid))"
            case .reversal(let payment, let amount, let on): return "\(payment) \(money(amount)) returned \(on.iso)"
            case .level(let level, let name, _): return "level \(level) \(name) due"  // not reached yet: due
            case .held(let level, let name, _, let refused):
                return "level \(level) \(name) " + (refused ? "refused by a manager: follow it up" : "waits for a manager's approval")
            case .days(let days): return days == 1 ? "1 day" : "\(days) days"
            case .pastDue(let amount): return "\(money(amount)) past due"
            case .grade(let grade): return "grade \(grade.rawValue)"
            case .limit(let limit, let over): return "\(money(over)) over its limit of \(money(limit))"
            }
        }

        private func chineseText(_ money: (Money) -> String) -> String {
            switch self {
            case .callback(let day): return "回访 \(day.iso)"
            case .promise(let amount, let due, let paid): return "承诺 \(due.iso) 前付 \(money(amount))，已付 \(money(paid))"
            case .reversal(let payment, let amount, let on): return "\(payment) \(money(amount)) 于 \(on.iso) 被退回"
            case .level(let level, let name, let chineseName): return "应升至第 \(level) 级 \(chineseName ?? name)"
            case .days(let days): return "\(days) 天"
            case .pastDue(let amount): return "逾期 \(money(amount))"
            case .grade(let grade): return "等级 \(grade.rawValue)"
            case .limit(let limit, let over): return "超出信用额度（\(money(limit))）\(money(over))"
            case .held(let level, let name, let chineseName, let refused):
                return "第 \(level) 级 \(chineseName ?? name)：" + (refused ? "已被经理驳回，请跟进" : "待经理审批")
            }
        }
    }
}

public struct QueueItem: Sendable, Equatable {
    public var customer: CustomerID
    public var position: Position
    public var reasons: [QueueReason]
    public var level: Int
    public var nextLevel: Int?
    public var callbackDue: Day?
    /// A callback asked for a later day: what the row waits for besides its reasons.
    public var callbackAhead: Day? = nil
    public var promiseDue: Day?
    public var worked: Bool
    public var claimedBy: String?
    public var priority: Int { reasons.reduce(0) { $0 + $1.points } }
    /// What to ask the customer for (see `Position.toCollect`).
    public var toCollect: Money { position.toCollect }
}

/// Where an item stands in the queue's order (see `Worklist.order`), taken from it once.
public struct QueueRank: Comparable, Sendable {
    let worked: Bool
    let priority: Int
    let pastDue: Money
    let customer: CustomerID

    public init(_ item: borrowing QueueItem) {  // lent, not copied: a queue takes the ranks of thousands
        worked = item.worked; priority = item.priority; pastDue = item.position.pastDue; customer = item.customer
    }

    public static func < (a: QueueRank, b: QueueRank) -> Bool {
        if a.worked != b.worked { return !a.worked }  // what is left to work first
        if a.priority != b.priority { return a.priority > b.priority }
        if a.pastDue != b.pastDue { return a.pastDue > b.pastDue }
        return a.customer < b.customer
    }
}

/// Today's call queue: who to call and why, with a priority that is the sum of named rule points.
public enum Worklist {
    /// `viewer` is a collector (own and unassigned customers, claims by others hidden); nil is a
    /// manager's view of everyone, optionally narrowed to one `collector`.
    public static func build(book: Book, policy: Policy, asOf day: Day, viewer: String? = nil,
                             collector: String? = nil) -> [QueueItem] {
        // Read through a shared reference: a struct captured by the threads' closure was copied
        // (a retain of every table) for each customer.
        let shared = SharedBook(book)
        return sorted(Array(book.ledgers.indices).compactMapOnAllCores { place in
            entry(place, book: shared.book, policy: policy, asOf: day, viewer: viewer, collector: collector)
        })
    }

    private static func entry(_ place: Int, book: borrowing Book, policy: Policy, asOf day: Day, viewer: String?,
                              collector: String?) -> QueueItem? {
        guard isListed(place, book: book, viewer: viewer, collector: collector, asOf: day) else { return nil }
        let position = Position(place: place, in: book, asOf: day)
        return item(place, position: position, judged: Promises.judge(place: place, in: book, asOf: day), book: book, policy: policy, asOf: day)
    }

    /// Whether `customer` belongs in the queue of `viewer` (a collector; nil for anyone's) as of `day`.
    public static func isListed(_ customer: CustomerID, in book: Book, viewer: String?, asOf day: Day) -> Bool {
        guard let place = book.customerPlaces[customer] else { return false }
        return isListed(place, book: book, viewer: viewer, collector: nil, asOf: day)
    }

    /// Whether the customer at `place` belongs in the queue of `viewer` (or of `collector`, an
    /// empty name meaning no collector's, or anyone's), by its status and collector as of `day`.
    private static func isListed(_ place: Int, book: borrowing Book, viewer: String?, collector: String?, asOf day: Day) -> Bool {
        let (status, assigned) = book.withCustomer(atPlace: place, asOf: day) { ($0.status, $0.collector) }
        switch status { case .closed, .legal, .agency: return false; default: break }
        if let viewer {
            guard assigned == nil || assigned == viewer else { return false }
            if !book.noClaims(on: day), let holder = book.claimHolder(of: book.ledgers[place].customer.id, on: day), holder != viewer { return false }
        }
        if let collector, (assigned ?? "") != collector { return false }
        return true
    }

    /// For each customer at `places` (all, in the order customers were added, by default),
    /// `summary` of the customer with its position and its promises judged; and `viewer`'s queue
    /// entries among them, in the same order (not sorted). What the screens show of every
    /// customer, computed in one pass on every core; the customer is lent to `summary`, not copied.
    public static func standings<Summary: Sendable>(
        book: Book, policy: Policy, asOf day: Day, viewer: String? = nil, places: [Int]? = nil,
        summary: (borrowing Customer, Position, [JudgedPromise]) -> Summary
    ) -> (summaries: [Summary], queue: [QueueItem]) {
        book.mapPlacesOnAllCores(places) { place, book -> (Summary, QueueItem?) in
            let position = Position(place: place, in: book, asOf: day)
            let judged = Promises.judge(place: place, in: book, asOf: day)
            let listed = isListed(place, book: book, viewer: viewer, collector: nil, asOf: day)
            return (book.withCustomer(atPlace: place, asOf: day) { summary($0, position, judged) },
                    listed ? item(place, position: position, judged: judged, book: book, policy: policy, asOf: day) : nil)
        }
    }

    /// `items` in `order`, comparing their ranks taken once: a priority is a sum over reasons, and
    /// recomputing it (and copying the items) in every comparison of a 50,000-item sort costs more
    /// than the sort.
    public static func sorted(_ items: [QueueItem]) -> [QueueItem] {
        let ranks = items.map(QueueRank.init)
        return items.indices.sorted { ranks[$0] < ranks[$1] }.map { items[$0] }
    }

    /// What is left to work before what was worked today; then highest priority first, the
    /// larger past due, the id: a stable order.
    public static func order(_ a: QueueItem, _ b: QueueItem) -> Bool { QueueRank(a) < QueueRank(b) }

    static func item(_ place: Int, position: Position, judged: [JudgedPromise], book: borrowing Book, policy: Policy,
                     asOf day: Day) -> QueueItem? {
        let id = book.ledgers[place].customer.id
        let points = policy.queue
        var reasons: [QueueReason] = []
        let contact = ContactHistory(place: place, book: book, asOf: day)
        let (lastReached, reversal, worked) = (contact.lastReached, contact.unansweredReversal, contact.workedToday)
        let callbackDue = contact.callback.flatMap { $0.day <= day ? $0.day : nil }
        if let callbackDue {
            reasons.append(QueueReason(kind: .callbackDue, points: points.callbackDue, about: .callback(callbackDue)))
        }
        // What is past due and not disputed, less the customer's unapplied cash and credit notes:
        // a customer whose credit covers it owes nothing net, and is not chased for money (as a
        // dunning run leaves it alone); a callback asked for still brings it.
        let owedNet = position.collectablePastDue - position.credit
        let owesNet = owedNet.isPositive
        let broken = judged.filter { ($0.state == .broken || $0.state == .partiallyKept) && $0.judgedOn.adding(days: 1) > lastReached }
        if owesNet, let latest = broken.last {  // the one that broke last is what to ask about
            reasons.append(QueueReason(kind: .brokenPromise, points: points.brokenPromise * broken.count,
                                       about: .promise(amount: latest.promise.amount, due: latest.promise.due, paid: latest.paid)))
        }
        // A payment reversal not talked over yet: the customer is to be told, and asked to pay
        // again (a promise the payment kept is broken now, and counted above as well). Whether
        // or not what it paid is past due: the money sent did not arrive, which is worth a call
        // on its own (a bounced prepayment too); only a customer who owes nothing net is spared.
        let owesUndisputed = (position.balance - position.disputed - position.credit).isPositive
        if owesUndisputed, let reversal, let payment = book.payments[reversal], let reversed = book.reversals[reversal] {
            reasons.append(QueueReason(kind: .paymentReversed, points: points.paymentReversed,
                                       about: .reversal(payment: payment.reference, amount: payment.amount, on: reversed.day)))
        }
        let pending = judged.first { $0.state == .pending }
        let standing = Dunning.LevelStanding(id, in: book, asOf: day)
        // The level a run would move to (the run's own rule: none while a promise, a plan or credit covers
        // the overdue, none when the run would resolve the level instead). Asked once, as if any
        // approval the level waits for were given: with it missing, the move is held instead.
        var next: DunningLevel?
        var free = standing
        free.approvalMissing = false
        if case .move(let level, _)? = Dunning.step(position, judged: judged, standing: free, policy: policy, asOf: day, in: book) {
            if standing.approvalMissing {
                let current = policy.dunningLevels.first { $0.level == standing.level }
                let refused = book.dunningRequest(of: id, asOf: day).map { if case .rejected = $0.state { true } else { false } } ?? false
                reasons.append(QueueReason(kind: .levelHeld, points: points.levelDue,
                                           about: .held(standing.level, name: current?.name ?? "", chineseName: current?.chineseName, refused: refused)))
            } else {
                next = level
                reasons.append(QueueReason(kind: .levelDue, points: points.levelDue, about: .level(level.level, name: level.name, chineseName: level.chineseName)))
            }
        }
        let aboveTolerance = owesNet && owedNet >= points.tolerance
        // Newly past due, and nobody has spoken with the customer (a call that reached it, a
        // promise, a plan) since that item fell due: once they have, it is no news to call about.
        // A call on the due day itself (a reminder) was before it was late.
        if aboveTolerance, let newest = position.newestDaysPastDue, newest <= points.newlyPastDueDays,
           lastReached <= day.adding(days: -newest) {
            reasons.append(QueueReason(kind: .newlyPastDue, points: points.newlyPastDue, about: .days(newest)))
        }
        // Past due and not called for a while, with no promise or callback to wait for and no
        // other reason to be here (it brings a customer back; it does not add to one already in):
        // counted from the last call, or from when the oldest item fell due if none came since.
        if reasons.isEmpty, points.noContactDays > 0, aboveTolerance, pending == nil, contact.callback.map({ $0.day <= day }) ?? true, position.oldestDaysPastDue > 0 {
            let since = max(contact.lastCall, day.adding(days: -position.oldestDaysPastDue))
            let quiet = day.days(since: since)
            if quiet >= points.noContactDays {
                reasons.append(QueueReason(kind: .noContact, points: points.noContact, about: .days(quiet)))
            }
        }
        // A customer worked today stays in today's queue, ticked, though nothing is due any more:
        // the day's count of worked items is the same on every screen and after a restart.
        guard !reasons.isEmpty || worked else { return nil }
        // Weights that rank the entries; they never put a customer in the queue on their own (nor
        // rank one kept only because it was worked today: it goes to the end, at 0).
        let weighs = !reasons.isEmpty
        // What a pending promise or a plan in good standing covers is weighed no more (a customer
        // who just promised it all is not ranked above one not yet called), as dunning weighs it:
        // the cover pays the oldest items first.
        let cover = weighs ? Dunning.promisedCover(judged) : .zero
        let uncovered = max(.zero, owedNet - cover)
        let thousands = Int(uncovered.minorUnits / (1_000 * book.currency.scale))  // whole thousands, in any currency (none when owing nothing net)
        if weighs && thousands > 0 {
            reasons.append(QueueReason(kind: .pastDue, points: min(points.pastDueCap, thousands * points.perThousandPastDue),
                                       about: .pastDue(uncovered)))  // what the points weigh: net of credit and of what is promised
        }
        // The oldest item the customer's own credit (and a promise's cover) leaves, taken oldest
        // first as applying it would: the rank is the same before the credit is applied and
        // after, as the hold advice is.
        let oldest = cover.isPositive ? Dunning.oldestDaysPastDue(of: id, beyond: cover + position.credit, in: book, asOf: day)
            : position.oldestDaysPastDueNetOfCredit
        if weighs && owesNet && oldest > 0 {
            reasons.append(QueueReason(kind: .oldestItem, points: min(points.oldestCap, oldest / max(1, points.dayDivisor) * points.perDayOldest),
                                       about: .days(oldest)))
        }
        let (grade, limit) = book.withCustomer(atPlace: place, asOf: day) { ($0.grade, $0.creditLimit) }  // as they stood then
        if weighs, let grade, let p = points.gradePoints[grade], p > 0 {
            reasons.append(QueueReason(kind: .grade, points: p, about: .grade(grade)))
        }
        if weighs && Credit.overLimit(balance: position.owed, limit: limit) {
            reasons.append(QueueReason(kind: .overLimit, points: points.overLimit, about: .limit(limit, over: position.owed - limit)))
        }
        return QueueItem(customer: id, position: position, reasons: reasons, level: standing.level, nextLevel: next?.level,
                         callbackDue: callbackDue, callbackAhead: contact.callback.flatMap { $0.day > day ? $0.day : nil },
                         promiseDue: pending?.promise.due, worked: worked,
                         claimedBy: book.noClaims(on: day) ? nil : book.claimHolder(of: id, on: day))
    }
}
