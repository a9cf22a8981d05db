import Core
import Desk

extension Workstation {
    /// " · P1 now pays I2 500.00, …" for each payment an action moved in date order (a credit
    /// taken back, a back-dated document): said as the command line says it; empty when none moved.
    func movedPayments(_ moved: [(payment: String, customer: CustomerID)]) -> String {
        let format = Format(currency: desk.book.currency, language: language)
        let said = moved.compactMap { change -> String? in
            guard let payment = desk.book.payments[change.payment] else { return nil }
            let parts = payment.partsPaid(format.money)
            let pays = parts.isEmpty ? text("nothing", "无") : parts.joined(separator: text(", ", "、"))
            return text("\(change.payment) now pays \(pays)", "\(change.payment) 现支付 \(pays)")
        }
        return said.isEmpty ? "" : " · " + said.joined(separator: "; ")
    }
}
