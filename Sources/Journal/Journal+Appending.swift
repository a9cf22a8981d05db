import CWriteGuard
import FlatJSON
#if canImport(Glibc)
import Glibc
#endif

/// Appending: under the exclusive lock, read what others appended, then one durable write.
extension Journal {
    /// Appends records atomically with respect to other processes:
    /// takes the exclusive lock; reads what others appended since this journal last looked
    /// (setting aside a torn tail first); passes those records to `prepare` — they count as
    /// delivered and `readNew` will not return them again, even if `prepare` throws — so the
    /// caller can apply them and validate its command against the latest state; writes the drafts
    /// `prepare` returns with one `write` (several drafts form one all-or-nothing group);
    /// `fdatasync`s; releases the lock. Returns the records written, which are durable.
    ///
    /// If `prepare` throws or returns `[]`, nothing is written. If writing or flushing fails,
    /// the partial write is cut off again, the error says the action was NOT saved, and every
    /// later append throws until the book is reopened.
    @discardableResult
    public func append(_ prepare: ([JournalRecord]) throws -> [RecordDraft]) throws -> [JournalRecord] {
        if let readOnlyReason { throw JournalError.readOnlyBook(path: path, reason: readOnlyReason) }
        if let failure { throw JournalError.failedEarlier(path: path, cause: failure.description) }
        return try withLock(LOCK_EX) {
            try checkIdentity()
            var fresh = undelivered
            undelivered = []
            guard let st = FileIO.fstat(fd) else { throw JournalError.io(path: path, operation: "fstat", detail: errnoText(errno)) }
            if Int(st.st_size) < point.end {
                throw JournalError.bookChanged(path: path, reason: "it was cut from \(point.end) to \(st.st_size) bytes")
            }
            if Int(st.st_size) != point.end {
                let result = scan(into: &fresh)
                try settle(result, recover: true)
            }
            let drafts = try prepare(fresh)
            if drafts.isEmpty { return [] }
            return try write(drafts)
        }
    }

    /// Convenience: appends one record without a validation step. Records others appended in
    /// the meantime are not lost: the next `readNew` returns them.
    @discardableResult
    public func append(_ draft: RecordDraft) throws -> JournalRecord {
        var seen: [JournalRecord] = []
        let written = try append { fresh in seen = fresh; return [draft] }
        undelivered = seen + undelivered
        return written[0]
    }

    func write(_ drafts: [RecordDraft]) throws -> [JournalRecord] {
        let timestamp = clock()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 * drafts.count)
        // Every record's payload one after another, in one buffer the records point into.
        var payloads: [UInt8] = []
        var made: [(draft: Int, sequence: UInt64, author: String, batch: BatchMark?, data: Range<Int>, offset: Int, length: Int, hash: Hash16)] = []
        made.reserveCapacity(drafts.count)
        var prev = point.bits
        var sequence = point.sequence
        var offset = point.end
        for (i, draft) in drafts.enumerated() {
            guard !draft.type.isEmpty, !draft.type.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
                throw JournalError.invalidDraft(path: path, reason: "the event type must be non-empty text without control characters")
            }
            guard draft.version >= 0, draft.version <= Int(Int32.max) else {
                throw JournalError.invalidDraft(path: path, reason: "schema version \(draft.version) of \(draft.type) is out of range")
            }
            let author = draft.author ?? self.author
            guard !author.isEmpty, !author.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
                throw JournalError.invalidDraft(path: path, reason: "the author must be non-empty text without control characters")
            }
            sequence += 1
            let batch = drafts.count > 1 ? BatchMark(index: i + 1, count: drafts.count) : nil
            let start = bytes.count
            var data: [UInt8] = []
            JSONWriter.write(.object(draft.payload), into: &data)
            LineFormat.encodeRecord(
                sequence: sequence, timestamp: timestamp, author: author, type: draft.type, version: draft.version,
                data: data, batch: batch, prev: prev.text, into: &bytes)
            let length = bytes.count - start
            guard length <= Journal.maxRecordBytes else {
                throw JournalError.recordTooLong(path: path, line: Int(sequence) + 1, offset: offset, size: length, limit: Journal.maxRecordBytes)
            }
            let hash = bytes.withUnsafeBytes { LineFormat.chainHashBits(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }
            bytes.append(0x0A)
            made.append((i, sequence, author, batch, payloads.count..<(payloads.count + data.count), offset, length + 1, hash))
            payloads += data
            prev = hash
            offset += length + 1
        }
        // A signal (Ctrl-C, a cron job's SIGTERM) that comes while the records are written and
        // flushed is acted on after: a large import was cut midway (see CWriteGuard).
        ardesk_write_begins()
        defer { ardesk_write_ends() }
        let (_, writeError) = bytes.withUnsafeBytes { FileIO.pwriteAll(fd, $0, at: point.end) }
        if let e = writeError {
            let cleanedUp = ftruncate(fd, off_t(point.end)) == 0
            let error: JournalError = (e == ENOSPC || e == EFBIG || e == EDQUOT)
                ? .diskFull(path: path, detail: errnoText(e), cleanedUp: cleanedUp)
                : .writeFailed(path: path, detail: errnoText(e), cleanedUp: cleanedUp)
            // Cut back to where it was, the log is as before: the next action may try again (once
            // space is freed). Left with part of a record, nothing more is written to it.
            if !cleanedUp { failure = error }
            throw error
        }
        if syncFunction(fd) != 0 {
            let e = errno
            // Not durable: take it back out so no reader treats it as saved.
            let takenBack = truncateFunction(fd, off_t(point.end)) == 0
            let error = JournalError.syncFailed(path: path, detail: errnoText(e), takenBack: takenBack)
            failure = error
            throw error
        }
        point = ChainPoint(sequence: sequence, end: offset, bits: prev)
        lastAppended = sequence
        scannedSize = offset
        let payloadBytes = ReadBuffer(copying: payloads)
        return made.map { m in
            JournalRecord(
                sequence: m.sequence, timestamp: timestamp, author: m.author, type: drafts[m.draft].type, version: drafts[m.draft].version,
                data: (payloadBytes, UnsafeRawPointer(payloadBytes.base) + m.data.lowerBound, m.data.count), batch: m.batch,
                line: Int(m.sequence) + 1, offset: m.offset, length: m.length, hashBits: m.hash)
        }
    }
}
