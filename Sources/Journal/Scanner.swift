import Dispatch
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
func scanRecords(fd: Int32, path: String, from point: ChainPoint, limit: Int, parallel: Bool = parallelScanEnabled,
                 checkData: Bool = true, group: BatchMark? = nil, sink: (consuming JournalRecord) -> Void) -> ScanResult {
    let start = parallel && group == nil ? scanParallel(fd: fd, from: point, limit: limit, checkData: checkData, sink: sink) : point
    return scanSequential(fd: fd, path: path, from: start, limit: limit, checkData: checkData, group: group, sink: sink)
}

/// The two-thread reader is off unless `ARDESK_JOURNAL_THREADS=2`: on the 2-core development
/// machine (shared with other builds) it measured no faster than one thread, because stitching
/// and reference counting on the main thread dominate. Kept, and tested for agreement with the
/// sequential reader, for machines where it pays.
let parallelScanEnabled: Bool = {
    guard let v = getenv("ARDESK_JOURNAL_THREADS") else { return false }
    return (Int(String(cString: v)) ?? 1) >= 2
}()

/// Windows handled by the two-thread path so far (tests check that it ran).
nonisolated(unsafe) var parallelWindowsScanned = 0

/// Regions smaller than this are read by one thread.
let parallelThreshold = 4 << 20

struct ParsedLine: Sendable {
    var record: JournalRecord
    var prev: Hash16
    var bits: Hash16
}

/// One extra thread that runs one job per window. Always the same thread, so the records it
/// allocates are freed by it too (glibc frees across threads' arenas are slow).
final class HelperThread: @unchecked Sendable {
    private let go = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var job: (() -> Void)?
    private var thread = pthread_t()

    init?() {
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            let helper = Unmanaged<HelperThread>.fromOpaque(arg!).takeRetainedValue()
            helper.loop()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<HelperThread>.fromOpaque(context).release()
            return nil
        }
    }

    private func loop() {
        while true {
            go.wait()
            guard let job else { return }
            job()
            done.signal()
        }
    }

    func start(_ job: @escaping () -> Void) {
        self.job = job
        go.signal()
    }

    func wait() { done.wait() }

    func finish() {
        job = nil
        go.signal()
        pthread_join(thread, nil)
    }
}

struct SegmentOutput: Sendable {
    var lines: [ParsedLine] = []
    /// A line in this segment failed framing or decoding; the lines before it are in `lines`.
    var stoppedEarly = false
}

/// Frames, checks the CRC, decodes and hashes every line of `[base, base + count)` (which ends
/// with a newline). No chain checks: those need the previous segment.
func parseSegment(_ base: UnsafeRawPointer, count: Int, fileOffset: Int, limit: Int, checkData: Bool, into out: inout SegmentOutput) {
    out.lines.removeAll(keepingCapacity: true)  // frees the previous window's records on this thread
    out.stoppedEarly = false
    var position = 0
    var repeated = LineFormat.RepeatedStrings()
    while position < count {
        let start = base + position
        guard let nl = memchr(start, 0x0A, count - position) else { out.stoppedEarly = true; break }
        let length = UnsafeRawPointer(nl) - start
        let line = UnsafeRawBufferPointer(start: start, count: length)
        guard length <= limit, LineFormat.frameIsValid(line),
              let d = try? LineFormat.decodeRecord(line, repeated: &repeated, checkData: checkData) else {
            out.stoppedEarly = true
            break
        }
        let bits = LineFormat.chainHashBits(line)
        let record = JournalRecord(
            sequence: d.sequence, timestamp: d.timestamp, author: d.author, type: d.type, version: d.version,
            data: d.data, batch: d.batch, line: Int(d.sequence) + 1, offset: fileOffset + position,
            length: length + 1, hashBits: bits)
        out.lines.append(ParsedLine(record: record, prev: d.prev, bits: bits))
        position += length + 1
    }
}

/// The fast path of `scanRecords`; returns the point after the last complete record or group it
/// delivered.
func scanParallel(fd: Int32, from point: ChainPoint, limit: Int, checkData: Bool, sink: (consuming JournalRecord) -> Void) -> ChainPoint {
    guard let st = FileIO.fstat(fd), Int(st.st_size) - point.end >= parallelThreshold else { return point }
    // Small windows keep the per-window arrays small enough to be reused, not reallocated.
    let capacity = max(1 << 20, 2 * (limit + 2))
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    defer { buffer.deallocate() }
    let outputs = UnsafeMutablePointer<SegmentOutput>.allocate(capacity: 2)
    outputs.initialize(repeating: SegmentOutput(), count: 2)
    guard let helper = HelperThread() else { return point }
    defer {
        nonisolated(unsafe) let results = outputs
        helper.start { results[1] = SegmentOutput() }
        helper.wait()
        helper.finish()
        outputs.deinitialize(count: 2)
        outputs.deallocate()
    }

    var committed = point
    var current = point
    var batch: [JournalRecord?] = []  // optional, so delivering can move each record out
    var batchCount = 0
    var position = point.end
    while true {
        var filled = 0
        while filled < capacity {
            let n = FileIO.pread(fd, buffer + filled, capacity - filled, position + filled)
            if n <= 0 { break }
            filled += n
        }
        // Leave the last stretch (where a torn tail or a write in progress may be) to the
        // sequential scan.
        guard filled == capacity else { return committed }
        var last = filled - 1
        while last >= 0 && buffer.load(fromByteOffset: last, as: UInt8.self) != 0x0A { last -= 1 }
        guard last > 0 else { return committed }
        let end = last + 1
        var split = end
        if let nl = memchr(buffer + end / 2, 0x0A, end - end / 2) {
            split = UnsafeRawPointer(nl) - UnsafeRawPointer(buffer) + 1
        }
        let middle = split
        nonisolated(unsafe) let base = UnsafeRawPointer(buffer)
        nonisolated(unsafe) let results = outputs
        let segmentStart = position
        helper.start {
            parseSegment(base + middle, count: end - middle, fileOffset: segmentStart + middle, limit: limit, checkData: checkData, into: &results[1])
        }
        parseSegment(base, count: middle, fileOffset: segmentStart, limit: limit, checkData: checkData, into: &results[0])
        helper.wait()
        parallelWindowsScanned += 1
        for i in 0..<2 {
            for parsed in outputs[i].lines {
                let r = parsed.record
                guard r.sequence == current.sequence &+ 1, parsed.prev == current.bits else { return committed }
                if let b = r.batch {
                    if batch.isEmpty {
                        guard b.index == 1 else { return committed }
                        batchCount = b.count
                    } else {
                        guard b.count == batchCount, b.index == batch.count + 1 else { return committed }
                    }
                } else if !batch.isEmpty {
                    return committed
                }
                current = ChainPoint(sequence: r.sequence, end: r.offset + r.length, bits: parsed.bits)
                if let b = r.batch {
                    batch.append(r)
                    if b.index == b.count {
                        deliver(&batch, to: sink)
                        committed = current
                    }
                } else {
                    sink(r)
                    committed = current
                }
            }
            if outputs[i].stoppedEarly { return committed }
        }
        position += end
    }
}

func scanSequential(fd: Int32, path: String, from point: ChainPoint, limit: Int, checkData: Bool = true,
                    group: BatchMark? = nil, sink: (consuming JournalRecord) -> Void) -> ScanResult {
    let reader = LineReader(fd: fd, offset: point.end, limit: limit)
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

    /// This line's chain hash, and the next one's with it when the next line is in the buffer.
    func chainHash(_ line: UnsafeRawBufferPointer, at offset: Int) -> Hash16 {
        if let ahead = hashedAhead, ahead.offset == offset { return ahead.bits }
        guard let next = reader.peekLine() else { return ChainHash.bits(line) }
        let (bits, nextBits) = ChainHash.bits(line, next)
        hashedAhead = (offset + line.count + 1, nextBits)
        return bits
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
            guard LineFormat.frameIsValid(buffer) else {
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
            if let b = d.batch {
                if batch.isEmpty {
                    guard b.index == 1 else {
                        return result(.failure(.damaged(path: path, line: lineNo, offset: offset, reason: "a group of records starts at member \(b.index)")))
                    }
                    batchCount = b.count
                } else {
                    guard b.count == batchCount, b.index == batch.count + 1 else {
                        return result(.failure(.damaged(path: path, line: lineNo, offset: offset, reason: "group member \(b.index) of \(b.count) where \(batch.count + 1) of \(batchCount) was expected")))
                    }
                }
            } else if !batch.isEmpty {
                return result(.failure(.damaged(
                    path: path, line: lineNo, offset: offset,
                    reason: "a group of \(batchCount) records is interrupted after \(batch.count)")))
            }
            let bits = chainHash(buffer, at: offset)
            let record = JournalRecord(
                sequence: d.sequence, timestamp: d.timestamp, author: d.author, type: d.type, version: d.version,
                data: d.data, batch: d.batch, line: lineNo, offset: offset, length: buffer.count + 1, hashBits: bits)
            current = ChainPoint(sequence: d.sequence, end: offset + buffer.count + 1, bits: bits)
            if let b = d.batch {
                batch.append(record)
                if b.index == b.count {
                    deliver(&batch, to: sink)
                    committed = current
                }
            } else {
                sink(record)
                committed = current
            }
        }
    }
}

/// Hands a complete group's records to `sink` in order, moving each out (iterating the list copied
/// every record, a retain of each of its strings and bytes, for groups of up to a million).
func deliver(_ batch: inout [JournalRecord?], to sink: (consuming JournalRecord) -> Void) {
    for index in batch.indices { if let record = batch[index].take() { sink(record) } }
    batch.removeAll(keepingCapacity: true)
}
