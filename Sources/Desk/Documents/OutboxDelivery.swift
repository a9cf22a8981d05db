import Core
import Foundation
import Journal

/// One action's documents on their way into the outbox. Each is written, flushed, into a hidden
/// folder of the outbox (`outbox/.staging-<host>-<pid>-<n>/<day>/<file>`, the outbox's own
/// layout), and moved to its place only after the records saying it was sent are in the log: a
/// refused or interrupted action never leaves a letter that the book does not know was sent.
///
/// A process stopped between the two steps leaves its staging folder behind; a later delivery
/// finishes it (`abandoned`, `recover`): files the log records as sent are moved into place, the
/// others deleted.
final class OutboxDelivery {
    let outbox: Outbox
    private let staging: String
    private let shared: Bool
    /// Staged files by their path relative to the outbox (`2026-11-24/C0001-statement.md`).
    private var staged: [String] = []
    /// Their records are saved: from then on nothing staged is ever deleted.
    private var recorded = false

    init(outbox: Outbox) throws {
        self.outbox = outbox
        shared = outbox.folder.isShared
        staging = outbox.path + "/" + OutboxDelivery.stagingPrefix + "\(OutboxDelivery.host)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try outbox.folder.makeFolder(outbox.path, shared: shared)
    }

    static let stagingPrefix = ".staging-"
    /// The machine's name (a book folder may be shared between machines): only a process of this
    /// machine can be found stopped by its number.
    static let host: String = {
        var name = [CChar](repeating: 0, count: 256)
        let text = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "host"
        return String(text.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }()

    /// Writes `document` into the staging folder under the name it will have in the outbox,
    /// and returns that name relative to the book (what the document-sent record says).
    func stage(_ document: Outbox.Document) throws -> String {
        let day = document.day.iso
        try outbox.folder.makeFolder(staging, shared: shared)
        try outbox.folder.makeFolder(staging + "/" + day, shared: shared)
        // A second document of the same kind for the same customer that day gets its own name
        // (-2, -3, ...): each sent document stays as it was sent. Names another process has
        // staged are taken too (two managers writing the same customer's statement at once).
        let taken = OutboxDelivery.stagedNames(in: outbox, day: day).union(staged)
        let customer = outbox.safe(document.customer)
        var base = "\(customer)-\(document.name)"
        var n = 1
        while FileManager.default.fileExists(atPath: "\(outbox.path)/\(day)/\(base).md") || taken.contains("\(day)/\(base).md") {
            n += 1
            base = "\(customer)-\(document.name)-\(n)"
        }
        try outbox.write(document.markdown, to: "\(staging)/\(day)/\(base).md", shared: shared)
        try outbox.write(document.html, to: "\(staging)/\(day)/\(base).html", shared: shared)
        staged += ["\(day)/\(base).md", "\(day)/\(base).html"]
        return "outbox/\(day)/\(base).md"
    }

    /// Moves every staged file into place once its records are saved; never replaces a file
    /// already there. What cannot be moved stays staged, for a later delivery to move once this
    /// process has ended: the action is saved, so nothing here is an error to report as one.
    func publish() {
        recorded = true
        var left = false
        for file in staged where !OutboxDelivery.place(staging + "/" + file, at: file, in: outbox, shared: shared) { left = true }
        staged = []
        if !left { OutboxDelivery.remove(staging) }
    }

    /// Deletes what was staged, unless its records were saved (the action was refused or failed).
    func discard() {
        guard !recorded else { return }
        staged = []
        OutboxDelivery.remove(staging)
    }

    /// `file` (relative to the outbox) put in place from `source` without replacing anything.
    @discardableResult
    static func place(_ source: String, at file: String, in outbox: Outbox, shared: Bool) -> Bool {
        let target = outbox.path + "/" + file
        try? outbox.folder.makeFolder(BookFolder.parent(of: target), shared: shared)
        if link(source, target) == 0 { unlink(source); return true }
        // A file system without hard links (some shares): a rename, looked at first.
        guard [EPERM, EOPNOTSUPP, EMLINK].contains(errno), !FileManager.default.fileExists(atPath: target) else { return false }
        return rename(source, target) == 0
    }

    /// The staging folders of processes no longer running: on this machine, a process number that
    /// is gone; from another machine (a shared folder), one untouched for an hour.
    static func abandoned(in outbox: Outbox) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: outbox.path) else { return [] }
        return entries.filter { entry in
            guard entry.hasPrefix(stagingPrefix) else { return false }
            let parts = entry.dropFirst(stagingPrefix.count).split(separator: "-")
            guard parts.count == 3, let pid = pid_t(parts[1]) else { return false }  // not one of ours: left alone
            if parts[0] == host { return kill(pid, 0) != 0 && errno == ESRCH }
            let modified = (try? FileManager.default.attributesOfItem(atPath: outbox.path + "/" + entry))?[.modificationDate] as? Date
            return modified.map { Date().timeIntervalSince($0) > 3600 } ?? false
        }.map { outbox.path + "/" + $0 }
    }

    /// Finishes abandoned staging folders: each file whose document the log records as sent
    /// (`recorded`, paths relative to the book) goes into place unless one is there already; the
    /// rest is deleted.
    static func recover(_ folders: [String], in outbox: Outbox, recorded: Set<String>) {
        for folder in folders {
            var kept = false  // a recorded document that could not be put in place is never deleted
            for file in files(under: folder) {
                let document = file.hasSuffix(".html") ? String(file.dropLast(5)) + ".md" : file
                guard recorded.contains("outbox/" + document) else { continue }
                if !place(folder + "/" + file, at: file, in: outbox, shared: outbox.folder.isShared)
                    && !FileManager.default.fileExists(atPath: outbox.path + "/" + file) { kept = true }
            }
            if !kept { remove(folder) }
        }
    }

    /// Names staged by any process for `day`, relative to the outbox.
    static func stagedNames(in outbox: Outbox, day: String) -> Set<String> {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: outbox.path) else { return [] }
        var names: Set<String> = []
        for entry in entries where entry.hasPrefix(stagingPrefix) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(outbox.path)/\(entry)/\(day)")) ?? [] { names.insert("\(day)/\(name)") }
        }
        return names
    }

    /// Paths of the files under `folder`, relative to it.
    private static func files(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { !isDirectory(folder + "/" + $0) }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    private static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}

extension Desk {
    /// A delivery into the book's outbox, after finishing any a stopped process left. The log is
    /// read first: a process found stopped appended all it ever did before it stopped, so what
    /// it recorded is then known (a book last read before that would take its letters for unsent).
    func outboxDelivery(_ outbox: Outbox) throws -> OutboxDelivery {
        let delivery = try OutboxDelivery(outbox: outbox)
        try finishAbandonedDeliveries(outbox)
        return delivery
    }

    /// Puts in place the documents a stopped process staged and recorded as sent (a dunning run
    /// killed after its records were saved): on open too, or its letters, recorded as sent,
    /// waited unseen until the next document was written.
    func finishAbandonedDeliveries(_ outbox: Outbox) throws {
        let abandoned = OutboxDelivery.abandoned(in: outbox)
        guard !abandoned.isEmpty else { return }
        try refresh()
        var sent: Set<String> = []
        for (_, activities) in book.timelines {
            for activity in activities { if case .documentSent(_, let file) = activity.kind { sent.insert(file) } }
        }
        OutboxDelivery.recover(abandoned, in: outbox, recorded: sent)
    }

    /// Appends `command`'s records, then puts `delivery`'s documents in place; a refused command
    /// leaves none of them.
    @discardableResult
    func perform(_ command: Command, dated day: Day? = nil, delivering delivery: OutboxDelivery,
                 checking: ((Book) throws -> Void)? = nil) throws -> [JournalRecord] {
        defer { delivery.discard() }  // refused: nothing staged stays (after publish it keeps everything)
        let records = try perform(command, dated: day, checking: checking)
        delivery.publish()
        return records
    }
}
