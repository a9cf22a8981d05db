import Core
import Desk

/// A small modal form (log a call, promise, plan, ...). It edits its fields as keys arrive and,
/// once every field is valid, builds the one `Command` it stands for.
struct Form: Sendable {
    let title: String
    let customer: CustomerID
    var fields: [Field]
    var focus = 0
    /// A note shown under the fields (e.g. the plan's instalments as they would be saved).
    var preview: @Sendable (Form, Day, Currency) -> [String] = { _, _, _ in [] }
    /// What to make sure of before saving (a limit of zero removes the limit): said at the first
    /// Enter, saved at the second.
    var confirm: @Sendable (Form, Day, Currency) -> String? = { _, _, _ in nil }
    /// Why the form no longer fits the book (what it edits was changed meanwhile, by another
    /// user): said at Enter, and nothing saved, rather than writing over that change unseen.
    var stale: @Sendable (Book, Language) -> String? = { _, _ in nil }
    /// The warning the user has seen and confirmed with a second Enter.
    var warned: String?
    /// The book's last record when the form was filled in: a change to its customer after it
    /// (another user's callback, promise or limit) is said at Enter before anything is saved.
    var openedAt: UInt64 = 0
    /// What the form is about, after its title; nil, the customer's id and name.
    var subject: String?
    /// Called when a choice changes: the fields after it take what the new choice stands for
    /// (the contact person picked to edit).
    var choiceChanged: (@Sendable (inout Form) -> Void)?
    /// What was typed in the fields after a choice, for each option left for another (the contact
    /// people edited one after the other), by the option's index; and the option shown now.
    var drafts: [Int: [String: String]] = [:]
    var shownChoice = 0
    let build: @Sendable (Form, Day, Currency) throws -> Command

    init(title: String, customer: CustomerID, fields: [Field],
         build: @escaping @Sendable (Form, Day, Currency) throws -> Command) {
        self.title = title; self.customer = customer; self.fields = fields; self.build = build
    }

    subscript(key: String) -> Field {
        fields.first { $0.key == key }!
    }

    func text(_ key: String) -> String { self[key].text.trimmingCharacters(in: .whitespaces) }

    func amount(_ key: String, _ currency: Currency) -> Money? { currency.parse(self[key].text) }

    /// The whole number in field `key` (see `Field.wholeNumber`).
    func number(_ key: String) -> Int? { self[key].wholeNumber }

    func day(_ key: String, _ today: Day) -> Day? { RelativeDay.parse(self[key].text, today: today, looking: self[key].looking) }

    func problems(today: Day, currency: Currency, language: Language) -> [(field: String, problem: String)] {
        fields.compactMap { field in
            field.problem(today: today, currency: currency, language: language).map { (field.label, $0) }
        }
    }

    /// Where the form's choice is (the contact person picked), whose options `drafts` are kept for.
    private var chooser: Int? { fields.firstIndex { if case .choice = $0.kind { true } else { false } } }

    /// The first problem in what was typed for an option left for another (`drafts`, the contact
    /// people edited before the one shown): that option's index and label, the field's index, and
    /// the problem. Checked at Enter with the fields shown, since all are saved together.
    func draftProblem(today: Day, currency: Currency, language: Language) -> (choice: Int, label: String, focus: Int, problem: String)? {
        guard let chooser, case .choice(let options) = fields[chooser].kind else { return nil }
        for choice in drafts.keys.sorted() where choice != shownChoice && options.indices.contains(choice) {
            for (index, field) in fields.enumerated() {
                guard let typed = drafts[choice]?[field.key] else { continue }
                var draft = field
                draft.text = typed
                if let problem = draft.problem(today: today, currency: currency, language: language) {
                    return (choice, options[choice].label, index, field.label + (language == .zh ? "：" : ": ") + problem)
                }
            }
        }
        return nil
    }

    /// Shows option `choice` of the form's choice, as picking it does (what was typed for it comes back).
    mutating func show(choice: Int) {
        guard let chooser, fields[chooser].choiceIndex != choice else { return }
        fields[chooser].choiceIndex = choice
        choiceChanged?(&self)
    }

    /// Whether the focused field is a list to tick.
    var focusesPicks: Bool { if case .picks = fields[focus].kind { true } else { false } }

    /// Moves the focused list-to-tick's cursor `step` along it, to its first or last at most
    /// (Home, End and the page keys).
    mutating func movePickCursor(by step: Int) {
        guard case .picks(let options) = fields[focus].kind, !options.isEmpty else { return }
        fields[focus].pickCursor = max(0, min(options.count - 1, fields[focus].pickCursor + step))
    }

    /// Whether the focused field is a list to tick whose cursor can move `step` along it.
    func pickCursorCanMove(by step: Int) -> Bool {
        guard case .picks(let options) = fields[focus].kind else { return false }
        return options.indices.contains(fields[focus].pickCursor + step)
    }

    enum Edit { case type(String), backspace, deleteForward, next, previous, left, right, home, end, toggle, clear, clearToStart, deleteWord }

    mutating func apply(_ edit: Edit) {
        switch edit {
        case .next: focus = (focus + 1) % fields.count
        case .previous: focus = (focus + fields.count - 1) % fields.count
        case .type(let text):
            if case .picks = fields[focus].kind { return }
            if case .choice(let options) = fields[focus].kind {
                // Typing the first letter of an option selects it.
                if let index = options.firstIndex(where: { $0.label.lowercased().hasPrefix(text.lowercased()) || $0.value.hasPrefix(text.lowercased()) }),
                   index != fields[focus].choiceIndex {
                    fields[focus].choiceIndex = index
                    choiceChanged?(&self)
                }
                return
            }
            // Lines pasted from an email become one line: their breaks are spaces, not glue.
            var typed = text.replacingOccurrences(of: "\r\n", with: " ")
                .map { $0.isNewline || $0 == "\t" ? " " : $0 }.map(String.init).joined()
            if case .text = fields[focus].kind {} else { typed = Field.halfWidth(typed) }
            insert(typed)
        case .backspace:
            let caret = fields[focus].caret
            if caret > 0 { remove(caret - 1..<caret) }
        case .deleteForward:
            let caret = fields[focus].caret
            if caret < fields[focus].text.count { remove(caret..<caret + 1) }
        case .clear: fields[focus].text = ""; fields[focus].cursor = nil
        case .clearToStart: remove(0..<fields[focus].caret)
        case .deleteWord:
            let caret = fields[focus].caret
            remove(LineEditing.wordStart(in: Array(fields[focus].text), before: caret)..<caret)
        case .home: fields[focus].cursor = 0
        case .end: fields[focus].cursor = nil
        case .left, .right:
            let step = edit == .left ? -1 : 1
            switch fields[focus].kind {
            case .choice(let options):
                fields[focus].choiceIndex = (fields[focus].choiceIndex + step + options.count) % options.count
                choiceChanged?(&self)
            case .picks(let options) where !options.isEmpty:
                fields[focus].pickCursor = max(0, min(options.count - 1, fields[focus].pickCursor + step))
            case .picks:
                break
            default:
                let moved = max(0, min(fields[focus].text.count, fields[focus].caret + step))
                fields[focus].cursor = moved == fields[focus].text.count ? nil : moved
            }
        case .toggle:
            if case .picks = fields[focus].kind {
                let cursor = fields[focus].pickCursor
                if fields[focus].picked.contains(cursor) { fields[focus].picked.remove(cursor) } else { fields[focus].picked.insert(cursor) }
            } else {
                insert(" ")
            }
        }
    }

    /// Puts `typed` at the focused field's caret, and the caret after it.
    private mutating func insert(_ typed: String) {
        guard !typed.isEmpty else { return }
        var characters = Array(fields[focus].text)
        let caret = fields[focus].caret
        characters.insert(contentsOf: typed, at: caret)
        fields[focus].text = String(characters)
        // Counted as the text now reads: a combining mark typed joins the character before it
        // (and adds none), so `caret + typed.count` would leap past the next character.
        let through = String(characters[..<(caret + typed.count)]).count
        if fields[focus].cursor != nil { fields[focus].cursor = min(through, fields[focus].text.count) }
    }

    /// Removes characters `range` of the focused field, the caret staying where they were.
    private mutating func remove(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        var characters = Array(fields[focus].text)
        characters.removeSubrange(range)
        fields[focus].text = String(characters)
        if fields[focus].cursor != nil { fields[focus].cursor = range.lowerBound == characters.count ? nil : range.lowerBound }
    }
}

extension Form.Edit: Equatable {}
