import Core
import Foundation

/// Writes rendered documents into the book's `outbox/<day>/`, one Markdown and one printable HTML
/// file per customer and document, named so a person finds them: `C0001-statement.md`.
public struct Outbox: Sendable {
    public let folder: BookFolder
    public let templates: TemplateLibrary

    public init(folder: BookFolder, templates: TemplateLibrary) { self.folder = folder; self.templates = templates }

    /// Renders `template` for `language`, writes both files, and returns the Markdown file's path
    /// relative to the book (what the document-sent event records).
    public func write(template: String, language: String, context: [String: Any], day: Day, customer: CustomerID,
                      name: String, title: String) throws -> String {
        // Values are escaped for Markdown: a name or number is text, never a heading, bold or a column.
        let markdown = try templates.render("\(template).\(language).md.mustache", MarkdownPage.escapedValues(context) as! [String: Any])
        // `html`: the document as HTML (tables, headings); `body`: its Markdown (values escaped
        // with backslashes), for a book's own page template that shows it so (`<pre>{{body}}</pre>`).
        let html = try templates.render("page.html.mustache", ["title": title, "lang": language == "zh" ? "zh-CN" : "en",
                                                                "body": markdown, "html": MarkdownPage.html(markdown)])
        let relativeFolder = "outbox/\(day.iso)"
        let directory = folder.path + "/" + relativeFolder
        let shared = self.shared  // one look at the book folder per document
        try makeFolder(folder.path + "/outbox", shared: shared)
        try makeFolder(directory, shared: shared)
        // A second document of the same kind for the same customer that day gets its own name
        // (-2, -3, ...): each sent document stays as it was sent.
        var base = "\(safe(customer))-\(name)"
        var n = 1
        while FileManager.default.fileExists(atPath: directory + "/" + base + ".md") {
            n += 1
            base = "\(safe(customer))-\(name)-\(n)"
        }
        try write(markdown, to: directory + "/" + base + ".md", shared: shared)
        try write(html, to: directory + "/" + base + ".html", shared: shared)
        return relativeFolder + "/" + base + ".md"
    }

    /// A book whose folder its group may write (a team sharing it) gets an outbox its group may
    /// write too, keeping the folder's set-group-id so files stay the team's; otherwise the
    /// outbox is the owner's, readable by the group.
    var shared: Bool {
        var info = stat()
        return stat(folder.path, &info) == 0 && info.st_mode & S_IWGRP != 0
    }

    func makeFolder(_ path: String, shared: Bool) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: nil)
        var parent = stat()
        let setGroup = stat((path as NSString).deletingLastPathComponent, &parent) == 0 ? parent.st_mode & S_ISGID : 0
        _ = chmod(path, (shared ? 0o770 : 0o750) | setGroup)
    }

    /// Written to a temporary file, flushed and renamed: a half-written letter never sits in the outbox.
    func write(_ text: String, to path: String, shared: Bool) throws {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: shared ? 0o660 : 0o640]) else {
            throw DeskError.invalid("cannot write \(temporary)")
        }
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
        guard rename(temporary, path) == 0 else { throw DeskError.invalid("cannot move \(temporary) to \(path)") }
    }

    func safe(_ id: String) -> String { String(id.map { $0 == "/" || $0 == "\\" || $0 == "\0" ? "_" : $0 }) }
}
