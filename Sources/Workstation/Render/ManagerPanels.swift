import Core
import Terminal

extension Workstation {
    /// Customers to review, with their risk signals; Enter opens the ledger with manager keys.
    func drawReview(into screen: inout Screen, area: Area, focused: Bool) {
        let rows = reviewRows
        let signals = riskSignals
        let marks = collectorFilterNote + (state.marked.isEmpty ? "" : text(" · \(state.marked.count) marked", " · 已标记 \(state.marked.count)"))
        let keyed = text("Credit review · \(rows.count) · sort: \(state.reviewSort.label(language)) (s) · filter: \(state.reviewFilter.label(language)) (f)",
                         "信用审核 · \(rows.count) · 排序：\(state.reviewSort.label(language))（s）· 筛选：\(state.reviewFilter.label(language))（f）") + marks
        // Without the keys where they would push the collector filter off a narrow screen (the help has them).
        let title = DisplayWidth.of(keyed) <= area.width ? keyed
            : text("Credit review · \(rows.count) · sort: \(state.reviewSort.label(language)) · filter: \(state.reviewFilter.label(language))",
                   "信用审核 · \(rows.count) · 排序：\(state.reviewSort.label(language)) · 筛选：\(state.reviewFilter.label(language))") + marks
        screen.put(withSearch(title, width: area.width), row: area.top, col: area.left, width: area.width, role: .title)
        let format = Format(currency: desk.book.currency, language: language)
        // The last three lines tell the selected customer's signals in full, with what they measured.
        let height = area.height - 2 - 4
        if focused && state.context == .review { lastListHeight = height }
        let shown = window(count: rows.count, cursor: state.reviewCursor, height: height)
        // Amounts and use whole: their columns widen for the rows on screen that need it.
        let pastDueWidth = DisplayWidth.widest(shown.map { format.money(rows[$0].position.pastDue) }, atLeast: 11)
        let useWidth = DisplayWidth.widest(shown.map { format.percent(basisPoints: rows[$0].utilisation) }, atLeast: 5)
        // Names get more of a wide screen (a Chinese company name is ten characters or more).
        let nameWidth = area.width >= 110 ? 26 : area.width >= 100 ? 22 : 18
        let gradeWidth = language == .zh ? 4 : 2  // 评级: 级 alone read as the queue's dunning level
        let signalWidth = max(12, area.width - 2 - view.idWidth - nameWidth - pastDueWidth - useWidth - gradeWidth - 3 - 10 - 10)
        // ABC beside the grade: the review sorts by it, so it shows it.
        let columns: [(String, Int, DisplayWidth.Alignment)] = [
            (text("id", "编号"), view.idWidth, .left), ("", 1, .left), (text("name", "名称"), nameWidth, .left),
            (text("past due", "逾期"), pastDueWidth, .right), (text("use", "占用"), useWidth, .right), (text("gr", "评级"), gradeWidth, .left),
            ("ABC", 3, .left), (text("review", "审核日"), 10, .left), (text("signals", "风险信号"), signalWidth, .left),
        ]
        header(columns, row: area.top + 1, left: area.left, into: &screen)
        if rows.isEmpty {  // a filter that matches nobody says so, not a blank table
            screen.put(text("No customer matches.", "没有符合条件的客户。"), row: area.top + 2, col: area.left + 1, role: .muted)
        }
        func flags(_ row: CustomerRow, detailed: Bool) -> [String] {
            var flags = (signals[row.id] ?? []).map { $0.kind.label(language) + (detailed && !$0.detail.isEmpty ? text(" (\($0.detail))", "（\($0.detail(chinese: true))）") : "") }
            if row.overLimit { flags.insert(text("over limit", "超额度"), at: 0) }
            // Not active (on hold, with lawyers or an agency, closed): said first, as a hold is.
            if row.status != .active { flags.insert(statusText(row.status), at: 0) }
            if row.holdAdvised {
                // In the detail line, why: the rule and its figures, as report risk says them.
                let why = detailed ? desk.book.customers[row.id].map { Credit.holdCheck($0, position: row.position, policy: desk.policy) } ?? [] : []
                let reasons = why.map { holdReasonText($0) }.joined(separator: text("; ", "；"))
                flags.append(text("hold advised", "建议冻结") + (reasons.isEmpty ? "" : text(" (\(reasons))", "（\(reasons)）")))
            }
            // Listed because its review date has come: said, not "no risk signals".
            if let review = row.nextReview, review <= asOf { flags.append(text("review due", "待审核")) }
            return flags
        }
        for (offset, index) in shown.enumerated() {
            let row = rows[index]
            let y = area.top + 2 + offset
            let selected = index == state.reviewCursor
            let base: Role = selected ? (focused ? .selection : .header) : .normal
            screen.fill(row: y, col: area.left, width: area.width, role: base)
            let flags = flags(row, detailed: false)
            let cells = [row.id, state.marked.contains(row.id) ? "*" : "", row.name, format.money(row.position.pastDue), format.percent(basisPoints: row.utilisation),
                         row.grade?.rawValue ?? "-", row.abc, format.day(row.nextReview), flags.joined(separator: " · ")]
            var x = area.left
            for (value, column) in zip(cells, columns) {
                screen.put(DisplayWidth.fit(value, to: column.1, alignment: column.2), row: y, col: x,
                           role: column.0 == columns.last!.0 && !selected ? .warning : base)
                x += column.1 + 1
            }
        }
        if rows.indices.contains(state.reviewCursor), height > 0 {
            let row = rows[state.reviewCursor]
            let limit = format.limit(row.limit)
            let width = max(10, area.width - 2)
            let who = "\(row.id) \(row.name) · " + (row.collector.map(person) ?? text("no collector", "未分配"))
                + text(" · limit \(limit) · owes \(format.money(row.position.owed))", " · 额度 \(limit) · 欠款 \(format.money(row.position.owed))")
            let found = flags(row, detailed: true)
            let told = DisplayWidth.wrapInTwoLines(found.isEmpty ? text("no risk signals", "无风险信号") : found.joined(separator: " · "), to: width)
            for (offset, line) in ([DisplayWidth.truncate(who, to: width)] + told).enumerated() {
                screen.put(line, row: area.top + area.height - 3 + offset, col: area.left + 1, width: area.width - 1,
                           role: offset == 0 ? .normal : .warning)
            }
        }
    }

    /// The portfolio at a glance: aging bars, KPIs with 12-month sparklines, provision, top
    /// debtors, promises kept, risk signals and the collectors' table. Conventions are named.
    func drawDashboard(into screen: inout Screen, area: Area) {
        let p = portfolio
        let format = Format(currency: desk.book.currency, language: language)
        var y = area.top
        var index = 0  // lines from the top, scrolled past or shown (j/k, PgUp/PgDn scroll)
        lastDashboardHeight = area.height
        func line(_ pieces: [(String, Role)]) {
            defer { index += 1; lastDashboardLines = index }
            guard index >= state.dashboardScroll, y < area.bottom else { return }
            var x = area.left
            for (number, (piece, role)) in pieces.enumerated() {
                // An entry that does not fit whole is left out, not cut to a stub of itself; an
                // ellipsis says something was (a figure left without its unit reads as another).
                let room = area.left + area.width - x
                guard number == 0 || DisplayWidth.of(piece) <= room else {
                    // Cut where a fair part of it still shows (a unit's first words), else only marked.
                    let shown = room >= 12 ? DisplayWidth.truncate(piece, to: room) : "…"
                    _ = screen.put(shown, row: y, col: min(x, area.left + area.width - 1), width: max(1, room), role: shown == "…" ? .muted : role)
                    break
                }
                x = screen.put(piece, row: y, col: x, width: area.left + area.width - x, role: role)
            }
            y += 1
        }
        /// A heading and a list of entries, over as many lines as the panel's width needs (each
        /// entry whole, the lines after the first under the first entry).
        func wrapped(_ heading: (String, Role), _ entries: [(String, Role)]) {
            let indent = DisplayWidth.of(heading.0)
            var pieces = [heading], used = indent
            for entry in entries {
                let width = DisplayWidth.of(entry.0)
                if used + width > area.width, pieces.count > 1 {
                    line(pieces)
                    pieces = [(String(repeating: " ", count: indent), .normal)]
                    used = indent
                }
                pieces.append(entry)
                used += width
            }
            line(pieces)
        }
        let hundredths = Format.hundredths
        line([(text("Portfolio as of \(asOf.iso) · \(desk.book.currency.code)", "组合总览 · 截至 \(asOf.iso) · \(desk.book.currency.code)"), .title)])
        // Aging as horizontal bars scaled to the largest bucket.
        let largest = max(1, p.aging.totals.map(\.minorUnits).max() ?? 1)
        let barWidth = max(10, min(50, area.width - 40))
        for (label, amount) in zip(p.aging.labels, p.aging.totals) {
            let bar = String(repeating: "█", count: Int(amount.minorUnits * Int64(barWidth) / largest))
            line([(DisplayWidth.fit(label == "not due" ? text("not due", "未到期") : label, to: 8), .muted),
                  (DisplayWidth.fit(format.money(amount), to: 16, alignment: .right) + " ", .normal), (bar, label == "not due" ? .ok : .overdue)])
        }
        // What DSO, CEI and the shares below weigh: the total less each customer's own credit.
        line([(text("total   ", "合计    "), .muted), (DisplayWidth.fit(format.money(p.aging.total), to: 16, alignment: .right), .normal),
              (text("   net of each one's credit ", "   扣除各客户贷项后 "), .muted), (format.money(p.kpis.netReceivables), .normal)])
        // Beside the receivables, as `report kpi` gives them: neither is in the aging above.
        line([(text("unapplied credit ", "尚未冲抵的回款与贷项 "), .muted), (format.money(p.kpis.credit) + "   ", .ok),
              (text("fees and interest open ", "未结费用及利息 "), .muted), (format.money(p.kpis.chargesOpen), .normal)])
        line([])
        let k = p.kpis
        let kpis: [(String, String, [Int?], String)] = [
            (text("DSO count-back", "DSO 倒推法"), hundredths(k.dsoCountBack), p.trend.map { $0.dsoCountBack }, text("days, counting back month by month", "天，按自然月倒推")),
            (text("DSO simple", "DSO 简单法"), hundredths(k.dsoSimple), p.trend.map(\.dsoSimple), text("days, AR / 90 days' sales × 90", "天，应收/近90天销售×90")),
            (text("best possible DSO", "最佳 DSO"), hundredths(k.bestPossibleDSO), p.trend.map(\.bestPossibleDSO), text("days, not-due AR / 90 days' sales × 90", "天，未到期应收/近90天销售×90")),
            (text("ADD", "平均逾期天数"), hundredths(k.averageDaysDelinquent), p.trend.map(\.averageDaysDelinquent), text("days, DSO − best possible", "天，DSO − 最佳 DSO")),
            (text("CEI", "回款有效指数"), hundredths(k.cei) + "%", p.trend.map(\.cei), text("calendar month to the day", "本月至今")),
            (text("overdue rate", "逾期率"), hundredths(k.overdueRate) + "%", p.trend.map(\.overdueRate), text("past due / AR", "逾期/应收")),
        ]
        // The trend's direction, said once: oldest month on the left, the last one this day.
        line([(DisplayWidth.fit(text("indicator", "指标"), to: 18), .muted), (DisplayWidth.fit(text("now", "当前"), to: 9, alignment: .right) + "  ", .muted),
              (DisplayWidth.fit(text("12 months →", "近12个月→"), to: 12) + "  ", .muted)])
        for (name, value, series, convention) in kpis {
            line([(DisplayWidth.fit(name, to: 18), .muted), (DisplayWidth.fit(value, to: 9, alignment: .right) + "  ", .normal),
                  (sparkline(series) + "  ", .key), (convention, .muted)])
        }
        line([])
        line([(text("Provision ", "坏账准备 "), .header), (text("collections matrix ", "账龄矩阵 "), .muted), (format.money(p.collections.total) + "   ", .normal),
              (text("accounting 1/2/3-year ", "会计 1/2/3 年 "), .muted), (format.money(p.accounting.total), .normal)])
        if p.keptRate.count == nil {
            line([(text("Promises kept ", "承诺兑现率 "), .header), (text("none judged in 90 days (due and past tolerance)", "近 90 天无已判定承诺（已到期且过宽限期）"), .muted)])
        } else {
            // No space before a full-width bracket: it carries its own.
            line([(text("Promises kept ", "承诺兑现率 "), .header), (hundredths(p.keptRate.count) + text("% ", "%"), .normal),
                  (text("by count, ", "（按笔数），"), .muted), (hundredths(p.keptRate.amount) + text("% ", "%"), .normal),
                  (text("by amount, of those judged in 90 days", "（按金额），近 90 天已判定的承诺"), .muted)])
        }
        var counts: [RiskSignal.Kind: Int] = [:]
        for list in riskSignals.values { for s in list { counts[s.kind, default: 0] += 1 } }
        // With the holds the review advises (what `report risk` counts beside the signals).
        let holdsAdvised = view.rows.count(where: \.holdAdvised)
        wrapped((text("Risk signals ", "风险信号 "), .header), RiskSignal.Kind.allCases.map { ("\($0.label(language)) \(counts[$0] ?? 0)   ", .warning) }
                + [(text("hold advised \(holdsAdvised)   ", "建议冻结 \(holdsAdvised)   "), .warning)])
        let (top, queuedByCollector) = dashboardLists
        // Names as long as a wide screen allows: similar company names differ at their ends.
        let nameWidth = area.width >= 120 ? 24 : 12
        wrapped((text("Most past due ", "逾期最多 "), .header), top.map { ("\($0.id) \(DisplayWidth.truncate($0.name, to: nameWidth)) \(format.short($0.position.pastDue))   ", .normal) })
        line([])
        line([(text("queued: in today's queue · the rest: the last 30 days", "待办：今日队列 · 其余：近 30 天"), .muted)])
        line([(DisplayWidth.fit(text("collector", "催收员"), to: 12) + DisplayWidth.fit(text("queued", "待办"), to: 8, alignment: .right)
               + DisplayWidth.fit(text("worked", "已处理"), to: 8, alignment: .right) + DisplayWidth.fit(text("contacts", "联系"), to: 9, alignment: .right)
               + DisplayWidth.fit(text("promises", "承诺"), to: 9, alignment: .right) + DisplayWidth.fit(text("kept", "兑现"), to: 14, alignment: .right)
               + DisplayWidth.fit(text("cash 30d", "30天回款"), to: 16, alignment: .right), .header)])
        for f in p.collectors where !f.collector.isEmpty {
            let queued = queuedByCollector[f.collector] ?? 0
            line([(DisplayWidth.fit(person(f.collector), to: 12) + DisplayWidth.fit(String(queued), to: 8, alignment: .right)
                   + DisplayWidth.fit(String(f.itemsWorked), to: 8, alignment: .right) + DisplayWidth.fit(String(f.contacts), to: 9, alignment: .right)
                   + DisplayWidth.fit(String(f.promisesTaken), to: 9, alignment: .right)
                   + DisplayWidth.fit(format.money(f.promisedAmountKept), to: 14, alignment: .right)
                   + DisplayWidth.fit(format.money(f.cashCollected), to: 16, alignment: .right), .normal)])
        }
        let nobodysCash = p.collectors.first { $0.collector.isEmpty }?.cashCollected
        if queuedByCollector[""] != nil || nobodysCash != nil {  // customers of no collector: anyone's to call
            line([(DisplayWidth.fit(text("(nobody's)", "（未分配）"), to: 12) + DisplayWidth.fit(String(queuedByCollector[""] ?? 0), to: 8, alignment: .right)
                   + String(repeating: " ", count: 8 + 9 + 9 + 14) + DisplayWidth.fit(nobodysCash.map(format.money) ?? "", to: 16, alignment: .right), .muted)])
        }
        // Lines below the panel's last row are said on it (a short screen ends mid-dashboard).
        let below = lastDashboardLines - state.dashboardScroll - area.height
        if below > 0 {
            let row = area.bottom - 1
            screen.fill(row: row, col: area.left, width: area.width, role: .normal)
            screen.put(text("↓ \(below + 1) more lines (j, PgDn)", "↓ 下面还有 \(below + 1) 行（j、PgDn）"), row: row, col: area.left, width: area.width, role: .muted)
        }
    }
}

extension Workstation {
    /// Why a hold is advised, in the screen's language.
    func holdReasonText(_ reason: HoldReason) -> String {
        let format = Format(currency: desk.book.currency, language: language)
        switch reason {
        case .overLimit(let balance, let limit):
            return text("over limit: \(format.money(balance)) owed on a limit of \(format.money(limit))", "超额度：欠款 \(format.money(balance))，额度 \(format.money(limit))")
        case .pastDue(let days, let grade, let allowed):
            return text("\(days) days past due, grade \(grade.rawValue) allows \(allowed)", "逾期 \(days) 天，\(grade.rawValue) 级允许 \(allowed) 天")
        }
    }
}
