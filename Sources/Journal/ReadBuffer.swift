/// Bytes read from the log once and shared by every record read from them: a record's `data` is a
/// range of the buffer its line was read into, not a copy of its own. Copying each payload out
/// (an allocation, a copy and later a free for every record) was a tenth of reading a large log.
///
/// A reader fills a buffer, makes records that point into what it filled, and reads on into the
/// rest; it writes over bytes only while no record holds the buffer (`isKnownUniquelyReferenced`),
/// and otherwise reads on into a new one. So the bytes a record points at never change after the
/// record is made, which is why sharing them between threads is safe.
final class ReadBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    /// A buffer holding just `bytes` (a record the journal has just written).
    convenience init(copying bytes: [UInt8]) {
        self.init(capacity: bytes.count)
        bytes.withUnsafeBytes { if let source = $0.baseAddress { base.copyMemory(from: source, byteCount: $0.count) } }
    }

    deinit { base.deallocate() }
}
