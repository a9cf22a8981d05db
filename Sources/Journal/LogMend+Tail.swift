/// The end of a log, which nothing after it proves: kept, put back by its checksum, set aside,
/// or cut as a write that never finished.
extension LogMend {
    /// The last lines, after `good`, which nothing later proves: each sound line chained on is
    /// kept; a damaged one is put back when one edit gives a line whose checksum is right and
    /// that chains on (the checksum is the proof here), or two records run together are parted;
    /// a whole line that cannot be is set aside as lost when its sequence can still be read (the
    /// record was written, then damaged); a line cut short at the end of the file is a write that
    /// never finished, cut; and a group left incomplete was an append that never finished, cut
    /// whole (an append is all or nothing), as opening the book does with it.
    mutating func mendTail(from good: ChainPoint, batch goodBatch: BatchMark?, reason: String) {
        var point = good
        var batch = goodBatch
        var start = good.end
        var groupStart: (offset: Int, line: Int, fixes: Int, replacements: Int)?  // of the group being read
        while start < original.count {
            let line = lineRange(at: start)
            let next = min(original.count, line.upperBound + 1)
            let expected = point.sequence + 1
            // Counted, not taken from the sequence: lines lost or moved before this one shift it.
            let number = lineNumber(at: line.lowerBound)
            let before = (offset: line.lowerBound, line: number, fixes: fixes.count, replacements: replacements.count)
            var read: BatchMark?? = nil  // the record's group mark, once the line is read as a record
            if let record = decoded(original[line]), record.sequence == expected, record.prev == point.bits {
                if line.upperBound == original.count {  // sound, but its newline never made it to disk
                    fixes.append(.restored(line: number, sequence: expected, how: "the line's newline was not written"))
                    replacements.append((line, .bytes(Array(original[line]) + [0x0A])))
                }
                point = ChainPoint(sequence: expected, end: next, bits: record.bits)
                read = .some(record.batch)
            } else if let (first, second) = splitRunTogether(Array(original[line]), sequence: expected, after: point) {
                fixes.append(.restored(line: number, sequence: expected, how: "the line break between records \(expected) and \(expected + 1) was lost"))
                replacements.append((line.lowerBound..<next, .bytes(first + [0x0A] + second + [0x0A])))
                let record = decoded(second)!
                point = ChainPoint(sequence: expected + 1, end: next, bits: record.bits)
                read = .some(record.batch)
            } else if let restored = restoreByChecksum(Array(original[line]), sequence: expected, after: point) {
                fixes.append(.restored(line: number, sequence: expected, how: restored.how + " (proven by its checksum)"))
                replacements.append((line.lowerBound..<next, .bytes(restored.bytes + [0x0A])))
                let record = decoded(restored.bytes)!
                point = ChainPoint(sequence: expected, end: next, bits: record.bits)
                read = .some(record.batch)
            } else if line.upperBound < original.count, Self.sequenceWritten(in: original[line]) == expected {
                let mark = batch.flatMap { $0.index < $0.count ? BatchMark(index: $0.index + 1, count: $0.count) : nil }
                fixes.append(.setAside(lines: (number)...(number), sequences: expected...expected, reason: reason))
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
    mutating func cutUnfinished(from start: (offset: Int, line: Int, fixes: Int, replacements: Int), reason: String) {
        fixes.removeSubrange(start.fixes...)
        replacements.removeSubrange(start.replacements...)
        let bytes = start.offset..<original.count
        guard !bytes.isEmpty else { return }
        fixes.append(.tailCut(lines: start.line...(start.line + max(1, lineCount(bytes)) - 1), bytes: bytes, reason: reason))
        replacements.append((bytes, .bytes([])))
    }

    /// What opening a book to write does with the end of its log, `tail` (the bytes after the
    /// record `point`) that does not form whole records: sets it aside as a write that never
    /// finished, or leaves it for `repair`, because the repair would keep what the cut would
    /// lose. That is so when the repair puts every line back (a last record without its
    /// newline, a flipped bit, two records run together), or keeps records of the tail while
    /// setting aside a line that was written whole and damaged since: one that ends with its
    /// line break and holds no NUL byte. A crash leaves a last line without its line break, or
    /// zeros where the file system had not yet written the data, never a finished line of other
    /// bytes.
    enum TailVerdict: Equatable {
        case unfinishedWrite
        case restorable
        /// Damaged at the tail's line `linesBefore` (counted from 0), `offset` bytes into it.
        case damaged(offset: Int, linesBefore: Int)
    }

    static func verdict(onTail tail: [UInt8], after point: ChainPoint) -> TailVerdict {
        var mend = LogMend(original: tail, fd: -1, path: "")
        mend.mendTail(from: ChainPoint(sequence: point.sequence, end: 0, bits: point.bits), batch: nil, reason: "")
        if !mend.fixes.isEmpty && mend.fixes.allSatisfy({ if case .restored = $0 { true } else { false } }) { return .restorable }
        let keeps = mend.fixes.contains { fix in
            switch fix {
            case .restored, .setAside: return true
            default: return false
            }
        }
        guard keeps, let damaged = damagedWholeLine(in: tail) else { return .unfinishedWrite }
        return .damaged(offset: damaged.offset, linesBefore: damaged.linesBefore)
    }

    /// The first line of `tail` written whole and damaged since (see `verdict`): its offset in
    /// `tail` and how many lines come before it, or nil.
    static func damagedWholeLine(in tail: [UInt8]) -> (offset: Int, linesBefore: Int)? {
        var start = 0
        var linesBefore = 0
        while start < tail.count, let newline = tail[start...].firstIndex(of: 0x0A) {
            let line = tail[start..<newline]
            let sound = line.withUnsafeBytes { LineFormat.frameIsValid($0) }
            if !sound && !line.contains(0) && !line.isEmpty { return (start, linesBefore) }
            start = newline + 1
            linesBefore += 1
        }
        return nil
    }

    /// Two sound records run together on one line (the line break between them lost), each
    /// chained on: where the second begins, `{"seq":` follows the first one's end.
    func splitRunTogether(_ line: [UInt8], sequence: UInt64, after point: ChainPoint) -> ([UInt8], [UInt8])? {
        let head = Array("}{\"seq\":".utf8)
        var index = 0
        while index + head.count <= line.count {
            if line[index..<(index + head.count)].elementsEqual(head) {
                let first = Array(line[...index]), second = Array(line[(index + 1)...])
                if let a = decoded(first), a.sequence == sequence, a.prev == point.bits,
                   let b = decoded(second), b.sequence == sequence + 1, b.prev == a.bits {
                    return (first, second)
                }
            }
            index += 1
        }
        return nil
    }

    /// A last line put back by one edit (a byte changed, lost or added) that gives a sound record
    /// of sequence `sequence` chained on from `point`; with nothing after it, its checksum is the proof.
    func restoreByChecksum(_ line: [UInt8], sequence: UInt64, after point: ChainPoint) -> (bytes: [UInt8], how: String)? {
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
        // The checksum's hex digits put in capitals (a tool or an editor changing case) is many
        // bytes changed but one slip: lower case again, nothing else.
        if let lowered = checksumInLowerCase(line), accepted(lowered) { return (lowered, "its checksum was written in lower case and reads in capitals") }
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
            guard accepted(shorter) else { continue }
            // An editor's CR LF ending on this line alone is said as what it is.
            if i == line.count - 1 && line[i] == 0x0D { return (shorter, "a CR before its newline (a CR LF ending, as an editor saves it) was taken out") }
            return (shorter, "byte \(i + 1) (\(LogMend.hex(line[i]))) was not written")
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

    /// `line` with the hex digits of its `"crc":"…"` in lower case; nil when they are already.
    static func checksumInLowerCase(_ line: [UInt8]) -> [UInt8]? {
        let key = Array("\"crc\":\"".utf8)
        guard line.count > key.count + 8,
              let start = (0...(line.count - key.count - 8)).last(where: { line[$0..<$0 + key.count].elementsEqual(key) }) else { return nil }
        var lowered = line
        var changed = false
        for i in (start + key.count)..<(start + key.count + 8) where (0x41...0x46).contains(line[i]) {
            lowered[i] = line[i] + 0x20
            changed = true
        }
        return changed ? lowered : nil
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
}
