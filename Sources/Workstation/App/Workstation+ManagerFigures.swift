import Core

/// What the review and the dashboard show of the whole book, which a large book takes a good part
/// of a second to compute: made on another thread, ahead of the first look where it can be.
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
            for id in changed {
                guard let customer = book.customer(id, asOf: asOf), customer.status != .closed else { signals[id] = nil; continue }
                let found = RiskSignals.of(customer, in: book, asOf: asOf, position: view.position(of: id))
                signals[id] = found.isEmpty ? nil : found
            }
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
}
