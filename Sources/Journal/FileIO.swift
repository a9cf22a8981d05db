#if canImport(Glibc)
import Glibc
#endif

/// Thin wrappers over POSIX calls, retrying on EINTR.
enum FileIO {
    static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int) -> Int {
        while true {
            let n = Glibc.pread(fd, buffer, count, off_t(offset))
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    /// Writes all bytes at `offset`; returns nil or the errno of the first failure (plus how much was written).
    static func pwriteAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> (written: Int, error: Int32?) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                return (done, errno)
            }
            if n == 0 { return (done, EIO) }
            done += n
        }
        return (done, nil)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Int32? {
        var done = 0
        while done < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            done += n
        }
        return nil
    }

    /// The mode for a new file of the book at `path`: 0660 when its folder is a team's (its
    /// group may write it, and the set-group-id bit keeps new files in that group: each member
    /// appends to the log and takes its lock), else 0640.
    static func fileMode(besides path: String) -> mode_t {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        guard let st = stat(folder.isEmpty ? "." : folder) else { return 0o640 }
        return st.st_mode & S_IWGRP != 0 && st.st_mode & S_ISGID != 0 ? 0o660 : 0o640
    }

    /// Opens a book's lock file for reading and writing, creating it when it is missing: made
    /// whole under another name first (its mode set, whatever the umask) and linked into place,
    /// so that nobody opens it before its mode is right. -1 with `errno` saying why (EACCES or
    /// EROFS for a book this user may only read).
    static func openLock(_ path: String) -> Int32 {
        let fd = open(path, O_RDWR)
        if fd >= 0 || errno != ENOENT { return fd }
        let mode = fileMode(besides: path)
        // A name of its own (process numbers repeat across containers sharing a folder): another
        // process's half-made file is never touched.
        var temporary = ""
        var made: Int32 = -1
        for _ in 0..<4 where made < 0 {
            temporary = path + ".new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            made = open(temporary, O_RDWR | O_CREAT | O_EXCL, mode)
            if made < 0 && errno != EEXIST { return -1 }
        }
        guard made >= 0 else { return -1 }
        _ = fchmod(made, mode)
        let linked = link(temporary, path) == 0
        let linkError = errno
        unlink(temporary)
        if linked { return made }
        close(made)
        guard linkError == EEXIST else { errno = linkError; return -1 }
        return open(path, O_RDWR)  // another process made it meanwhile
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd < 0 && errno == EINTR { continue }
            return aboveStandardStreams(fd)
        }
    }

    /// `fd` moved above 0, 1 and 2 when it is one of them: a process started with its output or
    /// errors closed (`2>&-`, a cron job) would otherwise get the log as descriptor 1 or 2, and
    /// print its messages over the log's first bytes.
    static func aboveStandardStreams(_ fd: Int32) -> Int32 {
        guard fd >= 0 && fd <= 2 else { return fd }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        let e = errno
        _ = Glibc.close(fd)
        errno = e
        return moved
    }

    static func close(_ fd: Int32) { if fd >= 0 { _ = Glibc.close(fd) } }

    static func fstat(_ fd: Int32) -> Glibc.stat? {
        var st = Glibc.stat()
        return Glibc.fstat(fd, &st) == 0 ? st : nil
    }

    static func stat(_ path: String) -> Glibc.stat? {
        var st = Glibc.stat()
        return posixStat(path, &st) == 0 ? st : nil
    }

    static func isDirectory(_ st: Glibc.stat) -> Bool { (st.st_mode & S_IFMT) == S_IFDIR }
    static func isRegular(_ st: Glibc.stat) -> Bool { (st.st_mode & S_IFMT) == S_IFREG }

    /// fsync of a directory, so a created or renamed entry survives a crash.
    static func syncDirectory(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return Glibc.fsync(fd) == 0 ? nil : errno
    }

    /// Reads a whole (small) file.
    static func readAll(_ fd: Int32, from offset: Int = 0, limit: Int = Int.max) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var pos = offset
        while out.count < limit {
            let want = min(chunk.count, limit - out.count)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, want, pos) }
            if n < 0 { return nil }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            pos += n
        }
        return out
    }

    /// The file's bytes from `offset` to its `length`, mapped read-only (and read ahead in one go).
    static func map(_ fd: Int32, length: Int, from offset: Int) -> SnapshotBytes? {
        guard offset <= length, let mapping = mapReadOnly(fd, from: 0, to: length, flags: MAP_PRIVATE | MAP_POPULATE) else { return nil }
        return SnapshotBytes(mapping: mapping.start, length: mapping.length, offset: offset, count: length - offset)
    }

    /// The file's bytes `offset..<end` mapped read-only with `flags`: the mapping (from the start
    /// of the page that holds `offset`) and where `offset` lies in it. Nil when nothing is to be
    /// mapped or the file cannot be.
    static func mapReadOnly(_ fd: Int32, from offset: Int, to end: Int, flags: Int32)
        -> (start: UnsafeMutableRawPointer, length: Int, at: UnsafeMutableRawPointer)? {
        let start = offset / pageSize * pageSize
        let length = end - start
        guard length > 0, let pointer = mmap(nil, length, PROT_READ, flags, fd, off_t(start)), pointer != MAP_FAILED else { return nil }
        return (pointer, length, pointer + (offset - start))
    }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Creates `path` exclusively with mode 0640 and writes `parts` one after the other (a header
    /// and a large payload need not be joined in memory first), fsyncs it, closes it.
    static func writeNewFile(_ path: String, _ bytes: [UInt8]) -> (operation: String, errno: Int32)? {
        bytes.withUnsafeBytes { writeNewFile(path, [$0]) }
    }

    /// The same from parts in memory (a snapshot's payload may be a mapping of its file).
    static func writeNewFile(_ path: String, _ parts: [UnsafeRawBufferPointer]) -> (operation: String, errno: Int32)? {
        let mode = fileMode(besides: path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { return ("create", errno) }
        _ = fchmod(fd, mode)  // as meant, whatever the umask
        for bytes in parts {
            if let e = writeAll(fd, bytes) { close(fd); unlink(path); return ("write", e) }
        }
        if Glibc.fsync(fd) != 0 { let e = errno; close(fd); unlink(path); return ("fsync", e) }
        close(fd)
        return nil
    }

    /// Names the kind of network file system `path` is on, or nil when it is local.
    static func networkFileSystemKind(_ fd: Int32) -> String? {
        // struct statfs is not imported; its first field is f_type (a long) on Linux.
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { buffer.deallocate() }
        guard c_fstatfs(fd, buffer) == 0 else { return nil }
        switch UInt64(bitPattern: Int64(buffer.load(as: Int.self))) & 0xFFFF_FFFF {
        case 0x6969: return "NFS"
        case 0x517B: return "SMB"
        case 0xFF53_4D42: return "CIFS"
        case 0xFE53_4D42: return "SMB2"
        case 0x0000_564C: return "NCP"
        case 0x7375_7245: return "Coda"
        case 0x0061_6673, 0x5346_414F: return "AFS"
        case 0x6B41_4653: return "kAFS"
        case 0x0102_1994: return nil  // tmpfs
        default: return nil
        }
    }
}

private func posixStat(_ path: String, _ st: inout Glibc.stat) -> Int32 { stat(path, &st) }

@_silgen_name("fstatfs")
func c_fstatfs(_ fd: Int32, _ buffer: UnsafeMutableRawPointer) -> Int32

/// Reads a file line by line from an offset, in large chunks (or through a mapping of a large
/// file), without copying lines.
final class LineReader {
    enum Item {
        /// A complete line (newline not included); the pointer is valid until the next call.
        case line(UnsafeRawBufferPointer, offset: Int)
        /// Bytes up to the end of the file without a newline.
        case partial(offset: Int, length: Int)
        /// No newline within `limit + 1` bytes.
        case tooLong(offset: Int)
        case end
    }

    let fd: Int32
    let limit: Int
    /// What the lines lie in; records made from them keep it (see `ReadBuffer`), and the reader
    /// then reads on into a new one instead of writing over it.
    private(set) var storage: ReadBuffer
    var buffer: UnsafeMutableRawPointer { storage.base }
    var capacity: Int { storage.capacity }
    var bufferFileOffset: Int
    var filled = 0
    var position = 0
    var atEOF = false
    var readError: Int32? = nil
    /// The length of the line at `position` once `peekLine` found its newline, so that `next`
    /// need not look for it again; nil whenever `position` moves.
    private var peekedLength: Int?
    /// How far behind itself the reader gives back a mapping's pages, and where it does so next
    /// (`Int.max` for a file read into buffers).
    private var releaseLag = 0
    private var nextRelease = Int.max

    /// When a reader maps the file instead of reading it (see `ReadBuffer.init(mapping:)`).
    struct Mapping {
        /// Files with no more than this after the reading point are read, not mapped.
        var threshold: Int
        /// How far behind the reader the mapping's pages are given back (`ReadBuffer.releasePages`):
        /// well beyond the records a replay still holds (a few chunks, a group), so that they are
        /// seldom read back, and a mapped log adds little to the process's memory.
        var lag: Int
        static let large = Mapping(threshold: 8 << 20, lag: 32 << 20)
    }

    /// `mapping`: the file is mapped up to its present end instead of read when it is large; only
    /// for a reader under which nobody cuts the log (see `ReadBuffer.init(mapping:)`).
    init(fd: Int32, offset: Int, limit: Int, capacity: Int = 4 << 20, mapping: Mapping? = nil) {
        self.fd = fd
        self.limit = limit
        self.bufferFileOffset = offset
        if let mapping, let size = FileIO.fstat(fd).map({ Int($0.st_size) }), size - offset > mapping.threshold,
           let mapped = ReadBuffer(mapping: fd, from: offset, to: size) {
            storage = mapped
            filled = mapped.capacity
            atEOF = true  // nothing is read after the mapping's end
            releaseLag = max(mapping.lag, 1)
            nextRelease = releaseLag
            return
        }
        storage = ReadBuffer(capacity: max(capacity, 2 * (limit + 2)))
    }

    /// Moves the unread bytes `position..<filled` to the start of a buffer that nothing else
    /// holds: this one, or a new one when records still point into this one.
    private func keepUnreadOnly() {
        guard position > 0 else { return }  // nothing read from this buffer since it was last made so
        let available = filled - position
        if isKnownUniquelyReferenced(&storage) {
            if available > 0 { memmove(buffer, buffer + position, available) }
        } else {
            let fresh = ReadBuffer(capacity: capacity)
            if available > 0 { fresh.base.copyMemory(from: buffer + position, byteCount: available) }
            storage = fresh
        }
        bufferFileOffset += position
        filled = available
        position = 0
    }

    /// File offset of the next unread byte.
    var offset: Int { bufferFileOffset + position }

    func next() -> Item {
        while true {
            let available = filled - position
            if available > 0 {
                if let line = peekLine() {
                    peekedLength = nil
                    let lineOffset = bufferFileOffset + position
                    position += line.count + 1
                    if position > nextRelease {
                        storage.releasePages(before: position - releaseLag)
                        nextRelease = position + max(releaseLag / 4, 1)
                    }
                    return .line(line, offset: lineOffset)
                }
                if available > limit {
                    return .tooLong(offset: bufferFileOffset + position)
                }
            }
            if atEOF {
                if available == 0 { return .end }
                let o = bufferFileOffset + position
                position = filled
                return .partial(offset: o, length: available)
            }
            // Compact and read more.
            peekedLength = nil
            keepUnreadOnly()
            let n = FileIO.pread(fd, buffer + filled, capacity - filled, bufferFileOffset + filled)
            if n < 0 {
                readError = errno
                atEOF = true
            } else if n == 0 {
                atEOF = true
            } else {
                filled += n
            }
        }
    }

    /// The complete line after the one `next` returned last, if it is already in the buffer (nothing
    /// is read and nothing consumed): for hashing two lines at once.
    func peekLine() -> UnsafeRawBufferPointer? {
        let start = buffer + position
        if let peekedLength { return UnsafeRawBufferPointer(start: start, count: peekedLength) }
        let available = filled - position
        guard available > 0, let nl = memchr(start, 0x0A, min(available, limit + 1)) else { return nil }
        let length = UnsafeRawPointer(nl) - UnsafeRawPointer(start)
        peekedLength = length
        return UnsafeRawBufferPointer(start: start, count: length)
    }

    /// Skips the rest of an over-long line (to its newline or the end of the file).
    func skipLine() {
        peekedLength = nil
        while true {
            let available = filled - position
            if available > 0, let nl = memchr(buffer + position, 0x0A, available) {
                position += (UnsafeRawPointer(nl) - UnsafeRawPointer(buffer + position)) + 1
                return
            }
            position = filled
            if atEOF { return }
            keepUnreadOnly()
            let n = FileIO.pread(fd, buffer, capacity, bufferFileOffset)
            if n <= 0 { if n < 0 { readError = errno }; atEOF = true; return }
            filled = n
        }
    }
}
