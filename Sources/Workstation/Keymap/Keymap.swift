import Terminal

/// Where the user is; each context has its own bindings (plus the global ones).
enum Context: String, CaseIterable, Sendable {
    case queue, customers, ledger, approvals, review, dashboard
}

/// One key bound to one action, with the label the help overlay and status bar show.
struct Binding: Sendable {
    let keys: [Key]
    let label: String
    let action: Action
    let contexts: Set<Context>
    /// Shown in the one-line status bar (the rest only in the help overlay).
    let inStatusBar: Bool
    /// The help overlay's name for the keys, when it says more than the status bar's `label`.
    var helpLabel: String? = nil
}

/// The single table the dispatcher, the help overlay and the status bar all read.
struct Keymap: Sendable {
    let bindings: [Binding]

    static let all: Set<Context> = Set(Context.allCases)
    static let lists: Set<Context> = [.queue, .customers, .review]
    static let customerContexts: Set<Context> = [.queue, .customers, .ledger, .review]

    static let standard = Keymap(bindings: [
        Binding(keys: [.up, .char("k")], label: "↑/k", action: .moveUp, contexts: all, inStatusBar: false),
        Binding(keys: [.down, .char("j")], label: "↓/j", action: .moveDown, contexts: all, inStatusBar: false),
        Binding(keys: [.pageUp], label: "PgUp", action: .pageUp, contexts: all, inStatusBar: false),
        Binding(keys: [.pageDown], label: "PgDn", action: .pageDown, contexts: all, inStatusBar: false),
        Binding(keys: [.char("g"), .home], label: "g/Home", action: .top, contexts: all, inStatusBar: false),
        Binding(keys: [.char("G"), .end], label: "G/End", action: .bottom, contexts: all, inStatusBar: false),
        Binding(keys: [.enter], label: "Enter", action: .open, contexts: lists, inStatusBar: true),
        Binding(keys: [.escape], label: "Esc", action: .back, contexts: [.ledger, .approvals, .dashboard], inStatusBar: true),
        Binding(keys: [.enter, .char("v")], label: "Enter/v", action: .readActivity, contexts: [.ledger], inStatusBar: false),
        Binding(keys: [.enter, .char("v")], label: "Enter/v", action: .readRequest, contexts: [.approvals], inStatusBar: false),
        Binding(keys: [.escape], label: "Esc", action: .clearSearch, contexts: lists, inStatusBar: false),
        Binding(keys: [.tab], label: "Tab", action: .nextPanel, contexts: all, inStatusBar: true),
        Binding(keys: [.backTab], label: "S-Tab", action: .previousPanel, contexts: all, inStatusBar: false),
        Binding(keys: [.char("/")], label: "/", action: .search, contexts: lists.union([.ledger]), inStatusBar: true),
        Binding(keys: [.char("c")], label: "c", action: .logCall, contexts: customerContexts, inStatusBar: true),
        Binding(keys: [.char("p")], label: "p", action: .promise, contexts: customerContexts, inStatusBar: true),
        Binding(keys: [.char("P")], label: "P", action: .plan, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("b")], label: "b", action: .callback, contexts: customerContexts, inStatusBar: true),
        Binding(keys: [.char("n")], label: "n", action: .note, contexts: customerContexts, inStatusBar: true),
        Binding(keys: [.char("d")], label: "d", action: .dispute, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("D")], label: "D", action: .resolveDispute, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("e")], label: "e", action: .editContact, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("L")], label: "L", action: .letterSent, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("S")], label: "S", action: .statementSent, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char(" ")], label: "Space", action: .claim, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("x")], label: "x", action: .nextItem, contexts: [.queue, .ledger], inStatusBar: true),
        Binding(keys: [.char("u")], label: "u", action: .undo, contexts: all, inStatusBar: true),
        Binding(keys: [.char("r")], label: "r", action: .request, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("$")], label: "$", action: .changeLimit, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("H")], label: "H", action: .toggleHold, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("T")], label: "T", action: .setTerms, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("A")], label: "A", action: .assign, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("W")], label: "W", action: .writeOff, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("I")], label: "I", action: .reinstateWriteOff, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("R")], label: "R", action: .reversePayment, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("C")], label: "C", action: .applyCredit, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("U")], label: "U", action: .unapplyCredit, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("K")], label: "K", action: .setStatus, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("V")], label: "V", action: .setReview, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("y")], label: "y", action: .approve, contexts: [.approvals], inStatusBar: true),
        Binding(keys: [.char("N")], label: "N", action: .reject, contexts: [.approvals], inStatusBar: true),
        Binding(keys: [.char("5")], label: "5", action: .scorecard, contexts: customerContexts, inStatusBar: false),
        Binding(keys: [.char("s")], label: "s", action: .rankQueue, contexts: [.queue], inStatusBar: false),
        Binding(keys: [.char("s")], label: "s", action: .cycleSort, contexts: [.customers, .review], inStatusBar: false),
        Binding(keys: [.char("f")], label: "f", action: .cycleFilter, contexts: [.customers, .review], inStatusBar: false),
        Binding(keys: [.char("m")], label: "m", action: .mark, contexts: [.customers, .review], inStatusBar: false),
        Binding(keys: [.char("o")], label: "o", action: .toggleCollector, contexts: lists, inStatusBar: false),
        Binding(keys: [.char(":")], label: ":", action: .commandLine, contexts: all, inStatusBar: false),
        Binding(keys: [.char("?"), .function(1)], label: "?/F1", action: .help, contexts: all, inStatusBar: true),
        Binding(keys: [.char("q"), .function(10)], label: "q", action: .quit, contexts: all, inStatusBar: true, helpLabel: "q/F10"),
    ])

    func action(for key: Key, in context: Context) -> Action? {
        bindings.first { $0.contexts.contains(context) && $0.keys.contains(key) }?.action
    }

    func bindings(in context: Context) -> [Binding] { bindings.filter { $0.contexts.contains(context) } }

    /// The keys that work here, for the status bar, e.g. "Enter open  c call  p promise".
    /// `viewOnly`: the selected customer is another collector's, so its work keys are left out.
    func statusHints(in context: Context, language: Language, readOnly: Bool, viewOnly: Bool) -> [(key: String, label: String)] {
        bindings(in: context).filter { $0.inStatusBar && !(readOnly && $0.action.writes) && !(viewOnly && $0.action.worksOnCustomer) }.map {
            ($0.label, language.pick($0.action.shortLabel))
        }
    }
}

extension Action {
    /// A one-word label for the status bar.
    var shortLabel: (en: String, zh: String) {
        switch self {
        case .open: return ("open", "打开")
        case .back: return ("back", "返回")
        case .nextPanel: return ("panel", "面板")
        case .search: return ("search", "搜索")
        case .logCall: return ("call", "通话")
        case .promise: return ("promise", "承诺")
        case .callback: return ("callback", "回访")
        case .note: return ("note", "备注")
        case .nextItem: return ("done+next", "完成")
        case .undo: return ("undo", "撤销")
        case .help: return ("help", "帮助")
        case .approve: return ("approve", "批准")
        case .reject: return ("reject", "驳回")
        case .quit: return ("quit", "退出")
        default: return help
        }
    }
}
