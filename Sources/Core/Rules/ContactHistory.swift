/// What a customer's activities say of contact with it as of a day, read in the order they were
/// recorded: the callback asked for and not answered yet, the day the customer was last spoken
/// with (a call that reached nobody is an attempt, not contact), a payment
/// returned unpaid and not talked over since, and whether it was marked worked that day. The
/// queue's reasons start from it; the callback form shows the callback a new one replaces.
struct ContactHistory {
    /// The callback asked for and not answered yet, with the note it was asked with.
    private(set) var callback: (day: Day, note: String)?
    private(set) var lastReached = Day(ordinal: Int32.min)
    /// The day of the last call, whether it reached anyone or not (a wrong number aside: the
    /// customer's phone never rang), or agreement: work done on the account, from which the
    /// queue's "no contact" counts (an account tried yesterday is not neglected, though nobody answered).
    private(set) var lastCall = Day(ordinal: Int32.min)
    /// The payment of the last reversal (returned unpaid) recorded with no call or agreement after it.
    private(set) var unansweredReversal: String?
    private(set) var workedToday = false

    init(place: Int, book: borrowing Book, asOf day: Day) {
        var callback: (day: Day, note: String)?
        var lastReached = Day(ordinal: Int32.min)
        var lastCall = Day(ordinal: Int32.min)
        var reversal: String?
        var worked = false
        // The action of the last dunning level set, and whether the callback is the call task
        // that level's run made (written right after the level, in the same action): a run that
        // resolves the level takes its task back, so that a customer who paid up is not called.
        var levelAction: UInt64?
        var callbackIsDunningTask = false
        book.visitActivities(place: place, asOf: day) { activity in
            let on = activity.pointee.stamp.day
            if activity.pointee.kind.isCallOrAgreement { lastCall = on }
            switch activity.pointee.kind {
            case .paymentReversed(let payment, _) where book.reversals[payment]?.cause == .returned:
                reversal = payment  // a correction of a payment entered in error is not the customer's doing
            case .call(let outcome, let note, let next?):  // a call that names a callback reschedules it
                callback = (next, note)
                // Asked for by the customer, the callback is theirs; tried again after no answer,
                // it is still the run's task.
                if outcome.reachedCustomer {
                    callbackIsDunningTask = false
                    lastReached = on
                    reversal = nil
                }
            case .callback(let asked, let note):
                callback = (asked, note)
                callbackIsDunningTask = levelAction == activity.pointee.stamp.actionStart
            case .dunning(let level):
                levelAction = activity.pointee.stamp.actionStart
                if level == 0 && callbackIsDunningTask { callback = nil }
            case .call(let outcome, _, nil) where !outcome.reachedCustomer:
                break  // an attempt (no answer, a message, a wrong number): everything still stands
            case .call(_, _, nil), .promise, .plan:
                // A call that spoke with the customer and names no callback, or an agreement,
                // answers the callback asked for by then (a call the day before leaves it).
                lastReached = on
                reversal = nil
                if let asked = callback, on >= asked.day { callback = nil }
            case .worked where on == day: worked = true
            default: break
            }
        }
        // A return dated by `day` but entered after it (the bank's notice came late) was not
        // talked over by then either: a view of that day names it, as its aging counts it owed.
        if book.ledgers[place].reversed.contains(where: { $0.day <= day }) {
            for activity in book.timelineByPlace[place] where activity.undoneBy == nil && activity.stamp.day > day {
                if case .paymentReversed(let payment, _) = activity.kind, let reversed = book.reversals[payment],
                   reversed.cause == .returned, reversed.day <= day {
                    reversal = payment
                }
            }
        }
        self.callback = callback
        self.lastReached = lastReached
        self.lastCall = lastCall
        self.unansweredReversal = reversal
        self.workedToday = worked
    }
}

extension Worklist {
    /// The callback `customer` was asked for and has not had yet, as of `day` (due or ahead): a
    /// new one replaces it.
    public static func pendingCallback(of customer: CustomerID, in book: Book, asOf day: Day) -> (day: Day, note: String)? {
        guard let place = book.customerPlaces[customer] else { return nil }
        return ContactHistory(place: place, book: book, asOf: day).callback
    }
}
