import Core
import Dispatch

extension Desk {
    /// Reckons the book's `amountsMagnitude` on another thread (the workstation asks after its
    /// first screen), so that the first action on a large book does not wait for a walk over
    /// every document. Changes wait for it (`finishBackgroundWork`), as for a snapshot.
    public func reckonAmountsInBackground() {
        guard amountsMagnitude == nil, amountsJob == nil, !isReadOnly else { return }
        let job = AmountsJob(book: book)
        amountsJob = job
        DispatchQueue.global(qos: .utility).async(group: backgroundWork) { job.run() }
    }

    /// The book's amounts all told (`Book.amountsMagnitude`), reckoned once and kept: an import
    /// planning its rows asks for it, and the action that writes them does not walk the book again.
    /// Callers have waited for background work (`perform` does).
    public func amountsHeld() -> Int64 {
        if let known = knownAmounts() { return known }
        amountsMagnitude = book.amountsMagnitude
        return amountsMagnitude!
    }

    /// `amountsMagnitude`, taken from the background job when it has finished (callers have
    /// waited for background work), else nil.
    func knownAmounts() -> Int64? {
        if amountsMagnitude == nil, let reckoned = amountsJob?.result { amountsMagnitude = reckoned }
        if amountsMagnitude != nil { amountsJob = nil }
        return amountsMagnitude
    }

    /// Refuses events whose amounts would take the book's past `Book.amountsBound` (see
    /// Book+Magnitude.swift): an amount mistyped by many digits, or a file of them, is turned
    /// away when it is entered rather than making every report fail afterwards.
    func checkAmountsFit(_ events: [Event]) throws {
        guard MagnitudeSum.adding(events, to: amountsHeld()) > Book.amountsBound else { return }
        let bound = book.currency.format(Money(minorUnits: Book.amountsBound), grouping: ",")
        throw DeskError.invalid(Phrase(
            "these amounts are too large: with them the book's amounts would add up to more than \(bound) \(book.currency.code), past what ardesk can total exactly; check the amounts (nothing was written)",
            zh: "金额过大：加上这些金额，账簿金额合计将超过 \(bound) \(book.currency.code)，超出 ardesk 能精确合计的范围；请检查金额（未写入任何内容）"))
    }
}

/// The book's amounts reckoned on another thread; it lets go of the book as soon as it is done,
/// so that the desk is again the book's only owner when it next changes it.
final class AmountsJob: @unchecked Sendable {
    private var book: Book?
    private(set) var result: Int64?

    init(book: Book) { self.book = book }

    func run() {
        result = book?.amountsMagnitude
        book = nil
    }
}
