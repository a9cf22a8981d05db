import Core
@testable import Desk
import Foundation
import Testing

@Suite(.serialized) struct DunningRunTests {
    /// Two customers past due, one with a Chinese name, one disputed entirely.
    func book() throws -> TestBook {
        setenv("ARDESK_TEMPLATES", CLIRoot.path + "/templates", 1)
        let book = try TestBook(today: day("2026-03-01"))
        try book.desk.perform(.addCustomers([
            Customer(id: "C1", name: "广州创安食品有限公司", contacts: [ContactPerson(name: "陈静")], collector: "li.na"),
            Customer(id: "C2", name: "Acme Ltd"), Customer(id: "C3", name: "Disputed GmbH"),
        ]))
        try book.desk.perform(.issueInvoices([
            Invoice(number: "I1", customer: "C1", issued: day("2025-12-01"), due: day("2025-12-31"), amount: cny("5,000")),
            Invoice(number: "I2", customer: "C2", issued: day("2026-01-20"), due: day("2026-02-19"), amount: cny("800")),
            Invoice(number: "I3", customer: "C3", issued: day("2025-12-01"), due: day("2025-12-31"), amount: cny("900")),
        ]))
        try book.desk.perform(.dispute("C3", invoices: ["I3"], reason: "damaged"))
        return book
    }

    @Test func aDryRunShowsExactlyWhatARunDoesAndWritesNothing() throws {
        let book = try book()
        let before = book.desk.book.lastSequence
        let dry = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: true)
        #expect(book.desk.book.lastSequence == before)
        #expect(!FileManager.default.fileExists(atPath: book.folder.outboxPath))
        let real = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        #expect(dry.map(\.proposal) == real.map(\.proposal))
        #expect(dry.map(\.action.english) == real.map(\.action.english))
        #expect(real.map(\.proposal.customer) == ["C1", "C2"])  // the disputed customer does not escalate
        #expect(book.desk.book.dunningLevels["C1"]?.level == 1)
        let letter = try String(contentsOfFile: book.folder.path + "/outbox/2026-03-01/C1-letter-1.md", encoding: .utf8)
        #expect(letter.contains("付款提醒函") && letter.contains("陈静") && letter.contains("5,000.00"))
        let english = try String(contentsOfFile: book.folder.path + "/outbox/2026-03-01/C2-letter-1.md", encoding: .utf8)
        #expect(english.contains("Payment reminder") && english.contains("800.00"))
        // The timeline names the level as the policy does, in either language, and so does the ledger.
        let lines = book.desk.book.timeline(of: "C1").filter { $0.stamp.day == day("2026-03-01") }.map {
            ActivityText.describe($0.kind, book: book.desk.book, levels: book.desk.policy.dunningLevels)
        }
        #expect(lines.contains { $0.kind == "dunning" && $0.detail == "level 1 · reminder" })
        #expect(lines.contains { $0.kind == "letter" && $0.detail.hasPrefix("level 1 · reminder · ") })
        let chinese = book.desk.book.timeline(of: "C1").map {
            ActivityText.describe($0.kind, book: book.desk.book, chinese: true, levels: book.desk.policy.dunningLevels).detail
        }
        #expect(chinese.contains("第 1 级 · 付款提醒"))
        let ledger = try LedgerOutput(book: book.desk.book, customer: "C1", asOf: day("2026-03-01"), levels: book.desk.policy.dunningLevels)
        #expect(ledger.table.rows.contains { $0.last?.hasSuffix(": level 1 · reminder") == true })
    }

    /// Letters are signed with the name roles.toml gives the customer's collector (or, for a
    /// customer of none, the user running the dunning), not with a login; a name for a user
    /// the file does not list is refused where it is written.
    @Test func lettersAreSignedWithTheNamesRolesGive() throws {
        let book = try book()
        _ = book.write("roles.toml", "[users]\ntester = \"manager\"\n\"li.na\" = \"collector\"\n\n[names]\ntester = \"Carol Zhou\"\n\"li.na\" = \"李娜\"\n")
        let desk = try book.reopen()
        _ = try desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let chinese = try String(contentsOfFile: book.folder.path + "/outbox/2026-03-01/C1-letter-1.md", encoding: .utf8)
        #expect(chinese.contains("敬礼\n\n李娜\n") && !chinese.contains("li.na"), "\(chinese)")
        let english = try String(contentsOfFile: book.folder.path + "/outbox/2026-03-01/C2-letter-1.md", encoding: .utf8)
        #expect(english.contains("Kind regards,\nCarol Zhou\n"), "\(english)")
        // One who left [users] keeps a name for the work they did (removing them blocked everyone).
        // A user the file names no name for signs with the department alone, never the login.
        let unnamed = try self.book()
        _ = unnamed.write("roles.toml", "[users]\ntester = \"manager\"\n\"li.na\" = \"collector\"\n\n[names]\ntester = \"Carol Zhou\"\n")
        _ = try unnamed.reopen().dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let signed = try String(contentsOfFile: unnamed.folder.path + "/outbox/2026-03-01/C1-letter-1.md", encoding: .utf8)
        #expect(!signed.contains("li.na"), "\(signed)")
        // A collector who has left (named, no longer a user) does not sign: whoever runs the letters does.
        let departed = try self.book()
        _ = departed.write("roles.toml", "[users]\ntester = \"manager\"\n\n[names]\ntester = \"Carol Zhou\"\n\"li.na\" = \"李娜\"\n")
        _ = try departed.reopen().dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let byRunner = try String(contentsOfFile: departed.folder.path + "/outbox/2026-03-01/C1-letter-1.md", encoding: .utf8)
        #expect(byRunner.contains("Carol Zhou") && !byRunner.contains("李娜"), "\(byRunner)")
        let left = try Roles.parse("[users]\ntester = \"manager\"\n[names]\nbo = \"Bo Chen\"\n", file: "roles.toml")
        #expect(left.names["bo"] == "Bo Chen")
        #expect(left.notAUser("Bo Chen").english == "Bo Chen is the name of bo, who is no longer a user in this book's roles.toml")
        #expect { try Roles.parse("[users]\ntester = \"manager\"\n[names]\ntester = \" \"\n", file: "roles.toml") } throws: {
            "\($0)".contains("roles.toml:4:1: names.tester must be a name on one line")
        }
    }

    /// A contact kept by phone only (no name) does not leave a letter's addressee blank: the
    /// customer is addressed instead.
    @Test func aLetterIsNeverAddressedToNobody() throws {
        let book = try book()
        try book.desk.perform(.changeProfile("C2", .contacts([ContactPerson(name: " ", phone: "555-0100", email: "")]), reason: ""))
        _ = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let english = try String(contentsOfFile: book.folder.path + "/outbox/2026-03-01/C2-letter-1.md", encoding: .utf8)
        #expect(english.contains("Attn: Acme Ltd\n") && english.contains("Dear Acme Ltd,"), "\(english)")
        // What is late is listed oldest due first, whatever order it was entered in.
        try book.desk.perform(.issueInvoices([Invoice(number: "I0", customer: "C2", issued: day("2026-01-02"), due: day("2026-02-01"), amount: cny("5"))]))
        let proposal = try #require(Dunning.propose(book: book.desk.book, policy: book.desk.policy, asOf: day("2026-03-09"), lookingBack: true)
            .first { $0.customer == "C2" })
        let listed = try book.desk.letter(proposal, level: book.desk.policy.dunningLevels[0], asOf: day("2026-03-01"), language: "en",
                                          in: Outbox(folder: book.folder, templates: book.desk.templates)).markdown
        #expect(try #require(listed.range(of: "| I0 |")).lowerBound < #require(listed.range(of: "| I2 |")).lowerBound, "\(listed)")
        // Without a [names] name the letter is signed by the department, never with a login.
        #expect(!english.contains("tester") && english.contains("Kind regards,\n\nAccounts"), "\(english)")
    }

    @Test func oneLevelPerRunNeverSkippingAndNeverBackwards() throws {
        let book = try book()
        // C1 is 60 days late on 2026-03-01: every level's trigger has passed, yet it climbs one per run.
        var levels: [Int] = []
        var desk = book.desk
        for runDay in ["2026-03-01", "2026-03-05", "2026-03-09"] {  // each run on its own day
            desk = try book.reopen(today: day(runDay))
            _ = try desk.dunningRun(asOf: day(runDay), dryRun: false)
            levels.append(desk.book.dunningLevels["C1"]?.level ?? 0)
        }
        #expect(levels == [1, 2, 3])
        // The final notice says "despite our earlier reminders": the reminder went on 03-01. A
        // customer no letter went to before in this round of dunning is not told so.
        let outbox = book.folder.path + "/outbox"
        let final = try FileManager.default.subpathsOfDirectory(atPath: outbox).first { $0.hasSuffix("C1-letter-3.md") }
        #expect(try String(contentsOfFile: outbox + "/" + #require(final), encoding: .utf8).contains("尽管我方此前已多次提醒，贵司以下发票仍未付款"))  // C1's letters are in Chinese
        #expect(Desk.letterSentInEpisode(of: "C1", in: desk.book, asOf: day("2026-03-09")))
        #expect(!Desk.letterSentInEpisode(of: "C3", in: desk.book, asOf: day("2026-03-09")))
        #expect(!Desk.letterSentInEpisode(of: "C1", in: desk.book, asOf: day("2026-02-28")))
        // u after the run (whose last record is a call task it set) names the run and what to do: it
        // undid the call task.
        #expect { try desk.perform(.undoLast) } throws: { "\($0)".contains("your last action was the dunning run RUN-2026-03-09-") && "\($0)".contains("ardesk waive") }
        #expect(throws: DeskError.self) { try desk.dunningRun(asOf: day("2026-03-02"), dryRun: false) }  // runs move forward
        #expect(try desk.dunningRun(asOf: day("2026-03-02"), dryRun: true).isEmpty)  // a look back, as 03-02 stood: quiet after the 03-01 letter
        // Level 2 is a phone call: it became a call task (a callback due today) in the queue.
        let queue = Worklist.build(book: desk.book, policy: desk.policy, asOf: day("2026-03-05"))
        #expect(queue.first { $0.customer == "C1" }?.reasons.contains { $0.kind == .callbackDue } == true)
    }

    /// A second run the same day moves nobody on, and a level whose approval is asked for (a
    /// credit hold) is not passed until a manager decides.
    @Test func aLevelADayAndNonePastAnApprovalAskedFor() throws {
        let book = try book()
        var desk = book.desk
        func run(_ runDay: String) throws -> Int {
            desk = try book.reopen(today: day(runDay))
            _ = try desk.dunningRun(asOf: day(runDay), dryRun: false)
            return desk.book.dunningLevels["C1"]?.level ?? 0
        }
        #expect(try run("2026-03-01") == 1)
        #expect(try run("2026-03-05") == 2)  // a call task: no letter, so no quiet days after it
        #expect(try run("2026-03-05") == 2)  // the same day again
        try desk.perform(.request("C1", .creditLimit(cny("9,000")), reason: "asks for more"))  // a collector's: no bar
        #expect(try run("2026-03-09") == 3)
        // A look back at a day before the run that filed the hold reads as that day stood.
        func lookBack(from viewerToday: String) throws -> String? {
            try book.reopen(today: day(viewerToday)).dunningRun(asOf: day("2026-03-12"), dryRun: true)
                .first { $0.proposal.customer == "C1" }?.action.english
        }
        let before = try lookBack(from: "2026-03-12")
        #expect(try run("2026-03-13") == 4)  // a credit hold proposed
        #expect(before == "credit hold proposed for approval")
        #expect(try lookBack(from: "2026-03-20") == before)
        #expect(try run("2026-03-31") == 4)  // 90 days late, but the hold waits for a manager
        let queue = Worklist.build(book: desk.book, policy: desk.policy, asOf: day("2026-03-31"))
        #expect(queue.first { $0.customer == "C1" }?.nextLevel == nil)
        let request = try #require(desk.book.dunningRequest(of: "C1"))  // the hold, not the collector's limit request
        try desk.perform(.decide(requestID: request.id, approved: true, reason: "agreed"))
        // Approved, the hold is placed and the customer told: the level's letter, written and recorded with it.
        #expect(desk.book.customers["C1"]?.status == .onHold)
        let told = try #require(desk.book.timeline(of: "C1").last)
        guard case .documentSent(.letter(level: 4), let file) = told.kind else { Issue.record("no hold letter: \(told.kind)"); return }
        let letter = try String(contentsOfFile: book.desk.folder.path + "/" + file, encoding: .utf8)
        #expect(letter.contains("信用冻结") || letter.contains("credit hold"), "\(letter)")
        // The approval bills nothing: no "interest 0.00; fees 0.00" beside the principal.
        #expect(!letter.contains("利息 0.00") && !letter.contains("interest 0.00") && !letter.contains("费用 0.00"), "\(letter)")
        #expect(try run("2026-04-01") == 4)  // the letter was a contact: the quiet days after it first
        #expect(try run("2026-04-04") == 5)
    }

    /// A customer a manager put on hold already is not proposed for a hold again.
    @Test func aCustomerOnHoldIsNotProposedForAHold() throws {
        let book = try book()
        var desk = book.desk
        for runDay in ["2026-03-01", "2026-03-05", "2026-03-09"] {
            desk = try book.reopen(today: day(runDay))
            _ = try desk.dunningRun(asOf: day(runDay), dryRun: false)
        }
        try desk.perform(.changeProfile("C1", .hold, reason: "manager"))
        desk = try book.reopen(today: day("2026-03-13"))
        let actions = try desk.dunningRun(asOf: day("2026-03-13"), dryRun: false)
        #expect(actions.first { $0.proposal.customer == "C1" }?.action.english == "already on hold")
        #expect(desk.book.dunningRequest(of: "C1") == nil && desk.book.dunningLevels["C1"]?.level == 4)
    }

    /// The book after the four runs that bring C1 to level 4, whose hold waits for a manager.
    func runToTheHoldLevel(_ book: TestBook) throws -> Desk {
        var desk = book.desk
        for runDay in ["2026-03-01", "2026-03-05", "2026-03-09", "2026-03-13"] {
            desk = try book.reopen(today: day(runDay))
            _ = try desk.dunningRun(asOf: day(runDay), dryRun: false)
        }
        return desk
    }

    /// A hold a manager refused is not passed on to a legal hand-off.
    @Test func aRefusedHoldIsNotPassed() throws {
        let book = try book()
        var desk = try runToTheHoldLevel(book)
        #expect(desk.book.dunningLevels["C1"]?.level == 4)
        let hold = try #require(desk.book.dunningRequest(of: "C1"))
        try desk.perform(.decide(requestID: hold.id, approved: false, reason: "talking to them"))
        desk = try book.reopen(today: day("2026-04-01"))
        _ = try desk.dunningRun(asOf: day("2026-04-01"), dryRun: false)
        #expect(desk.book.dunningLevels["C1"]?.level == 4)
        // Still in the queue, to be followed up: held, not dropped.
        let item = Worklist.build(book: desk.book, policy: desk.policy, asOf: day("2026-04-01")).first { $0.customer == "C1" }
        #expect(item?.reasons.contains { $0.kind == .levelHeld && $0.detail(in: .cny).contains("refused") } == true)
    }

    /// Paid in full while a hold waits for a manager: the run that resolves the level withdraws
    /// the hold it proposed, so that it cannot be approved on a customer who owes nothing.
    @Test func aHoldProposedLapsesWhenTheLevelIsResolved() throws {
        try expectTheHoldWithdrawn { desk, _ in
            try desk.perform(.pay("C1", amount: cny("5,000"), on: day("2026-03-13"), invoice: nil, reference: "B9", method: "bank"))
        }
    }

    /// Runs to the hold level, settles C1 with `settle`, and runs again a week later: the level
    /// is resolved, and the hold it proposed withdrawn.
    func expectTheHoldWithdrawn(after settle: (Desk, Request) throws -> Void) throws {
        let book = try book()
        var desk = try runToTheHoldLevel(book)
        let hold = try #require(desk.book.dunningRequest(of: "C1"))
        try settle(desk, hold)
        desk = try book.reopen(today: day("2026-03-20"))
        _ = try desk.dunningRun(asOf: day("2026-03-20"), dryRun: false)
        #expect(desk.book.dunningLevels["C1"]?.level == 0)
        guard case .rejected(_, let reason)? = desk.book.requests[hold.id]?.state else { Issue.record("the hold still waits"); return }
        #expect(reason.hasPrefix("withdrawn: dunning run"))
    }

    /// Paid in full and the hold approved before any run withdraws it: refused, with what to do,
    /// and no hold placed nor letter written on a customer who owes nothing past due.
    @Test func aHoldIsNotApprovedOnACustomerWhoPaidSince() throws {
        let book = try book()
        let desk = try runToTheHoldLevel(book)
        let hold = try #require(desk.book.dunningRequest(of: "C1"))
        try desk.perform(.pay("C1", amount: cny("5,000"), on: day("2026-03-13"), invoice: nil, reference: "B9", method: "bank"))
        let before = desk.book.lastSequence
        #expect { try desk.perform(.decide(requestID: hold.id, approved: true, reason: "")) } throws: {
            "\($0)".contains("C1 owes nothing past due now") && "\($0)".contains("reject request \(hold.id)")
        }
        #expect(desk.book.lastSequence == before && desk.book.customers["C1"]?.status != .onHold)
        try desk.perform(.decide(requestID: hold.id, approved: false, reason: "paid"))  // rejecting it is still possible
    }

    /// An unapplied credit note that covers what is past due resolves the level as a payment
    /// does: the hold waiting is refused approval and withdrawn by the next run.
    @Test func creditCoveringTheOverdueResolvesTheLevelAndTheHold() throws {
        try expectTheHoldWithdrawn { desk, hold in
            try desk.perform(.creditNote("C1", number: "CN1", amount: cny("5,000"), on: day("2026-03-13"), invoice: nil, reason: "rebate"))
            #expect(throws: DeskError.self) { try desk.perform(.decide(requestID: hold.id, approved: true, reason: "")) }
        }
    }

    /// A promise to pay not yet due holds the level where it is (no fee or letter on a customer
    /// who promised); broken, the level moves on.
    @Test func aPendingPromiseHoldsTheLevel() throws {
        let book = try book()
        _ = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        #expect(book.desk.book.dunningLevels["C2"]?.level == 1)
        try book.desk.perform(.promise("C2", amount: nil, due: day("2026-03-20")))
        let before = try book.reopen(today: day("2026-03-10"))
        #expect(try before.dunningRun(asOf: day("2026-03-10"), dryRun: true).allSatisfy { $0.proposal.customer != "C2" })
        let after = try book.reopen(today: day("2026-03-30"))  // broken: past its day and tolerance, unpaid
        #expect(try after.dunningRun(asOf: day("2026-03-30"), dryRun: true).first { $0.proposal.customer == "C2" }?.proposal.toLevel == 2)
    }

    /// A phone level does not move a callback the customer asked for on a later day: the level
    /// is set, and that call serves it.
    @Test func aPhoneLevelKeepsTheCallbackTheCustomerAskedFor() throws {
        let book = try book()
        _ = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        try book.desk.perform(.logCall("C1", .reached, note: "call me on the 20th", callback: day("2026-03-20")))
        let desk = try book.reopen(today: day("2026-03-05"))
        let actions = try desk.dunningRun(asOf: day("2026-03-05"), dryRun: false)
        #expect(desk.book.dunningLevels["C1"]?.level == 2)
        #expect(actions.first { $0.proposal.customer == "C1" }?.action.description.contains("at the callback of 2026-03-20") == true)
        #expect(Worklist.pendingCallback(of: "C1", in: desk.book, asOf: day("2026-03-05"))?.day == day("2026-03-20"))
    }

    /// A courtesy level before the due date writes that invoices fall due, not that they are
    /// past due.
    @Test func aCourtesyLetterBeforeTheDueDateSaysTheyFallDue() throws {
        let book = try book()
        let policy = book.folder.path + "/policy.toml"
        _ = book.write("policy.toml", """
        [[dunning.levels]]
        level = 1
        name = "courtesy"
        trigger_days = -5
        channel = "letter"
        template = "reminder"
        """)
        #expect(FileManager.default.fileExists(atPath: policy))
        let desk = try book.reopen(today: day("2026-02-15"))
        _ = try desk.dunningRun(asOf: day("2026-02-15"), dryRun: false)
        let letter = try String(contentsOfFile: book.folder.path + "/outbox/2026-02-15/C2-letter-1.md", encoding: .utf8)
        #expect(letter.contains("fall due shortly") && letter.contains("Amount due: **CNY 800.00**"), "\(letter)")
        #expect(!letter.contains("are past due") && !letter.contains("Amount past due"))
        // C1's invoice is long past due: its first letter under this level does not call it so.
        let late = try String(contentsOfFile: book.folder.path + "/outbox/2026-02-15/C1-letter-1.md", encoding: .utf8)
        #expect(late.contains("已逾期") && !late.contains("即将到期"), "\(late)")
    }

    /// The call task a phone level made goes with the level: paid up and resolved, the
    /// customer is not left in the queue to be called about nothing.
    @Test func aResolvedLevelTakesItsCallTaskBack() throws {
        let book = try book()
        var desk = book.desk
        for runDay in ["2026-03-01", "2026-03-05"] {
            desk = try book.reopen(today: day(runDay))
            _ = try desk.dunningRun(asOf: day(runDay), dryRun: false)
        }
        #expect(Worklist.pendingCallback(of: "C1", in: desk.book, asOf: day("2026-03-05"))?.day == day("2026-03-05"))
        // Rung with no answer and tried again later: still the run's task.
        try desk.perform(.logCall("C1", .noAnswer, note: "try again", callback: day("2026-03-12")))
        try desk.perform(.pay("C1", amount: cny("5,000"), on: day("2026-03-05"), invoice: nil, reference: "B7", method: "bank"))
        desk = try book.reopen(today: day("2026-03-10"))
        _ = try desk.dunningRun(asOf: day("2026-03-10"), dryRun: false)
        #expect(desk.book.dunningLevels["C1"]?.level == 0)
        #expect(Worklist.pendingCallback(of: "C1", in: desk.book, asOf: day("2026-03-10")) == nil)
        #expect(!Worklist.build(book: desk.book, policy: desk.policy, asOf: day("2026-03-10")).contains { $0.customer == "C1" })
    }

    /// A customer handed to legal is dunned no more: no letter, fee, interest or hold proposed.
    @Test func aCustomerHandedToLegalIsNotDunned() throws {
        let book = try book()
        try book.desk.perform(.changeProfile("C1", .status(.legal), reason: "handed to lawyers"))
        let actions = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: true)
        #expect(!actions.contains { $0.proposal.customer == "C1" } && actions.contains { $0.proposal.customer == "C2" })
    }

    @Test func quietDaysHoldTheNextLevelBack() throws {
        let book = try book()
        _ = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let tooSoon = try book.desk.dunningRun(asOf: day("2026-03-02"), dryRun: true)
        #expect(tooSoon.isEmpty)  // the letter of 03-01 was a contact; quiet days are 3
    }

    @Test func aPaymentResolvesTheLevel() throws {
        let book = try book()
        _ = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        try book.desk.perform(.pay("C2", amount: cny("800"), on: day("2026-03-01"), invoice: nil, reference: "B1", method: "bank"))
        let later = try book.reopen(today: day("2026-03-10"))
        let next = try later.dunningRun(asOf: day("2026-03-10"), dryRun: false)
        let c2 = try #require(next.first { $0.proposal.customer == "C2" })
        #expect(c2.proposal.toLevel == 0)
        #expect(later.book.dunningLevels["C2"]?.level == 0)
    }

    /// A letter lists the overdue items as they are and sets unapplied cash against them; a
    /// second statement the same day is a file of its own.
    @Test func lettersSetCreditAgainstTheItemsAndDocumentsKeepTheirOwnFiles() throws {
        let book = try book()
        try book.desk.perform(.pay("C2", amount: cny("300"), on: day("2026-01-10"), invoice: nil, reference: "PRE", method: "bank"))
        let actions = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        let c2 = try #require(actions.first { $0.proposal.customer == "C2" })
        #expect(c2.proposal.overdue == cny("800") && c2.proposal.credit == cny("300"))
        let letter = try String(contentsOfFile: book.folder.path + "/outbox/2026-03-01/C2-letter-1.md", encoding: .utf8)
        #expect(letter.contains("800.00") && letter.contains("CNY 300.00") && letter.contains("CNY 500.00** remains"))
        let first = try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-01"), language: "zh").path
        let second = try book.desk.writeStatement(customer: "C1", from: day("2026-02-01"), to: day("2026-03-01"), language: "zh").path
        #expect(first != second && second.hasSuffix("C1-statement-2.md"))
        #expect(FileManager.default.fileExists(atPath: book.folder.path + "/" + first))
    }

    /// A run dated back records its levels and letters on its own day: quiet days count from it,
    /// and a view of a day before it sees the level as it was then.
    @Test func aRunDatedBackIsRecordedOnItsDay() throws {
        let book = try book()
        let later = try book.reopen(today: day("2026-03-05"))
        _ = try later.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        #expect(later.book.dunningLevels["C1"]?.day == day("2026-03-01"))
        #expect(try later.dunningRun(asOf: day("2026-03-02"), dryRun: true).isEmpty)  // quiet days after the 03-01 letter
        #expect(later.book.dunningLevel(of: "C1", asOf: day("2026-02-28")) == 0)
        let past = Worklist.build(book: later.book, policy: later.policy, asOf: day("2026-02-28"))
        #expect(past.first { $0.customer == "C1" }?.level == 0)
    }

    /// A run dated after today would stand as the last run and lock every run before it out: it
    /// is refused (a dry run may look ahead). A collector may preview but not run; a refused run
    /// leaves no letter in the outbox.
    @Test func aRunAfterTodayOrByACollectorIsRefusedAndWritesNothing() throws {
        let book = try book()
        let before = book.desk.book.lastSequence
        #expect(try !book.desk.dunningRun(asOf: day("2026-04-01"), dryRun: true).isEmpty)
        #expect(throws: DeskError.self) { try book.desk.dunningRun(asOf: day("2026-04-01"), dryRun: false) }
        _ = book.write("roles.toml", "[users]\nboss = \"manager\"\nlina = \"collector\"\n")
        let collector = try book.reopen(user: "lina")
        #expect(try !collector.dunningRun(asOf: day("2026-03-01"), dryRun: true).isEmpty)
        #expect {
            try collector.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        } throws: { ($0 as? DeskError)?.description.contains("only a manager can run dunning") == true }
        #expect(!FileManager.default.fileExists(atPath: book.folder.outboxPath))
        #expect(try book.reopen(user: "boss").book.lastSequence == before)
    }
}

extension DunningRunTests {
    /// Two managers (or a cron job run twice) at once: a run saved while another was prepared
    /// from the book before it refuses that one, and a statement written once today is not
    /// written again by a second `statement --all` prepared before it.
    @Test func whatAnotherProcessSavedMeanwhileIsNotDoneTwice() throws {
        let book = try book()
        let stale = try book.reopen()  // prepared from the book before the first run
        let first = try book.desk.dunningRun(asOf: day("2026-03-01"), dryRun: false)
        #expect(!first.isEmpty)
        #expect { try stale.dunningRun(asOf: day("2026-03-01"), dryRun: false) } throws: { "\($0)".contains("another dunning run (RUN-2026-03-01-") }
        #expect(try book.reopen().book.dunningRuns.count == 1)
        let other = try book.reopen()
        #expect(try book.desk.writeStatementOnce(customer: "C2", from: nil, to: day("2026-03-01"), language: "en") != nil)
        #expect(try other.writeStatementOnce(customer: "C2", from: nil, to: day("2026-03-01"), language: "en") == nil)
        let statements = try book.reopen().book.timeline(of: "C2").filter { if case .documentSent(.statement, _) = $0.kind { true } else { false } }
        #expect(statements.count == 1)
    }
}
