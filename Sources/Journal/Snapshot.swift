import FlatJSON
#if canImport(Glibc)
import Glibc
#endif

/// Where a snapshot was taken: after record `sequence`, whose line ends at byte `offset` and whose
/// chain hash is `hash`. `sequence` 0 means "just after the header".
public struct SnapshotPosition: Sendable, Equatable, Hashable {
    public var sequence: UInt64
    public var offset: Int
    public var hash: String
    public init(sequence: UInt64, offset: Int, hash: String) {
        self.sequence = sequence
        self.offset = offset
        self.hash = hash
    }
}

/// A cache of the caller's state after record `position.sequence`: opaque bytes the caller
/// encodes and decodes itself. Always rebuildable from the log.
///
/// File `journal.snapshot`: one header line
/// `{"format":"ardesk-snapshot","version":2,"book":"…","seq":N,"offset":O,"hash":"…","size":S,"crc32c":"…","crc":"…"}`
/// followed by exactly S payload bytes whose CRC-32C is `crc32c`.
///
/// A CRC rather than the SHA-256 of version 1: the snapshot is a cache that only has to notice
/// accidental damage (as LevelDB's blocks do), and checking 130 MB with SHA-256 was a sixth of
/// opening a large book from its snapshot; the CRC instruction takes a tenth of that. Tampering
/// is not its concern: whoever can write the snapshot can write the log.
public struct Snapshot: Sendable, Equatable {
    public var bookID: String
    public var position: SnapshotPosition
    /// The payload, as read: a mapping of the file (see `SnapshotBytes`).
    public var bytes: SnapshotBytes
    public var payload: [UInt8] { bytes.withUnsafeBytes { Array($0) } }
    public init(bookID: String, position: SnapshotPosition, payload: [UInt8]) {
        self.init(bookID: bookID, position: position, bytes: SnapshotBytes(payload))
    }
    init(bookID: String, position: SnapshotPosition, bytes: SnapshotBytes) {
        self.bookID = bookID
        self.position = position
        self.bytes = bytes
    }
}

/// A snapshot's payload: the snapshot file mapped read-only, or bytes in memory. Reading the
/// 130 MB payload of a large book into an array faulted in and zeroed fresh memory and then copied
/// the file into it; a mapping shares the pages the file already has in the page cache.
public final class SnapshotBytes: @unchecked Sendable, Equatable {
    private let base: UnsafeRawPointer?
    public let count: Int
    private let mapping: (start: UnsafeMutableRawPointer, length: Int)?
    private let array: [UInt8]

    init(_ array: [UInt8]) {
        self.array = array
        base = nil; count = array.count; mapping = nil
    }

    /// `count` bytes from `offset` of the mapping `start..<start + length`, unmapped when released.
    init(mapping start: UnsafeMutableRawPointer, length: Int, offset: Int, count: Int) {
        mapping = (start, length)
        base = UnsafeRawPointer(start + offset)
        self.count = count
        array = []
    }

    deinit { if let mapping { munmap(mapping.start, mapping.length) } }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let base { return try body(UnsafeRawBufferPointer(start: base, count: count)) }
        return try array.withUnsafeBytes(body)
    }

    public static func == (a: SnapshotBytes, b: SnapshotBytes) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
    }
}

extension Journal {
    public static let snapshotFileName = "journal.snapshot"

    /// Writes `snapshot` to a temporary file, fsyncs it, renames it over `journal.snapshot`, and
    /// fsyncs the folder.
    public static func writeSnapshot(_ snapshot: Snapshot, folder: String) throws {
        var line: [UInt8] = []
        line.append(contentsOf: "{\"format\":\"ardesk-snapshot\",\"version\":2,\"book\":".utf8)
        JSONWriter.writeString(snapshot.bookID, into: &line)
        line.append(contentsOf: ",\"seq\":\(snapshot.position.sequence),\"offset\":\(snapshot.position.offset),\"hash\":".utf8)
        JSONWriter.writeString(snapshot.position.hash, into: &line)
        line.append(contentsOf: ",\"size\":\(snapshot.bytes.count),\"crc32c\":\"".utf8)
        appendHex32(snapshot.bytes.withUnsafeBytes { CRC32C.checksum($0) }, into: &line)
        line.append(0x22)
        LineFormat.seal(&line, lineStart: 0)
        line.append(0x0A)
        let temp = join(folder, ".journal.snapshot.new-\(getpid())")
        unlink(temp)
        removeAbandoned(".journal.snapshot.new-", in: folder)
        try line.withUnsafeBytes { header in
            try snapshot.bytes.withUnsafeBytes { try replaceFile(join(folder, snapshotFileName), in: folder, via: temp, with: [header, $0]) }
        }
    }

    /// Deletes the temporary files named `prefix` + `…-<pid>` in `folder` whose process is no
    /// longer running and that nothing has written for ten minutes: what a snapshot or repair
    /// stopped midway left (never the log itself). The time, because a process of another
    /// machine sharing the folder is not found by its number here.
    static func removeAbandoned(_ prefix: String, in folder: String) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix(prefix), let pid = name.split(separator: "-").last.flatMap({ pid_t($0) }), pid != getpid() else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH, let st = FileIO.stat(join(folder, name)),
                  time(nil) - st.st_mtim.tv_sec > 600 else { continue }
            unlink(join(folder, name))
        }
    }

    /// Writes `parts` to the new file `temp` (flushed), lets `prepare` adjust it, renames it over
    /// `target` and flushes `folder`, theirs: readers see the old file or the whole new one, never a part.
    static func replaceFile(_ target: String, in folder: String, via temp: String, with parts: [UnsafeRawBufferPointer],
                            prepare: (String) -> Void = { _ in }) throws {
        if let (op, e) = FileIO.writeNewFile(temp, parts) {
            throw JournalError.io(path: temp, operation: op, detail: errnoText(e))
        }
        prepare(temp)
        guard rename(temp, target) == 0 else {
            let e = errno
            unlink(temp)
            throw JournalError.io(path: target, operation: "rename", detail: errnoText(e))
        }
        if let e = FileIO.syncDirectory(folder) {
            throw JournalError.io(path: folder, operation: "fsync", detail: errnoText(e))
        }
    }

    /// Snapshots the caller's state as of everything delivered so far (`position`).
    public func writeSnapshot(payload: [UInt8], at position: SnapshotPosition? = nil) throws {
        try Journal.writeSnapshot(Snapshot(bookID: bookID, position: position ?? self.position, payload: payload), folder: folder)
    }

    /// Where `journal.snapshot` says the log stood when it was written (its book and last
    /// record), read from its header alone; nil without a snapshot or with a damaged header.
    public static func snapshotMark(folder: String) -> (bookID: String, position: SnapshotPosition)? {
        let fd = FileIO.open(join(folder, snapshotFileName), O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { FileIO.close(fd) }
        guard let bytes = FileIO.readAll(fd, limit: 64 * 1024), let (o, _) = snapshotHeader(bytes), o["format"]?.stringValue == "ardesk-snapshot",
              let book = o["book"]?.stringValue, let seq = o["seq"]?.intValue, seq >= 0, let offset = o["offset"]?.intValue,
              let hash = o["hash"]?.stringValue else { return nil }
        return (book, SnapshotPosition(sequence: UInt64(seq), offset: Int(offset), hash: hash))
    }

    /// The header line at the start of `bytes`, parsed, and where it ends; nil without a whole,
    /// sound one (its checksum holds).
    static func snapshotHeader(_ bytes: [UInt8]) -> (JSONObject, end: Int)? {
        guard let nl = bytes.firstIndex(of: 0x0A) else { return nil }
        let parsed: JSONObject? = bytes.withUnsafeBytes { raw in
            let line = UnsafeRawBufferPointer(rebasing: raw[0..<nl])
            guard LineFormat.frameIsValid(line), case .object(let o)? = try? JSONReader.parse(line.assumingMemoryBound(to: UInt8.self)) else { return nil }
            return o
        }
        return parsed.map { ($0, nl) }
    }

    /// Why the log has lost records from its end, or nil: the book's own snapshot was written
    /// after a record the log, read to its end (`lastSequence`), no longer holds. Every saved
    /// record reached the log before any snapshot counted it, and a repair removes the snapshot,
    /// so a log shorter than its snapshot was cut or replaced by an older copy afterwards.
    /// `mark`: the snapshot's, read before the log was (another process may append and write a
    /// newer snapshot while the log is being read).
    public static func missingTail(mark: (bookID: String, position: SnapshotPosition)?, bookID: String, lastSequence: UInt64) -> String? {
        guard let mark, mark.bookID == bookID, mark.position.sequence > lastSequence else { return nil }
        let missing = mark.position.sequence - lastSequence
        return "journal.log ends at record \(lastSequence), but its snapshot was written after record \(mark.position.sequence): "
            + "\(missing) saved record\(missing == 1 ? " is" : "s are") missing from the end of the log (cut, or an older copy put in its place). "
            + "Put the log back from a backup; or, to go on without them, `ardesk log repair --apply` sets the snapshot aside"
    }

    /// Moves a snapshot written after the log's last record (see `missingTail`) to
    /// `journal.snapshot.ahead-<time>`, kept as evidence of what the log lost; returns its path.
    public static func setAsideSnapshot(folder: String) throws -> String {
        let aside = join(folder, snapshotFileName + ".ahead-" + fileStamp())
        guard rename(join(folder, snapshotFileName), aside) == 0 else {
            throw JournalError.io(path: join(folder, snapshotFileName), operation: "rename", detail: errnoText(errno))
        }
        _ = FileIO.syncDirectory(folder)
        return aside
    }

    /// Reads `journal.snapshot`. A missing, damaged or foreign snapshot is never fatal: the
    /// result is nil plus the reason (nil reason when there simply is none).
    public static func loadSnapshot(folder: String) -> (snapshot: Snapshot?, problem: String?) {
        let path = join(folder, snapshotFileName)
        let fd = FileIO.open(path, O_RDONLY)
        if fd < 0 {
            return (nil, errno == ENOENT ? nil : "\(path): cannot open (\(errnoText(errno)))")
        }
        defer { FileIO.close(fd) }
        // The header line first, then the payload straight into an array of its size.
        guard let bytes = FileIO.readAll(fd, limit: 64 * 1024) else { return (nil, "\(path): cannot read (\(errnoText(errno)))") }
        guard bytes.contains(0x0A) else { return (nil, "\(path): no header line") }
        guard let (o, nl) = snapshotHeader(bytes) else { return (nil, "\(path): the header line is damaged") }
        guard o["format"]?.stringValue == "ardesk-snapshot" else { return (nil, "\(path): not a snapshot") }
        guard o["version"]?.intValue == 2 else { return (nil, "\(path): unknown snapshot version") }
        guard let book = o["book"]?.stringValue, let seq = o["seq"]?.intValue, seq >= 0,
            let offset = o["offset"]?.intValue, offset > 0, let hash = o["hash"]?.stringValue,
            let size = o["size"]?.intValue, let sum = o["crc32c"]?.stringValue
        else { return (nil, "\(path): the header line lacks fields") }
        let fileSize = FileIO.fstat(fd).map { Int($0.st_size) } ?? -1
        guard size >= 0, fileSize - (nl + 1) == Int(size), let payload = FileIO.map(fd, length: fileSize, from: nl + 1) else {
            return (nil, "\(path): payload is \(fileSize - nl - 1) bytes, \(size) expected")
        }
        var digits = sum
        let crc = payload.withUnsafeBytes { CRC32C.checksum($0) }
        guard digits.withUTF8({ $0.count == 8 && matchesHex32(crc, $0.baseAddress!) }) else {
            return (nil, "\(path): payload checksum mismatch")
        }
        return (Snapshot(bookID: book, position: SnapshotPosition(sequence: UInt64(seq), offset: Int(offset), hash: hash), bytes: payload), nil)
    }
}

extension Journal {
    /// Checks that the record ending at `resume.offset` is record `resume.sequence` with hash
    /// `resume.hash` (and closes its batch); if so, reading starts after it.
    func tryResume(_ resume: SnapshotPosition) {
        if resume.sequence == 0 {
            if resume.offset == headerEnd && resume.hash == headerHash {
                resumedFrom = resume
            } else {
                resumeRejection = "the snapshot does not match this book's header"
            }
            return
        }
        let size = FileIO.fstat(fd).map { Int($0.st_size) } ?? 0
        guard resume.offset > headerEnd, resume.offset <= size else {
            resumeRejection = "the snapshot points at byte \(resume.offset), beyond the log (\(size) bytes)"
            return
        }
        let window = min(resume.offset - headerEnd, Journal.maxRecordBytes + 1)
        var bytes = [UInt8](repeating: 0, count: window)
        let n = bytes.withUnsafeMutableBytes { FileIO.pread(fd, $0.baseAddress!, window, resume.offset - window) }
        guard n == window, bytes.last == 0x0A else {
            resumeRejection = "no record ends at byte \(resume.offset)"
            return
        }
        var start = window - 1
        while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
        if start == 0 && resume.offset - window != headerEnd {
            resumeRejection = "no record ends at byte \(resume.offset)"
            return
        }
        let ok: Bool = bytes.withUnsafeBytes { raw in
            let line = UnsafeRawBufferPointer(rebasing: raw[start..<(window - 1)])
            guard LineFormat.frameIsValid(line), let d = try? LineFormat.decodeRecord(line) else { return false }
            guard d.sequence == resume.sequence, d.batch == nil || d.batch!.index == d.batch!.count else { return false }
            return LineFormat.chainHash(line) == resume.hash
        }
        guard ok else {
            resumeRejection = "the record at byte \(resume.offset) is not record \(resume.sequence) with the stored hash (the snapshot is stale)"
            return
        }
        resumedFrom = resume
        point = ChainPoint(sequence: resume.sequence, hash: resume.hash, end: resume.offset)
        scannedSize = resume.offset
    }
}
