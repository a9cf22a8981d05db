import Core

/// What opening a book says beyond its figures: records a repair set aside, a clock set back.
extension Desk {
    /// Set when a log repair set records aside: which, and which later ones could not be applied
    /// without them, for a manager to enter again. Shown whenever the book is opened.
    public var integrityNote: String? {
        let reviewed = book.lostReviewedThrough
        let lost = book.lostRecords.filter { $0.sequence > reviewed }, skipped = book.skippedRecords.filter { $0.sequence > reviewed }
        guard !lost.isEmpty || !skipped.isEmpty else { return nil }
        func list(_ records: [LostRecord]) -> String {
            records.prefix(5).map { "\($0.sequence)" }.joined(separator: ", ") + (records.count > 5 ? " and \(records.count - 5) more" : "")
        }
        var parts: [String] = []
        if let first = lost.first { parts.append("a log repair set aside record\(lost.count == 1 ? "" : "s") \(list(lost)) (\(first.reason))") }
        if let first = skipped.first {
            parts.append("record\(skipped.count == 1 ? "" : "s") \(list(skipped)) could not be applied without what was set aside (\(first.reason))")
        }
        return parts.joined(separator: "; ") + (lost.count + skipped.count == 1 ? "; enter again what it held (ardesk log lost shows it" : "; enter again what they held (ardesk log lost lists them")
            + "; ardesk log lost --reviewed once that is done)"
    }

    /// When the system clock's date, `systemToday`, is before the latest day an action in the
    /// book was recorded on: a clock set back (or a wrong one) dates every action by it, out of
    /// order with what is saved. Said when the book is opened; a day pinned on purpose
    /// (`$ARDESK_TODAY`) is not asked about.
    public func clockNote(systemToday: Day) -> String? {
        let latest = book.latestActivityDay
        guard let latest, latest > systemToday else { return nil }
        return "the system clock's date (\(systemToday.iso)) is before the latest day an action was recorded in this book (\(latest.iso)); if the clock is wrong, set it right before saving anything: actions are dated by it"
    }
}
