import Core
import Terminal

/// Everything about the screen that is not the book: where the user is and what they are doing.
struct UIState: Sendable {
    var context: Context = .queue
    /// Where Esc from the ledger returns to.
    var listContext: Context = .queue
    var queueCursor = 0
    var approvalCursor = 0
    /// A write-off or limit-removal request `y` was pressed on once: money leaves the books, or a
    /// customer's credit its bound, only on a second `y` (any other key keeps it waiting).
    /// With the question that first `y` asked (where the write-off goes): a second `y` approves
    /// that, not what the book has come to say since (a payment meanwhile moves a write-off elsewhere).
    var armedApproval: ArmedApproval?

    struct ArmedApproval: Sendable {
        var id: String
        var question: String
    }
    /// The last record of an action on another customer than the one selected that `u` was
    /// pressed for once: undone on a second `u` (any other key forgets it).
    var armedUndo: UInt64?
    /// The last record of the action this session saved last (nil once undone): `u` right after
    /// it undoes it at once, wherever the cursor went since (x moves it on).
    var lastSaved: UInt64?
    /// The last record of every action this session saved: u asks first before undoing any other.
    var savedHere: Set<UInt64> = []
    /// The request that was under the approvals cursor until another user's change took it
    /// from the list: the next y or N only says so, since the row under the cursor is one the
    /// manager has not looked at.
    var approvalGone: String?
    /// The same for the customer under a list's cursor (the queue, customers, review): taken
    /// from the list by another user's change (claimed, paid, reassigned), so the next key that
    /// acts on a customer would act on one the user has not looked at.
    var customerGone: CustomerID?
    var reviewCursor = 0
    var reviewSort: ReviewSort = .risk
    var reviewFilter: ReviewFilter = .all
    /// Customers marked (m) for an action on several at once (assigning a collector).
    var marked: Set<CustomerID> = []
    var customerCursor = 0
    var ledgerScroll = 0
    /// A document `:goto` found the customer by: the ledger scrolls to its line once, and marks
    /// it while that customer's ledger shows (`ledgerMarked`).
    var ledgerFind: String?
    var ledgerMarked: (customer: CustomerID, document: String)?
    /// The dashboard's first line shown (it is longer than a small terminal).
    var dashboardScroll = 0
    /// The customer the ledger shows (the selected row's, unless opened explicitly).
    var ledgerCustomer: CustomerID?
    var search = ""
    var searching = false
    var sort: CustomerSort = .pastDue
    var filter: CustomerFilter = .all
    /// A manager's queue filter by collector; nil shows everyone's, `UIState.unassigned` the
    /// customers of no collector (anyone's to call).
    var collectorFilter: String?
    static let unassigned = ""

    /// Whether a customer of `collector` (nil: none) is in the lists filtered to `filter`.
    static func collector(_ collector: String?, passes filter: String?) -> Bool {
        filter.map { (collector ?? unassigned) == $0 } ?? true
    }
    var form: Form?
    var showHelp = false { didSet { helpScroll = 0; helpWhole = false } }
    /// The help in one scrolling column with everything (the command line's and forms' keys a
    /// short screen's columns leave out): ↓ pressed in the help.
    var helpWhole = false
    /// The first line of a help shown in one scrolling column (see `lastHelpLines`).
    var helpScroll = 0
    /// A read-only page of text (a dunning preview); any key but the movement keys closes it.
    var overlay: Overlay? { didSet { overlayScroll = 0; dunningRunAsked = false } }
    /// The overlay shown is what `:dunning run` would do today, asking y to do it: a run writes
    /// letters and moves levels for the whole book, and nothing takes it back.
    var dunningRunAsked = false
    /// The first line of the overlay shown: a long one (a dunning preview) scrolls.
    var overlayScroll = 0
    var commandLine: String?
    var message: StatusMessage?
}

/// A read-only page of text over the panels: a dunning preview, a customer's activity in full.
struct Overlay: Sendable {
    let title: String
    /// Lines that stay at the top while the others scroll (a table's column names).
    let header: [String]
    let lines: [String]
    /// The widest line's display width, measured once: a preview can run to thousands of lines
    /// and every scrolling key redraws it.
    let widest: Int

    init(title: String, header: [String] = [], lines: [String]) {
        self.title = title; self.header = header; self.lines = lines
        widest = (header + lines).map(DisplayWidth.of).max() ?? 0
    }
}

struct StatusMessage: Sendable, Equatable {
    enum Kind: Sendable { case info, error }
    var text: String
    var kind: Kind
}

/// A choice the command line takes by name (`:sort`, `:filter`).
protocol NamedChoice: CaseIterable, RawRepresentable where RawValue == String {
    func label(_ language: Language) -> String
}

enum CustomerSort: String, CaseIterable, Sendable, NamedChoice {
    case balance, pastDue, utilisation, grade, abc, lastContact, collector, name

    func label(_ language: Language) -> String {
        let pair: (en: String, zh: String) = switch self {
        case .balance: ("balance", "余额")
        case .pastDue: ("past due", "逾期")
        case .utilisation: ("utilisation", "额度占用")
        case .grade: ("grade", "等级")
        case .abc: ("ABC class", "ABC分类")
        case .lastContact: ("last contact", "最近联系")
        case .collector: ("collector", "催收员")
        case .name: ("name", "名称")
        }
        return language.pick(pair)
    }
}

enum CustomerFilter: String, CaseIterable, Sendable, NamedChoice {
    case all, mine, overLimit, onHold, brokenPromises, disputed

    func label(_ language: Language) -> String {
        let pair: (en: String, zh: String) = switch self {
        case .all: ("all", "全部")
        case .mine: ("mine", "我的")
        case .overLimit: ("over limit", "超额度")
        case .onHold: ("on hold", "冻结")
        case .brokenPromises: ("broken promises", "承诺违约")
        case .disputed: ("disputed", "有争议")
        }
        return language.pick(pair)
    }
}

extension CaseIterable where Self: Equatable, AllCases.Index == Int {
    var next: Self {
        let all = Self.allCases
        let index = all.firstIndex(of: self)!
        return all[(index + 1) % all.count]
    }
}

enum ReviewSort: String, CaseIterable, Sendable, NamedChoice {
    case risk, pastDue, utilisation, grade, abc, reviewDate

    func label(_ language: Language) -> String {
        let pair: (en: String, zh: String) = switch self {
        case .risk: ("risk signals", "风险信号")
        case .pastDue: ("past due", "逾期")
        case .utilisation: ("utilisation", "额度占用")
        case .grade: ("grade", "等级")
        case .abc: ("ABC class", "ABC分类")
        case .reviewDate: ("review date", "审核日期")
        }
        return language.pick(pair)
    }
}

/// What the credit review list shows: everyone worth a look, or one kind of concern.
enum ReviewFilter: String, CaseIterable, Sendable, NamedChoice {
    case all, overLimit, onHold, holdAdvised, reviewDue, slowingPayment, brokenPromises, risingUtilisation, newDisputes, contactRefused, paymentReversed

    var signal: RiskSignal.Kind? {
        switch self {
        case .slowingPayment: return .slowingPayment
        case .brokenPromises: return .brokenPromises
        case .risingUtilisation: return .risingUtilisation
        case .newDisputes: return .newDisputes
        case .contactRefused: return .contactRefused
        case .paymentReversed: return .paymentReversed
        default: return nil
        }
    }

    func label(_ language: Language) -> String {
        if let signal { return signal.label(language) }
        let pair: (en: String, zh: String) = switch self {
        case .overLimit: ("over limit", "超额度")
        case .onHold: ("on hold", "冻结")
        case .holdAdvised: ("hold advised", "建议冻结")
        case .reviewDue: ("review due", "待审核")
        default: ("all for review", "全部待审")  // signals, over limit, on hold, hold advised or review due: not every customer
        }
        return language.pick(pair)
    }
}

extension RiskSignal.Kind {
    /// The signal's name in the screen's language.
    func label(_ language: Language) -> String {
        let pair: (en: String, zh: String) = switch self {
        case .slowingPayment: (rawValue, "付款变慢")
        case .brokenPromises: (rawValue, "承诺违约")
        case .risingUtilisation: (rawValue, "额度占用上升")
        case .newDisputes: (rawValue, "新争议")
        case .contactRefused: (rawValue, "拒绝沟通")
        case .paymentReversed: (rawValue, "回款被退")  // returned unpaid, as the queue says it (not a correction)
        }
        return language.pick(pair)
    }
}
