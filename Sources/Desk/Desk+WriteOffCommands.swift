import Core
import Foundation

/// A write-off taken back, as events (`Command.reinstateWriteOff`).
extension Desk {
    func writeOffReinstated(_ id: String, on: Day, reason: String) throws -> [Event] {
        let typed = Optional(id).trimmedNumber ?? id
        // Typed in another case (wo12 for WO12): the one write-off it names.
        guard let writeOff = book.writeOffs[typed] ?? book.writeOffs[typed.uppercased()] else {
            throw DeskError.invalid(Phrase("no write-off \"\(id)\" (ardesk ledger CUSTOMER lists them)", zh: "没有核销记录“\(id)”（ardesk ledger 客户 列出）"))
        }
        if let reinstated = writeOff.reinstated {
            throw DeskError.invalid(Phrase("write-off \(writeOff.id) was reinstated on \(reinstated.day) already (\(reinstated.reason))",
                                           zh: "核销 \(writeOff.id) 已于 \(reinstated.day) 转回（\(reinstated.reason)）"))
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DeskError.invalid(Phrase("reinstating a write-off needs a reason (written off by mistake, the customer paid, ...)",
                                           zh: "核销转回需要填写原因（误核销、客户已付款等）"))
        }
        guard on <= today else {
            throw DeskError.invalid(Phrase("a write-off cannot be reinstated after today (\(today)): \(on) has not happened yet", zh: "转回日期不能晚于今天（\(today)）：\(on) 尚未到来"))
        }
        guard on >= writeOff.day else {
            throw DeskError.invalid(Phrase("write-off \(writeOff.id) is of \(writeOff.day): it cannot be reinstated on \(on), before it",
                                           zh: "核销 \(writeOff.id) 日期为 \(writeOff.day)：转回日期不能早于该日（\(on)）"))
        }
        if let refusal = refusal(toWork: writeOff.customer) { throw DeskError.notAllowed(refusal) }
        // Payments the rule allocated after it take again what it no longer settles (see `DateOrder`).
        let moved = DateOrder.afterReinstatement(of: writeOff.id, on: on, in: book)
        let events: [Event] = [.writeOffReinstated(id: writeOff.id, customer: writeOff.customer, day: on, reason: reason)]
            + (moved.isEmpty ? [] : [.paymentsReallocated(writeOff.customer, moved)])
        // A payment that would move onto what it reopens may have had its credit applied since:
        // said with what to do, not only that the credit was applied.
        do { try checkApplies(events, on: today) } catch {
            let applied = moved.flatMap { book.standingApplications(of: .payment($0.payment)) }.map(\.id)
            guard !applied.isEmpty else { throw error }
            throw DeskError.refused(Phrase("\(error); take back the credit applied (\(applied.joined(separator: ", ")), U or ardesk unapply-credit) first, or reinstate from a later day",
                                           zh: "\(error)；请先撤回已冲抵的款项（\(applied.joined(separator: ", "))，按 U 或 ardesk unapply-credit），或将转回日期定得更晚"))
        }
        return events
    }
}

extension Desk {
    /// Four eyes on a large write-off, where the policy asks (`approval.write_off_above`) and
    /// the book has a second manager: refused, with the request to file instead.
    func checkWriteOffNeedsNoSecondManager(_ amount: Money, of customer: CustomerID) throws {
        // This user's write-offs of the customer today count together (several under the
        // amount are one over it).
        let earlierToday = book.writeOffs(of: customer).filter { $0.day == today && $0.approvedBy == user && $0.reinstated == nil }
            .reduce(Money.zero) { $0 + $1.amount }
        if let above = policy.writeOffApprovalAbove, amount + earlierToday > above, let other = otherManager {
            let (limit, asked) = (book.currency.format(above, grouping: ","), book.currency.format(amount, grouping: ","))
            let today = earlierToday.isPositive ? ", with your \(book.currency.format(earlierToday, grouping: ",")) of today," : ""
            throw DeskError.refused(Phrase("a write-off above \(limit)\(today) needs a second manager's approval (policy.toml, approval.write_off_above): ask for it as a request (r on the customer, or ardesk request writeoff \(customer) \(asked) --reason R; it writes off the oldest past due first) for \(displayName(of: other)) to approve",
                                           zh: "超过 \(limit) 的核销须由另一位经理批准（policy.toml 的 approval.write_off_above）：请提交申请（在该客户上按 r，或 ardesk request writeoff \(customer) \(asked) --reason 原因；按最早逾期先核销），由 \(displayName(of: other)) 批准"))
        }
    }
}
