import Foundation

/// Where a book lives: a folder holding the journal, its policy and roles, snapshots and an outbox.
public struct BookFolder: Sendable {
    public let path: String

    public init(path: String) { self.path = (path as NSString).standardizingPath }

    public var journalPath: String { path + "/journal.log" }
    public var policyPath: String { path + "/policy.toml" }
    public var rolesPath: String { path + "/roles.toml" }
    public var outboxPath: String { path + "/outbox" }

    public var exists: Bool { FileManager.default.fileExists(atPath: journalPath) }

    /// Why there is no book here, in one sentence: the path is a file, or a folder (or nothing)
    /// without a journal.
    public var missing: DeskError {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue { return .notAFolder(path) }
        // A folder this user may not look into hides the book it holds: not "no book".
        var info = stat()
        if stat(journalPath, &info) != 0 && errno == EACCES { return .noPermission(path, group: groupName(of: path)) }
        if let trace = journalTrace { return .journalMissing(path, trace: trace) }
        return .noBook(path)
    }

    /// A file only a book's journal leaves (its snapshot, a repair's backup, what a repair set
    /// aside), when the journal itself is not there: its log was moved or deleted, and a new
    /// book made here would hide that the old one is gone.
    public var journalTrace: String? {
        guard !exists, let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
        return entries.sorted().first { $0 == "journal.snapshot" || $0.hasPrefix("journal.snapshot.") || $0.hasPrefix("journal.backup-")
            || $0.hasPrefix("journal.torn-") || $0.hasPrefix("journal.log.") }
    }

    /// The group that owns `path`, by name (nil when it has none the system can name).
    func groupName(of path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, let group = getgrgid(info.st_gid) else { return nil }
        return String(cString: group.pointee.gr_name)
    }

    /// Why a book cannot be created at `path`, found before anything is made: a file in the way,
    /// or a folder on the way this user may not write. Nil when nothing stands in the way.
    public var creationBlocked: DeskError? {
        var ancestor = path
        while true {
            var info = stat()
            if stat(ancestor, &info) == 0 {
                if info.st_mode & S_IFMT != S_IFDIR {
                    return ancestor == path ? .notAFolder(path)
                        : .invalid("cannot create a book at \(path): \(ancestor) is a file, not a folder")
                }
                if access(ancestor, W_OK | X_OK) != 0 {
                    return .invalid("cannot create a book at \(path): no permission to write in \(ancestor)")
                }
                return nil
            }
            let parent = BookFolder.parent(of: ancestor)
            if parent == ancestor { return nil }
            ancestor = parent
        }
    }

    /// The folder `path` is in: "." for a bare name (the working folder; NSString's answer, "",
    /// never exists, and its parent of a one-letter name crashed), "/" for the root and itself.
    public static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `--book PATH`, else `$ARDESK_BOOK`, else the current folder when it holds a journal, else
    /// `$XDG_DATA_HOME/ardesk/book` (~/.local/share/...).
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> BookFolder {
        if let explicit, !explicit.isEmpty { return BookFolder(path: explicit) }
        if let env = environment["ARDESK_BOOK"], !env.isEmpty { return BookFolder(path: env) }
        // Run from inside a book's folder (cd book && ardesk), that book: the home folder's
        // default was "no book here, create one", beside the book in view.
        let here = BookFolder(path: FileManager.default.currentDirectoryPath)
        if here.exists { return here }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return BookFolder(path: dataHome + "/ardesk/book")
    }
}
