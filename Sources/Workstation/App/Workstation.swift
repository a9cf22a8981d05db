import Core
import Desk
import Terminal

/// The collector's and manager's screen as a value: keys go in through `handle`, a `Screen` comes
/// out of `render`. It never touches the terminal or the journal itself: writes go through Desk.
public final class Workstation {
    let desk: Desk
    /// The day every view is computed as of (today, or a past day for a read-only look back).
    private(set) var asOf: Day
    let language: Language
    let keymap = Keymap.standard
    var state = UIState()
    private(set) var view: BookView
    /// Counts the views built: what is cached from a view is kept until the next one, which a
    /// role change builds without any new record.
    private(set) var viewGeneration: UInt64 = 0
    /// Rows the list panel showed in the last frame (a page) and lines the ledger had.
    var lastListHeight = 20
    var lastLedgerLines = 0
    /// The dashboard's length and the rows it had when last drawn, to scroll no further than its end.
    var lastDashboardLines = 0
    /// Lines of the help as the last frame listed them in one scrolling column (0: it fitted in
    /// columns, and any key closes it).
    var lastHelpLines = 0
    /// The last frame's help in columns left out the command line's and forms' keys (a short
    /// screen): ↓ then shows them, at the end of the help in one scrolling column.
    var lastHelpLeftOut = false
    /// How many lines the last long text or scrolling help showed: what PgUp and PgDn move it by.
    var lastTextPage = 10
    var lastDashboardHeight = 0
    /// The width of the last frame, for text laid out before it is drawn (the activity overlay, the
    /// dunning preview's table).
    var lastScreenCols = 160
    /// The last frame said only that the terminal is too small: nothing on it to act on.
    var screenTooSmall = false
    var rowsCache: (key: RowsKey, rows: CustomerRows)?
    var queueCache: (key: QueueKey, rows: [QueueRow])?
    /// The same for the queue narrowed by the collector filter alone (see `collectorQueue`).
    var collectorQueueCache: (key: QueueKey, rows: [QueueRow])?
    /// Counts changes of the queue's rows or order (a new view, or `s` ranking it again).
    private(set) var queueGeneration: UInt64 = 0
    var sortedCache: (key: RowsKey, rows: CustomerRows)?
    /// The manager's figures for the book as of its last record: being computed on another
    /// thread, or computed (see Workstation+ManagerFigures.swift).
    var portfolioWork: (sequence: UInt64, figures: Deferred<PortfolioView>)?
    /// Each customer's risk signals as of the view's day, kept with the view.
    var signalsWork: Deferred<[CustomerID: [RiskSignal]]>?
    var dashboardCache: (generation: UInt64, lists: (top: [CustomerRow], queued: [String: Int]))?
    /// The review list, until its sort, filter, search or the book changes (asked for by the
    /// cursor, the clamp and the drawing of each keystroke).
    var reviewCache: (key: ReviewKey, rows: [CustomerRow])?
    var pendingCache: (sequence: UInt64, requests: [Request])?
    /// The message of the last poll that failed, while it may still be shown.
    private var pollFailure: String?
    /// The customer the customers panel's cursor was on when the book changed: the cursor goes back
    /// to it when that panel next lists its rows, not after every action (filtering and sorting
    /// 50,000 rows again was wasted while the queue is showing).
    var customerToFind: CustomerID?
    /// The same for the review's cursor.
    var reviewCustomerToFind: CustomerID?
    /// A look for damage in the lines a snapshot let the open skip (see `lookForEarlierDamage`);
    /// nil once said, or when not looked for.
    private var earlierDamage: Deferred<Phrase?>?

    struct RowsKey: Equatable {
        var sort: CustomerSort, filter: CustomerFilter, search: String, collector: String?, generation: UInt64
    }

    struct QueueKey: Equatable {
        var search: String, collector: String?, generation: UInt64
    }

    struct ReviewKey: Equatable {
        var sort: ReviewSort, filter: ReviewFilter, search: String, collector: String?, generation: UInt64, bookSequence: UInt64
    }

    public init(desk: Desk, asOf: Day, language: Language) {
        self.desk = desk; self.asOf = asOf; self.language = language
        view = BookView(desk: desk, asOf: asOf)
        _ = desk.takeChanges()  // the view above saw everything so far
        // Say on the first screen what opening found (a torn record set aside, records a repair set
        // aside, a newer ardesk's event).
        // A book that cannot be written says why at once (the title's READ-ONLY alone reads as a
        // look back at a past day); a view of a past day is said by its title.
        if let note = desk.recoveryNote ?? desk.integrityNote ?? (desk.upgradeNeeded ? desk.readOnlyReason : nil) ?? readOnlyCause ?? desk.openingNotes.first {
            state.message = StatusMessage(text: note, kind: .error)
        }
    }

    var readOnly: Bool { desk.isReadOnly }
    /// Why nothing can be saved, when it is not the view's day (a pinned day, a log that cannot
    /// be written or needs mending, a newer ardesk's record): "Read-only: …". Nil for a look back.
    var readOnlyCause: String? {
        desk.readOnlyReason.flatMap { $0.hasPrefix("as of ") ? nil : text("Read-only: \($0)", "只读：\($0)") }
    }

    /// Starts reading the checksums of the log's lines before the snapshot the book opened from,
    /// on a background thread; damage found is said at the next `poll`. A session at a terminal
    /// starts it (the open itself does not read those lines: that is what makes it fast).
    public func lookForEarlierDamage() {
        guard let check = desk.damageBeforeSnapshotCheck() else { return }
        earlierDamage = Deferred(priority: .background, computing: check)
    }

    /// Work that waited for the first screen: the snapshot a cold open left for later (see
    /// `Desk.open`). Called once that screen is shown.
    public func firstScreenShown() {
        desk.startDueSnapshot()
        desk.reckonAmountsInBackground()
        // A manager's review and dashboard figures take a large book half a second: made while
        // the queue is read, after the customers panel (which the next key may need sooner).
        if desk.role != .collector { startManagerFigures() }
    }

    /// Waits for what is still being built after the first screen (the customers panel).
    public func finishBackgroundWork() { _ = view.rows }

    /// Applies other users' appends; the cursor stays on the same customer and a half-filled form
    /// is kept. Returns true when the screen should be redrawn.
    @discardableResult
    public func poll() -> Bool {
        if let look = earlierDamage, look.isReady {
            earlierDamage = nil
            if let damage = look.value {
                state.message = StatusMessage(text: damage.text(chinese: language == .zh), kind: .error)
                return true
            }
        }
        let underCursor = requestUnderCursor  // before another user's change may take it away
        let listed = [.queue, .customers, .review].contains(state.context) ? selectedCustomer : nil
        do {
            let changed = try desk.refresh()
            // What the last look failed with (a roles file being edited) is mended: its message
            // goes. A policy.toml that does not read is said, once, while the last one stays in use.
            let failure = desk.policyProblem.map { text("\($0); the last policy read stays in use", "\($0)；仍按上次读取的策略") }
            var cleared = false
            if failure != pollFailure {
                if let old = pollFailure, state.message?.text == old { state.message = nil }
                pollFailure = failure
                if let failure { state.message = StatusMessage(text: failure, kind: .error) }
                cleared = true
            }
            guard changed else { return cleared }
            rebuildView()
            clampCursors()  // another's action may have shortened the list shown (a request decided elsewhere)
            if state.context == .approvals, let underCursor, !pendingRequests.contains(where: { $0.id == underCursor }) {
                state.approvalGone = underCursor
            }
            // The cursor follows its customer through the change; where it could not (the row is
            // gone), another customer is under it now.
            if let listed, selectedCustomer != listed { state.customerGone = listed }
            return true
        } catch {
            let text = errorText(error)
            pollFailure = text
            state.message = StatusMessage(text: text, kind: .error)
            return true
        }
    }

    /// The queue ordered by priority again (`s`; see `BookView.rankQueue`).
    func rankQueue() {
        view.rankQueue()
        queueGeneration &+= 1
    }

    /// The clock's day passed the one a live session is on (left open past midnight): today's
    /// queue, claims and dates from now on, as a fresh open would have them, and said so. A look
    /// back at a past day stays where it is. True when the day turned.
    public func clockTurned(to day: Day) -> Bool {
        guard day > desk.today, asOf == desk.today, desk.readOnlyReason == nil else { return false }
        desk.turn(to: day)
        asOf = day
        rebuildView(fully: true)
        clampCursors()
        say(text("It is \(day.iso) now: the queue, claims and the dates of what you record are the new day's",
                 "现在是 \(day.iso)：待办、认领和录入的日期都按新的一天"))
        return true
    }

    /// `fully`: every view made anew (a new day), whatever the book says changed.
    func rebuildView(fully: Bool = false) {
        // The queue's cursor indexes the queue as shown (narrowed by a filter or a search).
        let queueCustomer = visibleQueue.indices.contains(state.queueCursor) ? visibleQueue[state.queueCursor].customer : nil
        // The request and the customer under the approvals and review cursors, as last listed:
        // a change elsewhere re-sorts those lists, and a y must not land on another request.
        let approvalID = requestUnderCursor
        noteListedCustomers()
        let changes = desk.takeChanges()
        if fully || changes.everything || changes.customers.count > 2_000 {
            view = BookView(desk: desk, asOf: asOf)
            // Computed again when next asked for: the figures too, which a changed policy (its
            // buckets and rates) or a new day moves without a record of the book's.
            (signalsWork, portfolioWork, dashboardCache) = (nil, nil, nil)
        } else {
            view.update(for: changes.customers, desk: desk)
            updateSignals(of: changes.customers)
        }
        viewGeneration &+= 1
        queueGeneration &+= 1
        if let queueCustomer, let index = visibleQueue.firstIndex(where: { $0.customer == queueCustomer }) { state.queueCursor = index }
        state.queueCursor = max(0, min(state.queueCursor, visibleQueue.count - 1))
        if let approvalID, let index = pendingRequests.firstIndex(where: { $0.id == approvalID }) { state.approvalCursor = index }
    }

    /// Notes the customers under the customers panel's and the review's cursors, as last listed,
    /// for each to find again when next listed (`customerToFind`, `reviewCustomerToFind`): unless
    /// one waits to be found already (the panel was not listed since).
    func noteListedCustomers() {
        if customerToFind == nil, let shown = rowsCache?.rows, shown.indices.contains(state.customerCursor) {
            customerToFind = shown[state.customerCursor].id
        }
        if reviewCustomerToFind == nil, let shown = reviewCache?.rows, shown.indices.contains(state.reviewCursor) {
            reviewCustomerToFind = shown[state.reviewCursor].id
        }
    }

    /// Handles one key. Returns false when the user asked to quit.
    public func handle(_ key: Key) -> Bool {
        // A key pressed at a screen that shows nothing must not act on what it would have shown
        // (a y approving the request it hid): only a resize, or q outside a form, to quit.
        if screenTooSmall {
            if keymap.action(for: key, in: state.context) == .quit, state.form == nil, state.commandLine == nil, !state.searching { return false }
            return true
        }
        // A window resized is no key pressed: it closes nothing and cancels no question asked.
        if case .resize = key, state.form == nil { return true }
        // Esc with a character at once: ardesk has no Alt keys, so over a slow link it is Esc and
        // the key typed next (`:` after closing the help), both acted on; but in a form, the
        // search or the command line nothing (not Esc cancelling what was typed, then that key).
        if case .alt(let character) = key {
            guard state.form == nil, state.commandLine == nil, !state.searching else { return true }
            // What holds back the next key (a request or customer gone from under the cursor)
            // holds back the character, not the Esc before it.
            let (approvalGone, customerGone) = (state.approvalGone, state.customerGone)
            guard handle(.escape) else { return false }
            (state.approvalGone, state.customerGone) = (approvalGone, customerGone)
            return handle(.char(character))
        }
        let reaction: Reaction
        // Only the very next key can confirm a write-off or a limit removal (see `armedApproval`).
        let armedApproval = state.armedApproval
        state.armedApproval = nil
        let armedUndo = state.armedUndo
        state.armedUndo = nil
        if armedApproval != nil { state.message = nil }  // its question goes with it, whatever the key
        // Only the very next key is held back by a request gone from under the cursor.
        let approvalGone = state.approvalGone
        state.approvalGone = nil
        let customerGone = state.customerGone
        state.customerGone = nil
        let hadForm = state.form != nil
        if hadForm {
            reaction = handleFormKey(key)
        } else if state.overlay != nil, state.dunningRunAsked, key == .char("y") {
            state.overlay = nil
            reaction = dunning(run: true, confirmed: true)
        } else if let overlay = state.overlay, let step = scrollStep(key) {
            // A long text scrolls with the movement keys; any other key closes it.
            state.overlayScroll = max(0, min(overlay.lines.count - 1, state.overlayScroll + step))
            reaction = .redraw
        } else if state.showHelp, lastHelpLines > 0, let step = scrollStep(key) {
            // A help too long for the screen scrolls as a long text does.
            state.helpScroll = max(0, min(lastHelpLines - 1, state.helpScroll + step))
            reaction = .redraw
        } else if state.showHelp, !state.helpWhole, lastHelpLeftOut, let step = scrollStep(key), step > 0 {
            // What the columns left out, at the end of the help in one scrolling column.
            state.helpWhole = true
            state.helpScroll = 1_000_000
            reaction = .redraw
        } else if state.showHelp || state.overlay != nil {
            state.showHelp = false
            state.overlay = nil
            // The dunning preview ends "type :dunning run": its colon starts that line, not a
            // keystroke lost in closing (the rest would fire as panel keys).
            if key == .char(":") { state.commandLine = "" }
            reaction = .redraw
        } else if state.commandLine != nil {
            reaction = handleCommandLineKey(key)
        } else if state.searching {
            reaction = handleSearchKey(key)
        } else if let action = keymap.action(for: key, in: state.context) {
            reaction = perform(action, armedApproval: armedApproval, approvalGone: approvalGone, customerGone: customerGone, armedUndo: armedUndo)
        } else if case .char(let c) = key, !c.isWhitespace {
            // A letter that means something in another panel (x in the customers list) is told
            // so, rather than seeming to be ignored.
            say(text("\(c) does nothing in this panel; ? lists its keys", "\(c) 在此面板无作用；按 ? 查看按键"), error: true)
            reaction = .redraw
        } else if key == .ctrl("c") {  // what a shell's user presses to leave: said what does
            say(text("Ctrl-C does not quit here: q quits (everything saved stays saved); Esc cancels a form",
                     "Ctrl-C 不会退出：按 q 退出（已保存的内容不会丢失）；Esc 取消表单"))
            reaction = .redraw
        } else if key == .ctrl("z") {  // suspending would leave a login over SSH with no shell to come back to
            say(text("Ctrl-Z does not suspend ardesk: q quits (everything saved stays saved)",
                     "Ctrl-Z 不会挂起 ardesk：按 q 退出（已保存的内容不会丢失）"))
            reaction = .redraw
        } else {
            reaction = .none
        }
        if state.form != nil && !hadForm { state.form?.openedAt = desk.book.lastSequence }
        return apply(reaction)
    }

    func apply(_ reaction: Reaction) -> Bool {
        switch reaction {
        case .none, .redraw: return true
        case .quit: return false
        case .perform(let command, let success):
            let selected = selectedCustomer
            let noteBefore = desk.recoveryNote
            do {
                let records = try desk.perform(command)
                if case .undoLast = command { state.lastSaved = nil } else {
                    state.lastSaved = records.last?.sequence
                    if let last = records.last?.sequence { state.savedHere.insert(last) }
                }
                rebuildView()
                state.form = nil
                var moved = ""
                if case .assign(let customers, let collector, _) = command {
                    state.marked = []  // the marks were for this
                    // Those already with that collector are left as they are: said, not counted.
                    let already = Set(customers).count - records.count
                    if already > 0 {
                        moved = text(" · \(records.count) moved, \(already) already with \(collector.map(person) ?? "no collector")",
                                     " · 已分配 \(records.count) 位，\(already) 位原本即属 \(collector.map(person) ?? "未分配")")
                    }
                }
                follow(selected)
                clampCursors()
                var sequence = records.last.map { " (#\($0.sequence))" } ?? ""
                // Payments the action moved in date order (a credit taken back, a back-dated
                // document): said, as the command line says them, not left for the ledger to show.
                sequence += movedPayments(desk.paymentsMoved(by: records))
                // A statement written: where to find it, its HTML copy beside it.
                if case .writeStatement(let customer, _) = command, case .documentSent(_, let file)? = desk.book.timeline(of: customer).last?.kind {
                    sequence += " → " + file + (file.hasSuffix(".md") ? text(" (and .html)", "（及 .html）") : "")
                }
                // An unfinished record another process left at the log's end, set aside by this
                // append: said, or nobody would know to look for what it held.
                if let note = desk.recoveryNote, note != noteBefore {
                    state.message = StatusMessage(text: success + moved + sequence + " · " + note, kind: .error)
                } else {
                    state.message = StatusMessage(text: success + moved + sequence, kind: .info)
                }
            } catch {
                state.message = StatusMessage(text: errorText(error), kind: .error)
            }
            return true
        }
    }

    /// Lines a movement key of the keymap scrolls a text by (nil for any other key).
    func scrollStep(_ key: Key) -> Int? {
        switch keymap.action(for: key, in: state.context) {
        case .moveDown?: return 1
        case .moveUp?: return -1
        case .pageDown?: return lastTextPage
        case .pageUp?: return -lastTextPage
        case .top?: return -1_000_000
        case .bottom?: return 1_000_000
        default: return nil
        }
    }

    /// An error as the status line shows it: in Chinese in a Chinese workstation, where the
    /// sentence has been written in Chinese.
    func errorText(_ error: Error) -> String {
        let said: String
        if let error = error as? DeskError { said = error.text(chinese: language == .zh) }
        else if let error = error as? BookError { said = language == .zh ? error.chinese : error.description }
        else { said = "\(error)" }
        // A sentence on the status line starts with a capital, as the screen's own do (a refusal
        // from below starts in lower case, as the command line's errors after "ardesk: ").
        guard let first = said.first, first.isLowercase, first.isASCII else { return said }
        return first.uppercased() + said.dropFirst()
    }

    func say(_ text: String, error: Bool = false) {
        state.message = StatusMessage(text: text, kind: error ? .error : .info)
    }

    func text(_ en: String, _ zh: String) -> String { language == .zh ? zh : en }
}
