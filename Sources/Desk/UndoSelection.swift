import Core

/// What `u` takes back: the user's last action of today, whole, when it can be undone.
extension Desk {
    /// An action in words ("change credit hold · request …"), for a refusal in either language.
    private func described(_ activity: Activity, chinese: Bool) -> String {
        let (kind, detail) = ActivityText.describe(activity.kind, book: book, chinese: chinese, levels: policy.dunningLevels)
        return detail.isEmpty ? kind : "\(kind) \(detail)"
    }

    /// The ids of the credit applications the action of records `start...sequence` wrote, when it
    /// wrote them: `CA<start>`, `CA<start>-2`, … (see `CreditPlan`), one a record, each standing.
    private func creditApplied(from start: UInt64, through sequence: UInt64) -> [String]? {
        let id = "CA\(start)"
        let ids = [id] + (0..<Int(sequence - start)).map { "\(id)-\($0 + 2)" }
        return ids.allSatisfy { book.creditApplications[$0].map { $0.withdrawn == nil } ?? false } ? ids : nil
    }

    /// Whether nothing is left of `activity` to take back: its request withdrawn (by u, or by
    /// the request that replaced it) or turned down by another, its withdrawal itself (an undo already), or a claim or
    /// release another's claim or a reassignment has since made void.
    private func isSpent(_ activity: Activity) -> Bool {
        switch activity.kind {
        case .request(let id):
            // Withdrawn, or turned down by another: nothing of it is left to take back.
            guard let request = book.requests[id] else { return false }
            if case .rejected(let by, _) = request.state, by != user { return true }
            return request.isWithdrawn
        case .decision(let id, false, _): return book.requests[id].map { $0.isWithdrawn && $0.requestedBy == user } ?? false
        case .claimed: return book.claims[activity.customer] != user || refusal(toWork: activity.customer) != nil
        case .released: return book.claims[activity.customer].map { $0 != user } ?? false
        default: return false
        }
    }

    /// The request that filing `activity`'s request replaced (withdrawn in the same action, "withdrawn:
    /// replaced by …"), which undoing the filing asks for again.
    func replacedRequest(by activity: Activity) -> Request? {
        for other in book.timeline(of: activity.customer)
        where other.stamp.actionStart == activity.stamp.actionStart && other.stamp.sequence != activity.stamp.sequence {
            if case .decision(let id, false, let reason) = other.kind, reason.hasPrefix("withdrawn: replaced") { return book.requests[id] }
        }
        return nil
    }

    /// What `undoLast` would undo: the signed-in user's most recent action not undone yet, with
    /// every record that one action wrote (a dispute over two invoices is two), in order. When
    /// that action cannot be undone (a hold, a decision, a payment, anything from an earlier day),
    /// undo is refused and says which action it is, rather than quietly undoing an older one.
    public func actionToUndo() throws -> [Activity] {
        // Actions nothing is left of to undo are passed over (a request withdrawn, a claim that
        // lapsed or was overtaken), so u does not stop at them for good.
        var latest = book.lastActivity(by: user)
        while let found = latest, isSpent(found) { latest = book.lastActivity(by: user, before: found.stamp.actionStart) }
        // The user's last action began with this record: a posting's action (recorded in the
        // book, so one made from another process counts too), else the last activity's.
        let posting = book.lastPosting(by: user).flatMap { $0 > latest?.stamp.sequence ?? 0 ? $0 : nil }
        let actionStart = posting.flatMap { _ in book.lastPostingAction(by: user) } ?? latest?.stamp.actionStart
        // A dunning run is the whole book's action: its levels, letters, call tasks and charges
        // stand, whichever of its records came last.
        if let actionStart, let run = book.dunningRuns.last(where: { $0.record == actionStart }) {
            let last = posting ?? latest?.stamp.sequence ?? actionStart
            throw DeskError.refused(Phrase("your last action was the dunning run \(run.id) of \(run.day) (records \(actionStart)–\(last)), which u does not undo: its levels, letters, call tasks, fees and interest stand; a manager waives a fee or interest with ardesk waive CHARGE --reason R",
                                           zh: "你的上一个操作是催收批处理 \(run.id)（\(run.day)，记录 \(actionStart)–\(last)），u 不能撤销：其催收级别、函件、电话任务、费用及利息保留；费用或利息可由信用经理用 ardesk waive 费用编号 --reason 原因 减免"))
        }
        if let sequence = posting {
            let start = actionStart ?? sequence
            // A reinstatement is undone by writing off again, on purpose (the payments it moved
            // come after it, in the same action).
            if let back = book.writeOffs.values.first(where: { $0.reinstated?.record == start }) {
                throw DeskError.refused(Phrase("your last action (record \(start)) reinstated write-off \(back.id) of \(back.customer), which u does not undo; to write it off again, use W on the customer or ardesk writeoff",
                                               zh: "你的上一个操作（记录 \(start)）转回了 \(back.customer) 的核销 \(back.id)，u 不能撤销；如需再次核销，请在该客户上按 W，或用 ardesk writeoff"))
            }
            // Credit applied is taken back with its own command, named here.
            if let applied = creditApplied(from: start, through: sequence) {
                let ids = applied.joined(separator: ", ")
                throw DeskError.refused(Phrase("your last action (record \(sequence)) applied credit (\(ids)), which u does not undo; take it back with U on the customer, or ardesk unapply-credit ID --reason R",
                                               zh: "你的上一个操作（记录 \(sequence)）是冲抵（\(ids)），u 不能撤销；请在该客户上按 U，或用 ardesk unapply-credit 编号 --reason 原因 撤回"))
            }
            // A write-off likewise: its id is its action's first record's (`id("WO")`), an
            // approval's included, and the action is this user's.
            if let writeOff = book.writeOffs["WO\(start)"], writeOff.reinstated == nil {
                throw DeskError.refused(Phrase("your last action (record \(sequence)) wrote off \(writeOff.id) of \(writeOff.customer), which u does not undo; take it back with I on the customer, or ardesk reinstate \(writeOff.id) --reason R",
                                               zh: "你的上一个操作（记录 \(sequence)）核销了 \(writeOff.customer) 的 \(writeOff.id)，u 不能撤销；请在该客户上按 I，或用 ardesk reinstate \(writeOff.id) --reason 原因 转回"))
            }
            throw DeskError.refused(Phrase("your last action (record \(sequence)) was a posting (a payment, an import, a write-off, a document, a credit note, credit applied or taken back), which u does not undo; correct it with another entry: a payment entered in error with R on the customer (ardesk reverse-payment REF --entered-in-error --reason R), credit taken back with U applied again with C",
                                           zh: "你的上一个操作（记录 \(sequence)）是过账（回款、导入、核销、单据、贷项通知、冲抵或撤回冲抵），u 不能撤销；请另录一笔更正：误录的回款在该客户上按 R（ardesk reverse-payment 参考号 --entered-in-error --reason 原因），用 U 撤回的冲抵按 C 重新冲抵"))
        }
        guard let latest else { throw DeskError.invalid(Phrase("you have no action left to undo", zh: "没有可撤销的操作")) }
        // u takes back a slip made today; days-old work is corrected on purpose, with its own key.
        guard latest.stamp.day == today else {
            let (en, zh) = (described(latest, chinese: false), described(latest, chinese: true))
            throw DeskError.refused(Phrase("you have nothing of today's left to undo (your last action, \(en) on \(latest.customer), record \(latest.stamp.sequence), was on \(latest.stamp.day)); change older work with its own key or command",
                                           zh: "今天没有可撤销的操作（你的上一个操作是 \(latest.stamp.day) \(latest.customer) 的\(zh)，记录 \(latest.stamp.sequence)）；较早的操作请用对应的按键或命令修改"))
        }
        // A letter a dunning run sent comes right after the level it set (and before the fee and
        // interest it billed): it is part of the run, not a slip to take back on its own. Asked
        // before the written file's refusal below, which would hide why.
        if case .documentSent(.letter, _) = latest.kind, let before = book.activity(sequence: latest.stamp.sequence - 1),
           before.customer == latest.customer, before.kind.isDunningLevel {
            throw DeskError.refused(Phrase("your last action, the dunning run's letter to \(latest.customer) (record \(latest.stamp.sequence)), is part of that run (its level, fees and interest) and cannot be undone with u; a manager waives a fee with ardesk waive",
                                           zh: "你的上一个操作（催收批处理发给 \(latest.customer) 的催款函，记录 \(latest.stamp.sequence)）属于该批处理（催收级别、费用及利息），不能用 u 撤销；费用可由信用经理用 ardesk waive 减免"))
        }
        if case .documentSent(let kind, let file) = latest.kind, !file.isEmpty {
            let what = if case .statement = kind { ("statement", "对账单") } else { ("letter", "催款函") }
            throw DeskError.refused(Phrase("your last action wrote a \(what.0) for \(latest.customer) to \(file) (record \(latest.stamp.sequence)); a document written stays on the record, and so do the actions before it (it showed them): correct one with its own key (a promise with p, a dispute resolved with D, a note with another note)",
                                           zh: "你的上一个操作为 \(latest.customer) 生成了\(what.1) \(file)（记录 \(latest.stamp.sequence)）；已生成的单据保留在记录中，其前的操作（单据已反映）也不能再撤销：请用对应的按键更正（承诺按 p，争议按 D 解决，备注再记一条）"))
        }
        // A reversal is not taken back: the bank's return happened. A payment entered again is
        // a new payment, under a reference of its own.
        if case .paymentReversed(let payment, _) = latest.kind {
            throw DeskError.refused(Phrase("your last action reversed payment \(payment) of \(latest.customer) (record \(latest.stamp.sequence)); a reversal stays on the record: if the money did arrive, record it again as a payment with a new reference",
                                           zh: "你的上一个操作冲销了 \(latest.customer) 的回款 \(payment)（记录 \(latest.stamp.sequence)）；冲销保留在记录中：如款项确已到账，请以新的参考号重新登记回款"))
        }
        // A reversal that opened an imported dispute again wrote the dispute after it, in the same
        // action: the reversal's refusal holds for the whole action.
        if let reversal = book.timeline(of: latest.customer).last(where: { activity in
            guard activity.stamp.sequence >= latest.stamp.actionStart, activity.stamp.sequence < latest.stamp.sequence else { return false }
            if case .paymentReversed = activity.kind { return true } else { return false }
        }), case .paymentReversed(let payment, _) = reversal.kind {
            throw DeskError.refused(Phrase("your last action reversed payment \(payment) of \(latest.customer) (record \(reversal.stamp.sequence)) and opened again the dispute it had ended; a reversal stays on the record",
                                           zh: "你的上一个操作冲销了 \(latest.customer) 的回款 \(payment)（记录 \(reversal.stamp.sequence)）并重新打开了其结束的争议；冲销保留在记录中"))
        }
        // A limit or write-off request of mine still waiting is withdrawn (see `undoLast`): the
        // manager has not acted on it, and there is no other way for its requester to take it back.
        if case .request(let id) = latest.kind, let request = book.requests[id], request.isWithdrawable(by: user) {
            return [latest]
        }
        // Decided since: who decided it is what the requester needs to know (and there is no key of theirs to change it).
        if case .request(let id) = latest.kind, let request = book.requests[id], request.requestedBy == user {
            switch request.state {
            case .approved(let by) where by != user:
                throw DeskError.refused(Phrase("your last action, request \(id) on \(latest.customer), was approved by \(by) since and cannot be undone; ask a manager to change it",
                                               zh: "你的上一个操作（\(latest.customer) 的申请 \(id)）已由 \(by) 批准，不能撤销；如需更改请联系经理"))
            default: break
            }
        }
        guard latest.isUndoable else {
            let (en, zh) = (described(latest, chinese: false), described(latest, chinese: true))
            if case .decision = latest.kind {  // no key takes a decision back: a new request asks again
                throw DeskError.refused(Phrase("your last action, \(en) on \(latest.customer) (record \(latest.stamp.sequence)), is a decision and stands: u does not take it back; a new request asks again",
                                               zh: "你的上一个操作（\(latest.customer) 的\(zh)，记录 \(latest.stamp.sequence)）是审批决定，不能撤销；如需重新考虑请再提交申请"))
            }
            // A profile change is changed back with the key or command that made it: named.
            let way = Desk.changedWith(latest.kind)
            throw DeskError.refused(Phrase("your last action, \(en) on \(latest.customer) (record \(latest.stamp.sequence)), cannot be undone with u; change it "
                                           + (way.map { "back with \($0.key)" + ($0.command.map { ", or ardesk \($0)" } ?? "") } ?? "with its own key or command"),
                                           zh: "你的上一个操作（\(latest.customer) 的\(zh)，记录 \(latest.stamp.sequence)）不能用 u 撤销；"
                                           + (way.map { "请按 \($0.key)" + ($0.command.map { " 或用 ardesk \($0)" } ?? "") + " 改回" } ?? "请用对应的按键或命令修改")))
        }
        // Undoing a claim or a release must not take a claim someone else holds now (a claim a
        // manager released since is nobody's: undoing is then harmless).
        if latest.kind == .claimed || latest.kind == .released, let holder = book.claims[latest.customer], holder != user {
            throw DeskError.refused(Phrase("\(latest.customer) was claimed by \(holder) since your \(latest.kind == .claimed ? "claim" : "release"); undoing it would take the claim from them",
                                           zh: "此后 \(latest.customer) 已被 \(holder) 认领；撤销会夺走其认领"))
        }
        let records = recordsOfOneAction(endingWith: latest)
        if let kept = keptByLaterWork(records) { throw DeskError.refused(kept) }
        return records
    }

    /// Why work recorded since on the customer, by anyone, keeps `records` (one action): a
    /// statement or letter written since showed it (a dispute, a promise) to the customer; a
    /// dispute resolved since was settled by whoever resolved it; a payment recorded since went
    /// around the disputed invoice. Nil when nothing keeps it.
    private func keptByLaterWork(_ records: [Activity]) -> Phrase? {
        guard let first = records.first else { return nil }
        let since = book.timeline(of: first.customer).filter { $0.stamp.sequence > records.last!.stamp.sequence && $0.undoneBy == nil }
        let shown = records.contains { activity in
            switch activity.kind { case .dispute, .disputeResolved, .promise, .plan: true; default: false }
        }
        if shown, let written = since.first(where: { if case .documentSent(_, let file) = $0.kind { !file.isEmpty } else { false } }),
           case .documentSent(let kind, let file) = written.kind {
            let what = if case .statement = kind { ("statement", "对账单") } else { ("letter", "催款函") }
            return Phrase("your last action on \(first.customer) (record \(first.stamp.sequence)) was shown to the customer since, in the \(what.0) \(file) (record \(written.stamp.sequence), \(displayName(of: written.stamp.author))); it stays on the record: correct it with its own key (a promise with p, a dispute resolved with D, a note with another note)",
                          zh: "你在 \(first.customer) 上的上一个操作（记录 \(first.stamp.sequence)）此后已在\(what.1) \(file) 中发给客户（记录 \(written.stamp.sequence)，\(displayName(of: written.stamp.author))）；它保留在记录中：请用对应的按键更正（承诺按 p，争议按 D 解决，备注再记一条）")
        }
        for record in records {
            guard case .dispute(let id) = record.kind, let dispute = book.disputes[id] else { continue }
            if let resolution = since.first(where: { if case .disputeResolved(id, _) = $0.kind { true } else { false } }) {
                return Phrase("your last action, dispute \(id) on \(dispute.invoice), was resolved by \(displayName(of: resolution.stamp.author)) since (record \(resolution.stamp.sequence)); it stays on the record with its resolution",
                              zh: "你的上一个操作（\(dispute.invoice) 的争议 \(id)）此后已由 \(displayName(of: resolution.stamp.author)) 解决（记录 \(resolution.stamp.sequence)）；该争议及其解决保留在记录中")
            }
            // Around it: the rule paid an invoice due after it, which it would have paid first.
            let invoices = book.invoices
            let due = invoices[dispute.invoice]?.firstDue
            let stillOpen = invoices[dispute.invoice].map { $0.open(asOf: today).isPositive } ?? false
            if stillOpen, let due, let paid = book.payments(of: record.customer, recordedAfter: record.stamp.sequence).first(where: { payment in
                payment.byRule && payment.allocations.contains { invoices[$0.invoice].map { $0.firstDue > due } ?? false }
            }) {
                return Phrase("your last action disputed \(dispute.invoice) (\(id)), and payment \(paid.reference) recorded since was allocated around it; resolve the dispute with D (or ardesk resolve \(id) --note N) rather than undo it",
                              zh: "你的上一个操作对 \(dispute.invoice) 提出了争议（\(id)），此后登记的回款 \(paid.reference) 已避开该发票分配；请按 D（或 ardesk resolve \(id) --note 说明）解决该争议，而不是撤销")
            }
        }
        return nil
    }

    /// `latest` and the other activities the same action wrote on the same customer and day (one
    /// form can save several records in one append), oldest first; those already undone or not
    /// undoable stay. An import or a demo's history appends thousands of records at once: only
    /// what concerns the customer and the day of the action is part of it.
    private func recordsOfOneAction(endingWith latest: Activity) -> [Activity] {
        // Back along the customer's timeline (in record order), not through every record of the action.
        let earlier = book.timeline(of: latest.customer).reversed()
            .drop { $0.stamp.sequence >= latest.stamp.sequence }
            .prefix { $0.stamp.sequence >= latest.stamp.actionStart }
            .filter { $0.stamp.day == latest.stamp.day && $0.undoneBy == nil && $0.isUndoable }
        return earlier.reversed() + [latest]
    }
}

extension Activity {
    /// Collector actions that can be taken back; manager decisions and system records cannot,
    /// nor a document ardesk wrote to the outbox (it stays there: only one recorded as sent by
    /// hand is a note to take back).
    var isUndoable: Bool {
        switch kind {
        case .call, .note, .callback, .promise, .plan, .dispute, .disputeResolved, .claimed, .released, .worked: return true
        case .documentSent(_, let file): return file.isEmpty
        default: return false
        }
    }
}

extension Desk {
    /// The workstation key and the command that change what a profile change set.
    static func changedWith(_ kind: Activity.Kind) -> (key: String, command: String?)? {
        guard case .profile(let change, _) = kind else { return nil }
        switch change {
        case .creditLimit: return ("$", "limit")
        case .hold, .release: return ("H", "hold / ardesk release")
        case .terms: return ("T", "terms")
        case .collector: return ("A", "assign")
        case .status: return ("K", "status")
        case .nextReview: return ("V", "review")
        case .contacts: return ("e", "contact")
        case .grade: return ("5 (the 5C scorecard)", nil)
        case .name: return nil
        }
    }
}
