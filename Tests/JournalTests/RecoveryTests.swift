import FlatJSON
import Foundation
import Testing
@testable import Journal

@Suite struct RecoveryTests {
    /// Cuts the last record at every byte: a read-write open keeps all earlier records, moves the
    /// torn bytes to a side file and cuts the log back; the next append continues the chain. A
    /// record short of only its newline or its last byte is whole in substance (its checksum
    /// proves it): the open leaves it for `log repair`, which puts it back, and changes nothing.
    @Test func tornTailAtEveryOffset() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let source = dir.sub("source")
        try makeBook(source, records: 4)
        let full = readBytes(source + "/journal.log")
        let ls = lines(full)
        let goodEnd = full.count - ls.last!.count
        for cut in goodEnd + 1..<full.count {  // full.count - 1 drops only the newline
            let folder = dir.sub("b\(cut)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            writeBytes(folder + "/journal.log", Array(full[0..<cut]))

            // Read-only: the torn record is ignored and reported, nothing changes.
            let ro = try Journal.open(folder: folder, author: "alice", readOnly: true)
            #expect(try ro.readNew().map(\.sequence) == [1, 2, 3])
            #expect(ro.recoveryNote?.contains("ignored") == true)
            #expect(fileSize(folder + "/journal.log") == cut)

            if cut >= full.count - 2 {
                #expect(throws: JournalError.self) { _ = try Journal.open(folder: folder, author: "alice") }
                #expect(fileSize(folder + "/journal.log") == cut)
                _ = try Journal.repair(folder, apply: true)
                #expect(readBytes(folder + "/journal.log") == full)
                try FileManager.default.removeItem(atPath: folder)
                continue
            }
            let j = try Journal.open(folder: folder, author: "alice")
            #expect(try j.readNew().map(\.sequence) == [1, 2, 3])
            let note = try #require(j.recoveryNote)
            #expect(note.contains("line 5"))
            // What the torn line still says of its record is named: its sequence once written whole, its type too.
            let start = full[goodEnd..<cut]
            if let type = String(decoding: start, as: UTF8.self).range(of: "\"type\":\""), String(decoding: start, as: UTF8.self)[type.upperBound...].contains("\"") {
                #expect(note.contains("the last record (record 4, "), "\(note)")
            } else if String(decoding: start, as: UTF8.self).contains("\"seq\":4,") {
                #expect(note.contains("the last record (record 4) was torn"), "\(note)")
            }
            #expect(fileSize(folder + "/journal.log") == goodEnd)
            let side = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("journal.torn-") }
            #expect(side.count == 1)
            #expect(note.contains(side[0]))
            #expect(readBytes(folder + "/" + side[0]) == Array(full[goodEnd..<cut]))
            #expect(try j.append(draft(99)).sequence == 4)
            #expect(try Journal.verify(folder).isIntact)
            try FileManager.default.removeItem(atPath: folder)
        }
    }

    /// A group of records is all or nothing: cut anywhere inside it, the whole group goes.
    @Test func tornGroupIsSetAsideWhole() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let source = dir.sub("source")
        let j = try makeBook(source, records: 2)
        try j.append { _ in (0..<3).map { draft("import.row", $0) } }
        let full = readBytes(source + "/journal.log")
        let ls = lines(full)
        let groupStart = full.count - ls.suffix(3).reduce(0) { $0 + $1.count }
        for cut in stride(from: groupStart + 1, to: full.count, by: 7) {
            let folder = dir.sub("g\(cut)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            writeBytes(folder + "/journal.log", Array(full[0..<cut]))
            let ro = try Journal.open(folder: folder, author: "alice", readOnly: true)
            #expect(try ro.readNew().map(\.sequence) == [1, 2])
            let rw = try Journal.open(folder: folder, author: "alice")
            #expect(try rw.readNew().map(\.sequence) == [1, 2])
            let note = try #require(rw.recoveryNote)
            // Cut after a whole line of it: said as an append cut midway, none of it saved.
            let tail = full[groupStart..<cut], wholeLines = tail.count { $0 == 0x0A }
            let linesCut = wholeLines + (tail.last == 0x0A ? 0 : 1)
            #expect(wholeLines == 0 || note.contains("the last append was cut midway (\(linesCut) line\(linesCut == 1 ? "" : "s") from line 4"), "\(note)")
            #expect(fileSize(folder + "/journal.log") == groupStart)
            try FileManager.default.removeItem(atPath: folder)
        }
    }

    /// A group's last line damaged in two places (too much for one edit to put back) but
    /// written whole, with its line break: opening to write refuses and points at the repair
    /// instead of setting the whole group aside, and changes nothing; zeros where a crash left
    /// the data unwritten are still an unfinished write, set aside.
    @Test func aGroupWhoseWholeLastLineIsDamagedIsLeftForTheRepair() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let source = dir.sub("source")
        try makeBookEndingInAGroup(source, records: 2)
        let full = readBytes(source + "/journal.log")
        var ls = lines(full)
        let last = ls.count - 1  // the header is line 1, so this is line `ls.count`
        ls[last][30] ^= 4
        ls[last][50] ^= 4
        let damaged = ls.flatMap { $0 }
        let folder = try dir.book("damaged", log: damaged)
        do { _ = try Journal.open(folder: folder, author: "alice"); Issue.record("opened") } catch {
            #expect("\(error)".contains("line \(ls.count)"))
            #expect("\(error)".contains("ardesk log repair"))
        }
        #expect(readBytes(folder + "/journal.log") == damaged)  // nothing was changed
        let ro = try Journal.open(folder: folder, author: "alice", readOnly: true)
        #expect(try ro.readNew().map(\.sequence) == [1, 2])
        #expect(ro.recoveryNote?.contains("is damaged at line \(ls.count)") == true)
        let repaired = try Journal.repair(folder, apply: true)
        #expect(repaired.fixes.count == 1)
        if case .setAside(_, let sequences, _) = repaired.fixes.first { #expect(sequences == 5...5) } else { Issue.record("\(repaired.fixes)") }
        #expect(try Journal.open(folder: folder, author: "alice").readNew().count == 5)  // the group's other records kept, one set aside

        var zeroed = full
        for i in (full.count - ls[last].count)..<(full.count - 1) { zeroed[i] = 0 }
        let crashed = try dir.book("zeroed", log: zeroed)
        let rw = try Journal.open(folder: crashed, author: "alice")
        #expect(try rw.readNew().map(\.sequence) == [1, 2])
        #expect(rw.recoveryNote?.contains("journal.torn-") == true)

        // Opening cuts what the repair would cut too: a blank line an editor added, and a line
        // whose sequence cannot be read (the repair keeps nothing of it either).
        for (name, change) in [("blank", { (b: inout [[UInt8]]) in b.append([0x0A]) }),
                               ("seq", { (b: inout [[UInt8]]) in b[b.count - 1][3] ^= 4; b[b.count - 1][50] ^= 4 })] {
            var changed = lines(full)
            change(&changed)
            let copy = try dir.book(name, log: changed.flatMap { $0 })
            let opened = try Journal.open(folder: copy, author: "alice")
            #expect(opened.recoveryNote?.contains("journal.torn-") == true, "\(name)")
        }
        // A single record (no group) damaged in two places is left for the repair, which sets it
        // aside as lost for a person to enter again and keeps its sequence.
        let single = dir.sub("single")
        try makeBook(single, records: 3)
        var one = lines(readBytes(single + "/journal.log"))
        one[3][40] ^= 4
        one[3][60] ^= 4
        writeBytes(single + "/journal.log", one.flatMap { $0 })
        #expect(throws: JournalError.self) { _ = try Journal.open(folder: single, author: "alice") }
    }

    /// A writer that crashed leaving garbage: a later appender (already open) sets it aside
    /// before writing, instead of appending after it.
    @Test func appendSetsAsideGarbageLeftByACrashedWriter() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 2)
        let log = dir.path + "/journal.log"
        let before = fileSize(log)
        let h = try #require(FileHandle(forWritingAtPath: log))
        h.seekToEndOfFile()
        h.write(Data("{\"seq\":3,\"ts\":\"2026".utf8))
        try h.close()
        let other = try Journal.open(folder: dir.path, author: "bob", readOnly: true)
        #expect(try other.readNew().count == 2)  // the fragment is not delivered
        let written = try j.append(draft(3))
        #expect(written.sequence == 3 && written.offset == before)
        #expect(j.recoveryNote?.contains("journal.torn-") == true)
        #expect(try Journal.verify(dir.path).isIntact)
        #expect(try other.readNew().map(\.sequence) == [3])
        // Listed for `log lost`, with what it holds.
        let side = Journal.tornSideFiles(folder: dir.path)
        #expect(side.count == 1 && side[0].path.contains("/journal.torn-") && side[0].bytes == 19, "\(side)")
    }

    /// One flipped bit anywhere in a middle record is found, at that line, and nothing past it
    /// is delivered.
    @Test func bitFlipInTheMiddleIsNamed() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let source = dir.sub("source")
        try makeBook(source, records: 8)
        let full = readBytes(source + "/journal.log")
        let ls = lines(full)
        let target = 4  // 0-based: line 5, record 4
        let start = ls[0..<target].reduce(0) { $0 + $1.count }
        let folder = dir.sub("flip")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        for i in start..<(start + ls[target].count) {
            for bit in [0x01, 0x20] as [UInt8] {
                var copy = full
                copy[i] ^= bit
                writeBytes(folder + "/journal.log", copy)
                let e = try #require(openError(folder, readOnly: false), "flip at byte \(i) not detected")
                #expect(e.line == 5 && e.offset == start, "flip at byte \(i): \(e)")
                #expect(e.description.contains("line 5"))
                #expect(fileSize(folder + "/journal.log") == full.count)  // never cut or rewritten
                let report = try Journal.verify(folder)
                #expect(report.records == 3 && report.problem?.line == 5 && report.problem?.isTornTail == false)
            }
        }
    }

    @Test func uppercaseChecksumIsDamage() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 3)
        var ls = lines(readBytes(dir.path + "/journal.log"))
        var line = String(decoding: ls[2], as: UTF8.self)
        let crcStart = line.range(of: ",\"crc\":\"")!.upperBound
        let crc = line[crcStart...].prefix(8)
        guard crc.uppercased() != crc else { return }  // all digits: nothing to uppercase
        line.replaceSubrange(crcStart..<line.index(crcStart, offsetBy: 8), with: crc.uppercased())
        ls[2] = Array(line.utf8)
        writeBytes(dir.path + "/journal.log", ls.flatMap { $0 })
        #expect(openError(dir.path)?.line == 3)
    }

    /// Forged lines with a valid CRC are caught by the sequence numbers and the hash chain.
    @Test func duplicateReorderedAndEditedRecordsAreCaught() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let source = dir.sub("source")
        try makeBook(source, records: 6)
        let ls = lines(readBytes(source + "/journal.log"))
        func check(_ name: String, _ modified: [[UInt8]], line: Int, _ words: String) throws {
            let folder = dir.sub(name)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            writeBytes(folder + "/journal.log", modified.flatMap { $0 })
            let e = try #require(openError(folder, readOnly: false), "\(name) not caught")
            #expect(e.line == line, "\(name): \(e)")
            #expect(e.description.contains(words), "\(name): \(e)")
        }
        // Duplicate of a middle record, and of the last one (a valid-CRC line is never a torn tail).
        try check("dup", Array(ls[0...3]) + [ls[3]] + Array(ls[4...]), line: 5, "repeated")
        try check("duplast", ls + [ls.last!], line: 8, "repeated")
        // Two records swapped.
        try check("swap", Array(ls[0...2]) + [ls[4], ls[3]] + Array(ls[5...]), line: 4, "sequence")
        // A record dropped.
        try check("gap", Array(ls[0...2]) + Array(ls[4...]), line: 4, "gap")
        // A payload edited and the CRC recomputed: the next line's "prev" no longer matches.
        var edited = ls
        let text = String(decoding: ls[3], as: UTF8.self).replacingOccurrences(of: "\"i\":2", with: "\"i\":9")
        edited[3] = reseal(Array(text.utf8))
        try check("edit", edited, line: 5, "hash chain")
        // The sequence number edited and the CRC recomputed.
        var renumbered = ls
        renumbered[3] = reseal(Array(String(decoding: ls[3], as: UTF8.self).replacingOccurrences(of: "{\"seq\":3,", with: "{\"seq\":4,").utf8))
        try check("renumber", renumbered, line: 4, "sequence")
        // A record spliced in from another book with the same shape: the chain breaks.
        let other = dir.sub("other")
        try makeBook(other, records: 6)
        let ols = lines(readBytes(other + "/journal.log"))
        try check("splice", Array(ls[0...2]) + [ols[3]] + Array(ls[4...]), line: 4, "hash chain")
    }

    /// Two records swapped: repair sets the first aside as gone where it should be, and finding
    /// its line further down keeps that line's text in the lost record (nothing is dropped).
    @Test func aRecordFoundAfterALaterOneIsKeptInItsLostRecord() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let folder = dir.sub("swap")
        try makeBook(folder, records: 6)
        let ls = lines(readBytes(folder + "/journal.log"))
        let swapped = String(decoding: ls[3].dropLast(), as: UTF8.self)  // record 3
        writeBytes(folder + "/journal.log", (Array(ls[0...2]) + [ls[4], ls[3]] + Array(ls[5...])).flatMap { $0 })
        let report = try Journal.repair(folder, apply: true)
        #expect(report.fixes.contains(.outOfPlace(line: 5, sequence: 3)), "\(report)")  // the header, 1, 2, 4, then 3
        #expect(!report.fixes.contains { if case .removed = $0 { true } else { false } }, "\(report)")
        #expect(report.description.contains("its text is kept there in full; nothing is lost"))
        let repaired = String(decoding: readBytes(folder + "/journal.log"), as: UTF8.self)
        let escaped = String(JSONWriter.string(.string(swapped)).dropFirst().dropLast())
        #expect(repaired.contains(escaped))
        #expect(openError(folder, readOnly: true) == nil)

        // Two lines moved down together (1, 2, 5, 3, 4, 6): both kept, in the one lost record set aside for them.
        let pair = dir.sub("pair")
        try makeBook(pair, records: 6)
        let ps = lines(readBytes(pair + "/journal.log"))
        writeBytes(pair + "/journal.log", ([ps[0], ps[1], ps[2], ps[5], ps[3], ps[4], ps[6]]).flatMap { $0 })
        let both = try Journal.repair(pair, apply: true)
        #expect(both.fixes.contains(.outOfPlace(line: 5, sequence: 3)) && both.fixes.contains(.outOfPlace(line: 6, sequence: 4)), "\(both)")
        #expect(!both.fixes.contains { if case .removed = $0 { true } else { false } }, "\(both)")
        let mended = String(decoding: readBytes(pair + "/journal.log"), as: UTF8.self)
        for moved in [ps[3], ps[4]] {
            #expect(mended.contains(String(JSONWriter.string(.string(String(decoding: moved.dropLast(), as: UTF8.self))).dropFirst().dropLast())))
        }
        #expect(openError(pair, readOnly: true) == nil)
    }

    @Test func damagedHeader() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 1)
        var bytes = readBytes(dir.path + "/journal.log")
        bytes[60] ^= 1
        writeBytes(dir.path + "/journal.log", bytes)
        let e = openError(dir.path)
        #expect(e?.line == 1)
    }

    @Test func killNineLosesNothingAcknowledged() throws {
        guard let exe = stressBinary() else { throw TestSetupError("ardesk-journal-stress not built") }
        let dir = TempDir()
        defer { dir.cleanup() }
        for round in 0..<3 {
            let folder = dir.sub("k\(round)")
            try makeBook(folder, records: 0)
            let outPath = dir.sub("out\(round).txt")
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["append", folder, "1000000", "k", round == 2 ? "3" : "1"]
            p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            try p.run()
            let wanted = 40 + 37 * round
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let acks = String(decoding: readBytes(outPath), as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("ack ") }
                if acks.count >= wanted { break }
                usleep(2000)
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let acked = String(decoding: readBytes(outPath), as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("ack ") }.compactMap { UInt64($0.dropFirst(4)) }
            #expect(acked.count >= wanted)
            let j = try Journal.open(folder: folder, author: "alice")
            let records = try j.readNew()
            #expect(records.map(\.sequence) == Array(1...UInt64(records.count)))
            #expect(Set(acked).isSubset(of: Set(records.map(\.sequence))))
            #expect(try Journal.verify(folder).isIntact)
            try j.append(draft(0))
        }
    }
}
