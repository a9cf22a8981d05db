/// What each collector did over a period [绩效考核]: contacts made, promises taken and how much of
/// them was kept, cash collected on their assigned customers, and queue items worked.
public struct CollectorFigures: Sendable, Equatable {
    /// "" for the customers of no collector (their customers and cash; contacts and promises are
    /// by who made them, always someone).
    public var collector: String
    /// Calls (any outcome) and documents sent.
    public var contacts = 0
    /// Of the calls, those that reached the customer (not no answer, a message left or a wrong number).
    public var reached = 0
    public var promisesTaken = 0
    /// The promises judged in the period (their date and tolerance passed in it, not replaced),
    /// whenever they were taken: what `promisedAmount` and `promisedAmountKept` are over.
    public var promisesDue = 0
    /// Of the judged ones, those kept in full (DOMAIN's PTP kept rate is this over `promisesDue`:
    /// one partly kept counts against it, as in the workstation's rate by count).
    public var promisesKept = 0
    /// Promised, and paid of it, over the promises judged in the period.
    public var promisedAmount = Money.zero
    public var promisedAmountKept = Money.zero
    public var cashCollected = Money.zero
    /// Customers marked worked: one per customer and day a "worked" was recorded by this user.
    public var itemsWorked = 0
    /// Customers of theirs in the queue on `queueDay` (see `compute`); nil when no queue was built.
    public var queued: Int?
    public var customers = 0

    /// Per collector for the days `from`...`to`. Contacts are calls and documents sent (letters
    /// and statements) by that user, not the letters a dunning run sends (whoever ran it did not
    /// write to each customer); promises count by who took them, taken in the period and judged in it; cash is
    /// payments dated in the period, each for the collector the customer was assigned to on its
    /// day (a customer handed over keeps its earlier cash with whoever collected it).
    ///
    /// Worked vs queued: keeping every day's queue size would mean building the worklist once per
    /// day of the period, which is too slow on a large book. So `queued` is a snapshot: the
    /// customers assigned to the collector that are in the manager's worklist on `queueDay`
    /// (usually today), given a `policy`. Without a policy it is nil.
    public static func compute(book: Book, from: Day, to: Day, policy: Policy? = nil, queueDay: Day? = nil) -> [CollectorFigures] {
        var figures: [String: CollectorFigures] = [:]
        func touch(_ name: String) { if figures[name] == nil { figures[name] = CollectorFigures(collector: name) } }
        for place in book.customerOrder.indices {
            // Assigned as of the period's end: a customer handed over since still counts for
            // whoever had it then.
            if book.hasCustomer(book.customerOrder[place], on: to) {
                let collector = book.withCustomer(atPlace: place, asOf: to, { $0.collector }) ?? ""
                touch(collector)
                figures[collector]!.customers += 1
            }
            for receipt in book.ledgers[place].receipts where receipt.day >= from && receipt.day <= to {
                let collector = book.withCustomer(atPlace: place, asOf: receipt.day, { $0.collector }) ?? ""
                touch(collector)
                figures[collector]!.cashCollected += receipt.amount
            }
            // Cash that came back is taken off the period it came back in, from whoever was
            // credited with it (the collector on the payment's day: a customer handed over in
            // between does not cost the new collector cash they never collected).
            for reversed in book.ledgers[place].reversed where reversed.day >= from && reversed.day <= to {
                let payment = book.paymentList[reversed.position]
                let collector = book.withCustomer(atPlace: place, asOf: payment.day, { $0.collector }) ?? ""
                touch(collector)
                figures[collector]!.cashCollected -= payment.amount
            }
            var worked: Set<WorkedKey> = []  // marking the same customer worked twice in a day is one item
            var previous: Activity.Kind?
            for activity in book.timelineByPlace[place] where activity.undoneBy == nil && activity.stamp.day >= from && activity.stamp.day <= to {
                defer { previous = activity.kind }
                switch activity.kind {
                case .documentSent(.letter, _) where previous?.isDunningLevel == true:
                    break  // the run's letter, written right after the level it set
                case .call(let outcome, _, _):
                    touch(activity.stamp.author)
                    figures[activity.stamp.author]!.contacts += 1
                    if outcome.reachedCustomer { figures[activity.stamp.author]!.reached += 1 }
                case .documentSent: touch(activity.stamp.author); figures[activity.stamp.author]!.contacts += 1
                case .worked where worked.insert(WorkedKey(author: activity.stamp.author, day: activity.stamp.day)).inserted:
                    touch(activity.stamp.author); figures[activity.stamp.author]!.itemsWorked += 1
                default: break
                }
            }
            for judged in Promises.judge(place: place, in: book, asOf: to) {
                let name = judged.promise.takenBy
                if judged.promise.taken >= from && judged.promise.taken <= to {
                    touch(name)
                    figures[name]!.promisesTaken += 1
                }
                // The kept share is over promises judged in the period (DOMAIN: past date +
                // tolerance), whenever taken, as the workstation's kept rate is: one still pending
                // is neither kept nor not, and one whose tolerance runs to the month's last day
                // is judged in the next month's figures (by the month it was taken, in neither).
                guard judged.isJudged(by: to), !judged.isJudged(by: from.adding(days: -1)) else { continue }
                touch(name)
                figures[name]!.promisesDue += 1
                if judged.state == .kept { figures[name]!.promisesKept += 1 }
                figures[name]!.promisedAmount += judged.promise.amount
                figures[name]!.promisedAmountKept += min(judged.paid, judged.promise.amount)
            }
        }
        if let policy {
            var queued: [String: Int] = [:]
            let day = queueDay ?? to
            for item in Worklist.build(book: book, policy: policy, asOf: day) {
                queued[book.customer(item.customer, asOf: day)?.collector ?? "", default: 0] += 1
            }
            for name in figures.keys { figures[name]!.queued = queued[name] ?? 0 }
            for (name, count) in queued where figures[name] == nil {
                figures[name] = CollectorFigures(collector: name, queued: count)
            }
        }
        return figures.values.sorted { $0.collector < $1.collector }
    }
}

extension CollectorFigures {
    /// Every row added up (the report's total: the cash column then adds up to what came in).
    public static func total(of figures: [CollectorFigures]) -> CollectorFigures {
        var total = CollectorFigures(collector: "")
        for f in figures {
            total.customers += f.customers; total.contacts += f.contacts; total.reached += f.reached; total.itemsWorked += f.itemsWorked
            total.promisesTaken += f.promisesTaken; total.promisesDue += f.promisesDue; total.promisesKept += f.promisesKept
            if let queued = f.queued { total.queued = (total.queued ?? 0) + queued }
            total.promisedAmount += f.promisedAmount; total.promisedAmountKept += f.promisedAmountKept
            total.cashCollected += f.cashCollected
        }
        return total
    }
}

private struct WorkedKey: Hashable { var author: String; var day: Day }
