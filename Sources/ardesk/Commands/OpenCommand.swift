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
    @Option(name: .customLong("as-of"), help: "Open the book as it stood on this day, read-only.") var asOf: DayArgument?
    @Option(help: "Interface language: en or zh (default: from LANG).") var lang: String?
    @Option(help: "Theme name from themes/ (default, light, high-contrast, mono).") var theme = "default"

    func run() throws {
        let today = try BookOptions.today()
        let day = try asOf?.resolve(field: "--as-of", today: today) ?? today
        let language: Language
        if let lang {
            guard let chosen = Language(rawValue: lang) else { throw CLIError("--lang must be en or zh", zh: "--lang 只能是 en 或 zh") }
            language = chosen
        } else {
            language = Language.from(environment: ProcessInfo.processInfo.environment)
        }
        let folders = [ProcessInfo.processInfo.environment["ARDESK_THEMES"]].compactMap { $0 } + TemplateLibrary.shippedFolders(named: "themes")
        let chosenTheme = try Theme.load(named: theme, folders: folders)
        let desk = try options.openDesk(readOnly: day == today ? nil : "as of \(day.iso)", partialBookShown: true, snapshotLater: true)
        let workstation = Workstation(desk: desk, asOf: day, language: language)
        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal(theme: chosenTheme)
        } catch TerminalError.notATerminal {
            throw CLIError("\(TerminalError.notATerminal)", zh: "工作台需要终端；脚本中请用无界面命令（ardesk queue、report、ledger）")
        }
        defer { terminal.shutdown() }
        WorkstationRunner.run(workstation, terminal: terminal)
    }
}
