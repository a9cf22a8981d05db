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

extension Journal {
    /// Accepts a book folder or the path of its `journal.log`.
    static func bookFolder(_ path: String) -> String {
        if path.hasSuffix("/" + fileName) { return parentFolder(path) }
        if path == fileName { return "." }
        return path
    }

    /// `lockSeconds`: how long to wait for a writer holding the lock before refusing.
    static func inspect(_ path: String, takeLock: Bool = true, lockSeconds: Double = 10, sink: (JournalRecord) -> Void) throws -> VerifyReport {
        let folder = bookFolder(path)
        guard let st = FileIO.stat(folder) else { throw JournalError.missingBook(path: folder) }
        guard FileIO.isDirectory(st) else { throw JournalError.notAFolder(path: folder) }
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
        if lockFD >= 0 { try waitForLock(lockFD, LOCK_SH, path: join(folder, lockFileName), seconds: lockSeconds) }
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
        case .tail(let t):
            // A last line written whole and damaged since (a flipped byte) is damage, not a write
            // that never finished: called so, as opening the book to write calls it.
            let unfinished = FileIO.readAll(fd, from: t.offset).map { LogMend.verdict(onTail: $0, after: result.point) }.map {
                if case .unfinishedWrite = $0 { true } else { false }
            } ?? true
            problem = .init(line: t.line, offset: t.offset, reason: unfinished ? t.reason : t.reason + "; written whole and damaged since",
                            isTornTail: unfinished)
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
    public static func verify(_ path: String, lockSeconds: Double = 10) throws -> VerifyReport {
        try inspect(path, lockSeconds: lockSeconds) { _ in }
    }

    /// Verifies the log and finds the record whose chain hash is `kept` (a head hash printed by
    /// an earlier verify and kept elsewhere, in full or its first 12 digits or more): nil when the
    /// log no longer holds it (records taken from its end, or the log written anew before it).
    public static func verify(_ path: String, holding kept: String) throws -> (report: VerifyReport, found: UInt64?) {
        let wanted = kept.lowercased()
        var found: UInt64?
        let report = try inspect(path) { record in
            if found == nil, record.hash.hasPrefix(wanted) { found = record.sequence }
        }
        return (report, found)
    }

    /// The first line before byte `end` of the log whose checksum does not match (or that is
    /// cut short), found without hashing: a quick look at the lines an open from a snapshot did
    /// not read. Nil when they are sound, or when the log cannot be read.
    public static func firstBadLine(_ path: String, before end: Int) -> (line: Int, offset: Int)? {
        let logPath = join(bookFolder(path), fileName)
        let fd = FileIO.open(logPath, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { FileIO.close(fd) }
        guard let (_, _, headerEnd) = try? readHeader(fd: fd, path: logPath) else { return (1, 0) }
        let reader = LineReader(fd: fd, offset: headerEnd, limit: maxRecordBytes)
        var line = 1
        while reader.offset < end {
            line += 1
            switch reader.next() {
            case .line(let bytes, let offset):
                if !LineFormat.frameIsValid(bytes) { return (line, offset) }
            case .partial(let offset, _), .tooLong(let offset):
                return (line, offset)
            case .end:
                return nil
            }
        }
        return nil
    }

    /// The records of the log with these sequence numbers (the log read as `verify` reads it).
    public static func records(_ path: String, sequences: Set<UInt64>) throws -> [JournalRecord] {
        var found: [JournalRecord] = []
        guard !sequences.isEmpty else { return found }
        _ = try inspect(path) { if sequences.contains($0.sequence) { found.append($0) } }
        return found
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

    static func inspectUnlocked(_ path: String) throws -> VerifyReport {
        try inspect(path, takeLock: false) { _ in }
    }
}
