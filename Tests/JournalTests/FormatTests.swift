import FlatJSON
import Foundation
import Testing
@testable import Journal

@Suite struct FormatTests {
    @Test func crc32cKnownValues() {
        #expect(CRC32C.checksum("123456789") == 0xE306_9283)
        #expect(CRC32C.checksum("") == 0)
        // Slicing-by-8 agrees with the bytewise loop at every length and alignment.
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for start in 0..<9 {
            for end in stride(from: start, through: 300, by: 13) {
                var crc: UInt32 = ~0
                for b in bytes[start..<end] {
                    crc ^= UInt32(b)
                    for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
                }
                #expect(CRC32C.checksum(Array(bytes[start..<end])) == ~crc)
            }
        }
    }

    /// The instruction and the table agree on every length and alignment, and with a seed.
    @Test func crc32cInstructionAgreesWithTheTable() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4_099).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { all in
            for start in 0..<9 {
                for end in stride(from: start, through: all.count, by: 37) {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<end])
                    #expect(CRC32C.checksum(slice, seed: 7) == CRC32C.tableChecksum(slice, seed: 7))
                }
            }
        }
    }

    /// Long buffers go through three streams joined at the end: the same checksum, whatever the
    /// length (around the three-block step) and the seed.
    @Test func crc32cOfLongBuffersAgreesWithTheTable() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(7 * 8_192 + 100)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { all in
            for count in [3 * 8_192 - 1, 3 * 8_192, 3 * 8_192 + 1, 6 * 8_192, 6 * 8_192 + 13, all.count] {
                for start in [0, 3] {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<min(all.count, start + count)])
                    #expect(CRC32C.checksum(slice, seed: 99) == CRC32C.tableChecksum(slice, seed: 99), "\(count) bytes from \(start)")
                }
            }
        }
    }

    /// The envelope's whole numbers are read by a short path when written as ardesk writes them;
    /// anything else goes to the JSON reader, which refuses what it always refused.
    @Test func envelopeNumbersAreReadStrictly() {
        func decoded(_ seq: String, v: String = "1", batch: String? = nil) -> LineFormat.Decoded? {
            var line: [UInt8] = []
            LineFormat.encodeRecord(sequence: 7, timestamp: "2026-11-24T03:40:00.123Z", author: "bob", type: "note.added", version: 1,
                                    data: Array("{\"day\":\"2026-11-24\"}".utf8), batch: batch == nil ? nil : BatchMark(index: 1, count: 2),
                                    prev: String(repeating: "0", count: 32), into: &line)
            var text = String(decoding: line, as: UTF8.self)
            text = text.replacingOccurrences(of: "\"seq\":7,", with: "\"seq\":\(seq),")
            text = text.replacingOccurrences(of: "\"v\":1,", with: "\"v\":\(v),")
            if let batch { text = text.replacingOccurrences(of: "\"batch\":[1,2]", with: "\"batch\":\(batch)") }
            return Array(text.utf8).withUnsafeBytes { try? LineFormat.decodeRecord($0) }
        }
        #expect(decoded("7")?.sequence == 7)
        #expect(decoded("123456789012345678")?.sequence == 123_456_789_012_345_678)
        #expect(decoded("1234567890123456789")?.sequence == 1_234_567_890_123_456_789)  // 19 digits: the long way
        #expect(decoded("7", batch: "[1,2]")?.batch == BatchMark(index: 1, count: 2))
        #expect(decoded("7", batch: "[ 1 , 2 ]")?.batch == BatchMark(index: 1, count: 2))
        for refused in ["07", "0", "-7", "7.0", "7e0", "99999999999999999999"] {
            #expect(decoded(refused) == nil, "seq \(refused)")
        }
        #expect(decoded("7", v: "01") == nil)
        #expect(decoded("7", v: "1.5") == nil)
        #expect(decoded("7", batch: "[01,2]") == nil)
        #expect(decoded("7", batch: "[1,2.0]") == nil)
    }

    /// The envelope's strings read the same whichever way they are read: plain ASCII without the
    /// JSON reader, escapes and other scripts with it, a value repeated from the line before from
    /// the cache; and the cache follows values that alternate from line to line.
    @Test func envelopeStringsReadAlikeEveryWay() throws {
        func line(_ ts: String, _ by: String, _ type: String) -> [UInt8] {
            var line: [UInt8] = []
            LineFormat.encodeRecord(sequence: 7, timestamp: ts, author: by, type: type, version: 1,
                                    data: Array("{\"day\":\"2026-11-24\"}".utf8), batch: nil,
                                    prev: String(repeating: "0", count: 32), into: &line)
            return line
        }
        let cases: [(String, String, String)] = [
            ("2026-11-24T03:40:00.123Z", "bob", "note.added"),
            ("2026-11-24T03:40:00.124Z", "chen", "call.logged"),
            ("2026-11-24T03:40:00.124Z", "bob", "note.added"),
            ("2026-11-24T03:40:00.125Z", "王芳", "note.added"),            // not ASCII: the JSON reader
            ("2026-11-24T03:40:00.126Z", "a \"quoted\" name", "x\\y"),  // escapes: the JSON reader
            ("2026-11-24T03:40:00.126Z", "tab\there", "del\u{7F}"),
            ("2026-11-24T03:40:00.127Z", "bob", "note.added"),
        ]
        var repeated = LineFormat.RepeatedStrings()
        for _ in 0..<2 {  // the second round starts with the cache holding the last line's values
            for (ts, by, type) in cases {
                let bytes = line(ts, by, type)
                let cached = try bytes.withUnsafeBytes { try LineFormat.decodeRecord($0, repeated: &repeated) }
                let fresh = try bytes.withUnsafeBytes { try LineFormat.decodeRecord($0) }
                #expect(cached.timestamp == ts && cached.author == by && cached.type == type, "\(ts) \(by) \(type)")
                #expect(fresh.timestamp == ts && fresh.author == by && fresh.type == type)
            }
        }
        // A string cut off before its closing quote is refused, not read past.
        var cut = String(decoding: line("2026-11-24T03:40:00.123Z", "bob", "note.added"), as: UTF8.self)
        cut = cut.replacingOccurrences(of: "\"by\":\"bob\"", with: "\"by\":\"bob")
        let refused = Array(cut.utf8).withUnsafeBytes { try? LineFormat.decodeRecord($0) }
        #expect(refused == nil)
    }

    /// The chain hash through the processor's SHA instructions, one line or two at once, is
    /// swift-crypto's: at every length around the padding's block boundaries (55, 56, 63, 64, 119,
    /// 120…) and with the two lines of different lengths, so that one goes on alone.
    @Test func chainHashWithTheInstructionsAgreesWithSwiftCrypto() {
        #expect(ChainHash.portableBits(UnsafeRawBufferPointer(start: nil, count: 0)).text == "e3b0c44298fc1c149afbf4c8996fb924")
        #expect(Array("abc".utf8).withUnsafeBytes { ChainHash.bits($0).text } == "ba7816bf8f01cfea414140de5dae2223")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<400).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { all in
            for count in 0...260 {
                let line = UnsafeRawBufferPointer(rebasing: all[3..<(3 + count)])
                let expected = ChainHash.portableBits(line)
                #expect(ChainHash.bits(line) == expected, "\(count) bytes")
                let other = UnsafeRawBufferPointer(rebasing: all[(count % 7)..<(count % 7 + (count * 13) % 390)])
                let (first, second) = ChainHash.bits(line, other)
                #expect(first == expected && second == ChainHash.portableBits(other), "\(count) and \(other.count) bytes")
            }
        }
    }

    /// Opened for a reader that parses every payload itself (`checksPayloads: false`), the journal
    /// finds each record's `data` by the envelope around it: the same records, batch marks and
    /// payloads with escapes, braces and brackets included, as a journal that checks every payload.
    @Test func payloadsFoundByTheirEnvelopeAreTheSame() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 2)
        try j.append(draft(7, "ends with ] and } and \"quoted\" ,\"prev\":\"x\"]"))
        try j.append { _ in [draft(8, "[1,2]"), draft("promise.recorded", 9), draft(10, "}")] }
        let checked = try Journal.open(folder: dir.path, author: "bob", readOnly: true).readNew()
        let found = try Journal.open(folder: dir.path, author: "bob", readOnly: true, checksPayloads: false).readNew()
        #expect(checked.count == 6)
        #expect(found == checked)
    }

    /// A payload that is not JSON behind a right checksum (a faulty writer) is damage to a journal
    /// that checks payloads, naming its line; one that leaves payloads to its reader delivers it.
    @Test func aPayloadThatIsNotJSONIsLeftToItsReaderWhenAsked() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 1)
        try forgeLine(dir.path + "/journal.log", 1) { bad in
            let at = try #require(bad.firstRange(of: Array("\"called the customer\"".utf8)))
            bad.replaceSubrange(at, with: Array("called".utf8))
        }
        let e = try #require(openError(dir.path))
        guard case .damaged(_, let line, _, _) = e else { Issue.record("\(e)"); return }
        #expect(line == 2)
        let delivered = try Journal.open(folder: dir.path, author: "bob", readOnly: true, checksPayloads: false).readNew()
        #expect(delivered.count == 1)
        #expect(String(decoding: delivered[0].data, as: UTF8.self).contains("\"text\":called"))
    }

    /// The envelope's numbers are read without building JSON values: a batch mark with spaces is
    /// still read, and a sequence, version or mark of the wrong kind or shape is damage at its line.
    @Test func envelopeNumbersAndBatchMarks() throws {
        func rewrite(_ change: (inout [UInt8]) -> Void) throws -> (JournalError?, [JournalRecord]) {
            let dir = TempDir()
            defer { dir.cleanup() }
            let j = try makeBook(dir.path, records: 1)
            try j.append { _ in [draft(8, "a"), draft(9, "b")] }
            forgeLine(dir.path + "/journal.log", 3, change)  // the last line: changing it breaks no later "prev"
            if let e = openError(dir.path) { return (e, []) }
            return (nil, try Journal.open(folder: dir.path, author: "bob", readOnly: true, checksPayloads: false).readNew())
        }
        func replace(_ old: String, _ new: String) -> (inout [UInt8]) -> Void {
            { line in
                if let at = line.firstRange(of: Array(old.utf8)) { line.replaceSubrange(at, with: Array(new.utf8)) }
            }
        }
        let (none, records) = try rewrite(replace("\"batch\":[2,2]", "\"batch\":[ 2 , 2 ]"))
        #expect(none == nil)
        #expect(records.map(\.batch) == [nil, BatchMark(index: 1, count: 2), BatchMark(index: 2, count: 2)])
        for (old, new) in [("\"batch\":[2,2]", "\"batch\":[2,2,3]"), ("\"batch\":[2,2]", "\"batch\":[3,2]"),
                           ("\"batch\":[2,2]", "\"batch\":\"2/2\""), ("\"seq\":3", "\"seq\":\"3\""),
                           ("\"seq\":3", "\"seq\":3.0"), ("\"v\":1", "\"v\":-1"), ("\"v\":1", "\"v\":01")] {
            let (error, _) = try rewrite(replace(old, new))
            guard case .damaged(_, let line, _, _)? = error else { Issue.record("\(new): \(String(describing: error))"); continue }
            #expect(line == 4, "\(new)")
        }
    }

    @Test func createWriteReadBack() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let folder = dir.sub("book")
        let j = try Journal.create(folder: folder, author: "alice", clock: fixedClock)
        #expect(try j.readNew().isEmpty)
        let one = try j.append(draft(1, "línea con ünïcode \"quotes\" \\ and\nnewline 支払"))
        let group = try j.append { _ in [draft(2), draft("promise.recorded", 3), draft(4)] }
        #expect(one.sequence == 1 && one.line == 2)
        #expect(group.map(\.sequence) == [2, 3, 4])
        #expect(group.map(\.batch) == [BatchMark(index: 1, count: 3), BatchMark(index: 2, count: 3), BatchMark(index: 3, count: 3)])
        #expect(j.lastSequence == 4 && j.headHash == group[2].hash)

        let again = try Journal.open(folder: folder, author: "bob")
        #expect(again.recoveryNote == nil)
        let read = try again.readNew()
        #expect(read == [one] + group)
        #expect(again.headHash == j.headHash)
        #expect(try again.readNew().isEmpty)

        // Every line is one JSON object; the header comes first; permissions are 0640 at most.
        let text = readBytes(folder + "/journal.log")
        let ls = lines(text)
        #expect(ls.count == 5)
        for (n, line) in ls.enumerated() {
            let value = try JSONReader.parse(Array(line.dropLast()))
            let o = try #require(value.objectValue)
            if n == 0 {
                #expect(o.pairs.map(\.key) == ["format", "version", "book", "created", "by", "crc"])
            } else {
                #expect(o["seq"]?.intValue == Int64(n))
                #expect(o["by"]?.stringValue == "alice")
            }
        }
        #expect(String(decoding: ls[1], as: UTF8.self).hasPrefix("{\"seq\":1,\"ts\":\"2026-11-24T03:40:00.123Z\",\"by\":\"alice\",\"type\":\"note.added\",\"v\":1,\"data\":{"))
        var st = stat()
        stat(folder + "/journal.log", &st)
        #expect(st.st_mode & 0o7777 & ~0o640 == 0)
        stat(folder + "/journal.lock", &st)
        #expect(st.st_mode & 0o7777 & ~0o640 == 0)
    }

    @Test func createRefusesExistingBook() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeBook(dir.path, records: 1)
        #expect(throws: JournalError.alreadyExists(path: dir.path + "/journal.log")) {
            _ = try Journal.create(folder: dir.path, author: "alice")
        }
    }

    @Test func prepareThrowingOrEmptyWritesNothing() throws {
        struct Refused: Error {}
        let dir = TempDir()
        defer { dir.cleanup() }
        let j = try makeBook(dir.path, records: 2)
        let size = fileSize(dir.path + "/journal.log")
        #expect(throws: Refused.self) { try j.append { _ in throw Refused() } }
        #expect(try j.append { _ in [] }.isEmpty)
        #expect(fileSize(dir.path + "/journal.log") == size)
        #expect(try j.append(draft(3)).sequence == 3)
    }

    @Test func tailingBetweenTwoHandles() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let a = try makeBook(dir.path, records: 1)
        let b = try Journal.open(folder: dir.path, author: "bob")
        #expect(try b.readNew().count == 1)
        #expect(!b.hasNewData())
        try a.append(draft(2))
        try a.append(draft(3))
        #expect(b.hasNewData())
        #expect(try b.readNew().map(\.sequence) == [2, 3])
        #expect(!b.hasNewData())
        // Records handed to `prepare` are delivered there and not again by readNew.
        try a.append(draft(4))
        var handed: [UInt64] = []
        let written = try b.append { fresh in handed = fresh.map(\.sequence); return [draft(5)] }
        #expect(handed == [4])
        #expect(written.map(\.sequence) == [5])
        #expect(written[0].author == "bob")
        #expect(try b.readNew().isEmpty)
        #expect(try a.readNew().map(\.sequence) == [5])
        // The one-draft convenience keeps others' records for readNew.
        try b.append(draft(6))
        #expect(try a.append(draft(7)).sequence == 7)
        #expect(try a.readNew().map(\.sequence) == [6])
    }

    @Test func systemIdentityIgnoresUSER() {
        setenv("USER", "mallory", 1)
        let name = SystemIdentity.currentUserName()
        #expect(name != "mallory")
        #expect(name == String(cString: getpwuid(getuid())!.pointee.pw_name))
    }
}
