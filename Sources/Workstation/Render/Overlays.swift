import Core
import Terminal

extension Workstation {
    /// The help overlay, generated from the keymap table the dispatcher uses.
    /// Keys run in as many columns as the terminal's height needs, so none is left out; where
    /// that would cut a key's words or leave out a footnote, in one column that scrolls. A
    /// manager's keys carry a mark explained below them (a word after each did not fit two
    /// columns in 80 columns), muted for a collector, who files a request instead.
    func drawHelp(_ screen: inout Screen) {
        let bindings = keymap.bindings(in: state.context)
        let managerMark = " *"
        let lines = bindings.map { binding in
            let action = binding.action
            let refused = (readOnly && action.writes) || (desk.role == .collector && action.managerOnly)
            let mark = (action.managerOnly ? managerMark : "") + (readOnly && action.writes ? text(" (read-only)", "（只读）") : "")
            return (key: DisplayWidth.fit(binding.helpLabel ?? binding.label, to: 7), help: language.pick(action.help), mark: mark, refused: refused)
        }
        var footnotes: [String] = []
        if bindings.contains(where: { $0.action.managerOnly }) {
            footnotes.append(text("* a credit manager's (a collector requests a limit or write-off with r)", "* 仅限经理（催收员可按 r 申请调整额度或核销）"))
        }
        if state.context == .customers {  // the list's one-letter column
            footnotes.append(text("H hold · L legal/agency · ! over limit · B broken promise · D disputed", "标记：H 冻结 · L 法律/外包 · ! 超额度 · B 承诺违约 · D 争议"))
        }
        // What the panel keys do not show, where there is room (at 80×24 the keys fill it; the
        // scrolling column shows it): the command line and the keys of a form.
        let more = [text(":goto ID, invoice, PO or phone · :sort/:filter NAME · :collector NAME · :dunning [run] · ^L redraw",
                         ":goto 编号、发票、订单号或电话 · :sort/:filter 名称 · :collector 姓名 · :dunning [run] · ^L 重绘"),
                    text("Forms: Tab field · ←→ choose · Space tick · ^U ^W erase · Enter save · Esc ^C cancel",
                         "表单：Tab 换栏 · ←→ 选择 · 空格 勾选 · ^U ^W 删除 · Enter 保存 · Esc ^C 取消")]
        let required = footnotes
        if screen.rows >= 30 { footnotes += more }
        lastHelpLeftOut = screen.rows < 30
        // A blank line under the title and a row of the screen left above and below, unless
        // dropping them saves a column (three columns do not fit 80).
        let chrome = 2 + footnotes.count
        let columnsNeeded = { (rows: Int) in (lines.count + max(1, rows) - 1) / max(1, rows) }
        let spacious = columnsNeeded(screen.rows - 4 - chrome) <= columnsNeeded(screen.rows - chrome)
        let spacer = spacious ? 1 : 0
        let columns = columnsNeeded(screen.rows - (spacious ? 4 : 0) - chrome)
        let rowsPerColumn = max(1, (lines.count + columns - 1) / columns)
        let widest = lines.map { DisplayWidth.of($0.help + $0.mark) }.max() ?? 20
        let width = min(screen.cols - 4, max(60, 2 + columns * (widest + 11), 4 + (footnotes.map(DisplayWidth.of).max() ?? 0)))
        let columnWidth = (width - 2) / max(1, columns)
        // Whole or not at all: where a line would be cut or a footnote left out (80×24), one
        // column that scrolls instead.
        let fits = rowsPerColumn + chrome <= screen.rows && widest <= columnWidth - 9
            && footnotes.allSatisfy { DisplayWidth.of($0) <= width - 4 }
        guard fits, !state.helpWhole else {
            lastHelpLeftOut = false
            drawHelpScrolling(lines, footnotes: required + more, on: &screen)
            return
        }
        lastHelpLines = 0
        let height = min(screen.rows, rowsPerColumn + chrome + spacer + spacer)
        let top = max(0, (screen.rows - height) / 2), left = (screen.cols - width) / 2
        for y in top..<top + height { screen.fill(row: y, col: left, width: width, role: .normal) }
        // Said in the title where the command line's and forms' keys were left out, and how to see them.
        let title = lastHelpLeftOut ? text("Keys — ↓ command line and forms, any other key closes", "按键说明 — ↓ 命令行与表单按键，其他键关闭")
            : text("Keys — any key closes", "按键说明 — 任意键关闭")
        screen.box(top: top, left: left, height: height, width: width, title: title)
        for (index, line) in lines.enumerated() {
            let y = top + 1 + spacer + index % rowsPerColumn
            let x = left + 2 + (index / rowsPerColumn) * columnWidth
            screen.put(line.key, row: y, col: x, role: .key)
            screen.put(line.help + line.mark, row: y, col: x + 8, width: columnWidth - 9, role: line.refused ? .muted : .normal)
        }
        for (index, footnote) in footnotes.enumerated() {
            screen.put(footnote, row: top + height - 1 - footnotes.count + index, col: left + 2, width: width - 4, role: .muted)
        }
    }

    /// The help in one column, each key's words wrapped under it, scrolled by `helpScroll`: what
    /// a small screen shows instead of cutting words off.
    func drawHelpScrolling(_ lines: [(key: String, help: String, mark: String, refused: Bool)], footnotes: [String], on screen: inout Screen) {
        let width = min(screen.cols, 90)
        let textWidth = max(10, width - 12)
        var rows: [(key: String, text: String, role: Role)] = []
        for line in lines {
            for (index, part) in DisplayWidth.wrap(line.help + line.mark, to: textWidth).enumerated() {
                rows.append((index == 0 ? line.key : "", part, line.refused ? .muted : .normal))
            }
        }
        rows.append(("", "", .normal))
        for footnote in footnotes { rows += DisplayWidth.wrap(footnote, to: width - 4).map { ("", $0, .muted) } }
        let height = screen.rows
        let shown = max(1, height - 2)
        let first = max(0, min(state.helpScroll, rows.count - shown))
        state.helpScroll = first  // "to the end" is kept as where that is, so ↑ moves from there
        lastHelpLines = max(1, rows.count - shown + 1)
        lastTextPage = shown
        let left = (screen.cols - width) / 2
        for y in 0..<height { screen.fill(row: y, col: left, width: width, role: .normal) }
        let more = rows.count > shown ? text(" — ↓↑ scroll, any other key closes", " — ↓↑ 滚动，其他键关闭") : text(" — any key closes", " — 任意键关闭")
        screen.box(top: 0, left: left, height: height, width: width, title: text("Keys", "按键说明") + more)
        for (offset, row) in rows[first..<min(rows.count, first + shown)].enumerated() {
            if !row.key.isEmpty { screen.put(row.key, row: 1 + offset, col: left + 2, role: .key) }
            screen.put(row.text, row: 1 + offset, col: row.key.isEmpty && row.role == .muted ? left + 2 : left + 10, width: row.key.isEmpty && row.role == .muted ? width - 4 : textWidth, role: row.role)
        }
    }

    /// The modal form: fields, their problems as you type, a preview, and how to save or cancel.
    func drawForm(_ form: Form, on screen: inout Screen) {
        let width = min(screen.cols - 4, 72)
        let labelWidth = 14
        let valueLeft = (screen.cols - width) / 2 + 2 + labelWidth
        let valueWidth = width - labelWidth - 4
        // Under the values, each line wrapped whole (a cut figure would read as another figure).
        let preview = form.preview(form, desk.today, desk.book.currency).flatMap { DisplayWidth.wrap($0, to: valueWidth - 2) }
        var height = form.fields.count + preview.count + 6
        for field in form.fields { if case .picks(let options) = field.kind { height += min(options.count, 8) } }
        height = min(height, screen.rows - 2)
        let top = max(1, (screen.rows - height) / 2), left = (screen.cols - width) / 2
        for y in top..<top + height { screen.fill(row: y, col: left, width: width, role: .normal) }
        let name = desk.book.customers[form.customer]?.name ?? ""
        screen.box(top: top, left: left, height: height, width: width, title: "\(form.title) · " + (form.subject ?? "\(form.customer) \(name)"))
        // A list to tick shows fewer options on a short screen, so that every field keeps its
        // row (at 60×16 the last field went below the box, and typing went into it unseen).
        let pickFields = form.fields.filter { if case .picks = $0.kind { true } else { false } }.count
        let window = pickFields == 0 ? 8 : max(1, min(8, (height - 4 - form.fields.count) / pickFields))
        var y = top + 2
        for (index, field) in form.fields.enumerated() where y < top + height - 2 {
            let focused = index == form.focus
            screen.put(DisplayWidth.fit(field.label, to: labelWidth - 1), row: y, col: left + 2, role: focused ? .key : .muted)
            let problem = field.problem(today: desk.today, currency: desk.book.currency, language: language)
            switch field.kind {
            case .choice(let options):
                // Cut inside its marks: ‹ › say that ←/→ choose, and a cut label says it is cut.
                let label = DisplayWidth.truncate(options[field.choiceIndex].label, to: max(1, valueWidth - 4))
                screen.put("‹ " + label + " ›", row: y, col: valueLeft, width: valueWidth, role: focused ? .selection : .input)
                y += 1
            case .picks(let options):
                // Eight at a time (fewer on a short screen), around the cursor, with where it is:
                // every option can be seen before it is ticked.
                let first = max(0, min(field.pickCursor - window / 2, options.count - window))
                if options.count > window {
                    let place = text("\(field.pickCursor + 1) of \(options.count), ticked \(field.picked.count)",
                                     "第 \(field.pickCursor + 1)/\(options.count) 项，已选 \(field.picked.count)")
                    screen.put(place, row: y, col: valueLeft, width: valueWidth, role: .muted)
                }
                if let problem, focused {
                    screen.put(DisplayWidth.truncate(problem, to: valueWidth / 2), row: y, col: valueLeft + (options.count > window ? valueWidth / 2 : 0),
                               width: valueWidth / 2, role: .error)
                }
                y += 1
                for optionIndex in first..<min(options.count, first + window) where y < top + height - 2 {
                    let mark = field.picked.contains(optionIndex) ? "[x] " : "[ ] "
                    let cursor = focused && optionIndex == field.pickCursor
                    screen.put(mark + options[optionIndex].label, row: y, col: valueLeft, width: valueWidth, role: cursor ? .selection : .normal)
                    y += 1
                }
            default:
                // Free text may use the whole width; being typed into, it shows its end and the caret.
                var room = min(valueWidth, 30)
                let echo = field.echo(today: desk.today, currency: desk.book.currency)
                switch field.kind {
                case .phone, .email: room = min(valueWidth, max(room, DisplayWidth.of(field.text) + 2))  // an address may be longer
                default: break
                }
                if case .text = field.kind { room = valueWidth }
                // A short value leaves its problem or echo the room: "2026-11-01 has passed: today or later".
                else if problem != nil || echo != nil {
                    room = min(room, max(12, DisplayWidth.of(field.text) + 2))
                }
                let shown = focused ? Self.withCaret(field, room: room) : field.text
                let after = screen.put(DisplayWidth.fit(shown, to: room), row: y, col: valueLeft, role: focused ? .selection : .input)
                // Cut with an ellipsis where the box ends (the status line says a refusal in full).
                if let problem, !field.text.isEmpty || focused {
                    screen.put(DisplayWidth.truncate(" " + problem, to: left + width - 2 - after), row: y, col: after, role: .error)
                } else if let echo {
                    screen.put(DisplayWidth.truncate(" " + echo, to: left + width - 2 - after), row: y, col: after, role: .ok)
                }
                y += 1
            }
        }
        for (index, line) in preview.enumerated() where y < top + height - 2 {
            // The last row left says how many lines do not fit (a plan's last, rounding instalment).
            let hidden = preview.count - index
            let shown = y == top + height - 3 && hidden > 1 ? text("… \(hidden) more", "… 另有 \(hidden) 行") : line
            screen.put("  " + shown, row: y, col: valueLeft, width: valueWidth, role: .muted)
            y += 1
        }
        // Only the keys this form's fields take: ←→ for a choice, Space for a list to tick.
        let choices = form.fields.contains { $0.choiceValue != nil }
        let picks = form.fields.contains { if case .picks = $0.kind { true } else { false } }
        let keys = text("Enter save · Esc cancel · Tab next field", "Enter 保存 · Esc 取消 · Tab 下一项")
            + (choices ? text(" · ←→ choose", " · ←→ 选择") : "") + (picks ? text(" · Space tick", " · 空格 勾选") : "")
        screen.put(keys, row: top + height - 2, col: left + 2, width: width - 4, role: .muted)
    }

    /// A field being typed into, with the caret where typing goes, cut to `room` columns so that
    /// the caret stays in sight with a few characters after it (the text before it gives way
    /// first); text cut after the caret ends in "…", as text cut before it begins with one.
    static func withCaret(_ field: Field, room: Int) -> String {
        let characters = Array(field.text)
        let before = String(characters[..<field.caret]) + "▏", after = String(characters[field.caret...])
        let (beforeWidth, afterWidth) = (DisplayWidth.of(before), DisplayWidth.of(after))
        if after.isEmpty { return beforeWidth > room ? DisplayWidth.truncateHead(before, to: room) : before }
        let keep = min(afterWidth, max(4, room / 4))  // what follows the caret, kept in sight
        if beforeWidth + keep + 1 <= room { return DisplayWidth.truncate(before + after, to: room) }
        let tail = afterWidth <= keep ? after : DisplayWidth.truncate(after, to: keep + 1)
        return DisplayWidth.truncateHead(before, to: room - DisplayWidth.of(tail)) + tail
    }

    /// A page of text in a box (previews, reports), from its line `scroll` on, under its header;
    /// the movement keys (↑↓, PgUp/PgDn, g/G) scroll it, `:` opens the command line, any other key
    /// closes it. A hundred columns wide for prose, wider for a table's lines when the screen has room.
    func drawText(_ overlay: Overlay, scroll asked: Int, on screen: inout Screen) {
        let width = min(screen.cols - 4, max(100, overlay.widest + 4))
        let height = min(screen.rows - 2, overlay.header.count + overlay.lines.count + 4)
        // Scrolled no further than the last line at the bottom (G, or ↓ held down, went past it).
        let scroll = min(asked, max(0, overlay.lines.count - (height - 4 - overlay.header.count)))
        state.overlayScroll = scroll
        lastTextPage = max(1, height - 4 - overlay.header.count)
        let lines = overlay.lines.dropFirst(scroll)
        let top = max(1, (screen.rows - height) / 2), left = (screen.cols - width) / 2
        for y in top..<top + height { screen.fill(row: y, col: left, width: width, role: .normal) }
        screen.box(top: top, left: left, height: height, width: width, title: overlay.title)
        if scroll > 0 {  // the blank line under the title says what is scrolled past
            screen.put(text("… \(scroll) lines above (↑ scrolls)", "… 上方还有 \(scroll) 行（↑ 滚动）"), row: top + 1, col: left + 2, role: .muted)
        }
        for (index, line) in overlay.header.prefix(height - 4).enumerated() {
            screen.put(DisplayWidth.truncate(line, to: width - 4), row: top + 2 + index, col: left + 2, width: width - 4, role: .header)
        }
        let room = height - 4 - overlay.header.count
        for (index, line) in lines.prefix(max(0, room)).enumerated() {
            // A line wider than the box ends in an ellipsis: cut bare, a file name or a word reads whole.
            screen.put(DisplayWidth.truncate(line, to: width - 4), row: top + 2 + overlay.header.count + index, col: left + 2, width: width - 4)
        }
        if lines.count > room {  // lines, not items: a table's summary lines count too
            screen.put(text("… \(lines.count - room) more lines (↓ scrolls)", "… 下方还有 \(lines.count - room) 行（↓ 滚动）"), row: top + height - 2, col: left + 2, role: .muted)
        }
    }
}
