import Core
import Foundation
import Journal

/// One action's documents on their way into the outbox. Each is written, flushed, into a hidden
/// folder of the outbox (`outbox/.staging-<pid>-<n>/<day>/<file>`, the outbox's own layout), and
/// moved to its place only after the records saying it was sent are in the log: a refused or
/// interrupted action never leaves a letter that the book does not know was sent.
///
/// A process stopped between the two steps leaves its staging folder behind; the next delivery
/// finishes it (`recoverAbandoned`): files the log records as sent are moved into place, the
/// others deleted.
final class OutboxDelivery {
    let outbox: Outbox
    private let staging: String
    private let shared: Bool
    /// Staged files by their path relative to the outbox (`2026-11-24/C0001-statement.md`).
    private var staged: [String] = []

    /// `isRecorded`: whether the log records a document sent with this path relative to the book
    /// (`outbox/2026-11-24/C0001-statement.md`), for finishing an abandoned delivery.
    init(outbox: Outbox, isRecorded: (String) -> Bool) throws {
        self.outbox = outbox
        shared = outbox.shared
        staging = outbox.path + "/.staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try outbox.makeFolder(outbox.path, shared: shared)
        OutboxDelivery.recoverAbandoned(in: outbox, isRecorded: isRecorded)
    }

    /// Writes `document` into the staging folder under the name it will have in the outbox,
    /// and returns that name relative to the book (what the document-sent record says).
    func stage(_ document: Outbox.Document) throws -> String {
        let day = document.day.iso
        try outbox.makeFolder(staging, shared: shared)
        try outbox.makeFolder(staging + "/" + day, shared: shared)
        // A second document of the same kind for the same customer that day gets its own name
        // (-2, -3, ...): each sent document stays as it was sent.
        let customer = outbox.safe(document.customer)
        var base = "\(customer)-\(document.name)"
        var n = 1
        while FileManager.default.fileExists(atPath: "\(outbox.path)/\(day)/\(base).md") || staged.contains("\(day)/\(base).md") {
            n += 1
            base = "\(customer)-\(document.name)-\(n)"
        }
        try outbox.write(document.markdown, to: "\(staging)/\(day)/\(base).md", shared: shared)
        try outbox.write(document.html, to: "\(staging)/\(day)/\(base).html", shared: shared)
        staged += ["\(day)/\(base).md", "\(day)/\(base).html"]
        return "outbox/\(day)/\(base).md"
    }

    /// Moves every staged file into place, once its records are saved. A file that cannot be
    /// moved stays in the staging folder, named in the error (the next delivery moves it).
    func publish() throws {
        defer { staged = [] }
        for file in staged {
            let folder = outbox.path + "/" + (file as NSString).deletingLastPathComponent
            try outbox.makeFolder(folder, shared: shared)
            guard rename(staging + "/" + file, outbox.path + "/" + file) == 0 else {
                throw DeskError.invalid("recorded as sent, but \(staging)/\(file) could not be moved into the outbox: \(String(cString: strerror(errno)))")
            }
        }
        OutboxDelivery.remove(staging)
    }

    /// Deletes what was staged and not published (the action was refused or failed).
    func discard() {
        staged = []
        OutboxDelivery.remove(staging)
    }

    /// Finishes the staging folders of processes no longer running: a document the log
    /// records as sent goes into place (unless a file of that name is there already), the rest
    /// is deleted.
    static func recoverAbandoned(in outbox: Outbox, isRecorded: (String) -> Bool) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: outbox.path) else { return }
        for entry in entries where entry.hasPrefix(".staging-") {
            let pid = entry.dropFirst(".staging-".count).split(separator: "-").first.flatMap { pid_t($0) }
            // Alive (EPERM: another user's process) or not ours to judge: left alone.
            if let pid, kill(pid, 0) == 0 || errno == EPERM { continue }
            let folder = outbox.path + "/" + entry
            for file in files(under: folder) where file.hasSuffix(".md") {
                let html = String(file.dropLast(3)) + ".html"
                guard isRecorded("outbox/" + file), !FileManager.default.fileExists(atPath: outbox.path + "/" + file) else { continue }
                try? outbox.makeFolder(outbox.path + "/" + (file as NSString).deletingLastPathComponent, shared: outbox.shared)
                rename(folder + "/" + file, outbox.path + "/" + file)
                rename(folder + "/" + html, outbox.path + "/" + html)
            }
            remove(folder)
        }
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
    /// A delivery into the book's outbox, finishing any a stopped process left.
    func outboxDelivery(_ outbox: Outbox) throws -> OutboxDelivery {
        try OutboxDelivery(outbox: outbox) { path in
            book.timelines.contains { $0.activities.contains { if case .documentSent(_, let file) = $0.kind { file == path } else { false } } }
        }
    }

    /// Appends `command`'s records, then puts `delivery`'s documents in place; a refused command
    /// leaves none of them.
    func perform(_ command: Command, dated day: Day? = nil, delivering delivery: OutboxDelivery) throws -> [JournalRecord] {
        defer { delivery.discard() }
        let records = try perform(command, dated: day)
        try delivery.publish()
        return records
    }
}
