import Core
import Journal

extension Desk {
    /// Appends trusted, already-dated events (a generated demo history) in one all-or-nothing batch,
    /// each written as `by` (its collector's call, say) or, without one, as this desk's user.
    /// Each event is applied as it is planned, so a contradiction aborts before anything is written.
    public func appendHistory(_ events: [DemoBook.Entry]) throws {
        if let readOnlyReason { throw DeskError.readOnly(readOnlyReason) }
        finishBackgroundWork()
        amountsMagnitude = nil  // reckoned again when next needed: these events pass no `noteChange`
        amountsJob = nil
        var working = Book()
        swap(&working, &replayer.book)  // sole owner: applying does not copy the whole book
        defer { swap(&working, &replayer.book) }
        _ = try journal.append { fresh in
            for record in fresh {
                let (event, day) = try EventCodec.decode(record)
                try working.apply(event, stamp: Replayer.stamp(record, day: day))
            }
            var sequence = self.journal.lastSequence
            let first = sequence + 1  // one append: its records are one action, as a replay reads them
            return try events.map { item in
                sequence += 1
                try working.apply(item.event, stamp: Stamp(sequence: sequence, author: item.by ?? self.user, time: "", day: item.day,
                                                           actionStart: events.count > 1 ? first : nil))
                let encoded = EventCodec.encode(item.event, day: item.day)
                return RecordDraft(type: encoded.type, version: encoded.version, payload: encoded.payload, author: item.by)
            }
        }
    }
}
