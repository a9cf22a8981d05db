import Core
import Desk
import Terminal

extension Workstation {
    func drawLedger(into screen: inout Screen, area: Area, customer id: CustomerID?, focused: Bool) {
        guard let id, let customer = desk.book.customer(id, asOf: asOf) else {
            // Beside an empty approvals list there is nothing to select: said so, not "press Enter".
            let empty = state.context == .approvals && pendingRequests.isEmpty
            screen.put(empty ? text("Nothing waits for a decision.", "没有待审批的申请。") : text("Select a customer and press Enter.", "选择客户后按 Enter。"),
                       row: area.top + 1, col: area.left + 1, role: .muted)
            return
        }
        let lines = ledgerLines(customer, width: area.width)
        if focused { lastLedgerLines = max(1, lines.count - area.height + 1) }
        // The document :goto found the customer by: scrolled to once (the line above it kept in
        // view), and marked while this ledger shows.
        if focused, let wanted = state.ledgerFind {
            state.ledgerFind = nil
            if let index = lines.firstIndex(where: { Self.line($0, names: wanted) }) {
                state.ledgerScroll = max(0, min(index - 1, lastLedgerLines - 1))
                state.ledgerMarked = (id, wanted)
            } else if let said = state.message?.text {
                // Settled, or a payment older than the latest ones listed: said, not left to look for.
                state.message?.text = said + text(" (not among the open items and latest payments listed here)", "（不在此处列出的未结发票及最近回款中）")
            }
        }
        let marked = state.ledgerMarked.flatMap { $0.customer == id ? $0.document : nil }
        let scroll = focused ? min(state.ledgerScroll, max(0, lines.count - 1)) : 0
        // More below than fits: the last row says how much, so that the payments and the call
        // history under the open items are known to be there (as the activity box says it).
        let below = lines.count - scroll - area.height
        let rows = below > 0 && area.height > 1 ? area.height - 1 : area.height
        if rows < area.height {
            let more = below + 1
            let how = focused ? text(" (↓ scrolls)", "（↓ 滚动）") : text(" (Enter opens the ledger)", "（Enter 打开账页）")
            screen.put(DisplayWidth.truncate(text("… \(more) more lines", "… 下方还有 \(more) 行") + how, to: area.width - 1),
                       row: area.top + rows, col: area.left + 1, role: .muted)
        }
        for (offset, line) in lines.dropFirst(scroll).prefix(rows).enumerated() {
            var x = area.left
            let isMarked = marked.map { Self.line(line, names: $0) } ?? false
            for (piece, role) in line {
                let role = isMarked ? Role.selection : role
                // Cut at the panel's edge with an ellipsis: a note or reason longer than the line
                // says there is more (Enter or v reads an activity whole).
                let room = area.left + area.width - x
                guard room > 0 else { break }
                let shown = DisplayWidth.of(piece) > room ? DisplayWidth.truncate(piece, to: room) : piece
                x = screen.put(shown, row: area.top + offset, col: x, width: room, role: role)
            }
        }
    }

    typealias Line = [(String, Role)]

    /// Whether a ledger line is that of document `number`: an open item's names it in its first
    /// column, a payment's in a column of its own.
    static func line(_ line: Line, names number: String) -> Bool {
        line.contains { piece in
            let word = piece.0.trimmingCharacters(in: .whitespaces)
            return word == number || (piece.0 == line.first?.0 && word.hasPrefix(number + " "))
        }
    }

    /// The ledger as styled lines: header, aging bar, open items, payments, promises, timeline.
    func ledgerLines(_ c: Customer, width: Int) -> [Line] {
        let format = Format(currency: desk.book.currency, language: language)
        let position = view.position(of: c.id) ?? Position(c.id, in: desk.book, asOf: asOf)
        var lines: [Line] = []
        lines.append([("\(c.id)  \(c.name)", .title)])
        // How many others, before the first's details: a narrow pane cuts the end of the line.
        let others = c.contacts.count > 1 ? text("(+\(c.contacts.count - 1) more: e) ", "（另有 \(c.contacts.count - 1) 位：e）") : ""
        let contact = c.contacts.first?.summary ?? "-"
        lines.append([(text("Contact ", "联系人 "), .muted), (others, .muted), (contact, .normal)])
        let utilisation = format.percent(basisPoints: CustomerRow.utilisation(owed: position.owed, limit: c.creditLimit))
        lines.append([(text("Terms ", "账期 "), .muted), (text("\(c.termsDays)d  ", "\(c.termsDays) 天  "), .normal), (text("Limit ", "额度 "), .muted),
                      (format.limit(c.creditLimit) + "  ", .normal), (text("Used ", "占用 "), .muted),
                      (utilisation + "  ", Credit.overLimit(balance: position.owed, limit: c.creditLimit) ? .warning : .normal),
                      (text("Grade ", "等级 "), .muted), ((c.grade?.rawValue ?? "-") + "  ", .normal)])
        let claim = desk.book.claimHolder(of: c.id, on: asOf).map(person).map { text("  claimed by \($0)", "  认领人 \($0)") } ?? ""
        lines.append([(text("Status ", "状态 "), .muted), (statusText(c.status) + "  ", c.status == .active ? .ok : .warning),
                      (text("Collector ", "催收员 "), .muted), ((c.collector.map(person) ?? text("none", "未分配")) + claim, .normal)])
        // Why the customer is in the queue, and the callback asked for: what the call is about,
        // read where the collector works (x from here never shows the queue's footer).
        if let item = view.queue.first(where: { $0.customer == c.id }), !item.reasons.isEmpty || item.settled {
            let why = queueDetail(item).dropFirst("\(c.id) · ".count)
            lines.append([(text("Queued ", "待办 "), .muted), (String(why), .warning)])
        }
        // Due or not, with its note: when it is due, the note says what to call about.
        if let callback = Worklist.pendingCallback(of: c.id, in: desk.book, asOf: asOf) {
            let due = callback.day <= asOf
            lines.append([(due ? text("Callback due ", "回访到期 ") : text("Callback ", "回访 "), .muted),
                          (callback.day.iso + (callback.note.isEmpty ? "" : " · " + ActivityText.generated(callback.note, chinese: language == .zh, levels: desk.policy.dunningLevels)),
                           due ? .warning : .normal)])
        }
        var balance: Line = [(text("Balance ", "余额 "), .muted), (format.money(position.balance) + "  ", .normal),
                             (text("Past due ", "逾期 "), .muted), (format.money(position.pastDue), position.pastDue.isPositive ? .overdue : .ok),
                             (position.credit.isPositive ? text("  credit ", "  贷方余额 ") + format.money(position.credit) : "", .ok)]
        // What the queue and a promise ask for is the part not disputed: both figures, named, on
        // a line of their own when the balance's has no room for them (an amount cut short would
        // read as another amount).
        var disputedLine: Line?
        // Of what is past due (what the line says before it), the part disputed: a dispute on an
        // invoice not yet due is marked on its item, not counted here (the sum did not add up).
        let disputedPastDue = position.pastDue - position.collectablePastDue
        if disputedPastDue.isPositive {
            let disputed = text("of it disputed ", "其中争议 ") + format.money(disputedPastDue)
                + text(", to collect ", "，应催收 ") + format.money(position.toCollect)
            let used = balance.reduce(0) { $0 + DisplayWidth.of($1.0) }
            if used + 2 + DisplayWidth.of(disputed) <= width {
                balance.insert(("  " + disputed, .warning), at: balance.count - 1)  // before the credit
            } else {
                disputedLine = [(String(repeating: " ", count: DisplayWidth.of(text("Balance ", "余额 "))) + disputed, .warning)]
            }
        }
        lines.append(balance)
        if let disputedLine { lines.append(disputedLine) }
        let charges = OpenCharges.of(c.id, in: desk.book, asOf: asOf)
        let chargesOpen = charges.reduce(Money.zero) { $0 + $1.open }
        if chargesOpen.isPositive {  // in view with the balance: what a customer on the phone asks for in all
            let indent = String(repeating: " ", count: DisplayWidth.of(text("Balance ", "余额 ")))
            let net = position.credit.isPositive
            lines.append([(indent + text("and fees and interest ", "另有费用及利息 "), .muted), (format.money(chargesOpen), .overdue),
                          (net ? text("  in all, less the credit ", "  扣除贷方余额后合计 ") : text("  in all ", "  合计 "), .muted),
                          (format.money(max(.zero, position.balance + chargesOpen - position.credit)), .normal)])
        }
        lines.append(agingBar(c.id, width: width, format: format))
        lines.append([])

        let items = OpenItems.of(c.id, in: desk.book, asOf: asOf).sorted { $0.due != $1.due ? $0.due < $1.due : $0.invoice < $1.invoice }
        lines.append([(text("Open items (\(items.count))", "未结发票（\(items.count)）"), .header)])
        if !items.isEmpty {  // which date is which: an invoice's issue day is not shown here
            lines.append([(DisplayWidth.fit(text("invoice", "发票号"), to: 16) + " " + DisplayWidth.fit(text("due", "到期日"), to: 10) + " "
                           + DisplayWidth.fit(text("open", "未结金额"), to: 13, alignment: .right) + " " + text("late", "逾期"), .muted)])
        }
        let invoices = desk.book.invoices  // once for the loop: each `desk.book` is a copy
        for item in items {
            let late = item.daysPastDue > 0 ? text("\(item.daysPastDue)d late", "逾期\(item.daysPastDue)天") : text("not due", "未到期")
            // The customer's own number for it (a PO), last: what they look it up by on a call.
            let reference = invoices[item.invoice].map { $0.reference.isEmpty ? "" : text("  ref ", "  订单 ") + $0.reference } ?? ""
            lines.append([(DisplayWidth.fit(item.invoice, to: 16) + " ", .normal), (item.due.iso + " ", .muted),
                          (amountColumn(item.open, format) + " ", item.daysPastDue > 0 ? .overdue : .normal),
                          (DisplayWidth.fit(late, to: 10), .muted), (item.disputed.isPositive ? text("  DISPUTED", "  争议中") + (item.disputed < item.open ? " " + format.money(item.disputed) : "") : "", .warning), (reference, .muted)])
        }
        let disputes = desk.book.disputes(of: c.id, openOn: asOf)
        if !disputes.isEmpty {  // what D resolves
            lines.append([])
            lines.append([(text("Disputes open (\(disputes.count))", "未解决争议（\(disputes.count)）"), .header)])
            for d in disputes {
                // Paid or credited in full since: nothing is held back any more, but the dispute
                // stays open (and on the record) until someone says how it ended.
                let settled = disputedInvoiceSettled(d, asOf: asOf)
                // A part disputed, with its amount (all of the invoice otherwise).
                let part = d.amount.map { format.money($0) + "  " } ?? ""
                lines.append([(DisplayWidth.fit(d.invoice, to: 16) + " ", .normal), (d.opened.iso + " ", .muted),
                              (person(d.owner) + "  ", .muted), (part, .warning), (d.reason, .warning),
                              (settled ? text("  invoice settled: resolve with D", "  发票已结清，可按 D 解决") : "", .muted)])
            }
        }
        if !charges.isEmpty {
            // Apart from the principal: paying the invoices does not pay these.
            lines.append([])
            lines.append([(text("Fees and interest open, apart: ", "未付费用及利息（与本金分开）："), .header),
                          (format.money(chargesOpen), .overdue)])
            for (charge, open) in charges {
                let kind: String
                switch charge.kind {
                case .fee(let level): kind = text("fee, level \(level)", "第 \(level) 级催收费用")
                case .interest(let through): kind = text("interest to ", "利息至 ") + through.iso
                }
                lines.append([("\(charge.day.iso) ", .muted), (amountColumn(open, format) + "  ", .overdue),
                              (kind + "  ", .normal), (charge.id, .muted)])
            }
        }
        let judged = Promises.judge(c.id, in: desk.book, asOf: asOf)
        if !judged.isEmpty {
            lines.append([])
            lines.append([(text("Promises", "付款承诺"), .header)])
            for p in judged.suffix(6) {
                let role: Role = p.state == .kept ? .ok : p.state == .pending ? .normal : p.state == .replaced ? .muted : .overdue
                lines.append([("\(p.promise.due.iso) ", .muted), (amountColumn(p.promise.amount, format), .normal),
                              ("  " + promiseText(p.state), role), ("  " + text("paid ", "已付 ") + format.money(p.paid), .muted),
                              (p.promise.plan.map { "  " + $0 } ?? "", .muted)])
            }
        }
        let payments = desk.book.payments(of: c.id).filter { $0.day <= asOf }.sorted { $0.day > $1.day }
        if !payments.isEmpty {
            lines.append([])
            lines.append([(text("Payments (latest first)", "回款（最新在前）"), .header)])
            // What is left of its credit by the view's day, net of credit applied from it since.
            func unapplied(_ p: Payment) -> Money { p.unapplied - desk.book.creditApplied(from: .payment(p.reference), asOf: asOf) }
            for p in payments.prefix(8) {
                let applied = (p.allocations.map { $0.invoice } + p.charges.map { $0.charge }).joined(separator: ", ")
                // A payment that came back is shown where it was, marked: what it settled is owed again.
                let reversal = desk.book.reversal(of: p.reference, asOf: asOf)
                let note: (String, Role) = if let reversal {
                    (text("  reversed ", "  已冲销 ") + reversal.day.iso
                        + (reversal.cause == .enteredInError ? text(" (entered in error)", "（录入错误）") : ""), .overdue)
                } else {
                    (unapplied(p).isPositive ? text("  unapplied ", "  未冲抵 ") + format.money(unapplied(p)) : "", .warning)
                }
                // The mark before the invoices it paid, the reason after them: a long list must not
                // push the mark off the pane.
                lines.append([("\(p.day.iso) ", .muted), (amountColumn(p.amount, format), reversal == nil ? .ok : .overdue),
                              ("  " + p.reference, .muted), note, ("  → " + applied, .muted),
                              (reversal.map { " · " + $0.reason } ?? "", .overdue)])
            }
        }
        // What reduced the balance other than cash: credit notes and write-offs, each with what it
        // settled and why (the invoices they settle drop out of the open items above).
        let adjustments: [(day: Day, amount: Money, label: String, detail: String)] =
            desk.book.creditNotes(of: c.id).filter { $0.day <= asOf }.map { n in
                // One against no invoice is a credit on account until applied (`C`), in full or in part.
                let applied = n.invoice == nil ? desk.book.creditApplied(from: .creditNote(n.number), asOf: asOf) : .zero
                let onAccount = applied == .zero ? text("on account", "未冲抵")
                    : applied >= n.amount ? text("applied in full", "已全部冲抵")
                    : text("on account, \(format.money(applied)) applied", "未冲抵，已冲抵 \(format.money(applied))")
                return (n.day, n.amount, text("credit note ", "贷项通知 ") + n.number,
                        (n.invoice.map { "→ " + $0 } ?? onAccount) + (n.reason.isEmpty ? "" : " · " + n.reason))
            } + desk.book.writeOffs(of: c.id).filter { $0.day <= asOf }.map { w in
                let back = w.reinstatement(asOf: asOf)
                return (w.day, w.amount, text("write-off ", "坏账核销 ") + w.id,
                        (back.map { text("reinstated \($0.day.iso) by \($0.by) · \($0.reason) · ", "\($0.by) 已于 \($0.day.iso) 转回 · \($0.reason) · ") } ?? "")
                            + "→ " + w.allocations.map(\.invoice).joined(separator: ", ") + " · " + w.approvedBy + (w.reason.isEmpty ? "" : " · " + w.reason))
            } + desk.book.creditApplications(of: c.id).filter { $0.day <= asOf }.map { a in
                let back = desk.book.takenBack(a, asOf: asOf)
                return (a.day, a.amount, text("credit applied ", "冲抵 ") + a.id,
                        (back.map { text("taken back \($0.day.iso) · ", "已于 \($0.day.iso) 撤回 · ") } ?? "")
                            + text("from ", "来自 ") + a.source.number + " → " + a.allocations.map(\.invoice).joined(separator: ", "))
            }
        if !adjustments.isEmpty {
            lines.append([])
            lines.append([(text("Credit notes, credit applied and write-offs (latest first)", "贷项通知、冲抵与核销（最新在前）"), .header)])
            // Latest first; within a day by what they are, so the order is the same every time.
            for a in adjustments.sorted(by: { $0.day != $1.day ? $0.day > $1.day : $0.label < $1.label }).prefix(8) {
                lines.append([("\(a.day.iso) ", .muted), (amountColumn(a.amount, format), .ok),
                              ("  " + a.label + "  ", .normal), (a.detail, .muted)])
            }
        }
        lines.append([])
        lines.append([(text("Activity (latest first)", "催收记录（最新在前）"), .header)])
        for (activity, kind, detail) in activityLatestFirst(of: c.id) {
            let undone = activity.undoneBy != nil
            // "(undone)" before the detail: a long detail is cut at the panel's edge, the mark must not be.
            lines.append([(StampText.label(activity.stamp) + " ", .muted), (DisplayWidth.fit(person(activity.stamp.author), to: 10) + " ", .muted),
                          (kind + (undone && language == .zh ? "" : " "), undone ? .muted : .key), (undone ? text("(undone) ", "（已撤销）") : "", .muted),
                          (detail, undone ? .muted : .normal)])
        }
        return lines
    }

    /// An amount right-aligned in the panel's 13 columns, and never cut: a larger one pushes
    /// the rest of its line right rather than losing digits (123,456,789.… reads as less).
    func amountColumn(_ money: Money, _ format: Format) -> String {
        let text = format.money(money)
        return String(repeating: " ", count: max(0, 13 - DisplayWidth.of(text))) + text
    }

    /// One line: each bucket's share of the open amount as a bar of its own width.
    func agingBar(_ id: CustomerID, width: Int, format: Format) -> Line {
        let columns = AgingReport.columns(of: id, book: desk.book, policy: desk.policy, asOf: asOf)
        let amounts = columns.map(\.amount)
        let total = amounts.reduce(Money.zero, +)
        guard total.isPositive else { return [(text("Nothing open", "无未结款项"), .ok)] }
        let labels = [text("not due", "未到期")] + columns.dropFirst().map(\.label)
        var line: Line = []
        let barRoom = max(10, width - 8 * labels.count)
        for (label, amount) in zip(labels, amounts) where amount.isPositive {
            let blocks = max(1, Int(amount.minorUnits * Int64(barRoom) / total.minorUnits))
            line.append((label + " ", .muted))
            line.append((String(repeating: "█", count: min(blocks, barRoom)) + " ", label == labels[0] ? .ok : .overdue))
        }
        return line
    }

    func statusText(_ status: CustomerStatus) -> String {
        language == .zh ? Desk.chineseStatus(status) : status == .onHold ? "on hold" : status.rawValue
    }

    func promiseText(_ state: PromiseState) -> String {
        guard language == .zh else { return state.rawValue }
        switch state {
        case .pending: return "待兑现"
        case .kept: return "已兑现"
        case .partiallyKept: return "部分兑现"
        case .broken: return "已违约"
        case .replaced: return "已被新承诺取代"
        }
    }
}
