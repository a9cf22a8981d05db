/// A compact binary encoding for snapshots: zigzag varints, length-prefixed UTF-8 strings.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func uint(_ value: UInt64) {
        var v = value
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    mutating func int(_ value: Int64) { uint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }
    mutating func int(_ value: Int) { int(Int64(value)) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    mutating func string(_ value: String) {
        let utf8 = value.utf8
        uint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }
    mutating func day(_ value: Day) { int(Int64(value.ordinal)) }
    mutating func money(_ value: Money) { int(value.minorUnits) }
    mutating func optional<T>(_ value: T?, _ write: (inout ByteWriter, T) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }
    mutating func list<Values: Collection>(_ values: Values, _ write: (inout ByteWriter, Values.Element) -> Void) {
        uint(UInt64(values.count))
        for value in values { write(&self, value) }
    }
    /// Increasing positions in a list of documents: a count, then each as its distance from the
    /// one before (small numbers, one or two bytes each).
    mutating func positions(_ values: some Collection<Int>) {
        uint(UInt64(values.count))
        var previous = -1
        for value in values {
            uint(UInt64(value - previous - 1))
            previous = value
        }
    }
    /// Eight little-endian bytes for a length written later (`setFixed`): a part can then be
    /// written in place, its length known only after it.
    mutating func fixedPlaceholder() -> Int {
        bytes.append(contentsOf: repeatElement(0, count: 8))
        return bytes.count - 8
    }
    mutating func setFixed(_ value: UInt64, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + 8, with: $0) }
    }
    /// A count, then each word as eight little-endian bytes: tables kept as they lie in memory.
    mutating func words(_ values: [UInt64]) {
        uint(UInt64(values.count))
        bytes.reserveCapacity(bytes.count + values.count * 8)
        for value in values { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    }
}

public struct SnapshotError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Reads bytes the caller keeps alive for as long as the reader is used (a snapshot's payload,
/// which may be a mapping of its file rather than an array).
struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    /// Reading stops here (a part of `bytes`).
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - position }
    var atEnd: Bool { position == end }

    func fail(_ what: String) -> SnapshotError { SnapshotError(description: "snapshot: \(what) at byte \(position)") }

    mutating func byte() throws -> UInt8 {
        guard position < end else { throw fail("unexpected end") }
        defer { position += 1 }
        return bytes[position]
    }
    @inline(__always)
    mutating func uint() throws -> UInt64 {
        // Most values are one byte (lengths, small numbers, distances between positions).
        if position < end, bytes[position] < 0x80 {
            defer { position += 1 }
            return UInt64(bytes[position])
        }
        return try longUInt()
    }

    private mutating func longUInt() throws -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw fail("varint too long") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }
    mutating func int64() throws -> Int64 {
        let v = try uint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }
    mutating func int() throws -> Int { Int(try int64()) }
    mutating func bool() throws -> Bool { try byte() != 0 }
    mutating func string() throws -> String {
        let count = Int(try uint())
        guard count >= 0, position + count <= end else { throw fail("string past the end") }
        defer { position += count }
        let start = position
        // Not `String(validating:)`, which is generic and unspecialised here (a third of a
        // snapshot's decoding time): the payload's CRC-32C was checked, so these are the bytes
        // of a Swift string as written, and decoding never has anything to repair.
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<start + count]), as: UTF8.self)
    }
    mutating func day() throws -> Day { Day(ordinal: Int32(truncatingIfNeeded: try int64())) }
    mutating func money() throws -> Money { Money(minorUnits: try int64()) }
    mutating func optional<T>(_ read: (inout ByteReader) throws -> T) throws -> T? {
        try bool() ? try read(&self) : nil
    }
    mutating func list<T>(_ read: (inout ByteReader) throws -> T) throws -> [T] {
        let count = Int(try uint())
        guard count <= end - position else { throw fail("list longer than the data") }
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try read(&self)) }
        return items
    }
    /// Positions written by `ByteWriter.positions`, each below `bound`.
    mutating func positions(below bound: Int) throws -> [Int] {
        let count = Int(try uint())
        guard count <= remaining else { throw fail("list longer than the data") }
        var positions: [Int] = []
        positions.reserveCapacity(count)
        var previous = -1
        for _ in 0..<count {
            let step = try uint()
            guard step < UInt64(bound) else { throw fail("a position beyond \(bound) documents") }
            previous += Int(step) + 1
            guard previous < bound else { throw fail("a position beyond \(bound) documents") }
            positions.append(previous)
        }
        return positions
    }
    mutating func fixed() throws -> UInt64 {
        guard end - position >= 8 else { throw fail("unexpected end") }
        defer { position += 8 }
        return UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self))
    }
    mutating func words() throws -> [UInt64] {
        let count = Int(try uint())
        guard count <= (end - position) / 8 else { throw fail("table longer than the data") }
        let start = position
        position += count * 8
        return [UInt64](unsafeUninitializedCapacity: count) { words, initialized in
            UnsafeMutableRawBufferPointer(words).copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<start + count * 8])))
            for index in 0..<count { words[index] = UInt64(littleEndian: words[index]) }
            initialized = count
        }
    }
    mutating func smallList<T>(_ read: (inout ByteReader) throws -> T) throws -> SmallList<T> {
        let count = Int(try uint())
        guard count <= end - position else { throw fail("list longer than the data") }
        var items = SmallList<T>()
        for _ in 0..<count { items.append(try read(&self)) }
        return items
    }
}
