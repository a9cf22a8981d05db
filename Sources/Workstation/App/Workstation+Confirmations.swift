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
            let money = Format(currency: desk.book.currency, language: language).money(amount)
            let place = approvedPlace(of: request)
            return text("Write off \(money) of \(customer)\(place)? y again to approve; any other key leaves it waiting",
                        "坏账核销 \(customer) 的 \(money)\(place)？再按 y 批准；按其他键保留待审批")
        case .creditLimit(let limit) where !limit.isPositive:
            return text("Remove the credit limit of \(customer): no limit at all, not a stop on credit (H places a hold)? y again to approve; any other key leaves it waiting",
                        "取消 \(customer) 的信用额度：不设上限，并非停止赊销（H 为信用冻结）？再按 y 批准；按其他键保留待审批")
        default:
            return nil
        }
    }

    /// Where approving a write-off request places it, " (I1 500.00, I2 100.00)", as the book
    /// stands (the request names no invoice); empty for other requests.
    func approvedPlace(of request: Request) -> String {
        guard case .writeOff(let amount) = request.kind else { return "" }
        let format = Format(currency: desk.book.currency, language: language)
        let allocations = (try? desk.writeOffAllocations(amount, of: request.customer, to: nil)) ?? []
        return allocations.isEmpty ? "" : text(" (", "（") + ManagerForms.listed(allocations, money: format.money, zh: language == .zh) + text(")", "）")
    }
}
