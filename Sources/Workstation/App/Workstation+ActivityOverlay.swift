import Core
import Desk
import Terminal

extension Workstation {
    /// The ledger's customer's activity, latest first, every note and reason in full (the panel
    /// cuts each to one line), in an overlay that scrolls.
    func showActivityInFull() {
        guard let customer = state.ledgerCustomer else { return }
        let width = min(96, lastScreenCols - 8)  // the overlay's text width (see drawText)
        var lines: [String] = []
        for (activity, kind, detail) in activityLatestFirst(of: customer) {
            let undone = activity.undoneBy != nil ? text(" (undone)", "（已撤销）") : ""
            lines.append("\(StampText.label(activity.stamp))  \(person(activity.stamp.author))  \(kind)\(undone)  #\(activity.stamp.sequence)")
            if !detail.isEmpty { lines += DisplayWidth.wrap(detail, to: width - 4).map { "    " + $0 } }
            lines.append("")
        }
        let name = desk.book.customers[customer]?.name ?? ""
        state.overlay = Overlay(title: text("Activity of \(customer) \(name)", "\(customer) \(name) 的催收记录"),
                                lines: lines.isEmpty ? [text("No activity yet.", "暂无记录。")] : lines)
    }

    /// The selected request in full (its reason is cut in the list at 80 columns): who asks what
    /// for whom and why, and the customer as it stands.
    /// A user as the team knows them: their `[names]` entry in roles.toml (李娜), else the login.
    func person(_ login: String) -> String { desk.displayName(of: login) }

    func showRequestInFull() {
        let requests = pendingRequests
        guard requests.indices.contains(state.approvalCursor) else { return }
        let r = requests[state.approvalCursor]
        let width = min(96, lastScreenCols - 8)
        let format = Format(currency: desk.book.currency, language: language)
        let name = desk.book.customer(r.customer, asOf: asOf)?.name ?? ""
        let reason = r.reason.isEmpty ? "-" : ActivityText.generated(r.reason, chinese: language == .zh, levels: desk.policy.dunningLevels)
        var lines = ["\(r.customer) \(name) · \(person(r.requestedBy)) \(r.day.iso)", ""]
        // What is asked for first: the list's row, where it is cut short, is all that said it.
        let asked = ActivityText.requested(r.kind, currency: desk.book.currency, chinese: language == .zh)
        lines += DisplayWidth.wrap(text("asks for: ", "申请内容：") + asked, to: width)
        lines += DisplayWidth.wrap(text("why: ", "原因：") + reason, to: width)
        lines += [""] + DisplayWidth.wrap(approvalStanding(r, format: format), to: width)
        state.overlay = Overlay(title: text("Request \(r.id)", "申请 \(r.id)"), lines: lines)
    }

    /// The customer's activity recorded by the view's day, latest first, each in words: what the
    /// ledger panel lists a line each and this overlay in full.
    func activityLatestFirst(of customer: CustomerID) -> [(activity: Activity, kind: String, detail: String)] {
        let book = desk.book
        let before = book.profilesBeforeChanges(of: customer)
        return book.timeline(of: customer).filter { $0.stamp.day <= asOf }.reversed().map { activity in
            let (kind, detail) = ActivityText.describe(activity.kind, book: book, chinese: language == .zh, levels: desk.policy.dunningLevels,
                                                       before: before[activity.stamp.sequence])
            return (activity, kind, detail)
        }
    }

    /// Whether the invoice a dispute is over has nothing open any more (paid or credited since).
    func disputedInvoiceSettled(_ dispute: Dispute, asOf day: Day) -> Bool {
        desk.book.invoices[dispute.invoice].map { !$0.open(asOf: day).isPositive } ?? false
    }
}
