#if canImport(Glibc)
import Glibc
#endif

/// The append-only log of one book (a folder holding `journal.log` and `journal.lock`).
///
/// One instance is used from one thread at a time. Several processes may have the same book open;
/// appends are serialised with an exclusive `flock` on `journal.lock`, reads take a shared one.
public final class Journal {
    public static let fileName = "journal.log"
    public static let lockFileName = "journal.lock"
    public static let formatVersion = 1
    /// Longest accepted line, in bytes (without its newline).
    public static let maxRecordBytes = 1 << 20

    public let folder: String
    /// Full path of `journal.log`.
    public let path: String
    public let author: String
    /// The random id in the header.
    public let bookID: String
    public let createdAt: String
    /// True when opened read-only or when the book cannot be written (permissions, read-only
    /// file system); `readOnlyReason` says why.
    public private(set) var isReadOnly: Bool
    /// Why, and also set when an unfinished record at its end could not be set aside on open.
    public private(set) var readOnlyReason: String?
    /// Set when opening found (read-write: and set aside) a torn last record, or when an append
    /// had to set one aside. One sentence, naming the side file.
    public internal(set) var recoveryNote: String?
    /// The last record this process appended (not one read in from another), if any.
    public internal(set) var lastAppended: UInt64?
    /// Reading (read-only) stopped at a line written whole and damaged since, not at an
    /// unfinished write: what it read leaves out that record and every later one (`recoveryNote`
    /// says where), so figures from it would be wrong without a word.
    public internal(set) var stoppedAtDamage = false
    /// The snapshot position this journal resumed from, or nil when it reads from the start.
    public internal(set) var resumedFrom: SnapshotPosition?
    /// Why the snapshot position passed to `open` was not used (stale or does not fit); the
    /// caller must then rebuild from the records `readNew` returns, which start at sequence 1.
    public internal(set) var resumeRejection: String?
    /// How long `append` waits for another process's lock before giving up.
    public var lockTimeoutSeconds: Double = 10

    /// The flush used after each append; tests inject failures here.
    var syncFunction: (Int32) -> Int32 = { fdatasync($0) }
    /// What cuts an append not known to be on disk back out (replaced by tests to fail).
    var truncateFunction: (Int32, off_t) -> Int32 = { ftruncate($0, $1) }

    let fd: Int32
    let lockFD: Int32
    let clock: () -> String
    /// Whether reading checks every record's `data` as JSON, or leaves that to a reader that parses
    /// each payload strictly anyway (see `open`).
    var checksPayloads = true
    let identity: (dev: UInt64, ino: UInt64)
    let headerHash: String
    let headerEnd: Int
    /// Everything up to here has been delivered (by `readNew` or to `append`'s `prepare`).
    var point: ChainPoint
    /// Records read when opening, not yet delivered.
    var undelivered: [JournalRecord] = []
    /// File size at the last scan, so `hasNewData` and `readNew` are cheap when nothing changed.
    var scannedSize: Int
    var failure: JournalError?

    public var lastSequence: UInt64 { point.sequence }
    /// Chain hash of the last delivered record (of the header when there is none). Keep it
    /// elsewhere (daily report, export) for the chain to prove anything.
    public var headHash: String { point.hash }
    /// The position after the last delivered record, for a snapshot of the state built so far.
    public var position: SnapshotPosition { SnapshotPosition(sequence: point.sequence, offset: point.end, hash: point.hash) }

    init(folder: String, path: String, author: String, header: LineFormat.Header, headerHash: String, headerEnd: Int,
         fd: Int32, lockFD: Int32, readOnlyReason: String?, identity: (UInt64, UInt64), clock: @escaping () -> String) {
        self.folder = folder
        self.path = path
        self.author = author
        self.bookID = header.book
        self.createdAt = header.created
        self.fd = fd
        self.lockFD = lockFD
        self.isReadOnly = readOnlyReason != nil
        self.readOnlyReason = readOnlyReason
        self.identity = identity
        self.clock = clock
        self.headerHash = headerHash
        self.headerEnd = headerEnd
        self.point = ChainPoint(sequence: 0, hash: headerHash, end: headerEnd)
        self.scannedSize = headerEnd
    }

    deinit {
        FileIO.close(fd)
        FileIO.close(lockFD)
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    // MARK: create

    /// Creates a new book in `folder` (created with mode 0750 if missing): writes the header to a
    /// temporary file, fsyncs it, links it into place as `journal.log` (never over an existing
    /// one), creates `journal.lock`, and fsyncs the folder.
    public static func create(folder: String, author: String, clock: @escaping () -> String = Journal.utcNow) throws -> Journal {
        guard !author.isEmpty else { throw JournalError.invalidDraft(path: folder, reason: "the author name is empty") }
        if let st = FileIO.stat(folder) {
            guard FileIO.isDirectory(st) else { throw JournalError.notAFolder(path: folder) }
        } else {
            guard mkdir(folder, 0o750) == 0 else {
                throw JournalError.io(path: folder, operation: "creating the folder", detail: errnoText(errno))
            }
            let parent = parentFolder(folder)
            if let e = FileIO.syncDirectory(parent) {
                throw JournalError.io(path: parent, operation: "fsync", detail: errnoText(e))
            }
        }
        let path = join(folder, fileName)
        if FileIO.stat(path) != nil { throw JournalError.alreadyExists(path: path) }
        let header = LineFormat.encodeHeader(book: randomHex(16), created: clock(), author: author) + [0x0A]
        let temp = join(folder, ".journal.log.new-\(getpid())")
        unlink(temp)
        if let (op, e) = FileIO.writeNewFile(temp, header) {
            throw JournalError.io(path: temp, operation: op, detail: errnoText(e))
        }
        if link(temp, path) != 0 {
            let e = errno
            unlink(temp)
            if e == EEXIST { throw JournalError.alreadyExists(path: path) }
            throw JournalError.io(path: path, operation: "link", detail: errnoText(e))
        }
        unlink(temp)
        let lockPath = join(folder, lockFileName)
        let lfd = FileIO.openLock(lockPath)
        guard lfd >= 0 else { throw JournalError.io(path: lockPath, operation: "create", detail: errnoText(errno)) }
        FileIO.close(lfd)
        if let e = FileIO.syncDirectory(folder) {
            throw JournalError.io(path: folder, operation: "fsync", detail: errnoText(e))
        }
        return try open(folder: folder, author: author, clock: clock)
    }

    static func parentFolder(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        guard let slash = p.lastIndex(of: "/") else { return "." }
        return slash == p.startIndex ? "/" : String(p[..<slash])
    }

    static func randomHex(_ bytes: Int) -> String {
        var g = SystemRandomNumberGenerator()
        var out: [UInt8] = []
        for _ in 0..<bytes {
            let b = UInt8.random(in: 0...255, using: &g)
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: open

    /// Opens an existing book.
    ///
    /// Read-write: takes the lock, reads and verifies the whole log (or only what follows `resume`),
    /// and sets aside a torn last record into `journal.torn-<time>` (see `recoveryNote`).
    /// Read-only (asked for, or the file or folder cannot be written): a torn tail is only reported.
    /// Damage in the middle throws `JournalError.damaged` (or `.invalidUTF8`, `.recordTooLong`).
    /// The verified records are returned by the first `readNew()`, or, with `deliver`, handed to
    /// it one at a time as they are verified (whole batches only), so a large book can be folded
    /// while it is read instead of being held in memory. If opening then throws, what was
    /// delivered must be discarded.
    ///
    /// `checksPayloads` false: a record's `data` is delimited by the envelope around it and only
    /// its braces are checked; the caller parses every payload it uses as strictly as the journal
    /// would (replay does: checking it here too read every payload twice, a tenth of a cold open).
    /// Checksums, the hash chain, sequence and the rest of the envelope are checked either way.
    public static func open(
        folder: String, author: String, readOnly: Bool = false, resume: SnapshotPosition? = nil,
        checksPayloads: Bool = true,
        clock: @escaping () -> String = Journal.utcNow, deliver: ((consuming JournalRecord) -> Void)? = nil
    ) throws -> Journal {
        guard let st = FileIO.stat(folder) else { throw JournalError.missingBook(path: folder) }
        guard FileIO.isDirectory(st) else { throw JournalError.notAFolder(path: folder) }
        let path = join(folder, fileName)
        var readOnlyReason: String? = readOnly ? "opened read-only" : nil
        var fd: Int32 = -1
        if readOnlyReason == nil {
            fd = FileIO.open(path, O_RDWR)
            if fd < 0 {
                let e = errno
                if e == EACCES || e == EROFS || e == EPERM {
                    readOnlyReason = e == EROFS ? "the file system is read-only" : "no permission to write the file"
                } else if e == ENOENT {
                    throw JournalError.missingBook(path: path)
                } else if e == EISDIR {
                    throw JournalError.notABook(path: path, reason: "\(fileName) is a folder")
                } else {
                    throw JournalError.io(path: path, operation: "open", detail: errnoText(e))
                }
            }
        }
        if fd < 0 {
            fd = FileIO.open(path, O_RDONLY)
            if fd < 0 {
                let e = errno
                if e == ENOENT { throw JournalError.missingBook(path: path) }
                throw JournalError.io(path: path, operation: "open", detail: errnoText(e))
            }
        }
        var lockFD: Int32 = -1
        do {
            guard let fst = FileIO.fstat(fd) else { throw JournalError.io(path: path, operation: "fstat", detail: errnoText(errno)) }
            guard FileIO.isRegular(fst) else { throw JournalError.notABook(path: path, reason: "\(fileName) is not a regular file") }
            if readOnlyReason == nil, fst.st_mode & 0o222 == 0 {
                // Root may write anything; a book with no write bits is read-only by intent.
                readOnlyReason = "the file has no write permission"
            }
            if let kind = FileIO.networkFileSystemKind(fd) { throw JournalError.networkFileSystem(path: path, kind: kind) }

            let (header, headerHash, headerEnd) = try readHeader(fd: fd, path: path)

            // Lock file.
            let lockPath = join(folder, lockFileName)
            if readOnlyReason == nil {
                lockFD = FileIO.openLock(lockPath)
                if lockFD < 0 {
                    let e = errno
                    if e == EACCES || e == EROFS || e == EPERM {
                        readOnlyReason = "cannot create or write \(lockFileName) (\(errnoText(e)))"
                    } else {
                        throw JournalError.io(path: lockPath, operation: "open", detail: errnoText(e))
                    }
                }
            }
            if lockFD < 0 { lockFD = FileIO.open(lockPath, O_RDONLY) }  // shared lock only; may be absent

            let journal = Journal(
                folder: folder, path: path, author: author, header: header, headerHash: headerHash,
                headerEnd: headerEnd, fd: fd, lockFD: lockFD, readOnlyReason: readOnlyReason,
                identity: (UInt64(fst.st_dev), UInt64(fst.st_ino)), clock: clock)
            fd = -1
            lockFD = -1  // owned by the journal now
            journal.checksPayloads = checksPayloads
            if let resume { journal.tryResume(resume) }
            try journal.initialRead(deliver: deliver)
            return journal
        } catch {
            FileIO.close(fd)
            FileIO.close(lockFD)
            throw error
        }
    }

    /// Reads and checks line 1; returns the header, its chain hash and the offset after it.
    static func readHeader(fd: Int32, path: String) throws -> (LineFormat.Header, String, Int) {
        guard let first = FileIO.readAll(fd, limit: 64 * 1024) else {
            throw JournalError.io(path: path, operation: "read", detail: errnoText(errno))
        }
        guard !first.isEmpty else { throw JournalError.notABook(path: path, reason: "the file is empty") }
        if first.starts(with: [0xEF, 0xBB, 0xBF] + LineFormat.headerPrefix) {
            throw JournalError.damaged(path: path, line: 1, offset: 0, reason: LineEndings.byteOrderMarkProblem)
        }
        guard let nl = first.firstIndex(of: 0x0A) else {
            if first.starts(with: LineFormat.headerPrefix) {
                throw JournalError.damaged(path: path, line: 1, offset: 0, reason: "the header line is incomplete")
            }
            throw JournalError.notABook(path: path, reason: "its first line is not an ardesk-journal header")
        }
        if nl > 0, first[nl - 1] == 0x0D {
            throw JournalError.damaged(path: path, line: 1, offset: 0, reason: LineEndings.problem)
        }
        let (header, headerHash): (LineFormat.Header, String) = try first.withUnsafeBytes { raw in
            let line = UnsafeRawBufferPointer(rebasing: raw[0..<nl])
            do throws(LineFormat.HeaderProblem) {
                return (try LineFormat.decodeHeader(line), LineFormat.chainHash(line))
            } catch {
                switch error {
                case .notABook(let why): throw JournalError.notABook(path: path, reason: why)
                case .futureVersion(let v): throw JournalError.futureVersion(path: path, found: v, supported: Journal.formatVersion)
                case .damaged(let why): throw JournalError.damaged(path: path, line: 1, offset: 0, reason: why)
                }
            }
        }

        return (header, headerHash, nl + 1)
    }

    /// Reads everything under the shared lock (so other processes can keep appending while a big
    /// book is verified); only when a torn tail must be set aside is the exclusive lock taken.
    func initialRead(deliver: ((consuming JournalRecord) -> Void)?) throws {
        var mustRecover = false
        func scanOpening() -> ScanResult {
            if let deliver { return scan(deliver) }
            return scan(into: &undelivered)
        }
        try withLock(LOCK_SH) {
            let result = scanOpening()
            if case .tail = result.stop, !isReadOnly {
                point = result.point
                scannedSize = result.fileEnd
                mustRecover = true
                return
            }
            try settle(result, recover: false)
        }
        if mustRecover {
            do {
                try withLock(LOCK_EX) {
                    let result = scanOpening()
                    try settle(result, recover: true)
                }
            } catch let error as JournalError {
                // Not set aside (a full disk, a folder this user may not write): the book is read
                // to the record before it, and opens read-only saying why, rather than not at all.
                guard case .io(_, let operation, let detail) = error else { throw error }
                isReadOnly = true
                readOnlyReason = "its last record is unfinished and could not be set aside (\(operation): \(detail)); free space or fix the folder's permissions, then reopen"
                failure = error
            }
        }
    }

    // MARK: locking

    func withLock<T>(_ kind: Int32, _ body: () throws -> T) throws -> T {
        if lockFD < 0 {
            if kind == LOCK_EX { throw JournalError.readOnlyBook(path: path, reason: "no lock file") }
            return try body()
        }
        try lock(kind)
        defer { _ = flock(lockFD, LOCK_UN) }
        return try body()
    }

    func lock(_ kind: Int32) throws {
        try Journal.waitForLock(lockFD, kind, path: Journal.join(folder, Journal.lockFileName), seconds: lockTimeoutSeconds)
    }

    /// Takes the lock `kind` on `fd`, waiting at most `seconds` for another process to let go
    /// (then refusing, said as a read or as a write not saved): every command gives up alike
    /// instead of hanging behind a long action.
    static func waitForLock(_ fd: Int32, _ kind: Int32, path: String, seconds: Double) throws {
        if flock(fd, kind | LOCK_NB) == 0 { return }
        var waitedMicros: UInt64 = 0  // whole microseconds slept so far
        var step: UInt32 = 50
        let limit = UInt64(max(0, seconds) * 1_000_000)
        while true {
            let e = errno
            if e != EWOULDBLOCK && e != EINTR {
                throw JournalError.io(path: path, operation: "flock", detail: errnoText(e))
            }
            if waitedMicros >= limit {
                throw JournalError.locked(path: path, seconds: Int(seconds.rounded(.up)), writing: kind == LOCK_EX)
            }
            usleep(step)
            waitedMicros += UInt64(step)
            step = min(step * 2, 2000)
            if flock(fd, kind | LOCK_NB) == 0 { return }
        }
    }
}
