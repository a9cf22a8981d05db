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

    /// Whether `line` has a header's shape (its fields, a checksum), whatever its bytes say.
    static func looksLikeHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        let text = String(decoding: line, as: UTF8.self)
        return ["\"version\":", "\"book\":\"", "\"created\":\"", "\"by\":\"", "\"crc\":\""].allSatisfy { text.contains($0) }
    }

    enum HeaderProblem: Error {
        case notABook(String)
        case futureVersion(Int64)
        case damaged(String)
    }

    static func decodeHeader(_ line: UnsafeRawBufferPointer) throws(HeaderProblem) -> Header {
        // A header whose checksum fails is a damaged header, whatever byte was hit: a changed
        // letter of its format is not another kind of file, a changed digit of its version not a
        // newer ardesk (both would send the user away from `ardesk log repair`, which mends it).
        let damagedHeader = !frameIsValid(line) && looksLikeHeader(line)
        guard line.count >= headerPrefix.count,
            headerPrefix.withUnsafeBytes({ memcmp($0.baseAddress!, line.baseAddress!, headerPrefix.count) == 0 })
        else {
            if damagedHeader { throw .damaged("the header checksum does not match") }
            throw .notABook("its first line is not an ardesk-journal header")
        }
        let value: JSONValue
        do {
            value = try JSONReader.parse(line.assumingMemoryBound(to: UInt8.self))
        } catch {
            throw .damaged("the header is not valid JSON (\(error))")
        }
        guard case .object(let o) = value else { throw .damaged("the header is not a JSON object") }
        guard o["format"]?.stringValue == formatName else {
            if damagedHeader { throw .damaged("the header checksum does not match") }
            throw .notABook("unknown format")
        }
        guard let version = o["version"]?.intValue else { throw .damaged("the header has no version") }
        if version > Int64(Journal.formatVersion) {
            if damagedHeader { throw .damaged("the header checksum does not match") }
            throw .futureVersion(version)
        }
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
}
