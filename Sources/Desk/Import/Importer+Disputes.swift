import Core

/// The disputes a file's "disputed" flag opens: ended by an imported payment that settles the
/// invoice, and standing again when that payment is reversed.
extension Importer {
    /// Who an import's disputes are opened by (a file's "disputed" flag).
    static let disputeOwner = "import"

    /// The note an imported payment ends an imported dispute with; a reversal of that payment
    /// finds the dispute by it.
    static func endedNote(_ reference: String) -> String { "invoice settled in full by payment \(reference), as imported" }

    /// A payment that ended disputes an import had opened (see `importedDisputesEnded`), reversed:
    /// those disputes stand again from the reversal's day, as the file had them (the money that
    /// ended them never came), each under a new id beside the one resolved.
    public static func disputesReopened(byReversing payment: Payment, on day: Day, in book: Book) -> [Event] {
        // The disputes whose resolution names this payment (see `importedDisputesEnded`).
        let endedByIt = Set(book.timeline(of: payment.customer).compactMap { activity -> String? in
            guard activity.undoneBy == nil, case .disputeResolved(let id, let note) = activity.kind, note == endedNote(payment.reference) else { return nil }
            return id
        })
        guard !endedByIt.isEmpty else { return [] }
        return payment.allocations.flatMap { allocation -> [Event] in
            let disputes = book.disputes(onInvoice: allocation.invoice)
            guard !disputes.contains(where: { $0.status == .open }) else { return [] }  // one open dispute per invoice
            return disputes.filter { endedByIt.contains($0.id) }.suffix(1).map { ended in
                .disputeOpened(Dispute(id: "\(ended.id)-R\(book.lastSequence + 1)", customer: ended.customer, invoice: ended.invoice, amount: ended.amount,
                                       reason: "\(ended.reason); open again: payment \(payment.reference), which settled it, was reversed",
                                       opened: max(day, ended.opened), owner: disputeOwner))
            }
        }
    }

    /// A dispute an import opened from a file's flag is resolved when an imported payment settles
    /// its invoice in full: the file said no more than "disputed", and the payment says the
    /// invoice was paid (IBM's sample flags 561 invoices, every one paid; left open, each would ask
    /// a collector to resolve it by hand). A dispute a person opened stays for a person to
    /// resolve: the ledger says when its invoice is settled.
    func importedDisputesEnded(by allocations: [Allocation], reference: String, on day: Day, in book: Book) -> [Event] {
        allocations.flatMap { allocation -> [Event] in
            guard let invoice = book.invoices[allocation.invoice],
                  allocation.amount >= invoice.room(on: day) else { return [] }
            return book.disputes(onInvoice: invoice.number)
                .filter { $0.status == .open && $0.owner == Importer.disputeOwner }
                .map { .disputeResolved(id: $0.id, day: max(day, $0.opened), note: Importer.endedNote(reference)) }
        }
    }
}
