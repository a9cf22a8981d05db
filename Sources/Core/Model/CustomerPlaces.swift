/// Each customer's place in a book (its index in the ledgers), by id, with the ids in the order
/// the customers were added.
///
/// The same fixed-hash table as the documents' (`DocumentIndex`), keyed by the ids it keeps: a
/// `[CustomerID: Int]` hashed every id with seeded SipHash, once for nearly every event of a
/// replay and once per customer for every screen of the book.
public struct CustomerPlaces: Sendable {
    /// Customers in the order they were added: place `i` is `ids[i]`.
    public private(set) var ids: [CustomerID] = []
    private var index = DocumentIndex()

    init() {}

    /// The places of `ids` in that order; nil when an id comes twice.
    init?(ids: [CustomerID]) {
        index = DocumentIndex(minimumCapacity: ids.count)
        self.ids.reserveCapacity(ids.count)
        for id in ids {
            guard append(id) else { return nil }
        }
    }

    public var count: Int { ids.count }

    /// The place of the customer `id`, or nil when it is not in the book.
    public subscript(id: CustomerID) -> Int? {
        ids.withUnsafeBufferPointer { ids in index.position(of: id) { ids[$0] } }
    }

    /// Gives `id` the next place; false, changing nothing, when it has one already.
    mutating func append(_ id: CustomerID) -> Bool {
        // The ids are only lent for the probe, so the append below does not copy them.
        let taken = ids.withUnsafeBufferPointer { ids in index.insert(id, at: ids.count) { ids[$0] } } != nil
        guard !taken else { return false }
        ids.append(id)
        return true
    }
}
