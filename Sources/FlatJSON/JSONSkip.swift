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

    /// Moves past the array at `position`.
    mutating func skipArray(depth: Int) throws {
        position += 1
        skipSpaces()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return }
        while true {
            skipSpaces()
            try skipValue(depth: depth + 1)
            guard try moreItems(before: "]") else { return }
        }
    }

    /// After an element or a member: true past a `,` (another follows), false past `closer`.
    @inline(__always)
    mutating func moreItems(before closer: Unicode.Scalar) throws -> Bool {
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
        // Eight bytes at a time up to the first byte that ends the string or needs a closer look
        // (a quote, a backslash, a control character or a non-ASCII byte); then byte by byte.
        // Most strings in a payload are short, so the word that holds the closing quote usually
        // is the first one.
        while position + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self))
            let special = JSONReader.specialBytes(word)
            guard special == 0 else {
                position += special.trailingZeroBitCount / 8
                break
            }
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

    /// The high bit of each of the eight bytes of `word` (little-endian) that is a quote, a
    /// backslash, below 0x20 or above 0x7F. Bytes above the first such byte may be marked
    /// wrongly (a borrow carries), so only the lowest mark says where to look.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = zeroBytes(word ^ (ones &* 0x22))
        let backslash = zeroBytes(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs  // bytes below 0x20
        return quote | backslash | control | (word & highs)
    }

    /// Visits each member of the object at `position`: `member(key, valueStart, valueEnd)`, once
    /// its value is checked. Duplicate keys are refused.
    mutating func skipObject(depth: Int, member: (ObjectKey, Int, Int) -> Void = { _, _, _ in }) throws {
        // The keys seen so far (for duplicates) live on the stack: a payload has a handful.
        try withUnsafeTemporaryAllocation(of: ObjectKey.self, capacity: 16) { stack in
            var keys = KeyList(stack: stack)
            try skipObject(depth: depth, keys: &keys, member: member)
        }
    }

    /// Keys in a fixed buffer, then in an array once it is full.
    struct KeyList {
        let stack: UnsafeMutableBufferPointer<ObjectKey>
        var count = 0
        var overflow: [ObjectKey] = []

        init(stack: UnsafeMutableBufferPointer<ObjectKey>) { self.stack = stack }

        mutating func append(_ key: ObjectKey) {
            if count < stack.count { stack[count] = key } else { overflow.append(key) }
            count += 1
        }

        func contains(where match: (ObjectKey) -> Bool) -> Bool {
            for index in 0..<Swift.min(count, stack.count) where match(stack[index]) { return true }
            return overflow.contains(where: match)
        }
    }

    private mutating func skipObject(depth: Int, keys: inout KeyList, member: (ObjectKey, Int, Int) -> Void) throws {
        position += 1
        skipSpaces()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a key") }
            let keyStart = position
            let escaped = try skipString()
            let key = ObjectKey(bytes, start: keyStart + 1, end: position - 1, escaped: escaped)
            if keys.contains(where: { sameKey($0, key) }) {
                position = keyStart
                throw error("duplicate key \"\(try keyText(key))\"")
            }
            keys.append(key)
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected :") }
            position += 1
            skipSpaces()
            let valueStart = position
            try skipValue(depth: depth + 1)
            member(key, valueStart, position)
            guard try moreItems(before: "}") else { return }
        }
    }

    private func keyText(_ key: ObjectKey) throws -> String {
        var reader = JSONReader(bytes: bytes)
        reader.position = key.start - 1
        return try reader.string()
    }

    private func sameKey(_ a: ObjectKey, _ b: ObjectKey) -> Bool {
        if a.escaped || b.escaped { return (try? keyText(a)) == (try? keyText(b)) }
        return a.length == b.length && a.prefix == b.prefix
            && (a.length <= 8 || (8..<a.length).allSatisfy { bytes[a.start + $0] == bytes[b.start + $0] })
    }

    /// Checks the value starting exactly at `offset` and returns the offset just after it.
    public static func skipValue(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) throws -> Int {
        var reader = JSONReader(bytes: bytes)
        reader.position = offset
        try reader.skipValue(depth: 0)
        return reader.position
    }
}

/// Where a key lies (its bytes between the quotes), with its first eight bytes as one word, so
/// that most keys compare in one step.
struct ObjectKey {
    var start: Int
    var length: Int
    var prefix: UInt64
    var escaped: Bool

    @inline(__always)
    init(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, escaped: Bool) {
        self.start = start
        length = end - start
        self.escaped = escaped
        prefix = ObjectKey.prefix(bytes.baseAddress! + start, length: length, readable: bytes.count - start)
    }

    /// The first `min(length, 8)` bytes at `p`, little-endian, zero above; one load when eight
    /// bytes can be read.
    @inline(__always)
    static func prefix(_ p: UnsafePointer<UInt8>, length: Int, readable: Int) -> UInt64 {
        let used = Swift.min(length, 8)
        if readable >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
            return used == 8 ? word : word & ((1 << (UInt64(used) * 8)) - 1)
        }
        var word: UInt64 = 0
        for i in 0..<used { word |= UInt64(p[i]) << (UInt64(i) * 8) }
        return word
    }
}

/// A JSON object read in place: where each member's key and value lie in `bytes`, found by the
/// same checks as `JSONReader.parse`, with a value decoded only when it is asked for. Replaying a
/// book reads a million payloads; building every value first cost more than using them.
///
/// Members are only lent to a closure (`read`), so they can live on the stack: a payload's
/// objects cost no allocation, and the view is a few words to pass around. Text without escapes,
/// whole numbers and dates are read straight from the bytes, never through `JSONValue`.
public struct JSONMembers {
    public let bytes: UnsafeBufferPointer<UInt8>
    /// Where the object's `{` is.
    public let start: Int
    /// Just after the object's `}`.
    public let end: Int
    private let members: UnsafeBufferPointer<Member>
    /// A key was written with an escape: lookups by raw bytes would miss it.
    public let hasEscapedKeys: Bool

    public var count: Int { members.count }

    fileprivate struct Member {
        var prefix: UInt64
        var keyStart: Int
        var keyLength: Int
        var value: Int
        var valueEnd: Int
    }

    /// Members kept on the stack; an object with more goes to the heap.
    private static let stackCount = 16

    /// Checks the object whose `{` is at `offset` (the start by default) and calls `body` with its
    /// members. They are valid only during `body`. (Not generic over a result: a generic function
    /// of another module is called unspecialised, and looked up its type metadata every time.)
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int = 0, _ body: (JSONMembers) throws -> Void) throws {
        try withUnsafeTemporaryAllocation(of: Member.self, capacity: stackCount) { stack in
            var overflow: [Member] = []
            var count = 0
            var escaped = false
            var reader = JSONReader(bytes: bytes)
            reader.position = offset
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "{") else { throw reader.error("expected an object") }
            try reader.skipObject(depth: 0) { key, value, valueEnd in
                let member = Member(prefix: key.prefix, keyStart: key.start, keyLength: key.length, value: value, valueEnd: valueEnd)
                if count < stackCount { (stack.baseAddress! + count).initialize(to: member) } else { overflow.append(member) }
                count += 1
                escaped = escaped || key.escaped
            }
            func members(_ list: UnsafeBufferPointer<Member>) -> JSONMembers {
                JSONMembers(bytes: bytes, start: offset, end: reader.position, members: list, hasEscapedKeys: escaped)
            }
            if overflow.isEmpty { return try body(members(UnsafeBufferPointer(rebasing: stack[0..<count]))) }
            let all = Array(stack) + overflow
            return try all.withUnsafeBufferPointer { try body(members($0)) }
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, members: UnsafeBufferPointer<Member>, hasEscapedKeys: Bool) {
        self.bytes = bytes
        self.start = start
        self.end = end
        self.members = members
        self.hasEscapedKeys = hasEscapedKeys
    }

    /// Where the value of a member lies: `start..<end` of `bytes`.
    public struct Value {
        public var start: Int
        public var end: Int
    }

    /// The value of `key`, or nil without such a member.
    public func value(of key: StaticString) -> Value? {
        let length = key.utf8CodeUnitCount
        let text = key.utf8Start
        var prefix: UInt64 = 0
        for i in 0..<Swift.min(length, 8) { prefix |= UInt64(text[i]) << (UInt64(i) * 8) }
        var m = members.baseAddress!
        let last = m + members.count
        while m < last {
            if m.pointee.prefix == prefix, m.pointee.keyLength == length, length <= 8 || (8..<length).allSatisfy({ bytes[m.pointee.keyStart + $0] == text[$0] }) {
                return Value(start: m.pointee.value, end: m.pointee.valueEnd)
            }
            m += 1
        }
        return nil
    }

    /// Where the value of `key` starts, or nil without such a member.
    public func offset(of key: StaticString) -> Int? { value(of: key)?.start }

    /// The value at `offset`, decoded.
    public func value(at offset: Int) throws -> JSONValue {
        try JSONReader.parseValue(bytes, at: offset).value
    }

    /// The text of `value`; nil when it is not a string.
    public func string(_ value: Value) -> String? {
        guard bytes[value.start] == UInt8(ascii: "\"") else { return nil }
        if let plain = plainString(value) { return String(decoding: plain, as: UTF8.self) }
        var reader = JSONReader(bytes: bytes)
        reader.position = value.start
        return try? reader.string()
    }

    /// The whole number `value`; nil when it is not one.
    public func integer(_ value: Value) -> Int64? {
        let b = bytes[value.start]
        guard b == UInt8(ascii: "-") || (b >= 48 && b <= 57) else { return nil }
        var reader = JSONReader(bytes: bytes)
        reader.position = value.start
        return try? reader.integer()
    }

    /// Whether `value` is `null`.
    public func isNull(_ value: Value) -> Bool { bytes[value.start] == UInt8(ascii: "n") }

    /// The bytes between the quotes of the string `value` when it has no escapes (so they are its
    /// text as it stands); nil otherwise.
    public func plainString(_ value: Value) -> UnsafeBufferPointer<UInt8>? {
        guard bytes[value.start] == UInt8(ascii: "\""), value.end - value.start >= 2 else { return nil }
        let text = UnsafeBufferPointer(rebasing: bytes[(value.start + 1)..<(value.end - 1)])
        return text.contains(UInt8(ascii: "\\")) ? nil : text
    }

    /// Calls `body` with the members of each element of the array `value`, in order, with its
    /// index; false when the value there is not an array. Throws `JSONError` at an element that is
    /// not an object. Each element is checked once, by reading it (the array is not skipped first).
    public func forEachObject(in value: Value, _ body: (Int, JSONMembers) throws -> Void) throws -> Bool {
        let offset = value.start
        guard bytes[offset] == UInt8(ascii: "[") else { return false }
        var reader = JSONReader(bytes: bytes)
        reader.position = offset + 1
        reader.skipSpaces()
        if reader.position < bytes.count, bytes[reader.position] == UInt8(ascii: "]") { return true }
        var index = 0
        while true {
            reader.skipSpaces()
            var end = 0
            try JSONMembers.read(bytes, at: reader.position) { element in
                end = element.end
                try body(index, element)
            }
            reader.position = end
            index += 1
            guard try reader.moreItems(before: "]") else { return true }
        }
    }

    /// Every member, decoded (for callers that want a `JSONObject`).
    public func object() throws -> JSONObject {
        guard case .object(let o) = try value(at: start) else { throw JSONError(offset: start, reason: "expected an object") }
        return o
    }
}
