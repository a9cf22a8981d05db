import Core
import Desk
import Terminal

/// Keys typed into a modal input: a form, the search line, the `:` command line.
extension Workstation {
    /// The latest record on the form's customer since it was opened, in words with who wrote it
    /// (" (li.na: callback 2026-12-02)"): what the user weighs before saving over it; a posting
    /// (a payment, a document, a write-off), which leaves nothing on the timeline, as such.
    func changeWhileOpen(_ form: Form) -> String {
        guard let latest = desk.book.timeline(of: form.customer).last(where: { $0.stamp.sequence > form.openedAt }) else {
            return text(" (a payment, document or write-off recorded)", "（录入了回款、单据或核销）")
        }
        let (kind, detail) = ActivityText.describe(latest.kind, book: desk.book, chinese: language == .zh, levels: desk.policy.dunningLevels)
        let who = latest.stamp.author == desk.user ? text("you, in another session", "你在另一会话中") : person(latest.stamp.author)
        return text(" (", "（") + who + text(": ", "：") + ([kind, detail].filter { !$0.isEmpty }.joined(separator: " ")) + text(")", "）")
    }

    func handleFormKey(_ key: Key) -> Reaction {
        guard var form = state.form else { return .none }
        switch key {
        case .escape, .ctrl("c"):  // Ctrl-C too, as in a shell: a form must be easy to leave
            state.form = nil
            say(text("Cancelled; nothing saved", "已取消，未保存"))
            return .redraw
        case .enter:
            let problems = form.problems(today: desk.today, currency: desk.book.currency, language: language)
            if let first = problems.first {
                say(first.field + text(": ", "：") + first.problem, error: true)
                return .redraw
            }
            // Another contact edited before this one is saved too: shown, at the field to mend.
            if let draft = form.draftProblem(today: desk.today, currency: desk.book.currency, language: language) {
                form.show(choice: draft.choice)
                form.focus = draft.focus
                state.form = form
                say(draft.label + text(" · ", " · ") + draft.problem, error: true)
                return .redraw
            }
            poll()  // what others appended up to now, not only up to the last look: the checks below read it
            // Claimed or reassigned meanwhile: that is what to say, not that it changed.
            if let refusal = desk.refusal(toWork: form.customer) {
                say(refusal.text(chinese: language == .zh), error: true)
                return .redraw
            }
            if let stale = form.stale(desk.book, language) {
                say(stale, error: true)
                return .redraw
            }
            // Changed by someone else since the form was filled in: said once, with what to do.
            if desk.changed(form.customer, since: form.openedAt) {
                let what = changeWhileOpen(form)
                form.openedAt = desk.book.lastSequence
                state.form = form
                say(text("\(form.customer) was changed while this form was open\(what): Esc, and open it again to see the customer as it is now, or Enter to save as it stands",
                         "\(form.customer) 在表单打开期间已被修改\(what)：按 Esc 后重新打开查看最新情况，或按 Enter 按现有内容保存"), error: true)
                return .redraw
            }
            if let warning = form.confirm(form, desk.today, desk.book.currency), form.warned != warning {
                form.warned = warning
                state.form = form
                say(warning + text(" · Enter again to save, Esc to cancel", " · 再按 Enter 保存，Esc 取消"), error: true)
                return .redraw
            }
            do {
                let command = try form.build(form, desk.today, desk.book.currency)
                // Which customer's, as the form's box named it (x moves on, and the message stays).
                // (A form about something else, several marked customers, names that in its title.)
                let whose = form.subject == nil ? " · \(form.customer)" : ""
                var success = text("Saved: \(form.title)\(whose)", "已保存：\(form.title)\(whose)")
                if case .request(_, let kind, _) = command {  // which of the form's two, and how much
                    let asked = ActivityText.requested(kind, currency: desk.book.currency, chinese: language == .zh)
                    success = text("Saved: request for \(asked) on \(form.customer), for a manager to decide", "已保存：申请\(asked)（\(form.customer)），待信用经理审批")
                }
                // A call saying "disputed" names no invoice: the dispute itself is d's (unless
                // one was recorded today already).
                if case .logCall(_, .disputed, _, _) = command, !desk.book.openDisputes(of: form.customer).contains(where: { $0.opened == desk.today }) {
                    success += text(" · press d to record which invoices are disputed", " · 按 d 登记有争议的发票")
                } else if state.context == .queue || state.context == .ledger,  // where x works
                          view.queue.contains(where: { $0.customer == form.customer && !$0.worked }) {
                    // A queue item counts as worked when the collector says so (one may call
                    // again later): said where it is first earned, not only in the help.
                    success += text(" · x when done with it", " · 处理完按 x")
                }
                return .perform(command, success: success)
            } catch {
                say(errorText(error), error: true)
                return .redraw
            }
        // In a list to tick, ↑↓ (and j k, as in the lists; nothing is typed there) move along
        // it first (Tab still leaves it).
        case .down where form.pickCursorCanMove(by: 1), .char("j") where form.pickCursorCanMove(by: 1): form.apply(.right)
        case .up where form.pickCursorCanMove(by: -1), .char("k") where form.pickCursorCanMove(by: -1): form.apply(.left)
        case _ where form.focusesPicks && [Key.home, .end, .pageUp, .pageDown].contains(key):
            // Along a list to tick: to its ends, or eight (what shows) at a time.
            form.movePickCursor(by: [.home: -1_000_000, .end: 1_000_000, .pageUp: -8, .pageDown: 8][key] ?? 0)
        case .tab, .down: form.apply(.next)
        case .backTab, .up: form.apply(.previous)
        case .left: form.apply(.left)
        case .right: form.apply(.right)
        case .home, .ctrl("a"): form.apply(.home)
        case .end, .ctrl("e"): form.apply(.end)
        case .ctrl("u"): form.apply(.clearToStart)
        case .ctrl("w"): form.apply(.deleteWord)
        case .backspace: form.apply(.backspace)
        case .delete: form.apply(.deleteForward)
        case .char(" "): form.apply(.toggle)
        case .char(let c): form.apply(.type(String(c)))
        case .paste(let text): form.apply(.type(text))
        default: return .none
        }
        state.form = form
        // The complaint about the last Enter no longer fits what is being typed now.
        if state.message?.kind == .error { state.message = nil }
        return .redraw
    }

    func handleSearchKey(_ key: Key) -> Reaction {
        switch key {
        case .escape, .ctrl("c"):  // as Esc after Enter: the whole list, on the customer the search led to
            state.searching = false
            endSearch()
            return .redraw
        case .enter: state.searching = false
        case .tab, .backTab:  // as Enter, then the panel key: the ledger of the row found
            state.searching = false
            return perform(key == .tab ? .nextPanel : .previousPanel)
        case .up: move(by: -1); return .redraw
        case .down: move(by: 1); return .redraw
        default: guard LineEditing.edit(&state.search, with: key) else { return .none }
        }
        // The searched list's cursor on its first row; the other lists keep theirs.
        switch searchedList {
        case .customers: state.customerCursor = 0
        case .review: state.reviewCursor = 0
        default: state.queueCursor = 0
        }
        return .redraw
    }

    /// The `:` line's keys: Enter runs it (`runCommandLine`), Esc leaves it, the rest edit it.
    func handleCommandLineKey(_ key: Key) -> Reaction {
        guard var line = state.commandLine else { return .none }
        switch key {
        case .escape, .ctrl("c"): state.commandLine = nil; return .redraw
        case .enter:
            state.commandLine = nil
            return runCommandLine(line)
        default: guard LineEditing.edit(&line, with: key) else { return .none }
        }
        state.commandLine = line
        return .redraw
    }

    /// A name as typed after `:sort` or `:filter`, compared without case, spaces or dashes.
    static func commandWord(_ text: String) -> String {
        String(text.lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" })
    }

    /// The case `argument` names: by its name on screen in either language or its short one
    /// ("past due", "逾期", "pastdue").
    static func named<Choice: NamedChoice>(_ argument: String) -> Choice? {
        let wanted = commandWord(argument)
        let names = { (choice: Choice) in [choice.rawValue, choice.label(.en), choice.label(.zh)].map(commandWord) }
        if let exact = Choice.allCases.first(where: { names($0).contains(wanted) }) { return exact }
        // The start of one name and of no other (`over` for over limit), as a shell completes it.
        guard !wanted.isEmpty else { return nil }
        let started = Choice.allCases.filter { names($0).contains { $0.hasPrefix(wanted) } }
        return started.count == 1 ? started.first : nil
    }

    /// The customer what a caller quoted leads to (an invoice or payment number, a PO, a phone,
    /// an email, a contact's name), said with how it was found; nil, with why, when it leads to
    /// none or to several.
    func goToQuoted(_ quoted: String, in book: Book) -> CustomerID? {
        guard let match = book.customers(quoting: quoted) else {
            say(text("No customer \(quoted): :goto takes an id, a whole name, an invoice, payment or credit note number, a PO, a phone or an email (/ searches part of a name)",
                     "没有客户 \(quoted)：:goto 可输入编号、完整名称、发票/回款/贷项单号、订单号、电话或邮箱（/ 可按部分名称搜索）"), error: true)
            return nil
        }
        guard match.customers.count == 1, let id = match.customers.first else {
            let ids = match.customers.prefix(8).joined(separator: ", ") + (match.customers.count > 8 ? ", …" : "")
            say(text("\(quoted) is on \(match.customers.count) customers: \(ids)", "\(quoted) 对应 \(match.customers.count) 个客户：\(ids)"), error: true)
            return nil
        }
        let how: String
        switch match.via {
        case .invoice(let number): how = text("invoice \(number)", "发票 \(number)")
        case .payment(let reference): how = text("payment \(reference)", "回款 \(reference)")
        case .creditNote(let number): how = text("credit note \(number)", "贷项通知单 \(number)")
        case .reference(let reference, let invoice): how = text("their reference \(reference), on invoice \(invoice)", "对方订单号 \(reference)（发票 \(invoice)）")
        case .contact(let name): how = name.isEmpty ? text("a contact", "联系人") : text("contact \(name)", "联系人 \(name)")
        }
        say(text("\(id): found by \(how)", "\(id)：通过\(how)" + (how.hasSuffix("）") ? "" : " ") + "找到"))
        // The ledger opens on the document quoted, not at its top.
        switch match.via {
        case .invoice(let number), .creditNote(let number), .reference(_, let number): state.ledgerFind = number
        case .payment(let reference): state.ledgerFind = reference
        case .contact: break
        }
        return id
    }

    /// `:` commands: `q`/`quit`, `goto ID`/`g ID`, `sort NAME`, `filter NAME`, `collector NAME|all`,
    /// `dunning` (preview, `dunning run`), `help`.
    func runCommandLine(_ line: String) -> Reaction {
        let words = line.split(separator: " ").map(String.init)
        guard let verb = words.first else { return .redraw }
        let argument = words.dropFirst().joined(separator: " ")
        switch verb {
        case "q", "quit": return .quit
        case "help": state.showHelp = true
        case "goto", "g":
            state.ledgerFind = nil
            state.ledgerMarked = nil
            let argument = argument.halfWidth  // Ｃ００１５５ typed with a Chinese input method, as / reads it
            guard !argument.isEmpty else {
                say(text(":goto ID or :goto a whole name (/ searches part of one)", ":goto 编号 或 :goto 完整名称（/ 可按部分名称搜索）"), error: true)
                return .redraw
            }
            // Ids as typed, else ignoring case (c00001 finds C00001), else a customer's whole name
            // (上海华鑫食品有限公司, as a collector reads it off a letter or an email).
            let book = desk.book  // once: each `desk.book` is a copy, and a name is looked for among every customer
            let id = book.customers[argument] != nil ? argument
                : book.customers[argument.uppercased()] != nil ? argument.uppercased()
                : book.customerOrder.first { $0.caseInsensitiveCompare(argument) == .orderedSame }
                    ?? book.customerOrder.first { book.customers[$0]?.name.caseInsensitiveCompare(argument) == .orderedSame }
            guard let id = id ?? goToQuoted(argument, in: book) else { return .redraw }
            // A look back opens only a customer that was in the book that day.
            if !book.hasCustomer(id, on: asOf), let added = book.dayAdded(id) {
                say(text("\(id) was added to the book on \(added.iso), after \(asOf.iso)", "\(id) 于 \(added.iso) 加入账簿，晚于 \(asOf.iso)"), error: true)
                return .redraw
            }
            state.listContext = state.context == .ledger ? state.listContext : state.context
            state.ledgerCustomer = id
            // The lists' cursors go to it where they list it: Tab from the customers panel opens
            // its cursor's ledger, which is then this one, not a customer left there before.
            customerToFind = id
            reviewCustomerToFind = id
            state.ledgerScroll = 0
            state.context = .ledger
        // In the queue and the review, :sort means their own orders (as s does there).
        case "sort" where state.context == .queue && (argument.isEmpty || ["priority", "优先级"].contains(Self.commandWord(argument))):
            return perform(.rankQueue)
        case "sort" where state.context == .review:
            guard let sort: ReviewSort = Self.named(argument) else {
                say(text("Sort the review by one of: ", "审核排序：") + ReviewSort.allCases.map { $0.label(language) }.joined(separator: text(", ", "、")), error: true)
                return .redraw
            }
            state.reviewSort = sort; state.reviewCursor = 0
        case "sort":
            guard let sort: CustomerSort = Self.named(argument) else {
                // The queue has one order of its own; the others are the customers panel's.
                let queue = state.context == .queue ? text("The queue sorts by priority (:sort, or s); the customers panel by one of: ", "待办按优先级排序（:sort 或 s）；客户面板排序：") : nil
                say((queue ?? text("Sort by one of: ", "排序：")) + CustomerSort.allCases.map { $0.label(language) }.joined(separator: text(", ", "、")), error: true)
                return .redraw
            }
            // The customers panel's order, typed elsewhere: said, as the panel changes under it.
            if state.context != .customers { say(text("Customers sorted by \(sort.label(language))", "客户已按\(sort.label(language))排序")) }
            state.sort = sort; state.context = .customers; state.customerCursor = 0  // as s does: the new order from its top
        case "filter" where state.context == .review:
            guard let filter: ReviewFilter = Self.named(argument) else {
                say(text("Filter the review by one of: ", "审核筛选：") + ReviewFilter.allCases.map { $0.label(language) }.joined(separator: text(", ", "、")), error: true)
                return .redraw
            }
            state.reviewFilter = filter; state.reviewCursor = 0
        case "filter":
            guard let filter: CustomerFilter = Self.named(argument) else {
                say(text("Filter by one of: ", "筛选：") + CustomerFilter.allCases.map { $0.label(language) }.joined(separator: text(", ", "、")), error: true)
                return .redraw
            }
            if state.context != .customers { say(text("Customers filtered: \(filter.label(language))", "客户已筛选：\(filter.label(language))")) }
            state.filter = filter; state.context = .customers; state.customerCursor = 0  // as f does
        case "collector":
            let known = Set(view.collectors + assignableCollectors)
            // A collector named as the team knows them (李娜, as the dashboard shows), for the login;
            // in either case; all and none in Chinese as the screens say them.
            let words = ["全部": "all", "所有": "all", "未分配": "none", "无": "none"]
            let lower = words[argument] ?? argument.lowercased()
            let argument = known.contains(argument) ? argument : known.first { $0.lowercased() == lower }
                ?? desk.roles?.login(named: argument) ?? lower
            if desk.role == .collector, !["", "all", "none", desk.user].contains(argument) {
                say(text("You may narrow the lists to your customers (:collector \(person(desk.user))) or those of no collector (:collector none); another's are theirs to work",
                         "你可把列表限定为自己的客户（:collector \(person(desk.user))）或未分配的客户（:collector none）；他人的客户由其本人处理"), error: true)
                return .redraw
            }
            guard argument.isEmpty || argument == "all" || argument == "none" || known.contains(argument) else {
                say(text("No collector \(argument) (collectors: \(known.sorted().joined(separator: ", ")))",
                         "没有催收员 \(argument)（催收员：\(known.sorted().joined(separator: "、"))）"), error: true)
                return .redraw
            }
            setCollectorFilter(argument.isEmpty || argument == "all" ? nil : argument == "none" ? UIState.unassigned : argument)
            switch state.collectorFilter {
            case nil: say(text("Showing every collector's customers", "显示全部催收员的客户"))
            case UIState.unassigned?: say(text("Showing the customers of no collector", "显示未分配催收员的客户"))
            case let collector?: say(text("Showing \(person(collector))'s customers", "显示 \(person(collector)) 的客户"))
            }
        case "dunning":
            // Anything but "run" after it is a slip, not a preview asked for (a typo of run
            // showed the preview, read as the run not done).
            guard argument.isEmpty || argument == "run" else {
                say(text(":dunning previews the run; :dunning run does it (not \"\(argument)\")", ":dunning 预览；:dunning run 执行（不是“\(argument)”）"), error: true)
                return .redraw
            }
            return dunning(run: argument == "run")
        default:
            say(text("Unknown command \"\(verb)\" (try :goto ID, :sort NAME, :filter NAME, :collector NAME, :dunning, :dunning run, :help, :q)",
                     "未知命令“\(verb)”（可用 :goto、:sort、:filter、:collector、:dunning、:dunning run、:help、:q）"), error: true)
        }
        clampCursors()
        return .redraw
    }
}
