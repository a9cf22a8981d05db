/// Every named request the workstation understands. Keys map to actions through `Keymap`; the help
/// overlay and the status bar are generated from the same table, so they cannot drift apart.
public enum Action: String, CaseIterable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case open, back, nextPanel, previousPanel, search, help, commandLine, quit
    case logCall, promise, plan, callback, note, dispute, resolveDispute, editContact, undo, claim, nextItem
    case letterSent, statementSent, cycleSort, cycleFilter, toggleCollector
    case request, changeLimit, toggleHold, setTerms, assign, writeOff, reinstateWriteOff, reversePayment, applyCredit, unapplyCredit, setStatus, setReview
    case approve, reject, scorecard, mark, readActivity, readRequest, clearSearch, rankQueue

    /// What the action does, in the help overlay (English, Chinese).
    var help: (en: String, zh: String) {
        switch self {
        case .moveUp: return ("move up", "上移")
        case .moveDown: return ("move down", "下移")
        case .pageUp: return ("page up", "上一页")
        case .pageDown: return ("page down", "下一页")
        case .top: return ("first row", "第一行")
        case .bottom: return ("last row", "最后一行")
        case .open: return ("open the customer's ledger", "打开客户账页")
        case .back: return ("go back / cancel", "返回 / 取消")
        case .nextPanel: return ("next panel", "切换面板")
        case .previousPanel: return ("previous panel", "上一个面板")
        case .search: return ("search by id or name", "按编号或名称搜索")
        case .help: return ("this help", "帮助")
        case .commandLine: return ("command line", "命令行")
        case .quit: return ("quit", "退出")
        case .logCall: return ("log a call", "记录通话")
        case .promise: return ("promise to pay", "承诺付款")
        case .plan: return ("payment plan", "分期付款")
        case .callback: return ("schedule a callback", "安排回访")
        case .note: return ("add a note", "添加备注")
        case .dispute: return ("dispute invoices", "登记争议")
        case .resolveDispute: return ("resolve a dispute", "解决争议")
        case .editContact: return ("contact people (change, add)", "联系人（修改、新增）")
        case .undo: return ("undo my last action", "撤销上一步")
        case .claim: return ("claim / release the customer", "认领 / 释放客户")
        case .nextItem: return ("mark worked, next item", "标记已处理并跳到下一项")
        case .letterSent: return ("record a letter sent", "记录已发催款函")
        case .statementSent: return ("statement: write or record", "对账单：生成或记录")
        case .cycleSort: return ("change the sort order", "切换排序")
        case .cycleFilter: return ("change the filter", "切换筛选")
        case .toggleCollector: return ("filter by collector", "按催收员筛选")
        case .request: return ("request a limit or write-off", "申请调整额度或核销")
        case .changeLimit: return ("change credit limit", "调整信用额度")
        case .toggleHold: return ("credit hold / release", "信用冻结 / 解除")
        case .setTerms: return ("set payment terms", "调整账期")
        case .assign: return ("assign collector", "分配催收员")
        case .writeOff: return ("write off", "坏账核销")
        case .reinstateWriteOff: return ("reinstate a write-off", "核销转回")
        case .reversePayment: return ("reverse a returned payment", "冲销被退回的回款")
        case .applyCredit: return ("apply credit to invoices", "以未冲抵回款或贷项冲抵发票")
        case .unapplyCredit: return ("take back credit applied", "撤回冲抵")
        case .setStatus: return ("legal, agency, status", "诉讼 / 外包 / 状态")
        case .setReview: return ("next review date", "下次审核日期")
        case .approve: return ("approve the request", "批准申请")
        case .scorecard: return ("5C scorecard grade", "5C 评分定级")
        case .mark: return ("mark / unmark to assign many", "标记 / 取消（批量分配）")
        case .readActivity: return ("read the activity in full", "查看完整催收记录")
        case .readRequest: return ("read the request in full", "查看申请全文")
        case .clearSearch: return ("clear the search", "清除搜索")
        case .reject: return ("reject, saying why", "驳回并说明原因")
        case .rankQueue: return ("re-rank by priority", "按优先级重排")
        }
    }

    /// Actions only a credit manager may take (a collector files a request instead); the help
    /// marks them, and mutes them for a collector.
    var managerOnly: Bool {
        switch self {
        case .changeLimit, .toggleHold, .setTerms, .assign, .writeOff, .reinstateWriteOff, .reversePayment, .applyCredit, .unapplyCredit,
             .setStatus, .setReview, .approve, .reject, .scorecard, .mark:
            return true
        default: return false
        }
    }

    /// Work on the selected customer: refused to a collector on another collector's customer
    /// (and left out of the status bar there).
    var worksOnCustomer: Bool {
        switch self {
        case .logCall, .promise, .plan, .callback, .note, .dispute, .resolveDispute, .editContact, .claim, .nextItem, .letterSent,
             .statementSent, .request, .changeLimit, .toggleHold, .setTerms, .assign, .writeOff, .reinstateWriteOff, .reversePayment,
             .applyCredit, .unapplyCredit, .setStatus, .setReview, .scorecard:
            return true
        default: return false
        }
    }

    /// Actions that write to the book; refused in a read-only (as-of) view.
    var writes: Bool { worksOnCustomer || self == .undo || self == .approve || self == .reject }
}
