import Core
import Journal

extension Desk {
    /// The payments `records` moved in date order (their `payments.reallocated`), each with its
    /// customer, for saying so after the action.
    public func paymentsMoved(by records: [JournalRecord]) -> [(payment: String, customer: CustomerID)] {
        records.flatMap { record -> [(payment: String, customer: CustomerID)] in
            guard case .paymentsReallocated(let customer, let moved)? = try? EventCodec.decode(record).0 else { return [] }
            return moved.map { ($0.payment, customer) }
        }
    }
}
