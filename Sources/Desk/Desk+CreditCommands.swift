import Core
import Foundation

/// Credit set against invoices and taken back, as events (`Command.applyCredit`, `.withdrawCredit`).
extension Desk {
    /// `id`: the first application's; the others of the same action follow it (`CA7`, `CA7-2`).
    func creditApplied(_ customer: CustomerID, from source: CreditApplication.Source?, invoice: String?, amount: Money?, on: Day,
                       id: String) throws -> [Event] {
        try requireCustomer(customer)
        guard on <= today else { throw DeskError.invalid(Phrase("credit cannot be applied after today (\(today)): \(on) has not happened yet", zh: "冲抵日期不能晚于今天（\(today)）：\(on) 尚未到来")) }
        do {
            return try CreditPlan.plan(customer, from: source, to: invoice.trimmedNumber, amount: amount, on: on, in: book) {
                $0 == 0 ? id : id + "-\($0 + 1)"
            }.map { .creditApplied($0) }
        } catch {
            throw DeskError.invalid("\(error)")
        }
    }

    func creditWithdrawn(_ id: String, on: Day, reason: String) throws -> [Event] {
        guard let application = book.creditApplications[Optional(id).trimmedNumber ?? id] else {
            throw DeskError.invalid(Phrase("no credit application \"\(id)\" (ardesk ledger CUSTOMER lists them)", zh: "没有冲抵记录“\(id)”（ardesk ledger 客户 列出）"))
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DeskError.invalid(Phrase("taking back credit applied needs a reason (wrong invoice, wrong amount, ...)", zh: "撤回冲抵需要填写原因（发票或金额有误等）"))
        }
        guard on <= today else { throw DeskError.invalid(Phrase("credit cannot be taken back after today (\(today)): \(on) has not happened yet", zh: "撤回日期不能晚于今天（\(today)）：\(on) 尚未到来")) }
        if let refusal = refusal(toWork: application.customer) { throw DeskError.notAllowed(refusal) }
        // Payments the rule allocated after it take again what it no longer holds (see `DateOrder`).
        let moved = DateOrder.afterWithdrawal(of: application.id, on: on, in: book)
        return [.creditWithdrawn(id: application.id, customer: application.customer, day: on, reason: reason)]
            + (moved.isEmpty ? [] : [.paymentsReallocated(application.customer, moved)])
    }
}
