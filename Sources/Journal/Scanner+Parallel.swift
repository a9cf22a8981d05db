import Dispatch
#if canImport(Glibc)
import Glibc
#endif

// The two-thread reader of `scanRecords`: halves of each window parsed and hashed at once, the
// chain stitched in order on the calling thread.

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

/// Frames, checks the CRC, decodes and hashes every line of the `count` bytes at `segmentStart`
/// of `storage` (which end with a newline); the records point into `storage`. No chain checks:
/// those need the previous segment.
func parseSegment(_ storage: ReadBuffer, at segmentStart: Int, count: Int, fileOffset: Int, limit: Int, checkData: Bool, into out: inout SegmentOutput) {
    let base = UnsafeRawPointer(storage.base) + segmentStart
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
            data: (storage, start + d.data.lowerBound, d.data.count), batch: d.batch, line: Int(d.sequence) + 1, offset: fileOffset + position,
            length: length + 1, hashBits: bits)
        out.lines.append(ParsedLine(record: record, prev: d.prev))
        position += length + 1
    }
}

/// The fast path of `scanRecords`; returns the point after the last complete record or group it
/// delivered.
func scanParallel(fd: Int32, from point: ChainPoint, limit: Int, checkData: Bool, sink: (consuming JournalRecord) -> Void) -> ChainPoint {
    guard let st = FileIO.fstat(fd), Int(st.st_size) - point.end >= parallelThreshold else { return point }
    // Small windows keep the per-window arrays small enough to be reused, not reallocated.
    let capacity = max(1 << 20, 2 * (limit + 2))
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
        // A buffer per window: the last window's records point into theirs (see `ReadBuffer`).
        let storage = ReadBuffer(capacity: capacity)
        let buffer = storage.base
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
        nonisolated(unsafe) let results = outputs
        let segmentStart = position
        helper.start {
            parseSegment(storage, at: middle, count: end - middle, fileOffset: segmentStart + middle, limit: limit, checkData: checkData, into: &results[1])
        }
        parseSegment(storage, at: 0, count: middle, fileOffset: segmentStart, limit: limit, checkData: checkData, into: &results[0])
        helper.wait()
        parallelWindowsScanned += 1
        for i in 0..<2 {
            for parsed in outputs[i].lines {
                let r = parsed.record
                guard r.sequence == current.sequence &+ 1, parsed.prev == current.bits else { return committed }
                // The sequential scan that follows says what is wrong.
                guard groupProblem(r.batch, held: batch.count, of: batchCount) == nil else { return committed }
                if let b = r.batch, batch.isEmpty { batchCount = b.count }
                current = ChainPoint(sequence: r.sequence, end: r.offset + r.length, bits: r.hashBits)
                if handOn(r, holding: &batch, to: sink) { committed = current }
            }
            if outputs[i].stoppedEarly { return committed }
        }
        position += end
    }
}
