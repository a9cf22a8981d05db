import Core
@testable import Desk
import Foundation
import Testing

/// Documents reach the outbox only once the log records them: a template that cannot be
/// rendered refuses the action with its place and leaves nothing, and what a stopped process
/// left half done is finished by the next delivery.
@Suite(.serialized) struct OutboxDeliveryTests {
    func book() throws -> TestBook {
        let book = try TestBook(today: day("2026-03-31"))
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "Acme Ltd"), Customer(id: "C2", name: "Bolt Ltd")]))
        try book.desk.perform(.issueInvoices([
            Invoice(number: "I1", customer: "C1", issued: day("2026-01-05"), due: day("2026-02-04"), amount: cny("1,000")),
            Invoice(number: "I2", customer: "C2", issued: day("2026-01-05"), due: day("2026-02-04"), amount: cny("800")),
        ]))
        setenv("ARDESK_TEMPLATES", CLIRoot.path + "/templates", 1)
        return book
    }

    func outboxFiles(_ book: TestBook) -> [String] {
        let outbox = book.folder.path + "/outbox"
        return ((FileManager.default.enumerator(atPath: outbox)?.allObjects as? [String]) ?? [])
            .filter { $0.hasSuffix(".md") || $0.hasSuffix(".html") }.sorted()
    }

    @Test func aTemplateThatCannotBeRenderedRefusesTheRunBeforeAnyLetterIsWritten() throws {
        let book = try book()
        let templates = book.folder.path + "/templates"
        try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
        // The first level's English letter, broken on its second line: an unclosed tag.
        let level = book.desk.policy.dunningLevels.first { $0.channel == .letter }!
        let file = "\(templates)/letter-\(level.template).en.md.mustache"
        try "# Reminder\nDear {{contact}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let before = book.desk.book.lastSequence
        for dryRun in [true, false] {
            let error = #expect(throws: DeskError.self) { try book.desk.dunningRun(asOf: day("2026-03-31"), dryRun: dryRun) }
            let message = "\(error.map { "\($0)" } ?? "")"
            #expect(message.contains("\(file):2:"), "\(message)")
            #expect(message.contains("a tag is not closed"), "\(message)")
        }
        #expect(book.desk.book.lastSequence == before)
        #expect(outboxFiles(book).isEmpty)
        // A section never closed is named where it opens, not at the end of the file.
        try "# Reminder\n{{#items}}\n- {{number}}\n\nYours,\n".write(toFile: file, atomically: true, encoding: .utf8)
        let unclosed = #expect(throws: DeskError.self) { try book.desk.dunningRun(asOf: day("2026-03-31"), dryRun: true) }
        let said = "\(unclosed.map { "\($0)" } ?? "")"
        #expect(said.contains("\(file):2:1: the section {{#items}} is not closed (its {{/items}} is missing)"), "\(said)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: book.folder.path + "/outbox")) ?? []
        #expect(!left.contains { $0.hasPrefix(".staging-") }, "\(left)")
    }

    @Test func aRunPutsItsLettersInPlaceOnceRecorded() throws {
        let book = try book()
        let actions = try book.desk.dunningRun(asOf: day("2026-03-31"), dryRun: false)
        let files = outboxFiles(book).filter { $0.hasSuffix(".md") }.map { "outbox/" + $0 }
        let recorded = book.desk.book.timelines.flatMap(\.activities).compactMap { activity -> String? in
            if case .documentSent(_, let file) = activity.kind { file } else { nil }
        }
        #expect(!actions.isEmpty)
        #expect(files.sorted() == recorded.sorted())
        let left = try FileManager.default.contentsOfDirectory(atPath: book.folder.path + "/outbox")
        #expect(!left.contains { $0.hasPrefix(".staging-") }, "\(left)")
    }

    /// A process stopped after its records were saved and before its files were moved: the
    /// next delivery moves what the log records and deletes what it does not.
    @Test func theNextDeliveryFinishesWhatAStoppedProcessLeft() throws {
        let book = try book()
        try book.desk.perform(.documentSent("C1", .letter(level: 1), file: "outbox/2026-03-30/C1-letter-1.md"))
        // No process of this machine has this number (above the kernel's largest).
        let abandoned = book.folder.path + "/outbox/.staging-\(OutboxDelivery.host)-2147483646-7/2026-03-30"
        try FileManager.default.createDirectory(atPath: abandoned, withIntermediateDirectories: true)
        for name in ["C1-letter-1.md", "C1-letter-1.html", "C2-letter-1.md", "C2-letter-1.html"] {
            try "letter".write(toFile: abandoned + "/" + name, atomically: false, encoding: .utf8)
        }
        // A staging folder of a process still running (this one), or of another machine's
        // process touched within the hour, is left alone.
        let running = ".staging-\(OutboxDelivery.host)-\(getpid())-8", elsewhere = ".staging-otherhost-2147483646-9"
        for name in [running, elsewhere] {
            try FileManager.default.createDirectory(atPath: book.folder.path + "/outbox/" + name, withIntermediateDirectories: true)
        }

        try book.desk.writeStatement(customer: "C2", from: nil, to: day("2026-03-31"), language: "en")
        #expect(outboxFiles(book) == ["2026-03-30/C1-letter-1.html", "2026-03-30/C1-letter-1.md",
                                      "2026-03-31/C2-statement.html", "2026-03-31/C2-statement.md"])
        let left = try FileManager.default.contentsOfDirectory(atPath: book.folder.path + "/outbox")
        #expect(left.filter { $0.hasPrefix(".staging-") }.sorted() == [running, elsewhere].sorted())
    }

    /// A document that cannot be put in place once its record is saved (a file where its day's
    /// folder should be) is neither lost nor reported as a refusal: it stays staged, and a later
    /// delivery puts it in place once this process has ended.
    @Test func aDocumentThatCannotBeMovedStaysStagedAndTheActionStandsSaved() throws {
        let book = try book()
        try FileManager.default.createDirectory(atPath: book.folder.path + "/outbox", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: book.folder.path + "/outbox/2026-03-31", contents: Data("in the way".utf8)))
        let (path, records) = try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-31"), language: "en")
        #expect(path == "outbox/2026-03-31/C1-statement.md" && !records.isEmpty)
        let staging = try FileManager.default.contentsOfDirectory(atPath: book.folder.path + "/outbox").filter { $0.hasPrefix(".staging-") }
        #expect(staging.count == 1)
        #expect(FileManager.default.fileExists(atPath: "\(book.folder.path)/outbox/\(staging[0])/2026-03-31/C1-statement.md"))
    }
}

extension OutboxDeliveryTests {
    /// A tag naming nothing a letter fills in (a typo) is refused with its place, not printed as
    /// a blank in letters then sent; the shipped templates name only what is filled in.
    @Test func aTemplateNamingAnUnknownFieldIsRefusedWithItsPlace() throws {
        let book = try book()
        let templates = book.folder.path + "/templates"
        try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
        try "# Statement\n\nDear {{contact}},\n{{#lines}}{{day}} {{ammount}}{{/lines}}\n".write(toFile: templates + "/statement.en.md.mustache", atomically: true, encoding: .utf8)
        #expect { try book.desk.writeStatement(customer: "C1", from: nil, to: day("2026-03-31"), language: "en") } throws: {
            "\($0)".contains("statement.en.md.mustache:3:6: {{contact}} is not something this document fills in")
        }
        #expect(TemplateLibrary.unknownTag(in: "{{! note }}{{% CONTENT_TYPE: TEXT}}{{#items}}{{.}}{{/items}}{{{customer.name}}}", fields: Outbox.letterFields) == nil)
        #expect(TemplateLibrary.unknownTag(in: "a\n {{> footer}}", fields: Outbox.letterFields)?.line == 2)
        #expect(TemplateLibrary.unknownTag(in: "a\r\nb\r\n  {{customer.nmae}}", fields: Outbox.letterFields).map { [$0.line, $0.column] } == [3, 3])
        for (file, text) in ShippedTemplates.files where file.hasSuffix(".md.mustache") {
            #expect(TemplateLibrary.unknownTag(in: text, fields: file.hasPrefix("statement") ? Outbox.statementFields : Outbox.letterFields) == nil, "\(file)")
        }
        #expect(outboxFiles(book).isEmpty)
    }
}

extension OutboxDeliveryTests {
    /// A stopped process's recorded letter that cannot be put in place yet (a file where its
    /// day's folder should be) is kept staged, never deleted with the folder.
    @Test func aRecordedDocumentThatCannotBePlacedIsKept() throws {
        let book = try book()
        try book.desk.perform(.documentSent("C1", .letter(level: 1), file: "outbox/2026-03-30/C1-letter-1.md"))
        let abandoned = book.folder.path + "/outbox/.staging-\(OutboxDelivery.host)-2147483646-5"
        try FileManager.default.createDirectory(atPath: abandoned + "/2026-03-30", withIntermediateDirectories: true)
        try "letter".write(toFile: abandoned + "/2026-03-30/C1-letter-1.md", atomically: false, encoding: .utf8)
        #expect(FileManager.default.createFile(atPath: book.folder.path + "/outbox/2026-03-30", contents: Data("in the way".utf8)))
        try book.desk.writeStatement(customer: "C2", from: nil, to: day("2026-03-31"), language: "en")
        #expect(FileManager.default.fileExists(atPath: abandoned + "/2026-03-30/C1-letter-1.md"))
    }
}

extension OutboxDeliveryTests {
    /// What a stopped process staged and recorded as sent is put in place when the book next
    /// opens: a dunning run killed after its records were saved left its letters unseen until
    /// another document happened to be written.
    @Test func openingTheBookFinishesWhatAStoppedProcessLeft() throws {
        let book = try book()
        try book.desk.perform(.documentSent("C1", .letter(level: 1), file: "outbox/2026-03-30/C1-letter-1.md"))
        let abandoned = book.folder.path + "/outbox/.staging-\(OutboxDelivery.host)-2147483646-7/2026-03-30"
        try FileManager.default.createDirectory(atPath: abandoned, withIntermediateDirectories: true)
        for name in ["C1-letter-1.md", "C1-letter-1.html"] { try "letter".write(toFile: abandoned + "/" + name, atomically: false, encoding: .utf8) }
        _ = try book.reopen()
        #expect(outboxFiles(book) == ["2026-03-30/C1-letter-1.html", "2026-03-30/C1-letter-1.md"])
        let left = try FileManager.default.contentsOfDirectory(atPath: book.folder.path + "/outbox")
        #expect(!left.contains { $0.hasPrefix(".staging-") }, "\(left)")
    }
}
