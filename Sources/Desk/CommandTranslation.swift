import Core

extension Desk {
    /// Why `command` would be refused as it stands, as far as turning it into events checks, or
    /// nil: asked before a confirmation, so that no question is put for what cannot be done.
    public func problem(with command: Command) -> Error? {
        do {
            _ = try events(for: command, nextSequence: book.lastSequence + 1)
            return nil
        } catch {
            return error
        }
    }

    /// Turns a command into the events it means, checking what only the command knows
    /// (the book itself refuses contradictions when the events are dry-run applied).
    func events(for command: Command, nextSequence: UInt64) throws -> [Event] {
        let id = { (prefix: String) in "\(prefix)\(nextSequence)" }
        // A number made for a document users also number by hand (PAY…, CN…): one typed earlier
        // may be the one this record would make, so a free one is taken (PAY12-2).
        let free = { (base: String, taken: (String) -> Bool) -> String in
            var number = base, next = 2
            while taken(number) { number = "\(base)-\(next)"; next += 1 }
            return number
        }
        for typed in command.typedTexts {
            let what = (typed.what, typed.what == "note" ? "备注" : "原因")
            // Counted in code points: a character built of many (combining marks) is that many to store.
            let length = typed.text.unicodeScalars.count
            if length > Command.longestText {
                throw DeskError.invalid(Phrase("the \(what.0) is \(length) characters long; at most \(Command.longestText)",
                                               zh: "\(what.1)共 \(length) 个字，最多 \(Command.longestText) 个"))
            }
            if let (scalar, position) = typed.text.firstScreenControl {
                throw DeskError.invalid(Phrase("the \(what.0) holds a control character, \(scalar.controlName), at character \(position): it would act on the terminal that shows it; type text only",
                                               zh: "\(what.1)第 \(position) 个字是控制字符 \(scalar.controlName)，会改变显示它的终端；只能输入文字"))
            }
        }
        var customer = command.customer
        if case .resolveDispute(let id, _) = command { customer = book.disputes[id]?.customer }  // named by the dispute
        if let customer, let refusal = refusal(toWork: customer) { throw DeskError.notAllowed(refusal) }
        switch command {
        case .addCustomers(let customers):
            return customers.map { .customerAdded($0) }

        case .logCall(let customer, let outcome, let note, let callback):
            try requireCustomer(customer)
            if let callback { try checkCallback(callback) }
            return [.callLogged(customer, outcome, note: note, callback: callback)]

        case .promise(let customer, let amount, let due):
            try requireCustomer(customer)
            guard due >= today else { throw DeskError.invalid(Phrase("a promise date must be today or later, not \(due)", zh: "承诺付款日期须为今天或以后，不能是 \(due)")) }
            // A promise is kept or broken within weeks; a year out is a typo (a plan spreads longer).
            guard due.days(since: today) <= 366 else {
                throw DeskError.invalid(Phrase("a promise date more than a year ahead (\(due)) is surely a slip; agree a payment plan for longer",
                                               zh: "承诺付款日期超过一年（\(due)），请检查；更长期限请约定分期付款计划"))
            }
            let asked = promiseAsked(of: customer)
            let promised = amount ?? asked.amount
            guard promised.isPositive else {
                throw DeskError.invalid(amount != nil ? Phrase("a promise needs an amount above zero", zh: "承诺金额须大于零")
                    : !asked.sameDay.isEmpty ? Phrase("\(customer) promised its past due earlier today already: give the amount of another promise",
                                                      zh: "\(customer) 今天已承诺支付其逾期款项：如另有承诺请填写金额")
                    : Phrase("nothing of \(customer) is past due, undisputed and not covered by its unapplied credit: give the amount promised",
                             zh: "\(customer) 没有未被争议、也未被其未冲抵款项抵减的逾期款项：请填写承诺金额"))
            }
            try checkWithinBalance(promised, besides: asked.sameDay, of: customer, what: "a promise of")
            return [.promiseTaken(Promise(id: id("P"), customer: customer, amount: promised, due: due,
                                          toleranceDays: policy.promiseToleranceDays, taken: today, takenBy: user))]

        case .plan(let customer, let instalments, let total):
            try requireCustomer(customer)
            guard !instalments.isEmpty else { throw DeskError.invalid(Phrase("a payment plan needs at least one instalment", zh: "分期付款计划至少需要一期")) }
            let sum = instalments.reduce(Money.zero) { $0 + $1.amount }
            if let total, sum != total {
                throw DeskError.invalid(Phrase("the instalments add up to \(book.currency.format(sum)), not \(book.currency.format(total))",
                                               zh: "各期合计 \(book.currency.format(sum))，不等于 \(book.currency.format(total))"))
            }
            guard instalments.allSatisfy({ $0.amount.isPositive && $0.due >= today }) else {
                throw DeskError.invalid(Phrase("every instalment needs an amount above zero and a date from today on", zh: "每期金额须大于零，日期须为今天或以后"))
            }
            // Monthly instalments over three years are a long plan already; later is a typo
            // (36 instalments a year apart ran to 2061).
            if let last = instalments.map(\.due).max(), last.days(since: today) > 3 * 366 {
                throw DeskError.invalid(Phrase("a payment plan whose last instalment falls more than three years ahead (\(last)) is surely a slip: fewer instalments, or fewer days between them",
                                               zh: "分期计划的最后一期超过三年（\(last)），请检查：减少期数或缩短间隔"))
            }
            try checkWithinBalance(sum, besides: Promises.standing(customer, in: book, on: today).sameDay, of: customer, what: "a plan of")
            let planID = id("PL")
            let promises = instalments.sorted { $0.due < $1.due }.enumerated().map { index, inst in
                Promise(id: "\(planID)-\(index + 1)", customer: customer, amount: inst.amount, due: inst.due,
                        toleranceDays: policy.promiseToleranceDays, taken: today, takenBy: user, plan: planID)
            }
            return [.planAgreed(id: planID, customer: customer, instalments: promises)]

        case .callback(let customer, let on, let note):
            try requireCustomer(customer)
            try checkCallback(on)
            return [.callbackScheduled(customer, on, note: note)]

        case .note(let customer, let text):
            try requireCustomer(customer)
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw DeskError.invalid(Phrase("the note is empty", zh: "备注为空")) }
            return [.noteAdded(customer, text)]

        case .dispute(let customer, let invoices, let amount, let reason):
            try requireCustomer(customer)
            guard !invoices.isEmpty else { throw DeskError.invalid(Phrase("pick at least one invoice to dispute", zh: "请至少选择一张有争议的发票")) }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw DeskError.invalid(Phrase("a dispute needs a reason", zh: "争议需要填写原因")) }
            // One open dispute per invoice: a second would have to be resolved apart, for the same amount.
            if let twice = invoices.first(where: { number in invoices.filter { $0 == number }.count > 1 }) {
                throw DeskError.invalid(Phrase("invoice \(twice) is named twice", zh: "发票 \(twice) 重复列出"))
            }
            for number in invoices {
                if let invoice = book.invoices[number], invoice.customer == customer, invoice.issued > today {
                    throw DeskError.invalid(Phrase("invoice \(number) is issued on \(invoice.issued), after today (\(today)): dispute it once it is issued",
                                                   zh: "发票 \(number) 的开票日是 \(invoice.issued)，晚于今天（\(today)）：开票后再提出争议"))
                }
                // A settled invoice leaves nothing to withhold payment of: a complaint about it is a note, or a credit note.
                if let invoice = book.invoices[number], invoice.customer == customer, !invoice.open(asOf: today).isPositive {
                    throw DeskError.invalid(Phrase("invoice \(number) is settled: nothing of it is open to dispute (a complaint about it is a note; a refund, a credit note)",
                                                   zh: "发票 \(number) 已结清，没有可争议的未结金额（投诉请记为备注；退款请开具贷项通知）"))
                }
                if let open = book.openDisputes(of: customer).first(where: { $0.invoice == number }) {
                    throw DeskError.invalid(Phrase("invoice \(number) is disputed already (\(open.id), \(open.reason)); resolve that one first",
                                                   zh: "发票 \(number) 已有争议（\(open.id)，\(open.reason)）；请先解决该争议"))
                }
            }
            if let amount { try checkDisputedPart(amount, of: invoices, customer: customer) }
            return invoices.enumerated().map { index, number in
                .disputeOpened(Dispute(id: "\(id("D"))-\(index + 1)", customer: customer, invoice: number, amount: amount,
                                       reason: reason, opened: today, owner: user))
            }

        case .resolveDispute(let disputeID, let note):
            guard let dispute = book.disputes[disputeID] else { throw DeskError.invalid(Phrase("no dispute \"\(disputeID)\"", zh: "没有争议“\(disputeID)”")) }
            guard dispute.status == .open else {
                // One undone never was: said so, not "resolved" on the day of its undoing.
                throw DeskError.invalid(book.undoneDisputes(of: dispute.customer).contains(disputeID) ? Phrase("dispute \(disputeID) was undone: there is nothing to resolve", zh: "争议 \(disputeID) 已撤销，无需解决")
                                               : Phrase("dispute \(disputeID) is already resolved", zh: "争议 \(disputeID) 已解决"))
            }
            guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DeskError.invalid(Phrase("resolving a dispute needs a note of how it ended (credit note issued, customer agreed, ...)", zh: "解决争议需要填写处理结果（已开贷项通知、客户认可等）"))
            }
            return [.disputeResolved(id: disputeID, day: today, note: note)]

        case .writeStatement:  // a file to write first: `Desk.perform` does, then records it as sent
            throw DeskError.invalid(Phrase("a statement is written before it is recorded", zh: "对账单须先生成再记录"))

        case .documentSent(let customer, let kind, let file):
            try requireCustomer(customer)  // whose it is was checked above, for every command
            guard case .statement(let from, let to, let figures) = kind else { return [.documentSent(customer, kind, file: file)] }
            try checkStatementDay(to)
            // A statement is recorded with the aging it showed: the written one's, else computed
            // here, so that one sent by hand keeps its figures as one written by ardesk does.
            return [.documentSent(customer, .statement(from: from, to: to, figures: figures ?? statementFigures(customer, asOf: to)), file: file)]

        case .claim(let customer):
            try requireCustomer(customer)
            if let holder = book.claimHolder(of: customer, on: today), holder != user {
                throw DeskError.refused(Phrase("\(customer) is already claimed by \(holder)", zh: "\(customer) 已被 \(holder) 认领"))
            }
            return [.claimed(customer)]

        case .release(let customer):
            try requireCustomer(customer)
            guard let holder = book.claimHolder(of: customer, on: today) else { throw DeskError.invalid(Phrase("\(customer) is not claimed today", zh: "\(customer) 今天未被认领")) }
            // A manager may free a claim its holder cannot (away, left): it would hide the
            // customer from every other collector's queue for good.
            if holder != user && role == .collector {
                let name = displayName(of: holder)
                throw DeskError.refused(Phrase("\(customer) is claimed by \(name); only \(name) or a manager can release it",
                                               zh: "\(customer) 由 \(name) 认领；只有 \(name) 或信用经理可以释放"))
            }
            return [.released(customer)]

        case .markWorked(let customer):
            try requireCustomer(customer)
            return [.markedWorked(customer)]

        case .undoLast:
            // Undoing is working the customer too: one reassigned to another collector since is
            // theirs (withdrawing one's own request stays one's own; a claim for the day does not bar it).
            let activities = try actionToUndo()
            if role == .collector, let moved = activities.first(where: { activity in
                if case .request = activity.kind { return false }
                return book.customers[activity.customer]?.collector.map { $0 != user } ?? false
            }), let assigned = book.customers[moved.customer]?.collector {
                // Said as it is: u takes back only one's own actions, so no manager can do it instead.
                throw DeskError.notAllowed(Phrase("\(moved.customer) is \(displayName(of: assigned))'s customer now, so your last action on it stays; to undo or correct it, ask a manager to assign the customer back to you first (or to correct it)",
                                                  zh: "\(moved.customer) 现在是 \(displayName(of: assigned)) 的客户，你在其上的上一个操作保留；如需撤销或更正，请先请经理把该客户重新分配给你（或由经理更正）"))
            }
            return activities.flatMap { activity -> [Event] in
                // A request is withdrawn, as a decision against it by its requester (see `actionToUndo`);
                // the one it replaced (withdrawn in the same action) is asked for again, as it was.
                if case .request(let requestID) = activity.kind {
                    return [.requestDecided(id: requestID, approved: false, reason: "withdrawn by \(user)")]
                        + (replacedRequest(by: activity).map { [.requestFiled(Request(id: id("R"), customer: $0.customer, kind: $0.kind,
                                                                                      reason: $0.reason, requestedBy: user, day: today))] } ?? [])
                }
                return [.undone(sequence: activity.stamp.sequence)]
            }

        case .pay(let customer, let amount, let on, let invoice, let reference, let method):
            try requireCustomer(customer)
            guard amount.isPositive else { throw DeskError.invalid(Phrase("a payment needs an amount above zero", zh: "回款金额须大于零")) }
            guard on <= today else { throw DeskError.invalid(Phrase("a payment cannot be dated after today (\(today)): \(on) has not happened yet", zh: "回款日期不能晚于今天（\(today)）：\(on) 尚未到来")) }
            // A document number pasted with spaces round it is the number (an import trims its cells too).
            let reference = reference.trimmedNumber ?? free(id("PAY")) { self.book.documentKind(of: $0) != nil }
            let invoice = invoice.trimmedNumber
            // The invoice named, else oldest due first as of its day and then fees and interest
            // (a credit on the customer after them), as if payments were recorded in date order:
            // later-dated ones the rule allocated take again after it (see `DateOrder`).
            let plan: DateOrder
            do {
                plan = try DateOrder.plan(amount, of: customer, to: invoice, in: book, on: on)
            } catch {
                throw DeskError.invalid("\(error)")
            }
            let received = Event.paymentReceived(Payment(reference: reference, customer: customer, day: on, amount: amount, method: method,
                                                          allocations: plan.allocations, charges: plan.charges, byRule: invoice == nil))
            return plan.reallocated.isEmpty ? [received] : [.paymentsReallocated(customer, plan.reallocated), received]

        case .reversePayment(let given, let on, let reason, let cause):
            let reference = Optional(given).trimmedNumber ?? given
            guard let payment = book.payments[reference] else {
                throw DeskError.invalid(Phrase("no payment \"\(reference)\" (ardesk ledger CUSTOMER lists a customer's payments)",
                                               zh: "没有回款“\(reference)”（ardesk ledger 客户 列出客户的回款）"))
            }
            if let earlier = book.reversals[reference] {
                throw DeskError.invalid(Phrase("payment \(reference) was already reversed on \(earlier.day) (\(earlier.reason))",
                                               zh: "回款 \(reference) 已于 \(earlier.day) 冲销（\(earlier.reason)）"))
            }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DeskError.invalid(Phrase("reversing a payment needs a reason (returned unpaid, entered in error, ...)", zh: "冲销回款需要填写原因（退票、录入错误等）"))
            }
            guard on <= today else { throw DeskError.invalid(Phrase("a reversal cannot be dated after today (\(today)): \(on) has not happened yet", zh: "冲销日期不能晚于今天（\(today)）：\(on) 尚未到来")) }
            guard on >= payment.day else {
                throw DeskError.invalid(Phrase("payment \(reference) was received on \(payment.day): its reversal cannot be dated \(on), before it",
                                               zh: "回款 \(reference) 于 \(payment.day) 收到：其冲销不能早于该日（\(on)）"))
            }
            // Payments the rule allocated after it take again what it no longer holds (see `DateOrder`).
            let moved = DateOrder.afterReversal(of: reference, on: on, in: book)
            return [.paymentReversed(PaymentReversal(payment: reference, customer: payment.customer, day: on, reason: reason, cause: cause))]
                + (moved.isEmpty ? [] : [.paymentsReallocated(payment.customer, moved)])
                + Importer.disputesReopened(byReversing: payment, on: on, in: book)

        case .creditNote(let customer, let number, let amount, let on, let invoice, let reason, let beyondOwed):
            try requireCustomer(customer)
            let number = number.trimmedNumber, invoice = invoice.trimmedNumber
            if let number { try requireNumberFree(number, for: "credit note") }
            guard amount.isPositive else { throw DeskError.invalid(Phrase("a credit note needs an amount above zero", zh: "贷项通知金额须大于零")) }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DeskError.invalid(Phrase("a credit note needs a reason (a return, a price agreed, ...)", zh: "贷项通知需要填写原因（退货、议价等）"))
            }
            guard on <= today else { throw DeskError.invalid(Phrase("a credit note cannot be dated after today (\(today)): \(on) has not happened yet", zh: "贷项通知日期不能晚于今天（\(today)）：\(on) 尚未到来")) }
            if let invoice, let issued = book.invoices[invoice]?.issued, on < issued {
                throw DeskError.invalid(Phrase("invoice \(invoice) is issued on \(issued): a credit note against it cannot be dated \(on)",
                                               zh: "发票 \(invoice) 开具于 \(issued)：针对它的贷项通知不能早于该日（\(on)）"))
            }
            // One not against an invoice is a credit on the customer: more than it owes net of the
            // credit it has already (unapplied cash, earlier notes) is a slip.
            if invoice == nil && !beyondOwed { try checkWithinBalance(amount, of: customer, what: "a credit note of", netOfCredit: true, beyond: "--credit") }
            // Against an invoice a later payment the rule allocated took: it takes again after the note.
            let moved = invoice.map { DateOrder.forCreditNote(amount, of: customer, against: $0, in: book, on: on) } ?? []
            return (moved.isEmpty ? [] : [.paymentsReallocated(customer, moved)])
                + [.creditNoteIssued(CreditNote(number: number ?? free(id("CN")) { self.book.documentKind(of: $0) != nil }, customer: customer, day: on, amount: amount,
                                                invoice: invoice, reason: reason))]

        case .applyCredit(let customer, let source, let invoice, let amount, let on):
            return try creditApplied(customer, from: source, invoice: invoice, amount: amount, on: on, id: id("CA"))

        case .withdrawCredit(let id, let on, let reason):
            return try creditWithdrawn(id, on: on, reason: reason)

        case .issueInvoices(let invoices):
            return invoices.map { .invoiceIssued($0) }

        case .recordPayments(let payments):
            return payments.map { .paymentReceived($0) }

        case .changeProfile(let customer, var change, let reason):
            try requireCustomer(customer)
            // Phones and e-mails kept in ASCII (an input method's １３８－…): what is dialled and written to.
            if case .contacts(let people) = change {
                change = .contacts(people.map { var person = $0; person.phone = person.phone.halfWidth; person.email = person.email.halfWidth; return person })
            }
            if change.needsReason && reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw DeskError.invalid(Phrase("a reason is required for this change (who, when and why are recorded)", zh: "此项变更需要填写原因（记录何人、何时、为何）"))
            }
            try checkChange(change, of: customer)
            return [.profileChanged(customer, change, reason: reason)]

        case .creditReview(let customer, let grade, let note, let nextReview):
            try requireCustomer(customer)
            guard let current = book.customers[customer] else { return [] }
            // The grade changed, or kept (a review that keeps it is still a review: a note).
            if current.grade != grade { try checkChange(.grade(grade), of: customer) }
            var events: [Event] = [current.grade == grade ? .noteAdded(customer, note) : .profileChanged(customer, .grade(grade), reason: note)]
            if let nextReview, nextReview != current.nextReview {
                try checkChange(.nextReview(nextReview), of: customer)
                events.append(.profileChanged(customer, .nextReview(nextReview), reason: ""))
            }
            return events

        case .assign(let named, let collector, let reason):
            let customers = named.distinctInOrder
            guard !customers.isEmpty else { throw DeskError.invalid(Phrase("name at least one customer to assign", zh: "请至少指定一个要分配的客户")) }
            if let collector, collector.trimmingCharacters(in: .whitespaces).isEmpty {
                throw DeskError.invalid(Phrase("the collector's name is empty (use none to unassign)", zh: "催收员姓名为空（取消分配请用 none）"))
            }
            for customer in customers { try requireCustomer(customer) }
            // Those already with that collector are left as they are; the rest are checked.
            let moving = customers.filter { book.customers[$0]?.collector != collector }
            for customer in moving { try checkChange(.collector(collector), of: customer) }
            guard !moving.isEmpty else {
                throw DeskError.invalid(Phrase("\(customers.count == 1 ? customers[0] + " is" : "these customers are") already with \(collector ?? "no collector"); nothing was saved",
                                               zh: "客户已分配给 \(collector ?? "无")；未保存"))
            }
            return moving.map { .profileChanged($0, .collector(collector), reason: reason) }

        case .writeOff(let customer, let amount, let invoice, let reason):
            try requireCustomer(customer)
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw DeskError.invalid(Phrase("a write-off needs a reason", zh: "核销需要填写原因")) }
            try checkWriteOffNeedsNoSecondManager(amount, of: customer)
            return [.writtenOff(WriteOff(id: id("WO"), customer: customer, day: today,
                                         allocations: try writeOffAllocations(amount, of: customer, to: invoice),
                                         reason: reason, approvedBy: user))]

        case .reinstateWriteOff(let id, let on, let reason):
            return try writeOffReinstated(id, on: on, reason: reason)

        case .request(let customer, let kind, let reason):
            try requireCustomer(customer)
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw DeskError.invalid(Phrase("a request needs a reason", zh: "申请需要填写原因")) }
            // One waiting request of a sort per customer (a limit, a write-off): the manager has
            // one question to answer, not two.
            let earlier = book.requests.values.first { $0.state == .pending && $0.customer == customer && $0.kind.isSameSort(as: kind) }
            if let earlier, earlier.kind == kind {
                throw DeskError.invalid(Phrase("request \(earlier.id) asks for that already and waits for a manager",
                                               zh: "申请 \(earlier.id) 已提出相同内容，正等待信用经理处理"))
            }
            switch kind {
            case .creditLimit(let limit):
                try checkChange(.creditLimit(limit), of: customer)  // what setting it would refuse
            case .writeOff(let amount):
                _ = try writeOffAllocations(amount, of: customer, to: nil)  // what approving it would refuse, refused now
            default: break
            }
            let filed = Event.requestFiled(Request(id: id("R"), customer: customer, kind: kind, reason: reason,
                                                   requestedBy: user, day: today))
            // Another amount: the requester's own replaces the one waiting (withdrawn, then the
            // new one, in one action); someone else's is theirs to withdraw.
            guard let earlier else { return [filed] }
            guard earlier.isWithdrawable(by: user) else {
                let asked = (ActivityText.requested(earlier.kind, currency: book.currency, chinese: false),
                             ActivityText.requested(earlier.kind, currency: book.currency, chinese: true))
                throw DeskError.invalid(Phrase("request \(earlier.id) by \(earlier.requestedBy) (\(asked.0)) for \(customer) waits for a manager; ask \(earlier.requestedBy) or a manager about it",
                                               zh: "\(earlier.requestedBy) 的申请 \(earlier.id)（\(asked.1)）正等待信用经理处理；请与其或信用经理联系"))
            }
            let replacement = ActivityText.requested(kind, currency: book.currency, chinese: false)
            return [.requestDecided(id: earlier.id, approved: false, reason: "withdrawn: replaced by a request for \(replacement)"), filed]

        case .reviewLostRecords:
            guard !book.lostRecords.isEmpty else { throw DeskError.invalid("no record of this book was set aside by a repair") }
            guard (book.lostRecords + book.skippedRecords).contains(where: { $0.sequence > book.lostReviewedThrough }) else {
                throw DeskError.invalid("the records set aside were already marked as dealt with; nothing was saved")
            }
            return [.lostRecordsReviewed(through: book.lastSequence)]

        case .waiveCharge(let chargeID, let reason):
            guard let charge = book.charge(chargeID) else { throw DeskError.invalid("no charge \"\(chargeID)\" (ardesk ledger CUSTOMER lists a customer's)") }
            guard charge.outstanding.isPositive else { throw DeskError.invalid(Phrase("charge \(chargeID) is already paid or waived", zh: "费用 \(chargeID) 已付清或已减免")) }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw DeskError.invalid(Phrase("waiving a charge needs a reason", zh: "减免费用需要填写原因")) }
            guard today >= charge.day else { throw DeskError.invalid("charge \(chargeID) was billed on \(charge.day), after today (\(today))") }
            return [.chargeWaived(id: chargeID, day: today, reason: reason)]

        case .decide(let requestID, let approved, let reason):
            guard approved || !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DeskError.invalid(Phrase("rejecting a request needs a reason: its requester reads it", zh: "驳回申请需要填写原因：申请人会看到"))
            }
            return try decision(requestID, approved: approved, reason: reason, writeOffID: id("WO"))

        case .batch(let events):
            return events
        }
    }
}

extension ProfileChange {
    /// Limits, holds, grades and status changes must say why (audit).
    var needsReason: Bool {
        switch self {
        case .creditLimit, .hold, .release, .grade, .status: return true
        default: return false
        }
    }
}
