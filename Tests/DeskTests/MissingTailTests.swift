import Core
@testable import Desk
import Foundation
import Journal
import Testing

/// A log that lost its last records after its snapshot counted them (a line deleted, an older
/// copy put back) opens read-only and says so; nothing is added after the gap, and no snapshot
/// is written over the one that shows it, until a repair sets that snapshot aside.
@Suite struct MissingTailTests {
    @Test func aLogShorterThanItsSnapshotOpensReadOnlyUntilTheSnapshotIsSetAside() throws {
        let book = try TestBook()
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "Acme Ltd")]))
        try book.desk.perform(.note("C1", "will pay on Friday"))
        #expect(book.desk.saveSnapshot() == nil)
        // The last line (the note) deleted.
        var text = try String(contentsOfFile: book.folder.journalPath, encoding: .utf8)
        text.removeLast()
        text = String(text[...text.lastIndex(of: "\n")!])
        try text.write(toFile: book.folder.journalPath, atomically: false, encoding: .utf8)

        let opened = try book.reopen()
        let reason = try #require(opened.readOnlyReason)
        #expect(reason.contains("journal.log ends at record 2, but its snapshot was written after record 3"), "\(reason)")
        #expect(throws: DeskError.self) { try opened.perform(.note("C1", "another")) }
        #expect(opened.saveSnapshot() != nil)
        #expect(Journal.snapshotMark(folder: book.folder.path)?.position.sequence == 3)  // the evidence stays

        let aside = try Journal.setAsideSnapshot(folder: book.folder.path)
        #expect(FileManager.default.fileExists(atPath: aside))
        let mended = try book.reopen()
        #expect(mended.readOnlyReason == nil)
        try mended.perform(.note("C1", "entered again"))
        #expect(mended.book.lastSequence == 3)
    }

    /// A last record cut halfway after a snapshot counted it is no unfinished write: an action
    /// is refused, and the cut record stays in the log (nothing set aside, nothing cut).
    @Test func aRecordCutAfterItsSnapshotIsNotSetAsideByTheNextAction() throws {
        let book = try TestBook()
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "Acme Ltd")]))
        try book.desk.perform(.note("C1", "will pay on Friday"))
        #expect(book.desk.saveSnapshot() == nil)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: book.folder.journalPath))
        bytes.removeLast(40)  // the note's line cut halfway
        try bytes.write(to: URL(fileURLWithPath: book.folder.journalPath))
        #expect(throws: (any Error).self) {
            let desk = try book.reopen()
            try desk.perform(.note("C1", "another"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: book.folder.journalPath)) == bytes)
        let torn = try FileManager.default.contentsOfDirectory(atPath: book.folder.path).filter { $0.hasPrefix("journal.torn") }
        #expect(torn.isEmpty, "\(torn)")
    }
}

/// A book cannot be made where a file stands in the way: said before anything is created.
@Suite struct BookCreationTests {
    @Test func aFileInTheWayIsNamedAndNothingIsMade() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ardesk-create-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = FileManager.default.createFile(atPath: base + "/file", contents: Data("x".utf8))
        for (path, said) in [(base + "/file", "is a file, not a book"), (base + "/file/sub/book", "\(base)/file is a file, not a folder")] {
            let error = #expect(throws: DeskError.self) { try Desk.create(folder: BookFolder(path: path), currency: .cny, today: day("2026-03-01")) }
            #expect(error.map { "\($0)".contains(said) } == true, "\(String(describing: error))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base) == ["file"])
    }
}

extension MissingTailTests {
    /// A log that cannot be written (its write permission taken away, a read-only mount) opens
    /// read-only and says why before anything is typed, not when it is saved.
    @Test func aLogThatCannotBeWrittenOpensReadOnly() throws {
        let book = try TestBook()
        try book.desk.perform(.addCustomers([Customer(id: "C1", name: "Acme Ltd")]))
        #expect(chmod(book.folder.journalPath, 0o444) == 0)
        defer { _ = chmod(book.folder.journalPath, 0o640) }
        let opened = try book.reopen()
        let reason = try #require(opened.readOnlyReason)
        #expect(opened.isReadOnly && reason.contains("journal.log cannot be written: the file has no write permission"), "\(reason)")
        #expect { try opened.perform(.note("C1", "will pay")) } throws: { "\($0)".contains("this book is open read-only") }
    }
}
