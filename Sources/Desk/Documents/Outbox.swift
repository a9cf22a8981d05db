import Core
import Foundation

/// The book's `outbox/<day>/`: one Markdown and one printable HTML file per customer and
/// document, named so a person finds them (`C0001-statement.md`). Documents reach it through an
/// `OutboxDelivery`, which puts them in place only once the log says they were sent.
public struct Outbox: Sendable {
    public let folder: BookFolder
    public let templates: TemplateLibrary

    public init(folder: BookFolder, templates: TemplateLibrary) { self.folder = folder; self.templates = templates }

    /// A document rendered, before any file is written: a template that cannot be rendered
    /// refuses the action while nothing is in the outbox.
    struct Document {
        var customer: CustomerID
        var day: Day
        /// What the file is called after the customer: `statement`, `letter-2`.
        var name: String
        var markdown: String
        var html: String
    }

    /// Renders `template` for `language` into a document for `customer`, dated `day`.
    func render(template: String, language: String, context: [String: Any], day: Day, customer: CustomerID,
                name: String, title: String) throws -> Document {
        // Values are escaped for Markdown: a name or number is text, never a heading, bold or a column.
        let markdown = try templates.render("\(template).\(language).md.mustache", MarkdownPage.escapedValues(Outbox.inChinese(context)) as! [String: Any],
                                            fields: template == "statement" ? Outbox.statementFields : Outbox.letterFields)
        // `html`: the document as HTML (tables, headings); `body`: its Markdown (values escaped
        // with backslashes), for a book's own page template that shows it so (`<pre>{{body}}</pre>`).
        let html = try templates.render("page.html.mustache", ["title": title, "lang": language == "zh" ? "zh-CN" : "en",
                                                                "body": markdown, "html": MarkdownPage.html(markdown)],
                                        fields: ["title", "lang", "body", "html"])
        return Document(customer: customer, day: day, name: name, markdown: markdown, html: html)
    }

    var path: String { folder.outboxPath }

    /// `context` with the forms a Chinese document writes: the currency's unit (`元` for CNY, as
    /// in 未付金额（元） and 9,999.99 元) and today's date (2026年11月28日).
    static func inChinese(_ context: [String: Any]) -> [String: Any] {
        var context = context
        let units = ["CNY": "元", "USD": "美元", "JPY": "日元", "EUR": "欧元", "HKD": "港元", "GBP": "英镑", "TWD": "新台币元", "SGD": "新加坡元"]
        if let code = context["currency"] as? String { context["currency_zh"] = units[code] ?? code }
        if let today = context["today"] as? String, let day = Day(iso: today) {
            let (year, month, dayOfMonth) = (day.components.year, day.components.month, day.components.day)
            context["today_zh"] = "\(year)年\(month)月\(dayOfMonth)日"
        }
        return context
    }

    /// What a letter fills in (`DunningRun.letter`), at any depth: a template naming anything
    /// else is refused before any letter is written.
    static let letterFields: Set<String> = [
        "today", "today_zh", "currency", "currency_zh", "customer", "customer.id", "customer.name", "contact", "collector",
        "level", "level_name", "items", "number", "issued", "due",
        "days_late", "open", "overdue", "fee", "interest", "total_due", "bills_charges", "pre_due", "past_due_too",
        "earlier_charges", "credit", "net_overdue", "has_interest", "has_fee", "bills_new", "reminded_before", "on_hold",
    ]
    /// What a statement fills in (`Desk.writeStatement`).
    static let statementFields: Set<String> = [
        "today", "today_zh", "currency", "currency_zh", "to", "from", "customer", "customer.id", "customer.name", "opening",
        "closing", "lines", "day", "kind", "reference", "debit", "credit",
        "balance", "disputed", "disputed_part", "aging", "label", "amount", "interest", "charges", "net", "inYourFavour",
    ]

    /// Written whole and flushed: a half-written letter is never taken for one.
    func write(_ text: String, to path: String, shared: Bool) throws {
        let mode: mode_t = shared ? 0o660 : 0o640
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw DeskError.invalid("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        _ = fchmod(fd, mode)  // whatever the umask: a team's member may replace it
        var failure: Int32?
        Array(text.utf8).withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { failure = n < 0 ? errno : EIO; return }
                done += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = errno }
        if let failure { throw DeskError.invalid("cannot write \(path): \(String(cString: strerror(failure)))") }
    }

    func safe(_ id: String) -> String { String(id.map { $0 == "/" || $0 == "\\" || $0 == "\0" ? "_" : $0 }) }
}

extension BookFolder {
    /// A book whose folder its group may write (a team sharing it) gets an outbox its group may
    /// write too, keeping the folder's set-group-id so files stay the team's; otherwise the
    /// outbox is the owner's, readable by the group.
    var isShared: Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IWGRP != 0
    }

    /// Makes the folder `path` (its parent exists) as the outbox's are made (see `isShared`).
    func makeFolder(_ path: String, shared: Bool) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        guard mkdir(path, shared ? 0o770 : 0o750) == 0 || errno == EEXIST else {
            throw DeskError.invalid("cannot create the folder \(path): \(String(cString: strerror(errno)))")
        }
        var parent = stat()
        let setGroup = stat(BookFolder.parent(of: path), &parent) == 0 ? parent.st_mode & S_ISGID : 0
        _ = chmod(path, (shared ? 0o770 : 0o750) | setGroup)
    }

    /// A folder of the outbox for files other than documents (an export), made as the outbox's
    /// own are, and the mode its files take.
    public func outboxFolder(named name: String) throws -> (path: String, fileMode: mode_t) {
        let shared = isShared
        try makeFolder(outboxPath, shared: shared)
        try makeFolder(outboxPath + "/" + name, shared: shared)
        return (outboxPath + "/" + name, shared ? 0o660 : 0o640)
    }
}
