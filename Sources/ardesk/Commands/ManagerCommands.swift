import ArgumentParser
import Core
import Desk
import Foundation
import Journal

/// The credit manager's changes. Collectors are refused by Desk (roles.toml) and told to file a
/// request instead; every change records who, when and why.
struct LimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "limit", abstract: "Change a customer's credit limit (manager); 0 removes it.")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Argument var amount: String
    @Option var reason: String

    func run() throws {
        let desk = try options.openDesk()
        let money = try desk.book.currency.parseArgument(amount, field: "AMOUNT")
        report(try desk.perform(.changeProfile(customer, .creditLimit(money), reason: reason)).first)
        if money == .zero {  // zero is no limit at all, not "no credit"
            print("\(customer) now has no credit limit; to stop selling to it on credit, place a hold: ardesk hold \(customer) --reason …")
        }
    }
}

struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hold", abstract: "Place a credit hold (manager).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option var reason: String
    func run() throws { report(try options.openDesk().perform(.changeProfile(customer, .hold, reason: reason)).first) }
}

struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Release a credit hold (manager).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option var reason: String
    func run() throws { report(try options.openDesk().perform(.changeProfile(customer, .release, reason: reason)).first) }
}

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign customers to a collector (manager); `none` unassigns.")
    @OptionGroup var options: BookOptions
    @Argument(help: "One or more customers, then the collector (with --from: the collector alone).") var arguments: [String]
    @Option(help: "Every customer of this collector (one who left, say), instead of naming them.") var from: String?
    @Option var reason = ""

    func run() throws {
        let desk = try options.openDesk()
        var arguments = self.arguments
        if let from {
            guard arguments.count == 1 else { throw CLIError("with --from, name only the collector to assign them to") }
            let previous = from == "none" ? nil : desk.roles?.login(named: from) ?? from  // 张伟 is zhang.wei
            let book = desk.book  // once: each `desk.book` is a copy
            let theirs = book.customerOrder.filter { book.customers[$0].map { $0.collector == previous && $0.status != .closed } ?? false }
            guard !theirs.isEmpty else { throw CLIError("\(from) has no customers (open ones) in this book") }
            arguments = theirs + arguments
        }
        guard arguments.count >= 2 else { throw CLIError("name one or more customers and then the collector (or --from COLLECTOR and the collector)") }
        let collector = arguments.last!
        // Without roles.toml any name is taken: a name no customer had before may be a slip.
        let known = desk.roles != nil || collector == "none"
            || desk.book.customerOrder.contains { desk.book.customers[$0]?.collector == collector }
        let target: String? = collector == "none" ? nil : collector
        let already = arguments.dropLast().filter { desk.book.customers[$0] != nil && desk.book.customers[$0]?.collector == target }
        let records = try desk.perform(.assign(Array(arguments.dropLast()), collector: target, reason: reason))
        print(records.count == 1 ? "Saved 1 assignment (record \(records[0].sequence))."
                                 : "Saved \(records.count) assignments (records \(records.first!.sequence)–\(records.last!.sequence)).")
        if !already.isEmpty { print("Left as they were, already with \(collector): \(already.joined(separator: ", ")).") }
        if !known { print("Note: \(collector) had no customer before; if that is a slip, assign them again to the right name.") }
    }
}

struct TermsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "terms", abstract: "Set payment terms in days (manager).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Argument var days: Int
    @Option var reason = ""
    func run() throws {
        guard (0...3650).contains(days) else { throw CLIError("DAYS must be between 0 and 3650") }
        report(try options.openDesk().perform(.changeProfile(customer, .terms(days), reason: reason)).first)
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Move a customer to active, legal, agency or closed (manager).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Argument(help: "active, legal, agency or closed") var status: String
    @Option var reason: String
    func run() throws {
        guard let value = CustomerStatus(rawValue: status), value != .onHold else {
            throw CLIError("STATUS must be active, legal, agency or closed (use hold/release for credit holds)")
        }
        // A hold is lifted with `release` (which says so); another status replaces it, said too.
        // Checked against the log as it stands, as the change is.
        let customer = customer
        var wasOnHold = false
        report(try options.openDesk().perform(.changeProfile(customer, .status(value), reason: reason)) { book in
            wasOnHold = book.customers[customer]?.status == .onHold
            if wasOnHold && value == .active {
                throw CLIError("\(customer) is on hold: `ardesk release \(customer) --reason …` lifts a credit hold", zh: "\(customer) 已被冻结：请用 ardesk release 解除信用冻结")
            }
        }.first)
        if wasOnHold { print("\(customer) was on hold: \(value.rawValue) replaces the credit hold.") }
    }
}

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "Set the next credit review date (manager).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Argument var date: DayArgument
    func run() throws {
        let desk = try options.openDesk()
        report(try desk.perform(.changeProfile(customer, .nextReview(try date.resolve(field: "DATE", today: desk.today, looking: .ahead)), reason: "")).first)
    }
}

struct WriteOffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "writeoff", abstract: "Write off part or all of a balance (manager).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option var amount: String
    @Option var reason: String
    @Option(help: "Write off from this invoice (default: oldest past due first, disputed and not yet due last).") var invoice: String?
    func run() throws {
        let desk = try options.openDesk()
        let money = try desk.book.currency.parseArgument(amount, field: "--amount")
        let written = try desk.perform(.writeOff(customer, amount: money, invoice: invoice, reason: reason))
        report(written.first)
        reportWrittenOff(written, in: desk)
    }
}

struct ReinstateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reinstate",
        abstract: "Take back a write-off (manager), as `ardesk ledger CUSTOMER` lists it: written off by mistake, or the customer paid after all. From its date the invoices are owed again.")
    @OptionGroup var options: BookOptions
    @Argument(help: "The write-off's id (WO…).") var id: String
    @Option(help: "Why: written off by mistake, the customer paid, ...") var reason: String
    @Option(parsing: .unconditional, help: "The day it is reinstated (default: today; a payment dated on or after it pays what it reopens).") var date: DayArgument?

    func run() throws {
        let desk = try options.openDesk()
        let day = try date?.resolve(field: "--date", today: desk.today, looking: .behind) ?? desk.today
        let written = try desk.perform(.reinstateWriteOff(id: id, on: day, reason: reason))
        report(written.first)
        // The id as the record has it (typed with spaces round it, or in another case, it was found).
        guard let first = written.first, case .writeOffReinstated(let saved, _, _, _)? = try? EventCodec.decode(first).0,
              let writeOff = desk.book.writeOffs[saved] else { return }
        reportOwedAgain(writeOff.allocations, of: writeOff.customer, from: day, in: desk)
        reportMoved(written, in: desk, how: "allocated by the rule")
        // Closed, the customer is left out of the queue and dunning: what is owed again would wait unseen.
        if let status = desk.book.customers[writeOff.customer]?.status, status == .closed {
            TerminalOutput.warn("ardesk: note: \(writeOff.customer) is \(status.rawValue): the queue and dunning leave it out; ardesk status \(writeOff.customer) active to collect what is owed again")
        }
        // A payment dated before the reinstatement stays a credit: said, with how to use it.
        let credit = Position(writeOff.customer, in: desk.book, asOf: desk.today).credit
        if credit.isPositive {
            print("\(writeOff.customer) has \(desk.book.currency.format(credit, grouping: ",")) of credit; ardesk apply-credit \(writeOff.customer) sets it against what is owed.")
        }
    }
}

struct CreditNoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creditnote", abstract: "Issue a credit note against an invoice, or unapplied as a credit on the customer (manager).")
    @OptionGroup var options: BookOptions
    @Argument var customer: String
    @Option var amount: String
    @Option(parsing: .unconditional, help: "The credit note's date (default: today).") var date: DayArgument?
    @Option(help: "The invoice it reduces (default: none, a credit on the customer).") var invoice: String?
    @Option(help: "Its number (default: generated).") var number: String?
    @Option var reason: String
    @Flag(help: "Without --invoice, allow it past what the customer owes: the rest stays a credit on the customer (a rebate to one who owes nothing).")
    var credit = false
    func run() throws {
        if credit, invoice != nil {  // said, not ignored
            throw CLIError("--credit is for a credit note on account (without --invoice); one against an invoice reduces that invoice")
        }
        let desk = try options.openDesk()
        let money = try desk.book.currency.parseArgument(amount, field: "--amount")
        let day = try date?.resolve(field: "--date", today: desk.today, looking: .behind) ?? desk.today
        let written = try desk.perform(.creditNote(customer, number: number, amount: money, on: day, invoice: invoice, reason: reason, beyondOwed: credit))
        // Its number, generated or given: what `apply-credit --credit-note` and a statement name it by.
        for record in written {
            guard case .creditNoteIssued(let note)? = try? EventCodec.decode(record).0 else { continue }
            print("Credit note \(note.number) of \(desk.book.currency.format(note.amount, grouping: ",")) for \(note.customer)" + (note.invoice.map { ", against \($0)" } ?? ", on account"))
        }
        report(written.last)
        // Payments dated after it that the rule had allocated to its invoice, allocated again after it.
        reportMoved(written, in: desk, how: "dated after it")
    }
}

struct WaiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waive", abstract: "Waive what is still open of a fee or interest charge (manager); `ardesk ledger CUSTOMER` lists them.")
    @OptionGroup var options: BookOptions
    @Argument(help: "The charge's id, as the ledger lists it.") var charge: String
    @Option var reason: String
    func run() throws { report(try options.openDesk().perform(.waiveCharge(id: charge, reason: reason)).first) }
}

struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Ask a manager for a limit change or a write-off (lands in `ardesk approvals`).")
    @OptionGroup var options: BookOptions
    @Argument(help: "limit or writeoff") var kind: String
    @Argument var customer: String
    @Argument var amount: String
    @Option var reason: String
    func run() throws {
        let desk = try options.openDesk()
        let money = try desk.book.currency.parseArgument(amount, field: "AMOUNT")
        let request: RequestKind
        switch kind {
        case "limit": request = .creditLimit(money)
        case "writeoff": request = .writeOff(money)
        default: throw CLIError("request limit or writeoff, not \"\(kind)\"")
        }
        let events = try desk.perform(.request(customer, request, reason: reason)).compactMap { try? EventCodec.decode($0).0 }
        guard case .requestFiled(let filed)? = events.last else { return }
        // A request of your own of the same sort, still waiting, was withdrawn in its favour.
        let replaced = events.compactMap { event -> String? in if case .requestDecided(let id, _, _) = event { id } else { nil } }.first
        print("Request \(filed.id) filed for a manager's approval" + (replaced.map { "; it replaces \($0), withdrawn" } ?? "") + ".")
    }
}

struct ApprovalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approvals", abstract: "Requests waiting for a manager.")
    @OptionGroup var options: BookOptions
    func run() throws {
        let desk = try options.openDesk(readOnly: "approvals list")
        let pending = desk.book.requestOrder.compactMap { desk.book.requests[$0] }.filter { $0.state == .pending }
        guard !pending.isEmpty else { print("No requests waiting."); return }
        let money = { (m: Money) in desk.book.currency.format(m, grouping: ",") }
        for r in pending {
            let what: String
            let now = desk.book.customers[r.customer]
            switch r.kind {
            case .creditLimit(let m) where !m.isPositive: what = "remove the credit limit (no limit; a hold stops credit)"
            case .creditLimit(let m): what = "credit limit \(money(m)) (now \(now.map { $0.creditLimit.isPositive ? money($0.creditLimit) : "none" } ?? "-"))"
            case .writeOff(let m): what = "write off \(desk.book.currency.format(m, grouping: ","))"
            case .creditHold: what = "credit hold"
            case .handOff(let status): what = "hand off to \(status.rawValue)"
            }
            // One's own limit or write-off, where another manager decides it: said, before y is tried.
            let own = r.requestedBy == desk.user && !r.kind.isDunningLevel && desk.otherManager != nil ? " (yours: another manager approves it)" : ""
            TerminalOutput.print("\(r.id)  \(r.day.iso)  \(r.customer)  \(what)  by \(desk.displayName(of: r.requestedBy))\(own): \(r.reason)")
        }
    }
}

struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a request (manager); it takes effect at once.")
    @OptionGroup var options: BookOptions
    @Argument var id: String
    @Option var reason = ""
    func run() throws {
        let desk = try options.openDesk()
        let written = try desk.perform(.decide(requestID: id, approved: true, reason: reason))
        report(written.first)
        // What the approval did, as the workstation says it.
        if let request = desk.book.requests[id] ?? desk.book.requests.values.first(where: { $0.id.caseInsensitiveCompare(id) == .orderedSame }),
           let customer = desk.book.customers[request.customer] {
            switch request.kind {
            case .creditLimit: print("\(customer.id)'s credit limit is now " + (customer.creditLimit.isPositive ? desk.book.currency.format(customer.creditLimit, grouping: ",") : "none") + ".")
            case .creditHold: print("\(customer.id) is on credit hold.")
            case .handOff(let status): print("\(customer.id) is handed to \(status.rawValue).")
            case .writeOff: break
            }
        }
        reportWrittenOff(written, in: desk)  // a write-off request's, where it went
    }
}

struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a request (manager), saying why.")
    @OptionGroup var options: BookOptions
    @Argument var id: String
    @Option var reason: String
    func run() throws { report(try options.openDesk().perform(.decide(requestID: id, approved: false, reason: reason)).first) }
}
