#if canImport(Glibc)
import Glibc
#endif

/// Bytes read from the log once and shared by every record read from them: a record's `data` is a
/// range of the buffer its line was read into, not a copy of its own. Copying each payload out
/// (an allocation, a copy and later a free for every record) was a twentieth of reading a large log.
///
/// A buffer is either memory a reader fills with `pread`, or the log itself mapped read-only
/// (`init(mapping:)`, for a large log). A reader fills a buffer, makes records that point into
/// what it filled, and reads on into the rest; it writes over bytes only while no record holds
/// the buffer (`isKnownUniquelyReferenced`), and otherwise reads on into a new one. So the bytes
/// a record points at never change after the record is made, which is why sharing them between
/// threads is safe.
final class ReadBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    /// Set for a buffer that maps the file (`mapping`): where the mapping starts and its length.
    private let mapped: (start: UnsafeMutableRawPointer, length: Int)?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = .allocate(byteCount: self.capacity, alignment: 16)
        mapped = nil
    }

    /// The file's bytes from `offset` to `end`, mapped read-only instead of copied in: the kernel's
    /// copy of a large log into a buffer was a twentieth of an open's work. Nil when the file cannot be
    /// mapped (the caller reads instead). Bytes of a log before its last complete record are never
    /// changed or cut (appends go after it; a torn tail is cut after it; a repair writes a new file),
    /// so what a record points at stays as it was read. (A file cut short by hand while it is
    /// mapped would stop the process with SIGBUS; readers map only under the journal's lock, or a
    /// book without a lock file, which nobody appends to or cuts.)
    init?(mapping fd: Int32, from offset: Int, to end: Int) {
        guard let mapping = FileIO.mapReadOnly(fd, from: offset, to: end, flags: MAP_PRIVATE) else { return nil }
        // Read ahead, in order: a log not in the page cache was otherwise read a page per fault
        // (with MAP_POPULATE instead, opening L after dropping the cache took 17 s, not 2).
        madvise(mapping.start, mapping.length, MADV_SEQUENTIAL)
        madvise(mapping.start, mapping.length, MADV_WILLNEED)
        mapped = (mapping.start, mapping.length)
        base = mapping.at
        capacity = end - offset
    }

    /// A buffer holding just `bytes` (a record the journal has just written).
    convenience init(copying bytes: [UInt8]) {
        self.init(capacity: bytes.count)
        bytes.withUnsafeBytes { if let source = $0.baseAddress { base.copyMemory(from: source, byteCount: $0.count) } }
    }

    /// A mapped buffer gives back its pages before byte `end` (of `base`): read lines stay mapped,
    /// but the process stops counting them as its own memory; a record that reads them again later
    /// finds the same bytes (the file's, from the page cache). A no-op for an allocated buffer.
    func releasePages(before end: Int) {
        guard let mapped else { return }
        let length = (base + end - mapped.start) / FileIO.pageSize * FileIO.pageSize
        if length > 0 { madvise(mapped.start, length, MADV_DONTNEED) }
    }

    deinit {
        if let mapped { munmap(mapped.start, mapped.length) } else { base.deallocate() }
    }
}
