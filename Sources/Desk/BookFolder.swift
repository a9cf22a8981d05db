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
        return .noBook(path)
    }

    /// `--book PATH`, else `$ARDESK_BOOK`, else `$XDG_DATA_HOME/ardesk/book` (~/.local/share/...).
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> BookFolder {
        if let explicit, !explicit.isEmpty { return BookFolder(path: explicit) }
        if let env = environment["ARDESK_BOOK"], !env.isEmpty { return BookFolder(path: env) }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return BookFolder(path: dataHome + "/ardesk/book")
    }
}
