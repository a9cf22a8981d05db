import Core
@testable import Desk
import Foundation
import Testing

@Suite struct DocumentTests {
    /// A text table's cells are made one line and its lines lose their trailing spaces byte by
    /// byte, as they were character by character.
    @Test func cellsOnOneLineAndTrimmedAsCharacterByCharacter() {
        let cells = ["plain", "", "上海 华瑞", "two\nlines", "crlf\r\nend", "tab\tkept", "a\u{85}b", "a\u{2028}b\u{2029}c", "€2 500 ",
                     "trailing   ", "   ", "é ", "上海  ", "x\u{0B}y\u{0C}z", "\n\n", "caf\u{E9}\n"]
        for cell in cells {
            #expect(cell.onOneLine == cell.split(whereSeparator: \.isNewline).joined(separator: " "), "\(cell.debugDescription)")
            var old = Substring(cell)
            while old.last == " " { old.removeLast() }
            #expect(cell.trimmingTrailingSpaces == String(old), "\(cell.debugDescription)")
        }
        let table = ReportTable(title: "t", columns: [.init("id"), .init("note")], rows: [["上海", "paid\nlater"], ["C2", "ok"]])
        #expect(table.text { $0.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) } } == "t\nid    note\n----  ----------\n上海  paid later\nC2    ok\n")
    }

    func book() throws -> TestBook {
        let book = try TestBook(today: day("2026-03-31"))
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "深圳鑫达电子有限公司"), Customer(id: "C2", name: "Acme Ltd")]))
        try book.desk.perform(.issueInvoices([
            Invoice(number: "I1", customer: "C1", issued: day("2026-01-05"), due: day("2026-02-04"), amount: cny("1,000")),
            Invoice(number: "I2", customer: "C1", issued: day("2026-02-10"), due: day("2026-03-12"), amount: cny("500")),
            Invoice(number: "I3", customer: "C1", issued: day("2026-03-20"), due: day("2026-04-19"), amount: cny("250")),
            Invoice(number: "I9", customer: "C2", issued: day("2026-01-05"), due: day("2026-02-04"), amount: cny("80")),
        ]))
        try book.desk.perform(.pay("C1", amount: cny("600"), on: day("2026-02-20"), invoice: nil, reference: "B1", method: "bank"))
        try book.desk.perform(.creditNote("C1", number: "CN1", amount: cny("50"), on: day("2026-03-15"), invoice: "I2", reason: "price"))
        return book
    }

    @Test func statementArithmeticOpeningPlusDocumentsIsClosing() throws {
        let book = try book()
        let statement = try Statement(book: book.desk.book, customer: "C1", from: day("2026-02-01"), to: day("2026-03-31"))
        #expect(statement.opening == cny("1,000"))
        let movements = statement.lines.reduce(Money.zero) { $0 + $1.debit - $1.credit }
        #expect(statement.opening + movements == statement.closing)
        #expect(statement.closing == cny("1,100"))  // 1000 + 500 + 250 - 600 - 50
        // The closing balance is what the aging shows as open on the last day.
        let open = book.desk.book.invoices(of: "C1").reduce(Money.zero) { $0 + $1.open(asOf: day("2026-03-31")) }
        #expect(open == statement.closing)
        #expect(statement.lines.map(\.reference) == ["I2", "B1", "CN1", "I3"])
    }

    /// Without a start the period reads "beginning"; unapplied cash is shown under the aging so
    /// that the buckets less it come to the closing balance.
    @Test func aStatementShowsUnappliedCashAndItsPeriod() throws {
        let book = try book()
        setenv("ARDESK_TEMPLATES", CLIRoot.path + "/templates", 1)
        try book.desk.perform(.pay("C2", amount: cny("100"), on: day("2026-03-01"), invoice: nil, reference: "B2", method: "bank"))
        let path = try book.desk.writeStatement(customer: "C2", from: nil, to: day("2026-03-31"), language: "en").path
        let text = try String(contentsOfFile: book.folder.path + "/" + path, encoding: .utf8)
        #expect(text.contains("Period: beginning to 2026-03-31"))
        #expect(text.contains("Less unapplied payments and credit notes: 20.00. Closing balance, open items less these: -20.00 (in your favour)."))
        #expect(text.contains("**-20.00**"))
        #expect(!text.contains("interest accrued"))  // C2 paid: no interest to announce
        #expect(MarkdownPage.escaped("A|12") == "A\\|12")  // a document number's | stays inside its cell
        // C1's overdue invoices accrue interest the built-in policy bills: the statement says how much.
        let owing = try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-31"), language: "en").path
        #expect(try String(contentsOfFile: book.folder.path + "/" + owing, encoding: .utf8).contains("Late-payment interest accrued as of 2026-03-31"))
    }

    /// The aging report and the ledger show unapplied cash beside the open items, and what is
    /// owed net of it; a customer with only credit is listed too.
    @Test func agingAndLedgerShowUnappliedCredit() throws {
        let book = try book()
        try book.desk.perform(.pay("C2", amount: cny("100"), on: day("2026-03-01"), invoice: nil, reference: "B2", method: "bank"))
        let output = AgingOutput(report: AgingReport(book: book.desk.book, policy: .standard, asOf: day("2026-03-31")), book: book.desk.book)
        let table = output.table(byCustomer: true)
        #expect(table.columns.suffix(3).map(\.title) == ["total", "credit", "net"])
        #expect(table.rows.first { $0.first == "C2" }?.suffix(3) == ["0.00", "20.00", "-20.00"])
        #expect(output.json(byCustomer: true).contains(#""credit":"20.00","net":"1080.00""#))
        let ledger = try LedgerOutput(book: book.desk.book, customer: "C2", asOf: day("2026-03-31"))
        #expect(ledger.balanceLine == "balance 0.00 · credit 20.00 · net -20.00")
    }

    /// The ledger lists what reduced the balance other than cash: each credit note (against an
    /// invoice or not) and write-off, with its reason, in the table, the JSON and the panel.
    @Test func theLedgerListsCreditNotesAndWriteOffs() throws {
        let book = try book()
        try book.desk.perform(.creditNote("C1", number: "CN2", amount: cny("30"), on: day("2026-03-20"), invoice: nil, reason: "rebate"))
        try book.desk.perform(.writeOff("C1", amount: cny("200"), invoice: "I3", reason: "small balance"))
        let ledger = try LedgerOutput(book: book.desk.book, customer: "C1", asOf: day("2026-03-31"))
        let rows = ledger.table.rows
        #expect(rows.contains { $0[1] == "credit note" && $0[2] == "CN1" && $0[6] == "against I2: price" })
        #expect(rows.contains { $0[1] == "credit note" && $0[2] == "CN2" && $0[6] == "unapplied credit: rebate" })
        #expect(rows.contains { $0[1] == "write-off" && $0[4] == "200.00" && $0[6].hasPrefix("I3 200.00 · approved by tester") })
        // The customer's statement reads an adjustment of the balance, without our id for it.
        let path = try book.desk.writeStatement(customer: "C1", from: nil, to: book.desk.today, language: "en").path
        let statement = try String(contentsOfFile: book.folder.path + "/" + path, encoding: .utf8)
        #expect(statement.contains("balance adjusted") && !statement.contains("write-off") && !statement.contains("WO"), "\(statement)")
        #expect(ledger.json.contains(#""credit_notes":[{"number":"CN1","date":"2026-03-15","amount":"50.00","invoice":"I2","reason":"price","applied":"0.00"}"#))
        #expect(ledger.json.contains(#""allocations":[{"invoice":"I3","amount":"200.00"}],"reason":"small balance","approved_by":"tester","reinstated":null}]"#))
        // Not yet there on an earlier day.
        #expect(try LedgerOutput(book: book.desk.book, customer: "C1", asOf: day("2026-03-10")).table.rows.allSatisfy { $0[1] != "credit note" })
    }

    /// A team's shared book folder (group-writable, set-group-id) gets an outbox the whole
    /// group can write, so one person's document does not lock the others out of that day.
    @Test func aSharedBooksOutboxIsTheGroups() throws {
        let book = try book()
        setenv("ARDESK_TEMPLATES", CLIRoot.path + "/templates", 1)
        #expect(chmod(book.folder.path, 0o2770) == 0)
        let path = try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-31"), language: "en").path
        let folder = (book.folder.path + "/" + path as NSString).deletingLastPathComponent
        var info = stat()
        #expect(stat(folder, &info) == 0 && info.st_mode & 0o070 == 0o070 && info.st_mode & S_ISGID != 0)
        #expect(stat(book.folder.path + "/" + path, &info) == 0 && info.st_mode & 0o060 == 0o060)
    }

    /// A desk open while the policy changes reads it again: a session left open does not run
    /// dunning with the old fee, nor rank the queue with the old points.
    @Test func anOpenDeskReadsAChangedPolicy() throws {
        let book = try book()
        let desk = try book.reopen()
        #expect(desk.policy.interest.annualRateBasisPoints == Policy.standard.interest.annualRateBasisPoints)
        _ = book.write("policy.toml", "[interest]\nannual_rate = \"12%\"\n")
        try desk.refresh()
        #expect(desk.policy.interest.annualRateBasisPoints == 1_200)
        _ = book.write("policy.toml", "[interest]\nannual_rate = \"twelve\"\n")  // mid-edit: said, the last one kept
        try desk.refresh()
        #expect(desk.policyProblem?.contains("annual_rate") == true && desk.policy.interest.annualRateBasisPoints == 1_200)
        // A note does not wait for it; a dunning run, whose fees are the policy's, does.
        try desk.perform(.note("C1", "called"))
        #expect { _ = try desk.dunningRun(asOf: desk.today, dryRun: false) } throws: { "\($0)".contains("the dunning run waits until policy.toml reads again") }
        _ = book.write("policy.toml", "[interest]\nannual_rate = \"12%\"\n")
        try desk.refresh()
        #expect(desk.policyProblem == nil)
    }

    /// A policy or a template in the book's folder that others could have written is refused,
    /// as roles.toml is: in a shared folder a collector's own copy would change every letter
    /// and rate of the team.
    @Test func aPolicyOrTemplateOthersCouldWriteIsRefused() throws {
        let book = try book()
        let policy = book.write("policy.toml", "[interest]\nannual_rate = \"12%\"\n")
        #expect(chmod(policy, 0o646) == 0)  // anyone may write it
        #expect { _ = try book.reopen() } throws: { "\($0)".contains("chmod go-w \(policy)") }
        if getuid() == 0 {  // a group with others in it (a team's) may write it
            #expect(chown(policy, 0, 65_534) == 0 && chmod(policy, 0o664) == 0)
            #expect { _ = try book.reopen() } throws: { "\($0)".contains("chmod go-w \(policy)") }
            #expect(chown(policy, 0, 0) == 0)
        }
        // Group-writable in the owner's own group (umask 002 on Debian and Ubuntu): nobody else may write it.
        var info = stat()
        #expect(chmod(policy, 0o664) == 0 && stat(policy, &info) == 0)
        if TrustedFile.isOwnersOwnGroup(info.st_gid, owner: info.st_uid) { _ = try book.reopen() }
        #expect(chmod(policy, 0o644) == 0)
        _ = try book.reopen()
        // Written by someone else (a collector's own copy put in place), or a link to another file.
        if getuid() == 0 {
            #expect(chown(policy, 65_534, 65_534) == 0)
            #expect { _ = try book.reopen() } throws: { "\($0)".contains("must belong to root or the book's owner") }
            #expect(chown(policy, 0, 0) == 0)
        }
        let elsewhere = book.write("other-policy.toml", "[interest]\nannual_rate = \"99%\"\n")
        #expect(unlink(policy) == 0 && symlink(elsewhere, policy) == 0)
        #expect { _ = try book.reopen() } throws: { "\($0)".contains("is a link") }
        #expect(unlink(policy) == 0)
        #expect(mkdir(book.folder.path + "/templates", 0o755) == 0)
        let template = book.write("templates/statement.en.md.mustache", "Pay to account 6222 (mine)\n")
        #expect(chmod(template, 0o666) == 0)
        #expect { _ = try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-31"), language: "en") } throws: {
            "\($0)".contains("chmod go-w \(template)")
        }
        #expect(chmod(template, 0o644) == 0)
        // The folder others may write: they could swap the owner's letters.
        #expect(chmod(book.folder.path + "/templates", 0o757) == 0)
        #expect { _ = try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-31"), language: "en") } throws: {
            "\($0)".contains("chmod go-w \(book.folder.path)/templates")
        }
        #expect(chmod(book.folder.path + "/templates", 0o755) == 0)
        let path = try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-31"), language: "en").path
        #expect(try String(contentsOfFile: book.folder.path + "/" + path, encoding: .utf8).contains("6222"))
    }

    /// Reports of a past day show that day's profile (the export's limit, the risk signals'
    /// customer), and the KPI trend is in every format, as rows.
    @Test func pastReportsReadThatDaysProfileAndTheTrendIsRows() throws {
        let book = try book()
        try book.desk.perform(.changeProfile("C1", .creditLimit(cny("9,999")), reason: "raise"))
        let before = CSVExport(book: book.desk.book, asOf: day("2026-03-30")).customers
        #expect(before.rows.first { $0.first == "C1" }?[3] == "0.00")
        let now = CSVExport(book: book.desk.book, asOf: day("2026-03-31")).customers
        #expect(now.rows.first { $0.first == "C1" }?[3] == "9999.00")
        // A customer added today without documents was not there yesterday; one added today
        // with invoices issued before was (a first import adds every customer on its day).
        try book.desk.perform(.addCustomers([Customer(id: "C9", name: "New Ltd")]))
        #expect(CSVExport(book: book.desk.book, asOf: day("2026-03-30")).customers.rows.map(\.[0]) == ["C1", "C2"])
        #expect(CSVExport(book: book.desk.book, asOf: day("2026-03-31")).customers.rows.map(\.[0]) == ["C1", "C2", "C9"])
        let asOf = day("2026-03-31")
        let kpi = PortfolioOutput.kpi(PortfolioKPIs(book: book.desk.book, policy: .standard, asOf: asOf),
                                      trend: PortfolioKPIs.trend(book: book.desk.book, policy: .standard, asOf: asOf), currency: .cny)
        #expect(kpi.rows.filter { $0[0].hasPrefix("DSO (simple) at ") }.count == 12)
        #expect(kpi.csv.contains("overdue rate at 2026-02-28"))
        // The PTP kept rate beside the other figures, "-" with no promise judged.
        #expect(kpi.rows.contains { $0[0] == "promises kept" && $0[1] == "-" })
        let kept = PortfolioOutput.kpi(PortfolioKPIs(book: book.desk.book, policy: .standard, asOf: asOf), trend: [], keptRate: (5_000, 6_250), currency: .cny)
        #expect(kept.rows.contains { $0[0] == "promises kept" && $0[1] == "50.00%" } && kept.rows.contains { $0[0] == "promises kept by amount" && $0[1] == "62.50%" })
        // Amounts as the aging report gives them, plain digits: CSV and JSON readers parse them.
        let json = PortfolioOutput.json(kpi, asOf: asOf, currency: .cny)
        #expect(json.contains(#"{"figure":"receivables","value":"1180.00","unit":"CNY""#))
        // Every value is digits, its unit beside it; the text keeps its % and has no unit column.
        #expect(!json.contains(#"%","#), "\(json)")
        #expect(json.contains(#""figure":"overdue rate","value":""#) && json.contains(#""unit":"percent""#) && json.contains(#""unit":"days""#))
        let text = kpi.text { $0.count }
        #expect(text.contains("%") && !text.contains("percent") && !text.contains("unit"), "\(text)")
        #expect(kpi.csv.hasPrefix("figure,value,unit,convention\n"))
        #expect(json.contains(#""as_of":"2026-03-31","currency":"CNY""#))
        #expect(!json.contains("-%"))  // a month without receivables has no rate
        // Counts are numbers and percentages their digits, in the collectors' figures.
        let table = ReportTable(title: "t", columns: [.init("contacts", kind: .count), .init("kept %", key: "kept_percent", kind: .percent),
                                                      .init("rate", kind: .percent), .init("cash")],
                                rows: [["3", "-", "39.09%", "120.50"]])
        let row = PortfolioOutput.json(table, asOf: asOf, currency: .cny)
        #expect(row.contains(#"{"contacts":3,"kept_percent":null,"rate":"39.09","cash":"120.50"}"#), "\(row)")
        #expect(table.csv == "contacts,kept %,rate,cash\n3,,39.09,120.50\n")  // CSV too: digits, "-" empty
        // Text a spreadsheet would run as a formula stays text; numbers stay numbers.
        #expect(ReportTable.csvField("=HYPERLINK(\"http://x\",\"pay\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"pay\"\")\"")
        #expect(ReportTable.csvField("+86 181 5934 8916") == "'+86 181 5934 8916" && ReportTable.csvField("@SUM(A1)") == "'@SUM(A1)")
        #expect(ReportTable.csvField("-12.50") == "-12.50" && ReportTable.csvField("Acme") == "Acme" && ReportTable.csvField("-") == "-")
        #expect(!kpi.csv.contains("%,"), "\(kpi.csv)")
        // Unapplied credit and open charges beside the open items: C2 paid 100 against 80 owed.
        try book.desk.perform(.pay("C2", amount: cny("100"), on: day("2026-03-31"), invoice: nil, reference: "B9", method: "bank"))
        let customers = CSVExport(book: book.desk.book, asOf: day("2026-03-31")).customers
        let credit = try #require(customers.columns.firstIndex { $0.key == "unapplied_credit" })
        #expect(customers.rows.first { $0[0] == "C2" }?[credit] == "20.00")
    }

    /// The policy's hold rules show in the risk report: an active customer over its limit is
    /// "hold advised"; with the rule off it is not.
    @Test func theRiskReportAdvisesHoldsByThePolicy() throws {
        let book = try book()
        try book.desk.perform(.changeProfile("C1", .creditLimit(cny("100")), reason: "tight"))
        let advised = PortfolioOutput.risk(book: book.desk.book, asOf: day("2026-03-31"), policy: .standard)
        #expect(advised.rows.contains { $0[0] == "C1" && $0[2] == "hold advised" && $0[3].contains("over limit") })
        var lenient = Policy.standard
        lenient.hold.overLimit = false
        let quiet = PortfolioOutput.risk(book: book.desk.book, asOf: day("2026-03-31"), policy: lenient)
        #expect(!quiet.rows.contains { $0[0] == "C1" && $0[2] == "hold advised" && $0[3].contains("over limit") })
    }

    /// A statement for a customer the book does not have is refused with a sentence.
    @Test func aStatementForNoCustomerIsRefused() throws {
        let book = try book()
        #expect(throws: DeskError.self) { try book.desk.perform(.writeStatement("NOPE", to: day("2026-03-31"))) }
    }

    @Test func statementsAreWrittenInBothLanguagesAndRecorded() throws {
        let book = try book()
        setenv("ARDESK_TEMPLATES", CLIRoot.path + "/templates", 1)
        try book.desk.perform(.dispute("C1", invoices: ["I2"], reason: "short delivery"))
        try book.desk.perform(.dispute("C1", invoices: ["I1"], amount: cny("50"), reason: "damaged cartons"))
        try book.desk.perform(.dispute("C2", invoices: ["I9"], reason: "wrong price"))
        let en = try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-31"), language: "en").path
        let zh = try book.desk.writeStatement(customer: "C2", from: nil, to: day("2026-03-31"), language: "zh").path
        let english = try String(contentsOfFile: book.folder.path + "/" + en, encoding: .utf8)
        let chinese = try String(contentsOfFile: book.folder.path + "/" + zh, encoding: .utf8)
        #expect(english.contains("Statement of account"))
        #expect(english.contains("深圳鑫达电子有限公司"))
        #expect(english.contains("**1,100.00**"))
        #expect(chinese.contains("对账单"))
        #expect(chinese.contains("期末余额"))
        // As a Chinese reader writes them: the amounts' unit 元, the date 2026年3月31日.
        #expect(chinese.contains("打印日期 2026年3月31日 · 金额单位：元") && !chinese.contains("CNY"), "\(chinese)")
        // An invoice under dispute is marked, in the statement's language, with the part disputed
        // when it is a part.
        #expect(english.contains("| I2 (disputed) |") && english.contains("| I1 (disputed: 50.00) |"), "\(english)")
        #expect(chinese.contains("| I9（有争议） |"))
        let html = try String(contentsOfFile: book.folder.path + "/" + en.replacingOccurrences(of: ".md", with: ".html"), encoding: .utf8)
        #expect(html.contains("<!DOCTYPE html>") && html.contains("深圳鑫达电子有限公司"))
        // A page to print: the statement's tables are tables, its totals bold, no Markdown left.
        #expect(html.contains("<table>") && html.contains("<td class=\"num\"><strong>1,100.00</strong></td>"), "\(html)")
        #expect(!html.contains("|---") && !html.contains("**"))
        // Up to a day before any document of the customer's: nothing is written or recorded.
        #expect { try book.desk.writeStatement(customer: "C1", from: nil, to: day("2020-01-01"), language: "en") } throws: {
            "\($0)".contains("C1 has nothing to state up to 2020-01-01")
        }
        #expect(book.desk.book.timeline(of: "C1").contains { if case .documentSent(.statement, _) = $0.kind { true } else { false } })
    }

    /// A statement is recorded with the aging it showed (DOMAIN: "the statement's aging [is]
    /// recorded"), also one sent by hand and recorded from the workstation; a later payment,
    /// a replay and a snapshot keep the figures as sent.
    @Test func aStatementIsRecordedWithTheAgingItShowed() throws {
        let book = try book()
        setenv("ARDESK_TEMPLATES", CLIRoot.path + "/templates", 1)
        _ = try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-31"), language: "en")
        try book.desk.perform(.pay("C1", amount: cny("1,100"), on: day("2026-03-31"), invoice: nil, reference: "B3", method: "bank"))
        try book.desk.perform(.documentSent("C1", .statement(from: day("2026-03-01"), to: day("2026-03-31")), file: ""))

        func recorded(_ desk: Desk) -> [StatementFigures] {
            desk.book.timeline(of: "C1").compactMap { activity in
                if case .documentSent(.statement(_, _, let figures?), _) = activity.kind { return figures }
                return nil
            }
        }
        let sent = recorded(book.desk)
        #expect(sent.count == 2)
        // I3 250 not yet due; I2 500 less a 50 credit note, 19 days late; I1 1,000 less 600 paid, 55 days late.
        #expect(sent.first?.aging.map(\.label) == ["not due", "1-30", "31-60", "61-90", "90+"])
        #expect(sent.first?.aging.map(\.amount) == [cny("250"), cny("450"), cny("400"), .zero, .zero])
        #expect(sent.first?.balance == cny("1,100"))
        #expect(sent.last?.balance == .zero)  // recorded after the payment, by hand

        let replayed = try book.reopen()
        #expect(recorded(replayed) == sent)
        #expect(replayed.saveSnapshot() == nil)
        #expect(recorded(try book.reopen()) == sent)
        let line = ActivityText.describe(replayed.book.timeline(of: "C1").last { if case .documentSent = $0.kind { true } else { false } }!.kind,
                                         book: replayed.book)
        #expect(line.detail == "2026-03-01 to 2026-03-31 · balance 0.00")
    }

    @Test func hledgerExportBalancesToTheOpenItems() throws {
        let book = try book()
        let text = HledgerExport(book: book.desk.book, asOf: day("2026-03-31")).render()
        #expect(text.contains("assets:receivable:C1  CNY 1000.00"))
        #expect(text.contains("Payment B1"))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/hledger") else { return }
        let file = book.folder.path + "/export.journal"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let output = try run("/usr/bin/hledger", ["-f", file, "bal", "assets:receivable", "-N", "--flat"])
        #expect(output.contains("CNY 1,100.00  assets:receivable:C1"), "\(output)")
        #expect(output.contains("CNY 80.00  assets:receivable:C2"), "\(output)")
    }

    /// Ids become account segments that never merge (`K:L`, `K_L`) and that ledger-cli reads (a tab).
    @Test func everyIdIsItsOwnAccount() throws {
        let export = HledgerExport(book: Book(), asOf: day("2026-03-31"))
        let names = ["K:L", "K_L", "K L", "K\tL", "K%3AL", "上海:01"].map(export.account)
        #expect(Set(names).count == names.count)
        #expect(names == ["K%3AL", "K_L", "K%20L", "K%09L", "K%253AL", "上海%3A01"])
    }

    func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

enum CLIRoot {
    static let path: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()
}

/// The Markdown subset the templates write, as HTML for the printable page.
@Suite struct MarkdownPageTests {
    @Test func headingsTablesBoldAndLinesAsWritten() {
        let html = MarkdownPage.html("""
        北京<东方>电子 & Co
        王先生 收

        # 对账单

        | 日期 | 编号 | 余额 |
        |---|---|---:|
        | 2026-02-10 | E<1> | 300.00 |
        | | **期末余额** | **300.00** |

        ## Aging
        Total **1,000.00** and a lone ** marker
        """)
        #expect(html.hasPrefix("<p>北京&lt;东方&gt;电子 &amp; Co<br>\n王先生 收</p>"), "\(html)")
        #expect(html.contains("<h1>对账单</h1>") && html.contains("<h2>Aging</h2>"))
        #expect(html.contains("<thead><tr><th>日期</th><th>编号</th><th class=\"num\">余额</th></tr></thead>"), "\(html)")
        #expect(html.contains("<tr><td>2026-02-10</td><td>E&lt;1&gt;</td><td class=\"num\">300.00</td></tr>"), "\(html)")
        #expect(html.contains("<td><strong>期末余额</strong></td><td class=\"num\"><strong>300.00</strong></td>"), "\(html)")
        #expect(html.hasSuffix("<p>Total <strong>1,000.00</strong> and a lone ** marker</p>"), "\(html)")
    }

    /// Values are text whatever they hold: escaped for Markdown before a template is rendered,
    /// they come out as written, in their own cell.
    @Test func valuesAreNeverMarkup() {
        let name = MarkdownPage.escaped("# Big **Corp** | x"), number = MarkdownPage.escaped("A|B\\C")
        #expect(name == "\\# Big \\*\\*Corp\\*\\* \\| x")
        let html = MarkdownPage.html("\(name)\n\n| Invoice | Open |\n|---|---:|\n| \(number) | 100.00 |\n")
        #expect(html.hasPrefix("<p># Big **Corp** | x</p>"), "\(html)")
        #expect(html.contains("<tr><td>A|B\\C</td><td class=\"num\">100.00</td></tr>"), "\(html)")
        let nested = MarkdownPage.escapedValues(["customer": ["name": "*x*"], "items": [["number": "1|2", "days": 3]]] as [String: Any]) as! [String: Any]
        #expect((nested["customer"] as? [String: Any])?["name"] as? String == "\\*x\\*")
        #expect((nested["items"] as? [[String: Any]])?.first?["number"] as? String == "1\\|2")
        #expect((nested["items"] as? [[String: Any]])?.first?["days"] as? Int == 3)
    }
}

/// What a dunning run writes into records in English (a callback's note, a request's reason)
/// reads in Chinese on a Chinese screen; what a person typed stays as typed.
@Suite struct GeneratedTextTests {
    @Test func aRunsNotesAndReasonsReadInChinese() {
        let levels = Policy.standard.dunningLevels
        #expect(ActivityText.generated("dunning level 2 phone: call", chinese: true, levels: levels) == "催收第 2 级（电话催收）：电话")
        #expect(ActivityText.generated("dunning level 4 credit hold", chinese: true, levels: levels) == "催收第 4 级（信用冻结）")
        #expect(ActivityText.generated("withdrawn: dunning run RUN-2026-11-28-7 resolved the level", chinese: true, levels: levels)
                == "已撤回：催收批次 RUN-2026-11-28-7 已解除该级")
        #expect(ActivityText.generated("dunning level 4 credit hold", chinese: false, levels: levels) == "dunning level 4 credit hold")
        #expect(ActivityText.generated("客户说下周付款", chinese: true, levels: levels) == "客户说下周付款")
        // An approval's change names its request, and the request's own reason reads as above.
        #expect(ActivityText.generated("request R7809: 刘敏申请额度", chinese: true, levels: levels) == "申请 R7809：刘敏申请额度")
        #expect(ActivityText.generated("request RRUN-2026-11-28-7-C1: dunning level 4 credit hold", chinese: true, levels: levels)
                == "申请 RRUN-2026-11-28-7-C1：催收第 4 级（信用冻结）")
        #expect(ActivityText.generated("request more time please", chinese: true, levels: levels) == "request more time please")  // typed, not written by ardesk
    }
}

extension GeneratedTextTests {
    /// A person's words that happen to start as a run's do are left as typed.
    @Test func wordsAPersonTypedStayAsTyped() {
        let levels = Policy.standard.dunningLevels
        #expect(ActivityText.generated("dunning level 3 too early", chinese: true, levels: levels) == "dunning level 3 too early")
        #expect(ActivityText.generated("withdrawn: dunning run of last week resolved the level", chinese: true, levels: levels)
                == "withdrawn: dunning run of last week resolved the level")
    }
}
