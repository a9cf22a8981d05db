import Core
import Desk

/// The lists as shown: sorted, filtered and searched, remembered until they change (the caches
/// are the workstation's stored properties).
extension Workstation {
    /// Sorted and filtered rows, remembered until the sort, filter, search or book changes: a
    /// keystroke that only moves the cursor must not re-sort 50,000 customers.
    var currentCustomerRows: CustomerRows {
        // The search narrows the list it was typed in, also while a ledger opened from it shows
        // beside it (the cursor's row must stay the one opened).
        let search = search(of: .customers)
        let key = RowsKey(sort: state.sort, filter: state.filter, search: search, collector: state.collectorFilter, generation: viewGeneration)
        if let cached = rowsCache, cached.key == key { return found(in: cached.rows) }
        // Sorted once per sort/filter/book; a search narrows that sorted list without sorting again.
        var sortedKey = key
        sortedKey.search = ""
        let sorted: CustomerRows
        if let cached = sortedCache, cached.key == sortedKey {
            sorted = cached.rows
        } else {
            sorted = view.customers(sort: key.sort, filter: key.filter, search: "", collector: key.collector, user: desk.user)
            sortedCache = (sortedKey, sorted)
        }
        // Typing one more character narrows the previous result rather than the whole list; but
        // not past a space, which makes words looked for one by one (`ningbo a` finds what
        // `ningbo ` did not: a name's pinyin has no space).
        var candidates = sorted
        if let previous = rowsCache, !previous.key.search.isEmpty, search.hasPrefix(previous.key.search),
           SearchNeedle.narrows(from: previous.key.search, to: search) {
            var previousKey = previous.key
            previousKey.search = ""
            if previousKey == sortedKey { candidates = previous.rows }
        }
        let needle = SearchNeedle(search)
        let rows = search.isEmpty ? sorted : candidates.keeping { needle.matches($0) }
        rowsCache = (key, rows)
        return found(in: rows)
    }

    /// `rows`, with the cursor put on the customer to find again (`customerToFind`) if it waits.
    private func found(in rows: CustomerRows) -> CustomerRows {
        if let customer = customerToFind {
            customerToFind = nil
            if let index = rows.firstIndex(where: { $0.id == customer }) { state.customerCursor = index }
            state.customerCursor = max(0, min(state.customerCursor, rows.count - 1))
        }
        return rows
    }

    /// The queue as its panel shows it: narrowed by the collector filter and the search. Kept
    /// until either or the queue changes: a frame asks for it several times, and narrowing the
    /// queue of a large book copies thousands of rows.
    var visibleQueue: [QueueRow] {
        let search = search(of: .queue)
        if state.collectorFilter == nil && search.isEmpty { return view.queue }
        let key = QueueKey(search: search, collector: state.collectorFilter, generation: queueGeneration)
        if let cached = queueCache, cached.key == key { return cached.rows }
        let rows = view.queue(collector: state.collectorFilter, search: search)
        queueCache = (key, rows)
        return rows
    }

    /// The queue narrowed by the collector filter alone, as the queue's tab counts it while a
    /// search is typed (the search narrows the rows shown, not the day's work).
    var collectorQueue: [QueueRow] {
        guard state.collectorFilter != nil, !search(of: .queue).isEmpty else {
            return state.collectorFilter == nil ? view.queue : visibleQueue
        }
        let key = QueueKey(search: "", collector: state.collectorFilter, generation: queueGeneration)
        if let cached = collectorQueueCache, cached.key == key { return cached.rows }
        let rows = view.queue(collector: state.collectorFilter, search: "")
        collectorQueueCache = (key, rows)
        return rows
    }

    /// A customer's next credit review as the view's day saw it.
    func reviewDate(_ id: CustomerID) -> Day? { view.rowIndex[id].flatMap { view.rows[$0].nextReview } }

    /// The search typed in `list`, while it or a ledger opened from it shows (a search belongs to
    /// the panel it was typed in).
    func search(of list: Context) -> String {
        searchedList == list ? state.search : ""
    }

    /// The request under the approvals cursor as last listed (before the book changed since).
    var requestUnderCursor: String? {
        pendingCache.flatMap { $0.requests.indices.contains(state.approvalCursor) ? $0.requests[state.approvalCursor].id : nil }
    }

    /// Requests waiting for a manager, oldest first; a view of a past day shows those still waiting
    /// on that day (`Book.isPending`).
    /// Kept until the book changes: a frame asks for them several times (the tab, the panel, the
    /// selected row), and a look back reads a timeline for each decided one.
    var pendingRequests: [Request] {
        if let cached = pendingCache, cached.sequence == desk.book.lastSequence { return cached.requests }
        let requests = desk.book.requestOrder.compactMap { desk.book.requests[$0] }.filter {
            // Today's: decided is decided. A look back asks when each decided one was decided.
            asOf >= desk.today ? $0.state == .pending : desk.book.isPending($0, asOf: asOf)
        }
        pendingCache = (desk.book.lastSequence, requests)
        return requests
    }
}
