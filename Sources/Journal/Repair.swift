#if canImport(Glibc)
import Glibc
#endif

/// The result of `Journal.repair`: what was (or would be) done to each damaged place.
public struct RepairReport: Sendable, Equatable, CustomStringConvertible {
    public enum Fix: Sendable, Equatable {
        /// A damaged line put back exactly as written: the next record's `prev` is the hash of
        /// the line as written, and one edit of the damaged bytes gives it back.
        case restored(line: Int, sequence: UInt64, how: String)
        /// Records that could not be put back, replaced by `journal.lost` records of the same
        /// sequence numbers (the damaged text kept in the first); every later record is kept,
        /// its `prev` and checksum rewritten to the new chain.
        case setAside(lines: ClosedRange<Int>, sequences: ClosedRange<UInt64>, reason: String)
        /// An incomplete last record or group (a crash mid-append), cut off.
        case tailCut(lines: ClosedRange<Int>, bytes: Range<Int>, reason: String)
        /// Lines that are no record (between two records that chain), taken out; nothing is lost.
        case removed(lines: ClosedRange<Int>, bytes: Int)
        /// A record put in before the one written with its number (which the next record
        /// chains on from), taken out; its text is in the backup.
        case putIn(line: Int, sequence: UInt64)
        /// A sound record found after a later one (lines swapped), taken out of the chain there:
        /// its text is kept in the lost record that stands in its place.
        case outOfPlace(line: Int, sequence: UInt64)
        /// Every line ended with CR LF (an editor changed the line endings): the CRs taken out.
        case lineEndings(lines: Int)
        /// The log began with a UTF-8 byte-order mark (an editor saved it so): taken out.
        case byteOrderMark
    }

    public var verify: VerifyReport
    /// The copy of the whole log made before anything else (when there was a problem).
    public var backupPath: String?
    public var fixes: [Fix]
    public var written: Bool
    /// Records whose `prev` and checksum were rewritten after records were set aside.
    public var rechained: Int

    public var description: String {
        guard verify.problem != nil else { return "\(verify.path) is intact; nothing to repair." }
        var lines = ["\(verify.path): " + (written ? "repaired." : "damaged; `ardesk log repair --apply` would do this:")]
        for fix in fixes {
            switch fix {
            case .restored(let line, let sequence, let how):
                let which = sequence == 0 ? "the header" : "record \(sequence)"
                lines.append("  line \(line) (\(which)) \(written ? "restored" : "can be restored") exactly: \(how)")
            case .setAside(let range, let sequences, let reason):
                let what = sequences.count == 1 ? "record \(sequences.lowerBound)" : "records \(sequences.lowerBound)–\(sequences.upperBound)"
                lines.append("  line\(range.count == 1 ? "" : "s") \(range.lowerBound)\(range.count == 1 ? "" : "–\(range.upperBound)") (\(what)) "
                             + "\(written ? "set aside" : "to be set aside") as lost (\(reason)); the damaged text is kept in the log; every later record is kept")
            case .removed(let range, let bytes):
                lines.append("  line\(range.count == 1 ? "" : "s") \(range.lowerBound)\(range.count == 1 ? "" : "–\(range.upperBound)") (\(bytes) bytes) "
                             + "\(written ? "removed" : "to be removed"): no record, between two records that chain; nothing is lost")
            case .putIn(let line, let sequence):
                lines.append("  line \(line) (a second record \(sequence), put in before the one the next record chains on from) "
                             + "\(written ? "taken out" : "to be taken out"); its text is in the backup")
            case .outOfPlace(let line, let sequence):
                lines.append("  line \(line) (record \(sequence), after a later record) \(written ? "moved" : "to be moved") into the lost record "
                             + "set aside for \(sequence): its text is kept there in full; nothing is lost")
            case .lineEndings(let count):
                lines.append("  \(count) lines \(written ? "had" : "have") CR LF line endings (an editor changed them): the CRs \(written ? "were" : "to be") taken out, nothing else"
                             + (written ? " (ardesk log repair again looks at the rest)" : ""))
            case .byteOrderMark:
                lines.append("  the log \(written ? "began" : "begins") with a byte-order mark (an editor saved it so): \(written ? "taken out" : "to be taken out"), nothing else"
                             + (written ? " (ardesk log repair again looks at the rest)" : ""))
            case .tailCut(let range, let bytes, let reason):
                lines.append("  line\(range.count == 1 ? " \(range.lowerBound)" : "s \(range.lowerBound)–\(range.upperBound)") (bytes \(bytes.lowerBound)–\(bytes.upperBound)) "
                             + "\(written ? "cut" : "to be cut"): \(reason)")
                if range.count > 1 {
                    lines.append("    a group is one action (an import, a dunning run, a batch), applied whole or not at all: "
                                 + "do it again; its lines are kept in the log as it was\(written ? "" : " (the backup --apply writes)")")
                }
            }
        }
        if rechained > 0 { lines.append("  \(rechained) later records \(written ? "were" : "will be") chained anew (their prev and checksum rewritten, nothing else)") }
        if let backupPath { lines.append("  the log as it was: \(backupPath)") }
        return lines.joined(separator: "\n")
    }
}

extension Journal {
    /// The event type of a record set aside by a repair (see `RepairReport.Fix.setAside`).
    public static let lostRecordType = "journal.lost"

    /// Checks the book and mends what it finds, keeping every record it can: a damaged line the
    /// chain proves can be put back is restored exactly; records that cannot be are set aside
    /// as `journal.lost` records (same sequence, their damaged text kept), the later ones
    /// chained anew; an incomplete tail is cut. With `apply`, the whole log is first copied to
    /// `journal.backup-<time>`, then replaced (under the lock, fsynced); without, only reports.
    public static func repair(_ path: String, apply: Bool, user: String = SystemIdentity.currentUserName(),
                              clock: () -> String = Journal.utcNow) throws -> RepairReport {
        let folder = bookFolder(path)
        let logPath = join(folder, fileName)
        var lockFD: Int32 = -1
        if apply {
            if let st = FileIO.stat(logPath), st.st_mode & 0o222 == 0 {
                throw JournalError.readOnlyBook(path: logPath, reason: "the file has no write permission")
            }
            let lockPath = join(folder, lockFileName)
            lockFD = FileIO.openLock(lockPath)
            guard lockFD >= 0 else { throw JournalError.io(path: lockPath, operation: "open", detail: errnoText(errno)) }
            do { try waitForLock(lockFD, LOCK_EX, path: lockPath, seconds: 10) } catch {
                FileIO.close(lockFD)
                throw error
            }
        }
        defer { FileIO.close(lockFD) }  // closing releases the lock
        if let mended = try LineEndings.repairByteOrderMark(folder: folder, logPath: logPath, apply: apply) { return mended }
        // inspect takes a shared lock on its own descriptor; with the exclusive lock held here
        // that would wait forever, so verify without it. A sound log is read only by it.
        let report: VerifyReport
        do {
            report = try inspectUnlocked(path)
        } catch JournalError.damaged(_, let line, _, let reason) where line == 1 {
            return try withWholeLog(logPath, apply: apply) { fd, all in
                // An editor's CR LF endings show first in the header; else it is damaged itself.
                if reason == LineEndings.problem,
                   let mended = try LineEndings.repair(folder: folder, logPath: logPath, fd: fd, all: all, apply: apply) { return mended }
                return try restoreHeader(folder: folder, logPath: logPath, fd: fd, all: all, reason: reason, apply: apply)
            }
        }
        guard report.problem != nil else {
            return RepairReport(verify: report, backupPath: nil, fixes: [], written: false, rechained: 0)
        }
        return try withWholeLog(logPath, apply: apply) { fd, all in
            try mendRecords(folder: folder, logPath: logPath, fd: fd, all: all, report: report, user: user, clock: clock, apply: apply)
        }
    }

    /// The log opened (for writing when the repair applies) and read whole, once, for `body`.
    static func withWholeLog<T>(_ logPath: String, apply: Bool, _ body: (Int32, [UInt8]) throws -> T) throws -> T {
        let fd = FileIO.open(logPath, apply ? O_RDWR : O_RDONLY)
        guard fd >= 0 else { throw JournalError.io(path: logPath, operation: "open", detail: errnoText(errno)) }
        defer { FileIO.close(fd) }
        guard let all = FileIO.readAll(fd) else { throw JournalError.io(path: logPath, operation: "read", detail: errnoText(errno)) }
        return try body(fd, all)
    }

    /// Damage after the header: the records one edit away from sound put back, the rest set aside.
    static func mendRecords(folder: String, logPath: String, fd: Int32, all: [UInt8], report: VerifyReport, user: String,
                            clock: () -> String, apply: Bool) throws -> RepairReport {
        var mend = LogMend(original: all, fd: fd, path: logPath)
        let now = clock()  // once: a day and a time read apart could straddle midnight
        try mend.findFixes(day: String(now.prefix(10)), time: now, user: user)
        guard apply else {
            return RepairReport(verify: report, backupPath: nil, fixes: mend.fixes, written: false, rechained: mend.rechained)
        }
        let backup = try replaceMended(logPath, in: folder, original: all, with: mend.output, fd: fd)
        return RepairReport(verify: report, backupPath: backup, fixes: mend.fixes, written: true, rechained: mend.rechained)
    }

    /// Copies `original` to `journal.backup-<time>`, then writes `mended` to a new file renamed
    /// over the log (not changed in place: a workstation still open on the old file then sees a
    /// replaced book and stops instead of appending to a chain that is no longer the log's), with
    /// the log's owner and mode; drops the snapshot. Returns the backup's path.
    static func replaceMended(_ logPath: String, in folder: String, original: [UInt8], with mended: [UInt8], fd: Int32) throws -> String {
        var backup = join(folder, "journal.backup-\(fileStamp())")
        var n = 1
        while FileIO.stat(backup) != nil { n += 1; backup = join(folder, "journal.backup-\(fileStamp())-\(n)") }
        // Written under a name of its own and renamed: a repair stopped midway leaves no short
        // copy under the backup's name.
        let partial = join(folder, ".journal.backup.new-\(getpid())")
        unlink(partial)
        for prefix in [".journal.backup.new-", ".journal.log.repaired-"] { removeAbandoned(prefix, in: folder) }
        if let (op, e) = FileIO.writeNewFile(partial, original) {
            throw JournalError.io(path: backup, operation: op, detail: errnoText(e))
        }
        guard rename(partial, backup) == 0 else {
            let e = errno
            unlink(partial)
            throw JournalError.io(path: backup, operation: "rename", detail: errnoText(e))
        }
        if let e = FileIO.syncDirectory(folder) { throw JournalError.io(path: folder, operation: "fsync", detail: errnoText(e)) }
        let owner = FileIO.fstat(fd)  // the log's owner and mode, not the repairer's
        try mended.withUnsafeBytes { bytes in
            try replaceFile(logPath, in: folder, via: join(folder, ".journal.log.repaired-\(fileStamp())-\(getpid())"), with: [bytes]) { fresh in
                if let owner {
                    _ = chown(fresh, owner.st_uid, owner.st_gid)
                    _ = chmod(fresh, owner.st_mode & 0o7777)
                }
            }
        }
        // A snapshot of the old chain no longer matches it; one of records restored exactly still
        // would, but nothing is lost by reading the repaired log once from the start. Kept aside,
        // not deleted: it knows how far the log once went (see `missingTail`).
        rename(join(folder, snapshotFileName), join(folder, snapshotFileName + ".before-repair-" + fileStamp()))
        return backup
    }

    /// A damaged header put back by one edit (a byte changed, lost or added) that gives a header
    /// whose SHA-256 is the first record's `prev`: the chain proves it. Without a first record
    /// nothing proves it, and the damage stands.
    static func restoreHeader(folder: String, logPath: String, fd: Int32, all: [UInt8], reason: String, apply: Bool) throws -> RepairReport {
        let unmendable = JournalError.damaged(path: logPath, line: 1, offset: 0,
                                              reason: reason + "; the header cannot be put back (no record proves it): restore journal.log from a backup")
        guard let end = all.firstIndex(of: 0x0A), end + 1 < all.count else { throw unmendable }
        let second = (end + 1)..<(all[(end + 1)...].firstIndex(of: 0x0A) ?? all.count)
        guard let prev = LogMend.rawPrev(in: all, line: second) else { throw unmendable }
        let header = Array(all[..<end])
        let found = LogMend.oneEditAway(header) { line in
            line.withUnsafeBytes { raw in (try? LineFormat.decodeHeader(raw)) != nil && LineFormat.chainHash(raw) == prev }
        }
        guard let found else { throw unmendable }
        let verify = VerifyReport(path: logPath, bookID: "", records: 0, lastSequence: 0, headHash: "", fileSize: all.count, goodEnd: 0,
                                  problem: .init(line: 1, offset: 0, reason: reason, isTornTail: false))
        let fixes: [RepairReport.Fix] = [.restored(line: 1, sequence: 0, how: found.how + " (ardesk log repair again looks at the rest)")]
        guard apply else { return RepairReport(verify: verify, backupPath: nil, fixes: fixes, written: false, rechained: 0) }
        let backup = try replaceMended(logPath, in: folder, original: all, with: found.bytes + Array(all[end...]), fd: fd)
        return RepairReport(verify: verify, backupPath: backup, fixes: fixes, written: true, rechained: 0)
    }
}
