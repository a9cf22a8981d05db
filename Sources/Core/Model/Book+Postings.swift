/// What undo and a log repair need beyond the timelines: each author's last posting (a record
/// that put nothing on a timeline), and the records a repair set aside or that were not applied.
extension Book {
    mutating func notePosting(by author: String, sequence: UInt64, actionStart: UInt64) {
        if let index = lastPostings.firstIndex(where: { $0.author == author }) {
            guard sequence > lastPostings[index].sequence else { return }
            lastPostings[index] = (author, sequence, actionStart)
        } else {
            lastPostings.append((author, sequence, actionStart))
        }
    }

    /// `author`'s last record that put nothing on a timeline, if any.
    public func lastPosting(by author: String) -> UInt64? { lastPostings.first { $0.author == author }?.sequence }

    /// The first record of the action `author`'s last posting belongs to (a write-off approved
    /// with its decision, a reinstatement with the payments it moved, a dunning run).
    public func lastPostingAction(by author: String) -> UInt64? { lastPostings.first { $0.author == author }?.actionStart }

    /// Notes that the record `sequence` was not applied because a record it needs was lost.
    public mutating func noteSkipped(_ sequence: UInt64, reason: String) {
        skippedRecords.append(LostRecord(sequence: sequence, reason: reason, text: ""))
        lastSequence = max(lastSequence, sequence)
    }
}

/// A record a repair set aside, or one not applied because of it.
public struct LostRecord: Sendable, Equatable {
    public var sequence: UInt64
    public var reason: String
    /// The start of the damaged text, to recognise what it was (the log keeps all of it).
    public var text: String
    static let textKept = 300
}
