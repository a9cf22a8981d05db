import Core
import Dispatch
import Foundation
import Journal

/// Turns journal records into events and folds them into a book, in order.
///
/// After a record this build cannot read, nothing later is applied: a skipped payment would mean
/// wrong balances. The book stays readable as it stood, and `upgradeReason` makes it read-only.
struct Replayer {
    var book = Book()
    var upgradeReason: String?

    init(book: Book = Book()) { self.book = book }

    /// Decodes and applies `records`; `onEvent` sees each event after it was applied.
    /// `decodeOnBothCores` splits decoding of large slices across two threads (folding stays in
    /// order on the calling thread).
    mutating func apply(_ records: ArraySlice<JournalRecord>, decodeOnBothCores: Bool, onEvent: (Event) -> Void = { _ in }) throws {
        guard upgradeReason == nil else { return }
        let decoded = DecodedEvents(capacity: records.count)
        if decodeOnBothCores && records.count >= 1_024 {
            let half = records.count / 2
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                decoded.decode(records, part == 0 ? 0..<half : half..<records.count)
            }
        } else {
            decoded.decode(records, 0..<records.count)
        }
        try fold(records, decoded: decoded, onEvent: onEvent)
    }

    /// Applies `records`, each with the event `decoded` holds for it at the same offset (moved
    /// out, not copied).
    mutating func fold(_ records: ArraySlice<JournalRecord>, decoded: DecodedEvents, onEvent: (Event) -> Void = { _ in }) throws {
        guard upgradeReason == nil else { return }
        // By index: iterating the records would copy each one (a retain of every string and of
        // its bytes) only to read three fields.
        for (offset, index) in records.indices.enumerated() {
            do {
                let (event, day) = try decoded.take(offset)
                try book.apply(event, stamp: Replayer.stamp(records[index], day: day))
                onEvent(event)
            } catch let error as PayloadError where error.needsUpgrade {
                upgradeReason = "record \(records[index].sequence) (line \(records[index].line)) was written by a newer ardesk: \(error); upgrade ardesk to change this book"
                return
            } catch let error as BookError where !book.lostRecords.isEmpty {
                // After a repair set records aside, a later one may need what they held (a payment
                // for a lost invoice): it is listed for a manager to enter again, not applied.
                book.noteSkipped(records[index].sequence, reason: "\(error)")
            } catch {
                throw DeskError.replay(sequence: records[index].sequence, line: records[index].line, reason: "\(error)")
            }
        }
    }

    static func stamp(_ record: JournalRecord, day: Day) -> Stamp {
        Stamp(sequence: record.sequence, author: record.author, time: record.timestamp, day: day,
              actionStart: record.batch.map { record.sequence - UInt64($0.index - 1) })
    }
}

/// What decoding a record gave: its event and the day it belongs to, or why it could not be read.
/// A concrete type rather than `Result<(Event, Day), Error>`: the generic one was copied and
/// destroyed through the runtime's tuple witnesses, a tenth of a large replay.
enum DecodedEvent {
    case event(Event, Day)
    case failure(Error)
}

/// A chunk's events decoded in place: each slot is written once, by whichever thread decodes its
/// range (two threads write disjoint ranges, one after the other or at once), and moved out by
/// the fold in order, so an event is never copied between decoding and the book.
final class DecodedEvents: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<DecodedEvent>
    private let capacity: Int
    /// Slots `taken..<capacity` that were written are destroyed when the chunk goes.
    private var written: [Range<Int>] = []
    private let lock = NSLock()
    private var taken = 0

    init(capacity: Int) {
        self.capacity = capacity
        slots = .allocate(capacity: max(1, capacity))
    }

    deinit {
        for range in written {  // what was decoded and not taken
            let first = max(range.lowerBound, taken)
            if first < range.upperBound { (slots + first).deinitialize(count: range.upperBound - first) }
        }
        slots.deallocate()
    }

    /// Decodes the records at offsets `range` of `records` into the slots at the same offsets,
    /// reading each record where it lies (`map` over the records copied each: a retain of every
    /// string and of its bytes).
    func decode(_ records: ArraySlice<JournalRecord>, _ range: Range<Int>) {
        precondition(range.upperBound <= min(capacity, records.count), "decoding past the chunk")
        records.withUnsafeBufferPointer { buffer in
            for index in range {
                let record = buffer.baseAddress! + index
                do {
                    // Each field read in place: a method called on the record copied it.
                    let (event, day) = try EventCodec.decode(type: record.pointee.type, version: record.pointee.version,
                                                             bytes: record.pointee.unsafeData, author: record.pointee.author)
                    (slots + index).initialize(to: .event(event, day))
                } catch {
                    (slots + index).initialize(to: .failure(error))
                }
            }
        }
        lock.lock()
        written.append(range)
        lock.unlock()
    }

    /// The event at `offset`, moved out; offsets are taken in order, each once.
    func take(_ offset: Int) throws -> (Event, Day) {
        precondition(offset == taken, "decoded events are taken in order")
        taken += 1
        switch (slots + offset).move() {
        case .event(let event, let day): return (event, day)
        case .failure(let error): throw error
        }
    }
}

/// Folds the records the journal verifies while opening on a second thread, a chunk at a time,
/// so reading and checking the log (one core) overlaps folding (the other), each decoding part of
/// every chunk, and at most a few chunks of records are in memory at once instead of the whole log.
///
/// `add` is called on the reading thread; the fold runs on a serial queue; `finish` waits for it.
final class BackgroundReplay: @unchecked Sendable {
    static let chunkSize = 8_192
    /// Chunks read but not yet folded; bounds memory when folding is the slower side. Eight, not
    /// three: chunks differ in cost (invoices, payments, calls), and with three the two threads
    /// kept waiting for each other (L opened in 3.9–4.0 s instead of 4.9–5.0 s, for 15 MiB).
    private let inFlight = DispatchSemaphore(value: 8)
    private let queue = DispatchQueue(label: "ardesk.replay")
    /// Touched only by jobs on `queue` (and before the first, and after `finish`, by the caller).
    private var replayer: Replayer
    private var failure: Error?
    private var pending: [JournalRecord] = []
    /// Folded chunks, handed back so their records are freed by the thread that allocated them
    /// (glibc frees into another thread's arena contend with its mallocs).
    private var folded: [[JournalRecord]] = []
    /// Chunks handed to the folding thread and not yet folded (under `foldedLock`).
    private var queued = 0
    private let foldedLock = NSLock()
    /// Sixteenths of each chunk decoded on the reading thread. Which thread is the slower one
    /// depends on the machine, the book and the other load of the host (a fixed half, then a
    /// fixed three fifths, each lost on some runs), so it follows the threads: one more sixteenth
    /// when the reader finds every chunk slot taken (folding is behind), one less when it finds
    /// the folding thread with nothing to do (reading is behind).
    private var readerShare = 8
    /// `ARDESK_REPLAY_THREADS=1`: each chunk is folded before the next is read, so an open's whole
    /// work runs on one core at a time (to measure what it costs; an open is not faster so).
    static let foldsInline: Bool = getenv("ARDESK_REPLAY_THREADS").map { String(cString: $0) == "1" } ?? false
    /// Records handed to `add`.
    private(set) var count = 0
    private let chunkSize: Int
    /// A snapshot's book was given to resume from.
    let resumesSnapshot: Bool

    /// The log's size, for a guess at how many documents a replay from the start will add.
    private let logBytes: Int

    /// `resuming` is the book a snapshot restored; it is used if the journal resumes after it.
    /// `logBytes`: the size of the log about to be read.
    init(resuming snapshot: Book?, logBytes: Int = 0, chunkSize: Int = BackgroundReplay.chunkSize) {
        replayer = Replayer(book: snapshot ?? Book())
        resumesSnapshot = snapshot != nil
        self.logBytes = logBytes
        self.chunkSize = max(1, chunkSize)
        pending.reserveCapacity(self.chunkSize)
    }

    /// Bytes of the log per record, on the low side (a record is rarely shorter; a demo book's
    /// average is about 340), for guessing from a log's size how many records it holds.
    static let bytesPerRecordGuess = 256

    func add(_ record: consuming JournalRecord) {
        // Sequence 1 means the journal reads from the start: the snapshot was stale or absent.
        if count == 0 && record.sequence == 1 {
            if replayer.book.lastSequence != 0 { replayer = Replayer() }
            // At most one document per record: room for them all, so the lists seldom grow by copying.
            replayer.book.reserveDocuments(logBytes / BackgroundReplay.bytesPerRecordGuess)
        }
        count += 1
        pending.append(record)
        if pending.count == chunkSize { flush() }
    }

    private func flush() {
        guard !pending.isEmpty else { return }
        let chunk = pending
        pending = []
        pending.reserveCapacity(chunkSize)
        // Part of each chunk is decoded here and the rest on the folding thread, so that both
        // threads stay busy (see `readerShare`).
        let split = chunk.count * readerShare / 16
        // One list for the chunk, its first part filled here and the rest on the folding thread,
        // which is then its only owner: joining two lists copied every decoded event.
        let decoded = DecodedEvents(capacity: chunk.count)
        decoded.decode(chunk[...], 0..<split)
        if inFlight.wait(timeout: .now()) == .timedOut {  // folding is behind: decode more here
            readerShare = min(readerShare + 1, 14)
            inFlight.wait()
        }
        foldedLock.lock()
        folded.removeAll()
        let foldingIdle = queued == 0
        queued += 1
        foldedLock.unlock()
        if foldingIdle { readerShare = max(readerShare - 1, 2) }  // reading is behind: decode less here
        let work: @Sendable () -> Void = {
            if self.failure == nil {
                decoded.decode(chunk[...], split..<chunk.count)
                do { try self.replayer.fold(chunk[...], decoded: decoded) } catch { self.failure = error }
            }
            self.foldedLock.lock()
            self.folded.append(chunk)
            self.queued -= 1
            self.foldedLock.unlock()
            self.inFlight.signal()
        }
        if BackgroundReplay.foldsInline { queue.sync(execute: work) } else { queue.async(execute: work) }
    }

    /// Waits for every chunk to be folded; returns the replayer (moved out, so the book has a
    /// single owner and the next change does not copy it) or the first replay error.
    func finish() throws -> Replayer {
        flush()
        queue.sync {}
        if let failure { throw failure }
        var result = Replayer()
        swap(&result, &replayer)
        return result
    }

    /// Opening failed: let queued work drain, and drop it.
    func abandon() {
        pending = []
        queue.sync {}
        replayer = Replayer()
    }
}
