/// Where each document of a list is, by its number: an open-addressing table of positions whose
/// keys stay in the documents themselves.
///
/// Why not `[String: Int]`: a million invoice numbers hashed with the standard library's seeded
/// SipHash were a third of opening a large book, and a per-process seed means the table can never
/// be saved. This table hashes with a fixed function, keeps 8 bytes per slot (a dictionary bucket
/// held the key too), and a snapshot stores its slots as they are, so opening from one rebuilds
/// nothing. Numbers are a company's own document numbers, not input from strangers, so a fixed
/// hash is no denial-of-service risk; colliding numbers would only be slower.
struct DocumentIndex: Sendable, Equatable {
    /// 0 for an empty slot, else the key's 32-bit hash above its position + 1. A table is at most
    /// half full, so probes are short, and the hash in the slot settles most of them without
    /// reading the document.
    private(set) var slots: [UInt64]
    private(set) var count = 0

    init(minimumCapacity: Int = 0) {
        slots = Array(repeating: 0, count: DocumentIndex.slotCount(for: minimumCapacity))
    }

    /// A table saved by `slots` (see the snapshot) for a list of `count` documents, after
    /// checking its shape: every position inside the list, each once, so that a damaged table can
    /// answer wrongly but never read outside the list.
    init?(slots: [UInt64], count: Int) {
        guard slots.count >= 16, slots.count & (slots.count - 1) == 0, count * 2 <= slots.count else { return nil }
        var seen = [Bool](repeating: false, count: count)
        var used = 0
        for entry in slots where entry != 0 {
            let position = Int(UInt32(truncatingIfNeeded: entry)) - 1
            guard position >= 0, position < count, !seen[position] else { return nil }
            seen[position] = true
            used += 1
        }
        guard used == count else { return nil }
        self.slots = slots; self.count = count
    }

    private static func slotCount(for capacity: Int) -> Int {
        var slots = 16
        while slots < capacity * 2 { slots *= 2 }
        return slots
    }

    /// The position of the document whose number is `key`; `keyAt` names the document at a position.
    func position(of key: String, keyAt: (Int) -> String) -> Int? {
        guard case .taken(let position) = find(key, keyAt: keyAt) else { return nil }
        return position
    }

    /// Adds `key` at `position`, unless a document with that number is already there: then
    /// nothing changes and its position is returned.
    mutating func insert(_ key: String, at position: Int, keyAt: (Int) -> String) -> Int? {
        switch probe(key, keyAt: keyAt) {
        case .taken(let existing): return existing
        case .free(let vacancy):
            fill(vacancy, with: position)
            return nil
        }
    }

    /// An empty slot found for a number, to be filled before anything else is indexed.
    struct Vacancy {
        fileprivate let slot: Int
        fileprivate let hash: UInt32
    }

    enum Probe {
        case taken(position: Int)
        case free(Vacancy)
    }

    /// Where `key` is, or the empty slot it would take (growing the table first when it is half
    /// full), without indexing anything: a document can be checked and applied between the two.
    mutating func probe(_ key: String, keyAt: (Int) -> String) -> Probe {
        if (count + 1) * 2 > slots.count { grow() }
        return find(key, keyAt: keyAt)
    }

    /// Walks `key`'s run of slots to the document with that number or to the first empty slot.
    @inline(__always)
    private func find(_ key: String, keyAt: (Int) -> String) -> Probe {
        let hash = DocumentIndex.hash(key)
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != 0 {
            let entry = slots[slot]
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let existing = Int(UInt32(truncatingIfNeeded: entry)) - 1
                if keyAt(existing) == key { return .taken(position: existing) }
            }
            slot = (slot + 1) & mask
        }
        return .free(Vacancy(slot: slot, hash: hash))
    }

    /// Indexes the document at `position` in the slot `probe` found (nothing indexed since).
    mutating func fill(_ vacancy: Vacancy, with position: Int) {
        precondition(position >= 0 && position < Int(UInt32.max), "a document position beyond the index")
        precondition(slots[vacancy.slot] == 0, "a slot filled since it was found")
        slots[vacancy.slot] = UInt64(vacancy.hash) << 32 | UInt64(position + 1)
        count += 1
    }

    /// Twice the slots; each entry moves by the hash it carries, without reading any document.
    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry != 0 {
            var slot = Int(entry >> 32) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// A fixed 32-bit hash of the key: the number its last digits (up to nine) spell, added to a
    /// hash of the bytes before them. Numbers that count up (`INV-000123`, `INV-000124`; a
    /// customer's `C00001-0001`, `-0002`) so take neighbouring slots, and replaying a book, each
    /// invoice issued after the last and each payment for a recent one, walks the table where it
    /// lies in memory: with the whole key hashed, every probe of a large book's table missed the
    /// cache, and the probes were half of folding its events. Numbers of other shapes are spread
    /// by the hash of their bytes as before.
    /// Part of the snapshot format: changing it needs a new format version.
    static func hash(_ key: String) -> UInt32 {
        var key = key
        return key.withUTF8 { bytes in
            // Plain loops over the bytes: the hash runs several times for every event of a replay,
            // and it was a tenth of folding's samples with an enumerated slice for the last bytes.
            var end = bytes.count
            var counter: UInt32 = 0
            var scale: UInt32 = 1
            let firstCounted = max(0, bytes.count - 9)
            while end > firstCounted {
                let digit = bytes[end - 1] &- 0x30
                guard digit <= 9 else { break }
                counter &+= UInt32(digit) &* scale  // at most 999,999,999
                scale &*= 10
                end -= 1
            }
            return spread(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[0..<end])) &+ counter
        }
    }

    /// Eight bytes at a time, each folded in with a 64×64→128-bit multiply; the last zero to seven
    /// bytes as one little-endian word.
    private static func spread(_ raw: UnsafeRawBufferPointer) -> UInt32 {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
        var offset = 0
        while offset + 8 <= raw.count {
            state = mix(state ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        var last: UInt64 = 0
        var index = raw.count
        while index > offset {
            index -= 1
            last = last << 8 | UInt64(raw[index])
        }
        state = mix(state ^ last)
        return UInt32(truncatingIfNeeded: state ^ state >> 32)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0xBF58_476D_1CE4_E5B9)
        return product.high ^ product.low
    }
}

/// A document found by a number of its own: an invoice by its number, a payment by its reference.
public protocol NumberedDocument: Sendable {
    var documentNumber: String { get }
}

extension Invoice: NumberedDocument { public var documentNumber: String { number } }
extension Payment: NumberedDocument { public var documentNumber: String { reference } }

extension DocumentIndex {
    /// Where the document numbered `number` is in `list`, the list this index was built over.
    func position<Document: NumberedDocument>(of number: String, in list: [Document]) -> Int? {
        position(of: number) { list[$0].documentNumber }
    }

    /// Indexes the document about to be appended to `list`; false, changing nothing, when its
    /// number is taken. `list` is only lent for the call: a copy still held when the caller
    /// appends would make the append copy a million documents.
    mutating func insertNext<Document: NumberedDocument>(_ number: String, in list: [Document]) -> Bool {
        insert(number, at: list.count, keyAt: { list[$0].documentNumber }) == nil
    }

    /// The slot for the document about to be appended to `list`, nil when its number is taken;
    /// `fill` it with `list.count` once the document is applied. One probe for the check and the
    /// insert (a payment was looked up, then inserted: two walks through a table of millions).
    mutating func vacancy<Document: NumberedDocument>(for number: String, in list: [Document]) -> Vacancy? {
        guard case .free(let vacancy) = probe(number, keyAt: { list[$0].documentNumber }) else { return nil }
        return vacancy
    }
}

/// Read access to a book's invoices or payments by number, without exposing how they are stored.
public struct DocumentLookup<Document: NumberedDocument>: Sendable {
    let list: [Document]
    let index: DocumentIndex
    public subscript(number: String) -> Document? { index.position(of: number, in: list).map { list[$0] } }
    public var count: Int { list.count }
    /// Every document in the order it entered the book.
    public var all: [Document] { list }
}

public typealias InvoiceLookup = DocumentLookup<Invoice>
public typealias PaymentLookup = DocumentLookup<Payment>
