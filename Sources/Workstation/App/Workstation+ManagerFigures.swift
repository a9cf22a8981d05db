import Core

/// What the review and the dashboard show of the whole book: the risk signals and the dashboard's
/// figures, which a large book takes a good part of a second to compute (made on another thread,
/// ahead of the first look where it can be), and the lists the two panels show.
extension Workstation {
    /// Starts the risk signals, then the dashboard's figures, on another thread once the
    /// customers panel is built (the next key may need that sooner): a manager's first look at
    /// the review or dashboard then finds them ready.
    func startManagerFigures() {
        startSignals(afterCustomersPanel: true)
        startPortfolio(afterCustomersPanel: true)
    }

    /// Each customer's risk signals as of the view's day (those of customers not closed, with
    /// signals): computed once for the view, then again only for the customers a change touched.
    var riskSignals: [CustomerID: [RiskSignal]] {
        if signalsWork == nil { startSignals(afterCustomersPanel: false) }
        return signalsWork!.value
    }

    /// The signals of `changed` customers as the book now stands, in the signals kept (if any:
    /// otherwise they are all computed when next asked for).
    func updateSignals(of changed: Set<CustomerID>) {
        guard let work = signalsWork, !changed.isEmpty else { return }
        let book = desk.book, view = view, asOf = asOf
        work.modify { signals in
            for id in changed { signals[id] = RiskSignals.listed(id, in: book, asOf: asOf, position: view.position(of: id)) }
        }
    }

    /// The dashboard's figures, computed on first use after each change of the book (or ahead of
    /// it, after the first screen).
    var portfolio: PortfolioView {
        if portfolioWork?.sequence != desk.book.lastSequence { startPortfolio(afterCustomersPanel: false) }
        return portfolioWork!.figures.value
    }

    // Both work from copies of the book and the view: what this thread changes later is not what
    // the other one reads.

    private func startSignals(afterCustomersPanel: Bool) {
        let book = desk.book, asOf = asOf, view = view
        let compute: @Sendable () -> [CustomerID: [RiskSignal]] = {
            RiskSignals.byCustomer(in: book, asOf: asOf, positions: view.positionsByCustomer)
        }
        signalsWork = afterCustomersPanel ? Deferred(after: view.customersPanel, computing: compute) : Deferred(computing: compute)
    }

    private func startPortfolio(afterCustomersPanel: Bool) {
        let book = desk.book, policy = desk.policy, asOf = asOf, view = view
        let compute: @Sendable () -> PortfolioView = { PortfolioView(book: book, policy: policy, asOf: asOf) }
        portfolioWork = (book.lastSequence, afterCustomersPanel ? Deferred(after: view.customersPanel, computing: compute) : Deferred(computing: compute))
    }

    /// The dashboard's top debtors and each collector's open queue entries, for the view they were
    /// counted in: scrolling the dashboard redraws it on every key.
    var dashboardLists: (top: [CustomerRow], queued: [String: Int]) {
        if let cached = dashboardCache, cached.generation == viewGeneration { return cached.lists }
        var queued: [String: Int] = [:]
        for row in view.queue where !row.settled { queued[row.collector ?? "", default: 0] += 1 }  // "": nobody's
        // The five owing most past due, and in the book on the view's day (a look back lists no
        // customer added since, nor one at 0): kept in order in one pass, not by sorting them all.
        var top: [CustomerRow] = []
        for row in view.rows where row.isInBook && row.position.pastDue.isPositive {
            guard top.count < 5 || CustomerSort.pastDue.order(row, top[top.count - 1]) else { continue }
            top.insert(row, at: top.firstIndex { CustomerSort.pastDue.order(row, $0) } ?? top.count)
            if top.count > 5 { top.removeLast() }
        }
        let lists = (top: top, queued: queued)
        dashboardCache = (viewGeneration, lists)
        return lists
    }

    /// Customers for review: those with risk signals, over limit, on hold or due for review,
    /// in the order the review sort asks for.
    var reviewRows: [CustomerRow] {
        let search = search(of: .review)
        let key = ReviewKey(sort: state.reviewSort, filter: state.reviewFilter, search: search, collector: state.collectorFilter,
                            generation: viewGeneration, bookSequence: desk.book.lastSequence)
        let rows: [CustomerRow]
        if let cached = reviewCache, cached.key == key {
            rows = cached.rows
        } else {
            rows = reviewRows(key)
            reviewCache = (key, rows)
        }
        if let customer = reviewCustomerToFind {  // put back on its customer, where it is listed
            reviewCustomerToFind = nil
            state.reviewCursor = rows.firstIndex { $0.id == customer } ?? 0
        }
        return rows
    }

    private func reviewRows(_ key: ReviewKey) -> [CustomerRow] {
        let signals = riskSignals
        let reviewDue = { (row: CustomerRow) in row.nextReview.map { $0 <= self.asOf } ?? false }
        let needle = SearchNeedle(key.search)
        let rows = view.rows.filter { row in
            guard row.isInBook, UIState.collector(row.collector, passes: key.collector), needle.matches(row) else { return false }
            switch key.filter {
            case .all:  // with lawyers or an agency too: what the hand-off brings is the manager's to follow
                return signals[row.id] != nil || row.overLimit || [.onHold, .legal, .agency].contains(row.status) || row.holdAdvised || reviewDue(row)
            case .overLimit: return row.overLimit
            case .onHold: return row.status == .onHold
            case .holdAdvised: return row.holdAdvised
            case .reviewDue: return reviewDue(row)
            default: return signals[row.id]?.contains { $0.kind == key.filter.signal } ?? false
            }
        }
        // "Hold advised" weighs as two signals: a customer the hold rules flag comes before one
        // with a single signal and nothing past due. Weighed once per row, not in each comparison
        // (a lookup by id in every comparison of a 40,000-row sort took a tenth of a second).
        let weights = key.sort == .risk ? rows.map { (signals[$0.id]?.count ?? 0) + ($0.holdAdvised ? 2 : 0) } : []
        let order = rows.indices.sorted { i, j in
            let (a, b) = (rows[i], rows[j])
            switch key.sort {
            case .risk: return weights[i] != weights[j] ? weights[i] > weights[j] : CustomerSort.pastDue.order(a, b)
            case .pastDue: return CustomerSort.pastDue.order(a, b)
            case .utilisation: return CustomerSort.utilisation.order(a, b)
            case .grade: return CustomerSort.grade.order(a, b)
            case .abc: return CustomerSort.abc.order(a, b)
            case .reviewDate:
                let x = a.nextReview?.ordinal ?? Int32.max, y = b.nextReview?.ordinal ?? Int32.max
                return x != y ? x < y : a.id < b.id
            }
        }
        return order.map { rows[$0] }
    }
}
