/// Works out the repaired log from the damaged one: scans the original chain from problem to
/// problem (resuming after each damaged place at the next good record), then writes the output.
struct LogMend {
    let original: [UInt8]
    let fd: Int32
    let path: String
    var fixes: [RepairReport.Fix] = []
    var output: [UInt8] = []
    var rechained = 0

    /// What replaces a stretch of the original log.
    enum Replacement {
        case bytes([UInt8])
        case lost(count: Int, first: UInt64, text: String, reason: String, batches: [BatchMark?])
    }
    var replacements: [(range: Range<Int>, with: Replacement)] = []

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
                let damaged = lineRange(at: damagedAt)
                // A sound line that does not chain on from the record before it: what no later
                // record vouches for is set aside (see `changedRecord`), not its witness.
                if let changed = try changedRecord(before: damaged, good: good, header: (headerHash, headerEnd)) {
                    point = changed
                    group = nil
                    lastBatch = nil
                    continue
                }
                // The damaged line alone, proven by the next line's prev even if that line is damaged too.
                let soundGap = decoded(original[damaged]).flatMap { $0.sequence > good.sequence + 1 ? $0 : nil }
                if soundGap == nil, damaged.upperBound < original.count, let nextPrev = rawPrev(of: lineRange(at: damaged.upperBound + 1)),
                   let restored = restore(damagedAt..<(damaged.upperBound + 1), after: good, missing: 1, anchorPrev: nextPrev),
                   let record = decoded(restored.bytes.dropLast()) {
                    fixes.append(.restored(line: lineNumber(at: damagedAt), sequence: good.sequence + 1, how: restored.how))
                    replacements.append((damagedAt..<(damaged.upperBound + 1), .bytes(restored.bytes)))
                    point = ChainPoint(sequence: good.sequence + 1, end: damaged.upperBound + 1, bits: record.bits)
                    group = record.batch.flatMap { $0.index < $0.count ? BatchMark(index: $0.index + 1, count: $0.count) : nil }
                    lastBatch = record.batch
                    continue
                }
                // A sound record after a gap (lines lost whole): the log goes on from it.
                let gapAnchor = soundGap.map { (offset: damagedAt, sequence: $0.sequence, prevBits: $0.prev, batch: $0.batch) }
                guard let anchor = gapAnchor ?? nextGoodRecord(after: damagedAt, sequence: good.sequence) else {
                    mendTail(from: good, batch: goodBatch, reason: Self.reasonText(error))  // nothing good follows
                    break
                }
                let region = good.end..<anchor.offset
                let missing = Int(anchor.sequence - good.sequence) - 1
                if let restored = restore(region, after: good, missing: missing, anchorPrev: anchor.prevBits.text) {
                    fixes.append(.restored(line: lineNumber(at: region.lowerBound), sequence: good.sequence + 1, how: restored.how))
                    replacements.append((region, .bytes(restored.bytes)))
                } else if missing > 0 {
                    let first = good.sequence + 1
                    let batches = (0..<missing).map { i in Self.batch(of: first + UInt64(i), before: (good.sequence, lastBatch),
                                                                         after: (anchor.sequence, anchor.batch)) }
                    let text = String(decoding: original[region].prefix(4_096), as: UTF8.self)
                    let reason = region.isEmpty ? "missing from the log (its line is gone)" : Self.reasonText(error)
                    let line = lineNumber(at: region.lowerBound)
                    fixes.append(.setAside(lines: line...(line + max(1, lineCount(region)) - 1),
                                           sequences: first...(first + UInt64(missing) - 1), reason: reason))
                    replacements.append((region, .lost(count: missing, first: first, text: text, reason: reason, batches: batches)))
                } else {
                    // Bytes between two records that chain. Sound records among them set aside
                    // earlier as gone were moved down (lines swapped): each is kept in its lost
                    // record. Whatever else is there is no record. Lines are numbered by
                    // counting: after lines gone or swapped, a line is not its sequence + 1.
                    let first = lineNumber(at: region.lowerBound)
                    let (kept, leftBytes) = keepStrayRecords(in: region, firstLine: first)
                    for stray in kept { fixes.append(.outOfPlace(line: stray.line, sequence: stray.sequence)) }
                    if leftBytes > 0 { fixes.append(.removed(lines: first...(first + max(1, lineCount(region)) - 1), bytes: leftBytes)) }
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

    /// When the sound line `line` does not chain on from `good` (the record before it), what
    /// no later record vouches for is set aside, or taken out: a record is vouched for when the
    /// next one's prev is its hash. `good` is not (the line after it does not chain on from it):
    /// edited after it was written, its checksum made again, or the one before a record spliced
    /// in. `line` is kept when the line after it chains on from it, and set aside with `good`
    /// when it does not or when nothing follows (which of the two changed cannot be told). A
    /// second record of `good`'s number that chains from where `good` does, vouched for by the
    /// next, is the one written: `good` was put in before it, and is taken out. Returns the
    /// chain point the scan resumes from; nil when the general rule applies (a damaged line
    /// after `line`, records of a group, a line just put back).
    mutating func changedRecord(before line: Range<Int>, good: ChainPoint, header: (hash: String, end: Int)) throws -> ChainPoint? {
        guard good.sequence > 0, let record = decoded(original[line]), record.batch == nil,
              !replacements.contains(where: { $0.0.upperBound == line.lowerBound }) else { return nil }
        let goodStart = (original[..<(line.lowerBound - 1)].lastIndex(of: 0x0A) ?? -1) + 1
        guard goodStart >= header.end, let changed = decoded(original[goodStart..<(line.lowerBound - 1)]), changed.batch == nil else { return nil }
        let next = line.upperBound < original.count - 1 ? lineRange(at: line.upperBound + 1) : nil
        let following = next.flatMap { decoded(original[$0]) }
        guard next == nil || following != nil, following?.batch == nil else { return nil }
        let vouched = following.map { $0.prev == record.bits } ?? false
        let first = lineNumber(at: goodStart)
        if record.sequence == good.sequence, record.prev == changed.prev, vouched {
            fixes.append(.putIn(line: first, sequence: good.sequence))
            replacements.append((goodStart..<line.lowerBound, .bytes([])))
            return ChainPoint(sequence: good.sequence - 1, end: line.lowerBound, bits: record.prev)
        }
        // The line after it chaining on from `good`: `line` was put in between, and the general
        // rule takes it out alone.
        guard record.sequence == good.sequence + 1, record.prev != good.bits, following?.prev != good.bits else { return nil }
        let reason = "its text is not what the next record's prev says it was: changed after it was written, or "
            + (vouched ? "the next record's prev was" : "the next record is not this log's")
        let count = vouched ? 1 : 2
        let end = vouched ? line.lowerBound : min(line.upperBound + 1, original.count)
        let region = goodStart..<end
        fixes.append(.setAside(lines: first...(first + count - 1), sequences: good.sequence...(good.sequence + UInt64(count) - 1), reason: reason))
        replacements.append((region, .lost(count: count, first: good.sequence, text: String(decoding: original[region].dropLast().prefix(4_096), as: UTF8.self),
                                           reason: reason, batches: Array(repeating: nil, count: count))))
        if vouched { return ChainPoint(sequence: good.sequence, end: line.lowerBound, bits: record.prev) }
        return ChainPoint(sequence: record.sequence, end: end, bits: following?.prev ?? record.bits)
    }

    /// Each line of `region` (numbered from `firstLine`) that is a sound record set aside
    /// earlier (its line had been moved further down: lines swapped) goes into that lost
    /// record's text; returns those, and how many bytes of the region are anything else.
    mutating func keepStrayRecords(in region: Range<Int>, firstLine: Int) -> (kept: [(line: Int, sequence: UInt64)], leftBytes: Int) {
        var kept: [(line: Int, sequence: UInt64)] = []
        var left = 0
        var offset = region.lowerBound, number = firstLine
        while offset < region.upperBound {
            let line = lineRange(at: offset)
            let end = min(line.upperBound + 1, region.upperBound)
            if let record = decoded(original[line]), keepInLostRecord(record.sequence, text: String(decoding: original[line], as: UTF8.self)) {
                kept.append((number, record.sequence))
            } else {
                left += end - offset
            }
            offset = end
            number += 1
        }
        return (kept, left)
    }

    /// Adds `text` to the lost record set aside for `sequence`; false when none was.
    mutating func keepInLostRecord(_ sequence: UInt64, text: String) -> Bool {
        for index in replacements.indices {
            guard case .lost(let count, let first, let held, let reason, let batches) = replacements[index].with,
                  sequence >= first, sequence < first + UInt64(count) else { continue }
            // One lost record holds the text of a run set aside: each stray is named in it.
            let entry = (count == 1 && held.isEmpty ? "" : "record \(sequence): ") + text
            replacements[index].with = .lost(count: count, first: first, text: held.isEmpty ? entry : held + "\n" + entry,
                                             reason: held.isEmpty ? "out of place: found after a later record, its text kept here" : reason,
                                             batches: batches)
            return true
        }
        return false
    }

    /// The line starting at `offset`, without its newline (to the end of the file when none).
    func lineRange(at offset: Int) -> Range<Int> {
        offset..<(original[offset...].firstIndex(of: 0x0A) ?? original.count)
    }

    /// The 32 hex digits a record line ends its `prev` with, read where they stand whatever the
    /// rest of the line holds (damage elsewhere in it leaves them readable).
    func rawPrev(of line: Range<Int>) -> String? { Self.rawPrev(in: original, line: line) }

    static func rawPrev(in bytes: [UInt8], line: Range<Int>) -> String? {
        let end = line.upperBound - LineFormat.crcSuffixLength - 1  // the closing quote of prev
        guard end - 32 >= line.lowerBound, bytes[end] == UInt8(ascii: "\"") else { return nil }
        let text = String(decoding: bytes[(end - 32)..<end], as: UTF8.self)
        return LineFormat.isHashText(text) ? text : nil
    }

    /// A sound record line's sequence, chain hash, the hash it chains on from, and group mark.
    func decoded<C: Collection>(_ line: C) -> (sequence: UInt64, bits: Hash16, prev: Hash16, batch: BatchMark?)? where C.Element == UInt8 {
        Array(line).withUnsafeBytes { raw in
            guard LineFormat.frameIsValid(raw), let d = try? LineFormat.decodeRecord(raw) else { return nil }
            return (d.sequence, LineFormat.chainHashBits(raw), d.prev, d.batch)
        }
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
    func recordEnding(at offset: Int, header: (hash: String, end: Int)) throws -> (ChainPoint, BatchMark?) {
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
    func nextGoodRecord(after damagedAt: Int, sequence: UInt64) -> (offset: Int, sequence: UInt64, prevBits: Hash16, batch: BatchMark?)? {
        guard var start = original[damagedAt...].firstIndex(of: 0x0A).map({ $0 + 1 }) else { return nil }
        while start < original.count {
            guard let newline = original[start...].firstIndex(of: 0x0A) else { return nil }
            if let record = decoded(original[start..<newline]), record.sequence > sequence {
                return (start, record.sequence, record.prev, record.batch)
            }
            start = newline + 1
        }
        return nil
    }

    /// The bytes of `region` put back by one edit (a byte changed, lost or added) such that they
    /// are `missing` records that chain from `good` to the next record's `prev`; nil when no such
    /// edit exists. The chain proves the result: a SHA-256 match, which no other edit gives.
    func restore(_ region: Range<Int>, after good: ChainPoint, missing: Int, anchorPrev: String) -> (bytes: [UInt8], how: String)? {
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
    func chains(_ bytes: [UInt8], after good: ChainPoint, count: Int, into prev: String) -> Bool {
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

    /// The 1-based number of the line starting at `offset`, counted on from the last one asked
    /// for (fixes are found front to back, so a log is counted through about once).
    mutating func lineNumber(at offset: Int) -> Int {
        if offset < counted.offset { counted = (0, 1) }
        let line = original[counted.offset..<offset].reduce(counted.line) { $0 + ($1 == 0x0A ? 1 : 0) }
        counted = (offset, line)
        return line
    }
    private var counted: (offset: Int, line: Int) = (0, 1)

    func lineCount(_ range: Range<Int>) -> Int {
        original[range].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (original[range].last == 0x0A || range.isEmpty ? 0 : 1)
    }

    static func hex(_ byte: UInt8) -> String { "0x" + String(byte, radix: 16) }
}
