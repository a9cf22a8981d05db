import FlatJSON

/// What a caller asks to be written: an event type with its schema version and payload. The
/// journal adds sequence, time, author, chain hash and checksum.
public struct RecordDraft: Sendable, Equatable {
    public var type: String
    public var version: Int
    public var payload: JSONObject
    /// Who the record is written as; nil, the journal's author (the OS user appending). Only a
    /// generated history (the demo) names others: its calls are its collectors'.
    public var author: String?
    public init(type: String, version: Int, payload: JSONObject, author: String? = nil) {
        self.type = type
        self.version = version
        self.payload = payload
        self.author = author
    }
}

/// Marks record `index` (1-based) of a group of `count` records written by one append.
public struct BatchMark: Sendable, Equatable, Hashable {
    public var index: Int
    public var count: Int
    public init(index: Int, count: Int) { self.index = index; self.count = count }
}

/// One verified record of the log.
/// `@unchecked` for `dataStart`, a pointer into a `ReadBuffer` the record keeps alive and whose
/// bytes never change once the record is made.
public struct JournalRecord: @unchecked Sendable {
    public var sequence: UInt64
    /// UTC, `2026-11-24T03:40:00.123Z`.
    public var timestamp: String
    /// The OS user that appended it.
    public var author: String
    public var type: String
    /// The schema version of `payload`; upcasting old versions is the caller's business.
    public var version: Int
    /// The `data` object as it stands in the line (checked as JSON unless the journal was opened
    /// with `checksPayloads: false`, for a reader that checks it), copied out; replay reads the
    /// fields it needs where the bytes lie instead (`unsafeData`).
    public var data: [UInt8] { withData { Array($0) } }
    /// `data`, decoded.
    public var payload: JSONObject {
        guard case .object(let object)? = withData({ try? JSONReader.parse($0) }) else { return JSONObject() }
        return object
    }
    /// Calls `body` with the bytes of `data` where they lie: in the buffer the line was read into,
    /// or, for a record just appended, in a copy of the payloads written with it.
    @inlinable
    public func withData<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(unsafeData)
    }
    /// The bytes of `data` where they lie, valid while this record (or a copy of it) lives: for
    /// reading records in place through a pointer, where calling `withData` copied the record.
    @inlinable
    public var unsafeData: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: dataStart.assumingMemoryBound(to: UInt8.self), count: Int(dataCount))
    }
    /// Keeps the bytes `dataStart` points into alive (see `ReadBuffer`).
    let dataOwner: ReadBuffer
    @usableFromInline let dataStart: UnsafeRawPointer
    @usableFromInline let dataCount: UInt32
    /// Set when the record was written as part of a multi-record append.
    public var batch: BatchMark?
    /// 1-based line number in `journal.log` (the header is line 1, so this is `sequence + 1`).
    public var line: Int
    /// Byte offset of the start of the line.
    public var offset: Int
    /// Length of the line in bytes, including its newline.
    public var length: Int
    /// Chain hash of this line (32 lowercase hex digits, a SHA-256 prefix); the next record's `prev`.
    public var hash: String { hashBits.text }
    /// The same hash kept as its 32 bytes of text: no string per record while replaying.
    var hashBits: Hash16

    /// `data` is `count` bytes at `start` in `buffer`.
    init(sequence: UInt64, timestamp: String, author: String, type: String, version: Int,
         data: (buffer: ReadBuffer, start: UnsafeRawPointer, count: Int), batch: BatchMark?,
         line: Int, offset: Int, length: Int, hashBits: Hash16) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.author = author
        self.type = type
        self.version = version
        dataOwner = data.buffer
        dataStart = data.start
        dataCount = UInt32(data.count)
        self.batch = batch
        self.line = line
        self.offset = offset
        self.length = length
        self.hashBits = hashBits
    }
}

extension JournalRecord: Equatable {
    /// Two records are equal when every field and the bytes of `data` are, wherever those lie.
    public static func == (a: JournalRecord, b: JournalRecord) -> Bool {
        a.sequence == b.sequence && a.timestamp == b.timestamp && a.author == b.author && a.type == b.type
            && a.version == b.version && a.batch == b.batch && a.line == b.line && a.offset == b.offset
            && a.length == b.length && a.hashBits == b.hashBits
            && a.withData { x in b.withData { y in x.elementsEqual(y) } }
    }
}

/// A chain hash's 32 hex digits as four machine words, so comparing a line's `prev` with the
/// previous hash is four integer compares (equality with a well-formed hash also proves `prev`
/// is well formed).
struct Hash16: Equatable, Hashable, Sendable {
    var a: UInt64
    var b: UInt64
    var c: UInt64
    var d: UInt64

    static let zero = Hash16(a: 0, b: 0, c: 0, d: 0)

    init(a: UInt64, b: UInt64, c: UInt64, d: UInt64) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    /// From 32 bytes of text.
    @inline(__always)
    init(_ p: UnsafeRawPointer) {
        a = p.loadUnaligned(as: UInt64.self)
        b = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        c = p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        d = p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    /// The 32 hex digits as a string.
    var text: String {
        String(unsafeUninitializedCapacity: 32) { out in
            var copy = self
            withUnsafeBytes(of: &copy) { out.baseAddress!.update(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: 32) }
            return 32
        }
    }

    init?(hex: String) {
        var copy = hex
        guard let parsed = copy.withUTF8({ $0.count == 32 ? Hash16(UnsafeRawPointer($0.baseAddress!)) : nil }) else { return nil }
        self = parsed
    }
}
