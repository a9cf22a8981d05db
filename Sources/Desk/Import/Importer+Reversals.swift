import Core

extension Importer {
    /// A payment the bank returned (a file of returned items): as `ardesk reverse-payment`, the
    /// payment named by its reference is in the book, the day is neither before it was received
    /// nor after today, and it was not reversed already (the same reversal again is reported as
    /// already in the book, as any repeated row). Without a reason, the bank returned it.
    func reversalEvents(_ row: inout Row, book: Book, plan: inout Plan) -> [Event] {
        let reference = row.required("reference")
        let day = row.date("date")
        let given = row.text("reason").trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = given.isEmpty ? Importer.defaultReversalReason : given
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
        let reversal = PaymentReversal(payment: reference, customer: payment.customer, day: day, reason: reason)
        if let existing = book.reversals[reference] {
            if existing.day == day { plan.alreadyInBook.append(reference); return [] }
            row.fail("reference", "payment \"\(reference)\" was already reversed on \(existing.day)")
            return []
        }
        return [.paymentReversed(reversal)]
    }

    static let defaultReversalReason = "returned by the bank"
}
