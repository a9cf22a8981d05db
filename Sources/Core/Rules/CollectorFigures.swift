/// What each collector did over a period [绩效考核]: contacts made, promises taken and how much of
/// them was kept, cash collected on their assigned customers, and queue items worked.
public struct CollectorFigures: Sendable, Equatable {
    public var collector: String
    public var contacts = 0
    public var promisesTaken = 0
    public var promisedAmount = Money.zero
    public var promisedAmountKept = Money.zero
    public var cashCollected = Money.zero
    public var itemsWorked = 0
    public var customers = 0

    /// Per collector for the days `from`...`to`. Contacts are calls and documents sent by that
    /// user; promises count by who took them, judged as of `to`; cash is payments dated in the
    /// period on customers assigned to them now.
    public static func compute(book: Book, from: Day, to: Day) -> [CollectorFigures] {
        var figures: [String: CollectorFigures] = [:]
        func touch(_ name: String) { if figures[name] == nil { figures[name] = CollectorFigures(collector: name) } }
        for id in book.customerOrder {
            guard let customer = book.customers[id] else { continue }
            if let collector = customer.collector {
                touch(collector)
                figures[collector]!.customers += 1
                for payment in book.payments(of: id) where payment.day >= from && payment.day <= to {
                    figures[collector]!.cashCollected += payment.amount
                }
            }
            for activity in book.timeline(of: id) where activity.undoneBy == nil && activity.stamp.day >= from && activity.stamp.day <= to {
                switch activity.kind {
                case .call, .documentSent: touch(activity.stamp.author); figures[activity.stamp.author]!.contacts += 1
                case .worked: touch(activity.stamp.author); figures[activity.stamp.author]!.itemsWorked += 1
                default: break
                }
            }
            for judged in Promises.judge(id, in: book, asOf: to) where judged.promise.taken >= from && judged.promise.taken <= to {
                let name = judged.promise.takenBy
                touch(name)
                figures[name]!.promisesTaken += 1
                figures[name]!.promisedAmount += judged.promise.amount
                figures[name]!.promisedAmountKept += min(judged.paid, judged.promise.amount)
            }
        }
        return figures.values.sorted { $0.collector < $1.collector }
    }
}
