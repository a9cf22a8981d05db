import Core
@testable import Desk
import Foundation
import Testing

@Suite struct ImportTests {
    func plan(_ kind: Importer.Kind, _ text: String, in book: TestBook, options: Importer.Options = .init()) throws -> Importer.Plan {
        try Importer(kind: kind, options: options, book: book.desk.book).plan(path: book.write("in.csv", text))
    }

    func withCustomers() throws -> TestBook {
        let book = try TestBook()
        let p = try plan(.customers, "id,name,terms_days,credit_limit,grade\nC1,上海华瑞科技有限公司,30,\"50,000.00\",B\nC2,Acme Ltd,45,0,\n", in: book)
        #expect(p.issues.isEmpty)
        try book.desk.perform(.batch(p.events))
        return book
    }

    @Test func customersImportWithThousandsSeparatorsAndChineseNames() throws {
        let book = try withCustomers()
        #expect(book.desk.book.customers["C1"]?.creditLimit == cny("50000"))
        #expect(book.desk.book.customers["C1"]?.name == "上海华瑞科技有限公司")
        #expect(book.desk.book.customers["C2"]?.termsDays == 45)
    }

    /// What the rounds of use found an import let through: a settled invoice newly marked
    /// disputed, an unapplied credit note past what is owed, one customer split in two by a case
    /// or a space, a credit note's unknown invoice without its column, a line break in a number.
    @Test func anImportRefusesWhatItWouldMisread() throws {
        let book = try withCustomers()
        var options = Importer.Options()
        options.today = book.desk.today
        let first = try plan(.invoices, "number,customer,issue_date,due_date,amount\nI1,C1,2026-01-05,,100.00\nI2,C1,2026-01-06,,50.00\n", in: book, options: options)
        try book.desk.perform(.batch(first.events))
        try book.desk.perform(.pay("C1", amount: cny("100"), on: day("2026-02-01"), invoice: "I1", reference: "B1", method: "bank"))
        // The same rows again, now marked disputed: the settled one is named and left, the open one disputed from today.
        let again = try plan(.invoices, "number,customer,issue_date,due_date,amount,disputed\nI1,C1,2026-01-05,,100.00,yes\nI2,C1,2026-01-06,,50.00,yes\n", in: book, options: options)
        #expect(again.issues.isEmpty && again.settledMarkedDisputed == ["I1"] && again.disputesOnExisting == 1)
        let opened = again.events.compactMap { if case .disputeOpened(let d) = $0 { d } else { nil } }
        #expect(opened.map(\.invoice) == ["I2"] && opened.first?.opened == book.desk.today)
        // An unapplied credit note past what C2 owes (nothing) asks for --credit.
        let rebate = try plan(.creditNotes, "number,customer,date,amount\nCN1,C2,2026-02-01,\"50,000.00\"\n", in: book, options: options)
        #expect(rebate.issues.first?.column == "amount" && rebate.issues.first?.reason.contains("--credit") == true)
        options.keepsCredit = true
        #expect(try plan(.creditNotes, "number,customer,date,amount\nCN1,C2,2026-02-01,\"50,000.00\"\n", in: book, options: options).issues.isEmpty)
        options.keepsCredit = false
        // Two of a file that together come to what is owed (I2, 50.00, is open): both taken, each weighed once.
        let two = try plan(.creditNotes, "number,customer,date,amount\nCN5,C1,2026-02-01,30.00\nCN6,C1,2026-02-01,20.00\n", in: book, options: options)
        #expect(two.issues.isEmpty, "\(two.issues)")
        let unknown = try plan(.creditNotes, "number,customer,date,amount,invoice\nCN2,C1,2026-02-01,10.00,I404\n", in: book, options: options)
        #expect(unknown.issues.first?.column == "invoice")
        // c1 and C  2 are C1 and C2, not customers to make.
        options.createCustomers = true
        let split = try plan(.invoices, "number,customer,issue_date,amount\nI7,c1,2026-01-05,1.00\nI8,Ｃ２,2026-01-05,1.00\nI9,C3,2026-01-05,1.00\nI10,c3,2026-01-05,1.00\n", in: book, options: options)
        #expect(split.issues.map(\.line) == [2, 3, 5] && split.issues.first?.reason.contains("but C1 is") == true, "\(split.issues)")
        // A customer's cell left empty says nothing of its field: the row is the book's already.
        let blank = try plan(.customers, "id,name,terms_days,credit_limit,grade\nC1,上海华瑞科技有限公司,30,,B\n", in: book)
        #expect(blank.issues.isEmpty && blank.alreadyInBook == ["C1"], "\(blank.issues)")
        let broken = try plan(.invoices, "number,customer,issue_date,amount\n\"INV\n8\",C1,2026-01-05,1.00\n", in: book, options: options)
        #expect(broken.issues.first?.column == "number" && broken.issues.first?.reason.contains("line break") == true)
    }

    @Test func everyBadRowIsReportedWithLineAndColumn() throws {
        let book = try withCustomers()
        let p = try plan(.invoices, """
        number,customer,issue_date,due_date,amount
        I1,C1,2026-01-05,,100.00
        I2,C9,2026-01-05,,100.00
        I3,C1,2026-13-01,,100.00
        I4,C1,2026-01-05,,12.345
        I1,C1,2026-01-05,,100.00
        I6,C1,2026-01-05,2026-01-01,100.00
        """, in: book)
        let described = p.issues.map(\.description)
        #expect(p.issues.map(\.line) == [3, 4, 5, 6, 7])
        #expect(described[0].contains("column \"customer\"") && described[0].contains("C9"))
        // A 13th month in a year-first format is a wrong month, not another format.
        #expect(described[1].hasSuffix("column \"issue_date\": \"2026-13-01\" is in the format YYYY-MM-DD, but there is no month 13"), "\(described[1])")
        let shapes = try plan(.invoices, "number,customer,issue_date,amount\nD1,C1,2026-11-00,5\nD2,C1,2026-1-5,5\n", in: book)
        #expect(shapes.issues.map(\.reason) == ["\"2026-11-00\" is in the format YYYY-MM-DD, but there is no day 0",
                                               "\"2026-1-5\" is not a date in the format YYYY-MM-DD (use --date-format YYYY-M-D)"])
        let feb30 = try plan(.invoices, "number,customer,issue_date,amount\nF1,C1,2026-02-30,5\nF2,C1,05/01/2026,5\n", in: book)
        #expect(feb30.issues.map(\.reason) == ["\"2026-02-30\" is no day of the calendar; month 2 of 2026 has 28 days",
                                              "\"05/01/2026\" is not a date in the format YYYY-MM-DD (use --date-format M/D/YYYY or --date-format D/M/YYYY)"])
        #expect(described[2].contains("column \"amount\""))
        #expect(described[3].contains("appears again (first on line 2)"))
        #expect(described[4].contains("before the issue date"))
    }

    /// A column read under another name says what it was read as; a row of one cell is one
    /// cell; a DOS end-of-file mark (Ctrl-Z) closing the file is no row.
    @Test func problemsNameTheFieldAMappedColumnWasReadAs() throws {
        let book = try withCustomers()
        var options = Importer.Options()
        options.columnForField = ["amount": "InvoiceAmount"]
        let mapped = try plan(.invoices, "number,customer,issue_date,InvoiceAmount\nM1,C1,2026-01-05,61.745\nM2\n", in: book, options: options)
        #expect(mapped.issues.map(\.description).first?.contains("in.csv:2 column \"InvoiceAmount\" (read as amount): \"61.745\" is not an amount in CNY (at most 2 decimals") == true,
                "\(mapped.issues)")
        #expect(mapped.issues.last?.reason.hasPrefix("the row has 1 cell where the header has 4") == true)
        let dos = try plan(.customers, "id,name\r\nC7,Seven\r\n\u{1A}", in: book)
        #expect(dos.issues.isEmpty && dos.rowsRead == 1, "\(dos.issues)")
        // Excel's `sep=` line and its date-times (the day taken, the time of day left aside).
        var us = Importer.Options()
        us.dateFormat = DateFormat(pattern: "M/D/YYYY")!
        let excel = try plan(.invoices, "sep=,\nnumber,customer,issue_date,amount\nX1,C1,1/2/2026 0:00,5\nX2,C1,1/2/2026 25:61:99x,5\n", in: book, options: us)
        #expect(excel.issues.map(\.line) == [4], "\(excel.issues)")  // the sep= line counted
        #expect(excel.events.contains { if case .invoiceIssued(let i) = $0 { i.number == "X1" && i.issued == day("2026-01-02") } else { false } })
        // After a byte-order mark too; a 12-hour clock; a time that is none is refused; a
        // separator ardesk does not read is named.
        let marked = try plan(.invoices, "\u{FEFF}sep=,\r\nnumber,customer,issue_date,amount\r\nX3,C1,1/2/2026 12:00 PM,5\r\nX4,C1,1/2/2026 25:99,5\r\n", in: book, options: us)
        #expect(marked.issues.map(\.line) == [4], "\(marked.issues)")
        #expect { try plan(.customers, "sep=|\nid|name\nC8|Eight\n", in: book) } throws: { "\($0)".contains("names its separator as \"|\"") }
        // The separator the sep= line names wins over a comma in a header's column name; the
        // header's problems are on its own line, the second.
        #expect(try plan(.customers, "sep=;\nid;name;Note, internal\nC9;Nine;x\n", in: book).issues.isEmpty)
        #expect { try plan(.customers, "sep=;\nident;name\nC9;Nine\n", in: book) } throws: { "\($0)".contains("in.csv:2: missing required column") }
    }

    @Test func aMissingColumnIsNamed() throws {
        let book = try withCustomers()
        #expect(throws: DeskError.self) { try plan(.invoices, "number,customer,amount\nI1,C1,5\n", in: book) }
        do { _ = try plan(.invoices, "number,customer,amount\nI1,C1,5\n", in: book) } catch {
            #expect("\(error)".contains("missing required column \"issue_date\""))
        }
        // Another system's header: the columns it may mean are named with the --map that reads them.
        let error = #expect(throws: DeskError.self) {
            try plan(.invoices, "invoiceNumber,custmer,InvoiceDate,InvoiceAmount\nI1,C1,2026-03-01,5\n", in: book)
        }
        #expect(error.map { "\($0)".hasSuffix("perhaps --map \"invoiceNumber=number\" --map \"custmer=customer\" --map \"InvoiceDate=issue_date\" --map \"InvoiceAmount=amount\"") } == true,
                "\(String(describing: error))")
        // A short column a letter or two from a field is not taken for it (Note is not date); a
        // column is guessed for one field at most.
        let payments = #expect(throws: DeskError.self) {
            try plan(.payments, "Note,PaymentDate,Customer Number,reference,amount\nx,2026-03-01,C1,P1,5\n", in: book)
        }
        #expect(payments.map { "\($0)".hasSuffix("perhaps --map \"Customer Number=customer\" --map \"PaymentDate=date\"") } == true,
                "\(String(describing: payments))")
        // Chinese headers, as Chinese accounting systems write them, are suggested too.
        let chinese = #expect(throws: DeskError.self) {
            try plan(.invoices, "编号,客户,开票日期,金额\nI9,C1,2026-03-01,5\n", in: book)
        }
        #expect(chinese.map { "\($0)".hasSuffix("perhaps --map \"编号=number\" --map \"客户=customer\" --map \"开票日期=issue_date\" --map \"金额=amount\"") } == true,
                "\(String(describing: chinese))")
        // A format that writes a field twice (a month's name) is refused as a format, not row by row.
        #expect(DateFormat(pattern: "MM-M-YYYY") == nil)
        #expect(DateFormat(pattern: "D.M.YYYY")?.parse("5.3.2026") == day("2026-03-05"))
        // Months by their English names, as other systems export them.
        #expect(DateFormat(pattern: "MMM D, YYYY")?.parse("Mar 5, 2026") == day("2026-03-05"))
        #expect(DateFormat(pattern: "DD-MMM-YYYY")?.parse("05-MAR-2026") == day("2026-03-05"))
        #expect(DateFormat(pattern: "D MMMM YYYY")?.parse("5 March 2026") == day("2026-03-05"))
        #expect(DateFormat(pattern: "DD-MMM-YYYY")?.parse("05-Mrz-2026") == nil)
        #expect(DateFormat(pattern: "D MMM YYYY")?.parse("5 Sept 2026") == day("2026-09-05"))
        #expect(DateFormat.guesses(for: "05-Mar-2026") == ["D-MMM-YYYY"])
        // Chinese dates: 年, 月 and 日 separate the parts; a file of them is told which format to give.
        #expect(DateFormat(pattern: "YYYY年M月D日")?.parse("2026年11月1日") == day("2026-11-01"))
        #expect(DateFormat(pattern: "YYYY年MM月DD日")?.parse("2026年1月5日") == nil)
        #expect(DateFormat.guesses(for: "2026年11月1日") == ["YYYY年M月D日"])
        #expect(DateFormat(pattern: "YYYY年M月X") == nil)
    }

    @Test func emptyBOMAndCRLFFiles() throws {
        let book = try withCustomers()
        #expect(throws: DeskError.self) { try plan(.invoices, "", in: book) }
        let headerOnly = try plan(.invoices, "number,customer,issue_date,amount\n", in: book)
        #expect(headerOnly.issues.count == 1)
        let p = try plan(.invoices, "\u{FEFF}number,customer,issue_date,amount\r\nI1,C1,2026-01-05,100\r\nI2,C1,2026-01-06,\"1,200.50\"\r\n", in: book)
        #expect(p.issues.isEmpty)
        #expect(p.events.count == 2)
        if case .invoiceIssued(let inv) = p.events[1] {
            #expect(inv.amount == cny("1200.50"))
            #expect(inv.due == day("2026-02-05"))  // issue date + the customer's 30 days
        } else { Issue.record("expected an invoice") }
    }

    @Test func aGBKFileIsRefusedWithAClearMessage() throws {
        let book = try withCustomers()
        // "上海" in GBK is C9CF BAA3: not UTF-8.
        var bytes = Array("id,name\nC3,".utf8)
        bytes += [0xC9, 0xCF, 0xBA, 0xA3, 0x0A]
        let path = book.folder.path + "/gbk.csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            _ = try Importer(kind: .customers, options: .init(), book: book.desk.book).plan(path: path)
            Issue.record("expected a refusal")
        } catch {
            #expect("\(error)".contains(":2: the file is not UTF-8"))
            #expect("\(error)".contains("GBK"))
        }
    }

    @Test func reimportingTheSameFileNeverDuplicates() throws {
        let book = try withCustomers()
        let text = "number,customer,issue_date,amount\nI1,C1,2026-01-05,100\n"
        try book.desk.perform(.batch(try plan(.invoices, text, in: book).events))
        let again = try plan(.invoices, text, in: book)
        #expect(again.events.isEmpty)
        #expect(again.alreadyInBook == ["I1"])
        let changed = try plan(.invoices, "number,customer,issue_date,amount\nI1,C1,2026-01-05,999\n", in: book)
        #expect(changed.issues.first?.reason.contains("already in the book") == true)
    }

    /// An unquoted comma in a value shifts every later field: the row is refused with its line.
    /// Blank lines are skipped, and a quoted value spanning lines keeps later line numbers true.
    @Test func aRowOfTheWrongWidthIsRefusedAndLinesAreTheFilesLines() throws {
        let book = try TestBook()
        let shifted = try plan(.customers, "id,name,contact,phone\nW1,Acme, Inc,Bob Li,13800000000\n", in: book)
        #expect(shifted.events.isEmpty)
        #expect(shifted.issues.map(\.line) == [2])
        #expect(shifted.issues.first?.reason.contains("5 cells where the header has 4") == true)
        let p = try plan(.customers, "id,name,contact\n\nC1,Acme,\"Bob\nSmith\"\n\nC2,,Li\n\n\n", in: book)
        #expect(p.rowsRead == 2)
        #expect(p.issues.map(\.line) == [6])  // C2 has no name; C1 began on line 3 and took two
        #expect(p.issues.first?.column == "name")
    }

    /// Re-importing a customers file compares only what the file says: a review date set in
    /// ardesk since is not "other details". A payment named to another invoice is.
    @Test func reimportComparesWhatTheFileSays() throws {
        let book = try withCustomers()
        try book.desk.perform(.changeProfile("C1", .nextReview(day("2027-03-01")), reason: ""))
        let again = try plan(.customers, "id,name,terms_days,credit_limit,grade\nC1,上海华瑞科技有限公司,30,\"50,000.00\",B\n", in: book)
        #expect(again.issues.isEmpty && again.alreadyInBook == ["C1"])
        let otherLimit = try plan(.customers, "id,name,credit_limit\nC1,上海华瑞科技有限公司,1\n", in: book)
        #expect(otherLimit.issues.first?.reason.contains("other details") == true)
        try book.desk.perform(.batch(try plan(.invoices, "number,customer,issue_date,amount\nI1,C1,2026-01-05,100\nI2,C1,2026-01-06,100\n", in: book).events))
        try book.desk.perform(.batch(try plan(.payments, "reference,customer,date,amount,invoice\nB1,C1,2026-02-01,100,I2\n", in: book).events))
        #expect(try plan(.payments, "reference,customer,date,amount,invoice\nB1,C1,2026-02-01,100,I2\n", in: book).alreadyInBook == ["B1"])
        let otherInvoice = try plan(.payments, "reference,customer,date,amount,invoice\nB1,C1,2026-02-01,100,I1\n", in: book)
        #expect(otherInvoice.issues.first?.reason.contains("other details") == true)
        // An invoice again with another amount: which field differs, at its column.
        let otherAmount = try plan(.invoices, "number,customer,issue_date,amount\nI1,C1,2026-01-05,120\n", in: book)
        #expect(otherAmount.issues.first?.column == "amount")
        #expect(otherAmount.issues.first?.reason.hasSuffix("other details: amount 100.00 in the book, 120.00 here") == true, "\(otherAmount.issues)")
    }

    /// Customers made up by an invoices import (--create-customers: named by their id) are
    /// completed by a customers file later; others with other details are still refused.
    @Test func madeUpCustomersAreCompletedByACustomersFile() throws {
        let book = try withCustomers()
        var options = Importer.Options()
        options.createCustomers = true
        let invoices = try plan(.invoices, "number,customer,issue_date,amount\nN1,K7,2026-01-05,100\n", in: book, options: options)
        try book.desk.perform(.batch(invoices.events))
        #expect(book.desk.book.customers["K7"]?.name == "K7")
        let completed = try plan(.customers, "id,name,terms_days\nK7,Kay Seven Ltd,45\nC2,Someone Else,45\n", in: book)
        #expect(completed.issues.map(\.line) == [3])  // C2 has a real name: other details are refused
        try book.desk.perform(.batch(completed.events))
        #expect(book.desk.book.customers["K7"]?.name == "Kay Seven Ltd" && book.desk.book.customers["K7"]?.termsDays == 45)
    }

    /// With `updateCustomers` (`--update`) a master file exported again changes customers in the
    /// book where it says otherwise: one change each, logged with its reason; an empty cell keeps
    /// the book's value; a contact added in ardesk after the first stays behind the file's.
    @Test func aCustomersFileUpdatesCustomersWhenAsked() throws {
        let book = try withCustomers()
        let office = ContactPerson(name: "王芳", phone: "+86 21 5555 0101", email: "ap@huarui.cn")
        let site = ContactPerson(name: "李伟", phone: "+86 139 0000 0000", email: "")
        try book.desk.perform(.changeProfile("C1", .contacts([office, site]), reason: "second number"))
        try book.desk.perform(.changeProfile("C1", .grade(.c), reason: "slow"))
        let file = "id,name,terms_days,credit_limit,grade,contact,phone,email\nC1,上海华瑞科技有限公司,45,\"80,000.00\",,王芳,+86 21 5555 0199,\n"
        #expect(try plan(.customers, file, in: book).issues.first?.reason.contains("--update") == true)
        var options = Importer.Options()
        options.updateCustomers = true
        let update = try plan(.customers, file, in: book, options: options)
        #expect(update.issues.isEmpty && update.updatedCustomers == ["C1"])
        try book.desk.perform(.batch(update.events))
        let c1 = try #require(book.desk.book.customers["C1"])
        #expect(c1.termsDays == 45 && c1.creditLimit == cny("80,000") && c1.grade == .c)  // the grade cell was empty
        #expect(c1.contacts == [ContactPerson(name: "王芳", phone: "+86 21 5555 0199", email: "ap@huarui.cn"), site])  // the email cell was empty
        let reasons = book.desk.book.timeline(of: "C1").compactMap { entry -> String? in
            if case .profile(_, let reason) = entry.kind { reason } else { nil }
        }
        #expect(reasons.filter { $0 == "updated by a customers import" }.count == 3)  // terms, limit, contact
        // The same file again changes nothing.
        let again = try plan(.customers, file, in: book, options: options)
        #expect(again.events.isEmpty && again.alreadyInBook == ["C1"] && again.updatedCustomers.isEmpty)
        // Nor does the phone as `export csv` writes it, with the apostrophe a spreadsheet keeps
        // before text it must not run as a formula.
        let exported = try plan(.customers, file.replacingOccurrences(of: ",+86 21", with: ",'+86 21"), in: book, options: options)
        #expect(exported.issues.isEmpty && exported.events.isEmpty && exported.alreadyInBook == ["C1"], "\(exported.issues)")
        // An empty name keeps the book's too; a collector must be one of the book's users when it lists them.
        options.roles = Roles(users: ["li.na": .collector])
        let renamed = try plan(.customers, "id,name,terms_days,collector\nC2,,60,li.na\nC1,上海华瑞科技有限公司,45,nobody\n", in: book, options: options)
        #expect(renamed.issues.map(\.line) == [3] && renamed.issues.first?.reason.contains("not a user") == true)
        // Written by the name letters sign with, the login is named.
        options.roles = Roles(users: ["li.na": .collector], names: ["li.na": "李娜"])
        let byName = try plan(.customers, "id,name,collector\nC2,Acme Ltd,李娜\n", in: book, options: options)
        #expect(byName.issues.first?.reason.contains("the name of li.na: write li.na") == true, "\(byName.issues)")
        let c2 = try plan(.customers, "id,name,terms_days,collector\nC2,,60,li.na\n", in: book, options: options)
        try book.desk.perform(.batch(c2.events))
        #expect(book.desk.book.customers["C2"]?.name == "Acme Ltd" && book.desk.book.customers["C2"]?.termsDays == 60)
    }

    /// An invoices file's "disputed" column opens a dispute on each invoice marked yes, once.
    @Test func aDisputedColumnOpensDisputes() throws {
        let book = try withCustomers()
        let file = "number,customer,issue_date,amount,Disputed\nI1,C1,2026-01-05,100,Yes\nI2,C1,2026-01-06,100,no\nI3,C2,2026-01-07,50,\n"
        let first = try plan(.invoices, file, in: book)
        #expect(first.issues.isEmpty)
        try book.desk.perform(.batch(first.events))
        #expect(book.desk.book.disputes(onInvoice: "I1").map(\.opened) == [day("2026-01-05")])
        // Read back from the log too: opened on the issue day, so a look back sees it disputed.
        let reopened = try book.reopen()
        #expect(reopened.book.disputes(onInvoice: "I1").map(\.opened) == [day("2026-01-05")])
        #expect(Position("C1", in: reopened.book, asOf: day("2026-02-01")).disputed == cny("100"))
        #expect(book.desk.book.disputes(onInvoice: "I2").isEmpty && book.desk.book.disputes(onInvoice: "I3").isEmpty)
        let again = try plan(.invoices, file, in: book)
        #expect(again.events.isEmpty && again.alreadyInBook == ["I1", "I2", "I3"])
        // An invoice disputed in ardesk since is not disputed a second time by the file.
        try book.desk.perform(.dispute("C1", invoices: ["I2"], reason: "short delivery"))
        let marked = try plan(.invoices, file.replacingOccurrences(of: "I2,C1,2026-01-06,100,no", with: "I2,C1,2026-01-06,100,yes"), in: book)
        #expect(marked.events.isEmpty)
        let odd = try plan(.invoices, "number,customer,issue_date,amount,disputed\nI4,C1,2026-01-05,100,maybe\n", in: book)
        #expect(odd.issues.first?.column == "disputed" && odd.issues.first?.reason.contains("not yes or no") == true)
    }

    /// An imported payment that settles in full an invoice a file flagged disputed resolves that
    /// dispute, on the payment's day and saying so; one part paid, or opened by a person, stays open.
    @Test func anImportedPaymentEndsTheImportedDisputeOfTheInvoiceItSettles() throws {
        let book = try withCustomers()
        let invoices = try plan(.invoices, """
        number,customer,issue_date,amount,disputed
        I1,C1,2026-01-05,100,yes
        I2,C1,2026-01-06,100,yes
        I3,C2,2026-01-07,50,no
        """, in: book)
        try book.desk.perform(.batch(invoices.events))
        try book.desk.perform(.dispute("C2", invoices: ["I3"], reason: "short delivery"))
        let payments = try plan(.payments, """
        reference,customer,date,amount,invoice
        B1,C1,2026-02-10,100,I1
        B2,C1,2026-02-11,40,I2
        B3,C2,2026-02-12,50,I3
        """, in: book)
        #expect(payments.issues.isEmpty && payments.importedDisputesEnded == 1)
        try book.desk.perform(.batch(payments.events))
        let reopened = try book.reopen()
        let ended = try #require(reopened.book.disputes(onInvoice: "I1").first)
        #expect(ended.status == .resolved && ended.resolved == day("2026-02-10"))
        #expect(reopened.book.timeline(of: "C1").contains {
            if case .disputeResolved(ended.id, "invoice settled in full by payment B1, as imported") = $0.kind { true } else { false }
        })
        #expect(reopened.book.disputes(onInvoice: "I2").map(\.status) == [.open])
        #expect(reopened.book.disputes(onInvoice: "I3").map(\.status) == [.open])
        // As of a day before the payment, the invoice was still disputed.
        #expect(Position("C1", in: reopened.book, asOf: day("2026-02-09")).disputed == cny("200"))
        // The payment reversed (entered in error, as of its day): the dispute stands again, as the file had it.
        try reopened.perform(.reversePayment(reference: "B1", on: day("2026-02-10"), reason: "typo", cause: .enteredInError))
        #expect(reopened.book.disputes(onInvoice: "I1").map(\.status) == [.resolved, .open])
        #expect(Position("C1", in: reopened.book, asOf: day("2026-03-01")).disputed == cny("160"))  // I1 100 + I2's 60 open
        // u does not take the dispute back and leave the reversal: the action stays whole.
        #expect { try reopened.perform(.undoLast) } throws: { "\($0)".contains("reversed payment B1") }
        // A dispute a person resolved the day a payment came is not opened again by that payment's reversal.
        try reopened.perform(.resolveDispute(id: "D-I2", note: "agreed with the customer"))
        try reopened.perform(.pay("C1", amount: cny("60"), on: day("2026-03-01"), invoice: "I2", reference: "B4", method: "bank"))
        try reopened.perform(.reversePayment(reference: "B4", on: day("2026-03-01"), reason: "returned"))
        #expect(reopened.book.disputes(onInvoice: "I2").map(\.status) == [.resolved])
    }

    /// Credit notes import against an invoice or unapplied; the same file again is reported as
    /// already there; more than an invoice's open amount, another customer's invoice, a zero
    /// amount are refused with their line.
    @Test func creditNotesImportAgainstInvoicesOrAsCredit() throws {
        let book = try withCustomers()
        try book.desk.perform(.batch(try plan(.invoices, "number,customer,issue_date,amount\nI1,C1,2026-01-05,100\nI9,C2,2026-01-05,50\n", in: book).events))
        let file = "number,customer,date,amount,invoice,reason\nCN1,C1,2026-02-01,30,I1,price\nCN2,C1,2026-02-02,20,,goodwill\n"
        let first = try plan(.creditNotes, file, in: book)
        #expect(first.issues.isEmpty)
        try book.desk.perform(.batch(first.events))
        #expect(book.desk.book.invoices["I1"]?.open(asOf: day("2026-03-01")) == cny("70"))
        #expect(Position("C1", in: book.desk.book, asOf: day("2026-03-01")).credit == cny("20"))
        #expect(try plan(.creditNotes, file, in: book).alreadyInBook == ["CN1", "CN2"])
        let bad = try plan(.creditNotes, "number,customer,date,amount,invoice\nCN3,C1,2026-02-01,80,I1\nCN4,C1,2026-02-01,5,I9\nCN5,C1,2026-02-01,0,\nCN6,C1,2026-01-01,5,I1\n", in: book)
        #expect(bad.issues.map(\.line) == [2, 3, 4, 5])
        #expect(bad.issues[1].column == "invoice" && bad.issues[2].column == "amount" && bad.issues[3].column == "date")
        // The command refuses a credit note dated before its invoice too.
        #expect(throws: DeskError.self) {
            try book.desk.perform(.creditNote("C1", number: nil, amount: cny("5"), on: day("2026-01-01"), invoice: "I1", reason: "early"))
        }
    }

    /// A bank's file of returned payments reverses each by its reference: what they paid is owed
    /// again; the same file again changes nothing; an unknown payment, a day before the payment
    /// or after today, or a second reversal on another day are named by line and column.
    @Test func returnedPaymentsImportAsReversals() throws {
        let book = try withCustomers()
        try book.desk.perform(.batch(try plan(.invoices, "number,customer,issue_date,amount\nI1,C1,2026-01-05,100\nI2,C2,2026-01-05,50\n", in: book).events))
        try book.desk.perform(.batch(try plan(.payments, "reference,customer,date,amount\nB1,C1,2026-02-01,100\nB2,C2,2026-02-01,50\n", in: book).events))
        var options = Importer.Options()
        options.today = day("2026-03-01")
        let file = "reference,date,reason\nB1,2026-02-05,账户余额不足 insufficient funds\nB2,2026-02-06,\n"
        let first = try plan(.reversals, file, in: book, options: options)
        #expect(first.issues.isEmpty, "\(first.issues)")
        try book.desk.perform(.batch(first.events))
        #expect(book.desk.book.invoices["I1"]?.open(asOf: day("2026-02-05")) == cny("100"))
        #expect(book.desk.book.invoices["I1"]?.open(asOf: day("2026-02-04")) == .zero)
        #expect(book.desk.book.reversals["B2"]?.reason == Importer.defaultReversalReason)
        #expect(try plan(.reversals, file, in: book, options: options).alreadyInBook == ["B1", "B2"])
        var ahead = Importer.Options()
        ahead.keepsCredit = true  // B4 finds nothing owed: a credit, asked for by name
        try book.desk.perform(.batch(try plan(.payments, "reference,customer,date,amount\nB3,C1,2026-02-10,100\nB4,C1,2026-02-11,10\n", in: book, options: ahead).events))
        let bad = try plan(.reversals, "reference,date\nB9,2026-02-10\nB3,2026-02-09\nB4,2026-03-02\nB1,2026-02-20\n", in: book, options: options)
        #expect(bad.issues.map(\.line) == [2, 3, 4, 5])
        #expect(bad.issues.map(\.column) == ["reference", "date", "date", "reference"])
        #expect(bad.events.isEmpty)
        let contacts = try plan(.customers, "id,name,phone,email\nC8,Bad Phone Ltd,call me,\nC9,Bad Mail Ltd,+86 21 5555 0100,bad@\n", in: book)
        #expect(contacts.issues.map(\.column) == ["phone", "email"] && contacts.issues.map(\.line) == [2, 3], "\(contacts.issues)")
        let long = try plan(.reversals, "reference,date,reason\nB3,2026-02-12,\(String(repeating: "x", count: Command.longestText + 1))\n", in: book, options: options)
        #expect(long.issues.map(\.column) == ["reason"] && long.events.isEmpty)
        // A payment recorded by mistake is taken back as entered in error: no word of the customer.
        let mistaken = try plan(.reversals, "reference,date,cause\nB3,2026-02-12,entered in error\nB4,2026-02-12,bounced\n", in: book, options: options)
        #expect(mistaken.issues.map(\.column) == ["cause"] && mistaken.issues.first?.line == 3)
        let corrected = try plan(.reversals, "reference,date,cause\nB3,2026-02-12,entered-in-error\n", in: book, options: options)
        try book.desk.perform(.batch(corrected.events))
        #expect(book.desk.book.reversals["B3"]?.cause == .enteredInError)
        #expect(book.desk.book.reversals["B3"]?.reason == Importer.defaultErrorReason)
        #expect(try plan(.reversals, "reference,date,cause\nB3,2026-02-12,entered-in-error\n", in: book, options: options).alreadyInBook == ["B3"])
        #expect(try plan(.reversals, "reference,date\nB3,2026-02-12\n", in: book, options: options).issues.first?.reason.contains("entered-in-error") == true)
    }

    /// What the commands refuse, an import refuses too, row by row: a payment not yet received,
    /// a negative limit, a name over two lines, an amount in another currency; a stray quote is
    /// placed by line and column.
    /// A header naming a column twice is refused: which one holds the field cannot be guessed.
    @Test func aColumnNamedTwiceIsRefused() throws {
        let book = try withCustomers()
        #expect { try plan(.customers, "id,name,Name\nA8,x,y\n", in: book) } throws: {
            "\($0)".contains("the header has column \"name\" 2 times (columns 2, 3)")
        }
    }

    /// A header as other systems spell a field ("Due Date", "DueDate") reads as the field; a
    /// column no field reads is listed, with the field it is spelled nearly as; two columns
    /// that both read as one field are refused.
    @Test func headersAreReadAsOtherSystemsSpellThem() throws {
        let book = try withCustomers()
        let p = try plan(.invoices, "Number,Customer,Issue Date,Due-Date,Amount,disputd,Region\nW1,C1,2026-01-05,2026-06-30,100,yes,East\n", in: book)
        #expect(p.issues.isEmpty)
        guard case .invoiceIssued(let invoice) = p.events.first else { Issue.record("\(p.events)"); return }
        #expect(invoice.due == day("2026-06-30"))
        #expect(p.unreadColumns == [UnreadColumn(name: "disputd", likelyField: "disputed"), UnreadColumn(name: "Region", likelyField: nil)])
        let named = try plan(.invoices, "number,customer,Issue Date,amount\nW3,C1,2026-13-05,5\n", in: book)
        #expect(named.issues.first?.column == "Issue Date")  // a problem names the column as the file spells it
        #expect { try plan(.invoices, "number,customer,issue_date,Due Date,DueDate,amount\nW4,C1,2026-01-05,,,5\n", in: book) } throws: {
            "\($0)".contains("columns \"Due Date\" (column 4) and \"DueDate\" (column 5) both read as due_date")
        }
        var options = Importer.Options()
        options.columnForField["due_date"] = "DueDate"
        let mapped = try plan(.invoices, "number,customer,issue_date,Due Date,DueDate,amount\nW4,C1,2026-01-05,,2026-02-05,5\n", in: book, options: options)
        #expect(mapped.issues.isEmpty && mapped.unreadColumns.map(\.name) == ["Due Date"])
        #expect(p.readByPlainName.map { "\($0.column)=\($0.field)" } == ["Issue Date=issue_date", "Due-Date=due_date"])
        #expect(mapped.readByPlainName.isEmpty)
    }

    /// A date near the last day a date can be written (whose due date, reckoned from terms, would
    /// be past it: a record no later open could read) is refused at its column, as a slip.
    @Test func aDateFarOutIsRefusedAsASlip() throws {
        let book = try withCustomers()
        let p = try plan(.invoices, "number,customer,issue_date,amount\nQ9,C1,9999-12-31,5\nQ8,C1,2199-11-01,5\n", in: book)
        #expect(p.issues.count == 1)
        #expect(p.issues.first?.line == 2 && p.issues.first?.column == "issue_date")
        #expect(p.issues.first?.reason.contains("in the year 9999, which no receivable dates from") == true)
        // A value longer than any field needs is placed at its row and column, dry run or not.
        let long = String(repeating: "r", count: 70_000)
        let oversized = try plan(.invoices, "number,customer,issue_date,amount,reference\nQ7,C1,2026-01-05,5,\(long)\n", in: book)
        #expect(oversized.issues.map { "\($0.line) \($0.column ?? "") \($0.reason)" } == ["2 reference holds 70000 bytes; a value may hold at most 65536"])
    }

    /// Amounts that would take the book's total past what 64-bit sums hold are refused when
    /// entered (with the book reopened too, when the total is reckoned from the book), and a
    /// record that would not read back is never written.
    @Test func amountsTooLargeToTotalAndUnreadableRecordsAreRefused() throws {
        let book = try withCustomers()
        let huge = "999,999,999,999,999.99"
        try book.desk.perform(.batch(try plan(.invoices, "number,customer,issue_date,amount\nH1,C1,2026-01-05,\"\(huge)\"\n", in: book).events))
        let before = book.desk.book.lastSequence
        let second = try plan(.invoices, "number,customer,issue_date,amount\nH2,C1,2026-01-06,\"\(huge)\"\n", in: book)
        #expect(second.issues.map { "\($0.line) \($0.column ?? "")" } == ["2 amount"])  // named at its row before anything is written
        #expect(second.issues.first?.reason.contains("past what ardesk can total exactly") == true)
        #expect { try book.desk.perform(.batch(second.events)) } throws: { "\($0)".contains("these amounts are too large") }
        let reopened = try book.reopen()
        #expect { try reopened.perform(.batch(second.events)) } throws: { "\($0)".contains("these amounts are too large") }
        #expect(try book.reopen().book.lastSequence == before)
        try reopened.perform(.note("C1", "an ordinary action still saves"))

        let unreadable = EventCodec.encode(.noteAdded("C1", "x"), day: Day.last.adding(days: 1))
        #expect { try Desk.checkReadsBack(unreadable, author: "tester") } throws: { "\($0)".contains("would not read back") }
        try Desk.checkReadsBack(EventCodec.encode(.noteAdded("C1", "x"), day: Day.last), author: "tester")
    }

    @Test func importsRefuseWhatTheCommandsRefuse() throws {
        let book = try withCustomers()
        var options = Importer.Options()
        options.today = day("2026-03-01")
        let future = try plan(.payments, "reference,customer,date,amount\nB9,C1,2026-03-15,100\n", in: book, options: options)
        #expect(future.issues.first?.column == "date" && future.issues.first?.reason.contains("after today") == true)
        // A year with a digit dropped, and an amount past what is read, are said as such.
        let slips = try plan(.invoices, "number,customer,issue_date,amount\nI7,C1,0026-01-05,100\nI8,C1,2026-01-05,1234567890123456\n", in: book)
        #expect(slips.issues.map(\.line) == [2, 3] && slips.issues.map(\.column) == ["issue_date", "amount"], "\(slips.issues)")
        #expect(slips.issues.first?.reason.contains("in the year 26, which no receivable dates from (1900–2199)") == true, "\(slips.issues)")
        #expect(slips.issues.last?.reason.contains("too large: at most 15 digits before the decimal point") == true, "\(slips.issues)")
        let odd = try plan(.customers, "id,name,credit_limit\nN1,Neg,-5000\nN2,\"Two\nLines\",0\nN3,Dollar,\"$1,000\"\n", in: book)
        #expect(odd.issues.map { $0.column ?? "" } == ["credit_limit", "name", "credit_limit"])
        #expect(odd.issues.map(\.line) == [2, 3, 5])
        do { _ = try plan(.customers, "id,name,terms_days\nZ1,A\"b,30\n", in: book); Issue.record("a stray quote was read") } catch {
            #expect("\(error)".contains("in.csv:2:5: a double quote inside a value"))
        }
        // A quote never closed is placed where it opens, not read as a row of too few cells.
        do {
            _ = try plan(.invoices, "number,customer,issue_date,amount\nI5,C1,2026-01-05,\"100\nI6,C1,2026-01-06,200\n", in: book)
            Issue.record("an unclosed quote was read")
        } catch {
            #expect("\(error)".contains("in.csv:2:18: a quoted value that starts here is never closed"))
        }
        // A repeat within the file is called so, not "already in the book"; a due date before
        // the issue date is said alongside the row's other problems.
        let twice = try plan(.customers, "id,name\nK1,Kay Ltd\nK1,Kay Limited\n", in: book)
        #expect(twice.issues.map(\.reason) == ["\"K1\" appears again (first on line 2)"])
        let both = try plan(.invoices, "number,customer,issue_date,due_date,amount\nI7,C1,2026-02-05,2026-01-05,abc\n", in: book)
        #expect(Set(both.issues.compactMap(\.column)) == ["amount", "due_date"])
    }

    /// An invoice imported without a due date took it from the customer's terms; after the terms
    /// change the same file is still the same invoices.
    @Test func reimportAfterATermsChangeIsTheSameInvoices() throws {
        let book = try withCustomers()
        let text = "number,customer,issue_date,amount\nI1,C1,2026-01-05,100\n"
        try book.desk.perform(.batch(try plan(.invoices, text, in: book).events))
        try book.desk.perform(.changeProfile("C1", .terms(60), reason: ""))
        let again = try plan(.invoices, text, in: book)
        #expect(again.issues.isEmpty && again.alreadyInBook == ["I1"])
        // Imported with a reference, then from a file without that column: the same invoice.
        try book.desk.perform(.batch(try plan(.invoices, "number,customer,issue_date,amount,reference\nI8,C1,2026-01-05,100,PO-1\n", in: book).events))
        let withoutColumn = try plan(.invoices, "number,customer,issue_date,amount\nI8,C1,2026-01-05,100\n", in: book)
        #expect(withoutColumn.issues.isEmpty && withoutColumn.alreadyInBook == ["I8"])
    }

    @Test func paymentsWithoutAnInvoiceGoOldestFirstAcrossRows() throws {
        let book = try withCustomers()
        try book.desk.perform(.batch(try plan(.invoices, "number,customer,issue_date,amount\nI1,C1,2026-01-05,100\nI2,C1,2026-01-20,100\n", in: book).events))
        let p = try plan(.payments, "reference,customer,date,amount\nB1,C1,2026-02-01,150\nB2,C1,2026-02-02,50\n", in: book)
        #expect(p.issues.isEmpty)
        try book.desk.perform(.batch(p.events))
        #expect(book.desk.book.invoices["I1"]!.settledEver == cny("100"))
        #expect(book.desk.book.invoices["I2"]!.settledEver == cny("100"))
    }
}

extension ImportTests {
    /// Excel in a European locale saves CSV with semicolons: a header without a comma is read
    /// with what it has. A disputed flag may be 是/否. A file in another encoding is named.
    @Test func semicolonsChineseFlagsAndOtherEncodings() throws {
        let book = try withCustomers()
        let semicolons = try plan(.invoices, "number;customer;issue_date;amount;disputed\r\nS1;C1;2026-02-01;\"1,000.00\";是\r\nS2;C2;2026-02-02;80;否\r\n", in: book)
        #expect(semicolons.issues.isEmpty, "\(semicolons.issues)")
        #expect(semicolons.separator == ";")
        #expect(semicolons.events.contains { if case .disputeOpened = $0 { true } else { false } })
        // 1,500 there may be 1.5 (a decimal comma): refused at its line and column, not read as 1,500.00.
        let unclear = try plan(.invoices, "number;customer;issue_date;amount\nS3;C1;2026-02-01;1,500\n", in: book)
        #expect(unclear.issues.count == 1 && unclear.issues[0].description.hasSuffix(
            "in.csv:2 column \"amount\": \"1,500\" is unclear in a file separated by semicolons, where a comma may be the decimal mark: write it without grouping, with a point for decimals (1500 or 1.5)"),
                "\(unclear.issues)")
        let utf16 = book.folder.path + "/utf16.csv"
        _ = FileManager.default.createFile(atPath: utf16, contents: Data([0xFF, 0xFE]) + "id,name\n".data(using: .utf16LittleEndian)!)
        #expect { try Importer(kind: .customers, options: .init(), book: book.desk.book).plan(path: utf16) } throws: { "\($0)".contains("the file is UTF-16") }
        let western = book.folder.path + "/cp1252.csv"
        _ = FileManager.default.createFile(atPath: western, contents: Data("id,name\nC7,Soci".utf8) + Data([0xE9]) + Data("t".utf8) + Data([0xE9]) + Data(" G\n".utf8))
        #expect { try Importer(kind: .customers, options: .init(), book: book.desk.book).plan(path: western) } throws: { "\($0)".contains("iconv -f CP1252") }
        // Größe: two Western letters side by side (ö ß) among single ones, and odd runs, are not GBK;
        // Chinese text is read with GB18030, which holds all of GBK and more.
        let german = book.folder.path + "/german.csv"
        _ = FileManager.default.createFile(atPath: german, contents: Data("id,name\nD1,Gr".utf8) + Data([0xF6, 0xDF]) + Data("e Handels AG, M".utf8) + Data([0xFC]) + Data("nchen\n".utf8))
        #expect { try Importer(kind: .customers, options: .init(), book: book.desk.book).plan(path: german) } throws: { "\($0)".contains("iconv -f CP1252") }
        let chinese = book.folder.path + "/gbk.csv"
        _ = FileManager.default.createFile(atPath: chinese, contents: Data("id,name\nG1,".utf8) + Data([0xC9, 0xCF, 0xBA, 0xA3]) + Data("\n".utf8))  // 上海
        #expect { try Importer(kind: .customers, options: .init(), book: book.desk.book).plan(path: chinese) } throws: { "\($0)".contains("iconv -f GB18030") }
        let workbook = book.folder.path + "/customers.xlsx"
        _ = FileManager.default.createFile(atPath: workbook, contents: Data("PK\u{03}\u{04}".utf8) + Data([0x14, 0x00, 0x06, 0x00, 0xE9, 0x80]))
        #expect { try Importer(kind: .customers, options: .init(), book: book.desk.book).plan(path: workbook) } throws: { "\($0)".contains("a spreadsheet workbook (Excel, LibreOffice), not CSV") }
        // What cannot be read says why; a device or a pipe reads as a file does (/dev/null is empty).
        let importer = Importer(kind: .customers, options: .init(), book: book.desk.book)
        #expect { try importer.plan(path: "/dev/null") } throws: { "\($0)".contains("/dev/null: the file is empty") }
        #expect { try importer.plan(path: book.folder.path) } throws: { "\($0)".contains("it is a folder, not a file") }
        #expect { try importer.plan(path: book.folder.path + "/missing.csv") } throws: { "\($0)".contains("missing.csv: no such file") }
        // A currency written by its common name is the book's, not another.
        let rmb = try plan(.invoices, "number,customer,issue_date,amount,currency\nR1,C1,2026-02-01,10,RMB\nR2,C1,2026-02-01,10,人民币\nR3,C1,2026-02-01,10,USD\n", in: book)
        #expect(rmb.issues.map(\.line) == [4], "\(rmb.issues)")
    }
}

extension ImportTests {
    /// A payment, credit note or customer already in the book with other details names what differs.
    @Test func aDocumentAlreadyInTheBookNamesWhatDiffers() throws {
        let book = try withCustomers()
        let invoices = try plan(.invoices, "number,customer,issue_date,amount\nI1,C1,2026-01-05,100\n", in: book)
        try book.desk.perform(.batch(invoices.events))
        let first = try plan(.payments, "reference,customer,date,amount\nQ1,C1,2026-02-01,50\n", in: book)
        try book.desk.perform(.batch(first.events))
        let again = try plan(.payments, "reference,customer,date,amount\nQ1,C1,2026-02-01,60\n", in: book)
        #expect(again.issues.map(\.reason) == ["payment \"Q1\" is already in the book with other details: amount 50.00 in the book, 60.00 here"],
                "\(again.issues)")
        #expect(again.issues.first?.column == "amount")
        let customer = try plan(.customers, "id,name\nC2,Acme Limited\n", in: book)
        #expect(customer.issues.first?.reason.contains("Acme Ltd → Acme Limited") == true, "\(customer.issues)")
    }
}
