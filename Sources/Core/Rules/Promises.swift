/// How a promise to pay stands as of a day.
public enum PromiseState: String, Sendable, Equatable {
    /// Its date plus tolerance has not passed yet.
    case pending
    case kept
    case partiallyKept = "partially kept"
    case broken
    /// Renegotiated: another promise or plan was agreed while it was still open, and takes its
    /// place. Neither kept nor broken (a customer who pays the new date in full has kept its word).
    case replaced

    /// Kept, partly kept or broken: what a kept rate is over (one pending or replaced is neither).
    public var isDecided: Bool { self != .pending && self != .replaced }
}

public struct JudgedPromise: Sendable, Equatable {
    public var promise: Promise
    public var state: PromiseState
    public var paid: Money
    /// The day the promise was judged: its date plus tolerance.
    public var judgedOn: Day { promise.due.adding(days: promise.toleranceDays) }
    /// Judged by `day` (DOMAIN: after date + tolerance) and not replaced: what the kept rate is
    /// over. A promise paid in full early reads kept at once, but counts in the rate only from
    /// then, as a broken one does (counting it before made the rate read high).
    public func isJudged(by day: Day) -> Bool { state.isDecided && judgedOn < day }
}

public enum Promises {
    /// Judges a customer's promises as of `day`. Payments count toward the promise they fall under:
    /// those dated from the day it was taken up to its date plus tolerance. A payment is counted
    /// once, for the earliest-due promise it can serve, so overlapping promises are not all kept
    /// by the same money. A promise still open when a new one (or a plan) is agreed on a later day
    /// is replaced from that day: the customer renegotiated, and payments after it go to the new
    /// one. Promises taken the same day are a schedule (100 by the 5th, 300 by the 10th) and stand
    /// side by side.
    public static func judge(_ customer: CustomerID, in book: Book, asOf day: Day) -> [JudgedPromise] {
        guard let place = book.customerPlaces[customer] else { return [] }
        return judge(place: place, in: book, asOf: day)
    }

    /// Every customer's promises judged as of `day`, in the order customers were added, on every core.
    public static func judgeAll(in book: Book, asOf day: Day) -> [JudgedPromise] {
        book.mapPlacesOnAllCores { place, book in judge(place: place, in: book, asOf: day) }.flatMap { $0 }
    }

    /// The promises still open on `day`: those taken on an earlier day, which an agreement made
    /// on `day` replaces, and those taken on `day`, each with what is left of it, which a new one
    /// that day adds to (promises of one day are a schedule).
    public static func standing(_ customer: CustomerID, in book: Book, on day: Day) -> (earlier: [Promise], sameDay: [(promise: Promise, left: Money)]) {
        let pending = judge(customer, in: book, asOf: day).filter { $0.state == .pending }
        return (pending.filter { $0.promise.taken < day }.map(\.promise),
                pending.filter { $0.promise.taken == day }.map { ($0.promise, $0.promise.amount - $0.paid) })
    }

    /// The same for the customer at `place` in the book's ledgers.
    static func judge(place: Int, in book: borrowing Book, asOf day: Day) -> [JudgedPromise] {
        let ids = book.promiseIDsByPlace[place]
        guard !ids.isEmpty else { return [] }
        var promises: [(promise: Promise, record: UInt64)] = []
        promises.reserveCapacity(ids.count)
        for (id, record) in ids {
            guard let promise = book.promises[id], promise.taken <= day,
                  book.undonePromises.isEmpty || !book.isUndone(promise: id) else { continue }
            promises.append((promise, record))
        }
        guard !promises.isEmpty else { return [] }
        promises.sort { ($0.promise.due, $0.promise.id) < ($1.promise.due, $1.promise.id) }
        // Only payments inside some promise's window can count; read just their day and amount
        // (this runs for every customer with promises when the queue is built).
        let agreements = promises.map { (day: $0.promise.taken, record: $0.record) }.sorted { ($0.day, $0.record) < ($1.day, $1.record) }
        let first = agreements[0].day
        let last = min(day, promises.lazy.map { $0.promise.due.adding(days: $0.promise.toleranceDays) }.max()!)
        // A payment reversed by `day` (a bounced cheque) kept nothing: the promise is judged as if
        // it had not come.
        var remaining: [Receipt] = []
        let reversed = book.ledgers[place].reversed  // the list alone: a copy of the ledger would retain all of its lists
        for receipt in book.ledgers[place].receipts where receipt.day >= first && receipt.day <= last
            && !reversed.includes(paymentAt: receipt.position, asOf: day) {
            remaining.append(receipt)
        }
        remaining.sort { $0.day < $1.day }  // stable: same-day payments keep the order they were recorded in
        return promises.map { promise, record in
            // The first agreement of a later day, if it was made while this one was open: this
            // one's payments are those before it (a payment recorded after it that day is the
            // new agreement's, made for what was left).
            let replacing = agreements.first { $0.day > promise.taken }.flatMap { $0.day <= promise.due.adding(days: promise.toleranceDays) ? $0 : nil }
            let replacedOn = replacing?.day
            let end = (day: replacedOn ?? promise.due.adding(days: promise.toleranceDays), record: replacing?.record ?? .max)
            // Payments from when it was taken: one recorded earlier that same day was already
            // there when the customer promised (the promise was for what was left).
            let taken = (day: promise.taken, record: record)
            var paid = Money.zero
            for index in remaining.indices where (remaining[index].day < end.day || (remaining[index].day == end.day && remaining[index].sequence < end.record))
                && (remaining[index].day > taken.day || (remaining[index].day == taken.day && remaining[index].sequence > taken.record)) {
                guard paid < promise.amount else { break }
                // A payment an earlier promise used up is passed over, not the end of the search:
                // stopping there judged a plan's second instalment broken though paid on time.
                let take = min(remaining[index].amount, promise.amount - paid)
                guard take.isPositive else { continue }
                paid += take
                remaining[index].amount -= take
            }
            let state: PromiseState
            if paid >= promise.amount { state = .kept }
            else if let replacedOn, replacedOn <= day { state = .replaced }
            else if day <= end.day { state = .pending }
            else { state = paid.isPositive ? .partiallyKept : .broken }
            return JudgedPromise(promise: promise, state: state, paid: paid)
        }
    }

    /// Kept ÷ (kept + broken) in basis points, and promised amount kept ÷ promised, over promises
    /// judged by `day` (`isJudged`); partially kept promises count as broken for the rate and by
    /// their paid part for the amount. Basis points (6,667 = 66.67 %), rounded half away from zero.
    public static func keptRate(_ judged: [JudgedPromise], asOf day: Day) -> (count: Int?, amount: Int?) {
        let decided = judged.filter { $0.isJudged(by: day) }
        guard !decided.isEmpty else { return (nil, nil) }
        let kept = decided.filter { $0.state == .kept }.count
        let promised = decided.reduce(Int64(0)) { $0 + $1.promise.amount.minorUnits }
        let paid = decided.reduce(Int64(0)) { $0 + min($1.paid, $1.promise.amount).minorUnits }
        // Rounded half away from zero like every other KPI (2 of 3 kept = 6,667, not 6,666).
        let count = Int(Rounding.divide(Int64(kept).multipliedFullWidth(by: 10_000), by: Int64(decided.count)))
        return (count, promised > 0 ? Int(Rounding.divide(paid.multipliedFullWidth(by: 10_000), by: promised)) : nil)
    }

    /// The kept rate over the promises judged in the `days` days ending `day` (their date and
    /// tolerance passed in that window): a recent figure, which all time would hide a change in.
    /// By the day each was judged, not its date: a kept promise and a broken one judged in the
    /// window both count, whatever their dates.
    public static func keptRate(_ judged: [JudgedPromise], judgedWithin days: Int, asOf day: Day) -> (count: Int?, amount: Int?) {
        // Judged from the day after `judgedOn`: the window's `days` days end on `day`, as a
        // collectors report from `day − days + 1` counts them.
        keptRate(judged.filter { $0.judgedOn >= day.adding(days: -days) }, asOf: day)
    }
}

private func < (a: (Day, String), b: (Day, String)) -> Bool { a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
