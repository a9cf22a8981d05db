/// A position in the chain: after record `sequence` (0 = just after the header), whose chain hash
/// is `hash`, ending at byte `end`.
struct ChainPoint: Equatable, Sendable {
    var sequence: UInt64
    var hash: String
    var end: Int
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
func scanRecords(fd: Int32, path: String, from point: ChainPoint, limit: Int, sink: (JournalRecord) -> Void) -> ScanResult {
    let reader = LineReader(fd: fd, offset: point.end, limit: limit)
    var committed = point
    var current = point
    var batch: [JournalRecord] = []
    var batchCount = 0

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
                let reason = buffer.count > LineFormat.crcSuffixLength ? "checksum mismatch" : "line too short to be a record"
                if validLineFollows() {
                    return result(.failure(.damaged(path: path, line: lineNo, offset: offset, reason: reason)))
                }
                return torn(at: offset, "the last line is damaged (\(reason))")
            }
            let d: LineFormat.Decoded
            do {
                d = try LineFormat.decodeRecord(buffer)
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
            guard d.prev == current.hash else {
                let why = LineFormat.isHashText(d.prev)
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
            let hash = LineFormat.chainHash(buffer)
            let record = JournalRecord(
                sequence: d.sequence, timestamp: d.timestamp, author: d.author, type: d.type, version: d.version,
                payload: d.payload, batch: d.batch, line: lineNo, offset: offset, length: buffer.count + 1, hash: hash)
            current = ChainPoint(sequence: d.sequence, hash: hash, end: offset + buffer.count + 1)
            if let b = d.batch {
                batch.append(record)
                if b.index == b.count {
                    for r in batch { sink(r) }
                    batch.removeAll(keepingCapacity: true)
                    committed = current
                }
            } else {
                sink(record)
                committed = current
            }
        }
    }
}
