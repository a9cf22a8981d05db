#if canImport(Glibc)
import Glibc
#endif

/// Everything that can go wrong with a book's log. Each description is one sentence naming the
/// file and, where it applies, the line (1-based; line 1 is the header) and the byte offset
/// (0-based) of the start of that line.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder or its `journal.log` does not exist.
    case missingBook(path: String)
    /// The path exists but is not an ardesk book: a log without our header, or no regular file.
    case notABook(path: String, reason: String)
    /// The book's path names something other than a folder (a file given for the book): a wrong
    /// path, not damage to a log.
    case notAFolder(path: String)
    /// `create` was asked for a folder that already holds a log.
    case alreadyExists(path: String)
    /// The header names a format version this build does not know.
    case futureVersion(path: String, found: Int64, supported: Int)
    /// The book was opened read-only, or the file/folder cannot be written.
    case readOnlyBook(path: String, reason: String)
    /// A record (to be written, or found in the file) exceeds `Journal.maxRecordBytes`.
    case recordTooLong(path: String, line: Int, offset: Int, size: Int, limit: Int)
    /// A record's text is not valid UTF-8.
    case invalidUTF8(path: String, line: Int, offset: Int)
    /// Damage that is not a torn tail: bad checksum with valid records after it, broken hash
    /// chain, sequence gap or repeat, malformed record.
    case damaged(path: String, line: Int, offset: Int, reason: String)
    /// The disk (or the file size limit) is full; nothing of this append remains in the log.
    case diskFull(path: String, detail: String, cleanedUp: Bool)
    /// `write` failed for another reason; nothing of this append remains in the log if `cleanedUp`.
    case writeFailed(path: String, detail: String, cleanedUp: Bool)
    /// `fdatasync` failed: the action was not saved.
    /// `takenBack`: the records not known to be on disk were cut off again (else they may stand).
    case syncFailed(path: String, detail: String, takenBack: Bool = true)
    /// An earlier write or sync failed; the journal refuses appends until it is reopened.
    case failedEarlier(path: String, cause: String)
    /// Another process held the lock for longer than the timeout.
    case locked(path: String, seconds: Int, writing: Bool)
    /// The log was replaced or cut by someone else while it was open.
    case bookChanged(path: String, reason: String)
    /// The book lives on a network file system, where `flock` and `fdatasync` cannot be trusted.
    case networkFileSystem(path: String, kind: String)
    /// A draft cannot be written as given (empty type, negative version, bad author).
    case invalidDraft(path: String, reason: String)
    /// Any other system call failure.
    case io(path: String, operation: String, detail: String)

    /// The log's own bytes are wrong (its header, a line, its line endings), as `ardesk log
    /// repair` mends, rather than the file missing, locked or failing to be read or written.
    public var isDamage: Bool {
        switch self {
        case .notABook, .damaged, .recordTooLong, .invalidUTF8: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .missingBook(let path):
            return "\(path): no such book (the folder or its \(Journal.fileName) does not exist)."
        case .notABook(let path, let reason):
            return "\(path) is not an ardesk book: \(reason)."
        case .notAFolder(let path):
            return "\(path) is not an ardesk book: it is not a folder."
        case .alreadyExists(let path):
            return "\(path) already exists; refusing to create a book over it."
        case .futureVersion(let path, let found, let supported):
            return "\(path) was written by a newer ardesk (journal format version \(found); this build reads up to \(supported)); upgrade ardesk to open it."
        case .readOnlyBook(let path, let reason):
            return "\(path) is read-only (\(reason)); nothing can be appended."
        case .recordTooLong(let path, let line, let offset, let size, let limit):
            return "\(path) line \(line) (byte \(offset)): record of \(size) bytes is longer than the limit of \(limit) bytes."
        case .invalidUTF8(let path, let line, let offset):
            return "\(path) line \(line) (byte \(offset)): the record contains invalid UTF-8."
        case .damaged(let path, let line, let offset, let reason):
            return "\(path) is damaged at line \(line) (byte \(offset)): \(reason); nothing after it was applied — run `ardesk log verify` and see `ardesk log repair`."
        case .diskFull(let path, let detail, let cleanedUp):
            return "\(path): the disk is full (\(detail)); the action was NOT saved" + (cleanedUp ? " and the log is unchanged." : " and the partial write could not be removed — reopen the book.")
        case .writeFailed(let path, let detail, let cleanedUp):
            return "\(path): writing failed (\(detail)); the action was NOT saved" + (cleanedUp ? " and the log is unchanged." : " and the partial write could not be removed — reopen the book.")
        case .syncFailed(let path, let detail, let takenBack):
            return takenBack
                ? "\(path): flushing to disk failed (\(detail)); the action was NOT saved, and nothing more will be saved until the book is reopened."
                : "\(path): flushing to disk failed (\(detail)), and what was written could not be taken out again: the action MAY have been saved. Reopen the book and look (ardesk ledger CUSTOMER) before entering it again; nothing more will be saved until then."
        case .failedEarlier(let path, let cause):
            return "\(path): the action was NOT saved: nothing more is written in this session after an earlier failure (\(cause)) — reopen the book."
        case .locked(let path, let seconds, let writing):
            return writing ? "\(path) is locked by another process for more than \(seconds) s; the action was NOT saved — try again."
                : "could not read the book: \(path) is locked by another process for more than \(seconds) s (a long import or a repair); nothing was changed — try again."
        case .bookChanged(let path, let reason):
            return "\(path) changed under us (\(reason)); reopen the book."
        case .networkFileSystem(let path, let kind):
            return "\(path) is on a network file system (\(kind)), where locking and flushing are not reliable; move the book to a local disk."
        case .invalidDraft(let path, let reason):
            return "\(path): cannot write this record: \(reason)."
        case .io(let path, let operation, let detail):
            return "\(path): \(operation) failed: \(detail)."
        }
    }
}

func errnoText(_ code: Int32) -> String {
    if let s = strerror(code) { return String(cString: s) + " (errno \(code))" }
    return "errno \(code)"
}
