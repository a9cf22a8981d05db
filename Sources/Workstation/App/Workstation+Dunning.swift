import Core
import Desk
import Terminal

/// The dunning run from the command line of the workstation: a preview, or the run itself.
extension Workstation {
    /// `:dunning` previews a run as of the view's day (nothing written); `:dunning run` shows
    /// today's and asks y, which performs it (`confirmed`).
    func dunning(run: Bool, confirmed: Bool = false) -> Reaction {
        if run && readOnly { say(text("Read-only view: no dunning run", "只读视图：不能执行催收"), error: true); return .redraw }
        if run && !confirmed { return askDunningRun() }
        do {
            let actions = try desk.dunningRun(asOf: run ? desk.today : asOf, dryRun: !run)
            if run { rebuildView() }
            let title = run ? text("Dunning run done: \(counted(actions.count, "customer"))", "催收已执行：\(actions.count) 位客户")
                : readOnly ? text("Dunning as of \(asOf.iso) (a preview): \(counted(actions.count, "customer"))", "截至 \(asOf.iso) 的催收预览：\(actions.count) 位客户")
                : desk.role == .collector ? text("Dunning preview (nothing written): \(counted(actions.count, "customer"))", "催收预览（未写入）：\(actions.count) 位客户")
                : text("Dunning preview (nothing written; :dunning run to do it): \(counted(actions.count, "customer"))", "催收预览（未写入；:dunning run 执行）：\(actions.count) 位客户")
            if actions.isEmpty {
                state.overlay = Overlay(title: title, lines: [text("Nothing is due.", "没有需要升级的客户。")])
            } else {
                let table = dunningTable(actions)
                state.overlay = Overlay(title: title, header: [table.header], lines: table.lines)
            }
        } catch {
            say(errorText(error), error: true)
        }
        return .redraw
    }

    /// What today's run would do, asking y to do it (a collector is told it is a manager's, as the run would).
    private func askDunningRun() -> Reaction {
        do {
            if let roles = desk.roles, let refusal = roles.refusal(ofDunningRunBy: desk.user) { throw DeskError.notAllowed(refusal) }
            let actions = try desk.dunningRun(asOf: desk.today, dryRun: true)
            guard !actions.isEmpty else {
                state.overlay = Overlay(title: text("Dunning run of \(desk.today.iso)", "\(desk.today.iso) 催收"), lines: [text("Nothing is due: nothing to run.", "没有需要升级的客户，无需执行。")])
                return .redraw
            }
            let table = dunningTable(actions)
            state.overlay = Overlay(title: text("Dunning run of \(desk.today.iso): \(counted(actions.count, "customer")) — y runs it, any other key cancels",
                                                "\(desk.today.iso) 催收：\(actions.count) 位客户 — 按 y 执行，其他键取消"),
                                    header: [table.header], lines: table.lines)
            state.dunningRunAsked = true
        } catch {
            say(errorText(error), error: true)
        }
        return .redraw
    }

    /// Column names, then one line per customer (id, name, levels, what is past due, what the
    /// letter bills, what is done), then what the run comes to for each level it moves customers
    /// to and in all.
    func dunningTable(_ actions: [DunningAction]) -> (header: String, lines: [String]) {
        let format = Format(currency: desk.book.currency, language: language)
        let idWidth = max(DisplayWidth.of(text("customer", "客户")), actions.map { DisplayWidth.of($0.proposal.customer) }.max() ?? 6)
        let amountWidth = max(12, actions.map { DisplayWidth.of(format.money($0.proposal.overdue)) }.max() ?? 12)
        // Names get what the overlay's width leaves after the other columns and the longest
        // action (12 to 30 columns): the action is what the run does, so it is not cut for a name.
        // Where even the least name leaves it too little room (80 columns), each action goes on a
        // line of its own under its customer, and the names take the width.
        let actionWidth = actions.map { DisplayWidth.of($0.action.text(chinese: language == .zh)) }.max() ?? 0
        let inner = lastScreenCols - 8
        let fixed = idWidth + 2 + 2 + 6 + 2 + amountWidth + 2 + 10 + 2
        let actionBelow = inner - fixed - 12 < actionWidth
        let nameWidth = min(30, max(12, inner - fixed - (actionBelow ? 0 : actionWidth)))
        func levelName(_ p: DunningProposal) -> String {
            guard let level = p.level else { return text("resolved", "已解除") }
            return level.name(chinese: language == .zh)
        }
        func row(_ id: String, _ name: String, _ levels: String, _ pastDue: String, _ billed: String, _ action: String) -> [String] {
            let figures = DisplayWidth.fit(id, to: idWidth) + "  " + DisplayWidth.fit(name, to: nameWidth) + "  " + DisplayWidth.fit(levels, to: 6) + "  "
                + DisplayWidth.fit(pastDue, to: amountWidth, alignment: .right) + "  " + DisplayWidth.fit(billed, to: 10, alignment: .right)
            guard actionBelow else { return [figures + "  " + action] }
            let indent = String(repeating: " ", count: idWidth + 2)
            return [figures] + (action.isEmpty ? [] : DisplayWidth.wrap(action, to: max(12, inner - idWidth - 2)).map { indent + $0 })
        }
        let header = row(text("customer", "客户"), text("name", "名称"), text("level", "级别"), text("past due", "逾期"),
                         text("billed", "计费"), actionBelow ? "" : text("action", "动作"))[0]
        let book = desk.book  // once: each `desk.book` is a copy of the book
        var lines = actions.flatMap { a in
            let p = a.proposal, billed = p.fee + p.interest
            return row(p.customer, book.customers[p.customer]?.name ?? "", "\(p.fromLevel)→\(p.toLevel)", format.money(p.overdue),
                       billed.isPositive ? format.money(billed) : "", a.action.text(chinese: language == .zh))
        }
        lines.append("")
        // Totals by the level moved to, in level order (resolved last).
        let byLevel = Dictionary(grouping: actions, by: { $0.proposal.level?.level ?? Int.max })
        for key in byLevel.keys.sorted() {
            let group = byLevel[key]!
            let overdue = group.reduce(Money.zero) { $0 + $1.proposal.overdue }
            let billed = group.reduce(Money.zero) { $0 + $1.proposal.fee + $1.proposal.interest }
            let label = key == Int.max ? levelName(group[0].proposal) : text("level \(key) ", "第 \(key) 级 ") + levelName(group[0].proposal)
            lines.append(label + text(": ", "：") + text("\(group.count) customer\(group.count == 1 ? "" : "s"), past due \(format.money(overdue))",
                                             "\(group.count) 位客户，逾期 \(format.money(overdue))")
                + (billed.isPositive ? text(", billed \(format.money(billed))", "，计费 \(format.money(billed))") : ""))
        }
        let overdue = actions.reduce(Money.zero) { $0 + $1.proposal.overdue }
        lines.append(text("In all: \(actions.count) customer\(actions.count == 1 ? "" : "s"), past due \(format.money(overdue))",
                          "合计：\(actions.count) 位客户，逾期 \(format.money(overdue))"))
        return (header, lines)
    }
}
