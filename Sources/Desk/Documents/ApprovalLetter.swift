import Core
import Journal

extension Desk {
    /// Approving a hold or hand-off a dunning level proposed tells the customer: the level's
    /// letter (the built-in `hold` and `legal` templates) is written into the outbox and recorded
    /// with the decision, in one append. Without a template for the level there is no letter.
    /// Nil for any other command.
    func approvalWithLetter(_ command: Command) throws -> [JournalRecord]? {
        guard case .decide(let requestID, true, _) = command, let request = book.requests[requestID],
              request.state == .pending, request.kind.isDunningLevel,
              let customer = book.customers[request.customer],
              let level = policy.dunningLevels.first(where: { $0.level == book.dunningLevels[request.customer]?.level }) else { return nil }
        let outbox = Outbox(folder: folder, templates: templates)
        let language = Desk.language(for: customer)
        guard outbox.templates.has("letter-\(level.template).\(language).md.mustache") else { return nil }
        let delivery = try outboxDelivery(outbox)  // first: it may read the log anew
        var events = try events(for: command, nextSequence: book.lastSequence + 1)  // refused as the decision alone would be
        let position = Position(customer.id, in: book, asOf: today)
        let proposal = DunningProposal(customer: customer.id, fromLevel: level.level, level: level, overdue: position.collectablePastDue,
                                       credit: position.credit, oldestDaysPastDue: position.oldestDaysPastDue, fee: .zero, interest: .zero,
                                       earlierCharges: OpenCharges.total(customer.id, in: book, asOf: today))
        let file = try delivery.stage(letter(proposal, level: level, asOf: today, language: language, in: outbox))
        events.append(.documentSent(customer.id, .letter(level: level.level), file: file))
        return try perform(.batch(events), delivering: delivery)
    }
}
