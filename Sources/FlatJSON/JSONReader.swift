/// Why a JSON text was refused, and at which byte (0-based) of the input.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "\(reason) at byte \(offset)" }
}

/// A strict reader for the JSON that `JSONWriter` produces, and for hand-written JSON of the same
/// kind: integers only, UTF-8 only, nesting limited so a hostile line cannot exhaust the stack.
public struct JSONReader {
    public static let maxDepth = 32

    /// Parses exactly one value filling the whole buffer (surrounding spaces allowed).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        reader.skipSpaces()
        let value = try reader.value(depth: 0)
        reader.skipSpaces()
        guard reader.position == bytes.count else { throw reader.error("unexpected text after the value") }
        return value
    }

    /// Parses one value starting exactly at `offset` (no leading spaces) and returns it with the
    /// offset just after it; the bytes after it are not looked at. For callers that frame a value
    /// inside a larger, fixed layout.
    public static func parseValue(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) throws -> (value: JSONValue, end: Int) {
        var reader = JSONReader(bytes: bytes)
        reader.position = offset
        let value = try reader.value(depth: 0)
        return (value, reader.position)
    }

    /// The bytes between the quotes of the string starting exactly at `offset` when all of them are
    /// printable ASCII and none is a backslash (so they are its text as it stands, and valid
    /// UTF-8), with the offset just after its closing quote; nil for any other string or value,
    /// which the full reader decides. Inlinable: readers of millions of lines call it per field.
    @inlinable
    public static func plainASCIIString(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (text: UnsafeBufferPointer<UInt8>, end: Int)? {
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
        var at = offset + 1
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") { return (UnsafeBufferPointer(rebasing: bytes[(offset + 1)..<at]), at + 1) }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            at += 1
        }
        return nil
    }

    /// The whole number starting exactly at `offset`, with the offset just after it; nil when no
    /// number starts there (another kind of value may). Throws for a malformed number.
    public static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) throws -> (value: Int64, end: Int)? {
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "-") || (bytes[offset] >= 48 && bytes[offset] <= 57) else { return nil }
        var reader = JSONReader(bytes: bytes)
        reader.position = offset
        let value = try reader.integer()
        return (value, reader.position)
    }

    public static func parse(_ text: String) throws -> JSONValue {
        var copy = text
        return try copy.withUTF8 { buffer throws in try parse(buffer) }
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws in try parse(buffer) }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ reason: String) -> JSONError { JSONError(offset: position, reason: reason) }

    // Inlined: called between every two tokens, and a journal line has no spaces to skip.
    @inline(__always)
    mutating func skipSpaces() {
        while position < bytes.count {
            let b = bytes[position]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            position += 1
        }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < JSONReader.maxDepth else { throw error("nesting deeper than \(JSONReader.maxDepth)") }
        guard position < bytes.count else { throw error("unexpected end of text") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object(try object(depth: depth))
        case UInt8(ascii: "["): return .array(try array(depth: depth))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .int(try integer())
        default: throw error("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("unexpected end of text") }
        for i in 0..<count where bytes[position + i] != word.utf8Start[i] { throw error("unexpected character") }
        position += count
    }

    mutating func integer() throws -> Int64 {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") { negative = true; position += 1 }
        var magnitude: UInt64 = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
            let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(bytes[position] - 48))
            guard !o1, !o2 else { position = start; throw error("integer out of range") }
            magnitude = m2
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw error("a number needs digits") }
        if digits > 1, bytes[start + (negative ? 1 : 0)] == 48 { position = start; throw error("leading zero in a number") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            throw error("only whole numbers are allowed (amounts are stored in minor units)")
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { position = start; throw error("integer out of range") }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { position = start; throw error("integer out of range") }
        return Int64(magnitude)
    }

    mutating func string() throws -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes, so the bytes can be validated and copied in one go.
        var ascii = true
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                guard ascii || JSONReader.isValidUTF8(slice) else { position = start; throw error("invalid UTF-8 in a string") }
                position += 1
                return String(decoding: slice, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in a string") }
            if b >= 0x80 { ascii = false }
            position += 1
        }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let b = bytes[position]
            switch b {
            case UInt8(ascii: "\""):
                position += 1
                guard out.withUnsafeBufferPointer({ JSONReader.isValidUTF8($0) }) else { position = start; throw error("invalid UTF-8 in a string") }
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw error("unexpected end of text") }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): out.append(34)
                case UInt8(ascii: "\\"): out.append(92)
                case UInt8(ascii: "/"): out.append(47)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard position + 1 < bytes.count, bytes[position] == 92, bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in a string")
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in a string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw error("invalid escape")
                }
            default:
                if b < 0x20 { throw error("control character in a string") }
                out.append(b)
                position += 1
            }
        }
        throw error("unterminated string")
    }

    /// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
    /// Written out because the generic `String(validating:as:)` is not specialised across modules
    /// and dominated parsing time.
    static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c0 = b[i]
            if c0 < 0x80 { i += 1; continue }
            if c0 < 0xC2 { return false }
            if c0 < 0xE0 {
                guard i + 1 < n, b[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
            } else if c0 < 0xF0 {
                guard i + 2 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 else { return false }
                if c0 == 0xE0 && b[i + 1] < 0xA0 { return false }  // overlong
                if c0 == 0xED && b[i + 1] >= 0xA0 { return false }  // surrogate
                i += 3
            } else if c0 < 0xF5 {
                guard i + 3 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80, b[i + 3] & 0xC0 == 0x80 else { return false }
                if c0 == 0xF0 && b[i + 1] < 0x90 { return false }  // overlong
                if c0 == 0xF4 && b[i + 1] >= 0x90 { return false }  // above U+10FFFF
                i += 4
            } else {
                return false
            }
        }
        return true
    }

    mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("unexpected end of text") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let d: UInt32
            switch b {
            case 48...57: d = UInt32(b - 48)
            case 97...102: d = UInt32(b - 87)
            case 65...70: d = UInt32(b - 55)
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | d
            position += 1
        }
        return v
    }

    mutating func array(depth: Int) throws -> [JSONValue] {
        position += 1
        var items: [JSONValue] = []
        skipSpaces()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return items }
        while true {
            skipSpaces()
            items.append(try value(depth: depth + 1))
            skipSpaces()
            guard position < bytes.count else { throw error("unexpected end of text") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return items }
            throw error("expected , or ]")
        }
    }

    mutating func object(depth: Int) throws -> JSONObject {
        position += 1
        var object = JSONObject()
        object.pairs.reserveCapacity(4)
        skipSpaces()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return object }
        while true {
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try string()
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected :") }
            position += 1
            skipSpaces()
            let v = try value(depth: depth + 1)
            if object[key] != nil { throw error("duplicate key \"\(key)\"") }
            object.pairs.append((key: key, value: v))
            skipSpaces()
            guard position < bytes.count else { throw error("unexpected end of text") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return object }
            throw error("expected , or }")
        }
    }
}
