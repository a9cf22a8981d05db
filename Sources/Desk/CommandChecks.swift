import Core

/// What turning a command into events checks beyond the command itself: dates a person meant,
/// profile changes the book allows, amounts within the balance, where money goes.
extension Desk {
    /// A callback is due today or within a year: further out is a slip of the year (it would
    /// keep the customer out of the queue meanwhile).
    func checkCallback(_ day: Day) throws {
        guard day >= today else { throw DeskError.invalid(Phrase("the callback date \(day) is in the past", zh: "回访日期 \(day) 已过")) }
        guard day.days(since: today) <= 366 else {
            throw DeskError.invalid(Phrase("a callback more than a year ahead (\(day)) is surely a slip", zh: "回访日期超过一年（\(day)），请检查"))
        }
    }

    /// What a profile change must respect beyond its reason: a limit is not negative, a collector
    /// is a user of the book, and a hold is placed on an active customer and released from a held
    /// one (releasing must not end a legal hand-off or reopen a closed account; `status` does that).
    /// Checked here, not when replaying: logs written before these checks must still open.
    func checkChange(_ change: ProfileChange, of customer: CustomerID) throws {
        let status = book.customers[customer]?.status
        switch change {
        case .creditLimit(let limit) where limit.isNegative:
            throw DeskError.invalid(Phrase("a credit limit cannot be below zero (\(book.currency.format(limit)))", zh: "信用额度不能小于零（\(book.currency.format(limit))）"))
        case .collector(let collector?) where roles.map({ $0.role(of: collector) == nil }) ?? false:
            throw DeskError.invalid(roles!.notAUser(collector))
        case .hold where status != .active:
            throw DeskError.refused(status == .onHold
                ? Phrase("\(customer) is already on hold", zh: "\(customer) 已被冻结")
                : Phrase("\(customer) is \(status?.rawValue ?? "unknown"), not active: only an active customer can be put on hold",
                         zh: "\(customer) 当前为\(status.map(Desk.chineseStatus) ?? "未知状态")，不是正常状态：只有正常状态的客户可以冻结"))
        case .contacts(let people) where people.contains(where: { [$0.name, $0.phone, $0.email].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }):
            throw DeskError.invalid(Phrase("a contact person needs a name, a phone or an e-mail", zh: "联系人至少需要姓名、电话或邮箱之一"))
        case .nextReview(let day?) where day < today:
            throw DeskError.invalid(Phrase("a next review on \(day) has passed; give today or a later day", zh: "下次审核日期 \(day) 已过；请填写今天或以后"))
        case .contacts(let people):
            for (index, person) in people.enumerated() {
                guard let problem = ContactCheck.phoneProblem(person.phone) ?? ContactCheck.emailProblem(person.email) else { continue }
                guard people.count > 1 else { throw DeskError.invalid(problem) }
                // Which of several: the value alone may not say whose it is.
                let who = "\(index + 1)" + (person.name.isEmpty ? "" : " (\(person.name))")
                throw DeskError.invalid(Phrase("contact \(who): " + problem.english, zh: "联系人 \(who)：" + problem.text(chinese: true)))
            }
        case .release where status != .onHold:
            throw DeskError.refused(Phrase("\(customer) is not on hold (it is \(status?.rawValue ?? "unknown")); use `status` to change a legal, agency or closed account",
                                           zh: "\(customer) 未被冻结（当前为\(status.map(Desk.chineseStatus) ?? "未知状态")）；法律诉讼、外包催收或已关闭的账户请用 status 修改"))
        default: break
        }
        // Setting what is already set records nothing: a second identical change in the history
        // would read as a decision made twice.
        if let current = book.customers[customer], change.leaves(current) {
            let what = { (chinese: Bool) in ActivityText.describe(.profile(change, reason: ""), book: self.book, chinese: chinese).detail }
            throw DeskError.invalid(Phrase("\(customer) already has that (\(what(false))); nothing was saved",
                                           zh: "\(customer) 已是该设置（\(what(true))）；未保存"))
        }
    }

    /// A promise or plan for more than the customer owes is a typing slip (an extra zero), not a promise.
    /// `netOfCredit`: against what is owed less the credit already on the customer (a credit
    /// note on account must not stack past the balance).
    /// `beyond`: the option that allows it anyway, named in the refusal.
    func checkWithinBalance(_ amount: Money, of customer: CustomerID, what: String, netOfCredit: Bool = false, beyond: String? = nil) throws {
        try Desk.checkWithinBalance(amount, of: customer, in: book, asOf: today, what: what, netOfCredit: netOfCredit, beyond: beyond)
    }

    /// The same in `book` as of `day` (an import's rows, checked against the book with the file's earlier rows).
    static func checkWithinBalance(_ amount: Money, of customer: CustomerID, in book: Book, asOf day: Day, what: String,
                                   netOfCredit: Bool = false, beyond: String? = nil) throws {
        let position = Position(customer, in: book, asOf: day)
        let owed = netOfCredit ? position.balance - position.credit : position.balance
        guard amount <= owed else {
            let format = { (m: Money) in book.currency.format(m, grouping: ",") }
            let net = netOfCredit ? (" net of its credit", "扣除已有贷项后") : ("", "")
            let allow = beyond.map { "; if the customer is to be left in credit (a rebate to one who owes nothing), \($0)" } ?? ""
            throw DeskError.invalid(Phrase("\(what) \(format(amount)) is more than \(customer) owes\(net.0) (\(format(owed)))\(allow)",
                                           zh: "金额 \(format(amount)) 超过 \(customer) \(net.1)的欠款（\(format(owed))）"))
        }
    }

    /// What a promise asks for unless told: the past due less what is disputed (as the queue and
    /// dunning ask; a disputed invoice is not chased until its dispute is resolved), less what is
    /// left of the promises taken earlier today (`sameDay`: promises of one day add up).
    /// `earlier`: the promises of earlier days still open, which a new one replaces.
    public func promiseAsked(of customer: CustomerID) -> (amount: Money, earlier: [Promise], sameDay: [(promise: Promise, left: Money)]) {
        let standing = Promises.standing(customer, in: book, on: today)
        // What there is to collect: past due less what is disputed and the customer's unapplied
        // credit (as the queue's "to collect"), less what was promised earlier today.
        let position = Position(customer, in: book, asOf: today)
        return (standing.sameDay.reduce(position.toCollect) { $0 - $1.left }, standing.earlier, standing.sameDay)
    }

    /// A promise or plan and the promises taken earlier the same day (`earlier`, with what is
    /// left of each) together within what the customer owes: a schedule of one day adds up.
    /// What the customer can be promised to pay, with the promises of the day: its balance and
    /// the fees and interest open beside it, less the credit it has with us already.
    func checkWithinBalance(_ amount: Money, besides earlier: [(promise: Promise, left: Money)], of customer: CustomerID, what: String) throws {
        let earlierLeft = earlier.reduce(Money.zero) { $0 + $1.left }
        let position = Position(customer, in: book, asOf: today)
        let charges = OpenCharges.of(customer, in: book, asOf: today).reduce(Money.zero) { $0 + $1.open }
        let owed = max(.zero, position.balance + charges - position.credit)
        guard amount + earlierLeft > owed else { return }
        let format = { (m: Money) in self.book.currency.format(m, grouping: ",") }
        let owes = (charges.isPositive ? " with fees and interest" : "") + (position.credit.isPositive ? " net of its credit" : "")
        let owesZh = [charges.isPositive ? "含费用及利息" : "", position.credit.isPositive ? "扣除已有贷项后" : ""].filter { !$0.isEmpty }.joined(separator: "、")
        guard earlierLeft.isPositive else {
            throw DeskError.invalid(Phrase("\(what) \(format(amount)) is more than \(customer) owes\(owes) (\(format(owed)))",
                                           zh: "金额 \(format(amount)) 超过 \(customer) \(owesZh)的欠款（\(format(owed))）"))
        }
        let ids = earlier.map(\.promise.id).joined(separator: ", ")
        let room = max(.zero, owed - earlierLeft)
        throw DeskError.invalid(Phrase("\(what) \(format(amount)) with the \(format(earlierLeft)) promised earlier today (\(ids)) comes to \(format(amount + earlierLeft)), more than \(customer) owes\(owes) (\(format(owed))): at most \(format(room)) more today",
                                       zh: "金额 \(format(amount)) 加上今天已承诺的 \(format(earlierLeft))（\(ids)）共 \(format(amount + earlierLeft))，超过 \(customer) \(owesZh)的欠款（\(format(owed))）：今天最多还可承诺 \(format(room))"))
    }

    /// A part of an invoice disputed: of one invoice, more than nothing and less than what is
    /// open of it (all of it is a dispute without an amount).
    func checkDisputedPart(_ amount: Money, of invoices: [String], customer: CustomerID) throws {
        guard invoices.count == 1, let number = invoices.first else {
            throw DeskError.invalid(Phrase("an amount disputes part of one invoice: pick one, or leave the amount out to dispute all of each",
                                           zh: "争议金额只适用于一张发票：请只选一张，或不填金额以争议全部未结金额"))
        }
        guard amount.isPositive else { throw DeskError.invalid(Phrase("the amount disputed must be more than zero", zh: "争议金额须大于零")) }
        // No such invoice, or another customer's: the book's own refusal says which.
        guard let invoice = book.invoices[number], invoice.customer == customer else { return }
        let open = invoice.open(asOf: today)
        guard amount < open else {
            let format = { (m: Money) in self.book.currency.format(m, grouping: ",") }
            throw DeskError.invalid(Phrase("\(format(amount)) is not part of the \(format(open)) open on \(number): leave the amount out to dispute all of it",
                                           zh: "\(format(amount)) 不小于发票 \(number) 的未结金额 \(format(open))：如争议全部，请不填金额"))
        }
    }

    /// Refuses a number another kind of document has (a credit note under an invoice's number):
    /// a number we choose names one document. One of the same kind is left to the book's own
    /// refusal, which says so. (A payment's reference is the bank's, often the invoice it pays.)
    func requireNumberFree(_ number: String, for kind: String) throws {
        guard let other = book.documentKind(of: number), other != kind else { return }
        let zhKind = ["invoice": "发票", "payment": "回款", "credit note": "贷项通知"]
        throw DeskError.invalid(Phrase("\(number) is already the number of \(other == "invoice" ? "an" : "a") \(other) in this book; a \(kind) needs a number of its own",
                                       zh: "\(number) 已是本账簿中一张\(zhKind[other] ?? other)的编号；\(zhKind[kind] ?? kind)需要自己的编号"))
    }

    func requireCustomer(_ id: CustomerID) throws {
        guard book.customers[id] != nil else { throw DeskError.invalid(Phrase("no customer \"\(id)\" in this book\(book.didYouMean(id))", zh: "账簿中没有客户“\(id)”" + (book.customerID(resembling: id).map { "（是否指 \($0)？）" } ?? ""))) }
    }

    /// A write-off of exactly `amount` (above zero), placed as `AllocationPlan.writeOff` says.
    public func writeOffAllocations(_ amount: Money, of customer: CustomerID, to invoice: String?) throws -> [Allocation] {
        guard amount.isPositive else { throw DeskError.invalid(Phrase("a write-off needs an amount above zero", zh: "核销金额须大于零")) }
        // Unapplied cash or a credit note stands against what is owed: writing off past the net
        // owed would leave the customer a credit it never paid for, and the bad debt too large.
        let position = Position(customer, in: book, asOf: today)
        if position.credit.isPositive, amount > position.balance - position.credit {
            let format = { (m: Money) in self.book.currency.format(m, grouping: ",") }
            let most = max(.zero, position.balance - position.credit)
            // A collector (filing a request) cannot apply credit: a manager does.
            let how = role == .collector ? ("ask a manager to set it against its invoices first", "请信用经理先将其冲抵到发票")
                : ("set it against its invoices first (C, or ardesk apply-credit \(customer))", "请先冲抵到发票（按 C，或 ardesk apply-credit \(customer)）")
            throw DeskError.invalid(Phrase("\(customer) has \(format(position.credit)) of unapplied credit: \(how.0); a write-off of \(format(amount)) would leave it a credit it never paid for (at most \(format(most)) now)",
                                           zh: "\(customer) 有未冲抵的款项 \(format(position.credit))：\(how.1)；核销 \(format(amount)) 会使客户多出一笔未付款的贷项（目前最多 \(format(most))）"))
        }
        let allocations: [Allocation]
        do { allocations = try AllocationPlan.writeOff(amount, of: customer, to: invoice, in: book, on: today) } catch { throw DeskError.invalid("\(error)") }
        let allocated = allocations.reduce(Money.zero) { $0 + $1.amount }
        guard allocated == amount else {
            let (open, asked) = (book.currency.format(allocated, grouping: ","), book.currency.format(amount, grouping: ","))
            let whose = invoice.map { "invoice \($0) of \(customer)" } ?? customer
            throw DeskError.invalid(Phrase("only \(open) of \(whose) is open to write off, not \(asked)",
                                           zh: "\(invoice.map { "\(customer) 的发票 \($0)" } ?? customer) 可核销的未结金额只有 \(open)，不是 \(asked)"))
        }
        return allocations
    }

    /// Where a write-off goes (the rules' `AllocationPlan`): to the invoice named, else oldest due
    /// first (a payment goes by `DateOrder`).
    func allocate(_ amount: Money, of customer: CustomerID, to invoice: String?, on day: Day, leavingLast: DisputedItems = []) throws -> [Allocation] {
        do {
            return try AllocationPlan.allocate(amount, of: customer, to: invoice, in: book, on: day, leavingLast: leavingLast)
        } catch {
            throw DeskError.invalid("\(error)")
        }
    }
}

extension Desk {
    /// A customer's status as a Chinese screen names it.
    public static func chineseStatus(_ status: CustomerStatus) -> String {
        switch status {
        case .active: return "正常"
        case .onHold: return "信用冻结"
        case .legal: return "法律诉讼"
        case .agency: return "外包催收"
        case .closed: return "已关闭"
        }
    }
}
