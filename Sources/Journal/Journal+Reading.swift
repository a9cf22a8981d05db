#if canImport(Glibc)
import Glibc
#endif

/// Reading what was appended: new records, the scan that checks them, and setting a torn tail aside.
extension Journal {
    /// True when the file's size differs from what was last read (or records from opening are
    /// still waiting): one `stat`, cheap enough for a poll every second.
    public func hasNewData() -> Bool {
        if !undelivered.isEmpty { return true }
        guard let st = FileIO.stat(path) else { return true }
        if UInt64(st.st_ino) != identity.ino || UInt64(st.st_dev) != identity.dev { return true }
        return Int(st.st_size) != scannedSize
    }

    /// Records appended since the last call (the first call returns everything after the
    /// header, or after the resume position). Only complete batches are returned; an unfinished
    /// last line or batch is left for later (it is being written, or is a torn tail the next
    /// append will set aside).
    public func readNew() throws -> [JournalRecord] {
        var out = undelivered
        undelivered = []
        try checkIdentity()
        guard let st = FileIO.fstat(fd) else { throw JournalError.io(path: path, operation: "fstat", detail: errnoText(errno)) }
        let size = Int(st.st_size)
        if size == scannedSize { return out }  // nothing changed since the last look
        if size < point.end {
            throw JournalError.bookChanged(path: path, reason: "it was cut from \(point.end) to \(size) bytes")
        }
        try withLock(LOCK_SH) {
            let result = scan(into: &out)
            try settle(result, recover: false)
        }
        return out
    }

    func checkIdentity() throws {
        guard let st = FileIO.stat(path) else {
            throw JournalError.bookChanged(path: path, reason: "the file was removed or renamed")
        }
        if UInt64(st.st_ino) != identity.ino || UInt64(st.st_dev) != identity.dev {
            throw JournalError.bookChanged(path: path, reason: "the file was replaced by another one")
        }
    }

    func scan(into out: inout [JournalRecord]) -> ScanResult {
        if let st = FileIO.fstat(fd), Int(st.st_size) - point.end > 1 << 20 {
            out.reserveCapacity(out.count + (Int(st.st_size) - point.end) / 192)  // avoid regrowing huge arrays
        }
        return scan { out.append($0) }
    }

    func scan(_ sink: (consuming JournalRecord) -> Void) -> ScanResult {
        scanRecords(fd: fd, path: path, from: point, limit: Journal.maxRecordBytes, checkData: checksPayloads, sink: sink)
    }

    /// Applies a scan: advances the point, throws damage, and (when `recover`, under the
    /// exclusive lock) sets a torn tail aside.
    func settle(_ result: ScanResult, recover: Bool) throws {
        point = result.point
        scannedSize = result.fileEnd
        switch result.stop {
        case .clean:
            return
        case .failure(let error):
            throw error
        case .tail(let tail):
            if recover {
                // Damage to records written whole (a lost newline, a flipped bit, a line damaged
                // since) is no unfinished write: it is left for `repair`, which keeps what it can,
                // rather than set aside here (see `LogMend.verdict`).
                guard let bytes = FileIO.readAll(fd, from: tail.offset) else {
                    throw JournalError.io(path: path, operation: "read", detail: errnoText(errno))
                }
                switch LogMend.verdict(onTail: bytes, after: result.point) {
                case .restorable:
                    throw JournalError.damaged(path: path, line: tail.line, offset: tail.offset,
                                               reason: "\(tail.reason); the record can be put back exactly: run `ardesk log repair --apply` (nothing was changed)")
                case .damaged(let offset, let linesBefore):
                    throw JournalError.damaged(path: path, line: tail.line + linesBefore, offset: tail.offset + offset,
                                               reason: "\(tail.reason); the line was written whole and damaged since, so it is not set aside as an unfinished write: run `ardesk log repair` to see what it keeps (nothing was changed)")
                case .unfinishedWrite:
                    // A snapshot written after the record proves it was saved whole once: cut since,
                    // not an unfinished write, so nothing is set aside (the book opens read-only, see
                    // `missingTail`).
                    if let mark = Journal.snapshotMark(folder: folder), mark.bookID == bookID, mark.position.sequence > result.point.sequence {
                        throw JournalError.damaged(path: path, line: tail.line, offset: tail.offset,
                                                   reason: "\(tail.reason); the snapshot counted records up to \(mark.position.sequence), so this one was saved whole and cut since: put the log back from a backup, or run `ardesk log repair` to see what it keeps (nothing was changed)")
                    }
                    try setAside(tail, bytes: bytes)
                }
            } else if recoveryNote == nil || !isReadOnly {
                // Read under the shared lock, no append is half done: a tail that a repair puts
                // back exactly (a bit flipped, or a whole record that lost only its line break) was
                // saved, and is said to be damaged as an append would find it, so that reports and
                // exports refuse rather than leave a saved payment out.
                let bytes = FileIO.readAll(fd, from: tail.offset)
                let whole = bytes.flatMap { LogMend.damagedWholeLine(in: $0) }
                let verdict = bytes.map { LogMend.verdict(onTail: $0, after: result.point) }
                if case .damaged(let offset, let linesBefore)? = verdict {
                    stoppedAtDamage = true
                    recoveryNote = "\(path) is damaged at line \(tail.line + linesBefore) (byte \(tail.offset + offset): \(tail.reason)); the records from line \(tail.line) on were ignored: run `ardesk log repair` to see what it keeps."
                } else if case .restorable? = verdict {
                    stoppedAtDamage = true
                    let (line, offset) = whole.map { (tail.line + $0.linesBefore, tail.offset + $0.offset) } ?? (tail.line, tail.offset)
                    recoveryNote = "\(path) is damaged at line \(line) (byte \(offset): \(tail.reason)); the records from line \(tail.line) on were ignored: `ardesk log repair --apply` puts it back exactly."
                } else {
                    recoveryNote = "\(path) ends with an incomplete record at line \(tail.line) (byte \(tail.offset), \(tail.length) bytes: \(tail.reason)); it was ignored" + (isReadOnly ? " (read-only)." : " and will be set aside by the next append.")
                }
            }
        }
    }

    /// The files unfinished last records were set aside into (see `setAside`), oldest first, with
    /// their sizes: never acknowledged as saved, but someone may have meant them.
    public static func tornSideFiles(folder: String) -> [(path: String, bytes: Int)] {
        var names: [String] = []
        if let dir = opendir(folder) {
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix("journal.torn-") { names.append(name) }
            }
        }
        return names.sorted().map { name in
            let path = join(folder, name)
            return (path, FileIO.stat(path).map { Int($0.st_size) } ?? 0)
        }
    }

    /// Moves a torn tail (`bytes`, the log from its offset on) to `journal.torn-<time>` beside the
    /// log and cuts the log back to the last good record. The only cut ever made outside `repair`.
    func setAside(_ tail: TailInfo, bytes: [UInt8]) throws {
        let stamp = Journal.fileStamp()
        var sidePath = Journal.join(folder, "journal.torn-\(stamp)")
        var n = 1
        while FileIO.stat(sidePath) != nil {
            n += 1
            sidePath = Journal.join(folder, "journal.torn-\(stamp)-\(n)")
        }
        if let (op, e) = FileIO.writeNewFile(sidePath, bytes) {
            throw JournalError.io(path: sidePath, operation: op, detail: errnoText(e))
        }
        if let e = FileIO.syncDirectory(folder) {
            throw JournalError.io(path: folder, operation: "fsync", detail: errnoText(e))
        }
        guard ftruncate(fd, off_t(tail.offset)) == 0 else {
            throw JournalError.io(path: path, operation: "truncate", detail: errnoText(errno))
        }
        guard fsync(fd) == 0 else {
            let e = errno
            failure = .syncFailed(path: path, detail: errnoText(e))
            throw JournalError.io(path: path, operation: "fsync", detail: errnoText(e))
        }
        scannedSize = tail.offset
        let name = sidePath.split(separator: "/").last.map(String.init) ?? sidePath
        let what = Journal.readableStart(of: bytes).map { " (\($0))" } ?? ""
        // Whole lines before the cut one: a group of records cut midway (an import stopped while
        // it was written), none of it saved, all of it set aside: said as such.
        let wholeLines = bytes.count { $0 == 0x0A }
        let linesCut = wholeLines + (bytes.last == 0x0A ? 0 : 1)  // a cut just after a line break leaves no part line
        recoveryNote = wholeLines > 0
            ? "\(path): the last append was cut midway (\(linesCut) line\(linesCut == 1 ? "" : "s") from line \(tail.line)\(what), \(bytes.count) bytes: \(tail.reason)), so none of it was saved; it was moved to \(name) and the book now ends at record \(point.sequence): an import or action stopped while it was written is to be run again."
            : "\(path): the last record\(what) was torn (line \(tail.line), bytes \(tail.offset)–\(tail.offset + tail.length), \(tail.length) bytes: \(tail.reason)); it was moved to \(name) and the book now ends at record \(point.sequence)."
    }

    /// What a torn line's start still says of its record, "record 14, payment.received", when
    /// its sequence and type were written before it was cut; nil otherwise.
    static func readableStart(of bytes: [UInt8]) -> String? {
        guard let sequence = LogMend.sequenceWritten(in: bytes) else { return nil }
        // The type, where its closing quote was written too.
        let text = String(decoding: bytes.prefix(256), as: UTF8.self)
        let type = text.range(of: "\"type\":\"").flatMap { start in
            text[start.upperBound...].firstIndex(of: "\"").map { String(text[start.upperBound..<$0]) }
        }
        return "record \(sequence)" + (type.map { ", \($0)" } ?? "")
    }
}
