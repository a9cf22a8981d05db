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

    func day(_ key: String, _ today: Day) -> Day? { RelativeDay.parse(self[key].text, today: today) }

    func problems(today: Day, currency: Currency, language: Language) -> [(field: String, problem: String)] {
        fields.compactMap { field in
            field.problem(today: today, currency: currency, language: language).map { (field.label, $0) }
        }
    }

    enum Edit { case type(String), backspace, next, previous, left, right, toggle, clear }

    mutating func apply(_ edit: Edit) {
        switch edit {
        case .next: focus = (focus + 1) % fields.count
        case .previous: focus = (focus + fields.count - 1) % fields.count
        case .type(let text):
            if case .picks = fields[focus].kind { return }
            if case .choice(let options) = fields[focus].kind {
                // Typing the first letter of an option selects it.
                if let index = options.firstIndex(where: { $0.label.lowercased().hasPrefix(text.lowercased()) || $0.value.hasPrefix(text.lowercased()) }) {
                    fields[focus].choiceIndex = index
                }
                return
            }
            fields[focus].text += text.filter { $0 != "\n" && $0 != "\r" && $0 != "\t" }
        case .backspace:
            if !fields[focus].text.isEmpty { fields[focus].text.removeLast() }
        case .clear: fields[focus].text = ""
        case .left, .right:
            let step = edit == .left ? -1 : 1
            switch fields[focus].kind {
            case .choice(let options):
                fields[focus].choiceIndex = (fields[focus].choiceIndex + step + options.count) % options.count
            case .picks(let options) where !options.isEmpty:
                fields[focus].pickCursor = max(0, min(options.count - 1, fields[focus].pickCursor + step))
            default: break
            }
        case .toggle:
            if case .picks = fields[focus].kind {
                let cursor = fields[focus].pickCursor
                if fields[focus].picked.contains(cursor) { fields[focus].picked.remove(cursor) } else { fields[focus].picked.insert(cursor) }
            } else {
                fields[focus].text += " "
            }
        }
    }
}

extension Form.Edit: Equatable {}
