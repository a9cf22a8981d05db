import FlatJSON
import Foundation
import Testing
@testable import Journal

@Suite struct ErrorTests {
    @Test func readOnlyBook() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 2)
        let log = dir.path + "/journal.log"
        let size = fileSize(log)
        let ro = try Journal.open(folder: dir.path, author: "alice", readOnly: true)
        #expect(ro.isReadOnly)
        #expect(try ro.readNew().count == 2)
        #expect(throws: JournalError.readOnlyBook(path: log, reason: "opened read-only")) { try ro.append(draft(3)) }

        chmod(log, 0o440)
        let chmodded = try Journal.open(folder: dir.path, author: "alice")
        #expect(chmodded.isReadOnly)
        #expect(try chmodded.readNew().count == 2)
        do {
            try chmodded.append(draft(3))
            Issue.record("append to a read-only book succeeded")
        } catch let e as JournalError {
            #expect(e.description.contains(log) && e.description.contains("read-only"))
        }
        #expect(fileSize(log) == size)
        #expect(throws: JournalError.self) { _ = try Journal.repair(dir.path, apply: true) }
    }

    @Test func missingBookAndNotABook() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let missing = dir.sub("nope")
        #expect(throws: JournalError.missingBook(path: missing)) { _ = try Journal.open(folder: missing, author: "a") }
        #expect(throws: JournalError.missingBook(path: dir.path + "/journal.log")) { _ = try Journal.open(folder: dir.path, author: "a") }
        #expect(throws: JournalError.missingBook(path: missing)) { _ = try Journal.verify(missing) }

        writeBytes(dir.sub("file"), Array("hello".utf8))
        let e1 = openError(dir.sub("file"))
        #expect(e1?.description.contains("is not an ardesk book") == true)

        writeBytes(dir.path + "/journal.log", Array("date,amount\n2026-01-01,5\n".utf8))
        let e2 = try #require(openError(dir.path, readOnly: false))
        guard case .notABook = e2 else { Issue.record("expected notABook, got \(e2)"); return }
        #expect(e2.description.hasPrefix(dir.path + "/journal.log is not an ardesk book"))

        writeBytes(dir.path + "/journal.log", [])
        guard case .notABook? = openError(dir.path) else { Issue.record("empty file accepted"); return }
    }

    @Test func futureFormatVersionIsRefused() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var header = Array("{\"format\":\"ardesk-journal\",\"version\":2,\"book\":\"abc\",\"created\":\"2030-01-01T00:00:00.000Z\",\"by\":\"zoe\",\"shiny\":true".utf8)
        LineFormat.seal(&header, lineStart: 0)
        writeBytes(dir.path + "/journal.log", header + [0x0A] + Array("{\"seq\":1,\"something\":\"new\"}\n".utf8))
        let e = try #require(openError(dir.path, readOnly: false))
        #expect(e == .futureVersion(path: dir.path + "/journal.log", found: 2, supported: 1))
        #expect(e.description.contains("newer ardesk") && e.description.contains("upgrade"))
    }

    @Test func recordTooLong() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 1)
        let log = dir.path + "/journal.log"
        let size = fileSize(log)
        let huge = RecordDraft(type: "note.added", version: 1, payload: ["text": .string(String(repeating: "x", count: Journal.maxRecordBytes))])
        do {
            try j.append(huge)
            Issue.record("huge record written")
        } catch let e as JournalError {
            guard case .recordTooLong(_, let line, let offset, _, let limit) = e else { Issue.record("\(e)"); return }
            #expect(line == 3 && offset == size && limit == Journal.maxRecordBytes)
        }
        #expect(fileSize(log) == size)
        // Nothing was written, so the journal is still usable.
        #expect(try j.append(draft(2)).sequence == 2)

        // An over-long line inside a log (followed by good records) is damage at that line.
        let ls = lines(readBytes(log))
        var long = Array(String(decoding: ls[1], as: UTF8.self).replacingOccurrences(of: "called", with: String(repeating: "y", count: Journal.maxRecordBytes)).utf8)
        long = reseal(long)
        writeBytes(log, ls[0] + long + ls[2])
        let e = try #require(openError(dir.path))
        guard case .recordTooLong(_, 2, 0..., _, _) = e else { Issue.record("\(e)"); return }
        #expect(e.offset == ls[0].count)
    }

    @Test func invalidUTF8InAPayload() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 3)
        let log = dir.path + "/journal.log"
        // Replace "called" by bytes that are not UTF-8, keeping the CRC valid.
        let ls = try forgeLine(log, 2) { bad in
            let at = try #require(bad.firstRange(of: Array("called".utf8)))
            bad.replaceSubrange(at, with: [0x63, 0xFF, 0xFE, 0x6C, 0x65, 0x64] as [UInt8])
        }
        let e = try #require(openError(dir.path, readOnly: false))
        #expect(e == .invalidUTF8(path: log, line: 3, offset: ls[0].count + ls[1].count))
        #expect(e.description.contains("line 3") && e.description.contains("UTF-8"))
    }

    /// A failed sync whose records could not be cut out again does not say "NOT saved": they
    /// may stand, and the user is told to look before entering the action again.
    @Test func failedSyncNotTakenBackMaySaySaved() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 2)
        j.syncFunction = { _ in errno = EIO; return -1 }
        j.truncateFunction = { _, _ in errno = EIO; return -1 }
        do {
            try j.append(draft(3))
            Issue.record("append succeeded although fdatasync failed")
        } catch let e as JournalError {
            guard case .syncFailed(_, _, let takenBack) = e else { Issue.record("\(e)"); return }
            #expect(!takenBack)
            #expect(e.description.contains("MAY have been saved") && !e.description.contains("NOT saved"), "\(e)")
        }
    }

    @Test func failedSyncMeansNotSaved() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 2)
        let log = dir.path + "/journal.log"
        let size = fileSize(log)
        j.syncFunction = { _ in errno = EIO; return -1 }
        do {
            try j.append(draft(3))
            Issue.record("append succeeded although fdatasync failed")
        } catch let e as JournalError {
            guard case .syncFailed = e else { Issue.record("\(e)"); return }
            #expect(e.description.contains("NOT saved"))
        }
        #expect(fileSize(log) == size)
        j.syncFunction = { fdatasync($0) }
        do {
            try j.append(draft(4))
            Issue.record("append after a failed sync succeeded")
        } catch let e as JournalError {
            guard case .failedEarlier = e else { Issue.record("\(e)"); return }
            #expect(e.description.contains("reopen"))
        }
        let reopened = try Journal.open(folder: dir.path, author: "alice")
        #expect(try reopened.readNew().count == 2)
        #expect(try reopened.append(draft(3)).sequence == 3)
    }

    /// ENOSPC on a 64 KiB tmpfs: a clear error, nothing half-written, the book intact.
    @Test func diskFull() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let mountPoint = dir.sub("mnt")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=64k") == 0 else {
            print("diskFull: skipped, cannot mount a tmpfs here (errno \(errno))")
            return
        }
        defer { umount(mountPoint) }
        let folder = mountPoint + "/book"
        let j = try Journal.create(folder: folder, author: "alice")
        let text = String(repeating: "z", count: 2000)
        var acked: [UInt64] = []
        var failure: JournalError? = nil
        for i in 0..<100 {
            do {
                acked.append(try j.append(draft(i, text)).sequence)
            } catch let e as JournalError {
                failure = e
                break
            }
        }
        let e = try #require(failure)
        guard case .diskFull(_, _, let cleanedUp) = e else { Issue.record("\(e)"); return }
        #expect(cleanedUp)
        #expect(e.description.contains("disk is full") && e.description.contains("NOT saved"))
        // Cut back to where it was, the log takes the next action when there is room: a small
        // record may fit, a large one is refused as the disk is full, not for the earlier failure.
        #expect { try j.append(draft(0, text)) } throws: { if case .diskFull = $0 as? JournalError { true } else { false } }
        do { acked.append(try j.append(draft(0)).sequence) } catch let again as JournalError {
            guard case .diskFull = again else { Issue.record("\(again)"); return }
        }
        let report = try Journal.verify(folder)
        #expect(report.isIntact && report.records == acked.count)
        let reopened = try Journal.open(folder: folder, author: "alice")
        #expect(try reopened.readNew().map(\.sequence) == acked)
    }

    /// EFBIG from RLIMIT_FSIZE in a child process.
    @Test func fileTooLarge() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 1)
        let limit = fileSize(dir.path + "/journal.log") + 20_000
        let (status, output) = try runStress(["efbig", dir.path, String(limit)])
        #expect(status == 0, "\(output)")
        let acked = output.split(separator: "\n").filter { $0.hasPrefix("ack ") }.count
        #expect(output.contains("error: ") && output.contains("disk is full") && output.contains("NOT saved"), "\(output)")
        // Cut back to where it was, the log takes a record that fits under the limit, or refuses
        // one that does not for that reason (not for the earlier failure).
        let appendedAfter = output.contains("after: appended")
        #expect(appendedAfter || output.components(separatedBy: "disk is full").count > 2, "\(output)")
        #expect(!output.contains("earlier failure"), "\(output)")  // not refused for the write before
        let report = try Journal.verify(dir.path)
        #expect(report.isIntact && report.records == 1 + acked + (appendedAfter ? 1 : 0), "\(report)")
    }

    @Test func lockTimeout() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 1)
        let fd = open(dir.path + "/journal.lock", O_RDWR)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        j.lockTimeoutSeconds = 0.05
        do {
            try j.append(draft(2))
            Issue.record("append got the lock")
        } catch let e as JournalError {
            guard case .locked = e else { Issue.record("\(e)"); return }
            #expect(e.description.contains("NOT saved"))
        }
        // A check of the log waits as long, then says nothing was read, not that something was not saved.
        #expect { _ = try Journal.verify(dir.path, lockSeconds: 0.05) } throws: {
            "\($0)".hasPrefix("could not read the book:") && "\($0)".contains("nothing was changed")
        }
        flock(fd, LOCK_UN)
        #expect(try j.append(draft(2)).sequence == 2)
    }

    @Test func replacedFileIsNoticed() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 1)
        let log = dir.path + "/journal.log"
        let copy = readBytes(log)
        unlink(log)
        writeBytes(log, copy)
        #expect(j.hasNewData())
        #expect(throws: JournalError.self) { _ = try j.readNew() }
        #expect(throws: JournalError.self) { try j.append(draft(2)) }
    }
}
