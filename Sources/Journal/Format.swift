import FlatJSON
#if canImport(Glibc)
import Glibc
#endif

/// Encoding and decoding of single lines.
///
/// Header: `{"format":"ardesk-journal","version":1,"book":"<32 hex>","created":"<ts>","by":"<user>","crc":"<8 hex>"}`
/// Record: `{"seq":1,"ts":"<ts>","by":"<user>","type":"<type>","v":1,"data":{...}[,"batch":[i,n]],"prev":"<32 hex>","crc":"<8 hex>"}`
///
/// `crc` is CRC-32C of every byte of the line before `,"crc"`; `prev` is the chain hash of the
/// previous line (the header for record 1); a line's chain hash is the first 16 bytes of the
/// SHA-256 of the whole line (without its newline), as lowercase hex.
enum LineFormat {
    static let formatName = "ardesk-journal"
    /// `,"crc":"xxxxxxxx"}`
    static let crcSuffixLength = 18
    static let crcSuffixHead: [UInt8] = Array(",\"crc\":\"".utf8)
    static let headerPrefix: [UInt8] = Array("{\"format\":\"ardesk-journal\"".utf8)

    /// Appends `,"crc":"xxxxxxxx"}` covering `out[lineStart...]`.
    static func seal(_ out: inout [UInt8], lineStart: Int) {
        let crc = out.withUnsafeBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[lineStart..<raw.count]))
        }
        out.append(contentsOf: crcSuffixHead)
        appendHex32(crc, into: &out)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: "}"))
    }

    /// Checks the `,"crc":"…"}` ending and the CRC of a line (without newline). Exact bytes:
    /// uppercase hex is damage.
    ///
    /// `vouched`: the next line names this one's chain hash as its `prev`, so every byte of it is
    /// as the writer hashed it, CRC included, and computing the CRC would only confirm that.
    @inline(__always)
    static func frameIsValid(_ line: UnsafeRawBufferPointer, vouched: Bool = false) -> Bool {
        let n = line.count
        guard n > crcSuffixLength, let base = line.baseAddress else { return false }
        let s = base + (n - crcSuffixLength)
        // ,"crc":"
        guard s.load(as: UInt8.self) == 0x2C, s.load(fromByteOffset: 1, as: UInt8.self) == 0x22,
            s.load(fromByteOffset: 2, as: UInt8.self) == 0x63, s.load(fromByteOffset: 3, as: UInt8.self) == 0x72,
            s.load(fromByteOffset: 4, as: UInt8.self) == 0x63, s.load(fromByteOffset: 5, as: UInt8.self) == 0x22,
            s.load(fromByteOffset: 6, as: UInt8.self) == 0x3A, s.load(fromByteOffset: 7, as: UInt8.self) == 0x22,
            s.load(fromByteOffset: 16, as: UInt8.self) == 0x22, s.load(fromByteOffset: 17, as: UInt8.self) == 0x7D
        else { return false }
        if vouched { return true }
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(start: base, count: n - crcSuffixLength))
        return matchesHex32(crc, s + 8)
    }

    /// Whether `line` (a record's, or anything) ends in `,"prev":"<hash>","crc":"xxxxxxxx"}`
    /// with `hash` the given one: read from where a record's `prev` must lie, without parsing it.
    static func names(prev hash: Hash16, _ line: UnsafeRawBufferPointer) -> Bool {
        let prevStart = line.count - crcSuffixLength - 33
        guard prevStart >= prevHead.count, let base = line.baseAddress,
              memcmp(base + prevStart - prevHead.count, prevHead, prevHead.count) == 0,
              base.load(fromByteOffset: prevStart + 32, as: UInt8.self) == UInt8(ascii: "\"")
        else { return false }
        return Hash16(base + prevStart) == hash
    }
    static let prevHead: [UInt8] = Array(",\"prev\":\"".utf8)

    /// Chain hash: the first 16 bytes of SHA-256 of the line, as 32 lowercase hex digits.
    static func chainHash(_ line: UnsafeRawBufferPointer) -> String { ChainHash.bits(line).text }

    /// The chain hash as its 32 bytes of hex text, without making a string.
    static func chainHashBits(_ line: UnsafeRawBufferPointer) -> Hash16 { ChainHash.bits(line) }

    static func chainHash(_ line: [UInt8]) -> String {
        line.withUnsafeBytes { chainHash($0) }
    }

    static func isHashText(_ s: String) -> Bool {
        var count = 0
        for b in s.utf8 {
            guard (b >= 48 && b <= 57) || (b >= 97 && b <= 102) else { return false }
            count += 1
        }
        return count == 32
    }

    // MARK: writing

    static func encodeHeader(book: String, created: String, author: String) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "{\"format\":\"ardesk-journal\",\"version\":\(Journal.formatVersion),\"book\":".utf8)
        JSONWriter.writeString(book, into: &out)
        out.append(contentsOf: ",\"created\":".utf8)
        JSONWriter.writeString(created, into: &out)
        out.append(contentsOf: ",\"by\":".utf8)
        JSONWriter.writeString(author, into: &out)
        seal(&out, lineStart: 0)
        return out
    }

    static func encodeRecord(
        sequence: UInt64, timestamp: String, author: String, type: String, version: Int,
        data: [UInt8], batch: BatchMark?, prev: String, into out: inout [UInt8]
    ) {
        let start = out.count
        out.append(contentsOf: "{\"seq\":".utf8)
        out.append(contentsOf: String(sequence).utf8)
        out.append(contentsOf: ",\"ts\":".utf8)
        JSONWriter.writeString(timestamp, into: &out)
        out.append(contentsOf: ",\"by\":".utf8)
        JSONWriter.writeString(author, into: &out)
        out.append(contentsOf: ",\"type\":".utf8)
        JSONWriter.writeString(type, into: &out)
        out.append(contentsOf: ",\"v\":".utf8)
        out.append(contentsOf: String(version).utf8)
        out.append(contentsOf: ",\"data\":".utf8)
        out.append(contentsOf: data)
        if let batch {
            out.append(contentsOf: ",\"batch\":[\(batch.index),\(batch.count)]".utf8)
        }
        out.append(contentsOf: ",\"prev\":\"".utf8)
        out.append(contentsOf: prev.utf8)
        out.append(UInt8(ascii: "\""))
        seal(&out, lineStart: start)
    }

    /// `line` (a record, without its newline) with its `prev` set to `prev` and its checksum
    /// sealed anew; nil when the line does not end as a record does.
    static func rechained(_ line: [UInt8], prev: String) -> [UInt8]? {
        let prevTail = Array(",\"prev\":\"".utf8)
        let bodyEnd = line.count - crcSuffixLength
        let hashStart = bodyEnd - 33
        guard prev.utf8.count == 32, hashStart - prevTail.count >= 0, line[bodyEnd - 1] == UInt8(ascii: "\""),
              Array(line[(hashStart - prevTail.count)..<hashStart]) == prevTail else { return nil }
        var out = Array(line[0..<hashStart])
        out += prev.utf8
        out.append(UInt8(ascii: "\""))
        seal(&out, lineStart: 0)
        return out
    }

    // MARK: reading

    struct Header {
        var version: Int64
        var book: String
        var created: String
        var author: String
    }

    enum HeaderProblem: Error {
        case notABook(String)
        case futureVersion(Int64)
        case damaged(String)
    }

    static func decodeHeader(_ line: UnsafeRawBufferPointer) throws(HeaderProblem) -> Header {
        guard line.count >= headerPrefix.count,
            headerPrefix.withUnsafeBytes({ memcmp($0.baseAddress!, line.baseAddress!, headerPrefix.count) == 0 })
        else { throw .notABook("its first line is not an ardesk-journal header") }
        let value: JSONValue
        do {
            value = try JSONReader.parse(line.assumingMemoryBound(to: UInt8.self))
        } catch {
            throw .damaged("the header is not valid JSON (\(error))")
        }
        guard case .object(let o) = value else { throw .damaged("the header is not a JSON object") }
        guard o["format"]?.stringValue == formatName else { throw .notABook("unknown format") }
        guard let version = o["version"]?.intValue else { throw .damaged("the header has no version") }
        if version > Int64(Journal.formatVersion) { throw .futureVersion(version) }
        guard version >= 1 else { throw .damaged("the header names version \(version)") }
        guard frameIsValid(line) else { throw .damaged("the header checksum does not match") }
        let keys = o.pairs.map(\.key)
        guard keys == ["format", "version", "book", "created", "by", "crc"],
            let book = o["book"]?.stringValue, !book.isEmpty,
            let created = o["created"]?.stringValue,
            let by = o["by"]?.stringValue
        else { throw .damaged("the header fields are not as expected") }
        return Header(version: version, book: book, created: created, author: by)
    }

    struct Decoded {
        var sequence: UInt64
        var timestamp: String
        var author: String
        var type: String
        var version: Int
        var data: [UInt8]
        var batch: BatchMark?
        /// The 32 bytes of `prev` (checked by comparison with the previous hash).
        var prev: Hash16
    }

    enum RecordProblem: Error {
        case invalidUTF8
        case malformed(String)
    }

    /// The envelope strings of the previous line (time, author, type). Lines written together
    /// repeat them, so a line whose bytes match reuses the strings instead of allocating new ones.
    struct RepeatedStrings {
        fileprivate var slots: [(bytes: [UInt8], string: String)] = Array(repeating: ([], ""), count: 3)
    }

    /// Decodes a line whose frame (suffix and CRC) was already checked. The envelope must be
    /// exactly as written (fields in order, no spaces); values are parsed by `JSONReader`.
    static func decodeRecord(_ line: UnsafeRawBufferPointer) throws(RecordProblem) -> Decoded {
        var unused = RepeatedStrings()
        return try decodeRecord(line, repeated: &unused)
    }

    /// `checkData` false: `data` is found by the envelope around it and only its braces are checked,
    /// for a reader that parses every payload strictly anyway (replay).
    static func decodeRecord(_ line: UnsafeRawBufferPointer, repeated: inout RepeatedStrings, checkData: Bool = true) throws(RecordProblem) -> Decoded {
        let bytes = line.assumingMemoryBound(to: UInt8.self)
        let bodyEnd = bytes.count - crcSuffixLength
        var position = 0

        func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard position + count <= bodyEnd, memcmp(bytes.baseAddress! + position, text.utf8Start, count) == 0 else { return false }
            position += count
            return true
        }
        func value(_ field: String) throws(RecordProblem) -> JSONValue {
            do {
                let (v, end) = try JSONReader.parseValue(UnsafeBufferPointer(rebasing: bytes[0..<bodyEnd]), at: position)
                position = end
                return v
            } catch let error as JSONError {
                if error.reason.hasPrefix("invalid UTF-8") { throw .invalidUTF8 }
                throw .malformed("the value of \"\(field)\" is not valid JSON (\(error.reason) at byte \(error.offset) of the line)")
            } catch {
                throw .malformed("the value of \"\(field)\" is not valid JSON")
            }
        }
        /// A whole number read without making a `JSONValue`; nil when the value is of another kind.
        func integer(_ field: String) throws(RecordProblem) -> Int64? {
            // As written: 1 to 18 digits, no leading zero, followed by what closes the value.
            var at = position
            var plain: Int64 = 0
            while at < bodyEnd, bytes[at] &- 0x30 <= 9, at - position < 18 {
                plain = plain &* 10 &+ Int64(bytes[at] &- 0x30)
                at += 1
            }
            if at > position, at < bodyEnd, bytes[position] != 0x30 || at == position + 1,
               bytes[at] == UInt8(ascii: ",") || bytes[at] == UInt8(ascii: "]") {
                position = at
                return plain
            }
            do {
                guard let (v, end) = try JSONReader.parseInteger(UnsafeBufferPointer(rebasing: bytes[0..<bodyEnd]), at: position) else {
                    return nil
                }
                position = end
                return v
            } catch let error as JSONError {
                throw .malformed("the value of \"\(field)\" is not valid JSON (\(error.reason) at byte \(error.offset) of the line)")
            } catch {
                throw .malformed("the value of \"\(field)\" is not valid JSON")
            }
        }
        /// `[index,count]` as written; anything else is read as JSON (and refused if not that shape).
        func batchMark() throws(RecordProblem) -> BatchMark {
            func mark(_ index: Int64, _ count: Int64) -> BatchMark? {
                count >= 2 && count <= 1_000_000 && index >= 1 && index <= count ? BatchMark(index: Int(index), count: Int(count)) : nil
            }
            let start = position
            if literal("["), let index = try? integer("batch"), literal(","), let count = try? integer("batch"), literal("]"),
                let written = mark(index, count) {
                return written
            }
            position = start
            guard case .array(let items) = try value("batch"), items.count == 2,
                case .int(let index) = items[0], case .int(let count) = items[1], let read = mark(index, count)
            else { throw .malformed("\"batch\" must be [index, count] with 1 ≤ index ≤ count and count ≥ 2") }
            return read
        }
        func expected(_ what: String) -> RecordProblem { .malformed("expected \(what) at byte \(position) of the line") }
        /// A plain string (no escapes) equal to the one in `slot` last time: reuse it.
        func repeatedString(_ slot: Int) -> String? {
            let cached = repeated.slots[slot].bytes
            let count = cached.count
            guard count > 0, position + count + 2 <= bodyEnd, bytes[position] == 0x22, bytes[position + count + 1] == 0x22,
                cached.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress! + position + 1, count) == 0 })
            else { return nil }
            position += count + 2
            return repeated.slots[slot].string
        }
        /// A string of printable ASCII without escapes (a time, a user name, a type: nearly every
        /// one), read without the JSON reader, its bytes kept in the slot's buffer without a new
        /// one. In a log of single appends every record has a time of its own and types and users
        /// alternate, so this is the common case there.
        func plainString(_ slot: Int) -> String? {
            guard position < bodyEnd, bytes[position] == 0x22 else { return nil }
            var end = position + 1
            while end < bodyEnd {
                let byte = bytes[end]
                if byte == 0x22 { break }
                guard byte >= 0x20, byte < 0x7F, byte != 0x5C else { return nil }
                end += 1
            }
            guard end < bodyEnd else { return nil }
            let content = UnsafeBufferPointer(rebasing: bytes[(position + 1)..<end])
            let text = String(decoding: content, as: UTF8.self)
            repeated.slots[slot].bytes.removeAll(keepingCapacity: true)
            repeated.slots[slot].bytes.append(contentsOf: content)
            repeated.slots[slot].string = text
            position = end + 1
            return text
        }
        func string(_ field: String, slot: Int) throws(RecordProblem) -> String? {
            if let reused = repeatedString(slot) { return reused }
            if let plain = plainString(slot) { return plain }
            let start = position
            guard case .string(let text) = try value(field) else { return nil }
            if !bytes[start..<position].contains(0x5C) {  // no escapes: the bytes between the quotes are the text
                repeated.slots[slot] = (Array(bytes[(start + 1)..<(position - 1)]), text)
            }
            return text
        }

        guard literal("{\"seq\":") else { throw expected("{\"seq\":") }
        guard let seq = try integer("seq"), seq > 0 else { throw .malformed("\"seq\" must be a positive integer") }
        guard literal(",\"ts\":") else { throw expected(",\"ts\":") }
        guard let ts = try string("ts", slot: 0), !ts.isEmpty else { throw .malformed("\"ts\" must be a time") }
        guard literal(",\"by\":") else { throw expected(",\"by\":") }
        guard let by = try string("by", slot: 1), !by.isEmpty else { throw .malformed("\"by\" must name a user") }
        guard literal(",\"type\":") else { throw expected(",\"type\":") }
        guard let type = try string("type", slot: 2), !type.isEmpty else { throw .malformed("\"type\" must be a non-empty string") }
        guard literal(",\"v\":") else { throw expected(",\"v\":") }
        guard let v = try integer("v"), v >= 0, v <= Int64(Int32.max) else { throw .malformed("\"v\" must be a version number") }
        guard literal(",\"data\":") else { throw expected(",\"data\":") }
        guard position < bodyEnd, bytes[position] == UInt8(ascii: "{") else { throw .malformed("\"data\" must be an object") }
        let dataStart = position
        position = checkData
            ? try checkedDataEnd(bytes, from: dataStart, bodyEnd: bodyEnd) : try dataEnd(bytes, from: dataStart, bodyEnd: bodyEnd)
        let data = Array(bytes[dataStart..<position])
        var batch: BatchMark? = nil
        if literal(",\"batch\":") { batch = try batchMark() }
        guard literal(",\"prev\":\"") else { throw expected(",\"prev\":") }
        guard position + 33 == bodyEnd, bytes[position + 32] == UInt8(ascii: "\"") else {
            throw .malformed("\"prev\" must be 32 lowercase hex digits followed by \"crc\"")
        }
        let prev = Hash16(line.baseAddress! + position)
        return Decoded(
            sequence: UInt64(seq), timestamp: ts, author: by, type: type, version: Int(v), data: data,
            batch: batch, prev: prev)
    }
}

extension LineFormat {
    /// Where `data` ends, checking all of it as JSON (syntax, UTF-8, duplicate keys, depth).
    static func checkedDataEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, bodyEnd: Int) throws(RecordProblem) -> Int {
        do {
            return try JSONReader.skipValue(UnsafeBufferPointer(rebasing: bytes[0..<bodyEnd]), at: start)
        } catch let error as JSONError {
            if error.reason.hasPrefix("invalid UTF-8") { throw .invalidUTF8 }
            throw .malformed("the value of \"data\" is not valid JSON (\(error.reason) at byte \(error.offset) of the line)")
        } catch {
            throw .malformed("the value of \"data\" is not valid JSON")
        }
    }

    /// Where `data` ends, found from the end of the line: what follows it has a fixed shape,
    /// `[,"batch":[i,n]],"prev":"<32 hex>"` before the checksum (checked by the caller after).
    /// `data` must end with the `}` of its object; what lies between is its reader's to check.
    static func dataEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, bodyEnd: Int) throws(RecordProblem) -> Int {
        var end = bodyEnd - 42  // `,"prev":"` and 32 hex digits and `"`
        if end > start, bytes[end - 1] == UInt8(ascii: "]") {  // `,"batch":[i,n]` (an object ends with `}`)
            var open = end - 1
            while open > start, bytes[open] != UInt8(ascii: "[") { open -= 1 }
            end = open - 9  // `,"batch":`
        }
        guard end > start + 1, bytes[end - 1] == UInt8(ascii: "}") else {
            throw .malformed("\"data\" must be an object followed by \"prev\"")
        }
        return end
    }
}

extension Journal {
    /// The current UTC time as `2026-11-24T03:40:00.123Z`.
    public static func utcNow() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var tm = Glibc.tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T"
            + "\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }

    /// Compact UTC stamp for file names: `20261124T034000Z`.
    static func fileStamp() -> String {
        var t = time(nil)
        var tm = Glibc.tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(tm.tm_year + 1900, 4))\(pad(tm.tm_mon + 1, 2))\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2))\(pad(tm.tm_min, 2))\(pad(tm.tm_sec, 2))Z"
    }
}
