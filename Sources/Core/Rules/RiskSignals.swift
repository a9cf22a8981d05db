/// Warning signs before a default [拖欠前风险信号], each named with what was seen.
public struct RiskSignal: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case slowingPayment = "slowing payment", brokenPromises = "broken promises"
        case risingUtilisation = "rising utilisation", newDisputes = "new disputes", contactRefused = "contact refused"
        case paymentReversed = "payment reversed"
    }
    public var kind: Kind
    public var detail: String
    /// `detail` for a Chinese screen.
    public var chineseDetail: String
    public func detail(chinese: Bool) -> String { chinese ? chineseDetail : detail }
}

public enum RiskSignals {
    /// Signals for one customer as of `day`: average days late of invoices settled in the last 90
    /// days above the 90 before; promises broken (or only partly kept) whose date plus tolerance
    /// fell in the last 90 days; utilisation at least 50 % and up by more than a fifth against 90
    /// days ago; disputes opened in the last 30 days; a refused call in the last 30; a payment
    /// reversed (returned unpaid) in the last 90.
    public static func of(_ customer: Customer, in book: Book, asOf day: Day, position: Position? = nil) -> [RiskSignal] {
        guard let place = book.customerPlaces[customer.id] else { return [] }
        return of(customer, place: place, in: book, asOf: day, position: position)
    }

    /// Every customer's signals as of `day`, on every core, by id: those `listed`.
    /// `positions` saves computing positions again.
    public static func byCustomer(in book: Book, asOf day: Day, positions: [CustomerID: Position] = [:]) -> [CustomerID: [RiskSignal]] {
        let found = book.mapPlacesOnAllCores { place, book -> (CustomerID, [RiskSignal])? in
            let id = book.ledgers[place].customer.id
            return listed(place: place, in: book, asOf: day, position: positions[id]).map { (id, $0) }
        }
        return Dictionary(uniqueKeysWithValues: found.compactMap { $0 })
    }

    /// The signals a review lists for `id` as of `day`: nil for a customer closed that day, or
    /// without any.
    public static func listed(_ id: CustomerID, in book: Book, asOf day: Day, position: Position? = nil) -> [RiskSignal]? {
        book.customerPlaces[id].flatMap { listed(place: $0, in: book, asOf: day, position: position) }
    }

    static func listed(place: Int, in book: borrowing Book, asOf day: Day, position: Position?) -> [RiskSignal]? {
        book.withCustomer(atPlace: place, asOf: day) { customer in
            guard customer.status != .closed else { return nil }
            let signals = of(customer, place: place, in: book, asOf: day, position: position)
            return signals.isEmpty ? nil : signals
        }
    }

    static func of(_ customer: borrowing Customer, place: Int, in book: borrowing Book, asOf day: Day, position: Position?) -> [RiskSignal] {
        var signals: [RiskSignal] = []
        let late = averageDaysLate(place: place, in: book, windows: [(day.adding(days: -89), day), (day.adding(days: -179), day.adding(days: -90))])
        if let recent = late[0], let before = late[1], recent > before {
            signals.append(RiskSignal(kind: .slowingPayment, detail: "\(recent) day\(recent == 1 ? "" : "s") late on average, was \(before)",
                                      chineseDetail: "平均逾期 \(recent) 天，此前 \(before) 天"))
        }
        let broken = Promises.judge(place: place, in: book, asOf: day).filter {
            ($0.state == .broken || $0.state == .partiallyKept) && $0.judgedOn > day.adding(days: -90)
        }
        if !broken.isEmpty {
            // A partly kept promise counts here as the grade and the queue weigh it: the detail says
            // how many were only partly kept, so the count reads as the ledger's outcomes do.
            let partly = broken.filter { $0.state == .partiallyKept }.count
            signals.append(RiskSignal(kind: .brokenPromises,
                                      // No brackets of its own: the lists show a detail in brackets.
                                      detail: "\(broken.count) in 90 days" + (partly > 0 ? ", \(partly) of them partly kept" : ""),
                                      chineseDetail: "90 天内 \(broken.count) 次" + (partly > 0 ? "，其中 \(partly) 次部分兑现" : "")))
        }
        if customer.creditLimit.isPositive {
            // What is owed net of credit, as the Used column, the over-limit flag and the hold
            // rules weigh against the limit.
            let now = (position ?? Position(place: place, in: book, asOf: day)).owed
            let past = day.adding(days: -90)
            let then = Position(place: place, in: book, asOf: past).owed
            // Each day's balance over that day's limit: a limit cut since is no rise in use.
            let limitThen = book.withCustomer(atPlace: place, asOf: past) { $0.creditLimit }
            if let u = Credit.utilisation(balance: now, limit: customer.creditLimit),
               let was = Credit.utilisation(balance: then, limit: limitThen), u >= 5000, u > was + was / 5 {
                let (now, then) = (KPI.wholePercent(u), KPI.wholePercent(was))
                signals.append(RiskSignal(kind: .risingUtilisation, detail: "\(now)% of limit, was \(then)%",
                                          chineseDetail: "占用额度 \(now)%，此前 \(then)%"))
            }
        }
        // An undone dispute was never raised: undo marks it resolved on the day it was opened, so
        // it is recognised by its undone timeline entry, not by its dates.
        let timeline = book.timelineByPlace[place]
        var disputes: [Dispute] = []
        if book.ledgers[place].hasDisputes {
            let undone = book.undoneDisputes(atPlace: place)
            disputes = book.ledgers[place].invoices.flatMap { book.disputes(onInvoice: book.invoiceList[$0].number) }
                .filter { $0.opened > day.adding(days: -30) && $0.opened <= day && !undone.contains($0.id) }
        }
        if !disputes.isEmpty { signals.append(RiskSignal(kind: .newDisputes, detail: "\(disputes.count) in 30 days", chineseDetail: "30 天内 \(disputes.count) 起")) }
        let refused = timeline.contains { activity in
            guard activity.undoneBy == nil, activity.stamp.day > day.adding(days: -30), activity.stamp.day <= day else { return false }
            if case .call(.refused, _, _) = activity.kind { return true }
            return false
        }
        if refused { signals.append(RiskSignal(kind: .contactRefused, detail: "a call was refused in the last 30 days", chineseDetail: "30 天内有通话被拒")) }
        // Returned unpaid, not corrections of a payment entered in error.
        let reversed = book.ledgers[place].reversed.filter { reversed in
            reversed.day > day.adding(days: -90) && reversed.day <= day
                && book.reversals[book.paymentList[reversed.position].reference]?.cause == .returned
        }.count
        if reversed > 0 {
            signals.append(RiskSignal(kind: .paymentReversed, detail: "\(reversed) in 90 days", chineseDetail: "90 天内 \(reversed) 笔回款被退回"))
        }
        return signals
    }

    /// Average of (paid day − due day) over invoices paid in full between the two days, as the
    /// book stood on `to` (a payment reversed since does not change what that view saw).
    static func averageDaysLate(_ customer: CustomerID, in book: Book, from: Day, to: Day) -> Int? {
        guard let place = book.customerPlaces[customer] else { return nil }
        return averageDaysLate(place: place, in: book, windows: [(from, to)])[0]
    }

    /// The same for each window, in one pass over the invoices of the customer at `place`. An
    /// invoice is read in place, and looked at closely only when its last settlement falls in
    /// or after a window (the day it was settled in full is one of its settlements' days).
    static func averageDaysLate(place: Int, in book: borrowing Book, windows: [(from: Day, to: Day)]) -> [Int?] {
        var totals = [(days: Int, count: Int)](repeating: (0, 0), count: windows.count)
        let earliest = windows.map(\.from).min() ?? Day(ordinal: Int32.min)
        book.invoiceList.withUnsafeBufferPointer { invoices in
            for position in book.ledgers[place].invoices {
                let invoice = invoices.baseAddress! + position
                guard let last = invoice.pointee.lastSettled, last >= earliest else { continue }
                for (index, window) in windows.enumerated() where last >= window.from {
                    guard let settled = invoice.pointee.settledOn(asOf: window.to), settled >= window.from, settled <= window.to,
                          completedByPayment(invoice.pointee, asOf: window.to) else { continue }
                    totals[index].days += max(0, settled.days(since: invoice.pointee.due))
                    totals[index].count += 1
                }
            }
        }
        return totals.map { $0.count > 0 ? Int(Rounding.divide(Int64($0.days), by: Int64($0.count))) : nil }  // 29.5 is 30, as figures round
    }

    /// Whether a payment settled the last part of `invoice`, settled in full as of `day`: one a
    /// credit note cancelled or a write-off closed says nothing of how the customer pays.
    static func completedByPayment(_ invoice: Invoice, asOf day: Day) -> Bool {
        if invoice.settlements.count == 1, case .payment = invoice.settlements.first!.source { return true }
        var total = Money.zero
        var byPayment = false
        for settlement in invoice.settlements.sorted(by: { $0.day < $1.day }) where settlement.day <= day {
            let before = total
            total += settlement.amount
            if before < invoice.amount && total >= invoice.amount {
                if case .payment = settlement.source { byPayment = true } else { byPayment = false }
            }
        }
        return byPayment
    }
}
