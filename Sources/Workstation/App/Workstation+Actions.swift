import Core
import Desk
import Terminal

extension Workstation {
    /// How many rows a page holds; set by the last render.
    var pageSize: Int { max(1, lastListHeight) }

    /// `armedApproval`: the request (a write-off, a limit removal) the key before armed, if any (see `UIState`).
    /// `approvalGone`: the request a change by another user took from under the approvals
    /// cursor since the last key (see `UIState`); `customerGone` the same for a list's customer.
    /// `armedUndo`: the action on another customer the key before asked to undo (see `UIState`).
    func perform(_ action: Action, armedApproval: UIState.ArmedApproval? = nil, approvalGone: String? = nil, customerGone: CustomerID? = nil,
                 armedUndo: UInt64? = nil) -> Reaction {
        if action.writes && readOnly {
            // Why, when it is not the view's day: a pinned day, a log that needs mending, a newer
            // ardesk's record (a collector who never asked for a past day must learn the cause).
            say(readOnlyCause
                ?? text("Read-only view (as of \(asOf.iso)): nothing can be changed here", "只读视图（截至 \(asOf.iso)）：不能修改"), error: true)
            return .redraw
        }
        let messageShown = state.message != nil || armedApproval != nil  // a y's question was taken off before
        state.message = nil
        // The document :goto marked is marked while its ledger shows, not when opened again later.
        if [.open, .back, .nextPanel, .previousPanel, .nextItem, .search].contains(action) { state.ledgerMarked = nil }
        switch action {
        case .moveUp: move(by: -1)
        case .moveDown: move(by: 1)
        case .pageUp: move(by: -pageSize)
        case .pageDown: move(by: pageSize)
        case .top: move(by: -1_000_000)
        case .bottom: move(by: 1_000_000)
        case .open:
            guard let customer = selectedCustomer else { return .none }
            state.listContext = state.context
            state.ledgerCustomer = customer
            state.ledgerScroll = 0
            state.context = .ledger
        case .back:
            // From a ledger to the list it was opened from; from the approvals or the dashboard
            // (panels without a list behind them) to the queue, where the day's work is, once
            // the message or question they show is closed (Esc takes back a y's question first).
            if state.context != .ledger {
                guard !messageShown else { break }
                state.listContext = .queue
            }
            state.context = state.listContext
        case .nextPanel, .previousPanel:
            // Tab from the customers panel goes to the ledger of the customer selected there: the
            // searched list's row, read before the search ends (the whole list's row there was
            // another customer's).
            let selected = state.context == .customers ? selectedCustomer : nil
            // A search belongs to the panel it was typed in; the next panel starts unfiltered.
            endSearch(); state.searching = false
            if action == .nextPanel, let selected { state.ledgerCustomer = selected; state.ledgerScroll = 0 }
            let order = panelOrder
            let here = order.firstIndex(of: state.context) ?? 0
            let next = order[(here + (action == .nextPanel ? 1 : order.count - 1)) % order.count]
            state.context = next
            if next != .ledger { state.listContext = next }
        case .search:
            // From a ledger, the search is the list's it was opened from (the next caller is
            // looked for there): Esc and / in one key.
            if state.context == .ledger { state.context = Keymap.lists.contains(state.listContext) ? state.listContext : .queue }
            state.searching = true
            state.search = ""
        case .help: state.showHelp = true
        case .readActivity: showActivityInFull()
        case .readRequest: showRequestInFull()
        case .clearSearch:
            guard !state.search.isEmpty else { return .none }
            endSearch()
        case .commandLine: state.commandLine = ""
        case .quit: return .quit
        case .undo:
            // Named before it is undone, so the user sees which action went (it may be on another
            // customer). What others appended since the last look first: an action from the
            // command line a second ago is the last one.
            poll()
            do {
                let records = try desk.actionToUndo()
                let described = records.map { ActivityText.describe($0.kind, book: desk.book, chinese: language == .zh, levels: desk.policy.dunningLevels) }
                let details = described.map(\.detail).filter { !$0.isEmpty }
                let what = "\(described[0].kind)\(details.isEmpty ? "" : " " + details.joined(separator: ", ")) · \(records[0].customer)"
                let last = records.map(\.stamp.sequence).max() ?? 0
                if armedUndo != last, let question = undoQuestion(records, what: what, last: last) {
                    state.armedUndo = last
                    say(question, error: true)
                    return .redraw
                }
                return .perform(.undoLast, success: text("Undone: \(what)", "已撤销：\(what)"))
            } catch {
                say(errorText(error), error: true)
                return .redraw
            }
        case .rankQueue:
            // The queue keeps its order while a collector works through it (see `BookView.update`);
            // asked for, it is ordered as an open orders it: by priority, settled entries gone. Only
            // the queue changes: others' appends are in the view already (`poll` took them), and
            // the customer lists keep their caches.
            rankQueue()
            state.queueCursor = 0
            let count = visibleQueue.count
            say(text("Queue ranked by priority again: \(count) customers", "已按优先级重新排序：\(count) 个客户"))
        case .cycleSort where state.context == .review: state.reviewSort = state.reviewSort.next; state.reviewCursor = 0
        case .cycleSort: state.sort = state.sort.next; state.customerCursor = 0
        case .cycleFilter where state.context == .review: state.reviewFilter = state.reviewFilter.next; state.reviewCursor = 0
        case .cycleFilter: state.filter = state.filter.next; state.customerCursor = 0
        case .mark:
            guard let customer = selectedCustomer else { return .none }
            // Marks are for assigning many at once, which a collector cannot: said, not marked in vain.
            guard desk.role != .collector else {
                say(text("Marks are for assigning many customers at once, a manager's work", "标记用于批量分配客户，由经理操作"), error: true)
                return .redraw
            }
            if state.marked.contains(customer) { state.marked.remove(customer) } else { state.marked.insert(customer) }
            move(by: 1)
        case .toggleCollector:
            // A collector's lists hold their own and unassigned customers: another's would be empty.
            let named = desk.role == .collector ? [desk.user] : view.collectors
            let collectors = [nil] + named.map { Optional($0) } + [UIState.unassigned]
            let index = collectors.firstIndex(of: state.collectorFilter) ?? 0
            setCollectorFilter(collectors[(index + 1) % collectors.count])
        case .approve, .reject:
            // The second y of a write-off confirms the request it asked about, wherever the list
            // has moved it since (another user's request may sit under the cursor now).
            if action == .approve, let armedApproval {
                guard let armed = pendingRequests.first(where: { $0.id == armedApproval.id }) else {
                    say(text("\(armedApproval.id) was decided or withdrawn meanwhile", "\(armedApproval.id) 已被处理或撤回"), error: true)
                    return .redraw
                }
                // The book changed under the question (a payment moved where the write-off goes):
                // asked again as it stands, not approved as it was asked.
                if let question = confirmation(of: armed), question != armedApproval.question {
                    if let problem = desk.problem(with: .decide(requestID: armed.id, approved: true, reason: "")) {
                        say(errorText(problem) + text(" · N rejects the request", " · 按 N 驳回申请"), error: true)
                        return .redraw
                    }
                    state.armedApproval = UIState.ArmedApproval(id: armed.id, question: question)
                    say(text("\(armed.customer) changed since you were asked: ", "\(armed.customer) 在询问后有变动：") + question, error: true)
                    return .redraw
                }
                return .perform(.decide(requestID: armed.id, approved: true, reason: ""),
                                success: text("Approved \(armed.id)", "已批准 \(armed.id)") + approvedPlace(of: armed))
            }
            guard pendingRequests.indices.contains(state.approvalCursor) else {
                if let approvalGone { say(text("\(approvalGone) was decided or withdrawn meanwhile", "\(approvalGone) 已被处理或撤回"), error: true); return .redraw }
                return .none
            }
            let request = pendingRequests[state.approvalCursor]
            if let approvalGone {
                say(text("\(approvalGone) was decided or withdrawn meanwhile; the cursor is on \(request.id) now: press again to decide it",
                         "\(approvalGone) 已被处理或撤回；光标现在在 \(request.id) 上：再按一次处理它"), error: true)
                return .redraw
            }
            if desk.role == .collector {
                say(text("Only a manager can decide requests", "只有经理可以审批"), error: true)
                return .redraw
            }
            if action == .approve {
                let approval = Command.decide(requestID: request.id, approved: true, reason: "")
                if let question = confirmation(of: request), armedApproval?.id != request.id {
                    // What cannot be approved any more (paid down since) is said now, not after a second y.
                    if let problem = desk.problem(with: approval) {
                        say(errorText(problem) + text(" · N rejects the request", " · 按 N 驳回申请"), error: true)
                        return .redraw
                    }
                    state.armedApproval = UIState.ArmedApproval(id: request.id, question: question)
                    say(question, error: true)
                    return .redraw
                }
                return .perform(approval, success: text("Approved \(request.id)", "已批准 \(request.id)"))
            }
            // The manager's own request is withdrawn, not rejected (the book records it so); a
            // hold or hand-off a run proposed is the run's, rejected, whoever ran it.
            let own = request.requestedBy == desk.user && !request.kind.isDunningLevel
            state.form = Form(title: own ? text("Withdraw your request \(request.id)", "撤回本人申请 \(request.id)") : text("Reject \(request.id)", "驳回 \(request.id)"),
                              customer: request.customer,
                              fields: [ManagerForms.reasonField(language)]) { form, _, _ in
                .decide(requestID: request.id, approved: false, reason: form.text("reason"))
            }
            return .redraw
        default:
            // What is left is work on the selected customer (`worksOnCustomer` names it all).
            guard action.worksOnCustomer else { return .none }
            guard let customer = selectedCustomer else {
                say(text("Select a customer first", "请先选择客户"), error: true)
                return .redraw
            }
            // Not on the customer that was shown (another user's change took it from the list):
            // said, and nothing done; the same key again acts on this one.
            if let gone = customerGone, gone != customer {
                let why = desk.refusal(toWork: gone).map { text(" (", "（") + $0.text(chinese: language == .zh) + text(")", "）") } ?? ""
                say(text("\(gone) left this list just now\(why); the cursor is on \(customer): nothing was done",
                         "\(gone) 刚刚离开此列表\(why)；光标已在 \(customer)：未做任何操作"), error: true)
                return .redraw
            }
            // Said before a form is typed into, not after; a manager's key is a manager's whoever
            // the customer is (the request, r, is the collector's way).
            if desk.role == .collector && action.managerOnly {
                // On another collector's customer neither r nor n is theirs to press: said so.
                if let refusal = desk.refusal(toWork: customer) {
                    say(text("Only a manager can do that; ", "只有经理可以操作；") + refusal.text(chinese: language == .zh), error: true)
                    return .redraw
                }
                // r requests a limit or a write-off; for the rest the collector leaves a note.
                switch action {
                case .changeLimit, .writeOff: say(text("Only a manager can do that; press r to file a request", "只有经理可以操作；按 r 提交申请"), error: true)
                case .reversePayment:
                    say(text("Only a manager can reverse a payment; leave a note (n) for them", "只有经理可以冲销回款；请用 n 留下备注"), error: true)
                default: say(text("Only a manager can do that; leave a note (n) for them", "只有经理可以操作；请用 n 留下备注"), error: true)
                }
                return .redraw
            }
            if let refusal = desk.refusal(toWork: customer) {
                say(refusal.text(chinese: language == .zh), error: true)
                return .redraw
            }
            return customerAction(action, customer)
        }
        clampCursors()
        return .redraw
    }

    func customerAction(_ action: Action, _ customer: CustomerID) -> Reaction {
        let currency = desk.book.currency
        switch action {
        case .logCall: state.form = Forms.logCall(customer, language: language)
        case .promise, .plan:
            // A new agreement takes the place of one still open from an earlier day, and stands
            // beside one taken earlier today (a promise asks for the rest): the form says which.
            let asked = desk.promiseAsked(of: customer)
            state.form = action == .promise
                ? Forms.promise(customer, pastDue: asked.amount, open: asked.earlier, sameDay: asked.sameDay.map(\.promise), currency: currency, language: language)
                : Forms.plan(customer, pastDue: asked.amount, open: asked.earlier, sameDay: asked.sameDay.map(\.promise), currency: currency, language: language)
        case .callback:
            let pending = Worklist.pendingCallback(of: customer, in: desk.book, asOf: asOf).map {
                (day: $0.day, note: ActivityText.generated($0.note, chinese: language == .zh, levels: desk.policy.dunningLevels))
            }
            state.form = Forms.callback(customer, replacing: pending, language: language)
        case .note: state.form = Forms.note(customer, language: language)
        case .dispute:
            let items = view.openItems(of: customer, in: desk.book).filter { !$0.disputed }
            // Numbers and amounts in columns of their own, amounts to the right: read down as a list.
            let numberWidth = items.map { DisplayWidth.of($0.number) }.max() ?? 0
            let amounts = items.map { currency.format($0.open, grouping: ",") }
            let amountWidth = amounts.map(\.count).max() ?? 0
            let open = zip(items, amounts).map { item, amount in
                (number: item.number, label: "\(DisplayWidth.fit(item.number, to: numberWidth))  \(item.due.iso)  \(DisplayWidth.fit(amount, to: amountWidth, alignment: .right))")
            }
            guard !open.isEmpty else { say(text("No open invoice to dispute", "没有可争议的未结发票"), error: true); return .redraw }
            state.form = Forms.dispute(customer, openInvoices: open, language: language)
        case .resolveDispute:
            let open = desk.book.openDisputes(of: customer).filter { $0.opened <= desk.today }.map {
                (value: $0.id, label: "\($0.invoice) \($0.opened.iso.dropFirst(5)) \($0.reason)"  // the invoice is what a collector knows it by
                    + (disputedInvoiceSettled($0, asOf: desk.today) ? text(" (settled)", "（已结清）") : ""))
            }
            guard !open.isEmpty else { say(text("No open dispute to resolve", "没有待解决的争议"), error: true); return .redraw }
            state.form = Forms.resolveDispute(customer, disputes: open, language: language)
        case .editContact:
            state.form = Forms.contact(customer, contacts: desk.book.customers[customer]?.contacts ?? [], language: language)
        case .letterSent:
            // The level today's queue says is due, if any: the letter a collector sends by hand then.
            let due = view.queue.first { $0.customer == customer }?.reasons.lazy.compactMap { reason -> Int? in
                guard reason.kind == .levelDue, case .level(let level, _, _) = reason.about else { return nil }
                return level
            }.first
            state.form = Forms.documentSent(customer, statement: false, currentLevel: desk.book.dunningLevels[customer]?.level ?? 0,
                                           dueLevel: due, letters: desk.policy.dunningLevels.filter(\.isLetter), language: language)
        case .statementSent:
            var form = Forms.documentSent(customer, statement: true, currentLevel: 0, language: language)
            // One written today already: a second copy is asked for on purpose (a second Enter).
            let writtenToday = desk.book.timeline(of: customer).last { activity in
                guard activity.undoneBy == nil, activity.stamp.day == desk.today, case .documentSent(.statement, let file) = activity.kind else { return false }
                return !file.isEmpty
            }
            if let writtenToday, case .documentSent(_, let file) = writtenToday.kind {
                let warning = text("a statement was written for \(customer) today already (\(file))", "今天已为 \(customer) 生成过对账单（\(file)）")
                form.confirm = { form, _, _ in form["how"].choiceValue == "write" ? warning : nil }
            }
            state.form = form
        case .request, .changeLimit, .toggleHold, .setTerms, .assign, .writeOff, .reinstateWriteOff, .reversePayment, .applyCredit,
             .unapplyCredit, .setStatus, .setReview, .scorecard:
            return managerAction(action, customer)
        case .claim:
            let holder = desk.book.claimHolder(of: customer, on: desk.today)
            if holder == desk.user {
                return .perform(.release(customer), success: text("Released \(customer)", "已释放 \(customer)"))
            }
            if let holder, desk.role != .collector {
                let name = person(holder)
                return .perform(.release(customer), success: text("Released \(name)'s claim on \(customer)", "已释放 \(name) 对 \(customer) 的认领"))
            }
            return .perform(.claim(customer), success: text("Claimed \(customer)", "已认领 \(customer)"))
        case .nextItem:
            // Saved first, then the cursor moves on: "done" must be durable before the next call.
            // Already worked today: nothing more to record, only the move. A customer not in
            // today's queue is not counted as a queue item worked; one a search or the collector
            // filter hides from the list (opened with :goto) is in it all the same.
            guard view.queue.contains(where: { $0.customer == customer }) else {
                say(text("\(customer) is not in today's queue: nothing to mark worked", "\(customer) 不在今日待办中，无需标记"), error: true)
                return .redraw
            }
            if desk.book.wasWorked(customer, on: desk.today) {
                say(text("\(customer) was already worked today", "\(customer) 今天已处理"))
            } else {
                _ = apply(.perform(.markWorked(customer), success: text("Worked \(customer)", "已处理 \(customer)")))
            }
            if !moveToNextOpenQueueItem(after: customer) {
                // A search or a collector narrowed the list: done here is not the queue done.
                let open = view.queue.count { !$0.worked && !$0.settled }
                if open > 0 && visibleQueue.count != view.queue.count {
                    say(text("Nothing left to work in this list; \(open) item\(open == 1 ? "" : "s") still open in the whole queue (Esc clears a search, o changes the collector)",
                             "此列表已处理完；整个待办中还有 \(open) 项（Esc 清除搜索，o 切换催收员）"))
                } else {
                    say(text("Queue done: every item is worked or has nothing due", "今日待办已完成"))
                }
            }
            return .redraw
        default: break
        }
        return .redraw
    }

    /// After "done", the cursor goes to the next queue item not yet worked today; false when
    /// there is none (the queue is done).
    @discardableResult
    func moveToNextOpenQueueItem(after customer: CustomerID) -> Bool {
        let queue = visibleQueue
        let start = (queue.firstIndex { $0.customer == customer } ?? -1) + 1
        let order = Array(start..<queue.count) + Array(0..<start)
        guard let next = order.first(where: { !queue[$0].worked && !queue[$0].settled }) else { return false }
        state.queueCursor = next
        // x walks the queue: from a ledger opened elsewhere (the customers panel) too, so Esc and
        // the line under the list follow the queue's customer, not the one the ledger was opened on.
        if state.context == .ledger { state.ledgerCustomer = queue[next].customer; state.ledgerScroll = 0; state.listContext = .queue }
        return true
    }

    /// Why `records` (ending with record `last`, `what` in words) are undone only on a second u,
    /// or nil when they go at once: what was just saved goes; an earlier action on another
    /// customer than the one in view (the one before an undo, or one from the command line or
    /// another session) is named first, so work is not lost unseen; so is one other than what this
    /// session saved last (undone or followed elsewhere), and a promise payments have kept since.
    func undoQuestion(_ records: [Activity], what: String, last: UInt64) -> String? {
        // Taking a kept promise back takes it out of the kept figures too.
        let keptPromise = records.lazy.compactMap { activity -> (id: String, paid: Money)? in
            guard case .promise(let id) = activity.kind else { return nil }
            let judged = Promises.judge(activity.customer, in: self.desk.book, asOf: self.desk.today).first { $0.promise.id == id }
            return judged.flatMap { $0.paid.isPositive ? (id, $0.paid) : nil }
        }.first
        if let keptPromise {
            let paid = desk.book.currency.format(keptPromise.paid, grouping: ",")
            return text("Promise \(keptPromise.id) has been paid \(paid) since: undoing it takes it from the promises kept · u again undoes it",
                        "承诺 \(keptPromise.id) 此后已收款 \(paid)：撤销将使其不计入已兑现承诺 · 再按 u 撤销")
        }
        if let saved = state.lastSaved, saved != last {
            return text("Your last action here was undone or followed elsewhere (another session, the command line); the last left is \(what) · u again undoes it",
                        "你在此的最近操作已在别处（另一会话或命令行）被撤销或之后另有操作；剩下的最近操作是 \(what) · 再按 u 撤销")
        }
        if records[0].customer != selectedCustomer && last != state.lastSaved {
            return text("Your last action was on another customer: \(what) · u again undoes it", "你最近的操作属于另一个客户：\(what) · 再按 u 撤销")
        }
        // Not saved in this session: the action is from another one, or from before it.
        if !state.savedHere.contains(last) {
            return text("Your last action was not made in this session (another session, the command line, or before it): \(what) · u again undoes it",
                        "你最近的操作不是在本会话中做的（另一会话、命令行或本会话之前）：\(what) · 再按 u 撤销")
        }
        return nil
    }

    func move(by delta: Int) {
        switch state.context {
        case .queue: state.queueCursor = max(0, min(visibleQueue.count - 1, state.queueCursor + delta))
        case .customers: state.customerCursor = max(0, min(currentCustomerRows.count - 1, state.customerCursor + delta))
        case .ledger: state.ledgerScroll = max(0, min(lastLedgerLines - 1, state.ledgerScroll + delta))
        case .approvals: state.approvalCursor = max(0, min(pendingRequests.count - 1, state.approvalCursor + delta))
        case .review: state.reviewCursor = max(0, min(reviewRows.count - 1, state.reviewCursor + delta))
        case .dashboard: state.dashboardScroll = max(0, min(lastDashboardLines - lastDashboardHeight, state.dashboardScroll + delta))
        }
    }
}
