import Core
import Desk
import Foundation
import Journal
import Terminal
import Testing
@testable import Workstation

/// The workstation driven by keys in memory, read back as text: what a collector would see.
@Suite struct WorkstationFlowTests {
    let folder: BookFolder
    let desk: Desk
    static let today = Day(iso: "2026-03-02")!

    init() throws {
        folder = BookFolder(path: FileManager.default.temporaryDirectory.appendingPathComponent("ardesk-ws-\(UUID().uuidString)").path)
        desk = try Desk.create(folder: folder, currency: .cny, today: Self.today, user: "li.na")
        try desk.perform(.addCustomers([
            Customer(id: "C1", name: "上海华瑞科技有限公司", creditLimit: Money(minorUnits: 100_000), grade: .d, collector: "li.na"),
            Customer(id: "C2", name: "Acme Ltd", collector: "li.na"),
            Customer(id: "C3", name: "北京恒泰贸易有限公司", collector: "wang.fang"),
        ]))
        let d = { (text: String) in Day(iso: text)! }
        try desk.perform(.issueInvoices([
            Invoice(number: "I1", customer: "C1", issued: d("2026-01-01"), due: d("2026-01-31"), amount: Money(minorUnits: 1_234_500)),
            Invoice(number: "I2", customer: "C2", issued: d("2026-01-28"), due: d("2026-02-27"), amount: Money(minorUnits: 50_000)),
            Invoice(number: "I3", customer: "C3", issued: d("2026-01-10"), due: d("2026-02-09"), amount: Money(minorUnits: 880_000)),
        ]))
        try desk.perform(.logCall("C3", .leftMessage, note: "", callback: Self.today))
    }

    func workstation(_ language: Language = .en) -> Workstation { Workstation(desk: desk, asOf: Self.today, language: language) }

    /// A workstation on the approvals panel (queue → customers → ledger → approvals).
    func approvalsPanel() -> Workstation {
        let ws = workstation()
        for _ in 0..<3 { _ = ws.handle(.tab) }
        return ws
    }

    /// The same book opened by the other collector, wang.fang.
    func asWangFang() throws -> Desk { try Desk.open(folder: folder, today: Self.today, user: "wang.fang") }

    func lines(_ screen: Screen) -> [String] { screen.text().components(separatedBy: "\n") }

    @Test func theQueueAt80x24ListsWhoToCallWithReasonsAndAlignedChineseNames() {
        let screen = workstation().render(rows: 24, cols: 80)
        let text = lines(screen)
        #expect(text[0].hasPrefix(" ardesk · "))
        #expect(text[0].hasSuffix("2026-03-02"))
        #expect(text[1].contains("Queue 0/3"))
        #expect(text[2] == "Call queue · 0 of 3 worked")
        let rows = text.filter { $0.range(of: #"^ *[0-9]+ +C[123] "#, options: .regularExpression) != nil }
        #expect(rows.count == 3)
        // Under the list, the selected row's reasons in full, with their points.
        #expect(text.contains { $0.contains("C1 · ") && $0.contains("(+") })
        // Amounts end in the same display column whatever the width of the names before them.
        let ends = rows.map { row -> Int in
            let prefix = row.components(separatedBy: ".00").dropLast().joined(separator: ".00") + ".00"
            return DisplayWidth.of(prefix)
        }
        #expect(Set(ends).count == 1, "\(rows)")
        #expect(text.last?.contains("Enter open") == true)
        #expect(text.last?.contains("q quit") == true)
    }

    @Test func aSnapshotOfTheQueue() {
        let screen = workstation().render(rows: 24, cols: 80)
        let expected = """
         ardesk · li.na (admin) · 
        """
        #expect(lines(screen)[0].hasPrefix(expected.trimmingCharacters(in: .newlines)))
        #expect(lines(screen)[3] == " # id      name                   pts  to collect days  lv why")
        #expect(lines(screen)[4].hasPrefix(" 1 C1      上海华瑞科技有限公司"))
        // A level due reads beside the level the customer is at, not as a contradiction of it.
        let ws = workstation()
        let due = ws.visibleQueue.first { $0.reasons.contains { $0.kind == .levelDue } }
        #expect(due != nil)  // the fixture has one
        if let due, case .level(let next, _, _)? = due.reasons.first(where: { $0.kind == .levelDue })?.about {
            #expect(ws.levelText(due) == "\(due.level)→\(next)")
            #expect(ws.render(rows: 24, cols: 80).text().contains(" \(due.level)→\(next) "))
        }
    }

    /// Fees and interest billed stay in the ledger, apart from the principal, until paid.
    @Test func theLedgerShowsOpenFeesAndInterestApart() throws {
        try desk.perform(.batch([.chargePosted(Charge(id: "RUN1-C1-FEE", customer: "C1", day: Self.today, kind: .fee(level: 3),
                                                      amount: Money(minorUnits: 1_000)))]))
        try desk.perform(.pay("C1", amount: Money(minorUnits: 1_234_500), on: Self.today, invoice: nil, reference: "B1", method: "bank"))
        let ledger = workstation().ledgerLines(try #require(desk.book.customers["C1"]), width: 70)
        let text = ledger.map { $0.map(\.0).joined() }
        #expect(text.contains { $0.contains("Fees and interest open, apart: 10.00") })
        // And under the balance, in view with it, with what is owed in all.
        #expect(text.contains { $0.hasSuffix("and fees and interest 10.00  in all 10.00") }, "\(text.prefix(6))")
        #expect(text.contains { $0.contains("2026-03-02         10.00  fee, level 3  RUN1-C1-FEE") })
        #expect(text.contains { $0.contains("Nothing open") })  // the invoice is paid; the fee is not
    }

    @Test func wideTerminalsShowTheListAndTheLedgerSideBySide() {
        let screen = workstation().render(rows: 48, cols: 160)
        let text = lines(screen)
        #expect(text[2].contains("│"))
        #expect(text[2].contains("C1  上海华瑞科技有限公司"))  // the selected customer's ledger on the right
        #expect(text.contains { $0.contains("Open items (1)") })
        // Its columns are named: the date is the due date.
        #expect(text.contains { $0.contains("invoice          due                 open late") })
    }

    @Test func loggingACallAndAPromiseIsSavedToTheJournal() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                       // open C1's ledger
        _ = ws.handle(.char("c"))
        _ = ws.handle(.right)                       // no-answer
        _ = ws.handle(.tab)
        for ch in "财务说下周付款" { _ = ws.handle(.char(ch)) }
        _ = ws.handle(.tab)
        for ch in "tomorrow" { _ = ws.handle(.char(ch)) }
        let form = lines(ws.render(rows: 24, cols: 80))
        #expect(form.contains { $0.contains("→ 2026-03-03") })
        _ = ws.handle(.enter)
        #expect(lines(ws.render(rows: 24, cols: 80)).last?.contains("Saved: Log a call") == true)
        _ = ws.handle(.char("p"))
        _ = ws.handle(.enter)                       // defaults: the past due, in a week
        let reopened = try Desk.open(folder: folder, today: Self.today, user: "li.na")
        let timeline = reopened.book.timeline(of: "C1")
        #expect(timeline.count == 2)
        if case .call(let outcome, let note, let callback) = timeline[0].kind {
            #expect(outcome == .noAnswer)
            #expect(note == "财务说下周付款")
            #expect(callback == Day(iso: "2026-03-03"))
        } else { Issue.record("expected a call first") }
        #expect(reopened.book.promises(of: "C1").first?.amount == Money(minorUnits: 1_234_500))
    }

    @Test func escapeCancelsAFormWithNothingSaved() {
        let ws = workstation()
        let before = desk.book.lastSequence
        _ = ws.handle(.char("n"))
        for ch in "half typed" { _ = ws.handle(.char(ch)) }
        _ = ws.handle(.escape)
        #expect(desk.book.lastSequence == before)
        #expect(lines(ws.render(rows: 24, cols: 80)).last?.contains("Cancelled") == true)
    }

    /// Over the limit says by how much, beside the limit (the limit alone read as the excess);
    /// a status change reads in Chinese in a Chinese workstation.
    @Test func overTheLimitSaysByHowMuchAndAStatusReadsInChinese() throws {
        let c1 = try #require(workstation().visibleQueue.first { $0.customer == "C1" })
        let about = try #require(c1.reasons.first { $0.kind == .overLimit }?.about)
        #expect(about.text(in: .cny) == "11,345.00 over its limit of 1,000.00")
        #expect(about.text(in: .cny, chinese: true) == "超出信用额度（1,000.00）11,345.00")
        try desk.perform(.changeProfile("C2", .status(.agency), reason: "handed to an agency"))
        let change = try #require(desk.book.timeline(of: "C2").last)
        #expect(ActivityText.describe(change.kind, book: desk.book, chinese: true).detail.hasPrefix("状态 外包催收"))
    }

    /// The ledger's "of it disputed" is of what is past due: a dispute on an invoice not yet due
    /// is marked on its item, not added there (past due 500, disputed 800 did not add up).
    @Test func theDisputedPartOfThePastDueIsOfThePastDue() throws {
        try desk.perform(.issueInvoices([Invoice(number: "I7", customer: "C2", issued: Self.today, due: Self.today.adding(days: 30), amount: Money(minorUnits: 30_000))]))
        try desk.perform(.dispute("C2", invoices: ["I7"], reason: "wrong price"))
        try desk.perform(.dispute("C2", invoices: ["I2"], amount: Money(minorUnits: 10_000), reason: "short"))
        let ledger = workstation().ledgerLines(try #require(desk.book.customers["C2"]), width: 100).map { $0.map(\.0).joined() }
        #expect(ledger.contains { $0.contains("Past due 500.00") && $0.contains("of it disputed 100.00, to collect 400.00") }, "\(ledger.prefix(4))")
    }

    /// Ctrl-C leaves a form as Esc does; while the form is open the status line shows its keys
    /// (the panel's read as if it had closed, and the next keys went into it); outside a form
    /// Ctrl-C says how to quit.
    @Test func ctrlCCancelsAFormWhoseKeysTheStatusLineShows() {
        let ws = workstation()
        let before = desk.book.lastSequence
        _ = ws.handle(.char("n"))
        for ch in "half typed" { _ = ws.handle(.char(ch)) }
        let open = lines(ws.render(rows: 24, cols: 80))
        #expect(open.last?.contains("Enter save") == true && open.last?.contains("Esc/Ctrl-C cancel") == true && open.last?.contains("c call") == false,
                "\(open.last ?? "")")
        _ = ws.handle(.ctrl("c"))
        #expect(ws.state.form == nil && desk.book.lastSequence == before)
        #expect(lines(ws.render(rows: 24, cols: 80)).last?.contains("Cancelled") == true)
        _ = ws.handle(.ctrl("c"))
        #expect(lines(ws.render(rows: 24, cols: 120)).last?.contains("Ctrl-C does not quit here: q quits") == true)
        _ = ws.handle(.ctrl("z"))
        #expect(lines(ws.render(rows: 24, cols: 120)).last?.contains("Ctrl-Z does not suspend ardesk: q quits") == true)
        // A box of text over the screen (a ledger's activity read in full): its keys, not the ledger's.
        _ = ws.handle(.enter); _ = ws.handle(.char("v"))
        #expect(ws.state.overlay != nil)
        let box = lines(ws.render(rows: 24, cols: 120)).last ?? ""
        #expect(box.contains("scroll") && box.contains("other keys close") && !box.contains("c call"), "\(box)")
        _ = ws.handle(.escape); _ = ws.handle(.escape)
        // :sort in the queue says the queue's own order beside the customers panel's.
        _ = ws.handle(.char(":")); type("sort nonsense", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("The queue sorts by priority (:sort, or s)") == true, "\(ws.state.message?.text ?? "")")
        // While a search is typed, the status line shows its keys.
        _ = ws.handle(.char("/"))
        #expect(lines(ws.render(rows: 24, cols: 120)).last?.contains("Enter keep the search") == true)
        _ = ws.handle(.escape)
        // Esc with a key at once: in a form nothing; elsewhere Esc, then the key.
        _ = ws.handle(.char("n")); _ = ws.handle(.char("a"))
        #expect(ws.handle(.alt("q")) && ws.state.form?.fields.first?.text == "a")
        _ = ws.handle(.escape)
        _ = ws.handle(.char("?"))
        _ = ws.handle(.alt(":"))
        #expect(!ws.state.showHelp && ws.state.commandLine == "")
    }

    /// What a caller quotes finds their customer: an invoice number (in lower case too), a
    /// phone by its last digits, their own reference on an invoice; what is on two customers
    /// names both.
    @Test func goToFindsACustomerByWhatACallerQuotes() throws {
        try desk.perform(.addCustomers([Customer(id: "C4", name: "Delta", contacts: [ContactPerson(name: "黄静", phone: "+86 21 2140-5238")])]))
        try desk.perform(.issueInvoices([
            Invoice(number: "I4", customer: "C4", issued: Self.today, due: Self.today.adding(days: 30), amount: Money(minorUnits: 100), reference: "PO54840"),
            Invoice(number: "I5", customer: "C2", issued: Self.today, due: Self.today.adding(days: 30), amount: Money(minorUnits: 100), reference: "PO-SAME"),
            Invoice(number: "I6", customer: "C3", issued: Self.today, due: Self.today.adding(days: 30), amount: Money(minorUnits: 100), reference: "PO-SAME"),
        ]))
        func goTo(_ quoted: String) -> (customer: CustomerID?, said: String) {
            let ws = workstation()
            _ = ws.handle(.char(":"))
            for ch in "goto " + quoted { _ = ws.handle(.char(ch)) }
            _ = ws.handle(.enter)
            return (ws.state.context == .ledger ? ws.state.ledgerCustomer : nil, ws.state.message?.text ?? "")
        }
        #expect(goTo("i3") == ("C3", "C3: found by invoice I3"))
        #expect(goTo("2140 5238") == ("C4", "C4: found by contact 黄静"))
        #expect(goTo("021 2140 5238") == ("C4", "C4: found by contact 黄静"))  // a trunk 0, no country code
        #expect(goTo("0086 21 2140 5238").customer == "C4")
        #expect(goTo("PO54840") == ("C4", "C4: found by their reference PO54840, on invoice I4"))
        #expect(goTo("po54840").customer == "C4")
        #expect(goTo("PO-SAME") == (nil, "PO-SAME is on 2 customers: C2, C3"))
        #expect(goTo("nobody").said.hasPrefix("No customer nobody: :goto takes an id, a whole name, an invoice"))
    }

    @Test func badInputIsNamedAndNotSaved() {
        let ws = workstation()
        let before = desk.book.lastSequence
        _ = ws.handle(.char("p"))
        _ = ws.handle(.backspace)
        for _ in 0..<20 { _ = ws.handle(.backspace) }
        for ch in "12.345" { _ = ws.handle(.char(ch)) }
        _ = ws.handle(.enter)
        #expect(desk.book.lastSequence == before)
        #expect(lines(ws.render(rows: 24, cols: 80)).suffix(3).joined(separator: " ").contains("Amount: at most 2 decimals ('.' is the decimal point"))
    }

    /// An amount written with a unit shows its figure beside it, as a date does its day: 3千 is
    /// not taken for 3万 unseen.
    @Test func anAmountWithAUnitShowsItsFigure() throws {
        let ws = workstation()
        _ = ws.handle(.char("p"))
        for _ in 0..<20 { _ = ws.handle(.backspace) }
        type("3千", into: ws)
        #expect(ws.render(rows: 24, cols: 80).text().contains("→ 3,000.00"))
        for _ in 0..<5 { _ = ws.handle(.backspace) }
        type("1.2万", into: ws)
        #expect(ws.render(rows: 24, cols: 80).text().contains("→ 12,000.00"))
    }

    @Test func undoAndDoneNext() throws {
        let ws = workstation()
        _ = ws.handle(.char("x"))                   // C1 worked, cursor to the next open item
        #expect(ws.state.queueCursor == 1)
        #expect(ws.view.queue[0].worked)
        #expect(lines(ws.render(rows: 24, cols: 80))[1].contains("Queue 1/3"))
        _ = ws.handle(.char("u"))                   // what was just saved, though the cursor moved on
        #expect(!ws.view.queue[0].worked)
        // An earlier action on another customer (here one saved before this session) is named
        // first and undone only on a second u.
        _ = ws.handle(.char("n")); type("on the second", into: ws); _ = ws.handle(.enter)
        let second = ws.selectedCustomer!
        let later = workstation()
        _ = later.handle(.char("g"))                  // the first row, another customer
        #expect(later.selectedCustomer != second)
        let before = desk.book.lastSequence
        _ = later.handle(.char("u"))
        #expect(desk.book.lastSequence == before)
        #expect(later.state.message?.text.contains("Your last action was on another customer: note on the second · \(second) · u again undoes it") == true)
        _ = later.handle(.char("u"))
        #expect(desk.book.lastSequence == before + 1 && later.state.message?.text.hasPrefix("Undone: note on the second") == true)
        // Where no customer is selected (the dashboard), an earlier action is named first too.
        try desk.perform(.note("C1", "from the command line"))
        let dashboard = workstation()
        while dashboard.state.context != .dashboard { _ = dashboard.handle(.tab) }
        let saved = desk.book.lastSequence
        _ = dashboard.handle(.char("u"))
        #expect(desk.book.lastSequence == saved && dashboard.state.message?.text.contains("u again undoes it") == true)
        // Saved a moment ago by another session of the same user: u reads the log first, and names it.
        try Desk.open(folder: folder, today: Self.today, user: desk.user).perform(.note("C2", "from another session"))
        _ = dashboard.handle(.char("u"))
        #expect(dashboard.state.message?.text.contains("note from another session · C2") == true, "\(String(describing: dashboard.state.message))")
    }

    /// Done with a searched queue is not the queue done: the rest is said to be waiting.
    @Test func doneInASearchSaysWhatIsLeftOutsideIt() {
        let ws = workstation()
        let first = ws.view.queue[0].customer
        _ = ws.handle(.char("/"))
        for ch in first.lowercased() { _ = ws.handle(.char(ch)) }
        _ = ws.handle(.enter)
        _ = ws.handle(.char("x"))
        #expect(ws.view.queue[0].worked)
        #expect(ws.state.message?.text.contains("Nothing left to work in this list; 2 items still open in the whole queue") == true, "\(String(describing: ws.state.message))")
    }

    @Test func searchFiltersByChineseName() {
        let ws = workstation()
        _ = ws.handle(.tab)                         // customers
        _ = ws.handle(.char("/"))
        for ch in "恒泰" { _ = ws.handle(.char(ch)) }
        let text = lines(ws.render(rows: 24, cols: 80))
        #expect(text[2].contains("/恒泰"))
        #expect(text.filter { $0.contains("有限公司") }.count == 1)
        #expect(text.contains { $0.hasPrefix("C3") })
        // Below the list, the selected customer's collector and last contact, which 80 columns leave out.
        #expect(text.contains { $0.hasPrefix(" C3 · wang.fang · last contact 2026-03-02") })
    }

    /// `:filter` and `:sort` take the start of a name when it is the start of one only; typed in
    /// the queue, they say the customers panel they switch to was sorted or filtered.
    @Test func filterAndSortTakeTheStartOfANameAndSayWhereTheyWent() {
        let ws = workstation()
        _ = ws.handle(.char(":")); type("sort name", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.context == .customers && ws.state.sort == .name)
        #expect(ws.state.message?.text == "Customers sorted by name", "\(String(describing: ws.state.message))")
        _ = ws.handle(.char(":")); type("filter over", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.filter == .overLimit)
        _ = ws.handle(.char(":")); type("filter o", into: ws); _ = ws.handle(.enter)   // over limit or on hold: not one
        #expect(ws.state.filter == .overLimit && ws.state.message?.text.hasPrefix("Filter by one of: ") == true)
        _ = ws.handle(.char(":")); type("filter 冻", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.filter == .onHold)
    }

    /// Words with spaces between them find a name whose pinyin or Chinese has none: each word is
    /// looked for on its own, and all must be there.
    @Test func aSearchOfSeveralWordsFindsChineseNamesByEach() throws {
        let ws = workstation()
        _ = ws.handle(.tab)                         // customers
        func found(_ search: String) -> [String] {
            _ = ws.handle(.char("/")); type(search, into: ws); _ = ws.handle(.enter)
            defer { _ = ws.handle(.escape) }
            return ws.currentCustomerRows.map(\.id)
        }
        #expect(found("shanghai huarui") == ["C1"])
        #expect(found("上海 华瑞") == ["C1"])
        #expect(found("sh hr") == ["C1"])
        #expect(found("acme ltd") == ["C2"])
        #expect(found("上海 恒泰").isEmpty)
        // Key by key, the space before a Chinese word's next keeps what was found (it emptied
        // the list), and the word typed after a space finds what the space alone did not (the
        // search narrowed the space's empty result).
        #expect(found("上海 ") == ["C1"])
        func keyByKey(_ search: String) -> [String] {
            _ = ws.handle(.char("/"))
            for ch in search { _ = ws.handle(.char(ch)); _ = ws.render(rows: 24, cols: 100) }
            _ = ws.handle(.enter)
            defer { _ = ws.handle(.escape) }
            return ws.currentCustomerRows.map(\.id)
        }
        #expect(keyByKey("shanghai huarui") == ["C1"] && keyByKey("上海 华瑞") == ["C1"])
        // A Latin id and a space is that id (C1, not C10).
        try desk.perform(.addCustomers([Customer(id: "C10", name: "Ten Ltd")]))
        ws.rebuildView()
        #expect(keyByKey("C1").contains("C10") && keyByKey("C1 ") == ["C1"])
    }

    @Test func helpIsBuiltFromTheKeymap() {
        let ws = workstation()
        _ = ws.handle(.char("?"))
        let text = lines(ws.render(rows: 40, cols: 100)).joined(separator: "\n")
        for binding in Keymap.standard.bindings(in: .queue).prefix(10) {
            #expect(text.contains(binding.action.help.en), "\(binding.action)")
        }
    }

    @Test func anAsOfViewIsReadOnlyAndSaysSo() throws {
        let past = try Desk.open(folder: folder, today: Self.today, readOnlyReason: "as of 2026-02-15", user: "li.na")
        let ws = Workstation(desk: past, asOf: Day(iso: "2026-02-15")!, language: .en)
        #expect(lines(ws.render(rows: 24, cols: 80))[0].contains("AS OF 2026-02-15 · READ-ONLY"))
        // A day after today is a projection, and said so.
        let ahead = try Desk.open(folder: folder, today: Self.today, readOnlyReason: "as of 2026-04-01", user: "li.na")
        #expect(lines(Workstation(desk: ahead, asOf: Day(iso: "2026-04-01")!, language: .en).render(rows: 24, cols: 100))[0]
                .contains("AS OF 2026-04-01 · PROJECTED · READ-ONLY"))
        _ = ws.handle(.char("c"))
        #expect(ws.state.form == nil)
        #expect(lines(ws.render(rows: 24, cols: 80)).last?.contains("Read-only") == true)
        // Read-only for another cause than a day asked for: the cause is said.
        let pinned = try Desk.open(folder: folder, today: Self.today, readOnlyReason: "ARDESK_TODAY=\(Self.today.iso) is not today's date", user: "li.na")
        let session = Workstation(desk: pinned, asOf: Self.today, language: .en)
        _ = session.handle(.char("c"))
        #expect(session.state.message?.text == "Read-only: ARDESK_TODAY=\(Self.today.iso) is not today's date")
    }

    /// A look back lists the customers there on that day: not one added since without documents.
    @Test func anAsOfViewLeavesOutCustomersAddedLater() throws {
        try desk.perform(.addCustomers([Customer(id: "C4", name: "Later Ltd", collector: "li.na")]))
        func listed(asOf day: Day) -> [String] {
            let ws = Workstation(desk: desk, asOf: day, language: .en)
            _ = ws.handle(.tab)
            ws.finishBackgroundWork()
            return lines(ws.render(rows: 24, cols: 100)).compactMap { line in ["C1", "C2", "C3", "C4"].first { line.hasPrefix($0 + " ") } }.sorted()
        }
        #expect(listed(asOf: Self.today) == ["C1", "C2", "C3", "C4"])
        #expect(listed(asOf: Self.today.adding(days: -1)) == ["C1", "C2", "C3"])  // added on 03-02 with invoices from January
        let past = Workstation(desk: desk, asOf: Self.today.adding(days: -1), language: .en)
        #expect(lines(past.render(rows: 24, cols: 100))[1].contains("Customers 3"))
        // The dashboard's most past due are customers owing something then: not one added since.
        #expect(!past.dashboardLists.top.isEmpty && past.dashboardLists.top.allSatisfy { $0.position.pastDue.isPositive && $0.id != "C4" })
        #expect(!past.reviewRows.contains { $0.id == "C4" })
        _ = past.handle(.char(":")); type("g C4", into: past); _ = past.handle(.enter)  // not opened: not there that day
        #expect(past.state.context != .ledger && past.state.message?.text.contains("C4 was added to the book on") == true)
    }

    /// A title bar too narrow for the book's folder shows the folder's end, marked as cut, and the day whole.
    @Test func aNarrowTitleBarShowsTheFoldersEndMarkedAsCut() {
        let ws = workstation()
        let title = lines(ws.render(rows: 24, cols: 60))[0]
        #expect(title.contains(" · …") && title.contains(folder.path.suffix(12)) && title.hasSuffix(" 2026-03-02"), "[\(title)]")
        #expect(lines(ws.render(rows: 24, cols: 200))[0].contains(folder.path))
    }

    /// Small things said rather than left to guess: :goto without an id says how to use it; an
    /// empty customers list names what narrows it; W marks a disputed invoice; 1万2 is said to be unclear.
    @Test func smallThingsAreSaid() throws {
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.message?.text == ":goto ID or :goto a whole name (/ searches part of one)")
        _ = ws.handle(.char(":")); type("filter on hold", into: ws); _ = ws.handle(.enter)
        #expect(ws.render(rows: 24, cols: 100).text().contains("No customer matches. Narrowed by: filter on hold (f)"))
        try desk.perform(.dispute("C1", invoices: ["I1"], reason: "damaged"))
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("W"))
        guard case .choice(let options)? = ws.state.form?.fields.first?.kind else { Issue.record("no invoice choice"); return }
        #expect(options.contains { $0.label.hasPrefix("I1") && $0.label.hasSuffix("disputed") }, "\(options)")
        type("1万2", into: ws)
        #expect(ws.state.form?.problems(today: Self.today, currency: .cny, language: .en).first?.problem
                == "\"1万2\" is said for 12,000 as often as meant as 10,002: write 1.2万, 1万2千 or 10,002")
    }

    /// The ledger panel names an open invoice's reference (the customer's order number).
    @Test func theLedgerPanelNamesAnInvoicesReference() throws {
        try desk.perform(.issueInvoices([Invoice(number: "I8", customer: "C2", issued: Self.today, due: Self.today.adding(days: 30),
                                                 amount: Money(minorUnits: 10_000), reference: "PO 4711")]))
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C2", into: ws); _ = ws.handle(.enter)
        let screen = lines(ws.render(rows: 30, cols: 100))
        #expect(screen.contains { $0.hasPrefix("I8") && $0.hasSuffix("not due     ref PO 4711") }, "\(screen)")
        // The reference starts in one column whatever the lateness before it says.
        try desk.perform(.issueInvoices([Invoice(number: "I9", customer: "C2", issued: Day(iso: "2026-01-01")!, due: Day(iso: "2026-01-31")!,
                                                 amount: Money(minorUnits: 10_000), reference: "PO 4712")]))
        ws.rebuildView()
        let columns = Set(lines(ws.render(rows: 30, cols: 100)).compactMap { $0.range(of: "ref PO 471")?.lowerBound.utf16Offset(in: $0) })
        #expect(columns.count == 1, "\(columns)")
    }

    /// Refusals read in the workstation's language: Chinese in a Chinese one.
    @Test func refusalsAreInTheWorkstationsLanguage() throws {
        let other = try Desk.open(folder: folder, today: Self.today, user: "wang.fang")  // nothing of theirs to undo
        for (language, expected) in [(Language.zh, "没有可撤销的操作"), (.en, "You have no action left to undo")] {
            let ws = Workstation(desk: other, asOf: Self.today, language: language)
            _ = ws.handle(.char("u"))
            #expect(lines(ws.render(rows: 24, cols: 80)).last?.contains(expected) == true, "\(language)")
        }
    }

    /// Every panel draws at the smallest size it accepts, in both languages, with a request
    /// waiting (the approvals' details take rows of their own).
    @Test(arguments: [Language.en, .zh]) func everyPanelDrawsAtTheSmallestSize(_ language: Language) throws {
        try desk.perform(.request("C1", .creditLimit(Money(minorUnits: 500_000)), reason: "growth"))
        let ws = workstation(language)
        for _ in 0..<7 {
            let text = lines(ws.render(rows: Workstation.minimumSize.rows, cols: Workstation.minimumSize.cols))
            #expect(text.count == Workstation.minimumSize.rows, "\(ws.state.context)")
            _ = ws.handle(ws.state.context == .queue ? .enter : .tab)
        }
    }

    @Test func chineseInterfaceAndTooSmallTerminal() {
        let ws = workstation(.zh)
        #expect(lines(ws.render(rows: 24, cols: 80))[2].hasPrefix("今日待办"))
        #expect(lines(ws.render(rows: 10, cols: 40)).contains { $0.contains("终端太小") })
        // The level due is named in Chinese too (C1, past due and never dunned: the first, a reminder).
        let queue = lines(ws.render(rows: 24, cols: 100))
        #expect(queue.contains { $0.contains("应升至第 1 级 付款提醒") }, "\(queue.joined(separator: "\n"))")
    }

    /// On the customers panel, a change that reorders the list leaves the cursor on its customer.
    @Test func theCustomersPanelKeepsItsCustomerWhenTheOrderChanges() throws {
        let ws = workstation()
        _ = ws.handle(.tab)
        _ = ws.render(rows: 24, cols: 100)
        _ = ws.handle(.down)
        let selected = try #require(ws.selectedCustomer)
        let other = try asWangFang()
        try other.perform(.pay("C1", amount: Money(minorUnits: 1_234_500), on: Self.today, invoice: nil, reference: nil, method: "bank"))
        #expect(ws.poll())
        _ = ws.render(rows: 24, cols: 100)
        #expect(ws.selectedCustomer == selected)
    }

    /// `:goto` puts the customers panel's cursor on the customer it opens: Esc, then Tab round
    /// the panels, comes back to that customer's ledger, not to one the cursor was on before.
    @Test func gotoMovesTheCustomersCursorToTheCustomerItOpens() throws {
        let ws = workstation()
        _ = ws.handle(.tab); _ = ws.render(rows: 24, cols: 100)      // the customers panel, on its first row
        let first = try #require(ws.selectedCustomer)
        let other = try #require(["C1", "C2", "C3"].first { $0 != first })
        _ = ws.handle(.char(":")); type("goto \(other)", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.context == .ledger && ws.state.ledgerCustomer == other)
        _ = ws.handle(.escape)
        while ws.state.context != .customers { _ = ws.handle(.tab); _ = ws.render(rows: 24, cols: 100) }
        #expect(ws.selectedCustomer == other)
        _ = ws.handle(.tab)
        #expect(ws.state.context == .ledger && ws.state.ledgerCustomer == other)
    }

    /// A request form naming a request of the user's as waiting says, at Enter, that it was
    /// decided meanwhile, and saves nothing (not "replaces … still waiting").
    @Test func aRequestDecidedWhileTheFormIsOpenIsSaidSo() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                                        // C1's ledger
        _ = ws.handle(.char("r")); _ = ws.handle(.tab); type("5000", into: ws); _ = ws.handle(.tab); type("new order", into: ws); _ = ws.handle(.enter)
        let first = try #require(desk.book.requests.values.first { $0.state == .pending })
        _ = ws.handle(.char("r")); _ = ws.handle(.tab); type("8000", into: ws); _ = ws.handle(.tab); type("bigger order", into: ws)
        try asWangFang().perform(.decide(requestID: first.id, approved: true, reason: ""))
        _ = ws.poll()
        let before = desk.book.lastSequence + 0                      // wang.fang's records read
        _ = ws.handle(.enter)
        #expect(ws.state.message?.text == "Your request \(first.id) was approved by wang.fang while this form was open: Esc, and open it again to see the customer as it is now",
                "\(String(describing: ws.state.message))")
        #expect(desk.book.lastSequence == before)
    }

    /// A customer another user's change takes from the list under the cursor (here, no longer
    /// over its limit) is not replaced silently by the row that slides up: the next key that
    /// acts on a customer says so and does nothing; the same key again acts on the one shown.
    @Test func aKeyDoesNotActOnACustomerThatSlidUnderTheCursor() throws {
        try desk.perform(.changeProfile("C2", .creditLimit(Money(minorUnits: 10_000)), reason: "small"))
        let ws = workstation()
        _ = ws.handle(.char(":")); type("filter over limit", into: ws); _ = ws.handle(.enter)
        _ = ws.render(rows: 24, cols: 100)
        #expect(Set(ws.currentCustomerRows.map(\.id)) == ["C1", "C2"])
        while ws.selectedCustomer != "C1" { _ = ws.handle(.down) }
        let other = try asWangFang()
        try other.perform(.changeProfile("C1", .creditLimit(Money(minorUnits: 5_000_000)), reason: "more"))
        #expect(ws.poll())
        #expect(ws.selectedCustomer == "C2")
        _ = ws.handle(.char("n"))
        #expect(ws.state.form == nil)
        #expect(ws.state.message?.text == "C1 left this list just now; the cursor is on C2: nothing was done", "\(String(describing: ws.state.message))")
        _ = ws.handle(.char("n"))
        #expect(ws.state.form?.customer == "C2")
    }

    @Test func anotherUsersAppendAppearsWithoutMovingTheCursorOrLosingAForm() throws {
        let ws = workstation()
        _ = ws.handle(.down)
        let selected = ws.selectedCustomer
        _ = ws.handle(.char("n"))
        for ch in "draft" { _ = ws.handle(.char(ch)) }
        let other = try asWangFang()
        try other.perform(.note("C3", "from another desk"))
        #expect(ws.poll())
        #expect(ws.selectedCustomer == selected)
        #expect(ws.state.form?.fields.first?.text == "draft")
        #expect(desk.book.timeline(of: "C3").contains { if case .note("from another desk") = $0.kind { true } else { false } })
    }
}

extension WorkstationFlowTests {
    @Test func theManagersReviewAndDashboard() throws {
        let ws = workstation()
        for _ in 0..<4 { _ = ws.handle(.tab) }      // queue → customers → ledger → approvals → review
        #expect(ws.state.context == .review)
        let review = lines(ws.render(rows: 24, cols: 80))
        #expect(review[2].hasPrefix("Credit review · "))
        #expect(review.contains { $0.hasPrefix("C1") && $0.contains("over limit") })
        // The selected customer's signals in full below the list, with what they measured.
        #expect(review.contains { $0.hasPrefix(" C1 上海华瑞科技有限公司 · li.na · limit 1,000.00 · owes 12,345.00") })
        #expect(review.contains { $0.hasPrefix(" over limit") })
        _ = ws.handle(.tab)
        let dashboard = lines(ws.render(rows: 40, cols: 120))
        #expect(dashboard[2] == "Portfolio as of 2026-03-02 · CNY")
        #expect(dashboard.contains { $0.hasPrefix("total") && $0.contains("21,645.00") })
        #expect(dashboard.contains { $0.hasPrefix("DSO count-back") && $0.contains("counting back month by month") })
        #expect(dashboard.contains { $0.hasPrefix("indicator") && $0.contains("now  12 months →") })
        #expect(dashboard.contains { $0.hasPrefix("Provision") })
        #expect(dashboard.contains { $0.hasPrefix("li.na") })
        #expect(dashboard.contains { $0.hasPrefix("Most past due") && $0.contains("C1 上海华瑞科技有限公司") })  // whole on a wide screen
        // Every risk signal is counted, over two lines where one does not hold them (80 columns).
        let narrow = lines(ws.render(rows: 40, cols: 80)).joined(separator: "\n")
        for kind in RiskSignal.Kind.allCases { #expect(narrow.contains(kind.label(.en) + " "), "\(kind)") }
        // A line whose last entries have no room says so with an ellipsis, not a bare figure.
        let narrowest = lines(ws.render(rows: 40, cols: 60))
        let dso = try #require(narrowest.first { $0.hasPrefix("DSO count-back") })
        #expect(!dso.contains("counting back month by month") && dso.trimmingCharacters(in: .whitespaces).hasSuffix("…"), "\(dso)")
        // At 80×24 the dashboard runs past the screen: its last row says how much is below, until G shows the end.
        let short = lines(ws.render(rows: 24, cols: 80))
        #expect(short.contains { $0.hasPrefix("↓ ") && $0.contains("more lines (j, PgDn)") }, "\(short)")
        _ = ws.handle(.char("G"))
        let end = lines(ws.render(rows: 24, cols: 80))
        #expect(!end.contains { $0.contains("more lines (j, PgDn)") } && end.contains { $0.hasPrefix("li.na") }, "\(end)")
        // The review at 80 columns drops its keys from the title before the collector filter.
        _ = ws.handle(.backTab); _ = ws.handle(.char("o"))
        let filtered = lines(ws.render(rows: 24, cols: 80))
        #expect(filtered[2].contains("collector: ") && !filtered[2].contains("(s)"), "\(filtered[2])")
    }

    @Test func aManagerChangesALimitWithAReasonAndACollectorIsToldToRequest() throws {
        let ws = workstation()
        _ = ws.handle(.char("$"))
        #expect(ws.state.form?.title == "Change credit limit")
        _ = ws.handle(.enter)                       // no reason yet
        #expect(lines(ws.render(rows: 24, cols: 80)).last?.contains("Reason: required") == true)
        _ = ws.handle(.ctrl("u")); type("2,000", into: ws)  // the limit as it is would change nothing
        _ = ws.handle(.tab)
        for ch in "new contract" { _ = ws.handle(.char(ch)) }
        _ = ws.handle(.enter)
        #expect(desk.book.timeline(of: "C1").contains { if case .profile(.creditLimit, "new contract") = $0.kind { true } else { false } })
        _ = ws.handle(.char("5"))                   // the 5C scorecard previews grade, limit and terms,
        #expect(lines(ws.render(rows: 30, cols: 100)).contains { $0.contains("score 2.00 → grade D") })  // starting from C1's grade D
        // Saved as it stands, the review keeps the grade: recorded as a note, not refused.
        for _ in 0..<6 { _ = ws.handle(.tab) }
        type("annual review", into: ws)
        _ = ws.handle(.enter)
        #expect(ws.state.form == nil, "\(String(describing: ws.state.message))")
        #expect(desk.book.timeline(of: "C1").contains { if case .note(let text) = $0.kind { text.hasPrefix("5C 2/2/2/2/2 = 2.00 → D, grade D kept: annual review") } else { false } })
        // The review done, the next is a year on (none was set), in the same action.
        #expect(desk.book.customers["C1"]?.nextReview == Day(iso: "2027-03-02"))
        _ = ws.handle(.char("K"))                   // the status form opens at the customer's own status
        #expect(ws.state.form?["status"].choiceValue == "active")
        _ = ws.handle(.escape)
        _ = ws.handle(.char("V"))                   // the review date set: shown, no error
        #expect(ws.state.form?["date"].text == "2027-03-02" && !lines(ws.render(rows: 30, cols: 100)).contains { $0.contains("has passed") })
        _ = ws.handle(.escape)
        _ = ws.handle(.char("u"))                   // a review date is changed with V, not taken back by u
        #expect(desk.book.customers["C1"]?.nextReview == Day(iso: "2027-03-02") && ws.state.message?.kind == .error)
        #expect(ManagerForms.nextReview(after: nil, today: Day(iso: "2028-02-29")!) == Day(iso: "2029-02-28"))
        #expect(ManagerForms.nextReview(after: Day(iso: "2026-05-01"), today: Day(iso: "2026-03-02")!) == Day(iso: "2026-05-01"))  // not due: kept
    }
}

extension WorkstationFlowTests {
    @Test func assigningSeveralMarkedCustomersAtOnce() throws {
        let ws = workstation()
        _ = ws.handle(.tab)                          // customers
        _ = ws.handle(.char("m"))
        _ = ws.handle(.char("m"))                    // two marked (the cursor moves down after each)
        #expect(ws.state.marked.count == 2)
        _ = ws.handle(.char("A"))
        #expect(ws.state.form?.title == "Assign 2 marked customers")
        #expect(ws.render(rows: 24, cols: 100).text().contains("Assign 2 marked customers · C1, C3"))  // both, not one of them
        _ = ws.handle(.right)                        // from li.na (the first's) to wang.fang
        _ = ws.handle(.enter)
        let assigned = desk.book.customerOrder.filter { desk.book.customers[$0]?.collector == "wang.fang" }
        #expect(ws.state.marked.isEmpty)
        #expect(assigned == ["C1", "C3"])  // the two largest past-due balances, marked in that order
        #expect(ws.state.message?.text.contains("1 moved, 1 already with wang.fang") == true)  // C3 was hers
        _ = ws.handle(.tab); _ = ws.handle(.tab); _ = ws.handle(.tab)  // ledger → approvals → review
        _ = ws.handle(.char("f"))
        #expect(lines(ws.render(rows: 24, cols: 80))[2].contains("filter: over limit"))
    }
}

extension WorkstationFlowTests {
    @Test func theIncrementalViewEqualsAFullRebuild() throws {
        let ws = workstation()
        _ = ws.handle(.char("x"))                                   // worked
        try desk.perform(.promise("C3", amount: nil, due: Self.today.adding(days: 2)))
        let other = try asWangFang()
        try other.perform(.logCall("C2", .refused, note: "", callback: Self.today))
        try other.perform(.changeProfile("C1", .creditLimit(Money(minorUnits: 5_000_000)), reason: "more"))
        #expect(ws.poll())
        let full = BookView(desk: desk, asOf: Self.today)
        // The same entries with the same figures; the incremental queue keeps the order it was
        // worked in, and keeps entries with nothing due now as settled rows.
        let due = ws.view.queue.filter { !$0.settled }
        #expect(due.map(\.customer).sorted() == full.queue.map(\.customer).sorted())
        for row in due {
            let fresh = full.queue.first { $0.customer == row.customer }
            #expect(row.priority == fresh?.priority && row.worked == fresh?.worked, "\(row.customer)")
        }
        #expect(ws.view.queue.filter(\.settled).allSatisfy { row in !full.queue.contains { $0.customer == row.customer } })
        // The counts are of the day's work: a row with nothing due since is said apart, and counted
        // only while it waits for x after a contact today (C3's promise); one paid is not.
        let settled = ws.view.queue.filter { $0.settled && !$0.worked }.count
        let contacted = ws.view.queue.filter { $0.settled && !$0.worked && Position($0.customer, in: desk.book, asOf: Self.today).lastContact == Self.today }.count
        #expect(contacted > 0)
        let open = ws.view.queue.count - settled + contacted, worked = ws.view.queue.filter(\.worked).count
        let header = lines(ws.render(rows: 24, cols: 120))
        #expect(header[1].contains("Queue \(worked)/\(open)") && header[2].contains("Call queue · \(worked) of \(open) worked"), "\(header[1]) \(header[2])")
        #expect(settled > 0 && header[2].contains("· \(settled) with nothing due now"), "\(header[2])")  // C3 promised: nothing due now
        #expect(ws.view.rows.map(\.position) == full.rows.map(\.position))
        #expect(ws.view.rows.map(\.limit) == full.rows.map(\.limit))
        // Asked for, s ranks the queue as an open does: the full rebuild's order, settled rows gone.
        _ = ws.handle(.char("s"))
        #expect(ws.view.queue.map(\.customer) == full.queue.map(\.customer))
        #expect(ws.state.queueCursor == 0 && ws.state.message?.text == "Queue ranked by priority again: \(full.queue.count) customers")
    }
}

/// What a review of the workstation found, held by tests.
extension WorkstationFlowTests {
    func type(_ text: String, into ws: Workstation) { for ch in text { _ = ws.handle(.char(ch)) } }

    /// A promise is asked for what is past due and not disputed: a customer does not promise
    /// to pay what it contests.
    @Test func aPromiseIsAskedForWhatIsNotDisputed() throws {
        try desk.perform(.issueInvoices([Invoice(number: "I4", customer: "C1", issued: Day(iso: "2026-01-05")!,
                                                 due: Day(iso: "2026-02-04")!, amount: Money(minorUnits: 20_000))]))
        try desk.perform(.dispute("C1", invoices: ["I1"], reason: "price differs"))
        let ws = workstation()
        _ = ws.handle(.enter)  // C1's ledger
        _ = ws.handle(.char("p"))
        #expect(ws.state.form?.fields.first?.text == "200.00")
    }

    /// A long note is cut to one line in the ledger panel; Enter there shows every activity in
    /// full, wrapped, Chinese included.
    @Test func enterInTheLedgerReadsTheActivityInFull() throws {
        let long = "财务经理王先生说本月底前安排付款，需要先核对三张发票的数量与单价，" + String(repeating: "then call back on Monday ", count: 6) + "END"
        try desk.perform(.note("C1", long))
        let ws = workstation()
        _ = ws.handle(.enter)  // C1's ledger
        #expect(!ws.render(rows: 48, cols: 160).text().contains("END"))
        _ = ws.handle(.enter)
        let screen = ws.render(rows: 48, cols: 160).text()
        #expect(screen.contains("Activity of C1"))
        #expect(screen.contains("END") && screen.contains("财务经理王先生说本月底前安排付款"))
        _ = ws.handle(.escape)
        #expect(ws.state.overlay == nil)
    }

    /// Esc clears a search confirmed with Enter; ↑↓ move along a list to tick; x on a customer
    /// not in today's queue does not count it as a queue item worked.
    @Test func escClearsASearchArrowsTickListsAndXKeepsToTheQueue() throws {
        let ws = workstation()
        _ = ws.handle(.char("/")); type("Acme", into: ws); _ = ws.handle(.enter)
        #expect(ws.visibleQueue.map(\.customer) == ["C2"])
        _ = ws.handle(.escape)
        #expect(ws.state.search.isEmpty && ws.visibleQueue.count == 3)
        #expect(ws.visibleQueue[ws.state.queueCursor].customer == "C2" && ws.state.queueCursor > 0)  // on the customer found, in the whole list
        _ = ws.handle(.char("k"))
        _ = ws.handle(.char("/")); type("Acme", into: ws); _ = ws.handle(.escape)  // Esc while typing: the same
        #expect(ws.state.search.isEmpty && ws.visibleQueue[ws.state.queueCursor].customer == "C2")
        _ = ws.handle(.char(":")); type("g Ｃ３", into: ws); _ = ws.handle(.enter)  // full width, as / reads it
        #expect(ws.state.context == .ledger && ws.state.ledgerCustomer == "C3")
        _ = ws.handle(.escape)
        try desk.perform(.issueInvoices([Invoice(number: "I5", customer: "C1", issued: Day(iso: "2026-01-02")!,
                                                 due: Day(iso: "2026-02-01")!, amount: Money(minorUnits: 10_000))]))
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("d"))
        _ = ws.handle(.down)  // along the invoices, not to the reason
        func pickCursor() -> Int? { ws.state.form?.fields.first { if case .picks = $0.kind { return true } else { return false } }?.pickCursor }
        #expect(pickCursor() == 1)
        _ = ws.handle(.char("k"))  // as in the lists
        #expect(pickCursor() == 0)
        _ = ws.handle(.char("j"))
        #expect(pickCursor() == 1)
        _ = ws.handle(.home)
        #expect(pickCursor() == 0)
        _ = ws.handle(.end)  // the last invoice
        let last = ws.state.form?.fields.first { if case .picks = $0.kind { true } else { false } }.map { field -> Int in
            if case .picks(let options) = field.kind { return options.count - 1 } else { return -1 }
        }
        #expect(pickCursor() == last && (last ?? 0) > 0)
        _ = ws.handle(.escape)
        try desk.perform(.addCustomers([Customer(id: "C9", name: "Quiet Ltd")]))
        _ = ws.handle(.char(":")); type("goto C9", into: ws); _ = ws.handle(.enter)
        let before = desk.book.lastSequence
        _ = ws.handle(.char("x"))
        #expect(desk.book.lastSequence == before)
        #expect(ws.state.message?.text.contains("not in today's queue") == true)
    }

    /// Tab from a searched customers panel opens the ledger of the row found, not of the row of
    /// that number in the whole list, and coming back finds the cursor on it; a search in the
    /// queue leaves the customers panel's cursor where it was.
    @Test func tabAfterASearchOpensTheCustomerFound() throws {
        let ws = workstation()
        _ = ws.handle(.tab)
        #expect(ws.currentCustomerRows.first?.id != "C3")  // the whole list's first row is another's
        let before = ws.selectedCustomer
        #expect(before != "C3")
        _ = ws.handle(.char("/")); type("bjht", into: ws); _ = ws.handle(.enter)  // 北京恒泰, C3
        #expect(ws.currentCustomerRows.map(\.id) == ["C3"])
        _ = ws.handle(.tab)
        #expect(ws.state.context == .ledger && ws.state.ledgerCustomer == "C3")
        #expect(ws.render(rows: 24, cols: 100).text().contains("北京恒泰"))
        _ = ws.handle(.backTab)
        #expect(ws.state.context == .customers && ws.selectedCustomer == "C3")
        #expect(before != nil)
        // :goto puts the customers panel's cursor on the customer it opens; a search typed in the
        // queue then does not move it.
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.backTab); _ = ws.handle(.backTab)  // the customers panel, then the queue
        #expect(ws.state.context == .queue)
        _ = ws.handle(.char("/")); type("Acme", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.tab)
        #expect(ws.state.context == .customers && ws.selectedCustomer == "C1")
        // Tab while the search is still being typed: as Enter, then Tab.
        _ = ws.handle(.char("/")); type("shhr", into: ws); _ = ws.handle(.tab)
        #expect(ws.state.context == .ledger && ws.state.ledgerCustomer == "C1" && !ws.state.searching)
        // A long search stays whole in a narrow title; the title before it is cut.
        _ = ws.handle(.backTab)
        _ = ws.handle(.char("/")); type("shanghaihuaruikeji", into: ws)
        let title = lines(ws.render(rows: 24, cols: 60))[2]
        #expect(title.contains("/shanghaihuaruikeji▏") && title.contains("…"), "\(title)")
    }

    /// Opened from a snapshot, the session looks at the lines the open skipped and says when one
    /// is damaged (the book as opened is sound; the log needs mending).
    @Test func damageBeforeTheSnapshotIsSaidInTheSession() throws {
        #expect(desk.saveSnapshot() == nil)
        let log = folder.journalPath
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        let secondLine = bytes.firstIndex(of: 0x0A)! + 1
        let third = bytes[secondLine...].firstIndex(of: 0x0A)! + 10
        bytes[third] = bytes[third] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        try bytes.write(to: URL(fileURLWithPath: log))
        let reopened = try Desk.open(folder: folder, today: Self.today, user: "li.na")
        let ws = Workstation(desk: reopened, asOf: Self.today, language: .en)
        ws.lookForEarlierDamage()
        var said = false
        for _ in 0..<200 where !said {
            said = ws.poll() && ws.state.message?.text.contains("line 3 of") == true
            if !said { usleep(10_000) }
        }
        #expect(said, "\(String(describing: ws.state.message))")
        #expect(ws.state.message?.text.contains("is damaged") == true)
    }

    /// A ledger opened from a searched list keeps that list beside it, the cursor on the row opened.
    @Test func aLedgerOpenedFromASearchKeepsTheList() throws {
        let ws = workstation()
        _ = ws.handle(.tab)  // customers
        _ = ws.handle(.char("/")); type("Acme", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.enter)  // C2's ledger
        #expect(ws.state.context == .ledger && ws.state.ledgerCustomer == "C2")
        #expect(ws.currentCustomerRows.count == 1)
        _ = ws.handle(.escape)
        #expect(ws.state.context == .customers && ws.selectedCustomer == "C2")
    }

    /// The same from the credit review: the list beside the ledger is still the one searched, and
    /// Esc comes back to the row that was opened.
    @Test func aLedgerOpenedFromASearchedReviewKeepsTheList() throws {
        try desk.perform(.changeProfile("C2", .hold, reason: "slow payer"))  // on hold: in the review too
        let ws = workstation()
        for _ in 0..<4 { _ = ws.handle(.tab) }  // queue → customers → ledger → approvals → review
        #expect(ws.state.context == .review)
        let everyone = ws.reviewRows.map(\.id)
        _ = ws.handle(.char("/")); type("上海", into: ws); _ = ws.handle(.enter)
        let searched = ws.reviewRows.map(\.id)
        #expect(searched == ["C1"] && everyone.count > 1, "\(everyone)")
        _ = ws.handle(.enter)  // C1's ledger
        #expect(ws.state.context == .ledger && ws.state.ledgerCustomer == "C1")
        #expect(ws.reviewRows.map(\.id) == searched)
        _ = ws.handle(.escape)
        #expect(ws.state.context == .review && ws.selectedCustomer == "C1")
    }

    /// A plan's preview too long for the screen says how many instalments it does not show.
    @Test func aLongPlanPreviewSaysWhatItHides() throws {
        let ws = workstation()
        _ = ws.handle(.enter)  // C1's ledger
        _ = ws.handle(.char("P"))
        _ = ws.handle(.tab)
        _ = ws.handle(.ctrl("u")); type("24", into: ws)
        #expect(ws.render(rows: 24, cols: 80).text().contains("more"))
    }

    /// Long ids (an import's) show whole in the lists, not cut to six characters.
    @Test func longIdsShowWhole() throws {
        try desk.perform(.addCustomers([Customer(id: "0379-NEVHP", name: "Nevhp Trading")]))
        try desk.perform(.issueInvoices([Invoice(number: "I9", customer: "0379-NEVHP", issued: Day(iso: "2026-01-02")!,
                                                 due: Day(iso: "2026-01-20")!, amount: Money(minorUnits: 90_000))]))
        let ws = workstation()
        _ = ws.handle(.tab)  // customers
        #expect(ws.render(rows: 24, cols: 100).text().contains("0379-NEVHP"))
    }

    /// A message wider than the screen is shown whole, on the rows above the status line.
    @Test func aLongMessageIsShownWhole() throws {
        let ws = workstation()
        _ = ws.handle(.enter)
        _ = ws.handle(.char("H")); type("over limit", into: ws); _ = ws.handle(.enter)  // a hold: not undone by u
        _ = ws.handle(.char("u"))
        let message = try #require(ws.state.message?.text)
        #expect(message.count > 80)
        let screen = lines(ws.render(rows: 24, cols: 80))
        #expect(screen.suffix(3).joined(separator: " ").contains("change it back with H, or ardesk hold / ardesk release"))
    }

    /// The ledger panel lists credit notes and write-offs with what they settled and why.
    @Test func theLedgerPanelShowsCreditNotesAndWriteOffs() throws {
        try desk.perform(.creditNote("C1", number: "CN7", amount: Money(minorUnits: 10_000), on: Self.today, invoice: "I1", reason: "price"))
        try desk.perform(.writeOff("C1", amount: Money(minorUnits: 500), invoice: "I1", reason: "rounding"))
        let ws = workstation()
        _ = ws.handle(.enter)  // C1's ledger
        let screen = ws.render(rows: 48, cols: 160).text()
        #expect(screen.contains("Credit notes, credit applied and write-offs"))
        #expect(screen.contains("credit note CN7") && screen.contains("→ I1 · price"))
        #expect(screen.contains("write-off ") && screen.contains("· rounding"))
    }

    /// A payment that came back stays in the ledger's payments, marked with its reversal, and
    /// the reversal is on the customer's timeline; the review can list those who had one.
    @Test func theLedgerPanelMarksAReversedPayment() throws {
        try desk.perform(.pay("C1", amount: Money(minorUnits: 10_000), on: Self.today, invoice: "I1", reference: "CHQ-9", method: "cheque"))
        try desk.perform(.reversePayment(reference: "CHQ-9", on: Self.today, reason: "returned unpaid"))
        let ws = workstation()
        _ = ws.handle(.enter)  // C1's ledger
        let screen = ws.render(rows: 60, cols: 160).text()
        #expect(screen.contains("CHQ-9  reversed \(Self.today.iso)  → I1 · returned"))  // the mark before the invoices, the reason after
        #expect(screen.contains("payment reversed"))
        #expect(ReviewFilter.paymentReversed.label(.zh) == "回款被退")
    }

    /// A manager reverses a payment from the keyboard: R on the customer, the latest payment
    /// chosen, today's date, a reason; saved, the ledger marks it. With none left, R says so.
    @Test func aManagerReversesAPaymentFromTheLedger() throws {
        try desk.perform(.pay("C1", amount: Money(minorUnits: 10_000), on: Self.today, invoice: "I1", reference: "CHQ-7", method: "cheque"))
        let ws = workstation()
        _ = ws.handle(.enter)  // C1's ledger
        _ = ws.handle(.char("R"))
        let form = try #require(ws.state.form)
        #expect(form["payment"].choiceValue == "CHQ-7")
        #expect(form["cause"].choiceValue == "returned")
        _ = ws.handle(.tab); _ = ws.handle(.tab); _ = ws.handle(.tab)  // past the cause and the date, to the reason
        type("cheque returned unpaid", into: ws)
        _ = ws.handle(.enter)
        #expect(ws.state.form == nil, "\(String(describing: ws.state.message))")
        #expect(desk.book.reversals["CHQ-7"]?.reason == "cheque returned unpaid")
        #expect(desk.book.reversals["CHQ-7"]?.cause == .returned)
        #expect(ws.render(rows: 60, cols: 160).text().contains("CHQ-7  reversed \(Self.today.iso)"))
        // A payment entered in error, reversed as such: marked so, and not held against the customer.
        try desk.perform(.pay("C1", amount: Money(minorUnits: 5_000), on: Self.today, invoice: "I1", reference: "TYPO-1", method: "bank"))
        _ = ws.handle(.char("R"))
        #expect(ws.state.form?["payment"].choiceValue == "TYPO-1")
        _ = ws.handle(.tab); _ = ws.handle(.right)  // entered in error
        _ = ws.handle(.tab); _ = ws.handle(.tab)
        type("amount mistyped", into: ws)
        _ = ws.handle(.enter)
        #expect(desk.book.reversals["TYPO-1"]?.cause == .enteredInError, "\(String(describing: ws.state.message))")
        #expect(ws.render(rows: 60, cols: 160).text().contains("TYPO-1  reversed \(Self.today.iso) (entered in erro…"))  // cut at the panel's edge
        _ = ws.handle(.char("R"))
        #expect(ws.state.form == nil && ws.state.message?.text == "C1 has no payment to reverse")
    }

    /// A manager sets a customer's credit against its invoices from the keyboard: C, the oldest
    /// credit and oldest due first offered, all that both allow prefilled; the ledger lists it.
    @Test func aManagerAppliesCreditFromTheLedger() throws {
        let ws = workstation()
        _ = ws.handle(.enter)  // C1's ledger
        _ = ws.handle(.char("C"))
        #expect(ws.state.form == nil && ws.state.message?.text.contains("C1 has no credit to apply") == true)
        try desk.perform(.creditNote("C1", number: "CN-1", amount: Money(minorUnits: 30_000), on: Self.today, invoice: nil, reason: "rebate"))
        _ = ws.handle(.char("C"))
        let form = try #require(ws.state.form)
        #expect(form["credit"].choiceValue == "" && form["invoice"].choiceValue == "" && form["amount"].text == "300.00")
        // One credit chosen: the most it allows typed in; all of them again, all again.
        try desk.perform(.creditNote("C1", number: "CN-2", amount: Money(minorUnits: 4_000), on: Self.today, invoice: nil, reason: "rebate"))
        _ = ws.handle(.escape); _ = ws.poll()
        _ = ws.handle(.char("C"))
        #expect(ws.state.form?["amount"].text == "340.00")
        _ = ws.handle(.right)
        #expect(ws.state.form?["credit"].choiceValue == "note:CN-1" && ws.state.form?["amount"].text == "300.00")
        _ = ws.handle(.right)
        #expect(ws.state.form?["amount"].text == "40.00")
        _ = ws.handle(.left); _ = ws.handle(.left)
        #expect(ws.state.form?["amount"].text == "340.00")
        _ = ws.handle(.enter)
        #expect(ws.state.form == nil, "\(String(describing: ws.state.message))")
        let applications = desk.book.creditApplications.values.sorted { $0.id < $1.id }
        #expect(applications.map(\.source) == [.creditNote("CN-1"), .creditNote("CN-2")])
        #expect(applications.map(\.allocations) == [[Allocation(invoice: "I1", amount: Money(minorUnits: 30_000))],
                                                      [Allocation(invoice: "I1", amount: Money(minorUnits: 4_000))]])
        #expect(desk.book.invoices["I1"]?.open(asOf: Self.today) == Money(minorUnits: 1_200_500))
        let applied = applications[0]
        let screen = ws.render(rows: 60, cols: 160).text()
        #expect(screen.contains("credit applied \(applied.id)") && screen.contains("credit note CN-1  applied in full"), "\(screen)")
        // U takes one back, the latest first offered, with a reason: owed again, the credit free again.
        _ = ws.handle(.char("U"))
        let back = try #require(ws.state.form)
        #expect(back["application"].choiceValue == applications[1].id)
        _ = ws.handle(.tab); _ = ws.handle(.tab)  // past the date, to the reason
        type("wrong invoice", into: ws)
        _ = ws.handle(.enter)
        #expect(ws.state.form == nil, "\(String(describing: ws.state.message))")
        #expect(desk.book.creditApplications[applications[1].id]?.withdrawn?.reason == "wrong invoice")
        #expect(desk.book.invoices["I1"]?.open(asOf: Self.today) == Money(minorUnits: 1_204_500))
        #expect(ws.render(rows: 60, cols: 160).text().contains("taken back \(Self.today.iso)"))
        _ = ws.handle(.char("U")); _ = ws.handle(.escape)
        _ = ws.handle(.char("U"))
        #expect(ws.state.form?["application"].choiceValue == applied.id)  // the one left
    }

    /// `I` takes a write-off back (made by mistake): the latest offered, a reason asked; the
    /// invoices are owed again and the ledger says when and why.
    @Test func aManagerReinstatesAWriteOffFromTheLedger() throws {
        let ws = workstation()
        _ = ws.handle(.enter)  // C1's ledger
        _ = ws.handle(.char("I"))
        #expect(ws.state.form == nil && ws.state.message?.text.contains("C1 has no write-off to reinstate") == true)
        let owed = try #require(desk.book.invoices["I1"]?.open(asOf: Self.today))
        try desk.perform(.writeOff("C1", amount: Money(minorUnits: 50_000), invoice: "I1", reason: "small balance"))
        let writeOff = try #require(desk.book.writeOffs(of: "C1").first)
        _ = ws.poll()
        _ = ws.handle(.char("I"))
        let form = try #require(ws.state.form)
        #expect(form["writeoff"].choiceValue == writeOff.id)
        _ = ws.handle(.tab); _ = ws.handle(.tab)  // past the date, to the reason
        _ = ws.handle(.enter)
        #expect(ws.state.form != nil && ws.state.message?.text == "Reason: required", "\(String(describing: ws.state.message))")
        type("wrong invoice", into: ws)
        _ = ws.handle(.enter)
        #expect(ws.state.form == nil, "\(String(describing: ws.state.message))")
        #expect(desk.book.writeOffs[writeOff.id]?.reinstated?.reason == "wrong invoice")
        #expect(desk.book.invoices["I1"]?.open(asOf: Self.today) == owed)
        #expect(ws.render(rows: 60, cols: 160).text().contains("write-off \(writeOff.id)  reinstated \(Self.today.iso) by li.n"))
        _ = ws.handle(.char("I"))
        #expect(ws.state.form == nil && ws.state.message?.text.contains("no write-off to reinstate") == true)
    }

    /// `u` names what it undid; after a hold it refuses and says why instead of undoing an older
    /// action on another customer.
    @Test func undoSaysWhatItUndidOrWhyItCannot() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                        // C1's ledger
        _ = ws.handle(.char("n")); type("call back Monday", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("u"))
        #expect(ws.state.message?.text.hasPrefix("Undone: note call back Monday · C1") == true)
        _ = ws.handle(.char("H")); type("over limit", into: ws); _ = ws.handle(.enter)
        #expect(desk.book.customers["C1"]?.status == .onHold)
        let before = desk.book.lastSequence
        _ = ws.handle(.char("u"))
        #expect(ws.state.message?.kind == .error)
        #expect(ws.state.message?.text.contains("credit hold") == true)
        #expect(desk.book.lastSequence == before)
    }

    /// A promise payments have kept since is undone only on a second u, which is told what it
    /// takes from the promises kept.
    @Test func undoingAKeptPromiseAsksAgain() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                        // C1's ledger
        _ = ws.handle(.char("p")); _ = ws.handle(.enter)   // defaults: the past due, in a week
        let promise = try #require(desk.book.promises(of: "C1").first, "\(String(describing: ws.state.message))")
        // The payment from another user (the manager at the command line).
        try Desk.open(folder: folder, today: Self.today, user: "boss").perform(.pay("C1", amount: Money(minorUnits: 10_000), on: Self.today,
                                                                                   invoice: nil, reference: "K1", method: "bank"))
        _ = ws.poll()
        let before = desk.book.lastSequence
        _ = ws.handle(.char("u"))
        #expect(desk.book.lastSequence == before)
        #expect(ws.state.message?.text.contains("Promise \(promise.id) has been paid 100.00 since") == true, "\(String(describing: ws.state.message))")
        _ = ws.handle(.char("u"))
        #expect(ws.state.message?.text.hasPrefix("Undone: promise") == true, "\(String(describing: ws.state.message))")
    }

    /// This session's last save undone in another session of the same user: u names what is
    /// left to undo and takes it back only when pressed again.
    @Test func undoAfterAnotherSessionUndidTheLastSaveAsksAgain() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                        // C1's ledger
        _ = ws.handle(.char("n")); type("first", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("n")); type("second", into: ws); _ = ws.handle(.enter)
        try desk.perform(.undoLast)                  // the other session takes "second" back
        let before = desk.book.lastSequence
        _ = ws.handle(.char("u"))
        #expect(desk.book.lastSequence == before)
        #expect(ws.state.message?.text.contains("undone or followed elsewhere (another session, the command line); the last left is note first · C1") == true,
                "\(String(describing: ws.state.message))")
        _ = ws.handle(.char("u"))
        #expect(ws.state.message?.text.hasPrefix("Undone: note first · C1") == true, "\(String(describing: ws.state.message))")
    }

    /// A note longer than its box shows its end and the caret while typed; the ledger dates
    /// activities by their business day, and marks an undone one before its detail.
    @Test func longTextShowsWhereItIsTypedAndActivitiesTheirDay() throws {
        let ws = workstation()
        _ = ws.handle(.enter)
        _ = ws.handle(.char("n"))
        let note = "Spoke to AP, will pay next week after the board meets on Tuesday, ref PO-7781"
        type(note, into: ws)
        let typing = lines(ws.render(rows: 24, cols: 80)).first { $0.contains("▏") } ?? ""
        #expect(typing.contains("ref PO-7781▏"))
        _ = ws.handle(.enter)
        let ledger = lines(ws.render(rows: 40, cols: 120))
        #expect(ledger.contains { $0.contains("2026-03-02") && $0.contains("note Spoke to AP") })
        #expect(StampText.label(Stamp(sequence: 1, author: "x", time: "2026-11-27T19:08:00.000Z", day: Day(iso: "2026-11-10")!))
                == "2026-11-10      ")
        #expect(StampText.label(Stamp(sequence: 1, author: "x", time: "2026-11-27T19:08:00.000Z", day: Day(iso: "2026-11-28")!),
                                timeZone: TimeZone(identifier: "Asia/Shanghai")!) == "2026-11-28 03:08")
    }

    /// Help at 80×24 shows every key of the panel, in columns.
    @Test func helpShowsEveryKeyOnASmallTerminal() {
        let ws = workstation()
        _ = ws.handle(.char("?"))
        let screen = ws.render(rows: 24, cols: 80).text()
        for label in ["q/F10", "g/Home", "G/End", "u", "x", "Space", "$"] {  // every key of a binding named
            #expect(screen.contains(" \(label) ") || screen.contains(" \(label)  "), "help lacks \(label)")
        }
        #expect(screen.contains("undo my last action"))
    }

    /// Every panel's help at 80×24, in both languages, shows every key's description whole, a
    /// manager's keys marked and the mark explained: in columns, or where those would cut a
    /// description, in one column that ↓ scrolls through.
    @Test(arguments: [Language.en, .zh]) func helpFitsEveryPanelAt80x24(_ language: Language) {
        let ws = workstation(language)
        var seen: Set<String> = []
        /// The help's text from its first line to its last, scrolled through where it scrolls.
        func wholeHelp(rows: Int = 24, cols: Int = 80) -> String {
            var text = ws.render(rows: rows, cols: cols).text()
            for _ in 0..<ws.lastHelpLines { _ = ws.handle(.down); text += ws.render(rows: rows, cols: cols).text() }
            return text
        }
        for _ in 0..<7 {
            _ = ws.handle(.char("?"))
            let screen = wholeHelp()
            let bindings = ws.keymap.bindings(in: ws.state.context)
            for binding in bindings {
                let help = language.pick(binding.action.help) + (binding.action.managerOnly ? " *" : "")
                #expect(screen.contains(help), "\(ws.state.context): \(help)")
            }
            if bindings.contains(where: \.action.managerOnly) {
                #expect(screen.contains(language == .en ? "* a credit manager's" : "* 仅限经理"))
            }

            seen.insert("\(ws.state.context)")
            _ = ws.handle(.char("?"))  // closes
            _ = ws.handle(ws.state.context == .queue ? .enter : .tab)  // the ledger, then each panel in turn
        }
        #expect(seen.count >= 5, "\(seen)")
        // The customers list's help ends with its flags' legend, whole.
        while ws.state.context != .customers { _ = ws.handle(.tab) }
        _ = ws.handle(.char("?"))
        let customers = wholeHelp()
        #expect(customers.contains(language == .en ? "D disputed" : "D 争议"))
        for binding in ws.keymap.bindings(in: .customers) {
            #expect(customers.contains(language.pick(binding.action.help)), "\(language.pick(binding.action.help))")
        }
        // At 60×20 too, and the command line's and forms' keys with them.
        _ = ws.handle(.escape); _ = ws.handle(.char("?"))
        let small = wholeHelp(rows: 20, cols: 60)
        #expect(small.contains(":goto") && small.contains(language == .en ? "Forms: Tab field" : "表单：Tab 换栏"))
        #expect(ws.state.showHelp)  // scrolling kept it open
        _ = ws.handle(.char("x"))
        #expect(!ws.state.showHelp)  // any other key closes it
    }

    /// At 80×24 the help in columns leaves out the command line's and forms' keys, says so in its
    /// title, and ↓ shows them at the end of the help in one scrolling column.
    @Test func theHelpSaysWhatA24RowScreenLeavesOutAndShowsIt() {
        let ws = workstation()
        _ = ws.handle(.char("?"))
        let columns = ws.render(rows: 24, cols: 80).text()
        #expect(!columns.contains(":goto"))
        #expect(columns.contains("Keys — ↓ command line and forms, any other key closes"))
        _ = ws.handle(.down)
        #expect(ws.state.showHelp)
        let rest = ws.render(rows: 24, cols: 80).text()
        #expect(rest.contains(":goto") && rest.contains("Forms: Tab field"), "\(rest)")
        _ = ws.handle(.up)
        #expect(ws.render(rows: 24, cols: 80).text() != rest)  // ↑ scrolls back from the end
        _ = ws.handle(.char("x"))
        #expect(!ws.state.showHelp)
        // Where there is room for them, the title says nothing of it and ↓ closes as any key does.
        _ = ws.handle(.char("?"))
        let tall = ws.render(rows: 40, cols: 120).text()
        #expect(tall.contains(":goto") && tall.contains("Keys — any key closes"))
        _ = ws.handle(.down)
        #expect(!ws.state.showHelp)
    }

    /// A dispute of many invoices shows the ones around the cursor and where it is.
    @Test func everyInvoiceToDisputeCanBeSeenBeforeItIsTicked() throws {
        let invoices = (1...12).map { n in
            Invoice(number: "M\(n)", customer: "C2", issued: Day(iso: "2026-01-01")!.adding(days: n),
                    due: Day(iso: "2026-02-01")!.adding(days: n), amount: Money(minorUnits: 10_000))
        }
        try desk.perform(.issueInvoices(invoices))
        let ws = workstation()
        _ = ws.handle(.tab)                                        // customers
        _ = ws.handle(.char("/")); type("Acme", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("d"))
        for _ in 0..<11 { _ = ws.handle(.right) }
        let form = ws.render(rows: 30, cols: 100).text()
        #expect(form.contains("12 of 13"))
        _ = ws.handle(.char(" "))
        let ticked = lines(ws.render(rows: 30, cols: 100)).first { $0.contains("[x]") } ?? ""
        #expect(ticked.contains("M12"))  // the twelfth by due date (I2, due last, is the thirteenth)
        // Numbers padded to one width, amounts to the right: each column starts and ends in line.
        let options = lines(ws.render(rows: 30, cols: 100)).filter { $0.contains("[x]") || $0.contains("[ ]") }
        #expect(Set(options.map { $0.range(of: "2026-")!.lowerBound.utf16Offset(in: $0) }).count == 1, "\(options)")
        #expect(Set(options.map { line in line.range(of: ".00").map { $0.upperBound.utf16Offset(in: line) } }).count == 1, "\(options)")
    }

    /// The dispute form's last field takes a part of the invoice picked: that part is held
    /// back, and the ledger marks the invoice with it.
    @Test func aDisputeMayBeForPartOfAnInvoice() throws {
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("d")); _ = ws.handle(.char(" ")); _ = ws.handle(.tab); type("two cartons short", into: ws)
        _ = ws.handle(.tab); type("2千", into: ws)
        _ = ws.handle(.enter)
        let opened = try #require(desk.book.openDisputes(of: "C1").first)
        #expect(opened.amount == Money(minorUnits: 200_000) && opened.invoice == "I1")
        let ledger = ws.ledgerLines(try #require(desk.book.customers["C1"]), width: 90).map { $0.map(\.0).joined() }
        #expect(ledger.contains { $0.contains("I1") && $0.contains("DISPUTED 2,000.00") }, "\(ledger)")
        #expect(ledger.contains { $0.hasPrefix("I1") && $0.contains("2,000.00  two cartons short") }, "\(ledger)")  // the open disputes' list
    }

    /// A dispute is opened with d and resolved with D, with what settled it; D says when none is open.
    @Test func aDisputeIsResolvedWithWhatSettledIt() throws {
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("D"))
        #expect(ws.state.form == nil)
        #expect(ws.state.message?.text.contains("No open dispute to resolve") == true)
        _ = ws.handle(.char("d")); _ = ws.handle(.char(" ")); _ = ws.handle(.tab); type("wrong quantity", into: ws); _ = ws.handle(.enter)
        let opened = try #require(desk.book.openDisputes(of: "C1").first)
        #expect(opened.invoice == "I1")
        let ledger = lines(ws.render(rows: 40, cols: 100))
        #expect(ledger.contains { $0.hasPrefix("Disputes open (1)") })
        #expect(ledger.contains { $0.hasPrefix("I1") && $0.contains("2026-03-02") && $0.contains("li.na") && $0.contains("wrong quantity") })
        _ = ws.handle(.char("D"))
        #expect(lines(ws.render(rows: 24, cols: 100)).contains { $0.contains("‹ I1 03-02 wrong quantity ›") })
        _ = ws.handle(.enter)                       // no outcome yet
        #expect(desk.book.openDisputes(of: "C1").count == 1)
        _ = ws.handle(.tab); type("credit note CN-7 issued", into: ws); _ = ws.handle(.enter)
        #expect(desk.book.openDisputes(of: "C1").isEmpty)
        #expect(desk.book.disputes[opened.id]?.resolved == Self.today)
        #expect(desk.book.timeline(of: "C1").contains { if case .disputeResolved(opened.id, "credit note CN-7 issued") = $0.kind { true } else { false } })
    }

    /// A disputed invoice paid in full since keeps its dispute open until someone resolves it, and
    /// the ledger and D say it is settled, so it is not left forgotten.
    @Test func aDisputeOnASettledInvoiceSaysSo() throws {
        try desk.perform(.dispute("C1", invoices: ["I1"], reason: "short delivery"))
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        #expect(!lines(ws.render(rows: 40, cols: 120)).contains { $0.contains("invoice settled") })
        try desk.perform(.pay("C1", amount: Money(minorUnits: 1_234_500), on: Self.today, invoice: "I1", reference: "B9", method: "bank"))
        _ = ws.poll()
        #expect(lines(ws.render(rows: 40, cols: 120)).contains { $0.hasPrefix("I1") && $0.contains("short delivery  invoice settled: resolve with D") })
        _ = ws.handle(.char("D"))
        #expect(lines(ws.render(rows: 24, cols: 100)).contains { $0.contains("I1 03-02 short delivery (settled)") })
    }

    /// e changes the contact person: the form starts from the one on record.
    @Test func theContactPersonIsChangedFromTheScreen() throws {
        try desk.perform(.changeProfile("C2", .contacts([ContactPerson(name: "Ann Lee", phone: "555-0100", email: "ap@acme.test")]), reason: ""))
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C2", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("e"))
        #expect(ws.state.form?.fields.map(\.text) == ["", "Ann Lee", "555-0100", "ap@acme.test"])
        _ = ws.handle(.tab); _ = ws.handle(.ctrl("u")); type("555-0199", into: ws); _ = ws.handle(.enter)
        let ann = ContactPerson(name: "Ann Lee", phone: "555-0199", email: "ap@acme.test")
        #expect(desk.book.customers["C2"]?.contacts == [ann])
        #expect(lines(ws.render(rows: 40, cols: 100)).contains { $0.contains("Ann Lee") && $0.contains("555-0199") })
        // A second contact: "a new one" empties the fields; the ledger says there is another.
        _ = ws.handle(.char("e")); _ = ws.handle(.backTab); _ = ws.handle(.right)
        #expect(ws.state.form?.fields.map(\.text) == ["", "", "", ""])
        _ = ws.handle(.tab); type("Bo Chen", into: ws); _ = ws.handle(.tab); type("555-0123", into: ws); _ = ws.handle(.enter)
        let bo = ContactPerson(name: "Bo Chen", phone: "555-0123", email: "")
        #expect(desk.book.customers["C2"]?.contacts == [ann, bo])
        #expect(lines(ws.render(rows: 40, cols: 100)).contains { $0.contains("Ann Lee") && $0.contains("(+1 more: e)") })
        // Picking the second fills the fields with it; emptied, it is removed (the form says so).
        _ = ws.handle(.char("e")); _ = ws.handle(.backTab); _ = ws.handle(.right)
        #expect(ws.state.form?.fields.map(\.text) == ["", "Bo Chen", "555-0123", ""])
        for _ in 0..<3 { _ = ws.handle(.tab); _ = ws.handle(.ctrl("u")) }
        #expect(lines(ws.render(rows: 30, cols: 100)).contains { $0.contains("Saving removes 2 Bo Chen") })
        _ = ws.handle(.enter)
        #expect(desk.book.customers["C2"]?.contacts == [ann])
    }

    /// What is typed for one contact is kept while another is picked, shown again when it is
    /// picked back, named under the form, and saved with the others.
    @Test func contactsEditedOneAfterTheOtherAreSavedTogether() throws {
        let ann = ContactPerson(name: "Ann Lee", phone: "555-0100", email: ""), bo = ContactPerson(name: "Bo Chen", phone: "555-0123", email: "")
        try desk.perform(.changeProfile("C2", .contacts([ann, bo]), reason: ""))
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C2", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("e"))
        _ = ws.handle(.tab); _ = ws.handle(.ctrl("u")); type("555-0199", into: ws)  // Ann's phone
        _ = ws.handle(.backTab); _ = ws.handle(.backTab); _ = ws.handle(.right)       // then Bo
        #expect(ws.state.form?.fields.map(\.text) == ["", "Bo Chen", "555-0123", ""])
        #expect(lines(ws.render(rows: 30, cols: 100)).contains { $0.contains("Also saved: the changes to 1 Ann Lee") })
        _ = ws.handle(.tab); _ = ws.handle(.tab); _ = ws.handle(.tab); type("bo@acme.test", into: ws)
        _ = ws.handle(.backTab); _ = ws.handle(.backTab); _ = ws.handle(.backTab); _ = ws.handle(.left)  // back to Ann: her phone as typed
        #expect(ws.state.form?.fields.map(\.text) == ["", "Ann Lee", "555-0199", ""])
        _ = ws.handle(.enter)
        #expect(desk.book.customers["C2"]?.contacts == [ContactPerson(name: "Ann Lee", phone: "555-0199", email: ""),
                                                        ContactPerson(name: "Bo Chen", phone: "555-0123", email: "bo@acme.test")])
    }

    /// A bad phone typed for a contact left for another is found at Enter before anything is
    /// saved: that contact is shown again, at the phone, and the message names whose it is.
    @Test func aBadPhoneTypedForAnotherContactIsShownWhereItWasTyped() throws {
        let ann = ContactPerson(name: "Ann Lee", phone: "555-0100", email: ""), bo = ContactPerson(name: "Bo Chen", phone: "555-0123", email: "")
        try desk.perform(.changeProfile("C2", .contacts([ann, bo]), reason: ""))
        let before = desk.book.lastSequence
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C2", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("e"))
        _ = ws.handle(.tab); _ = ws.handle(.ctrl("u")); type("call me", into: ws)     // Ann's phone, not one
        _ = ws.handle(.backTab); _ = ws.handle(.backTab); _ = ws.handle(.right)       // then Bo
        _ = ws.handle(.tab); _ = ws.handle(.tab); _ = ws.handle(.tab); type("bo@acme.test", into: ws)
        _ = ws.handle(.enter)
        #expect(desk.book.lastSequence == before)
        #expect(ws.state.form?.fields.map(\.text) == ["", "Ann Lee", "call me", ""])
        #expect(ws.state.form?.fields[ws.state.form?.focus ?? 0].key == "phone")
        #expect(ws.state.message?.text.hasPrefix("1 Ann Lee · Phone: not a number to dial") == true, "\(String(describing: ws.state.message))")
        _ = ws.handle(.ctrl("u")); type("555-0177", into: ws); _ = ws.handle(.enter)   // mended: both saved
        #expect(desk.book.customers["C2"]?.contacts.count == 2)
        // "A new one" left empty says what it needs.
        _ = ws.handle(.char("e")); _ = ws.handle(.backTab); _ = ws.handle(.left)          // the last option: a new one
        #expect(ws.state.form?.fields.map(\.text) == ["", "", "", ""])
        let saved = desk.book.lastSequence
        _ = ws.handle(.enter)
        #expect(ws.state.message?.text == "A new contact person needs a name, a phone or an e-mail", "\(String(describing: ws.state.message))")
        #expect(desk.book.lastSequence == saved)
        _ = ws.handle(.escape)
        #expect(desk.book.customers["C2"]?.contacts == [ContactPerson(name: "Ann Lee", phone: "555-0177", email: ""),
                                                        ContactPerson(name: "Bo Chen", phone: "555-0123", email: "bo@acme.test")])
    }

    /// At 80 columns the selected request is told whole below the list: why, and the customer as
    /// it stands (its row has no room for the reason).
    @Test func aRequestIsShownWithItsReasonAndTheCustomersStanding() throws {
        try desk.perform(.request("C1", .creditLimit(Money(minorUnits: 500_000)), reason: "new contract with the parent company"))
        let ws = approvalsPanel()
        let screen = lines(ws.render(rows: 24, cols: 80))
        #expect(screen.contains { $0.contains("why: new contract with the parent company") })
        #expect(screen.contains { $0.contains("now: grade D · active · limit 1,000.00 · balance 12,345.00") })
        // At 80 columns the row leaves out the day (told below) so that the reason reads in it.
        #expect(screen.contains { $0.contains("li.na") && $0.contains("new contract") } && !screen[3].contains("day"), "\(screen)")
        #expect(lines(ws.render(rows: 24, cols: 120))[3].contains("day"))
        // The id column is as wide as the ids shown, so a wide screen beside the ledger has room for the reason.
        let wide = lines(ws.render(rows: 40, cols: 140))
        #expect(wide.contains { $0.contains("li.na") && $0.contains("new contract with the pare") }, "\(wide)")
        // Read in full (Enter), it says first what is asked for.
        _ = ws.handle(.enter)
        #expect(ws.state.overlay?.lines.contains { $0.hasPrefix("asks for: credit limit 5,000.00") } == true, "\(String(describing: ws.state.overlay?.lines))")
    }

    /// A hold a dunning run proposed is the run's: N rejects it, whoever ran the run (it was
    /// titled as withdrawing one's own request).
    @Test func aRunsHoldIsRejectedNotWithdrawn() throws {
        try desk.perform(.batch([.requestFiled(Request(id: "RRUN-1-C1", customer: "C1", kind: .creditHold, reason: "dunning level 4",
                                                       requestedBy: "li.na", day: Self.today))]))
        let ws = approvalsPanel()
        _ = ws.handle(.char("N"))
        #expect(ws.state.form?.title == "Reject RRUN-1-C1", "\(String(describing: ws.state.form?.title))")
    }

    /// S writes a statement into the outbox and records it; a statement sent another way is only recorded.
    @Test func aStatementIsWrittenToTheOutboxOrRecorded() throws {
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C2", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("S")); _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("Saved: Statement of account") == true, "\(String(describing: ws.state.message))")
        #expect(ws.state.message?.text.contains("→ outbox/2026-03-02/") == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/outbox/2026-03-02")
        #expect(files.contains { $0.contains("C2") && $0.hasSuffix(".md") }, "\(files)")
        let sent = { desk.book.timeline(of: "C2").compactMap { if case .documentSent(.statement, let file) = $0.kind { file } else { nil } } }
        #expect(sent().count == 1 && sent()[0].hasPrefix("outbox/"))
        _ = ws.handle(.char("S")); _ = ws.handle(.right); _ = ws.handle(.enter)   // sent another way
        #expect(sent() == [sent()[0], ""])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/outbox/2026-03-02").count == files.count)
    }

    /// After the last request is decided the cursor stays on a row, so y keeps working.
    @Test func approvingTheLastRowLeavesTheCursorOnTheList() throws {
        for n in 1...3 { try desk.perform(.request("C\(n)", .creditLimit(Money(minorUnits: 500_000)), reason: "growth")) }
        let ws = approvalsPanel()
        #expect(ws.state.context == .approvals)
        _ = ws.handle(.char("G"))
        _ = ws.handle(.char("y"))
        _ = ws.handle(.char("y"))
        #expect(desk.book.requests.values.filter { $0.state == .pending }.count == 1)
    }

    /// A request's reason cut in the list at 80 columns is read whole with Enter (or v).
    @Test func aRequestIsReadInFullFromTheApprovals() throws {
        let reason = "long-standing partner, orders doubled this quarter, the finance director promised to clear everything overdue by the end of the month"
        try desk.perform(.request("C1", .creditLimit(Money(minorUnits: 5_000_000)), reason: reason))
        let ws = approvalsPanel()
        #expect(!ws.render(rows: 24, cols: 80).text().contains("end of the month"))
        _ = ws.handle(.enter)
        let overlay = try #require(ws.state.overlay)
        #expect(overlay.lines.joined(separator: " ").contains("by the end of the month"), "\(overlay.lines)")
        #expect(ws.render(rows: 24, cols: 80).text().contains("the month"))
        _ = ws.handle(.escape)
        #expect(ws.state.overlay == nil && ws.state.context == .approvals)
    }

    /// `:dunning` previews the run: each customer with its name, its levels and what it owes,
    /// then what the run comes to by level and in all; nothing is written.
    @Test func theDunningPreviewNamesCustomersAndTotalsTheRun() throws {
        let ws = workstation()
        let before = desk.book.lastSequence
        _ = ws.handle(.char(":")); type("dunning", into: ws); _ = ws.handle(.enter)
        let overlay = try #require(ws.state.overlay)
        #expect(overlay.title.hasPrefix("Dunning preview"))
        let rows = overlay.lines.filter { $0.hasPrefix("C") }
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { row in ["上海华瑞", "Acme Ltd", "北京恒泰"].contains { row.contains($0) } })
        #expect(overlay.header.first?.hasPrefix("customer") == true)
        let total = try #require(overlay.lines.last)
        #expect(total.hasPrefix("In all: \(rows.count) customers, past due"))
        #expect(overlay.lines.contains { $0.hasPrefix("level ") && $0.contains("customer") })
        #expect(desk.book.lastSequence == before)
        // At 80 columns each action goes whole on a line of its own under its customer, not cut.
        _ = ws.handle(.escape); _ = ws.render(rows: 24, cols: 80)
        _ = ws.handle(.char(":")); type("dunning", into: ws); _ = ws.handle(.enter)
        let narrow = try #require(ws.state.overlay)
        #expect(narrow.lines.allSatisfy { DisplayWidth.of($0) <= 72 }, "\(narrow.lines)")
        let screen = lines(ws.render(rows: 24, cols: 80))
        #expect(screen.contains { $0.contains("│ C1 ") } && screen.contains { $0.contains("  letter outbox/2026-03-02/C1-letter-1.md") }, "\(screen)")
    }

    /// `:dunning run` first shows what today's run does and asks y: any other key cancels and
    /// writes nothing; scrolling the list keeps the question; y runs it.
    @Test func aDunningRunIsShownAndAskedBeforeItRuns() throws {
        let ws = workstation()
        let before = desk.book.lastSequence
        _ = ws.handle(.char(":")); type("dunning run", into: ws); _ = ws.handle(.enter)
        let asked = try #require(ws.state.overlay)
        #expect(asked.title.contains("y runs it, any other key cancels"), "\(asked.title)")
        #expect(asked.lines.contains { $0.hasPrefix("In all: ") })
        _ = ws.handle(.char("n"))
        #expect(ws.state.overlay == nil && desk.book.lastSequence == before)
        _ = ws.handle(.char(":")); type("dunning run", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.down)                                          // scrolling: still asked
        #expect(ws.state.dunningRunAsked && desk.book.lastSequence == before)
        _ = ws.handle(.char("y"))
        #expect(desk.book.lastSequence > before)
        #expect(ws.state.overlay?.title.hasPrefix("Dunning run done: \(asked.lines.filter { $0.hasPrefix("C") }.count) customers") == true)
        #expect(!desk.book.dunningLevels.isEmpty)
    }

    /// While the terminal is too small to show anything, keys do nothing (a y would approve the
    /// request it hides); q still quits, and at a size that fits the keys work again.
    @Test func keysDoNothingWhileTheScreenIsTooSmall() throws {
        try desk.perform(.request("C1", .creditLimit(Money(minorUnits: 500_000)), reason: "growth"))
        let ws = approvalsPanel()
        #expect(ws.render(rows: 12, cols: 50).text().contains("too small"))
        let narrow = ws.render(rows: 10, cols: 40).text()  // wrapped: the size it has is read whole
        #expect(narrow.contains("need 60×16") && narrow.contains("40×10"), "\(narrow)")
        _ = ws.handle(.char("y"))
        #expect(desk.book.requests.values.allSatisfy { $0.state == .pending })
        #expect(ws.handle(.char("q")) == false)
        _ = ws.render(rows: 24, cols: 100)
        _ = ws.handle(.char("y"))
        #expect(desk.book.requests.values.allSatisfy { $0.state != .pending })
    }

    /// A write-off leaves the books only on a second y: the first names the amount, and any
    /// other key in between leaves the request waiting. A limit change is still one y.
    @Test func approvingAWriteOffTakesASecondY() throws {
        try desk.perform(.request("C2", .writeOff(Money(minorUnits: 10_000)), reason: "small balance"))
        let ws = approvalsPanel()
        #expect(ws.state.context == .approvals)
        let pending = { desk.book.requests.values.filter { $0.state == .pending }.count }
        _ = ws.handle(.char("y"))
        #expect(pending() == 1)
        #expect(ws.state.message?.text.contains("Write off 100.00 of C2 Acme Ltd (I2 100.00)? y again") == true)
        _ = ws.handle(.char("j")); _ = ws.handle(.char("y"))           // another key between: asked again
        #expect(pending() == 1)
        _ = ws.handle(.escape)                                          // Esc: the question goes too
        #expect(ws.state.message == nil && pending() == 1)
        _ = ws.handle(.char("y"))
        _ = ws.handle(.char("y"))
        #expect(pending() == 0)
        #expect(desk.book.requests.values.first?.state != .pending)
        // One asking for more than is open now (paid down since) is refused at the first y, with
        // what to do instead.
        try desk.perform(.request("C1", .writeOff(Money(minorUnits: 1_000_000)), reason: "bankrupt"))
        try desk.perform(.pay("C1", amount: Money(minorUnits: 500_000), on: Self.today, invoice: "I1", reference: "B9", method: ""))
        _ = ws.poll()
        _ = ws.handle(.char("y"))
        #expect(ws.state.armedApproval == nil && ws.state.message?.text.contains("is open to write off") == true)
        #expect(ws.state.message?.text.contains("N rejects the request") == true)
    }

    /// A second y approves what the first asked: where a payment meanwhile moved the write-off
    /// (to an invoice not due yet), it is asked again as it stands, and the approval says where it went.
    @Test func aWriteOffMovedSinceItWasAskedIsAskedAgain() throws {
        try desk.perform(.issueInvoices([Invoice(number: "I4", customer: "C2", issued: Self.today, due: Self.today.adding(days: 30),
                                                 amount: Money(minorUnits: 70_000))]))
        try desk.perform(.request("C2", .writeOff(Money(minorUnits: 10_000)), reason: "small balance"))
        let ws = approvalsPanel()
        _ = ws.handle(.char("y"))
        #expect(ws.state.message?.text.contains("(I2 100.00)? y again") == true)
        try desk.perform(.pay("C2", amount: Money(minorUnits: 50_000), on: Self.today, invoice: "I2", reference: "B1", method: ""))
        _ = ws.poll()
        _ = ws.handle(.char("y"))
        #expect(desk.book.requests.values.allSatisfy { $0.state == .pending })
        #expect(ws.state.message?.text.contains("C2 changed since you were asked: Write off 100.00 of C2 Acme Ltd (I4 100.00)? y again") == true,
                "\(ws.state.message?.text ?? "")")
        _ = ws.handle(.char("y"))
        #expect(desk.book.requests.values.allSatisfy { $0.state != .pending })
        #expect(desk.book.writeOffs.values.first?.allocations == [Allocation(invoice: "I4", amount: Money(minorUnits: 10_000))])
        #expect(ws.state.message?.text.contains("(I4 100.00)") == true, "\(ws.state.message?.text ?? "")")
    }

    /// A queue row says the callback it waits for, whether or not anything else is due now.
    @Test func aQueueRowSaysItsNextCallback() throws {
        let ws = workstation()
        #expect(ws.visibleQueue.contains { $0.customer == "C3" })
        try desk.perform(.logCall("C3", .reached, note: "will check", callback: Self.today.adding(days: 3)))
        ws.rebuildView()  // as after the workstation's own action
        let row = try #require(ws.visibleQueue.first { $0.customer == "C3" })
        #expect(row.callbackDue == nil && ws.whyText(row).contains("callback \(Self.today.adding(days: 3).iso.dropFirst(5))"), "\(ws.whyText(row))")
        // A date still ahead comes after the reasons to call today: a narrow column shows those.
        let other = try #require(ws.visibleQueue.first { $0.customer != "C3" && !$0.settled && !$0.reasons.isEmpty })
        try desk.perform(.callback(other.customer, on: Self.today.adding(days: 2), note: "after the board meets"))
        ws.rebuildView()
        let later = try #require(ws.visibleQueue.first { $0.customer == other.customer })
        let why = ws.whyText(later)
        #expect(why.count > 1 && why.last == "callback \(Self.today.adding(days: 2).iso.dropFirst(5))", "\(why)")
    }

    /// A session left open past midnight moves to the new day: what it records is dated that
    /// day and its queue is that day's; a look back at a past day stays where it is.
    @Test func aSessionOpenPastMidnightMovesToTheNewDay() throws {
        let ws = workstation()
        let tomorrow = Self.today.adding(days: 1)
        #expect(!ws.clockTurned(to: Self.today))
        #expect(ws.clockTurned(to: tomorrow))
        #expect(desk.today == tomorrow && ws.asOf == tomorrow)
        #expect(ws.state.message?.text.contains("It is \(tomorrow.iso) now") == true)
        _ = ws.handle(.char("n")); type("after midnight", into: ws); _ = ws.handle(.enter)
        let saved = try #require(desk.book.activity(sequence: desk.book.lastSequence))
        #expect(saved.stamp.day == tomorrow && saved.kind == .note("after midnight"))
        let back = Workstation(desk: desk, asOf: Self.today, language: .en)
        #expect(!back.clockTurned(to: tomorrow.adding(days: 1)) && back.asOf == Self.today)
    }

    /// The queue's tab counts what the collector filter leaves, as the queue's title does.
    @Test func theQueueTabCountsAsTheFilterNarrows() throws {
        let ws = workstation()
        _ = ws.handle(.char(":")); type("collector wang.fang", into: ws); _ = ws.handle(.enter)
        let screen = lines(ws.render(rows: 24, cols: 120))
        let items = ws.visibleQueue.count
        #expect(items < ws.view.queue.count && screen[1].contains("Queue 0/\(items)") && screen[2].contains("0 of \(items) worked"), "\(screen[1]) \(screen[2])")
        // A search narrows the rows shown, not the day's work: the tab still counts the filter's.
        _ = ws.handle(.char("/")); type("zzz", into: ws)
        let searched = lines(ws.render(rows: 24, cols: 120))
        #expect(ws.visibleQueue.isEmpty && searched[1].contains("Queue 0/\(items)"), "\(searched[1])")
    }

    /// With nothing waiting, the approvals' side pane says so rather than "press Enter".
    @Test func anEmptyApprovalsListSaysNothingWaits() throws {
        let ws = approvalsPanel()
        #expect(ws.render(rows: 30, cols: 140).text().contains("Nothing waits for a decision."))
    }

    /// A limit of zero removes the limit (no bound at all): the approvals list says so, and it
    /// is approved only on a second y, as a write-off is.
    @Test func approvingALimitRemovalTakesASecondY() throws {
        try desk.perform(.request("C1", .creditLimit(.zero), reason: "no limit pls"))
        let ws = approvalsPanel()
        #expect(ws.render(rows: 24, cols: 100).text().contains("remove the limit (none)"))
        _ = ws.handle(.char("y"))
        #expect(desk.book.requests.values.allSatisfy { $0.state == .pending })
        #expect(ws.state.message?.text.contains("Remove the credit limit of C1 上海华瑞科技有限公司: no limit at all, not a stop on credit") == true)
        _ = ws.handle(.char("y"))
        #expect(desk.book.requests.values.allSatisfy { $0.state != .pending })
    }

    /// Beside a list, the ledger's tab names the customer its pane shows: the selected row's.
    @Test func theLedgerTabNamesTheCustomerItsPaneShows() throws {
        let ws = workstation()
        let wide = Workstation.sideBySideWidth + 10
        for _ in 0..<2 {
            let selected = try #require(ws.selectedCustomer)
            #expect(lines(ws.render(rows: 30, cols: wide))[1].contains("Ledger \(selected)"))
            _ = ws.handle(.down)
        }
    }

    /// A look back at the approvals lists what waited on that day: a request decided since is
    /// shown as waiting, one filed since is not there yet.
    @Test func aLookBackListsTheRequestsThatWaitedThen() throws {
        try desk.perform(.request("C1", .creditLimit(Money(minorUnits: 500_000)), reason: "growth"))
        let later = try Desk.open(folder: folder, today: Day(iso: "2026-03-05")!, user: "li.na")
        let id = try #require(later.book.requestOrder.first)
        try later.perform(.decide(requestID: id, approved: true, reason: ""))
        try later.perform(.request("C2", .creditLimit(Money(minorUnits: 100_000)), reason: "new"))
        let back = Workstation(desk: later, asOf: Day(iso: "2026-03-03")!, language: .en)
        #expect(back.pendingRequests.map(\.id) == [id])
        let now = Workstation(desk: later, asOf: later.today, language: .en)
        #expect(now.pendingRequests.map(\.customer) == ["C2"])
    }

    /// A change that re-sorts the review keeps the cursor on the customer changed, not on
    /// whoever takes its row (the next key would act on them).
    @Test func theReviewCursorFollowsTheCustomerAChangeMoves() throws {
        try desk.perform(.changeProfile("C3", .creditLimit(Money(minorUnits: 100_000_000)), reason: "set"))
        for id in ["C1", "C3"] { try desk.perform(.changeProfile(id, .hold, reason: "late")) }  // held: both stay listed
        let ws = workstation()
        for _ in 0..<4 { _ = ws.handle(.tab) }                     // … → review
        #expect(ws.state.context == .review)
        ws.state.reviewSort = .utilisation
        ws.state.reviewCursor = try #require(ws.reviewRows.firstIndex { $0.id == "C1" })
        #expect(ws.reviewRows.map(\.id).prefix(2) == ["C1", "C3"])   // 1,234 % of its limit, then 88 %
        _ = ws.handle(.char("$")); _ = ws.handle(.ctrl("u")); type("10,000,000", into: ws)
        _ = ws.handle(.tab); type("new parent guarantee", into: ws); _ = ws.handle(.enter)
        #expect(desk.book.customers["C1"]?.creditLimit == Money(minorUnits: 1_000_000_000))
        #expect(ws.reviewRows.map(\.id).prefix(2) == ["C3", "C1"])
        #expect(ws.selectedCustomer == "C1")
    }

    /// `/` in the review narrows it, and the next panel starts without that search.
    @Test func searchInTheReviewNarrowsItAndStaysThere() throws {
        try desk.perform(.changeProfile("C2", .hold, reason: "late"))
        try desk.perform(.changeProfile("C3", .hold, reason: "late"))
        let ws = workstation()
        for _ in 0..<4 { _ = ws.handle(.tab) }                     // … → review
        #expect(ws.state.context == .review)
        let all = ws.reviewRows.count
        _ = ws.handle(.char("/")); type("Acme", into: ws); _ = ws.handle(.enter)
        #expect(ws.reviewRows.map(\.id) == ["C2"] && all > 1)
        #expect(lines(ws.render(rows: 24, cols: 100))[2].contains("/Acme"))
        _ = ws.handle(.tab); _ = ws.handle(.tab)                   // dashboard → queue
        #expect(!lines(ws.render(rows: 24, cols: 100))[2].contains("/Acme"))
    }

    /// The review's risk order puts a customer the hold rules flag before one with a single
    /// signal: "hold advised" weighs as two.
    @Test func holdAdvisedWeighsInTheRiskOrder() throws {
        try desk.perform(.changeProfile("C2", .hold, reason: "late"))   // on hold: in the review, no signal
        let ws = workstation()
        for _ in 0..<4 { _ = ws.handle(.tab) }
        let rows = ws.reviewRows
        let advised = try #require(rows.firstIndex { $0.holdAdvised })
        #expect(rows[..<advised].allSatisfy { $0.holdAdvised || (ws.riskSignals[$0.id]?.count ?? 0) >= 2 })
        // A filter of its own lists them, and no other.
        for _ in 0..<3 { _ = ws.handle(.char("f")) }
        #expect(lines(ws.render(rows: 24, cols: 100))[2].contains("filter: hold advised"))
        #expect(ws.reviewRows.map(\.id) == rows.filter(\.holdAdvised).map(\.id))
        // The detail line says why, as report risk does.
        let screen = ws.render(rows: 24, cols: 140).text()
        #expect(screen.contains("hold advised (") && (screen.contains("days past due, grade") || screen.contains("over limit: ")), "\(screen)")
    }

    /// A limit of zero is taken (it removes the limit, which the form says); a request starts
    /// with no amount and shows both the limit and the balance; the 5C reason keeps its hundredths.
    @Test func managerFormsTakeWhatTheyMean() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                                      // C1
        _ = ws.handle(.char("$"))
        for _ in 0..<12 { _ = ws.handle(.backspace) }
        type("0", into: ws)
        #expect(ws.render(rows: 30, cols: 100).text().contains("0 removes the limit"))
        _ = ws.handle(.tab); type("no limit", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("Enter again to save") == true)  // asked once more
        #expect(desk.book.customers["C1"]?.creditLimit == Money(minorUnits: 100_000))
        _ = ws.handle(.enter)
        #expect(desk.book.customers["C1"]?.creditLimit == .zero)
        _ = ws.handle(.char("r"))
        let request = ws.render(rows: 30, cols: 100).text()
        #expect(request.contains("current limit none, balance 12,345.00"))
        _ = ws.handle(.tab); type("5000", into: ws); _ = ws.handle(.tab); type("new order", into: ws); _ = ws.handle(.enter)
        let first = try #require(desk.book.requests.values.first { $0.state == .pending })
        #expect(ws.state.message?.text.hasPrefix("Saved: request for credit limit 5,000.00 on C1, for a manager to decide") == true)
        // Asked again with another amount: the form shows the one waiting and says it replaces it.
        _ = ws.handle(.char("r"))
        #expect(ws.render(rows: 30, cols: 100).text().contains("waiting: \(first.id) credit limit 5,000.00"))
        _ = ws.handle(.tab); type("8000", into: ws); _ = ws.handle(.tab); type("bigger order", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("replaces your request \(first.id) (credit limit 5,000.00), still waiting") == true)
        _ = ws.handle(.enter)
        #expect(desk.book.requests[first.id]?.isWithdrawn == true)
        #expect(desk.book.requests.values.filter { $0.state == .pending }.map(\.kind) == [.creditLimit(Money(minorUnits: 800_000))])
        // The same again is refused at the first Enter, not offered as replacing itself.
        _ = ws.handle(.char("r"))
        _ = ws.handle(.tab); type("8000", into: ws); _ = ws.handle(.tab); type("bigger order", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("asks for that already") == true, "\(String(describing: ws.state.message))")
        #expect(desk.book.requests.values.filter { $0.state == .pending }.count == 1)
        #expect(Format.hundredths(205) == "2.05" && Format.hundredths(250) == "2.50")
    }
}

extension WorkstationFlowTests {
    /// x marks worked a customer of today's queue that the queue's search hides (opened with
    /// :goto while the search stands).
    @Test func xMarksWorkedACustomerTheQueuesSearchHides() throws {
        let ws = workstation()
        _ = ws.handle(.char("/")); type("Acme", into: ws); _ = ws.handle(.enter)
        #expect(ws.visibleQueue.map(\.customer) == ["C2"])
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("x"))
        #expect(desk.book.wasWorked("C1", on: Self.today), "\(String(describing: ws.state.message))")
    }

    /// A call takes the customer out of what is due (quiet days), but not out from under the
    /// cursor: `x` marks the customer just called, and "next" is the next row below it.
    @Test func xMarksTheCustomerJustCalledAndTheQueueHoldsStill() throws {
        let ws = workstation()
        let before = ws.view.queue.map(\.customer)
        let first = try #require(before.first)
        let total = { (ws.render(rows: 24, cols: 100).text().components(separatedBy: "\n").first { $0.hasPrefix("Call queue · ") }) ?? "" }
        let items = ws.view.queue.count
        #expect(total().hasPrefix("Call queue · 0 of \(items) worked"), "\(total())")
        _ = ws.handle(.char("c")); _ = ws.handle(.enter)             // a call, reached
        #expect(ws.view.queue.map(\.customer) == before)
        // The call settles the row (nothing due within the quiet days) but it is still the day's to mark: the total holds.
        #expect(total().hasPrefix("Call queue · 0 of \(items) worked"), "\(total())")
        _ = ws.handle(.char("x"))
        #expect(total().hasPrefix("Call queue · 1 of \(items) worked"), "\(total())")
        #expect(ws.state.message?.text.hasPrefix("Worked \(first)") == true)
        let worked = desk.book.timeline(of: first).contains { $0.kind == .worked }
        #expect(worked)
        #expect(ws.view.queue.map(\.customer) == before)
        #expect(ws.state.queueCursor == 1)
    }
}

extension WorkstationFlowTests {
    /// `:sort` and `:filter` take the names the screen shows, in either language.
    @Test func sortAndFilterTakeTheNamesOnScreen() {
        let ws = workstation()
        for (line, sort) in [("sort past due", CustomerSort.pastDue), ("sort 名称", .name), ("sort pastdue", .pastDue)] {
            _ = ws.runCommandLine(line)
            #expect(ws.state.sort == sort, "\(line)")
        }
        _ = ws.runCommandLine("filter over limit")
        #expect(ws.state.filter == .overLimit)
        _ = ws.runCommandLine("goto c1")
        #expect(ws.state.ledgerCustomer == "C1")
    }
}

extension WorkstationFlowTests {
    /// In Chinese the ledger's activity lines are Chinese too (the CLI and exports stay English).
    @Test func activityLinesSpeakTheScreensLanguage() throws {
        try desk.perform(.logCall("C1", .noAnswer, note: "", callback: Self.today.adding(days: 2)))
        let ws = workstation(.zh)
        _ = ws.runCommandLine("goto C1")
        let screen = ws.render(rows: 40, cols: 120).text()
        #expect(screen.contains("通话 无人接听 · 回访 2026-03-04"))
        #expect(ActivityText.describe(.call(.noAnswer, note: "", callback: nil), book: desk.book).detail == "no-answer")
    }
}

extension WorkstationFlowTests {
    /// A view of a past day leaves out requests filed and review dates set after it; a customer
    /// worked today stays in today's queue, ticked, after a restart.
    @Test func aPastViewLeavesOutLaterRequestsAndWorkedStaysCounted() throws {
        try desk.perform(.request("C2", .creditLimit(Money(minorUnits: 500_000)), reason: "growth"))
        try desk.perform(.changeProfile("C3", .nextReview(Self.today.adding(days: 30)), reason: ""))
        let past = Workstation(desk: desk, asOf: Self.today.adding(days: -1), language: .en)
        #expect(past.pendingRequests.isEmpty)
        #expect(past.reviewDate("C3") == nil)
        let ws = workstation()
        #expect(ws.pendingRequests.count == 1 && ws.reviewDate("C3") == Self.today.adding(days: 30))
        _ = ws.handle(.char("c")); _ = ws.handle(.enter)               // a call: nothing due now
        _ = ws.handle(.char("x"))
        let worked = ws.view.queue.filter(\.worked).count
        let reopened = Workstation(desk: try Desk.open(folder: folder, today: Self.today, user: "li.na"), asOf: Self.today, language: .en)
        #expect(reopened.view.queue.filter(\.worked).count == worked && worked == 1)
    }
}

extension WorkstationFlowTests {
    /// The dashboard scrolls on a small terminal, so its collectors' table can be reached.
    @Test func theDashboardScrollsToItsLastLines() {
        let ws = workstation()
        while ws.state.context != .dashboard { _ = ws.handle(.tab) }
        #expect(!ws.render(rows: 16, cols: 80).text().contains("queued"))  // below the fold
        for _ in 0..<30 { _ = ws.handle(.down) }
        #expect(ws.render(rows: 16, cols: 80).text().contains("queued"))
    }
}

extension WorkstationFlowTests {
    /// A long text overlay (a dunning preview) scrolls with the movement keys; another key closes it.
    @Test func aLongOverlayScrolls() {
        let ws = workstation()
        ws.state.overlay = Overlay(title: "Preview", header: ["the columns"], lines: (1...40).map { "line \($0)" })
        #expect(!ws.render(rows: 24, cols: 80).text().contains("line 30"))
        for _ in 0..<25 { _ = ws.handle(.down) }
        let scrolled = ws.render(rows: 24, cols: 80).text()
        #expect(scrolled.contains("line 30") && scrolled.contains("the columns") && scrolled.contains("… 23 lines above"))  // as far as the last line at the bottom
        _ = ws.handle(.char("G"))                       // to the end (the last line at the bottom), and back to the top
        let end = ws.render(rows: 24, cols: 80).text()
        #expect(end.contains("line 40") && end.contains("line 30"))
        _ = ws.handle(.char("g"))
        #expect(ws.render(rows: 24, cols: 80).text().contains("line 1\n") || ws.render(rows: 24, cols: 80).text().contains("line 1 "))
        _ = ws.handle(.char("q"))
        #expect(ws.state.overlay == nil)
    }
}

/// What a credit manager's review turned up: forms that said too little or let a slip through.
extension WorkstationFlowTests {
    @Test func aColonClosingAnOverlayStartsTheCommandLine() {
        let ws = workstation()
        ws.state.overlay = Overlay(title: "Dunning preview", lines: ["… type :dunning run to send"])
        _ = ws.handle(.char(":"))
        #expect(ws.state.overlay == nil && ws.state.commandLine == "")
        type("goto C2", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.ledgerCustomer == "C2" && ws.state.form == nil)
    }

    @Test func managerFormsQuestionWhatWouldBeASlip() throws {
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("V")); _ = ws.handle(.ctrl("u")); type("yesterday", into: ws)
        #expect(ws.render(rows: 30, cols: 100).text().contains("2026-03-01 has passed: today or later"))
        _ = ws.handle(.escape)
        #expect(throws: DeskError.self) { try desk.perform(.changeProfile("C1", .nextReview(Day(iso: "2026-03-01")!), reason: "")) }
        _ = ws.handle(.char("T")); _ = ws.handle(.ctrl("u")); type("400", into: ws); _ = ws.handle(.tab); type("long project", into: ws)
        _ = ws.handle(.enter)
        #expect(desk.book.customers["C1"]?.termsDays == 400)  // as the command line allows
        try desk.perform(.changeProfile("C1", .hold, reason: "late"))
        _ = ws.handle(.char("K"))                   // on hold, it opens at active: what that would do is said
        #expect(ws.render(rows: 30, cols: 100).text().contains("this lifts the credit hold"))
        _ = ws.handle(.left)                        // a hand-off instead: the hold it replaces is said
        #expect(ws.render(rows: 30, cols: 100).text().contains("replaces the credit hold"))
        _ = ws.handle(.right)                       // active again: saved, it is the hold released
        _ = ws.handle(.tab); type("paid up", into: ws); _ = ws.handle(.enter); _ = ws.handle(.enter)
        #expect(desk.book.customers["C1"]?.status == .active)
        #expect(desk.book.timeline(of: "C1").last.map { if case .profile(.release, _) = $0.kind { true } else { false } } == true)
        _ = ws.handle(.char("5"))
        for _ in 0..<5 { _ = ws.handle(.ctrl("u")); type("1", into: ws); _ = ws.handle(.tab) }
        #expect(ws.render(rows: 30, cols: 100).text().contains("suggested: no credit (cash in advance or a hold)"))
    }

    @Test func aContactIsOneThatCanBeDialledOrWritten() throws {
        for (phone, email) in [("call me maybe", ""), ("", "not-an-email"), ("123", ""), ("", "a@b")] {
            #expect(throws: DeskError.self, "\(phone) \(email)") {
                try desk.perform(.changeProfile("C1", .contacts([ContactPerson(name: "Wu", phone: phone, email: email)]), reason: ""))
            }
        }
        for (phone, email) in [("+86 (21) 5555-0000 ext 12", "ap@example.com.cn"), ("021-5555 0000转8", ""), ("", "")] {
            try desk.perform(.changeProfile("C1", .contacts([ContactPerson(name: "Wu \(phone)", phone: phone, email: email)]), reason: ""))
        }
        // Typed with a Chinese input method in full-width mode: kept as the ASCII it stands for.
        try desk.perform(.changeProfile("C1", .contacts([ContactPerson(name: "Wu", phone: "１３８－００００－１１１１", email: "ａｐ＠ｅｘａｍｐｌｅ．ｃｎ")]), reason: ""))
        #expect(desk.book.customers["C1"]?.contacts.first?.phone == "138-0000-1111")
        #expect(desk.book.customers["C1"]?.contacts.first?.email == "ap@example.cn")
        // The form names the field that is wrong, each of them, as it is typed.
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C2", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("e"))
        let fields = ws.state.form!.fields.map(\.key)
        while ws.state.form!.fields[ws.state.form!.focus].key != "phone" { _ = ws.handle(.tab) }
        _ = ws.handle(.ctrl("u")); type("call me maybe", into: ws); _ = ws.handle(.tab)
        _ = ws.handle(.ctrl("u")); type("not-an-email", into: ws)
        let screen = ws.render(rows: 30, cols: 120).text()
        #expect(screen.contains("not a number to dial") && screen.contains("not an address"), "\(fields)")
        _ = ws.handle(.enter)
        #expect(ws.state.message?.text.hasPrefix("Phone: ") == true)
    }
}

extension WorkstationFlowTests {
    /// A queue row that a promise took out of today's list says what is awaited, not "nothing due".
    @Test func aRowSettledByAPromiseSaysWhatItAwaits() throws {
        let ws = workstation()
        _ = ws.handle(.char("j"))                                     // C3, in for its callback
        _ = ws.handle(.char("c")); _ = ws.handle(.enter)              // the call answers it
        #expect(ws.render(rows: 24, cols: 120).text().contains("nothing due now"))
        _ = ws.handle(.char("p")); _ = ws.handle(.enter)              // the past due, in a week
        let row = try #require(ws.view.queue.first { $0.customer == "C3" })
        #expect(row.settled && row.awaitedPromise == Self.today.adding(days: 7))
        #expect(ws.render(rows: 24, cols: 120).text().contains("awaiting promise 03-09"))
    }
}

extension WorkstationFlowTests {
    /// W tells what is past due and not disputed, not a balance still to fall due, and leaves the
    /// amount to type (or to the invoice chosen); Enter first names the invoices it goes to, and
    /// only a second Enter writes it off. Without an invoice, one not yet due is taken last.
    @Test func aWriteOffSuggestsThePastDueNotTheBalance() throws {
        try desk.perform(.issueInvoices([Invoice(number: "I9", customer: "C1", issued: Self.today, due: Self.today.adding(days: 30),
                                                 amount: Money(minorUnits: 100_000))]))
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("W"))
        #expect(ws.state.form?["amount"].text == "")
        #expect(ws.render(rows: 30, cols: 100).text().contains("past due, not disputed 12,345.00, balance 13,345.00"))
        type("12,400", into: ws); _ = ws.handle(.tab); type("bankrupt", into: ws)
        let before = desk.book.lastSequence
        _ = ws.handle(.enter)                                      // named first: the past due, then I9
        #expect(desk.book.lastSequence == before)
        #expect(ws.state.message?.text.hasPrefix("Write off 12,400.00: I1 12,345.00, I9 55.00 · Enter again to save") == true,
                "\(String(describing: ws.state.message))")
        _ = ws.handle(.escape)
        #expect(desk.book.lastSequence == before)
        // One invoice alone, as `ardesk writeoff --invoice`: the amount follows the invoice chosen.
        _ = ws.handle(.char("W"))
        _ = ws.handle(.backTab)                                    // to the invoice
        for _ in 0..<8 where ws.state.form?["invoice"].choiceValue != "I9" { _ = ws.handle(.right) }
        #expect(ws.state.form?["invoice"].choiceValue == "I9" && ws.state.form?["amount"].text == "1,000.00")
        _ = ws.handle(.tab); _ = ws.handle(.tab); type("customer closed", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.message?.text.hasPrefix("Write off 1,000.00: I9 1,000.00 · Enter again") == true)
        _ = ws.handle(.enter)
        #expect(desk.book.writeOffs.values.contains { $0.allocations.map(\.invoice) == ["I9"] }, "\(String(describing: ws.state.message))")
        // Unapplied credit covers part of what is past due: the suggestion is net of it.
        try desk.perform(.creditNote("C2", number: "CN-W", amount: Money(minorUnits: 10_000), on: Self.today, invoice: nil, reason: "goodwill"))
        let later = workstation()
        _ = later.handle(.char(":")); type("goto C2", into: later); _ = later.handle(.enter)
        _ = later.handle(.char("W"))
        let position = try #require(later.view.position(of: "C2"))
        #expect(position.credit == Money(minorUnits: 10_000) && position.collectablePastDue > position.credit)
        #expect(later.render(rows: 30, cols: 100).text().contains("past due, not disputed 400.00 (less unapplied credit"))
        // More than can go (past the balance, or past it net of the credit): refused at the first
        // Enter, not offered as a write-off to save.
        type("999999", into: later); _ = later.handle(.tab); type("gone", into: later)
        let beforeTooMuch = desk.book.lastSequence
        _ = later.handle(.enter)
        #expect(desk.book.lastSequence == beforeTooMuch && later.state.message?.kind == .error
                && later.state.message?.text.contains("Enter again") == false, "\(String(describing: later.state.message))")
    }
}

extension WorkstationFlowTests {
    /// A customer has one callback at a time: the form for a new one says which it replaces.
    @Test func aNewCallbackSaysWhichOneItReplaces() throws {
        let ws = workstation()
        for _ in 0..<3 where ws.selectedCustomer != "C3" { _ = ws.handle(.down) }
        #expect(ws.selectedCustomer == "C3")
        _ = ws.handle(.char("b"))
        #expect(ws.render(rows: 40, cols: 120).text().contains("Replaces the callback of 2026-03-02"))
        _ = ws.handle(.escape)
        _ = ws.handle(.up)
        #expect(ws.selectedCustomer != "C3")
        _ = ws.handle(.char("b"))
        #expect(ws.state.form != nil && !ws.render(rows: 40, cols: 120).text().contains("Replaces the callback"))
    }
}

extension WorkstationFlowTests {
    /// `o` filters the lists by collector, in turn; each list's title says so, at 80 columns too.
    @Test func theCollectorFilterIsNamedInEachListsTitle() throws {
        try desk.perform(.addCustomers([Customer(id: "C4", name: "Nobody's Ltd")]))
        let ws = workstation()
        _ = ws.handle(.char("o"))
        let collector = try #require(ws.state.collectorFilter)
        #expect(ws.visibleQueue.allSatisfy { $0.collector == collector })
        #expect(lines(ws.render(rows: 24, cols: 80))[2].hasSuffix("worked · collector: \(collector)"))
        _ = ws.handle(.tab)
        #expect(lines(ws.render(rows: 24, cols: 80))[2].contains("filter: all · collector: \(collector)"))
        while ws.state.collectorFilter != UIState.unassigned { _ = ws.handle(.char("o")) }  // last: the customers of no collector
        #expect(lines(ws.render(rows: 24, cols: 80))[2].contains("collector: none"))
        #expect(ws.currentCustomerRows.map(\.id) == ["C4"])
        _ = ws.handle(.char("o"))  // round to everyone's again
        #expect(ws.state.collectorFilter == nil)
        #expect(!lines(ws.render(rows: 24, cols: 80))[2].contains("collector:"))
    }

    /// PgDn and PgUp move a long text (a dunning preview, a timeline) by the lines it shows.
    @Test func aLongTextPagesByWhatItShows() {
        let ws = workstation()
        ws.state.overlay = Overlay(title: "t", lines: (1...100).map { "line \($0)" })
        _ = ws.render(rows: 30, cols: 100)  // 28 rows of box: 24 lines of text
        _ = ws.handle(.pageDown)
        #expect(ws.state.overlayScroll == 24)
        #expect(lines(ws.render(rows: 30, cols: 100)).contains { $0.contains("line 25") })
        _ = ws.handle(.pageUp)
        #expect(ws.state.overlayScroll == 0)
    }

    /// `o` keeps each list's cursor on its customer where the filter still lists it, else on the
    /// first row: never on whoever took the row's number.
    @Test func theCollectorFilterKeepsTheCursorOnItsCustomer() throws {
        for id in ["C2", "C3"] { try desk.perform(.changeProfile(id, .hold, reason: "late")) }  // on hold: in the review too
        let ws = workstation()
        for list in 0..<2 {  // the queue, then the customers panel
            if list == 1 { _ = ws.handle(.tab) }
            while ws.selectedCustomer != "C2" { _ = ws.handle(.down) }
            while ws.state.collectorFilter != "li.na" { _ = ws.handle(.char("o")) }
            #expect(ws.selectedCustomer == "C2")  // li.na's: still under the cursor
            while ws.state.collectorFilter != "wang.fang" { _ = ws.handle(.char("o")) }
            #expect(ws.selectedCustomer == "C3")  // C2 is not wang.fang's: the first row, the only one
            _ = ws.handle(.char(":")); type("collector all", into: ws); _ = ws.handle(.enter)
            #expect(ws.state.collectorFilter == nil)
            #expect(ws.selectedCustomer == "C3")  // everyone's again: still on C3
        }
        // The review too: a customer stays under the cursor when the filter is its collector's,
        // though its row's number in the filtered list is another customer's.
        try desk.perform(.changeProfile("C2", .collector("wang.fang"), reason: "handover"))
        ws.rebuildView()  // as after an action of this session's
        while ws.state.context != .review { _ = ws.handle(.tab) }
        let reviewed = ws.reviewRows
        let moving = try #require(reviewed.indices.first { index in
            let mates = reviewed.filter { $0.collector == reviewed[index].collector }
            return mates.count > index && mates[index].id != reviewed[index].id
        })
        while ws.selectedCustomer != reviewed[moving].id { _ = ws.handle(.down) }
        _ = ws.handle(.char(":")); type("collector \(reviewed[moving].collector ?? "none")", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.collectorFilter == reviewed[moving].collector)
        #expect(ws.selectedCustomer == reviewed[moving].id)
        // The same filter again changes nothing; the customers panel finds its customer after
        // filters changed twice while it was not showing.
        _ = ws.handle(.char(":")); type("collector \(reviewed[moving].collector ?? "none")", into: ws); _ = ws.handle(.enter)
        #expect(ws.selectedCustomer == reviewed[moving].id)
        _ = ws.handle(.char(":")); type("collector all", into: ws); _ = ws.handle(.enter)
        while ws.state.context != .customers { _ = ws.handle(.tab) }
        while ws.selectedCustomer != "C2" { _ = ws.handle(.down) }
        while ws.state.context != .queue { _ = ws.handle(.tab) }
        _ = ws.handle(.char("o")); _ = ws.handle(.char("o"))
        _ = ws.handle(.char(":")); type("collector all", into: ws); _ = ws.handle(.enter)
        while ws.state.context != .customers { _ = ws.handle(.tab) }
        #expect(ws.selectedCustomer == "C2")
    }
}

extension WorkstationFlowTests {
    /// A form's note under its fields wraps on a narrow terminal rather than cutting a figure short.
    @Test func aFormsNoteWrapsRatherThanCutAFigure() throws {
        let ws = workstation(.zh)
        #expect(ws.selectedCustomer == "C1")
        _ = ws.handle(.char("W"))  // write off: the note names the past due and the balance
        let screen = ws.render(rows: 16, cols: 60).text()
        #expect(screen.contains("余额"))
        #expect(screen.range(of: #"12,345\.0(?!0)|12,345\.(?!0)|12,34(?!5)"#, options: .regularExpression) == nil, "\(screen)")
    }

    /// What is longer than a narrow screen shows where it matters: a typed command line and
    /// search their end with the caret, a message cut after three lines its "…", and a refusal
    /// over a form is drawn over the form, not under its border.
    @Test func longTextOnANarrowScreenShowsItsEnd() throws {
        let ws = workstation()
        _ = ws.handle(.char(":")); type("goto " + String(repeating: "x", count: 100) + "END", into: ws)
        #expect(lines(ws.render(rows: 16, cols: 60)).last?.contains("END▏") == true)
        _ = ws.handle(.escape)
        _ = ws.handle(.char("/")); type(String(repeating: "y", count: 100) + "TAIL", into: ws)
        #expect(lines(ws.render(rows: 16, cols: 60))[2].contains("TAIL▏"), "\(lines(ws.render(rows: 16, cols: 60))[2])")
        _ = ws.handle(.escape)
        ws.say(String(repeating: "word ", count: 60) + "LAST", error: true)
        let said = lines(ws.render(rows: 16, cols: 60)).suffix(3).joined(separator: "\n")
        #expect(said.contains("…") && !said.contains("LAST"), "\(said)")
        _ = ws.handle(.char("n"))
        ws.say("first line of a refusal that is long enough to wrap onto a second line here", error: true)
        #expect(lines(ws.render(rows: 16, cols: 60)).suffix(2).joined().contains("first line of a refusal"))
    }

    /// On the smallest screen a list to tick shows fewer options, so every field keeps its row:
    /// the dispute form's last field was drawn below the box, and typing went into it unseen.
    @Test func aShortScreenShowsEveryFieldOfAForm() throws {
        let d = { (text: String) in Day(iso: text)! }
        try desk.perform(.issueInvoices((1...10).map {
            Invoice(number: "M\($0)", customer: "C1", issued: d("2026-01-01"), due: d("2026-01-31"), amount: Money(minorUnits: 10_000))
        }))
        let ws = workstation()
        #expect(ws.selectedCustomer == "C1")
        _ = ws.handle(.char("d"))
        let screen = ws.render(rows: 16, cols: 60).text()
        #expect(screen.contains("Reason") && screen.contains("Part disputed") && screen.contains("of 11"), "\(screen)")
    }
}

extension WorkstationFlowTests {
    /// A request decided in another session leaves the approvals list: the cursor stays on a row,
    /// so y and N act on what is shown.
    @Test func theApprovalsCursorStaysOnARowWhenAnotherSessionDecides() throws {
        try desk.perform(.request("C1", .creditLimit(Money(minorUnits: 200_000)), reason: "growth"))
        try desk.perform(.request("C2", .creditLimit(Money(minorUnits: 300_000)), reason: "growth"))
        let ws = workstation()
        while ws.state.context != .approvals { _ = ws.handle(.tab) }
        _ = ws.handle(.down)
        #expect(ws.state.approvalCursor == 1)
        let last = try #require(ws.pendingRequests.last?.id)
        try Desk.open(folder: folder, today: Self.today, user: "wang.fang").perform(.decide(requestID: last, approved: false, reason: "not now"))
        #expect(ws.poll())
        #expect(ws.pendingRequests.count == 1 && ws.state.approvalCursor == 0)
        #expect(ws.render(rows: 24, cols: 100).text().contains("growth"))
    }
}

extension WorkstationFlowTests {
    /// A million and more is shown whole: the amount columns widen for the rows on screen that
    /// need it, and short figures go to 亿 in Chinese.
    @Test func largeAmountsAreShownWhole() throws {
        try desk.perform(.issueInvoices([Invoice(number: "BIG", customer: "C2", issued: Day(iso: "2025-06-01")!, due: Day(iso: "2025-07-01")!,
                                                 amount: Money(minorUnits: 123_456_789))]))
        let ws = workstation()
        #expect(ws.render(rows: 24, cols: 80).text().contains("1,235,067.89"))  // with I2, 500.00
        _ = ws.handle(.tab)
        #expect(ws.render(rows: 24, cols: 80).text().contains("1,235,067.89"))  // with I2, 500.00
        #expect(Format(currency: .cny, language: .zh).short(Money(minorUnits: 9_876_969_712_200)) == "987.7亿")
        #expect(Format(currency: .cny, language: .en).short(Money(minorUnits: 9_876_969_712_200)) == "98.8B")
    }
}

extension WorkstationFlowTests {
    /// A Chinese name is found by its pinyin too, initials (上海华瑞 by shhr) or whole
    /// (shanghai, huarui), in the customers panel and in the queue; words read otherwise in
    /// names (重庆, 银行) by how they are read there, ü as v.
    @Test func aChineseNameIsFoundByItsPinyin() throws {
        #expect(PinyinOrder.searchText("上海华瑞科技有限公司") == "\u{1}shhrkjyxgs\u{1}ShangHaiHuaRuiKeJiYouXianGongSi")
        #expect(PinyinOrder.searchText("重庆银行ABC 2号") == "\u{1}cqyhabc2h\u{1}ChongQingYinHangAbc2Hao")
        #expect(PinyinOrder.searchText("绿地女装") == "\u{1}ldnz\u{1}LvDiNvZhuang")
        #expect(PinyinOrder.searchText("Acme Ltd") == "")
        #expect(PinyinOrder.searchText("泊头曾氏") == "\u{1}btzs\u{1}BoTouZengShi")  // initials from the reading names use
        let ws = workstation()
        _ = ws.handle(.char("/")); for ch in "shhr" { _ = ws.handle(.char(ch)) }
        #expect(ws.visibleQueue.map(\.customer) == ["C1"])
        _ = ws.handle(.escape)
        _ = ws.handle(.char("/")); for ch in "huarui" { _ = ws.handle(.char(ch)) }
        #expect(ws.visibleQueue.map(\.customer) == ["C1"])
        _ = ws.handle(.escape); _ = ws.handle(.tab)
        _ = ws.handle(.char("/")); for ch in "bjht" { _ = ws.handle(.char(ch)) }  // 北京恒泰
        #expect(ws.currentCustomerRows.map(\.id) == ["C3"])
        _ = ws.handle(.escape)
        _ = ws.handle(.char("/")); for ch in "beijingh" { _ = ws.handle(.char(ch)) }  // a syllable begun
        #expect(ws.currentCustomerRows.map(\.id) == ["C3"])
        _ = ws.handle(.escape)
        // A search begins where a syllable does: hua is 华, not the inside of chuang (创).
        try desk.perform(.addCustomers([Customer(id: "C8", name: "创新科技"), Customer(id: "C9", name: "西安ABC2号")]))
        let later = workstation()
        _ = later.handle(.tab)
        for (typed, found) in [("hua", ["C1"]), ("chuang", ["C8"]), ("anjing", []), ("huang", []), ("xian", ["C1", "C3", "C9"]),
                               ("anab", ["C9"]), ("abc2", ["C9"]), ("bc2", ["C9"]), ("c2hao", []), ("2hao", ["C9"]),
                               ("xi'an", ["C1", "C3", "C9"]), ("shanghai ", ["C1"]), ("shangha ", []), ("'", [])] {
            _ = later.handle(.char("/")); type(typed, into: later)
            #expect(later.currentCustomerRows.map(\.id).sorted() == found, "\(typed)")
            _ = later.handle(.escape)
        }
    }
}

extension WorkstationFlowTests {
    /// A search reads names as people see them: é as one character or as e and an accent, or
    /// typed as e, finds Café; a zero-width space or a tab pasted into a name does not hide it.
    @Test func aSearchIgnoresAccentsAndInvisibleCharacters() throws {
        #expect(SearchFolding.fold("Caf\u{E9}") == "cafe" && SearchFolding.fold("Cafe\u{301}") == "cafe")
        #expect(SearchFolding.fold("Café Zoë") == "cafe zoe" && SearchFolding.fold("北京\u{200B}零宽\t公司") == "北京零宽公司")
        #expect(SearchFolding.fold("한국 Ｃ００１") == "한국 c001")  // Hangul whole, full-width as ASCII
        #expect(SearchFolding.fold("Nguyễn Søren Łódź\u{A0}Ltd") == "nguyen soren lodz ltd")
        // A Chinese search looks only in the id and name, not in the pinyin after them.
        func find(_ needle: String, in hay: String, count: Int? = nil) -> Bool {
            Array(needle.utf8).withUnsafeBufferPointer { n in hay.withCString { SearchNeedle.find(n, in: UnsafeRawPointer($0), count: count ?? hay.utf8.count) } }
        }
        #expect(find("上海", in: "c1 上海华瑞") && find("c1", in: "c1 上海") && find("瑞", in: "c1 上海华瑞") && find("", in: "x"))
        #expect(!find("华瑞", in: "c1 上海华瑞", count: 9) && !find("上海华瑞x", in: "上海华瑞") && !find("abc", in: "ab"))
        try desk.perform(.addCustomers([Customer(id: "C7", name: "Caf\u{E9} Z\u{F6}e"), Customer(id: "C8", name: "Cafe\u{301} Nord"),
                                        Customer(id: "C9", name: "制表符\t公司")]))
        let ws = workstation()
        _ = ws.handle(.tab)
        for (typed, found) in [("café", ["C7", "C8"]), ("cafe", ["C7", "C8"]), ("zoe", ["C7"]), ("制表符公", ["C9"]), ("制表符 公", ["C9"]), ("制表符 北", [])] {
            _ = ws.handle(.char("/")); type(typed, into: ws)
            #expect(ws.currentCustomerRows.map(\.id).sorted() == found, "\(typed)")
            _ = ws.handle(.escape)
        }
    }
}

extension WorkstationFlowTests {
    /// At the smallest size every panel keeps a tab: the longest labels are cut first.
    @Test func everyPanelKeepsATabOnASmallScreen() throws {
        let ws = workstation(.zh)
        _ = ws.handle(.enter)  // a ledger open: its tab names the customer
        let tabs = lines(ws.render(rows: 16, cols: 60))[1]
        for label in ["待办", "客户", "账页", "待审批", "信用", "总览"] { #expect(tabs.contains(label), "\(tabs)") }
        #expect(DisplayWidth.of(tabs) <= 60)
    }
}

extension WorkstationFlowTests {
    /// What a collector reads is never less than what is there: an amount of a hundred million
    /// shows whole in the ledger; a letter recorded by hand says the dunning level stays; a
    /// search that finds nobody says so, and full-width letters and digits find an id.
    @Test func amountsWholeLettersSaidAndSearchesThatFindNobody() throws {
        try desk.perform(.issueInvoices([Invoice(number: "BIG", customer: "C1", issued: Day(iso: "2026-01-05")!, due: Day(iso: "2026-02-04")!,
                                                 amount: Money(minorUnits: 12_345_678_999))]))
        let ws = workstation()
        #expect(ws.visibleQueue.first?.customer == "C1")
        _ = ws.handle(.enter)
        #expect(ws.render(rows: 40, cols: 120).text().contains("123,456,789.99"))
        _ = ws.handle(.char("L"))
        let letter = ws.render(rows: 40, cols: 120).text()
        #expect(letter.contains("Records the letter only: the customer has no dunning") && letter.contains("level until a dunning run sets one"))
        _ = ws.handle(.escape)

        let search = workstation()
        _ = search.handle(.char("/"))
        for ch in "ＮＯＢＯＤＹ" { _ = search.handle(.char(ch)) }
        #expect(search.render(rows: 24, cols: 80).text().contains("No customer in the queue matches; Tab, then / searches all customers."))
        _ = search.handle(.escape)
        _ = search.handle(.char("/"))
        for ch in "ｃ３" { _ = search.handle(.char(ch)) }
        #expect(search.visibleQueue.map(\.customer) == ["C3"])
    }
}

extension WorkstationFlowTests {
    /// The second y of a write-off approves the request it asked about, though another user's
    /// change meanwhile moved another request under the cursor.
    @Test func theSecondYApprovesTheRequestItAskedAbout() throws {
        let other = try asWangFang()
        try other.perform(.request("C3", .creditLimit(Money(minorUnits: 500_000)), reason: "growth"))
        try desk.perform(.request("C2", .writeOff(Money(minorUnits: 10_000)), reason: "small balance"))
        let ws = approvalsPanel()
        _ = ws.handle(.char("j"))
        let writeOff = try #require(ws.pendingRequests.last)
        #expect(ws.pendingRequests[ws.state.approvalCursor].id == writeOff.id)
        _ = ws.handle(.char("y"))
        #expect(ws.state.message?.text.contains("Write off 100.00 of C2") == true)
        // wang.fang asks for another limit: the first request is withdrawn, the new one listed last.
        try other.perform(.request("C3", .creditLimit(Money(minorUnits: 900_000)), reason: "more growth"))
        #expect(ws.poll())
        #expect(ws.pendingRequests[ws.state.approvalCursor].id == writeOff.id)  // the cursor stayed on it
        _ = ws.handle(.char("y"))
        #expect(desk.book.requests[writeOff.id]?.state != .pending)
        #expect(desk.book.requests.values.filter { $0.state == .pending }.map(\.customer) == ["C3"])  // the new limit still waits
    }
}

extension WorkstationFlowTests {
    /// The contact form saves the customer's whole list: changed meanwhile by another user, it
    /// says so at Enter and saves nothing, instead of writing over that change.
    @Test func theContactFormDoesNotWriteOverAChangeMadeMeanwhile() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                                      // C1's ledger
        _ = ws.handle(.char("e"))
        #expect(ws.state.form?.title == "Contact person")
        type("王经理", into: ws)
        let other = try asWangFang()
        try other.perform(.changeProfile("C1", .contacts([ContactPerson(name: "李会计", phone: "+86 21 5555 0101", email: "")]), reason: ""))
        _ = ws.poll()
        let before = desk.book.lastSequence
        _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("The contacts were changed meanwhile") == true)
        #expect(ws.state.form != nil && desk.book.lastSequence == before)
        #expect(desk.book.customers["C1"]?.contacts.first?.name == "李会计")
    }
}

extension WorkstationFlowTests {
    /// `:sort` sorts the panel it is typed in: the queue by priority, the review by its own orders.
    @Test func sortOnTheCommandLineSortsThePanelItIsTypedIn() throws {
        let ws = workstation()
        _ = ws.handle(.char(":")); type("sort priority", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.context == .queue && ws.state.message?.text.hasPrefix("Queue ranked by priority again") == true)
        for _ in 0..<4 { _ = ws.handle(.tab) }                                 // → review (li.na is the book's admin)
        #expect(ws.state.context == .review)
        _ = ws.handle(.char(":")); type("sort grade", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.context == .review && ws.state.reviewSort == .grade)
    }
}

extension WorkstationFlowTests {
    /// A request taken from under the cursor by another user's change is said at the next y,
    /// which decides nothing: the row under the cursor now is one the manager has not looked at.
    @Test func aYOnARequestGoneMeanwhileDecidesNothing() throws {
        let other = try asWangFang()
        try other.perform(.request("C3", .creditLimit(Money(minorUnits: 500_000)), reason: "growth"))
        try desk.perform(.request("C1", .creditLimit(Money(minorUnits: 300_000)), reason: "steady"))
        let ws = approvalsPanel()
        let first = try #require(ws.pendingRequests.first)
        #expect(first.customer == "C3" && ws.state.approvalCursor == 0)
        try other.perform(.request("C3", .creditLimit(Money(minorUnits: 900_000)), reason: "more growth"))  // withdraws the first
        #expect(ws.poll())
        _ = ws.handle(.char("y"))
        #expect(ws.state.message?.text.contains("\(first.id) was decided or withdrawn meanwhile") == true)
        #expect(desk.book.requests.values.filter { $0.state == .pending }.count == 2)  // nothing decided
        _ = ws.handle(.char("y"))                                      // seen now: decided
        #expect(desk.book.requests.values.filter { $0.state == .pending }.count == 1)
    }
}

extension WorkstationFlowTests {
    /// A plan after a promise taken the same day asks for what is left and names that promise;
    /// a window resized keeps the help open; `:filter` in the review filters the review.
    @Test func aPlanAfterAPromiseAResizeAndTheReviewsFilter() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                                        // C1: 12,345.00 past due
        _ = ws.handle(.char("p"))
        for _ in 0..<12 { _ = ws.handle(.backspace) }
        type("5000", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.form == nil, "\(String(describing: ws.state.message))")
        _ = ws.handle(.char("P"))
        #expect(ws.state.form?["total"].text == "7,345.00")
        #expect(ws.render(rows: 30, cols: 100).text().contains("adds to today's promise of 5,000.00"))
        _ = ws.handle(.escape)
        _ = ws.handle(.char("?"))
        _ = ws.handle(.resize)
        #expect(ws.state.showHelp)
        _ = ws.handle(.char("?"))
        for _ in 0..<8 where ws.state.context != .review { _ = ws.handle(.tab) }
        #expect(ws.state.context == .review)
        _ = ws.handle(.char(":")); type("filter over limit", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.context == .review && ws.state.reviewFilter == .overLimit)
    }
}

extension WorkstationFlowTests {
    /// The same promise again the same day (a form saved twice) is asked about before it is
    /// saved: promises of a day add up, so a second would double what is promised.
    @Test func theSamePromiseTwiceInADayIsAskedAbout() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                                        // C1: 12,345.00 past due
        let promised = { desk.book.promises(of: "C1").count }
        for _ in 0..<2 {
            _ = ws.handle(.char("p"))
            for _ in 0..<12 { _ = ws.handle(.backspace) }
            type("5000", into: ws); _ = ws.handle(.enter)
        }
        #expect(promised() == 1)
        #expect(ws.state.message?.text.contains("the same promise was saved earlier today") == true, "\(String(describing: ws.state.message))")
        #expect(ws.state.message?.text.contains("Enter again to save") == true)
        _ = ws.handle(.enter)                                        // meant: a second one
        #expect(promised() == 2)
        _ = ws.handle(.char("p"))                                    // another amount: no question
        for _ in 0..<12 { _ = ws.handle(.backspace) }
        type("1000", into: ws); _ = ws.handle(.enter)
        #expect(promised() == 3)
    }
}

extension WorkstationFlowTests {
    /// Keys already waiting are handled before the next frame (a held key over a slow link sent
    /// a frame for each, seconds behind); Ctrl-L asks the terminal to send the whole screen again.
    @Test func keysWaitingAreHandledBeforeTheNextFrame() {
        // j j waiting together, a pause, Ctrl-L, a pause: two frames after the first, not three.
        let terminal = MemoryTerminal(rows: 24, cols: 80, keys: [.char("j"), .char("j"), nil, .ctrl("l"), nil])
        let ws = workstation()
        WorkstationRunner.run(ws, terminal: terminal)
        #expect(ws.state.queueCursor == 2)
        #expect(terminal.frames.count == 3)     // the first screen, after the two j, after Ctrl-L
        #expect(terminal.repaints == 1)
        let rows = terminal.frames[1].text().components(separatedBy: "\n").filter { $0.range(of: #"^ *[0-9]+ +C[123] "#, options: .regularExpression) != nil }
        #expect(rows.count == 3)
    }
}

extension WorkstationFlowTests {
    /// Closing a customer that still owes asks a second Enter, saying what closing does.
    @Test func closingACustomerThatOwesAsksTwice() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                                 // C1's ledger
        _ = ws.handle(.char("K"))
        #expect(ws.state.form?.title == "Customer status")
        _ = ws.handle(.right)                                 // active → closed
        #expect(ws.state.form?["status"].choiceValue == "closed")
        _ = ws.handle(.tab); type("moved away", into: ws)
        _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("C1 still owes 12,345.00: closed, it leaves the queue, the review and dunning") == true)
        #expect(desk.book.customers["C1"]?.status == .active)
        _ = ws.handle(.enter)
        #expect(desk.book.customers["C1"]?.status == .closed)
    }
}

extension WorkstationFlowTests {
    /// A form filled in before another user changed its customer (a callback, a promise, a
    /// limit) says so at Enter and saves nothing; a second Enter saves it as it stands.
    @Test func aFormOpenWhileAnotherUserChangesItsCustomerSaysSoBeforeSaving() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                                      // C1's ledger
        _ = ws.handle(.char("b"))
        #expect(ws.state.form != nil)
        let other = try asWangFang()
        try other.perform(.callback("C1", on: Self.today.adding(days: 5), note: "CFO back on Monday"))
        let before = desk.book.lastSequence + 0
        _ = ws.handle(.enter)
        // Said with who changed it and what: here wang.fang's callback, which this one would replace.
        let callbackDay = Self.today.adding(days: 5).iso
        #expect(ws.state.message?.text.contains("C1 was changed while this form was open (wang.fang: callback \(callbackDay)") == true,
                "\(String(describing: ws.state.message))")
        #expect(ws.state.form != nil && desk.book.lastSequence == before + 1)   // wang.fang's callback only
        _ = ws.handle(.enter)                                                    // seen: saved as it stands
        #expect(ws.state.form == nil && desk.book.lastSequence == before + 2)

        // The same form without a change in between saves at the first Enter.
        _ = ws.handle(.char("n")); type("left a voicemail", into: ws)
        try other.perform(.note("C2", "another customer"))
        _ = ws.handle(.enter)
        #expect(ws.state.form == nil, "\(String(describing: ws.state.message))")
        // A payment (nothing on the customer's timeline) is said as what it is.
        _ = ws.handle(.char("n")); type("asked for remittance", into: ws)
        try Desk.open(folder: folder, today: Self.today, user: "boss").perform(.pay("C1", amount: Money(minorUnits: 1_000), on: Self.today,
                                                                                   invoice: nil, reference: "R9", method: "bank"))
        _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("C1 was changed while this form was open (a payment, document or write-off recorded)") == true,
                "\(String(describing: ws.state.message))")
    }
}

extension WorkstationFlowTests {
    /// A second statement for a customer the same day is written on purpose: the form names the
    /// first one and asks for a second Enter. A form whose customer another collector claimed
    /// meanwhile says so at Enter, not that the customer changed.
    @Test func aSecondStatementTodayIsAskedForAndAClaimMeanwhileIsSaid() throws {
        let ws = workstation()
        _ = ws.handle(.enter)                                      // C1's ledger
        _ = ws.handle(.char("S")); _ = ws.handle(.enter)
        #expect(ws.state.form == nil, "\(String(describing: ws.state.message))")
        _ = ws.handle(.char("S")); _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("a statement was written for C1 today already (outbox/") == true, "\(String(describing: ws.state.message))")
        #expect(ws.state.form != nil)
        _ = ws.handle(.enter)
        #expect(ws.state.form == nil && ws.state.message?.text.contains("C1-statement-2.md") == true, "\(String(describing: ws.state.message))")
    }
}

extension WorkstationFlowTests {
    /// The review shows the ABC class it sorts by, and a customer listed for its review date says so.
    @Test func theReviewShowsABCAndAReviewDue() throws {
        try desk.perform(.changeProfile("C1", .nextReview(Self.today), reason: ""))
        let ws = workstation()
        for _ in 0..<8 where ws.state.context != .review { _ = ws.handle(.tab) }
        _ = ws.handle(.char(":")); type("filter review due", into: ws); _ = ws.handle(.enter)
        let screen = ws.render(rows: 30, cols: 120).text()
        #expect(screen.contains(" ABC ") && screen.contains("review due"), "\(screen)")
        // A customer handed to lawyers is in the review, and says so.
        try desk.perform(.changeProfile("C3", .status(.legal), reason: "court"))
        let later = workstation()
        for _ in 0..<8 where later.state.context != .review { _ = later.handle(.tab) }
        #expect(later.reviewRows.contains { $0.id == "C3" })
        let row = try #require(later.render(rows: 30, cols: 120).text().split(separator: "\n").first { $0.hasPrefix("C3 ") })
        #expect(row.contains("legal") && later.render(rows: 30, cols: 120).text().contains("all for review"), "\(row)")
    }
}

extension WorkstationFlowTests {
    /// The ledger says why its customer is queued and when a callback was asked for, so that a
    /// collector working from the ledger (x moves on from there) reads what the call is about.
    @Test func theLedgerSaysWhyItsCustomerIsQueuedAndItsCallback() throws {
        let ws = workstation()
        let queued = try #require(ws.view.queue.first { !$0.reasons.isEmpty })
        _ = ws.handle(.char(":")); type("g \(queued.customer)", into: ws); _ = ws.handle(.enter)
        var screen = ws.render(rows: 30, cols: 120).text()
        #expect(screen.contains("Queued "), "\(screen)")
        try desk.perform(.callback(queued.customer, on: Self.today.adding(days: 3), note: "cheque in the post"))
        _ = ws.poll()
        screen = ws.render(rows: 30, cols: 120).text()
        #expect(screen.contains("Callback \(Self.today.adding(days: 3).iso) · cheque in the post"), "\(screen)")
        // Once it is due, its note is still read there: what the call is about.
        try desk.perform(.callback(queued.customer, on: Self.today, note: "ask for the remittance"))
        _ = ws.poll()
        screen = ws.render(rows: 30, cols: 120).text()
        #expect(screen.contains("Callback due \(Self.today.iso) · ask for the remittance"), "\(screen)")
    }
}

extension WorkstationFlowTests {
    /// The dashboard gives the unapplied credit and open fees beside the aging, and the holds the
    /// review advises beside the risk signals, as `report kpi` and `report risk` do.
    @Test func theDashboardGivesCreditFeesAndHoldsAdvised() throws {
        let ws = workstation()
        for _ in 0..<8 where ws.state.context != .dashboard { _ = ws.handle(.tab) }
        #expect(ws.state.context == .dashboard)
        let kpis = PortfolioKPIs(book: desk.book, policy: desk.policy, asOf: Self.today)
        let screen = ws.render(rows: 60, cols: 140).text()
        let format = Currency.cny
        #expect(screen.contains("unapplied credit \(format.format(kpis.credit, grouping: ","))"), "\(screen)")
        #expect(screen.contains("hold advised \(ws.view.rows.filter(\.holdAdvised).count)"), "\(screen)")
    }
}

extension WorkstationFlowTests {
    /// On a narrow screen a tab cuts its name, never its figure: a count cut short reads as
    /// another count.
    @Test func aNarrowTabBarKeepsItsFigures() {
        let ws = workstation()
        let tabs = lines(ws.render(rows: 20, cols: 60))[1]
        let items = ws.view.queue.filter { !$0.settled || $0.worked }.count
        #expect(tabs.contains(" \(ws.view.customerCount) ") && tabs.contains("0/\(items) "), "\(tabs)")
        #expect(tabs.contains("…"), "cut, or the test shows nothing: \(tabs)")
    }
}

extension WorkstationFlowTests {
    /// A limit request in the approvals says which way it goes: a cut reads apart from a raise,
    /// and a first limit on a customer without one is a cut (none is no cap).
    @Test func aLimitRequestSaysWhichWayItGoes() throws {
        try desk.perform(.request("C1", .creditLimit(Money(minorUnits: 200_000)), reason: "growing"))  // 1,000.00 now
        try desk.perform(.request("C2", .creditLimit(Money(minorUnits: 900_000)), reason: "first limit"))  // none now
        let screen = approvalsPanel().render(rows: 30, cols: 120).text()
        #expect(screen.contains("credit limit ↑ 2,000.00") && screen.contains("credit limit ↓ 9,000.00"), "\(screen)")
    }
}

extension WorkstationFlowTests {
    /// A row one has claimed keeps its reasons first and says "claimed by me" after them: at 80
    /// columns the claim had covered the one reason the why column has room for.
    @Test func aClaimedRowKeepsItsReasonsFirst() throws {
        let ws = workstation()
        let row = try #require(ws.visibleQueue.first { !$0.reasons.isEmpty && $0.customer != "C3" })
        try desk.perform(.claim(row.customer))
        ws.rebuildView()
        let claimed = try #require(ws.visibleQueue.first { $0.customer == row.customer })
        let why = ws.whyText(claimed)
        #expect(why.last == "claimed by me" && why.count > 1, "\(why)")
        // And marked before its id, where a narrow screen cuts the reasons off.
        #expect(ws.render(rows: 24, cols: 80).text().contains("◆" + row.customer))
        // Worked, the ✓ takes the ◆'s place: the claim is said first in its why, and in the detail.
        try desk.perform(.markWorked(row.customer))
        ws.rebuildView()
        let worked = try #require(ws.visibleQueue.first { $0.customer == row.customer })
        #expect(worked.worked && ws.whyText(worked).first == "claimed by me", "\(ws.whyText(worked))")
        #expect(ws.queueDetail(worked).hasSuffix("claimed by me"), "\(ws.queueDetail(worked))")
    }
}

extension WorkstationFlowTests {
    /// Esc on the approvals and the dashboard, panels with no list behind them, goes back to the
    /// queue (it did nothing there), once a message there is closed; on a ledger it still goes
    /// back to the list it came from.
    @Test func escapeFromTheApprovalsOrDashboardGoesToTheQueue() throws {
        let ws = workstation()
        for panel in [Context.approvals, .dashboard] {
            for _ in 0..<8 where ws.state.context != panel { _ = ws.handle(.tab) }
            #expect(ws.state.context == panel)
            ws.say("a message", error: false)
            _ = ws.handle(.escape)
            #expect(ws.state.context == panel && ws.state.message == nil, "the first Esc closes the message on \(panel)")
            _ = ws.handle(.escape)
            #expect(ws.state.context == .queue, "Esc from \(panel)")
        }
        _ = ws.handle(.tab)
        #expect(ws.state.context == .customers)
        _ = ws.handle(.enter)
        #expect(ws.state.context == .ledger)
        _ = ws.handle(.escape)
        #expect(ws.state.context == .customers)
    }
}

extension WorkstationFlowTests {
    /// u names first an action this session did not make (another session's, the command
    /// line's, one from before the session), on the customer selected too; a second u undoes it.
    @Test func undoNamesFirstAnActionNotMadeInThisSession() throws {
        let ws = workstation()
        let customer = try #require(ws.selectedCustomer)
        try desk.perform(.note(customer, "made elsewhere"))
        _ = ws.poll()
        _ = ws.handle(.char("u"))
        #expect(ws.state.message?.text.contains("Your last action was not made in this session") == true, "\(ws.state.message?.text ?? "")")
        #expect(desk.book.timeline(of: customer).last?.undoneBy == nil)
        _ = ws.handle(.char("u"))
        #expect(desk.book.timeline(of: customer).last { $0.kind == .note("made elsewhere") }?.undoneBy != nil)
        // Two actions of this session undone one after the other: neither is asked about.
        for note in ["first", "second"] { _ = ws.handle(.char("n")); type(note, into: ws); _ = ws.handle(.enter) }
        _ = ws.handle(.char("u")); _ = ws.handle(.char("u"))
        let undone = desk.book.timeline(of: customer).filter { $0.kind == .note("first") || $0.kind == .note("second") }
        #expect(undone.count == 2 && undone.allSatisfy { $0.undoneBy != nil }, "\(ws.state.message?.text ?? "")")
    }
}

extension WorkstationFlowTests {
    /// An unfinished record another process left at the log's end is set aside by this
    /// session's next save, and the status line says so beside "Saved" (it said only "Saved").
    @Test func aTornRecordSetAsideBySavingIsSaid() throws {
        let ws = workstation()
        let handle = try #require(FileHandle(forWritingAtPath: folder.journalPath))
        handle.seekToEndOfFile()
        handle.write(Data("{\"seq\":".utf8))
        try handle.close()
        let customer = try #require(ws.selectedCustomer)
        _ = ws.handle(.char("n")); type("called", into: ws); _ = ws.handle(.enter)
        let message = ws.state.message?.text ?? ""
        #expect(message.hasPrefix("Saved") && message.contains("was torn") && desk.book.timeline(of: customer).last?.kind == .note("called"), "\(message)")
    }
}

extension WorkstationFlowTests {
    /// :goto with an invoice a caller quotes opens the ledger on that invoice's line, marked,
    /// not at the top of a ledger longer than the screen.
    @Test func goToAnInvoiceOpensTheLedgerOnIt() throws {
        let d = { (text: String) in Day(iso: text)! }
        try desk.perform(.issueInvoices((1...40).map { n in
            Invoice(number: "C1-\(1000 + n)", customer: "C1", issued: d("2026-01-01"), due: d("2026-02-01").adding(days: n), amount: Money(minorUnits: 10_000))
        }))
        let ws = workstation()
        _ = ws.handle(.char(":")); type("g C1-1035", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.context == .ledger && ws.state.ledgerCustomer == "C1")
        let screen = ws.render(rows: 24, cols: 100)
        let row = try #require((0..<screen.rows).first { lines(screen)[$0].contains("C1-1035 ") }, "\(screen.text())")
        let col = try #require(lines(screen)[row].range(of: "C1-1035").map { lines(screen)[row].distance(from: lines(screen)[row].startIndex, to: $0.lowerBound) })
        #expect(screen[row, col].role == .selection)
        #expect(!lines(screen).contains { $0.contains("C1-1036 ") && screen[lines(screen).firstIndex(of: $0)!, col].role == .selection })
        // A paid invoice is not listed: said so beside how the customer was found.
        try desk.perform(.pay("C1", amount: Money(minorUnits: 10_000), on: Self.today, invoice: "C1-1001", reference: "B1", method: ""))
        _ = ws.poll()
        _ = ws.handle(.escape)
        _ = ws.handle(.char(":")); type("g C1-1001", into: ws); _ = ws.handle(.enter)
        _ = ws.render(rows: 24, cols: 100)
        #expect(ws.state.message?.text == "C1: found by invoice C1-1001 (not among the open items and latest payments listed here)", "\(ws.state.message?.text ?? "")")
    }
}

extension WorkstationFlowTests {
    /// / in a ledger searches the list it was opened from (it said / did nothing there).
    @Test func slashInALedgerSearchesItsList() throws {
        let ws = workstation()
        _ = ws.handle(.tab)
        #expect(ws.state.context == .customers)
        _ = ws.handle(.enter)
        #expect(ws.state.context == .ledger)
        _ = ws.handle(.char("/")); type("Acme", into: ws)
        #expect(ws.state.context == .customers && ws.state.searching && ws.state.search == "Acme")
    }
}

extension WorkstationFlowTests {
    /// A book whose log cannot be written says why on the first screen, not at the first Enter.
    @Test func aBookThatCannotBeWrittenSaysWhyAtOnce() throws {
        #expect(chmod(folder.journalPath, 0o444) == 0)
        defer { _ = chmod(folder.journalPath, 0o640) }
        let ws = Workstation(desk: try Desk.open(folder: folder, today: Self.today, user: "li.na"), asOf: Self.today, language: .en)
        #expect(ws.readOnly && ws.state.message?.text.hasPrefix("Read-only: journal.log cannot be written") == true, "\(ws.state.message?.text ?? "")")
    }
}
