import Core
import Desk
import Terminal

/// The forms behind a manager's keys on a customer ($ H T A W R C U K V 5) and a collector's request (r), and whom a customer may be assigned to.
extension Workstation {
    /// The form of a manager's change, or of a request for one (a collector's way; `perform` has
    /// told a collector already that the changes themselves are a manager's).
    func managerAction(_ action: Action, _ id: CustomerID) -> Reaction {
        guard let customer = desk.book.customers[id] else { return .none }
        let currency = desk.book.currency
        let balance = view.position(of: id)?.balance ?? .zero
        if action == .request {
            let waiting = desk.book.requestOrder.compactMap { desk.book.requests[$0] }
                .filter { $0.customer == id && $0.isWithdrawable(by: desk.user) }
            state.form = ManagerForms.request(customer, balance: balance, waiting: waiting, currency: currency, language: language)
            return .redraw
        }
        switch action {
        case .changeLimit: state.form = ManagerForms.limit(customer, currency: currency, language: language)
        case .toggleHold: state.form = ManagerForms.hold(customer, language: language)
        case .setTerms: state.form = ManagerForms.terms(customer, language: language)
        case .assign:
            // Marked customers are assigned together (one all-or-nothing command); else the one
            // selected. Marks count only where they are shown (customers, review), not from the queue.
            let marksShown = state.context == .customers || state.context == .review
            let targets = state.marked.isEmpty || !marksShown ? [id] : state.marked.sorted()
            state.form = ManagerForms.assign(targets, collectors: assignableCollectors, current: customer.collector, named: person, language: language)
        case .writeOff:
            // Suggested: what is past due and not disputed, less the customer's unapplied credit (a
            // balance not due yet is seldom lost, and debt the credit covers is not); the balance
            // is told beside it.
            let position = view.position(of: id)
            let pastDue = position?.toCollect ?? .zero
            // An invoice of instalments is one entry with all that is open of it (its instalments
            // may lie apart in due order), in the order first met.
            var invoices: [(number: String, open: Money, disputed: Bool, part: Money?)] = []
            var entry: [String: Int] = [:]
            for item in view.openItems(of: id, in: desk.book) {
                if let at = entry[item.number] { invoices[at].open += item.open } else {
                    entry[item.number] = invoices.count
                    invoices.append((item.number, item.open, item.disputed, item.disputedPart))
                }
            }
            // The customer's invoices, not the book, kept for the form's question: a book held by
            // an open form is copied whole when the next record is applied to it.
            let (own, disputed) = (desk.book.invoices(of: id), desk.book.disputedInvoices(of: id, asOf: desk.today))
            state.form = ManagerForms.writeOff(customer, suggested: pastDue, balance: balance,
                                               credit: min(position?.credit ?? .zero, position?.collectablePastDue ?? .zero),
                                               invoices: invoices,
                                               plan: { amount, invoice, today in
                                                   (try? AllocationPlan.writeOff(amount, of: id, to: invoice, among: own, disputed: disputed, on: today)) ?? []
                                               },
                                               currency: currency, language: language)
        case .reversePayment:
            // Its payments received by the view's day and not reversed, latest first.
            let payments = desk.book.payments(of: id).filter { $0.day <= asOf && desk.book.reversals[$0.reference] == nil }
            guard !payments.isEmpty else {
                say(text("\(id) has no payment to reverse", "\(id) 没有可冲销的回款"), error: true)
                return .redraw
            }
            state.form = ManagerForms.reversePayment(customer, payments: payments.sorted { $0.day > $1.day }, currency: currency, language: language)
        case .applyCredit:
            // The credits there are today, and the invoices they may settle.
            let credits = desk.book.creditsToApply(of: id, on: desk.today)
            guard !credits.isEmpty else {
                say(text("\(id) has no credit to apply (unapplied cash or a credit note against no invoice)", "\(id) 没有可冲抵的回款或贷项"), error: true)
                return .redraw
            }
            let disputed = desk.book.disputedInvoices(of: id, asOf: desk.today)
            let open = AllocationPlan.openItems(of: id, in: desk.book, on: desk.today, leavingLast: disputed)
            guard !open.isEmpty else {
                say(text("\(id) has no open invoice to set its credit against", "\(id) 没有可冲抵的未结发票"), error: true)
                return .redraw
            }
            state.form = ManagerForms.applyCredit(customer, credits: credits, open: open, disputed: disputed, currency: currency, language: language)
        case .unapplyCredit:
            // Its credit applied and still in force by the view's day, latest first.
            let applied = desk.book.creditApplications(of: id).filter { $0.day <= asOf && desk.book.takenBack($0, asOf: asOf) == nil }.reversed()
            guard !applied.isEmpty else {
                say(text("\(id) has no credit applied to take back", "\(id) 没有可撤回的冲抵"), error: true)
                return .redraw
            }
            state.form = ManagerForms.unapplyCredit(customer, applied: Array(applied), currency: currency, language: language)
        case .reinstateWriteOff:
            // Its write-offs standing on the view's day, latest first.
            let standing = desk.book.writeOffsStanding(of: id, asOf: asOf).reversed()
            guard !standing.isEmpty else {
                say(text("\(id) has no write-off to reinstate", "\(id) 没有可转回的核销"), error: true)
                return .redraw
            }
            state.form = ManagerForms.reinstateWriteOff(customer, standing: Array(standing), currency: currency, language: language)
        case .setStatus:
            state.form = ManagerForms.status(customer, balance: view.position(of: id)?.balance ?? .zero, currency: currency, language: language)
        case .setReview: state.form = ManagerForms.review(customer, today: desk.today, language: language)
        case .scorecard:
            let sales = Scorecard.averageMonthlySales(id, in: desk.book, asOf: asOf)
            state.form = ManagerForms.scorecard(customer, card: desk.policy.scorecard, monthlySales: sales, today: desk.today, currency: currency, language: language)
        default: return .none
        }
        return .redraw
    }

    /// Collectors named in roles.toml, else those already assigned in the book.
    var assignableCollectors: [String] {
        if let roles = desk.roles { return roles.users.filter { $0.value == .collector }.map(\.key).sorted() }
        return view.collectors
    }
}
