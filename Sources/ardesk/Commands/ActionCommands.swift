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
    @Option(parsing: .unconditional, help: "Call back on this day.") var callback: DayArgument?

    func run() throws {
        let offered = CallOutcome.loggable
        guard let outcome = CallOutcome(rawValue: outcome), offered.contains(outcome) else {
            let promise = self.outcome == CallOutcome.promised.rawValue ? " (record a promise with `ardesk promise`)" : ""
            throw CLIError("--outcome \"\(self.outcome)\" must be one of \(offered.map(\.rawValue).joined(separator: ", "))\(promise)")
        }
        let desk = try options.openDesk()
        let day = try callback?.resolve(field: "--callback", today: desk.today, looking: .ahead)
        report(try desk.perform(.logCall(customer, outcome, note: note, callback: day)).first)
    }
}

struct PromiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "promise", abstract: "Record a promise to pay.")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option(help: "Amount promised (default: the amount past due and not disputed).") var amount: String?
    @Option(parsing: .unconditional, help: "The day the customer promised to pay by.") var date: DayArgument
    @Flag(help: "Record it even when a promise of the same amount and day was taken today already.") var also = false

    func run() throws {
        let desk = try options.openDesk()
        let money = try amount.map { try desk.book.currency.parseArgument($0, field: "--amount") }
        let due = try date.resolve(field: "--date", today: desk.today, looking: .ahead)
        // Promises of one day are a schedule and add up, so a command run again (a retry, a
        // script started twice) would double what the customer owes by then: the same promise
        // again is refused unless asked for, and one that adds to today's says so.
        // Checked under the log's lock: two copies of a script started together cannot both pass.
        let (customer, also, today) = (customer, also, desk.today)
        var sameDay: [(promise: Promise, left: Money)] = []
        var replaced: [Promise] = []
        let format = { (m: Money) in desk.book.currency.format(m, grouping: ",") }
        report(try desk.perform(.promise(customer, amount: money, due: due)) { book in
            (replaced, sameDay) = Promises.standing(customer, in: book, on: today)
            if !also, let money, let twin = sameDay.first(where: { $0.promise.amount == money && $0.promise.due == due }) {
                throw CLIError("\(customer) promised \(format(money)) by \(due) earlier today already (\(twin.promise.id), by \(twin.promise.takenBy)); nothing saved (--also records a second one)",
                               zh: "\(customer) 今天已承诺于 \(due) 前支付 \(format(money))（\(twin.promise.id)，\(twin.promise.takenBy) 登记）；未保存（如确需再登记一笔，请加 --also）")
            }
        }.first)
        // What was saved (a default amount, a day given in words) and what it replaced: a plan
        // or an open promise of an earlier day is renegotiated, neither kept nor broken.
        if let saved = desk.book.promises(of: customer).last {
            print("Promised \(format(saved.amount)) by \(saved.due) (\(saved.id)).")
        }
        if !replaced.isEmpty {
            let plans = Set(replaced.compactMap(\.plan)).sorted()
            let promises = replaced.filter { $0.plan == nil }.map { "\($0.id) \(format($0.amount)) by \($0.due)" }
            print("Replaces " + (promises.isEmpty ? "" : "the open promise\(promises.count == 1 ? "" : "s") " + promises.joined(separator: ", "))
                  + (plans.isEmpty ? "" : (promises.isEmpty ? "" : " and ") + "plan \(plans.joined(separator: ", "))")
                  + ": renegotiated, neither kept nor broken.")
        }
        if !sameDay.isEmpty {
            let earlier = sameDay.map { "\(format($0.promise.amount)) by \($0.promise.due)" }.joined(separator: ", ")
            print("Adds to today's promise\(sameDay.count == 1 ? "" : "s") of \(earlier): they stand side by side, a schedule.")
        }
    }
}

struct ContactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact", abstract: "Change a customer's contact person: what is given replaces it, the rest stays.")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option var name: String?
    @Option var phone: String?
    @Option var email: String?

    func run() throws {
        guard name != nil || phone != nil || email != nil else { throw CLIError("give --name, --phone or --email") }
        let desk = try options.openDesk()
        let contacts = desk.book.customers[customer]?.contacts ?? []
        var person = contacts.first ?? ContactPerson()
        if let name { person.name = name }
        if let phone { person.phone = phone }
        if let email { person.email = email }
        report(try desk.perform(.changeProfile(customer, .contacts([person] + contacts.dropFirst()), reason: "")).first)
    }
}

struct DisputeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute", abstract: "Record that a customer disputes invoices (one dispute per invoice; ardesk ledger lists them).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Argument(help: "The invoices disputed.") var invoices: [String]
    @Option(help: "What the customer says is wrong.") var reason: String
    @Option(help: "The part of one invoice disputed (default: all of each that is open).") var amount: String?

    func run() throws {
        let desk = try options.openDesk()
        let part = try amount.map { try desk.book.currency.parseArgument($0, field: "--amount") }
        // An invoice typed in lower case is found as it is written (as :goto finds it).
        let numbers = invoices.map { number in desk.book.invoices[number] == nil && desk.book.invoices[number.uppercased()] != nil ? number.uppercased() : number }
        let written = try desk.perform(.dispute(customer, invoices: numbers, amount: part, reason: reason))
        for record in written { report(record) }
    }
}

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve a dispute, named by its id or by its invoice.")
    @OptionGroup var options: BookOptions
    @Argument(help: "The dispute's id (D-...), or the invoice it is about when only one dispute on it is open.") var dispute: String
    @Option(help: "How it was settled (what was agreed, a credit note issued).") var note: String

    func run() throws {
        let desk = try options.openDesk()
        report(try desk.perform(.resolveDispute(id: try Self.disputeID(dispute, in: desk), note: note)).first)
    }

    /// `name` as a dispute's id (in any case: d12-1 is D12-1), or the one open dispute on the
    /// invoice `name`.
    static func disputeID(_ typed: String, in desk: Desk) throws -> String {
        let book = desk.book
        let spelled = desk.spelledDispute(typed)
        if book.disputes[spelled] != nil { return spelled }
        let name = book.invoices[typed] == nil && book.invoices[typed.uppercased()] != nil ? typed.uppercased() : typed
        let onInvoice = book.disputes(onInvoice: name)
        let open = onInvoice.filter { $0.status == .open }
        guard open.count <= 1 else {
            throw CLIError("invoice \(name) has \(open.count) open disputes (\(open.map(\.id).joined(separator: ", "))): name the one to resolve")
        }
        if let only = open.first { return only.id }
        guard onInvoice.isEmpty else {
            // One undone never was: said so, not "resolved" on the day of its undoing.
            let undone = book.undoneDisputes(of: onInvoice[0].customer)
            let ended = onInvoice.map { undone.contains($0.id) ? "\($0.id) undone" : "\($0.id) resolved \($0.resolved?.iso ?? "")" }
            throw CLIError("invoice \(name) has no open dispute (\(ended.joined(separator: ", ")))")
        }
        throw CLIError("there is no dispute \(name), nor an invoice \(name) with a dispute (ardesk ledger CUSTOMER shows them)")
    }
}

struct PayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay", abstract: "Record a payment received: oldest due first, then open fees and interest (unless --invoice).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option var amount: String
    @Option(parsing: .unconditional, help: "The day the money arrived.") var date: DayArgument
    @Option(help: "Apply it to this invoice only (a remittance naming it); what it leaves stays a credit.") var invoice: String?
    @Option(help: "Bank reference (default: generated).") var reference: String?
    @Option var method = "bank"
    @Flag(help: "Record it though it is more than it can pay (a prepayment): the rest stays a credit on the customer.")
    var credit = false
    @Flag(help: "Record it though a payment of the same amount and day from this customer is recorded already (a second one, not the same one again).")
    var again = false

    func run() throws {
        let desk = try options.openDesk()
        let money = try desk.book.currency.parseArgument(amount, field: "--amount")
        let day = try date.resolve(field: "--date", today: desk.today, looking: .behind)
        let command = Command.pay(customer, amount: money, on: day, invoice: invoice, reference: reference, method: method)
        let format = { (m: Money) in desk.book.currency.format(m, grouping: ",") }
        // Without its bank reference, the same payment entered twice (a command run again) would
        // be two payments: asked for by name, as the same promise twice is.
        let typedReference = reference.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let customer = self.customer, again = self.again
        // Asked of the book as read, and again of it as it stands in the log under the write lock:
        // the same command run twice at once (a retried script) must not post the cash twice.
        let sameRecorded = { (book: Book) in
            if typedReference == nil, !again, let same = book.payments(of: customer.trimmingCharacters(in: .whitespaces)).last(where: {
                $0.day == day && $0.amount == money && book.reversals[$0.reference] == nil
            }) {
                throw CLIError("\(customer) has a payment of \(format(money)) dated \(day) recorded already (\(same.reference)); nothing was saved. "
                               + "If this is another one, give its bank reference with --reference, or add --again")
            }
        }
        try sameRecorded(desk.book)
        // A payment beyond what it can pay is a prepayment or a slip (a digit too many, the wrong
        // invoice): asked for by name, since a payment once recorded is taken back only by a reversal.
        guard !credit, let parts = desk.creditsLeft(by: command) else { return try save(command, in: desk, format: format, checking: sameRecorded) }
        // Payments dated after it take again after it, as if recorded in date order: what they
        // would then find no invoice for is a credit too.
        let later = parts.later.isEmpty ? "" : "payments dated after \(day), allocated again after it as if recorded in date order, would be left with more credit on \(customer) ("
            + parts.later.map { "\($0.payment) \(format($0.credit))" }.joined(separator: ", ") + ")"
        if !parts.own.isPositive, !later.isEmpty {
            throw CLIError("\(customer) paid more than it owes with this payment: \(later); check the amount and the day, or add --credit if the customer did pay ahead")
        }
        if parts.own.isPositive {
            let left = parts.own
            let paid = invoice.map { "invoice \($0) has open" } ?? "\(customer) owes"
            // An invoice owed again only since a later reversal is not open on the payment's day.
            let reopened = invoice == nil ? AllocationPlan.owedAgainLater(of: customer, in: desk.book, on: day) : []
            var why = reopened.map { "; " + AllocationPlan.owedAgainText(invoice: $0.invoice, from: $0.from) }
            // What to do, once: the credit is set against them from the (latest) day they are owed again.
            if let from = reopened.map(\.from).max() {
                why.append(": record this with --credit and set the credit against \(reopened.count == 1 ? "it" : "them") from that day (ardesk apply-credit --date \(from))")
            }
            // Dated back: what was owed that day may have been paid since, and is not paid twice.
            let owedThen = Position(customer, in: desk.book, asOf: day).balance, payable = money - left
            if invoice == nil, reopened.isEmpty, owedThen > payable {
                why.append("; of the \(format(owedThen)) \(customer) owed on \(day), later payments, credit notes or write-offs have settled all but \(format(payable)), and an invoice is not paid twice")
            }
            if !later.isEmpty { why.append("; and " + later) }
            throw CLIError("\(format(money)) is more than \(paid) on \(day): \(format(left)) would stay a credit on \(customer)\(why.joined()); check the amount and invoice, or add --credit for a prepayment")
        }
        try save(command, in: desk, format: format, checking: sameRecorded)
    }

    /// Records the payment and says what it did: moved payments, fees paid, a credit left.
    private func save(_ command: Command, in desk: Desk, format: (Money) -> String, checking: @escaping (Book) throws -> Void) throws {
        let written = try desk.perform(command, checking: checking)
        let events = written.map { record in (record, try? EventCodec.decode(record).0) }
        guard let (record, payment) = events.lazy.compactMap({ record, event -> (JournalRecord, Payment)? in
            if case .paymentReceived(let payment)? = event { (record, payment) } else { nil }
        }).first else { return report(written.first) }
        report(record)
        print("Payment \(payment.reference): \(format(payment.amount)) from \(payment.customer) on \(payment.day).")
        // Dated before payments recorded earlier that the rule allocated: they take what it leaves.
        reportMoved(written, in: desk, how: "dated after it and recorded before")
        if !payment.charges.isEmpty {
            print("Of it, \(format(payment.chargesPaid)) paid fees and interest: " + payment.charges.map(\.charge).joined(separator: ", ") + ".")
        }
        // Right for a prepayment, a slip for a mistyped amount or invoice: said, either way.
        if payment.unapplied.isPositive {
            let took = format(payment.amount - payment.unapplied)
            let settled = invoice.map { "invoice \($0) took \(took)" } ?? "the open invoices, fees and interest took \(took)"
            TerminalOutput.warn("ardesk: note: \(format(payment.unapplied)) of this payment stays a credit on \(customer) (\(settled))")
        }
    }
}

func report(_ record: JournalRecord?) {
    guard let record else { return }
    print("Saved as record \(record.sequence) (\(record.type)).")
}

/// Invoice by invoice, as the command line says where money went: "I1 100.00, I2 50.00".
func listed(_ allocations: [Allocation], in desk: Desk) -> String {
    allocations.map { "\($0.invoice) \(desk.book.currency.format($0.amount, grouping: ","))" }.joined(separator: ", ")
}

/// What a write-off or credit applied, taken back from `day`, makes owed again (`also`: what
/// follows it in the sentence).
func reportOwedAgain(_ allocations: [Allocation], of customer: CustomerID, from day: Day, also: String = "", in desk: Desk) {
    print("Owed again by \(customer) from \(day): " + listed(allocations, in: desk) + also + ".")
}

/// Says where each write-off among `written` went, invoice by invoice (`ardesk reinstate` takes one back).
func reportWrittenOff(_ written: [JournalRecord], in desk: Desk) {
    let format = { (m: Money) in desk.book.currency.format(m, grouping: ",") }
    for record in written {
        guard case .writtenOff(let writeOff)? = try? EventCodec.decode(record).0 else { continue }
        let total = writeOff.allocations.reduce(Money.zero) { $0 + $1.amount }
        print("Wrote off \(format(total)) of \(writeOff.customer): " + listed(writeOff.allocations, in: desk) + ".")
    }
}

/// Says what each payment the rule had allocated, and that an action allocated again as in date
/// order (`how` it relates to the action), now pays, and the credit it leaves.
func reportMoved(_ written: [JournalRecord], in desk: Desk, how: String) {
    let format = { (m: Money) in desk.book.currency.format(m, grouping: ",") }
    for (reference, customer) in desk.paymentsMoved(by: written) {
        guard let now = desk.book.payments[reference] else { continue }
        let parts = now.partsPaid(format)
        print("Payment \(reference), \(how), now pays " + (parts.isEmpty ? "nothing" : parts.joined(separator: ", "))
              + (now.unapplied.isPositive ? "; \(format(now.unapplied)) of it stays a credit on \(customer)" : "") + ".")
    }
}
