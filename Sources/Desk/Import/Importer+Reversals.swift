import Core

extension Importer {
    /// A payment the bank returned (a file of returned items): as `ardesk reverse-payment`, the
    /// payment named by its reference is in the book, the day is neither before it was received
    /// nor after today, and it was not reversed already (the same reversal again is reported as
    /// already in the book, as any repeated row). Without a reason, the bank returned it; a
    /// `cause` of entered-in-error takes back a payment recorded by mistake (no risk signal, no
    /// call), as `reverse-payment --entered-in-error`.
    func reversalEvents(_ row: inout Row, book: Book, plan: inout Plan) -> [Event] {
        let reference = row.required("reference")
        let day = row.date("date")
        let cause = Importer.reversalCause(&row)
        let given = row.text("reason").trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = !given.isEmpty ? given : cause == .enteredInError ? Importer.defaultErrorReason : Importer.defaultReversalReason
        if given.unicodeScalars.count > Command.longestText {  // as a reason typed anywhere else
            row.fail("reason", "the reason is \(given.unicodeScalars.count) characters long; at most \(Command.longestText)")
        }
        guard let reference else { return [] }
        guard let payment = book.payments[reference] else {
            row.fail("reference", "no payment \"\(reference)\" in the book"); return []
        }
        if let day, let today = options.today, day > today {
            row.fail("date", "the payment is returned on \(day), after today (\(today))")
        }
        if let day, day < payment.day {
            row.fail("date", "payment \"\(reference)\" was received on \(payment.day), after \(day)")
        }
        guard let day, row.issues.isEmpty else { return [] }
        let reversal = PaymentReversal(payment: reference, customer: payment.customer, day: day, reason: reason, cause: cause ?? .returned)
        if let existing = book.reversals[reference] {
            if existing.day == day && existing.cause == reversal.cause { plan.alreadyInBook.append(reference); return [] }
            row.fail("reference", "payment \"\(reference)\" was already reversed on \(existing.day) (\(existing.cause.rawValue))")
            return []
        }
        let moved = DateOrder.afterReversal(of: reference, on: day, in: book)
        return [.paymentReversed(reversal)] + (moved.isEmpty ? [] : [.paymentsReallocated(payment.customer, moved)])
            + Importer.disputesReopened(byReversing: payment, on: day, in: book)
    }

    /// The `cause` cell: empty or returned (the bank's file), or entered-in-error; nil, with the
    /// cell named, for anything else.
    static func reversalCause(_ row: inout Row) -> PaymentReversal.Cause? {
        let text = row.text("cause").lowercased().replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-")
        if text.isEmpty { return .returned }
        guard let cause = PaymentReversal.Cause(rawValue: text) else {
            row.fail("cause", "\"\(row.text("cause"))\" is not a cause (\(PaymentReversal.Cause.allCases.map(\.rawValue).joined(separator: " or ")); empty: returned)")
            return nil
        }
        return cause
    }

    static let defaultReversalReason = "returned by the bank"
    static let defaultErrorReason = "entered in error"
}
