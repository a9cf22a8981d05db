import Core
import Desk
import Terminal

/// A rectangle of the screen a panel draws into.
struct Area {
    var top: Int, left: Int, height: Int, width: Int
    var bottom: Int { top + height }
}

extension Workstation {
    static let minimumSize = (rows: 16, cols: 60)
    /// From this width on, the list and the ledger sit side by side.
    static let sideBySideWidth = 140

    /// Draws the whole frame for a terminal of `rows` × `cols` from the state, noting only what
    /// the keys need of it (the width, whether it was too small, an overlay's scroll kept in range).
    public func render(rows: Int, cols: Int) -> Screen {
        lastScreenCols = cols
        var screen = Screen(rows: rows, cols: cols)
        screenTooSmall = rows < Workstation.minimumSize.rows || cols < Workstation.minimumSize.cols
        guard !screenTooSmall else {
            let message = text("Terminal too small: need \(Workstation.minimumSize.cols)×\(Workstation.minimumSize.rows), have \(cols)×\(rows)",
                               "终端太小：至少需要 \(Workstation.minimumSize.cols)×\(Workstation.minimumSize.rows)，当前 \(cols)×\(rows)")
            // Wrapped, so a narrow terminal still reads the size it needs.
            let lines = DisplayWidth.wrap(message, to: max(1, cols))
            let top = max(0, rows / 2 - lines.count / 2)
            for (index, line) in lines.enumerated() where top + index < rows {
                screen.put(line, row: top + index, col: 0, role: .warning)
            }
            return screen
        }
        drawTitle(&screen)
        let sideBySide = state.context != .dashboard && cols >= Workstation.sideBySideWidth
        // The customer the ledger pane shows: beside a list, the selected row's.
        let paneCustomer = sideBySide && state.context != .ledger ? selectedCustomer : state.ledgerCustomer
        drawTabs(&screen, ledgerCustomer: paneCustomer ?? state.ledgerCustomer)
        let body = Area(top: 2, left: 0, height: rows - 3, width: cols)
        if state.context == .dashboard {
            drawDashboard(into: &screen, area: body)
        } else if sideBySide {
            let listWidth = cols * 11 / 20
            let list = Area(top: body.top, left: 0, height: body.height, width: listWidth)
            let ledger = Area(top: body.top, left: listWidth + 1, height: body.height, width: cols - listWidth - 1)
            for y in body.top..<body.bottom { screen.put("│", row: y, col: listWidth, role: .border) }
            let listContext = state.context == .ledger ? state.listContext : state.context
            drawList(listContext, into: &screen, area: list, focused: state.context != .ledger)
            drawLedger(into: &screen, area: ledger, customer: paneCustomer, focused: state.context == .ledger)
        } else if state.context == .ledger {
            drawLedger(into: &screen, area: body, customer: state.ledgerCustomer, focused: true)
        } else {
            drawList(state.context, into: &screen, area: body, focused: true)
        }
        drawStatus(&screen)
        if state.showHelp { drawHelp(&screen); drawStatus(&screen) }  // its keys, as the help just laid out says them
        if let overlay = state.overlay { drawText(overlay, scroll: state.overlayScroll, on: &screen) }
        if let form = state.form { drawForm(form, on: &screen) }
        // A message said over a box is drawn last: a refusal wrapped to two lines on a narrow
        // screen lost its first line under the form's border.
        if state.message != nil && (state.form != nil || state.overlay != nil) { drawStatus(&screen) }
        return screen
    }

    func drawList(_ context: Context, into screen: inout Screen, area: Area, focused: Bool) {
        switch context {
        case .customers: drawCustomers(into: &screen, area: area, focused: focused)
        case .approvals: drawApprovals(into: &screen, area: area, focused: focused)
        case .review: drawReview(into: &screen, area: area, focused: focused)
        default: drawQueue(into: &screen, area: area, focused: focused)
        }
    }

    func drawTitle(_ screen: inout Screen) {
        screen.fill(row: 0, role: .title)
        let viewOnly = desk.roles == nil ? text("view only: roles.toml is missing", "仅查看：缺少 roles.toml")
            : text("view only: no role in roles.toml", "仅查看：roles.toml 中无角色")
        // The name the team knows (李娜) with the login, which commands and roles.toml take.
        let who = (person(desk.user) == desk.user ? desk.user : "\(person(desk.user)) \(desk.user)") + " (" + (desk.viewsOnly ? viewOnly : roleText(desk.role)) + ")"
        // A day after today is a projection (nothing more recorded until then), not a record.
        let day = !readOnly ? " \(asOf.iso) " : asOf > desk.today ? text(" AS OF \(asOf.iso) · PROJECTED · READ-ONLY ", " 截至 \(asOf.iso) · 预测 · 只读 ")
            : text(" AS OF \(asOf.iso) · READ-ONLY ", " 截至 \(asOf.iso) · 只读 ")
        let width = DisplayWidth.of(day)
        // The folder's end, where books differ, marked as cut where the day leaves it too little room.
        let prefix = " ardesk · \(who) · "
        let room = screen.cols - width - DisplayWidth.of(prefix) - 1
        let path = DisplayWidth.of(desk.folder.path) <= room ? desk.folder.path : room >= 8 ? DisplayWidth.truncateHead(desk.folder.path, to: room) : ""
        screen.put(prefix + path, row: 0, col: 0, width: screen.cols, role: .title)
        screen.put(day, row: 0, col: max(0, screen.cols - width), role: readOnly ? .readOnly : .title)
    }

    /// `ledgerCustomer`: the customer the ledger tab names.
    func drawTabs(_ screen: inout Screen, ledgerCustomer: CustomerID?) {
        // The queue as the collector filter narrows it, as the queue's own title counts it.
        let (worked, items) = queueProgress(collectorQueue)
        // Each tab's name and what it counts or names; a cut tab cuts its name, never its figure
        // ("Cust… 400", not "Customers 4…", which reads as four).
        let tabs: [(Context, name: String, figure: String)] = [
            (.queue, text("Queue", "待办"), "\(worked)/\(items)"),
            (.customers, text("Customers", "客户"), "\(view.customerCount)"),
            (.ledger, text("Ledger", "账页"), ledgerCustomer ?? ""),
        ] + (desk.role == .collector ? [] : [(.approvals, text("Approvals", "待审批"), "\(pendingRequests.count)"),
                                              (.review, text("Review", "信用审核"), ""), (.dashboard, text("Dashboard", "总览"), "")])
        func label(_ tab: (Context, name: String, figure: String), name: String) -> String { tab.figure.isEmpty ? name : name + " " + tab.figure }
        // On a narrow screen the longest labels are cut first, with an ellipsis, so that every
        // panel Tab reaches keeps a tab (a cut one keeps at least its first letters).
        var room = tabs.map { DisplayWidth.of(label($0, name: $0.name)) }
        // At least a first character (two columns for a Chinese one) and the ellipsis, and the figure.
        let least = tabs.map { (DisplayWidth.of($0.figure) + ($0.figure.isEmpty ? 0 : 1)) + 3 }
        while room.reduce(0, +) + 3 * tabs.count > screen.cols,
              let widest = room.indices.filter({ room[$0] > least[$0] }).max(by: { room[$0] < room[$1] }) {
            room[widest] -= 1
        }
        var x = 0
        for (tab, width) in zip(tabs, room) {
            let active = tab.0 == state.context
            let figure = tab.figure.isEmpty ? 0 : DisplayWidth.of(tab.figure) + 1
            let shown = label(tab, name: DisplayWidth.truncate(tab.name, to: max(1, width - figure)))
            x = screen.put(" " + DisplayWidth.truncate(shown, to: width) + " ", row: 1, col: x, role: active ? .selection : .header)
            x = screen.put(" ", row: 1, col: x)
        }
        if let label = collectorFilterLabel, x + 2 < screen.cols {
            screen.put(DisplayWidth.truncate(label, to: screen.cols - x - 1), row: 1, col: x + 1, role: .muted)
        }
    }

    /// The collector the lists are filtered to (`o`), for their titles: the tab bar's mark is
    /// cut off on a narrow terminal, and a list shorter than it should be must say why.
    var collectorFilterNote: String { collectorFilterLabel.map { " · " + $0 } ?? "" }

    /// The collector filter in force, as the tab bar names it; nil without one.
    var collectorFilterLabel: String? {
        switch state.collectorFilter {
        case nil: nil
        case UIState.unassigned?: text("collector: none", "催收员：未分配")
        case let collector?: text("collector: \(person(collector))", "催收员：\(person(collector))")
        }
    }

    func drawStatus(_ screen: inout Screen) {
        let row = screen.rows - 1
        screen.fill(row: row, role: .status)
        if let line = state.commandLine {
            // Longer than the screen: its end, where typing goes, with the caret in sight.
            let typed = ":" + line + "▏"
            screen.put(DisplayWidth.of(typed) <= screen.cols ? typed : DisplayWidth.truncateHead(typed, to: screen.cols), row: row, col: 0, role: .input)
            return
        }
        if let message = state.message {
            // A message wider than the screen takes the rows above (up to three), not cut off:
            // a refusal's reason is often at its end.
            let width = max(10, screen.cols - 2)
            let wrapped = DisplayWidth.wrap(message.text, to: width)
            var lines = Array(wrapped.prefix(3))
            // Longer still: the third line ends in "…", so a cut reads as cut, not as the end.
            if wrapped.count > 3 { lines[2] = DisplayWidth.truncate(lines[2] + " " + wrapped[3], to: width) }
            for (offset, line) in lines.enumerated() {
                let y = row - (lines.count - 1) + offset
                screen.fill(row: y, role: .status)
                screen.put(" " + line, row: y, col: 0, role: message.kind == .error ? .error : .status)
            }
            return
        }
        // A form, or a question over the screen, takes the next key: its keys are what to show
        // (the panel's read as if it had closed, and the next keys went into it).
        let modal: [(String, String)]? = state.form != nil
            ? [("Enter", text("save", "保存")), ("Tab ↑↓", text("field", "切换栏位")), ("Esc/Ctrl-C", text("cancel", "取消"))]
                + (state.form?.focusesPicks == true ? [("Space", text("tick", "勾选"))] : [])
            : state.overlay != nil && state.dunningRunAsked ? [("y", text("run it", "执行")), ("↑↓ PgUp PgDn", text("scroll", "滚动")), (text("other keys", "其他键"), text("cancel", "取消"))]
            : state.overlay != nil ? [("↑↓ PgUp PgDn g G", text("scroll", "滚动")), (":", text("command line", "命令行")), (text("other keys", "其他键"), text("close", "关闭"))]
            : state.showHelp && (lastHelpLines > 0 || lastHelpLeftOut) ? [("↑↓ PgUp PgDn", text("scroll", "滚动")), (text("other keys", "其他键"), text("close", "关闭"))]
            : state.showHelp ? [(text("any key", "任意键"), text("closes", "关闭"))]
            : state.searching ? [("Enter", text("keep the search", "保留搜索结果")), ("↑↓", text("move", "移动")), ("Esc/Ctrl-C", text("clear it", "清除搜索"))]
            : nil
        if let keys = modal {
            var x = 1
            for (key, label) in keys where x + DisplayWidth.of(key) + DisplayWidth.of(label) + 3 <= screen.cols {
                x = screen.put(key, row: row, col: x, role: .key)
                x = screen.put(" " + label + "  ", row: row, col: x, role: .status)
            }
            return
        }
        // Help and quit always show, at the right; the other hints fill the room that is left.
        // On another collector's customer a collector is told so, in place of keys that would be refused.
        let viewOnly = state.context == .approvals ? nil : selectedCustomer.flatMap { id -> String? in
            guard desk.refusal(toWork: id) != nil else { return nil }
            if let owner = desk.book.customers[id]?.collector, owner != desk.user {
                return text("\(person(owner))'s customer: view only  ", "\(person(owner)) 的客户：只能查看  ")
            }
            let holder = desk.book.claimHolder(of: id, on: desk.today) ?? "?"
            return text("claimed by \(person(holder)): view only  ", "已被 \(person(holder)) 认领：只能查看  ")
        }
        let hints = keymap.statusHints(in: state.context, language: language, readOnly: readOnly, viewOnly: viewOnly != nil)
        let always = hints.filter { $0.key == "?/F1" || $0.key == "q" }
        let width = { (hint: (key: String, label: String)) in DisplayWidth.of(hint.key) + DisplayWidth.of(hint.label) + 3 }
        let reserved = always.reduce(0) { $0 + width($1) }
        var x = 1
        if let viewOnly { x = screen.put(viewOnly, row: row, col: x, role: .status) }
        for hint in hints where !always.contains(where: { $0.key == hint.key }) {
            if x + width(hint) > screen.cols - reserved { break }
            x = screen.put(hint.key, row: row, col: x, role: .key)
            x = screen.put(" " + hint.label + "  ", row: row, col: x, role: .status)
        }
        x = screen.cols - reserved
        for hint in always {
            x = screen.put(hint.key, row: row, col: x, role: .key)
            x = screen.put(" " + hint.label + "  ", row: row, col: x, role: .status)
        }
    }

    /// A header line over a list, in the header role.
    /// Column titles from `left`, none past `right` (a pane's edge).
    func header(_ cells: [(String, Int, DisplayWidth.Alignment)], row: Int, left: Int, right: Int = Int.max, into screen: inout Screen) {
        var x = left
        for (title, width, alignment) in cells {
            let room = min(width, right - x)
            guard room > 0 else { break }
            screen.put(DisplayWidth.fit(title, to: room, alignment: alignment), row: row, col: x, role: .header)
            x += width + 1
        }
    }

    /// Which slice of `count` rows to show so that `cursor` stays visible.
    func window(count: Int, cursor: Int, height: Int) -> Range<Int> {
        guard height > 0 else { return 0..<0 }  // a pane too short for any row (its details take the room)
        guard count > height else { return 0..<count }
        let start = min(max(0, cursor - height / 2), count - height)
        return start..<(start + height)
    }

    /// The signed-in user's role as the title bar says it.
    func roleText(_ role: Roles.Role) -> String {
        switch role {
        case .collector: text("collector", "催收员")
        case .manager: text("manager", "信用经理")
        case .admin: text("admin", "管理员")
        }
    }
}
