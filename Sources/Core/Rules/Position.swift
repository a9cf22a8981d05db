/// Where a customer stands as of a day: what it owes, how late, what is disputed, when it was last
/// contacted. Computed in one pass over its documents and timeline; the queue, the screens and
/// the credit rules all start from it.
public struct Position: Sendable, Equatable {
    public var customer: CustomerID
    public var balance: Money = .zero
    public var pastDue: Money = .zero
    public var disputed: Money = .zero
    /// Past due and not disputed: what escalation, fees and interest apply to.
    public var collectablePastDue: Money = .zero
    /// Days past due of the oldest open non-disputed item (0 when nothing is past due).
    public var oldestDaysPastDue = 0
    /// Days past due of the most overdue open non-disputed item, negative while nothing is due
    /// yet (−5 = due in five days); nil without such an item. Pre-due courtesy levels use it.
    public var mostDaysPastDue: Int?
    /// Days past due (0 or negative) of the open non-disputed item due soonest from today on; nil
    /// without one. What `mostDaysPastDue` is once credit covers everything already past due.
    public var nearestNotDueDays: Int?
    /// Days past due of the most recently overdue open non-disputed item (nil when nothing is
    /// past due): the queue's "newly past due".
    public var newestDaysPastDue: Int?
    /// Days past due of the oldest collectable item the customer's unapplied credit leaves
    /// unpaid, the credit taken oldest first as applying it would (0 when it covers everything
    /// past due): what the hold rule weighs, the same before and after the credit is applied.
    public var oldestDaysPastDueNetOfCredit = 0
    public var openItems = 0
    /// Unapplied cash and credit notes as of the day.
    public var credit: Money = .zero
    /// The balance net of that credit: what the customer owes all told, and what a credit limit
    /// is weighed against.
    public var owed: Money { balance - min(credit, balance) }
    /// What to ask the customer for: past due, less what is disputed and the unapplied credit
    /// (as the letters net it), never below zero.
    public var toCollect: Money { max(.zero, collectablePastDue - credit) }
    public var lastContact: Day?
    public var lastDocumentSent: Day?

    public init(customer: CustomerID) { self.customer = customer }

    public init(_ customer: CustomerID, in book: Book, asOf day: Day) {
        guard let place = book.customerPlaces[customer] else { self.init(customer: customer); return }
        self.init(place: place, in: book, asOf: day)
    }

    /// The same for the customer at `place` in the book's ledgers.
    init(place: Int, in book: borrowing Book, asOf day: Day) {
        self.customer = book.ledgers[place].customer.id
        credit = Position.credit(book.ledgers[place].credits, asOf: day)
        // With credit, the past-due items are kept as visited, to find the oldest the credit
        // leaves (a second visit of the customer's invoices made the queue a quarter slower).
        var pastDueItems: [(days: Int, collectable: Money)] = []
        let weighsCredit = credit.isPositive
        OpenItems.visit(place: place, in: book, asOf: day) { _, _, item in
            let daysPastDue = day.days(since: item.due)
            balance += item.open
            openItems += 1
            disputed += item.disputed
            let collectable = item.collectable
            if collectable.isPositive { mostDaysPastDue = max(mostDaysPastDue ?? daysPastDue, daysPastDue) }
            if collectable.isPositive && daysPastDue <= 0 { nearestNotDueDays = max(nearestNotDueDays ?? daysPastDue, daysPastDue) }
            if daysPastDue > 0 {
                pastDue += item.open
                collectablePastDue += collectable
                if collectable.isPositive {
                    oldestDaysPastDue = max(oldestDaysPastDue, daysPastDue)
                    newestDaysPastDue = min(newestDaysPastDue ?? daysPastDue, daysPastDue)
                    if weighsCredit { pastDueItems.append((daysPastDue, collectable)) }
                }
            }
        }
        oldestDaysPastDueNetOfCredit = weighsCredit ? Position.oldest(of: pastDueItems, beyond: credit) : oldestDaysPastDue
        book.visitActivities(place: place, asOf: day) { activity in
            let on = activity.pointee.stamp.day
            switch activity.pointee.kind {
            case let kind where kind.isCallOrAgreement: lastContact = max(lastContact ?? on, on)  // a promise agreed: they were reached
            case .documentSent:
                lastContact = max(lastContact ?? on, on)
                lastDocumentSent = max(lastDocumentSent ?? on, on)
            default: break
            }
        }
    }

    /// The days past due of the oldest of `items` that `covered`, taken oldest first, leaves
    /// unpaid (0 when it covers them all).
    static func oldest(of items: [(days: Int, collectable: Money)], beyond covered: Money) -> Int {
        var left = covered
        for item in items.sorted(by: { $0.days > $1.days }) {
            if item.collectable > left { return item.days }
            left -= item.collectable
        }
        return 0
    }

    /// Unapplied cash and unapplied credit notes dated on or before `day`.
    static func credit(_ credits: [(day: Day, amount: Money)], asOf day: Day) -> Money {
        var total = Money.zero
        for credit in credits where credit.day <= day { total += credit.amount }
        return total
    }
}
