import Core
import Desk
import Terminal

extension Workstation {
    func drawQueue(into screen: inout Screen, area: Area, focused: Bool) {
        let rows = visibleQueue
        // Items with nothing due since they were queued (paid, called, a plan agreed) stay in place, said apart.
        let settled = rows.count { $0.settled && !$0.worked }
        let (worked, items) = queueProgress(rows)
        let queueName = asOf == desk.today ? "今日待办" : "\(asOf.iso) 待办"  // a look back is not today's
        let title = text("Call queue · \(worked) of \(items) worked", "\(queueName) · 已处理 \(worked)/\(items)")
            + (settled > 0 ? text(" · \(settled) with nothing due now", " · \(settled) 项暂无待办") : "") + collectorFilterNote
        screen.put(withSearch(title, width: area.width), row: area.top, col: area.left, width: area.width, role: .title)
        // The last two lines tell the selected row's reasons in full: a row's "why" is cut to its column.
        let height = area.height - 4
        if focused && state.context == .queue { lastListHeight = height }
        let format = Format(currency: desk.book.currency, language: language)
        let shown = window(count: rows.count, cursor: state.queueCursor, height: height)
        // Amounts whole: the column widens for the rows on screen that need it (a million and up).
        let amountWidth = DisplayWidth.widest(shown.map { format.money(rows[$0].toCollect) }, atLeast: 11)
        let idWidth = view.idWidth + 1  // and the worked mark
        let numberWidth = max(2, String(rows.count).count)  // 100 and on keep their digits
        let fixed = (numberWidth + 1) + idWidth + 1 + 4 + (amountWidth + 1) + 5 + 4 + 6
        let flexible = max(10, area.width - fixed)
        let nameWidth = min(30, max(12, flexible * 3 / 5))
        let whyWidth = max(0, flexible - nameWidth)
        let columns: [(String, Int, DisplayWidth.Alignment)] = [
            ("#", numberWidth, .right), (text("id", "编号"), idWidth, .left), (text("name", "名称"), nameWidth, .left),
            (text("pts", "分"), 3, .right), (text("to collect", "应催收"), amountWidth, .right), (text("days", "天数"), 4, .right),
            (text("lv", "级"), 3, .right), (text("why", "原因"), whyWidth, .left),
        ]
        header(columns, row: area.top + 1, left: area.left, into: &screen)
        guard !rows.isEmpty else {
            // The queue holds only who is due today: a customer may well be in the book.
            let empty = !state.search.isEmpty ? text("No customer in the queue matches; Tab, then / searches all customers.",
                                                     "队列中没有符合条件的客户（按 Tab 后用 / 搜索全部客户；:g 编号 直接打开）。")
                : collectorFilterLabel != nil ? text("Nothing due for the customers of this filter (o changes it).", "此筛选下没有待办事项（o 可更改）。")
                : asOf == desk.today ? text("Nothing due today.", "今天没有待办事项。")
                : text("Nothing due on \(asOf.iso).", "\(asOf.iso) 没有待办事项。")
            screen.put(empty, row: area.top + 2, col: area.left + 1, role: .muted)
            return
        }
        for (offset, index) in shown.enumerated() {
            let item = rows[index]
            let y = area.top + 2 + offset
            let selected = index == state.queueCursor
            let base: Role = selected ? (focused ? .selection : .header) : (item.worked || item.settled ? .muted : .normal)
            screen.fill(row: y, col: area.left, width: area.width, role: base)
            let cells: [(String, Role)] = [
                // ✓ worked; ◆ claimed (Space), by this user: hidden from the others' queues.
                (String(index + 1), base), ((item.worked ? "✓" : item.claimedBy != nil ? "◆" : "") + item.customer, base), (item.name, base),
                (String(item.priority), base), (format.money(item.toCollect), selected ? base : .overdue),
                (String(item.oldestDays), base), (levelText(item), base), (whyText(item).joined(separator: " · "), selected ? base : .muted),
            ]
            var x = area.left
            for ((textValue, role), column) in zip(cells, columns) {
                screen.put(DisplayWidth.fit(textValue, to: column.1, alignment: column.2), row: y, col: x, role: role)
                x += column.1 + 1
            }
        }
        if rows.indices.contains(state.queueCursor), height > 0 {
            let lines = DisplayWidth.wrapInTwoLines(queueDetail(rows[state.queueCursor]), to: max(10, area.width - 2))
            for (offset, line) in lines.enumerated() {
                screen.put(line, row: area.top + area.height - 2 + offset, col: area.left + 1, width: area.width - 1, role: .muted)
            }
        }
    }

    /// A list's title with what is searched for after it: the search kept whole (it is being
    /// typed), the title cut before it with an ellipsis where both do not fit.
    func withSearch(_ title: String, width: Int) -> String {
        guard state.searching || !state.search.isEmpty else { return title }
        var search = "   /" + state.search + (state.searching ? "▏" : "")
        // A search longer than the title's row shows its end, where typing goes (the title gives way first).
        if DisplayWidth.of(search) > width - 8 { search = DisplayWidth.truncateHead(search, to: max(1, width - 8)) }
        let room = width - DisplayWidth.of(search)
        return (DisplayWidth.of(title) <= room ? title : DisplayWidth.truncate(title, to: max(1, room))) + search
    }

    /// The row's dunning level, and the one due next beside it (`2→3`): the level alone beside
    /// "level 3 final notice due" read as a contradiction.
    func levelText(_ item: QueueRow) -> String {
        for reason in item.reasons where reason.kind == .levelDue {
            if case .level(let next, _, _) = reason.about, next != item.level { return "\(item.level)→\(next)" }
        }
        return String(item.level)
    }

    /// A queue row's reasons, shortest first where each says what to do and by when: dates the
    /// collector acts on today (a callback, a promise due) come first, dates still ahead after
    /// the reasons (a narrow column showed "callback 12-01" as the reason to call on 11-30);
    /// points are in their own column.
    func whyText(_ item: QueueRow) -> [String] {
        var why: [String] = []
        // Another's claim first (the row is not this collector's to work today); one's own last,
        // after the reasons a narrow column has room for.
        let mine = item.claimedBy == desk.user
        let claimedByMe = mine ? [text("claimed by me", "我已认领")] : []
        // Worked, its mark (✓) is in the claim's place, and little else is left to say: first.
        if mine && item.worked { why.append(claimedByMe[0]) }
        if let holder = item.claimedBy.map(person), !mine { why.append(text("claimed by \(holder)", "\(holder) 已认领")) }
        let claimedLast = mine && !item.worked ? claimedByMe : []
        if item.settled { return why + [settledText(item)] + claimedLast }
        var ahead: [String] = []
        if let day = item.callbackDue { why.append(text("callback ", "回访 ") + day.iso.dropFirst(5)) }
        if let day = item.promiseDue, day <= asOf { why.append(text("promise ", "承诺 ") + day.iso.dropFirst(5)) }
        if item.callbackDue == nil, let day = item.nextCallback { ahead.append(text("callback ", "回访 ") + day.iso.dropFirst(5)) }
        if let day = item.promiseDue, day > asOf { ahead.append(text("promise ", "承诺 ") + day.iso.dropFirst(5)) }
        for reason in item.reasons where reason.kind != .pastDue && reason.kind != .oldestItem && reason.kind != .callbackDue {
            if case .level(let level, let name, let chineseName) = reason.about {
                why.append(text("level \(level) \(name) due", "应升至第 \(level) 级 \(chineseName ?? name)"))
            } else if reason.kind == .brokenPromise, case .promise(_, _, let paid) = reason.about, paid.isPositive {
                why.append(text("promise part kept", "承诺部分履行"))  // as the ledger names it; short of it all the same
            } else {
                why.append(reasonLabel(reason.kind))
            }
        }
        return why + ahead + claimedLast
    }

    /// Why a row left the queue this session: paid, or a promise or a callback waited for, or nothing to do yet.
    func settledText(_ item: QueueRow) -> String {
        if !item.toCollect.isPositive { return text("nothing to collect now", "已无应催收") }
        if let day = item.awaitedPromise { return text("awaiting promise \(day.iso.dropFirst(5))", "等待承诺付款 \(day.iso.dropFirst(5))") }
        if let day = item.nextCallback { return text("callback \(day.iso.dropFirst(5))", "回访 \(day.iso.dropFirst(5))") }
        return text("nothing due now", "暂无待办")
    }

    /// The selected queue row's reasons in full, with their points and amounts.
    func queueDetail(_ item: QueueRow) -> String {
        var parts = item.reasons.map { reason -> String in
            // Most details name themselves ("callback 2026-03-16"); a number of days needs its label.
            let detail = reason.detail(in: desk.book.currency, chinese: language == .zh)
            if case .days = reason.about { return reasonLabel(reason.kind) + text(": ", "：") + "\(detail) (+\(reason.points))" }
            return "\(detail) (+\(reason.points))"
        }
        // A promise due now first, one still ahead after the reasons (as the why column has them).
        if let day = item.promiseDue, day <= asOf { parts.insert(text("promise due \(day.iso)", "承诺付款日 \(day.iso)"), at: 0) }
        if let day = item.promiseDue, day > asOf { parts.append(text("promise due \(day.iso)", "承诺付款日 \(day.iso)")) }
        if parts.isEmpty { parts.append(item.settled ? settledText(item) : text("nothing due now", "暂无待办")) }
        // The claim too: a worked row's mark (✓) takes the claim's (◆) place.
        if let holder = item.claimedBy {
            parts.append(holder == desk.user ? text("claimed by me", "我已认领") : text("claimed by \(person(holder))", "\(person(holder)) 已认领"))
        }
        return "\(item.customer) · " + parts.joined(separator: " · ")
    }

    func reasonLabel(_ kind: QueueReason.Kind) -> String {
        guard language == .zh else { return kind.rawValue }
        switch kind {
        case .callbackDue: return "回访到期"
        case .brokenPromise: return "承诺违约"
        case .paymentReversed: return "回款被退"
        case .levelDue: return "催收升级"
        case .levelHeld: return "升级暂停"  // waiting for a decision, or refused: the detail says which
        case .newlyPastDue: return "新逾期"
        case .noContact: return "久未联系"
        case .pastDue: return "逾期金额"
        case .oldestItem: return "最久逾期"
        case .grade: return "信用等级"
        case .overLimit: return "超额度"
        }
    }

    func drawCustomers(into screen: inout Screen, area: Area, focused: Bool) {
        let rows = currentCustomerRows
        let title = text("Customers · \(rows.count) · sort: \(state.sort.label(language)) · filter: \(state.filter.label(language))",
                         "客户 · \(rows.count) · 排序：\(state.sort.label(language)) · 筛选：\(state.filter.label(language))") + collectorFilterNote
        screen.put(withSearch(title, width: area.width), row: area.top, col: area.left, width: area.width, role: .title)
        // The last line spells out the selected customer's flags and what narrow columns leave out.
        let height = area.height - 2 - 2
        if focused && state.context == .customers { lastListHeight = height }
        let format = Format(currency: desk.book.currency, language: language)
        let shown = window(count: rows.count, cursor: state.customerCursor, height: height)
        // Amounts and use whole: their columns widen for the rows on screen that need it.
        let balanceWidth = DisplayWidth.widest(shown.map { format.money(rows[$0].position.balance) }, atLeast: 12)
        let pastDueWidth = DisplayWidth.widest(shown.map { format.money(rows[$0].position.pastDue) }, atLeast: 11)
        let useWidth = DisplayWidth.widest(shown.map { format.percent(basisPoints: rows[$0].utilisation) }, atLeast: 5)
        // Narrow terminals drop the last-contact and collector columns so names stay readable.
        let wide = area.width >= 110
        let gradeWidth = language == .zh ? 4 : 2  // 评级: 级 alone read as the queue's dunning level
        let fixed = 2 + view.idWidth + (balanceWidth + pastDueWidth + useWidth - 28) + 12 + 11 + 5 + gradeWidth + 3 + 5 + (wide ? 10 + 10 + 10 : 8)
        let nameWidth = max(12, area.width - fixed)
        // A column of its own for m's mark, so a marked id stays whole.
        var columns: [(String, Int, DisplayWidth.Alignment)] = [
            (text("id", "编号"), view.idWidth, .left), ("", 1, .left), (text("name", "名称"), nameWidth, .left),
            (text("balance", "余额"), balanceWidth, .right), (text("past due", "逾期"), pastDueWidth, .right),
            (text("use", "占用"), useWidth, .right), (text("gr", "评级"), gradeWidth, .left), ("ABC", 3, .left),
        ]
        if wide { columns += [(text("contact", "最近联系"), 10, .left), (text("collector", "催收员"), 10, .left)] }
        columns.append((text("flags", "标记"), 5, .left))
        header(columns, row: area.top + 1, left: area.left, into: &screen)
        if rows.isEmpty {  // a search or filter that matches nobody says so, not a blank table, and what to change
            var narrowing: [String] = []
            if state.filter != .all { narrowing.append(text("filter \(state.filter.label(language)) (f)", "筛选 \(state.filter.label(language))（f）")) }
            if collectorFilterLabel != nil { narrowing.append(text("collector (o)", "催收员（o）")) }
            if !search(of: .customers).isEmpty { narrowing.append(text("search (Esc)", "搜索（Esc）")) }
            // A search finds ids and names; what a caller quotes otherwise, :goto finds.
            let quoted = search(of: .customers).isEmpty ? "" : text(" An invoice, PO, phone or email: :goto it.", " 发票号、订单号、电话或邮箱：用 :goto 查找。")
            let why = (narrowing.isEmpty ? "" : text(" Narrowed by: ", "筛选条件：") + narrowing.joined(separator: text(", ", "、")) + text(".", "。")) + quoted
            // Wrapped: its end (what to do instead) was cut off in a pane beside the ledger.
            for (offset, line) in DisplayWidth.wrap(text("No customer matches.", "没有符合条件的客户。") + why, to: max(10, area.width - 2)).prefix(3).enumerated() {
                screen.put(line, row: area.top + 2 + offset, col: area.left + 1, width: area.width - 1, role: .muted)
            }
        }
        for (offset, index) in shown.enumerated() {
            let row = rows[index]
            let y = area.top + 2 + offset
            let selected = index == state.customerCursor
            let base: Role = selected ? (focused ? .selection : .header) : .normal
            screen.fill(row: y, col: area.left, width: area.width, role: base)
            var flags = ""
            if row.status == .onHold { flags += "H" }
            if row.status == .legal || row.status == .agency { flags += "L" }
            if row.overLimit { flags += "!" }
            if row.brokenPromises > 0 { flags += "B" }
            if row.position.disputed.isPositive { flags += "D" }
            var cells: [(String, Role)] = [
                (row.id, base), (state.marked.contains(row.id) ? "*" : "", base), (row.name, base), (format.money(row.position.balance), base),
                (format.money(row.position.pastDue), selected || !row.position.pastDue.isPositive ? base : .overdue),
                (format.percent(basisPoints: row.utilisation), row.overLimit && !selected ? .warning : base),
                (row.grade?.rawValue ?? "-", base), (row.abc, base),
            ]
            if wide { cells += [(format.day(row.position.lastContact), base), (row.collector.map(person) ?? "-", base)] }
            cells.append((flags, selected ? base : .warning))
            var x = area.left
            for ((value, role), column) in zip(cells, columns) {
                screen.put(DisplayWidth.fit(value, to: column.1, alignment: column.2), row: y, col: x, role: role)
                x += column.1 + 1
            }
        }
        if rows.indices.contains(state.customerCursor), height > 0 {
            screen.put(DisplayWidth.truncate(customerDetail(rows[state.customerCursor], format: format), to: max(10, area.width - 2)),
                       row: area.top + area.height - 1, col: area.left + 1, width: area.width - 1, role: .muted)
        }
    }

    /// A customer row's flags in words (H on hold, ! over limit, B broken promises, D disputed),
    /// with its collector and last contact.
    func customerDetail(_ row: CustomerRow, format: Format) -> String {
        var parts = [row.id, row.collector.map(person) ?? text("no collector", "未分配"),
                     text("last contact ", "最近联系 ") + (row.position.lastContact.map { format.day($0) } ?? text("none", "无"))]
        // Someone is on it today: said wherever the customer is shown, not only in the queue.
        if let holder = view.claims[row.id] {
            parts.insert(holder == desk.user ? text("claimed by me", "我已认领") : text("claimed by \(person(holder))", "已被 \(person(holder)) 认领"), at: 2)
        }
        if row.status != .active { parts.append(statusText(row.status)) }
        if row.overLimit { parts.append(text("over limit", "超额度")) }
        if row.brokenPromises > 0 {
            parts.append(text("\(row.brokenPromises) broken promise\(row.brokenPromises == 1 ? "" : "s")", "\(row.brokenPromises) 次承诺违约"))
        }
        if row.position.disputed.isPositive { parts.append(text("disputed ", "争议 ") + format.money(row.position.disputed)) }
        return parts.joined(separator: " · ")
    }
}

extension Workstation {
    /// The manager's approvals list: limit changes, write-offs, holds and hand-offs asked for.
    func drawApprovals(into screen: inout Screen, area: Area, focused: Bool) {
        let requests = pendingRequests
        screen.put(text("Approvals · \(requests.count) waiting", "待审批 · \(requests.count) 项"), row: area.top, col: area.left, width: area.width, role: .title)
        // Ids whole when there is room: they are what `ardesk approve` is given.
        // As wide as the longest id shown (a limit request's is short, a run's long), within what the row can give.
        let idWidth = min(max(DisplayWidth.of(text("id", "编号")), requests.map(\.id.count).max() ?? 2), max(16, area.width - 75))
        let customerWidth = max(view.idWidth + 1, 8)  // room for its column name
        // Under 100 columns the day gives its room to the reason (the lines below the list tell both whole).
        let showsDay = area.width >= 100
        var columns: [(String, Int, DisplayWidth.Alignment)] = [
            (text("id", "编号"), idWidth, .left), (text("day", "日期"), showsDay ? 10 : -1, .left), (text("customer", "客户"), customerWidth, .left),
            (text("request", "申请"), 26, .left), (text("by", "申请人"), 10, .left),
        ]
        columns.removeAll { $0.1 < 0 }
        // The reason takes the rest of the row (each column before it and its gap).
        columns.append((text("reason", "原因"), max(0, area.width - columns.reduce(0) { $0 + $1.1 + 1 }), .left))
        header(columns, row: area.top + 1, left: area.left, right: area.left + area.width, into: &screen)
        let format = Format(currency: desk.book.currency, language: language)
        if requests.isEmpty {
            screen.put(text("Nothing waiting.", "没有待审批事项。"), row: area.top + 2, col: area.left + 1, role: .muted)
            return
        }
        // The last lines (four at most, under a blank one) tell the selected request whole, with
        // what to judge it by: at 80 columns the reason has no room in its row.
        let height = area.height - 2 - 5
        for (offset, index) in window(count: requests.count, cursor: state.approvalCursor, height: height).enumerated() {
            let r = requests[index]
            let y = area.top + 2 + offset
            let role: Role = index == state.approvalCursor ? (focused ? .selection : .header) : .normal
            screen.fill(row: y, col: area.left, width: area.width, role: role)
            let what: String
            switch r.kind {
            case .creditLimit(let m) where !m.isPositive: what = text("remove the limit (none)", "取消额度（不设上限）")
            case .creditLimit(let m):
                // Which way it goes, beside the amount asked for: a cut is read differently from a raise.
                // No limit yet (zero) is no cap at all: any limit set on it is a cut.
                let now = desk.book.customer(r.customer, asOf: asOf)?.creditLimit ?? .zero
                let way = !now.isPositive || m < now ? "↓ " : m > now ? "↑ " : ""
                what = text("credit limit ", "信用额度 ") + way + format.money(m)
            case .writeOff(let m): what = text("write off ", "坏账核销 ") + format.money(m)
            case .creditHold: what = text("credit hold", "信用冻结")
            case .handOff(let status): what = text("hand off: ", "移交：") + statusText(status)
            }
            var x = area.left
            // A long id (a dunning run's) shows its end, where ids differ (the run, the customer).
            let id = DisplayWidth.truncateHead(r.id, to: columns[0].1)
            let reason = ActivityText.generated(r.reason, chinese: language == .zh, levels: desk.policy.dunningLevels)
            for (value, column) in zip([id] + (showsDay ? [r.day.iso] : []) + [r.customer, what, person(r.requestedBy), reason], columns) {
                let room = min(column.1, area.left + area.width - x)  // a narrow pane: stop at its edge
                guard room > 0 else { break }
                screen.put(DisplayWidth.fit(value, to: room, alignment: column.2), row: y, col: x, role: role)
                x += column.1 + 1
            }
        }
        if requests.indices.contains(state.approvalCursor), height > 0 {
            let lines = approvalDetail(requests[state.approvalCursor], format: format, width: max(10, area.width - 2))
            for (offset, line) in lines.enumerated() {
                screen.put(line, row: area.top + area.height - lines.count + offset,
                           col: area.left + 1, width: area.width - 1, role: offset == 0 ? .normal : .muted)
            }
        }
    }

    /// A request in full: who asks what for whom and why, and the customer as it stood on the
    /// view's day (its limit, what it owes and how late, its grade and status), in at most four lines.
    func approvalDetail(_ r: Request, format: Format, width: Int) -> [String] {
        let customer = desk.book.customer(r.customer, asOf: asOf)  // as it stood on the view's day
        return [
            DisplayWidth.truncate("\(r.customer) \(customer?.name ?? "") · \(person(r.requestedBy)) \(r.day.iso)", to: width),
            DisplayWidth.truncate(text("why: ", "原因：") + (r.reason.isEmpty ? "-" : ActivityText.generated(r.reason, chinese: language == .zh, levels: desk.policy.dunningLevels)), to: width),
        ] + DisplayWidth.wrap(approvalStanding(r, format: format), to: width).prefix(2)
    }

    /// The customer of request `r` as it stood on the view's day: grade, status, limit, what it
    /// owes and how late.
    func approvalStanding(_ r: Request, format: Format) -> String {
        let customer = desk.book.customer(r.customer, asOf: asOf)
        let position = view.position(of: r.customer) ?? Position(r.customer, in: desk.book, asOf: asOf)
        let limit = customer.map { format.limit($0.creditLimit) } ?? "-"
        return text("now: grade \(customer?.grade?.rawValue ?? "-") · \(statusText(customer?.status ?? .active)) · limit \(limit) · balance \(format.money(position.balance)) · past due \(format.money(position.pastDue))",
                            "现状：等级 \(customer?.grade?.rawValue ?? "-") · \(statusText(customer?.status ?? .active)) · 额度 \(limit) · 余额 \(format.money(position.balance)) · 逾期 \(format.money(position.pastDue))")
            + (position.oldestDaysPastDue > 0 ? text(", oldest \(position.oldestDaysPastDue) day\(position.oldestDaysPastDue == 1 ? "" : "s")", "，最久 \(position.oldestDaysPastDue) 天") : "")
    }
}
