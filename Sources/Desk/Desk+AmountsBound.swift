import Core

extension Desk {
    /// Refuses events whose amounts would take the book's past `Book.amountsBound` (see
    /// Book+Magnitude.swift): an amount mistyped by many digits, or a file of them, is turned
    /// away when it is entered rather than making every report fail afterwards.
    func checkAmountsFit(_ events: [Event]) throws {
        let held = amountsMagnitude ?? book.amountsMagnitude
        amountsMagnitude = held
        var total = held
        for event in events {
            let (sum, overflow) = total.addingReportingOverflow(event.amountsMagnitude)
            total = overflow ? .max : sum
        }
        guard total > Book.amountsBound else { return }
        let bound = book.currency.format(Money(minorUnits: Book.amountsBound), grouping: ",")
        throw DeskError.invalid(Phrase(
            "these amounts are too large: with them the book's amounts would add up to more than \(bound) \(book.currency.code), past what ardesk can total exactly; check the amounts (nothing was written)",
            zh: "金额过大：加上这些金额，账簿金额合计将超过 \(bound) \(book.currency.code)，超出 ardesk 能精确合计的范围；请检查金额（未写入任何内容）"))
    }
}
