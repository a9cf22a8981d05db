import ArgumentParser
import Desk
import Foundation
import Journal

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Verify, inspect or repair the book's journal.",
        subcommands: [Verify.self, Stats.self, Repair.self, Lost.self, SnapshotCommand.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every checksum and the hash chain; exits non-zero on damage.")
        @OptionGroup var options: BookOptions
        @Option(help: "A head hash an earlier verify printed, kept elsewhere: checks the log still holds that record (records taken from its end are found so).")
        var kept: String?
        func run() throws {
            try options.requireRole()
            if let kept, kept.count < 12 || !kept.allSatisfy(\.isHexDigit) {
                throw CLIError("--kept \"\(kept)\" is not a head hash (32 hex digits, or at least its first 12)")
            }
            let mark = Journal.snapshotMark(folder: options.folder.path)  // before the log is read
            let report: VerifyReport
            var holdsKept = true
            do {
                if let kept {
                    let (checked, found) = try Journal.verify(options.folder.path, holding: kept)
                    (report, holdsKept) = (checked, found != nil)
                } else {
                    report = try Journal.verify(options.folder.path)
                }
            } catch let error as JournalError where error.isDamage {
                // Damage found before any record (the header, the line endings): a report as any other's.
                print("DAMAGE: \(error)")
                print("see `ardesk log repair` (it says what it would do, and with --apply keeps a backup and mends the log)")
                throw ExitCode(2)
            }
            if let problem = report.problem {
                // What is whole before it, not a head hash to keep: this log is not the one written.
                print("records whole before it: \(report.records) (through sequence \(report.lastSequence); a group counts only whole, being one action)")
                print((problem.isTornTail ? "torn tail" : "DAMAGE") + " at line \(problem.line), byte \(problem.offset): \(problem.reason)")
                print("see `ardesk log repair` (it says what it would do, and with --apply keeps a backup and mends the log)")
                throw ExitCode(2)
            }
            if let missing = Journal.missingTail(mark: mark, bookID: report.bookID, lastSequence: report.lastSequence) {
                print("records: \(report.records) (through sequence \(report.lastSequence))")
                print("DAMAGE: \(missing)")
                throw ExitCode(2)
            }
            if !holdsKept, let kept {
                print("records: \(report.records) (through sequence \(report.lastSequence))")
                print("DAMAGE: the log does not hold the record whose head hash was kept (\(kept)): records were taken from its end, or it was written anew; put it back from a backup")
                throw ExitCode(2)
            }
            print("records: \(report.records)")
            print("last sequence: \(report.lastSequence)")
            print("head hash: \(report.headHash)  (keep this elsewhere: log verify --kept HASH later proves the log still holds it)")
            print("intact")
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts by event type and author, first and last time, size; exits 2 on damage.")
        @OptionGroup var options: BookOptions
        func run() throws {
            try options.requireRole()
            let stats = try Journal.stats(options.folder.path)
            print("records: \(stats.records)  size: \(stats.fileSize) bytes")
            print("first: \(stats.firstTimestamp ?? "-")  last: \(stats.lastTimestamp ?? "-")")
            print("by type:")
            for (type, count) in stats.countsByType.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { print("  \(type): \(count)") }
            print("by author:")
            for (author, count) in stats.countsByAuthor.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { print("  \(author): \(count)") }
            if let problem = stats.problem {
                // Counted up to the damage: said first in what a script sees (the exit code), as verify does.
                print("problem at line \(problem.line), byte \(problem.offset): \(problem.reason); the counts stop there (see `ardesk log verify`)")
                throw ExitCode(2)
            }
        }
    }

    struct Repair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say how a damaged log would be mended and, with --apply, mend it (a backup is kept).",
            discussion: """
            A damaged line the hash chain proves can be put back is restored exactly. Records that \
            cannot be are set aside as lost (their damaged text kept in the log) and every later \
            record is kept; an incomplete last record is cut. Opening the book then lists what was \
            set aside and what could not be applied without it.
            """)
        @OptionGroup var options: BookOptions
        @Flag(name: [.customLong("apply"), .customLong("cut")], help: "Mend the log (the whole log is copied to journal.backup-<time> first).")
        var apply = false
        func run() throws {
            // Mending a shared book is a manager's act; looking at what repair would do is anyone's listed.
            try options.requireRole(manager: apply)
            // A sound log that lost its last records (see `Journal.missingTail`): nothing in it to
            // mend; going on means accepting the loss, which setting the snapshot aside records.
            let folder = options.folder.path
            let mark = Journal.snapshotMark(folder: folder)  // before the log is read
            if mark != nil, let verified = try? Journal.verify(folder), verified.problem == nil,
               let missing = Journal.missingTail(mark: mark, bookID: verified.bookID, lastSequence: verified.lastSequence) {
                print(missing)
                if apply {
                    let aside = try Journal.setAsideSnapshot(folder: folder)
                    try recordMissing(after: verified.lastSequence, through: mark!.position.sequence, evidence: (aside as NSString).lastPathComponent)
                    print("The snapshot is set aside as \(aside); the book opens from the log as it is. "
                          + "The missing records are recorded as lost: `ardesk log lost` lists them until a manager marks them dealt with.")
                } else {
                    print("With --apply the snapshot is set aside (kept), and the book opens from the log as it is.")
                }
                return
            }
            print(try Journal.repair(folder, apply: apply).description)
            // Damaged and shorter than its snapshot too: the repair keeps that snapshot aside
            // (journal.snapshot.before-repair-…), and says what the log lacks.
            if apply, let mended = try? Journal.verify(folder),
               let missing = Journal.missingTail(mark: mark, bookID: mended.bookID, lastSequence: mended.lastSequence) {
                print(missing.components(separatedBy: ". Put the log back").first! + ". Put the log back from a backup if you have one.")
                let kept = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasPrefix("journal.snapshot.before-repair-") }.max()
                try recordMissing(after: mended.lastSequence, through: mark!.position.sequence, evidence: kept ?? "set aside by the repair")
            }
        }

        /// Records saved once and missing from the log's end, recorded in the book as one lost
        /// record: opening the book and `log lost` say so until a manager marks them dealt with
        /// (setting the snapshot aside alone left no trace that anything was gone).
        func recordMissing(after last: UInt64, through counted: UInt64, evidence: String) throws {
            let range = counted == last + 1 ? "record \(counted)" : "records \(last + 1)–\(counted)"
            let reason = "missing from the log's end: \(range), cut or lost to an older copy; the snapshot that counted them: \(evidence)"
            do {
                try options.openDesk().perform(.batch([.recordLost(reason: reason, text: "")]))
            } catch {
                // The snapshot is set aside already: a run again would not see the loss, so it is said here in full.
                throw CLIError("the loss could not be recorded in the book (\(error)); note it and enter again what they held: \(reason)")
            }
        }
    }

    struct Lost: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the records a repair set aside, and the later ones not applied without them, to enter again.")
        @OptionGroup var options: BookOptions
        @Flag(help: "Record that they were dealt with (entered again): opening the book stops saying so (manager).") var reviewed = false
        func run() throws {
            if reviewed {
                try options.requireRole(manager: true, act: "record lost records as dealt with")
                // Files an unfinished last record was set aside into are no records of the book:
                // nothing to record for them; they go when someone has looked at them.
                let torn = Journal.tornSideFiles(folder: options.folder.path)
                if !torn.isEmpty, try options.openDesk(readOnly: "log lost").book.lostRecords.isEmpty {
                    print("No record was set aside by a repair, so nothing is recorded. The unfinished last records in "
                          + torn.map(\.path).joined(separator: ", ") + " were never saved: delete the files once you have looked at them.")
                    return
                }
                let records = try options.openDesk().perform(.reviewLostRecords)
                print("Recorded as dealt with (record \(records.first!.sequence)).")
                return
            }
            let desk = try options.openDesk(readOnly: "log lost")
            let lost = desk.book.lostRecords, skipped = desk.book.skippedRecords
            // An unfinished last record (a crash mid-write) is set aside into a file of its own.
            let torn = Journal.tornSideFiles(folder: options.folder.path)
            for side in torn {
                print("\(side.path): an unfinished last record (\(side.bytes) bytes) set aside from the log's end; it was never reported saved, so look at it and enter it again if it was meant")
            }
            guard !lost.isEmpty else { if torn.isEmpty { print("No record was set aside.") }; return }
            // Each lost record's neighbours too: their group marks tell whether it was one of an
            // action's records (an import, a run), whose others were applied without it.
            let neighbours = lost.flatMap { [$0.sequence - 1, $0.sequence + 1] }
            let written = try Journal.records(options.folder.path, sequences: Set(skipped.map(\.sequence) + neighbours))
            let lostSequences = Set(lost.map(\.sequence))
            for record in lost {
                let dealtWith = record.sequence <= desk.book.lostReviewedThrough ? " · dealt with" : ""
                print("record \(record.sequence): set aside by a repair (\(record.reason))\(dealtWith)")
                if !record.text.isEmpty { TerminalOutput.print("  damaged text: \(record.text)") }
                if let group = LogCommand.group(around: record.sequence, in: written) {
                    let applied = group.filter { !lostSequences.contains($0) }
                    if !applied.isEmpty {
                        print("  one of records \(group.lowerBound)–\(group.upperBound), written as one action (an import, a run, a batch): "
                              + "\(applied.count == 1 ? "record \(applied[0]) was" : "the other \(applied.count) were") applied without it; "
                              + "check them with what it held")
                    }
                }
            }
            for record in skipped {
                print("record \(record.sequence): not applied (\(record.reason))" + (record.sequence <= desk.book.lostReviewedThrough ? " · dealt with" : ""))
                if let original = written.first(where: { $0.sequence == record.sequence }) {
                    TerminalOutput.print("  \(original.timestamp) by \(original.author): \(original.type) \(String(decoding: original.data, as: UTF8.self))")
                }
            }
        }
    }

    /// The records of the group written with `sequence` by one append, from a neighbour's
    /// group mark; nil when no neighbour's group reaches it.
    static func group(around sequence: UInt64, in records: [JournalRecord]) -> ClosedRange<UInt64>? {
        for record in records where record.sequence + 1 == sequence || record.sequence == sequence + 1 {
            guard let mark = record.batch, mark.index >= 1, record.sequence >= UInt64(mark.index) else { continue }
            let first = record.sequence - UInt64(mark.index - 1), last = first + UInt64(max(mark.count, 1) - 1)
            if (first...last).contains(sequence) { return first...last }
        }
        return nil
    }
}

extension LogCommand {
    struct SnapshotCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract: "Write a snapshot of the book so the next open replays only what follows (a cache; the log stays the truth).")
        @OptionGroup var options: BookOptions
        func run() throws {
            let desk = try options.openDesk(readOnly: "snapshot")
            if let problem = desk.saveSnapshot() { throw CLIError("no snapshot written: \(problem)") }
            print("Snapshot written at record \(desk.book.lastSequence).")
        }
    }
}
