import ArgumentParser
import Core
import Desk

struct ReversePaymentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse-payment",
        abstract: "Take back a payment returned unpaid (a bounced cheque) or entered in error (manager): what it settled is owed again.")
    @OptionGroup var options: BookOptions
    @Argument(help: "The payment's reference, as `ardesk ledger CUSTOMER` lists it.") var reference: String
    @Option(help: "Why: returned unpaid, recalled, ... (a payment entered in error: add --entered-in-error too).") var reason: String
    @Option(parsing: .unconditional, help: "The day it came back (default: today).") var date: DayArgument?
    @Flag(help: "It was recorded by mistake, to be entered again right: the customer is not flagged as a risk nor queued for a call.")
    var enteredInError = false

    func run() throws {
        let desk = try options.openDesk()
        let day = try date?.resolve(field: "--date", today: desk.today, looking: .behind) ?? desk.today
        let reference = desk.spelledPayment(Optional(self.reference).trimmedNumber ?? self.reference)  // as the command reads it
        let written = try desk.perform(.reversePayment(reference: reference, on: day, reason: reason,
                                                       cause: enteredInError ? .enteredInError : .returned))
        report(written.first)
        guard let payment = desk.book.payments[reference] else { return }
        let format = { (m: Money) in desk.book.currency.format(m, grouping: ",") }
        // What its credit settled once applied is owed again too; what is left of it was a credit.
        let applied = desk.book.standingApplications(of: .payment(reference))  // as the reversal took them back
        let creditLeft = payment.unapplied - applied.reduce(Money.zero) { $0 + $1.amount }
        let parts = payment.partsPaid(format)
            + applied.flatMap { application in application.allocations.map { "\($0.invoice) \(format($0.amount)) (credit applied, \(application.id))" } }
            + (creditLeft.isPositive ? ["credit \(format(creditLeft))"] : [])
        print("Owed again by \(payment.customer) from \(day): " + parts.joined(separator: ", ") + ".")
        // Payments the rule allocated after it take again what it held, as in date order.
        reportMoved(written, in: desk, how: "allocated after it")
    }
}
