import Core
@testable import Desk
import FlatJSON
import Foundation
@testable import Journal
import Testing

/// Opening folds records on a second thread while the journal reads on; the result must not
/// depend on how the records were cut into chunks.
@Suite struct BackgroundReplayTests {
    @Test func chunkSizeDoesNotChangeTheBook() throws {
        let book = try TestBook(today: day("2026-11-24"))
        try DemoBook(customers: 20, seed: 11, asOf: day("2026-11-24")).generate(chunkSize: 97) { try book.desk.appendHistory($0) }
        try book.desk.perform(.note("C00003", "after the history"))
        let whole = try Desk.open(folder: book.folder, today: day("2026-11-24"), readOnlyReason: nil, user: "tester", replayChunk: 1 << 20)
        #expect(whole.book.lastSequence > 500)
        for chunk in [1, 7, 64] {
            let cut = try Desk.open(folder: book.folder, today: day("2026-11-24"), readOnlyReason: nil, user: "tester", replayChunk: chunk)
            #expect(cut.book.lastSequence == whole.book.lastSequence)
            let same = cut.book.snapshotBytes() == whole.book.snapshotBytes()
            #expect(same, "chunks of \(chunk)")
        }
    }

    /// Opening tells a front end how far it has read the log: rising byte counts within the log's
    /// size, reaching its last record, and the same book as an open without it.
    @Test func openingReportsHowFarItHasRead() throws {
        let book = try TestBook(today: day("2026-11-24"))
        try DemoBook(customers: 10, seed: 3, asOf: day("2026-11-24")).generate(chunkSize: 50) { try book.desk.appendHistory($0) }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: book.folder.journalPath)[.size] as? NSNumber).intValue
        var reports: [(read: Int, total: Int)] = []
        let opened = try Desk.open(folder: book.folder, today: day("2026-11-24"), readOnlyReason: nil, user: "tester", replayChunk: 64,
                                   progress: { reports.append(($0, $1)) }, progressEvery: 1)
        #expect(reports.count == Int(opened.book.lastSequence))
        #expect(reports.allSatisfy { $0.total == size && $0.read > 0 && $0.read <= size })
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.read < $1.read })
        #expect(reports.last?.read == size)
        let plain = try Desk.open(folder: book.folder, today: day("2026-11-24"), readOnlyReason: nil, user: "tester", replayChunk: 64)
        #expect(opened.book.snapshotBytes() == plain.book.snapshotBytes())
    }

    @Test func anUnknownEventStopsTheFoldInTheMiddleOfAChunk() throws {
        let book = try TestBook()
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "x")]))
        try book.desk.perform(.note("C1", "before"))
        let journal = try Journal.open(folder: book.folder.path, author: "future")
        _ = try journal.append { _ in [RecordDraft(type: "customer.merged", version: 1, payload: ["day": .string("2026-03-01")])] }
        for index in 0..<10 {
            _ = try journal.append { _ in [RecordDraft(type: "note.added", version: 1, payload: ["day": .string("2026-03-01"), "customer": .string("C1"), "text": .string("later \(index)")])] }
        }
        for chunk in [1, 3, 100] {
            let opened = try Desk.open(folder: book.folder, today: day("2026-03-01"), readOnlyReason: nil, user: "tester", replayChunk: chunk)
            #expect(opened.upgradeNeeded)
            #expect(opened.book.timeline(of: "C1").count == 1, "only the note before the unknown event (chunks of \(chunk))")
        }
    }

    @Test func aRecordThatContradictsTheBookNamesItsLine() throws {
        let book = try TestBook()
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "x")]))
        let journal = try Journal.open(folder: book.folder.path, author: "someone")
        for index in 0..<5 {
            _ = try journal.append { _ in [RecordDraft(type: "note.added", version: 1, payload: ["day": .string("2026-03-01"), "customer": .string("C1"), "text": .string("n\(index)")])] }
        }
        _ = try journal.append { _ in [RecordDraft(type: "note.added", version: 1, payload: ["day": .string("2026-03-01"), "customer": .string("NOBODY"), "text": .string("x")])] }
        let sequence = journal.lastSequence
        for chunk in [2, 100] {
            #expect {
                try Desk.open(folder: book.folder, today: day("2026-03-01"), readOnlyReason: nil, user: "tester", replayChunk: chunk)
            } throws: { error in
                guard case DeskError.replay(let failed, let line, _) = error else { return false }
                return failed == sequence && line == Int(sequence) + 1
            }
        }
    }
}

/// Replay leaves payloads to the event decoder (the journal checks checksums, the chain and the
/// envelope): a payload that is not JSON behind a right checksum still stops the open, at its line.
@Suite struct UncheckedPayloadTests {
    @Test func aPayloadThatIsNotJSONStopsTheOpenAtItsLine() throws {
        let book = try TestBook(today: day("2026-11-24"))
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "A")]))
        try book.desk.perform(.note("C1", "called the customer"))
        let log = book.folder.journalPath
        var text = try String(contentsOfFile: log, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let last = lines.count - 2  // the note's line (the text ends with a newline)
        var body = Array(lines[last].replacingOccurrences(of: "\"called the customer\"", with: "called").utf8)
        body.removeLast(LineFormat.crcSuffixLength)
        LineFormat.seal(&body, lineStart: 0)  // a faulty writer: wrong JSON, right checksum
        lines[last] = String(decoding: body, as: UTF8.self)
        text = lines.joined(separator: "\n")
        try text.write(toFile: log, atomically: false, encoding: .utf8)
        do {
            _ = try book.reopen()
            Issue.record("the book opened")
        } catch let error as DeskError {
            guard case .replay(_, let line, _) = error else { Issue.record("\(error)"); return }
            #expect(line == last + 1)
        }
    }
}

@Suite struct MapOnAllCoresTests {
    @Test func givesTheSameResultsInOrder() {
        for count in [0, 1, 7, 2_047, 2_048, 10_001] {
            let items = (0..<count).map { "item \($0)" }
            #expect(items.mapOnAllCores { $0.count * 3 } == items.map { $0.count * 3 }, "\(count) items")
            for minimum in [0, 1, 2] where count <= 20 {  // fewer items than slices
                #expect(items.mapOnAllCores(minimumCount: minimum) { $0 + "!" } == items.map { $0 + "!" }, "\(count) items")
            }
            let odd = { (item: String) in item.count % 2 == 1 ? item + "?" : nil }
            #expect(items.compactMapOnAllCores(odd) == items.compactMap(odd), "\(count) items")
            #expect(items.compactMapOnAllCores(minimumCount: 0, odd) == items.compactMap(odd), "\(count) items")
        }
    }
}

/// A log mended by a repair: the records it set aside are listed, and later records that need
/// them are listed as not applied instead of stopping the book from opening; everything else is
/// there, and the book takes new work.
@Suite struct RepairedBookTests {
    @Test func aBookOpensAfterARepairSetRecordsAsideAndSaysWhich() throws {
        let book = try TestBook(today: day("2026-03-01"))
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "北京恒泰贸易有限公司"), Customer(id: "C2", name: "Acme Ltd")]))
        try book.desk.perform(.issueInvoices([Invoice(number: "I1", customer: "C1", issued: day("2026-01-01"), due: day("2026-01-31"), amount: cny("500"))]))
        let invoiceRecord = book.desk.book.lastSequence
        try book.desk.perform(.issueInvoices([Invoice(number: "I2", customer: "C2", issued: day("2026-01-05"), due: day("2026-02-04"), amount: cny("80"))]))
        try book.desk.perform(.pay("C1", amount: cny("200"), on: day("2026-02-10"), invoice: "I1", reference: "B1", method: "bank"))
        let paymentRecord = book.desk.book.lastSequence
        try book.desk.perform(.note("C2", "after the payment"))
        // Damage the invoice I1 beyond one edit: its amount rewritten.
        let log = book.folder.journalPath
        var text = try String(contentsOfFile: log, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let index = Int(invoiceRecord)  // line 1 is the header
        text = (lines[..<index] + [lines[index].replacingOccurrences(of: "50000", with: "90990")] + lines[(index + 1)...]).joined(separator: "\n")
        try text.write(toFile: log, atomically: false, encoding: .utf8)
        #expect(throws: Error.self) { _ = try book.reopen() }

        let repair = try Journal.repair(book.folder.path, apply: true)
        #expect(repair.fixes == [.setAside(lines: index + 1...index + 1, sequences: invoiceRecord...invoiceRecord, reason: "checksum mismatch")])
        let desk = try book.reopen()
        #expect(desk.book.lostRecords.map(\.sequence) == [invoiceRecord])
        #expect(desk.book.lostRecords[0].text.contains("90990"))
        #expect(desk.book.skippedRecords.map(\.sequence) == [paymentRecord])  // it paid the lost invoice
        #expect(desk.book.invoices["I2"] != nil && desk.book.timeline(of: "C2").contains { $0.kind == .note("after the payment") })
        let note = try #require(desk.integrityNote)
        #expect(note.contains("record \(invoiceRecord)") && note.contains("record \(paymentRecord) could not be applied"))
        // The invoice entered again, the book goes on; once that is recorded, opening stops saying so.
        try desk.perform(.issueInvoices([Invoice(number: "I1", customer: "C1", issued: day("2026-01-01"), due: day("2026-01-31"), amount: cny("500"))]))
        #expect(try book.reopen().book.invoices["I1"] != nil)
        try desk.perform(.reviewLostRecords)
        let reopened = try book.reopen()
        #expect(desk.integrityNote == nil && reopened.integrityNote == nil)
        #expect(try book.reopen().book.lostRecords.count == 1)  // still listed by ardesk log lost
        #expect(try Journal.verify(book.folder.path).isIntact)
    }
}
