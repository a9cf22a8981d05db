import ArgumentParser
import Core
import Desk

struct ApplyCreditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply-credit",
        abstract: "Set a customer's credit (unapplied cash, a credit note against no invoice) against its open invoices (manager).",
        discussion: "Without --payment or --credit-note the oldest credit goes first; without --invoice, oldest due first; "
            + "without --amount, all that the credit and the open invoices allow. From its date the invoices are settled by it "
            + "and the credit is that much less; a view of an earlier day is as it was.")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option(help: "Apply the credit this payment left.") var payment: String?
    @Option(help: "Apply this credit note (one against no invoice).") var creditNote: String?
    @Option(help: "Settle this invoice only.") var invoice: String?
    @Option(help: "How much (default: all the credit and the open invoices allow).") var amount: String?
    @Option(parsing: .unconditional, help: "The day it is applied (default: today).") var date: DayArgument?

    func run() throws {
        let desk = try options.openDesk()
        if payment != nil && creditNote != nil { throw CLIError("name one credit: --payment or --credit-note, not both") }
        let source: CreditApplication.Source? = payment.trimmedNumber.map { .payment($0) }
            ?? creditNote.trimmedNumber.map { .creditNote($0) }
        let money = try amount.map { try desk.book.currency.parseArgument($0, field: "--amount") }
        let day = try date?.resolve(field: "--date", today: desk.today, looking: .behind) ?? desk.today
        let written = try desk.perform(.applyCredit(customer, from: source, invoice: invoice, amount: money, on: day))
        report(written.first)
        let format = { (m: Money) in desk.book.currency.format(m, grouping: ",") }
        for record in written {
            guard case .creditApplied(let application)? = try? EventCodec.decode(record).0 else { continue }
            print("Applied \(format(application.amount)) of the credit of \(application.source.number) on \(application.day): "
                  + listed(application.allocations, in: desk) + ".")
        }
        let left = desk.book.creditsToApply(of: customer, on: desk.today).reduce(Money.zero) { $0 + $1.left }
        print("\(customer) has \(format(left)) of credit left.")
    }
}

struct UnapplyCreditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unapply-credit",
        abstract: "Take back credit applied to invoices (manager), as `ardesk ledger CUSTOMER` lists it: from its date the invoices are owed again and the credit is free again.")
    @OptionGroup var options: BookOptions
    @Argument(help: "The credit application's id (CA…).") var id: String
    @Option(help: "Why: the wrong invoice, the wrong amount, ...") var reason: String
    @Option(parsing: .unconditional, help: "The day it is taken back (default: today).") var date: DayArgument?

    func run() throws {
        let desk = try options.openDesk()
        let day = try date?.resolve(field: "--date", today: desk.today, looking: .behind) ?? desk.today
        let id = desk.spelledCreditApplication(self.id)  // ca5 is CA5
        let written = try desk.perform(.withdrawCredit(id: id, on: day, reason: reason))
        report(written.first)
        guard let application = desk.book.creditApplications[id.trimmingCharacters(in: .whitespaces)] else { return }
        reportOwedAgain(application.allocations, of: application.customer, from: day,
                        also: "; the credit of \(application.source.number) is free again", in: desk)
        reportMoved(written, in: desk, how: "allocated by the rule")
    }
}
