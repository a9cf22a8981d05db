import ArgumentParser
import Core
import Desk
import Foundation
import Terminal


/// Options shared by read-only views: the day they are computed as of, and the output format.
struct ViewOptions: ParsableArguments {
    @OptionGroup var book: BookOptions
    @Option(name: .customLong("as-of"), parsing: .unconditional, help: "Compute as of this day (default: today).") var asOf: DayArgument?
    @Option(help: "table, csv or json") var format: OutputFormat = .table

    func open() throws -> (desk: Desk, day: Day) {
        let desk = try book.openDesk(readOnly: "report")
        let day = try asOf?.resolve(field: "--as-of", today: desk.today, looking: .behind) ?? desk.today
        if day > desk.today {  // a projection, not a record: said, as the workstation's title says it
            TerminalOutput.warn("ardesk: note: \(day.iso) is after today (\(desk.today.iso)): figures as if nothing more is recorded until then (a promise not paid by its day reads broken)")
        }
        return (desk, day)
    }

    func emit(_ table: ReportTable, json: () -> String) {
        switch format {
        // A table is for a person (see `TerminalOutput`); CSV and JSON are data (JSON escapes controls).
        case .table: TerminalOutput.print(table.text(width: DisplayWidth.of), terminator: "")
        case .csv: print(table.csv, terminator: "")
        case .json: print(json())
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports: aging, KPIs, provision, collectors, risk signals.",
        subcommands: [Aging.self, KPIReport.self, ProvisionReport.self, CollectorsReport.self, RiskReport.self])

    struct Aging: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Aging of open items, with a not-due column; buckets add up to the total.")
        @OptionGroup var view: ViewOptions
        @Option(help: "Group by: customer") var by: String?
        @Option(help: "due (days past due) or issue (days since issue)") var basis: String = "due"

        func run() throws {
            guard by == nil || by == "customer" else { throw CLIError("--by can only be customer") }
            guard let basis = AgingBasis(rawValue: basis) else { throw CLIError("--basis must be due or issue") }
            let (desk, day) = try view.open()
            let output = AgingOutput(report: AgingReport(book: desk.book, policy: desk.policy, asOf: day, basis: basis), book: desk.book)
            view.emit(output.table(byCustomer: by != nil)) { output.json(byCustomer: by != nil) }
        }
    }
}

struct KPIReport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kpi", abstract: "DSO (count-back and simple), best possible DSO, ADD, CEI, % current, overdue rate, promises kept, with a 12-month trend.")
    @OptionGroup var view: ViewOptions
    func run() throws {
        let (desk, day) = try view.open()
        let trend = PortfolioKPIs.trend(book: desk.book, policy: desk.policy, asOf: day)  // ends with the day's own figures
        // The PTP kept rate over the promises judged in the last 90 days, as the dashboard gives it.
        let kept = Promises.keptRate(Promises.judgeAll(in: desk.book, asOf: day), judgedWithin: 90, asOf: day)
        let table = PortfolioOutput.kpi(trend.last!, trend: trend, keptRate: kept, currency: desk.book.currency)
        view.emit(table) { PortfolioOutput.json(table, asOf: day, currency: desk.book.currency) }
    }
}

struct ProvisionReport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "provision", abstract: "Bad-debt provision by the collections and the accounting (1/2/3-year) matrices.")
    @OptionGroup var view: ViewOptions
    func run() throws {
        let (desk, day) = try view.open()
        let table = PortfolioOutput.provision(
            collections: .collections(AgingReport(book: desk.book, policy: desk.policy, asOf: day), policy: desk.policy),
            accounting: .accounting(AgingReport(book: desk.book, policy: desk.policy, asOf: day, basis: .issue), policy: desk.policy),
            currency: desk.book.currency, asOf: day)
        view.emit(table) { PortfolioOutput.json(table, asOf: day, currency: desk.book.currency) }
    }
}

struct CollectorsReport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "collectors", abstract: "Per collector: contacts, items worked against queued, promises taken and kept, cash collected.")
    @OptionGroup var view: ViewOptions
    @Option(parsing: .unconditional, help: "First day of the period (default: the 30 days ending on --as-of).") var from: DayArgument?
    func run() throws {
        let (desk, day) = try view.open()
        let start = try from?.resolve(field: "--from", today: desk.today, looking: .behind) ?? day.adding(days: -29)
        guard start <= day else { throw CLIError("--from \(start) is after the period's end (\(day))") }
        // The queue on the period's last day, for worked against queued.
        let figures = CollectorFigures.compute(book: desk.book, from: start, to: day, policy: desk.policy, queueDay: day)
        let table = PortfolioOutput.collectors(figures, from: start, to: day,
                                               currency: desk.book.currency)
        view.emit(table) { PortfolioOutput.json(table, asOf: day, currency: desk.book.currency) }
    }
}

struct RiskReport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "risk", abstract: "Risk signals: slowing payment, broken promises, rising utilisation, new disputes, refused contact, payments reversed.")
    @OptionGroup var view: ViewOptions
    func run() throws {
        let (desk, day) = try view.open()
        let table = PortfolioOutput.risk(book: desk.book, asOf: day, policy: desk.policy)
        view.emit(table) { PortfolioOutput.json(table, asOf: day, currency: desk.book.currency) }
    }
}

struct Ledger: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A customer's open items, payments and activity.")
    @OptionGroup var view: ViewOptions
    @Argument var customer: String

    func run() throws {
        let (desk, day) = try view.open()
        // A look back at a day before the customer was in the book (added later, with nothing
        // dated earlier) says so, as the other views leave it out, rather than show it at 0.
        if let added = desk.book.dayAdded(customer), !desk.book.hasCustomer(customer, on: day) {
            throw CLIError("\(customer) was added to the book on \(added), after \(day)", zh: "\(customer) 于 \(added) 加入账簿，晚于 \(day)")
        }
        let ledger = try LedgerOutput(book: desk.book, customer: customer, asOf: day, levels: desk.policy.dunningLevels)
        view.emit(ledger.table) { ledger.json }
    }
}

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Today's call queue, each item with the rule points that put it there.")
    @OptionGroup var view: ViewOptions
    @Option(help: "Only this collector's customers (none: the customers of no collector).") var collector: String?
    @Option(help: "Compute under a candidate policy file instead of the book's (see what a rule change would do).") var policy: String?

    func run() throws {
        let (desk, day) = try view.open()
        let effective = try policy.map { try PolicyFile.load(path: $0, currency: desk.book.currency) } ?? desk.policy
        let viewer = desk.role == .collector ? desk.user : nil
        // A collector named as roles.toml's [names] names them (李娜 for li.na), as :collector takes it.
        let knownLogins = Set(desk.book.customerOrder.compactMap { desk.book.customers[$0]?.collector })
        let collector = collector.map { knownLogins.contains($0) || $0 == "none" ? $0 : desk.roles?.login(named: $0) ?? $0 }
        // A collector's queue is their own and the unassigned customers', whatever is asked for.
        if let viewer, let collector, collector != viewer, collector != "none" {
            throw CLIError("a collector's queue holds their own customers and those of no collector; \(collector)'s is theirs to see (or a manager's)")
        }
        let wanted = collector == "none" ? "" : collector  // "": the customers of no collector (see `Worklist.build`)
        if let wanted, !wanted.isEmpty, !desk.book.customerOrder.contains(where: { desk.book.customers[$0]?.collector == wanted }) {
            let names = Set(desk.book.customerOrder.compactMap { desk.book.customers[$0]?.collector }).sorted()
            throw CLIError("no customer is assigned to \"\(wanted)\"" + (names.isEmpty ? "" : " (collectors: \(names.joined(separator: ", ")))"))
        }
        let items = Worklist.build(book: desk.book, policy: effective, asOf: day, viewer: viewer, collector: wanted)
        let output = QueueOutput(items: items, book: desk.book, asOf: day)
        view.emit(output.table) { output.json }
    }
}
