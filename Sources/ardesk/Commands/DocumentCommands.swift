import ArgumentParser
import Core
import Desk
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the book for accountants: hledger/ledger-cli journal, or CSV files.")
    @OptionGroup var options: BookOptions
    @Argument(help: "hledger or csv") var kind: String
    @Option(name: .customLong("as-of"), parsing: .unconditional, help: "Leave out everything dated after this day.") var asOf: DayArgument?
    @Option(help: "Output file (hledger; default: standard output) or folder (csv; default: the book's outbox/export-<day>).")
    var output: String?
    @Flag(help: "CSV for Excel: starts each file with a UTF-8 byte-order mark, without which Excel reads Chinese text in the system's code page (garbled).")
    var excel = false

    func run() throws {
        if excel && kind != "csv" { throw CLIError("--excel is for csv (a byte-order mark Excel needs to read UTF-8)") }
        let desk = try options.openDesk(readOnly: "export")
        let day = try asOf?.resolve(field: "--as-of", today: desk.today, looking: .behind) ?? desk.today
        switch kind {
        case "hledger", "ledger":
            let text = HledgerExport(book: desk.book, asOf: day).render()
            if let output {
                try write(text, to: output)
                print("Wrote \(output)")
            } else {
                print(text, terminator: "")  // a journal for hledger: data, as CSV and JSON are
            }
        case "csv":
            let export = CSVExport(book: desk.book, asOf: day, levels: desk.policy.dunningLevels)
            // Into the book's outbox unless told otherwise, made as its documents are: in a
            // team's book, writable by the team (a colleague exports again the same day).
            var folder = output ?? desk.folder.outboxPath + "/export-\(day.iso)"
            var mode: mode_t?
            let madeHere = !FileManager.default.fileExists(atPath: folder)  // before the outbox makes it
            if output == nil { (folder, mode) = try desk.folder.outboxFolder(named: "export-\(day.iso)") }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
                throw CLIError("\(folder) is a file: export csv writes a folder of files; give --output a folder")
            }
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw CLIError("cannot create the folder \(folder) (\(DeskError.systemReason(error)))")
            }
            // All three are made, then written beside their names, then renamed into place
            // together: a failure (a full disk) leaves the last export's set as it was, not a mix
            // of new and old files, nor an empty folder this export made.
            let files = [("customers", export.customers.csv), ("open-items", export.openItems.csv), ("activities", export.activities.csv)]
            let beside = { (name: String) in folder + "/.\(name).csv.new" }
            do {
                for (name, text) in files {
                    try write((excel ? "\u{FEFF}" : "") + text, to: beside(name))
                    if let mode { chmod(beside(name), mode) }
                }
            } catch {
                for (name, _) in files { unlink(beside(name)) }
                if madeHere { try? FileManager.default.removeItem(atPath: folder) }
                throw error
            }
            for (name, _) in files where rename(beside(name), folder + "/\(name).csv") != 0 {
                throw CLIError("cannot put \(folder)/\(name).csv in place (\(String(cString: strerror(errno))))")
            }
            print("Wrote customers.csv, open-items.csv and activities.csv to \(folder)" + (excel ? " (for Excel: UTF-8 with a byte-order mark)" : ""))
        default:
            throw CLIError("cannot export \"\(kind)\": choose hledger or csv")
        }
    }

    /// Writes `text` whole or not at all, failing in one sentence that names the file.
    /// A file is replaced whole (written beside it, then renamed), the file a link points to
    /// likewise, and a device or pipe (`--output /dev/stdout`) is written into: renaming over a
    /// link or a device would put a file in its place.
    func write(_ text: String, to path: String) throws {
        if let what = Self.bookFile(at: Self.followingLinks(path)) {
            throw CLIError("will not write over \(path): it is \(what) (give --output another file)")
        }
        var status = stat()
        do {
            if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
                throw CLIError("cannot write \(path): it is a folder; give --output a file name (\(path)/book.journal)")
            }
            if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
                guard let stream = FileHandle(forWritingAtPath: path) else { throw CLIError("cannot write \(path) (no permission)") }
                defer { try? stream.close() }
                try stream.write(contentsOf: Data(text.utf8))
            } else {
                try text.write(toFile: Self.followingLinks(path), atomically: true, encoding: .utf8)
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot write \(path) (\(DeskError.systemReason(error)))")
        }
    }

    /// What a file ardesk keeps is, said so: a book's journal or snapshot (wherever it lies: it
    /// begins with ardesk's header), or a book's lock, roles or policy beside its journal. Nil
    /// for anything else (an earlier export is written over, as a daily export expects).
    static func bookFile(at path: String) -> String? {
        // Files only: opening a pipe to read it would wait for a writer (`--output` a fifo).
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        if let start = try? handle.read(upToCount: 32), start.starts(with: Data("{\"format\":\"ardesk-".utf8)) {
            return "an ardesk book's journal or snapshot"
        }
        let name = (path as NSString).lastPathComponent, folder = BookFolder.parent(of: path)
        guard ["journal.lock", "roles.toml", "policy.toml"].contains(name),
              FileManager.default.fileExists(atPath: folder + "/journal.log") else { return nil }
        return "the \(name) of the book in \(folder)"
    }

    /// Where a chain of links ends, the last one's target even when it does not exist yet (which
    /// Foundation's resolving leaves as the link itself).
    static func followingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<32 {  // as the kernel's limit on links in a row, near enough
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = target.hasPrefix("/") ? target : BookFolder.parent(of: current) + "/" + target
        }
        return current
    }
}

struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement", abstract: "Write statements of account into the book's outbox and record them as sent.")
    @OptionGroup var options: BookOptions
    @Argument(help: "The customer (or use --all).") var customers: [String] = []
    @Flag(help: "Every customer with a balance, or fees and interest open.") var all = false
    @Option(parsing: .unconditional, help: "Period start (default: from the first document).") var from: DayArgument?
    @Option(parsing: .unconditional, help: "Period end (default: today).") var to: DayArgument?
    @Option(help: "en or zh (default: each customer's, as for dunning letters: Chinese for a Chinese name).") var lang: String?

    func run() throws {
        guard !(all && !customers.isEmpty) else { throw CLIError("name customers or use --all, not both") }
        guard all || !customers.isEmpty else { throw CLIError("name one or more customers, or use --all") }
        let desk = try options.openDesk()
        let end = try to?.resolve(field: "--to", today: desk.today, looking: .behind) ?? desk.today
        guard end <= desk.today else { throw CLIError("--to \(end) is after today (\(desk.today)): a statement shows what has happened") }
        let start = try from?.resolve(field: "--from", today: desk.today, looking: .behind)
        if let lang, !["en", "zh"].contains(lang) { throw CLIError("--lang must be en or zh") }
        // Everyone with something to show: a balance, or fees and interest open (their own account).
        // A collector's "all" is everyone they may work (their own and unassigned customers).
        var sentToday = 0
        let targets = all ? desk.book.customerOrder.filter { id in
            guard desk.refusal(toWork: id) == nil else { return false }
            guard let statement = try? Statement(book: desk.book, customer: id, from: start, to: end) else { return false }
            guard statement.closing != .zero || statement.chargesClosing != .zero else { return false }
            // Sent today already, for the same period: a run stopped midway and started again
            // finishes what is left rather than sending those customers a second copy.
            if Desk.statementWritten(of: id, from: start, to: end, on: desk.today, in: desk.book) { sentToday += 1; return false }
            return true
        } : customers.distinctInOrder
        // Every customer named is checked before the first statement is written and recorded.
        for id in targets where desk.book.customers[id] == nil { throw CLIError("no customer \"\(id)\" in this book" + desk.book.didYouMean(id)) }
        // And that this user may work each one: a refusal after the first statement was written
        // would leave part of the command done.
        for id in targets { if let refusal = desk.refusal(toWork: id) { throw DeskError.notAllowed(refusal) } }
        for id in targets { if let nothing = desk.nothingToState(id, to: end) { throw DeskError.invalid(nothing) } }
        var written = 0
        for id in targets {
            let language = lang ?? Desk.language(for: desk.book.customers[id]!)
            // With --all, once a day: another run at the same time may have written it meanwhile.
            if all {
                guard let statement = try desk.writeStatementOnce(customer: id, from: start, to: end, language: language) else { sentToday += 1; continue }
                print(statement.path)
            } else {
                print(try desk.writeStatement(customer: id, from: start, to: end, language: language).path)
            }
            written += 1
        }
        print("Wrote \(written) statement\(written == 1 ? "" : "s").")
        if sentToday > 0 {
            print("\(sentToday) customer\(sentToday == 1 ? "" : "s") had this statement written today already (left out; name them to write it again).")
        }
    }
}
