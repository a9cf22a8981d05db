import ArgumentParser
import Core
import Desk
import Foundation
import Journal

/// Options every command that touches a book shares.
struct BookOptions: ParsableArguments {
    @Option(name: .long, help: "The book's folder (default: $ARDESK_BOOK, else the current folder if it holds a book, else ~/.local/share/ardesk/book).")
    var book: String?

    var folder: BookFolder { BookFolder.locate(explicit: book) }

    /// An empty `--book` (an unset variable in a script) is refused, not read as no option: that
    /// made or opened the default book in the home folder.
    func validate() throws {
        if let book, book.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--book is empty: give the book's folder") }
    }

    /// Today's date: the system's local date, or `$ARDESK_TODAY` (YYYY-MM-DD) to pin it for scripts and tests.
    static func today() throws -> Day {
        if let pinned = ProcessInfo.processInfo.environment["ARDESK_TODAY"], !pinned.isEmpty {
            guard let day = Day(iso: pinned) else { throw CLIError("ARDESK_TODAY=\(pinned) is not a date (YYYY-MM-DD)") }
            if let implausible = RelativeDay.implausibleYear(day) { throw CLIError("ARDESK_TODAY=\(pinned) " + implausible) }
            return day
        }
        return systemToday()
    }

    /// Whether ARDESK_TODAY sets the day (a session then stays on it past midnight).
    static var todayIsPinned: Bool { !(ProcessInfo.processInfo.environment["ARDESK_TODAY"] ?? "").isEmpty }

    /// The system's local date.
    static func systemToday() -> Day {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return Day(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
    }

    /// With a roles.toml, the user must be listed in it (and be a manager or admin when
    /// `manager`): the journal tools read and cut the log without opening a desk.
    /// `act`: what only a manager may do, for the refusal.
    func requireRole(manager: Bool = false, act: String = "mend the book's log") throws {
        // The log gone and its snapshot left: said so, not "no such book" (see `journalTrace`).
        if let trace = folder.journalTrace { throw DeskError.journalMissing(folder.path, trace: trace) }
        guard let roles = try Roles.load(folder: folder) else {
            // Without the file a shared book is its owner's (a collector who deleted it gains nothing).
            if manager && !Roles.mayActWithoutFile(folder: folder) { throw DeskError.notAllowed(Roles.missingFileRefusal(folder)) }
            return
        }
        let user = SystemIdentity.currentUserName()
        guard let role = roles.role(of: user) else { throw CLIError("\(user) is not listed in \(folder.rolesPath); ask a manager to add you") }
        if manager && role == .collector { throw CLIError("only a manager can \(act)") }
    }

    /// Why a collector's actions must not be dated by `$ARDESK_TODAY` in a shared book: the day
    /// of a call or a promise is what the figures and undo go by, and only a manager may set it
    /// other than today (nil when it is today's date, or no roles file says who is a collector).
    func pinnedDayRefusal(_ today: Day) throws -> String? {
        let actual = BookOptions.systemToday()
        guard today != actual, let roles = try Roles.load(folder: folder),
              roles.role(of: SystemIdentity.currentUserName()) == .collector else { return nil }
        return "ARDESK_TODAY=\(today.iso) is not today's date (\(actual.iso)): in a shared book only a manager may date actions otherwise, so this session only reads"
    }

    /// `partialBookShown`: the caller shows a book that stops at a record from a newer ardesk
    /// and says so (the workstation); every other command refuses it, since its figures would
    /// leave that record and all after it out without a word.
    /// `snapshotLater`: see `Desk.open` (the workstation starts it after its first screen).
    func openDesk(readOnly reason: String? = nil, partialBookShown: Bool = false, snapshotLater: Bool = false) throws -> Desk {
        let progress = OpeningProgressLine()
        let desk: Desk
        do {
            let today = try BookOptions.today()
            desk = try Desk.open(folder: folder, today: today, readOnlyReason: reason ?? pinnedDayRefusal(today), progress: progress.update,
                                 snapshotLater: snapshotLater)
            progress.finish()
        } catch {
            progress.finish()  // before the error is printed
            throw error
        }
        OpenedBooks.keep(desk)
        let pinned = !(ProcessInfo.processInfo.environment["ARDESK_TODAY"] ?? "").isEmpty
        desk.openingNotes = pinned ? [] : [desk.clockNote(systemToday: BookOptions.systemToday())].compactMap { $0 }
        for note in [desk.recoveryNote, desk.integrityNote].compactMap({ $0 }) + desk.openingNotes {
            TerminalOutput.warn("ardesk: " + note)
        }
        // A record damaged since it was written, at the log's end: figures read without it (and
        // every later one) are refused as for damage anywhere else, not printed beside a note.
        if desk.stoppedAtDamage && !partialBookShown {
            throw CLIError("the log's last records could not be read (see the note above); nothing is reported from this book until `ardesk log repair` mends it, because its figures would leave them out")
        }
        if desk.upgradeNeeded && !partialBookShown, let why = desk.readOnlyReason {
            throw CLIError("\(why); nothing is reported from this book until then, because its figures would leave that record and every later one out")
        }
        return desk
    }
}

/// Parses a day given on the command line: ISO, `today`, `tomorrow`, `+3d`, or a weekday name.
struct DayArgument: ExpressibleByArgument {
    let text: String
    init?(argument: String) { text = argument }
    /// `looking`: which way a day named without its month or year lies (`fri`, `5号`): ahead for
    /// a promise, a callback or a review, behind for a document's day or a view of the past.
    func resolve(field: String, today: Day, looking: RelativeDay.Looking) throws -> Day {
        guard let day = RelativeDay.parse(text, today: today, looking: looking) else {
            throw CLIError("\(field) \"\(text)\" is not a date (use YYYY-MM-DD, today, tomorrow, +3d, a weekday, or in Chinese 明天, 下周五, 三天后, 12月5日)",
                           zh: "\(field) “\(text)”不是日期（请用 YYYY-MM-DD、12月5日、今天、明天、+3天 或星期几，如 周五）")
        }
        if let implausible = RelativeDay.implausibleYear(day) {
            let years = RelativeDay.plausibleYears
            throw CLIError("\(field) \(day.iso) " + implausible,
                           zh: "\(field) \(day.iso) 在 \(day.components.year) 年，不在应收账款的合理年份（\(years.lowerBound)–\(years.upperBound)）内；是否写错了数字？")
        }
        return day
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

extension Currency {
    func parseArgument(_ text: String, field: String) throws -> Money {
        guard let money = parse(text) else {
            throw CLIError("\(field) \"\(text)\" is not an amount in \(code) (\(refusal(of: text)))")
        }
        return money
    }
}
