import Core
import Foundation

/// A manager's decision on a request, as events (`Command.decide`): the decision, and what an
/// approval sets (the limit, the write-off, the hold, the hand-off).
extension Desk {
    /// Another manager of the book than this user, if any: who approves this user's own requests.
    public var otherManager: String? { roles?.users.filter({ $0.key != user && $0.value != .collector }).keys.sorted().first }

    /// `writeOffID`: the id an approved write-off takes (its action's first record's).
    func decision(_ requestID: String, approved: Bool, reason: String, writeOffID: String) throws -> [Event] {
        guard let request = book.requests[requestID] else {
            // An id typed without its first letters (RUN-… for RRUN-…): the one it names.
            let typed = requestID.halfWidth.trimmingCharacters(in: .whitespaces).lowercased()
            let near = book.requestOrder.first { id in
                let known = id.lowercased()
                return known == typed || known == "r" + typed || (typed.count >= 6 && known.hasSuffix(typed))
            }
            throw DeskError.invalid(Phrase("no request \"\(requestID)\"" + (near.map { " (did you mean \($0)?)" } ?? ""),
                                           zh: "没有申请“\(requestID)”" + (near.map { "（是否为 \($0)？）" } ?? "")))
        }
        // A decision is dated today: on a day before the request was filed (a session with
        // another day pinned) it would read as decided before it was asked.
        guard request.day <= today else {
            throw DeskError.invalid(Phrase("request \(requestID) was filed on \(request.day), after today (\(today)): decide it on or after that day",
                                           zh: "申请 \(requestID) 于 \(request.day) 提出，晚于今天（\(today)）：请在该日或之后处理"))
        }
        guard request.state == .pending else {
            if request.isWithdrawn, case .rejected(_, let why) = request.state {
                // Its reason only where it says more than who withdrew it ("withdrawn: replaced by …").
                let said = why == "withdrawn by \(request.requestedBy)" ? nil : why
                throw DeskError.invalid(Phrase("request \(requestID) was withdrawn by \(request.requestedBy)" + (said.map { " (\($0))" } ?? ""),
                                               zh: "申请 \(requestID) 已由 \(request.requestedBy) 撤回" + (said.map { "（\($0)）" } ?? "")))
            }
            throw DeskError.invalid(Phrase("request \(requestID) was already decided", zh: "申请 \(requestID) 已处理"))
        }
        // Four eyes: a limit or write-off asked for by a manager is approved by another,
        // where the book has another (a run's holds and hand-offs are the run's, not a person's).
        if approved, request.requestedBy == user, !request.kind.isDunningLevel, let other = otherManager {
            throw DeskError.refused(Phrase("request \(requestID) is your own: another manager (\(other)) approves it; you may reject it to withdraw it",
                                           zh: "申请 \(requestID) 是你本人提出的：须由另一位经理（\(other)）批准；你可以驳回以撤回"))
        }
        // One's own request turned down where another manager would decide it is withdrawn (not
        // a run's proposal): recorded as such, so that every screen and the undo say "withdrawn".
        // Alone in the book, a manager's rejection of their own request is a rejection.
        let withdrawing = !approved && otherManager != nil && request.requestedBy == user && !request.kind.isDunningLevel && !reason.hasPrefix("withdrawn")
        var events: [Event] = [.requestDecided(id: requestID, approved: approved, reason: withdrawing ? "withdrawn: \(reason)" : reason)]
        if approved && request.kind.isDunningLevel {
            // A hold or hand-off a run proposed is for money past due: paid or credited since,
            // there is nothing to hold the customer for (nor a letter to write about it).
            let position = Position(request.customer, in: book, asOf: today)
            guard position.toCollect.isPositive else {
                throw DeskError.invalid(Phrase(
                    "\(request.customer) owes nothing past due now (paid or credited since the run of \(request.day)): reject request \(requestID), or the next dunning run withdraws it",
                    zh: "\(request.customer) 目前没有逾期欠款（\(request.day) 批次之后已付款或冲抵）：请驳回申请 \(requestID)，或由下次催收批次撤回"))
            }
        }
        if approved {
            switch request.kind {
            case .creditLimit(let limit) where book.customers[request.customer]?.creditLimit == limit:
                break  // set so meanwhile: the decision is recorded, there is nothing to change
            case .creditLimit(let limit):
                try checkChange(.creditLimit(limit), of: request.customer)
                events.append(.profileChanged(request.customer, .creditLimit(limit), reason: "request \(requestID): \(request.reason)"))
            case .writeOff(let amount):
                // The amount asked for, or nothing: approving never writes off more or less.
                let allocations = try writeOffAllocations(amount, of: request.customer, to: nil)
                events.append(.writtenOff(WriteOff(id: writeOffID, customer: request.customer, day: today,
                                                   allocations: allocations, reason: request.reason, approvedBy: user)))
            case .creditHold where book.customers[request.customer]?.status == .onHold:
                break  // held meanwhile: the decision is recorded, there is nothing to place
            case .creditHold:
                try checkChange(.hold, of: request.customer)
                events.append(.profileChanged(request.customer, .hold, reason: "request \(requestID): \(request.reason)"))
            case .handOff(let status) where book.customers[request.customer]?.status == status:
                break  // handed off meanwhile
            case .handOff(let status):
                try checkChange(.status(status), of: request.customer)
                events.append(.profileChanged(request.customer, .status(status), reason: "request \(requestID): \(request.reason)"))
            }
        }
        return events
    }
}
