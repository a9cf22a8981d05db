import Core
import Terminal

/// Where the cursor is and may go: the panels Tab walks through, the customer under the cursor,
/// and each list's cursor kept on a row after the list changes.
extension Workstation {
    /// The panels Tab walks through in order, and Shift-Tab backwards: the ledger once a customer
    /// has been opened, and a manager's approvals, credit review and dashboard.
    var panelOrder: [Context] {
        var order: [Context] = [.queue, .customers]
        if state.ledgerCustomer != nil { order.append(.ledger) }
        if desk.role != .collector { order += [.approvals, .review, .dashboard] }
        return order
    }

    /// The customer actions apply to: the ledger's, else the selected row's.
    var selectedCustomer: CustomerID? {
        switch state.context {
        case .approvals:
            return pendingRequests.indices.contains(state.approvalCursor) ? pendingRequests[state.approvalCursor].customer : nil
        case .ledger: return state.ledgerCustomer
        case .queue: return visibleQueue.indices.contains(state.queueCursor) ? visibleQueue[state.queueCursor].customer : nil
        case .customers:
            let rows = currentCustomerRows
            return rows.indices.contains(state.customerCursor) ? rows[state.customerCursor].id : nil
        case .review:
            let rows = reviewRows
            return rows.indices.contains(state.reviewCursor) ? rows[state.reviewCursor].id : nil
        case .dashboard: return nil
        }
    }

    /// Puts the review's cursor back on `customer` after a change re-sorted it (a limit changed
    /// in the review): the next key must not land on whoever took its row. The customers panel
    /// finds its customer again by itself (`customerToFind`).
    func follow(_ customer: CustomerID?) {
        guard let customer, state.context == .review,
              let index = reviewRows.firstIndex(where: { $0.id == customer }) else { return }
        state.reviewCursor = index
    }

    /// The list a search typed now narrows: the one in view, or the one a ledger was opened from.
    var searchedList: Context { state.context == .ledger ? state.listContext : state.context }

    /// Ends a search: the whole list again, on the customer the search led to (not its first
    /// row, nor the row of that number in the whole list).
    func endSearch() {
        guard !state.search.isEmpty else { return }
        let found = selectedCustomer
        let searched = searchedList
        state.search = ""
        switch searched {
        case .customers: state.customerCursor = currentCustomerRows.firstIndex { $0.id == found } ?? 0
        case .review: state.reviewCursor = reviewRows.firstIndex { $0.id == found } ?? 0
        case .queue: state.queueCursor = visibleQueue.firstIndex { $0.customer == found } ?? 0
        default: break
        }
    }

    /// Shows the customers of `filter`'s collector (nil: everyone's), each list's cursor kept on
    /// the customer it was on where that customer is still listed, else on the first row: an
    /// action after it must not land on whoever took the row's number.
    func setCollectorFilter(_ filter: String?) {
        guard filter != state.collectorFilter else { return }
        let queued = visibleQueue.indices.contains(state.queueCursor) ? visibleQueue[state.queueCursor].customer : nil
        noteListedCustomers()  // found by the customers panel and the review when next listed
        state.collectorFilter = filter
        state.queueCursor = visibleQueue.firstIndex { $0.customer == queued } ?? 0
        state.customerCursor = 0
        state.reviewCursor = 0
    }

    func clampCursors() {
        state.queueCursor = max(0, min(state.queueCursor, visibleQueue.count - 1))
        // Only where it shows: elsewhere the panel finds its customer when next listed, and
        // listing 50,000 rows after every saved action while the queue shows was wasted.
        if state.context == .customers {
            // Listed first: listing may move the cursor to the customer it was on (`customerToFind`).
            let count = currentCustomerRows.count
            state.customerCursor = max(0, min(state.customerCursor, count - 1))
        }
        // A decided request leaves the list: the cursor stays on a row, so y and N keep working.
        if state.context == .approvals { state.approvalCursor = max(0, min(state.approvalCursor, pendingRequests.count - 1)) }
        if state.context == .review { state.reviewCursor = max(0, min(state.reviewCursor, reviewRows.count - 1)) }
    }
}

extension Workstation {
    /// Of `rows`, how many are worked and how many the day's count holds: every row still due,
    /// worked, or contacted on the view's day. A row with nothing due since it was queued for
    /// another cause (paid, credited) is not left to do; one the collector's own call settled
    /// still is until x marks it, so that x does not add to the day's total.
    func queueProgress(_ rows: [QueueRow]) -> (worked: Int, items: Int) {
        let worked = rows.count(where: \.worked)
        let items = rows.count { row in
            !row.settled || row.worked || view.position(of: row.customer)?.lastContact == asOf
        }
        return (worked, items)
    }
}
