import Core

/// What a payment would leave as credit, asked before it is recorded (a prepayment is asked for
/// by name: a payment once recorded is taken back only by a reversal).
extension Desk {
    /// What a payment would leave as a credit on its customer, beyond all it can pay; nil for a
    /// command that is no payment or would be refused anyway.
    public func creditLeft(by command: Command) -> Money? {
        creditsLeft(by: command).map { $0.own + $0.later.reduce(.zero) { $0 + $1.credit } }
    }

    /// The same in parts: the payment's own, and what each payment dated after it that it takes
    /// a share from (see `DateOrder`) leaves as credit beyond what it did.
    public func creditsLeft(by command: Command) -> (own: Money, later: [(payment: String, credit: Money)])? {
        guard case .pay = command, let events = try? events(for: command, nextSequence: book.lastSequence + 1) else { return nil }
        var own = Money.zero, later: [(payment: String, credit: Money)] = []
        for event in events {
            switch event {
            case .paymentReceived(let payment): own = payment.unapplied
            case .paymentsReallocated(_, let moved):
                later += DateOrder.moreCredit(moved, in: book)
            default: break
            }
        }
        return (own, later)
    }
}
