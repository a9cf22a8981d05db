import ArgumentParser
import Core
import Desk
import Foundation
import Terminal

struct DunningCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dunning", abstract: "Dunning runs: one level per run, never skipping, letters into the outbox.",
        subcommands: [Run.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run (or with --dry-run preview) the dunning policy.")
        @OptionGroup var options: BookOptions
        @Option(name: .customLong("as-of"), parsing: .unconditional, help: "The run's day (default: today); before the last run is refused.") var asOf: DayArgument?
        @Flag(help: "Show what a run would do (as of a day before the last run: what one would have done then) and append nothing.") var dryRun = false
        @Option(help: "Letter language en or zh (default: zh for Chinese names, else en).") var lang: String?

        func run() throws {
            let desk = try options.openDesk()
            // A run is dated today or earlier; a preview may look ahead (what Friday's run would do).
            let day = try asOf?.resolve(field: "--as-of", today: desk.today, looking: dryRun ? .ahead : .behind) ?? desk.today
            if let lang, !["en", "zh"].contains(lang) { throw CLIError("--lang must be en or zh") }
            let actions = try desk.dunningRun(asOf: day, dryRun: dryRun, language: lang)
            let currency = desk.book.currency
            var table = ReportTable(title: (dryRun ? "Dry run (nothing written): " : "Dunning run: ") + "\(counted(actions.count, "customer")) as of \(day.iso)", columns: [
                .init("customer"), .init("name"), .init("from", .right), .init("to", .right), .init("overdue", .right),
                .init("fee", .right), .init("interest", .right), .init("action"),
            ])
            for a in actions {
                let p = a.proposal
                table.rows.append([p.customer, desk.book.customers[p.customer]?.name ?? "", String(p.fromLevel), String(p.toLevel),
                                   currency.format(p.overdue, grouping: ","), currency.format(p.fee, grouping: ","),
                                   currency.format(p.interest, grouping: ","), a.action.english])
            }
            TerminalOutput.print(table.text(width: DisplayWidth.of), terminator: "")
            // A look back is no preview of a run that could be made: runs move forward only.
            if dryRun, let last = desk.book.lastRun(after: day) {
                TerminalOutput.warn("ardesk: note: this is what a run on \(day) would have done then; a run dated \(day) now is refused, as it comes before the last run on \(last)")
            }
        }
    }
}
