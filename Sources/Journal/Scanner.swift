#if canImport(Glibc)
import Glibc
#endif

/// A position in the chain: after record `sequence` (0 = just after the header), whose chain hash
/// is `hash`, ending at byte `end`.
struct ChainPoint: Equatable, Sendable {
    var sequence: UInt64
    var end: Int
    /// The hash's 32 hex digits as machine words, for cheap comparison with a decoded `prev`.
    var bits: Hash16
    var hash: String { bits.text }

    init(sequence: UInt64, hash: String, end: Int) {
        self.init(sequence: sequence, end: end, bits: Hash16(hex: hash) ?? .zero)
    }

    init(sequence: UInt64, end: Int, bits: Hash16) {
        self.sequence = sequence
        self.end = end
        self.bits = bits
    }
    /// Line number of the last line consumed (the header is line 1).
    var line: Int { Int(sequence) + 1 }
}

/// Bytes after the last complete record that do not (yet) form a complete record or batch: a torn
/// write from a crashed process, or a write in progress seen without the lock.
struct TailInfo: Equatable, Sendable {
    var offset: Int
    var line: Int
    var length: Int
    var reason: String
}

enum ScanStop: Equatable {
    case clean
    case tail(TailInfo)
    case failure(JournalError)
}

struct ScanResult {
    var point: ChainPoint
    var stop: ScanStop
    /// File offset where reading stopped (the size of the file as seen).
    var fileEnd: Int
}

/// Reads records from `point.end` to the end of the file, checking framing, checksum, sequence,
/// hash chain and batch structure, and hands complete batches (and single records) to `sink`.
///
/// Large regions go through `scanParallel` first (two threads parse and hash halves of each
/// window; the chain is stitched in order); it stops at the first thing that is not a plain run of
/// good records, and the sequential scan takes over from the last complete record or group,
/// deciding torn tail versus damage and wording the error.
/// `checkData` false leaves checking each record's `data` as JSON to the caller (see `Journal.open`).
/// `group`: the scan starts inside a group, at this member (a repair checking the log on from
/// a record after damage); that group's records are checked but not delivered.
/// `mapping`: when the sequential scan maps the file instead of reading it (every caller holds the
/// journal's lock, or reads a book that has no lock file, which nobody can append to).
func scanRecords(fd: Int32, path: String, from point: ChainPoint, limit: Int, parallel: Bool = parallelScanEnabled,
                 checkData: Bool = true, group: BatchMark? = nil, mapping: LineReader.Mapping? = .large,
                 sink: (consuming JournalRecord) -> Void) -> ScanResult {
    let start = parallel && group == nil ? scanParallel(fd: fd, from: point, limit: limit, checkData: checkData, sink: sink) : point
    return scanSequential(fd: fd, path: path, from: start, limit: limit, checkData: checkData, group: group, mapping: mapping, sink: sink)
}

func scanSequential(fd: Int32, path: String, from point: ChainPoint, limit: Int, checkData: Bool = true,
                    group: BatchMark? = nil, mapping: LineReader.Mapping?, sink: (consuming JournalRecord) -> Void) -> ScanResult {
    let reader = LineReader(fd: fd, offset: point.end, limit: limit, mapping: mapping)
    var committed = point
    var current = point
    var batch: [JournalRecord?] = []  // optional, so delivering can move each record out
    var batchCount = 0
    if let group, group.index > 1 {  // the members before this one, not read: held as gaps
        batch = Array(repeating: nil, count: group.index - 1)
        batchCount = group.count
    }
    var repeated = LineFormat.RepeatedStrings()
    /// The chain hash of the next line, computed with this one's (two at once cost little more
    /// than one), keyed by where that line starts.
    var hashedAhead: (offset: Int, bits: Hash16)?

    /// This line's chain hash (and the next one's with it when the next line is in the buffer),
    /// and whether that next line names it as its `prev`: then this line is whole as written, and
    /// its CRC, a sixth of reading a log, need not be computed. A line no other line vouches for
    /// (the last one read, or one at the end of the read buffer) has its CRC checked.
    func chainHash(_ line: UnsafeRawBufferPointer, at offset: Int) -> (bits: Hash16, vouched: Bool) {
        let next = reader.peekLine()
        let bits: Hash16
        if let ahead = hashedAhead, ahead.offset == offset {
            bits = ahead.bits
        } else if let next {
            let (first, second) = ChainHash.bits(line, next)
            bits = first
            hashedAhead = (offset + line.count + 1, second)
        } else {
            bits = ChainHash.bits(line)
        }
        return (bits, next.map { LineFormat.names(prev: bits, $0) } ?? false)
    }

    /// After a line that fails framing: is there any later line with a valid frame? Then this is
    /// damage in the middle; otherwise everything from here is a torn tail.
    func validLineFollows() -> Bool {
        while true {
            switch reader.next() {
            case .line(let buffer, _):
                if LineFormat.frameIsValid(buffer) { return true }
            case .tooLong:
                reader.skipLine()
            case .partial, .end:
                return false
            }
        }
    }

    func result(_ stop: ScanStop) -> ScanResult {
        if let e = reader.readError {
            return ScanResult(point: committed, stop: .failure(.io(path: path, operation: "read", detail: errnoText(e))), fileEnd: reader.offset)
        }
        return ScanResult(point: committed, stop: stop, fileEnd: reader.offset)
    }

    func torn(at offset: Int, _ reason: String) -> ScanResult {
        let start = batch.isEmpty ? offset : committed.end
        var why = reason
        if !batch.isEmpty { why = "a group of \(batchCount) records was cut after \(batch.count): " + reason }
        // Drain to the end so fileEnd is the real size.
        while true {
            switch reader.next() {
            case .line, .partial: continue
            case .tooLong: reader.skipLine()
            case .end:
                return result(.tail(TailInfo(offset: start, line: committed.line + 1, length: reader.offset - start, reason: why)))
            }
        }
    }

    while true {
        switch reader.next() {
        case .end:
            if !batch.isEmpty {
                return result(.tail(TailInfo(
                    offset: committed.end, line: committed.line + 1, length: current.end - committed.end,
                    reason: "a group of \(batchCount) records ends after \(batch.count)")))
            }
            return result(.clean)

        case .partial(let offset, let length):
            return torn(at: offset, "the last line is incomplete (\(length) bytes without a newline)")

        case .tooLong(let offset):
            let lineNo = current.line + 1
            reader.skipLine()
            let after = reader.offset
            if validLineFollows() {
                return result(.failure(.recordTooLong(path: path, line: lineNo, offset: offset, size: after - offset, limit: limit)))
            }
            return torn(at: offset, "the last line is longer than \(limit) bytes")

        case .line(let buffer, let offset):
            let lineNo = current.line + 1
            let (bits, vouched) = chainHash(buffer, at: offset)
            guard LineFormat.frameIsValid(buffer, vouched: vouched) else {
                // A whole record with a CR LF ending is damage to mend, wherever it is: taking it for
                // a torn tail would leave its group (and every record after it) unread.
                if LineEndings.endsInCRAlone(buffer) {
                    return result(.failure(.damaged(path: path, line: lineNo, offset: offset, reason: LineEndings.lineProblem)))
                }
                let reason = buffer.count > LineFormat.crcSuffixLength ? "checksum mismatch" : "line too short to be a record"
                if validLineFollows() {
                    return result(.failure(.damaged(path: path, line: lineNo, offset: offset, reason: reason)))
                }
                return torn(at: offset, "the last line is damaged (\(reason))")
            }
            let d: LineFormat.Decoded
            do {
                d = try LineFormat.decodeRecord(buffer, repeated: &repeated, checkData: checkData)
            } catch {
                switch error {
                case .invalidUTF8:
                    return result(.failure(.invalidUTF8(path: path, line: lineNo, offset: offset)))
                case .malformed(let why):
                    return result(.failure(.damaged(path: path, line: lineNo, offset: offset, reason: why)))
                }
            }
            guard d.sequence == current.sequence &+ 1 else {
                let kind = d.sequence <= current.sequence ? "repeated or out of order" : "a gap"
                return result(.failure(.damaged(
                    path: path, line: lineNo, offset: offset,
                    reason: "sequence \(d.sequence) where \(current.sequence + 1) was expected (\(kind))")))
            }
            guard d.prev == current.bits else {
                let prevText = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[(buffer.count - LineFormat.crcSuffixLength - 33)..<(buffer.count - LineFormat.crcSuffixLength - 1)]), as: UTF8.self)
                let why = LineFormat.isHashText(prevText)
                    ? "hash chain broken (\"prev\" does not match line \(lineNo - 1))"
                    : "\"prev\" must be 32 lowercase hex digits"
                return result(.failure(.damaged(path: path, line: lineNo, offset: offset, reason: why)))
            }
            if let why = groupProblem(d.batch, held: batch.count, of: batchCount) {
                return result(.failure(.damaged(path: path, line: lineNo, offset: offset, reason: why)))
            }
            if let b = d.batch, batch.isEmpty { batchCount = b.count }
            let record = JournalRecord(
                sequence: d.sequence, timestamp: d.timestamp, author: d.author, type: d.type, version: d.version,
                data: (reader.storage, buffer.baseAddress! + d.data.lowerBound, d.data.count), batch: d.batch, line: lineNo, offset: offset, length: buffer.count + 1, hashBits: bits)
            current = ChainPoint(sequence: d.sequence, end: offset + buffer.count + 1, bits: bits)
            if handOn(consume record, holding: &batch, to: sink) { committed = current }
        }
    }
}

/// Why a record with group mark `mark` cannot come next, when `held` members of a group of
/// `count` are held (none: no group is open); nil when it can.
@inline(__always)
func groupProblem(_ mark: BatchMark?, held: Int, of count: Int) -> String? {
    guard let mark else { return held == 0 ? nil : "a group of \(count) records is interrupted after \(held)" }
    if held == 0 { return mark.index == 1 ? nil : "a group of records starts at member \(mark.index)" }
    return mark.count == count && mark.index == held + 1 ? nil : "group member \(mark.index) of \(mark.count) where \(held + 1) of \(count) was expected"
}

/// Hands `record` to `sink`, or holds it in `batch` while its group is incomplete and hands the
/// whole group on with its last member. True when nothing read is held back: the scan has then
/// delivered everything up to this record.
@inline(__always)
func handOn(_ record: consuming JournalRecord, holding batch: inout [JournalRecord?], to sink: (consuming JournalRecord) -> Void) -> Bool {
    guard let mark = record.batch else {
        sink(consume record)
        return true
    }
    batch.append(consume record)
    guard mark.index == mark.count else { return false }
    // Each moved out in order: iterating the list copied every record, a retain of each of its
    // strings and bytes, for groups of up to a million.
    for index in batch.indices {
        switch batch[index].take() {
        case .some(let held): sink(held)
        case .none: continue  // a member before where the scan began (see `group`)
        }
    }
    batch.removeAll(keepingCapacity: true)
    return true
}
