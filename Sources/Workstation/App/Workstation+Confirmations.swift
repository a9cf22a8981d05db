import Core
import Desk

extension Workstation {
    /// The question a second `y` answers before a request is approved, for the ones that cannot
    /// be taken back by a keystroke: a write-off (money leaves the books) and a limit of zero,
    /// which removes the customer's limit (no bound at all, not a stop on credit: a hold is that).
    /// Nil for the others, approved on the first `y`.
    func confirmation(of request: Request) -> String? {
        let customer = "\(request.customer) \(desk.book.customers[request.customer]?.name ?? "")"
        switch request.kind {
        case .writeOff(let amount):
            let format = Format(currency: desk.book.currency, language: language)
            let money = format.money(amount)
            // Where it goes, as approving places it (the request names no invoice).
            let allocations = (try? desk.writeOffAllocations(amount, of: request.customer, to: nil)) ?? []
            let place = allocations.isEmpty ? "" : text(" (", "（") + ManagerForms.listed(allocations, money: format.money, zh: language == .zh) + text(")", "）")
            return text("Write off \(money) of \(customer)\(place)? y again to approve; any other key leaves it waiting",
                        "坏账核销 \(customer) 的 \(money)\(place)？再按 y 批准；按其他键保留待审批")
        case .creditLimit(let limit) where !limit.isPositive:
            return text("Remove the credit limit of \(customer): no limit at all, not a stop on credit (H places a hold)? y again to approve; any other key leaves it waiting",
                        "取消 \(customer) 的信用额度：不设上限，并非停止赊销（H 为信用冻结）？再按 y 批准；按其他键保留待审批")
        default:
            return nil
        }
    }
}
