#if canImport(Glibc)
import Glibc
#endif

/// The result of `Journal.verify`.
public struct VerifyReport: Sendable, Equatable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var offset: Int
        public var reason: String
        /// True for an incomplete last record or group (a crash mid-append), which opening the
        /// book read-write sets aside; false for damage that needs `repair`.
        public var isTornTail: Bool
    }

    public var path: String
    public var bookID: String
    /// Verified records (complete groups only).
    public var records: Int
    public var lastSequence: UInt64
    /// Chain hash of the last good record.
    public var headHash: String
    public var fileSize: Int
    /// Byte offset just after the last good record.
    public var goodEnd: Int
    public var problem: Problem?

    public var isIntact: Bool { problem == nil }

    public var description: String {
        var s = "\(path): \(records) records, last sequence \(lastSequence), head hash \(headHash), \(fileSize) bytes"
        if let p = problem {
            s += p.isTornTail
                ? "; torn tail at line \(p.line) (byte \(p.offset)): \(p.reason)"
                : "; DAMAGED at line \(p.line) (byte \(p.offset)): \(p.reason)"
        } else {
            s += "; intact"
        }
        return s
    }
}

/// The result of `Journal.stats`.
public struct JournalStats: Sendable, Equatable {
    public var path: String
    public var records: Int
    public var countsByType: [String: Int]
    public var countsByAuthor: [String: Int]
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var fileSize: Int
    /// Set when the log is damaged or torn; the counts cover the records before it.
    public var problem: VerifyReport.Problem?
}

/// The result of `Journal.repair`.
public struct RepairReport: Sendable, Equatable, CustomStringConvertible {
    public var verify: VerifyReport
    /// The copy of the whole log made before anything else (when there was a problem).
    public var backupPath: String?
    /// Lines and bytes after the last good record (what a cut removes / removed).
    public var removedLines: ClosedRange<Int>?
    public var removedBytes: Range<Int>?
    public var didCut: Bool

    public var description: String {
        guard let p = verify.problem else { return "\(verify.path) is intact; nothing to repair." }
        var s = "\(verify.path): " + (p.isTornTail ? "torn tail" : "damage") + " at line \(p.line) (byte \(p.offset)): \(p.reason)."
        if let backupPath { s += " Backup: \(backupPath)." }
        if let lines = removedLines, let bytes = removedBytes {
            let what = "lines \(lines.lowerBound)–\(lines.upperBound) (bytes \(bytes.lowerBound)–\(bytes.upperBound), \(bytes.count) bytes)"
            s += didCut
                ? " Removed \(what); the book now ends at record \(verify.lastSequence)."
                : " A cut would remove \(what), keeping \(verify.records) records; run `ardesk log repair --cut` to do it."
        }
        return s
    }
}

extension Journal {
    /// Accepts a book folder or the path of its `journal.log`.
    static func bookFolder(_ path: String) -> String {
        if path.hasSuffix("/" + fileName) { return parentFolder(path) }
        if path == fileName { return "." }
        return path
    }

    static func inspect(_ path: String, takeLock: Bool = true, sink: (JournalRecord) -> Void) throws -> VerifyReport {
        let folder = bookFolder(path)
        guard let st = FileIO.stat(folder) else { throw JournalError.missingBook(path: folder) }
        guard FileIO.isDirectory(st) else { throw JournalError.notABook(path: folder, reason: "it is not a folder") }
        let logPath = join(folder, fileName)
        let fd = FileIO.open(logPath, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { throw JournalError.missingBook(path: logPath) }
            throw JournalError.io(path: logPath, operation: "open", detail: errnoText(errno))
        }
        defer { FileIO.close(fd) }
        let (header, headerHash, headerEnd) = try readHeader(fd: fd, path: logPath)
        let lockFD = takeLock ? FileIO.open(join(folder, lockFileName), O_RDONLY) : -1
        defer { FileIO.close(lockFD) }
        if lockFD >= 0 { _ = flock(lockFD, LOCK_SH) }
        var count = 0
        let result = scanRecords(
            fd: fd, path: logPath, from: ChainPoint(sequence: 0, hash: headerHash, end: headerEnd),
            limit: maxRecordBytes
        ) { record in
            count += 1
            sink(record)
        }
        var problem: VerifyReport.Problem? = nil
        switch result.stop {
        case .clean: break
        case .tail(let t): problem = .init(line: t.line, offset: t.offset, reason: t.reason, isTornTail: true)
        case .failure(let e):
            switch e {
            case .damaged(_, let line, let offset, let reason):
                problem = .init(line: line, offset: offset, reason: reason, isTornTail: false)
            case .invalidUTF8(_, let line, let offset):
                problem = .init(line: line, offset: offset, reason: "invalid UTF-8", isTornTail: false)
            case .recordTooLong(_, let line, let offset, let size, let limit):
                problem = .init(line: line, offset: offset, reason: "record of \(size) bytes exceeds \(limit)", isTornTail: false)
            default:
                throw e
            }
        }
        return VerifyReport(
            path: logPath, bookID: header.book, records: count, lastSequence: result.point.sequence,
            // The file's size, not how far the scan got (it stops at damage).
            headHash: result.point.hash, fileSize: FileIO.fstat(fd).map { Int($0.st_size) } ?? result.fileEnd,
            goodEnd: result.point.end, problem: problem)
    }

    /// Reads the whole log and reports its records, head hash and the first problem (line and
    /// byte offset). Throws only when the path is not a readable book at all.
    public static func verify(_ path: String) throws -> VerifyReport {
        try inspect(path) { _ in }
    }

    /// Counts by type and author, first and last time, file size.
    public static func stats(_ path: String) throws -> JournalStats {
        var byType: [String: Int] = [:]
        var byAuthor: [String: Int] = [:]
        var first: String? = nil
        var last: String? = nil
        let report = try inspect(path) { r in
            byType[r.type, default: 0] += 1
            byAuthor[r.author, default: 0] += 1
            if first == nil { first = r.timestamp }
            last = r.timestamp
        }
        return JournalStats(
            path: report.path, records: report.records, countsByType: byType, countsByAuthor: byAuthor,
            firstTimestamp: first, lastTimestamp: last, fileSize: report.fileSize, problem: report.problem)
    }

    /// Checks the book; when it has a problem, copies the whole log to `journal.backup-<time>`
    /// and, only if `cut` is true, cuts the log back to its last good record (under the lock,
    /// fsynced). The report names the removed line range and bytes.
    public static func repair(_ path: String, cut: Bool) throws -> RepairReport {
        let folder = bookFolder(path)
        let logPath = join(folder, fileName)
        let lockPath = join(folder, lockFileName)
        var lockFD: Int32 = -1
        if cut {
            if let st = FileIO.stat(logPath), st.st_mode & 0o222 == 0 {
                throw JournalError.readOnlyBook(path: logPath, reason: "the file has no write permission")
            }
            lockFD = FileIO.open(lockPath, O_RDWR | O_CREAT, 0o640)
            guard lockFD >= 0 else { throw JournalError.io(path: lockPath, operation: "open", detail: errnoText(errno)) }
            guard flock(lockFD, LOCK_EX) == 0 else {
                let e = errno
                FileIO.close(lockFD)
                throw JournalError.io(path: lockPath, operation: "flock", detail: errnoText(e))
            }
        }
        defer { FileIO.close(lockFD) }  // closing releases the lock
        // inspect takes a shared lock on its own descriptor; with the exclusive lock held here
        // that would wait forever, so verify without it.
        let report = try inspectUnlocked(path)
        guard report.problem != nil else {
            return RepairReport(verify: report, backupPath: nil, removedLines: nil, removedBytes: nil, didCut: false)
        }
        let fd = FileIO.open(logPath, cut ? O_RDWR : O_RDONLY)
        guard fd >= 0 else { throw JournalError.io(path: logPath, operation: "open", detail: errnoText(errno)) }
        defer { FileIO.close(fd) }
        guard let all = FileIO.readAll(fd) else { throw JournalError.io(path: logPath, operation: "read", detail: errnoText(errno)) }
        var backup = join(folder, "journal.backup-\(fileStamp())")
        var n = 1
        while FileIO.stat(backup) != nil { n += 1; backup = join(folder, "journal.backup-\(fileStamp())-\(n)") }
        if let (op, e) = FileIO.writeNewFile(backup, all) {
            throw JournalError.io(path: backup, operation: op, detail: errnoText(e))
        }
        if let e = FileIO.syncDirectory(folder) { throw JournalError.io(path: folder, operation: "fsync", detail: errnoText(e)) }
        let removedBytes = report.goodEnd..<all.count
        let newlines = all[removedBytes].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let partial = all.last != 0x0A && !removedBytes.isEmpty ? 1 : 0
        let firstLine = Int(report.lastSequence) + 2
        let removedLines = firstLine...(firstLine + max(newlines + partial, 1) - 1)
        if cut {
            // The good part goes into a new file renamed over the log, not a cut in place: a
            // workstation still open on the old file then sees a replaced book and stops. With a
            // cut in place, appends by others could regrow the file past the point it had read,
            // and it would take their record for a torn tail and write over it.
            let owner = FileIO.fstat(fd)  // the log's owner and mode, not the repairer's
            try all.withUnsafeBytes { bytes in
                try replaceFile(logPath, in: folder, via: join(folder, "journal.log.repaired-\(fileStamp())"),
                                with: [UnsafeRawBufferPointer(rebasing: bytes[0..<report.goodEnd])]) { fresh in
                    if let owner {
                        _ = chown(fresh, owner.st_uid, owner.st_gid)
                        _ = chmod(fresh, owner.st_mode & 0o7777)
                    }
                }
            }
        }
        return RepairReport(verify: report, backupPath: backup, removedLines: removedLines, removedBytes: removedBytes, didCut: cut)
    }

    static func inspectUnlocked(_ path: String) throws -> VerifyReport {
        try inspect(path, takeLock: false) { _ in }
    }
}
