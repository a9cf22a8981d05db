import Core
import Terminal

extension Workstation {
    /// The help overlay, generated from the keymap table the dispatcher uses.
    func drawHelp(_ screen: inout Screen) {
        let bindings = keymap.bindings(in: state.context)
        let lines = bindings.map { (DisplayWidth.fit($0.label, to: 7), language.pick($0.action.help), readOnly && $0.action.writes) }
        let width = min(screen.cols - 4, 60)
        let height = min(screen.rows - 2, lines.count + 4)
        let top = max(1, (screen.rows - height) / 2), left = (screen.cols - width) / 2
        for y in top..<top + height { screen.fill(row: y, col: left, width: width, role: .normal) }
        screen.box(top: top, left: left, height: height, width: width, title: text("Keys — any key closes", "按键说明 — 任意键关闭"))
        for (index, line) in lines.prefix(height - 4).enumerated() {
            let y = top + 2 + index
            screen.put(line.0, row: y, col: left + 2, role: .key)
            screen.put(line.1 + (line.2 ? text(" (read-only)", "（只读）") : ""), row: y, col: left + 10, width: width - 12, role: line.2 ? .muted : .normal)
        }
    }

    /// The modal form: fields, their problems as you type, a preview, and how to save or cancel.
    func drawForm(_ form: Form, on screen: inout Screen) {
        let preview = form.preview(form, desk.today, desk.book.currency)
        var height = form.fields.count + preview.count + 6
        for field in form.fields { if case .picks(let options) = field.kind { height += min(options.count, 8) } }
        let width = min(screen.cols - 4, 72)
        height = min(height, screen.rows - 2)
        let top = max(1, (screen.rows - height) / 2), left = (screen.cols - width) / 2
        for y in top..<top + height { screen.fill(row: y, col: left, width: width, role: .normal) }
        let name = desk.book.customers[form.customer]?.name ?? ""
        screen.box(top: top, left: left, height: height, width: width, title: "\(form.title) · \(form.customer) \(name)")
        var y = top + 2
        let labelWidth = 14
        let valueLeft = left + 2 + labelWidth
        let valueWidth = width - labelWidth - 4
        for (index, field) in form.fields.enumerated() where y < top + height - 2 {
            let focused = index == form.focus
            screen.put(DisplayWidth.fit(field.label, to: labelWidth - 1), row: y, col: left + 2, role: focused ? .key : .muted)
            let problem = field.problem(today: desk.today, currency: desk.book.currency, language: language)
            switch field.kind {
            case .choice(let options):
                screen.put("‹ " + options[field.choiceIndex].label + " ›", row: y, col: valueLeft, width: valueWidth, role: focused ? .selection : .input)
                y += 1
            case .picks(let options):
                if let problem, focused { screen.put(problem, row: y, col: valueLeft, width: valueWidth, role: .error) }
                y += 1
                for (optionIndex, option) in options.prefix(8).enumerated() where y < top + height - 2 {
                    let mark = field.picked.contains(optionIndex) ? "[x] " : "[ ] "
                    let cursor = focused && optionIndex == field.pickCursor
                    screen.put(mark + option.label, row: y, col: valueLeft, width: valueWidth, role: cursor ? .selection : .normal)
                    y += 1
                }
            default:
                let shown = field.text + (focused ? "▏" : "")
                let after = screen.put(DisplayWidth.fit(shown, to: min(valueWidth, 30)), row: y, col: valueLeft, role: focused ? .selection : .input)
                if let problem, !field.text.isEmpty || focused {
                    screen.put(" " + problem, row: y, col: after, width: left + width - 2 - after, role: .error)
                } else if let echo = field.echo(today: desk.today) {
                    screen.put(" " + echo, row: y, col: after, width: left + width - 2 - after, role: .ok)
                }
                y += 1
            }
        }
        for line in preview where y < top + height - 2 {
            screen.put("  " + line, row: y, col: valueLeft, width: valueWidth, role: .muted)
            y += 1
        }
        screen.put(text("Enter save · Esc cancel · Tab next field · ←→ choose · Space tick", "Enter 保存 · Esc 取消 · Tab 下一项 · ←→ 选择 · 空格 勾选"),
                   row: top + height - 2, col: left + 2, width: width - 4, role: .muted)
    }

    /// A page of text in a box (previews, reports); any key closes it.
    func drawText(_ title: String, _ lines: [String], on screen: inout Screen) {
        let width = min(screen.cols - 4, 100)
        let height = min(screen.rows - 2, lines.count + 4)
        let top = max(1, (screen.rows - height) / 2), left = (screen.cols - width) / 2
        for y in top..<top + height { screen.fill(row: y, col: left, width: width, role: .normal) }
        screen.box(top: top, left: left, height: height, width: width, title: title)
        for (index, line) in lines.prefix(height - 4).enumerated() {
            screen.put(line, row: top + 2 + index, col: left + 2, width: width - 4)
        }
        if lines.count > height - 4 {
            screen.put(text("… \(lines.count - (height - 4)) more", "… 另有 \(lines.count - (height - 4)) 项"), row: top + height - 2, col: left + 2, role: .muted)
        }
    }
}
