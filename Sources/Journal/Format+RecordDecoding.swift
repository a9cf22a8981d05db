import FlatJSON
#if canImport(Glibc)
import Glibc
#endif

/// Reading a record's line (see `LineFormat` for its shape): the envelope's fields in order,
/// `data` found and checked as asked, the previous line's strings reused when they repeat.
extension LineFormat {
    struct Decoded {
        var sequence: UInt64
        var timestamp: String
        var author: String
        var type: String
        var version: Int
        /// Where `data` lies in the line (not copied: the record points into the read buffer).
        var data: Range<Int>
        var batch: BatchMark?
        /// The 32 bytes of `prev` (checked by comparison with the previous hash).
        var prev: Hash16
    }

    enum RecordProblem: Error {
        case invalidUTF8
        case malformed(String)

        /// What the JSON reader's `error` in the value of `field` means for the line.
        static func json(_ error: any Error, inValueOf field: String) -> RecordProblem {
            guard let error = error as? JSONError else { return .malformed("the value of \"\(field)\" is not valid JSON") }
            if error.reason.hasPrefix("invalid UTF-8") { return .invalidUTF8 }
            return .malformed("the value of \"\(field)\" is not valid JSON (\(error.reason) at byte \(error.offset) of the line)")
        }
    }

    /// The envelope strings of the previous line (time, author, type). Lines written together
    /// repeat them, so a line whose bytes match reuses the strings instead of allocating new ones.
    struct RepeatedStrings {
        fileprivate var slots: [(bytes: [UInt8], string: String)] = Array(repeating: ([], ""), count: 3)
    }

    /// Decodes a line whose frame (suffix and CRC) was already checked, or vouched for by the next
    /// line's `prev` (see `frameIsValid(_:vouched:)`). The envelope must be
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
            } catch {
                throw .json(error, inValueOf: field)
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
            } catch {
                throw .json(error, inValueOf: field)
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
            guard let (content, after) = JSONReader.plainASCIIString(UnsafeBufferPointer(rebasing: bytes[0..<bodyEnd]), at: position)
            else { return nil }
            let text = String(decoding: content, as: UTF8.self)
            repeated.slots[slot].bytes.removeAll(keepingCapacity: true)
            repeated.slots[slot].bytes.append(contentsOf: content)
            repeated.slots[slot].string = text
            position = after
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
        let data = dataStart..<position
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

    /// Where `data` ends, checking all of it as JSON (syntax, UTF-8, duplicate keys, depth).
    static func checkedDataEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, bodyEnd: Int) throws(RecordProblem) -> Int {
        do {
            return try JSONReader.skipValue(UnsafeBufferPointer(rebasing: bytes[0..<bodyEnd]), at: start)
        } catch {
            throw .json(error, inValueOf: "data")
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
