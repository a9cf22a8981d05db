import FlatJSON
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
            case .tailCut(let range, let bytes, let reason):
                lines.append("  line\(range.count == 1 ? " \(range.lowerBound)" : "s \(range.lowerBound)–\(range.upperBound)") (bytes \(bytes.lowerBound)–\(bytes.upperBound)) "
                             + "\(written ? "cut" : "to be cut"): \(reason)")
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
        let report: VerifyReport
        do {
            report = try inspectUnlocked(path)
        } catch JournalError.damaged(_, let line, _, let reason) where line == 1 {
            return try restoreHeader(folder: folder, logPath: logPath, reason: reason, apply: apply)
        }
        guard report.problem != nil else {
            return RepairReport(verify: report, backupPath: nil, fixes: [], written: false, rechained: 0)
        }
        let fd = FileIO.open(logPath, apply ? O_RDWR : O_RDONLY)
        guard fd >= 0 else { throw JournalError.io(path: logPath, operation: "open", detail: errnoText(errno)) }
        defer { FileIO.close(fd) }
        guard let all = FileIO.readAll(fd) else { throw JournalError.io(path: logPath, operation: "read", detail: errnoText(errno)) }
        var mend = LogMend(original: all, fd: fd, path: logPath)
        try mend.findFixes(day: String(clock().prefix(10)), time: clock(), user: user)
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
        if let (op, e) = FileIO.writeNewFile(backup, original) {
            throw JournalError.io(path: backup, operation: op, detail: errnoText(e))
        }
        if let e = FileIO.syncDirectory(folder) { throw JournalError.io(path: folder, operation: "fsync", detail: errnoText(e)) }
        let owner = FileIO.fstat(fd)  // the log's owner and mode, not the repairer's
        try mended.withUnsafeBytes { bytes in
            try replaceFile(logPath, in: folder, via: join(folder, "journal.log.repaired-\(fileStamp())"), with: [bytes]) { fresh in
                if let owner {
                    _ = chown(fresh, owner.st_uid, owner.st_gid)
                    _ = chmod(fresh, owner.st_mode & 0o7777)
                }
            }
        }
        // A snapshot of the old chain no longer matches it; one of records restored exactly still
        // would, but nothing is lost by reading the repaired log once from the start.
        unlink(join(folder, snapshotFileName))
        return backup
    }

    /// A damaged header put back by one edit (a byte changed, lost or added) that gives a header
    /// whose SHA-256 is the first record's `prev`: the chain proves it. Without a first record
    /// nothing proves it, and the damage stands.
    static func restoreHeader(folder: String, logPath: String, reason: String, apply: Bool) throws -> RepairReport {
        let fd = FileIO.open(logPath, apply ? O_RDWR : O_RDONLY)
        guard fd >= 0 else { throw JournalError.io(path: logPath, operation: "open", detail: errnoText(errno)) }
        defer { FileIO.close(fd) }
        guard let all = FileIO.readAll(fd) else { throw JournalError.io(path: logPath, operation: "read", detail: errnoText(errno)) }
        let unmendable = JournalError.damaged(path: logPath, line: 1, offset: 0,
                                              reason: reason + "; the header cannot be put back (no record proves it): restore journal.log from a backup")
        guard let end = all.firstIndex(of: 0x0A), end + 1 < all.count else { throw unmendable }
        let second = (end + 1)..<(all[(end + 1)...].firstIndex(of: 0x0A) ?? all.count)
        let prevEnd = second.upperBound - LineFormat.crcSuffixLength - 1
        guard prevEnd - 32 > second.lowerBound else { throw unmendable }
        let prev = String(decoding: all[(prevEnd - 32)..<prevEnd], as: UTF8.self)
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

/// Works out the repaired log from the damaged one: scans the original chain from problem to
/// problem (resuming after each damaged place at the next good record), then writes the output.
struct LogMend {
    let original: [UInt8]
    let fd: Int32
    let path: String
    private(set) var fixes: [RepairReport.Fix] = []
    private(set) var output: [UInt8] = []
    private(set) var rechained = 0

    /// What replaces a stretch of the original log.
    private enum Replacement {
        case bytes([UInt8])
        case lost(count: Int, first: UInt64, text: String, reason: String, batches: [BatchMark?])
    }
    private var replacements: [(range: Range<Int>, with: Replacement)] = []

    init(original: [UInt8], fd: Int32, path: String) {
        self.original = original; self.fd = fd; self.path = path
    }

    mutating func findFixes(day: String, time: String, user: String) throws {
        let (_, headerHash, headerEnd) = try Journal.readHeader(fd: fd, path: path)
        var point = ChainPoint(sequence: 0, hash: headerHash, end: headerEnd)
        var group: BatchMark? = nil
        var lastBatch: BatchMark? = nil  // of the record before `point.end`
        for _ in 0..<1_000 {  // damaged places; more than that is not a log worth mending this way
            var last: BatchMark? = lastBatch
            let result = scanRecords(fd: fd, path: path, from: point, limit: Journal.maxRecordBytes, parallel: false,
                                     checkData: true, group: group) { record in last = record.batch }
            lastBatch = last
            switch result.stop {
            case .clean:
                break
            case .tail(let tail):
                // From the last complete record or group on (a group's first members may be sound).
                let (good, goodBatch) = try recordEnding(at: tail.offset, header: (headerHash, headerEnd))
                mendTail(from: good, batch: goodBatch, reason: tail.reason)
            case .failure(let error):
                // The record before the damaged line (a group's first members included, which the
                // scan had not yet delivered): the chain is good up to it.
                guard let damagedAt = Self.offset(of: error) else { throw error }
                let (good, goodBatch) = try recordEnding(at: damagedAt, header: (headerHash, headerEnd))
                lastBatch = goodBatch
                // The damaged line alone, proven by the next line's prev even if that line is damaged too.
                let damaged = lineRange(at: damagedAt)
                let soundGap = decoded(original[damaged]).flatMap { $0.sequence > good.sequence + 1 ? $0 : nil }
                if soundGap == nil, damaged.upperBound < original.count, let nextPrev = rawPrev(of: lineRange(at: damaged.upperBound + 1)),
                   let restored = restore(damagedAt..<(damaged.upperBound + 1), after: good, missing: 1, anchorPrev: nextPrev),
                   let record = decoded(restored.bytes.dropLast()) {
                    fixes.append(.restored(line: good.line + 1, sequence: good.sequence + 1, how: restored.how))
                    replacements.append((damagedAt..<(damaged.upperBound + 1), .bytes(restored.bytes)))
                    point = ChainPoint(sequence: good.sequence + 1, end: damaged.upperBound + 1, bits: record.bits)
                    group = record.batch.flatMap { $0.index < $0.count ? BatchMark(index: $0.index + 1, count: $0.count) : nil }
                    lastBatch = record.batch
                    continue
                }
                // A sound record after a gap (lines lost whole): the log goes on from it.
                let gapAnchor = soundGap.flatMap { record in
                    original.withUnsafeBytes { raw in try? LineFormat.decodeRecord(UnsafeRawBufferPointer(rebasing: raw[damaged])) }.map {
                        (offset: damagedAt, sequence: record.sequence, prev: $0.prev.text, prevBits: $0.prev, batch: record.batch)
                    }
                }
                guard let anchor = gapAnchor ?? nextGoodRecord(after: damagedAt, sequence: good.sequence) else {
                    mendTail(from: good, batch: goodBatch, reason: Self.reasonText(error))  // nothing good follows
                    break
                }
                let region = good.end..<anchor.offset
                let missing = Int(anchor.sequence - good.sequence) - 1
                if let restored = restore(region, after: good, missing: missing, anchorPrev: anchor.prev) {
                    fixes.append(.restored(line: good.line + 1, sequence: good.sequence + 1, how: restored.how))
                    replacements.append((region, .bytes(restored.bytes)))
                } else if missing > 0 {
                    let first = good.sequence + 1
                    let batches = (0..<missing).map { i in Self.batch(of: first + UInt64(i), before: (good.sequence, lastBatch),
                                                                         after: (anchor.sequence, anchor.batch)) }
                    let text = String(decoding: original[region].prefix(4_096), as: UTF8.self)
                    let reason = region.isEmpty ? "missing from the log (its line is gone)" : Self.reasonText(error)
                    fixes.append(.setAside(lines: (good.line + 1)...(good.line + max(1, lineCount(region))),
                                           sequences: first...(first + UInt64(missing) - 1), reason: reason))
                    replacements.append((region, .lost(count: missing, first: first, text: text, reason: reason, batches: batches)))
                } else {
                    // Bytes between two records that chain: whatever they are, they are no record.
                    fixes.append(.removed(lines: (good.line + 1)...(good.line + max(1, lineCount(region))), bytes: region.count))
                    replacements.append((region, .bytes([])))
                }
                point = ChainPoint(sequence: anchor.sequence - 1, end: anchor.offset, bits: anchor.prevBits)
                group = anchor.batch
                lastBatch = nil
                continue
            }
            break
        }
        output = write(day: day, time: time, user: user)
    }

    /// The line starting at `offset`, without its newline (to the end of the file when none).
    private func lineRange(at offset: Int) -> Range<Int> {
        offset..<(original[offset...].firstIndex(of: 0x0A) ?? original.count)
    }

    /// The 32 hex digits a record line ends its `prev` with, read where they stand whatever the
    /// rest of the line holds (damage elsewhere in it leaves them readable).
    private func rawPrev(of line: Range<Int>) -> String? {
        let end = line.upperBound - LineFormat.crcSuffixLength - 1  // the closing quote of prev
        guard end - 32 >= line.lowerBound, original[end] == UInt8(ascii: "\"") else { return nil }
        let text = String(decoding: original[(end - 32)..<end], as: UTF8.self)
        return LineFormat.isHashText(text) ? text : nil
    }

    /// A sound record line's sequence, chain hash and group mark.
    private func decoded<C: Collection>(_ line: C) -> (sequence: UInt64, bits: Hash16, batch: BatchMark?)? where C.Element == UInt8 {
        Array(line).withUnsafeBytes { raw in
            guard LineFormat.frameIsValid(raw), let d = try? LineFormat.decodeRecord(raw) else { return nil }
            return (d.sequence, LineFormat.chainHashBits(raw), d.batch)
        }
    }

    /// The last lines, after `good`, which nothing later proves: each sound line chained on is
    /// kept; a damaged one is put back when one edit gives a line whose checksum is right and
    /// that chains on (the checksum is the proof here), or two records run together are parted;
    /// a whole line that cannot be is set aside as lost when its sequence can still be read (the
    /// record was written, then damaged); a line cut short at the end of the file is a write that
    /// never finished, cut; and a group left incomplete was an append that never finished, cut
    /// whole (an append is all or nothing), as opening the book does with it.
    private mutating func mendTail(from good: ChainPoint, batch goodBatch: BatchMark?, reason: String) {
        var point = good
        var batch = goodBatch
        var start = good.end
        var groupStart: (offset: Int, line: Int, fixes: Int, replacements: Int)?  // of the group being read
        while start < original.count {
            let line = lineRange(at: start)
            let next = min(original.count, line.upperBound + 1)
            let expected = point.sequence + 1
            let before = (offset: line.lowerBound, line: point.line + 1, fixes: fixes.count, replacements: replacements.count)
            var read: BatchMark?? = nil  // the record's group mark, once the line is read as a record
            if let record = decoded(original[line]), record.sequence == expected, chainsOn(original[line], from: point) {
                if line.upperBound == original.count {  // sound, but its newline never made it to disk
                    fixes.append(.restored(line: point.line + 1, sequence: expected, how: "the line's newline was not written"))
                    replacements.append((line, .bytes(Array(original[line]) + [0x0A])))
                }
                point = ChainPoint(sequence: expected, end: next, bits: record.bits)
                read = .some(record.batch)
            } else if let (first, second) = splitRunTogether(Array(original[line]), sequence: expected, after: point) {
                fixes.append(.restored(line: point.line + 1, sequence: expected, how: "the line break between records \(expected) and \(expected + 1) was lost"))
                replacements.append((line.lowerBound..<next, .bytes(first + [0x0A] + second + [0x0A])))
                let record = decoded(second)!
                point = ChainPoint(sequence: expected + 1, end: next, bits: record.bits)
                read = .some(record.batch)
            } else if let restored = restoreByChecksum(Array(original[line]), sequence: expected, after: point) {
                fixes.append(.restored(line: point.line + 1, sequence: expected, how: restored.how + " (proven by its checksum)"))
                replacements.append((line.lowerBound..<next, .bytes(restored.bytes + [0x0A])))
                let record = decoded(restored.bytes)!
                point = ChainPoint(sequence: expected, end: next, bits: record.bits)
                read = .some(record.batch)
            } else if line.upperBound < original.count, Self.sequenceWritten(in: original[line]) == expected {
                let mark = batch.flatMap { $0.index < $0.count ? BatchMark(index: $0.index + 1, count: $0.count) : nil }
                fixes.append(.setAside(lines: (point.line + 1)...(point.line + 1), sequences: expected...expected, reason: reason))
                replacements.append((line.lowerBound..<next, .lost(count: 1, first: expected, text: String(decoding: original[line].prefix(4_096), as: UTF8.self),
                                                                  reason: reason, batches: [mark])))
                point = ChainPoint(sequence: expected, end: next, bits: point.bits)  // the chain goes on from the lost record
                read = .some(mark)
            } else {
                cutUnfinished(from: groupStart ?? before, reason: reason)
                batch = nil
                groupStart = nil
                break
            }
            if case .some(let mark) = read {
                if let mark, mark.index == 1 { groupStart = before }
                if mark == nil || mark!.index == mark!.count { groupStart = nil }
                batch = mark
            }
            start = next
        }
        // An append of several records that never finished: none of it stands, as opening the
        // book would have it.
        if let open = batch, open.index < open.count, let group = groupStart {
            cutUnfinished(from: group, reason: "a group of \(open.count) records was never written whole")
        }
    }

    /// Everything from `start` on cut as a write that never finished; what was decided about
    /// the lines after it is dropped.
    private mutating func cutUnfinished(from start: (offset: Int, line: Int, fixes: Int, replacements: Int), reason: String) {
        fixes.removeSubrange(start.fixes...)
        replacements.removeSubrange(start.replacements...)
        let bytes = start.offset..<original.count
        guard !bytes.isEmpty else { return }
        fixes.append(.tailCut(lines: start.line...(start.line + max(1, lineCount(bytes)) - 1), bytes: bytes, reason: reason))
        replacements.append((bytes, .bytes([])))
    }

    /// Whether the end of a log, `tail` (the bytes after the record `point`), can be put back
    /// whole by `repair` (a last record without its newline, a flipped bit, two records run
    /// together) rather than being a write that never finished: opening then leaves it for the
    /// repair instead of setting it aside.
    static func tailCanBeRestored(_ tail: [UInt8], after point: ChainPoint) -> Bool {
        var mend = LogMend(original: tail, fd: -1, path: "")
        mend.mendTail(from: ChainPoint(sequence: point.sequence, end: 0, bits: point.bits), batch: nil, reason: "")
        return !mend.fixes.isEmpty && mend.fixes.allSatisfy { if case .restored = $0 { true } else { false } }
    }

    /// Two sound records run together on one line (the line break between them lost), each
    /// chained on: where the second begins, `{"seq":` follows the first one's end.
    private func splitRunTogether(_ line: [UInt8], sequence: UInt64, after point: ChainPoint) -> ([UInt8], [UInt8])? {
        let head = Array("}{\"seq\":".utf8)
        var index = 0
        while index + head.count <= line.count {
            if line[index..<(index + head.count)].elementsEqual(head) {
                let first = Array(line[...index]), second = Array(line[(index + 1)...])
                if let a = decoded(first), a.sequence == sequence, chainsOn(first, from: point),
                   let b = decoded(second), b.sequence == sequence + 1,
                   chainsOn(second, from: ChainPoint(sequence: sequence, end: 0, bits: a.bits)) {
                    return (first, second)
                }
            }
            index += 1
        }
        return nil
    }

    /// Whether `line` (a sound record) comes right after `point` in the chain.
    private func chainsOn<C: Collection>(_ line: C, from point: ChainPoint) -> Bool where C.Element == UInt8 {
        Array(line).withUnsafeBytes { raw in (try? LineFormat.decodeRecord(raw))?.prev == point.bits }
    }

    /// A last line put back by one edit (a byte changed, lost or added) that gives a sound record
    /// of sequence `sequence` chained on from `point`; with nothing after it, its checksum is the proof.
    private func restoreByChecksum(_ line: [UInt8], sequence: UInt64, after point: ChainPoint) -> (bytes: [UInt8], how: String)? {
        guard !line.isEmpty, line.count <= 16_384, !line.contains(0x0A) else { return nil }
        return LogMend.oneEditAway(line) { candidate in
            candidate.withUnsafeBytes { raw in
                guard let d = try? LineFormat.decodeRecord(raw) else { return false }
                return d.sequence == sequence && d.prev == point.bits
            }
        }
    }

    /// The first line one edit away from `line` (a byte changed, lost or added; never a line
    /// break) that is framed right (its checksum matches, which sifts the candidates cheaply)
    /// and that `proves` accepts, with how it differs from `line`.
    static func oneEditAway(_ line: [UInt8], where proves: ([UInt8]) -> Bool) -> (bytes: [UInt8], how: String)? {
        func accepted(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { LineFormat.frameIsValid($0) } && proves(bytes) }
        var candidate = line
        for i in line.indices {
            for value in 0...255 where value != 0x0A && UInt8(value) != line[i] {
                candidate[i] = UInt8(value)
                if accepted(candidate) { return (candidate, "byte \(i + 1) reads \(LogMend.hex(line[i])) and was written as \(LogMend.hex(UInt8(value)))") }
            }
            candidate[i] = line[i]
        }
        for i in line.indices {  // a byte the damage added
            var shorter = line
            shorter.remove(at: i)
            if accepted(shorter) { return (shorter, "byte \(i + 1) (\(LogMend.hex(line[i]))) was not written") }
        }
        var longer = line + [0]
        for i in 0...line.count {  // a byte the damage lost: a gap slid along the line
            if i > 0 { longer[i - 1] = line[i - 1] } else { longer.replaceSubrange(1..., with: line) }
            for value in 0...255 where value != 0x0A {
                longer[i] = UInt8(value)
                if accepted(longer) { return (longer, "byte \(i + 1) (\(LogMend.hex(UInt8(value)))) was lost") }
            }
        }
        return nil
    }

    /// The sequence number a line starts with (`{"seq":N,`), if that much of it is readable.
    static func sequenceWritten<C: Collection>(in line: C) -> UInt64? where C.Element == UInt8 {
        let head = Array("{\"seq\":".utf8)
        let bytes = Array(line.prefix(40))
        guard bytes.starts(with: head) else { return nil }
        let digits = bytes.dropFirst(head.count).prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !digits.isEmpty, bytes.count > head.count + digits.count, bytes[head.count + digits.count] == UInt8(ascii: ",") else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    /// Where the scan found damage.
    static func offset(of error: JournalError) -> Int? {
        switch error {
        case .damaged(_, _, let offset, _), .invalidUTF8(_, _, let offset), .recordTooLong(_, _, let offset, _, _): return offset
        default: return nil
        }
    }

    /// The chain point after the line that ends just before `offset` (the header's when none),
    /// and that record's group mark.
    private func recordEnding(at offset: Int, header: (hash: String, end: Int)) throws -> (ChainPoint, BatchMark?) {
        guard offset > header.end else { return (ChainPoint(sequence: 0, hash: header.hash, end: header.end), nil) }
        // A line just put back stands for the damaged one there.
        for (range, replacement) in replacements where range.upperBound == offset {
            if case .bytes(let bytes) = replacement, bytes.count > 1 {
                let body = bytes.dropLast()
                let start = (body.lastIndex(of: 0x0A).map { $0 + 1 }) ?? body.startIndex
                if let record = decoded(body[start...]) {
                    return (ChainPoint(sequence: record.sequence, end: offset, bits: record.bits), record.batch)
                }
            }
        }
        let start = (original[..<(offset - 1)].lastIndex(of: 0x0A) ?? -1) + 1
        let decoded: (UInt64, Hash16, BatchMark?)? = original.withUnsafeBytes { raw in
            let line = UnsafeRawBufferPointer(rebasing: raw[start..<(offset - 1)])
            guard let d = try? LineFormat.decodeRecord(line) else { return nil }
            return (d.sequence, LineFormat.chainHashBits(line), d.batch)
        }
        guard let (sequence, bits, batch) = decoded else {
            throw JournalError.damaged(path: path, line: 0, offset: start, reason: "the record before the damage does not read back")
        }
        return (ChainPoint(sequence: sequence, end: offset, bits: bits), batch)
    }

    /// The first line after the damaged one at `damagedAt` with a good frame and a sequence after
    /// `sequence`: where the log goes on.
    private func nextGoodRecord(after damagedAt: Int, sequence: UInt64) -> (offset: Int, sequence: UInt64, prev: String, prevBits: Hash16, batch: BatchMark?)? {
        guard var start = original[damagedAt...].firstIndex(of: 0x0A).map({ $0 + 1 }) else { return nil }
        while start < original.count {
            guard let newline = original[start...].firstIndex(of: 0x0A) else { return nil }
            let found: (UInt64, Hash16, BatchMark?)? = original.withUnsafeBytes { raw in
                let line = UnsafeRawBufferPointer(rebasing: raw[start..<newline])
                guard LineFormat.frameIsValid(line), let d = try? LineFormat.decodeRecord(line), d.sequence > sequence else { return nil }
                return (d.sequence, d.prev, d.batch)
            }
            if let (sequence, prevBits, batch) = found {
                return (start, sequence, prevBits.text, prevBits, batch)
            }
            start = newline + 1
        }
        return nil
    }

    /// The bytes of `region` put back by one edit (a byte changed, lost or added) such that they
    /// are `missing` records that chain from `good` to the next record's `prev`; nil when no such
    /// edit exists. The chain proves the result: a SHA-256 match, which no other edit gives.
    private func restore(_ region: Range<Int>, after good: ChainPoint, missing: Int, anchorPrev: String) -> (bytes: [UInt8], how: String)? {
        guard missing >= 1, region.count >= 2, region.count <= 16_384 else { return nil }
        var line = Array(original[region.lowerBound..<(region.upperBound - 1)])  // without the newline before the next record
        func proven(_ bytes: [UInt8]) -> [UInt8]? {
            let whole = bytes + [0x0A]
            return chains(whole, after: good, count: missing, into: anchorPrev) ? whole : nil
        }
        // One record with no newline inside: the checksum of the line sifts the candidates
        // cheaply (the CRC of a few hundred bytes), and only those it passes are hashed.
        if missing == 1 && !line.contains(0x0A) {
            return LogMend.oneEditAway(line) { proven($0) != nil }.map { ($0.bytes + [0x0A], $0.how) }
        }
        // Several records, or a newline inside: the damage was to a line break (two records run
        // together, or one cut in two). Every place tries a newline, and every newline each other byte.
        for i in line.indices {
            let was = line[i]
            if was == 0x0A {
                for value in 0...255 where value != 0x0A {
                    line[i] = UInt8(value)
                    if let whole = proven(line) { return (whole, "byte \(i + 1) reads a line break and was written as \(LogMend.hex(UInt8(value)))") }
                }
                var shorter = line
                shorter.remove(at: i)
                if let whole = proven(shorter) { return (whole, "a line break at byte \(i + 1) was not written") }
            } else {
                line[i] = 0x0A
                if let whole = proven(line) { return (whole, "byte \(i + 1) reads \(LogMend.hex(was)) and was written as a line break") }
                var longer = line
                longer[i] = was
                longer.insert(0x0A, at: i)
                if let whole = proven(longer) { return (whole, "a line break before byte \(i + 1) was lost") }
            }
            line[i] = was
        }
        return nil
    }

    /// Whether `bytes` are `count` lines (each ending in a newline) that are records following
    /// `good`, each chained to the one before, the last hashing to `prev`.
    private func chains(_ bytes: [UInt8], after good: ChainPoint, count: Int, into prev: String) -> Bool {
        bytes.withUnsafeBytes { raw in
            var start = 0
            var previous = good.bits
            var sequence = good.sequence
            var lastLine: UnsafeRawBufferPointer?
            for _ in 0..<count {
                guard start < raw.count, let newline = raw[start...].firstIndex(of: 0x0A) else { return false }
                let line = UnsafeRawBufferPointer(rebasing: raw[start..<newline])
                guard LineFormat.frameIsValid(line) else { return false }  // the checksum first: cheap, and rarely passes
                guard let d = try? LineFormat.decodeRecord(line), d.sequence == sequence + 1, d.prev == previous else { return false }
                previous = LineFormat.chainHashBits(line)
                sequence += 1
                lastLine = line
                start = newline + 1
            }
            guard start == raw.count, let lastLine else { return false }
            return LineFormat.chainHash(lastLine) == prev
        }
    }

    /// The group mark of a record set aside, from its neighbours' (a group's members are
    /// numbered in order; the record before or the one after says which group it is in).
    static func batch(of sequence: UInt64, before: (sequence: UInt64, batch: BatchMark?), after: (sequence: UInt64, batch: BatchMark?)) -> BatchMark? {
        if let b = before.batch, b.index < b.count {
            let index = b.index + Int(sequence - before.sequence)
            if index <= b.count { return BatchMark(index: index, count: b.count) }
        }
        if let a = after.batch, a.index > 1 {
            let index = a.index - Int(after.sequence - sequence)
            if index >= 1 { return BatchMark(index: index, count: a.count) }
        }
        return nil
    }

    static func reasonText(_ error: JournalError) -> String {
        switch error {
        case .damaged(_, _, _, let reason): return reason
        case .invalidUTF8: return "invalid UTF-8"
        case .recordTooLong(_, _, _, let size, let limit): return "a line of \(size) bytes, longer than \(limit)"
        default: return "\(error)"
        }
    }

    private func lineCount(_ range: Range<Int>) -> Int {
        original[range].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (original[range].last == 0x0A || range.isEmpty ? 0 : 1)
    }

    static func hex(_ byte: UInt8) -> String { "0x" + String(byte, radix: 16) }

    /// The original with each replacement made; once records are set aside, every line after is
    /// chained anew (its `prev` set to the hash of the line before, its checksum recomputed).
    private mutating func write(day: String, time: String, user: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(original.count + 4_096)
        var position = 0
        var previousHash: String? = nil  // set once the chain has changed
        var lineStart = 0
        func rechainFrom(_ start: Int) {
            // Lines out[start...] written as they were: give each the new chain.
            var s = start
            var rewritten: [UInt8] = []
            while s < out.count, let newline = out[s...].firstIndex(of: 0x0A) {
                var line = Array(out[s..<newline])
                if let previous = previousHash, let chained = LineFormat.rechained(line, prev: previous) {
                    line = chained
                    rechained += 1
                }
                previousHash = LineFormat.chainHash(line)
                rewritten += line
                rewritten.append(0x0A)
                s = newline + 1
            }
            out.replaceSubrange(start..<out.count, with: rewritten)
        }
        for (range, replacement) in replacements.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            lineStart = out.count
            out += original[position..<range.lowerBound]
            if previousHash != nil { rechainFrom(lineStart) }
            switch replacement {
            case .bytes(let bytes):
                let start = out.count
                out += bytes
                if previousHash != nil { rechainFrom(start) }
            case .lost(let count, let first, let text, let reason, let batches):
                if previousHash == nil { previousHash = hashOfLastLine(out) }
                for i in 0..<count {
                    var data: [UInt8] = []
                    var payload = JSONObject()
                    payload["day"] = .string(day)
                    payload["reason"] = .string(reason)
                    payload["text"] = .string(i == 0 ? text : "")
                    JSONWriter.write(.object(payload), into: &data)
                    var line: [UInt8] = []
                    LineFormat.encodeRecord(sequence: first + UInt64(i), timestamp: time, author: user, type: Journal.lostRecordType,
                                            version: 1, data: data, batch: batches[i], prev: previousHash!, into: &line)
                    previousHash = LineFormat.chainHash(line)
                    out += line
                    out.append(0x0A)
                }
            }
            position = range.upperBound
        }
        lineStart = out.count
        out += original[position...]
        if previousHash != nil { rechainFrom(lineStart) }
        return out
    }

    private func hashOfLastLine(_ bytes: [UInt8]) -> String {
        let end = bytes.count - 1  // the newline
        let start = (bytes[..<end].lastIndex(of: 0x0A) ?? -1) + 1
        return bytes.withUnsafeBytes { LineFormat.chainHash(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }
}
