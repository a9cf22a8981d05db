import ArgumentParser
import Core
import Desk
import Foundation
import Terminal
import Workstation

struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open the workstation (the default when no command is given).")
    @OptionGroup var options: BookOptions
    @Option(name: .customLong("as-of"), parsing: .unconditional, help: "Open the book as it stood on this day, read-only.") var asOf: DayArgument?
    @Option(help: "Interface language: en or zh (default: from LC_ALL, LC_MESSAGES or LANG).") var lang: String?
    @Option(help: "Theme name from themes/ (default, light, high-contrast, mono).") var theme = "default"

    /// `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`); nil for a `--lang` that is
    /// neither en nor zh.
    var language: Language? {
        guard let lang else { return Language.from(environment: ProcessInfo.processInfo.environment) }
        return Language(rawValue: lang)
    }

    func run() throws {
        let today = try BookOptions.today()
        let day = try asOf?.resolve(field: "--as-of", today: today, looking: .behind) ?? today
        guard let language else { throw CLIError("--lang must be en or zh") }
        let folders = [ProcessInfo.processInfo.environment["ARDESK_THEMES"]].compactMap { $0 } + TemplateLibrary.shippedFolders(named: "themes")
        let chosenTheme: Theme
        do { chosenTheme = try Theme.load(named: theme, folders: folders) } catch {
            throw CLIError("\(error)", zh: "没有可用的主题“\(theme)”（\(error)）")
        }
        let desk = try options.openDesk(readOnly: day == today ? nil : "as of \(day.iso)", partialBookShown: true, snapshotLater: true)
        let workstation = Workstation(desk: desk, asOf: day, language: language)
        let terminal = try NcursesTerminal(theme: chosenTheme)
        defer {
            terminal.shutdown()
            // Ended by TERM or HUP (a dropped SSH link): said by the exit status, once all is saved.
            if NcursesTerminal.stopSignal != 0 { OpenedBooks.finish(); Foundation.exit(128 + NcursesTerminal.stopSignal) }
        }
        // A session on today follows the clock past midnight; one on ARDESK_TODAY stays on it.
        let clock: (() -> Day)? = BookOptions.todayIsPinned ? nil : { BookOptions.systemToday() }
        WorkstationRunner.run(workstation, terminal: terminal, clock: clock)
    }
}
