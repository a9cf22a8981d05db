import Core
import Foundation

/// What a dunning run does (or, dry, would do) for each customer whose next level is due.
public struct DunningAction: Sendable {
    public var proposal: DunningProposal
    /// What the level's channel produces, in words ("letter outbox/...", "call task", "hold request").
    public var action: Phrase
}

extension Desk {
    /// Runs (or previews) the dunning policy as of `day`. A dry run computes exactly the same
    /// proposals and appends nothing; a real run appends, in one all-or-nothing batch, the run,
    /// each customer's new level, and each level's action: a letter in the outbox, a call task in
    /// the collector's queue, a credit-hold request or a legal/agency hand-off request for a manager.
    public func dunningRun(asOf day: Day, dryRun: Bool, language: String? = nil) throws -> [DunningAction] {
        if !dryRun {
            if let readOnlyReason { throw DeskError.readOnly(readOnlyReason) }
            // Refused before any letter is written: a refused run must leave nothing in the outbox.
            try checkSharedFilesForChange()
            if let roles, let refusal = roles.refusal(ofDunningRunBy: user) { throw DeskError.notAllowed(refusal) }
            // Its fees, levels and letters are the policy's: not run on the last one read while the file is broken.
            if let policyProblem { throw DeskError.invalid("\(policyProblem); the dunning run waits until policy.toml reads again") }
            // A run after today would stand as the last run, and every run before it is refused.
            guard day <= today else {
                throw DeskError.invalid("a dunning run cannot be dated after today (\(today)); preview \(day) with --dry-run")
            }
        }
        // One outbox and template library for the run's letters (and the check before them).
        let outbox = Outbox(folder: folder, templates: templates)
        if let missing = Desk.missingLetterTemplate(policy: policy, templates: outbox.templates, file: folder.policyPath) { throw DeskError.invalid(Phrase(missing)) }
        // Letters wait in the outbox's staging folder until the run's records are saved (made
        // before the proposals: finishing a stopped process's delivery may read the log anew).
        let delivery = dryRun ? nil : try outboxDelivery(outbox)
        defer { delivery?.discard() }
        let proposals: [DunningProposal]
        let lookingBack = dryRun && day < today
        let runsPlanned = book.dunningRuns.count  // the runs the proposals know of (see the append)
        do { proposals = try Dunning.propose(book: book, policy: policy, asOf: day, lookingBack: lookingBack) }
        catch let error as DunningError { throw DeskError.refused(Phrase(error.description)) }
        let runID = "RUN-\(day.iso)-\(book.lastSequence + 1)"
        // A preview renders the first letter of each template and language, so that it fails as
        // the run would on a template that cannot be rendered (rendering them all is the run's work).
        var previewed: Set<String> = []
        var events: [Event] = [.dunningRun(id: runID, day: day)]
        var actions: [DunningAction] = []
        // Holds and hand-offs earlier runs proposed and no manager has decided, by customer (a
        // look back: those waiting on its day, not one filed or decided since).
        let waiting = Dictionary(grouping: book.requests.values.filter {
            $0.kind.isDunningLevel && (lookingBack ? book.isPending($0, asOf: day) : $0.state == .pending)
        }, by: \.customer)
        for proposal in proposals {
            let id = proposal.customer
            events.append(.dunningLevelSet(id, level: proposal.toLevel, runID: runID))
            guard let level = proposal.level else {
                // Back to level 0 (paid, or covered): what a level proposed lapses with it, so that
                // a manager cannot approve a hold on a customer who owes nothing past due.
                for request in (waiting[id] ?? []).sorted(by: { $0.id < $1.id }) {
                    events.append(.requestDecided(id: request.id, approved: false, reason: DunningText.withdrawn(by: runID)))
                }
                actions.append(DunningAction(proposal: proposal, action: Phrase("resolved (back to level 0)", zh: "已解除（回到第 0 级）")))
                continue
            }
            // One request of each kind at a time: a run does not file again what still waits.
            let holdWaits = waiting[id]?.contains { $0.kind == .creditHold } == true
            let handOffWaits = waiting[id]?.contains { if case .handOff = $0.kind { true } else { false } } == true
            switch level.channel {
            case .letter, .email:
                var file = "outbox/\(day.iso)/\(id)-letter-\(level.level).md"
                let letterLanguage = language ?? Desk.language(for: book.customers[id]!)
                if let delivery {
                    file = try delivery.stage(letter(proposal, level: level, asOf: day, language: letterLanguage, in: outbox))
                } else if previewed.insert("\(level.template).\(letterLanguage)").inserted {
                    _ = try letter(proposal, level: level, asOf: day, language: letterLanguage, in: outbox)
                }
                events.append(.documentSent(id, .letter(level: level.level), file: file))
                let billed = Desk.charges(billedBy: proposal, runID: runID, on: day)
                events += billed.map { .chargePosted($0) }
                // What it bills is the proposal's fee and interest (columns of their own beside it).
                actions.append(DunningAction(proposal: proposal, action: Phrase("letter \(file)", zh: "催款函 \(file)")))
            case .call, .visit:
                // A callback the customer asked for on a later day stands: calling before it
                // would go against what they were told; the level is set, and that call serves it.
                if let asked = Worklist.pendingCallback(of: id, in: book, asOf: day), asked.day > day {
                    actions.append(DunningAction(proposal: proposal, action: Phrase("\(level.channel.rawValue) at the callback of \(asked.day.iso) already asked for",
                                                                                    zh: "已有 \(asked.day.iso) 的回访，届时处理")))
                    break
                }
                events.append(.callbackScheduled(id, day, note: DunningText.task(level)))
                actions.append(DunningAction(proposal: proposal, action: Phrase("\(level.channel.rawValue) task in the queue",
                                                                                zh: level.channel == .call ? "电话任务已排入队列" : "上门任务已排入队列")))
            case .hold where (lookingBack ? book.customer(id, asOf: day) : book.customers[id])?.status == .onHold:
                // Held already (a manager placed it): the level stands without asking again.
                actions.append(DunningAction(proposal: proposal, action: Phrase("already on hold", zh: "已冻结")))
            case .hold where holdWaits:
                actions.append(DunningAction(proposal: proposal, action: Phrase("credit hold waits for approval already", zh: "信用冻结已在待审批中")))
            case .hold:
                events.append(.requestFiled(Request(id: "R\(runID)-\(id)", customer: id, kind: .creditHold,
                                                    reason: DunningText.request(level), requestedBy: user, day: day)))
                actions.append(DunningAction(proposal: proposal, action: Phrase("credit hold proposed for approval", zh: "信用冻结待审批")))
            case .legal where handOffWaits, .agency where handOffWaits:
                actions.append(DunningAction(proposal: proposal, action: Phrase("hand-off waits for approval already", zh: "移交已在待审批中")))
            case .legal, .agency:
                let status: CustomerStatus = level.channel == .legal ? .legal : .agency
                events.append(.requestFiled(Request(id: "R\(runID)-\(id)", customer: id, kind: .handOff(status),
                                                    reason: DunningText.request(level), requestedBy: user, day: day)))
                actions.append(DunningAction(proposal: proposal, action: Phrase("\(status.rawValue) hand-off proposed for approval",
                                                                                zh: status == .legal ? "移交法务待审批" : "移交催收机构待审批")))
            }
        }
        // Dated the run's day: a run dated back records its levels and letters on that day, so
        // quiet days and past views count from it.
        // Another run saved while this one was prepared (two managers, a cron job run twice)
        // would send every letter twice: checked against the log under its write lock.
        if let delivery, !proposals.isEmpty {
            try perform(.batch(events), dated: day, delivering: delivery) { fresh in
                guard fresh.dunningRuns.count != runsPlanned, let other = fresh.dunningRuns.last else { return }
                throw DeskError.refused(Phrase("another dunning run (\(other.id)) was saved while this one was prepared: nothing was saved; preview again to see what is still due",
                                               zh: "准备本次催收批处理期间，另一批处理（\(other.id)）已保存：本次未保存任何内容；请重新预览，查看仍需处理的项目"))
            }
        }
        return actions
    }

    /// What a letter bills, each a charge of its own kept apart from the principal: the level's
    /// fee, and the interest not billed yet (through the run's day).
    static func charges(billedBy proposal: DunningProposal, runID: String, on day: Day) -> [Charge] {
        var charges: [Charge] = []
        if proposal.fee.isPositive {
            charges.append(Charge(id: "\(runID)-\(proposal.customer)-FEE", customer: proposal.customer, day: day,
                                  kind: .fee(level: proposal.toLevel), amount: proposal.fee))
        }
        if proposal.interest.isPositive {
            charges.append(Charge(id: "\(runID)-\(proposal.customer)-INT", customer: proposal.customer, day: day,
                                  kind: .interest(through: day), amount: proposal.interest))
        }
        return charges
    }

    /// Why `policy`'s letters cannot be written for a book in `folder` (a template missing), or nil.
    /// `file`: the policy file checked (a candidate, not the book's), for where to point.
    public static func missingLetterTemplate(policy: Policy, folder: BookFolder, file: String? = nil) -> String? {
        missingLetterTemplate(policy: policy, templates: TemplateLibrary.standard(book: folder), file: file ?? folder.policyPath)
    }

    /// Every letter level's template exists in both languages: a preview must fail as the run
    /// would, not list letters the run then cannot write. Placed at the level's `template` (or
    /// its `name`, which names the template when `template` is left out) in `file`, when it has one.
    static func missingLetterTemplate(policy: Policy, templates: TemplateLibrary, file: String) -> String? {
        for level in policy.dunningLevels where level.channel == .letter || level.channel == .email {
            for language in ["en", "zh"] where !templates.has("letter-\(level.template).\(language).md.mustache") {
                let name = (file as NSString).lastPathComponent
                var place = name
                if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                    let key = ["template", "name"].lazy.compactMap { PolicyReader.place(of: "dunning level \(level.level) \($0)", in: text) }.first
                    place = file + (key?.suffix ?? "")
                }
                return "\(place): dunning level \(level.level) (\(level.name)) uses the letter template \"\(level.template)\", but there is no letter-\(level.template).\(language).md.mustache; add it to the book's templates/ folder or name another template in \(name)"
            }
        }
        return nil
    }

    /// Chinese letters for customers with Chinese names, English otherwise.
    public static func language(for customer: Customer) -> String {
        customer.name.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } ? "zh" : "en"
    }

    /// Whom a letter is addressed to: the first contact person with a name (one kept by phone
    /// only has none), else the customer itself; never blank ("Dear ,").
    static func addressee(of customer: Customer) -> String {
        customer.contacts.map { $0.name.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? customer.name
    }

    /// Whether a letter was sent to `customer` since its dunning level last rose from 0, by `day`.
    static func letterSentInEpisode(of customer: CustomerID, in book: Book, asOf day: Day) -> Bool {
        var sent = false
        for activity in book.timeline(of: customer) where activity.undoneBy == nil && activity.stamp.day <= day {
            switch activity.kind {
            case .dunning(let level) where level == 0: sent = false
            case .documentSent(.letter, _): sent = true
            default: break
            }
        }
        return sent
    }

    /// The name a letter from `user` is signed with: roles.toml's `[names]` name; none without
    /// one (a login is no name to sign with: the letter is signed by the department alone).
    func signature(of user: String) -> String { roles?.names[user] ?? "" }

    /// Who signs a letter to a customer: its collector while still one of the book's users,
    /// else whoever runs the letters (a collector who has left signed the customer's demands).
    func signer(of customer: Customer) -> String {
        guard let collector = customer.collector, roles.map({ $0.users[collector] != nil }) ?? true else { return user }
        return collector
    }

    /// The level's letter to the proposal's customer, rendered.
    func letter(_ proposal: DunningProposal, level: DunningLevel, asOf day: Day, language: String, in outbox: Outbox) throws -> Outbox.Document {
        let customer = book.customers[proposal.customer]!
        let currency = book.currency
        let money = { (m: Money) in currency.format(m, grouping: ",") }
        // A pre-due courtesy level (trigger ≤ 0) lists what falls due within its days; the others
        // what is past due.
        let preDue = level.triggerDays <= 0
        // Oldest due first, as a customer reads a list of what is late (not the order entered).
        let items = OpenItems.of(customer.id, in: book, asOf: day).filter {
            (preDue ? $0.daysPastDue >= level.triggerDays : $0.daysPastDue > 0) && $0.collectable.isPositive
        }.sorted { ($0.due, $0.invoice) < ($1.due, $1.invoice) }
        let listed = preDue ? items.reduce(Money.zero) { $0 + $1.collectable } : proposal.overdue
        var context: [String: Any] = [
            "today": day.iso, "currency": currency.code, "customer": ["id": customer.id, "name": customer.name],
            "contact": Desk.addressee(of: customer), "collector": signature(of: signer(of: customer)),
            "level": level.level, "level_name": level.name(chinese: language == "zh"),
            "items": items.map { ["number": $0.invoice, "issued": $0.issued.iso, "due": $0.due.iso, "days_late": $0.daysPastDue,
                                  "open": money($0.collectable)] as [String: Any] },
            "overdue": money(listed), "fee": money(proposal.fee), "interest": money(proposal.interest),
            "total_due": money(max(.zero, listed - proposal.credit) + proposal.fee + proposal.interest + proposal.earlierCharges),
            // Sections of the templates: shown only when the letter bills or reminds of charges.
            "bills_charges": (proposal.fee + proposal.interest + proposal.earlierCharges).isPositive,
            // Each charge said only where the letter bills it: "interest 0.00" reads as a charge.
            "has_interest": proposal.interest.isPositive, "has_fee": proposal.fee.isPositive,
            "bills_new": (proposal.fee + proposal.interest).isPositive,
            // A courtesy level before the due date: the letter says what falls due shortly, and
            // (a first run, or quiet days since) what is past due already, each as it is.
            "pre_due": preDue && items.contains { $0.daysPastDue <= 0 },
            "past_due_too": items.contains { $0.daysPastDue > 0 },
            // "Despite our earlier reminders" only where a letter went before in this round of
            // dunning (a level by phone sends none).
            "reminded_before": Desk.letterSentInEpisode(of: customer.id, in: book, asOf: day),
            // A hold already in place is said as such, not threatened.
            "on_hold": customer.status == .onHold,
        ]
        if proposal.earlierCharges.isPositive { context["earlier_charges"] = money(proposal.earlierCharges) }
        if proposal.credit.isPositive {
            context["credit"] = money(proposal.credit)
            context["net_overdue"] = money(max(.zero, listed - proposal.credit))
        }
        return try outbox.render(template: "letter-\(level.template)", language: language, context: context, day: day,
                                 customer: customer.id, name: "letter-\(level.level)", title: "\(level.name(chinese: language == "zh")) \(customer.name)")
    }
}
