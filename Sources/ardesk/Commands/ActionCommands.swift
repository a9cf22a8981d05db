import ArgumentParser
import Core
import Desk
import Foundation
import Journal

/// Writes for scripts and phone systems: each one event, durable before "Saved" is printed.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a note to a customer.")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Argument var text: String

    func run() throws {
        let desk = try options.openDesk()
        report(try desk.perform(.note(customer, text)).first)
    }
}

struct CallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "call", abstract: "Log a call's outcome.")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option(help: "reached, no-answer, left-message, wrong-number, refused or disputed") var outcome: String
    @Option var note = ""
    @Option(help: "Call back on this day.") var callback: DayArgument?

    func run() throws {
        guard let outcome = CallOutcome(rawValue: outcome) else {
            throw CLIError("--outcome \"\(self.outcome)\" must be one of \(CallOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let desk = try options.openDesk()
        let day = try callback?.resolve(field: "--callback", today: desk.today)
        report(try desk.perform(.logCall(customer, outcome, note: note, callback: day)).first)
    }
}

struct PromiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "promise", abstract: "Record a promise to pay.")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option(help: "Amount promised (default: the amount past due).") var amount: String?
    @Option(help: "The day the customer promised to pay.") var date: DayArgument

    func run() throws {
        let desk = try options.openDesk()
        let money = try amount.map { try desk.book.currency.parseArgument($0, field: "--amount") }
        report(try desk.perform(.promise(customer, amount: money, due: try date.resolve(field: "--date", today: desk.today))).first)
    }
}

struct PayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay", abstract: "Record a payment received: oldest due first, then open fees and interest (unless --invoice).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option var amount: String
    @Option(help: "The day the money arrived.") var date: DayArgument
    @Option(help: "Apply to this invoice first.") var invoice: String?
    @Option(help: "Bank reference (default: generated).") var reference: String?
    @Option var method = "bank"

    func run() throws {
        let desk = try options.openDesk()
        let money = try desk.book.currency.parseArgument(amount, field: "--amount")
        let written = try desk.perform(.pay(customer, amount: money, on: try date.resolve(field: "--date", today: desk.today),
                                            invoice: invoice, reference: reference, method: method))
        report(written.first)
        if let record = written.first, case .paymentReceived(let payment)? = try? EventCodec.decode(type: record.type, version: record.version, data: record.data, author: record.author).0, !payment.charges.isEmpty {
            print("Of it, \(desk.book.currency.format(payment.chargesPaid, grouping: ",")) paid fees and interest: "
                  + payment.charges.map(\.charge).joined(separator: ", ") + ".")
        }
    }
}

func report(_ record: JournalRecord?) {
    guard let record else { return }
    print("Saved as record \(record.sequence) (\(record.type)).")
}
