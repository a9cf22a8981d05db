/// What the book says of a past day beyond its documents: who held a claim, what a customer's
/// profile was, which dunning level it stood at. Documents are filtered by their own dates where
/// they are read; these are kept as they change and looked up here.
extension Book {
    /// Who holds a claim on `customer` on `day`. A claim lasts the working day it was made on: one
    /// left from an earlier day (the holder went home, or away) no longer hides the customer from
    /// the other collectors. Nor does one made before the customer was assigned to another
    /// collector: the claim does not go with the customer, and would hide it from its new one.
    /// Read from that day's records alone, so a look back is not changed by a claim, a release or
    /// a hand-over of a later day.
    public func claimHolder(of customer: CustomerID, on day: Day) -> String? {
        guard let place = customerPlaces[customer] else { return nil }
        var holder: String?
        for activity in timelineByPlace[place] where activity.stamp.day == day && activity.undoneBy == nil {
            switch activity.kind {
            case .claimed: holder = activity.stamp.author
            case .released: holder = nil
            case .profile(.collector(let to?), _) where to != holder: holder = nil
            default: break
            }
        }
        return holder
    }

    /// Whether nobody held a claim on `day`, known without looking at any customer: no claim is
    /// held now and nothing was recorded after the day.
    public func noClaims(on day: Day) -> Bool { claims.isEmpty && day >= lastActivityDay }

    /// Every claim in force on `day`, by customer: today's are among the claims held now; a
    /// past day's may have been released or handed over since, so every customer is looked at.
    public func claims(on day: Day) -> [CustomerID: String] {
        let candidates = day >= lastActivityDay ? Array(claims.keys) : customerOrder
        var found: [CustomerID: String] = [:]
        for customer in candidates { if let holder = claimHolder(of: customer, on: day) { found[customer] = holder } }
        return found
    }

    /// How many customers were there on `day` (see `hasCustomer`); all of them, without looking
    /// at any, unless the day is before the last one a customer was added.
    public func customerCount(on day: Day) -> Int {
        guard let last = lastCustomerAdded, day < last else { return ledgers.count }
        return customerOrder.reduce(0) { $0 + (hasCustomer($1, on: day) ? 1 : 0) }
    }

    /// The day `id` was added to the book.
    public func dayAdded(_ id: CustomerID) -> Day? { customerPlaces[id].map { ledgers[$0].added } }

    /// Whether the customer was there on `day`: added that day or before, or added later with
    /// documents dated by then (a first import adds every customer on its day, with invoices
    /// issued months before; those customers were there on those months' days).
    public func hasCustomer(_ id: CustomerID, on day: Day) -> Bool {
        guard let place = customerPlaces[id] else { return false }
        if ledgers[place].added <= day { return true }
        return ledgers[place].invoices.contains { invoiceList[$0].issued <= day }
            || ledgers[place].receipts.contains { $0.day <= day }
    }

    /// The customer as it stood on `day`: its profile without the changes made after that day.
    public func customer(_ id: CustomerID, asOf day: Day) -> Customer? {
        customerPlaces[id].map { place in withCustomer(atPlace: place, asOf: day) { copy $0 } }
    }

    /// Lends the customer at `place` as it stood on `day` to `body`: the customer in place when
    /// nothing changed since (no copy), else as it was before the first change after `day`.
    func withCustomer<Result>(atPlace place: Int, asOf day: Day, _ body: (borrowing Customer) throws -> Result) rethrows -> Result {
        guard let changed = ledgers[place].history.last?.changedOn, changed > day else { return try body(ledgers[place].customer) }
        let index = ledgers[place].history.firstIndex { $0.changedOn > day }!
        return try body(ledgers[place].history[index].before)
    }

    /// A customer's dunning level as of `day`: the latest level, unless it was set after that
    /// day, when the timeline says what it was then (a past view must not see later runs).
    public func dunningLevel(of customer: CustomerID, asOf day: Day) -> Int {
        dunningLevelSet(of: customer, asOf: day).level
    }

    /// The same with the day that level was set (nil at level 0 never set).
    public func dunningLevelSet(of customer: CustomerID, asOf day: Day) -> (level: Int, on: Day?) {
        guard let latest = dunningLevels[customer] else { return (0, nil) }
        if latest.day <= day { return (latest.level, latest.day) }
        guard let place = customerPlaces[customer] else { return (0, nil) }
        let earlier = timelineByPlace[place].last { $0.kind.isDunningLevel && $0.stamp.day <= day }
        if case .dunning(let level)? = earlier?.kind { return (level, earlier?.stamp.day) }
        return (0, nil)
    }

    /// Whether `request` waited for a decision on `day`: filed by then and not decided by then (a
    /// look back shows a request decided since as it stood).
    public func isPending(_ request: Request, asOf day: Day) -> Bool {
        guard request.day <= day else { return false }
        if request.state == .pending { return true }
        let decision = timeline(of: request.customer).last { activity in
            if case .decision(let id, _, _) = activity.kind { id == request.id && activity.undoneBy == nil } else { false }
        }
        return decision.map { $0.stamp.day > day } ?? false
    }

    /// The latest request a dunning level filed for `customer` (a credit hold, a hand-off).
    public func dunningRequest(of customer: CustomerID) -> Request? { dunningRequests[customer].flatMap { requests[$0] } }

    /// The same as the book stood on `day`: the latest filed by then, waiting if it was decided
    /// only later (a look back shows a hold approved since as still waited for).
    public func dunningRequest(of customer: CustomerID, asOf day: Day) -> Request? {
        guard var request = dunningRequest(of: customer) else { return nil }
        if request.day > day {
            guard let earlier = requestOrder.reversed().lazy.compactMap({ self.requests[$0] }).first(where: {
                $0.customer == customer && $0.kind.isDunningLevel && $0.day <= day
            }) else { return nil }
            request = earlier
        }
        if request.state != .pending, isPending(request, asOf: day) { request.state = .pending }
        return request
    }

    /// Whether someone marked `customer` worked on `day` (and it was not undone).
    public func wasWorked(_ customer: CustomerID, on day: Day) -> Bool {
        timeline(of: customer).contains { $0.kind == .worked && $0.stamp.day == day && $0.undoneBy == nil }
    }
}

extension Book {
    /// The customer an id typed in another case or in full-width letters means, when exactly one
    /// does (c00084 for C00084): for a refusal to suggest, never to act on in its place.
    public func customerID(resembling typed: String) -> CustomerID? {
        let wanted = Book.plainID(typed)
        let matches = customerOrder.lazy.filter { Book.plainID($0) == wanted }.prefix(2)
        return matches.count == 1 ? matches.first : nil
    }

    /// An id as `customerID(resembling:)` compares it: in either case, full-width as ASCII,
    /// spaces run together ("C  003" for "C 003").
    public static func plainID(_ id: String) -> String {
        id.halfWidth.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// " (did you mean C00084?)" for an unknown id that resembles one, else "".
    public func didYouMean(_ typed: String) -> String {
        customerID(resembling: typed).map { " (did you mean \($0)?)" } ?? ""
    }
}

extension Book {
    /// The latest day an activity was stamped on, nil in a book without any.
    public var latestActivityDay: Day? { lastActivityDay.ordinal == Int32.min ? nil : lastActivityDay }
}
