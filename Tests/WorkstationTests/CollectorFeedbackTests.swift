import Core
import Desk
import Foundation
import Terminal
import Testing
@testable import Workstation

/// What a collector is told at once: before typing into a form that cannot be saved, after a key
/// that does nothing here, and when a complaint no longer applies.
@Suite struct CollectorFeedbackTests {
    let folder: BookFolder
    let desk: Desk
    static let today = Day(iso: "2026-03-02")!

    init() throws {
        folder = BookFolder(path: FileManager.default.temporaryDirectory.appendingPathComponent("ardesk-fb-\(UUID().uuidString)").path)
        let admin = try Desk.create(folder: folder, currency: .cny, today: Self.today, user: "li.na")
        try admin.perform(.addCustomers([
            Customer(id: "C1", name: "上海华瑞科技有限公司", collector: "li.na"),
            Customer(id: "C3", name: "北京恒泰贸易有限公司", collector: "wang.fang"),
        ]))
        try admin.perform(.issueInvoices([
            Invoice(number: "I1", customer: "C1", issued: Day(iso: "2026-01-01")!, due: Day(iso: "2026-01-31")!, amount: Money(minorUnits: 500_000)),
            Invoice(number: "I3", customer: "C3", issued: Day(iso: "2026-01-10")!, due: Day(iso: "2026-02-09")!, amount: Money(minorUnits: 880_000)),
        ]))
        try "[users]\n\"li.na\" = \"collector\"\n\"wang.fang\" = \"collector\"\n".write(toFile: folder.rolesPath, atomically: true, encoding: .utf8)
        desk = try Desk.open(folder: folder, today: Self.today, user: "li.na")
    }

    func type(_ text: String, into ws: Workstation) { for ch in text { _ = ws.handle(.char(ch)) } }
    func screen(_ ws: Workstation) -> String { ws.render(rows: 30, cols: 110).text() }

    @Test func anotherCollectorsCustomerIsRefusedBeforeTheFormOpens() {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.char(":")); type("goto C3", into: ws); _ = ws.handle(.enter)
        for key: Character in ["c", "p", "n", "d"] {
            _ = ws.handle(.char(key))
            #expect(ws.state.form == nil, "\(key) opened a form")
            #expect(ws.state.message?.text == "C3 is wang.fang's customer; ask a manager to assign it to you")
        }
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("n"))
        #expect(ws.state.form != nil)
    }

    /// A collector's m says marks are a manager's (they only serve to assign many at once).
    @Test func aCollectorIsToldMarksAreForAssigning() {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.tab)                                          // customers
        _ = ws.handle(.char("m"))
        #expect(ws.state.marked.isEmpty)
        #expect(ws.state.message?.text == "Marks are for assigning many customers at once, a manager's work")
    }

    /// A manager's key says it is a manager's, and what the collector may do instead: on their
    /// own customer a request (r) or a note (n); on another collector's, whose customer it is
    /// (r and n would be refused there too). A role changed in roles.toml reaches an open
    /// workstation's lists at its next look, not only its title.
    @Test func aManagersKeyIsSaidToBeOneAndARoleChangeRebuildsTheLists() throws {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.char(":")); type("goto C3", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("$"))
        #expect(ws.state.form == nil && ws.state.message?.text.hasPrefix("Only a manager can do that; C3 is wang.fang's customer") == true)
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("$"))
        #expect(ws.state.form == nil && ws.state.message?.text == "Only a manager can do that; press r to file a request")
        _ = ws.handle(.char("H"))  // a hold has no request: a note
        #expect(ws.state.form == nil && ws.state.message?.text == "Only a manager can do that; leave a note (n) for them")
        _ = ws.handle(.char("R"))  // a returned payment: no request for it, a note
        #expect(ws.state.form == nil && ws.state.message?.text == "Only a manager can reverse a payment; leave a note (n) for them")
        #expect(ws.view.queue.allSatisfy { $0.customer != "C3" })  // wang.fang's: not in li.na's queue
        #expect(ws.dashboardLists.queued["wang.fang"] == nil)
        try "[users]\n\"li.na\" = \"manager\"\n\"wang.fang\" = \"collector\"\n".write(toFile: folder.rolesPath, atomically: true, encoding: .utf8)
        #expect(ws.poll())
        #expect(ws.view.queue.contains { $0.customer == "C3" })  // a manager's queue has everyone's
        // What was counted from the old view is counted again, though no record came with the change.
        #expect(ws.dashboardLists.queued["wang.fang"] == 1)
        // A roles file being edited with a mistake is said; mended, the complaint goes by itself.
        try "[users\n".write(toFile: folder.rolesPath, atomically: true, encoding: .utf8)
        #expect(ws.poll())
        #expect(ws.state.message?.kind == .error)
        try "[users]\n\"li.na\" = \"manager\"\n\"wang.fang\" = \"collector\"\n\"x\" = \"collector\"\n".write(toFile: folder.rolesPath, atomically: true, encoding: .utf8)
        _ = ws.poll()
        #expect(ws.state.message == nil)
    }

    /// Shift-Tab walks back through the panels Tab walks through: a collector's queue, customers
    /// and (once a customer is open) ledger; a manager's approvals, credit review and dashboard too.
    @Test func shiftTabWalksThePanelsBackwards() throws {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        func walk(_ key: Key, _ count: Int = 1) -> [Context] {
            (0..<count).map { _ in _ = ws.handle(key); return ws.state.context }
        }
        #expect(walk(.backTab) == [.customers])          // no ledger opened yet: two panels
        #expect(walk(.tab) == [.ledger])                 // the selected customer's
        #expect(walk(.backTab, 3) == [.customers, .queue, .ledger])
        try "[users]\n\"li.na\" = \"manager\"\n".write(toFile: folder.rolesPath, atomically: true, encoding: .utf8)
        #expect(ws.poll())
        _ = ws.handle(.tab)
        #expect(ws.state.context == .approvals)
        #expect(walk(.backTab, 6) == [.ledger, .customers, .queue, .dashboard, .review, .approvals])
        #expect(walk(.tab, 3) == [.review, .dashboard, .queue])
        // A list reached backwards is the one Esc returns to from a ledger opened there.
        _ = ws.handle(.backTab); _ = ws.handle(.backTab)
        #expect(ws.state.context == .review && ws.state.listContext == .review)
    }

    /// On another collector's customer the status bar says whose it is instead of offering keys
    /// that would be refused; on one's own it offers them.
    @Test func theStatusBarOffersNoWorkOnAnotherCollectorsCustomer() {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.char(":")); type("goto C3", into: ws); _ = ws.handle(.enter)
        ws.state.message = nil  // the status bar shows when no message does
        let theirs = ws.render(rows: 30, cols: 110).text().split(separator: "\n").last.map(String.init) ?? ""
        #expect(theirs.contains("wang.fang's customer: view only"))
        #expect(!theirs.contains("c call") && !theirs.contains("p promise"))
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        ws.state.message = nil
        let own = ws.render(rows: 30, cols: 110).text().split(separator: "\n").last.map(String.init) ?? ""
        #expect(!own.contains("view only") && own.contains("call"))
    }

    /// A form's last line offers only the keys its fields take.
    @Test func aFormOffersTheKeysItsFieldsTake() {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("n"))
        let note = screen(ws)
        #expect(note.contains("Enter save · Esc cancel · Tab next field") && !note.contains("Space tick") && !note.contains("←→ choose"))
        _ = ws.handle(.escape)
        _ = ws.handle(.char("d"))
        #expect(screen(ws).contains("Space tick"))
    }

    @Test func aKeyWithNothingToDoHereSaysSo() {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.tab)  // customers
        _ = ws.handle(.char("x"))
        #expect(ws.state.message?.text == "x does nothing in this panel; ? lists its keys")
        _ = ws.handle(.char("?"))
        #expect(screen(ws).contains("H hold · L legal/agency · ! over limit · B broken promise · D disputed"))
    }

    @Test func aComplaintGoesOnceTheFieldIsMendedAndDatesAYearOutAreQuestioned() {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("p"))
        _ = ws.handle(.ctrl("u")); type("-5", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.message?.kind == .error)
        _ = ws.handle(.backspace); _ = ws.handle(.backspace); type("100", into: ws)
        #expect(ws.state.message == nil)
        _ = ws.handle(.tab); _ = ws.handle(.ctrl("u")); type("2026-02-01", into: ws)
        #expect(screen(ws).contains("2026-02-01 has passed: today or later"))  // whole, not cut at the box
        _ = ws.handle(.ctrl("u")); type("2027-06-01", into: ws)
        #expect(screen(ws).contains("more than a year ahead: check the date"))
        _ = ws.handle(.escape)
        #expect(throws: DeskError.self) { try desk.perform(.callback("C1", on: Day(iso: "2027-06-01")!, note: "")) }
    }

    @Test func aCallSayingDisputedPointsToTheDisputeKey() throws {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        _ = ws.handle(.char("c"))
        while ws.state.form?.fields.first.map({ if case .choice(let options) = $0.kind { options[$0.choiceIndex].value } else { "" } }) != "disputed" {
            _ = ws.handle(.right)
        }
        _ = ws.handle(.enter)
        #expect(ws.state.message?.text.contains("press d to record which invoices are disputed") == true)
        // With the dispute recorded today already, the call does not ask for it again.
        let invoice = try #require(desk.book.invoices(of: "C1").first?.number)
        try desk.perform(.dispute("C1", invoices: [invoice], reason: "short shipment"))
        _ = ws.poll()
        _ = ws.handle(.char("c"))
        while ws.state.form?.fields.first.map({ if case .choice(let options) = $0.kind { options[$0.choiceIndex].value } else { "" } }) != "disputed" {
            _ = ws.handle(.right)
        }
        _ = ws.handle(.enter)
        #expect(ws.state.message?.text.hasPrefix("Saved") == true && ws.state.message?.text.contains("press d") == false, "\(ws.state.message?.text ?? "")")
    }

    @Test func searchAndCommandLinesTakeCtrlUAndCtrlW() {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.tab)
        _ = ws.handle(.char("/")); type("c0015 ", into: ws)
        _ = ws.handle(.ctrl("w"))
        #expect(ws.state.search == "")
        type("北京 上海", into: ws)
        _ = ws.handle(.ctrl("w"))
        #expect(ws.state.search == "北京 ")
        _ = ws.handle(.ctrl("u"))
        #expect(ws.state.search == "")
        _ = ws.handle(.escape)
        _ = ws.handle(.char(":")); type("goto C3", into: ws); _ = ws.handle(.ctrl("u")); type("collector all", into: ws); _ = ws.handle(.enter)
        #expect(ws.state.message?.text == "Showing every collector's customers")
    }

    /// Words a collector reads: the role in the screen's language, what of the past due is to be
    /// collected, a note's line breaks as spaces, a resolved dispute by its invoice.
    @Test func wordsOnTheScreenSayWhatTheyMean() throws {
        try desk.perform(.dispute("C1", invoices: ["I1"], reason: "short"))
        try desk.perform(.note("C1", "first line\nsecond\tline"))
        let zh = Workstation(desk: desk, asOf: Self.today, language: .zh)
        #expect(zh.render(rows: 30, cols: 110).text().contains("li.na (催收员)"))
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.char(":")); type("goto C1", into: ws); _ = ws.handle(.enter)
        let dispute = try #require(desk.book.openDisputes(of: "C1").first)
        try desk.perform(.resolveDispute(id: dispute.id, note: "credited"))
        _ = ws.poll()
        let ledger = ws.render(rows: 40, cols: 130).text()
        #expect(ledger.contains("Terms 30d"))
        #expect(ledger.contains("first line second line"))
        #expect(ledger.contains("I1 (\(dispute.id)) · credited"))
        try desk.perform(.dispute("C1", invoices: ["I1"], reason: "again"))
        _ = ws.poll()
        #expect(ws.render(rows: 40, cols: 130).text().contains("of it disputed 5,000.00, to collect 0.00"))
        // A narrow ledger gives the dispute's figures a line of their own rather than cutting them.
        let narrow = ws.render(rows: 40, cols: 64).text()
        #expect(narrow.contains("of it disputed 5,000.00, to collect 0.00") && narrow.contains("Past due 5,000.00"))
    }
}

extension CollectorFeedbackTests {
    /// An unassigned customer claimed by one collector is theirs for the day: another collector
    /// sees who has it and may not act on it; assigned to someone else, the claim no longer holds.
    @Test func aCustomerClaimedByAnotherIsViewOnlyUntilItIsAssigned() throws {
        try "[users]\n\"li.na\" = \"collector\"\n\"wang.fang\" = \"collector\"\ncarol = \"manager\"\n"
            .write(toFile: folder.rolesPath, atomically: true, encoding: .utf8)
        let manager = try Desk.open(folder: folder, today: Self.today, user: "carol")
        try manager.perform(.addCustomers([Customer(id: "C5", name: "Free Ltd")]))
        try Desk.open(folder: folder, today: Self.today, user: "wang.fang").perform(.claim("C5"))
        _ = try desk.refresh()
        #expect(throws: DeskError.self) { try desk.perform(.note("C5", "mine too")) }
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        _ = ws.handle(.char(":")); type("goto C5", into: ws); _ = ws.handle(.enter)
        #expect(screen(ws).contains("claimed by wang.fang: view only"))
        // Assigned to li.na: the claim made before does not go with the customer.
        try manager.perform(.assign(["C5"], collector: "li.na", reason: "hers"))
        _ = try desk.refresh()
        #expect(desk.book.claimHolder(of: "C5", on: Self.today) == nil)
        try desk.perform(.note("C5", "mine now"))
        #expect(Worklist.isListed("C5", in: desk.book, viewer: "li.na", asOf: Self.today))
    }
}

extension CollectorFeedbackTests {
    /// A collector's `o` goes through their own customers and those of no collector, not another
    /// collector's (whose list would show empty).
    @Test func aCollectorsCollectorFilterKeepsToWhatTheySee() {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        var seen: [String?] = []
        for _ in 0..<3 { _ = ws.handle(.char("o")); seen.append(ws.state.collectorFilter) }
        #expect(seen == ["li.na", UIState.unassigned, nil])
        _ = ws.handle(.char(":")); for ch in "collector wang.fang" { _ = ws.handle(.char(ch)) }; _ = ws.handle(.enter)
        #expect(ws.state.collectorFilter == nil && ws.state.message?.kind == .error)
    }
}

extension CollectorFeedbackTests {
    /// A user taken out of roles.toml while the workstation is open may only look, and its title
    /// says so rather than naming a role they no longer have.
    @Test func aUserTakenOutOfTheRolesFileIsTitledViewOnly() throws {
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        #expect(ws.render(rows: 24, cols: 100).text().contains("li.na (collector)"))
        try "[users]\n\"wang.fang\" = \"collector\"\n".write(toFile: folder.rolesPath, atomically: true, encoding: .utf8)
        _ = ws.poll()
        #expect(ws.render(rows: 24, cols: 100).text().contains("li.na (view only: no role in roles.toml)"))
    }
}

extension CollectorFeedbackTests {
    /// A manager's screens name people as roles.toml's `[names]` does (李娜), not by login: the
    /// approvals list and the request read in full, and the collectors to assign to.
    @Test func peopleAreNamedAsTheTeamKnowsThem() throws {
        try "[users]\n\"li.na\" = \"collector\"\n\"zhao.min\" = \"manager\"\n[names]\n\"li.na\" = \"李娜\"\n"
            .write(toFile: folder.rolesPath, atomically: true, encoding: .utf8)
        try desk.perform(.request("C1", .creditLimit(Money(minorUnits: 900_000)), reason: "growth"))
        let manager = try Desk.open(folder: folder, today: Self.today, user: "zhao.min")
        let ws = Workstation(desk: manager, asOf: Self.today, language: .zh)
        while ws.state.context != .approvals { _ = ws.handle(.tab) }
        #expect(screen(ws).contains("李娜") && !screen(ws).contains("li.na"), "\(screen(ws))")
        _ = ws.handle(.enter)
        #expect(ws.state.overlay?.lines.first?.contains("· 李娜 2026-03-02") == true)
        let picker = ManagerForms.assign(["C1"], collectors: ["li.na"], current: nil, named: ws.person, language: .zh).fields[0]
        if case .choice(let options) = picker.kind { #expect(options.map(\.label).contains("李娜 (li.na)")) } else { Issue.record("not a choice") }
        // Her own title names her so too, with the login commands take.
        let own = try Desk.open(folder: folder, today: Self.today, user: "li.na")
        #expect(screen(Workstation(desk: own, asOf: Self.today, language: .zh)).contains("李娜 li.na (催收员)"))
    }
}
