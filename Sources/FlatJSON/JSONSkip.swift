extension JSONReader {
    /// Checks one value exactly as `value(depth:)` would (syntax, UTF-8, escapes, duplicate keys,
    /// nesting) and moves past it without building it: the journal checks every payload, and the
    /// caller decodes only the fields it reads.
    mutating func skipValue(depth: Int) throws {
        guard depth < JSONReader.maxDepth else { throw error("nesting deeper than \(JSONReader.maxDepth)") }
        guard position < bytes.count else { throw error("unexpected end of text") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try skipObject(depth: depth)
        case UInt8(ascii: "["): try skipArray(depth: depth)
        case UInt8(ascii: "\""): _ = try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try integer()
        default: throw error("unexpected character")
        }
    }

    /// Moves past the array at `position`, calling `element` with where each element starts.
    mutating func skipArray(depth: Int, element: (Int) -> Void = { _ in }) throws {
        position += 1
        skipSpaces()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return }
        while true {
            skipSpaces()
            element(position)
            try skipValue(depth: depth + 1)
            guard try moreItems(before: "]") else { return }
        }
    }

    /// After an element or a member: true past a `,` (another follows), false past `closer`.
    @inline(__always)
    private mutating func moreItems(before closer: Unicode.Scalar) throws -> Bool {
        skipSpaces()
        guard position < bytes.count else { throw error("unexpected end of text") }
        if bytes[position] == UInt8(ascii: ",") { position += 1; return true }
        if bytes[position] == UInt8(ascii: closer) { position += 1; return false }
        throw error("expected , or \(closer)")
    }

    /// Moves past a string; returns whether it held an escape. Plain strings are checked here;
    /// one with an escape is checked by decoding it.
    mutating func skipString() throws -> Bool {
        let start = position
        position += 1
        var ascii = true
        // Eight bytes at a time while none of them ends the string or needs a closer look (a
        // quote, a backslash, a control character or a non-ASCII byte); then byte by byte.
        while position + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self))
            guard !JSONReader.needsByteByByte(word) else { break }
            position += 8
        }
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                guard ascii || JSONReader.isValidUTF8(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<position])) else {
                    position = start + 1
                    throw error("invalid UTF-8 in a string")
                }
                position += 1
                return false
            }
            if b == UInt8(ascii: "\\") {
                position = start
                _ = try string()
                return true
            }
            if b < 0x20 { throw error("control character in a string") }
            if b >= 0x80 { ascii = false }
            position += 1
        }
        throw error("unterminated string")
    }

    /// Whether any of the eight bytes in `word` is a quote, a backslash, below 0x20 or above 0x7F.
    @inline(__always)
    static func needsByteByByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs != 0  // some byte below 0x20
        return quote || backslash || control || word & highs != 0
    }

    /// Visits each member of the object at `position`: `member(keyStart, keyEnd, escaped,
    /// valueStart)`, with the key's bytes between its quotes. Duplicate keys are refused.
    mutating func skipObject(depth: Int, member: (Int, Int, Bool, Int) -> Void = { _, _, _, _ in }) throws {
        // The keys seen so far (for duplicates) live on the stack: a payload has a handful.
        try withUnsafeTemporaryAllocation(of: (start: Int, end: Int, escaped: Bool).self, capacity: 16) { stack in
            var keys = KeyList(stack: stack)
            try skipObject(depth: depth, keys: &keys, member: member)
        }
    }

    /// Keys in a fixed buffer, then in an array once it is full.
    struct KeyList {
        let stack: UnsafeMutableBufferPointer<(start: Int, end: Int, escaped: Bool)>
        var count = 0
        var overflow: [(start: Int, end: Int, escaped: Bool)] = []

        init(stack: UnsafeMutableBufferPointer<(start: Int, end: Int, escaped: Bool)>) { self.stack = stack }

        mutating func append(_ key: (start: Int, end: Int, escaped: Bool)) {
            if count < stack.count { stack[count] = key } else { overflow.append(key) }
            count += 1
        }

        func contains(where match: ((start: Int, end: Int, escaped: Bool)) -> Bool) -> Bool {
            for index in 0..<Swift.min(count, stack.count) where match(stack[index]) { return true }
            return overflow.contains(where: match)
        }
    }

    private mutating func skipObject(depth: Int, keys: inout KeyList, member: (Int, Int, Bool, Int) -> Void) throws {
        position += 1
        skipSpaces()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a key") }
            let keyStart = position
            let escaped = try skipString()
            let key = (start: keyStart + 1, end: position - 1, escaped: escaped)
            if keys.contains(where: { sameKey($0, key) }) {
                position = keyStart
                throw error("duplicate key \"\(try keyText(key))\"")
            }
            keys.append(key)
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected :") }
            position += 1
            skipSpaces()
            member(key.start, key.end, key.escaped, position)
            try skipValue(depth: depth + 1)
            guard try moreItems(before: "}") else { return }
        }
    }

    private func keyText(_ key: (start: Int, end: Int, escaped: Bool)) throws -> String {
        var reader = JSONReader(bytes: bytes)
        reader.position = key.start - 1
        return try reader.string()
    }

    private func sameKey(_ a: (start: Int, end: Int, escaped: Bool), _ b: (start: Int, end: Int, escaped: Bool)) -> Bool {
        if a.escaped || b.escaped { return (try? keyText(a)) == (try? keyText(b)) }
        guard a.end - a.start == b.end - b.start else { return false }
        for i in 0..<(a.end - a.start) where bytes[a.start + i] != bytes[b.start + i] { return false }
        return true
    }

    /// Checks the value starting exactly at `offset` and returns the offset just after it.
    public static func skipValue(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) throws -> Int {
        var reader = JSONReader(bytes: bytes)
        reader.position = offset
        try reader.skipValue(depth: 0)
        return reader.position
    }
}

/// A JSON object read in place: where each member's key and value lie in `bytes`, found by the
/// same checks as `JSONReader.parse`, with a value decoded only when it is asked for. Replaying a
/// book reads a million payloads; building every value first cost more than using them.
public struct JSONMembers: Sendable {
    public let bytes: [UInt8]
    /// Where the object's `{` is.
    public let start: Int
    /// Just after the object's `}`.
    public let end: Int
    private var members: [(keyStart: Int, keyEnd: Int, value: Int)] = []
    /// A key was written with an escape: lookups by raw bytes would miss it.
    public private(set) var hasEscapedKeys = false

    /// The object whose `{` is at `offset` (the whole of `bytes` by default).
    public init(_ bytes: [UInt8], at offset: Int = 0) throws {
        self.bytes = bytes
        self.start = offset
        var members: [(keyStart: Int, keyEnd: Int, value: Int)] = []
        members.reserveCapacity(8)
        var escaped = false
        end = try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer)
            reader.position = offset
            guard offset < buffer.count, buffer[offset] == UInt8(ascii: "{") else { throw reader.error("expected an object") }
            try reader.skipObject(depth: 0) { keyStart, keyEnd, keyEscaped, value in
                members.append((keyStart, keyEnd, value))
                escaped = escaped || keyEscaped
            }
            return reader.position
        }
        self.members = members
        hasEscapedKeys = escaped
    }

    public var count: Int { members.count }

    /// Where the value of `key` starts, or nil without such a member.
    public func offset(of key: StaticString) -> Int? {
        let length = key.utf8CodeUnitCount
        let text = key.utf8Start
        return bytes.withUnsafeBufferPointer { buffer in
            member: for m in members where m.keyEnd - m.keyStart == length {
                for i in 0..<length where buffer[m.keyStart + i] != text[i] { continue member }
                return m.value
            }
            return nil
        }
    }

    /// The value at `offset`, decoded.
    public func value(at offset: Int) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try JSONReader.parseValue($0, at: offset).value }
    }

    /// The offsets of the elements of the array at `offset`; nil when it is not an array.
    public func elements(at offset: Int) throws -> [Int]? {
        guard bytes[offset] == UInt8(ascii: "[") else { return nil }
        var starts: [Int] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer)
            reader.position = offset
            try reader.skipArray(depth: 0) { starts.append($0) }
        }
        return starts
    }

    /// Every member, decoded (for callers that want a `JSONObject`).
    public func object() throws -> JSONObject {
        guard case .object(let o) = try value(at: start) else { throw JSONError(offset: start, reason: "expected an object") }
        return o
    }
}
