import FlatJSON
import Foundation
import Testing
@testable import Journal

@Suite struct ConcurrencyAndToolsTests {
    /// Four processes append 250 records each at once: every record there once, in one piece,
    /// no gap, and each process was handed all the others' records.
    @Test func fourProcessesAppendingAtOnce() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let folder = dir.sub("book")
        let (status, output) = try runStress(["concurrent", folder, "4", "250"])
        #expect(status == 0 && output.hasPrefix("ok:"), "\(output)")
        let j = try Journal.open(folder: folder, author: "alice", readOnly: true)
        let records = try j.readNew()
        #expect(records.map(\.sequence) == Array(1...1000))
        var perProcess: [String: [Int64]] = [:]
        for r in records { perProcess[r.payload["proc"]!.stringValue!, default: []].append(r.payload["i"]!.intValue!) }
        #expect(perProcess.count == 4)
        for (_, seen) in perProcess { #expect(seen == Array(0..<250)) }
    }

    @Test func concurrentGroupsStayWhole() throws {
        guard let exe = stressBinary() else { throw TestSetupError("ardesk-journal-stress not built") }
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 0)
        let procs = (0..<3).map { n -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["append", dir.path, "30", "g\(n)", "4"]
            p.standardOutput = FileHandle.nullDevice
            return p
        }
        for p in procs { try p.run() }
        for p in procs { p.waitUntilExit(); #expect(p.terminationStatus == 0) }
        let records = try Journal.open(folder: dir.path, author: "a", readOnly: true).readNew()
        #expect(records.count == 360)
        for chunk in stride(from: 0, to: 360, by: 4) {
            let group = records[chunk..<chunk + 4]
            #expect(Set(group.map { $0.payload["proc"]!.stringValue! }).count == 1)
            #expect(group.map { $0.batch!.index } == [1, 2, 3, 4])
        }
    }

    @Test func snapshotResumeAndStaleness() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 5)
        #expect(Journal.loadSnapshot(folder: dir.path).snapshot == nil)
        #expect(Journal.loadSnapshot(folder: dir.path).problem == nil)
        try j.writeSnapshot(payload: Array("state after 5".utf8))
        try j.append(draft(6))
        try j.append(draft(7))

        let (snap, problem) = Journal.loadSnapshot(folder: dir.path)
        #expect(problem == nil)
        let s = try #require(snap)
        #expect(s.position.sequence == 5 && s.payload == Array("state after 5".utf8) && s.bookID == j.bookID)
        let resumed = try Journal.open(folder: dir.path, author: "alice", resume: s.position)
        #expect(resumed.resumedFrom == s.position && resumed.resumeRejection == nil)
        #expect(try resumed.readNew().map(\.sequence) == [6, 7])

        // Stale: wrong hash, wrong offset, beyond the end.
        for bad in [
            SnapshotPosition(sequence: 5, offset: s.position.offset, hash: String(repeating: "0", count: 32)),
            SnapshotPosition(sequence: 5, offset: s.position.offset - 3, hash: s.position.hash),
            SnapshotPosition(sequence: 4, offset: s.position.offset, hash: s.position.hash),
            SnapshotPosition(sequence: 50, offset: 1 << 30, hash: s.position.hash),
        ] {
            let fresh = try Journal.open(folder: dir.path, author: "alice", resume: bad)
            #expect(fresh.resumedFrom == nil && fresh.resumeRejection != nil)
            #expect(try fresh.readNew().map(\.sequence) == Array(1...7))
        }

        // A snapshot of another book with the same shape does not fit this one.
        let other = dir.sub("other")
        let o = try makeBook(other, records: 5)
        let foreign = try Journal.open(folder: dir.path, author: "alice", resume: o.position)
        #expect(foreign.resumedFrom == nil)

        // Damaged snapshot file: ignored with a reason.
        let snapPath = dir.path + "/" + Journal.snapshotFileName
        var bytes = readBytes(snapPath)
        bytes[bytes.count - 2] ^= 1
        writeBytes(snapPath, bytes)
        let damaged = Journal.loadSnapshot(folder: dir.path)
        #expect(damaged.snapshot == nil && damaged.problem?.contains("checksum") == true)
        writeBytes(snapPath, Array("garbage".utf8))
        #expect(Journal.loadSnapshot(folder: dir.path).snapshot == nil)
    }

    @Test func verifyStatsRepair() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 4)
        try j.append { _ in [draft("promise.recorded", 5), draft("promise.recorded", 6)] }
        let log = dir.path + "/journal.log"

        let report = try Journal.verify(log)
        #expect(report.isIntact && report.records == 6 && report.lastSequence == 6 && report.headHash == j.headHash)
        let stats = try Journal.stats(dir.path)
        #expect(stats.countsByType == ["note.added": 4, "promise.recorded": 2])
        #expect(stats.countsByAuthor == ["alice": 6])
        #expect(stats.firstTimestamp == "2026-11-24T03:40:00.123Z" && stats.fileSize == fileSize(log))
        #expect(try Journal.repair(dir.path, apply: true).description.contains("intact"))

        // Damage line 4 (record 3): one bit, as a disk would.
        let original = readBytes(log)
        let ls = lines(original)
        var bytes = original
        let at = ls[0..<3].reduce(0) { $0 + $1.count }
        bytes[at + 20] ^= 4
        writeBytes(log, bytes)
        let damaged = try Journal.verify(dir.path)
        #expect(damaged.records == 2 && damaged.problem?.line == 4 && damaged.problem?.offset == at)
        #expect(damaged.problem?.isTornTail == false)

        let dry = try Journal.repair(dir.path, apply: false)
        #expect(!dry.written && dry.backupPath == nil && readBytes(log) == bytes)
        #expect(dry.fixes == [.restored(line: 4, sequence: 3, how: "byte 21 reads 0x\(String(bytes[at + 20], radix: 16)) and was written as 0x\(String(original[at + 20], radix: 16))")])
        #expect(dry.description.contains("line 4 (record 3) can be restored exactly"))

        // The chain proves the line as written: the log is put back byte for byte.
        let done = try Journal.repair(dir.path, apply: true)
        #expect(done.written && readBytes(log) == original && done.rechained == 0)
        #expect(readBytes(try #require(done.backupPath)) == bytes)
        let after = try Journal.open(folder: dir.path, author: "alice")
        #expect(try after.readNew().count == 6)
        #expect(try after.append(draft(7)).sequence == 7)

        // A checksum put in capitals (eight bytes, one slip) is put back in lower case: that of
        // the first record whose checksum has a letter (the book's id is random, and so are they).
        let whole = readBytes(log)
        var capitals = whole
        let all = lines(whole)
        for line in 1..<all.count where capitals == whole {
            let crc = all[0..<line].reduce(0) { $0 + $1.count } + all[line].count - 11  // the 8 hex digits before `"}` and the newline
            for i in crc..<crc + 8 where (0x61...0x66).contains(capitals[i]) { capitals[i] -= 0x20 }
            if capitals != whole {
                writeBytes(log, capitals)
                let lowered = try Journal.repair(dir.path, apply: true)
                #expect(lowered.fixes == [.restored(line: line + 1, sequence: UInt64(line), how: "its checksum was written in lower case and reads in capitals")])
            }
        }
        try #require(capitals != whole, "a record's checksum has a letter to put in capitals")
        #expect(readBytes(log) == whole)
    }

    /// A byte lost from one line, and a line break lost between two others: each put back
    /// exactly, proven by the chain.
    @Test func aLostByteOrLineBreakIsPutBack() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 6)
        let log = dir.path + "/journal.log"
        let original = readBytes(log)
        var ls = lines(original)
        ls[2].remove(at: 40)                  // record 2 loses a byte
        ls[4].removeLast()                    // record 4 runs into record 5
        writeBytes(log, ls.flatMap { $0 })
        #expect(try !Journal.verify(log).isIntact)
        let done = try Journal.repair(dir.path, apply: true)
        #expect(done.fixes.count == 2 && done.fixes.allSatisfy { if case .restored = $0 { true } else { false } })
        #expect(done.description.contains("was lost"))
        #expect(readBytes(log) == original)
    }

    /// A log saved with CR LF line endings (an editor, a Windows share) is refused with what
    /// happened and how to mend it; the repair takes the CRs out and nothing else.
    @Test func crLineEndingsAreNamedAndTakenOut() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 5)
        let log = dir.path + "/journal.log"
        let original = readBytes(log)
        writeBytes(log, lines(original).flatMap { $0.dropLast() + [0x0D, 0x0A] })
        do {
            _ = try Journal.open(folder: dir.path, author: "t")
            Issue.record("a CR LF log opened")
        } catch {
            #expect("\(error)".contains("its lines end with CR LF"), "\(error)")
        }
        let dry = try Journal.repair(dir.path, apply: false)
        #expect(dry.fixes == [.lineEndings(lines: 6)] && !dry.written)
        #expect(try Journal.repair(dir.path, apply: true).fixes == [.lineEndings(lines: 6)])
        #expect(readBytes(log) == original)
        #expect(try Journal.open(folder: dir.path, author: "t").readNew().count == 5)
        // Saved with a byte-order mark before the header: named, and taken out.
        writeBytes(log, [0xEF, 0xBB, 0xBF] + original)
        #expect(throws: JournalError.self) { _ = try Journal.open(folder: dir.path, author: "t") }
        #expect(try Journal.repair(dir.path, apply: false).fixes == [.byteOrderMark])
        #expect(try Journal.repair(dir.path, apply: true).written)
        #expect(readBytes(log) == original)
    }

    /// CR LF on some lines only, the last ones of a group: damage at the first of them, named as
    /// what it is (not a torn tail, which would leave the group and all after it unread), and
    /// each line put back by taking its CR out.
    @Test func crOnSomeLinesIsDamageAtTheFirstOfThem() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBookEndingInAGroup(dir.path, records: 3)
        let log = dir.path + "/journal.log"
        let original = readBytes(log)
        var ls = lines(original)
        for i in [5, 6] { ls[i] = ls[i].dropLast() + [0x0D, 0x0A] }   // records 5 and 6 (lines 6 and 7)
        writeBytes(log, ls.flatMap { $0 })
        let verify = try Journal.verify(dir.path)
        #expect(verify.problem?.line == 6 && verify.problem?.isTornTail == false && verify.problem?.reason.contains("CR LF") == true,
                "\(String(describing: verify.problem))")
        let mended = try Journal.repair(dir.path, apply: true)
        #expect(mended.description.contains("a CR before its newline (a CR LF ending, as an editor saves it) was taken out"), "\(mended.description)")
        #expect(readBytes(log) == original)
    }

    /// Two damaged records side by side, each put back by the next one's prev; at the end of the
    /// log, where nothing follows, a last record is put back by its checksum, two records run
    /// together are parted again, and one without its newline is kept; junk between two records
    /// is removed and said to be no record.
    @Test func neighboursTheLastRecordsAndJunkAreMended() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 8)
        let log = dir.path + "/journal.log"
        let original = readBytes(log)
        var ls = lines(original)
        ls[3][30] ^= 1; ls[4][30] ^= 2                     // records 3 and 4, side by side
        ls[6].removeLast()                                   // records 6 and 7 run together
        ls[8][25] ^= 8                                       // the last record, one bit
        ls.insert(Array("junk that is no record\n".utf8), at: 2)
        writeBytes(log, ls.flatMap { $0 })
        let done = try Journal.repair(dir.path, apply: true)
        #expect(done.fixes.contains(.removed(lines: 3...3, bytes: 23)))
        #expect(done.fixes.filter { if case .restored = $0 { true } else { false } }.count == 4, "\(done.fixes)")
        #expect(readBytes(log) == original, "differs")
        // A last record whose newline never reached the disk is kept.
        writeBytes(log, Array(original.dropLast()))
        #expect(try Journal.repair(dir.path, apply: true).fixes == [.restored(line: 9, sequence: 8, how: "the line's newline was not written")])
        #expect(readBytes(log) == original, "differs")
    }

    /// A record edited and its checksum made again: the next record's prev is the witness of
    /// what it was, so the edited one is set aside (its text kept), not the witness. What no
    /// later record vouches for is set aside: a record spliced in and the one before it, two
    /// edited in a row, the last two when the one before the last was edited. A record put in
    /// is taken out.
    @Test func anEditedRecordIsSetAsideNotTheRecordThatWitnessesIt() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 6)
        let log = dir.path + "/journal.log"
        let original = readBytes(log)
        var ls = lines(original)
        let edited = String(decoding: ls[3], as: UTF8.self).replacingOccurrences(of: "\"i\":2", with: "\"i\":9")
        ls[3] = reseal(Array(edited.utf8))                  // record 3, line 4
        writeBytes(log, ls.flatMap { $0 })
        #expect(try Journal.verify(dir.path).problem?.line == 5)
        let done = try Journal.repair(dir.path, apply: true)
        guard case .setAside(let setAside, let sequences, let reason)? = done.fixes.first, done.fixes.count == 1 else {
            Issue.record("\(done.fixes)"); return
        }
        #expect(setAside == 4...4 && sequences == 3...3 && reason.contains("changed after it was written"), "\(done.fixes)")
        #expect(try Journal.verify(dir.path).isIntact)
        let mended = lines(readBytes(log))
        #expect(mended.count == lines(original).count)
        #expect(String(decoding: mended[3], as: UTF8.self).contains("journal.lost"))
        // The first record too, witnessed by the second.
        var first = lines(original)
        first[1] = reseal(Array(String(decoding: first[1], as: UTF8.self).replacingOccurrences(of: "\"i\":0", with: "\"i\":7").utf8))
        #expect(first[1] != lines(original)[1])
        writeBytes(log, first.flatMap { $0 })
        let firstDone = try Journal.repair(dir.path, apply: true)
        guard case .setAside(let firstLines, let firstSequences, _)? = firstDone.fixes.first else { Issue.record("\(firstDone.fixes)"); return }
        #expect(firstLines == 2...2 && firstSequences == 1...1, "\(firstDone.fixes)")
        // Spliced in from another book: the record after it does not chain on from it either.
        writeBytes(log, original)
        let other = dir.sub("other")
        try makeBook(other, records: 6)
        var spliced = lines(original)
        spliced[3] = lines(readBytes(other + "/journal.log"))[3]
        writeBytes(log, spliced.flatMap { $0 })
        // Nothing vouches for it, nor for the record before it (which of the two changed cannot be
        // told): both are set aside, and the log is sound after.
        func repaired(_ changed: [[UInt8]]) throws -> RepairReport {
            writeBytes(log, changed.flatMap { $0 })
            let report = try Journal.repair(dir.path, apply: true)
            #expect(try Journal.verify(dir.path).isIntact, "\(report.fixes)")
            return report
        }
        let splice = try repaired(spliced)
        #expect(splice.fixes == [.setAside(lines: 3...4, sequences: 2...3, reason: "its text is not what the next record's prev says it was: changed after it was written, or the next record is not this log's")],
                "\(splice.fixes)")
        // Two records in a row edited: both set aside (the first is not kept as sound).
        var two = lines(original)
        for (index, i) in [(3, 2), (4, 3)] {
            two[index] = reseal(Array(String(decoding: two[index], as: UTF8.self).replacingOccurrences(of: "\"i\":\(i)", with: "\"i\":9").utf8))
        }
        guard case .setAside(let twoLines, let twoSequences, _)? = try repaired(two).fixes.first else { Issue.record("two"); return }
        #expect(twoLines == 4...5 && twoSequences == 3...4)
        // The record before the last edited: the last does not chain on from it and nothing
        // vouches for the last: both.
        var beforeLast = lines(original)
        beforeLast[5] = reseal(Array(String(decoding: beforeLast[5], as: UTF8.self).replacingOccurrences(of: "\"i\":4", with: "\"i\":9").utf8))
        guard case .setAside(let lastLines, let lastSequences, _)? = try repaired(beforeLast).fixes.first else { Issue.record("before last"); return }
        #expect(lastLines == 6...7 && lastSequences == 5...6)
        // A second record 3 put in before the one written (it chains from record 2 as that
        // one does, and record 4 chains from the written one): taken out, nothing set aside.
        var putIn = lines(original)
        putIn.insert(reseal(Array(String(decoding: putIn[3], as: UTF8.self).replacingOccurrences(of: "\"i\":2", with: "\"i\":9").utf8)), at: 3)
        let taken = try repaired(putIn)
        #expect(taken.fixes == [.putIn(line: 4, sequence: 3)], "\(taken.fixes)")
        #expect(readBytes(log) == original)
        // A record put in between two that chain (numbered as the next, chaining from elsewhere):
        // taken out alone, both its neighbours kept.
        var between = lines(original)
        between.insert(reseal(Array(String(decoding: lines(readBytes(other + "/journal.log"))[4], as: UTF8.self).utf8)), at: 4)
        let alone = try repaired(between)
        #expect(alone.fixes.count == 1 && readBytes(log) == original, "\(alone.fixes)")
    }

    /// A record whose line is gone entirely is set aside as lost and the next one kept; an
    /// unfinished group at the end is cut whole; opening leaves a last record that can be put
    /// back for the repair instead of setting it aside.
    @Test func aMissingLineAnUnfinishedGroupAndARestorableEnd() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBookEndingInAGroup(dir.path, records: 5)
        let log = dir.path + "/journal.log"
        let original = readBytes(log)
        var ls = lines(original)
        ls.remove(at: 3)                                   // record 3's line, gone
        writeBytes(log, ls.flatMap { $0 })
        let gap = try Journal.repair(dir.path, apply: false)
        #expect(gap.fixes == [.setAside(lines: 4...4, sequences: 3...3, reason: "missing from the log (its line is gone)")])
        // The group's last member cut short: the whole group is an unfinished append.
        ls = lines(original)
        ls[8] = Array(ls[8].prefix(30))
        writeBytes(log, ls.flatMap { $0 })
        let torn = try Journal.repair(dir.path, apply: false)
        if case .tailCut(let cut, _, _) = torn.fixes.last { #expect(cut == 7...9) } else { Issue.record("\(torn.fixes)") }
        #expect(torn.description.contains("a group is one action (an import, a dunning run, a batch), applied whole or not at all: do it again"))
        // A flipped bit in the last record: opening to write refuses and points at the repair.
        ls = lines(original)
        ls[8][40] ^= 2
        writeBytes(log, ls.flatMap { $0 })
        do { _ = try Journal.open(folder: dir.path, author: "alice"); Issue.record("opened") } catch {
            #expect("\(error)".contains("can be put back exactly"))
        }
        #expect(readBytes(log) == ls.flatMap { $0 })  // nothing was changed
        _ = try Journal.repair(dir.path, apply: true)
        #expect(readBytes(log) == original)
    }

    /// A damaged header is put back by the first record's prev; with no record, nothing proves
    /// it and repair says to restore from a backup.
    @Test func aDamagedHeaderIsPutBackByTheFirstRecord() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 2)
        let log = dir.path + "/journal.log"
        let original = readBytes(log)
        var bytes = original
        bytes[40] ^= 1
        writeBytes(log, bytes)
        #expect(throws: JournalError.self) { _ = try Journal.verify(log) }
        let done = try Journal.repair(dir.path, apply: true)
        #expect(done.written && readBytes(log) == original)
        #expect(try Journal.verify(log).isIntact)
        // A byte of its format's name or of its version: damage too (its checksum says so), not
        // another kind of file or a newer ardesk.
        for (from, to) in [("ardesk-journal", "ardesk-journaX"), ("\"format\"", "\"formaX\""), ("\"version\":1", "\"version\":2")] {
            let text = String(decoding: original, as: UTF8.self)
            writeBytes(log, Array(text.replacingOccurrences(of: from, with: to, options: [], range: text.startIndex..<text.firstIndex(of: "\n")!).utf8))
            #expect { _ = try Journal.verify(log) } throws: { "\($0)".contains("the header checksum does not match") }
            #expect(try Journal.repair(dir.path, apply: true).written && readBytes(log) == original, "\(from)")
        }
        let empty = TempDir()
        defer { empty.cleanup() }
        try makeBook(empty.path, records: 0)
        var header = readBytes(empty.path + "/journal.log")
        header[40] ^= 1
        writeBytes(empty.path + "/journal.log", header)
        do { _ = try Journal.repair(empty.path, apply: true); Issue.record("repaired without proof") } catch {
            #expect("\(error)".contains("restore journal.log from a backup"))
        }
    }

    /// Damage no single edit explains: the record is set aside as lost, its damaged text kept,
    /// and every later record kept, chained anew; a torn tail after it is cut.
    @Test func aRecordThatCannotBePutBackIsSetAsideAndTheRestKept() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBookEndingInAGroup(dir.path, records: 3)
        try j.append(draft(7))
        let log = dir.path + "/journal.log"
        let original = readBytes(log)
        var ls = lines(original)
        // Record 2 and the middle member of the group (record 5): three bytes each.
        for index in [2, 5] {
            let text = Array("called".utf8), start = ls[index].firstRange(of: text)!.lowerBound
            ls[index].replaceSubrange(start..<start + 3, with: Array("CAL".utf8))
        }
        writeBytes(log, ls.flatMap { $0 } + Array("{\"seq\":8,\"ts\"".utf8))  // and a torn last line
        let dry = try Journal.repair(dir.path, apply: false)
        #expect(dry.fixes.count == 3)
        #expect(dry.fixes[0] == .setAside(lines: 3...3, sequences: 2...2, reason: "checksum mismatch"))
        #expect(dry.fixes[1] == .setAside(lines: 6...6, sequences: 5...5, reason: "checksum mismatch"))
        // A last line cut short is a write that never finished: cut, as opening the book does.
        if case .tailCut(let lines, _, _) = dry.fixes[2] { #expect(lines == 9...9) } else { Issue.record("\(dry.fixes)") }
        let done = try Journal.repair(dir.path, apply: true)
        #expect(done.written && done.rechained == 4)  // records 3, 4, 6 and 7 (2 and 5 are new)
        let report = try Journal.verify(log)
        #expect(report.isIntact && report.lastSequence == 7)
        let records = try Journal.open(folder: dir.path, author: "alice", readOnly: true).readNew()
        #expect(records.map(\.sequence) == Array(1...7))
        #expect(records.map(\.type) == ["note.added", Journal.lostRecordType, "note.added", "promise.recorded", Journal.lostRecordType,
                                         "promise.recorded", "note.added"])
        #expect(records[4].batch == BatchMark(index: 2, count: 3))
        #expect(records[1].payload["text"]?.stringValue?.contains("\"CALled the customer\"") == true)
        // Everything else is as written: only prev and the checksum changed.
        #expect([0, 2, 3, 5, 6].map { records[$0].payload["i"]?.intValue } == [0, 2, 4, 6, 7])
    }

    /// A session open from before a cut sees a replaced book, even once appends by others have
    /// grown the file past where it had read: it never takes their record for a torn tail and
    /// writes over it (the damage here is made in place, as a disk would).
    @Test func aSessionOpenAcrossARepairNeverWritesOverOthers() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let stale = try makeBook(dir.path, records: 6)
        let log = dir.path + "/journal.log"
        let original = readBytes(log)
        let at = lines(original)[0..<4].reduce(0) { $0 + $1.count }
        let fd = open(log, O_WRONLY)
        var flipped = original[at + 20] ^ 4
        #expect(pwrite(fd, &flipped, 1, off_t(at + 20)) == 1)
        close(fd)
        #expect(try Journal.repair(dir.path, apply: true).written)
        let other = try Journal.open(folder: dir.path, author: "bob")
        _ = try other.readNew()
        // Just past the old end, so the bytes after it are the end of someone's record: to the
        // stale session they look like a torn tail.
        var n = 10
        while fileSize(log) <= original.count { _ = try other.append(draft(n)); n += 1 }
        #expect(throws: JournalError.self) { try stale.append(draft(99)) }
        #expect(try Journal.verify(log).isIntact)
    }
}

/// A book a team shares through its group: the files ardesk creates there (the log, its lock)
/// are writable by the group, whatever the umask (022 here); a private book's are not.
@Suite struct SharedFolderTests {
    @Test func filesInAGroupWritableFolderAreTheGroups() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let shared = dir.sub("shared"), own = dir.sub("own")
        #expect(mkdir(shared, 0o700) == 0 && chmod(shared, 0o2770) == 0)
        try makeBook(shared, records: 2)
        try makeBook(own, records: 2)
        func mode(_ path: String) -> mode_t { var st = stat(); _ = stat(path, &st); return st.st_mode & 0o777 }
        #expect(mode(shared + "/journal.log") == 0o660 && mode(shared + "/journal.lock") == 0o660)
        #expect(mode(own + "/journal.log") == 0o640 && mode(own + "/journal.lock") == 0o640)
        // The lock made again (removed by hand) is the group's too.
        unlink(shared + "/journal.lock")
        _ = try Journal.open(folder: shared, author: "bob")
        #expect(mode(shared + "/journal.lock") == 0o660)
    }
}
